/*
 * lib/exec/exec_maprun.c - Map Runs as the API shows them: ListMapRuns
 * and DescribeMapRun, from the parent's history (MapRunStarted and how
 * it ended) and the Map Run's journal (which children ended how).  Each
 * Map Run is registered in the store as map-runs/RUN-ID.json, naming its
 * execution, so that its ARN alone finds it.
 */
#include <stdlib.h>
#include <string.h>

#include "asl_json.h"
#include "asl_store.h"
#include "exec_int.h"

/* The last ':'-separated part of a Map Run's ARN: its run id. */
static const char *
run_id(const char *arn)
{
	const char *c = strrchr(arn, ':');

	return c != NULL ? c + 1 : arn;
}

void
ex_maprun_register(struct group *g, jv map_run)
{
	struct exec *ex = g->owner->ex;
	jv v = JV_OBJECT(ASL_LIT("mapRunArn"), jv_copy(map_run),
	    ASL_LIT("execution"), jv_string(ex->name),
	    ASL_LIT("maxConcurrency"), jv_number(g->max_conc),
	    ASL_LIT("toleratedFailureCount"), jv_number(g->has_tc ?
	    g->tol_count : 0), ASL_LIT("toleratedFailurePercentage"),
	    jv_number(g->has_tp ? g->tol_pct : 0));

	jv_free(asl_store_putf(ex->store, v, 0, "map-runs/%s%s.json",
	    run_id(jv_string_value(map_run)), ""));
	jv_free(map_run);
}

static jv
events_of(const struct asl_store *st, const char *name)
{
	jv h = asl_exec_history(st, name);

	if (jv_get_kind(h) == JV_KIND_OBJECT)
		return jv_object_get(h, ASL_LIT("events"));
	return h;
}

static long
num(jv o, const char *k)
{
	jv v = jv_object_get(jv_copy(o), jv_string(k));
	long n = jv_get_kind(v) == JV_KIND_NUMBER ? (long)jv_number_value(v) : 0;

	jv_free(v);
	return n;
}

static const char *
type_of(jv e, char *buf, size_t len)
{
	jv t = jv_object_get(jv_copy(e), ASL_LIT("type"));

	snprintf(buf, len, "%s", jv_get_kind(t) == JV_KIND_STRING ?
	    jv_string_value(t) : "");
	jv_free(t);
	return buf;
}

/*
 * The Map Runs of events (borrowed): for each, its ARN, start and end
 * events, and the Map state's Entered event (its journal's name).
 */
static jv
runs_in(jv events)
{
	int i, j, n = jv_array_length(jv_copy(events));
	jv runs = jv_array();
	char t[64];

	for (i = 0; i < n; i++) {
		jv e = jv_array_get(jv_copy(events), i), d, end = jv_null();
		long id = num(e, "id"), started = num(e, "previousEventId");
		long entered = 0, total = 0;

		if (strcmp(type_of(e, t, sizeof t), "MapRunStarted") != 0) {
			jv_free(e);
			continue;
		}
		for (j = 0; j < n; j++) {
			jv o = jv_array_get(jv_copy(events), j);
			if (num(o, "id") == started) {
				entered = num(o, "previousEventId");
				d = jv_object_get(jv_copy(o),
				    ASL_LIT("mapStateStartedEventDetails"));
				total = num(d, "length");
				jv_free(d);
			}
			if (num(o, "previousEventId") == id &&
			    strncmp(type_of(o, t, sizeof t), "MapRun", 6) == 0) {
				jv_free(end);
				end = jv_copy(o);
			}
			jv_free(o);
		}
		d = jv_object_get(jv_copy(e), ASL_LIT("mapRunStartedEventDetails"));
		runs = jv_array_append(runs, JV_OBJECT(ASL_LIT("arn"),
		    jv_object_get(d, ASL_LIT("mapRunArn")), ASL_LIT("start"),
		    jv_object_get(jv_copy(e), ASL_LIT("timestamp")),
		    ASL_LIT("end"), end, ASL_LIT("entered"), jv_number(entered),
		    ASL_LIT("total"), jv_number(total)));
		jv_free(e);
	}
	return runs;
}

jv
asl_exec_list_map_runs(const struct asl_store *st, const char *name)
{
	jv meta = asl_store_get_execution(st, name), events, runs, out;
	int i, n;

	if (!jv_is_valid(meta))
		return meta;
	events = events_of(st, name);
	if (!jv_is_valid(events)) {
		jv_free(meta);
		return events;
	}
	runs = runs_in(events);
	jv_free(events);
	out = jv_array();
	n = jv_array_length(jv_copy(runs));
	for (i = 0; i < n; i++) {
		jv r = jv_array_get(jv_copy(runs), i);
		jv m = JV_OBJECT(ASL_LIT("executionArn"), jv_object_get(
		    jv_copy(meta), ASL_LIT("executionArn")), ASL_LIT("mapRunArn"),
		    jv_object_get(jv_copy(r), ASL_LIT("arn")),
		    ASL_LIT("stateMachineArn"), jv_object_get(jv_copy(meta),
		    ASL_LIT("stateMachineArn")), ASL_LIT("startDate"),
		    jv_object_get(jv_copy(r), ASL_LIT("start")));
		jv end = jv_object_get(r, ASL_LIT("end"));
		if (jv_get_kind(end) == JV_KIND_OBJECT)
			m = jv_object_set(m, ASL_LIT("stopDate"), jv_object_get(end,
			    ASL_LIT("timestamp")));
		else
			jv_free(end);
		out = jv_array_append(out, m);
	}
	jv_free(runs);
	jv_free(meta);
	return JV_OBJECT(ASL_LIT("mapRuns"), out);
}

