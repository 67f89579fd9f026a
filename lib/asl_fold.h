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
 *    "input", "output", "error", "cause", "lastEventId",
 *    "frames": [{"frame": N, "parent": N|null, "index": I, "state": NAME,
 *                "type": TYPE, "phase": PHASE, "input": ..., "variables": {...},
 *                "enteredEventId", "enteredTime", "lastEventId",
 *                "retryCount", "failures": [{Error, Cause}, ...],
 *                "task": {"scheduledEventId", "event", "details", "time",
 *                         "startedEventId", "result"}?,
 *                "timer": {"since"}?,
 *                "children": {"type": "map"|"parallel", "length",
 *                             "succeeded": [indexes], "failed": [indexes],
 *                             "results": {"<index>": output}}?,
 *                "output"?, "error"?}]}
 *
 * PHASE is where the frame's current state stands: "entered" (nothing
 * after its Entered event), "scheduled", "started", "submitted" (a task in
 * flight), "failed-task" (a task failure not yet acted on: Retry/Catch
 * decide next), "children" (its Map or Parallel runs), "exited" (moving to
 * its next state), "done", "failed" or "aborted" (the frame is over).
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

#endif /* !ASL_FOLD_H */
