/*
 * asl_jtemplate.h - JSON values with JSONata expressions inside: the
 * Arguments, Output, Assign, ItemSelector, Items, Condition, Seconds ...
 * fields of JSONata states.
 *
 * Any string of the value, at any depth, that is a "{% ... %}" expression
 * is compiled once and evaluated against $states and the variables; the
 * rest is copied as it is.  An expression that yields nothing is an error
 * in these fields (AWS: "returned nothing (undefined)"), not a dropped
 * member.
 *
 * Ownership follows jv.h; evaluation borrows its arguments.  Errors are
 * States.QueryEvaluationError with AWS's cause, without the
 * "An error occurred while executing the state ..." prefix that the state
 * engine adds, and with a third member, "Location", naming the field
 * ("Output/result") for the history's EvaluationFailed event; the state
 * engine takes it out.
 */
#ifndef ASL_JTEMPLATE_H
#define ASL_JTEMPLATE_H

#include <jv.h>

struct asl_jtemplate;

/*
 * Compile value (consumed); field names it in causes ("Output",
 * "Arguments"), and the keys below it are appended ("Output/result").
 * On error returns NULL and sets *errs to an array of {"pointer",
 * "message"} relative to the value.
 */
struct asl_jtemplate *asl_jtemplate_compile(jv value, const char *field,
	    jv *errs);

void	asl_jtemplate_free(struct asl_jtemplate *);

/* Whether the value has no expression at all. */
int	asl_jtemplate_is_constant(const struct asl_jtemplate *);

/*
 * Evaluate with bindings: an object of variables by name without "$"
 * ({"states": {"input": ..., "context": ...}, "x": 1}), borrowed.
 */
jv	asl_jtemplate_eval(const struct asl_jtemplate *, jv bindings);

/*
 * The text of the expression when the whole value is one "{% %}"
 * expression, without its blanks (as AWS quotes it); else NULL.
 */
const char *asl_jtemplate_text(const struct asl_jtemplate *);

#endif /* !ASL_JTEMPLATE_H */
