/*
 * asl_exec.c - the engine that runs whole executions.
 *
 * An execution is a tree of frames: the top one, and one per Parallel
 * branch and per Map iteration in progress.  Each frame stands at a state
 * with that state's raw input and the variables it sees.  Frames that can
 * move are kept on a ready stack and advanced through asl_step until they
 * block on the world: a task process, a timer (Wait, a Retry's delay),
 * or the children of a Map or Parallel.  One loop polls the task
 * processes and fires the timers.  Every step is recorded in the history
 * with the events and the previousEventId links AWS writes.
 */
#define _GNU_SOURCE	/* asprintf */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asl.h"
#include "asl_activity.h"
#include "asl_arn.h"
#include "asl_doc.h"
#include "asl_exec.h"
#include "asl_fold.h"
#include "asl_history.h"
#include "asl_json.h"
#include "asl_machine.h"
#include "asl_mailbox.h"
#include "asl_normalize.h"
#include "asl_retry.h"
#include "asl_rng.h"
#include "asl_step.h"
#include "asl_store.h"
#include "asl_task.h"
#include "asl_time.h"
#include "asl_token.h"
#include "asl_validate.h"

enum fstate {
	F_READY,	/* on the ready stack */
	F_QUEUED,	/* a task waiting for a job slot */
	F_TASK,		/* a task process running */
	F_TIMER,	/* waiting for its wake time */
	F_CALLBACK,	/* waiting for its task token's answer */
	F_CHILDREN,	/* its Map or Parallel runs children */
	F_DONE,		/* finished with output */
	F_FAILED	/* finished with error */
};

/* How a resumed Task continues (frame.resumed). */
enum {
	RESUME_NONE,
	RESUME_SCHEDULED,	/* scheduled, never started: start it */
	RESUME_WAIT_ANSWER,	/* started: wait for its token's answer */
	RESUME_INTERRUPTED	/* started, no outcome, no token: fail it */
};

enum fpc {
	PC_ENTER,	/* enter the state: its Entered event, then the step */
	PC_REENTER,	/* a retry: the step again, without a new Entered */
	PC_COMPLETE,	/* the work produced result */
	PC_ERROR,	/* the work failed with error */
	PC_FAIL		/* the engine fails the frame outright with error */
};

struct group;

struct frame {
	struct exec		*ex;
	struct group		*group;		/* the group it is a child of */
	int			 index;		/* its branch or iteration */
	const struct asl_state	*state;
	jv			 input;		/* the state's raw input */
	int			 judged;	/* input is a state's output */
	jv			 vars;
	long			 last;		/* the end of its event chain */
	long			 entered;	/* its state's Entered event */
	char			 entered_time[ASL_TIME_BUFSIZE];
	int			 retry_count;
	jv			 counts;
	enum fstate		 st;
	enum fpc		 pc;
	jv			 result;	/* PC_COMPLETE */
	jv			 error;		/* PC_ERROR; F_FAILED */
	int			 runtime;	/* F_FAILED beyond any Catch */
	jv			 output;	/* F_DONE */
	jv			 token;		/* the task token, or null */
	/* the work in progress */
	jv			 effect;
	struct asl_task_plan	 plan;
	int			 has_plan;
	struct asl_job		*job;
	double			 deadline;	/* monotonic; 0: none */
	struct asl_time		 wake;		/* F_TIMER */
	int			 timer_retry;	/* the timer ends a Retry delay */
	struct group		*kids;		/* F_CHILDREN */
	struct frame		*next_ready;
	struct frame		*next_queued;
	int			 quiet;		/* a distributed Map's child */
	/* tokens: callbacks, activities, heartbeats */
	long			 sched_id;	/* its Scheduled event */
	double			 heartbeat;	/* HeartbeatSeconds; 0: none */
	double			 hb_deadline;	/* monotonic; 0: none */
	double			 hb_seen;	/* the last heartbeat's time */
	int			 resumed;	/* its task was scheduled before */
	int			 act_started;	/* ActivityStarted written */
	double			 since;		/* resumed: seconds since scheduled */
};

struct group {
	struct frame		*owner;
	int			 is_map;
	int			 n;
	int			 started, running, done, failed;
	jv			 results;
	jv			 effect;
	struct asl_step_request	 req;		/* the Map's ENTER, for items */
	struct asl_map_items	*items;		/* made from req, once */
	int			 max_conc;
	int			 has_tc, has_tp;
	double			 tol_count, tol_pct;
	long			 map_last;	/* what MapIterationStarted follows */
	long			 last_done;	/* the last iteration event */
	long			 last_child;	/* the last event of a branch */
	jv			 error;		/* the failure, or null */
	int			 runtime;
	struct frame		**kids;		/* the children in progress */
	int			 nkids;
	int			 aborting;
	int			 distributed;	/* children are child executions */
	long			 map_run;	/* its MapRunStarted */
};

struct exec {
	const struct asl_store		*store;
	const struct asl_exec_options	*opts;
	struct asl_machine		*m;
	struct asl_history		 h;
	int				 events;	/* write every event */
	jv				 meta;
	jv				 ctx_execution;
	jv				 ctx_machine;
	struct asl_resources		*res;
	struct asl_rng			 rng;
	struct frame			*top;
	struct frame			*ready;
	struct frame			*queued, *queued_tail;
	struct frame			**waiting;	/* F_TASK, F_TIMER */
	int				 nwaiting, capwaiting;
	int				 jobs, running_jobs;
	jv				 invocations;	/* state name -> count */
	double				 exec_deadline;	/* monotonic */
	int				 timed_out;
	char				**envp;
	const char			*name;		/* the execution's */
	int				 express;
	int				 ntokens;	/* frames with a token out */
	double				 inbox_stamp;
	int				 stopped;	/* asl stop asked */
};

static volatile sig_atomic_t interrupted;

void
asl_exec_interrupt(int sig)
{
	interrupted = sig;
}

