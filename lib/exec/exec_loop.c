/*
 * lib/exec/exec_loop.c - the wait on the world: task processes, timers,
 * callbacks arriving in the mailbox, timeouts and heartbeats, and
 * interruption by a signal.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asl_mailbox.h"
#include "exec_int.h"

volatile sig_atomic_t ex_interrupted;

void
asl_exec_interrupt(int sig)
{
	ex_interrupted = sig;
}

int
asl_exec_interrupted(void)
{
	return ex_interrupted != 0 && ex_interrupted != SIGUSR1;
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
real_monotonic(void)
{
	return asl_time_monotonic();
}

/* How far a test clock has moved the deadlines of tasks on (seconds). */
static double skipped;

double
ex_monotonic(void)
{
	return real_monotonic() + skipped;
}

/*
 * How long a test clock lets callbacks wait, in real seconds, for an
 * answer before it skips to their deadline: long enough for the answer
 * a task's own process sends at once.
 */
#define CALLBACK_GRACE	1.0

/*
 * With a test clock, a callback's TimeoutSeconds and HeartbeatSeconds are
 * skipped like any other delay once nothing else can move (no task
 * process runs, no Wait is pending) and no answer came for
 * CALLBACK_GRACE: the clock jumps to the earliest deadline.  Returns
 * whether it jumped.
 */
static int
skip_to_callback_deadline(struct exec *ex, int busy)
{
	double now_m = ex_monotonic(), first = 0, d;
	int i;

	if (!asl_time_is_logical() || busy) {
		ex->quiet_since = 0;
		return 0;
	}
	for (i = 0; i < ex->nwaiting; i++) {
		struct frame *f = ex->waiting[i];
		if (f->st != F_CALLBACK)
			continue;
		d = f->deadline > 0 && (f->hb_deadline == 0 ||
		    f->deadline < f->hb_deadline) ? f->deadline : f->hb_deadline;
		if (d > 0 && (first == 0 || d < first))
			first = d;
	}
	if (first == 0) {
		ex->quiet_since = 0;
		return 0;
	}
	if (ex->quiet_since == 0) {
		ex->quiet_since = now_m;
		return 0;
	}
	if (now_m - ex->quiet_since < CALLBACK_GRACE)
		return 0;
	/* the test clock stood still during the grace: it moves for it too */
	if (first > ex->quiet_since)
		asl_time_advance(first - ex->quiet_since);
	if (first > now_m)
		skipped += first - now_m;
	ex->quiet_since = 0;
	return 1;
}

/* Timers and the loop. */

static void
fire_timer(struct frame *f)
{
	struct exec *ex = f->ex;

	ex_remove_waiting(ex, f);
	if (f->timer_retry) {
		f->retry_count++;
		f->pc = PC_REENTER;
	} else {
		jv_free(f->result);
		f->result = jv_null();
		f->pc = PC_COMPLETE;
	}
	ex_release_work(f);
	ex_push_ready(ex, f);
}

static void
run_ready(struct exec *ex)
{
	struct frame *f;

	unsigned n = 0;

	while ((f = ex->ready) != NULL) {
		ex->ready = f->next_ready;
		ex_advance(f);
		if (ex->top->st == F_DONE || ex->top->st == F_FAILED)
			return;
		/* a loop with no end still hears a stop, a signal, its
		   TimeoutSeconds and the history's limit */
		if (ex_interrupted || ex->h.full || ex->h.failed)
			return;
		if ((++n & 1023) == 0)
			ex_progress(ex);
		if ((n & 1023) == 0 && ex->exec_deadline > 0 &&
		    ex_monotonic() >= ex->exec_deadline) {
			ex->timed_out = 1;
			return;
		}
	}
}

static void
start_queued(struct exec *ex)
{
	struct frame *f;

	while (ex->queued != NULL && ex->running_jobs < ex->jobs) {
		f = ex->queued;
		ex->queued = f->next_queued;
		if (ex->queued == NULL)
			ex->queued_tail = NULL;
		ex_launch(f);
	}
}

