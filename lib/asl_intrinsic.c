/*
 * asl_intrinsic.c - the intrinsic functions of JSONPath states.
 *
 * A call is parsed once, by recursive descent, into a tree whose leaves
 * are literal values and compiled paths and whose inner nodes are calls;
 * evaluating it evaluates the arguments left to right and hands them to
 * the function.  Where AWS's behaviour is surprising, the comment says what
 * AWS does and where that was seen: "conformance" is a case recorded on
 * AWS under ../shared/conformance/cases/intrinsics, "docs" the developer
 * guide's intrinsic-functions page.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl.h"
#include "asl_hash.h"
#include "asl_intrinsic.h"
#include "asl_json.h"
#include "asl_path.h"
#include "asl_utf8.h"

#define MAX_DEPTH	10	/* nested calls in one field (docs) */
#define MAX_CHARS	10000	/* Base64 and Hash input, in Java chars (docs) */
#define MAX_RANGE	1000	/* elements of States.ArrayRange (docs) */
#define INT32_LO	-2147483648.0
#define INT32_HI	2147483647.0

struct node;

/*
 * A function: its name, how many arguments it takes (max -1: any number),
 * and its body.  The body borrows the evaluated arguments in argv (the
 * caller frees them) and returns an owned value or an error.
 */
struct func {
	const char	*name;
	int		 min, max;
	jv		(*body)(const struct node *, jv *argv);
};

enum node_kind { N_VALUE, N_PATH, N_CALL };

struct node {
	enum node_kind	 kind;
	size_t		 offset;	/* where it starts in the text */
	jv		 value;		/* N_VALUE */
	size_t		*holes;		/* N_VALUE string: its "{}" placeholders */
	int		 nholes;
	struct asl_path	*path;		/* N_PATH */
	const struct func *func;	/* N_CALL */
	struct node	**args;
	int		 nargs;
};

struct asl_intrinsic {
	struct node	*root;
};

/* Errors. */

/* States.IntrinsicFailure naming the function of call. */
static jv
fail(const struct node *call, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static jv
fail(const struct node *call, const char *fmt, ...)
{
	va_list ap;
	jv msg, err;

	va_start(ap, fmt);
	msg = jv_string_vfmt(fmt, ap);
	va_end(ap);
	err = asl_error("States.IntrinsicFailure", "%s: %s", call->func->name,
	    jv_string_value(msg));
	jv_free(msg);
	return err;
}

/* "a string", "an array" ... for messages.  Borrows v. */
static const char *
kind_phrase(jv v)
{
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
		return "null";
	case JV_KIND_TRUE:
	case JV_KIND_FALSE:
		return "a boolean";
	case JV_KIND_NUMBER:
		return "a number";
	case JV_KIND_STRING:
		return "a string";
	case JV_KIND_ARRAY:
		return "an array";
	case JV_KIND_OBJECT:
		return "an object";
	default:
		return "an invalid value";
	}
}

/* Helpers for the functions. */

/* Blanks, as JSON has them, around arguments and in StringToJson. */
static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Java's Math.round: half up, toward positive infinity (-2.5 -> -2). */
static double
java_round(double d)
{
	double r = floor(d);

	return d - r >= 0.5 ? r + 1 : r;
}

/*
 * An integer argument (v borrowed) for messages called what: a number,
 * rounded as Java's Math.round does if round is set (AWS rounds the
 * arguments of ArrayPartition, ArrayRange, MathRandom and MathAdd (docs):
 * 1.5 -> 2, 2.5 -> 3, -0.5 -> 0, -1.5 -> -1 (conformance, MathAdd)), else
 * integral; within [lo, hi].  Returns 0, or -1 with *err set.
 */
static int
int_arg(const struct node *call, jv v, const char *what, int round, double lo,
    double hi, int64_t *out, jv *err)
{
	double d;

	if (jv_get_kind(v) != JV_KIND_NUMBER) {
		*err = fail(call, "%s must be a number, not %s", what,
		    kind_phrase(v));
		return -1;
	}
	d = jv_number_value(v);
	if (round)
		d = java_round(d);
	else if (d != floor(d)) {
		jv text = jv_dump_string(jv_copy(v), 0);
		*err = fail(call, "%s must be an integer, not %s", what,
		    jv_string_value(text));
		jv_free(text);
		return -1;
	}
	if (d < lo || d > hi) {
		*err = fail(call, "%s %.0f is out of range (%.0f to %.0f)",
		    what, d, lo, hi);
		return -1;
	}
	*out = (int64_t)d;
	return 0;
}

/* Length in Java chars (UTF-16 code units) of a jv string.  Borrows s. */
static size_t
java_length(jv s)
{
	return asl_utf8_utf16_len(jv_string_value(s),
	    (size_t)jv_string_length_bytes(jv_copy(s)));
}

/* The code point at *p (valid UTF-8, as jv strings are); advances *p. */
static uint32_t
next_codepoint(const unsigned char **p)
{
	size_t i = 0;
	uint32_t c = asl_utf8_decode((const char *)*p, 4, &i);

	*p += i;
	return c;
}

/*
 * Whether an array is over the payload limit, which AWS applies to the
 * arrays of ArrayPartition and ArrayContains (docs).  Borrows v.
 */
