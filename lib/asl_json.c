/*
 * asl_json.c - a strict JSON reader that can say where every node came
 * from, and a writer of compact JSON text.
 *
 * jq's own parser neither reports positions per node nor detects duplicate
 * keys, and asl-parse needs both; execution input goes through the same
 * code with the bookkeeping switched off.  jq's writer (jv_dump_string)
 * grows its jv string a few bytes at a time; a Standard execution writes
 * every state's input and output into its history, and spent most of its
 * time there.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_json.h"
#include "asl_utf8.h"

#define MAX_DEPTH 1000

struct parser {
	const char	*p, *end;
	const char	*line_start;
	int		 line;
	int		 depth;
	/* position bookkeeping, only when where != NULL */
	int		 track;
	int		 dups;		/* problems wanted without positions */
	char		*ptr;		/* current JSON Pointer */
	size_t		 ptrlen, ptrcap;
	jv		 where, problems;
	jv		 err;		/* the first syntax error, or jv_null() */
};

static jv parse_value(struct parser *);

static int
column(struct parser *ps, const char *at)
{
	return (int)(at - ps->line_start) + 1;
}

static jv
fail_at(struct parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static jv
fail_at(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;
	jv msg;

	if (jv_get_kind(ps->err) == JV_KIND_NULL) {
		va_start(ap, fmt);
		msg = jv_string_vfmt(fmt, ap);
		va_end(ap);
		ps->err = JV_OBJECT(ASL_LIT("message"), msg,
		    ASL_LIT("line"), jv_number(ps->line),
		    ASL_LIT("column"), jv_number(column(ps, at)));
	}
	return jv_invalid();
}

static void
skip_ws(struct parser *ps)
{
	const char *p = ps->p;

	while (p < ps->end) {
		if (*p == '\n') {
			ps->line++;
			ps->line_start = p + 1;
		} else if (*p != ' ' && *p != '\t' && *p != '\r')
			break;
		p++;
	}
	ps->p = p;
}

static const char *
describe(struct parser *ps)
{
	static char buf[32];
	unsigned char c;

	if (ps->p >= ps->end)
		return "end of input";
	c = (unsigned char)*ps->p;
	if (c < 0x20 || c >= 0x7f)
		snprintf(buf, sizeof buf, "byte 0x%02x", c);
	else
		snprintf(buf, sizeof buf, "'%c'", c);
	return buf;
}

/* Position bookkeeping. */

static int
ptr_push(struct parser *ps, const char *key, size_t keylen)
{
	size_t need = ps->ptrlen + 2 + keylen * 2;
	size_t i, old = ps->ptrlen;
	char *n;

	if (need > ps->ptrcap) {
		ps->ptrcap = need * 2;
		if ((n = realloc(ps->ptr, ps->ptrcap)) == NULL)
			return -1;
		ps->ptr = n;
	}
	ps->ptr[ps->ptrlen++] = '/';
	for (i = 0; i < keylen; i++) {
		if (key[i] == '~') {
			ps->ptr[ps->ptrlen++] = '~';
			ps->ptr[ps->ptrlen++] = '0';
		} else if (key[i] == '/') {
			ps->ptr[ps->ptrlen++] = '~';
			ps->ptr[ps->ptrlen++] = '1';
		} else
			ps->ptr[ps->ptrlen++] = key[i];
	}
	ps->ptr[ps->ptrlen] = '\0';
	return (int)old;
}

static void
ptr_pop(struct parser *ps, int old)
{
	ps->ptrlen = (size_t)old;
	ps->ptr[ps->ptrlen] = '\0';
}

static void
note_where(struct parser *ps, const char *at)
{
	ps->where = jv_object_set(ps->where,
	    jv_string_sized(ps->ptr, (int)ps->ptrlen),
	    JV_ARRAY(jv_number(ps->line), jv_number(column(ps, at))));
}

/* Scalars. */

static int
hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * Past the bytes from p that a string holds as they are: not '"', '\\',
 * a control character, nor a byte of ill-formed UTF-8.
 */
static const char *
string_run(const char *p, const char *end)
{
	int k;

	while (p < end) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x80) {
			if (c < 0x20 || c == '"' || c == '\\')
				break;
			p++;
		} else if ((k = asl_utf8_valid_seq(p, (size_t)(end - p))) > 0)
			p += k;
		else
			break;
	}
	return p;
}

