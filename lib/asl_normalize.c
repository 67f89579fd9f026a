/*
 * asl_normalize.c - older spellings to current ones, defaults made
 * explicit (see asl_normalize.h for the list).
 */
#include <string.h>

#include "asl.h"
#include "asl_normalize.h"

static jv machine(jv m, const char *top);

static int
is(jv x, const char *s)
{
	return jv_get_kind(x) == JV_KIND_STRING &&
	    strcmp(jv_string_value(x), s) == 0;
}

static jv
set_default(jv obj, const char *key, jv value)
{
	if (jv_object_has(jv_copy(obj), asl_key(key))) {
		jv_free(value);
		return obj;
	}
	return jv_object_set(obj, asl_key(key), value);
}

/* A retrier with its defaults. */
static jv
retrier(jv r)
{
	if (jv_get_kind(r) != JV_KIND_OBJECT)
		return r;
	r = set_default(r, "IntervalSeconds", jv_number(1));
	r = set_default(r, "MaxAttempts", jv_number(3));
	r = set_default(r, "BackoffRate", jv_number(2.0));
	return set_default(r, "JitterStrategy", ASL_LIT("NONE"));
}

static jv
retry(jv list)
{
	jv out;

	if (jv_get_kind(list) != JV_KIND_ARRAY)
		return list;
	out = jv_array();
	jv_array_foreach(list, i, r) {
		out = jv_array_append(out, retrier(r));
		(void)i;
	}
	jv_free(list);
	return out;
}

/* An ItemProcessor: ProcessorConfig first, with its Mode. */
static jv
processor(jv p, const char *top)
{
	jv out, cfg;

	if (jv_get_kind(p) != JV_KIND_OBJECT)
		return p;
	cfg = jv_object_get(jv_copy(p), ASL_LIT("ProcessorConfig"));
	if (jv_get_kind(cfg) == JV_KIND_OBJECT)
		cfg = set_default(cfg, "Mode", ASL_LIT("INLINE"));
	else {
		jv_free(cfg);
		cfg = JV_OBJECT(ASL_LIT("Mode"), ASL_LIT("INLINE"));
	}
	out = JV_OBJECT(ASL_LIT("ProcessorConfig"), cfg);
	jv_object_foreach(p, k, x) {
		if (strcmp(jv_string_value(k), "ProcessorConfig") == 0) {
			jv_free(k);
			jv_free(x);
		} else
			out = jv_object_set(out, k, x);
	}
	jv_free(p);
	return machine(out, top);
}

static jv
state(jv s, const char *top)
{
	jv out, type, ql;
	const char *lang;

	if (jv_get_kind(s) != JV_KIND_OBJECT)
		return s;
	type = jv_object_get(jv_copy(s), ASL_LIT("Type"));
	ql = jv_object_get(jv_copy(s), ASL_LIT("QueryLanguage"));
	lang = is(ql, "JSONata") ? "JSONata" : is(ql, "JSONPath") ?
	    "JSONPath" : top;
	if (!is(type, "Map") && !is(type, "Parallel") &&
	    !jv_object_has(jv_copy(s), ASL_LIT("Retry"))) {
		/* nothing to rewrite: the language is all it may lack */
		jv_free(type);
		jv_free(ql);
		return set_default(s, "QueryLanguage", asl_key(lang));
	}
	out = jv_object();
	jv_object_foreach(s, k, x) {
		const char *ks = jv_string_value(k);

		if (is(type, "Map") && (strcmp(ks, "Iterator") == 0 ||
		    strcmp(ks, "ItemProcessor") == 0)) {
			jv_free(k);
			k = ASL_LIT("ItemProcessor");
			x = processor(x, top);
		} else if (is(type, "Map") && strcmp(ks, "Parameters") == 0 &&
		    strcmp(lang, "JSONPath") == 0) {
			jv_free(k);
			k = ASL_LIT("ItemSelector");
		} else if (strcmp(ks, "Retry") == 0)
			x = retry(x);
		else if (is(type, "Parallel") && strcmp(ks, "Branches") == 0 &&
		    jv_get_kind(x) == JV_KIND_ARRAY) {
			jv branches = jv_array();
			jv_array_foreach(x, i, b) {
				branches = jv_array_append(branches, machine(b,
				    top));
				(void)i;
			}
			jv_free(x);
			x = branches;
		}
		out = jv_object_set(out, k, x);
	}
	out = set_default(out, "QueryLanguage", asl_key(lang));
	jv_free(type);
	jv_free(ql);
	jv_free(s);
	return out;
}

static jv
machine(jv m, const char *top)
{
	jv states;
	int i;

	if (jv_get_kind(m) != JV_KIND_OBJECT)
		return m;
	states = jv_object_get(jv_copy(m), ASL_LIT("States"));
	if (jv_get_kind(states) != JV_KIND_OBJECT) {
		jv_free(states);
		return m;
	}
	/*
	 * In place: with m's reference dropped, and each state's taken out
	 * of the object before it is changed, nothing is copied.  Setting
	 * a member that exists moves no slot, so the iteration holds.
	 */
	m = jv_object_set(m, ASL_LIT("States"), jv_null());
	for (i = jv_object_iter(states); jv_object_iter_valid(states, i);
	    i = jv_object_iter_next(states, i)) {
		jv k = jv_object_iter_key(states, i);
		jv x = jv_object_iter_value(states, i);

		states = jv_object_set(states, jv_copy(k), jv_null());
		states = jv_object_set(states, k, state(x, top));
	}
	return jv_object_set(m, ASL_LIT("States"), states);
}

jv
asl_normalize(jv def, int flags)
{
	jv ql;
	const char *top;

	if (jv_get_kind(def) != JV_KIND_OBJECT)
		return def;
	ql = jv_object_get(jv_copy(def), ASL_LIT("QueryLanguage"));
	top = is(ql, "JSONata") ? "JSONata" : "JSONPath";
	jv_free(ql);
	if (flags & ASL_NORMALIZE_STATE)
		return state(def, "JSONPath");
	return machine(def, top);
}