static int
too_big(jv v)
{
	jv s;
	int big;

	s = jv_dump_string(jv_copy(v), 0);
	big = jv_string_length_bytes(jv_copy(s)) > ASL_PAYLOAD_LIMIT;
	jv_free(s);
	return big;
}

static jv
random_failed(const struct node *call)
{
	return asl_error("States.Runtime", "%s: cannot read random bytes: %s",
	    call->func->name, strerror(errno));
}

/* The functions, in the order of the developer guide. */

/* States.Array(v...): the values, in order; States.Array() is []. */
static jv
fn_array(const struct node *call, jv *argv)
{
	jv out = jv_array_sized(call->nargs);
	int i;

	for (i = 0; i < call->nargs; i++)
		out = jv_array_append(out, jv_copy(argv[i]));
	return out;
}

static int
want_array(const struct node *call, jv v, jv *err)
{
	if (jv_get_kind(v) == JV_KIND_ARRAY)
		return 0;
	*err = fail(call, "the first argument must be an array, not %s",
	    kind_phrase(v));
	return -1;
}

/*
 * States.ArrayPartition(array, size): chunks of size elements, the last
 * one shorter; [] for [] (conformance).
 */
static jv
fn_array_partition(const struct node *call, jv *argv)
{
	jv err, out;
	int64_t size;
	int i, len;

	if (want_array(call, argv[0], &err) == -1 ||
	    int_arg(call, argv[1], "the chunk size", 1, INT32_LO, INT32_HI,
	    &size, &err) == -1)
		return err;
	if (size <= 0)
		return fail(call, "the chunk size must be a positive integer, "
		    "not %lld", (long long)size);
	if (too_big(argv[0]))
		return fail(call, "the array is larger than the payload limit "
		    "of %d bytes", ASL_PAYLOAD_LIMIT);
	len = jv_array_length(jv_copy(argv[0]));
	out = jv_array();
	for (i = 0; i < len; i += (int)size)
		out = jv_array_append(out, jv_array_slice(jv_copy(argv[0]), i,
		    len - i > size ? i + (int)size : len));
	return out;
}

/*
 * States.ArrayContains(array, value): deep equality; [[1,2,3],2] contains
 * [1,2,3], and [] contains nothing, null included (conformance).
 */
static jv
fn_array_contains(const struct node *call, jv *argv)
{
	jv err;
	int found = 0;

	if (want_array(call, argv[0], &err) == -1)
		return err;
	if (too_big(argv[0]))
		return fail(call, "the array is larger than the payload limit "
		    "of %d bytes", ASL_PAYLOAD_LIMIT);
	jv_array_foreach(argv[0], i, x) {
		if (!found && jv_equal(jv_copy(x), jv_copy(argv[1])))
			found = 1;
		jv_free(x);
	}
	return jv_bool(found);
}

/*
 * States.ArrayRange(first, last, step): first, first + step, ... up to and
 * including last if it is reached: (0, 10, 3) is [0,3,6,9] and (1, 9, 9)
 * is [1] (conformance).  At most 1000 elements; step 0 fails (docs).
 */
static jv
fn_array_range(const struct node *call, jv *argv)
{
	int64_t first, last, step, n, i;
	jv err, out;

	if (int_arg(call, argv[0], "the first value", 1, INT32_LO, INT32_HI,
	    &first, &err) == -1 ||
	    int_arg(call, argv[1], "the last value", 1, INT32_LO, INT32_HI,
	    &last, &err) == -1 ||
	    int_arg(call, argv[2], "the step", 1, INT32_LO, INT32_HI,
	    &step, &err) == -1)
		return err;
	if (step == 0)
		return fail(call, "the step must not be 0");
	if (step > 0)
		n = last < first ? 0 : (last - first) / step + 1;
	else
		n = last > first ? 0 : (first - last) / -step + 1;
	if (n > MAX_RANGE)
		return fail(call, "the range would have %lld elements, more "
		    "than the limit of %d", (long long)n, MAX_RANGE);
	out = jv_array_sized((int)n);
	for (i = 0; i < n; i++)
		out = jv_array_append(out, jv_number((double)(first + i * step)));
	return out;
}

/* States.ArrayGetItem(array, index): 0-based; out of range fails. */
static jv
fn_array_get_item(const struct node *call, jv *argv)
{
	int64_t index;
	jv err;
	int len;

	if (want_array(call, argv[0], &err) == -1 ||
	    int_arg(call, argv[1], "the index", 0, INT32_LO, INT32_HI, &index,
	    &err) == -1)
		return err;
	len = jv_array_length(jv_copy(argv[0]));
	if (index < 0 || index >= len)
		return fail(call, "the index %lld is out of range for an array "
		    "of %d element%s", (long long)index, len, len == 1 ? "" :
		    "s");
	return jv_array_get(jv_copy(argv[0]), (int)index);
}

/* States.ArrayLength(array) */
static jv
fn_array_length(const struct node *call, jv *argv)
{
	jv err;

	if (want_array(call, argv[0], &err) == -1)
		return err;
	return jv_number(jv_array_length(jv_copy(argv[0])));
}

/*
 * States.ArrayUnique(array): the first of each group of deeply equal
 * elements, in their original order ([1,2,2,3,3,4] -> [1,2,3,4]).
 */
