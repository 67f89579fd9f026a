/*
 * asl_trace.c - Trace Event JSON from an execution's outcome.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "asl.h"
#include "asl_trace.h"

/* microseconds, from milliseconds */
static jv
us(double ms)
{
	return jv_number(round(ms * 1000));
}

/*
 * A complete event on thread tid from start to end (ms; end < 0: still
 * running, until the last event at now), with args (consumed).
 */
static jv
slice(jv name, const char *cat, int tid, double start, double end,
    double now, jv args)
{
	jv e;

	if (end < 0) {
		end = now;
		args = jv_object_set(args, jv_string("running"), jv_true());
	}
	if (end < start)
		end = start;
	e = JV_OBJECT(jv_string("name"), name, jv_string("cat"),
	    jv_string(cat), jv_string("ph"), jv_string("X"),
	    jv_string("ts"), us(start), jv_string("dur"), us(end - start),
	    jv_string("pid"), jv_number(1), jv_string("tid"),
	    jv_number(tid));
	return jv_object_set(e, jv_string("args"), args);
}

static jv
meta(const char *what, int tid, jv args)
{
	return JV_OBJECT(jv_string("name"), jv_string(what), jv_string("ph"),
	    jv_string("M"), jv_string("pid"), jv_number(1), jv_string("tid"),
	    jv_number(tid), jv_string("args"), args);
}

/*
 * {"outcome", "error"?} of x (consumed): a visit, an attempt, a frame;
 * an attempt with no outcome yet runs.
 */
static jv
args_of(jv x)
{
	jv out = asl_get_string(x, "outcome");
	jv err = jv_object_get(jv_copy(x), jv_string("error")), a;

	if (*jv_string_value(out) == '\0') {
		jv_free(out);
		out = jv_string("running");
	}
	a = JV_OBJECT(jv_string("outcome"), out);

	if (jv_get_kind(err) == JV_KIND_STRING)
		a = jv_object_set(a, jv_string("error"), err);
	else
		jv_free(err);
	jv_free(x);
	return a;
}

/* A visit's slice, its attempts' and their backoffs'. */
static jv
visit(jv out, jv v, double now)
{
	jv type = asl_get_string(v, "type"), tries, cat, args;
	int tid = (int)asl_get_number(v, "frame", 0) + 1, i;
	double prev_end = -1, s, e;
	char buf[32];
	size_t k;

	snprintf(buf, sizeof buf, "%s", jv_string_value(type));
	for (k = 0; buf[k] != '\0'; k++)
		buf[k] = (char)tolower((unsigned char)buf[k]);
	cat = jv_string(buf);
	args = args_of(jv_copy(v));
	args = jv_object_set(args, jv_string("type"), jv_copy(type));
	if (asl_get_number(v, "retries", 0) > 0)
		args = jv_object_set(args, jv_string("retries"),
		    jv_number(asl_get_number(v, "retries", 0)));
	out = jv_array_append(out, slice(asl_get_string(v, "state"), buf, tid,
	    asl_get_number(v, "start", 0), asl_get_number(v, "end", -1), now, args));
	tries = jv_object_get(jv_copy(v), jv_string("attempts"));
	if (jv_get_kind(tries) == JV_KIND_ARRAY) {
		jv_array_foreach(tries, j, a) {
			i = j + 1;
			s = asl_get_number(a, "start", 0);
			e = asl_get_number(a, "end", -1);
			if (prev_end >= 0 && s > prev_end)
				out = jv_array_append(out, slice(
				    jv_string("backoff"), "retry", tid,
				    prev_end, s, now, JV_OBJECT(
				    jv_string("before"), jv_string_fmt(
				    "attempt %d", i))));
			out = jv_array_append(out, slice(jv_string_fmt(
			    "attempt %d", i), strcmp(buf, "map") == 0 ||
			    strcmp(buf, "parallel") == 0 ? "children" :
			    "attempt", tid, s, e, now, args_of(jv_copy(a))));
			prev_end = e;
			jv_free(a);
		}
	}
	jv_free(tries);
	jv_free(type);
	jv_free(cat);
	jv_free(v);
	return out;
}

jv
asl_trace(jv oc, const char *name)
{
	jv out = jv_array(), frames, visits, f, holder, label, kind, st, args;
	double now = asl_get_number(oc, "duration", 0);
	int n, i;

	out = jv_array_append(out, meta("process_name", 1,
	    JV_OBJECT(jv_string("name"), jv_string(name))));
	frames = jv_object_get(jv_copy(oc), jv_string("frames"));
	visits = jv_object_get(jv_copy(oc), jv_string("visits"));
	n = jv_get_kind(frames) == JV_KIND_ARRAY ?
	    jv_array_length(jv_copy(frames)) : 0;
	for (i = 0; i < n; i++) {
		f = jv_array_get(jv_copy(frames), i);
		kind = asl_get_string(f, "kind");
		if (i == 0)
			label = jv_string(name);
		else {
			holder = jv_array_get(jv_copy(visits),
			    (int)asl_get_number(f, "parent", 0));
			st = asl_get_string(holder, "state");
			label = strcmp(jv_string_value(kind), "branch") == 0 ?
			    jv_string_fmt("%s branch %d", jv_string_value(st),
			    (int)asl_get_number(f, "index", 0) + 1) :
			    jv_string_fmt("%s [%d]", jv_string_value(st),
			    (int)asl_get_number(f, "index", 0));
			jv_free(st);
			jv_free(holder);
		}
		out = jv_array_append(out, meta("thread_name", i + 1,
		    JV_OBJECT(jv_string("name"), jv_copy(label))));
		out = jv_array_append(out, meta("thread_sort_index", i + 1,
		    JV_OBJECT(jv_string("sort_index"), jv_number(i))));
		args = args_of(jv_copy(f));
		out = jv_array_append(out, slice(label, jv_string_value(kind),
		    i + 1, asl_get_number(f, "start", 0), asl_get_number(f,
		    "end", -1), now, args));
		jv_free(kind);
		jv_free(f);
	}
	if (jv_get_kind(visits) == JV_KIND_ARRAY)
		jv_array_foreach(visits, j, v) {
			out = visit(out, v, now);
			(void)j;
		}
	f = JV_OBJECT(jv_string("traceEvents"), out,
	    jv_string("displayTimeUnit"), jv_string("ms"),
	    jv_string("otherData"), JV_OBJECT(jv_string("execution"),
	    jv_string(name), jv_string("status"), asl_get_string(oc, "status"),
	    jv_string("start"), asl_get_string(oc, "start")));
	jv_free(frames);
	jv_free(visits);
	jv_free(oc);
	return f;
}
