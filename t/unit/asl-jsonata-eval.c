/*
 * asl-jsonata-eval - evaluate one JSONata expression against the JSON
 * document on standard input, for the tests of lib/asl_jsonata.
 *
 * usage: asl-jsonata-eval [-c FILE] [-V FILE] [--bindings JSON]
 *            [--repeat N] EXPR
 *
 * Standard input holds the input document; empty input (blanks only)
 * means no input at all ("undefined").  -V FILE and --bindings JSON give
 * the variables as an object ({"x": 1} binds $x); -c FILE is accepted
 * and ignored, as t/lib/table passes it to every program.  --repeat N
 * evaluates N times (for timing) and prints the last result.
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
#include "asl_json.h"
#include "asl_jsonata.h"

static const char usage[] =
    "usage: asl-jsonata-eval [-c FILE] [-V FILE] [--bindings JSON] "
    "[--repeat N] EXPR\n";

static void __attribute__((noreturn))
die_jsonata(int status, jv obj)
{
	jv code = jv_object_get(jv_copy(obj), jv_string("code"));
	jv msg = jv_object_get(obj, jv_string("message"));

	fprintf(stderr, "%s: %s: %s\n", asl_getprogname(),
	    jv_get_kind(code) == JV_KIND_STRING ? jv_string_value(code) : "?",
	    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "");
	jv_free(code);
	jv_free(msg);
	exit(status);
}

int
main(int argc, char **argv)
{
	const char *expr = NULL, *varfile = NULL, *bindarg = NULL;
	struct asl_jsonata *ax;
	jv bindings = jv_object(), input, r = jv_invalid(), err;
	char *text;
	size_t len, i;
	long repeat = 1, k;
	int a;

	asl_setprogname(argv[0]);
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
			fputs(usage, stdout);
			return asl_close_stdout(ASL_EX_OK);
		} else if (strcmp(argv[a], "--") == 0 && a + 1 < argc) {
			expr = argv[++a];
			break;
		} else if (argv[a][0] == '-' && argv[a][1] != '\0' &&
		    expr == NULL && a + 1 < argc)
			asl_cli_usage(usage, "unknown option %s", argv[a]);
		else if (expr == NULL)
			expr = argv[a];
		else
			asl_cli_usage(usage, "one expression only");
	}
	if (expr == NULL)
		asl_cli_usage(usage, NULL);
	if (varfile != NULL) {
		jv_free(bindings);
		bindings = asl_cli_json_file(varfile, 0);
	}
	if (bindarg != NULL) {
		jv more = asl_cli_json_arg("--bindings", bindarg);

		if (jv_get_kind(more) == JV_KIND_OBJECT) {
			jv_object_foreach(more, key, val)
				bindings = jv_object_set(bindings, key, val);
		}
		jv_free(more);
	}
	if (jv_get_kind(bindings) != JV_KIND_OBJECT)
		asl_cli_die(ASL_EX_DATA, "the bindings must be a JSON object");
	if ((ax = asl_jsonata_compile(expr, &err)) == NULL) {
		jv_free(bindings);
		die_jsonata(ASL_EX_USAGE, err);
	}
	if ((text = asl_read_all("-", 0, &len)) == NULL)
		asl_cli_die(ASL_EX_OS, "<stdin>: %s", strerror(errno));
	for (i = 0; i < len && strchr(" \t\r\n", text[i]) != NULL; i++)
		;
	if (i == len)
		input = jv_invalid();
	else {
		input = asl_json_parse(text, len, NULL, NULL);
		if (!jv_is_valid(input)) {
			jv m = jv_invalid_get_msg(input);
			jv t = jv_object_get(m, jv_string("message"));
			char why[512];

			snprintf(why, sizeof(why), "%s",
			    jv_get_kind(t) == JV_KIND_STRING ?
			    jv_string_value(t) : "not JSON");
			jv_free(t);
			jv_free(bindings);
			asl_jsonata_free(ax);
			free(text);
			asl_cli_die(ASL_EX_DATA, "<stdin>: %s", why);
		}
	}
	free(text);
	for (k = 0; k < repeat; k++) {
		jv_free(r);
		r = asl_jsonata_eval(ax, input, bindings);
		if (!jv_is_valid(r) && jv_invalid_has_msg(jv_copy(r)))
			break;
	}
	jv_free(input);
	jv_free(bindings);
	asl_jsonata_free(ax);
	if (jv_is_valid(r))
		asl_print(r, 0);
	else if (jv_invalid_has_msg(jv_copy(r)))
		die_jsonata(ASL_EX_FAIL, jv_invalid_get_msg(r));
	else
		jv_free(r);
	return asl_close_stdout(ASL_EX_OK);
}
