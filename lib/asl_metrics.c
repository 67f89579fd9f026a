/*
 * asl_metrics.c - CloudWatch's execution metrics, from a list of
 * executions.
 *
 * CloudWatch's ExecutionTime is "the interval, in milliseconds, between
 * the time the execution starts and the time it closes": only closed
 * executions have one.  Percentiles are taken by nearest rank.
 */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_history.h"
#include "asl_metrics.h"
#include "asl_store.h"
#include "asl_time.h"

enum { STARTED, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, RUNNING, NCOUNT };

static const char *const count_names[NCOUNT] = { "ExecutionsStarted",
    "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut",
    "ExecutionsAborted", "ExecutionsRunning" };

struct sm {
	jv	 arn;
	long	 count[NCOUNT];
	double	*ms;		/* the ExecutionTimes */
	size_t	 n, alloc;
	double	 sum;
};

jv
asl_metrics_collect(const struct asl_store *st)
{
	char *dir = asl_store_path(st, "executions"), *path;
	DIR *d = dir != NULL ? opendir(dir) : NULL;
	struct dirent *e;
	jv list = jv_array(), meta, last, row;
	const char *status;

	free(dir);
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		meta = asl_store_get_execution(st, e->d_name);
		path = asl_store_execution_path(st, e->d_name, "history.jsonl");
		last = jv_is_valid(meta) && path != NULL ?
		    asl_history_last(path) : jv_invalid();
		free(path);
		if (!jv_is_valid(last)) {
			/* gone, or not yet whole */
			jv_free(meta);
			jv_free(last);
			continue;
		}
		status = asl_history_last_status(last);
		row = JV_OBJECT(ASL_LIT("stateMachineArn"),
		    jv_object_get(jv_copy(meta), ASL_LIT("stateMachineArn")),
		    ASL_LIT("status"), jv_string(status != NULL ? status :
		    "RUNNING"));
		row = jv_object_set(row, ASL_LIT("startDate"),
		    jv_object_get(meta, ASL_LIT("startDate")));
		if (status != NULL && strcmp(status, "RUNNING") != 0)
			row = jv_object_set(row, ASL_LIT("stopDate"),
			    jv_object_get(jv_copy(last), ASL_LIT("timestamp")));
		jv_free(last);
		list = jv_array_append(list, row);
	}
	if (d != NULL)
		closedir(d);
	return JV_OBJECT(ASL_LIT("executions"), list);
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The name of a state machine from its ARN: what follows the last ':'. */
static jv
machine_name(jv arn)
{
	const char *s = jv_string_value(arn), *c = strrchr(s, ':');
	jv name = jv_string(c != NULL ? c + 1 : s);

	jv_free(arn);
	return name;
}

static int
slot(struct sm **sms, size_t *n, jv *index, jv name, jv arn)
{
	jv i = jv_object_get(jv_copy(*index), jv_copy(name));
	int k;

	if (jv_get_kind(i) == JV_KIND_NUMBER) {
		k = (int)jv_number_value(i);
		jv_free(name);
		jv_free(arn);
		return k;
	}
	jv_free(i);
	*sms = realloc(*sms, (*n + 1) * sizeof **sms);
	if (*sms == NULL)
		abort();
	memset(&(*sms)[*n], 0, sizeof **sms);
	(*sms)[*n].arn = arn;
	*index = jv_object_set(*index, name, jv_number((double)*n));
	return (int)(*n)++;
}

static void
add_time(struct sm *m, double ms)
{
	if (m->n == m->alloc) {
		m->alloc = m->alloc == 0 ? 64 : m->alloc * 2;
		m->ms = realloc(m->ms, m->alloc * sizeof *m->ms);
		if (m->ms == NULL)
			abort();
	}
	m->ms[m->n++] = ms;
	m->sum += ms;
}

static jv
rank(struct sm *m, double p)
{
	size_t k;

	if (m->n == 0)
		return jv_null();
	k = (size_t)ceil(p / 100 * (double)m->n);
	return jv_number(m->ms[k > 0 ? k - 1 : 0]);
}

