/*
 * lib/exec/exec_api.c - the verbs over the store: start an execution,
 * drive it (to its end or, detached, its first pause), redrive, stop,
 * describe.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl_arn.h"
#include "asl_definition.h"
#include "asl_fold.h"
#include "asl_mailbox.h"
#include "asl_s3.h"
#include "asl_store.h"
#include "asl_validate.h"
#include "exec_int.h"

/* Loading and finishing. */

static jv
load_json(const struct asl_store *st, const char *name, const char *file)
{
	char *path = asl_store_execution_path(st, name, file);
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
	o->connections = jv_null();
	o->definition = jv_invalid();
	o->execution = jv_invalid();
	o->history_limit = -1;
}

/*
 * What can be found wrong before an execution exists, so that none is
 * left behind that cannot run: the input's size (input borrowed), the
 * resource map, the mock file and its test case.  jv_null(), or an error.
 */
static jv
start_check(const struct asl_exec_options *o, const char *sm, jv input)
{
	struct asl_resources *res;
	jv err;

	/* StartExecution's input: at most 262,144 bytes of UTF-8 [AWS] */
	if (asl_json_length(input, ASL_EXEC_INPUT_LIMIT) > ASL_EXEC_INPUT_LIMIT)
		return asl_error("InvalidExecutionInput", "the input is over "
		    "%d bytes, AWS's limit for an execution's input",
		    ASL_EXEC_INPUT_LIMIT);
	res = asl_task_resources_new(jv_copy(o->resources), jv_copy(o->mock),
	    sm, o->test_case, o->path != NULL ? o->path : getenv("ASL_PATH"),
	    &err);
	if (res == NULL) {
		jv r = asl_error("InvalidArgument", "%s", jv_string_value(err));
		jv_free(err);
		return r;
	}
	asl_task_resources_free(res);
	return jv_null();
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
	if (jv_is_valid(ok)) {
		jv_free(ok);
		ok = start_check(o, sm, input);
	}
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
	    ASL_LIT("path"), o->path != NULL ? jv_string(o->path) : jv_null(),
	    ASL_LIT("historyLimit"), jv_number(o->history_limit >= 0 ?
	    o->history_limit : ASL_EXEC_HISTORY_LIMIT)));
	if (asl_s3_root(o->s3_root) != NULL) {
		/* where it is now: a resume from elsewhere finds it */
		char *abs = realpath(asl_s3_root(o->s3_root), NULL);
		jv opts = jv_object_get(jv_copy(meta), ASL_LIT("options"));
		opts = jv_object_set(opts, ASL_LIT("s3Root"), jv_string(abs !=
		    NULL ? abs : asl_s3_root(o->s3_root)));
		meta = jv_object_set(meta, ASL_LIT("options"), opts);
		free(abs);
	}
	started = JV_OBJECT(ASL_LIT("input"), asl_events_text(input),
	    ASL_LIT("inputDetails"), asl_events_not_truncated(),
	    ASL_LIT("roleArn"), asl_arn_role());
	ev = JV_OBJECT(ASL_LIT("timestamp"), jv_string(now),
	    ASL_LIT("type"), ASL_LIT("ExecutionStarted"),
	    ASL_LIT("id"), jv_number(1), ASL_LIT("previousEventId"),
	    jv_number(0), ASL_LIT("executionStartedEventDetails"), started);
	jv_free(name);
	if (o->group != NULL)
		return asl_store_group_create_execution(st, o->group, meta,
		    definition, JV_ARRAY(ev));
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

/*
 * The outcome of an execution that is over, as a drive returns it: from
 * its description, the output a document again, not its JSON text.
 */
static jv
ended_outcome(const struct asl_store *st, const char *name)
{
	jv d = asl_exec_describe(st, name), text, out;

	if (!jv_is_valid(d))
		return d;
	text = jv_object_get(jv_copy(d), ASL_LIT("output"));
	out = jv_get_kind(text) == JV_KIND_STRING ?
	    asl_json_parse(jv_string_value(text),
	    (size_t)jv_string_length_bytes(jv_copy(text)), NULL, NULL) :
	    jv_null();
	jv_free(text);
	if (!jv_is_valid(out)) {
		jv_free(out);
		out = jv_null();
	}
	return jv_object_set(d, ASL_LIT("output"), out);
}

static void
exec_release(struct exec *ex)
{
	ex_frame_free(ex->top);
	asl_history_release(&ex->h);
	asl_machine_free(ex->m);
	asl_task_resources_free(ex->res);
	jv_free(ex->meta);
	jv_free(ex->ctx_execution);
	jv_free(ex->ctx_machine);
	jv_free(ex->invocations);
	free(ex->waiting);
	free(ex->s3_root);
}

