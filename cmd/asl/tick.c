/*
 * cmd/asl/tick.c - asl tick: advance every execution that can move, for
 * cron.
 */
#include <stdio.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_exec.h"
#include "asl_store.h"
#include "verbs.h"

/* One execution's round: "NAME<TAB>STATUS" on stdout, or a warning. */
static void
told(void *arg, jv outcome)
{
	jv name = jv_object_get(jv_copy(outcome), ASL_LIT("name"));
	jv status = jv_object_get(jv_copy(outcome), ASL_LIT("status"));
	jv error = jv_object_get(jv_copy(outcome), ASL_LIT("error"));
	jv cause = jv_object_get(outcome, ASL_LIT("cause"));

	(void)arg;
	if (jv_get_kind(status) == JV_KIND_STRING) {
		printf("%s\t%s\n", jv_string_value(name), jv_string_value(status));
		/* cron mails what it sees: each line as it is known */
		fflush(stdout);
	} else
		asl_cli_warn("%s: %s: %s", jv_string_value(name),
		    jv_get_kind(error) == JV_KIND_STRING ?
		    jv_string_value(error) : "?",
		    jv_get_kind(cause) == JV_KIND_STRING ?
		    jv_string_value(cause) : "");
	jv_free(name);
	jv_free(status);
	jv_free(error);
	jv_free(cause);
}

int
verb_tick(struct args *a)
{
	struct asl_exec_options o;
	struct asl_store st;
	int failed;

	asl_exec_options_init(&o);
	o.jobs = a->jobs;
	http_options(a, &o);
	o.s3_root = a->s3_root;
	open_store(a, &st);
	catch_signals();
	failed = asl_exec_tick(&st, &o, told, NULL);
	exec_options_release(&o);
	asl_store_close(&st);
	return asl_close_stdout(failed > 0 ? ASL_EX_FAIL : ASL_EX_OK);
}
