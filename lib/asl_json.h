/*
 * asl_json.h - JSON text in, jv values out, with where each node came
 * from; and jv values out as compact JSON text, fast.
 *
 * The same parser serves execution input (fast, no bookkeeping) and state
 * machine definitions, where asl-parse needs the line and column of every
 * node for its diagnostics and must see duplicate keys that a plain JSON
 * reader would silently merge.  Files, YAML and the choice between the
 * two are asl_doc.h's.
 *
 * Ownership follows jv.h.  A syntax error comes back as an invalid jv whose
 * message is {"message": TEXT, "line": L, "column": C} (1-based; the column
 * counts bytes).
 */
#ifndef ASL_JSON_H
#define ASL_JSON_H

#include <stddef.h>

#include <jv.h>

/*
 * Parse one JSON text of len bytes (strict RFC 8259: no comments, no
 * trailing commas, no NaN).  If where is not NULL, *where receives an object
 * mapping the JSON Pointer ("" for the root, "/States/A/Next") of every node
 * to [line, column]: for an object member the position of its key, for
 * anything else the position of its first character.  If problems is not
 * NULL, *problems receives an array of the non-fatal problems found, each
 * {"pointer", "line", "column", "message"}: duplicate keys (the last one
 * wins in the value); without where, one {"message": "duplicate key"}
 * for each object that has some, which is cheaper when a problem is
 * unlikely and its place can be found again by parsing with where.  On a syntax error *where and *problems are null.
 */
jv	asl_json_parse(const char *text, size_t len, jv *where, jv *problems);

/*
 * Append the compact JSON text of v (borrowed; valid) to b: byte for byte
 * what jq's jv_dump_string(v, 0) writes (members in the object's order,
 * numbers as jq prints them, only '"', '\\' and control characters
 * escaped), several times faster, and without a jv string on the way.
 * Histories are made of it.
 */
struct asl_buf;
void	asl_json_write(struct asl_buf *, jv v);

/* The len bytes of UTF-8 at s as a JSON string, quoted, appended to b. */
void	asl_json_write_string(struct asl_buf *, const char *s, size_t len);

/*
 * The JSON text of v (borrowed) as a JSON string, in one pass: what
 * asl_json_write_string writes of asl_json_write's text (a history's
 * "input" and "output" members are such strings).
 */
void	asl_json_write_as_string(struct asl_buf *, jv v);

/*
 * The length of asl_json_write's text of v (borrowed), counted without
 * writing it; once the count passes max, some length above max.  What a
 * payload's size is judged by.
 */
size_t	asl_json_length(jv v, size_t max);

/* asl_json_write's text of v (consumed) as a jv string. */
jv	asl_json_text(jv v);

/* Append "/" and key, escaped as RFC 6901 asks ('~' -> "~0", '/' -> "~1"). */
jv	asl_json_pointer_append(jv pointer, const char *key);

#endif /* !ASL_JSON_H */
