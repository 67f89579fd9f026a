/*
 * asl_step.h - what one state does, as a pure transformation: the
 * semantics of every state type, in AWS's order of processing, with no
 * I/O.  The driver, asl-step and the tests all call it.
 *
 * A state is stepped in phases.  ASL_STEP_ENTER gives it its input; Pass,
 * Choice, Succeed and Fail answer at once, while Task, Wait, Parallel and
 * Map answer PENDING with an effect saying what the world must do (run a
 * task, wait until a time, run branches or items).  The caller does it and
 * steps the state again with ASL_STEP_COMPLETE and the result, or with
 * ASL_STEP_ERROR and the error, which Retry and Catch then judge.
 *
 * The request borrows everything it points to; the result owns its jv
 * values until asl_step_result_release.
 */
#ifndef ASL_STEP_H
#define ASL_STEP_H

#include <stddef.h>

#include <jv.h>

#include "asl_machine.h"

struct asl_rng;

enum asl_step_phase {
	ASL_STEP_ENTER,		/* the state receives its input */
	ASL_STEP_COMPLETE,	/* the work it asked for produced result */
	ASL_STEP_ERROR		/* the work failed with error */
};

enum asl_step_status {
	ASL_STATUS_SUCCEEDED,	/* done: output, and next (NULL at an end) */
	ASL_STATUS_FAILED,	/* an error nothing catches */
	ASL_STATUS_PENDING,	/* the world must act: see effect */
	ASL_STATUS_RETRIABLE,	/* a retrier matched: redo the work after delay */
	ASL_STATUS_CAUGHT_ERROR	/* a catcher matched: output and next */
};

struct asl_step_request {
	const struct asl_state	*state;
	enum asl_step_phase	 phase;
	jv	 input;		/* the state's raw input */
	jv	 context;	/* the context object ($$), or null */
	/*
	 * Or, when context_fn is set, the context object is what
	 * context_fn(context_arg) returns (owned), asked for the first time
	 * the state reads it, if ever: most states never do.
	 */
	jv	(*context_fn)(void *);
	void	*context_arg;
	jv	 vars;		/* the variables in scope (object), or null */
	jv	 result;	/* ASL_STEP_COMPLETE: the work's result */
	jv	 error;		/* ASL_STEP_ERROR: {"Error", "Cause"} */
	jv	 counts;	/* ASL_STEP_ERROR: attempts per retrier, or null */
	jv	 items;		/* Map with an ItemReader: what it read, or null */
	long	 entered_event_id;	/* for AWS's causes; 0: none */
	int	 inspect;	/* collect inspectionData */
	int	 lazy_items;	/* Map: raw items; see asl_step_map_item */
	int	 items_streamed; /* Map: items are a reader's placeholders,
				   its ItemBatcher's batches the caller's to
				   make: the effect's "batcher" says how */
	size_t	 payload_limit;	/* bytes; 0: no limit */
	int	 input_judged;	/* input is an output already found within
				   payload_limit: an output that is that same
				   value need not be measured again */
	struct asl_rng *rng;	/* FULL jitter draws; NULL: the full delay */
};

/* Every jv null, every number 0, phase ENTER. */
void	asl_step_request_init(struct asl_step_request *);

struct asl_step_result {
	enum asl_step_status	 status;
	const struct asl_state	*next;	/* the next state, when resolved */
	jv	 next_name;	/* its name; null at an end */
	jv	 output;	/* SUCCEEDED, CAUGHT_ERROR */
	jv	 error;		/* FAILED, RETRIABLE, CAUGHT_ERROR: {Error, Cause} */
	jv	 assigned;	/* variables this state assigns, or null */
	jv	 effect;	/* PENDING */
	jv	 inspection;	/* inspectionData, when asked for */
	jv	 decision;	/* RETRIABLE, CAUGHT_ERROR, FAILED after Retry/Catch */
	double	 delay;		/* RETRIABLE: seconds */
	jv	 counts;	/* RETRIABLE: the counters after this retry */
	int	 runtime;	/* FAILED by the engine itself (uncatchable) */
	jv	 evaluation;	/* a JSONata evaluation of the state failed:
				   {state, location?, error, cause}, for the
				   EvaluationFailed event; else null */
};

/* Step req->state once; res is overwritten (release it afterwards). */
void	asl_step(const struct asl_step_request *req, struct asl_step_result *res);

void	asl_step_result_release(struct asl_step_result *res);

/*
 * The response as JSON (asl-step's output): status, nextState, output,
 * error, cause, variables (vars with the assignments applied, when vars is
 * not null), assigned, effect, retry, evaluationFailed, inspectionData.
 * Consumes vars; leaves res to be released.
 */
jv	asl_step_result_json(const struct asl_step_result *res, jv vars);

/*
 * A Map iteration's input, when ASL_STEP_ENTER was asked for lazy items:
 * the ItemSelector (or the item itself) for item number index of the
 * effect's "items", with $$.Map.Item set.  req is the ENTER request.
 */
jv	asl_step_map_item(const struct asl_step_request *req, jv effect,
	    int index);

/*
 * The same for every iteration of a Map, prepared once: what
 * asl_step_map_items keeps of req and of the effect (borrowed) serves
 * each asl_step_map_items_get, which costs a fraction of
 * asl_step_map_item.
 */
struct asl_map_items;
struct asl_map_items *asl_step_map_items(const struct asl_step_request *req,
	    jv effect);
jv	asl_step_map_items_get(struct asl_map_items *, int index);
/*
 * The same for item (consumed) as item number index, whatever the
 * effect's "items" hold there: the items of a reader that streams them.
 */
jv	asl_step_map_items_select(struct asl_map_items *, int index, jv item);
void	asl_step_map_items_free(struct asl_map_items *);

/* "SUCCEEDED", "FAILED", ... */
const char *asl_step_status_name(enum asl_step_status);

/* The variables after a state: vars (consumed) with assigned merged in. */
jv	asl_step_vars_merge(jv vars, jv assigned);

#endif /* !ASL_STEP_H */
