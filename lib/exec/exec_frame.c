/*
 * lib/exec/exec_frame.c - frames of an execution and how each one
 * steps: the events a step writes, a frame's context object, and the
 * loop that advances a frame through asl_step until it waits on the
 * world.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl_token.h"
#include "asl_items.h"
#include "exec_int.h"

/* Events. */

long
ex_emit(struct exec *ex, long prev, enum asl_event_kind kind, jv details)
{
	if (!ex->events) {
		jv_free(details);
		return ex->h.next_id++;
	}
	return asl_history_add(&ex->h, prev, asl_events_name(kind), details);
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
	if (f->hist != NULL)
		return 0;
	if (f->quiet)
		*id = f->last;
	else if (!f->ex->events)
		*id = f->ex->h.next_id++;
	else
		return 0;
	return 1;
}

/* The history f's events go to: its Map Run child's, or the execution's. */
static struct asl_history *
hist_of(const struct frame *f)
{
	return f->hist != NULL ? f->hist : &f->ex->h;
}

/* The name of an event of kind for frame f: its state's, or its task's. */
static const char *
event_name(const struct frame *f, enum asl_event_kind kind)
{
	if (kind >= ASL_EV_TASK_SCHEDULED && kind <= ASL_EV_TASK_TIMED_OUT)
		return asl_events_task_event(kind, f->plan.family);
	if (kind == ASL_EV_EVALUATION_FAILED)
		return asl_events_name(kind);
	return asl_events_state_event(kind, f->state->type);
}

long
ex_femit(const struct frame *f, long prev, enum asl_event_kind kind,
    jv details)
{
	long id;

	if (unrecorded(f, &id)) {
		jv_free(details);
		return id;
	}
	return asl_history_add(hist_of(f), prev, event_name(f, kind), details);
}

int
ex_has_event(const struct frame *f, enum asl_event_kind kind)
{
	return event_name(f, kind) != NULL;
}

long
ex_iteration_event(const struct frame *f, long prev, enum asl_event_kind kind,
    int index)
{
	long id;

	if (unrecorded(f, &id))
		return id;
	return asl_history_add_iteration(hist_of(f), prev, event_name(f, kind),
	    index, asl_machine_state_name(f->state));
}

/* Frames. */

void
ex_push_ready(struct exec *ex, struct frame *f)
{
	f->st = F_READY;
	f->next_ready = ex->ready;
	ex->ready = f;
}

void
ex_add_waiting(struct exec *ex, struct frame *f)
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

void
ex_remove_waiting(struct exec *ex, struct frame *f)
{
	int i;

	for (i = 0; i < ex->nwaiting; i++)
		if (ex->waiting[i] == f) {
			ex->waiting[i] = ex->waiting[--ex->nwaiting];
			return;
		}
}

struct frame *
ex_frame_new(struct exec *ex, const struct asl_state *state, jv input, jv vars,
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
	f->redrive_run = jv_null();
	f->pc = PC_ENTER;
	return f;
}

void
ex_release_work(struct frame *f)
{
	ex_child_stop(f);	/* a child execution still running is stopped */
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

void
ex_frame_free(struct frame *f)
{
	if (f == NULL)
		return;
	ex_release_work(f);
	if (f->kids != NULL)
		ex_group_free(f->kids);
	ex_kid_free(f->kid);
	jv_free(f->redrive_run);
	asl_items_close(f->reader);
	jv_free(f->input);
	jv_free(f->vars);
	jv_free(f->counts);
	jv_free(f->result);
	jv_free(f->error);
	jv_free(f->output);
	jv_free(f->token);
	free(f);
}

jv
ex_context(const struct frame *f)
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
	if (f->hist != NULL)
		ctx = ex_kid_context(f, ctx);
	return ctx;
}

static jv
frame_context(void *f)
{
	return ex_context(f);
}

