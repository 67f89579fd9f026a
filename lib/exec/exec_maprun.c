/*
 * lib/exec/exec_maprun.c - Map Runs as the API shows them: ListMapRuns,
 * DescribeMapRun and ListExecutions of a Map Run, from the parent's
 * history (MapRunStarted, MapRunRedriven and how it ended) and the Map
 * Run's journal (which children ended how).  Each
 * Map Run is registered in the store as map-runs/RUN-ID.json, naming its
 * execution, so that its ARN alone finds it; UpdateMapRun writes its new
 * settings there, and the driver takes them as its children start.
 */
#include <sys/stat.h>

#include <math.h>
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

char *
ex_maprun_journal(const struct asl_store *st, const char *name,
    const char *arn)
{
	char file[128];

	snprintf(file, sizeof file, "maprun-%.100s.jsonl", run_id(arn));
	return asl_store_execution_path(st, name, file);
}

void
ex_maprun_resume(struct group *g)
{
	struct frame *f = g->owner, *k;
	int *seen = calloc((size_t)g->n + 1, sizeof *seen), i;
	jv in;

	if (seen == NULL)
		abort();
	ex_maprun_restore(g, seen);
	for (i = 0; i < g->started; i++) {
		in = ex_map_input(g, i);
		if (seen[i] || !jv_is_valid(in)) {
			jv_free(in);
			continue;
		}
		/* under way when the driver stopped, or failed: from its start */
		if (g->writer != NULL)
			ex_writer_started(g->writer, i, in);
		k = ex_frame_new(f->ex, f->state->processor->start, in,
		    jv_object(), g->map_last);
		k->quiet = 1;
		k->group = g;
		k->index = i;
		ex_kid_start(g, k, k->input);
		g->running++;
		f->ex->progress.items_running++;
		ex_group_add_kid(g, k);
		ex_push_ready(f->ex, k);
	}
	free(seen);
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

	v = jv_object_set(v, ASL_LIT("executionType"), jv_string(g->kid_express ?
	    "EXPRESS" : "STANDARD"));
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

/* The event of events (borrowed) that follows event id as a Map Run's end. */
static jv
end_of(jv events, long id)
{
	int j, n = jv_array_length(jv_copy(events));
	jv end = jv_null();
	char t[64];

	for (j = 0; j < n; j++) {
		jv o = jv_array_get(jv_copy(events), j);
		type_of(o, t, sizeof t);
		if (num(o, "previousEventId") == id && strncmp(t, "MapRun", 6) ==
		    0 && strcmp(t, "MapRunRedriven") != 0) {
			jv_free(end);
			end = o;
		} else
			jv_free(o);
	}
	return end;
}

/*
 * The Map Runs of events (borrowed): for each, its ARN, start and end
 * events, how many items it has, and its redrives (MapRunRedriven: the
 * same Map Run goes on, and ends anew).
 */
static jv
runs_in(jv events)
{
	int i, j, n = jv_array_length(jv_copy(events)), m;
	jv runs = jv_array();
	char t[64];

	for (i = 0; i < n; i++) {
		jv e = jv_array_get(jv_copy(events), i), d, arn;
		long id = num(e, "id"), started = num(e, "previousEventId");
		long total = 0;
		int redriven;

		type_of(e, t, sizeof t);
		redriven = strcmp(t, "MapRunRedriven") == 0;
		if (!redriven && strcmp(t, "MapRunStarted") != 0) {
			jv_free(e);
			continue;
		}
		d = jv_object_get(jv_copy(e), jv_string(redriven ?
		    "mapRunRedrivenEventDetails" : "mapRunStartedEventDetails"));
		arn = jv_object_get(jv_copy(d), ASL_LIT("mapRunArn"));
		if (redriven) {
			m = jv_array_length(jv_copy(runs));
			for (j = 0; j < m; j++) {
				jv r = jv_array_get(jv_copy(runs), j);
				jv a = jv_object_get(jv_copy(r), ASL_LIT("arn"));
				if (jv_equal(a, jv_copy(arn))) {
					r = jv_object_set(r, ASL_LIT("end"),
					    end_of(events, id));
					r = jv_object_set(r, ASL_LIT("redriveCount"),
					    jv_object_get(jv_copy(d),
					    ASL_LIT("redriveCount")));
					r = jv_object_set(r, ASL_LIT("redriveDate"),
					    jv_object_get(jv_copy(e),
					    ASL_LIT("timestamp")));
					runs = jv_array_set(runs, j, r);
				} else
					jv_free(r);
			}
			jv_free(arn);
			jv_free(d);
			jv_free(e);
			continue;
		}
		for (j = 0; j < n; j++) {
			jv o = jv_array_get(jv_copy(events), j);
			if (num(o, "id") == started) {
				jv sd = jv_object_get(jv_copy(o),
				    ASL_LIT("mapStateStartedEventDetails"));
				total = num(sd, "length");
				jv_free(sd);
			}
			jv_free(o);
		}
		runs = jv_array_append(runs, JV_OBJECT(ASL_LIT("arn"), arn,
		    ASL_LIT("start"), jv_object_get(jv_copy(e),
		    ASL_LIT("timestamp")), ASL_LIT("end"), end_of(events, id),
		    ASL_LIT("total"), jv_number(total), ASL_LIT("redriveCount"),
		    jv_number(0)));
		jv_free(d);
		jv_free(e);
	}
	return runs;
}

jv
ex_maprun_unended(jv events)
{
	int i, n = jv_get_kind(events) == JV_KIND_ARRAY ?
	    jv_array_length(jv_copy(events)) : 0;
	jv ids = jv_array();
	char t[64];

	for (i = 0; i < n; i++) {
		jv e = jv_array_get(jv_copy(events), i), end;

		type_of(e, t, sizeof t);
		if (strcmp(t, "MapRunStarted") == 0 ||
		    strcmp(t, "MapRunRedriven") == 0) {
			end = end_of(events, num(e, "id"));
			if (jv_get_kind(end) == JV_KIND_NULL)
				ids = jv_array_append(ids, jv_number(num(e,
				    "id")));
			jv_free(end);
		}
		jv_free(e);
	}
	jv_free(events);
	return ids;
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

/*
 * Each child of the journal of Map Run arn of execution name, as its
 * last line tells (a later attempt, after a redrive, tells over an
 * earlier one): fn(arg, index, line, redrives before it) for each, in
 * index order, with total the Map Run's items (0: as many as the lines
 * tell).  Returns how many children there are, or -1 with no journal.
 */
static long
journal_children(const struct asl_store *st, const char *name,
    const char *arn, long total, void (*fn)(void *, long, jv, int),
    void *arg)
{
	char *path = ex_maprun_journal(st, name, arn), *text;
	const char *p, *nl;
	size_t len;
	long k, n = 0, *at;
	int redrives = 0, *rd;

	text = path != NULL ? asl_read_all(path, 0, &len) : NULL;
	free(path);
	if (text == NULL)
		return -1;
	/* where each child's last line starts: a word an item */
	for (p = text; total == 0 && p < text + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(text + len - p))) == NULL)
			break;
		n++;
	}
	if (total == 0)
		total = n;
	at = calloc((size_t)total + 1, sizeof *at);
	rd = calloc((size_t)total + 1, sizeof *rd);
	if (at == NULL || rd == NULL)
		abort();
	for (p = text; p < text + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(text + len - p))) == NULL)
			break;
		if (strncmp(p, "{\"redrive\":", 11) == 0)
			redrives++;
		if (strncmp(p, "{\"i\":", 5) != 0)
			continue;
		k = strtol(p + 5, NULL, 10);
		if (k >= 0 && k < total) {
			at[k] = (long)(p - text) + 1;
			rd[k] = redrives;
		}
	}
	for (k = 0, n = 0; k < total; k++) {
		jv line;
		if (at[k] == 0)
			continue;
		p = text + at[k] - 1;
		nl = memchr(p, '\n', (size_t)(text + len - p));
		line = asl_json_parse(p, (size_t)(nl - p), NULL, NULL);
		if (jv_get_kind(line) == JV_KIND_OBJECT) {
			fn(arg, k, line, rd[k]);
			n++;
		} else
			jv_free(line);
	}
	free(at);
	free(rd);
	free(text);
	return n;
}