static jv
fn_array_unique(const struct node *call, jv *argv)
{
	jv err, order, prev, out;
	unsigned char *keep;
	int i, len, idx;

	if (want_array(call, argv[0], &err) == -1)
		return err;
	len = jv_array_length(jv_copy(argv[0]));
	if ((keep = calloc((size_t)len + 1, 1)) == NULL)
		return asl_error("States.Runtime", "out of memory");
	/*
	 * The indexes sorted by their elements: jv_sort is stable, so the
	 * first index of a run of equal elements is the first occurrence.
	 */
	order = jv_array_sized(len);
	for (i = 0; i < len; i++)
		order = jv_array_append(order, jv_number(i));
	order = jv_sort(order, jv_copy(argv[0]));
	prev = jv_invalid();
	for (i = 0; i < len; i++) {
		jv x;
		idx = (int)jv_number_value(jv_array_get(jv_copy(order), i));
		x = jv_array_get(jv_copy(argv[0]), idx);
		if (!jv_is_valid(prev) || !jv_equal(jv_copy(prev), jv_copy(x)))
			keep[idx] = 1;
		jv_free(prev);
		prev = x;
	}
	jv_free(prev);
	jv_free(order);
	out = jv_array();
	for (i = 0; i < len; i++)
		if (keep[i])
			out = jv_array_append(out, jv_array_get(jv_copy(argv[0]),
			    i));
	free(keep);
	return out;
}

static int
want_string(const struct node *call, jv v, const char *what, jv *err)
{
	if (jv_get_kind(v) == JV_KIND_STRING)
		return 0;
	*err = fail(call, "%s must be a string, not %s", what, kind_phrase(v));
	return -1;
}

/* A string argument of at most MAX_CHARS Java chars (docs). */
static int
want_short_string(const struct node *call, jv v, const char *what, jv *err)
{
	size_t n;

	if (want_string(call, v, what, err) == -1)
		return -1;
	if ((n = java_length(v)) > MAX_CHARS) {
		*err = fail(call, "%s has %zu characters, more than the limit "
		    "of %d", what, n, MAX_CHARS);
		return -1;
	}
	return 0;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*
 * States.Base64Encode(string): RFC 4648 with padding, over the UTF-8
 * bytes; "Data to encode" -> "RGF0YSB0byBlbmNvZGU=" (conformance).
 */
static jv
fn_base64_encode(const struct node *call, jv *argv)
{
	const unsigned char *s;
	char *out;
	size_t i, n, o = 0;
	uint32_t v;
	jv err, res;

	if (want_short_string(call, argv[0], "the string", &err) == -1)
		return err;
	s = (const unsigned char *)jv_string_value(argv[0]);
	n = (size_t)jv_string_length_bytes(jv_copy(argv[0]));
	if ((out = malloc((n + 2) / 3 * 4 + 1)) == NULL)
		return asl_error("States.Runtime", "out of memory");
	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	if (i < n) {
		v = (uint32_t)s[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	res = jv_string_sized(out, (int)o);
	free(out);
	return res;
}

static int
b64_value(unsigned char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64, c)) == NULL)
		return -1;
	return (int)(p - b64);
}

/*
 * States.Base64Decode(string): the inverse of Base64Encode, the bytes
 * read as UTF-8 (a bad sequence becomes U+FFFD, as Java's decoder does).
 * Like Java's basic decoder, padding is optional, and anything outside
 * the alphabet fails.
 */
static jv
fn_base64_decode(const struct node *call, jv *argv)
{
	const unsigned char *s;
	unsigned char *out;
	size_t i, n, o = 0, nq = 0, pad;
	uint32_t q = 0;
	jv err, res;
	int c;

	if (want_short_string(call, argv[0], "the string", &err) == -1)
		return err;
	s = (const unsigned char *)jv_string_value(argv[0]);
	n = (size_t)jv_string_length_bytes(jv_copy(argv[0]));
	/* Up to two '=' may pad the string to a multiple of 4 characters. */
	for (pad = 0; n > 0 && s[n - 1] == '='; pad++)
		n--;
	if (pad > 2 || (pad > 0 && (n + pad) % 4 != 0))
		return fail(call, "the string is not valid base64: bad padding");
	if ((out = malloc(n / 4 * 3 + 3)) == NULL)
		return asl_error("States.Runtime", "out of memory");
	for (i = 0; i < n; i++) {
		if ((c = b64_value(s[i])) == -1) {
			free(out);
			return fail(call, "the string is not valid base64: "
			    "unexpected character at position %zu", i);
		}
		q = q << 6 | (uint32_t)c;
		if (++nq == 4) {
			out[o++] = (unsigned char)(q >> 16);
			out[o++] = (unsigned char)(q >> 8);
			out[o++] = (unsigned char)q;
			q = 0;
			nq = 0;
		}
	}
	if (nq == 1) {
		free(out);
		return fail(call, "the string is not valid base64: its length "
		    "is wrong");
	}
	if (nq == 2)
		out[o++] = (unsigned char)(q >> 4);
	else if (nq == 3) {
		out[o++] = (unsigned char)(q >> 10);
		out[o++] = (unsigned char)(q >> 2);
	}
	res = jv_string_sized((const char *)out, (int)o);
	free(out);
	return res;
}

/*
 * States.Hash(data, algorithm): lowercase hex; "input data" with SHA-1 is
 * aaff4a450a104cd177d28d18d74485e8cae074b7 (the docs' sample drops a
 * digit).
 */