int
asl_exec_interrupted(void)
{
	return interrupted != 0 && interrupted != SIGUSR1;
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Events. */

static long
emit(struct exec *ex, long prev, const char *type, jv details)
{
	if (!ex->events) {
		jv_free(details);
		return ex->h.next_id++;
	}
	return asl_history_add(&ex->h, prev, type, details);
}

/*
 * Whether frame f's events go unrecorded: the iterations of a distributed
 * Map run as child executions with histories of their own, so their
 * events stay out of this one (*id: f->last), and an execution without a
 * history only counts ids (*id: the next one).
 */
static int
unrecorded(const struct frame *f, long *id)
{
	if (f->quiet)
		*id = f->last;
	else if (!f->ex->events)
		*id = f->ex->h.next_id++;
	else
		return 0;
	return 1;
}

/* An event of frame f. */
static long
femit(const struct frame *f, long prev, const char *type, jv details)
{
	long id;

	if (unrecorded(f, &id)) {
		jv_free(details);
		return id;
	}
	return asl_history_add(&f->ex->h, prev, type, details);
}

/* A Map iteration's event, of the Map state's frame f. */
static long
iteration_event(const struct frame *f, long prev, const char *type,
    int index)
{
	long id;

	if (unrecorded(f, &id))
		return id;
	return asl_history_add_iteration(&f->ex->h, prev, type, index,
	    asl_machine_state_name(f->state));
}

static jv
text(jv v)
{
	return asl_history_text(v);
}

static jv
not_truncated(void)
{
	return JV_OBJECT(ASL_LIT("truncated"), jv_false());
}

static const char *
entered_type(const struct asl_state *s)
{
	static const char *const t[] = { "PassStateEntered",
	    "TaskStateEntered", "ChoiceStateEntered", "WaitStateEntered",
	    "SucceedStateEntered", "FailStateEntered", "ParallelStateEntered",
	    "MapStateEntered" };
	return t[s->type];
}

static const char *
exited_type(const struct asl_state *s)
{
	static const char *const t[] = { "PassStateExited", "TaskStateExited",
	    "ChoiceStateExited", "WaitStateExited", "SucceedStateExited",
	    NULL, "ParallelStateExited", "MapStateExited" };
	return t[s->type];
}

static const char *
aborted_type(const struct asl_state *s)
{
	switch (s->type) {
	case ASL_TASK:
		return "TaskStateAborted";
	case ASL_WAIT:
		return "WaitStateAborted";
	case ASL_PARALLEL:
		return "ParallelStateAborted";
	case ASL_MAP:
		return "MapStateAborted";
	default:
		return NULL;
	}
}

/* Frames. */

static void
push_ready(struct exec *ex, struct frame *f)
{
	f->st = F_READY;
	f->next_ready = ex->ready;
	ex->ready = f;
}

static void
add_waiting(struct exec *ex, struct frame *f)
{
	struct frame **n;

	if (ex->nwaiting == ex->capwaiting) {
		ex->capwaiting = ex->capwaiting ? ex->capwaiting * 2 : 64;
		n = realloc(ex->waiting, (size_t)ex->capwaiting * sizeof *n);
		if (n == NULL)
			abort();
		ex->waiting = n;
	}
	ex->waiting[ex->nwaiting++] = f;
}

static void
remove_waiting(struct exec *ex, struct frame *f)
{
	int i;

	for (i = 0; i < ex->nwaiting; i++)
		if (ex->waiting[i] == f) {
			ex->waiting[i] = ex->waiting[--ex->nwaiting];
			return;
		}
}

static struct frame *
frame_new(struct exec *ex, const struct asl_state *state, jv input, jv vars,
    long last)
{
	struct frame *f = calloc(1, sizeof *f);

	if (f == NULL)
		abort();
	f->ex = ex;
	f->state = state;
	f->input = input;
	f->vars = vars;
	f->last = last;
	f->counts = jv_null();
	f->result = jv_null();
	f->error = jv_null();
	f->output = jv_null();
	f->token = jv_null();
	f->effect = jv_null();
	f->pc = PC_ENTER;
	return f;
}

static void group_free(struct group *);

static void
release_work(struct frame *f)
{
	if (f->job != NULL) {
		asl_task_job_kill(f->job, SIGKILL);
		asl_task_job_free(f->job);
		f->job = NULL;
		f->ex->running_jobs--;
	}
	if (f->has_plan) {
		asl_task_plan_release(&f->plan);
		f->has_plan = 0;
	}
	jv_free(f->effect);
	f->effect = jv_null();
	f->deadline = 0;
}

static void
frame_free(struct frame *f)
{
	if (f == NULL)
		return;
	release_work(f);
	if (f->kids != NULL)
		group_free(f->kids);
	jv_free(f->input);
	jv_free(f->vars);
	jv_free(f->counts);
	jv_free(f->result);
	jv_free(f->error);
	jv_free(f->output);
	jv_free(f->token);
	free(f);
}

/* The context object of the frame's current state. */
static jv
context(const struct frame *f)
{
	struct exec *ex = f->ex;
	jv state = JV_OBJECT(ASL_LIT("EnteredTime"),
	    jv_string(f->entered_time), ASL_LIT("Name"),
	    jv_copy(f->state->name));
	jv ctx = JV_OBJECT(ASL_LIT("Execution"), jv_copy(ex->ctx_execution),
	    ASL_LIT("State"), state, ASL_LIT("StateMachine"),
	    jv_copy(ex->ctx_machine));

	/* AWS shows RetryCount only where there can be retries [O] */
	if (f->state->type == ASL_TASK || f->state->type == ASL_PARALLEL ||
	    f->state->type == ASL_MAP)
		ctx = jv_object_set(ctx, ASL_LIT("State"), jv_object_set(
		    jv_object_get(jv_copy(ctx), ASL_LIT("State")),
		    ASL_LIT("RetryCount"), jv_number(f->retry_count)));
	if (jv_get_kind(f->token) == JV_KIND_STRING)
		ctx = jv_object_set(ctx, ASL_LIT("Task"), JV_OBJECT(
		    ASL_LIT("Token"), jv_copy(f->token)));
	return ctx;
}

static jv
frame_context(void *f)
{
	return context(f);
}

/* A request to step the frame's current state in phase. */
static void
frame_request(struct frame *f, struct asl_step_request *req,
    enum asl_step_phase phase)
{
	asl_step_request_init(req);
	req->state = f->state;
	req->input = f->input;
	req->vars = f->vars;
	req->payload_limit = ASL_PAYLOAD_LIMIT;
	req->rng = &f->ex->rng;
	req->lazy_items = 1;
	req->phase = phase;
	/* made only for a state that reads $$ */
	req->context_fn = frame_context;
	req->context_arg = f;
}

/* Whether a Task's resource hands out a task token. */
static int
wants_token(const struct asl_state *s)
{
	const char *r;

	if (s->type != ASL_TASK || jv_get_kind(s->resource) != JV_KIND_STRING)
		return 0;
	r = jv_string_value(s->resource);
	return strstr(r, ".waitForTaskToken") != NULL ||
	    strstr(r, ":activity:") != NULL || s->heartbeat != NULL ||
	    s->heartbeat_path != NULL;
}

static void frame_finished(struct frame *);
static void start_work(struct frame *, jv effect);
static void map_fill(struct group *);

/*
 * The frame now waits on the world.  A Map iteration that does lets the
 * next iteration start.
 */
static void
frame_blocked(struct frame *f)
{
	if (f->group != NULL && f->group->is_map)
		map_fill(f->group);
}

/* The frame fails with err (an error value, consumed). */
static void
frame_fail(struct frame *f, jv err, int runtime)
{
	jv_free(f->error);
	f->error = asl_error_object(err);
	f->runtime = runtime;
	f->st = F_FAILED;
	frame_finished(f);
}

static void
frame_done(struct frame *f, jv output)
{
	jv_free(f->output);
	f->output = output;
	f->st = F_DONE;
	frame_finished(f);
}

/* Run one step of the frame's state and act on what it says. */
static void
advance(struct frame *f)
{
	struct exec *ex = f->ex;
	struct asl_step_request req;
	struct asl_step_result res;
	const struct asl_state *s;

	for (;;) {
		s = f->state;
		if (f->pc == PC_FAIL) {
			frame_fail(f, jv_invalid_with_msg(jv_copy(f->error)), 1);
			return;
		}
		frame_request(f, &req, ASL_STEP_ENTER);
		req.input_judged = f->judged;
		switch (f->pc) {
		case PC_ENTER:
			asl_time_format(asl_time_now(), f->entered_time,
			    sizeof f->entered_time);
			f->retry_count = 0;
			jv_free(f->counts);
			f->counts = jv_null();
			jv_free(f->token);
			f->token = wants_token(s) ? asl_token_new() : jv_null();
			if (!unrecorded(f, &f->entered))
				f->entered = asl_history_add_state(&ex->h,
				    f->last, entered_type(s), asl_machine_state_name(s),
				    jv_copy(f->input), jv_null());
			f->last = f->entered;
			req.phase = ASL_STEP_ENTER;
			break;
		case PC_REENTER:
			req.phase = ASL_STEP_ENTER;
			break;
		case PC_COMPLETE:
			req.phase = ASL_STEP_COMPLETE;
			req.result = f->result;
			break;
		case PC_ERROR:
			req.phase = ASL_STEP_ERROR;
			req.error = f->error;
			req.counts = f->counts;
			break;
		case PC_FAIL:
			break;
		}
		req.entered_event_id = f->entered;
		asl_step(&req, &res);
		if (f->pc == PC_COMPLETE) {
			jv_free(f->result);
			f->result = jv_null();
		}
		if (jv_get_kind(res.evaluation) == JV_KIND_OBJECT) {
			/*
			 * A JSONata evaluation failed: AWS records it (with
			 * no predecessor), and a Map that fails on entering
			 * records MapStateFailed after it.
			 */
			f->last = femit(f, 0, "EvaluationFailed",
			    jv_copy(res.evaluation));
			if (s->type == ASL_MAP && f->pc != PC_ERROR &&
			    res.status != ASL_STATUS_RETRIABLE)
				f->last = femit(f, f->last, "MapStateFailed",
				    jv_null());
		}
		if (f->pc == PC_ERROR && (s->type == ASL_MAP ||
		    s->type == ASL_PARALLEL) && res.status != ASL_STATUS_RETRIABLE) {
			/* the Map or Parallel itself fails (then maybe caught) */
			f->last = femit(f, f->last, s->type == ASL_MAP ?
			    "MapStateFailed" : "ParallelStateFailed", jv_null());
		}
		switch (res.status) {
		case ASL_STATUS_SUCCEEDED:
		case ASL_STATUS_CAUGHT_ERROR:
			if (exited_type(s) != NULL && !unrecorded(f, &f->last))
				f->last = asl_history_add_state(&ex->h, f->last,
				    exited_type(s), asl_machine_state_name(s),
				    jv_copy(res.output), jv_copy(res.assigned));
			f->vars = asl_step_vars_merge(f->vars, jv_copy(res.assigned));
			jv_free(f->input);
			f->input = jv_copy(res.output);
			f->judged = 1;	/* asl_step measured it */
			jv_free(f->error);
			f->error = jv_null();
			if (res.next != NULL) {
				f->state = res.next;
				f->pc = PC_ENTER;
				asl_step_result_release(&res);
				continue;
			}
			if (jv_get_kind(res.next_name) == JV_KIND_STRING) {
				jv e = asl_error("States.Runtime", "the state '%s' "
				    "has no state '%s' to go to",
				    asl_machine_state_name(s), jv_string_value(res.next_name));
				asl_step_result_release(&res);
				frame_fail(f, e, 1);
				return;
			}
			frame_done(f, jv_copy(res.output));
			asl_step_result_release(&res);
			return;
		case ASL_STATUS_FAILED:
			frame_fail(f, jv_invalid_with_msg(jv_copy(res.error)),
			    res.runtime);
			asl_step_result_release(&res);
			return;
		case ASL_STATUS_RETRIABLE:
			/* wait out the delay, then do the work again */
			jv_free(f->counts);
			f->counts = jv_copy(res.counts);
			f->wake = asl_time_add(asl_time_now(), res.delay);
			f->timer_retry = 1;
			f->st = F_TIMER;
			add_waiting(ex, f);
			asl_step_result_release(&res);
			frame_blocked(f);
			return;
		case ASL_STATUS_PENDING:
			start_work(f, jv_copy(res.effect));
			asl_step_result_release(&res);
			if (f->st == F_READY && ex->ready == f) {
				/* the work finished at once (a mock, a failure) */
				ex->ready = f->next_ready;
				continue;
			}
			frame_blocked(f);
			return;
		}
	}
}

/* Tasks. */

static const char *
family_event(const struct frame *f, const char *what)
{
	static char buf[64];

	switch (f->plan.family) {
	case ASL_FAMILY_LAMBDA:
		snprintf(buf, sizeof buf, "LambdaFunction%s", what);
		break;
	case ASL_FAMILY_ACTIVITY:
		snprintf(buf, sizeof buf, "Activity%s", what);
		break;
	default:
		snprintf(buf, sizeof buf, "Task%s", what);
		break;
	}
	return buf;
}

/* The resourceType and resource members of Task* events. */
static jv
task_fields(const struct frame *f, jv d)
{
	if (f->plan.family != ASL_FAMILY_TASK)
		return d;
	d = jv_object_set(d, ASL_LIT("resourceType"),
	    jv_copy(f->plan.resource_type));
	return jv_object_set(d, ASL_LIT("resource"), jv_copy(f->plan.resource));
}

static void
emit_scheduled(struct frame *f)
{
	struct exec *ex = f->ex;
	jv params = jv_object_get(jv_copy(f->effect), ASL_LIT("parameters"));
	jv to = jv_object_get(jv_copy(f->effect), ASL_LIT("timeoutSeconds"));
	jv hb = jv_object_get(jv_copy(f->effect), ASL_LIT("heartbeatSeconds"));
	jv cred = jv_object_get(jv_copy(f->effect), ASL_LIT("credentials"));
	jv d;

	if (!ex->events) {
		jv_free(params);
		jv_free(to);
		jv_free(hb);
		jv_free(cred);
		f->last = femit(f, 0, NULL, jv_null());
		return;
	}
	switch (f->plan.family) {
	case ASL_FAMILY_LAMBDA:
		d = JV_OBJECT(ASL_LIT("resource"), jv_copy(f->plan.resource),
		    ASL_LIT("input"), text(params),
		    ASL_LIT("inputDetails"), not_truncated());
		break;
	case ASL_FAMILY_ACTIVITY:
		d = JV_OBJECT(ASL_LIT("resource"), jv_copy(f->plan.resource),
		    ASL_LIT("input"), text(params),
		    ASL_LIT("inputDetails"), not_truncated());
		break;
	default:
		d = task_fields(f, jv_object());
		d = jv_object_set(d, ASL_LIT("region"),
		    jv_string(asl_arn_region()));
		d = jv_object_set(d, ASL_LIT("parameters"), text(params));
		break;
	}
	if (jv_is_valid(to))
		d = jv_object_set(d, ASL_LIT("timeoutInSeconds"), to);
	else
		jv_free(to);
	if (jv_is_valid(hb) && f->plan.family != ASL_FAMILY_LAMBDA)
		d = jv_object_set(d, ASL_LIT("heartbeatInSeconds"), hb);
	else
		jv_free(hb);
	if (jv_get_kind(cred) == JV_KIND_OBJECT) {
		jv role = jv_object_get(cred, ASL_LIT("RoleArn"));
		d = jv_object_set(d, ASL_LIT("taskCredentials"), JV_OBJECT(
		    ASL_LIT("roleArn"), role));
	} else
		jv_free(cred);
	f->last = femit(f, f->last, family_event(f, "Scheduled"), d);
}

static void
emit_started(struct frame *f)
{
	jv d = jv_null();

	if (f->plan.family == ASL_FAMILY_TASK)
		d = task_fields(f, jv_object());
	f->last = femit(f, f->last, family_event(f, "Started"), d);
}

/* The frame's task token is out of use: no answer is taken any more. */
static void
close_token(struct frame *f, const char *how)
{
	struct exec *ex = f->ex;

	if (jv_get_kind(f->token) != JV_KIND_STRING || f->sched_id == 0)
		return;
	/* the outcome is on disk before its evidence goes */
	asl_history_commit(&ex->h);
	asl_token_close(ex->store, jv_string_value(f->token), how);
	asl_mailbox_clear(ex->store, ex->name, jv_string_value(f->token));
	f->sched_id = 0;
	ex->ntokens--;
}

/* A callback task's command has run: now its token's answer counts. */
static void
callback_wait(struct frame *f)
{
	struct exec *ex = f->ex;

	if (f->job != NULL) {
		asl_task_job_free(f->job);
		f->job = NULL;
		ex->running_jobs--;
	}
	f->st = F_CALLBACK;
	add_waiting(ex, f);
	ex->inbox_stamp = -1;	/* an answer may be there already */
}

/* The task is over: record how, and step the state on. */
static void
task_outcome(struct frame *f, jv outcome, int timed_out)
{
	struct exec *ex = f->ex;
	int from_job = f->st != F_CALLBACK;
	jv d;

	if (!timed_out && jv_is_valid(outcome) && from_job &&
	    f->plan.pattern == ASL_PATTERN_CALLBACK &&
	    f->plan.kind == ASL_TASK_COMMAND) {
		/* what the command returned is only the submission */
		f->last = femit(f, f->last, family_event(f, "Submitted"),
		    ex->events ? task_fields(f, JV_OBJECT(ASL_LIT("output"),
		    text(outcome), ASL_LIT("outputDetails"),
		    not_truncated())) : (jv_free(outcome), jv_null()));
		callback_wait(f);
		return;
	}
	if (timed_out) {
		jv_free(outcome);
		d = task_fields(f, JV_OBJECT(ASL_LIT("error"),
		    ASL_LIT("States.Timeout")));
		f->last = femit(f, f->last, family_event(f, "TimedOut"), d);
		/* no cause: a catcher's error output gets "" [O] */
		f->error = JV_OBJECT(ASL_LIT("Error"), ASL_LIT("States.Timeout"));
		f->pc = PC_ERROR;
		close_token(f, "timed-out");
	} else if (jv_is_valid(outcome)) {
		if (ex->events) {
			if (f->plan.pattern == ASL_PATTERN_CALLBACK && from_job)
				/* a mocked callback: submitted and answered */
				f->last = femit(f, f->last, family_event(f,
				    "Submitted"), task_fields(f, JV_OBJECT(
				    ASL_LIT("output"), text(jv_copy(outcome)),
				    ASL_LIT("outputDetails"), not_truncated())));
			d = task_fields(f, JV_OBJECT(ASL_LIT("output"),
			    text(jv_copy(outcome)), ASL_LIT("outputDetails"),
			    not_truncated()));
			f->last = femit(f, f->last, family_event(f, "Succeeded"), d);
		} else
			f->last = femit(f, 0, NULL, jv_null());
		jv_free(f->result);
		f->result = outcome;
		f->pc = PC_COMPLETE;
		close_token(f, "succeeded");
	} else {
		jv err = asl_error_object(outcome);
		d = task_fields(f, asl_history_error_details(jv_copy(err)));
		f->last = femit(f, f->last, family_event(f, "Failed"), d);
		jv_free(f->error);
		f->error = err;
		f->pc = PC_ERROR;
		close_token(f, "failed");
	}
	release_work(f);
	push_ready(ex, f);
}

static void
next_invocation(struct exec *ex, const struct asl_state *s, int *n)
{
	jv c = jv_object_get(jv_copy(ex->invocations), jv_copy(s->name));

	*n = jv_get_kind(c) == JV_KIND_NUMBER ? (int)jv_number_value(c) : 0;
	jv_free(c);
	ex->invocations = jv_object_set(ex->invocations, jv_copy(s->name),
	    jv_number(*n + 1));
}

static char **
task_env(struct frame *f)
{
	struct exec *ex = f->ex;
	extern char **environ;
	char **env, **e;
	int n = 0, k = 0;
	jv arn = jv_object_get(jv_copy(ex->meta), ASL_LIT("executionArn"));

	for (e = environ; *e != NULL; e++)
		n++;
	env = calloc((size_t)n + 8, sizeof *env);
	if (env == NULL)
		abort();
	for (e = environ; *e != NULL; e++)
		if (strncmp(*e, "ASL_EXECUTION_ARN=", 18) != 0 &&
		    strncmp(*e, "ASL_STATE_NAME=", 15) != 0 &&
		    strncmp(*e, "ASL_TASK_TOKEN=", 15) != 0 &&
		    strncmp(*e, "ASL_RETRY_COUNT=", 16) != 0 &&
		    strncmp(*e, "ASL_STORE=", 10) != 0)
			env[k++] = strdup(*e);
	if (asprintf(&env[k], "ASL_EXECUTION_ARN=%s", jv_string_value(arn))
	    != -1)
		k++;
	if (asprintf(&env[k], "ASL_STATE_NAME=%s", asl_machine_state_name(f->state))
	    != -1)
		k++;
	if (asprintf(&env[k], "ASL_RETRY_COUNT=%d", f->retry_count) != -1)
		k++;
	if (asprintf(&env[k], "ASL_STORE=%s", ex->store->root) != -1)
		k++;
	if (jv_get_kind(f->token) == JV_KIND_STRING &&
	    asprintf(&env[k], "ASL_TASK_TOKEN=%s", jv_string_value(f->token))
	    != -1)
		k++;
	env[k] = NULL;
	jv_free(arn);
	return env;
}

static void
free_env(char **env)
{
	char **e;

	for (e = env; *e != NULL; e++)
		free(*e);
	free(env);
}

/* Start a queued task's process, now that a job slot is free. */
static void
launch(struct frame *f)
{
	struct exec *ex = f->ex;
	char **env = task_env(f);
	jv err, to;

	emit_started(f);
	/*
	 * Output commit: the history says the task started before it does,
	 * so a crash can never make it start twice (Standard).
	 */
	if (asl_history_commit(&ex->h) == -1) {
		free_env(env);
		task_outcome(f, asl_error("States.Runtime", "cannot write the "
		    "history: %s", strerror(errno)), 0);
		return;
	}
	f->job = asl_task_job_start(&f->plan, env, &err);
	free_env(env);
	if (f->job == NULL) {
		task_outcome(f, jv_invalid_with_msg(err), 0);
		return;
	}
	ex->running_jobs++;
	to = jv_object_get(jv_copy(f->effect), ASL_LIT("timeoutSeconds"));
	f->deadline = jv_get_kind(to) == JV_KIND_NUMBER ? monotonic() +
	    jv_number_value(to) : 0;
	jv_free(to);
	if (f->heartbeat > 0)
		f->hb_deadline = monotonic() + f->heartbeat;
	f->st = F_TASK;
	add_waiting(ex, f);
}

/* Whether the activity task of token is queued or in a worker's hands. */
static int
activity_handed(struct frame *f, const char *act)
{
	struct exec *ex = f->ex;
	const char *tok = jv_string_value(f->token);
	jv v;
	int r;

	if (asl_activity_queued(ex->store, act, tok))
		return 1;
	v = asl_mailbox_started(ex->store, ex->name, tok);
	r = jv_get_kind(v) != JV_KIND_NULL;
	jv_free(v);
	if (!r) {
		v = asl_mailbox_result(ex->store, ex->name, tok);
		r = jv_get_kind(v) != JV_KIND_NULL;
		jv_free(v);
	}
	return r;
}

static void
start_task(struct frame *f)
{
	struct exec *ex = f->ex;
	jv res = jv_object_get(jv_copy(f->effect), ASL_LIT("resource"));
	jv params = jv_object_get(jv_copy(f->effect), ASL_LIT("parameters"));
	int n;

	const char *act = asl_arn_activity_name(jv_string_value(res));
	jv hb, r;

	if (act != NULL && !asl_activity_exists(ex->store, act)) {
		/* AWS fails the state before scheduling anything [O] */
		jv e = asl_error("States.Runtime", "An error occurred while "
		    "executing the state '%s' (entered at the event id #%ld). "
		    "The activity %s does not exist.", asl_machine_state_name(f->state),
		    f->entered, jv_string_value(res));
		jv_free(res);
		jv_free(params);
		release_work(f);
		jv_free(f->error);
		f->error = asl_error_object(e);
		f->pc = PC_FAIL;
		push_ready(ex, f);
		return;
	}

	next_invocation(ex, f->state, &n);
	asl_task_plan(ex->res, asl_machine_state_name(f->state), n, res, params,
	    &f->plan);
	f->has_plan = 1;
	hb = jv_object_get(jv_copy(f->effect), ASL_LIT("heartbeatSeconds"));
	f->heartbeat = jv_get_kind(hb) == JV_KIND_NUMBER ? jv_number_value(hb) :
	    0;
	jv_free(hb);
	if (!f->resumed) {
		emit_scheduled(f);
		f->sched_id = f->last;
		if (jv_get_kind(f->token) == JV_KIND_STRING) {
			/* the token is known before anyone can hold it */
			r = asl_token_register(ex->store, jv_string_value(f->token),
			    ex->name, f->sched_id, asl_machine_state_name(f->state),
			    act != NULL ? jv_string_value(f->plan.resource) : NULL);
			if (!jv_is_valid(r)) {
				f->sched_id = 0;
				task_outcome(f, r, 0);
				return;
			}
			jv_free(r);
			ex->ntokens++;
		}
	}
	if (f->resumed == RESUME_WAIT_ANSWER) {
		/* started before the driver stopped: its answer may come */
		jv to = jv_object_get(jv_copy(f->effect),
		    ASL_LIT("timeoutSeconds"));
		f->resumed = 0;
		/* its clocks kept running while no one drove it */
		if (jv_get_kind(to) == JV_KIND_NUMBER)
			f->deadline = monotonic() + jv_number_value(to) - f->since;
		jv_free(to);
		if (f->heartbeat > 0)
			f->hb_deadline = monotonic() + f->heartbeat - f->since;
		f->st = F_CALLBACK;
		add_waiting(ex, f);
		ex->inbox_stamp = -1;
		return;
	}
	if (f->resumed == RESUME_INTERRUPTED) {
		/* at most once: a task that may have run is not run again */
		f->resumed = 0;
		task_outcome(f, asl_error("Asl.TaskInterrupted", "The task was "
		    "started (event #%ld) but the driver stopped before it "
		    "ended; it may or may not have done its work, and a "
		    "STANDARD execution never starts a task twice.",
		    f->last), 0);
		return;
	}
	f->resumed = 0;
	switch (f->plan.kind) {
	case ASL_TASK_COMMAND:
		if (ex->running_jobs >= ex->jobs) {
			f->st = F_QUEUED;
			f->next_queued = NULL;
			if (ex->queued_tail != NULL)
				ex->queued_tail->next_queued = f;
			else
				ex->queued = f;
			ex->queued_tail = f;
			return;
		}
		launch(f);
		return;
	case ASL_TASK_MOCK:
		emit_started(f);
		if (jv_get_kind(f->plan.error) == JV_KIND_OBJECT)
			task_outcome(f, jv_invalid_with_msg(jv_copy(
			    f->plan.error)), 0);
		else
			task_outcome(f, jv_copy(f->plan.result), 0);
		return;
	case ASL_TASK_FAIL:
		emit_started(f);
		task_outcome(f, jv_invalid_with_msg(jv_copy(f->plan.error)), 0);
		return;
	case ASL_TASK_ACTIVITY:
		/* the history is on disk before a worker can take the task */
		if (asl_history_commit(&ex->h) == -1) {
			task_outcome(f, asl_error("States.Runtime", "cannot write "
			    "the history: %s", strerror(errno)), 0);
			return;
		}
		if (!activity_handed(f, act)) {
			r = asl_activity_enqueue(ex->store, act,
			    jv_string_value(f->token), jv_object_get(jv_copy(
			    f->effect), ASL_LIT("parameters")), ex->name);
			if (!jv_is_valid(r)) {
				task_outcome(f, r, 0);
				return;
			}
			jv_free(r);
		}
		{
			jv to = jv_object_get(jv_copy(f->effect),
			    ASL_LIT("timeoutSeconds"));
			if (jv_get_kind(to) == JV_KIND_NUMBER && f->deadline == 0)
				f->deadline = monotonic() + jv_number_value(to);
			jv_free(to);
		}
		f->st = F_CALLBACK;
		add_waiting(ex, f);
		ex->inbox_stamp = -1;
		return;
	default:
		emit_started(f);
		task_outcome(f, asl_error("States.Runtime", "this resource "
		    "cannot run here yet: %s", jv_string_value(f->state->resource)),
		    0);
		return;
	}
}

/* Map and Parallel: their children. */

static void
group_free(struct group *g)
{
	int i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nkids; i++)
		if (g->kids[i] != NULL)
			frame_free(g->kids[i]);
	free(g->kids);
	jv_free(g->results);
	jv_free(g->effect);
	jv_free(g->req.context);
	asl_step_map_items_free(g->items);
	jv_free(g->error);
	free(g);
}