/* Whether event ev (borrowed) is of kind. */
static int
is_kind(jv ev, enum asl_event_kind kind)
{
	jv t = jv_object_get(jv_copy(ev), ASL_LIT("type"));
	const struct asl_event_type *et = jv_get_kind(t) == JV_KIND_STRING ?
	    asl_events_lookup(jv_string_value(t)) : NULL;

	jv_free(t);
	return et != NULL && et->kind == kind;
}

/*
 * Read the history at path an event at a time: the number of events, of
 * ExecutionRedriven events among them, whether the last one is one, the
 * last one's timestamp into *when (when not NULL; else null), and each
 * event given to fd when it is not NULL.  jv_null(), or an error.
 */
static jv
scan_history(const char *path, struct asl_fold *fd, long *n, int *redrives,
    int *redriven, jv *when)
{
	struct asl_history_reader r;
	jv ev, id;
	char *end;

	*n = 0;
	*redrives = *redriven = 0;
	if (when != NULL)
		*when = jv_null();
	if (asl_history_reader_open(&r, path) == -1)
		return asl_error("States.Runtime", "cannot read '%s': %s", path,
		    strerror(errno));
	while (jv_get_kind(ev = asl_history_reader_next(&r)) ==
	    JV_KIND_OBJECT) {
		(*n)++;
		/*
		 * The engine numbers a running execution's events by their
		 * lines; a line taken out, doubled or renumbered by hand would
		 * make the events appended next clash with the ones there.
		 */
		id = jv_dump_string(jv_object_get(jv_copy(ev), ASL_LIT("id")),
		    0);
		if (strtol(jv_string_value(id), &end, 10) != *n || *end != '\0') {
			jv_free(ev);
			ev = asl_error("States.Runtime", "%s:%ld: event id %s "
			    "where %ld was expected: the history was edited or "
			    "damaged", path, *n, jv_string_value(id), *n);
			jv_free(id);
			break;
		}
		jv_free(id);
		*redriven = is_kind(ev, ASL_EV_EXECUTION_REDRIVEN);
		*redrives += *redriven;
		if (*redriven && when != NULL) {
			jv_free(*when);
			*when = jv_object_get(jv_copy(ev), ASL_LIT("timestamp"));
		}
		if (fd == NULL)
			jv_free(ev);
		else if (asl_fold_event(fd, ev) == -1) {
			ev = asl_error("States.Runtime", "out of memory");
			break;
		}
	}
	asl_history_reader_close(&r);
	return ev;
}

/* The fold of the history at path (asl_fold.h), as scan_history reads. */
static jv
fold_history(const char *path, const struct asl_machine *m, long *n,
    int *redrives, int *redriven)
{
	struct asl_fold *fd = asl_fold_begin(m);
	jv r;

	if (fd == NULL)
		return asl_error("States.Runtime", "out of memory");
	r = scan_history(path, fd, n, redrives, redriven, NULL);
	if (!jv_is_valid(r)) {
		jv_free(asl_fold_end(fd));
		return r;
	}
	return asl_fold_end(fd);
}