static jv
fn_hash(const struct node *call, jv *argv)
{
	char hex[2 * ASL_HASH_MAX + 1];
	jv err;
	int alg;

	if (want_short_string(call, argv[0], "the data", &err) == -1 ||
	    want_string(call, argv[1], "the algorithm", &err) == -1)
		return err;
	if ((alg = asl_hash_lookup(jv_string_value(argv[1]))) == -1)
		return fail(call, "unknown algorithm '%s' (use one of %s)",
		    jv_string_value(argv[1]), asl_hash_names());
	asl_hash_hex(alg, jv_string_value(argv[0]),
	    (size_t)jv_string_length_bytes(jv_copy(argv[0])), hex);
	return jv_string(hex);
}

/*
 * States.JsonMerge(a, b, false): shallow, b's top-level keys replace a's
 * (conformance).  AWS supports no deep mode: true fails (docs).
 */
static jv
fn_json_merge(const struct node *call, jv *argv)
{
	if (jv_get_kind(argv[0]) != JV_KIND_OBJECT)
		return fail(call, "the first argument must be an object, not "
		    "%s", kind_phrase(argv[0]));
	if (jv_get_kind(argv[1]) != JV_KIND_OBJECT)
		return fail(call, "the second argument must be an object, not "
		    "%s", kind_phrase(argv[1]));
	if (jv_get_kind(argv[2]) == JV_KIND_TRUE)
		return fail(call, "deep merging is not supported: the third "
		    "argument must be false");
	if (jv_get_kind(argv[2]) != JV_KIND_FALSE)
		return fail(call, "the third argument must be a boolean, not %s",
		    kind_phrase(argv[2]));
	return jv_object_merge(jv_copy(argv[0]), jv_copy(argv[1]));
}

/*
 * States.StringToJson(string): "" and blank strings are null; "-0" is 0
 * (conformance).
 */
static jv
fn_string_to_json(const struct node *call, jv *argv)
{
	const char *s;
	jv err, v, msg, what, col;
	int i, len;

	if (want_string(call, argv[0], "the argument", &err) == -1)
		return err;
	s = jv_string_value(argv[0]);
	len = jv_string_length_bytes(jv_copy(argv[0]));
	for (i = 0; i < len && is_space(s[i]); i++)
		continue;
	if (i == len)
		return jv_null();
	v = asl_json_parse(s, (size_t)len, NULL, NULL);
	if (!jv_is_valid(v)) {
		msg = jv_invalid_get_msg(v);
		what = jv_object_get(jv_copy(msg), ASL_LIT("message"));
		col = jv_object_get(msg, ASL_LIT("column"));
		err = fail(call, "the string is not valid JSON: %s at column %d",
		    jv_string_value(what), (int)jv_number_value(col));
		jv_free(what);
		jv_free(col);
		return err;
	}
	if (jv_get_kind(v) == JV_KIND_NUMBER && jv_number_value(v) == 0) {
		jv_free(v);
		v = jv_number(0);
	}
	return v;
}

/*
 * States.JsonToString(value): compact JSON, no spaces:
 * {"Arg1":1,"Arg2":[]} -> "{\"Arg1\":1,\"Arg2\":[]}" (conformance).
 */
static jv
fn_json_to_string(const struct node *call, jv *argv)
{
	(void)call;
	return jv_dump_string(jv_copy(argv[0]), 0);
}

/*
 * java.util.Random(seed).nextInt(bound), for bounds up to 2^31 - 1; larger
 * ones (start and end of opposite signs) take 64 bits mod bound.
 */
static int64_t
java_random(int64_t seed, int64_t bound)
{
	const uint64_t mask = (UINT64_C(1) << 48) - 1;
	uint64_t s = ((uint64_t)seed ^ UINT64_C(0x5deece66d)) & mask;
	int64_t r, u, m = bound - 1;

#define NEXT(bits) (s = (s * UINT64_C(0x5deece66d) + 0xb) & mask, \
	    (int64_t)(s >> (48 - (bits))))
	if (bound > INT32_MAX) {
		uint64_t hi = (uint64_t)NEXT(32);
		return (int64_t)(((hi << 32) | (uint64_t)NEXT(32)) %
		    (uint64_t)bound);
	}
	r = NEXT(31);
	if ((bound & m) == 0)
		return (bound * r) >> 31;
	/* Java's loop ends when u - r + m does not overflow an int. */
	for (u = r; u - (r = u % bound) + m > INT32_MAX; u = NEXT(31))
		continue;
#undef NEXT
	return r;
}

/*
 * States.MathRandom(start, end[, seed]): start inclusive, end exclusive
 * (docs), both rounded.  The same seed gives the same number (docs).
 * AWS's generator is unknown (the corpus masks the numbers); a seeded
 * call uses java.util.Random's, the likeliest for a Java service, so it
 * repeats, but it is not known to give AWS's numbers.
 */
