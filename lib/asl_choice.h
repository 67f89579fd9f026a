/*
 * asl_choice.h - JSONPath Choice rules: one element of a Choice state's
 * "Choices" (a data-test rule, Variable plus one comparator, or a boolean
 * rule, And/Or/Not over nested rules), compiled once when the definition
 * is loaded and evaluated on every visit to the state.
 *
 * Semantics are AWS's (see ../shared/design/semantics/choice-and-errors.md):
 * a comparator whose operands are not both of its type is false, never an
 * error; strings compare by UTF-16 code unit as Java does; numbers by
 * value; timestamps as instants, and a string that is not an RFC 3339
 * timestamp makes the comparison false.  A Variable or *Path operand that
 * does not resolve is a States.Runtime error, except under IsPresent.
 * And and Or short-circuit, left to right.
 *
 * Ownership follows jv.h: compile consumes the rule; the environment is
 * borrowed.  Errors are values (see asl.h).
 */
#ifndef ASL_CHOICE_H
#define ASL_CHOICE_H

#include <jv.h>

#include "asl_env.h"

struct asl_choice;

/*
 * Compile one rule object (consumed).  The top-level "Next", "Assign" and
 * "Comment" fields are ignored (the Choice state handles them); nested
 * rules may not have "Next" or "Assign".  On error returns NULL and sets
 * *errs to an array of every problem found, each {"pointer":
 * "/And/0/StringEquals", "message": ...} with the JSON Pointer relative to
 * the rule (the caller owns *errs): not an object, a missing or malformed
 * Variable, no comparator or several, an operand of the wrong type
 * (NumericEquals with a string, IsNull with a number, a timestamp literal
 * that does not parse, a StringMatches escape other than \* and \\), a
 * malformed *Path, an empty And/Or, a Not that is not an object, an
 * unknown field.
 */
struct asl_choice *asl_choice_compile(jv rule, jv *errs);

/*
 * Evaluate against env (borrowed): 1 true, 0 false.  On a runtime error
 * returns -1 and sets *err to an ASL error value (the caller owns it):
 * States.Runtime, "Invalid path '$.x': The choice state's condition path
 * references an invalid value." for a path that does not resolve.
 */
int	asl_choice_eval(const struct asl_choice *, const struct asl_env *env,
	    jv *err);

void	asl_choice_free(struct asl_choice *);

/*
 * A short text of the condition, for graphs and messages:
 * "$.x NumericGreaterThan 5", "$.s StringEquals \"a\"",
 * "$.a NumericLessThanPath $.b", "And($.a IsPresent true, Not(...))".
 */
jv	asl_choice_describe(const struct asl_choice *);

#endif /* !ASL_CHOICE_H */