/* How many children of the journal at path ended well and badly. */
static void
journal_counts(const struct asl_store *st, const char *name, long entered,
    long *ok, long *failed)
{
	char file[64], *path, *text;
	const char *p, *nl;
	size_t len;

	*ok = *failed = 0;
	snprintf(file, sizeof file, "maprun-%ld.jsonl", entered);
	path = asl_store_execution_path(st, name, file);
	text = path != NULL ? asl_read_all(path, 0, &len) : NULL;
	free(path);
	if (text == NULL)
		return;
	for (p = text; (nl = memchr(p, '\n', (size_t)(text + len - p))) != NULL;
	    p = nl + 1) {
		jv l = asl_json_parse(p, (size_t)(nl - p), NULL, NULL);
		jv v = jv_get_kind(l) == JV_KIND_OBJECT ?
		    jv_object_get(jv_copy(l), ASL_LIT("ok")) : jv_null();
		if (jv_get_kind(v) == JV_KIND_TRUE)
			(*ok)++;
		else if (jv_get_kind(v) == JV_KIND_FALSE)
			(*failed)++;
		jv_free(v);
		jv_free(l);
	}
	free(text);
}

jv
asl_exec_describe_map_run(const struct asl_store *st, const char *arn)
{
	jv reg = asl_store_read(st, "map-runs/%s%s.json", run_id(arn), "");
	jv name, meta, events, runs, r = jv_null(), end, out, counts;
	const char *status = "RUNNING";
	long ok, failed, total, pending;
	int i, n;

	if (jv_get_kind(reg) != JV_KIND_OBJECT) {
		jv_free(reg);
		return asl_error("ResourceNotFound", "Map Run Does Not Exist: "
		    "'%s'", arn);
	}
	name = jv_object_get(jv_copy(reg), ASL_LIT("execution"));
	meta = asl_store_get_execution(st, jv_string_value(name));
	events = jv_is_valid(meta) ? events_of(st, jv_string_value(name)) :
	    jv_invalid();
	if (!jv_is_valid(events)) {
		jv_free(name);
		jv_free(reg);
		jv_free(meta);
		jv_free(events);
		return asl_error("ResourceNotFound", "Map Run Does Not Exist: "
		    "'%s'", arn);
	}
	runs = runs_in(events);
	jv_free(events);
	n = jv_array_length(jv_copy(runs));
	for (i = 0; i < n; i++) {
		jv x = jv_array_get(jv_copy(runs), i);
		jv a = jv_object_get(jv_copy(x), ASL_LIT("arn"));
		if (jv_get_kind(a) == JV_KIND_STRING &&
		    strcmp(jv_string_value(a), arn) == 0) {
			jv_free(r);
			r = x;
		} else
			jv_free(x);
		jv_free(a);
	}
	jv_free(runs);
	if (jv_get_kind(r) != JV_KIND_OBJECT) {
		jv_free(r);
		jv_free(name);
		jv_free(reg);
		jv_free(meta);
		return asl_error("ResourceNotFound", "Map Run Does Not Exist: "
		    "'%s'", arn);
	}
	journal_counts(st, jv_string_value(name), num(r, "entered"), &ok,
	    &failed);
	total = num(r, "total");
	end = jv_object_get(jv_copy(r), ASL_LIT("end"));
	if (jv_get_kind(end) == JV_KIND_OBJECT) {
		char t[64];
		type_of(end, t, sizeof t);
		status = strcmp(t, "MapRunSucceeded") == 0 ? "SUCCEEDED" :
		    strcmp(t, "MapRunFailed") == 0 ? "FAILED" : "ABORTED";
	}
	pending = total - ok - failed;
	counts = JV_OBJECT(ASL_LIT("pending"), jv_number(strcmp(status,
	    "RUNNING") == 0 ? pending : 0), ASL_LIT("running"), jv_number(0),
	    ASL_LIT("succeeded"), jv_number(ok), ASL_LIT("failed"),
	    jv_number(failed), ASL_LIT("timedOut"), jv_number(0),
	    ASL_LIT("aborted"), jv_number(strcmp(status, "RUNNING") == 0 ? 0 :
	    pending), ASL_LIT("total"), jv_number(total));
	out = JV_OBJECT(ASL_LIT("mapRunArn"), jv_string(arn),
	    ASL_LIT("executionArn"), jv_object_get(jv_copy(meta),
	    ASL_LIT("executionArn")), ASL_LIT("status"), jv_string(status),
	    ASL_LIT("startDate"), jv_object_get(jv_copy(r), ASL_LIT("start")));
	if (jv_get_kind(end) == JV_KIND_OBJECT)
		out = jv_object_set(out, ASL_LIT("stopDate"), jv_object_get(
		    jv_copy(end), ASL_LIT("timestamp")));
	jv_free(end);
	out = jv_object_set(out, ASL_LIT("maxConcurrency"), jv_object_get(
	    jv_copy(reg), ASL_LIT("maxConcurrency")));
	out = jv_object_set(out, ASL_LIT("toleratedFailurePercentage"),
	    jv_object_get(jv_copy(reg), ASL_LIT("toleratedFailurePercentage")));
	out = jv_object_set(out, ASL_LIT("toleratedFailureCount"),
	    jv_object_get(jv_copy(reg), ASL_LIT("toleratedFailureCount")));
	/* each child an execution: its items are its executions here */
	out = jv_object_set(out, ASL_LIT("itemCounts"), jv_copy(counts));
	out = jv_object_set(out, ASL_LIT("executionCounts"), counts);
	out = jv_object_set(out, ASL_LIT("redriveCount"), jv_number(0));
	jv_free(r);
	jv_free(name);
	jv_free(reg);
	jv_free(meta);
	return out;
}