static jv
fn_math_random(const struct node *call, jv *argv)
{
	int64_t start, end, seed, bound;
	uint64_t r, limit;
	jv err;

	if (int_arg(call, argv[0], "the start", 1, INT32_LO, INT32_HI, &start,
	    &err) == -1 ||
	    int_arg(call, argv[1], "the end", 1, INT32_LO, INT32_HI, &end,
	    &err) == -1)
		return err;
	if (call->nargs == 3 && int_arg(call, argv[2], "the seed", 1,
	    -9223372036854775808.0, 9223372036854774784.0, &seed, &err) == -1)
		return err;
	if (end <= start)
		return fail(call, "the end %lld must be greater than the start "
		    "%lld", (long long)end, (long long)start);
	bound = end - start;
	if (call->nargs == 3)
		return jv_number((double)(start + java_random(seed, bound)));
	limit = UINT64_MAX - UINT64_MAX % (uint64_t)bound;
	do {
		if (asl_random_bytes(&r, sizeof r) == -1)
			return random_failed(call);
	} while (r >= limit);
	return jv_number((double)(start + (int64_t)(r % (uint64_t)bound)));
}

/*
 * States.MathAdd(a, b): each rounded first, so 1.49 + 1.5 is 3 and
 * -1.5 + -1.51 is -3 (conformance); Java ints (docs).
 */
static jv
fn_math_add(const struct node *call, jv *argv)
{
	int64_t a, b;
	jv err;

	if (int_arg(call, argv[0], "the first value", 1, INT32_LO, INT32_HI,
	    &a, &err) == -1 ||
	    int_arg(call, argv[1], "the second value", 1, INT32_LO, INT32_HI,
	    &b, &err) == -1)
		return err;
	if (a + b < INT32_LO || a + b > INT32_HI)
		return fail(call, "the sum %lld is out of range (%.0f to "
		    "%.0f)", (long long)(a + b), INT32_LO, INT32_HI);
	return jv_number((double)(a + b));
}

/*
 * States.StringSplit(string, delimiters): as Java's StringTokenizer, every
 * character of delimiters separates and empty pieces are dropped:
 * ("This.is+a,test=string", ".+,=") gives 5 pieces, (",,,,", ",") gives
 * [] and (", , ,", ",") gives [" ", " "] (conformance).
 */
static jv
fn_string_split(const struct node *call, jv *argv)
{
	const unsigned char *s, *end, *d, *dend, *p, *piece, *q, *x;
	uint32_t c;
	jv err, out;
	int sep;

	if (want_string(call, argv[0], "the first argument", &err) == -1 ||
	    want_string(call, argv[1], "the delimiters", &err) == -1)
		return err;
	s = (const unsigned char *)jv_string_value(argv[0]);
	end = s + jv_string_length_bytes(jv_copy(argv[0]));
	d = (const unsigned char *)jv_string_value(argv[1]);
	dend = d + jv_string_length_bytes(jv_copy(argv[1]));
	out = jv_array();
	for (p = piece = s; p < end; ) {
		q = p;
		c = next_codepoint(&q);
		sep = 0;
		for (x = d; x < dend && !sep; )
			sep = next_codepoint(&x) == c;
		if (sep) {
			if (p > piece)
				out = jv_array_append(out, jv_string_sized(
				    (const char *)piece, (int)(p - piece)));
			piece = q;
		}
		p = q;
	}
	if (p > piece)
		out = jv_array_append(out, jv_string_sized((const char *)piece,
		    (int)(p - piece)));
	return out;
}

/* States.UUID(): a random version 4 UUID, lowercase 8-4-4-4-12. */
static jv
fn_uuid(const struct node *call, jv *argv)
{
	unsigned char b[16];
	char text[ASL_UUID_BUFSIZE];

	(void)argv;
	if (asl_random_bytes(b, sizeof b) == -1)
		return random_failed(call);
	asl_uuid_text(b, text);
	return jv_string(text);
}

/*
 * A value as States.Format renders it: strings verbatim, numbers and
 * booleans and null as JSON, objects and arrays as Java's toString does,
 * {Arg1=1, Arg2=[]} and [a, b] (conformance, and LocalStack for arrays).
 * Appends to out (consumed); borrows v.
 */
static jv
render(jv out, jv v)
{
	int first = 1;

	switch (jv_get_kind(v)) {
	case JV_KIND_STRING:
		return jv_string_append_buf(out, jv_string_value(v),
		    jv_string_length_bytes(jv_copy(v)));
	case JV_KIND_ARRAY:
		out = jv_string_append_str(out, "[");
		jv_array_foreach(v, i, x) {
			if (i > 0)
				out = jv_string_append_str(out, ", ");
			out = render(out, x);
			jv_free(x);
		}
		return jv_string_append_str(out, "]");
	case JV_KIND_OBJECT:
		out = jv_string_append_str(out, "{");
		jv_object_foreach(v, k, x) {
			if (!first)
				out = jv_string_append_str(out, ", ");
			first = 0;
			out = render(out, k);
			out = jv_string_append_str(out, "=");
			out = render(out, x);
			jv_free(k);
			jv_free(x);
		}
		return jv_string_append_str(out, "}");
	default:
		return jv_string_concat(out, jv_dump_string(jv_copy(v), 0));
	}
}

/*
 * States.Format(format, v...): each "{}" replaced by the next value; as
 * many values as placeholders (docs).  In a literal format, \{ and \}
 * are braces that make no placeholder; a format from a path has no
 * escapes, and every "{}" in it counts.
 */
