/*
 * lib/exec/exec_task.c - Task states in an execution: scheduling a
 * task, its task token, its process (with the environment a command
 * gets), activities, and its outcome in the history.
 */
#define _GNU_SOURCE	/* asprintf */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl_activity.h"
#include "asl_arn.h"
#include "asl_mailbox.h"
#include "asl_s3.h"
#include "asl_store.h"
#include "asl_token.h"
#include "exec_int.h"

/* Tasks. */

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

/* The region a service ARN names (its own, else this machine's). */
static jv
resource_region(const struct frame *f)
{
	const char *fld[6];
	size_t len[6];

	if (jv_get_kind(f->state->resource) == JV_KIND_STRING &&
	    asl_arn_split(jv_string_value(f->state->resource), fld, len) == 0 &&
	    len[3] > 0)
		return jv_string_sized(fld[3], (int)len[3]);
	return jv_string(asl_arn_region());
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
		f->last = ex_femit(f, 0, ASL_EV_OTHER, jv_null());
		return;
	}
	switch (f->plan.family) {
	case ASL_FAMILY_LAMBDA:
		d = JV_OBJECT(ASL_LIT("resource"), jv_copy(f->plan.resource),
		    ASL_LIT("input"), asl_events_text(params),
		    ASL_LIT("inputDetails"), asl_events_not_truncated());
		break;
	case ASL_FAMILY_ACTIVITY:
		d = JV_OBJECT(ASL_LIT("resource"), jv_copy(f->plan.resource),
		    ASL_LIT("input"), asl_events_text(params),
		    ASL_LIT("inputDetails"), asl_events_not_truncated());
		break;
	default:
		d = task_fields(f, jv_object());
		d = jv_object_set(d, ASL_LIT("region"), resource_region(f));
		d = jv_object_set(d, ASL_LIT("parameters"), asl_events_text(params));
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
	f->last = ex_femit(f, f->last, ASL_EV_TASK_SCHEDULED, d);
}

void
ex_task_started(struct frame *f)
{
	jv d = jv_null();

	if (f->plan.family == ASL_FAMILY_TASK)
		d = task_fields(f, jv_object());
	f->last = ex_femit(f, f->last, ASL_EV_TASK_STARTED, d);
}

void
ex_close_token(struct frame *f, const char *how)
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
	ex_add_waiting(ex, f);
	ex->inbox_stamp = -1;	/* an answer may be there already */
}

