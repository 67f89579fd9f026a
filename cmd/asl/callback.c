/*
 * cmd/asl/callback.c - the verbs of the outside world's side of a task:
 * send-task-success, send-task-failure and send-task-heartbeat for task
 * tokens, create-activity and get-activity-task for activity workers.
 */
#include <string.h>

#include "asl.h"
#include "asl_activity.h"
#include "asl_arn.h"
#include "asl_cli.h"
#include "asl_store.h"
#include "asl_token.h"
#include "verbs.h"

/* send-task-success, send-task-failure, send-task-heartbeat */
static int
send_task(struct args *a, const char *what)
{
	struct asl_store st;
	jv r;

	if (a->token == NULL)
		usage("send-task-%s needs --task-token T", what);
	if (strcmp(what, "success") == 0 && a->output == NULL)
		usage("send-task-success needs --output JSON", NULL);
	open_store(a, &st);
	if (strcmp(what, "success") == 0)
		r = asl_token_send_result(&st, a->token, JV_OBJECT(
		    ASL_LIT("output"), asl_cli_json_arg("--output", a->output)));
	else if (strcmp(what, "failure") == 0)
		r = asl_token_send_result(&st, a->token, JV_OBJECT(
		    ASL_LIT("error"), a->error != NULL ? jv_string(a->error) :
		    jv_null(), ASL_LIT("cause"), a->cause != NULL ?
		    jv_string(a->cause) : jv_null()));
	else
		r = asl_token_send_heartbeat(&st, a->token);
	if (!jv_is_valid(r))
		die_api(r);
	/* a driver at work takes it within 0.1 s; else the next tick does */
	jv_free(r);
	asl_print(jv_object(), 0);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

int
verb_send_success(struct args *a)
{
	return send_task(a, "success");
}

int
verb_send_failure(struct args *a)
{
	return send_task(a, "failure");
}

int
verb_send_heartbeat(struct args *a)
{
	return send_task(a, "heartbeat");
}

/* asl create-activity --name N */
int
verb_create_activity(struct args *a)
{
	struct asl_store st;
	jv r;

	if (a->name == NULL)
		usage("create-activity needs --name N", NULL);
	open_store(a, &st);
	r = asl_activity_create(&st, a->name);
	if (!jv_is_valid(r))
		die_api(r);
	/* CreateActivity's answer */
	asl_print(JV_OBJECT(ASL_LIT("activityArn"), jv_object_get(jv_copy(r),
	    ASL_LIT("activityArn")), ASL_LIT("creationDate"),
	    jv_object_get(jv_copy(r), ASL_LIT("creationDate"))), 0);
	jv_free(r);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl get-activity-task --activity N [--worker-name W] [--wait S] */
int
verb_get_activity_task(struct args *a)
{
	struct asl_store st;
	jv r;

	if (a->activity == NULL)
		usage("get-activity-task needs --activity NAME", NULL);
	open_store(a, &st);
	r = asl_activity_take(&st, asl_arn_last(a->activity), a->worker,
	    a->wait);
	if (!jv_is_valid(r))
		die_api(r);
	if (jv_get_kind(r) == JV_KIND_NULL) {
		/* no task within --wait: nothing on stdout; try again later */
		asl_store_close(&st);
		return asl_close_stdout(ASL_EX_WAITING);
	}
	asl_print(r, a->pretty);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}