static jv
fn_format(const struct node *call, jv *argv)
{
	const struct node *lit = call->args[0];
	const size_t *holes;
	size_t *found = NULL, pos = 0;
	const char *s;
	int i, n, len;
	jv out;

	if (jv_get_kind(argv[0]) != JV_KIND_STRING)
		return fail(call, "the format must be a string, not %s",
		    kind_phrase(argv[0]));
	s = jv_string_value(argv[0]);
	len = jv_string_length_bytes(jv_copy(argv[0]));
	if (lit->kind == N_VALUE) {
		holes = lit->holes;
		n = lit->nholes;
	} else {
		for (i = n = 0; i + 1 < len; i++)
			if (s[i] == '{' && s[i + 1] == '}')
				n++, i++;
		if (n > 0 && (found = calloc((size_t)n, sizeof *found)) == NULL)
			return asl_error("States.Runtime", "out of memory");
		for (i = n = 0; i + 1 < len; i++)
			if (s[i] == '{' && s[i + 1] == '}')
				found[n++] = (size_t)i++;
		holes = found;
	}
	if (n != call->nargs - 1) {
		free(found);
		return fail(call, "the format has %d placeholder%s but %d "
		    "value%s given", n, n == 1 ? "" : "s", call->nargs - 1,
		    call->nargs - 1 == 1 ? " is" : "s are");
	}
	out = ASL_LIT("");
	for (i = 0; i < n; i++) {
		out = jv_string_append_buf(out, s + pos, (int)(holes[i] - pos));
		out = render(out, argv[i + 1]);
		pos = holes[i] + 2;
	}
	out = jv_string_append_buf(out, s + pos, len - (int)pos);
	free(found);
	return out;
}

static const struct func funcs[] = {
	{ "States.Format", 1, -1, fn_format },
	{ "States.StringToJson", 1, 1, fn_string_to_json },
	{ "States.JsonToString", 1, 1, fn_json_to_string },
	{ "States.Array", 0, -1, fn_array },
	{ "States.ArrayPartition", 2, 2, fn_array_partition },
	{ "States.ArrayContains", 2, 2, fn_array_contains },
	{ "States.ArrayRange", 3, 3, fn_array_range },
	{ "States.ArrayGetItem", 2, 2, fn_array_get_item },
	{ "States.ArrayLength", 1, 1, fn_array_length },
	{ "States.ArrayUnique", 1, 1, fn_array_unique },
	{ "States.Base64Encode", 1, 1, fn_base64_encode },
	{ "States.Base64Decode", 1, 1, fn_base64_decode },
	{ "States.Hash", 2, 2, fn_hash },
	{ "States.JsonMerge", 3, 3, fn_json_merge },
	{ "States.MathRandom", 2, 3, fn_math_random },
	{ "States.MathAdd", 2, 2, fn_math_add },
	{ "States.StringSplit", 2, 2, fn_string_split },
	{ "States.UUID", 0, 0, fn_uuid },
	{ NULL, 0, 0, NULL }
};

/* The parser. */

struct parser {
	const char	*text;
	const char	*p;
	jv		 err;	/* the first error, or jv_null() */
};

/*
 * Record the first error: "WHAT at offset N", and " (HINT)" if hint is not
 * NULL.  Returns NULL.
 */
static void *
vsyntax(struct parser *ps, const char *at, const char *hint, const char *fmt,
    va_list ap)
{
	jv msg;

	if (jv_get_kind(ps->err) != JV_KIND_NULL)
		return NULL;
	msg = jv_string_vfmt(fmt, ap);
	ps->err = jv_string_fmt("%s at offset %zu%s%s%s", jv_string_value(msg),
	    (size_t)(at - ps->text), hint ? " (" : "", hint ? hint : "",
	    hint ? ")" : "");
	jv_free(msg);
	return NULL;
}

