/*
 * asl_token.h - task tokens: the callbacks of .waitForTaskToken tasks and
 * activities, and the answers other processes send for them.
 *
 *     tokens/TOKEN.json                 {"execution", "scheduledEventId",
 *                                        "state", "activity"?, "closed"?}
 *     executions/NAME/tokens/ID         the token of the task scheduled at
 *                                        event ID (to resume its wait)
 *
 * A token carries 256 bits from the OS random source.  An answer goes to
 * the execution's mailbox (asl_mailbox.h), written exclusively: the
 * second answer for a token fails.  Files are written whole and durably
 * (asl_store_put), mode 0600.
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying {"Error",
 * "Cause"} with AWS's API error names (InvalidToken, TaskDoesNotExist,
 * TaskTimedOut).
 */
#ifndef ASL_TOKEN_H
#define ASL_TOKEN_H

#include <jv.h>

struct asl_store;

/* A fresh task token: 256 bits from the OS, in hex. */
jv	asl_token_new(void);

/*
 * Record that token belongs to the task of execution scheduled at event
 * scheduled_id in state (activity: its ARN, or NULL).
 */
jv	asl_token_register(const struct asl_store *, const char *token,
	    const char *execution, long scheduled_id, const char *state,
	    const char *activity);

/* The token of the task scheduled at event scheduled_id, or null. */
jv	asl_token_of(const struct asl_store *, const char *execution,
	    long scheduled_id);

/* The task is over (how: "succeeded", "failed", "timed-out"). */
void	asl_token_close(const struct asl_store *, const char *token,
	    const char *how);

/*
 * send-task-success / send-task-failure: message is {"output": JSON} or
 * {"error", "cause"} (consumed).  Returns the token's record, or
 * InvalidToken (malformed), TaskDoesNotExist (unknown, or already
 * answered), TaskTimedOut (closed by a timeout).
 */
jv	asl_token_send_result(const struct asl_store *, const char *token,
	    jv message);

/* send-task-heartbeat: the same errors. */
jv	asl_token_send_heartbeat(const struct asl_store *, const char *token);

#endif /* !ASL_TOKEN_H */