static void
group_add_kid(struct group *g, struct frame *k)
{
	int i;

	for (i = 0; i < g->nkids; i++)
		if (g->kids[i] == NULL) {
			g->kids[i] = k;
			return;
		}
	g->kids = realloc(g->kids, (size_t)(g->nkids + 1) * sizeof *g->kids);
	if (g->kids == NULL)
		abort();
	g->kids[g->nkids++] = k;
}

static void
group_drop_kid(struct group *g, struct frame *k)
{
	int i;

	for (i = 0; i < g->nkids; i++)
		if (g->kids[i] == k)
			g->kids[i] = NULL;
}

/*
 * AWS runs at most 40 iterations of an inline Map at once when
 * MaxConcurrency leaves it open.
 */
#define MAP_DEFAULT_CONCURRENCY 40

/*
 * Start the next Map iteration, if the concurrency allows.  One at a time:
 * the engine starts another when this one finishes or blocks, so pure
 * iterations run one after the other (memory bounded by what runs) while
 * iterations that wait on the world overlap.
 */
static void
map_fill(struct group *g)
{
	struct frame *owner = g->owner, *k;
	struct exec *ex = owner->ex;
	int limit = g->max_conc > 0 ? g->max_conc : MAP_DEFAULT_CONCURRENCY;
	jv input;
	int i;

	if (g->started >= g->n || jv_get_kind(g->error) != JV_KIND_NULL ||
	    g->running >= limit || g->aborting)
		return;
	i = g->started++;
	input = g->items != NULL ? asl_step_map_items_get(g->items, i) :
	    asl_step_map_item(&g->req, jv_copy(g->effect), i);
	if (!jv_is_valid(input)) {
		/* an ItemSelector that fails fails the Map */
		jv_free(g->error);
		g->error = jv_invalid_get_msg(input);
		g->runtime = strcmp(asl_error_name(g->error),
		    "States.Runtime") == 0;
		return;
	}
	if (!g->distributed)
		g->map_last = iteration_event(owner, g->map_last,
		    "MapIterationStarted", i);
	/* a distributed Map's children cannot see the outer variables */
	k = frame_new(ex, owner->state->processor->start, input,
	    g->distributed ? jv_object() : jv_copy(owner->vars), g->map_last);
	k->quiet = owner->quiet || g->distributed;
	k->group = g;
	k->index = i;
	g->running++;
	group_add_kid(g, k);
	push_ready(ex, k);
}

