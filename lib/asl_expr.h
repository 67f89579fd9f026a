/*
 * asl_expr.h - the expression of a ".$" key in a payload template, or of
 * a field that takes one (a Fail state's ErrorPath, ...): a path on "$"
 * (the input), "$$" (the context object) or "$name" (a variable), or an
 * intrinsic function call.  Compiled once, evaluated many times.
 *
 * Ownership follows jv.h; environments are borrowed.  Evaluation failures
 * are invalid jv values carrying {"Error", "Cause"}.
 */
#ifndef ASL_EXPR_H
#define ASL_EXPR_H

#include <jv.h>

#include "asl_env.h"

struct asl_expr;
struct asl_path;
struct asl_intrinsic;

enum asl_expr_kind {
	ASL_EXPR_PATH,
	ASL_EXPR_INTRINSIC
};

/*
 * Compile an expression; path_flags are asl_path_compile's flags for the
 * path case.  On error NULL, with *err a jv string the caller owns.
 */
struct asl_expr *asl_expr_compile(const char *text, int path_flags, jv *err);
void	asl_expr_free(struct asl_expr *);
enum asl_expr_kind asl_expr_kind(const struct asl_expr *);
const char *asl_expr_text(const struct asl_expr *);	/* borrowed */

/* The compiled path of an ASL_EXPR_PATH expression, else NULL (borrowed). */
const struct asl_path *asl_expr_path(const struct asl_expr *);

/* The compiled call of an ASL_EXPR_INTRINSIC expression, else NULL. */
const struct asl_intrinsic *asl_expr_intrinsic(const struct asl_expr *);

/*
 * Evaluate.  A path that does not resolve fails as asl_path_eval does;
 * callers that know the field name turn that into their own cause.
 */
jv	asl_expr_eval(const struct asl_expr *, const struct asl_env *env);

#endif /* !ASL_EXPR_H */
