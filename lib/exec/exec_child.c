/*
 * lib/exec/exec_child.c - child executions: a Task whose resource is
 * arn:aws:states:::states:startExecution[.sync[:2]] starts an execution
 * of a state machine registered in the same store (asl
 * create-state-machine), with the parent's resources, mocks and path.
 *
 * The child is an execution like any other, with its own history and its
 * own lock, driven by a process of its own: a forked copy of this driver
 * that the parent's loop waits on as it waits on a task command (see
 * asl_task_job_fork).  .sync and .sync:2 wait for it and answer AWS's
 * DescribeExecution; without a suffix the task answers StartExecution's
 * {ExecutionArn, StartDate} at once and the child runs on, detached.
 * Stopping the parent stops the child (asl_exec_stop).  A child started
 * without a Name gets one made from the parent's execution and the
 * task's event, so that a parent resumed after a crash finds the child
 * it had started and waits for it again instead of starting another.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "asl_arn.h"
#include "asl_hash.h"
#include "asl_json.h"
#include "asl_store.h"
#include "exec_int.h"

/* What the forked driver of a child needs (a copy lives in it). */
struct child_run {
	const struct asl_store		*store;
	struct asl_exec_options		 o;
	const char			*name;
	int				 parsed;	/* .sync:2 */
};

/* An ISO timestamp as the epoch milliseconds AWS's integrations answer. */
static jv
millis(jv iso)
{
	struct asl_time t;
	jv r;

	if (jv_get_kind(iso) != JV_KIND_STRING ||
	    asl_time_parse(jv_string_value(iso), &t) == -1)
		r = jv_null();
	else
		r = jv_number((double)t.sec * 1000 + (double)(t.nsec / 1000000));
	jv_free(iso);
	return r;
}

/* A JSON text (consumed) as its value; text that is not JSON stays text. */
static jv
parsed(jv text)
{
	jv v;

	if (jv_get_kind(text) != JV_KIND_STRING)
		return text;
	v = asl_json_parse(jv_string_value(text),
	    (size_t)jv_string_length_bytes(jv_copy(text)), NULL, NULL);
	if (!jv_is_valid(v)) {
		jv_free(v);
		return text;
	}
	jv_free(text);
	return v;
}

/*
 * DescribeExecution as the states integration returns it: the API's
 * members with capitals, dates in epoch milliseconds; .sync:2 gives
 * Input and Output as JSON values, .sync as their text.
 */
static jv
description(jv d, int as_json)
{
	static const char *const names[][2] = {
		{ "executionArn", "ExecutionArn" }, { "input", "Input" },
		{ "inputDetails", "InputDetails" }, { "name", "Name" },
		{ "output", "Output" }, { "outputDetails", "OutputDetails" },
		{ "redriveCount", "RedriveCount" }, { "startDate", "StartDate" },
		{ "stateMachineArn", "StateMachineArn" }, { "status", "Status" },
		{ "stopDate", "StopDate" }, { "error", "Error" },
		{ "cause", "Cause" }
	};
	jv out = jv_object(), v;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		v = jv_object_get(jv_copy(d), jv_string(names[i][0]));
		if (!jv_is_valid(v) || jv_get_kind(v) == JV_KIND_NULL) {
			jv_free(v);
			continue;
		}
		if (strcmp(names[i][0], "startDate") == 0 ||
		    strcmp(names[i][0], "stopDate") == 0)
			v = millis(v);
		else if (as_json && (strcmp(names[i][0], "input") == 0 ||
		    strcmp(names[i][0], "output") == 0))
			v = parsed(v);
		else if (strcmp(names[i][0], "inputDetails") == 0 ||
		    strcmp(names[i][0], "outputDetails") == 0) {
			jv_free(v);
			v = JV_OBJECT(ASL_LIT("Included"), jv_true());
		}
		out = jv_object_set(out, jv_string(names[i][1]), v);
	}
	jv_free(d);
	return out;
}

static void
write_all(int fd, jv text)
{
	const char *p = jv_string_value(text);
	size_t n = strlen(p);
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		p += w;
		n -= (size_t)w;
	}
	jv_free(text);
}

/*
 * The forked driver: drive the child to its end and print the task's
 * outcome.  A child that did not succeed fails the task with
 * States.TaskFailed, its DescribeExecution as the cause [AWS: "Run a Job
 * (.sync)": the task fails when the job does].
 */
