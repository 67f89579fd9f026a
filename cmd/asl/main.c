/*
 * asl - run state machines and keep their executions in a store: the
 * driver.  Each verb is a file of cmd/asl/; this one parses the command
 * line, the same way for every verb, and calls it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_arn.h"
#include "asl_cli.h"
#include "verbs.h"

static const char usage_text[] =
"usage: asl [--store DIR] VERB [OPTIONS] [ARGS]\n"
"\n"
"  run DEF [--input JSON] [--name N] [--type STANDARD|EXPRESS]\n"
"          [--cli-input-json START-EXECUTION-REQUEST]\n"
"          [--resources FILE] [--mock FILE --test-case NAME] [--jobs N]\n"
"          [--history] [--history-limit N] [--pretty] [--detach]\n"
"          [--progress | --quiet] [--s3-root DIR]\n"
"          [--connections FILE] [--insecure HOST]\n"
"  start DEF [the options of run]  create an execution, do not drive it\n"
"  resume EXEC [--detach] [--history-limit N] [--progress | --quiet]\n"
"         [--s3-root DIR] [--connections FILE] [--insecure HOST]\n"
"                                  drive an execution on from its history\n"
"  tick [--history-limit N] [--progress | --quiet] [--s3-root DIR]\n"
"       [--connections FILE] [--insecure HOST]\n"
"                                  advance every execution that can move\n"
"  stop EXEC [--error E] [--cause C]\n"
"  redrive EXEC [the options of resume]\n"
"  send-task-success --task-token T --output JSON\n"
"  send-task-failure --task-token T [--error E] [--cause C]\n"
"  send-task-heartbeat --task-token T\n"
"  create-activity --name N\n"
"  get-activity-task --activity N [--worker-name W] [--wait SECONDS]\n"
"  create-state-machine --name N [--type STANDARD|EXPRESS] DEF\n"
"  test-state DEF [--state NAME] [--input JSON] [--inspection-level L]\n"
"          [--request JSON] [--resources FILE] [--pretty]\n"
"          [--connections FILE] [--insecure HOST] [--reveal-secrets]\n"
"  validate FILE [--type STANDARD|EXPRESS] [--severity ERROR|WARNING]\n"
"  list [--status S] [--state-machine NAME] [--since T] [--json]\n"
"       [--map-run ARN]            a Map Run's child executions\n"
"  describe EXEC [--json]\n"
"  list-map-runs EXEC              the Map Runs of an execution\n"
"  describe-map-run MAP-RUN-ARN\n"
"  update-map-run MAP-RUN-ARN [--max-concurrency N]\n"
"         [--tolerated-failure-count N] [--tolerated-failure-percentage P]\n"
"  history EXEC [--json] [--reverse]\n"
"  graph EXEC [--format dot|mermaid|svg|json]\n"
"  trace EXEC [--pretty]           the timeline, for ui.perfetto.dev\n"
"  metrics [--state-machine NAME] [--since T] [--json|--prometheus]\n"
"  serve [--listen ADDR:PORT] [--resources FILE] [--mock FILE]\n"
"        [--workers N]             the Step Functions API (default\n"
"                                  127.0.0.1:8083)\n";

static const char help_text[] =
"Run Amazon States Language state machines locally.  DEF is a definition\n"
"file (JSON or YAML) or the name of a registered state machine.  The store\n"
"is --store DIR, else $ASL_STORE, else ${XDG_STATE_HOME:-~/.local/state}/asl.\n"
"\n"
"Exit status: 0 SUCCEEDED (and other verbs' success), 1 FAILED or an\n"
"error, 2 usage, 3 input that is not JSON, 4 system error, 5 TIMED_OUT,\n"
"6 ABORTED, 75 paused (waiting for a timer or a callback).\n"
"--version prints the version.  See asl(1) for every verb and option.\n";

/* What a verb takes: its options (by long name) and its operand. */
static const struct verb {
	const char	*name;
	int		(*fn)(struct args *);
	const char	*options;	/* space-separated long names */
	const char	*operand;	/* "definition", ...; NULL: none */
} verbs[] = {
	{ "create-activity", verb_create_activity, "name", NULL },
	{ "create-state-machine", verb_create_state_machine,
	    "name type replace", "definition" },
	{ "describe", verb_describe, "json", "execution name" },
	{ "describe-map-run", verb_describe_map_run, "", "map run ARN" },
	{ "graph", verb_graph, "format", "execution name" },
	{ "get-activity-task", verb_get_activity_task,
	    "activity worker-name wait pretty", NULL },
	{ "history", verb_history, "json reverse", "execution name" },
	{ "list", verb_list, "status state-machine since json map-run", NULL },
	{ "list-map-runs", verb_list_map_runs, "", "execution name" },
	{ "metrics", verb_metrics, "state-machine since json prometheus",
	    NULL },
	{ "redrive", verb_redrive, "detach pretty jobs history-limit "
	    "progress quiet connections insecure s3-root", "execution name" },
	{ "resume", verb_resume, "detach pretty jobs history-limit "
	    "progress quiet connections insecure s3-root", "execution name" },
	{ "run", verb_run, "input name type resources mock test-case jobs "
	    "history history-limit pretty detach progress quiet "
	    "cli-input-json connections insecure s3-root", "definition" },
	{ "serve", verb_serve, "listen resources mock workers", NULL },
	{ "send-task-failure", verb_send_failure, "task-token error cause",
	    NULL },
	{ "send-task-heartbeat", verb_send_heartbeat, "task-token", NULL },
	{ "send-task-success", verb_send_success, "task-token output", NULL },
	{ "start", verb_start, "input name type resources mock test-case jobs "
	    "history history-limit pretty detach progress quiet "
	    "cli-input-json connections insecure s3-root", "definition" },
	{ "stop", verb_stop, "error cause", "execution name" },
	{ "test-state", verb_test_state, "state input inspection-level "
	    "request resources pretty connections insecure reveal-secrets",
	    "definition" },
	{ "tick", verb_tick, "jobs history-limit progress quiet "
	    "connections insecure s3-root", NULL },
	{ "trace", verb_trace, "pretty", "execution name" },
	{ "update-map-run", verb_update_map_run, "max-concurrency "
	    "tolerated-failure-count tolerated-failure-percentage",
	    "map run ARN" },
	{ "validate", verb_validate, "type severity", "definition file" },
};