/* A journal line's status: SUCCEEDED, FAILED or ABORTED. */
static const char *
line_status(jv line)
{
	jv ok = jv_object_get(jv_copy(line), ASL_LIT("ok"));
	const char *s = jv_get_kind(ok) == JV_KIND_TRUE ? "SUCCEEDED" :
	    jv_get_kind(ok) == JV_KIND_FALSE ? "FAILED" : "ABORTED";

	jv_free(ok);
	return s;
}

struct counts {
	long	 ok, failed, aborted;
};

static void
count_child(void *arg, long index, jv line, int redrives)
{
	struct counts *c = arg;
	const char *s = line_status(line);

	(void)index;
	(void)redrives;
	if (strcmp(s, "SUCCEEDED") == 0)
		c->ok++;
	else if (strcmp(s, "FAILED") == 0)
		c->failed++;
	else
		c->aborted++;
	jv_free(line);
}

/* The registration and the Map Run of arn (as runs_in), or an error. */
static jv
find_run(const struct asl_store *st, const char *arn, jv *reg, jv *meta)
{
	jv name, events, runs, r = jv_null();
	int i, n;

	*reg = asl_store_read(st, "map-runs/%s%s.json", run_id(arn), "");
	*meta = jv_null();
	if (jv_get_kind(*reg) != JV_KIND_OBJECT)
		goto none;
	name = jv_object_get(jv_copy(*reg), ASL_LIT("execution"));
	jv_free(*meta);
	*meta = asl_store_get_execution(st, jv_string_value(name));
	events = jv_is_valid(*meta) ? events_of(st, jv_string_value(name)) :
	    jv_invalid();
	jv_free(name);
	if (!jv_is_valid(events)) {
		jv_free(events);
		goto none;
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
	if (jv_get_kind(r) == JV_KIND_OBJECT)
		return r;
	jv_free(r);
none:
	jv_free(*reg);
	jv_free(*meta);
	*reg = *meta = jv_null();
	return asl_error("ResourceNotFound", "Map Run Does Not Exist: '%s'",
	    arn);
}

jv
asl_exec_describe_map_run(const struct asl_store *st, const char *arn)
{
	jv reg, meta, r = find_run(st, arn, &reg, &meta), name, end, out;
	jv counts;
	struct counts c = { 0, 0, 0 };
	const char *status = "RUNNING";
	long total, pending;
	int running;

	if (!jv_is_valid(r))
		return r;
	name = jv_object_get(jv_copy(reg), ASL_LIT("execution"));
	total = num(r, "total");
	journal_children(st, jv_string_value(name), arn, total, count_child,
	    &c);
	end = jv_object_get(jv_copy(r), ASL_LIT("end"));
	if (jv_get_kind(end) == JV_KIND_OBJECT) {
		char t[64];
		type_of(end, t, sizeof t);
		status = strcmp(t, "MapRunSucceeded") == 0 ? "SUCCEEDED" :
		    strcmp(t, "MapRunFailed") == 0 ? "FAILED" : "ABORTED";
	}
	running = strcmp(status, "RUNNING") == 0;
	pending = total - c.ok - c.failed - c.aborted;
	/* a Map Run that ended left what it had not started aborted */
	counts = JV_OBJECT(ASL_LIT("pending"), jv_number(running ? pending +
	    c.aborted : 0), ASL_LIT("running"), jv_number(0),
	    ASL_LIT("succeeded"), jv_number(c.ok), ASL_LIT("failed"),
	    jv_number(c.failed), ASL_LIT("timedOut"), jv_number(0),
	    ASL_LIT("aborted"), jv_number(running ? 0 : pending + c.aborted),
	    ASL_LIT("total"), jv_number(total));
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
	out = jv_object_set(out, ASL_LIT("redriveCount"), jv_object_get(
	    jv_copy(r), ASL_LIT("redriveCount")));
	if (jv_object_has(jv_copy(r), ASL_LIT("redriveDate")))
		out = jv_object_set(out, ASL_LIT("redriveDate"), jv_object_get(
		    jv_copy(r), ASL_LIT("redriveDate")));
	jv_free(r);
	jv_free(name);
	jv_free(reg);
	jv_free(meta);
	return out;
}

struct listing {
	const char	*run;
	int		 express;
	jv		 list;
};

static void
list_child(void *arg, long index, jv line, int redrives)
{
	struct listing *l = arg;
	jv name = ex_kid_name_of(l->run, (int)index, l->express ? redrives : 0);
	jv e = JV_OBJECT(ASL_LIT("executionArn"), ex_kid_arn(l->run,
	    jv_string_value(name)), ASL_LIT("stateMachineArn"),
	    ex_kid_machine(l->run), ASL_LIT("name"), name,
	    ASL_LIT("status"), jv_string(line_status(line)),
	    ASL_LIT("startDate"), jv_object_get(jv_copy(line), ASL_LIT("s")),
	    ASL_LIT("stopDate"), jv_object_get(jv_copy(line), ASL_LIT("t")));

	e = jv_object_set(e, ASL_LIT("mapRunArn"), jv_string(l->run));
	e = jv_object_set(e, ASL_LIT("redriveCount"), jv_number(
	    (double)num(line, "r")));
	l->list = jv_array_append(l->list, e);
	jv_free(line);
}

jv
asl_exec_list_map_run_executions(const struct asl_store *st, const char *arn)
{
	jv reg, meta, r = find_run(st, arn, &reg, &meta), name, type;
	struct listing l;

	if (!jv_is_valid(r))
		return r;
	name = jv_object_get(jv_copy(reg), ASL_LIT("execution"));
	type = jv_object_get(jv_copy(reg), ASL_LIT("executionType"));
	l.run = arn;
	l.express = jv_get_kind(type) == JV_KIND_STRING &&
	    strcmp(jv_string_value(type), "EXPRESS") == 0;
	l.list = jv_array();
	journal_children(st, jv_string_value(name), arn, num(r, "total"),
	    list_child, &l);
	jv_free(type);
	jv_free(name);
	jv_free(r);
	jv_free(reg);
	jv_free(meta);
	return JV_OBJECT(ASL_LIT("executions"), l.list);
}

/* UpdateMapRun's members, as the registration and the driver name them. */
static const char *const settings[] = { "maxConcurrency",
    "toleratedFailureCount", "toleratedFailurePercentage" };

jv
asl_exec_update_map_run(const struct asl_store *st, const char *arn,
    jv update)
{
	jv reg, meta, r = find_run(st, arn, &reg, &meta), upd, v;
	double x;
	size_t i;

	jv_free(meta);
	if (!jv_is_valid(r)) {
		jv_free(update);
		return r;
	}
	jv_free(r);
	upd = jv_object_get(jv_copy(reg), ASL_LIT("updates"));
	if (jv_get_kind(upd) != JV_KIND_OBJECT) {
		jv_free(upd);
		upd = jv_object();
	}
	for (i = 0; i < sizeof settings / sizeof *settings; i++) {
		v = jv_object_get(jv_copy(update), jv_string(settings[i]));
		if (jv_get_kind(v) == JV_KIND_NULL || !jv_is_valid(v)) {
			jv_free(v);
			continue;
		}
		x = jv_get_kind(v) == JV_KIND_NUMBER ? jv_number_value(v) : -1;
		/* AWS's ranges: 0 and up, a percentage to 100, counts whole */
		if (x < 0 || (i == 2 && x > 100) || (i < 2 && (x != floor(x) ||
		    x > (i == 0 ? 2147483647.0 : 9007199254740991.0)))) {
			r = asl_error("ValidationException", "1 validation "
			    "error detected: Value at '%s' failed to satisfy "
			    "constraint: Member must have value %s", settings[i],
			    i == 2 ? "between 0 and 100" : "greater than or "
			    "equal to 0");
			jv_free(v);
			jv_free(upd);
			jv_free(reg);
			jv_free(update);
			return r;
		}
		reg = jv_object_set(reg, jv_string(settings[i]), jv_copy(v));
		upd = jv_object_set(upd, jv_string(settings[i]), v);
	}
	jv_free(update);
	reg = jv_object_set(reg, ASL_LIT("updates"), upd);
	r = asl_store_putf(st, reg, 0, "map-runs/%s%s.json", run_id(arn), "");
	if (!jv_is_valid(r))
		return r;
	jv_free(r);
	return jv_object();
}

void
ex_maprun_settings(struct group *g)
{
	const struct asl_store *st = g->owner->ex->store;
	struct stat sb;
	char *path;
	jv reg, upd, v;
	size_t i;

	if (!g->distributed || jv_get_kind(g->run_arn) != JV_KIND_STRING)
		return;
	path = asl_store_path(st, "map-runs/%s.json",
	    run_id(jv_string_value(g->run_arn)));
	/* a stat a child: the file is read again only once it changed */
	if (path == NULL || stat(path, &sb) == -1 || ((unsigned long)
	    sb.st_ino == g->upd_ino && sb.st_mtim.tv_sec == g->upd_sec &&
	    sb.st_mtim.tv_nsec == g->upd_nsec)) {
		free(path);
		return;
	}
	free(path);
	g->upd_ino = (unsigned long)sb.st_ino;
	g->upd_sec = sb.st_mtim.tv_sec;
	g->upd_nsec = sb.st_mtim.tv_nsec;
	reg = asl_store_read(st, "map-runs/%s%s.json",
	    run_id(jv_string_value(g->run_arn)), "");
	upd = jv_get_kind(reg) == JV_KIND_OBJECT ? jv_object_get(reg,
	    ASL_LIT("updates")) : (jv_free(reg), jv_null());
	for (i = 0; jv_get_kind(upd) == JV_KIND_OBJECT &&
	    i < sizeof settings / sizeof *settings; i++) {
		v = jv_object_get(jv_copy(upd), jv_string(settings[i]));
		if (jv_get_kind(v) == JV_KIND_NUMBER && i == 0)
			g->max_conc = (int)jv_number_value(v);
		else if (jv_get_kind(v) == JV_KIND_NUMBER && i == 1) {
			g->has_tc = 1;
			g->tol_count = jv_number_value(v);
		} else if (jv_get_kind(v) == JV_KIND_NUMBER) {
			g->has_tp = 1;
			g->tol_pct = jv_number_value(v);
		}
		jv_free(v);
	}
	jv_free(upd);
}
