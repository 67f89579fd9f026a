/*
 * asl_path.h - JSONPath as Step Functions evaluates it (Jayway's dialect),
 * and Reference Paths with ResultPath placement.
 *
 * A path is compiled once (asl_path_compile) and evaluated many times
 * against an environment: "$..." reads the input, "$$..." the context
 * object, "$name..." a variable.  Supported: dot and bracket children,
 * quoted names with any characters ('a b', "x", escapes), [*] and .*, ..,
 * indexes (negative too), slices [a:b:c], unions [0,1] and ['a','b'], and
 * filters [?(@.price < 10 && @.tag == 'x')] with ==, !=, <, <=, >, >=,
 * =~ /regex/, in, nin, empty, &&, ||, !, parentheses and existence tests
 * [?(@.isbn)].
 *
 * A definite path (only names and single indexes) yields one value; an
 * indefinite one (wildcard, .., slice, union, filter) yields an array of
 * every match, possibly empty.
 *
 * Ownership follows jv.h; the environment is borrowed.  Failures are
 * invalid jv values carrying {"Error", "Cause"} (see asl.h).
 */
#ifndef ASL_PATH_H
#define ASL_PATH_H

#include <jv.h>

#include "asl_env.h"

struct asl_path;

enum asl_path_root {
	ASL_ROOT_INPUT,		/* $ */
	ASL_ROOT_CONTEXT,	/* $$ */
	ASL_ROOT_VARIABLE	/* $name */
};

/* Flags for asl_path_compile. */
enum {
	ASL_PATH_REFERENCE = 1,	  /* a Reference Path: names and indexes >= 0 only */
	ASL_PATH_NO_CONTEXT = 2,  /* "$$" is not allowed here */
	ASL_PATH_NO_VARIABLE = 4  /* "$name" is not allowed here */
};

/*
 * Compile text.  On a syntax error returns NULL and sets *err to a jv
 * string saying what is wrong and where ("unterminated filter at offset
 * 7"); the caller owns *err.
 */
struct asl_path *asl_path_compile(const char *text, int flags, jv *err);

void	asl_path_free(struct asl_path *);

/* The text the path was compiled from (borrowed). */
const char *asl_path_text(const struct asl_path *);

int	asl_path_is_definite(const struct asl_path *);
enum asl_path_root asl_path_root(const struct asl_path *);

/* For ASL_ROOT_VARIABLE paths, the variable's name (borrowed). */
const char *asl_path_variable(const struct asl_path *);

/*
 * Evaluate against env (borrowed).  A definite path that matches nothing
 * fails with States.Runtime and Jayway's own cause, which callers quote in
 * AWS's messages: "No results for path: $['a']['b']" when the last step is
 * missing, "Missing property in path $['a']" when an earlier step is.  An
 * unassigned variable fails the same way.
 */
jv	asl_path_eval(const struct asl_path *, const struct asl_env *env);

/*
 * ResultPath: doc with value placed at the path (a Reference Path on the
 * input root), creating missing objects on the way.  "$" replaces doc.
 * Where the document cannot take the path (a step through a string, an
 * index past the end) the error is States.ResultPathMatchFailure.
 * Consumes doc and value.
 */
jv	asl_path_put(const struct asl_path *, jv doc, jv value);

/*
 * The cause AWS gives for an InputPath, OutputPath or other path field
 * that does not resolve: "Invalid path '<text>' : <jayway cause>".
 * Consumes err (the error asl_path_eval returned).
 */
jv	asl_path_invalid(const struct asl_path *, jv err);

#endif /* !ASL_PATH_H */