jv
asl_exec_drive(const struct asl_store *st, const char *name,
    const struct asl_exec_options *o, int wait)
{
	struct exec ex;
	struct asl_exec_options own = *o;
	jv def, events, r, opts, v, input, err, stop;
	char *hpath;
	const char *status;
	int lock, resumed = 0, redrive = 0, redrives;
	long n;

	/* the group is this drive's last commit's, no child's */
	own.group = NULL;
	memset(&ex, 0, sizeof ex);
	ex.store = st;
	ex.opts = &own;
	ex.name = name;
	ex.inbox_stamp = -1;
	asl_progress_init(&ex.progress, o->progress, o->progress_arg);
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
	/* the store's definition was validated when it was stored */
	{
		struct asl_definition d;
		asl_definition_init(&d);
		if (asl_definition_value(&d, def, ASL_DEFINITION_TRUSTED |
		    ASL_DEFINITION_COMPILE, &r) == -1) {
			asl_definition_release(&d);
			goto out;
		}
		ex.m = d.machine;
		d.machine = NULL;
		asl_definition_release(&d);
	}
	v = jv_object_get(jv_copy(ex.meta), ASL_LIT("type"));
	ex.express = strcmp(jv_string_value(v), "EXPRESS") == 0;
	jv_free(v);
	opts = jv_object_get(jv_copy(ex.meta), ASL_LIT("options"));
	v = jv_object_get(jv_copy(opts), ASL_LIT("history"));
	ex.events = jv_get_kind(v) != JV_KIND_FALSE;
	jv_free(v);

	/* where the execution stands: over (its last event says), or the
	   fold of its events */
	hpath = asl_store_execution_path(st, name, "history.jsonl");
	events = hpath != NULL ? asl_history_last(hpath) :
	    asl_error("States.Runtime", "out of memory");
	if (!jv_is_valid(events)) {
		free(hpath);
		jv_free(opts);
		r = events;
		goto out;
	}
	status = asl_history_last_status(events);
	jv_free(events);
	if (status != NULL && strcmp(status, "RUNNING") != 0) {
		/* already over (another driver ended it while we waited for
		   the lock): report it */
		free(hpath);
		jv_free(opts);
		r = ended_outcome(st, name);
		goto out;
	}
	events = fold_history(hpath, ex.m, &n, &redrives, &redrive);
	if (!jv_is_valid(events)) {
		free(hpath);
		jv_free(opts);
		r = events;
		goto out;
	}
	redrive = redrive && n > 1;
	if (asl_history_open(&ex.h, hpath, !ex.express, 0) == -1) {
		r = asl_error("States.Runtime", "cannot open '%s': %s", hpath,
		    strerror(errno));
		free(hpath);
		jv_free(opts);
		jv_free(events);
		goto out;
	}
	free(hpath);
	/* AWS's quota holds for STANDARD; EXPRESS histories are unlimited */
	v = jv_object_get(jv_copy(opts), ASL_LIT("historyLimit"));
	ex.h.limit = ex.express ? 0 : o->history_limit >= 0 ? o->history_limit :
	    jv_get_kind(v) == JV_KIND_NUMBER ? (long)jv_number_value(v) :
	    ASL_EXEC_HISTORY_LIMIT;
	jv_free(v);

	/* the world: resources, mocks, Lambda functions */
	{
		jv map = jv_object_get(jv_copy(opts), ASL_LIT("resources"));
		jv mock = jv_object_get(jv_copy(opts), ASL_LIT("mock"));
		jv tc = jv_object_get(jv_copy(opts), ASL_LIT("testCase"));
		jv path = jv_object_get(jv_copy(opts), ASL_LIT("path"));
		jv s3 = jv_object_get(jv_copy(opts), ASL_LIT("s3Root"));
		const char *root = o->s3_root != NULL ? o->s3_root :
		    jv_get_kind(s3) == JV_KIND_STRING ? jv_string_value(s3) :
		    asl_s3_root(NULL);
		ex.s3_root = root != NULL ? strdup(root) : NULL;
		jv_free(s3);
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
		if (jv_get_kind(o->connections) == JV_KIND_OBJECT)
			asl_task_resources_connections(ex.res,
			    jv_copy(o->connections));
		asl_task_resources_insecure(ex.res, o->insecure);
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
		ex.exec_deadline = ex_monotonic() + ex.m->timeout_seconds -
		    (spent > 0 ? spent : 0);
	}

	/* start, or pick up where the history leaves off */
	if (n > 1) {
		resumed = ex_restore(&ex, events, redrive, &err);
		if (resumed == -1) {
			jv_free(input);
			r = err;
			goto out;
		}
	} else
		jv_free(events);
	if (!resumed) {
		ex.top = ex_frame_new(&ex, ex.m->top->start, input, jv_object(), 0);
		ex_push_ready(&ex, ex.top);
	} else
		jv_free(input);
	stop = asl_mailbox_stop_requested(st, name);
	ex.stopped = jv_get_kind(stop) == JV_KIND_OBJECT;
	jv_free(stop);
	ex_loop(&ex);
	asl_progress_end(&ex.progress);

	/* the outcome: always recorded, even for an Express execution */
	if (ex.stopped && ex.top->st != F_DONE && ex.top->st != F_FAILED) {
		/* asl stop: the tasks go, the execution is ABORTED */
		jv req = asl_mailbox_stop_requested(st, name);
		jv e = jv_object_get(jv_copy(req), ASL_LIT("error"));
		jv c = jv_object_get(req, ASL_LIT("cause"));
		jv d = jv_object();
		ex_abort_frame(ex.top);
		if (jv_get_kind(e) == JV_KIND_STRING)
			d = jv_object_set(d, ASL_LIT("error"), jv_copy(e));
		if (jv_get_kind(c) == JV_KIND_STRING)
			d = jv_object_set(d, ASL_LIT("cause"), jv_copy(c));
		ex.events = 1;
		ex_emit(&ex, ex.top->last, ASL_EV_EXECUTION_ABORTED, d);
		r = outcome_json("ABORTED", jv_null(), JV_OBJECT(
		    ASL_LIT("Error"), e, ASL_LIT("Cause"), c));
	} else if (ex.h.failed) {
		/*
		 * The history cannot be written (a full disk): stop as a crash
		 * would, the execution stays where its file says; the commit
		 * below reports the error, and a resume goes on from there.
		 */
		ex_abort_tasks(&ex);
		r = JV_OBJECT(ASL_LIT("status"), ASL_LIT("RUNNING"));
	} else if (ex_interrupted && ex.top->st != F_DONE &&
	    ex.top->st != F_FAILED) {
		/* stopped from outside: the tasks go, the execution stays */
		int sig = ex_interrupted;
		ex_abort_tasks(&ex);
		r = JV_OBJECT(ASL_LIT("status"), ASL_LIT("RUNNING"),
		    ASL_LIT("interrupted"), jv_number(sig));
	} else if (ex.h.full && ex.top->st != F_DONE &&
	    ex.top->st != F_FAILED) {
		/* AWS: "The execution reached the maximum number of history
		   events (25000)." as States.Runtime, in ExecutionFailed */
		jv e = JV_OBJECT(ASL_LIT("Error"), ASL_LIT("States.Runtime"),
		    ASL_LIT("Cause"), jv_string_fmt("The execution reached the "
		    "maximum number of history events (%ld).", ex.h.limit));
		ex_abort_frame(ex.top);
		ex.events = 1;
		ex_emit(&ex, ex.h.next_id - 1, ASL_EV_EXECUTION_FAILED,
		    asl_events_error_details(jv_copy(e)));
		r = outcome_json("FAILED", jv_null(), e);
	} else if (ex.timed_out && ex.top->st != F_DONE &&
	    ex.top->st != F_FAILED) {
		ex_abort_frame(ex.top);
		ex.events = 1;
		ex_emit(&ex, ex.top->last, ASL_EV_EXECUTION_TIMED_OUT, JV_OBJECT(
		    ASL_LIT("error"), ASL_LIT("States.Timeout")));
		r = outcome_json("TIMED_OUT", jv_null(), JV_OBJECT(
		    ASL_LIT("Error"), ASL_LIT("States.Timeout"),
		    ASL_LIT("Cause"), jv_null()));
	} else if (ex.top->st == F_DONE) {
		ex.events = 1;
		ex_emit(&ex, ex.top->last, ASL_EV_EXECUTION_SUCCEEDED, JV_OBJECT(
		    ASL_LIT("output"), asl_events_text(jv_copy(ex.top->output)),
		    ASL_LIT("outputDetails"), asl_events_not_truncated()));
		r = outcome_json("SUCCEEDED", jv_copy(ex.top->output), jv_null());
	} else if (ex.top->st == F_FAILED) {
		jv e = jv_copy(ex.top->error);
		ex.events = 1;
		ex_emit(&ex, ex.top->last, ASL_EV_EXECUTION_FAILED,
		    asl_events_error_details(jv_copy(e)));
		r = outcome_json("FAILED", jv_null(), e);
	} else {
		/* --detach: waiting for a timer, a callback or a worker */
		r = JV_OBJECT(ASL_LIT("status"), ASL_LIT("RUNNING"),
		    ASL_LIT("paused"), jv_true());
	}
	/* with a group, its commit syncs what is written last */
	if (o->group != NULL && ex.h.sync)
		ex.h.sync = 0;
	if (asl_history_commit(&ex.h) == -1) {
		jv_free(r);
		r = asl_error("States.Runtime", "cannot write the history: %s",
		    strerror(errno));
	} else if (o->group != NULL && ex.h.unsynced) {
		char *p = asl_store_execution_path(st, name, "history.jsonl");
		if (p != NULL)
			asl_store_group_sync(o->group, p);
		free(p);
	}
out:
	exec_release(&ex);
	close(lock);
	return r;
}