static void group_settle(struct group *);

/* The group of f's children, from its effect, with nothing started. */
static struct group *
group_new(struct frame *f, int is_map)
{
	struct group *g = calloc(1, sizeof *g);
	jv v;
	int i;

	if (g == NULL)
		abort();
	g->owner = f;
	g->is_map = is_map;
	g->effect = jv_copy(f->effect);
	g->error = jv_null();
	f->kids = g;
	f->st = F_CHILDREN;
	if (!is_map) {
		g->n = f->state->nbranches;
		g->results = jv_array_sized(g->n);
		for (i = 0; i < g->n; i++)
			g->results = jv_array_append(g->results, jv_null());
		return g;
	}
	g->n = jv_array_length(jv_object_get(jv_copy(f->effect),
	    ASL_LIT("items")));
	v = jv_object_get(jv_copy(f->effect), ASL_LIT("maxConcurrency"));
	g->max_conc = jv_get_kind(v) == JV_KIND_NUMBER ?
	    (int)jv_number_value(v) : 0;
	jv_free(v);
	v = jv_object_get(jv_copy(f->effect),
	    ASL_LIT("toleratedFailureCount"));
	if ((g->has_tc = jv_get_kind(v) == JV_KIND_NUMBER))
		g->tol_count = jv_number_value(v);
	jv_free(v);
	v = jv_object_get(jv_copy(f->effect),
	    ASL_LIT("toleratedFailurePercentage"));
	if ((g->has_tp = jv_get_kind(v) == JV_KIND_NUMBER))
		g->tol_pct = jv_number_value(v);
	jv_free(v);
	g->results = jv_array_sized(g->n);
	for (i = 0; i < g->n; i++)
		g->results = jv_array_append(g->results, jv_null());
	asl_step_request_init(&g->req);
	g->req.state = f->state;
	g->req.input = f->input;
	g->req.vars = f->vars;
	g->req.context = context(f);
	g->items = asl_step_map_items(&g->req, g->effect);
	v = jv_object_get(jv_copy(f->effect), ASL_LIT("distributed"));
	g->distributed = jv_get_kind(v) == JV_KIND_TRUE;
	jv_free(v);
	return g;
}

static void
start_group(struct frame *f, int is_map)
{
	struct exec *ex = f->ex;
	struct group *g = group_new(f, is_map);
	jv v;
	int i;

	if (is_map) {
		f->last = femit(f, f->last, "MapStateStarted", ex->events ?
		    JV_OBJECT(ASL_LIT("length"), jv_number(g->n)) : jv_null());
		v = jv_object_get(jv_copy(f->effect), ASL_LIT("error"));
		if (jv_get_kind(v) == JV_KIND_OBJECT) {
			/* the Map started, then could not run (asl_step) */
			f->kids = NULL;
			group_free(g);
			jv_free(f->error);
			f->error = v;
			f->pc = PC_FAIL;
			push_ready(ex, f);
			return;
		}
		jv_free(v);
		if (g->distributed) {
			/* the iterations are a Map Run of child executions */
			jv arn = jv_object_get(jv_copy(ex->meta),
			    ASL_LIT("stateMachineName")), run = asl_arn_new_name();
			jv label = jv_object_get(jv_copy(f->state->def),
			    ASL_LIT("Label"));
			f->last = femit(f, f->last, "MapRunStarted", JV_OBJECT(
			    ASL_LIT("mapRunArn"), asl_arn_map_run(
			    jv_string_value(arn), jv_get_kind(label) ==
			    JV_KIND_STRING ? jv_string_value(label) :
			    asl_machine_state_name(f->state), jv_string_value(run))));
			jv_free(arn);
			jv_free(run);
			jv_free(label);
			g->map_run = f->last;
		}
		g->map_last = f->last;
		g->last_done = f->last;
		if (g->n == 0) {
			group_settle(g);
			return;
		}
		map_fill(g);
		if (g->running == 0)
			group_settle(g);	/* the first ItemSelector failed */
		return;
	}
	f->last = femit(f, f->last, "ParallelStateStarted", jv_null());
	g->last_child = f->last;
	v = jv_object_get(jv_copy(f->effect), ASL_LIT("input"));
	/* every branch gets the input; run them in reverse onto the stack so
	 * that branch 0 runs first */
	for (i = g->n - 1; i >= 0; i--) {
		struct frame *k = frame_new(ex, f->state->branches[i]->start,
		    jv_copy(v), jv_copy(f->vars), f->last);
		k->group = g;
		k->index = i;
		g->running++;
		g->started++;
		group_add_kid(g, k);
		push_ready(ex, k);
	}
	jv_free(v);
}

/* Abort a frame's work and everything under it. */
static void
abort_frame(struct frame *k)
{
	struct exec *ex = k->ex;
	const char *t;
	int i;

	if (k->st == F_DONE || k->st == F_FAILED)
		return;
	if (k->st == F_CHILDREN && k->kids != NULL) {
		k->kids->aborting = 1;
		for (i = 0; i < k->kids->nkids; i++)
			if (k->kids->kids[i] != NULL)
				abort_frame(k->kids->kids[i]);
	}
	if (k->st == F_QUEUED) {
		struct frame **pp;
		for (pp = &ex->queued; *pp != NULL; pp = &(*pp)->next_queued)
			if (*pp == k) {
				*pp = k->next_queued;
				break;
			}
		ex->queued_tail = NULL;
		for (struct frame *q = ex->queued; q != NULL; q = q->next_queued)
			ex->queued_tail = q;
	}
	if (k->st == F_TASK || k->st == F_TIMER || k->st == F_CALLBACK)
		remove_waiting(ex, k);
	if (k->st == F_READY) {
		struct frame **pp;
		for (pp = &ex->ready; *pp != NULL; pp = &(*pp)->next_ready)
			if (*pp == k) {
				*pp = k->next_ready;
				break;
			}
	}
	release_work(k);
	close_token(k, "aborted");
	if ((t = aborted_type(k->state)) != NULL && k->entered > 0 &&
	    (k->st == F_TASK || k->st == F_QUEUED || k->st == F_TIMER ||
	    k->st == F_CHILDREN || k->st == F_CALLBACK))
		k->last = femit(k, k->last, t, jv_null());
	k->st = F_FAILED;
}

/* What a finished child means for its group. */
static void
child_finished(struct frame *k)
{
	struct group *g = k->group;
	struct frame *owner = g->owner;
	int i, exceeded;

	g->running--;
	group_drop_kid(g, k);
	if (g->aborting) {
		frame_free(k);
		return;
	}
	if (k->st == F_DONE) {
		g->results = jv_array_set(g->results, k->index, jv_copy(k->output));
		g->done++;
		if (g->is_map && !g->distributed) {
			g->last_done = iteration_event(owner, k->last,
			    "MapIterationSucceeded", k->index);
			g->map_last = k->last;
		} else if (!g->is_map)
			g->last_child = k->last;
	} else {
		g->failed++;
		if (g->is_map) {
			if (!g->distributed) {
				iteration_event(owner, k->last,
				    "MapIterationFailed", k->index);
				g->map_last = k->last;
			}
			/* tolerated failures (distributed mode's fields) */
			exceeded = !(g->has_tc || g->has_tp) || k->runtime ||
			    ((!g->has_tc || g->failed > g->tol_count) &&
			    (!g->has_tp || g->tol_pct < 100) &&
			    (!g->has_tp || g->failed * 100.0 / g->n > g->tol_pct));
			if (!exceeded) {
				g->results = jv_array_set(g->results, k->index,
				    jv_copy(k->error));
				g->done++;
			} else {
				jv_free(g->error);
				g->error = (g->has_tc || g->has_tp) && !k->runtime ?
				    JV_OBJECT(ASL_LIT("Error"), jv_string(
				    "States.ExceedToleratedFailureThreshold"),
				    ASL_LIT("Cause"), jv_string("The specified "
				    "tolerated failure threshold was exceeded")) :
				    jv_copy(k->error);
				g->runtime = k->runtime;
			}
		} else {
			g->last_child = k->last;
			jv_free(g->error);
			g->error = jv_copy(k->error);
			g->runtime = k->runtime;
		}
		if (jv_get_kind(g->error) != JV_KIND_NULL) {
			/* the first failure stops the rest */
			owner->last = g->distributed ? g->map_run : k->last;
			g->aborting = 1;
			for (i = 0; i < g->nkids; i++)
				if (g->kids[i] != NULL) {
					struct frame *o = g->kids[i];
					abort_frame(o);
					if (g->is_map && !g->distributed)
						iteration_event(owner, o->last,
						    "MapIterationAborted", o->index);
					frame_free(o);
					g->kids[i] = NULL;
					g->running--;
				}
			g->aborting = 0;
		}
	}
	frame_free(k);
	if (g->is_map && jv_get_kind(g->error) == JV_KIND_NULL)
		map_fill(g);
	if (g->running == 0 && (jv_get_kind(g->error) != JV_KIND_NULL ||
	    g->done + g->failed >= g->n || (g->is_map && g->started >= g->n)))
		group_settle(g);
}

/* Every child has finished (or one failed): step the owner on. */
static void
group_settle(struct group *g)
{
	struct frame *f = g->owner;
	struct exec *ex = f->ex;

	f->kids = NULL;
	if (g->distributed) {
		/* the Map Run ends before the Map state does */
		if (jv_get_kind(g->error) != JV_KIND_NULL)
			f->last = femit(f, g->map_run, "MapRunFailed",
			    asl_history_error_details(jv_copy(g->error)));
		else
			f->last = femit(f, g->map_run, "MapRunSucceeded", jv_null());
		g->last_done = f->last;
	}
	if (jv_get_kind(g->error) != JV_KIND_NULL) {
		if (g->runtime) {
			jv e = jv_invalid_with_msg(g->error);
			g->error = jv_null();
			group_free(g);
			frame_fail(f, e, 1);
			return;
		}
		jv_free(f->error);
		f->error = g->error;
		g->error = jv_null();
		f->pc = PC_ERROR;
	} else {
		long prev = g->is_map ? g->last_done : g->last_child;
		femit(f, prev, g->is_map ? "MapStateSucceeded" :
		    "ParallelStateSucceeded", jv_null());
		/* the Exited event follows what the wrap-up followed [O] */
		f->last = prev;
		jv_free(f->result);
		f->result = jv_copy(g->results);
		f->pc = PC_COMPLETE;
	}
	group_free(g);
	release_work(f);
	push_ready(ex, f);
}

