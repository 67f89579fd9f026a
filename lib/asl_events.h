/*
 * asl_events.h - the vocabulary of an execution's history: AWS's 62 event
 * types and what each says about the execution, the state, the task or
 * the Map or Parallel it belongs to; the member that holds an event's
 * details; the details of the common events; and the phases a frame of an
 * execution (the top level, a Parallel branch, a Map iteration) stands in
 * after its events.
 *
 * The writer (lib/exec), the fold (asl_fold.h) and the resumption of an
 * execution (lib/exec/exec_restore.c) all speak it, so that what one
 * writes the others read the same way.
 *
 * Ownership follows jv.h.  Nothing here allocates but the jv values the
 * builders return.
 */
#ifndef ASL_EVENTS_H
#define ASL_EVENTS_H

#include <jv.h>

/* What an event says, whatever the state or task family it names. */
enum asl_event_kind {
	ASL_EV_OTHER,			/* nothing any part of asl acts on */
	ASL_EV_EXECUTION_STARTED,
	ASL_EV_EXECUTION_SUCCEEDED,
	ASL_EV_EXECUTION_FAILED,
	ASL_EV_EXECUTION_TIMED_OUT,
	ASL_EV_EXECUTION_ABORTED,
	ASL_EV_EXECUTION_REDRIVEN,
	ASL_EV_STATE_ENTERED,		/* PassStateEntered ... MapStateEntered */
	ASL_EV_STATE_EXITED,
	ASL_EV_STATE_ABORTED,		/* Task, Wait, Parallel, Map */
	ASL_EV_GROUP_STARTED,		/* MapStateStarted, ParallelStateStarted */
	ASL_EV_GROUP_SUCCEEDED,
	ASL_EV_GROUP_FAILED,
	ASL_EV_ITERATION_STARTED,	/* MapIterationStarted ... */
	ASL_EV_ITERATION_SUCCEEDED,
	ASL_EV_ITERATION_FAILED,
	ASL_EV_ITERATION_ABORTED,
	ASL_EV_TASK_SCHEDULED,		/* TaskScheduled, LambdaFunction..., Activity... */
	ASL_EV_TASK_SCHEDULE_FAILED,
	ASL_EV_TASK_STARTED,
	ASL_EV_TASK_START_FAILED,
	ASL_EV_TASK_SUBMITTED,
	ASL_EV_TASK_SUBMIT_FAILED,
	ASL_EV_TASK_SUCCEEDED,
	ASL_EV_TASK_FAILED,
	ASL_EV_TASK_TIMED_OUT,
	ASL_EV_MAP_RUN_STARTED,
	ASL_EV_MAP_RUN_SUCCEEDED,
	ASL_EV_MAP_RUN_FAILED,
	ASL_EV_MAP_RUN_ABORTED,
	ASL_EV_MAP_RUN_REDRIVEN,
	ASL_EV_EVALUATION_FAILED
};

/*
 * Which events a Task's work writes: AWS names them for the kind of
 * resource (LambdaFunctionScheduled, TaskScheduled, ActivityScheduled).
 */
enum asl_task_family {
	ASL_FAMILY_LAMBDA,	/* a function ARN or name: LambdaFunction* */
	ASL_FAMILY_TASK,	/* arn:aws:states:::svc:api: Task* */
	ASL_FAMILY_ACTIVITY	/* an activity ARN: Activity* */
};

/* One of AWS's event types. */
struct asl_event_type {
	const char		*name;		/* "TaskStateEntered" */
	enum asl_event_kind	 kind;
	int			 state;		/* its enum asl_state_type, or -1 */
	int			 family;	/* its enum asl_task_family, or -1 */
};

/* The type called name, or NULL when AWS has no such type. */
const struct asl_event_type *asl_events_lookup(const char *name);

/*
 * The name of the event of kind for a state of type state (enum
 * asl_state_type; the STATE_*, GROUP_* and ITERATION_* kinds), or NULL
 * when that state type has no such event (a Fail state is never exited).
 */
const char *asl_events_state_event(enum asl_event_kind, int state);

/* The name of the event of kind (a TASK_* kind) for a task family. */
const char *asl_events_task_event(enum asl_event_kind, enum asl_task_family);

/* The name of an execution's or a Map Run's event of kind. */
const char *asl_events_name(enum asl_event_kind);

/*
 * The execution status an event of kind leaves: "SUCCEEDED", "FAILED",
 * "TIMED_OUT", "ABORTED" for the ends, "RUNNING" for any other.
 */
const char *asl_events_status(enum asl_event_kind);

/*
 * The details member of an event of type: "taskScheduledEventDetails",
 * as a jv key, or as text (a constant, or written into buf).
 */
#define ASL_EVENTS_KEYSIZE 128
jv	asl_events_details_key(const char *type);
const char *asl_events_details_member(const char *type,
	    char buf[ASL_EVENTS_KEYSIZE]);

/* The JSON text AWS puts in details: compact JSON of v (consumed). */
jv	asl_events_text(jv v);

/* {"truncated": false}: AWS's inputDetails and outputDetails. */
jv	asl_events_not_truncated(void);

/* The details of the common events. */
jv	asl_events_state_entered(const char *name, jv input);
jv	asl_events_state_exited(const char *name, jv output, jv assigned);
jv	asl_events_error_details(jv error);	/* {"error"?, "cause"?} */

/*
 * out (consumed) with the "error" and "cause" that details (borrowed), an
 * event's details, holds: what describe and the fold report of an end.
 */
jv	asl_events_copy_error(jv out, jv details);

/*
 * Where a frame stands after its events, as the fold reports it and
 * resumption continues from it.
 */
enum asl_phase {
	ASL_PHASE_START,		/* nothing entered yet */
	ASL_PHASE_ENTERED,		/* its state entered, nothing after */
	ASL_PHASE_SCHEDULED,		/* a task scheduled, not started */
	ASL_PHASE_STARTED,		/* a task started (its process, a worker) */
	ASL_PHASE_SUBMITTED,		/* a callback task submitted: its token out */
	ASL_PHASE_TASK_SUCCEEDED,	/* a task's result, not yet applied */
	ASL_PHASE_FAILED_TASK,		/* a task's failure: Retry or Catch next */
	ASL_PHASE_CHILDREN,		/* its Map or Parallel runs children */
	ASL_PHASE_CHILDREN_SUCCEEDED,	/* every child done, results not applied */
	ASL_PHASE_CHILDREN_FAILED,	/* a child failed the Map or Parallel */
	ASL_PHASE_EXITED,		/* its state exited: on to the next */
	ASL_PHASE_DONE,			/* the frame ended well */
	ASL_PHASE_FAILED,		/* the frame failed */
	ASL_PHASE_ABORTED		/* the frame was stopped */
};
#define ASL_PHASE_COUNT	(ASL_PHASE_ABORTED + 1)

/* "entered", "failed-task" ...; and back (-1: no such phase). */
const char *asl_events_phase_name(enum asl_phase);
int	asl_events_phase_parse(const char *name);

#endif /* !ASL_EVENTS_H */
