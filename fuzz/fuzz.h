/*
 * fuzz/fuzz.h - what the libFuzzer targets of fuzz/ share: the input as
 * a NUL-terminated string (the engine's text interfaces take C strings),
 * cut at its first NUL, and split in two at its first newline where a
 * target takes an expression and a document.
 */
#ifndef ASL_FUZZ_H
#define ASL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

#endif /* !ASL_FUZZ_H */