static void *
syntax(struct parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void *
syntax(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyntax(ps, at, NULL, fmt, ap);
	va_end(ap);
	return NULL;
}

static void *
syntax_hint(struct parser *ps, const char *at, const char *hint,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void *
syntax_hint(struct parser *ps, const char *at, const char *hint,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyntax(ps, at, hint, fmt, ap);
	va_end(ap);
	return NULL;
}

static void
skip_space(struct parser *ps)
{
	while (is_space(*ps->p))
		ps->p++;
}

/* What may follow an argument: blanks, ',', ')' or the end (an error later). */
static int
ends_arg(char c)
{
	return c == '\0' || c == ',' || c == ')' || is_space(c);
}

static void
node_free(struct node *n)
{
	int i;

	if (n == NULL)
		return;
	switch (n->kind) {
	case N_VALUE:
		jv_free(n->value);
		free(n->holes);
		break;
	case N_PATH:
		asl_path_free(n->path);
		break;
	case N_CALL:
		for (i = 0; i < n->nargs; i++)
			node_free(n->args[i]);
		free(n->args);
		break;
	}
	free(n);
}

static struct node *
new_node(struct parser *ps, enum node_kind kind, const char *at)
{
	struct node *n;

	if ((n = calloc(1, sizeof *n)) == NULL)
		return syntax(ps, at, "out of memory");
	n->kind = kind;
	n->offset = (size_t)(at - ps->text);
	n->value = jv_null();
	return n;
}

/*
 * 'string': \' \{ \} \\ are the only escapes (docs); AWS rejects any
 * other backslash when the state machine is created (conformance,
 * validation/...ILLEGAL_INTRINSIC_FUNCTION).  Notes where an unescaped
 * "{}" is, for States.Format.
 */
static struct node *
parse_string(struct parser *ps)
{
	static const char escapes[] = "the escapes are \\', \\{, \\} and \\\\";
	const char *start = ps->p, *p = ps->p + 1;
	struct node *n;
	size_t len = 0, cap = 0;
	char *buf;

	if ((buf = malloc(strlen(p) + 1)) == NULL ||
	    (n = new_node(ps, N_VALUE, start)) == NULL) {
		free(buf);
		return syntax(ps, start, "out of memory");
	}
	for (;;) {
		if (*p == '\0') {
			free(buf);
			node_free(n);
			return syntax(ps, start, "unterminated string");
		}
		if (*p == '\'')
			break;
		if (*p == '\\') {
			if (p[1] == '\0') {
				p++;	/* unterminated, above */
				continue;
			}
			if (strchr("'{}\\", p[1]) == NULL) {
				free(buf);
				node_free(n);
				if (isprint((unsigned char)p[1]))
					return syntax_hint(ps, p, escapes,
					    "invalid escape '\\%c'", p[1]);
				return syntax_hint(ps, p, escapes,
				    "invalid escape");
			}
			buf[len++] = p[1];
			p += 2;
			continue;
		}
		if (p[0] == '{' && p[1] == '}') {
			if ((size_t)n->nholes == cap) {
				size_t *h;
				cap = cap ? 2 * cap : 4;
				if ((h = realloc(n->holes, cap *
				    sizeof *h)) == NULL) {
					free(buf);
					node_free(n);
					return syntax(ps, p, "out of memory");
				}
				n->holes = h;
			}
			n->holes[n->nholes++] = len;
		}
		buf[len++] = *p++;
	}
	ps->p = p + 1;
	n->value = jv_string_sized(buf, (int)len);
	free(buf);
	return n;
}

/* A JSON-style number: -?digits(.digits)?([eE][+-]?digits)? */
static struct node *
parse_number(struct parser *ps)
{
	const char *start = ps->p, *p = ps->p;
	struct node *n;
	double d;

	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return syntax(ps, start, "invalid number");
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return syntax(ps, start, "invalid number");
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return syntax(ps, start, "invalid number");
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (!ends_arg(*p))
		return syntax(ps, start, "invalid number");
	d = strtod(start, NULL);
	if (isinf(d))
		return syntax(ps, start, "number out of range");
	if ((n = new_node(ps, N_VALUE, start)) == NULL)
		return NULL;
	n->value = jv_number(d == 0 ? 0 : d);	/* -0 is 0 */
	ps->p = p;
	return n;
}

/*
 * A path argument runs to the ',' or ')' that ends the argument: one not
 * inside brackets, quotes or the parentheses of a path function such as
 * length().  The path module says whether it is a path.
 */
static struct node *
parse_path(struct parser *ps)
{
	const char *start = ps->p, *p = ps->p, *end;
	int brackets = 0, parens = 0;
	struct node *n;
	char quote = 0, *text;
	jv err;

	for (; *p != '\0'; p++) {
		if (quote) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"')
			quote = *p;
		else if (*p == '[')
			brackets++;
		else if (*p == ']' && brackets > 0)
			brackets--;
		else if (brackets > 0)
			continue;
		else if (*p == '(')
			parens++;
		else if (*p == ')' && parens > 0)
			parens--;
		else if (*p == ',' || *p == ')')
			break;
	}
	if (quote)
		return syntax(ps, start, "unterminated quote in a path");
	for (end = p; end > start && is_space(end[-1]); end--)
		continue;
	if ((text = strndup(start, (size_t)(end - start))) == NULL ||
	    (n = new_node(ps, N_PATH, start)) == NULL) {
		free(text);
		return syntax(ps, start, "out of memory");
	}
	if ((n->path = asl_path_compile(text, 0, &err)) == NULL) {
		syntax(ps, start, "invalid path '%s' (%s)", text,
		    jv_string_value(err));
		jv_free(err);
		free(text);
		node_free(n);
		return NULL;
	}
	free(text);
	ps->p = p;
	return n;
}

static struct node *parse_call(struct parser *, int);

static struct node *
parse_arg(struct parser *ps, int depth)
{
	static const char *const words[] = { "true", "false", "null" };
	const char *p = ps->p;
	struct node *n;
	size_t i, len;

	switch (*p) {
	case '\'':
		return parse_string(ps);
	case '$':
		return parse_path(ps);
	case '\0':
	case ',':
	case ')':
		return syntax(ps, p, "missing argument");
	}
	if (*p == '-' || isdigit((unsigned char)*p))
		return parse_number(ps);
	if (strncmp(p, "States.", 7) == 0)
		return parse_call(ps, depth + 1);
	for (i = 0; i < 3; i++) {
		len = strlen(words[i]);
		if (strncmp(p, words[i], len) == 0 && ends_arg(p[len])) {
			if ((n = new_node(ps, N_VALUE, p)) == NULL)
				return NULL;
			n->value = i == 0 ? jv_true() : i == 1 ? jv_false() :
			    jv_null();
			ps->p = p + len;
			return n;
		}
	}
	for (len = 0; !ends_arg(p[len]); len++)
		continue;
	return syntax_hint(ps, p, "an argument is a 'string', a number, true, "
	    "false, null, a path or a call", "unexpected '%.*s'", (int)len, p);
}

/* States.Name(arg, ...) at ps->p, depth levels deep (1 for the outermost). */
static struct node *
parse_call(struct parser *ps, int depth)
{
	const char *start = ps->p, *name = ps->p + 7;
	const struct func *f;
	struct node *n, *arg, **args;
	size_t len;
	int nargs;

	if (depth > MAX_DEPTH)
		return syntax(ps, start, "intrinsic functions nested more than "
		    "%d deep", MAX_DEPTH);
	while (isalnum((unsigned char)*name) || *name == '.' || *name == '_')
		name++;
	len = (size_t)(name - start);
	for (f = funcs; f->name != NULL; f++)
		if (strlen(f->name) == len && strncmp(f->name, start, len) == 0)
			break;
	if (f->name == NULL)
		return syntax(ps, start, "unknown intrinsic function '%.*s'",
		    (int)len, start);
	if (*name != '(')
		return syntax(ps, name, "expected '(' after %s", f->name);
	if ((n = new_node(ps, N_CALL, start)) == NULL)
		return NULL;
	n->func = f;
	ps->p = name + 1;
	skip_space(ps);
	if (*ps->p == ')')
		ps->p++;
	else {
		for (;;) {
			skip_space(ps);
			if ((arg = parse_arg(ps, depth)) == NULL) {
				node_free(n);
				return NULL;
			}
			if ((args = realloc(n->args, (size_t)(n->nargs + 1) *
			    sizeof *args)) == NULL) {
				node_free(arg);
				node_free(n);
				return syntax(ps, ps->p, "out of memory");
			}
			n->args = args;
			n->args[n->nargs++] = arg;
			skip_space(ps);
			if (*ps->p == ',') {
				ps->p++;
				continue;
			}
			if (*ps->p == ')') {
				ps->p++;
				break;
			}
			node_free(n);
			if (*ps->p == '\0')
				return syntax(ps, ps->p, "missing ')' to close "
				    "%s", f->name);
			return syntax(ps, ps->p, "expected ',' or ')'");
		}
	}
	if ((nargs = n->nargs) < f->min || (f->max >= 0 && nargs > f->max)) {
		node_free(n);
		if (f->min == f->max)
			return syntax(ps, start, "%s takes %d argument%s, not %d",
			    f->name, f->min, f->min == 1 ? "" : "s", nargs);
		if (f->max < 0)
			return syntax(ps, start, "%s takes at least %d "
			    "argument%s, not %d", f->name, f->min,
			    f->min == 1 ? "" : "s", nargs);
		return syntax(ps, start, "%s takes %d to %d arguments, not %d",
		    f->name, f->min, f->max, nargs);
	}
	return n;
}

/* The interface. */

int
asl_intrinsic_is_call(const char *text)
{
	while (is_space(*text))
		text++;
	if (strncmp(text, "States.", 7) != 0)
		return 0;
	for (text += 7; isalnum((unsigned char)*text) || *text == '.' ||
	    *text == '_'; text++)
		continue;
	return *text == '(';
}

struct asl_intrinsic *
asl_intrinsic_compile(const char *text, jv *err)
{
	struct parser ps = { text, text, jv_null() };
	struct asl_intrinsic *f;
	struct node *root;

	skip_space(&ps);
	if (strncmp(ps.p, "States.", 7) != 0)
		root = syntax(&ps, ps.p, "an intrinsic function call starts "
		    "with 'States.'");
	else
		root = parse_call(&ps, 1);
	if (root != NULL) {
		skip_space(&ps);
		if (*ps.p != '\0') {
			node_free(root);
			root = syntax(&ps, ps.p, "unexpected text after the "
			    "call");
		}
	}
	if (root != NULL && (f = malloc(sizeof *f)) == NULL) {
		node_free(root);
		root = syntax(&ps, text, "out of memory");
	}
	if (root == NULL) {
		*err = ps.err;
		return NULL;
	}
	jv_free(ps.err);
	f->root = root;
	return f;
}

void
asl_intrinsic_free(struct asl_intrinsic *f)
{
	if (f == NULL)
		return;
	node_free(f->root);
	free(f);
}

const char *
asl_intrinsic_name(const struct asl_intrinsic *f)
{
	return f->root->func->name;
}

static jv
eval(const struct node *n, const struct asl_env *env)
{
	jv small[8], *argv, v;
	int i;

	switch (n->kind) {
	case N_VALUE:
		return jv_copy(n->value);
	case N_PATH:
		/* Not an IntrinsicFailure: a path that does not resolve is
		 * States.Runtime, as everywhere else in a payload template. */
		v = asl_path_eval(n->path, env);
		if (!jv_is_valid(v))
			v = asl_path_invalid(n->path, v);
		return v;
	case N_CALL:
		break;
	}
	argv = small;
	if (n->nargs > 8 && (argv = calloc((size_t)n->nargs,
	    sizeof *argv)) == NULL)
		return asl_error("States.Runtime", "out of memory");
	for (i = 0; i < n->nargs; i++) {
		argv[i] = eval(n->args[i], env);
		if (!jv_is_valid(argv[i])) {
			v = argv[i];
			while (i-- > 0)
				jv_free(argv[i]);
			if (argv != small)
				free(argv);
			return v;
		}
	}
	v = n->func->body(n, argv);
	for (i = 0; i < n->nargs; i++)
		jv_free(argv[i]);
	if (argv != small)
		free(argv);
	return v;
}

jv
asl_intrinsic_eval(const struct asl_intrinsic *f, const struct asl_env *env)
{
	return eval(f->root, env);
}
