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

struct asl_resources;
struct asl_task_http;
struct pollfd;

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

/* HTTP Tasks (asl_task_http.c, asl_task_conn.c). */

/* What HTTP Tasks need of the resources, kept in them. */
struct asl_task_http_config {
	jv	 connections;	/* ARN or name -> connection; null: no file */
	char	*insecure;	/* the one host whose certificate is not checked */
	jv	 tokens;	/* connection ARN -> [OAuth token, monotonic expiry] */
};

struct asl_task_http_config *asl_task_resources_http(struct asl_resources *);

/*
 * The connection (connections borrowed) an ARN names, by the ARN or the
 * NAME of arn:...:connection/NAME/ID; else the error AWS raises.
 */
jv	asl_task_conn_find(jv connections, const char *arn);

/* What the connection adds: {"headers", "query", "body": [[k, v] ...]}. */
jv	asl_task_conn_parameters(jv conn);

int	asl_task_conn_is_oauth(jv conn);

/*
 * The authorization header [name, value] of the connection (token: the
 * OAuth access token), or null.
 */
jv	asl_task_conn_auth_header(jv conn, const char *token);

/*
 * An OAuth connection's token request: {"method", "url", "query":
 * [[k, v]], "headers": [[k, v]], "form": {field: value}}.
 */
jv	asl_task_conn_token_request(jv conn);

/*
 * The access token of the token endpoint's answer (text, len bytes,
 * HTTP status), with *expires_in its lifetime in seconds (-1: none
 * given); else the error.
 */
jv	asl_task_conn_token(const char *text, size_t len, long status,
	    double *expires_in);

/*
 * An HTTP Task's transfer, started: params (the task's parameters) and
 * region consumed; NULL with *err (an invalid jv carrying {Error,
 * Cause}) when the parameters
 * or the connection are wrong.  cfg is borrowed and must outlive it.
 */
struct asl_task_http *asl_task_http_new(struct asl_task_http_config *cfg,
	    jv params, jv region, jv *err);
int	asl_task_http_pollfds(const struct asl_task_http *, struct pollfd *,
	    int max);
/* How long curl may wait before it must be pumped (ms; -1: no limit). */
long	asl_task_http_wait_ms(const struct asl_task_http *);
/* Make progress; 1 once it is over. */
int	asl_task_http_pump(struct asl_task_http *);
/* Abandon it (TimeoutSeconds). */
void	asl_task_http_abort(struct asl_task_http *);
/* The result or the error, once over. */
jv	asl_task_http_outcome(struct asl_task_http *);
/*
 * TestState's {"request", "response"} of it; reveal: with what the
 * connection added.
 */
jv	asl_task_http_inspection(const struct asl_task_http *, int reveal);
void	asl_task_http_free(struct asl_task_http *);

#endif /* !ASL_TASK_INT_H */
