/*
 * cmd/asl/inspect.c - the verbs that look at the store: list, describe,
 * history, list-map-runs and describe-map-run.
 */
#include <stdio.h>
#include <string.h>

#include "asl.h"
#include "asl_arn.h"
#include "asl_cli.h"
#include "asl_exec.h"
#include "asl_history.h"
#include "asl_store.h"
#include "verbs.h"

/* asl list [--json]: ListExecutions */
int
verb_list(struct args *a)
{
	struct asl_store st;
	jv list, t;

	open_store(a, &st);
	list = asl_exec_list(&st);
	if (a->json)
		asl_print(list, 1);
	else {
		t = asl_exec_list_table(list);
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

/* asl describe EXEC: DescribeExecution */
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

/* asl history EXEC [--json] [--reverse]: a table, or GetExecutionHistory */
int
verb_history(struct args *a)
{
	struct asl_store st;
	jv events, t;

	open_store(a, &st);
	events = asl_exec_history(&st, a->operand);
	if (!jv_is_valid(events)) {
		jv e = asl_error_object(jv_copy(events));
		int api = strcmp(asl_error_name(e), "ExecutionDoesNotExist") == 0;
		jv_free(e);
		asl_cli_die_error(api ? ASL_EX_FAIL : ASL_EX_OS, events);
	}
	if (a->json)
		asl_print(asl_history_document(events, a->reverse), 1);
	else {
		t = asl_history_table(events, a->reverse);
		fputs(jv_string_value(t), stdout);
		jv_free(t);
	}
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}
