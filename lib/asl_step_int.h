/*
 * asl_step_int.h - what the semantics of the state types share between
 * asl_step.c (every state but Map's items) and asl_step_map.c (a Map's
 * items, ItemSelector, ItemReader and tolerated failures): one step in
 * progress and the helpers that fail, finish or inspect it.  Not a
 * public interface: only lib/asl_step*.c include it.
 *
 * Ownership follows jv.h: every function consumes its jv arguments.
 */
#ifndef ASL_STEP_INT_H
#define ASL_STEP_INT_H

#include <stddef.h>

#include <jv.h>

#include "asl_env.h"
#include "asl_jtemplate.h"
#include "asl_path.h"
#include "asl_step.h"
#include "asl_template.h"

/* JSONata's failures, whatever their kind */
#define QUERY_ERROR "States.QueryEvaluationError"

/* A value whose JSON text's length is known (held, so that no other
   value can take its place in memory). */
struct measured {
	jv	value;	/* invalid: none */
	size_t	len;
};

struct step {
	const struct asl_step_request	*req;
	const struct asl_state		*s;
	struct asl_step_result		*res;
	jv				*context;	/* once made: see step_context */
	struct measured			*measured;	/* see too_large */
};


/* Errors. */

/*
 * err (consumed), an evaluation failure raised outside a template, with
 * the field it failed at (NULL: none) as templates give it.
 */
jv	step_at_field(jv err, const char *location);

/* The state fails with err (consumed); uncatchable when runtime. */
void	step_fail_with(struct step *, jv err, int runtime);

/*
 * An error while a Task, Parallel or Map prepares or finishes its work:
 * the engine's own runtime errors fail the state outright, anything else
 * goes to Retry and Catch.
 */
void	step_work_error(struct step *, jv err);

/* Inspection data: v under key, when asked for (step_inspect_of borrows v). */
void	step_inspect(struct step *, const char *key, jv v);
void	step_inspect_of(struct step *, const char *key, jv v);

/* The state waits for the world to do effect. */
void	step_pending(struct step *, jv effect);

/* Environments and evaluation. */

/* The environment of a JSONPath evaluation on input (borrowed). */
struct asl_env step_env_on(const struct step *, jv input);

/* JSONata's bindings: the variables and $states (states, consumed). */
jv	step_bindings(const struct step *, jv states);

/* A payload template on input; its result is measured as it is made. */
jv	step_eval_template(const struct step *, const struct asl_template *,
	    jv input);

/* A number a field gives: its JSONata literal, or its path on effective. */
jv	step_number_field(const struct step *, const struct asl_jtemplate *lit,
	    const struct asl_path *path, jv effective);

/* Task, Parallel and Map: the effective input of their work. */
jv	step_effective_input(struct step *);

/* The Map state entered (asl_step_map.c). */
void	step_map_enter(struct step *);

#endif /* !ASL_STEP_INT_H */