/* Every option of every verb; a verb refuses those it does not take. */
enum {
	O_ACTIVITY = 256, O_CAUSE, O_CLI_INPUT, O_CONNECTIONS, O_DETACH,
	O_ERROR, O_FORMAT, O_HISTORY, O_HISTORY_LIMIT, O_INSECURE, O_JSON,
	O_LISTEN, O_MAP_RUN, O_MAX_CONC, O_MOCK, O_OUTPUT, O_PRETTY, O_PROGRESS, O_PROMETHEUS,
	O_QUIET, O_REPLACE, O_REQUEST, O_REVEAL, O_REVERSE, O_S3_ROOT,
	O_SEVERITY, O_SINCE, O_STATE_MACHINE, O_STATUS, O_STORE, O_TOKEN,
	O_TEST_CASE, O_TOL_COUNT, O_TOL_PCT, O_WAIT, O_WORKER, O_WORKERS
};

static const struct option longopts[] = {
	{ "activity", required_argument, NULL, O_ACTIVITY },
	{ "cause", required_argument, NULL, O_CAUSE },
	{ "cli-input-json", required_argument, NULL, O_CLI_INPUT },
	{ "connections", required_argument, NULL, O_CONNECTIONS },
	{ "detach", no_argument, NULL, O_DETACH },
	{ "error", required_argument, NULL, O_ERROR },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "history", no_argument, NULL, O_HISTORY },
	{ "history-limit", required_argument, NULL, O_HISTORY_LIMIT },
	{ "input", required_argument, NULL, 'i' },
	{ "insecure", required_argument, NULL, O_INSECURE },
	{ "inspection-level", required_argument, NULL, 'l' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "json", no_argument, NULL, O_JSON },
	{ "listen", required_argument, NULL, O_LISTEN },
	{ "map-run", required_argument, NULL, O_MAP_RUN },
	{ "max-concurrency", required_argument, NULL, O_MAX_CONC },
	{ "mock", required_argument, NULL, O_MOCK },
	{ "name", required_argument, NULL, 'n' },
	{ "output", required_argument, NULL, O_OUTPUT },
	{ "pretty", no_argument, NULL, O_PRETTY },
	{ "progress", no_argument, NULL, O_PROGRESS },
	{ "prometheus", no_argument, NULL, O_PROMETHEUS },
	{ "quiet", no_argument, NULL, O_QUIET },
	{ "replace", no_argument, NULL, O_REPLACE },
	{ "request", required_argument, NULL, O_REQUEST },
	{ "resources", required_argument, NULL, 'r' },
	{ "reveal-secrets", no_argument, NULL, O_REVEAL },
	{ "reverse", no_argument, NULL, O_REVERSE },
	{ "s3-root", required_argument, NULL, O_S3_ROOT },
	{ "severity", required_argument, NULL, O_SEVERITY },
	{ "since", required_argument, NULL, O_SINCE },
	{ "state", required_argument, NULL, 's' },
	{ "state-machine", required_argument, NULL, O_STATE_MACHINE },
	{ "status", required_argument, NULL, O_STATUS },
	{ "store", required_argument, NULL, O_STORE },
	{ "task-token", required_argument, NULL, O_TOKEN },
	{ "test-case", required_argument, NULL, O_TEST_CASE },
	{ "tolerated-failure-count", required_argument, NULL, O_TOL_COUNT },
	{ "tolerated-failure-percentage", required_argument, NULL, O_TOL_PCT },
	{ "type", required_argument, NULL, 't' },
	{ "wait", required_argument, NULL, O_WAIT },
	{ "worker-name", required_argument, NULL, O_WORKER },
	{ "workers", required_argument, NULL, O_WORKERS },
	{ NULL, 0, NULL, 0 }
};

