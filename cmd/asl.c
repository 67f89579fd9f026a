/*
 * asl - run state machines and keep their executions in a store: the
 * driver.  Each verb parses its options and calls lib/; the engine runs
 * in-process.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl.h"
#include "asl_activity.h"
#include "asl_arn.h"
#include "asl_cli.h"
#include "asl_definition.h"
#include "asl_doc.h"
#include "asl_exec.h"
#include "asl_history.h"
#include "asl_json.h"
#include "asl_store.h"
#include "asl_teststate.h"
#include "asl_token.h"
#include "asl_validate.h"

static const char usage_text[] =
"usage: asl [--store DIR] VERB [OPTIONS] [ARGS]\n"
"\n"
"  run DEF [--input JSON] [--name N] [--type STANDARD|EXPRESS]\n"
"          [--resources FILE] [--mock FILE --test-case NAME] [--jobs N]\n"
"          [--history] [--pretty] [--detach]\n"
"  start DEF [the options of run]  create an execution, do not drive it\n"
"  resume EXEC [--detach]          drive an execution on from its history\n"
"  tick                            advance every execution that can move\n"
"  stop EXEC [--error E] [--cause C]\n"
"  redrive EXEC [--detach]\n"
"  send-task-success --task-token T --output JSON\n"
"  send-task-failure --task-token T [--error E] [--cause C]\n"
"  send-task-heartbeat --task-token T\n"
"  create-activity --name N\n"
"  get-activity-task --activity N [--worker-name W] [--wait SECONDS]\n"
"  create-state-machine --name N [--type STANDARD|EXPRESS] DEF\n"
"  test-state DEF [--state NAME] [--input JSON] [--inspection-level L]\n"
"  validate FILE [--type STANDARD|EXPRESS] [--severity ERROR|WARNING]\n"
"  list [--json]\n"
"  describe EXEC\n"
"  history EXEC [--json] [--reverse]\n";

static const char help_text[] =
"Run Amazon States Language state machines locally.  DEF is a definition\n"
"file (JSON or YAML) or the name of a registered state machine.  The store\n"
"is --store DIR, else $ASL_STORE, else ${XDG_STATE_HOME:-~/.local/state}/asl.\n"
"\n"
"Exit status: 0 SUCCEEDED (and other verbs' success), 1 FAILED or an\n"
"error, 2 usage, 3 input that is not JSON, 4 system error, 5 TIMED_OUT,\n"
"6 ABORTED, 75 paused (waiting for a timer or a callback).\n"
"See asl(1) for every verb and option.\n";

static const char *store_dir;

static void __attribute__((noreturn))
usage(const char *fmt, const char *arg)
{
	if (fmt != NULL)
		asl_cli_warn(fmt, arg);
	fprintf(stderr, "%s", usage_text);
	fprintf(stderr, "Try 'asl --help' for more information.\n");
	exit(ASL_EX_USAGE);
}

static void
on_signal(int sig)
{
	asl_exec_interrupt(sig);
}

/*
 * Ctrl-C and kill stop a drive cleanly: tasks killed, history written;
 * the execution stays RUNNING for resume.  A closed pipe to a task is the
 * task's business, not ours.
 */
static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);	/* asl stop: look at the request */
	signal(SIGPIPE, SIG_IGN);
}

static void
open_store(struct asl_store *st)
{
	jv r = asl_store_open(st, store_dir);

	if (!jv_is_valid(r))
		asl_cli_die_error(ASL_EX_OS, r);
	jv_free(r);
}

/* An API error (ExecutionDoesNotExist ...) as AWS names it, exit 1. */
static void __attribute__((noreturn))
die_api(jv err)
{
	asl_cli_die_error(ASL_EX_FAIL, err);
}

static jv
load_doc(const char *what, const char *path)
{
	int is_io;
	jv v = asl_doc_read(path, ASL_FORMAT_AUTO, 0, &is_io), msg;

	if (!jv_is_valid(v)) {
		msg = jv_invalid_get_msg(v);
		asl_cli_die(is_io ? ASL_EX_OS : ASL_EX_DATA, "%s %s", what,
		    jv_string_value(msg));
	}
	return v;
}

