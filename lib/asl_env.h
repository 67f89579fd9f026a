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

struct asl_env {
	jv	input;		/* "$": borrowed */
	jv	context;	/* "$$": borrowed; jv_null() when there is none */
	jv	vars;		/* "$name": borrowed object; jv_null() for none */
};

#define ASL_ENV_INIT { jv_null(), jv_null(), jv_null() }

#endif /* !ASL_ENV_H */
