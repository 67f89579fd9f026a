/*
 * asl-parse - validate a state machine definition (JSON or YAML) as AWS
 * would, and print it in the normalized form the other programs read, or
 * the diagnostics AWS would give, or a picture of it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_definition.h"
#include "asl_doc.h"
#include "asl_graph.h"
#include "asl_json.h"
#include "asl_policy.h"
#include "asl_validate.h"

static const char usage_text[] =
"usage: asl-parse [-q] [--pretty] [--json | --yaml] [--state]\n"
"                 [--type STANDARD|EXPRESS] [--severity ERROR|WARNING]\n"
"                 [--diagnostics | --graph dot|mermaid | --policy] [FILE]\n";

static const char help_text[] =
"Validate an Amazon States Language definition (JSON or YAML, from FILE or\n"
"standard input) as CreateStateMachine would, and print it in normalized\n"
"form.  Problems go to standard error, one per line:\n"
"FILE:LINE:COLUMN: error: LOCATION: MESSAGE.\n"
"\n"
"  -q, --quiet            validate only: print nothing on success\n"
"      --pretty           indent the JSON output\n"
"      --json, --yaml     the input's format (default: from its content)\n"
"      --state            FILE is one state, as TestState takes it\n"
"      --type TYPE        STANDARD (default) or EXPRESS rules\n"
"      --severity LEVEL   ERROR (default), or WARNING to report warnings\n"
"      --diagnostics      print ValidateStateMachineDefinition's answer\n"
"      --graph FORMAT     draw the machine: dot (Graphviz) or mermaid\n"
"      --policy           print the IAM policy its execution role needs\n"
"  -h, --help             show this help\n"
"      --version          print the version\n"
"\n"
"Exit status: 0 valid, 1 invalid, 2 usage, 3 not JSON or YAML, 4 I/O\n"
"error.\n";

/* "FILE:LINE:COL: error: LOCATION: MESSAGE[: DETAIL]" for each. */
static void
print_diagnostics(const char *name, jv diags, int syntax)
{
	jv text = asl_validate_lines(name, diags, syntax);

	fputs(jv_string_value(text), stderr);
	jv_free(text);
}

/*
 * "FILE: note: SID: LOCATION: RESOURCE: REASON" for each wildcard of a
 * policy (notes consumed).
 */
static void
print_notes(const char *name, jv notes)
{
	jv_array_foreach(notes, i, n) {
		jv sid = asl_get_string(n, "Sid"), at = asl_get_string(n,
		    "location"), res = asl_get_string(n, "resource");
		jv why = asl_get_string(n, "reason");
		fprintf(stderr, "%s: note: %s: %s%s%s: %s\n", name,
		    jv_string_value(sid), *jv_string_value(at) != '\0' ?
		    jv_string_value(at) : "", *jv_string_value(at) != '\0' ?
		    ": " : "", jv_string_value(res), jv_string_value(why));
		jv_free(sid);
		jv_free(at);
		jv_free(res);
		jv_free(why);
		jv_free(n);
		(void)i;
	}
	jv_free(notes);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "diagnostics", no_argument, NULL, 'D' },
		{ "graph", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'J' },
		{ "policy", no_argument, NULL, 'p' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "severity", required_argument, NULL, 'S' },
		{ "state", no_argument, NULL, 's' },
		{ "type", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ "yaml", no_argument, NULL, 'Y' },
		{ NULL, 0, NULL, 0 }
	};
	enum asl_format format = ASL_FORMAT_AUTO;
	const char *path = "-", *name;
	struct asl_cli stdio = ASL_CLI_STDIO;
	struct asl_definition d;
	int ch, flags = 0, pretty = 0, quiet = 0, diagnostics = 0, graph = -1;
	int policy = 0;
	int failed, status;
	jv err, out;

	asl_setprogname(argv[0]);
	while ((ch = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'D':
			diagnostics = 1;
			break;
		case 'g':
			if ((graph = asl_graph_format(optarg)) == -1)
				asl_cli_usage(usage_text, "--graph: '%s' is "
				    "not dot or mermaid", optarg);
			break;
		case 'h':
			printf("%s\n%s", usage_text, help_text);
			return asl_close_stdout(ASL_EX_OK);
		case 'J':
			format = ASL_FORMAT_JSON;
			break;
		case 'P':
			pretty = 1;
			break;
		case 'p':
			policy = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'S':
			if (strcmp(optarg, "WARNING") == 0)
				flags |= ASL_DEFINITION_WARNINGS;
			else if (strcmp(optarg, "ERROR") == 0)
				flags &= ~ASL_DEFINITION_WARNINGS;
			else
				asl_cli_usage(usage_text, "--severity: '%s' "
				    "is not ERROR or WARNING", optarg);
			break;
		case 's':
			flags |= ASL_DEFINITION_STATE;
			break;
		case 't':
			if (strcmp(optarg, "EXPRESS") == 0)
				flags |= ASL_DEFINITION_EXPRESS;
			else if (strcmp(optarg, "STANDARD") == 0)
				flags &= ~ASL_DEFINITION_EXPRESS;
			else
				asl_cli_usage(usage_text, "--type: '%s' is "
				    "not STANDARD or EXPRESS", optarg);
			break;
		case 'V':
			return asl_close_stdout(asl_cli_version(&stdio));
		case 'Y':
			format = ASL_FORMAT_YAML;
			break;
		default:
			asl_cli_usage(usage_text, NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		asl_cli_usage(usage_text, "one FILE at most");
	if (diagnostics + (graph != -1) + policy > 1)
		asl_cli_usage(usage_text, "--diagnostics, --graph and --policy "
		    "do not go together");
	if (policy && (flags & ASL_DEFINITION_STATE))
		asl_cli_usage(usage_text, "--policy is a state machine's, "
		    "not one state's");
	if (graph != -1 && (flags & ASL_DEFINITION_STATE))
		asl_cli_usage(usage_text, "--graph draws a state machine, "
		    "not one state");
	if (argc == 1)
		path = argv[0];
	name = strcmp(path, "-") == 0 ? "<stdin>" : path;

	asl_definition_init(&d);
	failed = asl_definition_load(&d, NULL, path, format, flags, &err) == -1;
	if (failed && d.io)
		asl_cli_die_definition(&d, err);
	if (failed)
		jv_free(err);
	if (diagnostics) {
		asl_print(asl_validate_response(jv_copy(d.diagnostics)), pretty);
		status = d.syntax ? ASL_EX_DATA : failed ? ASL_EX_FAIL : ASL_EX_OK;
		asl_definition_release(&d);
		return asl_close_stdout(status);
	}
	print_diagnostics(name, jv_copy(d.diagnostics), d.syntax);
	if (failed) {
		status = d.syntax ? ASL_EX_DATA : ASL_EX_FAIL;
		asl_definition_release(&d);
		return asl_close_stdout(status);
	}
	if (graph != -1) {
		out = asl_graph(jv_copy(d.doc), (enum asl_graph_format)graph);
		fputs(jv_string_value(out), stdout);
		jv_free(out);
	} else if (policy) {
		asl_print(asl_policy(jv_copy(d.doc), jv_string_value(d.name),
		    &out), 1);
		print_notes(name, out);
	} else if (!quiet)
		asl_print(jv_copy(d.doc), pretty);
	asl_definition_release(&d);
	return asl_close_stdout(ASL_EX_OK);
}
