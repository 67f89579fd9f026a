/*
 * asl_fold.h - an execution's state, rebuilt from its history alone.
 *
 * Events carry what is needed: a StateEntered its state and input, a
 * StateExited its output and assigned variables, the task events the life
 * of a task, the Map and Parallel events their children, and every event
 * the previous event of its own branch or iteration.  Folding follows
 * those links to place each event in its frame (the top level, a Parallel
 * branch, a Map iteration) and tells where each frame stands.  This is
 * what resuming an execution rests on, and what `asl-history fold` shows.
 *
 * The fold is a JSON object:
 *
 *   {"status": "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED",
 *    "input", "lastEventId", "output"?, "error"?, "cause"?,
 *    "frames": [{"frame": N, "parent": N|null, "index": I,
 *                "state": NAME|null, "type": TYPE|null, "phase": PHASE,
 *                "input", "variables", "enteredEventId", "enteredTime",
 *                "lastEventId", "retryCount", "failures": [{Error, Cause}],
 *                "task"?: {"scheduledEventId", "event", "details", "time",
 *                          "startedEventId"?, "result"?},
 *                "children"?: {"type": "map"|"parallel", "length",
 *                              "succeeded": [indexes], "failed": [indexes],
 *                              "results": {"<index>": output}},
 *                "mapRunArn"?: a distributed Map's Map Run,
 *                "output"?}]}
 *
 * frames holds the frames still open, the top one (frame 0) first: a
 * frame whose Map iteration or Parallel branch ended (its group heard of
 * it) is left out.  "output" is there when the phase is exited or done;
 * "task" once a task was scheduled in the current state, "children" once
 * its Map or Parallel started.  retryCount counts the Scheduled (or
 * Map/ParallelStateStarted) events of the state's current visit beyond
 * the first.
 *
 * PHASE is where the frame's current state stands (enum asl_phase of
 * asl_events.h, which resumption reads back):
 *   "start"               nothing entered yet (a branch or iteration
 *                         whose first state has no event)
 *   "entered"             its Entered event, nothing after
 *   "scheduled"           a task scheduled, not started
 *   "started"             a task started: its process or its worker
 *   "submitted"           a callback task submitted, its token out
 *   "task-succeeded"      a task's result, not yet applied
 *   "failed-task"         a task's failure (failed, timed out, or failed
 *                         to schedule, start or submit): Retry or Catch
 *                         decide next
 *   "children"            its Map or Parallel runs children
 *   "children-succeeded"  every child done, the results not yet applied
 *   "children-failed"     a child failed the Map or Parallel
 *   "exited"              its state exited: on to the next state
 *   "done"                the frame ended (a branch or iteration whose
 *                         last state exited)
 *   "failed"              the frame failed
 *   "aborted"             the frame was stopped
 *
 * Map Run events and EvaluationFailed keep a frame's chain of events but
 * change no phase.
 *
 * Ownership follows jv.h.
 */
#ifndef ASL_FOLD_H
#define ASL_FOLD_H

#include <jv.h>

struct asl_machine;

/*
 * Fold events (consumed), using the machine (borrowed; may be NULL) to
 * tell which branch of a Parallel an event starts.  Errors (a history
 * that does not hang together) are invalid jv values with a message.
 */
jv	asl_fold(jv events, const struct asl_machine *m);

/*
 * The same, an event at a time, for a history read as it comes:
 * asl_fold_begin (NULL: out of memory), asl_fold_event for each event
 * (consumed; -1: out of memory, and the fold is to be ended), and
 * asl_fold_end, which returns the fold and frees the rest.
 */
struct asl_fold;
struct asl_fold *asl_fold_begin(const struct asl_machine *m);
int	asl_fold_event(struct asl_fold *, jv ev);
jv	asl_fold_end(struct asl_fold *);

#endif /* !ASL_FOLD_H */
