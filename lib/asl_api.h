/*
 * asl_api.h - the AWS Step Functions API over the store: one function per
 * operation (CreateStateMachine, StartExecution, GetExecutionHistory,
 * ...), taking the request document of the AWS JSON 1.0 protocol and
 * returning the response document, with the shapes and names the SDKs
 * expect (timestamps as epoch seconds, JSON payloads as text).  asl serve
 * moves the bytes; the same store verbs as the asl driver's do the work.
 *
 *     state-machine-info/NAME.json   what AWS keeps of a machine besides
 *                                    its definition: the text as given,
 *                                    roleArn, updateDate
 *     tags/KIND-NAME.json            a resource's tags ([{key, value}])
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying {"Error":
 * AWS's error name (ValidationException, ExecutionDoesNotExist, ...),
 * "Cause": its message}; asl_api_status gives the HTTP status.
 */
#ifndef ASL_API_H
#define ASL_API_H

#include <jv.h>

struct asl_store;
struct asl_store_group;

/* How the executions an operation starts are to be driven. */
enum asl_api_drive {
	ASL_API_RUN,		/* a new execution, or one found RUNNING */
	ASL_API_SYNC		/* StartSyncExecution's: the caller waits */
};

struct asl_api {
	const struct asl_store *store;
	jv	 resources;	/* the resource map (object) or null; borrowed */
	jv	 mock;		/* a MockConfigFile document or null; borrowed */
	const char *path;	/* $ASL_PATH for Lambda functions */
	/*
	 * Drive the execution name in the background (the server's
	 * drivers); pure: its machine has no Task, so it runs without
	 * waiting on any process.  Called after the execution (or its
	 * redrive) is recorded.
	 */
	void	(*drive)(void *arg, const char *name, enum asl_api_drive how,
		    int pure);
	void	*arg;
	/*
	 * A group commit (asl_store.h) the executions are created through,
	 * or NULL: then the caller commits it before it gives any answer.
	 */
	struct asl_store_group *group;
};

/*
 * Operation op ("StartExecution", ...) with its request (consumed, an
 * object): the response, or an error (UnknownOperationException for an
 * operation there is none of).
 */
jv	asl_api_call(struct asl_api *, const char *op, jv request);

/*
 * How many seconds more the answer (borrowed) of op may be waited on
 * before it is given: an empty GetActivityTask (AWS polls 60 s), a
 * StartSyncExecution still RUNNING; 0 when it is final.
 */
double	asl_api_wait(const char *op, jv answer);

/* Ask again for an answer that was waiting (request borrowed, answer consumed). */
jv	asl_api_again(struct asl_api *, const char *op, jv request, jv answer);

/* The HTTP status of an error (its object, borrowed). */
int	asl_api_status(jv errobj);

/* The AWS error document {"__type", "message"} of an error object (consumed). */
jv	asl_api_error_document(jv errobj);

#endif /* !ASL_API_H */
