/*
 * asl_retry.h - what a Task, Parallel or Map state does with an error:
 * retry it (which retrier, after how long), catch it (which catcher, the
 * next state, the output), or let it fail the state.
 *
 * A state's Retry and Catch are compiled once (asl_retry_compile) when the
 * definition is loaded; each error then costs one asl_retry_decide.  The
 * retry counters live with the caller, one per retrier, and start at zero
 * every time the state is entered: AWS resets them whenever the
 * interpreter leaves the state, even to re-enter it in a loop.
 *
 * The decision is a JSON object:
 *
 *   {"action": "retry", "retrier": I, "attempt": N, "delaySeconds": D,
 *    "counts": [...]}
 *   {"action": "catch", "catcher": J, "next": STATE, "output": OUTPUT}
 *   {"action": "fail", "error": NAME, "cause": TEXT}
 *
 * catch and fail also carry "retrier": I when retrier I matched the error
 * but had no attempts left (TestState reports it as retryIndex).
 *
 * Ownership follows jv.h: arguments are consumed, results owned.  A
 * malformed Retry, Catch, error or counts is a caller's mistake, not an
 * ASL error: it comes back as an invalid jv whose message is a string
 * ("/Retry/0/MaxAttempts: must be an integer from 0 to 99999999").  An ASL
 * error that the decision itself raises (a Catch's ResultPath that cannot
 * be applied) is a "fail" decision, not an invalid jv.
 */
#ifndef ASL_RETRY_H
#define ASL_RETRY_H

#include <jv.h>

#include "asl_rng.h"

struct asl_retry;

/*
 * Compile a state's Retry and Catch arrays (each may be null, or the
 * invalid jv of a missing member: absent).  On a malformed one returns
 * NULL and sets *err to a jv string saying where and what ("/Catch/1:
 * missing Next"); the caller owns *err.
 */
struct asl_retry *asl_retry_compile(jv retry, jv catch, jv *err);

void	asl_retry_free(struct asl_retry *);

/* How many retriers, so how many counters, the state has. */
int	asl_retry_retriers(const struct asl_retry *);

/*
 * Decide what the state does with error, an object {"Error": NAME or
 * null, "Cause": TEXT, null or absent}.  counts holds the attempts each
 * retrier has made in this visit of the state (null or shorter: zeros);
 * input is the state's raw input, where a Catch's ResultPath places the
 * error output.  rng draws FULL jitter; it may be NULL, and FULL jitter
 * then waits the whole capped delay.  Borrows r.
 */
jv	asl_retry_decide(const struct asl_retry *r, jv error, jv counts,
	    jv input, struct asl_rng *rng);

/*
 * The Error Output a catcher sees: {"Error": NAME, "Cause": TEXT}, a
 * missing Cause becoming "" (null when the name is null too, as for a
 * SendTaskFailure without error or cause).  Fails on a malformed error.
 */
jv	asl_retry_error_output(jv error);

/*
 * Whether the ErrorEquals entry pattern matches the error called name
 * (NULL for an error whose name is JSON null).  States.ALL matches every
 * error, States.TaskFailed every error but States.Timeout, other names
 * only themselves; nothing matches States.Runtime.
 */
int	asl_retry_matches(const char *pattern, const char *name);

/*
 * asl-retry's whole request: {"retry", "catch", "error", "counts",
 * "input"}, or "state": {"Retry", "Catch", ...} instead of retry and
 * catch; compiles, decides and frees in one call.
 */
jv	asl_retry_request(jv request, struct asl_rng *rng);

#endif /* !ASL_RETRY_H */
