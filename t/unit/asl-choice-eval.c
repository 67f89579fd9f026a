/*
 * asl-choice-eval - test driver: compile one JSONPath Choice rule and
 * evaluate it, until a program (asl-step) exposes Choice states.
 *
 *   asl-choice-eval < REQUEST
 *	REQUEST is {"rule": RULE, "input": DOC, "context": CTX, "vars": VARS}
 *	(input defaults to {}, context and vars to none).
 *   asl-choice-eval [-c FILE] [-V FILE] [-d] RULE < DOC
 *	the form t/lib/table runs; RULE is JSON text or @FILE.
 *
 * Prints "true" or "false" (with -d, the rule's description as a JSON
 * string).  A runtime error prints "asl-choice-eval: ERROR: CAUSE" on
 * stderr and exits 1; a rule that does not compile prints one line per
 * problem, "asl-choice-eval: POINTER: MESSAGE", and exits 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl.h"
#include "asl_choice.h"
#include "asl_cli.h"

static const char usage_text[] =
"usage: asl-choice-eval < REQUEST\n"
"       asl-choice-eval [-c FILE] [-V FILE] [-d] RULE < DOC\n";

static void
compile_failed(jv errs)
{
	int i, n = jv_array_length(jv_copy(errs));

	for (i = 0; i < n; i++) {
		jv e = jv_array_get(jv_copy(errs), i);
		jv ptr = jv_object_get(jv_copy(e), jv_string("pointer"));
		jv msg = jv_object_get(e, jv_string("message"));

		asl_cli_warn("%s: %s", *jv_string_value(ptr) != '\0' ?
		    jv_string_value(ptr) : "/", jv_string_value(msg));
		jv_free(ptr);
		jv_free(msg);
	}
	jv_free(errs);
	exit(ASL_EX_USAGE);
}

int
main(int argc, char *argv[])
{
	struct asl_env env = ASL_ENV_INIT;
	struct asl_choice *c;
	const char *ctxfile = NULL, *varsfile = NULL;
	jv rule, doc, errs, err;
	int ch, describe = 0, r;

	asl_setprogname(argv[0]);
	while ((ch = getopt(argc, argv, "c:dV:")) != -1) {
		switch (ch) {
		case 'c':
			ctxfile = optarg;
			break;
		case 'd':
			describe = 1;
			break;
		case 'V':
			varsfile = optarg;
			break;
		default:
			asl_cli_usage(usage_text, NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		asl_cli_usage(usage_text, "one RULE at most");

	if (argc == 1) {
		rule = asl_cli_json_arg("RULE", argv[0]);
		/* A description needs no document. */
		doc = describe ? jv_object() : asl_cli_json_file("-", 0);
		if (ctxfile != NULL)
			env.context = asl_cli_json_file(ctxfile, 0);
		if (varsfile != NULL)
			env.vars = asl_cli_json_file(varsfile, 0);
	} else {
		jv req = asl_cli_json_file("-", 0);

		if (jv_get_kind(req) != JV_KIND_OBJECT)
			asl_cli_die(ASL_EX_DATA, "the request must be an object");
		rule = jv_object_get(jv_copy(req), jv_string("rule"));
		doc = jv_object_has(jv_copy(req), jv_string("input")) ?
		    jv_object_get(jv_copy(req), jv_string("input")) :
		    jv_object();
		if (jv_object_has(jv_copy(req), jv_string("context")))
			env.context = jv_object_get(jv_copy(req),
			    jv_string("context"));
		if (jv_object_has(jv_copy(req), jv_string("vars")))
			env.vars = jv_object_get(jv_copy(req), jv_string("vars"));
		jv_free(req);
	}
	if (jv_get_kind(env.vars) != JV_KIND_NULL &&
	    jv_get_kind(env.vars) != JV_KIND_OBJECT)
		asl_cli_die(ASL_EX_DATA, "the variables must be a JSON object");

	if ((c = asl_choice_compile(rule, &errs)) == NULL) {
		jv_free(doc);
		jv_free(env.context);
		jv_free(env.vars);
		compile_failed(errs);
	}
	env.input = doc;
	if (describe) {
		asl_print(asl_choice_describe(c), 0);
		r = 0;
	} else
		r = asl_choice_eval(c, &env, &err);
	asl_choice_free(c);
	jv_free(doc);
	jv_free(env.context);
	jv_free(env.vars);
	if (r < 0)
		asl_cli_die_error(ASL_EX_FAIL, err);
	if (!describe)
		puts(r ? "true" : "false");
	return asl_close_stdout(ASL_EX_OK);
}