static jv
parse_string(struct parser *ps)
{
	const char *start = ps->p, *p = ps->p + 1, *run;
	jv s;
	unsigned cp, lo;

	/* Fast path: no escapes. */
	run = p;
	p = string_run(p, ps->end);
	if (p < ps->end && *p == '"') {
		ps->p = p + 1;
		return jv_string_sized(run, (int)(p - run));
	}
	s = jv_string_sized(run, (int)(p - run));
	while (p < ps->end) {
		unsigned char c = (unsigned char)*p;
		if (c == '"') {
			ps->p = p + 1;
			return s;
		}
		if (c < 0x20) {
			jv_free(s);
			return fail_at(ps, p, "control character 0x%02x in a string "
			    "(write it as an escape)", c);
		}
		if (c >= 0x80 && (run = string_run(p, ps->end)) == p) {
			/* RFC 8259: JSON text is UTF-8; jq would put U+FFFD */
			jv_free(s);
			return fail_at(ps, p, "invalid UTF-8 in a string (byte "
			    "0x%02x)", c);
		}
		if (c != '\\') {
			run = p;
			p = string_run(p, ps->end);
			s = jv_string_append_buf(s, run, (int)(p - run));
			continue;
		}
		if (p + 1 >= ps->end)
			break;
		switch (p[1]) {
		case '"': s = jv_string_append_buf(s, "\"", 1); break;
		case '\\': s = jv_string_append_buf(s, "\\", 1); break;
		case '/': s = jv_string_append_buf(s, "/", 1); break;
		case 'b': s = jv_string_append_buf(s, "\b", 1); break;
		case 'f': s = jv_string_append_buf(s, "\f", 1); break;
		case 'n': s = jv_string_append_buf(s, "\n", 1); break;
		case 'r': s = jv_string_append_buf(s, "\r", 1); break;
		case 't': s = jv_string_append_buf(s, "\t", 1); break;
		case 'u':
			if (ps->end - p < 6 || hex4(p + 2, &cp) == -1) {
				jv_free(s);
				return fail_at(ps, p, "invalid \\u escape");
			}
			if (cp >= 0xd800 && cp < 0xdc00 && ps->end - p >= 12 &&
			    p[6] == '\\' && p[7] == 'u' && hex4(p + 8, &lo) == 0 &&
			    lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xd800 && cp < 0xe000)
				cp = 0xfffd;	/* a lone surrogate */
			s = jv_string_append_codepoint(s, cp);
			p += 6;
			continue;
		default:
			jv_free(s);
			return fail_at(ps, p, "invalid escape '\\%c' in a string",
			    p[1]);
		}
		p += 2;
	}
	jv_free(s);
	return fail_at(ps, start, "unterminated string");
}

static jv
parse_number(struct parser *ps)
{
	const char *p = ps->p, *start = ps->p, *digits;
	char buf[64], *copy = buf, *endp;
	ptrdiff_t intlen;
	double d;
	size_t n;

	if (p < ps->end && *p == '-')
		p++;
	digits = p;
	if (p < ps->end && *p == '0')
		p++;
	else if (p < ps->end && *p >= '1' && *p <= '9')
		while (p < ps->end && *p >= '0' && *p <= '9')
			p++;
	else
		return fail_at(ps, start, "invalid number");
	intlen = p - digits;
	if (p < ps->end && *p == '.') {
		p++;
		if (p >= ps->end || *p < '0' || *p > '9')
			return fail_at(ps, start, "invalid number: digits "
			    "expected after '.'");
		while (p < ps->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < ps->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < ps->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= ps->end || *p < '0' || *p > '9')
			return fail_at(ps, start, "invalid number: digits "
			    "expected in the exponent");
		while (p < ps->end && *p >= '0' && *p <= '9')
			p++;
	}
	n = (size_t)(p - start);
	if (p - digits <= 15 && p - digits == intlen) {
		/* an integer of 15 digits at most is exact: no strtod */
		uint64_t u = 0;
		const char *q;

		for (q = digits; q < p; q++)
			u = u * 10 + (uint64_t)(*q - '0');
		ps->p = p;
		/* -0 stays -0, as strtod makes it */
		return jv_number(*start == '-' ? -(double)u : (double)u);
	}
	if (n >= sizeof buf && (copy = malloc(n + 1)) == NULL)
		return fail_at(ps, start, "out of memory");
	memcpy(copy, start, n);
	copy[n] = '\0';
	d = strtod(copy, &endp);
	if (copy != buf)
		free(copy);
	ps->p = p;
	return jv_number(d);
}