/*
 * The definition a verb names: a file, or a registered state machine's
 * name (asl_definition.h).  Dies as asl-parse would on an invalid one.
 */
static void
load_definition(struct asl_definition *d, const struct asl_store *st,
    const char *arg, int flags)
{
	jv err;

	asl_definition_init(d);
	if (asl_definition_load(d, st, arg, ASL_FORMAT_AUTO, flags |
	    ASL_DEFINITION_REGISTERED, &err) == -1)
		asl_cli_die_definition(d, err);
}

static int
status_code(const char *status)
{
	if (strcmp(status, "SUCCEEDED") == 0)
		return ASL_EX_OK;
	if (strcmp(status, "TIMED_OUT") == 0)
		return ASL_EX_TIMED_OUT;
	if (strcmp(status, "ABORTED") == 0)
		return ASL_EX_ABORTED;
	if (strcmp(status, "RUNNING") == 0)
		return ASL_EX_WAITING;
	return ASL_EX_FAIL;
}

/*
 * An execution's outcome (asl_exec_drive's): the output on stdout when it
 * succeeded, else the error on stderr; the exit status for its status.
 */
static int
report(jv r, int pretty)
{
	jv status = jv_object_get(jv_copy(r), jv_string("status"));
	jv sig = jv_object_get(jv_copy(r), jv_string("interrupted"));
	int code = status_code(jv_string_value(status));

	if (jv_get_kind(sig) == JV_KIND_NUMBER) {
		asl_cli_warn("interrupted: the execution stays RUNNING");
		code = 128 + (int)jv_number_value(sig);
	} else if (code == ASL_EX_OK)
		asl_print(jv_object_get(jv_copy(r), jv_string("output")), pretty);
	else if (code == ASL_EX_WAITING)
		asl_cli_warn("execution RUNNING: waiting for a timer, a callback or "
		    "an activity worker");
	else {
		jv e = jv_object_get(jv_copy(r), jv_string("error"));
		jv c = jv_object_get(jv_copy(r), jv_string("cause"));
		int has_cause = jv_get_kind(c) == JV_KIND_STRING &&
		    *jv_string_value(c) != '\0';
		int has_error = jv_get_kind(e) == JV_KIND_STRING;
		asl_cli_warn("execution %s%s%s%s%s", jv_string_value(status),
		    has_error ? ": " : "", has_error ? jv_string_value(e) : "",
		    has_cause ? ": " : "", has_cause ? jv_string_value(c) : "");
		jv_free(e);
		jv_free(c);
	}
	jv_free(sig);
	jv_free(status);
	jv_free(r);
	return code;
}