/* AWS's redrivable period: 14 days from the execution's end. */
#define REDRIVE_DAYS	14

/*
 * Why an execution whose status is status (its last event last,
 * borrowed) cannot be redriven, in AWS's words (DescribeExecution's
 * redriveStatusReason), or NULL when it can be.
 */
static const char *
not_redrivable(const char *status, jv last)
{
	struct asl_time end;
	jv ts, d, cause;
	int full;

	if (status == NULL || strcmp(status, "RUNNING") == 0)
		return "Execution is RUNNING and cannot be redriven";
	if (strcmp(status, "SUCCEEDED") == 0)
		return "Execution is SUCCEEDED and cannot be redriven";
	/* failed at the quota: a redrive would need more events */
	d = jv_object_get(jv_copy(last), ASL_LIT("executionFailedEventDetails"));
	cause = jv_get_kind(d) == JV_KIND_OBJECT ? jv_object_get(d,
	    ASL_LIT("cause")) : (jv_free(d), jv_null());
	full = jv_get_kind(cause) == JV_KIND_STRING && strncmp(jv_string_value(
	    cause), "The execution reached the maximum number of history "
	    "events", 58) == 0;
	jv_free(cause);
	if (full)
		return "Execution history event limit exceeded";
	ts = jv_object_get(jv_copy(last), ASL_LIT("timestamp"));
	full = jv_get_kind(ts) == JV_KIND_STRING && asl_time_parse(
	    jv_string_value(ts), &end) == 0 && asl_time_diff(end,
	    asl_time_now()) > REDRIVE_DAYS * 86400.0;
	jv_free(ts);
	return full ? "Execution redrivable period exceeded" : NULL;
}

