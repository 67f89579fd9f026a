/*
 * asl_utf8.h - UTF-8 text, the one place that knows its encoding: the
 * length of a sequence, decoding and encoding a code point, counting code
 * points and UTF-16 code units (what Java and JavaScript call a string's
 * length), comparing as Java does, and cutting text without splitting a
 * character.
 *
 * The text is bytes and a length, borrowed; nothing here allocates.  A jv
 * string is always valid UTF-8; text from elsewhere may not be: a byte
 * that cannot start a sequence counts as one character, and a sequence
 * cut short by the end of the text decodes from the bytes there are.
 */
#ifndef ASL_UTF8_H
#define ASL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The bytes of the sequence that byte c starts: 1 to 4 (1 for a stray byte). */
static inline int
asl_utf8_seqlen(unsigned char c)
{
	return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Whether byte c continues a sequence (10xxxxxx). */
static inline int
asl_utf8_is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* The bytes that code point cp takes in UTF-8: 1 to 4. */
static inline int
asl_utf8_cplen(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/*
 * The code point at s[*i] (of n bytes), and *i moved past it.  *i must be
 * below n.
 */
uint32_t asl_utf8_decode(const char *s, size_t n, size_t *i);

/*
 * The length (2 to 4) of the well-formed multi-byte sequence at s (n
 * bytes left, s[0] at least 0x80), or 0 if it is not one: a stray or cut
 * byte, an overlong form, a surrogate, a code point above U+10FFFF.
 */
int	asl_utf8_valid_seq(const char *s, size_t n);

/* cp in UTF-8 into buf (room for 4 bytes); returns the bytes written. */
int	asl_utf8_encode(uint32_t cp, char *buf);

/* The code points in n bytes of s. */
size_t	asl_utf8_count(const char *s, size_t n);

/* The UTF-16 code units of n bytes of s: a character above U+FFFF is two. */
size_t	asl_utf8_utf16_len(const char *s, size_t n);

/* The byte offset of code point k of s (n if there are not that many). */
size_t	asl_utf8_offset(const char *s, size_t n, size_t k);

/*
 * Compare as Java's String.compareTo does, by UTF-16 code unit: UTF-8
 * byte order, except that a character above U+FFFF (a surrogate pair,
 * 0xD800-0xDFFF) sorts before U+E000-U+FFFF.  <0, 0 or >0.
 */
int	asl_utf8_cmp_utf16(const char *a, size_t m, const char *b, size_t n);

/*
 * At most max of the n bytes of s, cut where a character starts: the
 * length of the head (from s), or, with tail, the offset where the tail
 * starts (its length is n minus that).
 */
size_t	asl_utf8_head(const char *s, size_t n, size_t max);
size_t	asl_utf8_tail(const char *s, size_t n, size_t max);

#endif /* !ASL_UTF8_H */