void
usage(const char *fmt, const char *arg)
{
	if (fmt != NULL)
		asl_cli_warn(fmt, arg);
	/* the reason, the usage's first line, the way to the rest */
	fprintf(stderr, "%.*s\n", (int)strcspn(usage_text, "\n"), usage_text);
	fprintf(stderr, "Try 'asl --help' for more information.\n");
	exit(ASL_EX_USAGE);
}

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

/* The long name of the option getopt_long returned as ch. */
static const char *
option_name(int ch)
{
	const struct option *o;

	for (o = longopts; o->name != NULL; o++)
		if (o->val == ch)
			return o->name;
	return "?";
}

static const char *
one_of(const char *option, const char *value, const char *a, const char *b)
{
	if (strcmp(value, a) != 0 && strcmp(value, b) != 0) {
		fprintf(stderr, "asl: --%s must be %s or %s, not '%s'\n", option,
		    a, b, value);
		usage(NULL, NULL);
	}
	return value;
}

/*
 * --cli-input-json: a StartExecution request, as `aws stepfunctions
 * start-execution --cli-input-json` takes it ({"stateMachineArn", "name",
 * "input", "traceHeader"}; JSON text, @FILE or file://FILE), for the
 * registered machine its ARN names; --name and --input win over it.
 */
static void
cli_input(struct args *a)
{
	static char *keep[3];
	jv req = asl_cli_json_arg("--cli-input-json", a->cli_input), v, each;
	const char *keys[] = { "stateMachineArn", "name", "input" };
	int i;

	if (jv_get_kind(req) != JV_KIND_OBJECT)
		usage("--cli-input-json: %s", "not a JSON object");
	each = jv_copy(req);
	jv_object_foreach(each, k, x) {
		const char *ks = jv_string_value(k);
		if (strcmp(ks, "stateMachineArn") != 0 &&
		    strcmp(ks, "name") != 0 && strcmp(ks, "input") != 0 &&
		    strcmp(ks, "traceHeader") != 0)
			usage("--cli-input-json: '%s' is not a parameter of "
			    "StartExecution", ks);
		jv_free(k);
		jv_free(x);
	}
	jv_free(each);
	for (i = 0; i < 3; i++) {
		v = jv_object_get(jv_copy(req), jv_string(keys[i]));
		if (jv_get_kind(v) == JV_KIND_STRING) {
			keep[i] = strdup(i == 0 ?
			    asl_arn_last(jv_string_value(v)) :
			    jv_string_value(v));
			if (keep[i] == NULL)
				asl_cli_die(ASL_EX_OS, "out of memory");
		} else if (jv_is_valid(v) || i == 0)
			usage("--cli-input-json: %s must be a string",
			    keys[i]);
		jv_free(v);
	}
	a->operand = keep[0];
	if (a->name == NULL)
		a->name = keep[1];
	if (a->input == NULL)
		a->input = keep[2];
	jv_free(req);
}

