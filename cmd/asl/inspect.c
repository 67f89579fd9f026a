/*
 * cmd/asl/inspect.c - the verbs that look at the store: list, describe
 * and history.
 */
#include <stdio.h>
#include <string.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_exec.h"
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

/* asl describe EXEC: DescribeExecution */
int
verb_describe(struct args *a)
{
	struct asl_store st;
	jv d;

	open_store(a, &st);
	d = asl_exec_describe(&st, a->operand);
	if (!jv_is_valid(d))
		die_api(d);
	asl_print(d, 1);
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
