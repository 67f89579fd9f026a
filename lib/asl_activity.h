/*
 * asl_activity.h - activities: named queues of tasks that workers take
 * with get-activity-task.
 *
 *     activities/NAME.json                   a created activity
 *     activities/NAME/queue/SEQ-TOKEN.json   a task waiting for a worker
 *
 * Workers take tasks by renaming them out of the queue, so each task goes
 * to one worker however many poll at once.
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying {"Error",
 * "Cause"} with AWS's API error names (ActivityDoesNotExist, InvalidName).
 */
#ifndef ASL_ACTIVITY_H
#define ASL_ACTIVITY_H

#include <jv.h>

struct asl_store;

/* create-activity: {"activityArn", "name", "creationDate"}; idempotent. */
jv	asl_activity_create(const struct asl_store *, const char *name);

/* Whether the activity was created. */
int	asl_activity_exists(const struct asl_store *, const char *name);

/* Queue the task of token, with its input (consumed), for a worker. */
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

#endif /* !ASL_ACTIVITY_H */