/* asl run, and asl start (create only) */
static int
run_or_start(int argc, char *argv[], int start)
{
	enum { O_MOCK = 256, O_TEST_CASE, O_HISTORY, O_PRETTY, O_STORE,
	    O_DETACH };
	static const struct option longopts[] = {
		{ "detach", no_argument, NULL, O_DETACH },
		{ "history", no_argument, NULL, O_HISTORY },
		{ "input", required_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "mock", required_argument, NULL, O_MOCK },
		{ "name", required_argument, NULL, 'n' },
		{ "pretty", no_argument, NULL, O_PRETTY },
		{ "resources", required_argument, NULL, 'r' },
		{ "store", required_argument, NULL, O_STORE },
		{ "test-case", required_argument, NULL, O_TEST_CASE },
		{ "type", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct asl_exec_options o;
	struct asl_store st;
	const char *input = NULL, *type = NULL, *resources = NULL, *mock = NULL;
	char *end;
	int ch, pretty = 0, code;
	struct asl_definition d;
	jv in, meta, r, existing;

	asl_exec_options_init(&o);
	while ((ch = getopt_long(argc, argv, "i:j:n:r:t:", longopts, NULL))
	    != -1) {
		switch (ch) {
		case 'i':
			input = optarg;
			break;
		case 'j':
			o.jobs = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || o.jobs < 1)
				usage("--jobs: '%s' is not a positive number",
				    optarg);
			break;
		case 'n':
			o.name = optarg;
			break;
		case 'r':
			resources = optarg;
			break;
		case 't':
			type = optarg;
			if (strcmp(type, "STANDARD") != 0 &&
			    strcmp(type, "EXPRESS") != 0)
				usage("--type must be STANDARD or EXPRESS, not '%s'",
				    type);
			break;
		case O_HISTORY:
			o.history = 1;
			break;
		case O_DETACH:
			o.detach = 1;
			break;
		case O_MOCK:
			mock = optarg;
			break;
		case O_PRETTY:
			pretty = 1;
			break;
		case O_STORE:
			store_dir = optarg;
			break;
		case O_TEST_CASE:
			o.test_case = optarg;
			break;
		default:
			usage(NULL, NULL);
		}
	}
	if (optind + 1 != argc)
		usage("%s needs one definition", start ? "start" : "run");
	if ((mock != NULL) != (o.test_case != NULL))
		usage("--mock and --test-case go together", NULL);
	open_store(&st);
	load_definition(&d, &st, argv[optind], type != NULL &&
	    strcmp(type, "EXPRESS") == 0 ? ASL_DEFINITION_EXPRESS : 0);
	o.express = type == NULL ? d.express : strcmp(type, "EXPRESS") == 0;
	o.state_machine = jv_string_value(d.name);
	if (resources != NULL)
		o.resources = load_doc("resource map", resources);
	if (mock != NULL)
		o.mock = load_doc("mock file", mock);
	o.path = getenv("ASL_PATH");
	in = input != NULL ? asl_cli_json_arg("--input", input) : jv_object();
	o.definition = jv_copy(d.doc);
	meta = asl_exec_start(&st, jv_copy(d.doc), in, &o);
	if (!jv_is_valid(meta))
		die_api(meta);
	existing = jv_object_get(jv_copy(meta), jv_string("existing"));
	if (jv_get_kind(existing) == JV_KIND_TRUE) {
		/* an execution started before: drive what it stored */
		jv_free(o.definition);
		o.definition = jv_invalid();
	} else
		o.execution = jv_copy(meta);
	jv_free(existing);
	if (start) {
		/* StartExecution's answer: the execution waits for a driver */
		asl_print(JV_OBJECT(jv_string("executionArn"),
		    jv_object_get(jv_copy(meta), jv_string("executionArn")),
		    jv_string("name"), jv_object_get(jv_copy(meta),
		    jv_string("name")), jv_string("startDate"),
		    jv_object_get(jv_copy(meta), jv_string("startDate"))), pretty);
		code = ASL_EX_OK;
	} else {
		jv n = jv_object_get(jv_copy(meta), jv_string("name"));
		catch_signals();
		r = asl_exec_drive(&st, jv_string_value(n), &o, 1);
		jv_free(n);
		if (!jv_is_valid(r))
			die_api(r);
		code = report(r, pretty);
	}
	jv_free(meta);
	jv_free(o.definition);
	jv_free(o.execution);
	asl_definition_release(&d);
	jv_free(o.resources);
	jv_free(o.mock);
	asl_store_close(&st);
	return asl_close_stdout(code);
}

static int
cmd_run(int argc, char *argv[])
{
	return run_or_start(argc, argv, 0);
}

static int
cmd_start(int argc, char *argv[])
{
	return run_or_start(argc, argv, 1);
}

/* Options of the verbs that take an execution and little else. */
struct xopts {
	int	 detach, pretty, jobs;
	const char *error, *cause, *token, *output, *activity, *worker, *name;
	double	 wait;
};

/* Whether word is one of the space-separated words of list. */
static int
has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

static int
parse_xopts(int argc, char *argv[], struct xopts *x, const char *allowed)
{
	enum { O_DETACH = 256, O_PRETTY, O_STORE, O_ERROR, O_CAUSE, O_TOKEN,
	    O_OUTPUT, O_ACTIVITY, O_WORKER, O_WAIT, O_NAME, O_JOBS };
	static const struct option longopts[] = {
		{ "activity", required_argument, NULL, O_ACTIVITY },
		{ "cause", required_argument, NULL, O_CAUSE },
		{ "detach", no_argument, NULL, O_DETACH },
		{ "error", required_argument, NULL, O_ERROR },
		{ "jobs", required_argument, NULL, O_JOBS },
		{ "name", required_argument, NULL, O_NAME },
		{ "output", required_argument, NULL, O_OUTPUT },
		{ "pretty", no_argument, NULL, O_PRETTY },
		{ "store", required_argument, NULL, O_STORE },
		{ "task-token", required_argument, NULL, O_TOKEN },
		{ "wait", required_argument, NULL, O_WAIT },
		{ "worker-name", required_argument, NULL, O_WORKER },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int ch, idx = 0;

	memset(x, 0, sizeof *x);
	x->wait = 60;
	while ((ch = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
		if (ch == '?')
			usage(NULL, NULL);
		if (ch != O_STORE && !has_word(allowed, longopts[idx].name))
			usage("--%s: not an option of this verb", longopts[idx].name);
		switch (ch) {
		case O_ACTIVITY:
			x->activity = optarg;
			break;
		case O_CAUSE:
			x->cause = optarg;
			break;
		case O_DETACH:
			x->detach = 1;
			break;
		case O_ERROR:
			x->error = optarg;
			break;
		case O_JOBS:
			x->jobs = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || x->jobs < 1)
				usage("--jobs: '%s' is not a positive number",
				    optarg);
			break;
		case O_NAME:
			x->name = optarg;
			break;
		case O_OUTPUT:
			x->output = optarg;
			break;
		case O_PRETTY:
			x->pretty = 1;
			break;
		case O_STORE:
			store_dir = optarg;
			break;
		case O_TOKEN:
			x->token = optarg;
			break;
		case O_WAIT:
			x->wait = strtod(optarg, &end);
			if (*end != '\0' || x->wait < 0)
				usage("--wait: '%s' is not a number of seconds",
				    optarg);
			break;
		case O_WORKER:
			x->worker = optarg;
			break;
		}
	}
	return optind;
}

/* asl resume EXEC and asl redrive EXEC: drive it on */
static int
drive_on(int argc, char *argv[], int redrive)
{
	struct asl_exec_options o;
	struct asl_store st;
	struct xopts x;
	int i = parse_xopts(argc, argv, &x, "detach pretty jobs");
	jv r;

	if (i + 1 != argc)
		usage("%s needs one execution name", redrive ? "redrive" :
		    "resume");
	asl_exec_options_init(&o);
	o.detach = x.detach;
	o.jobs = x.jobs;
	open_store(&st);
	catch_signals();
	r = redrive ? asl_exec_redrive(&st, asl_arn_last(argv[i]), &o) :
	    asl_exec_drive(&st, asl_arn_last(argv[i]), &o, 1);
	if (!jv_is_valid(r))
		die_api(r);
	i = report(r, x.pretty);
	asl_store_close(&st);
	return asl_close_stdout(i);
}

static int
cmd_resume(int argc, char *argv[])
{
	return drive_on(argc, argv, 0);
}

static int
cmd_redrive(int argc, char *argv[])
{
	return drive_on(argc, argv, 1);
}

/* asl stop EXEC [--error E] [--cause C] */
static int
cmd_stop(int argc, char *argv[])
{
	struct asl_store st;
	struct xopts x;
	int i = parse_xopts(argc, argv, &x, "error cause");
	jv r, d;

	if (i + 1 != argc)
		usage("stop needs one execution name", NULL);
	open_store(&st);
	r = asl_exec_stop(&st, asl_arn_last(argv[i]), x.error != NULL ?
	    jv_string(x.error) : jv_null(), x.cause != NULL ?
	    jv_string(x.cause) : jv_null());
	if (!jv_is_valid(r))
		die_api(r);
	jv_free(r);
	/* StopExecution's answer */
	d = asl_exec_describe(&st, asl_arn_last(argv[i]));
	if (!jv_is_valid(d))
		die_api(d);
	asl_print(JV_OBJECT(jv_string("stopDate"), jv_object_get(d,
	    jv_string("stopDate"))), 0);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/*
 * asl tick: advance every execution that can move (a timer due, an
 * answer arrived) and return.  Executions another process drives are
 * left to it.
 */
static int
cmd_tick(int argc, char *argv[])
{
	struct asl_exec_options o;
	struct asl_store st;
	struct xopts x;
	int i = parse_xopts(argc, argv, &x, "jobs"), n, k, code = ASL_EX_OK;
	jv names, r, d, s;

	if (i != argc)
		usage("tick takes no arguments", NULL);
	asl_exec_options_init(&o);
	o.detach = 1;
	o.jobs = x.jobs;
	open_store(&st);
	catch_signals();
	names = asl_store_list_executions(&st);
	n = jv_array_length(jv_copy(names));
	for (k = 0; k < n && !asl_exec_interrupted(); k++) {
		jv name = jv_array_get(jv_copy(names), k);
		d = asl_exec_describe(&st, jv_string_value(name));
		s = jv_is_valid(d) ? jv_object_get(d, jv_string("status")) :
		    (jv_free(d), jv_string("?"));
		if (strcmp(jv_string_value(s), "RUNNING") != 0) {
			jv_free(s);
			jv_free(name);
			continue;
		}
		jv_free(s);
		r = asl_exec_drive(&st, jv_string_value(name), &o, 0);
		if (!jv_is_valid(r)) {
			jv msg = jv_invalid_get_msg(r);
			jv e = jv_object_get(jv_copy(msg), jv_string("Error"));
			if (strcmp(jv_string_value(e), "ExecutionLocked") != 0) {
				jv c = jv_object_get(jv_copy(msg),
				    jv_string("Cause"));
				asl_cli_warn("%s: %s: %s", jv_string_value(name),
				    jv_string_value(e), jv_string_value(c));
				jv_free(c);
				code = ASL_EX_FAIL;
			}
			jv_free(e);
			jv_free(msg);
		} else {
			s = jv_object_get(r, jv_string("status"));
			printf("%s\t%s\n", jv_string_value(name),
			    jv_string_value(s));
			jv_free(s);
		}
		jv_free(name);
	}
	jv_free(names);
	asl_store_close(&st);
	return asl_close_stdout(code);
}

/* asl send-task-success / send-task-failure / send-task-heartbeat */
static int
send_task(int argc, char *argv[], const char *what)
{
	struct asl_store st;
	struct xopts x;
	int i = parse_xopts(argc, argv, &x, strcmp(what, "success") == 0 ?
	    "task-token output" : strcmp(what, "failure") == 0 ?
	    "task-token error cause" : "task-token");
	jv r;

	if (i != argc || x.token == NULL)
		usage("send-task-%s needs --task-token T", what);
	if (strcmp(what, "success") == 0 && x.output == NULL)
		usage("send-task-success needs --output JSON", NULL);
	open_store(&st);
	if (strcmp(what, "success") == 0)
		r = asl_token_send_result(&st, x.token, JV_OBJECT(
		    jv_string("output"), asl_cli_json_arg("--output", x.output)));
	else if (strcmp(what, "failure") == 0)
		r = asl_token_send_result(&st, x.token, JV_OBJECT(
		    jv_string("error"), x.error != NULL ? jv_string(x.error) :
		    jv_null(), jv_string("cause"), x.cause != NULL ?
		    jv_string(x.cause) : jv_null()));
	else
		r = asl_token_send_heartbeat(&st, x.token);
	if (!jv_is_valid(r))
		die_api(r);
	/* a driver at work takes it within 0.1 s; else the next tick does */
	jv_free(r);
	asl_print(jv_object(), 0);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

static int
cmd_send_success(int argc, char *argv[])
{
	return send_task(argc, argv, "success");
}

static int
cmd_send_failure(int argc, char *argv[])
{
	return send_task(argc, argv, "failure");
}

static int
cmd_send_heartbeat(int argc, char *argv[])
{
	return send_task(argc, argv, "heartbeat");
}

/* asl create-activity --name N */
static int
cmd_create_activity(int argc, char *argv[])
{
	struct asl_store st;
	struct xopts x;
	int i = parse_xopts(argc, argv, &x, "name");
	jv r;

	if (i != argc || x.name == NULL)
		usage("create-activity needs --name N", NULL);
	open_store(&st);
	r = asl_activity_create(&st, x.name);
	if (!jv_is_valid(r))
		die_api(r);
	asl_print(JV_OBJECT(jv_string("activityArn"), jv_object_get(jv_copy(r),
	    jv_string("activityArn")), jv_string("creationDate"),
	    jv_object_get(jv_copy(r), jv_string("creationDate"))), 0);
	jv_free(r);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl get-activity-task --activity N [--worker-name W] [--wait S] */
static int
cmd_get_activity_task(int argc, char *argv[])
{
	struct asl_store st;
	struct xopts x;
	int i = parse_xopts(argc, argv, &x, "activity worker-name wait pretty");
	jv r;

	if (i != argc || x.activity == NULL)
		usage("get-activity-task needs --activity NAME", NULL);
	open_store(&st);
	r = asl_activity_take(&st, asl_arn_last(x.activity), x.worker, x.wait);
	if (!jv_is_valid(r))
		die_api(r);
	if (jv_get_kind(r) == JV_KIND_NULL) {
		/* no task within --wait: nothing on stdout; try again later */
		asl_store_close(&st);
		return asl_close_stdout(ASL_EX_WAITING);
	}
	asl_print(r, x.pretty);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl create-state-machine */
static int
cmd_create(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "replace", no_argument, NULL, 'R' },
		{ "store", required_argument, NULL, 'S' },
		{ "type", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct asl_store st;
	const char *name = NULL, *type = "STANDARD";
	int ch, replace = 0;
	struct asl_definition d;
	jv r;

	while ((ch = getopt_long(argc, argv, "n:t:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			name = optarg;
			break;
		case 'R':
			replace = 1;
			break;
		case 'S':
			store_dir = optarg;
			break;
		case 't':
			type = optarg;
			if (strcmp(type, "STANDARD") != 0 &&
			    strcmp(type, "EXPRESS") != 0)
				usage("--type must be STANDARD or EXPRESS, not '%s'",
				    type);
			break;
		default:
			usage(NULL, NULL);
		}
	}
	if (optind + 1 != argc || name == NULL)
		usage("create-state-machine needs --name N and one definition",
		    NULL);
	open_store(&st);
	load_definition(&d, &st, argv[optind], strcmp(type, "EXPRESS") == 0 ?
	    ASL_DEFINITION_EXPRESS : 0);
	r = asl_store_put_machine(&st, name, jv_copy(d.doc), type, replace);
	asl_definition_release(&d);
	if (!jv_is_valid(r))
		die_api(r);
	asl_print(r, 0);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl validate: ValidateStateMachineDefinition */
static int
cmd_validate(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "severity", required_argument, NULL, 'v' },
		{ "type", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char *type = "STANDARD", *severity = "ERROR";
	struct asl_definition d;
	int ch, flags = 0, failed;
	jv err;

	while ((ch = getopt_long(argc, argv, "t:", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			type = optarg;
			break;
		case 'v':
			severity = optarg;
			break;
		default:
			usage(NULL, NULL);
		}
	}
	if (optind + 1 != argc)
		usage("validate needs one definition file", NULL);
	if (strcmp(type, "STANDARD") != 0 && strcmp(type, "EXPRESS") != 0)
		usage("--type must be STANDARD or EXPRESS, not '%s'", type);
	if (strcmp(severity, "ERROR") != 0 && strcmp(severity, "WARNING") != 0)
		usage("--severity must be ERROR or WARNING, not '%s'", severity);
	if (strcmp(type, "EXPRESS") == 0)
		flags |= ASL_DEFINITION_EXPRESS;
	if (strcmp(severity, "WARNING") == 0)
		flags |= ASL_DEFINITION_WARNINGS;
	/* ValidateStateMachineDefinition: the diagnostics are the answer */
	asl_definition_init(&d);
	failed = asl_definition_load(&d, NULL, argv[optind], ASL_FORMAT_AUTO,
	    flags | ASL_DEFINITION_RAW, &err) == -1;
	if (failed && d.io)
		asl_cli_die_definition(&d, err);
	if (failed)
		jv_free(err);
	asl_print(asl_validate_response(jv_copy(d.diagnostics)), 1);
	asl_definition_release(&d);
	return asl_close_stdout(failed ? ASL_EX_FAIL : ASL_EX_OK);
}

/* asl list */
static int
cmd_list(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "store", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct asl_store st;
	int ch, json = 0;
	jv names, list = jv_array();

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'J':
			json = 1;
			break;
		case 'S':
			store_dir = optarg;
			break;
		default:
			usage(NULL, NULL);
		}
	}
	if (optind != argc)
		usage("list takes no arguments", NULL);
	open_store(&st);
	names = asl_store_list_executions(&st);
	jv_array_foreach(names, i, n) {
		jv d = asl_exec_describe(&st, jv_string_value(n));
		jv_free(n);
		if (!jv_is_valid(d)) {
			jv_free(d);
			continue;
		}
		d = jv_object_delete(d, jv_string("input"));
		d = jv_object_delete(d, jv_string("inputDetails"));
		d = jv_object_delete(d, jv_string("output"));
		d = jv_object_delete(d, jv_string("outputDetails"));
		list = jv_array_append(list, d);
	}
	jv_free(names);
	if (json)
		asl_print(JV_OBJECT(jv_string("executions"), list), 1);
	else {
		printf("%-40s %-10s %-24s %s\n", "NAME", "STATUS", "START",
		    "STOP");
		jv_array_foreach(list, i, d) {
			jv n = jv_object_get(jv_copy(d), jv_string("name"));
			jv s = jv_object_get(jv_copy(d), jv_string("status"));
			jv a = jv_object_get(jv_copy(d), jv_string("startDate"));
			jv b = jv_object_get(d, jv_string("stopDate"));
			printf("%-40s %-10s %-24s %s\n", jv_string_value(n),
			    jv_string_value(s), jv_string_value(a),
			    jv_get_kind(b) == JV_KIND_STRING ? jv_string_value(b) :
			    "-");
			jv_free(n);
			jv_free(s);
			jv_free(a);
			jv_free(b);
		}
		jv_free(list);
	}
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl describe */
static int
cmd_describe(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct asl_store st;
	int ch;
	jv d;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'S')
			store_dir = optarg;
		else
			usage(NULL, NULL);
	}
	if (optind + 1 != argc)
		usage("describe needs one execution name", NULL);
	open_store(&st);
	d = asl_exec_describe(&st, argv[optind]);
	if (!jv_is_valid(d))
		die_api(d);
	asl_print(d, 1);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl history */
static int
cmd_history(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "store", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct asl_store st;
	int ch, json = 0, reverse = 0;
	char *path;
	jv meta, events;

	while ((ch = getopt_long(argc, argv, "r", longopts, NULL)) != -1) {
		switch (ch) {
		case 'J':
			json = 1;
			break;
		case 'r':
			reverse = 1;
			break;
		case 'S':
			store_dir = optarg;
			break;
		default:
			usage(NULL, NULL);
		}
	}
	if (optind + 1 != argc)
		usage("history needs one execution name", NULL);
	open_store(&st);
	meta = asl_store_get_execution(&st, argv[optind]);
	if (!jv_is_valid(meta))
		die_api(meta);
	jv_free(meta);
	path = asl_store_path(&st, "executions/%s/history.jsonl", argv[optind]);
	events = asl_history_read(path, NULL);
	free(path);
	if (!jv_is_valid(events))
		asl_cli_die_error(ASL_EX_OS, events);
	if (json)
		asl_print(asl_history_document(events, reverse), 1);
	else {
		jv t = asl_history_table(events, reverse);
		fputs(jv_string_value(t), stdout);
		jv_free(t);
	}
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl test-state */
static int
cmd_test_state(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "inspection-level", required_argument, NULL, 'l' },
		{ "state", required_argument, NULL, 's' },
		{ "store", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct asl_store st;
	const char *input = NULL, *state = NULL, *level = NULL;
	int ch, code;
	struct asl_definition d;
	jv req, resp, s;

	while ((ch = getopt_long(argc, argv, "i:l:s:", longopts, NULL))
	    != -1) {
		switch (ch) {
		case 'i':
			input = optarg;
			break;
		case 'l':
			level = optarg;
			break;
		case 's':
			state = optarg;
			break;
		case 'S':
			store_dir = optarg;
			break;
		default:
			usage(NULL, NULL);
		}
	}
	if (optind + 1 != argc)
		usage("test-state needs one definition", NULL);
	open_store(&st);
	load_definition(&d, &st, argv[optind], ASL_DEFINITION_ANY);
	req = JV_OBJECT(jv_string("definition"), jv_copy(d.doc),
	    jv_string("input"), input != NULL ?
	    asl_cli_json_arg("--input", input) : jv_object());
	if (state != NULL)
		req = jv_object_set(req, jv_string("stateName"), jv_string(state));
	if (level != NULL)
		req = jv_object_set(req, jv_string("inspectionLevel"),
		    jv_string(level));
	asl_definition_release(&d);
	resp = asl_teststate_run(req, NULL, NULL);
	if (!jv_is_valid(resp))
		die_api(resp);
	s = jv_object_get(jv_copy(resp), jv_string("status"));
	code = strcmp(jv_string_value(s), "FAILED") == 0 ? ASL_EX_FAIL :
	    ASL_EX_OK;
	jv_free(s);
	asl_print(resp, 1);
	asl_store_close(&st);
	return asl_close_stdout(code);
}

static const struct {
	const char *name;
	int (*fn)(int, char *[]);
} verbs[] = {
	{ "create-activity", cmd_create_activity },
	{ "create-state-machine", cmd_create },
	{ "describe", cmd_describe },
	{ "get-activity-task", cmd_get_activity_task },
	{ "history", cmd_history },
	{ "list", cmd_list },
	{ "redrive", cmd_redrive },
	{ "resume", cmd_resume },
	{ "run", cmd_run },
	{ "send-task-failure", cmd_send_failure },
	{ "send-task-heartbeat", cmd_send_heartbeat },
	{ "send-task-success", cmd_send_success },
	{ "start", cmd_start },
	{ "stop", cmd_stop },
	{ "test-state", cmd_test_state },
	{ "tick", cmd_tick },
	{ "validate", cmd_validate },
};

int
main(int argc, char *argv[])
{
	size_t i;
	int a = 1;

	asl_setprogname(argv[0]);
	while (a < argc && argv[a][0] == '-') {
		if (strcmp(argv[a], "-h") == 0 || strcmp(argv[a], "--help") == 0) {
			printf("%s\n%s", usage_text, help_text);
			return asl_close_stdout(ASL_EX_OK);
		}
		if (strcmp(argv[a], "--store") == 0 && a + 1 < argc) {
			store_dir = argv[a + 1];
			a += 2;
		} else if (strncmp(argv[a], "--store=", 8) == 0) {
			store_dir = argv[a] + 8;
			a++;
		} else
			usage("unknown option '%s'", argv[a]);
	}
	if (a >= argc)
		usage("no verb", NULL);
	for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (strcmp(argv[a], verbs[i].name) == 0) {
			/* "asl VERB --help": the same help as "asl --help" */
			if (a + 1 < argc && (strcmp(argv[a + 1], "--help") == 0 ||
			    strcmp(argv[a + 1], "-h") == 0)) {
				printf("%s\n%s", usage_text, help_text);
				return asl_close_stdout(ASL_EX_OK);
			}
			optind = 1;
			return verbs[i].fn(argc - a, argv + a);
		}
	usage("unknown verb '%s'", argv[a]);
}
