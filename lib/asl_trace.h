/*
 * asl_trace.h - an execution as a timeline: the Trace Event format of
 * Chrome's chrome://tracing and of Perfetto (ui.perfetto.dev), built from
 * what asl_outcome tells of the execution.
 *
 *   {"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}
 *
 * One process (pid 1) named after the execution; one thread (tid) per
 * frame: tid 1 the execution itself, then one per Parallel branch ("P
 * branch 2") and per Map iteration ("M [3]"), each named by a
 * thread_name metadata event and sorted in the order they started.
 * Complete events ("ph": "X", "ts" and "dur" in microseconds since the
 * execution started) nest on their thread: the execution (or the
 * branch, or the iteration) holds its states' visits ("cat": the state's
 * type in lower case: "task", "wait", "map" ...), a visit holds its
 * attempts ("attempt 1", "attempt 2" ...: a task's work from scheduled to
 * its result, or a Map or Parallel's run of children) and the backoff
 * between two attempts ("backoff", "cat": "retry").  args say each
 * slice's outcome ("succeeded", "caught", "failed", "running",
 * "aborted"), its error, a visit's retries.  What still runs ends at the
 * last event, with "running": true in its args.
 *
 * Ownership follows jv.h.
 */
#ifndef ASL_TRACE_H
#define ASL_TRACE_H

#include <jv.h>

/* The trace of outcome (consumed: asl_outcome's) of execution name. */
jv	asl_trace(jv outcome, const char *name);

#endif /* !ASL_TRACE_H */
