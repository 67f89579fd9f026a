/*
 * asl_jsonata.h - JSONata expressions, as Step Functions evaluates them in
 * JSONata states ("{% ... %}" strings in Arguments, Output, Assign,
 * Condition, Items, ...).
 *
 * JSONata 2.0 semantics as jsonata-js 2.0.6 implements them (the version
 * AWS runs), without $eval, plus the functions AWS adds: $partition,
 * $range, $hash, $random (with an optional seed), $uuid and $parse.  An
 * expression is compiled once and evaluated many times against an input
 * ("$" at the top level; Step Functions forbids bare "$" there, but
 * inside predicates it is the context) and a set of variable bindings
 * ($states, workflow variables).
 *
 * Where this differs from jsonata-js: regular expressions run on an
 * engine of our own with JavaScript's rules, which reports a malformed
 * pattern as S0303 (JavaScript's SyntaxError has no code) and runaway
 * backtracking as U1002; $hash is not there until lib/asl_hash is; a
 * numeric result that is not finite is error D1001 at once; expressions
 * nested over 1000 deep are refused (S0299); runaway recursion is error
 * U1001 rather than a crash.
 *
 * Ownership follows jv.h; evaluation borrows its arguments.  Evaluations
 * keep no state between them, but they take references to the literals
 * of the compiled tree and jv reference counts are not atomic: evaluate
 * one compiled expression from one thread at a time.
 */
#ifndef ASL_JSONATA_H
#define ASL_JSONATA_H

#include <jv.h>

struct asl_jsonata;

/*
 * Whether s is a JSONata expression string: it starts exactly with "{%"
 * and ends exactly with "%}" (no surrounding blanks).  Borrows s.
 */
int	asl_jsonata_is_expression(const char *s);

/*
 * Compile the text between "{%" and "%}".  On a syntax error returns NULL
 * and sets *err to {"code": "S0201", "message": "...", "position": N}
 * (JSONata's error codes and messages); the caller owns *err.
 */
struct asl_jsonata *asl_jsonata_compile(const char *text, jv *err);

void	asl_jsonata_free(struct asl_jsonata *);

/* The source text, as compiled (borrowed). */
const char *asl_jsonata_text(const struct asl_jsonata *);

/*
 * Evaluate.  input is the context value "$" (jv_invalid() for none);
 * bindings is an object of variables by name without the "$"
 * ({"states": {...}, "x": 1}), both borrowed.  Returns the value; an
 * undefined result (JSONata's "nothing") is jv_invalid() with no
 * message; a runtime error is an invalid jv whose message is
 * {"code": "T2001", "message": "..."} with, as jsonata-js has them,
 * "position" and the "token", "value" or "index" the message names.  A
 * result that is a function is an error with code "ASL.FunctionResult"
 * (AWS: "returned an unsupported result type"); functions inside a
 * result go the way JSON.stringify sends them (dropped from objects,
 * null in arrays).  $now() and $millis() are fixed for one evaluation.
 */
jv	asl_jsonata_eval(const struct asl_jsonata *, jv input, jv bindings);

#endif /* !ASL_JSONATA_H */
