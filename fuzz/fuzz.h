/*
 * fuzz/fuzz.h - what the libFuzzer targets of fuzz/ share: the input as
 * a NUL-terminated string (the engine's text interfaces take C strings),
 * cut at its first NUL, and split in two at its first newline where a
 * target takes an expression and a document; the document, or a default;
 * a result printed as the programs print it.  Each target is built twice:
 * with libFuzzer's main (make fuzz) and with fuzz/replay.c's (make check).
 */
#ifndef ASL_FUZZ_H
#define ASL_FUZZ_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jv.h>

#include "asl_json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data as a string (malloc'd; NULL if out of memory). */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s != NULL) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/*
 * The text up to the first newline (the expression, in place) and what
 * follows it (*rest, "" when there is no newline).
 */
static inline char *
fuzz_split(char *s, char **rest)
{
	char *nl = strchr(s, '\n');

	*rest = nl != NULL ? nl + 1 : s + strlen(s);
	if (nl != NULL)
		*nl = '\0';
	return s;
}

/*
 * The document text holds, when it is JSON; else dflt (consumed), the
 * document a target uses when its input has none.
 */
static inline jv
fuzz_document(const char *text, jv dflt)
{
	jv doc = asl_json_parse(text, strlen(text), NULL, NULL);

	if (jv_is_valid(doc)) {
		jv_free(dflt);
		return doc;
	}
	jv_free(doc);
	return dflt;
}

/*
 * A result printed as the programs print one, then freed: a value that
 * holds an invalid jv (which libjq refuses to print) shows here.  With
 * FUZZ_PRINT set in the environment, each result is written to stderr,
 * errors as their message (to see what a seed does).
 */
static inline void
fuzz_dump(jv v)
{
	int show = getenv("FUZZ_PRINT") != NULL;

	if (!jv_is_valid(v)) {
		v = jv_invalid_get_msg(v);
		if (!show) {
			jv_free(v);
			return;
		}
		fputs("error: ", stderr);
	}
	v = jv_dump_string(v, 0);
	if (show)
		fprintf(stderr, "%s\n", jv_string_value(v));
	jv_free(v);
}

#endif /* !ASL_FUZZ_H */
