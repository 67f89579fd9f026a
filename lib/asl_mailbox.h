/*
 * asl_mailbox.h - what other processes tell an execution, through the
 * store: task tokens, callback results and heartbeats, activity queues,
 * stop requests.
 *
 *     tokens/TOKEN.json                 {"execution", "scheduledEventId",
 *                                        "state", "activity"?, "closed"?}
 *     executions/NAME/tokens/ID         the token of the task scheduled at
 *                                        event ID (to resume its wait)
 *     executions/NAME/inbox/TOKEN.json  a result: {"output"} or
 *                                        {"error", "cause"}
 *     executions/NAME/inbox/TOKEN.started   an activity worker took it
 *     executions/NAME/inbox/TOKEN.heartbeat the last heartbeat
 *     executions/NAME/stop.json         {"error", "cause"}: stop it
 *     executions/NAME/driver            the pid of the process driving it
 *     activities/NAME.json              a created activity
 *     activities/NAME/queue/SEQ-TOKEN.json   a task waiting for a worker
 *
 * Every file is written whole (a temporary file, fsync, rename) with mode
 * 0600 before the call returns, so what a caller acknowledges survives a
 * crash.  A result is written exclusively: the second send of a token
 * fails.  Workers take activity tasks by renaming them out of the queue,
 * so each task goes to one worker however many poll at once.
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying {"Error",
 * "Cause"} with AWS's API error names (InvalidToken, TaskDoesNotExist,
 * TaskTimedOut, ActivityDoesNotExist, ...).
 */
#ifndef ASL_MAILBOX_H
#define ASL_MAILBOX_H

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
jv	asl_send_task_result(const struct asl_store *, const char *token,
	    jv message);
jv	asl_send_task_heartbeat(const struct asl_store *, const char *token);

/*
 * The driver's side: the result sent for token (or null), the worker
 * that took it ({"workerName"}, or null), the time of its last heartbeat
 * (seconds since the epoch, 0 for none), and the end of it all.
 */
jv	asl_inbox_result(const struct asl_store *, const char *execution,
	    const char *token);
jv	asl_inbox_started(const struct asl_store *, const char *execution,
	    const char *token);
double	asl_inbox_heartbeat(const struct asl_store *, const char *execution,
	    const char *token);
void	asl_inbox_clear(const struct asl_store *, const char *execution,
	    const char *token);
/* The inbox directory's modification time: has anything arrived? */
double	asl_inbox_stamp(const struct asl_store *, const char *execution);

/* Activities: create-activity; queue a task; a worker takes one. */
jv	asl_activity_create(const struct asl_store *, const char *name);
int	asl_activity_exists(const struct asl_store *, const char *name);
jv	asl_activity_enqueue(const struct asl_store *, const char *name,
	    const char *token, jv input, const char *execution);
/* Whether token's task waits in the activity's queue. */
int	asl_activity_queued(const struct asl_store *, const char *name,
	    const char *token);
/*
 * Take the oldest task of the activity for worker (may be NULL), waiting
 * up to wait seconds for one: {"taskToken", "input"} (input as JSON
 * text, as GetActivityTask gives it), or null when none came.
 */
jv	asl_activity_take(const struct asl_store *, const char *name,
	    const char *worker, double wait);

/* A request to stop the execution: record it, read it. */
jv	asl_stop_request(const struct asl_store *, const char *execution,
	    jv error, jv cause);
jv	asl_stop_requested(const struct asl_store *, const char *execution);

/* The driver's pid while it holds the lock; 0 if none is recorded. */
void	asl_driver_set(const struct asl_store *, const char *execution);
long	asl_driver_get(const struct asl_store *, const char *execution);

#endif /* !ASL_MAILBOX_H */