jv
asl_exec_redrive_record(const struct asl_store *st, const char *name)
{
	struct asl_history h;
	jv events, last, r;
	char *hpath, *spath;
	const char *status, *reason;
	int lock, count, redriven;
	long n;

	if ((lock = asl_store_lock(st, name, 1)) == -1)
		return asl_error("ExecutionDoesNotExist", "Execution Does Not "
		    "Exist: '%s'", name);
	r = asl_store_get_execution(st, name);
	if (!jv_is_valid(r)) {
		close(lock);
		return r;
	}
	if (jv_object_has(jv_copy(r), ASL_LIT("mapRunArn"))) {
		/* AWS redrives a Map Run's children with their parent */
		jv_free(r);
		close(lock);
		return asl_error("ExecutionNotRedrivable", "Execution '%s' is "
		    "a child of a Map Run: redrive its parent", name);
	}
	jv_free(r);
	hpath = asl_store_execution_path(st, name, "history.jsonl");
	last = hpath != NULL ? asl_history_last(hpath) :
	    asl_error("States.Runtime", "out of memory");
	events = jv_is_valid(last) ? scan_history(hpath, NULL, &n, &count,
	    &redriven, NULL) : jv_null();
	if (!jv_is_valid(last) || !jv_is_valid(events)) {
		free(hpath);
		close(lock);
		jv_free(events);
		return jv_is_valid(last) ? (jv_free(last), events) : last;
	}
	status = asl_history_last_status(last);
	if (status == NULL || (strcmp(status, "FAILED") != 0 &&
	    strcmp(status, "ABORTED") != 0 && strcmp(status, "TIMED_OUT") != 0)) {
		r = asl_error("ExecutionNotRedrivable", "Execution is %s: only "
		    "a FAILED, ABORTED or TIMED_OUT execution can be redriven",
		    status != NULL ? status : "RUNNING");
		jv_free(last);
		free(hpath);
		close(lock);
		return r;
	}
	if ((reason = not_redrivable(status, last)) != NULL) {
		jv_free(last);
		free(hpath);
		close(lock);
		return asl_error("ExecutionNotRedrivable", "%s", reason);
	}
	count++;
	/* before the event: DescribeExecution then looks for redrives */
	r = asl_store_putf(st, jv_true(), 0, "executions/%s/%s", name,
	    "redriven.json");
	if (!jv_is_valid(r)) {
		jv_free(last);
		free(hpath);
		close(lock);
		return r;
	}
	jv_free(r);
	/* a stop request was for the run that ended */
	spath = asl_store_execution_path(st, name, "stop.json");
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
	{
		jv id = jv_object_get(last, ASL_LIT("id"));
		asl_history_add(&h, (long)jv_number_value(id),
		    asl_events_name(ASL_EV_EXECUTION_REDRIVEN), JV_OBJECT(
		    ASL_LIT("redriveCount"),
		    jv_number(count)));
		jv_free(id);
	}
	if (asl_history_close(&h) == -1) {
		asl_history_release(&h);
		free(hpath);
		close(lock);
		return asl_error("States.Runtime", "cannot write the history: %s",
		    strerror(errno));
	}
	asl_history_release(&h);
	last = asl_history_last(hpath);
	free(hpath);
	close(lock);
	r = JV_OBJECT(ASL_LIT("redriveCount"), jv_number(count),
	    ASL_LIT("redriveDate"), jv_is_valid(last) ? jv_object_get(last,
	    ASL_LIT("timestamp")) : (jv_free(last), jv_null()));
	return r;
}

