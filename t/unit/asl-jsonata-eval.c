/*
 * asl-jsonata-eval - evaluate one JSONata expression against the JSON
 * document on standard input, for the tests of lib/asl_jsonata.
 *
 * usage: asl-jsonata-eval [-c FILE] [-V FILE] [--bindings JSON]
 *            [--repeat N] EXPR
 *        asl-jsonata-eval --run-tests FILE [SECTION]
 *
 * Standard input holds the input document; empty input (blanks only)
 * means no input at all ("undefined").  -V FILE and --bindings JSON give
 * the variables as an object ({"x": 1} binds $x); -c FILE is accepted
 * and ignored, as a table of cases passes it to every program.
 * --repeat N evaluates N times (for timing) and prints the last result.
 * --run-tests FILE runs a table of cases in-process (asl_cli_table.h).
 *
 * The result is printed as one line of compact JSON; an undefined result
 * prints nothing.  Exit status: 0 a result or undefined; 1 an evaluation
 * error, printed as "asl-jsonata-eval: CODE: MESSAGE" on stderr; 2 usage
 * or a syntax error in EXPR (same format); 3 input that is not JSON; 4
 * an I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_cli_table.h"
#include "asl_json.h"
#include "asl_jsonata.h"

static const char usage[] =
    "usage: asl-jsonata-eval [-c FILE] [-V FILE] [--bindings JSON] "
    "[--repeat N] EXPR\n"
    "       asl-jsonata-eval --run-tests FILE [SECTION]\n";

/* A JSONata error object (consumed) as "PROG: CODE: MESSAGE"; status. */
static int
fail_jsonata(struct asl_cli *cli, int status, jv obj)
{
	jv code = jv_object_get(jv_copy(obj), jv_string("code"));
	jv msg = jv_object_get(obj, jv_string("message"));

	asl_cli_fail(cli, status, "%s: %s",
	    jv_get_kind(code) == JV_KIND_STRING ? jv_string_value(code) : "?",
	    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "");
	jv_free(code);
	jv_free(msg);
	return status;
}

/* One invocation: compile, read the input, evaluate, print. */
static int
jsonata_eval(struct asl_cli *cli, int argc, char **argv)
{
	const char *expr = NULL, *varfile = NULL, *bindarg = NULL;
	struct asl_jsonata *ax = NULL;
	jv bindings = jv_object(), input = jv_invalid(), r = jv_invalid();
	jv err, more;
	char *text;
	size_t len, i;
	long repeat = 1, k;
	int a, status;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-c") == 0 && a + 1 < argc)
			a++;
		else if (strcmp(argv[a], "-V") == 0 && a + 1 < argc)
			varfile = argv[++a];
		else if (strcmp(argv[a], "--bindings") == 0 && a + 1 < argc)
			bindarg = argv[++a];
		else if (strcmp(argv[a], "--repeat") == 0 && a + 1 < argc)
			repeat = strtol(argv[++a], NULL, 10);
		else if (strcmp(argv[a], "--help") == 0) {
			fputs(usage, cli->out);
			status = ASL_EX_OK;
			goto out;
		} else if (strcmp(argv[a], "--") == 0 && a + 1 < argc) {
			expr = argv[++a];
			break;
		} else if (argv[a][0] == '-' && argv[a][1] != '\0' &&
		    expr == NULL && a + 1 < argc) {
			status = asl_cli_fail_usage(cli, usage, "unknown "
			    "option %s", argv[a]);
			goto out;
		} else if (expr == NULL)
			expr = argv[a];
		else {
			status = asl_cli_fail_usage(cli, usage, "one "
			    "expression only");
			goto out;
		}
	}
	if (expr == NULL) {
		status = asl_cli_fail_usage(cli, usage, NULL);
		goto out;
	}
	if (varfile != NULL) {
		jv_free(bindings);
		if ((status = asl_cli_read_file(cli, varfile, 0,
		    &bindings)) != 0)
			goto out;
	}
	if (bindarg != NULL) {
		if ((status = asl_cli_read_arg(cli, "--bindings", bindarg,
		    &more)) != 0)
			goto out;
		if (jv_get_kind(more) == JV_KIND_OBJECT) {
			jv_object_foreach(more, key, val)
				bindings = jv_object_set(bindings, key, val);
		}
		jv_free(more);
	}
	if (jv_get_kind(bindings) != JV_KIND_OBJECT) {
		status = asl_cli_fail(cli, ASL_EX_DATA, "the bindings must "
		    "be a JSON object");
		goto out;
	}
	if ((ax = asl_jsonata_compile(expr, &err)) == NULL) {
		status = fail_jsonata(cli, ASL_EX_USAGE, err);
		goto out;
	}
	if ((text = asl_cli_read_all(cli, "-", 0, &len)) == NULL) {
		status = asl_cli_fail(cli, ASL_EX_OS, "<stdin>: %s",
		    strerror(errno));
		goto out;
	}
	for (i = 0; i < len && strchr(" \t\r\n", text[i]) != NULL; i++)
		;
	if (i < len) {
		input = asl_json_parse(text, len, NULL, NULL);
		if (!jv_is_valid(input)) {
			jv m = jv_invalid_get_msg(input);
			jv t = jv_object_get(m, jv_string("message"));

			input = jv_invalid();
			status = asl_cli_fail(cli, ASL_EX_DATA, "<stdin>: %s",
			    jv_get_kind(t) == JV_KIND_STRING ?
			    jv_string_value(t) : "not JSON");
			jv_free(t);
			free(text);
			goto out;
		}
	}
	free(text);
	for (k = 0; k < repeat; k++) {
		jv_free(r);
		r = asl_jsonata_eval(ax, input, bindings);
		if (!jv_is_valid(r) && jv_invalid_has_msg(jv_copy(r)))
			break;
	}
	status = ASL_EX_OK;
	if (jv_is_valid(r))
		asl_cli_print(cli, r, 0);
	else if (jv_invalid_has_msg(jv_copy(r)))
		status = fail_jsonata(cli, ASL_EX_FAIL, jv_invalid_get_msg(r));
	else
		jv_free(r);
	r = jv_invalid();
out:
	jv_free(r);
	jv_free(input);
	jv_free(bindings);
	if (ax != NULL)
		asl_jsonata_free(ax);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct asl_cli_table table = {
		jsonata_eval, usage, ASL_TABLE_CONTEXT
	};

	return asl_cli_table_main(&table, argc, argv);
}
