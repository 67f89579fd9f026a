/*
 * eval - evaluations per second of the data-flow core on a 2 KB
 * document: paths (definite, filter, deep scan), a payload template,
 * intrinsic calls, ResultPath placement.  Each expression is compiled
 * once and evaluated many times, as the engine does.
 *
 *   eval [SECONDS]	run each case for about SECONDS (default 0.5)
 *
 * Prints one line per case: its name, evaluations per second and
 * nanoseconds per evaluation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jv.h>

#include "asl_env.h"
#include "asl_intrinsic.h"
#include "asl_path.h"
#include "asl_template.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A document of about 2 KB: an order with 24 lines. */
static jv
document(void)
{
	jv items = jv_array(), doc;
	int i;

	for (i = 0; i < 24; i++)
		items = jv_array_append(items, JV_OBJECT(
		    jv_string("sku"), jv_string_fmt("SKU-%04d", i * 37),
		    jv_string("title"), jv_string_fmt("Item number %d", i),
		    jv_string("price"), jv_number(3.5 * i + 1),
		    jv_string("qty"), jv_number(i % 4 + 1),
		    jv_string("tag"), jv_string(i % 3 ? "x" : "y")));
	doc = JV_OBJECT(jv_string("orderId"), jv_string("o-12345"),
	    jv_string("customer"), JV_OBJECT(jv_string("id"),
	    jv_string("c-1"), jv_string("name"), jv_string("Ada Lovelace"),
	    jv_string("email"), jv_string("ada@example.com"),
	    jv_string("address"), JV_OBJECT(jv_string("street"),
	    jv_string("12 Analytical Engine Row"), jv_string("city"),
	    jv_string("London"), jv_string("zip"), jv_string("N1 9GU"))),
	    jv_string("items"), items,
	    jv_string("total"), jv_number(303.5),
	    jv_string("note"), jv_string("leave at the door"));
	return doc;
}

typedef jv (*evalfn)(const void *, const struct asl_env *);

static jv
eval_path(const void *p, const struct asl_env *env)
{
	return asl_path_eval(p, env);
}

static jv
eval_template(const void *t, const struct asl_env *env)
{
	return asl_template_eval(t, env);
}

static jv
eval_intrinsic(const void *c, const struct asl_env *env)
{
	return asl_intrinsic_eval(c, env);
}

static const struct asl_path *put_path;

static jv
eval_put(const void *v, const struct asl_env *env)
{
	return asl_path_put(put_path, jv_copy(env->input), jv_copy(*(const jv *)v));
}

static void
measure(const char *name, evalfn fn, const void *what,
    const struct asl_env *env, double budget)
{
	double start = now(), t;
	long n = 0, batch = 256, i;
	jv r;

	/* the result must be a value: a failing case measures nothing */
	r = fn(what, env);
	if (!jv_is_valid(r)) {
		fprintf(stderr, "eval: %s: %s\n", name, jv_string_value(
		    jv_dump_string(jv_invalid_get_msg(r), 0)));
		exit(1);
	}
	jv_free(r);
	do {
		for (i = 0; i < batch; i++)
			jv_free(fn(what, env));
		n += batch;
	} while ((t = now() - start) < budget);
	printf("%-28s %12.0f evals/s %9.0f ns/eval\n", name, n / t,
	    t / n * 1e9);
}

int
main(int argc, char *argv[])
{
	static const char *const paths[][2] = {
		{ "path definite", "$.customer.address.city" },
		{ "path index", "$.items[7].price" },
		{ "path filter", "$.items[?(@.price < 20 && @.tag == 'x')]" },
		{ "path deep scan", "$..sku" },
		{ "path slice", "$.items[2:8]" },
	};
	static const char *const calls[][2] = {
		{ "intrinsic Format", "States.Format('Order {} for {}', "
		    "$.orderId, $.customer.name)" },
		{ "intrinsic MathAdd", "States.MathAdd($.total, 1)" },
		{ "intrinsic ArrayLength", "States.ArrayLength($.items)" },
		{ "intrinsic nested", "States.ArrayGetItem(States.Array("
		    "$.orderId, $.customer.id), 1)" },
		{ "intrinsic JsonToString", "States.JsonToString($.customer)" },
		{ "intrinsic Hash", "States.Hash($.note, 'SHA-256')" },
	};
	double budget = argc > 1 ? atof(argv[1]) : 0.5;
	struct asl_env env = ASL_ENV_INIT;
	struct asl_template *tmpl;
	jv doc = document(), err, value;
	size_t i;

	if (budget <= 0)
		budget = 0.5;
	env.input = doc;
	env.context = JV_OBJECT(jv_string("Execution"), JV_OBJECT(
	    jv_string("Name"), jv_string("e-1")));
	env.vars = JV_OBJECT(jv_string("limit"), jv_number(20));
	printf("document: %d bytes of JSON\n", jv_string_length_bytes(
	    jv_dump_string(jv_copy(doc), 0)));
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		struct asl_path *p = asl_path_compile(paths[i][1], 0, &err);
		if (p == NULL) {
			fprintf(stderr, "eval: %s does not compile\n", paths[i][1]);
			return 1;
		}
		measure(paths[i][0], eval_path, p, &env, budget);
		asl_path_free(p);
	}
	tmpl = asl_template_compile(jv_parse("{\"id.$\": \"$.orderId\", "
	    "\"who.$\": \"$.customer.name\", \"city.$\": "
	    "\"$.customer.address.city\", \"n.$\": "
	    "\"States.ArrayLength($.items)\", \"exec.$\": "
	    "\"$$.Execution.Name\", \"limit.$\": \"$limit\", "
	    "\"fixed\": {\"a\": [1, 2, 3], \"b\": \"c\"}}"), &err);
	if (tmpl == NULL) {
		fprintf(stderr, "eval: the template does not compile\n");
		return 1;
	}
	measure("template (7 fields)", eval_template, tmpl, &env, budget);
	asl_template_free(tmpl);
	for (i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		struct asl_intrinsic *c = asl_intrinsic_compile(calls[i][1], &err);
		if (c == NULL) {
			fprintf(stderr, "eval: %s does not compile\n", calls[i][1]);
			return 1;
		}
		measure(calls[i][0], eval_intrinsic, c, &env, budget);
		asl_intrinsic_free(c);
	}
	{
		struct asl_path *p = asl_path_compile("$.result.shipment", 0,
		    &err);
		put_path = p;
		value = JV_OBJECT(jv_string("trackingNumber"),
		    jv_string("TRK-1"));
		measure("ResultPath placement", eval_put, &value, &env, budget);
		jv_free(value);
		asl_path_free(p);
	}
	jv_free(doc);
	jv_free(env.context);
	jv_free(env.vars);
	return 0;
}