void
ex_task_outcome(struct frame *f, jv outcome, int timed_out)
{
	struct exec *ex = f->ex;
	int from_job = f->st != F_CALLBACK;
	jv d;

	if (!timed_out && jv_is_valid(outcome) && from_job &&
	    f->plan.pattern == ASL_PATTERN_CALLBACK &&
	    f->plan.kind == ASL_TASK_COMMAND) {
		/* what the command returned is only the submission */
		f->last = ex_femit(f, f->last, ASL_EV_TASK_SUBMITTED,
		    ex->events ? task_fields(f, JV_OBJECT(ASL_LIT("output"),
		    asl_events_text(outcome), ASL_LIT("outputDetails"),
		    asl_events_not_truncated())) : (jv_free(outcome), jv_null()));
		callback_wait(f);
		return;
	}
	if (timed_out) {
		jv_free(outcome);
		d = task_fields(f, JV_OBJECT(ASL_LIT("error"),
		    ASL_LIT("States.Timeout")));
		f->last = ex_femit(f, f->last, ASL_EV_TASK_TIMED_OUT, d);
		/* no cause: a catcher's error output gets "" [O] */
		f->error = JV_OBJECT(ASL_LIT("Error"), ASL_LIT("States.Timeout"));
		f->pc = PC_ERROR;
		ex_close_token(f, "timed-out");
	} else if (jv_is_valid(outcome)) {
		if (ex->events) {
			if (f->plan.pattern == ASL_PATTERN_CALLBACK && from_job)
				/* a mocked callback: submitted and answered */
				f->last = ex_femit(f, f->last, 
				    ASL_EV_TASK_SUBMITTED, task_fields(f, JV_OBJECT(
				    ASL_LIT("output"), asl_events_text(jv_copy(outcome)),
				    ASL_LIT("outputDetails"), asl_events_not_truncated())));
			d = task_fields(f, JV_OBJECT(ASL_LIT("output"),
			    asl_events_text(jv_copy(outcome)), ASL_LIT("outputDetails"),
			    asl_events_not_truncated()));
			f->last = ex_femit(f, f->last, ASL_EV_TASK_SUCCEEDED, d);
		} else
			f->last = ex_femit(f, 0, ASL_EV_OTHER, jv_null());
		jv_free(f->result);
		f->result = outcome;
		f->pc = PC_COMPLETE;
		ex_close_token(f, "succeeded");
	} else {
		jv err = asl_error_object(outcome);
		d = task_fields(f, asl_events_error_details(jv_copy(err)));
		f->last = ex_femit(f, f->last, ASL_EV_TASK_FAILED, d);
		jv_free(f->error);
		f->error = err;
		f->pc = PC_ERROR;
		ex_close_token(f, "failed");
	}
	ex_release_work(f);
	ex_push_ready(ex, f);
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

void
ex_launch(struct frame *f)
{
	struct exec *ex = f->ex;
	char **env = task_env(f);
	jv err, to;

	ex_task_started(f);
	/*
	 * Output commit: the history says the task started before it does,
	 * so a crash can never make it start twice (Standard).
	 */
	if (asl_history_commit(&ex->h) == -1) {
		free_env(env);
		ex_task_outcome(f, asl_error("States.Runtime", "cannot write the "
		    "history: %s", strerror(errno)), 0);
		return;
	}
	f->job = f->plan.kind == ASL_TASK_HTTP ?
	    asl_task_job_http(ex->res, &f->plan, &err) :
	    asl_task_job_start(&f->plan, env, &err);
	free_env(env);
	if (f->job == NULL) {
		/* err is the task's error already (asl_task.h) */
		ex_task_outcome(f, err, 0);
		return;
	}
	ex->running_jobs++;
	to = jv_object_get(jv_copy(f->effect), ASL_LIT("timeoutSeconds"));
	f->deadline = jv_get_kind(to) == JV_KIND_NUMBER ? ex_monotonic() +
	    jv_number_value(to) : 0;
	jv_free(to);
	if (f->heartbeat > 0)
		f->hb_deadline = ex_monotonic() + f->heartbeat;
	f->st = F_TASK;
	ex_add_waiting(ex, f);
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

void
ex_start_task(struct frame *f)
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
		ex_release_work(f);
		jv_free(f->error);
		f->error = asl_error_object(e);
		f->pc = PC_FAIL;
		ex_push_ready(ex, f);
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
				ex_task_outcome(f, r, 0);
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
			f->deadline = ex_monotonic() + jv_number_value(to) - f->since;
		jv_free(to);
		if (f->heartbeat > 0)
			f->hb_deadline = ex_monotonic() + f->heartbeat - f->since;
		f->st = F_CALLBACK;
		ex_add_waiting(ex, f);
		ex->inbox_stamp = -1;
		return;
	}
	if (f->resumed == RESUME_INTERRUPTED &&
	    f->plan.kind == ASL_TASK_EXECUTION) {
		/* the child it started is still there: wait for it again */
		f->resumed = 0;
		ex_child_start(f, 1);
		return;
	}
	if (f->resumed == RESUME_INTERRUPTED) {
		/* at most once: a task that may have run is not run again */
		f->resumed = 0;
		ex_task_outcome(f, asl_error("Asl.TaskInterrupted", "The task was "
		    "started (event #%ld) but the driver stopped before it "
		    "ended; it may or may not have done its work, and a "
		    "STANDARD execution never starts a task twice.",
		    f->last), 0);
		return;
	}
	f->resumed = 0;
	switch (f->plan.kind) {
	case ASL_TASK_COMMAND:
	case ASL_TASK_HTTP:
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
		ex_launch(f);
		return;
	case ASL_TASK_MOCK:
		ex_task_started(f);
		if (jv_get_kind(f->plan.error) == JV_KIND_OBJECT)
			ex_task_outcome(f, jv_invalid_with_msg(jv_copy(
			    f->plan.error)), 0);
		else
			ex_task_outcome(f, jv_copy(f->plan.result), 0);
		return;
	case ASL_TASK_EXECUTION:
		ex_child_start(f, 0);
		return;
	case ASL_TASK_S3:
		/* a file read or written here: no process, no wait */
		ex_task_started(f);
		ex_task_outcome(f, asl_s3_call(ex->s3_root, jv_string_value(
		    f->plan.resource), jv_copy(f->plan.input)), 0);
		return;
	case ASL_TASK_FAIL:
		ex_task_started(f);
		ex_task_outcome(f, jv_invalid_with_msg(jv_copy(f->plan.error)), 0);
		return;
	case ASL_TASK_ACTIVITY:
		/* the history is on disk before a worker can take the task */
		if (asl_history_commit(&ex->h) == -1) {
			ex_task_outcome(f, asl_error("States.Runtime", "cannot write "
			    "the history: %s", strerror(errno)), 0);
			return;
		}
		if (!activity_handed(f, act)) {
			r = asl_activity_enqueue(ex->store, act,
			    jv_string_value(f->token), jv_object_get(jv_copy(
			    f->effect), ASL_LIT("parameters")), ex->name);
			if (!jv_is_valid(r)) {
				ex_task_outcome(f, r, 0);
				return;
			}
			jv_free(r);
		}
		{
			jv to = jv_object_get(jv_copy(f->effect),
			    ASL_LIT("timeoutSeconds"));
			if (jv_get_kind(to) == JV_KIND_NUMBER && f->deadline == 0)
				f->deadline = ex_monotonic() + jv_number_value(to);
			jv_free(to);
		}
		f->st = F_CALLBACK;
		ex_add_waiting(ex, f);
		ex->inbox_stamp = -1;
		return;
	default:
		ex_task_started(f);
		ex_task_outcome(f, asl_error("States.Runtime", "this resource "
		    "cannot run here yet: %s", jv_string_value(f->state->resource)),
		    0);
		return;
	}
}
