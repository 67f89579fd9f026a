/*
 * asl-step - one state, one transition, no side effects: the TestState
 * API as a filter.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_cli_table.h"
#include "asl_definition.h"
#include "asl_doc.h"
#include "asl_json.h"
#include "asl_teststate.h"

/* --version has no short option */
#define O_VERSION 0x400

static const char usage_text[] =
"usage: asl-step [--definition FILE] [--state NAME] [--pretty] [REQUEST]\n"
"       asl-step --definition FILE --input JSON [--state NAME]\n"
"                [--mock-result JSON | --mock-error E [--mock-cause C]]\n"
"                [--inspection-level INFO|DEBUG|TRACE] [--context JSON]\n"
"                [--variables JSON] [--retrier-retry-count N]\n"
"                [--map-iteration-failure-count N] [--pretty]\n"
"       asl-step --test-state [--pretty] [TESTSTATE_REQUEST]\n"
"       asl-step --run-tests FILE [SECTION]\n";

static const char help_text[] =
"Run one state of a state machine once, as a pure transformation.\n"
"\n"
"With a request (a file, or stdin), one phase of one state: {\"definition\",\n"
"\"stateName\", \"input\", \"context\", \"variables\", \"phase\":\n"
"\"enter\"|\"complete\"|\"error\", \"result\", \"error\", \"retryCounts\",\n"
"\"enteredEventId\", \"inspectionLevel\", \"seed\"}.  The response has\n"
"status SUCCEEDED, FAILED, PENDING (with an \"effect\": the task, wait,\n"
"branches or items the caller must run), RETRIABLE (with \"retry\": the\n"
"delay and counters) or CAUGHT_ERROR, and nextState, output, error,\n"
"cause, assigned, variables and inspectionData.\n"
"\n"
"With --input (or --test-state and AWS's TestState request on stdin), it\n"
"answers like `aws stepfunctions test-state`: the state runs once, a\n"
"mock standing in for its work.\n"
"\n"
"  -d, --definition FILE     the state machine, or one state (JSON or YAML)\n"
"  -s, --state NAME          the state to run (default: StartAt)\n"
"  -i, --input JSON          the state's input (TestState mode)\n"
"      --mock-result JSON    the result the work returns\n"
"      --mock-error ERROR    the error the work fails with\n"
"      --mock-cause CAUSE    and its cause\n"
"  -l, --inspection-level L  INFO (default), DEBUG or TRACE\n"
"      --context JSON        the context object\n"
"      --variables JSON      the variables in scope\n"
"      --retrier-retry-count N        attempts already made (TestState)\n"
"      --map-iteration-failure-count N  failed Map iterations (TestState)\n"
"      --test-state          read AWS's TestState request on stdin\n"
"      --pretty              indent the output\n"
"      --run-tests FILE [SECTION]  run a table of test cases in-process\n"
"  -h, --help                show this help\n"
"      --version             print the version\n"
"\n"
"JSON arguments may be given as @FILE.  Exit status: 0 a response\n"
"(other than FAILED), 1 status FAILED or a request the API rejects,\n"
"2 usage, 3 input that is not JSON or YAML, 4 I/O error.\n";

/*
 * The definition of --definition in *def, loaded as every program loads
 * one (asl_definition.h): a machine or one state, validated; an invalid
 * one is reported as asl-parse reports it.  0, or the exit status.
 */
static int
load_definition(struct asl_cli *cli, const char *path, jv *def)
{
	struct asl_definition d;
	jv err;
	int r;

	if (strcmp(path, "-") == 0) {
		/* the invocation's standard input, which may not be file 0 */
		char *text;
		size_t len;

		if ((text = asl_cli_read_all(cli, path, 0, &len)) == NULL)
			return asl_cli_fail(cli, ASL_EX_OS, "<stdin>: %s",
			    strerror(errno));
		asl_definition_init(&d);
		r = asl_definition_parse(&d, "<stdin>", text, len,
		    ASL_FORMAT_AUTO, ASL_DEFINITION_ANY, &err);
		free(text);
	} else {
		asl_definition_init(&d);
		r = asl_definition_load(&d, NULL, path, ASL_FORMAT_AUTO,
		    ASL_DEFINITION_ANY, &err);
	}
	r = r == -1 ? asl_cli_fail_definition(cli, &d, err) : 0;
	if (r == 0)
		*def = jv_copy(d.doc);
	asl_definition_release(&d);
	return r;
}

