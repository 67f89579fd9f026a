/*
 * asl_template.h - payload templates (Parameters, ResultSelector,
 * ItemSelector, JSONPath Assign, Credentials) and the expressions in them.
 *
 * An expression is the value of a key ending in ".$": a path on "$" (the
 * template's input), "$$" (the context object) or "$name" (a variable), or
 * an intrinsic function call.  A template is any JSON value; every object
 * key ending in ".$" is renamed without the suffix and its value evaluated,
 * recursively through objects and arrays; everything else is copied as it
 * is.  Both are compiled once and evaluated many times.
 *
 * Ownership follows jv.h; environments are borrowed.  Evaluation failures
 * are invalid jv values carrying {"Error", "Cause"}: a path that does not
 * resolve is States.Runtime with AWS's cause "The JSONPath '$.p' specified
 * for the field 'key.$' could not be found in the input '<input JSON>'";
 * intrinsic failures keep their own error.
 */
#ifndef ASL_TEMPLATE_H
#define ASL_TEMPLATE_H

#include <stddef.h>

#include <jv.h>

#include "asl_env.h"

struct asl_expr;
struct asl_template;

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

/*
 * Compile template (consumed).  On error returns NULL and sets *errs to an
 * array of every problem, each {"pointer": "/a/b.$", "message": ...} with
 * the JSON Pointer relative to the template (the caller owns *errs):
 * a ".$" value that is not a string or does not parse, and a key given
 * both as "x" and "x.$".
 */
struct asl_template *asl_template_compile(jv tmpl, jv *errs);
void	asl_template_free(struct asl_template *);

/* Whether the template evaluates anything (has a ".$" key somewhere). */
int	asl_template_is_dynamic(const struct asl_template *);

/* Evaluate against env (borrowed); the result is owned by the caller. */
jv	asl_template_eval(const struct asl_template *, const struct asl_env *env);

/*
 * The same, and *len the length of the result's compact JSON text
 * (asl_json_length's) when that comes cheap: when no expression gave an
 * array or an object; else (size_t)-1.
 */
jv	asl_template_eval_sized(const struct asl_template *,
	    const struct asl_env *env, size_t *len);

#endif /* !ASL_TEMPLATE_H */