static int
child_main(void *arg)
{
	struct child_run *c = arg;
	jv r, st, d;
	int ok;

	ex_interrupted = 0;
	r = asl_exec_drive(c->store, c->name, &c->o, 1);
	if (!jv_is_valid(r)) {
		jv m = jv_invalid_get_msg(r);
		write_all(1, jv_dump_string(JV_OBJECT(ASL_LIT("errorType"),
		    jv_object_get(jv_copy(m), ASL_LIT("Error")),
		    ASL_LIT("errorMessage"), jv_object_get(jv_copy(m),
		    ASL_LIT("Cause"))), 0));
		jv_free(m);
		return 1;
	}
	st = jv_object_get(r, ASL_LIT("status"));
	if (strcmp(jv_string_value(st), "RUNNING") == 0) {
		jv_free(st);
		write_all(1, jv_dump_string(JV_OBJECT(ASL_LIT("errorType"),
		    ASL_LIT("States.TaskFailed"), ASL_LIT("errorMessage"),
		    jv_string_fmt("the driver of the child execution %s was "
		    "interrupted", c->name)), 0));
		return 1;
	}
	ok = strcmp(jv_string_value(st), "SUCCEEDED") == 0;
	jv_free(st);
	d = description(asl_exec_describe(c->store, c->name), c->parsed);
	if (ok) {
		write_all(1, jv_dump_string(d, 0));
		return 0;
	}
	write_all(1, jv_dump_string(JV_OBJECT(ASL_LIT("errorType"),
	    ASL_LIT("States.TaskFailed"), ASL_LIT("errorMessage"),
	    jv_dump_string(d, 0)), 0));
	return 1;
}

/*
 * Without a suffix the child runs on its own: a process of its own
 * session, detached from the parent's (double fork), drives it.
 */
