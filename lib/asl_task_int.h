/*
 * asl_task_int.h - what the parts of the task module share and nobody
 * else needs: AWS Lambda's wire shapes (asl_task_lambda.c), used by the
 * planner (asl_task_plan.c) and the job runner (asl_task_job.c).
 *
 * Ownership follows jv.h.
 */
#ifndef ASL_TASK_INT_H
#define ASL_TASK_INT_H

#include <stddef.h>

#include <jv.h>

#include "asl_rng.h"

/* A random (version 4) UUID, lowercase, into buf (37 bytes). */
void	asl_task_uuid(struct asl_rng *, char *buf);

/*
 * The error Lambda raises for a function that does not exist:
 * Lambda.ResourceNotFoundException with the cause text AWS recorded.  arn
 * is the unqualified function ARN, qualifier the version or alias
 * (NULL: $LATEST).
 */
jv	asl_task_no_function(const char *arn, const char *qualifier,
	    const char *request_id);

/*
 * The task error of a Lambda-style error object (consumed, an object with
 * a string errorType) under the shape errors (enum asl_task_errors).
 */
jv	asl_task_lambda_error(jv obj, int errors, const char *request_id);

/*
 * Lambda's Invoke response around payload (consumed), whose JSON text
 * the function printed is text (len bytes; NULL: payload is null).
 */
jv	asl_task_invoke_response(jv payload, const char *text, size_t len,
	    const char *request_id);

/*
 * An Invoke response (consumed) of a call with LogType Tail: the
 * function's log (its stderr, len bytes; NULL: none) between Lambda's
 * START, END and REPORT lines for a run of ms milliseconds, its last 4 KB
 * in base64 as LogResult and the X-Amz-Log-Result header.
 */
jv	asl_task_invoke_log(jv response, const char *log, size_t len,
	    const char *request_id, double ms);

/*
 * The length in bytes of the JSON text (valid, len bytes) once Python's
 * json.dumps has re-serialised it, as the Lambda runtime does.
 */
size_t	asl_task_py_length(const char *text, size_t len);

#endif /* !ASL_TASK_INT_H */
