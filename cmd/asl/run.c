/*
 * cmd/asl/run.c - the verbs that make executions move: run, start,
 * resume, redrive and stop.
 */
#include <string.h>

#include "asl.h"
#include "asl_arn.h"
#include "asl_cli.h"
#include "asl_definition.h"
#include "asl_exec.h"
#include "asl_store.h"
#include "verbs.h"

/* The definition of run and start, and the options of its execution. */
static void
prepare(struct args *a, struct asl_store *st, struct asl_definition *d,
    struct asl_exec_options *o)
{
	if ((a->mock != NULL) != (a->test_case != NULL))
		usage("--mock and --test-case go together", NULL);
	open_store(a, st);
	load_definition(d, st, a->operand, a->type != NULL &&
	    strcmp(a->type, "EXPRESS") == 0 ? ASL_DEFINITION_EXPRESS : 0);
	exec_options(a, o);
	o->express = a->type == NULL ? d->express :
	    strcmp(a->type, "EXPRESS") == 0;
	o->state_machine = jv_string_value(d->name);
}

/* asl run DEF: start an execution and drive it to its end */
int
verb_run(struct args *a)
{
	struct asl_exec_options o;
	struct asl_definition d;
	struct asl_store st;
	jv r;
	int code;

	prepare(a, &st, &d, &o);
	catch_signals();
	r = asl_exec_run(&st, jv_copy(d.doc), a->input != NULL ?
	    asl_cli_json_arg("--input", a->input) : jv_object(), &o);
	if (!jv_is_valid(r))
		die_api(r);
	code = report(r, a->pretty);
	exec_options_release(&o);
	asl_definition_release(&d);
	asl_store_close(&st);
	return asl_close_stdout(code);
}

/* asl start DEF: create an execution; a driver takes it later */
int
verb_start(struct args *a)
{
	struct asl_exec_options o;
	struct asl_definition d;
	struct asl_store st;
	jv meta;

	prepare(a, &st, &d, &o);
	meta = asl_exec_start(&st, jv_copy(d.doc), a->input != NULL ?
	    asl_cli_json_arg("--input", a->input) : jv_object(), &o);
	if (!jv_is_valid(meta))
		die_api(meta);
	/* StartExecution's answer */
	asl_print(JV_OBJECT(ASL_LIT("executionArn"), jv_object_get(jv_copy(meta),
	    ASL_LIT("executionArn")), ASL_LIT("name"), jv_object_get(
	    jv_copy(meta), ASL_LIT("name")), ASL_LIT("startDate"),
	    jv_object_get(jv_copy(meta), ASL_LIT("startDate"))), a->pretty);
	jv_free(meta);
	exec_options_release(&o);
	asl_definition_release(&d);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl resume EXEC and asl redrive EXEC: drive it on */
static int
drive_on(struct args *a, int redrive)
{
	struct asl_exec_options o;
	struct asl_store st;
	jv r;
	int code;

	asl_exec_options_init(&o);
	o.detach = a->detach;
	o.jobs = a->jobs;
	http_options(a, &o);
	o.s3_root = a->s3_root;
	open_store(a, &st);
	catch_signals();
	r = redrive ? asl_exec_redrive(&st, asl_arn_last(a->operand), &o) :
	    asl_exec_drive(&st, asl_arn_last(a->operand), &o, 1);
	if (!jv_is_valid(r))
		die_api(r);
	code = report(r, a->pretty);
	exec_options_release(&o);
	asl_store_close(&st);
	return asl_close_stdout(code);
}

int
verb_resume(struct args *a)
{
	return drive_on(a, 0);
}

int
verb_redrive(struct args *a)
{
	return drive_on(a, 1);
}

/* asl stop EXEC [--error E] [--cause C] */
int
verb_stop(struct args *a)
{
	struct asl_store st;
	const char *name = asl_arn_last(a->operand);
	jv r, d;

	open_store(a, &st);
	r = asl_exec_stop(&st, name, a->error != NULL ? jv_string(a->error) :
	    jv_null(), a->cause != NULL ? jv_string(a->cause) : jv_null());
	if (!jv_is_valid(r))
		die_api(r);
	jv_free(r);
	/* StopExecution's answer */
	d = asl_exec_describe(&st, name);
	if (!jv_is_valid(d))
		die_api(d);
	asl_print(JV_OBJECT(ASL_LIT("stopDate"), jv_object_get(d,
	    ASL_LIT("stopDate"))), 0);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}