/* Whether a task is past its TimeoutSeconds or its heartbeat at m. */
static int
overdue(const struct frame *f, double m)
{
	return (f->deadline > 0 && m >= f->deadline) ||
	    (f->hb_deadline > 0 && m >= f->hb_deadline);
}

/*
 * What other processes sent: answers to task tokens, heartbeats, activity
 * workers taking their tasks.  Only looked at when the inbox changed.
 */
static void
check_inbox(struct exec *ex)
{
	double stamp, hb;
	const char *tok;
	jv v;
	int i;

	if (ex->ntokens <= 0)
		return;
	stamp = asl_mailbox_stamp(ex->store, ex->name);
	/*
	 * Directory times are coarse (a clock tick): a change in the same
	 * tick as the last look leaves the same time, so a recent time is
	 * looked at again.
	 */
	if (stamp == ex->inbox_stamp && wall_now() - stamp > 0.1)
		return;
	ex->inbox_stamp = stamp;
	for (i = ex->nwaiting - 1; i >= 0; i--) {
		struct frame *f = ex->waiting[i];
		if (jv_get_kind(f->token) != JV_KIND_STRING || f->sched_id == 0 ||
		    (f->st != F_CALLBACK && f->st != F_TASK))
			continue;
		tok = jv_string_value(f->token);
		if (f->has_plan && f->plan.family == ASL_FAMILY_ACTIVITY &&
		    !f->act_started) {
			v = asl_mailbox_started(ex->store, ex->name, tok);
			if (jv_get_kind(v) == JV_KIND_OBJECT) {
				f->act_started = 1;
				f->last = ex_femit(f, f->last, ASL_EV_TASK_STARTED, v);
				/* the heartbeat clock starts with the worker */
				if (f->heartbeat > 0)
					f->hb_deadline = ex_monotonic() + f->heartbeat;
			} else
				jv_free(v);
		}
		hb = asl_mailbox_heartbeat(ex->store, ex->name, tok);
		if (hb > f->hb_seen) {
			f->hb_seen = hb;
			if (f->heartbeat > 0)
				f->hb_deadline = ex_monotonic() + f->heartbeat -
				    (wall_now() - hb);
		}
		if (f->st != F_CALLBACK)
			continue;
		v = asl_mailbox_result(ex->store, ex->name, tok);
		if (jv_get_kind(v) != JV_KIND_OBJECT) {
			jv_free(v);
			continue;
		}
		ex_remove_waiting(ex, f);
		if (jv_object_has(jv_copy(v), ASL_LIT("output")))
			ex_task_outcome(f, jv_object_get(v, ASL_LIT("output")), 0);
		else {
			jv e = jv_object_get(jv_copy(v), ASL_LIT("error"));
			jv c = jv_object_get(v, ASL_LIT("cause"));
			ex_task_outcome(f, jv_invalid_with_msg(JV_OBJECT(
			    ASL_LIT("Error"), jv_is_valid(e) ? e : jv_null(),
			    ASL_LIT("Cause"), jv_is_valid(c) ? c : jv_null())), 0);
		}
	}
}