jv
asl_metrics(jv list, const char *machine, const struct asl_time *since)
{
	jv execs = jv_object_get(list, jv_string("executions"));
	jv index = jv_object(), out = jv_array(), names, res;
	struct sm *sms = NULL, *m;
	size_t n = 0, i;
	struct asl_time a, b;
	char buf[ASL_TIME_BUFSIZE];
	int k;

	if (jv_get_kind(execs) == JV_KIND_ARRAY)
		jv_array_foreach(execs, j, d) {
			jv arn = asl_get_string(d, "stateMachineArn");
			jv name = machine_name(jv_copy(arn));
			jv st = asl_get_string(d, "status"), start = asl_get_string(d, "startDate");
			jv stop = asl_get_string(d, "stopDate");
			const char *s = jv_string_value(st);
			int have_start = asl_time_parse(jv_string_value(start),
			    &a) == 0;
			if ((machine == NULL || strcmp(machine,
			    jv_string_value(name)) == 0) && (since == NULL ||
			    (have_start && asl_time_cmp(a, *since) >= 0))) {
				k = slot(&sms, &n, &index, jv_copy(name), arn);
				m = &sms[k];
				m->count[STARTED]++;
				m->count[strcmp(s, "SUCCEEDED") == 0 ? SUCCEEDED :
				    strcmp(s, "FAILED") == 0 ? FAILED :
				    strcmp(s, "TIMED_OUT") == 0 ? TIMED_OUT :
				    strcmp(s, "ABORTED") == 0 ? ABORTED :
				    RUNNING]++;
				if (have_start && asl_time_parse(
				    jv_string_value(stop), &b) == 0)
					add_time(m, round(asl_time_diff(a, b) *
					    1e3));
			} else
				jv_free(arn);
			jv_free(name);
			jv_free(st);
			jv_free(start);
			jv_free(stop);
			jv_free(d);
			(void)j;
		}
	jv_free(execs);
	names = jv_keys(jv_copy(index));	/* sorted */
	jv_array_foreach(names, j, name) {
		jv ix = jv_object_get(jv_copy(index), jv_copy(name));
		jv row = JV_OBJECT(jv_string("stateMachineName"), name);
		m = &sms[(int)jv_number_value(ix)];
		jv_free(ix);
		row = jv_object_set(row, jv_string("stateMachineArn"),
		    jv_copy(m->arn));
		for (k = 0; k < NCOUNT; k++)
			row = jv_object_set(row, jv_string(count_names[k]),
			    jv_number(m->count[k]));
		qsort(m->ms, m->n, sizeof *m->ms, by_value);
		row = jv_object_set(row, jv_string("ExecutionTime"),
		    JV_OBJECT(jv_string("count"), jv_number((double)m->n),
		    jv_string("sum"), jv_number(m->sum),
		    jv_string("p50"), rank(m, 50), jv_string("p90"),
		    rank(m, 90), jv_string("p99"), rank(m, 99)));
		out = jv_array_append(out, row);
		(void)j;
	}
	jv_free(names);
	for (i = 0; i < n; i++) {
		jv_free(sms[i].arn);
		free(sms[i].ms);
	}
	free(sms);
	jv_free(index);
	res = JV_OBJECT(jv_string("since"), since != NULL ?
	    jv_string(asl_time_format(*since, buf, sizeof buf)) : jv_null());
	return jv_object_set(res, jv_string("stateMachines"), out);
}

int
asl_metrics_since(const char *arg, struct asl_time *t)
{
	char *end;
	double n;
	int unit;

	if (asl_time_parse(arg, t) == 0)
		return 0;
	n = strtod(arg, &end);
	if (end == arg || n < 0 || end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (end[0]) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		return -1;
	}
	*t = asl_time_add(asl_time_now(), -n * unit);
	return 0;
}

/* "1.234s", or "-" when there is no such time. */
static jv
seconds(jv t, const char *key)
{
	double ms = asl_get_number(t, key, NAN);

	return isnan(ms) ? jv_string("-") : jv_string_fmt("%.3fs", ms / 1e3);
}

jv
asl_metrics_table(jv metrics)
{
	jv sms = jv_object_get(metrics, jv_string("stateMachines"));
	jv out = jv_string_fmt("%-32s %8s %9s %6s %9s %7s %7s %10s %10s %10s\n",
	    "STATE MACHINE", "STARTED", "SUCCEEDED", "FAILED", "TIMED_OUT",
	    "ABORTED", "RUNNING", "P50", "P90", "P99");

	jv_array_foreach(sms, i, m) {
		jv name = asl_get_string(m, "stateMachineName");
		jv t = jv_object_get(jv_copy(m), jv_string("ExecutionTime"));
		jv p50 = seconds(t, "p50"), p90 = seconds(t, "p90");
		jv p99 = seconds(t, "p99");
		out = jv_string_concat(out, jv_string_fmt(
		    "%-32s %8.0f %9.0f %6.0f %9.0f %7.0f %7.0f %10s %10s %10s\n",
		    jv_string_value(name),
		    asl_get_number(m, "ExecutionsStarted", 0),
		    asl_get_number(m, "ExecutionsSucceeded", 0),
		    asl_get_number(m, "ExecutionsFailed", 0),
		    asl_get_number(m, "ExecutionsTimedOut", 0),
		    asl_get_number(m, "ExecutionsAborted", 0),
		    asl_get_number(m, "ExecutionsRunning", 0), jv_string_value(p50),
		    jv_string_value(p90), jv_string_value(p99)));
		jv_free(p50);
		jv_free(p90);
		jv_free(p99);
		jv_free(t);
		jv_free(name);
		jv_free(m);
		(void)i;
	}
	jv_free(sms);
	return out;
}