static void
detach_driver(struct child_run *c)
{
	pid_t pid = fork(), pid2;
	long maxfd;
	int fd, status;

	if (pid == -1)
		return;	/* asl tick or asl resume drive it later */
	if (pid == 0) {
		setsid();
		if ((pid2 = fork()) != 0)
			_exit(pid2 == -1);
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		maxfd = sysconf(_SC_OPEN_MAX);
		for (fd = 3; fd < (maxfd > 0 && maxfd < 65536 ? maxfd : 65536);
		    fd++)
			close(fd);
		ex_interrupted = 0;
		jv_free(asl_exec_drive(c->store, c->name, &c->o, 1));
		_exit(0);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
}

/*
 * StartExecution's errors as the task's: the API's error name in the
 * integration's namespace (StepFunctions.ExecutionAlreadyExistsException
 * ...).
 */
static jv
api_error(jv err)
{
	jv m = jv_invalid_get_msg(err);
	jv e = jv_object_get(jv_copy(m), ASL_LIT("Error"));
	jv c = jv_object_get(m, ASL_LIT("Cause"));
	const char *n = jv_get_kind(e) == JV_KIND_STRING ?
	    jv_string_value(e) : "AWSStepFunctions";
	size_t len = strlen(n);
	jv r;

	r = asl_error_jv(jv_string_fmt("StepFunctions.%s%s", n, len > 9 &&
	    strcmp(n + len - 9, "Exception") == 0 ? "" : "Exception"),
	    jv_get_kind(c) == JV_KIND_STRING ? c : (jv_free(c),
	    jv_string("")));
	jv_free(e);
	return r;
}

jv
ex_hashed_name(const char *seed)
{
	char hex[2 * ASL_HASH_MAX + 1];

	asl_hash_hex(ASL_HASH_SHA256, seed, strlen(seed), hex);
	/* shaped as the UUID AWS would have made */
	return jv_string_fmt("%.8s-%.4s-4%.3s-a%.3s-%.12s", hex, hex + 8,
	    hex + 12, hex + 15, hex + 18);
}

/* The child's name: the one given, else one made from the task's event. */
static jv
child_name(const struct frame *f, jv given)
{
	char buf[256];
	jv arn;

	if (jv_get_kind(given) == JV_KIND_STRING)
		return given;
	jv_free(given);
	arn = jv_object_get(jv_copy(f->ex->meta), ASL_LIT("executionArn"));
	snprintf(buf, sizeof buf, "%s#%ld", jv_string_value(arn), f->last);
	jv_free(arn);
	return ex_hashed_name(buf);
}

/* The child's input: a JSON value, or the text of one (AWS takes both). */
static jv
child_input(jv in)
{
	if (jv_get_kind(in) == JV_KIND_NULL || !jv_is_valid(in)) {
		jv_free(in);
		return jv_object();
	}
	if (jv_get_kind(in) == JV_KIND_STRING) {
		jv v = parsed(jv_copy(in));
		if (jv_get_kind(v) == JV_KIND_STRING) {
			jv_free(v);
			return asl_error_jv(ASL_LIT("StepFunctions.InvalidExecutionInputException"),
			    jv_string_fmt("Invalid State Machine Execution "
			    "Input: '%s'", jv_string_value(in)));
		}
		jv_free(in);
		return v;
	}
	return in;
}

void
ex_child_start(struct frame *f, int resumed)
{
	struct exec *ex = f->ex;
	struct child_run c;
	jv sm, m, def, type, input, name, meta, err, started;

	if (!resumed)
		ex_task_started(f);
	sm = jv_object_get(jv_copy(f->plan.execution), ASL_LIT("stateMachine"));
	m = asl_store_get_machine(ex->store, asl_arn_last(jv_string_value(sm)));
	jv_free(sm);
	if (!jv_is_valid(m)) {
		ex_task_outcome(f, api_error(m), 0);
		return;
	}
	def = jv_object_get(jv_copy(m), ASL_LIT("definition"));
	type = jv_object_get(jv_copy(m), ASL_LIT("type"));
	input = child_input(jv_object_get(jv_copy(f->plan.execution),
	    ASL_LIT("input")));
	name = child_name(f, jv_object_get(jv_copy(f->plan.execution),
	    ASL_LIT("name")));
	if (!jv_is_valid(input)) {
		jv_free(m);
		jv_free(def);
		jv_free(type);
		jv_free(name);
		ex_task_outcome(f, input, 0);
		return;
	}
	c.store = ex->store;
	c.o = *ex->opts;
	c.o.name = jv_string_value(name);
	c.o.s3_root = ex->s3_root;
	m = jv_object_get(m, ASL_LIT("name"));
	c.o.state_machine = jv_string_value(m);
	c.o.express = strcmp(jv_string_value(type), "EXPRESS") == 0;
	c.o.detach = 0;
	c.o.definition = jv_invalid();
	c.o.execution = jv_invalid();
	c.name = c.o.name;
	c.parsed = f->plan.pattern == ASL_PATTERN_SYNC &&
	    strstr(jv_string_value(f->plan.resource), ":2") != NULL;
	jv_free(type);
	/* the history says the task started before the child exists */
	asl_history_commit(&ex->h);
	meta = resumed ? asl_store_get_execution(ex->store, c.name) : jv_invalid();
	if (!jv_is_valid(meta)) {
		jv_free(meta);
		meta = asl_exec_start(ex->store, def, input, &c.o);
	} else {
		jv_free(def);
		jv_free(input);
	}
	if (!jv_is_valid(meta)) {
		jv_free(m);
		jv_free(name);
		ex_task_outcome(f, api_error(meta), 0);
		return;
	}
	f->plan.execution = jv_object_set(f->plan.execution, ASL_LIT("started"),
	    jv_copy(name));
	if (f->plan.pattern != ASL_PATTERN_SYNC) {
		/* StartExecution's answer; the child goes its own way */
		started = JV_OBJECT(ASL_LIT("ExecutionArn"), jv_object_get(
		    jv_copy(meta), ASL_LIT("executionArn")), ASL_LIT("StartDate"),
		    millis(jv_object_get(jv_copy(meta), ASL_LIT("startDate"))));
		jv_free(meta);
		if (!resumed)
			detach_driver(&c);
		jv_free(m);
		jv_free(name);
		ex_task_outcome(f, started, 0);
		return;
	}
	jv_free(meta);
	f->job = asl_task_job_fork(child_main, &c, "states", &err);
	jv_free(m);
	jv_free(name);
	if (f->job == NULL) {
		ex_task_outcome(f, jv_invalid_with_msg(err), 0);
		return;
	}
	ex->running_jobs++;
	{
		jv to = jv_object_get(jv_copy(f->effect),
		    ASL_LIT("timeoutSeconds"));
		f->deadline = jv_get_kind(to) == JV_KIND_NUMBER ?
		    ex_monotonic() + jv_number_value(to) : 0;
		jv_free(to);
	}
	f->st = F_TASK;
	ex_add_waiting(ex, f);
}

void
ex_child_stop(struct frame *f)
{
	jv name;

	if (f->job == NULL || !f->has_plan ||
	    f->plan.kind != ASL_TASK_EXECUTION)
		return;
	name = jv_object_get(jv_copy(f->plan.execution), ASL_LIT("started"));
	if (jv_get_kind(name) == JV_KIND_STRING)
		/* it ends ABORTED, its own tasks killed by its own driver */
		jv_free(asl_exec_stop(f->ex->store, jv_string_value(name),
		    jv_null(), jv_null()));
	jv_free(name);
}
