/*
 * cmd/asl/inspect.c - the verbs that look at the store: list, describe,
 * history, list-map-runs and describe-map-run (and update-map-run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_arn.h"
#include "asl_cli.h"
#include "asl_exec.h"
#include "asl_metrics.h"
#include "asl_store.h"
#include "asl_time.h"
#include "verbs.h"

/*
 * asl list [--status S] [--state-machine NAME] [--since T] [--json]
 * [--map-run ARN]: ListExecutions, of the store or of a Map Run's
 * children; the table says what RUNNING executions wait for
 */
int
verb_list(struct args *a)
{
	struct asl_store st;
	struct asl_time since;
	const struct asl_time *since_p = since_arg(a, &since);
	jv list, t, execs, each;

	if (a->status != NULL && strcmp(a->status, "RUNNING") != 0 &&
	    strcmp(a->status, "SUCCEEDED") != 0 &&
	    strcmp(a->status, "FAILED") != 0 &&
	    strcmp(a->status, "TIMED_OUT") != 0 &&
	    strcmp(a->status, "ABORTED") != 0 &&
	    strcmp(a->status, "PENDING_REDRIVE") != 0)
		usage("--status: '%s' is not RUNNING, SUCCEEDED, FAILED, "
		    "TIMED_OUT, ABORTED or PENDING_REDRIVE", a->status);
	open_store(a, &st);
	list = a->map_run != NULL ? asl_exec_list_map_run_executions(&st,
	    a->map_run) : asl_exec_list(&st);
	if (!jv_is_valid(list))
		die_api(list);
	list = asl_exec_list_filter(list, a->status, a->state_machine,
	    since_p);
	if (a->json)
		asl_print(list, 1);
	else {
		execs = jv_object_get(list, ASL_LIT("executions"));
		each = jv_copy(execs);
		jv_array_foreach(each, i, d) {
			jv s = asl_get_string(d, "status");
			jv n = asl_get_string(d, "name");
			if (strcmp(jv_string_value(s), "RUNNING") == 0)
				d = jv_object_set(d, ASL_LIT("waiting"),
				    asl_exec_waiting(&st, jv_string_value(n)));
			execs = jv_array_set(execs, i, d);
			jv_free(s);
			jv_free(n);
		}
		jv_free(each);
		t = asl_exec_list_table(JV_OBJECT(ASL_LIT("executions"),
		    execs));
		fputs(jv_string_value(t), stdout);
		jv_free(t);
	}
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* What fn says of what (an execution, a Map Run), as JSON. */
static int
show(struct args *a, jv (*fn)(const struct asl_store *, const char *),
    const char *what)
{
	struct asl_store st;
	jv r;

	open_store(a, &st);
	r = fn(&st, what);
	if (!jv_is_valid(r))
		die_api(r);
	asl_print(r, 1);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl describe EXEC [--json]: DescribeExecution */
int
verb_describe(struct args *a)
{
	return show(a, asl_exec_describe, a->operand);
}

/* asl list-map-runs EXEC: ListMapRuns */
int
verb_list_map_runs(struct args *a)
{
	return show(a, asl_exec_list_map_runs, asl_arn_last(a->operand));
}

/* asl describe-map-run ARN: DescribeMapRun */
int
verb_describe_map_run(struct args *a)
{
	return show(a, asl_exec_describe_map_run, a->operand);
}

/* A number given as an option's value into update, or usage. */
static jv
number_opt(jv update, const char *key, const char *opt, const char *val)
{
	char *end;
	double x;

	if (val == NULL)
		return update;
	x = strtod(val, &end);
	if (end == val || *end != '\0')
		usage("%s is not a number", opt);
	return jv_object_set(update, jv_string(key), jv_number(x));
}

/*
 * asl update-map-run ARN [--max-concurrency N] [--tolerated-failure-count
 * N] [--tolerated-failure-percentage P]: UpdateMapRun
 */
int
verb_update_map_run(struct args *a)
{
	struct asl_store st;
	jv u = jv_object(), r;

	u = number_opt(u, "maxConcurrency", "--max-concurrency", a->max_conc);
	u = number_opt(u, "toleratedFailureCount", "--tolerated-failure-count",
	    a->tol_count);
	u = number_opt(u, "toleratedFailurePercentage",
	    "--tolerated-failure-percentage", a->tol_pct);
	open_store(a, &st);
	r = asl_exec_update_map_run(&st, a->operand, u);
	if (!jv_is_valid(r))
		die_api(r);
	jv_free(r);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl history EXEC [--json] [--reverse]: a table, or GetExecutionHistory */
int
verb_history(struct args *a)
{
	struct asl_store st;
	jv path;
	int status;

	open_store(a, &st);
	path = asl_exec_history_path(&st, a->operand);
	if (!jv_is_valid(path)) {
		jv e = asl_error_object(jv_copy(path));
		int api = strcmp(asl_error_name(e), "ExecutionDoesNotExist") == 0;
		jv_free(e);
		asl_cli_die_error(api ? ASL_EX_FAIL : ASL_EX_OS, path);
	}
	asl_store_close(&st);
	status = asl_cli_history_show(jv_string_value(path), !a->json,
	    a->reverse);
	jv_free(path);
	return status;
}
