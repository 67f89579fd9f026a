/*
 * exec_inspect.c - what `asl list` tells beyond ListExecutions: the
 * filters of its command line, and what a RUNNING execution waits for,
 * told from the fold of its history (asl_fold.h) and its definition.
 */
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_exec.h"
#include "asl_fold.h"
#include "asl_store.h"
#include "asl_time.h"

jv
asl_exec_list_filter(jv list, const char *status, const char *machine,
    const struct asl_time *since)
{
	jv execs = jv_object_get(list, ASL_LIT("executions")), out = jv_array();
	struct asl_time t;

	jv_array_foreach(execs, i, d) {
		jv st = asl_get_string(d, "status");
		jv sm = asl_get_string(d, "stateMachineArn");
		jv start = asl_get_string(d, "startDate");
		const char *c = strrchr(jv_string_value(sm), ':');
		int keep = (status == NULL || strcmp(status,
		    jv_string_value(st)) == 0) && (machine == NULL ||
		    strcmp(machine, c != NULL ? c + 1 : jv_string_value(sm)) ==
		    0) && (since == NULL || (asl_time_parse(
		    jv_string_value(start), &t) == 0 &&
		    asl_time_cmp(t, *since) >= 0));
		if (keep)
			out = jv_array_append(out, d);
		else
			jv_free(d);
		jv_free(st);
		jv_free(sm);
		jv_free(start);
		(void)i;
	}
	jv_free(execs);
	return JV_OBJECT(ASL_LIT("executions"), out);
}

/* The state called name anywhere in machine m (borrowed), or invalid. */
static jv
find_state(jv m, const char *name)
{
	jv states, s, sub, found = jv_invalid();
	static const char *const nests[] = { "ItemProcessor", "Iterator" };
	size_t k;

	if (jv_get_kind(m) != JV_KIND_OBJECT)
		return jv_invalid();
	states = jv_object_get(jv_copy(m), ASL_LIT("States"));
	if (jv_get_kind(states) != JV_KIND_OBJECT) {
		jv_free(states);
		return jv_invalid();
	}
	s = jv_object_get(jv_copy(states), jv_string(name));
	if (jv_is_valid(s)) {
		jv_free(states);
		return s;
	}
	jv_free(s);
	jv_object_foreach(states, key, st) {
		if (!jv_is_valid(found)) {
			for (k = 0; k < 2 && !jv_is_valid(found); k++) {
				jv_free(found);
				sub = jv_object_get(jv_copy(st),
				    jv_string(nests[k]));
				found = find_state(sub, name);
				jv_free(sub);
			}
			sub = jv_object_get(jv_copy(st), ASL_LIT("Branches"));
			if (!jv_is_valid(found) &&
			    jv_get_kind(sub) == JV_KIND_ARRAY)
				jv_array_foreach(sub, i, b) {
					if (!jv_is_valid(found)) {
						jv_free(found);
						found = find_state(b, name);
					}
					jv_free(b);
					(void)i;
				}
			jv_free(sub);
		}
		jv_free(key);
		jv_free(st);
	}
	jv_free(states);
	return found;
}

/* "a timer due at T", from the Wait state (borrowed) entered at when. */
static jv
timer(jv wait, const char *when)
{
	double secs = asl_get_number(wait, "Seconds", -1);
	jv ts = asl_get_string(wait, "Timestamp"), r;
	struct asl_time t;
	char buf[ASL_TIME_BUFSIZE];

	if (secs >= 0 && asl_time_parse(when, &t) == 0)
		r = jv_string_fmt("timer due at %s", asl_time_format(
		    asl_time_add(t, secs), buf, sizeof buf));
	else if (*jv_string_value(ts) != '\0')
		r = jv_string_fmt("timer due at %s", jv_string_value(ts));
	else
		r = jv_string("a timer (its time from the input)");
	jv_free(ts);
	return r;
}

/* What one open frame (borrowed) of the fold waits for, or null. */
static jv
frame_waits(jv f, jv def)
{
	jv phase = asl_get_string(f, "phase"), type = asl_get_string(f, "type");
	jv state = asl_get_string(f, "state"), task, det, res, when, r;
	const char *ph = jv_string_value(phase);

	task = jv_object_get(jv_copy(f), ASL_LIT("task"));
	det = jv_get_kind(task) == JV_KIND_OBJECT ? jv_object_get(
	    jv_copy(task), ASL_LIT("details")) : jv_null();
	res = asl_get_string(det, "resource");
	when = asl_get_string(f, "enteredTime");
	if (strcmp(jv_string_value(type), "Wait") == 0 &&
	    strcmp(ph, "entered") == 0) {
		jv w = find_state(def, jv_string_value(state));
		r = timer(w, jv_string_value(when));
		jv_free(w);
	} else if (strcmp(ph, "submitted") == 0)
		r = jv_string_fmt("a task token (%s)", jv_string_value(state));
	else if ((strcmp(ph, "scheduled") == 0 || strcmp(ph, "started") == 0) &&
	    strstr(jv_string_value(res), ":activity:") != NULL)
		r = jv_string_fmt("activity %s", strrchr(jv_string_value(res),
		    ':') + 1);
	else if (strcmp(ph, "started") == 0)
		r = jv_string_fmt("task %s running", jv_string_value(state));
	else if (strcmp(ph, "failed-task") == 0)
		r = jv_string_fmt("a retry of %s", jv_string_value(state));
	else
		r = jv_null();
	jv_free(phase);
	jv_free(type);
	jv_free(state);
	jv_free(task);
	jv_free(det);
	jv_free(res);
	jv_free(when);
	return r;
}

jv
asl_exec_waiting(const struct asl_store *st, const char *name)
{
	jv events = asl_exec_history(st, name), fold, frames, out, seen;
	jv def;
	int n = 0, more = 0;

	if (!jv_is_valid(events)) {
		jv_free(events);
		return jv_null();
	}
	fold = asl_fold(events, NULL);
	if (!jv_is_valid(fold)) {
		jv_free(fold);
		return jv_null();
	}
	def = asl_store_read(st, "executions/%s/%s", name, "definition.json");
	frames = jv_object_get(fold, ASL_LIT("frames"));
	out = jv_string("");
	seen = jv_object();
	jv_array_foreach(frames, i, f) {
		jv w = frame_waits(f, def);
		if (jv_get_kind(w) == JV_KIND_STRING &&
		    !jv_object_has(jv_copy(seen), jv_copy(w))) {
			seen = jv_object_set(seen, jv_copy(w), jv_true());
			if (n++ < 3)
				out = jv_string_concat(out, jv_string_fmt(
				    "%s%s", n > 1 ? "; " : "",
				    jv_string_value(w)));
			else
				more++;
		}
		jv_free(w);
		jv_free(f);
		(void)i;
	}
	if (more > 0)
		out = jv_string_concat(out, jv_string_fmt("; and %d more",
		    more));
	jv_free(frames);
	jv_free(seen);
	jv_free(def);
	if (n == 0) {
		jv_free(out);
		return jv_null();
	}
	return out;
}