/* Wait for the world: task processes and timers.  Returns -1 on error. */
static int
wait_world(struct exec *ex)
{
	struct pollfd *fds;
	struct asl_time now = asl_time_now(), earliest;
	double now_m = ex_monotonic(), ms = -1, d;
	int *owner, n = 0, cap = 0, i, k, have_timer = 0, r;

	for (i = 0; i < ex->nwaiting; i++) {
		struct frame *f = ex->waiting[i];
		if (f->st == F_TASK || f->st == F_CALLBACK) {
			if (f->st == F_TASK)
				cap += 4;
			if (f->deadline > 0) {
				d = (f->deadline - now_m) * 1000;
				if (ms < 0 || d < ms)
					ms = d < 0 ? 0 : d;
			}
			if (f->hb_deadline > 0) {
				d = (f->hb_deadline - now_m) * 1000;
				if (ms < 0 || d < ms)
					ms = d < 0 ? 0 : d;
			}
		} else if (f->st == F_TIMER) {
			if (!have_timer || asl_time_cmp(f->wake, earliest) < 0)
				earliest = f->wake;
			have_timer = 1;
		}
	}
	if (ex->exec_deadline > 0) {
		d = (ex->exec_deadline - now_m) * 1000;
		if (ms < 0 || d < ms)
			ms = d < 0 ? 0 : d;
	}
	/* answers to task tokens arrive as files: look every 100 ms */
	if (ex->ntokens > 0 && (ms < 0 || ms > 100))
		ms = 100;
	if (have_timer && asl_time_is_logical()) {
		/*
		 * A logical clock jumps to the next timer at once, when no
		 * task runs; while one does, the timer waits for it (it does
		 * not make the wait below a busy loop).
		 */
		if (cap == 0) {
			asl_time_advance(asl_time_diff(now, earliest));
			ms = 0;
		}
	} else if (have_timer) {
		d = asl_time_diff(now, earliest) * 1000;
		if (ms < 0 || d < ms)
			ms = d < 0 ? 0 : d;
	}
	if (skip_to_callback_deadline(ex, cap > 0 || have_timer))
		ms = 0;
	fds = calloc((size_t)cap + 1, sizeof *fds);
	owner = calloc((size_t)cap + 1, sizeof *owner);
	if (fds == NULL || owner == NULL)
		abort();
	for (i = 0; i < ex->nwaiting; i++) {
		struct frame *f = ex->waiting[i];
		if (f->st != F_TASK)
			continue;
		k = asl_task_job_pollfds(f->job, fds + n, cap - n);
		/* a job with nothing to poll is waiting for its exit status */
		if (k == 0 && (ms < 0 || ms > 10))
			ms = 10;
		/* an HTTP request's own timers (curl's) */
		d = (double)asl_task_job_wait_ms(f->job);
		if (d >= 0 && (ms < 0 || d < ms))
			ms = d;
		while (k-- > 0)
			owner[n++] = i;
	}
	if (n > 0 || ms != 0) {
		r = poll(fds, (nfds_t)n, ms < 0 ? -1 : ms > 2e9 ? 2000000000 :
		    (int)ceil(ms));
		if (r == -1 && errno == EINTR && ex_interrupted) {
			free(fds);
			free(owner);
			return 0;
		}
		if (r == -1 && errno != EINTR) {
			free(fds);
			free(owner);
			return -1;
		}
	}
	/* pump the jobs: gather each job's descriptors */
	now_m = ex_monotonic();
	for (i = ex->nwaiting - 1; i >= 0; i--) {
		struct frame *f = ex->waiting[i];
		int first = -1, cnt = 0, j;
		if (f->st != F_TASK)
			continue;
		for (j = 0; j < n; j++)
			if (owner[j] == i) {
				if (first < 0)
					first = j;
				cnt++;
			}
		if (asl_task_job_pump(f->job, first >= 0 ? fds + first : fds, cnt)) {
			jv out = asl_task_job_outcome(f->job);
			ex_remove_waiting(ex, f);
			ex_task_outcome(f, out, 0);
		} else if (overdue(f, now_m)) {
			/* TimeoutSeconds: the whole process group goes */
			asl_task_job_kill(f->job, SIGKILL);
			ex_remove_waiting(ex, f);
			ex_task_outcome(f, jv_null(), 1);
		}
	}
	free(fds);
	free(owner);
	check_inbox(ex);
	/* callbacks past their time or their heartbeat */
	now_m = ex_monotonic();
	for (i = ex->nwaiting - 1; i >= 0; i--) {
		struct frame *f = ex->waiting[i];
		if (f->st == F_CALLBACK && overdue(f, now_m)) {
			ex_remove_waiting(ex, f);
			ex_task_outcome(f, jv_null(), 1);
			if (i > ex->nwaiting)
				i = ex->nwaiting;
		}
	}
	/* timers that are due */
	now = asl_time_now();
	for (i = ex->nwaiting - 1; i >= 0; i--) {
		struct frame *f = ex->waiting[i];
		if (f->st == F_TIMER && asl_time_cmp(f->wake, now) <= 0) {
			fire_timer(f);
			if (i > ex->nwaiting)
				i = ex->nwaiting;
		}
	}
	if (ex->exec_deadline > 0 && ex_monotonic() >= ex->exec_deadline)
		ex->timed_out = 1;
	return 0;
}

