/*
 * asl-jsonpath - evaluate ASL's data-flow primitives on the JSON document
 * on standard input: a Path or intrinsic call, a payload template, or the
 * ResultPath placement of a value.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_cli_table.h"
#include "asl_path.h"
#include "asl_template.h"

/* --version has no short option */
#define O_VERSION 0x400

static const char usage_text[] =
"usage: asl-jsonpath [-c FILE] [-V FILE] [--pretty] EXPR\n"
"       asl-jsonpath [-c FILE] [-V FILE] [--pretty] -t TEMPLATE\n"
"       asl-jsonpath [--pretty] -p REFPATH -v JSON\n"
"       asl-jsonpath --run-tests FILE [SECTION]\n";

static const char help_text[] =
"Evaluate a Path, an intrinsic function call, a payload template or a\n"
"ResultPath placement on the JSON document read from standard input.\n"
"\n"
"  EXPR                   a Path ($.a.b, $$.Execution.Id, $var) or an\n"
"                         intrinsic call (States.Format('{}', $.x))\n"
"  -t, --template JSON    evaluate a payload template (keys ending in .$)\n"
"  -p, --place REFPATH    place the value of -v into the document (ResultPath)\n"
"  -v, --value JSON       the value to place\n"
"  -c, --context FILE|JSON  the context object, for $$ paths\n"
"  -V, --vars FILE|JSON   the variables, a JSON object, for $name paths\n"
"      --max-bytes N      refuse a document larger than N bytes\n"
"      --pretty           indent the output\n"
"      --run-tests FILE [SECTION]\n"
"                         run a table of test cases in-process (see the\n"
"                         manual)\n"
"  -h, --help             show this help\n"
"      --version          print the version\n"
"\n"
"JSON arguments may be given as @FILE.  Exit status: 0 success, 1 the\n"
"evaluation failed with an ASL error, 2 usage or a malformed expression,\n"
"3 input that is not JSON, 4 I/O error.\n";

/* One invocation: compile, read, evaluate, print. */
static int
jsonpath(struct asl_cli *cli, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "context", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ "max-bytes", required_argument, NULL, 'M' },
		{ "place", required_argument, NULL, 'p' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "template", required_argument, NULL, 't' },
		{ "value", required_argument, NULL, 'v' },
		{ "vars", required_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct asl_env env = ASL_ENV_INIT;
	const char *ctxfile = NULL, *varsfile = NULL, *place = NULL;
	const char *tmpltext = NULL, *valuetext = NULL;
	char *end;
	size_t limit = 0;
	struct asl_path *path = NULL;
	struct asl_template *tmpl = NULL;
	struct asl_expr *expr = NULL;
	int ch, pretty = 0, status;
	jv doc = jv_null(), result, err, value = jv_null(), t;

	while ((ch = asl_cli_getopt(cli, argc, argv, "c:hp:t:v:V:",
	    longopts)) != -1) {
		switch (ch) {
		case 'c':
			ctxfile = optarg;
			break;
		case 'h':
			fprintf(cli->out, "%s\n%s", usage_text, help_text);
			return ASL_EX_OK;
		case O_VERSION:
			return asl_cli_version(cli);
		case 'M':
			limit = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				return asl_cli_fail_usage(cli, usage_text,
				    "--max-bytes: '%s' is not a number",
				    optarg);
			break;
		case 'p':
			place = optarg;
			break;
		case 'P':
			pretty = 1;
			break;
		case 't':
			tmpltext = optarg;
			break;
		case 'v':
			valuetext = optarg;
			break;
		case 'V':
			varsfile = optarg;
			break;
		default:
			return asl_cli_fail_usage(cli, usage_text, NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if ((place != NULL) + (tmpltext != NULL) + (argc > 0) != 1 ||
	    argc > 1)
		return asl_cli_fail_usage(cli, usage_text, "give one EXPR, -t "
		    "TEMPLATE or -p REFPATH");
	if ((place != NULL) != (valuetext != NULL))
		return asl_cli_fail_usage(cli, usage_text, "-p and -v go "
		    "together");

	/* Compile first: a malformed expression is reported before stdin is read. */
	if (place != NULL) {
		path = asl_path_compile(place, ASL_PATH_REFERENCE |
		    ASL_PATH_NO_CONTEXT | ASL_PATH_NO_VARIABLE, &err);
		if (path == NULL) {
			status = asl_cli_fail(cli, ASL_EX_USAGE, "invalid "
			    "reference path '%s': %s", place,
			    jv_string_value(err));
			jv_free(err);
			return status;
		}
		if ((status = asl_cli_read_arg(cli, "-v", valuetext,
		    &value)) != 0)
			goto out;
	} else if (tmpltext != NULL) {
		if ((status = asl_cli_read_arg(cli, "-t", tmpltext, &t)) != 0)
			return status;
		tmpl = asl_template_compile(t, &err);
		if (tmpl == NULL) {
			jv first = jv_array_get(err, 0);
			jv ptr = jv_object_get(jv_copy(first), jv_string("pointer"));
			jv msg = jv_object_get(first, jv_string("message"));

			status = asl_cli_fail(cli, ASL_EX_USAGE, "invalid "
			    "template at '%s': %s", jv_string_value(ptr),
			    jv_string_value(msg));
			jv_free(ptr);
			jv_free(msg);
			return status;
		}
	} else {
		expr = asl_expr_compile(argv[0], 0, &err);
		if (expr == NULL) {
			status = asl_cli_fail(cli, ASL_EX_USAGE, "invalid "
			    "expression '%s': %s", argv[0],
			    jv_string_value(err));
			jv_free(err);
			return status;
		}
	}

	if ((status = asl_cli_read_file(cli, "-", limit, &doc)) != 0)
		goto out;
	if (ctxfile != NULL &&
	    (status = asl_cli_read_doc(cli, "--context", ctxfile,
	    &env.context)) != 0)
		goto out;
	if (varsfile != NULL) {
		if ((status = asl_cli_read_doc(cli, "--vars", varsfile,
		    &env.vars)) != 0)
			goto out;
		if (jv_get_kind(env.vars) != JV_KIND_OBJECT) {
			status = asl_cli_fail(cli, ASL_EX_DATA, "%s: the "
			    "variables must be a JSON object", varsfile);
			goto out;
		}
	}
	env.input = doc;

	if (path != NULL) {
		result = asl_path_put(path, jv_copy(doc), value);
		value = jv_null();
	} else if (tmpl != NULL)
		result = asl_template_eval(tmpl, &env);
	else {
		result = asl_expr_eval(expr, &env);
		if (!jv_is_valid(result) && asl_expr_kind(expr) == ASL_EXPR_PATH)
			result = asl_path_invalid(asl_expr_path(expr), result);
	}
	if (jv_is_valid(result)) {
		asl_cli_print(cli, result, pretty);
		status = ASL_EX_OK;
	} else
		status = asl_cli_fail_error(cli, ASL_EX_FAIL, result);
out:
	if (path != NULL)
		asl_path_free(path);
	if (tmpl != NULL)
		asl_template_free(tmpl);
	if (expr != NULL)
		asl_expr_free(expr);
	jv_free(value);
	jv_free(doc);
	jv_free(env.context);
	jv_free(env.vars);
	return status;
}

int
main(int argc, char *argv[])
{
	static const struct asl_cli_table table = {
		jsonpath, usage_text, ASL_TABLE_CONTEXT
	};

	return asl_cli_table_main(&table, argc, argv);
}
