/*
 * asl_intrinsic.h - the 18 intrinsic functions of JSONPath states
 * (States.Format, States.StringToJson, ... States.UUID).
 *
 * A call such as "States.Format('{} x', $.a, States.Array(1))" is parsed
 * once into a tree (nested calls; 'string' literals with the \' \{ \} \\
 * escapes; numbers; true, false, null; paths on $, $$ and $name as
 * arguments) and evaluated many times.  Behaviour is AWS's, quirks
 * included (see ../shared/design/semantics/intrinsics.md).
 *
 * Ownership follows jv.h; the environment is borrowed.  Runtime failures
 * are States.IntrinsicFailure with a cause that starts with the function's
 * name ("States.ArrayGetItem: the index 5 is out of range ..."); a path
 * argument that does not resolve is States.Runtime, with the cause of
 * asl_path_invalid ("Invalid path '$.x' : No results for path: $['x']").
 */
#ifndef ASL_INTRINSIC_H
#define ASL_INTRINSIC_H

#include <jv.h>

#include "asl_env.h"

struct asl_intrinsic;

/* Whether text looks like an intrinsic call ("States.X(" after blanks). */
int	asl_intrinsic_is_call(const char *text);

/*
 * Parse text.  On a syntax error (bad quoting or an escape other than \',
 * \{, \} and \\, unknown function, wrong number of arguments, a path
 * argument that does not compile, nesting deeper than 10) returns NULL and
 * sets *err to a jv string saying what and where ("unknown intrinsic
 * function 'States.Foo' at offset 13"); the caller owns *err.  AWS rejects
 * these when the state machine is created.
 */
struct asl_intrinsic *asl_intrinsic_compile(const char *text, jv *err);

void	asl_intrinsic_free(struct asl_intrinsic *);

/* The function's name ("States.Format") of the outermost call (borrowed). */
const char *asl_intrinsic_name(const struct asl_intrinsic *);

/* Evaluate against env (borrowed). */
jv	asl_intrinsic_eval(const struct asl_intrinsic *, const struct asl_env *env);

#endif /* !ASL_INTRINSIC_H */