/* *obj with key set to the JSON argument arg: 0, or the status. */
static int
set_arg(struct asl_cli *cli, jv *obj, const char *key, const char *what,
    const char *arg)
{
	int status;
	jv v;

	if ((status = asl_cli_read_arg(cli, what, arg, &v)) != 0)
		return status;
	*obj = jv_object_set(*obj, jv_string(key), v);
	return 0;
}

/* *req with its definition from path: 0, or the status. */
static int
set_definition(struct asl_cli *cli, jv *req, const char *path)
{
	int status;
	jv def;

	if ((status = load_definition(cli, path, &def)) != 0)
		return status;
	*req = jv_object_set(*req, jv_string("definition"), def);
	return 0;
}

/* One invocation: build the request, run the state once, print. */
static int
step(struct asl_cli *cli, int argc, char *argv[])
{
	enum { O_MOCK_RESULT = 256, O_MOCK_ERROR, O_MOCK_CAUSE, O_CONTEXT,
	    O_VARIABLES, O_RETRY_COUNT, O_MAP_FAILURES, O_TEST_STATE,
	    O_PRETTY };
	static const struct option longopts[] = {
		{ "context", required_argument, NULL, O_CONTEXT },
		{ "definition", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ "input", required_argument, NULL, 'i' },
		{ "inspection-level", required_argument, NULL, 'l' },
		{ "map-iteration-failure-count", required_argument, NULL,
		    O_MAP_FAILURES },
		{ "mock-cause", required_argument, NULL, O_MOCK_CAUSE },
		{ "mock-error", required_argument, NULL, O_MOCK_ERROR },
		{ "mock-result", required_argument, NULL, O_MOCK_RESULT },
		{ "pretty", no_argument, NULL, O_PRETTY },
		{ "retrier-retry-count", required_argument, NULL, O_RETRY_COUNT },
		{ "state", required_argument, NULL, 's' },
		{ "test-state", no_argument, NULL, O_TEST_STATE },
		{ "variables", required_argument, NULL, O_VARIABLES },
		{ NULL, 0, NULL, 0 }
	};
	const char *deffile = NULL, *state = NULL, *input = NULL;
	const char *mock_result = NULL, *mock_error = NULL, *mock_cause = NULL;
	const char *level = NULL, *context = NULL, *variables = NULL;
	const char *retry_count = NULL, *map_failures = NULL, *reqfile = "-";
	int ch, pretty = 0, test_state = 0, status;
	jv req = jv_null(), resp, cfg = jv_null(), mock, st;

	while ((ch = asl_cli_getopt(cli, argc, argv, "d:hi:l:s:", longopts))
	    != -1) {
		switch (ch) {
		case 'd':
			deffile = optarg;
			break;
		case 'h':
			fprintf(cli->out, "%s\n%s", usage_text, help_text);
			return ASL_EX_OK;
		case O_VERSION:
			return asl_cli_version(cli);
		case 'i':
			input = optarg;
			break;
		case 'l':
			level = optarg;
			if (strcmp(level, "INFO") != 0 && strcmp(level, "DEBUG") != 0
			    && strcmp(level, "TRACE") != 0)
				return asl_cli_fail_usage(cli, usage_text,
				    "--inspection-level must be INFO, DEBUG or "
				    "TRACE");
			break;
		case 's':
			state = optarg;
			break;
		case O_CONTEXT:
			context = optarg;
			break;
		case O_MAP_FAILURES:
			map_failures = optarg;
			break;
		case O_MOCK_CAUSE:
			mock_cause = optarg;
			break;
		case O_MOCK_ERROR:
			mock_error = optarg;
			break;
		case O_MOCK_RESULT:
			mock_result = optarg;
			break;
		case O_PRETTY:
			pretty = 1;
			break;
		case O_RETRY_COUNT:
			retry_count = optarg;
			break;
		case O_TEST_STATE:
			test_state = 1;
			break;
		case O_VARIABLES:
			variables = optarg;
			break;
		default:
			return asl_cli_fail_usage(cli, usage_text, NULL);
		}
	}
	if (argc - optind > 1)
		return asl_cli_fail_usage(cli, usage_text, "unexpected "
		    "argument '%s'", argv[optind + 1]);
	if (optind < argc)
		reqfile = argv[optind];
	if (optind < argc && input != NULL)
		return asl_cli_fail_usage(cli, usage_text, "give --input or a "
		    "request file, not both");
	if (mock_result != NULL && mock_error != NULL)
		return asl_cli_fail_usage(cli, usage_text, "--mock-result and "
		    "--mock-error exclude each other");
	if (mock_cause != NULL && mock_error == NULL)
		return asl_cli_fail_usage(cli, usage_text, "--mock-cause needs "
		    "--mock-error");

	if (input != NULL || test_state) {
		/* TestState mode */
		if (test_state) {
			if ((status = asl_cli_read_file(cli, reqfile, 0,
			    &req)) != 0)
				goto out;
			if (jv_get_kind(req) != JV_KIND_OBJECT) {
				status = asl_cli_fail(cli, ASL_EX_DATA, "%s: a "
				    "TestState request must be a JSON object",
				    reqfile);
				goto out;
			}
		} else
			req = jv_object();
		if (deffile != NULL) {
			if ((status = set_definition(cli, &req, deffile)) != 0)
				goto out;
		} else if (!test_state) {
			status = asl_cli_fail_usage(cli, usage_text, "--input "
			    "needs --definition");
			goto out;
		}
		if (input != NULL && (status = set_arg(cli, &req, "input",
		    "--input", input)) != 0)
			goto out;
		if (state != NULL)
			req = jv_object_set(req, jv_string("stateName"),
			    jv_string(state));
		if (level != NULL)
			req = jv_object_set(req, jv_string("inspectionLevel"),
			    jv_string(level));
		if (context != NULL && (status = set_arg(cli, &req, "context",
		    "--context", context)) != 0)
			goto out;
		if (variables != NULL && (status = set_arg(cli, &req,
		    "variables", "--variables", variables)) != 0)
			goto out;
		if (mock_result != NULL) {
			mock = jv_object();
			if ((status = set_arg(cli, &mock, "result",
			    "--mock-result", mock_result)) != 0) {
				jv_free(mock);
				goto out;
			}
			req = jv_object_set(req, jv_string("mock"), mock);
		}
		if (mock_error != NULL)
			req = jv_object_set(req, jv_string("mock"), JV_OBJECT(
			    jv_string("errorOutput"), JV_OBJECT(jv_string("error"),
			    jv_string(mock_error), jv_string("cause"),
			    mock_cause != NULL ? jv_string(mock_cause) :
			    jv_null())));
		cfg = jv_object_get(jv_copy(req), jv_string("stateConfiguration"));
		if (!jv_is_valid(cfg))
			cfg = (jv_free(cfg), jv_object());
		if (retry_count != NULL && (status = set_arg(cli, &cfg,
		    "retrierRetryCount", "--retrier-retry-count",
		    retry_count)) != 0)
			goto out;
		if (map_failures != NULL && (status = set_arg(cli, &cfg,
		    "mapIterationFailureCount", "--map-iteration-failure-count",
		    map_failures)) != 0)
			goto out;
		req = jv_object_set(req, jv_string("stateConfiguration"), cfg);
		cfg = jv_null();
		resp = asl_teststate_run(req, NULL, NULL);
	} else {
		if (mock_result != NULL || mock_error != NULL || level != NULL ||
		    context != NULL || variables != NULL)
			return asl_cli_fail_usage(cli, usage_text, "TestState "
			    "options need --input or --test-state");
		if ((status = asl_cli_read_file(cli, reqfile, 0, &req)) != 0)
			goto out;
		if (jv_get_kind(req) != JV_KIND_OBJECT) {
			status = asl_cli_fail(cli, ASL_EX_DATA, "%s: a request "
			    "must be a JSON object", reqfile);
			goto out;
		}
		if (deffile != NULL &&
		    (status = set_definition(cli, &req, deffile)) != 0)
			goto out;
		if (state != NULL)
			req = jv_object_set(req, jv_string("stateName"),
			    jv_string(state));
		resp = asl_teststate_step(req);
	}
	req = jv_null();
	if (!jv_is_valid(resp))
		return asl_cli_fail_error(cli, ASL_EX_FAIL, resp);
	st = jv_object_get(jv_copy(resp), jv_string("status"));
	status = jv_get_kind(st) == JV_KIND_STRING &&
	    strcmp(jv_string_value(st), "FAILED") == 0 ? ASL_EX_FAIL :
	    ASL_EX_OK;
	jv_free(st);
	asl_cli_print(cli, resp, pretty);
out:
	jv_free(req);
	jv_free(cfg);
	return status;
}

int
main(int argc, char *argv[])
{
	static const struct asl_cli_table table = {
		step, usage_text, ASL_TABLE_FILTER
	};

	return asl_cli_table_main(&table, argc, argv);
}