static jv
parse_literal(struct parser *ps)
{
	static const struct {
		const char *word;
		size_t len;
	} words[] = { { "true", 4 }, { "false", 5 }, { "null", 4 } };
	size_t i;

	for (i = 0; i < 3; i++) {
		if ((size_t)(ps->end - ps->p) >= words[i].len &&
		    memcmp(ps->p, words[i].word, words[i].len) == 0) {
			const char *after = ps->p + words[i].len;
			if (after < ps->end && ((*after >= 'a' && *after <= 'z') ||
			    (*after >= 'A' && *after <= 'Z') ||
			    (*after >= '0' && *after <= '9')))
				break;
			ps->p = after;
			return i == 0 ? jv_true() : i == 1 ? jv_false() : jv_null();
		}
	}
	return fail_at(ps, ps->p, "unexpected %s where a value was expected",
	    describe(ps));
}

/* Containers. */

static jv
parse_object(struct parser *ps)
{
	jv obj = jv_object(), key, val;
	const char *keyat;
	int old, nkeys = 0;

	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return obj;
	}
	for (;;) {
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"') {
			jv_free(obj);
			return fail_at(ps, ps->p, "expected a string key, found %s",
			    describe(ps));
		}
		keyat = ps->p;
		key = parse_string(ps);
		if (!jv_is_valid(key)) {
			jv_free(obj);
			return key;
		}
		old = -1;
		if (ps->track) {
			old = ptr_push(ps, jv_string_value(key),
			    (size_t)jv_string_length_bytes(jv_copy(key)));
			if (old < 0) {
				jv_free(key);
				jv_free(obj);
				return fail_at(ps, keyat, "out of memory");
			}
			if (jv_object_has(jv_copy(obj), jv_copy(key)))
				ps->problems = jv_array_append(ps->problems,
				    JV_OBJECT(ASL_LIT("pointer"),
				    jv_string_sized(ps->ptr, (int)ps->ptrlen),
				    ASL_LIT("line"), jv_number(ps->line),
				    ASL_LIT("column"), jv_number(column(ps, keyat)),
				    ASL_LIT("message"),
				    jv_string_fmt("duplicate key '%s'",
				    jv_string_value(key))));
			note_where(ps, keyat);
		}
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':') {
			jv_free(key);
			jv_free(obj);
			return fail_at(ps, ps->p, "expected ':' after an object key, "
			    "found %s", describe(ps));
		}
		ps->p++;
		val = parse_value(ps);
		if (old >= 0)
			ptr_pop(ps, old);
		if (!jv_is_valid(val)) {
			jv_free(key);
			jv_free(obj);
			return val;
		}
		obj = jv_object_set(obj, key, val);
		nkeys++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			if (ps->p < ps->end && *ps->p == '}') {
				jv_free(obj);
				return fail_at(ps, ps->p, "trailing comma in an object");
			}
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			/*
			 * Without positions, a duplicate key is told by the
			 * count (cheaper than a lookup per key); which key,
			 * the parse with positions says.
			 */
			if (ps->dups && jv_object_length(jv_copy(obj)) != nkeys)
				ps->problems = jv_array_append(ps->problems,
				    JV_OBJECT(ASL_LIT("message"),
				    ASL_LIT("duplicate key")));
			return obj;
		}
		jv_free(obj);
		return fail_at(ps, ps->p, "expected ',' or '}' in an object, "
		    "found %s", describe(ps));
	}
}

static jv
parse_array(struct parser *ps)
{
	jv arr = jv_array(), val;
	char idx[24];
	int i = 0, old = -1;

	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return arr;
	}
	for (;; i++) {
		if (ps->track) {
			snprintf(idx, sizeof idx, "%d", i);
			if ((old = ptr_push(ps, idx, strlen(idx))) < 0) {
				jv_free(arr);
				return fail_at(ps, ps->p, "out of memory");
			}
		}
		val = parse_value(ps);
		if (old >= 0)
			ptr_pop(ps, old);
		if (!jv_is_valid(val)) {
			jv_free(arr);
			return val;
		}
		arr = jv_array_append(arr, val);
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_ws(ps);
			if (ps->p < ps->end && *ps->p == ']') {
				jv_free(arr);
				return fail_at(ps, ps->p, "trailing comma in an array");
			}
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return arr;
		}
		jv_free(arr);
		return fail_at(ps, ps->p, "expected ',' or ']' in an array, "
		    "found %s", describe(ps));
	}
}

