/*
 * asl_teststate.h - AWS's TestState API: one state, run once, with the
 * request and response shapes of `aws stepfunctions test-state`.
 *
 * The request is TestState's: {"definition", "input", "stateName",
 * "inspectionLevel", "mock": {"result" | "errorOutput": {"error",
 * "cause"}}, "context", "variables", "stateConfiguration":
 * {"retrierRetryCount", "mapIterationFailureCount", ...}}, where the JSON
 * members may be given as values or, as AWS takes them, as JSON text.
 * The response is {"status": SUCCEEDED | FAILED | RETRIABLE |
 * CAUGHT_ERROR, "output", "error", "cause", "nextState",
 * "inspectionData"}, values rather than JSON text.
 *
 * A Task with neither a mock nor a runner answers status PENDING with the
 * effect the caller must perform.  AWS's request errors (InvalidDefinition,
 * ValidationException) come back as an invalid jv carrying {"Error":
 * NAME, "Cause": MESSAGE}.
 */
#ifndef ASL_TESTSTATE_H
#define ASL_TESTSTATE_H

#include <jv.h>

#include "asl_definition.h"

/*
 * Runs a task effect for real; returns the result, or an invalid jv
 * carrying the task's {"Error", "Cause"}.  It may set *inspection (null
 * on entry) to an object whose members join inspectionData at TRACE (an
 * HTTP Task's "request" and "response").  Consumes effect.
 */
typedef jv (*asl_task_runner)(void *arg, jv effect, jv *inspection);

/* The name TestState gives a lone state. */
#define ASL_TESTSTATE_NAME ASL_DEFINITION_STATE_NAME

/* Run the request (consumed); runner may be NULL. */
jv	asl_teststate_run(jv request, asl_task_runner runner, void *arg);

/*
 * A runner for asl_teststate_run that runs the task as AWS's TestState
 * does without a mock: arg is the struct asl_resources (asl_task.h) that
 * resolves the resource, as an execution's would; the effect (consumed)
 * also names the state ("stateName").  A request-response task only: a
 * .sync or .waitForTaskToken one, an activity or a child execution fails
 * with States.Runtime (mock those).  TimeoutSeconds is kept.  An HTTP
 * Task sends its request, and its request and response go to
 * *inspection, what its connection adds only if the effect says
 * "revealSecrets" (the request's, which asl_teststate_run passes on).
 */
jv	asl_teststate_aws_task(void *arg, jv effect, jv *inspection);

/*
 * An answer of asl_teststate_run (consumed) in the shape of AWS's API:
 * "output" and the documents of "inspectionData" (input, afterArguments,
 * afterInputPath, afterParameters, result, afterResultSelector,
 * afterResultPath, variables, afterItems...) as JSON text.  An error
 * passes through.
 */
jv	asl_teststate_aws_response(jv resp);

/*
 * asl-step's own request (consumed), one phase of one state:
 * {"definition", "stateName", "input", "context", "variables",
 *  "phase": "enter" | "complete" | "error" (default: "complete" when
 *  "result" is given, "error" when "error" is, else "enter"),
 *  "result", "error": {"Error", "Cause"}, "retryCounts": [...],
 *  "enteredEventId", "inspectionLevel", "seed"}.
 * The response is asl_step_result_json's.  Request errors come back as
 * for asl_teststate_run.
 */
jv	asl_teststate_step(jv request);

#endif /* !ASL_TESTSTATE_H */