jv
asl_exec_redrive(const struct asl_store *st, const char *name,
    const struct asl_exec_options *o)
{
	jv r = asl_exec_redrive_record(st, name);

	if (!jv_is_valid(r))
		return r;
	jv_free(r);
	return asl_exec_drive(st, name, o, 1);
}

/*
 * Stop an execution that cannot be driven: ExecutionAborted, with the
 * stop request's error and cause, after its last event, under its lock.
 */
static jv
abort_undriven(const struct asl_store *st, const char *name)
{
	struct asl_history h;
	jv last, req, e, c, d;
	char *path;
	const char *status;
	int lock;

	if ((lock = asl_store_lock(st, name, 1)) == -1)
		return asl_error("States.Runtime", "cannot lock '%s': %s", name,
		    strerror(errno));
	path = asl_store_execution_path(st, name, "history.jsonl");
	last = path != NULL ? asl_history_last(path) : jv_null();
	status = asl_history_last_status(last);
	if (path == NULL || !jv_is_valid(last) || (status != NULL &&
	    strcmp(status, "RUNNING") != 0)) {
		/* gone, or over after all */
		free(path);
		jv_free(last);
		close(lock);
		return asl_exec_describe(st, name);
	}
	req = asl_mailbox_stop_requested(st, name);
	e = jv_object_get(jv_copy(req), ASL_LIT("error"));
	c = jv_object_get(req, ASL_LIT("cause"));
	d = jv_object();
	if (jv_get_kind(e) == JV_KIND_STRING)
		d = jv_object_set(d, ASL_LIT("error"), jv_copy(e));
	if (jv_get_kind(c) == JV_KIND_STRING)
		d = jv_object_set(d, ASL_LIT("cause"), jv_copy(c));
	if (asl_history_open(&h, path, 1, 0) == -1) {
		jv_free(d);
		d = asl_error("States.Runtime", "cannot open '%s': %s", path,
		    strerror(errno));
	} else {
		jv id = jv_object_get(jv_copy(last), ASL_LIT("id"));
		long prev = jv_get_kind(id) == JV_KIND_NUMBER ?
		    (long)jv_number_value(id) : 0;
		/* a Map Run at work when its driver went ends with it */
		jv runs = ex_maprun_unended(asl_history_read(path, NULL));
		int i, n = jv_array_length(jv_copy(runs));
		for (i = 0; i < n; i++)
			prev = asl_history_add(&h, (long)jv_number_value(
			    jv_array_get(jv_copy(runs), i)),
			    asl_events_state_event(ASL_EV_MAP_RUN_ABORTED,
			    ASL_MAP), jv_null());
		jv_free(runs);
		asl_history_add(&h, prev,
		    asl_events_name(ASL_EV_EXECUTION_ABORTED), d);
		jv_free(id);
		d = asl_history_close(&h) == -1 ? asl_error("States.Runtime",
		    "cannot write the history: %s", strerror(errno)) :
		    outcome_json("ABORTED", jv_null(), JV_OBJECT(
		    ASL_LIT("Error"), jv_copy(e), ASL_LIT("Cause"), jv_copy(c)));
		asl_history_release(&h);
	}
	jv_free(e);
	jv_free(c);
	jv_free(last);
	free(path);
	close(lock);
	return d;
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
	r = asl_exec_drive(st, name, &o, 1);
	if (!jv_is_valid(r)) {
		/* it cannot be driven (its definition, mocks or resources
		   no longer load): it is stopped all the same */
		jv_free(r);
		r = abort_undriven(st, name);
	}
	return r;
}

/*
 * DescribeExecution's redrive members put into out (consumed):
 * redriveCount (0 until a redrive) and redriveDate (the last one's) from
 * the history, read whole only when redriven.json says there was one
 * (or for a Map Run's child);
 * redriveStatus and redriveStatusReason for a STANDARD execution (meta,
 * status and last borrowed).
 */