void
ex_frame_request(struct frame *f, struct asl_step_request *req,
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

int
ex_wants_token(const struct asl_state *s)
{
	const char *r;

	if (s->type != ASL_TASK || jv_get_kind(s->resource) != JV_KIND_STRING)
		return 0;
	r = jv_string_value(s->resource);
	/* AWS gives a .sync task a token too ($$.Task.Token) */
	return strstr(r, ".waitForTaskToken") != NULL ||
	    strstr(r, ".sync") != NULL ||
	    strstr(r, ":activity:") != NULL || s->heartbeat != NULL ||
	    s->heartbeat_path != NULL;
}

static void frame_finished(struct frame *);
static void start_work(struct frame *, jv effect);

/*
 * The frame now waits on the world.  A Map iteration that does lets the
 * next iteration start.
 */
static void
frame_blocked(struct frame *f)
{
	if (f->group != NULL && f->group->is_map)
		ex_map_fill(f->group);
}

void
ex_frame_fail(struct frame *f, jv err, int runtime)
{
	jv_free(f->error);
	f->error = asl_error_object(err);
	f->runtime = runtime;
	f->st = F_FAILED;
	frame_finished(f);
}

void
ex_frame_done(struct frame *f, jv output)
{
	jv_free(f->output);
	f->output = output;
	f->st = F_DONE;
	frame_finished(f);
}

void
ex_advance(struct frame *f)
{
	struct exec *ex = f->ex;
	struct asl_step_request req;
	struct asl_step_result res;
	const struct asl_state *s;
	int steps = 0;

	for (;;) {
		s = f->state;
		/*
		 * A chain of pure states with no end (a Choice loop) still
		 * hears a stop, a signal, the history's limit and the
		 * execution's TimeoutSeconds: the frame waits in the ready
		 * list, where it stood, for the loop to see to them.
		 */
		if ((steps & 1023) == 1023)
			ex_progress(ex);
		if (steps++ > 0 && (ex_interrupted || ex->h.full ||
		    ((steps & 1023) == 0 && ex->exec_deadline > 0 &&
		    ex_monotonic() >= ex->exec_deadline && (ex->timed_out =
		    1)))) {
			ex_push_ready(ex, f);
			return;
		}
		if (f->pc == PC_FAIL) {
			ex_frame_fail(f, jv_invalid_with_msg(jv_copy(f->error)), 1);
			return;
		}
		if (f->hist != NULL && f->hist->full) {
			/* a Map Run's child at its history's limit fails, as
			   an execution does */
			ex_frame_fail(f, asl_error("States.Runtime", "The "
			    "execution reached the maximum number of history "
			    "events (%ld).", f->hist->limit), 1);
			return;
		}
		ex_frame_request(f, &req, ASL_STEP_ENTER);
		req.input_judged = f->judged;
		switch (f->pc) {
		case PC_ENTER:
			asl_time_format(asl_time_now(), f->entered_time,
			    sizeof f->entered_time);
			f->retry_count = 0;
			ex->progress.states++;
			jv_free(f->counts);
			f->counts = jv_null();
			jv_free(f->token);
			f->token = ex_wants_token(s) ? asl_token_new() : jv_null();
			if (!unrecorded(f, &f->entered))
				f->entered = asl_history_add_state(hist_of(f),
				    f->last, event_name(f, ASL_EV_STATE_ENTERED),
				    asl_machine_state_name(s),
				    jv_copy(f->input), jv_null());
			f->last = f->entered;
			req.phase = ASL_STEP_ENTER;
			break;
		case PC_REENTER:
			req.phase = ASL_STEP_ENTER;
			/* a Map's ItemReader has read its items */
			if (s->type == ASL_MAP) {
				req.items = f->result;
				req.items_streamed = f->reader != NULL;
			}
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
		if (f->pc == PC_COMPLETE || f->pc == PC_REENTER) {
			jv_free(f->result);
			f->result = jv_null();
		}
		if (jv_get_kind(res.evaluation) == JV_KIND_OBJECT) {
			/*
			 * A JSONata evaluation failed: AWS records it (with
			 * no predecessor), and a Map that fails on entering
			 * records MapStateFailed after it.
			 */
			f->last = ex_femit(f, 0, ASL_EV_EVALUATION_FAILED,
			    jv_copy(res.evaluation));
			if (s->type == ASL_MAP && f->pc != PC_ERROR &&
			    res.status != ASL_STATUS_RETRIABLE)
				f->last = ex_femit(f, f->last, ASL_EV_GROUP_FAILED,
				    jv_null());
		}
		if (f->pc == PC_ERROR && (s->type == ASL_MAP ||
		    s->type == ASL_PARALLEL) && res.status != ASL_STATUS_RETRIABLE) {
			/* the Map or Parallel itself fails (then maybe caught) */
			f->last = ex_femit(f, f->last, ASL_EV_GROUP_FAILED,
			    jv_null());
		}
		switch (res.status) {
		case ASL_STATUS_SUCCEEDED:
		case ASL_STATUS_CAUGHT_ERROR:
			if (ex_has_event(f, ASL_EV_STATE_EXITED) &&
			    !unrecorded(f, &f->last))
				f->last = asl_history_add_state(hist_of(f), f->last,
				    event_name(f, ASL_EV_STATE_EXITED),
				    asl_machine_state_name(s),
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
				ex_frame_fail(f, e, 1);
				return;
			}
			ex_frame_done(f, jv_copy(res.output));
			asl_step_result_release(&res);
			return;
		case ASL_STATUS_FAILED:
			ex_frame_fail(f, jv_invalid_with_msg(jv_copy(res.error)),
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
			ex_add_waiting(ex, f);
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
		ex_start_task(f);
	else if (strcmp(t, "wait") == 0) {
		until = jv_object_get(jv_copy(effect), ASL_LIT("until"));
		if (asl_time_parse(jv_string_value(until), &f->wake) == -1)
			f->wake = asl_time_now();
		jv_free(until);
		f->timer_retry = 0;
		f->st = F_TIMER;
		ex_add_waiting(ex, f);
	} else if (strcmp(t, "parallel") == 0)
		ex_start_group(f, 0);
	else if (strcmp(t, "map") == 0)
		ex_start_group(f, 1);
	else
		ex_read_items(f);
	jv_free(type);
}

/* A frame has finished, well or badly. */
static void
frame_finished(struct frame *f)
{
	struct exec *ex = f->ex;

	if (f->group != NULL) {
		ex_child_finished(f);
		return;
	}
	(void)ex;
	/* the top frame: the execution's outcome is decided by the caller */
}
