/*
 * asl-choice-eval - test driver: compile one JSONPath Choice rule and
 * evaluate it, until a program (asl-step) exposes Choice states.
 *
 *   asl-choice-eval < REQUEST
 *	REQUEST is {"rule": RULE, "input": DOC, "context": CTX, "vars": VARS}
 *	(input defaults to {}, context and vars to none).
 *   asl-choice-eval [-c FILE] [-V FILE] [-d] RULE < DOC
 *	the form a table of cases runs; RULE is JSON text or @FILE.
 *   asl-choice-eval -C < REQUEST
 *	REQUEST is {"choices": [RULE, ...], "default": NAME, "input",
 *	"context", "vars"}: a Choice state's rules, each with its Next,
 *	compiled and evaluated one after the other until one is true, as
 *	the state takes them; prints that rule's Next, else the default
 *	(as a JSON string), else fails with States.NoChoiceMatched.
 *   asl-choice-eval --run-tests FILE [SECTION]
 *	runs such a table in-process (asl_cli_table.h).
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
#include "asl_cli_table.h"

static const char usage_text[] =
"usage: asl-choice-eval [-C] < REQUEST\n"
"       asl-choice-eval [-c FILE] [-V FILE] [-d] RULE < DOC\n"
"       asl-choice-eval --run-tests FILE [SECTION]\n";

/* Every problem of a rule that does not compile (consumed); status. */
static int
compile_failed(struct asl_cli *cli, jv errs)
{
	int i, n = jv_array_length(jv_copy(errs));

	for (i = 0; i < n; i++) {
		jv e = jv_array_get(jv_copy(errs), i);
		jv ptr = jv_object_get(jv_copy(e), jv_string("pointer"));
		jv msg = jv_object_get(e, jv_string("message"));

		asl_cli_fail(cli, ASL_EX_USAGE, "%s: %s",
		    *jv_string_value(ptr) != '\0' ? jv_string_value(ptr) : "/",
		    jv_string_value(msg));
		jv_free(ptr);
		jv_free(msg);
	}
	jv_free(errs);
	return ASL_EX_USAGE;
}

/*
 * The branch a Choice state's rules (consumed) take on env: each rule
 * compiled only when the ones before it were false.  A status.
 */
static int
choose(struct asl_cli *cli, jv choices, jv dflt, const struct asl_env *env)
{
	struct asl_choice *c;
	int i, n, r, status;
	jv rule, next, errs, err;

	if (jv_get_kind(choices) != JV_KIND_ARRAY) {
		jv_free(choices);
		jv_free(dflt);
		return asl_cli_fail(cli, ASL_EX_DATA, "choices must be an "
		    "array");
	}
	n = jv_array_length(jv_copy(choices));
	for (i = 0; i < n; i++) {
		rule = jv_array_get(jv_copy(choices), i);
		next = jv_object_get(jv_copy(rule), jv_string("Next"));
		if ((c = asl_choice_compile(rule, &errs)) == NULL) {
			status = compile_failed(cli, errs);
			goto out;
		}
		r = asl_choice_eval(c, env, &err);
		asl_choice_free(c);
		if (r < 0) {
			status = asl_cli_fail_error(cli, ASL_EX_FAIL, err);
			goto out;
		}
		if (r) {
			asl_cli_print(cli, next, 0);
			next = jv_invalid();
			status = ASL_EX_OK;
			goto out;
		}
		jv_free(next);
	}
	next = jv_invalid();
	if (jv_get_kind(dflt) == JV_KIND_STRING) {
		asl_cli_print(cli, dflt, 0);
		dflt = jv_invalid();
		status = ASL_EX_OK;
	} else
		status = asl_cli_fail(cli, ASL_EX_FAIL,
		    "States.NoChoiceMatched");
out:
	jv_free(next);
	jv_free(choices);
	jv_free(dflt);
	return status;
}

/* One invocation: the rule and document, compiled and evaluated. */
static int
choice_eval(struct asl_cli *cli, int argc, char *argv[])
{
	struct asl_env env = ASL_ENV_INIT;
	struct asl_choice *c = NULL;
	const char *ctxfile = NULL, *varsfile = NULL;
	jv rule = jv_null(), doc = jv_null(), choices = jv_null();
	jv dflt = jv_null(), req, errs, err;
	int ch, describe = 0, state = 0, r, status;

	while ((ch = asl_cli_getopt(cli, argc, argv, "Cc:dV:", NULL)) != -1) {
		switch (ch) {
		case 'C':
			state = 1;
			break;
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
			return asl_cli_fail_usage(cli, usage_text, NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return asl_cli_fail_usage(cli, usage_text, "one RULE at most");
	if (state && (argc > 0 || describe))
		return asl_cli_fail_usage(cli, usage_text, "-C reads a "
		    "request, with no RULE and no -d");

	if (argc == 1) {
		if ((status = asl_cli_read_arg(cli, "RULE", argv[0],
		    &rule)) != 0)
			goto out;
		/* A description needs no document. */
		if (describe)
			doc = jv_object();
		else if ((status = asl_cli_read_file(cli, "-", 0, &doc)) != 0)
			goto out;
		if (ctxfile != NULL && (status = asl_cli_read_file(cli,
		    ctxfile, 0, &env.context)) != 0)
			goto out;
		if (varsfile != NULL && (status = asl_cli_read_file(cli,
		    varsfile, 0, &env.vars)) != 0)
			goto out;
	} else {
		if ((status = asl_cli_read_file(cli, "-", 0, &req)) != 0)
			goto out;
		if (jv_get_kind(req) != JV_KIND_OBJECT) {
			jv_free(req);
			status = asl_cli_fail(cli, ASL_EX_DATA, "the request "
			    "must be an object");
			goto out;
		}
		if (state) {
			choices = jv_object_get(jv_copy(req),
			    jv_string("choices"));
			dflt = jv_object_get(jv_copy(req),
			    jv_string("default"));
		} else
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
	    jv_get_kind(env.vars) != JV_KIND_OBJECT) {
		status = asl_cli_fail(cli, ASL_EX_DATA, "the variables must be "
		    "a JSON object");
		goto out;
	}

	if (state) {
		env.input = doc;
		status = choose(cli, choices, dflt, &env);
		choices = dflt = jv_null();
		goto out;
	}
	c = asl_choice_compile(rule, &errs);
	rule = jv_null();
	if (c == NULL) {
		status = compile_failed(cli, errs);
		goto out;
	}
	env.input = doc;
	if (describe) {
		asl_cli_print(cli, asl_choice_describe(c), 0);
		status = ASL_EX_OK;
	} else if ((r = asl_choice_eval(c, &env, &err)) < 0)
		status = asl_cli_fail_error(cli, ASL_EX_FAIL, err);
	else {
		fputs(r ? "true\n" : "false\n", cli->out);
		status = ASL_EX_OK;
	}
out:
	if (c != NULL)
		asl_choice_free(c);
	jv_free(choices);
	jv_free(dflt);
	jv_free(rule);
	jv_free(doc);
	jv_free(env.context);
	jv_free(env.vars);
	return status;
}

int
main(int argc, char *argv[])
{
	static const struct asl_cli_table table = {
		choice_eval, usage_text, ASL_TABLE_CONTEXT
	};

	return asl_cli_table_main(&table, argc, argv);
}