/* The world's part of a PENDING state. */
static void
start_work(struct frame *f, jv effect)
{
	struct exec *ex = f->ex;
	jv type = jv_object_get(jv_copy(effect), ASL_LIT("type")), until;
	const char *t = jv_string_value(type);

	jv_free(f->effect);
	f->effect = effect;
	if (strcmp(t, "task") == 0)
		start_task(f);
	else if (strcmp(t, "wait") == 0) {
		until = jv_object_get(jv_copy(effect), ASL_LIT("until"));
		if (asl_time_parse(jv_string_value(until), &f->wake) == -1)
			f->wake = asl_time_now();
		jv_free(until);
		f->timer_retry = 0;
		f->st = F_TIMER;
		add_waiting(ex, f);
	} else if (strcmp(t, "parallel") == 0)
		start_group(f, 0);
	else if (strcmp(t, "map") == 0)
		start_group(f, 1);
	else {
		jv_free(f->error);
		f->error = JV_OBJECT(ASL_LIT("Error"),
		    ASL_LIT("States.ItemReaderFailed"), ASL_LIT("Cause"),
		    jv_string("an ItemReader cannot read here: give the items "
		    "to the Map through its input"));
		f->pc = PC_ERROR;
		push_ready(ex, f);
	}
	jv_free(type);
}

/* A frame has finished, well or badly. */
static void
frame_finished(struct frame *f)
{
	struct exec *ex = f->ex;

	if (f->group != NULL) {
		child_finished(f);
		return;
	}
	(void)ex;
	/* the top frame: the execution's outcome is decided by the caller */
}

/* Timers and the loop. */

static void
fire_timer(struct frame *f)
{
	struct exec *ex = f->ex;

	remove_waiting(ex, f);
	if (f->timer_retry) {
		f->retry_count++;
		f->pc = PC_REENTER;
	} else {
		jv_free(f->result);
		f->result = jv_null();
		f->pc = PC_COMPLETE;
	}
	release_work(f);
	push_ready(ex, f);
}