static jv
parse_value(struct parser *ps)
{
	jv v;

	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail_at(ps, ps->p, "unexpected end of input where a value "
		    "was expected");
	/* Members note where their key is; arrays and the root, the value. */
	if (ps->track && (ps->ptrlen == 0 ||
	    !jv_object_has(jv_copy(ps->where),
	    jv_string_sized(ps->ptr, (int)ps->ptrlen))))
		note_where(ps, ps->p);
	switch (*ps->p) {
	case '{':
	case '[':
		if (++ps->depth > MAX_DEPTH)
			return fail_at(ps, ps->p, "nested more than %d deep",
			    MAX_DEPTH);
		v = *ps->p == '{' ? parse_object(ps) : parse_array(ps);
		ps->depth--;
		return v;
	case '"':
		return parse_string(ps);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return parse_number(ps);
	default:
		return parse_literal(ps);
	}
}

jv
asl_json_parse(const char *text, size_t len, jv *where, jv *problems)
{
	struct parser ps;
	jv v;

	memset(&ps, 0, sizeof ps);
	ps.p = text;
	ps.end = text + len;
	ps.line_start = text;
	ps.line = 1;
	ps.err = jv_null();
	ps.track = where != NULL;
	ps.dups = where == NULL && problems != NULL;
	ps.where = ps.track ? jv_object() : jv_null();
	ps.problems = jv_array();
	if (ps.track && (ps.ptr = malloc(ps.ptrcap = 256)) != NULL)
		ps.ptr[0] = '\0';
	else if (ps.track) {
		jv_free(ps.where);
		jv_free(ps.problems);
		return jv_invalid_with_msg(JV_OBJECT(ASL_LIT("message"),
		    ASL_LIT("out of memory"), ASL_LIT("line"), jv_number(1),
		    ASL_LIT("column"), jv_number(1)));
	}
	/* A UTF-8 byte order mark is not JSON, but editors write it. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		ps.p += 3, ps.line_start += 3;
	skip_ws(&ps);
	if (ps.p >= ps.end)
		v = fail_at(&ps, ps.p, "empty document");
	else {
		v = parse_value(&ps);
		if (jv_is_valid(v)) {
			skip_ws(&ps);
			if (ps.p < ps.end) {
				jv_free(v);
				v = fail_at(&ps, ps.p, "unexpected %s after the "
				    "JSON value", describe(&ps));
			}
		}
	}
	free(ps.ptr);
	if (!jv_is_valid(v)) {
		jv_free(v);
		jv_free(ps.where);
		jv_free(ps.problems);
		if (where != NULL)
			*where = jv_null();
		if (problems != NULL)
			*problems = jv_null();
		return jv_invalid_with_msg(ps.err);
	}
	jv_free(ps.err);
	if (where != NULL)
		*where = ps.where;
	else
		jv_free(ps.where);
	if (problems != NULL)
		*problems = ps.problems;
	else
		jv_free(ps.problems);
	return v;
}


jv
asl_json_pointer_append(jv pointer, const char *key)
{
	char buf[256];
	size_t n = 0;
	const char *k;

	/* "/" and the key, "~" as "~0" and "/" as "~1", in few appends */
	buf[n++] = '/';
	for (k = key; *k != '\0'; k++) {
		if (n + 2 > sizeof buf) {
			pointer = jv_string_append_buf(pointer, buf, (int)n);
			n = 0;
		}
		if (*k == '~' || *k == '/') {
			buf[n++] = '~';
			buf[n++] = *k == '~' ? '0' : '1';
		} else
			buf[n++] = *k;
	}
	return jv_string_append_buf(pointer, buf, (int)n);
}

/* Writing. */

#define NUMBER_MAX 32

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/* Whether a byte of x is zero (the classic bit trick, 8 at once). */
static int
has_zero(uint64_t x)
{
	return ((x - ONES) & ~x & HIGHS) != 0;
}

