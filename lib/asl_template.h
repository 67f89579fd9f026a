/*
 * asl_template.h - payload templates (Parameters, ResultSelector,
 * ItemSelector, JSONPath Assign, Credentials).
 *
 * A template is any JSON value; every object key ending in ".$" is
 * renamed without the suffix and its value, an expression (asl_expr.h),
 * evaluated, recursively through objects and arrays; everything else is
 * copied as it is.  A template is compiled once and evaluated many times.
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
#include "asl_expr.h"

struct asl_template;

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