static void
run_ready(struct exec *ex)
{
	struct frame *f;

	while ((f = ex->ready) != NULL) {
		ex->ready = f->next_ready;
		advance(f);
		if (ex->top->st == F_DONE || ex->top->st == F_FAILED)
			return;
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
		launch(f);
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
				f->last = femit(f, f->last, "ActivityStarted", v);
				/* the heartbeat clock starts with the worker */
				if (f->heartbeat > 0)
					f->hb_deadline = monotonic() + f->heartbeat;
			} else
				jv_free(v);
		}
		hb = asl_mailbox_heartbeat(ex->store, ex->name, tok);
		if (hb > f->hb_seen) {
			f->hb_seen = hb;
			if (f->heartbeat > 0)
				f->hb_deadline = monotonic() + f->heartbeat -
				    (wall_now() - hb);
		}
		if (f->st != F_CALLBACK)
			continue;
		v = asl_mailbox_result(ex->store, ex->name, tok);
		if (jv_get_kind(v) != JV_KIND_OBJECT) {
			jv_free(v);
			continue;
		}
		remove_waiting(ex, f);
		if (jv_object_has(jv_copy(v), ASL_LIT("output")))
			task_outcome(f, jv_object_get(v, ASL_LIT("output")), 0);
		else {
			jv e = jv_object_get(jv_copy(v), ASL_LIT("error"));
			jv c = jv_object_get(v, ASL_LIT("cause"));
			task_outcome(f, jv_invalid_with_msg(JV_OBJECT(
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
	double now_m = monotonic(), ms = -1, d;
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
		while (k-- > 0)
			owner[n++] = i;
	}
	if (n > 0 || ms != 0) {
		r = poll(fds, (nfds_t)n, ms < 0 ? -1 : ms > 2e9 ? 2000000000 :
		    (int)ceil(ms));
		if (r == -1 && errno == EINTR && interrupted) {
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
	now_m = monotonic();
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
			remove_waiting(ex, f);
			task_outcome(f, out, 0);
		} else if (overdue(f, now_m)) {
			/* TimeoutSeconds: the whole process group goes */
			asl_task_job_kill(f->job, SIGKILL);
			remove_waiting(ex, f);
			task_outcome(f, jv_null(), 1);
		}
	}
	free(fds);
	free(owner);
	check_inbox(ex);
	/* callbacks past their time or their heartbeat */
	now_m = monotonic();
	for (i = ex->nwaiting - 1; i >= 0; i--) {
		struct frame *f = ex->waiting[i];
		if (f->st == F_CALLBACK && overdue(f, now_m)) {
			remove_waiting(ex, f);
			task_outcome(f, jv_null(), 1);
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
	if (ex->exec_deadline > 0 && monotonic() >= ex->exec_deadline)
		ex->timed_out = 1;
	return 0;
}

/* Kill every task process, as an interruption does. */
static void
abort_tasks(struct exec *ex)
{
	int i;

	for (i = 0; i < ex->nwaiting; i++)
		if (ex->waiting[i]->st == F_TASK && ex->waiting[i]->job != NULL)
			asl_task_job_kill(ex->waiting[i]->job, SIGKILL);
}

/*
 * Resuming: the engine's frames rebuilt from the fold of the history
 * (asl_fold.h).  Each frame continues from where its events leave it:
 * pure steps are simply taken again, a task that was scheduled but never
 * started is started, one that started waits for its token's answer or,
 * with no token to answer it, fails at most once (Standard) or runs again
 * (Express), timers are recomputed from their state's entry time.
 */

static jv
fj_get(jv fj, const char *key)
{
	return jv_object_get(jv_copy(fj), jv_string(key));
}

static long
fj_long(jv fj, const char *key)
{
	jv v = fj_get(fj, key);
	long n = jv_get_kind(v) == JV_KIND_NUMBER ? (long)jv_number_value(v) : 0;

	jv_free(v);
	return n;
}

/* The retriers' counters after the failures but the last (pure). */
static void
replay_counts(struct frame *f, jv failures)
{
	struct asl_step_request req;
	struct asl_step_result res;
	int i, n = jv_array_length(jv_copy(failures));

	for (i = 0; i + 1 < n; i++) {
		frame_request(f, &req, ASL_STEP_ERROR);
		req.error = jv_array_get(jv_copy(failures), i);
		req.counts = f->counts;
		asl_step(&req, &res);
		jv_free(req.error);
		if (res.status == ASL_STATUS_RETRIABLE) {
			jv_free(f->counts);
			f->counts = jv_copy(res.counts);
		}
		asl_step_result_release(&res);
	}
	jv_free(failures);
}

/* Where a Choice went: its rules again, on its input (pure). */
static const struct asl_state *
choice_next(struct frame *f, int *ok)
{
	struct asl_step_request req;
	struct asl_step_result res;
	const struct asl_state *next;

	frame_request(f, &req, ASL_STEP_ENTER);
	asl_step(&req, &res);
	*ok = res.status == ASL_STATUS_SUCCEEDED;
	next = res.next;
	asl_step_result_release(&res);
	return next;
}

static void restore_group(struct frame *, jv frames, jv fj);

/*
 * Set frame f (its state, input and variables in place) going from the
 * fold's frame fj, as of phase.
 */
static void
restore_phase(struct frame *f, jv frames, jv fj, int redrive)
{
	struct exec *ex = f->ex;
	jv phasev = fj_get(fj, "phase"), task = fj_get(fj, "task"), t;
	const char *phase = jv_string_value(phasev);
	int callback, ok;

	f->entered = fj_long(fj, "enteredEventId");
	f->last = fj_long(fj, "lastEventId");
	f->retry_count = (int)fj_long(fj, "retryCount");
	t = fj_get(fj, "enteredTime");
	if (jv_get_kind(t) == JV_KIND_STRING)
		snprintf(f->entered_time, sizeof f->entered_time, "%s",
		    jv_string_value(t));
	jv_free(t);
	if (redrive && (strcmp(phase, "failed") == 0 || strcmp(phase,
	    "aborted") == 0 || strcmp(phase, "children-failed") == 0 ||
	    strcmp(phase, "failed-task") == 0 || strcmp(phase, "started") == 0 ||
	    strcmp(phase, "submitted") == 0 || strcmp(phase, "scheduled") == 0 ||
	    strcmp(phase, "children") == 0 || strcmp(phase, "entered") == 0)) {
		/* a redrive enters the unfinished state afresh */
		f->pc = PC_ENTER;
		push_ready(ex, f);
		goto out;
	}
	if (strcmp(phase, "entered") == 0) {
		f->token = wants_token(f->state) ? asl_token_new() : jv_null();
		f->pc = PC_REENTER;
		push_ready(ex, f);
	} else if (strcmp(phase, "scheduled") == 0 ||
	    strcmp(phase, "started") == 0 || strcmp(phase, "submitted") == 0) {
		f->sched_id = fj_long(task, "scheduledEventId");
		t = fj_get(task, "time");
		{
			struct asl_time when;
			if (jv_get_kind(t) == JV_KIND_STRING &&
			    asl_time_parse(jv_string_value(t), &when) == 0)
				f->since = asl_time_diff(when, asl_time_now());
		}
		jv_free(t);
		jv_free(f->token);
		f->token = asl_token_of(ex->store, ex->name, f->sched_id);
		if (jv_get_kind(f->token) == JV_KIND_STRING)
			ex->ntokens++;
		else
			f->sched_id = 0;
		t = fj_get(task, "event");
		callback = jv_get_kind(f->token) == JV_KIND_STRING &&
		    (strstr(jv_string_value(f->state->resource),
		    ".waitForTaskToken") != NULL || (jv_get_kind(t) ==
		    JV_KIND_STRING && strncmp(jv_string_value(t), "Activity",
		    8) == 0));
		f->act_started = jv_get_kind(t) == JV_KIND_STRING &&
		    strncmp(jv_string_value(t), "Activity", 8) == 0 &&
		    strcmp(phase, "started") == 0;
		jv_free(t);
		if (strcmp(phase, "scheduled") == 0)
			f->resumed = RESUME_SCHEDULED;
		else if (callback)
			f->resumed = RESUME_WAIT_ANSWER;
		else if (ex->express)
			f->resumed = RESUME_SCHEDULED;	/* at least once */
		else
			f->resumed = RESUME_INTERRUPTED;
		f->pc = PC_REENTER;
		push_ready(ex, f);
	} else if (strcmp(phase, "task-succeeded") == 0) {
		jv_free(f->result);
		f->result = fj_get(task, "result");
		f->pc = PC_COMPLETE;
		push_ready(ex, f);
	} else if (strcmp(phase, "failed-task") == 0) {
		jv failures = fj_get(fj, "failures");
		int n = jv_array_length(jv_copy(failures));
		jv_free(f->error);
		f->error = jv_array_get(jv_copy(failures), n - 1);
		replay_counts(f, failures);
		f->pc = PC_ERROR;
		push_ready(ex, f);
	} else if (strcmp(phase, "children") == 0) {
		restore_group(f, frames, fj);
	} else if (strcmp(phase, "children-succeeded") == 0) {
		jv ch = fj_get(fj, "children"), res = fj_get(ch, "results");
		int i, n = (int)fj_long(ch, "length");
		char idx[24];
		jv_free(f->result);
		f->result = jv_array();
		for (i = 0; i < n; i++) {
			snprintf(idx, sizeof idx, "%d", i);
			t = jv_object_get(jv_copy(res), jv_string(idx));
			f->result = jv_array_append(f->result, jv_is_valid(t) ? t :
			    (jv_free(t), jv_null()));
		}
		jv_free(res);
		jv_free(ch);
		f->pc = PC_COMPLETE;
		push_ready(ex, f);
	} else if (strcmp(phase, "exited") == 0) {
		const struct asl_state *next = f->state->next;
		jv out = fj_get(fj, "output");
		ok = 1;
		if (f->state->type == ASL_CHOICE)
			next = choice_next(f, &ok);
		jv_free(f->input);
		f->input = out;
		if (!ok)
			frame_fail(f, asl_error("States.Runtime", "cannot tell "
			    "where the Choice state '%s' went",
			    asl_machine_state_name(f->state)), 1);
		else if (next != NULL) {
			f->state = next;
			f->pc = PC_ENTER;
			push_ready(ex, f);
		} else
			frame_done(f, jv_copy(f->input));
	} else {
		/* children-failed, or a history this engine did not write */
		f->error = JV_OBJECT(ASL_LIT("Error"), jv_string(
		    "States.Runtime"), ASL_LIT("Cause"), jv_string_fmt(
		    "the execution cannot resume the state '%s' from its "
		    "history (%s)", asl_machine_state_name(f->state), phase));
		f->pc = PC_FAIL;
		push_ready(ex, f);
	}
out:
	jv_free(phasev);
	jv_free(task);
}

/* A frame of the fold as a frame of the engine (a child of g, or top). */
static struct frame *
restore_frame(struct exec *ex, const struct asl_state *start, jv frames,
    jv fj, int redrive, struct group *g, int index)
{
	jv name = fj_get(fj, "state");
	const struct asl_state *s = jv_get_kind(name) == JV_KIND_STRING ?
	    asl_machine_state(ex->m, jv_string_value(name)) : NULL;
	struct frame *f;

	jv_free(name);
	f = frame_new(ex, s != NULL ? s : start, fj_get(fj, "input"),
	    fj_get(fj, "variables"), fj_long(fj, "lastEventId"));
	if (g != NULL) {
		f->group = g;
		f->index = index;
		f->quiet = g->owner->quiet || g->distributed;
		g->running++;
		group_add_kid(g, f);
	}
	if (s == NULL) {
		/* nothing happened in it yet */
		push_ready(ex, f);
		return f;
	}
	restore_phase(f, frames, fj, redrive);
	return f;
}

/* A Map or Parallel in the middle of its children. */
static void
restore_group(struct frame *f, jv frames, jv fj)
{
	struct exec *ex = f->ex;
	struct asl_step_request req;
	struct asl_step_result res;
	struct group *g;
	jv ch = fj_get(fj, "children"), list, results, branch_input;
	long me = fj_long(fj, "frame");
	int is_map = f->state->type == ASL_MAP, i, n, *seen;
	char idx[24];

	/* the effect again (pure): items, their selector, concurrency */
	frame_request(f, &req, ASL_STEP_ENTER);
	asl_step(&req, &res);
	if (res.status != ASL_STATUS_PENDING) {
		asl_step_result_release(&res);
		jv_free(ch);
		f->error = JV_OBJECT(ASL_LIT("Error"), jv_string(
		    "States.Runtime"), ASL_LIT("Cause"), jv_string_fmt(
		    "the state '%s' does not start as its history says",
		    asl_machine_state_name(f->state)));
		f->pc = PC_FAIL;
		push_ready(ex, f);
		return;
	}
	jv_free(f->effect);
	f->effect = jv_copy(res.effect);
	asl_step_result_release(&res);
	g = group_new(f, is_map);
	g->map_last = g->last_done = g->last_child = f->last;
	seen = calloc((size_t)g->n + 1, sizeof *seen);
	if (seen == NULL)
		abort();
	results = fj_get(ch, "results");
	list = fj_get(ch, "succeeded");
	n = jv_array_length(jv_copy(list));
	for (i = 0; i < n; i++) {
		int k = (int)jv_number_value(jv_array_get(jv_copy(list), i));
		if (k < 0 || k >= g->n)
			continue;
		snprintf(idx, sizeof idx, "%d", k);
		g->results = jv_array_set(g->results, k, jv_object_get(
		    jv_copy(results), jv_string(idx)));
		g->done++;
		seen[k] = 1;
		if (k + 1 > g->started)
			g->started = k + 1;
	}
	jv_free(list);
	list = fj_get(ch, "failed");
	n = jv_array_length(jv_copy(list));
	for (i = 0; i < n; i++) {
		int k = (int)jv_number_value(jv_array_get(jv_copy(list), i));
		if (k < 0 || k >= g->n)
			continue;
		/* tolerated, or the Map would have failed: as child_finished */
		g->failed++;
		g->done++;
		seen[k] = 1;
		if (k + 1 > g->started)
			g->started = k + 1;
	}
	jv_free(list);
	jv_free(results);
	jv_free(ch);
	/* the children in progress */
	n = jv_array_length(jv_copy(frames));
	for (i = 0; i < n; i++) {
		jv kj = jv_array_get(jv_copy(frames), i);
		jv parent = fj_get(kj, "parent"), kst = fj_get(kj, "state");
		jv kph = fj_get(kj, "phase");
		int index, mine = jv_get_kind(parent) == JV_KIND_NUMBER &&
		    (long)jv_number_value(parent) == me;
		int done = strcmp(jv_string_value(kph), "done") == 0;
		int fresh = jv_get_kind(kst) == JV_KIND_NULL;

		jv_free(parent);
		jv_free(kst);
		jv_free(kph);
		index = (int)fj_long(kj, "index");
		if (!mine || index < 0 || index >= g->n || seen[index]) {
			jv_free(kj);
			continue;
		}
		seen[index] = 1;
		if (index + 1 > g->started)
			g->started = index + 1;
		if (done) {
			/* it ended; its group had not heard yet */
			g->results = jv_array_set(g->results, index,
			    fj_get(kj, "output"));
			g->done++;
			jv_free(kj);
			continue;
		}
		if (fresh) {
			/* an iteration or branch that entered nothing yet */
			jv in = is_map ? asl_step_map_item(&g->req,
			    jv_copy(g->effect), index) : jv_object_get(
			    jv_copy(g->effect), ASL_LIT("input"));
			kj = jv_object_set(kj, ASL_LIT("input"), in);
			kj = jv_object_set(kj, ASL_LIT("variables"),
			    jv_copy(f->vars));
		}
		restore_frame(ex, is_map ? f->state->processor->start :
		    f->state->branches[index]->start, frames, kj, 0, g, index);
		jv_free(kj);
	}
	if (!is_map) {
		/* branches that had not entered their first state */
		branch_input = jv_object_get(jv_copy(g->effect),
		    ASL_LIT("input"));
		for (i = g->n - 1; i >= 0; i--) {
			struct frame *k;
			if (seen[i])
				continue;
			k = frame_new(ex, f->state->branches[i]->start,
			    jv_copy(branch_input), jv_copy(f->vars), f->last);
			k->group = g;
			k->index = i;
			g->running++;
			group_add_kid(g, k);
			push_ready(ex, k);
		}
		jv_free(branch_input);
		g->started = g->n;
	}
	free(seen);
	if (is_map)
		map_fill(g);
	if (g->running == 0 && (jv_get_kind(g->error) != JV_KIND_NULL ||
	    g->done + g->failed >= g->n || (is_map && g->started >= g->n)))
		group_settle(g);
}

/*
 * Rebuild the frames of a running execution from its events (consumed).
 * redrive: the unfinished state starts afresh.
 */
static int
restore(struct exec *ex, jv events, int redrive, jv *err)
{
	jv fold = asl_fold(events, ex->m), frames, top, name;

	if (!jv_is_valid(fold)) {
		jv msg = jv_invalid_get_msg(fold);
		*err = asl_error("States.Runtime", "the history does not hang "
		    "together: %s", jv_get_kind(msg) == JV_KIND_STRING ?
		    jv_string_value(msg) : "?");
		jv_free(msg);
		return -1;
	}
	frames = jv_object_get(fold, ASL_LIT("frames"));
	top = jv_array_get(jv_copy(frames), 0);
	name = fj_get(top, "state");
	if (jv_get_kind(name) == JV_KIND_NULL) {
		jv_free(top);
		jv_free(frames);
		return 0;	/* nothing entered: start from the start */
	}
	jv_free(name);
	ex->top = restore_frame(ex, ex->m->top->start, frames, top, redrive,
	    NULL, 0);
	jv_free(top);
	jv_free(frames);
	return 1;
}

/* Loading and finishing. */

static jv
load_json(const struct asl_store *st, const char *name, const char *file)
{
	char *path = asl_store_path(st, "executions/%s/%s", name, file);
	jv v = path != NULL ? asl_doc_read(path, ASL_FORMAT_JSON, 0, NULL) :
	    asl_error("States.Runtime", "out of memory");

	free(path);
	return v;
}

void
asl_exec_options_init(struct asl_exec_options *o)
{
	memset(o, 0, sizeof *o);
	o->resources = jv_null();
	o->mock = jv_null();
	o->definition = jv_invalid();
	o->execution = jv_invalid();
}

jv
asl_exec_start(const struct asl_store *st, jv definition, jv input,
    const struct asl_exec_options *o)
{
	char now[ASL_TIME_BUFSIZE];
	jv name = o->name != NULL ? jv_string(o->name) : asl_arn_new_name();
	const char *sm = o->state_machine != NULL ? o->state_machine : "asl";
	jv meta, started, ev, ok;

	ok = asl_arn_name_check(jv_string_value(name));
	if (!jv_is_valid(ok)) {
		jv_free(name);
		jv_free(definition);
		jv_free(input);
		return ok;
	}
	asl_time_format(asl_time_now(), now, sizeof now);
	meta = JV_OBJECT(ASL_LIT("name"), jv_copy(name),
	    ASL_LIT("executionArn"), asl_arn_execution(sm,
	    jv_string_value(name), o->express),
	    ASL_LIT("stateMachineName"), jv_string(sm),
	    ASL_LIT("stateMachineArn"), asl_arn_state_machine(sm),
	    ASL_LIT("type"), jv_string(o->express ? "EXPRESS" : "STANDARD"),
	    ASL_LIT("input"), jv_copy(input),
	    ASL_LIT("startDate"), jv_string(now));
	meta = jv_object_set(meta, ASL_LIT("roleArn"), asl_arn_role());
	meta = jv_object_set(meta, ASL_LIT("region"), jv_string(asl_arn_region()));
	meta = jv_object_set(meta, ASL_LIT("account"),
	    jv_string(asl_arn_account()));
	meta = jv_object_set(meta, ASL_LIT("options"), JV_OBJECT(
	    ASL_LIT("history"), jv_bool(!o->express || o->history),
	    ASL_LIT("resources"), jv_copy(o->resources),
	    ASL_LIT("mock"), jv_copy(o->mock),
	    ASL_LIT("testCase"), o->test_case != NULL ?
	    jv_string(o->test_case) : jv_null(),
	    ASL_LIT("path"), o->path != NULL ? jv_string(o->path) : jv_null()));
	started = JV_OBJECT(ASL_LIT("input"), text(input),
	    ASL_LIT("inputDetails"), not_truncated(),
	    ASL_LIT("roleArn"), asl_arn_role());
	ev = JV_OBJECT(ASL_LIT("timestamp"), jv_string(now),
	    ASL_LIT("type"), ASL_LIT("ExecutionStarted"),
	    ASL_LIT("id"), jv_number(1), ASL_LIT("previousEventId"),
	    jv_number(0), ASL_LIT("executionStartedEventDetails"), started);
	jv_free(name);
	return asl_store_create_execution(st, meta, definition, JV_ARRAY(ev));
}

static jv
outcome_json(const char *status, jv output, jv error)
{
	jv r = JV_OBJECT(ASL_LIT("status"), jv_string(status));

	r = jv_object_set(r, ASL_LIT("output"), output);
	if (jv_get_kind(error) == JV_KIND_OBJECT) {
		jv e = jv_object_get(jv_copy(error), ASL_LIT("Error"));
		jv c = jv_object_get(jv_copy(error), ASL_LIT("Cause"));
		r = jv_object_set(r, ASL_LIT("error"), jv_is_valid(e) ? e :
		    (jv_free(e), jv_null()));
		r = jv_object_set(r, ASL_LIT("cause"), jv_is_valid(c) ? c :
		    (jv_free(c), jv_null()));
	}
	jv_free(error);
	return r;
}

static void
exec_release(struct exec *ex)
{
	frame_free(ex->top);
	asl_history_release(&ex->h);
	asl_machine_free(ex->m);
	asl_task_resources_free(ex->res);
	jv_free(ex->meta);
	jv_free(ex->ctx_execution);
	jv_free(ex->ctx_machine);
	jv_free(ex->invocations);
	free(ex->waiting);
}

/* How many times the execution was redriven (ExecutionRedriven events). */
static int
redrive_count(jv events)
{
	int i, n = jv_array_length(jv_copy(events)), c = 0;

	for (i = 0; i < n; i++) {
		jv t = jv_object_get(jv_array_get(jv_copy(events), i),
		    ASL_LIT("type"));
		c += jv_get_kind(t) == JV_KIND_STRING &&
		    strcmp(jv_string_value(t), "ExecutionRedriven") == 0;
		jv_free(t);
	}
	return c;
}

/* Whether the drive should return now (--detach): only waits are left. */
static int
paused(struct exec *ex)
{
	struct asl_time now = asl_time_now();
	int i;

	double m = monotonic();

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

jv
asl_exec_drive(const struct asl_store *st, const char *name,
    const struct asl_exec_options *o, int wait)
{
	struct exec ex;
	jv def, errs, events, r, opts, v, input, err, stop;
	char *hpath;
	const char *status;
	int lock, resumed = 0, redrive = 0, redrives;
	long n;

	memset(&ex, 0, sizeof ex);
	ex.store = st;
	ex.opts = o;
	ex.name = name;
	ex.inbox_stamp = -1;
	ex.meta = jv_get_kind(o->execution) == JV_KIND_OBJECT ?
	    jv_copy(o->execution) : asl_store_get_execution(st, name);
	if (!jv_is_valid(ex.meta))
		return ex.meta;
	if ((lock = asl_store_lock(st, name, wait)) == -1) {
		jv_free(ex.meta);
		if (errno == EWOULDBLOCK)
			return asl_error("ExecutionLocked", "another process is "
			    "advancing the execution '%s'", name);
		return asl_error("States.Runtime", "cannot lock '%s': %s", name,
		    strerror(errno));
	}
	asl_mailbox_driver_set(st, name);
	r = jv_null();
	def = jv_get_kind(o->definition) == JV_KIND_OBJECT ?
	    jv_copy(o->definition) : load_json(st, name, "definition.json");
	if (!jv_is_valid(def)) {
		r = def;
		goto out;
	}
	if ((ex.m = asl_machine_load(def, 0, &errs)) == NULL) {
		jv first = jv_array_get(errs, 0);
		jv p = jv_object_get(jv_copy(first), ASL_LIT("pointer"));
		jv msg = jv_object_get(first, ASL_LIT("message"));
		r = asl_error("InvalidDefinition", "%s at %s", jv_string_value(msg),
		    jv_string_value(p));
		jv_free(p);
		jv_free(msg);
		goto out;
	}
	v = jv_object_get(jv_copy(ex.meta), ASL_LIT("type"));
	ex.express = strcmp(jv_string_value(v), "EXPRESS") == 0;
	jv_free(v);
	opts = jv_object_get(jv_copy(ex.meta), ASL_LIT("options"));
	v = jv_object_get(jv_copy(opts), ASL_LIT("history"));
	ex.events = jv_get_kind(v) != JV_KIND_FALSE;
	jv_free(v);

	/* where the execution stands */
	hpath = asl_store_path(st, "executions/%s/history.jsonl", name);
	events = hpath != NULL ? asl_history_read(hpath, NULL) : jv_invalid();
	if (!jv_is_valid(events)) {
		free(hpath);
		jv_free(opts);
		r = events;
		goto out;
	}
	status = asl_history_status(events);
	n = jv_array_length(jv_copy(events));
	if (status != NULL && strcmp(status, "RUNNING") != 0) {
		/* already over: report it */
		jv_free(events);
		free(hpath);
		jv_free(opts);
		r = asl_exec_describe(st, name);
		goto out;
	}
	redrives = redrive_count(events);
	if (n > 1) {
		jv last = jv_array_get(jv_copy(events), (int)n - 1);
		jv t = jv_object_get(last, ASL_LIT("type"));
		redrive = strcmp(jv_string_value(t), "ExecutionRedriven") == 0;
		jv_free(t);
	}
	if (asl_history_open(&ex.h, hpath, !ex.express, 0) == -1) {
		r = asl_error("States.Runtime", "cannot open '%s': %s", hpath,
		    strerror(errno));
		free(hpath);
		jv_free(opts);
		jv_free(events);
		goto out;
	}
	free(hpath);

	/* the world: resources, mocks, Lambda functions */
	{
		jv map = jv_object_get(jv_copy(opts), ASL_LIT("resources"));
		jv mock = jv_object_get(jv_copy(opts), ASL_LIT("mock"));
		jv tc = jv_object_get(jv_copy(opts), ASL_LIT("testCase"));
		jv path = jv_object_get(jv_copy(opts), ASL_LIT("path"));
		jv smn = jv_object_get(jv_copy(ex.meta),
		    ASL_LIT("stateMachineName"));
		ex.res = asl_task_resources_new(map, mock, jv_string_value(smn),
		    jv_get_kind(tc) == JV_KIND_STRING ? jv_string_value(tc) : NULL,
		    jv_get_kind(path) == JV_KIND_STRING ? jv_string_value(path) :
		    getenv("ASL_PATH"), &err);
		jv_free(tc);
		jv_free(path);
		jv_free(smn);
		if (ex.res == NULL) {
			jv_free(opts);
			jv_free(events);
			r = asl_error("States.Runtime", "%s", jv_string_value(err));
			jv_free(err);
			goto out;
		}
	}
	jv_free(opts);
	asl_rng_seed_os(&ex.rng);
	ex.invocations = jv_object();
	ex.jobs = o->jobs > 0 ? o->jobs : 2 * (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (ex.jobs < 1)
		ex.jobs = 1;
	input = jv_object_get(jv_copy(ex.meta), ASL_LIT("input"));
	ex.ctx_execution = JV_OBJECT(
	    ASL_LIT("Id"), jv_object_get(jv_copy(ex.meta),
	    ASL_LIT("executionArn")),
	    ASL_LIT("Input"), jv_copy(input),
	    ASL_LIT("Name"), jv_object_get(jv_copy(ex.meta), ASL_LIT("name")),
	    ASL_LIT("RoleArn"), jv_object_get(jv_copy(ex.meta),
	    ASL_LIT("roleArn")),
	    ASL_LIT("StartTime"), jv_object_get(jv_copy(ex.meta),
	    ASL_LIT("startDate")));
	/* Express executions cannot be redriven: no RedriveCount [O] */
	if (!ex.express)
		ex.ctx_execution = jv_object_set(ex.ctx_execution,
		    ASL_LIT("RedriveCount"), jv_number(redrives));
	ex.ctx_machine = JV_OBJECT(ASL_LIT("Id"), jv_object_get(jv_copy(
	    ex.meta), ASL_LIT("stateMachineArn")), ASL_LIT("Name"),
	    jv_object_get(jv_copy(ex.meta), ASL_LIT("stateMachineName")));
	if (ex.m->timeout_seconds > 0) {
		/* the execution's clock runs from its start, in any process */
		struct asl_time start;
		jv sd = jv_object_get(jv_copy(ex.meta), ASL_LIT("startDate"));
		double spent = 0;
		if (!redrive && asl_time_parse(jv_string_value(sd), &start) == 0)
			spent = asl_time_diff(start, asl_time_now());
		jv_free(sd);
		ex.exec_deadline = monotonic() + ex.m->timeout_seconds -
		    (spent > 0 ? spent : 0);
	}

	/* start, or pick up where the history leaves off */
	if (n > 1) {
		resumed = restore(&ex, events, redrive, &err);
		if (resumed == -1) {
			jv_free(input);
			r = err;
			goto out;
		}
	} else
		jv_free(events);
	if (!resumed) {
		ex.top = frame_new(&ex, ex.m->top->start, input, jv_object(), 0);
		push_ready(&ex, ex.top);
	} else
		jv_free(input);
	stop = asl_mailbox_stop_requested(st, name);
	ex.stopped = jv_get_kind(stop) == JV_KIND_OBJECT;
	jv_free(stop);
	for (;;) {
		if (ex.stopped)
			break;
		run_ready(&ex);
		if (ex.top->st == F_DONE || ex.top->st == F_FAILED)
			break;
		start_queued(&ex);
		if (ex.ready != NULL)
			continue;
		if (ex.nwaiting == 0 && ex.queued == NULL) {
			frame_fail(ex.top, asl_error("States.Runtime", "the "
			    "execution is stuck: nothing runs and nothing waits"),
			    1);
			break;
		}
		/*
		 * before waiting on the world, let others see how far it got;
		 * nothing leaves the engine here, so nothing needs a sync
		 */
		asl_history_flush(&ex.h);
		if (o->detach) {
			/* answers that came while no one drove it */
			check_inbox(&ex);
			if (ex.ready != NULL)
				continue;
			if (paused(&ex))
				break;
		}
		if (wait_world(&ex) == -1) {
			frame_fail(ex.top, asl_error("States.Runtime", "poll: %s",
			    strerror(errno)), 1);
			break;
		}
		if (interrupted == SIGUSR1) {
			/* asl stop, or a nudge: is there a stop request? */
			interrupted = 0;
			stop = asl_mailbox_stop_requested(st, name);
			ex.stopped = jv_get_kind(stop) == JV_KIND_OBJECT;
			jv_free(stop);
		}
		if (ex.timed_out || interrupted)
			break;
	}

	/* the outcome: always recorded, even for an Express execution */
	if (ex.stopped && ex.top->st != F_DONE && ex.top->st != F_FAILED) {
		/* asl stop: the tasks go, the execution is ABORTED */
		jv req = asl_mailbox_stop_requested(st, name);
		jv e = jv_object_get(jv_copy(req), ASL_LIT("error"));
		jv c = jv_object_get(req, ASL_LIT("cause"));
		jv d = jv_object();
		abort_frame(ex.top);
		if (jv_get_kind(e) == JV_KIND_STRING)
			d = jv_object_set(d, ASL_LIT("error"), jv_copy(e));
		if (jv_get_kind(c) == JV_KIND_STRING)
			d = jv_object_set(d, ASL_LIT("cause"), jv_copy(c));
		ex.events = 1;
		emit(&ex, ex.top->last, "ExecutionAborted", d);
		r = outcome_json("ABORTED", jv_null(), JV_OBJECT(
		    ASL_LIT("Error"), e, ASL_LIT("Cause"), c));
	} else if (interrupted && ex.top->st != F_DONE &&
	    ex.top->st != F_FAILED) {
		/* stopped from outside: the tasks go, the execution stays */
		int sig = interrupted;
		abort_tasks(&ex);
		r = JV_OBJECT(ASL_LIT("status"), ASL_LIT("RUNNING"),
		    ASL_LIT("interrupted"), jv_number(sig));
	} else if (ex.timed_out && ex.top->st != F_DONE &&
	    ex.top->st != F_FAILED) {
		abort_frame(ex.top);
		ex.events = 1;
		emit(&ex, ex.top->last, "ExecutionTimedOut", JV_OBJECT(
		    ASL_LIT("error"), ASL_LIT("States.Timeout")));
		r = outcome_json("TIMED_OUT", jv_null(), JV_OBJECT(
		    ASL_LIT("Error"), ASL_LIT("States.Timeout"),
		    ASL_LIT("Cause"), jv_null()));
	} else if (ex.top->st == F_DONE) {
		ex.events = 1;
		emit(&ex, ex.top->last, "ExecutionSucceeded", JV_OBJECT(
		    ASL_LIT("output"), text(jv_copy(ex.top->output)),
		    ASL_LIT("outputDetails"), not_truncated()));
		r = outcome_json("SUCCEEDED", jv_copy(ex.top->output), jv_null());
	} else if (ex.top->st == F_FAILED) {
		jv e = jv_copy(ex.top->error);
		ex.events = 1;
		emit(&ex, ex.top->last, "ExecutionFailed",
		    asl_history_error_details(jv_copy(e)));
		r = outcome_json("FAILED", jv_null(), e);
	} else {
		/* --detach: waiting for a timer, a callback or a worker */
		r = JV_OBJECT(ASL_LIT("status"), ASL_LIT("RUNNING"),
		    ASL_LIT("paused"), jv_true());
	}
	if (asl_history_commit(&ex.h) == -1) {
		jv_free(r);
		r = asl_error("States.Runtime", "cannot write the history: %s",
		    strerror(errno));
	}
out:
	exec_release(&ex);
	close(lock);
	return r;
}

jv
asl_exec_redrive(const struct asl_store *st, const char *name,
    const struct asl_exec_options *o)
{
	struct asl_history h;
	jv events, last, r;
	char *hpath, *spath;
	const char *status;
	int lock, count;

	if ((lock = asl_store_lock(st, name, 1)) == -1)
		return asl_error("ExecutionDoesNotExist", "Execution Does Not "
		    "Exist: '%s'", name);
	r = asl_store_get_execution(st, name);
	if (!jv_is_valid(r)) {
		close(lock);
		return r;
	}
	jv_free(r);
	hpath = asl_store_path(st, "executions/%s/history.jsonl", name);
	events = hpath != NULL ? asl_history_read(hpath, NULL) : jv_invalid();
	if (!jv_is_valid(events)) {
		free(hpath);
		close(lock);
		return events;
	}
	status = asl_history_status(events);
	if (status == NULL || (strcmp(status, "FAILED") != 0 &&
	    strcmp(status, "ABORTED") != 0 && strcmp(status, "TIMED_OUT") != 0)) {
		r = asl_error("ExecutionNotRedrivable", "Execution is %s: only "
		    "a FAILED, ABORTED or TIMED_OUT execution can be redriven",
		    status != NULL ? status : "RUNNING");
		jv_free(events);
		free(hpath);
		close(lock);
		return r;
	}
	count = redrive_count(events) + 1;
	last = jv_array_get(jv_copy(events), jv_array_length(jv_copy(events))
	    - 1);
	jv_free(events);
	/* a stop request was for the run that ended */
	spath = asl_store_path(st, "executions/%s/stop.json", name);
	if (spath != NULL)
		unlink(spath);
	free(spath);
	if (asl_history_open(&h, hpath, 1, 0) == -1) {
		r = asl_error("States.Runtime", "cannot open '%s': %s", hpath,
		    strerror(errno));
		jv_free(last);
		free(hpath);
		close(lock);
		return r;
	}
	free(hpath);
	{
		jv id = jv_object_get(last, ASL_LIT("id"));
		asl_history_add(&h, (long)jv_number_value(id),
		    "ExecutionRedriven", JV_OBJECT(ASL_LIT("redriveCount"),
		    jv_number(count)));
		jv_free(id);
	}
	if (asl_history_close(&h) == -1) {
		asl_history_release(&h);
		close(lock);
		return asl_error("States.Runtime", "cannot write the history: %s",
		    strerror(errno));
	}
	asl_history_release(&h);
	close(lock);
	return asl_exec_drive(st, name, o, 1);
}

jv
asl_exec_stop(const struct asl_store *st, const char *name, jv error,
    jv cause)
{
	struct asl_exec_options o;
	jv r = asl_store_get_execution(st, name), d;
	long pid;
	int lock;

	if (!jv_is_valid(r)) {
		jv_free(error);
		jv_free(cause);
		return r;
	}
	jv_free(r);
	d = asl_exec_describe(st, name);
	if (jv_is_valid(d)) {
		jv s = jv_object_get(jv_copy(d), ASL_LIT("status"));
		int running = strcmp(jv_string_value(s), "RUNNING") == 0;
		jv_free(s);
		if (!running) {
			jv_free(error);
			jv_free(cause);
			jv_free(d);
			return asl_error("ExecutionNotRunning", "Execution is "
			    "not running: '%s'", name);
		}
	}
	jv_free(d);
	r = asl_mailbox_stop(st, name, error, cause);
	if (!jv_is_valid(r))
		return r;
	jv_free(r);
	/* a driver at work stops it; else we do, holding the lock */
	if ((lock = asl_store_lock(st, name, 0)) == -1) {
		if ((pid = asl_mailbox_driver_get(st, name)) > 0)
			kill((pid_t)pid, SIGUSR1);
		lock = asl_store_lock(st, name, 1);
	}
	if (lock != -1)
		close(lock);
	asl_exec_options_init(&o);
	o.detach = 1;
	return asl_exec_drive(st, name, &o, 1);
}

jv
asl_exec_describe(const struct asl_store *st, const char *name)
{
	jv meta = asl_store_get_execution(st, name), last, d, out;
	char *path;
	const char *status;

	if (!jv_is_valid(meta))
		return meta;
	path = asl_store_path(st, "executions/%s/history.jsonl", name);
	/* how it stands is in the last event: the rest is not read */
	last = path != NULL ? asl_history_last(path) : jv_null();
	free(path);
	if (!jv_is_valid(last)) {
		jv_free(meta);
		return last;
	}
	status = asl_history_last_status(last);
	out = JV_OBJECT(
	    ASL_LIT("executionArn"), jv_object_get(jv_copy(meta),
	    ASL_LIT("executionArn")),
	    ASL_LIT("stateMachineArn"), jv_object_get(jv_copy(meta),
	    ASL_LIT("stateMachineArn")),
	    ASL_LIT("name"), jv_object_get(jv_copy(meta), ASL_LIT("name")),
	    ASL_LIT("status"), jv_string(status != NULL ? status : "RUNNING"),
	    ASL_LIT("startDate"), jv_object_get(jv_copy(meta),
	    ASL_LIT("startDate")),
	    ASL_LIT("input"), text(jv_object_get(jv_copy(meta),
	    ASL_LIT("input"))),
	    ASL_LIT("inputDetails"), JV_OBJECT(ASL_LIT("included"),
	    jv_true()));
	if (status != NULL && strcmp(status, "RUNNING") != 0) {
		out = jv_object_set(out, ASL_LIT("stopDate"),
		    jv_object_get(jv_copy(last), ASL_LIT("timestamp")));
		{
			jv type = jv_object_get(jv_copy(last), ASL_LIT("type"));
			d = jv_object_get(jv_copy(last), asl_history_details_key(
			    jv_string_value(type)));
			jv_free(type);
		}
		if (strcmp(status, "SUCCEEDED") == 0) {
			out = jv_object_set(out, ASL_LIT("output"),
			    jv_object_get(jv_copy(d), ASL_LIT("output")));
			out = jv_object_set(out, ASL_LIT("outputDetails"),
			    JV_OBJECT(ASL_LIT("included"), jv_true()));
		} else if (jv_get_kind(d) == JV_KIND_OBJECT) {
			jv e = jv_object_get(jv_copy(d), ASL_LIT("error"));
			jv c = jv_object_get(jv_copy(d), ASL_LIT("cause"));
			if (jv_is_valid(e))
				out = jv_object_set(out, ASL_LIT("error"), e);
			else
				jv_free(e);
			if (jv_is_valid(c))
				out = jv_object_set(out, ASL_LIT("cause"), c);
			else
				jv_free(c);
		}
		jv_free(d);
	}
	out = jv_object_set(out, ASL_LIT("redriveCount"), jv_number(0));
	jv_free(last);
	jv_free(meta);
	return out;
}

/* The state machine name a file suggests: its base name, extensions off. */
static jv
name_from_path(const char *path)
{
	const char *base = strrchr(path, '/'), *ext;
	static const char *const exts[] = { ".asl.json", ".asl.yaml",
	    ".asl.yml", ".json", ".yaml", ".yml" };
	size_t len, i, n;
	jv name;
	char *p;

	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		n = strlen(exts[i]);
		if (len > n && strcmp(base + len - n, exts[i]) == 0) {
			len -= n;
			break;
		}
	}
	(void)ext;
	name = jv_string_sized(base, (int)len);
	/* keep it a valid name: anything AWS refuses becomes '-' */
	p = strdup(jv_string_value(name));
	jv_free(name);
	if (p == NULL)
		return ASL_LIT("asl");
	for (i = 0; p[i] != '\0'; i++)
		if ((unsigned char)p[i] <= 0x20 ||
		    strchr("<>{}[]?*\"#%\\^|~`$&,;:/", p[i]) != NULL)
			p[i] = '-';
	name = jv_string(*p != '\0' ? p : "asl");
	free(p);
	return name;
}

/* A lone state (as TestState takes one) rather than a state machine. */
static int
lone_state(jv def)
{
	return jv_get_kind(def) == JV_KIND_OBJECT &&
	    !jv_object_has(jv_copy(def), ASL_LIT("States")) &&
	    jv_object_has(jv_copy(def), ASL_LIT("Type"));
}

jv
asl_exec_load_definition(const struct asl_store *st, const char *arg,
    int express)
{
	jv def, where, problems, diags, name, r, lines;
	int flags = express ? ASL_VALIDATE_EXPRESS : 0, lone;
	char *buf;
	size_t len;

	if (strcmp(arg, "-") != 0 && access(arg, F_OK) != 0) {
		r = asl_store_get_machine(st, arg);
		if (!jv_is_valid(r)) {
			jv obj = asl_error_object(r);
			if (strcmp(asl_error_name(obj), "StateMachineDoesNotExist")
			    == 0) {
				jv_free(obj);
				return asl_error("StateMachineDoesNotExist", "'%s' is "
				    "neither a file nor a registered state machine",
				    arg);
			}
			return jv_invalid_with_msg(obj);
		}
		/* registered definitions were validated and normalized */
		return r;
	}
	if ((buf = asl_read_all(arg, 0, &len)) == NULL)
		return asl_error("States.Runtime", "%s: %s", arg, strerror(errno));
	/*
	 * Most definitions are sound: parse and check them without noting
	 * where every node is, and only when a problem must be told, again
	 * with the places.
	 */
	def = asl_doc_parse(buf, len, ASL_FORMAT_AUTO, NULL, &problems);
	if (jv_is_valid(def) && jv_array_length(jv_copy(problems)) == 0) {
		jv_free(problems);
		lone = lone_state(def);
		diags = asl_validate(jv_copy(def), jv_null(), jv_array(),
		    flags | (lone ? ASL_VALIDATE_STATE : 0));
		if (!asl_validate_failed(diags)) {
			free(buf);
			goto valid;
		}
		jv_free(diags);
	} else
		jv_free(problems);
	jv_free(def);
	def = asl_doc_parse(buf, len, ASL_FORMAT_AUTO, &where, &problems);
	free(buf);
	if (!jv_is_valid(def)) {
		jv msg = jv_invalid_get_msg(def);
		jv line = jv_object_get(jv_copy(msg), ASL_LIT("line"));
		jv col = jv_object_get(jv_copy(msg), ASL_LIT("column"));
		jv text = jv_object_get(msg, ASL_LIT("message"));
		r = asl_error("InvalidDefinition", "%s:%d:%d: %s", arg,
		    (int)jv_number_value(line), (int)jv_number_value(col),
		    jv_string_value(text));
		jv_free(line);
		jv_free(col);
		jv_free(text);
		return r;
	}
	/* a lone state, as TestState takes one */
	if ((lone = lone_state(def)))
		flags |= ASL_VALIDATE_STATE;
	/* what CreateStateMachine would refuse, refused here, all of it */
	diags = asl_validate(jv_copy(def), where, problems, flags);
	if (asl_validate_failed(diags)) {
		jv_free(def);
		lines = asl_validate_lines(strcmp(arg, "-") == 0 ? "<stdin>" : arg,
		    diags, 0);
		/* one cause, one line per problem, no trailing newline */
		r = asl_error("InvalidDefinition", "%.*s",
		    jv_string_length_bytes(jv_copy(lines)) - 1,
		    jv_string_value(lines));
		jv_free(lines);
		return r;
	}
valid:
	jv_free(diags);
	def = asl_normalize(def, lone ? ASL_NORMALIZE_STATE : 0);
	name = name_from_path(strcmp(arg, "-") == 0 ? "stdin" : arg);
	return JV_OBJECT(ASL_LIT("definition"), def, ASL_LIT("name"), name,
	    ASL_LIT("type"), jv_string(express ? "EXPRESS" : "STANDARD"));
}