/* The verb's command line into a; dies on what the verb does not take. */
static void
parse(const struct verb *v, int argc, char *argv[], struct args *a)
{
	char *end;
	int ch;

	a->wait = 60;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "i:j:l:n:r:s:t:", longopts, NULL))
	    != -1) {
		if (ch == '?')
			usage(NULL, NULL);
		if (ch != O_STORE && !has_word(v->options, option_name(ch)))
			usage("--%s: not an option of this verb",
			    option_name(ch));
		switch (ch) {
		case 'i':
			a->input = optarg;
			break;
		case O_PROGRESS:
			a->progress = 1;
			a->quiet = 0;
			break;
		case O_QUIET:
			a->quiet = 1;
			a->progress = 0;
			break;
		case O_HISTORY_LIMIT:
			a->history_limit = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || a->history_limit < 0)
				usage("--history-limit: '%s' is not a number of "
				    "events (0: no limit)", optarg);
			break;
		case 'j':
			a->jobs = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || a->jobs < 1)
				usage("--jobs: '%s' is not a positive number",
				    optarg);
			break;
		case 'l':
			a->level = optarg;
			break;
		case 'n':
			a->name = optarg;
			break;
		case 'r':
			a->resources = optarg;
			break;
		case 's':
			a->state = optarg;
			break;
		case 't':
			a->type = one_of("type", optarg, "STANDARD", "EXPRESS");
			break;
		case O_ACTIVITY:
			a->activity = optarg;
			break;
		case O_CAUSE:
			a->cause = optarg;
			break;
		case O_CLI_INPUT:
			a->cli_input = optarg;
			break;
		case O_CONNECTIONS:
			a->connections = optarg;
			break;
		case O_INSECURE:
			a->insecure = optarg;
			break;
		case O_REVEAL:
			a->reveal = 1;
			break;
		case O_DETACH:
			a->detach = 1;
			break;
		case O_ERROR:
			a->error = optarg;
			break;
		case O_FORMAT:
			a->format = optarg;
			break;
		case O_HISTORY:
			a->history = 1;
			break;
		case O_JSON:
			a->json = 1;
			break;
		case O_LISTEN:
			a->listen = optarg;
			break;
		case O_MOCK:
			a->mock = optarg;
			break;
		case O_OUTPUT:
			a->output = optarg;
			break;
		case O_PRETTY:
			a->pretty = 1;
			break;
		case O_PROMETHEUS:
			a->prometheus = 1;
			break;
		case O_SINCE:
			a->since = optarg;
			break;
		case O_MAP_RUN:
			a->map_run = optarg;
			break;
		case O_MAX_CONC:
			a->max_conc = optarg;
			break;
		case O_TOL_COUNT:
			a->tol_count = optarg;
			break;
		case O_TOL_PCT:
			a->tol_pct = optarg;
			break;
		case O_STATE_MACHINE:
			a->state_machine = optarg;
			break;
		case O_STATUS:
			a->status = optarg;
			break;
		case O_REPLACE:
			a->replace = 1;
			break;
		case O_REQUEST:
			a->request = optarg;
			break;
		case O_REVERSE:
			a->reverse = 1;
			break;
		case O_S3_ROOT:
			a->s3_root = optarg;
			break;
		case O_SEVERITY:
			a->severity = one_of("severity", optarg, "ERROR",
			    "WARNING");
			break;
		case O_STORE:
			a->store = optarg;
			break;
		case O_TOKEN:
			a->token = optarg;
			break;
		case O_TEST_CASE:
			a->test_case = optarg;
			break;
		case O_WAIT:
			a->wait = strtod(optarg, &end);
			if (*optarg == '\0' || *end != '\0' || a->wait < 0)
				usage("--wait: '%s' is not a number of seconds",
				    optarg);
			break;
		case O_WORKER:
			a->worker = optarg;
			break;
		case O_WORKERS:
			a->workers = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || a->workers < 1 ||
			    a->workers > 16)
				usage("--workers: '%s' is not a number from 1 to "
				    "16", optarg);
			break;
		}
	}
	if (v->operand == NULL && optind != argc)
		usage("%s takes no arguments", v->name);
	if (a->cli_input != NULL && optind == argc) {
		cli_input(a);
		return;
	}
	if (v->operand != NULL && optind + 1 != argc) {
		fprintf(stderr, "asl: %s needs one %s\n", v->name, v->operand);
		usage(NULL, NULL);
	}
	a->operand = v->operand != NULL ? argv[optind] : NULL;
}

int
main(int argc, char *argv[])
{
	struct asl_cli stdio = ASL_CLI_STDIO;
	struct args a;
	size_t i;
	int k = 1;

	asl_setprogname(argv[0]);
	memset(&a, 0, sizeof a);
	a.history_limit = -1;
	while (k < argc && argv[k][0] == '-') {
		if (strcmp(argv[k], "-h") == 0 || strcmp(argv[k], "--help") == 0) {
			printf("%s\n%s", usage_text, help_text);
			return asl_close_stdout(ASL_EX_OK);
		}
		if (strcmp(argv[k], "--version") == 0)
			return asl_close_stdout(asl_cli_version(&stdio));
		if (strcmp(argv[k], "--store") == 0 && k + 1 < argc) {
			a.store = argv[k + 1];
			k += 2;
		} else if (strncmp(argv[k], "--store=", 8) == 0) {
			a.store = argv[k] + 8;
			k++;
		} else
			usage("unknown option '%s'", argv[k]);
	}
	if (k >= argc)
		usage("no verb", NULL);
	for (i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		if (strcmp(argv[k], verbs[i].name) != 0)
			continue;
		/* "asl VERB --help": the same help as "asl --help" */
		if (k + 1 < argc && (strcmp(argv[k + 1], "--help") == 0 ||
		    strcmp(argv[k + 1], "-h") == 0)) {
			printf("%s\n%s", usage_text, help_text);
			return asl_close_stdout(ASL_EX_OK);
		}
		parse(&verbs[i], argc - k, argv + k, &a);
		return verbs[i].fn(&a);
	}
	usage("unknown verb '%s'", argv[k]);
}
