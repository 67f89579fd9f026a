/*
 * asl_api_int.h - what the files of the API (asl_api.c: the dispatch,
 * machines, activities, tags; asl_api_exec.c: executions and tasks)
 * share.  Included by them alone.
 */
#ifndef ASL_API_INT_H
#define ASL_API_INT_H

#include <jv.h>

#include "asl_api.h"

/* AWS's limit on an execution's input and a task's output: 256 KiB. */
#define API_PAYLOAD_MAX	262144

/* One member of a request: its key, kind, whether it must be there. */
struct api_arg {
	const char	*key;
	jv_kind		 kind;
	int		 required;
};

/*
 * The members of request (borrowed) that spec names (ended by a NULL
 * key) into out[] (owned; jv_null() when absent): true, or the error
 * AWS gives (ValidationException for a missing member,
 * SerializationException for one of the wrong kind).
 */
jv	api_args(jv request, const struct api_arg *spec, jv *out);
void	api_args_free(const struct api_arg *spec, jv *out);

/* ValidationException with a message. */
jv	api_invalid(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A store timestamp (ISO 8601 text, consumed) as epoch seconds. */
jv	api_epoch(jv iso);

/* obj's member key (ISO text) as epoch seconds, when it is there. */
jv	api_epoch_member(jv obj, const char *key);

/* Now, as epoch seconds. */
jv	api_now(void);

/*
 * The name an ARN of kind ("stateMachine", "execution", "activity")
 * gives, as a new string, or InvalidArn.  An execution ARN may be an
 * express one.
 */
jv	api_arn_name(jv arn, const char *kind);

/*
 * A page of list (consumed) from nextToken (a string or null) with
 * maxResults (a number or null; 0 or null: deflt) items, put into
 * response under key, with "nextToken" when more are left.
 */
jv	api_page(jv response, const char *key, jv list, jv next, jv max,
	    int deflt);

/* JSON text (a request member) parsed, or the error named err. */
jv	api_json_member(jv text, const char *err, const char *what);

/* The executions' operations (asl_api_exec.c). */
jv	api_start_execution(struct asl_api *, jv req, int sync);
jv	api_describe_execution(struct asl_api *, jv req);
jv	api_describe_machine_for_execution(struct asl_api *, jv req);
jv	api_list_executions(struct asl_api *, jv req);
jv	api_list_map_runs(struct asl_api *, jv req);
jv	api_describe_map_run(struct asl_api *, jv req);
jv	api_update_map_run(struct asl_api *, jv req);
jv	api_get_execution_history(struct asl_api *, jv req);
jv	api_stop_execution(struct asl_api *, jv req);
jv	api_redrive_execution(struct asl_api *, jv req);
jv	api_send_task_success(struct asl_api *, jv req);
jv	api_send_task_failure(struct asl_api *, jv req);
jv	api_send_task_heartbeat(struct asl_api *, jv req);
jv	api_get_activity_task(struct asl_api *, jv req);

/* StartSyncExecution's answer for the execution name. */
jv	api_sync_answer(struct asl_api *, const char *name);

#endif /* !ASL_API_INT_H */