/*
 * How many of the len bytes at s need no escape in a JSON string as jq
 * writes it (none of '"', '\\', the controls, DEL), eight at a time:
 * payloads are mostly such runs, and every one is scanned to write it and
 * to judge its size.
 */
static size_t
plain_run(const char *s, size_t len)
{
	uint64_t x;
	size_t i = 0;
	unsigned char c;

	for (; i + 8 <= len; i += 8) {
		memcpy(&x, s + i, 8);
		/* bytes below 0x20, or equal to '"', '\\' or DEL */
		if (((x - ONES * 0x20) & ~x & HIGHS) != 0 ||
		    has_zero(x ^ (ONES * '"')) || has_zero(x ^ (ONES * '\\')) ||
		    has_zero(x ^ (ONES * 0x7f)))
			break;
	}
	for (; i < len; i++) {
		c = (unsigned char)s[i];
		if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f)
			break;
	}
	return i;
}

/* The len bytes at s as they stand in a JSON string, escaped. */
static void
write_escaped(struct asl_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *end = s + len, *run;
	unsigned char c;
	char esc[6];

	while (s < end) {
		/* the bytes that stand for themselves, in one copy */
		run = s;
		s += plain_run(s, (size_t)(end - s));
		asl_buf_put(b, run, (size_t)(s - run));
		if (s == end)
			break;
		c = (unsigned char)*s++;
		esc[0] = '\\';
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\t':
			esc[1] = 't';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		default:
			/* jq writes the other controls and DEL as \u00xx */
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			asl_buf_put(b, esc, 6);
			continue;
		}
		asl_buf_put(b, esc, 2);
	}
}

void
asl_json_write_string(struct asl_buf *b, const char *s, size_t len)
{
	if (asl_buf_reserve(b, len + 2) == -1)
		return;
	b->p[b->len++] = '"';
	write_escaped(b, s, len);
	ASL_BUF_LIT(b, "\"");
}

/* The text of a number, as jq writes it, into out; its length. */
static size_t
format_number(double d, char out[NUMBER_MAX])
{
	char digits[24], *p = digits + sizeof digits;
	unsigned long long u;
	size_t n;
	jv text;

	/*
	 * An integer below 2^53 is exact, and jq writes it plainly, as
	 * below; for anything else (fractions, -0, large magnitudes written
	 * with exponents) jq's own formatting is the reference.
	 */
	if (d > -1e15 && d < 1e15 && d == (double)(long long)d &&
	    (d != 0 || !signbit(d))) {
		u = d < 0 ? (unsigned long long)-(long long)d :
		    (unsigned long long)d;
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) > 0);
		if (d < 0)
			*--p = '-';
		n = (size_t)(digits + sizeof digits - p);
		memcpy(out, p, n);
		return n;
	}
	text = jv_dump_string(jv_number(d), 0);
	n = (size_t)jv_string_length_bytes(jv_copy(text));
	if (n > NUMBER_MAX)
		n = NUMBER_MAX;	/* jq writes at most 17 digits and an exponent */
	memcpy(out, jv_string_value(text), n);
	jv_free(text);
	return n;
}

static void
write_number(struct asl_buf *b, double d)
{
	char text[NUMBER_MAX];

	asl_buf_put(b, text, format_number(d, text));
}

static size_t
string_length(const char *s, size_t len)
{
	size_t n = len + 2, i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		i += plain_run(s + i, len - i);
		if (i == len)
			break;
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c == '\b' || c == '\t' ||
		    c == '\r' || c == '\n' || c == '\f')
			n += 1;
		else if (c < 0x20 || c == 0x7f)
			n += 5;
	}
	return n;
}

