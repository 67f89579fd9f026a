/*
 * asl_env.h - what a path, intrinsic or template is evaluated against.
 *
 * The three roots of ASL's data flow: "$" the state's input (or whatever
 * document the field works on), "$$" the context object, and "$name" the
 * workflow variables in scope.  An environment borrows its values: the
 * caller keeps them alive for as long as it evaluates against it.
 */
#ifndef ASL_ENV_H
#define ASL_ENV_H

#include <jv.h>

/* The item a Map's ItemSelector works on: $$.Map.Item. */
struct asl_env_item {
	int	index;
	jv	value;		/* borrowed */
};

struct asl_env {
	jv	input;		/* "$": borrowed */
	jv	context;	/* "$$": borrowed; jv_null() when there is none */
	jv	vars;		/* "$name": borrowed object; jv_null() for none */
	/*
	 * Or, when context_fn is set, "$$" is what it returns (owned) for
	 * context_arg: a context object made only when a path reads it,
	 * since most never do.
	 */
	jv	(*context_fn)(void *);
	void	*context_arg;
	/*
	 * A Map's item, or NULL: paths $$.Map.Item.Index and
	 * $$.Map.Item.Value read it here; the context object must have the
	 * same Map member for any other path.
	 */
	const struct asl_env_item *item;
};

#define ASL_ENV_INIT { jv_null(), jv_null(), jv_null(), NULL, NULL, NULL }

/* The context object of env (owned). */
static inline jv
asl_env_context(const struct asl_env *env)
{
	return env->context_fn != NULL ? env->context_fn(env->context_arg) :
	    jv_copy(env->context);
}

#endif /* !ASL_ENV_H */
