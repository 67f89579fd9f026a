/*
 * cmd/asl/registry.c - the verbs of definitions: create-state-machine,
 * validate (ValidateStateMachineDefinition) and test-state (TestState).
 */
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_definition.h"
#include "asl_exec.h"
#include "asl_store.h"
#include "asl_task.h"
#include "asl_teststate.h"
#include "asl_validate.h"
#include "verbs.h"

/* asl create-state-machine --name N [--type T] [--replace] DEF */
int
verb_create_state_machine(struct args *a)
{
	const char *type = a->type != NULL ? a->type : "STANDARD";
	struct asl_definition d;
	struct asl_store st;
	jv r;

	if (a->name == NULL)
		usage("create-state-machine needs --name N and one definition",
		    NULL);
	open_store(a, &st);
	load_definition(&d, &st, a->operand, strcmp(type, "EXPRESS") == 0 ?
	    ASL_DEFINITION_EXPRESS : 0);
	/* kept validated and normalized: a run of it loads it as it is */
	r = asl_store_put_machine(&st, a->name, jv_copy(d.doc), type,
	    a->replace);
	asl_definition_release(&d);
	if (!jv_is_valid(r))
		die_api(r);
	asl_print(r, 0);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl validate FILE: ValidateStateMachineDefinition's answer */
int
verb_validate(struct args *a)
{
	struct asl_definition d;
	int flags = ASL_DEFINITION_RAW, failed;
	jv err;

	if (a->type != NULL && strcmp(a->type, "EXPRESS") == 0)
		flags |= ASL_DEFINITION_EXPRESS;
	if (a->severity != NULL && strcmp(a->severity, "WARNING") == 0)
		flags |= ASL_DEFINITION_WARNINGS;
	/* the diagnostics are the answer, whatever they say */
	asl_definition_init(&d);
	failed = asl_definition_load(&d, NULL, a->operand, ASL_FORMAT_AUTO,
	    flags, &err) == -1;
	if (failed && d.io)
		asl_cli_die_definition(&d, err);
	if (failed)
		jv_free(err);
	asl_print(asl_validate_response(jv_copy(d.diagnostics)), 1);
	asl_definition_release(&d);
	return asl_close_stdout(failed ? ASL_EX_FAIL : ASL_EX_OK);
}

/*
 * asl test-state DEF [--state S] [--input J] [--inspection-level L]
 * [--request J] [--resources FILE] [--pretty] [--connections FILE]
 * [--insecure HOST] [--reveal-secrets]: TestState's request is
 * --request's object (mock, context, variables, stateConfiguration,
 * revealSecrets ...) with the definition and the options in it; a Task
 * without a mock runs through the resource map, an HTTP Task sends its
 * request.  The answer is in AWS's shape.
 */
int
verb_test_state(struct args *a)
{
	struct asl_exec_options o;
	struct asl_definition d;
	struct asl_resources *res;
	struct asl_store st;
	int code;
	jv req, resp, s, err;

	req = a->request != NULL ? asl_cli_json_arg("--request", a->request) :
	    jv_object();
	if (jv_get_kind(req) != JV_KIND_OBJECT)
		usage("--request: '%s' is not a JSON object", a->request);
	asl_exec_options_init(&o);
	http_options(a, &o);
	open_store(a, &st);
	load_definition(&d, &st, a->operand, ASL_DEFINITION_ANY);
	req = jv_object_set(req, ASL_LIT("definition"), jv_copy(d.doc));
	asl_definition_release(&d);
	if (a->input != NULL)
		req = jv_object_set(req, ASL_LIT("input"),
		    asl_cli_json_arg("--input", a->input));
	if (a->state != NULL)
		req = jv_object_set(req, ASL_LIT("stateName"),
		    jv_string(a->state));
	if (a->level != NULL)
		req = jv_object_set(req, ASL_LIT("inspectionLevel"),
		    jv_string(a->level));
	if (a->reveal)
		req = jv_object_set(req, ASL_LIT("revealSecrets"), jv_true());
	res = asl_task_resources_new(a->resources != NULL ?
	    load_doc("resource map", a->resources) : jv_null(), jv_null(),
	    NULL, NULL, getenv("ASL_PATH"), &err);
	if (res == NULL)
		asl_cli_die(ASL_EX_USAGE, "%s", jv_string_value(err));
	/* HTTP Tasks: the connections and the --insecure host */
	asl_task_resources_connections(res, jv_copy(o.connections));
	asl_task_resources_insecure(res, o.insecure);
	resp = asl_teststate_run(req, asl_teststate_aws_task, res);
	asl_task_resources_free(res);
	exec_options_release(&o);
	if (!jv_is_valid(resp))
		die_api(resp);
	s = jv_object_get(jv_copy(resp), ASL_LIT("status"));
	code = strcmp(jv_string_value(s), "FAILED") == 0 ? ASL_EX_FAIL :
	    ASL_EX_OK;
	jv_free(s);
	asl_print(asl_teststate_aws_response(resp), a->pretty);
	asl_store_close(&st);
	return asl_close_stdout(code);
}