static jv
describe_redrive(const struct asl_store *st, const char *name, jv meta,
    const char *status, jv last, jv out)
{
	jv when = jv_null(), type, r;
	char *path = asl_store_execution_path(st, name, "redriven.json");
	const char *reason;
	int count = 0, redriven;
	long n;

	/* a Map Run's child is redriven by its parent, which leaves no file */
	if (path != NULL && (access(path, F_OK) == 0 ||
	    jv_object_has(jv_copy(meta), ASL_LIT("mapRunArn")))) {
		free(path);
		path = asl_store_execution_path(st, name, "history.jsonl");
		r = path != NULL ? scan_history(path, NULL, &n, &count,
		    &redriven, &when) : jv_null();
		jv_free(r);
	}
	free(path);
	out = jv_object_set(out, ASL_LIT("redriveCount"), jv_number(count));
	if (jv_get_kind(when) == JV_KIND_STRING)
		out = jv_object_set(out, ASL_LIT("redriveDate"), when);
	else
		jv_free(when);
	type = jv_object_get(jv_copy(meta), ASL_LIT("type"));
	if (jv_get_kind(type) == JV_KIND_STRING &&
	    strcmp(jv_string_value(type), "EXPRESS") != 0) {
		reason = not_redrivable(status, last);
		/* a Map Run's child is redriven with its parent [AWS] */
		out = jv_object_set(out, ASL_LIT("redriveStatus"),
		    jv_string(reason != NULL ? "NOT_REDRIVABLE" :
		    jv_object_has(jv_copy(meta), ASL_LIT("mapRunArn")) ?
		    "REDRIVABLE_BY_MAP_RUN" : "REDRIVABLE"));
		if (reason != NULL)
			out = jv_object_set(out, ASL_LIT("redriveStatusReason"),
			    jv_string(reason));
	}
	jv_free(type);
	return out;
}

jv
asl_exec_describe(const struct asl_store *st, const char *name)
{
	jv meta = asl_store_get_execution(st, name), last, d, out;
	char *path;
	const char *status;

	if (!jv_is_valid(meta))
		return meta;
	path = asl_store_execution_path(st, name, "history.jsonl");
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
	    ASL_LIT("input"), asl_events_text(jv_object_get(jv_copy(meta),
	    ASL_LIT("input"))),
	    ASL_LIT("inputDetails"), JV_OBJECT(ASL_LIT("included"),
	    jv_true()));
	if (status != NULL && strcmp(status, "RUNNING") != 0) {
		out = jv_object_set(out, ASL_LIT("stopDate"),
		    jv_object_get(jv_copy(last), ASL_LIT("timestamp")));
		{
			jv type = jv_object_get(jv_copy(last), ASL_LIT("type"));
			d = jv_object_get(jv_copy(last), asl_events_details_key(
			    jv_string_value(type)));
			jv_free(type);
		}
		if (strcmp(status, "SUCCEEDED") == 0) {
			out = jv_object_set(out, ASL_LIT("output"),
			    jv_object_get(jv_copy(d), ASL_LIT("output")));
			out = jv_object_set(out, ASL_LIT("outputDetails"),
			    JV_OBJECT(ASL_LIT("included"), jv_true()));
		} else
			out = asl_events_copy_error(out, d);
		jv_free(d);
	}
	out = describe_redrive(st, name, meta, status, last, out);
	/* a Map Run's child says which [AWS: DescribeExecution] */
	if (jv_object_has(jv_copy(meta), ASL_LIT("mapRunArn")))
		out = jv_object_set(out, ASL_LIT("mapRunArn"), jv_object_get(
		    jv_copy(meta), ASL_LIT("mapRunArn")));
	jv_free(last);
	jv_free(meta);
	return out;
}

jv
asl_exec_run(const struct asl_store *st, jv definition, jv input,
    const struct asl_exec_options *o)
{
	struct asl_exec_options run = *o;
	jv meta, existing, name, r;

	run.definition = jv_copy(definition);
	run.execution = jv_invalid();
	meta = asl_exec_start(st, definition, input, o);
	if (!jv_is_valid(meta)) {
		jv_free(run.definition);
		return meta;
	}
	existing = jv_object_get(jv_copy(meta), ASL_LIT("existing"));
	if (jv_get_kind(existing) == JV_KIND_TRUE) {
		/* an execution started before: drive what it stored */
		jv_free(run.definition);
		run.definition = jv_invalid();
	} else
		run.execution = jv_copy(meta);
	jv_free(existing);
	name = jv_object_get(meta, ASL_LIT("name"));
	r = asl_exec_drive(st, jv_string_value(name), &run, 1);
	jv_free(name);
	jv_free(run.definition);
	jv_free(run.execution);
	return r;
}