size_t
asl_json_length(jv v, size_t max)
{
	char text[NUMBER_MAX];
	size_t n = 0;
	int i, len;

	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
	case JV_KIND_TRUE:
		return 4;
	case JV_KIND_FALSE:
		return 5;
	case JV_KIND_NUMBER:
		return format_number(jv_number_value(v), text);
	case JV_KIND_STRING:
		return string_length(jv_string_value(v),
		    (size_t)jv_string_length_bytes(jv_copy(v)));
	case JV_KIND_ARRAY:
		len = jv_array_length(jv_copy(v));
		n = len > 0 ? (size_t)len + 1 : 2;	/* [ , , ] */
		for (i = 0; i < len && n <= max; i++) {
			jv e = jv_array_get(jv_copy(v), i);
			n += asl_json_length(e, max - n);
			jv_free(e);
		}
		return n;
	case JV_KIND_OBJECT:
		n = 1;
		for (i = jv_object_iter(v); jv_object_iter_valid(v, i) &&
		    n <= max; i = jv_object_iter_next(v, i)) {
			jv k = jv_object_iter_key(v, i);
			jv e = jv_object_iter_value(v, i);
			n += 2 + asl_json_length(k, max - n);	/* : and , or } */
			if (n <= max)
				n += asl_json_length(e, max - n);
			jv_free(k);
			jv_free(e);
		}
		return n == 1 ? 2 : n;
	default:
		return 4;
	}
}

/* A string value (borrowed) in JSON, quoted as write_value says. */
static void
write_string_value(struct asl_buf *b, jv v, int quoted)
{
	const char *s = jv_string_value(v);
	size_t len = (size_t)jv_string_length_bytes(jv_copy(v));
	struct asl_buf t = { NULL, 0, 0, 0 };

	if (!quoted) {
		asl_json_write_string(b, s, len);
		return;
	}
	if (plain_run(s, len) == len) {
		/* the common case: nothing to escape, so only the quotes */
		ASL_BUF_LIT(b, "\\\"");
		asl_buf_put(b, s, len);
		ASL_BUF_LIT(b, "\\\"");
		return;
	}
	/* its JSON text, then that escaped again */
	asl_json_write_string(&t, s, len);
	if (t.nomem)
		b->nomem = 1;
	else
		write_escaped(b, t.p, t.len);
	asl_buf_free(&t);
}

/*
 * The JSON text of v; when quoted, as it stands inside a JSON string (its
 * quotes and backslashes escaped), which is asl_json_write_as_string's.
 */
static void
write_value(struct asl_buf *b, jv v, int quoted)
{
	int i, n, first;

	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
		ASL_BUF_LIT(b, "null");
		break;
	case JV_KIND_FALSE:
		ASL_BUF_LIT(b, "false");
		break;
	case JV_KIND_TRUE:
		ASL_BUF_LIT(b, "true");
		break;
	case JV_KIND_NUMBER:
		write_number(b, jv_number_value(v));
		break;
	case JV_KIND_STRING:
		write_string_value(b, v, quoted);
		break;
	case JV_KIND_ARRAY:
		ASL_BUF_LIT(b, "[");
		n = jv_array_length(jv_copy(v));
		for (i = 0; i < n; i++) {
			jv e = jv_array_get(jv_copy(v), i);
			if (i > 0)
				ASL_BUF_LIT(b, ",");
			write_value(b, e, quoted);
			jv_free(e);
		}
		ASL_BUF_LIT(b, "]");
		break;
	case JV_KIND_OBJECT:
		ASL_BUF_LIT(b, "{");
		first = 1;
		for (i = jv_object_iter(v); jv_object_iter_valid(v, i);
		    i = jv_object_iter_next(v, i)) {
			jv k = jv_object_iter_key(v, i);
			jv e = jv_object_iter_value(v, i);
			if (!first)
				ASL_BUF_LIT(b, ",");
			first = 0;
			write_string_value(b, k, quoted);
			ASL_BUF_LIT(b, ":");
			write_value(b, e, quoted);
			jv_free(k);
			jv_free(e);
		}
		ASL_BUF_LIT(b, "}");
		break;
	default:
		/* an invalid value has no text; jq would abort */
		ASL_BUF_LIT(b, "null");
		break;
	}
}

void
asl_json_write(struct asl_buf *b, jv v)
{
	write_value(b, v, 0);
}

void
asl_json_write_as_string(struct asl_buf *b, jv v)
{
	ASL_BUF_LIT(b, "\"");
	write_value(b, v, 1);
	ASL_BUF_LIT(b, "\"");
}

jv
asl_json_text(jv v)
{
	struct asl_buf b = { NULL, 0, 0, 0 };
	jv text;

	asl_json_write(&b, v);
	jv_free(v);
	text = b.nomem ? jv_invalid_with_msg(ASL_LIT("out of memory")) :
	    jv_string_sized(b.p != NULL ? b.p : "", (int)b.len);
	asl_buf_free(&b);
	return text;
}