/* A label value as Prometheus quotes it: \\, \" and \n escaped. */
static jv
label(jv name)
{
	const char *s = jv_string_value(name);
	jv q = jv_string("");

	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			q = jv_string_append_buf(q, "\\", 1);
		if (*s == '\n')
			q = jv_string_append_str(q, "\\n");
		else
			q = jv_string_append_buf(q, s, 1);
	}
	jv_free(name);
	return q;
}

static const struct family {
	const char	*metric, *key, *type, *help;
} families[] = {
	{ "asl_executions_started_total", "ExecutionsStarted", "counter",
	    "Executions started (CloudWatch ExecutionsStarted)." },
	{ "asl_executions_succeeded_total", "ExecutionsSucceeded", "counter",
	    "Executions that succeeded (CloudWatch ExecutionsSucceeded)." },
	{ "asl_executions_failed_total", "ExecutionsFailed", "counter",
	    "Executions that failed (CloudWatch ExecutionsFailed)." },
	{ "asl_executions_timed_out_total", "ExecutionsTimedOut", "counter",
	    "Executions that timed out (CloudWatch ExecutionsTimedOut)." },
	{ "asl_executions_aborted_total", "ExecutionsAborted", "counter",
	    "Executions stopped (CloudWatch ExecutionsAborted)." },
	{ "asl_executions_running", "ExecutionsRunning", "gauge",
	    "Executions still running." }
};

jv
asl_metrics_prometheus(jv metrics)
{
	static const char *const qs[] = { "p50", "0.5", "p90", "0.9", "p99",
	    "0.99" };
	jv sms = jv_object_get(metrics, jv_string("stateMachines"));
	jv out = jv_string(""), t, l;
	size_t f, q;

	for (f = 0; f < sizeof families / sizeof families[0]; f++) {
		out = jv_string_concat(out, jv_string_fmt("# HELP %s %s\n"
		    "# TYPE %s %s\n", families[f].metric, families[f].help,
		    families[f].metric, families[f].type));
		jv_array_foreach(sms, i, m) {
			l = label(asl_get_string(m, "stateMachineName"));
			out = jv_string_concat(out, jv_string_fmt(
			    "%s{state_machine=\"%s\"} %.0f\n",
			    families[f].metric, jv_string_value(l),
			    asl_get_number(m, families[f].key, 0)));
			jv_free(l);
			jv_free(m);
			(void)i;
		}
	}
	out = jv_string_append_str(out, "# HELP asl_execution_time_seconds "
	    "From start to stop of the executions that ended (CloudWatch "
	    "ExecutionTime).\n# TYPE asl_execution_time_seconds summary\n");
	jv_array_foreach(sms, i, m) {
		l = label(asl_get_string(m, "stateMachineName"));
		t = jv_object_get(jv_copy(m), jv_string("ExecutionTime"));
		for (q = 0; q < 6; q += 2)
			if (!isnan(asl_get_number(t, qs[q], NAN)))
				out = jv_string_concat(out, jv_string_fmt(
				    "asl_execution_time_seconds{state_machine="
				    "\"%s\",quantile=\"%s\"} %g\n",
				    jv_string_value(l), qs[q + 1],
				    asl_get_number(t, qs[q], NAN) / 1e3));
		out = jv_string_concat(out, jv_string_fmt(
		    "asl_execution_time_seconds_sum{state_machine=\"%s\"} %g\n"
		    "asl_execution_time_seconds_count{state_machine=\"%s\"} "
		    "%.0f\n", jv_string_value(l),
		    asl_get_number(t, "sum", 0) / 1e3, jv_string_value(l),
		    asl_get_number(t, "count", 0)));
		jv_free(t);
		jv_free(l);
		jv_free(m);
		(void)i;
	}
	jv_free(sms);
	return out;
}