int
asl_exec_tick(const struct asl_store *st, const struct asl_exec_options *o,
    void (*fn)(void *, jv), void *arg)
{
	struct asl_exec_options tick = *o;
	jv names, d, s, r, e;
	int n, k, failed = 0;

	tick.detach = 1;
	tick.definition = jv_invalid();
	tick.execution = jv_invalid();
	(void)asl_store_sweep(st);
	names = asl_store_list_executions(st);
	n = jv_array_length(jv_copy(names));
	for (k = 0; k < n && !asl_exec_interrupted(); k++) {
		jv name = jv_array_get(jv_copy(names), k);
		/* how it stands is in its last event: cheap */
		d = asl_exec_describe(st, jv_string_value(name));
		s = jv_is_valid(d) ? jv_object_get(d, ASL_LIT("status")) :
		    (jv_free(d), ASL_LIT("?"));
		if (strcmp(jv_string_value(s), "RUNNING") != 0) {
			jv_free(s);
			jv_free(name);
			continue;
		}
		jv_free(s);
		r = asl_exec_drive(st, jv_string_value(name), &tick, 0);
		if (jv_is_valid(r)) {
			fn(arg, JV_OBJECT(ASL_LIT("name"), name,
			    ASL_LIT("status"), jv_object_get(r,
			    ASL_LIT("status"))));
			continue;
		}
		e = asl_error_object(r);
		/* another process drives it: its business */
		if (strcmp(asl_error_name(e), "ExecutionLocked") == 0) {
			jv_free(e);
			jv_free(name);
			continue;
		}
		failed++;
		fn(arg, JV_OBJECT(ASL_LIT("name"), name, ASL_LIT("error"),
		    jv_object_get(jv_copy(e), ASL_LIT("Error")),
		    ASL_LIT("cause"), jv_object_get(jv_copy(e),
		    ASL_LIT("Cause"))));
		jv_free(e);
	}
	jv_free(names);
	return failed;
}

jv
asl_exec_list(const struct asl_store *st)
{
	jv names = asl_store_list_executions(st), list = jv_array();

	jv_array_foreach(names, i, n) {
		jv d = asl_exec_describe(st, jv_string_value(n));
		jv_free(n);
		if (!jv_is_valid(d) || jv_object_has(jv_copy(d),
		    ASL_LIT("mapRunArn"))) {
			/* gone between the listing and the look, or a Map
			   Run's child: listed with its Map Run (--map-run) */
			jv_free(d);
			continue;
		}
		d = jv_object_delete(d, ASL_LIT("input"));
		d = jv_object_delete(d, ASL_LIT("inputDetails"));
		d = jv_object_delete(d, ASL_LIT("output"));
		d = jv_object_delete(d, ASL_LIT("outputDetails"));
		list = jv_array_append(list, d);
		(void)i;
	}
	jv_free(names);
	return JV_OBJECT(ASL_LIT("executions"), list);
}

jv
asl_exec_list_table(jv list)
{
	jv execs = jv_object_get(list, ASL_LIT("executions")), out;
	int waits = 0;

	jv_array_foreach(execs, i, d) {
		waits |= jv_object_has(d, ASL_LIT("waiting"));
		(void)i;
	}
	out = jv_string_fmt("%-40s %-10s %-24s %-*s%s\n", "NAME", "STATUS",
	    "START", waits ? 24 : 0, "STOP", waits ? " WAITING" : "");
	jv_array_foreach(execs, i, d) {
		jv n = jv_object_get(jv_copy(d), ASL_LIT("name"));
		jv s = jv_object_get(jv_copy(d), ASL_LIT("status"));
		jv a = jv_object_get(jv_copy(d), ASL_LIT("startDate"));
		jv b = jv_object_get(jv_copy(d), ASL_LIT("stopDate"));
		jv w = jv_object_get(d, ASL_LIT("waiting"));
		out = jv_string_concat(out, jv_string_fmt(
		    "%-40s %-10s %-24s %-*s%s%s\n", jv_string_value(n),
		    jv_string_value(s), jv_string_value(a), waits ? 24 : 0,
		    jv_get_kind(b) == JV_KIND_STRING ? jv_string_value(b) : "-",
		    jv_get_kind(w) == JV_KIND_STRING ? " " : "",
		    jv_get_kind(w) == JV_KIND_STRING ? jv_string_value(w) : ""));
		jv_free(n);
		jv_free(s);
		jv_free(a);
		jv_free(b);
		jv_free(w);
		(void)i;
	}
	jv_free(execs);
	return out;
}

jv
asl_exec_history(const struct asl_store *st, const char *name)
{
	jv path = asl_exec_history_path(st, name), events;

	if (!jv_is_valid(path))
		return path;
	events = asl_history_read(jv_string_value(path), NULL);
	jv_free(path);
	return events;
}

jv
asl_exec_history_path(const struct asl_store *st, const char *name)
{
	jv meta = asl_store_get_execution(st, name), r;
	char *path;

	if (!jv_is_valid(meta))
		return meta;
	jv_free(meta);
	path = asl_store_execution_path(st, name, "history.jsonl");
	r = path != NULL ? jv_string(path) : asl_error("States.Runtime",
	    "out of memory");
	free(path);
	return r;
}
