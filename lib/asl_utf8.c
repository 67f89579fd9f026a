/*
 * asl_utf8.c - UTF-8 text: sequences, code points, UTF-16 lengths and
 * order.
 */
#include "asl_utf8.h"

uint32_t
asl_utf8_decode(const char *s, size_t n, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp = p[*i];
	int more = asl_utf8_seqlen((unsigned char)cp) - 1;

	(*i)++;
	if (more == 0)
		return cp;
	cp &= 0x3Fu >> more;
	for (; more > 0 && *i < n; more--, (*i)++)
		cp = cp << 6 | (p[*i] & 0x3F);
	return cp;
}

int
asl_utf8_valid_seq(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	int len, i;

	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		if (p[0] == 0xE0)
			lo = 0xA0;	/* overlong */
		else if (p[0] == 0xED)
			hi = 0x9F;	/* a surrogate */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		if (p[0] == 0xF0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xF4)
			hi = 0x8F;	/* above U+10FFFF */
	} else
		return 0;
	if (n < (size_t)len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (!asl_utf8_is_cont(p[i]))
			return 0;
	return len;
}

int
asl_utf8_encode(uint32_t cp, char *b)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | cp >> 18);
	b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
asl_utf8_count(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (!asl_utf8_is_cont((unsigned char)s[i]))
			c++;
	return c;
}

size_t
asl_utf8_utf16_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, c = 0;

	for (i = 0; i < n; i++) {
		if (!asl_utf8_is_cont(p[i]))
			c++;
		if (p[i] >= 0xF0)	/* outside the BMP: a surrogate pair */
			c++;
	}
	return c;
}

size_t
asl_utf8_offset(const char *s, size_t n, size_t k)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++) {
		if (!asl_utf8_is_cont((unsigned char)s[i])) {
			if (c == k)
				return i;
			c++;
		}
	}
	return n;
}

/* A key that orders code points as their first UTF-16 units do. */
static uint32_t
utf16_key(uint32_t cp)
{
	if (cp >= 0x10000)
		return 0xD800 + (cp - 0x10000);
	if (cp >= 0xE000)
		return cp + 0x200000;
	return cp;
}

int
asl_utf8_cmp_utf16(const char *a, size_t m, const char *b, size_t n)
{
	size_t i, j;
	uint32_t x, y;

	for (i = 0; i < m && i < n && a[i] == b[i]; i++)
		continue;
	if (i == m || i == n)
		return m < n ? -1 : m > n ? 1 : 0;
	/* back to the start of the character the first difference is in */
	while (i > 0 && asl_utf8_is_cont((unsigned char)a[i]))
		i--;
	j = i;
	x = utf16_key(asl_utf8_decode(a, m, &i));
	y = utf16_key(asl_utf8_decode(b, n, &j));
	return x < y ? -1 : x > y ? 1 : 0;
}

size_t
asl_utf8_head(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && asl_utf8_is_cont((unsigned char)s[n]))
		n--;
	return n;
}

size_t
asl_utf8_tail(const char *s, size_t n, size_t max)
{
	size_t i;

	if (n <= max)
		return 0;
	for (i = n - max; i < n && asl_utf8_is_cont((unsigned char)s[i]); i++)
		continue;
	return i;
}