void
ex_abort_tasks(struct exec *ex)
{
	int i;

	for (i = 0; i < ex->nwaiting; i++)
		if (ex->waiting[i]->st == F_TASK && ex->waiting[i]->job != NULL)
			asl_task_job_kill(ex->waiting[i]->job, SIGKILL);
}

/* Whether the drive should return now (--detach): only waits are left. */
static int
paused(struct exec *ex)
{
	struct asl_time now = asl_time_now();
	int i;

	double m = ex_monotonic();

	if (ex->ready != NULL || ex->queued != NULL || ex->running_jobs > 0)
		return 0;
	if (ex->exec_deadline > 0 && m >= ex->exec_deadline)
		return 0;	/* it timed out: let the loop say so */
	for (i = 0; i < ex->nwaiting; i++) {
		struct frame *f = ex->waiting[i];
		if (f->st == F_TASK)
			return 0;
		if (f->st == F_CALLBACK && overdue(f, m))
			return 0;
		if (f->st == F_TIMER && (asl_time_is_logical() ||
		    asl_time_cmp(f->wake, now) <= 0))
			return 0;
	}
	return ex->nwaiting > 0;
}

void
ex_progress(struct exec *ex)
{
	if (ex->progress.fn == NULL)
		return;
	ex->progress.tasks = ex->running_jobs;
	ex->progress.events = ex->h.next_id - 1;
	asl_progress_tick(&ex->progress);
}

/*
 * Drive the execution until its top frame is over, it is stopped, timed
 * out or interrupted, or (detached) nothing is left but waiting.
 */
void
ex_loop(struct exec *ex)
{
	jv stop;

	for (;;) {
		if (ex_interrupted == SIGUSR1) {
			/* asl stop, or a nudge: is there a stop request? */
			ex_interrupted = 0;
			stop = asl_mailbox_stop_requested(ex->store, ex->name);
			ex->stopped = jv_get_kind(stop) == JV_KIND_OBJECT;
			jv_free(stop);
		}
		if (ex->stopped || ex->timed_out || ex_interrupted ||
		    ex->h.full || ex->h.failed)
			break;
		ex_progress(ex);
		run_ready(ex);
		if (ex->top->st == F_DONE || ex->top->st == F_FAILED)
			break;
		start_queued(ex);
		if (ex->ready != NULL)
			continue;
		if (ex->nwaiting == 0 && ex->queued == NULL) {
			ex_frame_fail(ex->top, asl_error("States.Runtime", "the "
			    "execution is stuck: nothing runs and nothing waits"),
			    1);
			break;
		}
		/*
		 * before waiting on the world, let others see how far it got;
		 * nothing leaves the engine here, so nothing needs a sync
		 */
		asl_history_flush(&ex->h);
		if (ex->opts->detach) {
			/* answers that came while no one drove it */
			check_inbox(ex);
			if (ex->ready != NULL)
				continue;
			if (paused(ex))
				break;
		}
		if (wait_world(ex) == -1) {
			ex_frame_fail(ex->top, asl_error("States.Runtime", "poll: %s",
			    strerror(errno)), 1);
			break;
		}
	}
}
