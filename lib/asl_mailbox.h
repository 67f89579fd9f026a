/*
 * asl_mailbox.h - what other processes leave for an execution's driver,
 * through the store: the answers sent for its tasks' tokens, the workers
 * that took its activity tasks, heartbeats, stop requests, and who drives
 * it.
 *
 *     executions/NAME/inbox/TOKEN.json  a result: {"output"} or
 *                                        {"error", "cause"}
 *     executions/NAME/inbox/TOKEN.started   an activity worker took it
 *     executions/NAME/inbox/TOKEN.heartbeat the last heartbeat
 *     executions/NAME/stop.json         {"error", "cause"}: stop it
 *     executions/NAME/driver            the pid of the process driving it
 *
 * Every file is written whole (a temporary file, fsync, rename) with mode
 * 0600 before the call returns, so what a caller acknowledges survives a
 * crash.  Tokens are asl_token.h's, activities asl_activity.h's.
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying {"Error",
 * "Cause"}.
 */
#ifndef ASL_MAILBOX_H
#define ASL_MAILBOX_H

#include <jv.h>

struct asl_store;

/*
 * The driver's side: the result sent for token (or null), the worker
 * that took it ({"workerName"}, or null), the time of its last heartbeat
 * (seconds since the epoch, 0 for none), and the end of it all.
 */
jv	asl_mailbox_result(const struct asl_store *, const char *execution,
	    const char *token);
jv	asl_mailbox_started(const struct asl_store *, const char *execution,
	    const char *token);
double	asl_mailbox_heartbeat(const struct asl_store *, const char *execution,
	    const char *token);
void	asl_mailbox_clear(const struct asl_store *, const char *execution,
	    const char *token);
/* The inbox directory's modification time: has anything arrived? */
double	asl_mailbox_stamp(const struct asl_store *, const char *execution);

/* A request to stop the execution: record it, read it. */
jv	asl_mailbox_stop(const struct asl_store *, const char *execution,
	    jv error, jv cause);
jv	asl_mailbox_stop_requested(const struct asl_store *, const char *execution);

/* The driver's pid while it holds the lock; 0 if none is recorded. */
void	asl_mailbox_driver_set(const struct asl_store *, const char *execution);
long	asl_mailbox_driver_get(const struct asl_store *, const char *execution);

#endif /* !ASL_MAILBOX_H */
