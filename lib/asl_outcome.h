/*
 * asl_outcome.h - what happened to each state of an execution, told from
 * its history: how often it was entered, how each visit ended, its
 * retries, the transitions taken, and the visits and frames (Parallel
 * branches, Map iterations) with their times.  `asl graph` colors the
 * machine by it; `asl trace` draws its visits as a timeline.
 *
 * A visit is one StateEntered and the events of that state after it; it
 * ends "succeeded" (exited), "caught" (exited after a failure: a Catch),
 * "failed" (a Fail state, or a failure nothing caught), "running" (the
 * execution still runs and so does the frame it is in), or "aborted"
 * (left unfinished: the execution or its Map or Parallel ended without
 * it).  Events are placed by previousEventId as asl_fold places them.
 *
 *   {"status": "RUNNING" | "SUCCEEDED" | ...,
 *    "start": TIMESTAMP, "end": TIMESTAMP, "duration": MS,
 *    "states": {NAME: {"type", "status", "visits", "succeeded", "caught",
 *                      "failed", "running", "aborted", "retries",
 *                      "failures", "children"?: {"kind": "items" |
 *                      "branches", "length", "succeeded", "failed",
 *                      "running", "aborted", "notStarted"}}},
 *    "transitions": {FROM: {TO: COUNT}},
 *    "visits": [{"state", "type", "frame", "start", "end", "outcome",
 *                "retries", "attempts": [{"start", "end", "outcome",
 *                                         "error"?}]}],
 *    "frames": [{"kind": "execution" | "iteration" | "branch",
 *                "parent": VISIT | null, "index", "start", "end",
 *                "outcome"}]}
 *
 * A state's "status" is the most telling of its visits' outcomes:
 * running, else failed, else caught, else succeeded, else aborted;
 * "not-reached" when it has none.  Times in visits and frames are
 * milliseconds since the execution started; "end" is missing while a
 * visit, attempt or frame goes on.  An attempt is a Task's work from its
 * Scheduled event to its result (a retry is a new attempt; the time
 * between two is the backoff), or a Map or Parallel's run of children.
 *
 * Ownership follows jv.h.
 */
#ifndef ASL_OUTCOME_H
#define ASL_OUTCOME_H

#include <jv.h>

/* The outcome of the events (consumed) of one execution. */
jv	asl_outcome(jv events);

#endif /* !ASL_OUTCOME_H */
