/*
 * asl_jsonata_func.c - JSONata's function library, as jsonata-js 2.0.6
 * defines it (signatures included: they decide T0410/T0411/T0412 and
 * when the context stands in for a missing argument), less $eval, which
 * AWS removes, plus the functions Step Functions adds: $partition,
 * $range, $hash, $random with a seed, $uuid and $parse.
 *
 * Builtins borrow their arguments and return an owned value.  Strings
 * are UTF-8; where JavaScript counts UTF-16 code units ($length,
 * $substring, match indexes) these count code points, which agree
 * outside the astral planes.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asl_json.h"
#include "asl_jsonata_int.h"

#define ARG(i)	((i) < n ? a[(i)] : VU())
#define FNARGS	struct jctx *cx, V *a, int n, V input, struct jframe *env
#define UNUSED	(void)cx; (void)a; (void)n; (void)input; (void)env

static V
fail(const char *code, jv fields)
{
	return jn_err(code, fields);
}

static V
fail1(const char *code, int index, jv value)
{
	jv f = JV_OBJECT(jv_string("index"), jv_number(index));

	if (jv_is_valid(value))
		f = jv_object_set(f, jv_string("value"), value);
	else
		jv_free(value);
	return jn_err(code, f);
}

static int
len(V x)
{
	return jv_array_length(jv_copy(x.v));
}

static jv
at(V x, int i)
{
	return jv_array_get(jv_copy(x.v), i);
}

static double
num(V x)
{
	return jv_number_value(x.v);
}

static const char *
str(V x)
{
	return jv_string_value(x.v);
}

static size_t
slen(V x)
{
	return (size_t)jv_string_length_bytes(jv_copy(x.v));
}

/* UTF-8 */

size_t
utf8_len(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* The byte offset of code point cp (n if past the end). */
size_t
utf8_offset(const char *s, size_t n, size_t cp)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (c == cp)
				return i;
			c++;
		}
	}
	return n;
}

static unsigned
utf8_decode(const char *s, size_t n, size_t *i)
{
	unsigned char c = (unsigned char)s[*i];
	unsigned cp;
	int k, more;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	cp = c & (0x3F >> more);
	(*i)++;
	for (k = 0; k < more && *i < n; k++, (*i)++)
		cp = (cp << 6) | ((unsigned char)s[*i] & 0x3F);
	return cp;
}

static jv
utf8_append(jv s, unsigned cp)
{
	char b[4];
	int k;

	if (cp < 0x80) {
		b[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		k = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		k = 4;
	}
	return jv_string_append_buf(s, b, k);
}

static int
gcd_i(int a, int b)
{
	return b == 0 ? a : gcd_i(b, a % b);
}

/* Numbers as JavaScript prints them (Number.prototype.toString). */
jv
jn_number_string(double d)
{
	char buf[40], ds[24], out[64];
	int p, e, k, nn, i, o = 0;
	const char *q;

	if (isnan(d))
		return jv_string("NaN");
	if (isinf(d))
		return jv_string(d > 0 ? "Infinity" : "-Infinity");
	if (d == 0)
		return jv_string("0");
	for (p = 1; p <= 17; p++) {
		snprintf(buf, sizeof(buf), "%.*e", p - 1, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	q = buf;
	if (*q == '-') {
		out[o++] = '-';
		q++;
	}
	for (k = 0; *q != 'e' && *q != '\0'; q++)
		if (isdigit((unsigned char)*q))
			ds[k++] = *q;
	ds[k] = '\0';
	e = *q == 'e' ? atoi(q + 1) : 0;
	while (k > 1 && ds[k - 1] == '0')
		ds[--k] = '\0';
	nn = e + 1;
	if (k <= nn && nn <= 21) {
		memcpy(out + o, ds, k);
		o += k;
		for (i = 0; i < nn - k; i++)
			out[o++] = '0';
	} else if (0 < nn && nn <= 21) {
		memcpy(out + o, ds, nn);
		o += nn;
		out[o++] = '.';
		memcpy(out + o, ds + nn, k - nn);
		o += k - nn;
	} else if (-6 < nn && nn <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = 0; i < -nn; i++)
			out[o++] = '0';
		memcpy(out + o, ds, k);
		o += k;
	} else {
		out[o++] = ds[0];
		if (k > 1) {
			out[o++] = '.';
			memcpy(out + o, ds + 1, k - 1);
			o += k - 1;
		}
		o += snprintf(out + o, sizeof(out) - o, "e%c%d",
		    nn - 1 >= 0 ? '+' : '-', abs(nn - 1));
	}
	out[o] = '\0';
	return jv_string(out);
}

/* Number(x.toPrecision(15)), as $string prints numbers. */
static double
prec15(double d)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.14e", d);
	return strtod(buf, NULL);
}

/* JSON.stringify */

static jv
quote(jv out, const char *s, size_t n)
{
	size_t i, run;
	char b[8];

	out = jv_string_append_str(out, "\"");
	for (i = 0; i < n;) {
		for (run = i; run < n && (unsigned char)s[run] >= 0x20 &&
		    s[run] != '"' && s[run] != '\\'; run++)
			;
		if (run > i) {
			out = jv_string_append_buf(out, s + i, (int)(run - i));
			i = run;
			continue;
		}
		switch (s[i]) {
		case '"': out = jv_string_append_str(out, "\\\""); break;
		case '\\': out = jv_string_append_str(out, "\\\\"); break;
		case '\b': out = jv_string_append_str(out, "\\b"); break;
		case '\f': out = jv_string_append_str(out, "\\f"); break;
		case '\n': out = jv_string_append_str(out, "\\n"); break;
		case '\r': out = jv_string_append_str(out, "\\r"); break;
		case '\t': out = jv_string_append_str(out, "\\t"); break;
		default:
			snprintf(b, sizeof(b), "\\u%04x", (unsigned char)s[i]);
			out = jv_string_append_str(out, b);
		}
		i++;
	}
	return jv_string_append_str(out, "\"");
}

static jv
indent(jv out, int pretty, int depth)
{
	int i;

	if (!pretty)
		return out;
	out = jv_string_append_str(out, "\n");
	for (i = 0; i < depth; i++)
		out = jv_string_append_str(out, "  ");
	return out;
}

static jv
stringify(jv out, jv x, int pretty, int depth)
{
	int i, k, first;

	if (j_isfn(x)) {
		jv_free(x);
		return jv_string_append_str(out, "\"\"");
	}
	switch (jv_get_kind(x)) {
	case JV_KIND_NUMBER:
		out = jv_string_concat(out,
		    jn_number_string(isfinite(jv_number_value(x)) ?
		    prec15(jv_number_value(x)) : 0));
		break;
	case JV_KIND_STRING:
		out = quote(out, jv_string_value(x),
		    (size_t)jv_string_length_bytes(jv_copy(x)));
		break;
	case JV_KIND_NULL:
		out = jv_string_append_str(out, "null");
		break;
	case JV_KIND_TRUE:
		out = jv_string_append_str(out, "true");
		break;
	case JV_KIND_FALSE:
		out = jv_string_append_str(out, "false");
		break;
	case JV_KIND_ARRAY:
		k = jv_array_length(jv_copy(x));
		out = jv_string_append_str(out, "[");
		for (i = 0; i < k; i++) {
			if (i > 0)
				out = jv_string_append_str(out, ",");
			out = indent(out, pretty, depth + 1);
			out = stringify(out, jv_array_get(jv_copy(x), i),
			    pretty, depth + 1);
		}
		if (k > 0)
			out = indent(out, pretty, depth);
		out = jv_string_append_str(out, "]");
		break;
	case JV_KIND_OBJECT:
		out = jv_string_append_str(out, "{");
		first = 1;
		jv_object_foreach(x, key, val) {
			if (!first)
				out = jv_string_append_str(out, ",");
			first = 0;
			out = indent(out, pretty, depth + 1);
			out = quote(out, jv_string_value(key),
			    (size_t)jv_string_length_bytes(jv_copy(key)));
			out = jv_string_append_str(out, pretty ? ": " : ":");
			out = stringify(out, val, pretty, depth + 1);
			jv_free(key);
		}
		if (!first)
			out = indent(out, pretty, depth);
		out = jv_string_append_str(out, "}");
		break;
	default:
		break;
	}
	jv_free(x);
	return out;
}

/* fn.string: x (consumed) as a string; *err gets D3001. */
jv
jn_string_of(struct jctx *cx, jv x, int pretty, V *err)
{
	(void)cx;
	if (jv_get_kind(x) == JV_KIND_STRING)
		return x;
	if (j_isfn(x)) {
		jv_free(x);
		return jv_string("");
	}
	if (jv_get_kind(x) == JV_KIND_NUMBER && !isfinite(jv_number_value(x))) {
		*err = jn_err("D3001", JV_OBJECT(jv_string("value"), x));
		return jv_string("");
	}
	return stringify(jv_string(""), x, pretty, 0);
}

/* Aggregation */

static V
f_sum(FNARGS)
{
	double t = 0;
	int i, k;
	jv x;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	k = len(a[0]);
	for (i = 0; i < k; i++) {
		x = at(a[0], i);
		t += jv_number_value(x);
		jv_free(x);
	}
	return VJ(jv_number(t));
}

static V
f_count(FNARGS)
{
	UNUSED;
	return VJ(jv_number(v_undef(a[0]) ? 0 : len(a[0])));
}

static V
minmax(V arr, int max)
{
	double r = 0, d;
	int i, k;
	jv x;

	if (v_undef(arr) || (k = len(arr)) == 0)
		return VU();
	for (i = 0; i < k; i++) {
		x = at(arr, i);
		d = jv_number_value(x);
		jv_free(x);
		if (i == 0 || (max ? d > r : d < r))
			r = d;
	}
	return VJ(jv_number(r));
}

static V
f_max(FNARGS)
{
	UNUSED;
	return minmax(a[0], 1);
}

static V
f_min(FNARGS)
{
	UNUSED;
	return minmax(a[0], 0);
}

static V
f_average(FNARGS)
{
	V s;
	int k;

	UNUSED;
	if (v_undef(a[0]) || (k = len(a[0])) == 0)
		return VU();
	s = f_sum(cx, a, n, input, env);
	s.v = jv_number(jv_number_value(s.v) / k);
	return s;
}

/* Strings */

static V
f_string(FNARGS)
{
	V err = VU();
	jv s;
	jv x;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	x = jv_copy(a[0].v);
	if (v_isarr(a[0]) && (a[0].f & VF_OUTER) && len(a[0]) > 0) {
		jv_free(x);
		x = at(a[0], 0);
	}
	s = jn_string_of(cx, x, n > 1 && jn_bool(a[1]), &err);
	if (v_err(err)) {
		jv_free(s);
		return err;
	}
	return VJ(s);
}

static size_t
clampi(double x, size_t n)
{
	if (isnan(x) || x <= 0)
		return 0;
	return x >= (double)n ? n : (size_t)x;
}

/* String.prototype.slice on code points. */
static jv
cp_slice(const char *s, size_t bytes, double start, double end)
{
	size_t n = utf8_len(s, bytes), b, e;

	start = trunc(start);
	end = trunc(end);
	if (start < 0)
		start += (double)n;
	if (end < 0)
		end += (double)n;
	b = clampi(start, n);
	e = clampi(end, n);
	if (e <= b)
		return jv_string("");
	b = utf8_offset(s, bytes, b);
	e = utf8_offset(s, bytes, e);
	return jv_string_sized(s + b, (int)(e - b));
}

static V
f_substring(FNARGS)
{
	double start, length, end, sl;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	sl = (double)utf8_len(str(a[0]), slen(a[0]));
	start = num(a[1]);
	if (sl + start < 0)
		start = 0;
	if (n > 2 && !v_undef(a[2])) {
		length = num(a[2]);
		if (length <= 0)
			return VJ(jv_string(""));
		end = start >= 0 ? start + length : sl + start + length;
		return VJ(cp_slice(str(a[0]), slen(a[0]), start, end));
	}
	return VJ(cp_slice(str(a[0]), slen(a[0]), start, sl));
}

static V
f_substring_ba(V *a, int after)
{
	const char *s, *p;

	if (v_undef(a[0]))
		return VU();
	s = str(a[0]);
	if (v_undef(a[1]))
		return v_copy(a[0]);
	p = strstr(s, str(a[1]));
	if (p == NULL)
		return v_copy(a[0]);
	if (after)
		return VJ(jv_string(p + slen(a[1])));
	return VJ(jv_string_sized(s, (int)(p - s)));
}

static V
f_substring_before(FNARGS)
{
	UNUSED;
	return f_substring_ba(a, 0);
}

static V
f_substring_after(FNARGS)
{
	UNUSED;
	return f_substring_ba(a, 1);
}

/*
 * Upper and lower case for ASCII, Latin-1, Latin Extended-A, Greek and
 * Cyrillic: what a C library without a UTF-8 locale cannot be asked.
 */
static unsigned
case_map(unsigned c, int upper)
{
	int odd_upper;

	if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 &&
	    c != 0x138 && c != 0x149 && c != 0x178 && c != 0x17F) {
		/* pairs: even upper below 0x138 and from 0x14A to 0x177 */
		odd_upper = (c >= 0x139 && c <= 0x148) || c >= 0x179;
		if (upper)
			return ((c & 1) != 0) != odd_upper ? c - 1 : c;
		return ((c & 1) != 0) == odd_upper ? c + 1 : c;
	}
	if (upper) {
		if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE &&
		    c != 0xF7) || (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) ||
		    (c >= 0x430 && c <= 0x44F))
			return c - 32;
		if (c == 0xFF)
			return 0x178;
		if (c >= 0x450 && c <= 0x45F)
			return c - 80;
		return c;
	}
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
	    (c >= 0x391 && c <= 0x3A9) || (c >= 0x410 && c <= 0x42F))
		return c + 32;
	if (c == 0x178)
		return 0xFF;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

static V
recase(V x, int upper)
{
	const char *s;
	size_t i = 0, k;
	jv out;

	if (v_undef(x))
		return VU();
	out = jv_string("");
	s = str(x);
	k = slen(x);
	while (i < k) {
		unsigned c = utf8_decode(s, k, &i);

		if (upper && c == 0xDF)		/* sharp s: "SS" */
			out = jv_string_append_str(out, "SS");
		else
			out = utf8_append(out, case_map(c, upper));
	}
	return VJ(out);
}

static V
f_lowercase(FNARGS)
{
	UNUSED;
	return recase(a[0], 0);
}

static V
f_uppercase(FNARGS)
{
	UNUSED;
	return recase(a[0], 1);
}

static V
f_length(FNARGS)
{
	UNUSED;
	if (v_undef(a[0]))
		return VU();
	return VJ(jv_number((double)utf8_len(str(a[0]), slen(a[0]))));
}

static V
f_trim(FNARGS)
{
	const char *s;
	size_t i, k;
	jv out;
	int ws = 0;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	out = jv_string("");
	s = str(a[0]);
	k = slen(a[0]);
	for (i = 0; i < k; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r') {
			ws = 1;
			continue;
		}
		if (ws && jv_string_length_bytes(jv_copy(out)) > 0)
			out = jv_string_append_str(out, " ");
		ws = 0;
		out = jv_string_append_buf(out, s + i, 1);
	}
	return VJ(out);
}

static V
f_pad(FNARGS)
{
	double w;
	long padlen, i;
	const char *c = " ";
	size_t clen = 1, ccp, sl;
	jv pad = jv_string(""), out;

	UNUSED;
	if (v_undef(a[0])) {
		jv_free(pad);
		return VU();
	}
	if (n > 2 && !v_undef(a[2]) && slen(a[2]) > 0) {
		c = str(a[2]);
		clen = slen(a[2]);
	}
	w = num(a[1]);
	sl = utf8_len(str(a[0]), slen(a[0]));
	padlen = (long)(fabs(trunc(w)) - (double)sl);
	if (padlen <= 0) {
		jv_free(pad);
		return v_copy(a[0]);
	}
	ccp = utf8_len(c, clen);
	for (i = 0; i < padlen; i += (long)ccp)
		pad = jv_string_append_buf(pad, c, (int)clen);
	out = cp_slice(jv_string_value(pad),
	    (size_t)jv_string_length_bytes(jv_copy(pad)), 0, (double)padlen);
	jv_free(pad);
	if (w > 0)
		return VJ(jv_string_concat(jv_copy(a[0].v), out));
	return VJ(jv_string_concat(out, jv_copy(a[0].v)));
}

/*
 * Matching through a regex value: the matches of re in s one by one, the
 * way jsonata-js's closure and its next() behave (a zero-length match
 * after the first is error D1004).
 */
struct matcher {
	struct jctx *cx;
	jv	 fn;
	struct jfn *f;
	const char *s;
	size_t	 n;
	size_t	 last;		/* lastIndex */
	int	 count;
	regmatch_t m[20];
};

/* 1: a match in mt->m; 0: none; -1: error in *err. */
static int
next_match(struct matcher *mt, V *err)
{
	if (mt->f == NULL || mt->f->kind != FK_REGEX) {
		*err = jn_err("T1010", jv_object());
		return -1;
	}
	if (mt->count > 0 && mt->last >= mt->n)
		return 0;
	switch (jn_regex_exec(mt->f->node, mt->s, mt->n, mt->last, mt->m, 20)) {
	case 0:
		return 0;
	case -1:
		*err = jn_err("U1002", JV_OBJECT(jv_string("value"),
		    jv_copy(mt->f->node->val)));
		return -1;
	}
	if (mt->count > 0 && mt->m[0].rm_eo == mt->m[0].rm_so) {
		*err = jn_err("D1004", JV_OBJECT(jv_string("value"),
		    jv_copy(mt->f->node->val)));
		return -1;
	}
	mt->last = (size_t)mt->m[0].rm_eo;
	mt->count++;
	return 1;
}

static void
matcher_init(struct matcher *mt, struct jctx *cx, V fn, V s)
{
	memset(mt, 0, sizeof(*mt));
	mt->cx = cx;
	mt->fn = fn.v;
	mt->f = jn_fn_get(cx, fn.v);
	mt->s = str(s);
	mt->n = slen(s);
}

static jv
groups_of(struct matcher *mt)
{
	struct jn *re = mt->f->node;
	jv g = jv_array();
	int i, k;

	for (i = 0; i < re->re_ngroups; i++) {
		k = re->re_map[i];
		if (k < 20 && mt->m[k].rm_so >= 0)
			g = jv_array_append(g, jv_string_sized(
			    mt->s + mt->m[k].rm_so,
			    (int)(mt->m[k].rm_eo - mt->m[k].rm_so)));
		else		/* JavaScript's undefined, null in JSON */
			g = jv_array_append(g, jv_null());
	}
	return g;
}

static jv
match_text(struct matcher *mt)
{
	return jv_string_sized(mt->s + mt->m[0].rm_so,
	    (int)(mt->m[0].rm_eo - mt->m[0].rm_so));
}

static double
match_index(struct matcher *mt)
{
	return (double)utf8_len(mt->s, (size_t)mt->m[0].rm_so);
}

V
jn_regex_match_object(struct jctx *cx, struct jn *re, jv s, size_t from,
    size_t *end)
{
	regmatch_t m[20];
	struct matcher mt;
	jv o;
	size_t n = (size_t)jv_string_length_bytes(jv_copy(s));

	(void)cx;
	switch (jn_regex_exec(re, jv_string_value(s), n, from, m, 20)) {
	case 0:
		jv_free(s);
		return VU();
	case -1:
		jv_free(s);
		return jn_err("U1002", JV_OBJECT(jv_string("value"),
		    jv_copy(re->val)));
	}
	memset(&mt, 0, sizeof(mt));
	mt.s = jv_string_value(s);
	mt.n = n;
	memcpy(mt.m, m, sizeof(m));
	{
		struct jfn f;

		memset(&f, 0, sizeof(f));
		f.node = re;
		mt.f = &f;
		o = JV_OBJECT(jv_string("match"), match_text(&mt),
		    jv_string("start"), jv_number(match_index(&mt)),
		    jv_string("end"), jv_number((double)utf8_len(mt.s,
		    (size_t)m[0].rm_eo)), jv_string("groups"),
		    groups_of(&mt));
	}
	if (end != NULL)
		*end = (size_t)m[0].rm_eo;
	jv_free(s);
	return VJ(o);
}

static V
f_contains(FNARGS)
{
	struct matcher mt;
	V err = VU();
	int r;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	if (v_isstr(a[1]))
		return VJ(jv_bool(strstr(str(a[0]), str(a[1])) != NULL));
	matcher_init(&mt, cx, a[1], a[0]);
	if ((r = next_match(&mt, &err)) < 0)
		return err;
	return VJ(jv_bool(r));
}

static V
f_match(FNARGS)
{
	struct matcher mt;
	V err = VU(), out = seq_new();
	double limit = -1;
	int r;

	UNUSED;
	if (v_undef(a[0])) {
		v_free(out);
		return VU();
	}
	if (n > 2 && !v_undef(a[2])) {
		limit = num(a[2]);
		if (limit < 0) {
			v_free(out);
			return fail1("D3040", 3, jv_copy(a[2].v));
		}
	}
	matcher_init(&mt, cx, a[1], a[0]);
	while (limit < 0 || mt.count < limit) {
		if ((r = next_match(&mt, &err)) < 0) {
			v_free(out);
			return err;
		}
		if (r == 0)
			break;
		seq_push(&out, JV_OBJECT(jv_string("match"), match_text(&mt),
		    jv_string("index"), jv_number(match_index(&mt)),
		    jv_string("groups"), groups_of(&mt)));
	}
	return out;
}

/* A replacement string with $0, $1 ... $$ for one match. */
static jv
substitute(struct matcher *mt, const char *rep)
{
	jv out = jv_string(""), g = groups_of(mt), x;
	int ng = jv_array_length(jv_copy(g)), maxd, idx;
	const char *p = rep, *d;
	char num[16];

	while ((d = strchr(p, '$')) != NULL && *p != '\0') {
		out = jv_string_append_buf(out, p, (int)(d - p));
		p = d + 1;
		if (*p == '$') {
			out = jv_string_append_str(out, "$");
			p++;
		} else if (*p == '0') {
			out = jv_string_concat(out, match_text(mt));
			p++;
		} else {
			maxd = ng == 0 ? 1 : (int)floor(log10(ng)) + 1;
			snprintf(num, sizeof(num), "%.*s", maxd, p);
			idx = isdigit((unsigned char)num[0]) ? atoi(num) : -1;
			if (maxd > 1 && idx > ng) {
				num[maxd - 1] = '\0';
				idx = atoi(num);
			}
			if (idx >= 0 && isdigit((unsigned char)num[0])) {
				if (ng > 0 && idx >= 1 && idx <= ng) {
					x = jv_array_get(jv_copy(g), idx - 1);
					if (jv_get_kind(x) == JV_KIND_STRING)
						out = jv_string_concat(out, x);
					else
						jv_free(x);
				}
				snprintf(num, sizeof(num), "%d", idx);
				p += strlen(num);
			} else
				out = jv_string_append_str(out, "$");
		}
	}
	out = jv_string_append_str(out, p);
	jv_free(g);
	return out;
}

static V
f_replace(FNARGS)
{
	struct matcher mt;
	V err = VU(), r, arg;
	double limit = -1;
	const char *s, *pat, *p;
	size_t pos = 0, plen;
	jv out;
	int count = 0, m;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	if (v_isstr(a[1]) && slen(a[1]) == 0)
		return fail1("D3010", 2, jv_copy(a[1].v));
	if (n > 3 && !v_undef(a[3])) {
		limit = num(a[3]);
		if (limit < 0)
			return fail1("D3011", 4, jv_copy(a[3].v));
	}
	s = str(a[0]);
	out = jv_string("");
	if (v_isstr(a[1])) {
		pat = str(a[1]);
		plen = slen(a[1]);
		while ((limit < 0 || count < limit) &&
		    (p = strstr(s + pos, pat)) != NULL) {
			out = jv_string_append_buf(out, s + pos,
			    (int)(p - (s + pos)));
			out = jv_string_concat(out, v_isstr(a[2]) ?
			    jv_copy(a[2].v) : jv_string(""));
			pos = (size_t)(p - s) + plen;
			count++;
		}
		out = jv_string_append_str(out, s + pos);
		return VJ(out);
	}
	matcher_init(&mt, cx, a[1], a[0]);
	while (limit < 0 || mt.count < limit) {
		if ((m = next_match(&mt, &err)) < 0) {
			jv_free(out);
			return err;
		}
		if (m == 0)
			break;
		out = jv_string_append_buf(out, s + pos,
		    (int)(mt.m[0].rm_so - (regoff_t)pos));
		if (v_isstr(a[2]))
			out = jv_string_concat(out, substitute(&mt,
			    str(a[2])));
		else {
			arg = VJ(JV_OBJECT(jv_string("match"), match_text(&mt),
			    jv_string("start"), jv_number(match_index(&mt)),
			    jv_string("end"), jv_number((double)utf8_len(s,
			    (size_t)mt.m[0].rm_eo)), jv_string("groups"),
			    groups_of(&mt)));
			r = jn_apply(cx, a[2].v, &arg, 1, VU(), env);
			v_free(arg);
			if (v_err(r)) {
				jv_free(out);
				return r;
			}
			if (!v_isstr(r)) {
				jv_free(out);
				return fail("D3012", JV_OBJECT(
				    jv_string("value"), v_undef(r) ?
				    jv_null() : r.v));
			}
			out = jv_string_concat(out, r.v);
		}
		pos = (size_t)mt.m[0].rm_eo;
	}
	out = jv_string_append_str(out, s + pos);
	return VJ(out);
}

static V
f_split(FNARGS)
{
	struct matcher mt;
	V err = VU();
	double limit = -1;
	const char *s, *sep, *p;
	size_t pos = 0, seplen, k, i;
	jv out = jv_array();
	int m;

	UNUSED;
	if (v_undef(a[0])) {
		jv_free(out);
		return VU();
	}
	if (n > 2 && !v_undef(a[2])) {
		limit = num(a[2]);
		if (limit < 0) {
			jv_free(out);
			return fail1("D3020", 3, jv_copy(a[2].v));
		}
	}
	s = str(a[0]);
	k = slen(a[0]);
	if (limit == 0)
		return VJ(out);
	if (v_isstr(a[1])) {
		sep = str(a[1]);
		seplen = slen(a[1]);
		if (seplen == 0) {
			for (i = 0; i < k && (limit < 0 ||
			    jv_array_length(jv_copy(out)) < limit);) {
				size_t j = i;

				utf8_decode(s, k, &j);
				out = jv_array_append(out,
				    jv_string_sized(s + i, (int)(j - i)));
				i = j;
			}
			return VJ(out);
		}
		for (;;) {
			if (limit >= 0 && jv_array_length(jv_copy(out)) >= limit)
				break;
			p = strstr(s + pos, sep);
			if (p == NULL) {
				out = jv_array_append(out, jv_string(s + pos));
				break;
			}
			out = jv_array_append(out, jv_string_sized(s + pos,
			    (int)(p - (s + pos))));
			pos = (size_t)(p - s) + seplen;
		}
		return VJ(out);
	}
	matcher_init(&mt, cx, a[1], a[0]);
	while (limit < 0 || mt.count < limit) {
		if ((m = next_match(&mt, &err)) < 0) {
			jv_free(out);
			return err;
		}
		if (m == 0)
			break;
		out = jv_array_append(out, jv_string_sized(s + pos,
		    (int)(mt.m[0].rm_so - (regoff_t)pos)));
		pos = (size_t)mt.m[0].rm_eo;
	}
	if (limit < 0 || mt.count < limit)
		out = jv_array_append(out, jv_string(s + pos));
	return VJ(out);
}

static V
f_join(FNARGS)
{
	jv out = jv_string("");
	int i, k;

	UNUSED;
	if (v_undef(a[0])) {
		jv_free(out);
		return VU();
	}
	k = len(a[0]);
	for (i = 0; i < k; i++) {
		if (i > 0 && n > 1 && v_isstr(a[1]))
			out = jv_string_concat(out, jv_copy(a[1].v));
		out = jv_string_concat(out, at(a[0], i));
	}
	return VJ(out);
}

/* Numbers */

static double
js_round(double x)
{
	return floor(x + 0.5);
}

/* $round: half to even, at a number of decimal places. */
static double
round_prec(double arg, double prec)
{
	jv s;
	char buf[80], *e;
	double r, diff;
	int ex;

	if (prec != 0) {
		s = jn_number_string(arg);
		snprintf(buf, sizeof(buf), "%s", jv_string_value(s));
		jv_free(s);
		ex = 0;
		if ((e = strchr(buf, 'e')) != NULL) {
			ex = atoi(e + 1);
			*e = '\0';
		}
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "e%d",
		    ex + (int)prec);
		arg = strtod(buf, NULL);
	}
	r = js_round(arg);
	diff = r - arg;
	if (fabs(diff) == 0.5 && fabs(fmod(r, 2)) == 1)
		r -= 1;
	if (prec != 0) {
		s = jn_number_string(r);
		snprintf(buf, sizeof(buf), "%s", jv_string_value(s));
		jv_free(s);
		ex = 0;
		if ((e = strchr(buf, 'e')) != NULL) {
			ex = atoi(e + 1);
			*e = '\0';
		}
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "e%d",
		    ex - (int)prec);
		r = strtod(buf, NULL);
	}
	if (r == 0)
		r = 0;
	return r;
}

static V
f_round(FNARGS)
{
	UNUSED;
	if (v_undef(a[0]))
		return VU();
	return VJ(jv_number(round_prec(num(a[0]), n > 1 && !v_undef(a[1]) ?
	    trunc(num(a[1])) : 0)));
}

static V
math1(V x, double (*f)(double))
{
	if (v_undef(x))
		return VU();
	return VJ(jv_number(f(num(x)) + 0.0));
}

static V
f_floor(FNARGS)
{
	UNUSED;
	return math1(a[0], floor);
}

static V
f_ceil(FNARGS)
{
	UNUSED;
	return math1(a[0], ceil);
}

static V
f_abs(FNARGS)
{
	UNUSED;
	return math1(a[0], fabs);
}

static V
f_sqrt(FNARGS)
{
	UNUSED;
	if (v_undef(a[0]))
		return VU();
	if (num(a[0]) < 0)
		return fail1("D3060", 1, jv_copy(a[0].v));
	return VJ(jv_number(sqrt(num(a[0]))));
}

static V
f_power(FNARGS)
{
	double r;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	r = pow(num(a[0]), num(a[1]));
	if (!isfinite(r))
		return fail("D3061", JV_OBJECT(jv_string("index"),
		    jv_number(1), jv_string("value"), jv_copy(a[0].v),
		    jv_string("exp"), jv_copy(a[1].v)));
	return VJ(jv_number(r));
}

static int
all_match(const char *s, const char *set, int min)
{
	int k = 0;

	while (s[k] != '\0' && strchr(set, s[k]) != NULL)
		k++;
	return k >= min ? k : -1;
}

/* The JavaScript number syntax $number accepts from a string. */
static int
js_decimal(const char *s)
{
	int k = 0, d;

	if (s[k] == '-')
		k++;
	if ((d = all_match(s + k, "0123456789", 1)) < 0)
		return 0;
	k += d;
	if (s[k] == '.') {
		if ((d = all_match(s + k + 1, "0123456789", 1)) < 0)
			return 0;
		k += d + 1;
	}
	if (s[k] == 'e' || s[k] == 'E') {
		k++;
		if (s[k] == '+' || s[k] == '-')
			k++;
		if ((d = all_match(s + k, "0123456789", 1)) < 0)
			return 0;
		k += d;
	}
	return s[k] == '\0';
}

static V
f_number(FNARGS)
{
	const char *s;
	double d;
	int base = 0;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	if (jv_get_kind(a[0].v) == JV_KIND_NUMBER)
		return v_copy(a[0]);
	if (jv_get_kind(a[0].v) == JV_KIND_TRUE)
		return VJ(jv_number(1));
	if (jv_get_kind(a[0].v) == JV_KIND_FALSE)
		return VJ(jv_number(0));
	s = str(a[0]);
	if (js_decimal(s)) {
		d = strtod(s, NULL);
		if (isfinite(d))
			return VJ(jv_number(d + 0.0));
	} else if (s[0] == '0' && s[1] != '\0') {
		switch (s[1]) {
		case 'x': case 'X': base = 16; break;
		case 'o': case 'O': base = 8; break;
		case 'b': case 'B': base = 2; break;
		}
		if (base != 0 && s[2] != '\0' && all_match(s + 2,
		    base == 16 ? "0123456789abcdefABCDEF" :
		    base == 8 ? "01234567" : "01", 1) ==
		    (int)strlen(s + 2))
			return VJ(jv_number((double)strtoull(s + 2, NULL,
			    base)));
	}
	return fail1("D3030", 1, jv_copy(a[0].v));
}

static V
f_format_base(FNARGS)
{
	double v, radix = 10;
	char buf[80], *p = buf + sizeof(buf) - 1;
	int neg;
	unsigned long long u;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	v = round_prec(num(a[0]), 0);
	if (n > 1 && !v_undef(a[1]))
		radix = round_prec(num(a[1]), 0);
	if (radix < 2 || radix > 36)
		return fail("D3100", JV_OBJECT(jv_string("value"),
		    jv_number(radix)));
	neg = v < 0;
	u = (unsigned long long)fabs(v);
	*p = '\0';
	do {
		*--p = "0123456789abcdefghijklmnopqrstuvwxyz"[u %
		    (unsigned)radix];
		u /= (unsigned)radix;
	} while (u > 0);
	if (neg)
		*--p = '-';
	return VJ(jv_string(p));
}

double
jn_random(struct jctx *cx)
{
	uint64_t *s = cx->rng, r, t;

	r = s[1] * 5;
	r = ((r << 7) | (r >> 57)) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return (double)(r >> 11) / 9007199254740992.0;
}

void
jn_seed(struct jctx *cx, uint64_t seed)
{
	int i;
	uint64_t z;

	for (i = 0; i < 4; i++) {
		seed += 0x9E3779B97F4A7C15ULL;
		z = seed;
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
		cx->rng[i] = z ^ (z >> 31);
	}
}

/*
 * AWS: "$random([seed])": with a seed the draw is repeatable.  The
 * sequence AWS draws from a seed is not documented; this one is ours.
 */
static V
f_random(FNARGS)
{
	struct jctx tmp;

	UNUSED;
	if (n > 0 && !v_undef(a[0])) {
		memset(&tmp, 0, sizeof(tmp));
		jn_seed(&tmp, (uint64_t)(int64_t)num(a[0]));
		return VJ(jv_number(jn_random(&tmp)));
	}
	return VJ(jv_number(jn_random(cx)));
}

/*
 * $formatNumber: a port of jsonata-js's formatNumber (XPath's
 * format-number), on code points, quirks included: the fractional part
 * of a picture without a decimal separator is its suffix, and grouping
 * positions after the first are looked for in the integer part.
 */

struct cps {
	unsigned *c;
	int	 n;
};

struct nprops {
	unsigned dec, grp, exp, pct, pml, zero, dig, pat;
	jv	 minus;
};

/* A range [b, b+n) of a sub-picture. */
struct rng {
	int	 b, n;
};

struct nparts {
	struct rng sub, prefix, suffix, active, mantissa, exponent, integer,
	    fractional;
	int	 has_exp;
};

struct npic {
	int	 igroups[64], nig, regular, minint, scaling, fgroups[64], nfg;
	int	 minfrac, maxfrac, minexp;
	struct rng prefix, suffix, sub;
	jv	 prefix_extra;	/* the minus sign of a negative picture */
};

static int
cp_at(const struct cps *p, struct rng r, int i)
{
	return (int)p->c[r.b + i];
}

static int
rng_index(const struct cps *p, struct rng r, unsigned ch, int from)
{
	int i;

	for (i = from < 0 ? 0 : from; i < r.n; i++)
		if (p->c[r.b + i] == ch)
			return i;
	return -1;
}

static int
rng_last(const struct cps *p, struct rng r, unsigned ch)
{
	int i;

	for (i = r.n - 1; i >= 0; i--)
		if (p->c[r.b + i] == ch)
			return i;
	return -1;
}

static int
is_digit_cp(const struct nprops *pr, unsigned c)
{
	return c >= pr->zero && c < pr->zero + 10;
}

static int
is_active(const struct nprops *pr, unsigned c)
{
	return is_digit_cp(pr, c) || c == pr->dec || c == pr->exp ||
	    c == pr->grp || c == pr->dig || c == pr->pat;
}

static struct rng
sub_rng(struct rng r, int from, int len)
{
	struct rng o;

	if (from > r.n)
		from = r.n;
	if (len < 0 || from + len > r.n)
		len = r.n - from;
	o.b = r.b + from;
	o.n = len;
	return o;
}

static void
split_parts(const struct cps *p, const struct nprops *pr, struct rng sub,
    struct nparts *pt)
{
	int i, plen = -1, slen = -1, epos, dpos;

	memset(pt, 0, sizeof(*pt));
	pt->sub = sub;
	for (i = 0; i < sub.n; i++)
		if (is_active(pr, (unsigned)cp_at(p, sub, i)) &&
		    (unsigned)cp_at(p, sub, i) != pr->exp) {
			plen = i;
			break;
		}
	for (i = sub.n - 1; i >= 0; i--)
		if (is_active(pr, (unsigned)cp_at(p, sub, i)) &&
		    (unsigned)cp_at(p, sub, i) != pr->exp) {
			slen = sub.n - i - 1;
			break;
		}
	/* no active character: JavaScript's undefined.length throws */
	if (plen < 0)
		plen = sub.n;
	if (slen < 0 || plen + slen > sub.n)
		slen = sub.n - plen;
	pt->prefix = sub_rng(sub, 0, plen);
	pt->suffix = sub_rng(sub, sub.n - slen, slen);
	pt->active = sub_rng(sub, plen, sub.n - plen - slen);
	epos = rng_index(p, sub, pr->exp, plen);
	if (epos == -1 || epos > sub.n - slen) {
		pt->mantissa = pt->active;
		pt->has_exp = 0;
	} else {
		/* as jsonata-js: positions of the sub-picture into the active part */
		pt->mantissa = sub_rng(pt->active, 0, epos);
		pt->exponent = sub_rng(pt->active, epos + 1, -1);
		pt->has_exp = 1;
	}
	dpos = rng_index(p, pt->mantissa, pr->dec, 0);
	if (dpos == -1) {
		pt->integer = pt->mantissa;
		pt->fractional = pt->suffix;
	} else {
		pt->integer = sub_rng(pt->mantissa, 0, dpos);
		pt->fractional = sub_rng(pt->mantissa, dpos + 1, -1);
	}
}

static const char *
validate_parts(const struct cps *p, const struct nprops *pr,
    const struct nparts *pt)
{
	const char *err = NULL;
	struct rng s = pt->sub;
	int dpos = rng_index(p, s, pr->dec, 0), i, ok, od;

	if (dpos != rng_last(p, s, pr->dec))
		err = "D3081";
	if (rng_index(p, s, pr->pct, 0) != rng_last(p, s, pr->pct))
		err = "D3082";
	if (rng_index(p, s, pr->pml, 0) != rng_last(p, s, pr->pml))
		err = "D3083";
	if (rng_index(p, s, pr->pct, 0) != -1 &&
	    rng_index(p, s, pr->pml, 0) != -1)
		err = "D3084";
	for (ok = 0, i = 0; i < pt->mantissa.n; i++)
		if (is_digit_cp(pr, (unsigned)cp_at(p, pt->mantissa, i)) ||
		    (unsigned)cp_at(p, pt->mantissa, i) == pr->dig)
			ok = 1;
	if (!ok)
		err = "D3085";
	for (i = 0; i < pt->active.n; i++)
		if (!is_active(pr, (unsigned)cp_at(p, pt->active, i)))
			err = "D3086";
	if (dpos != -1) {
		if ((dpos > 0 && (unsigned)cp_at(p, s, dpos - 1) == pr->grp) ||
		    (dpos + 1 < s.n && (unsigned)cp_at(p, s, dpos + 1) ==
		    pr->grp))
			err = "D3087";
	} else if (pt->integer.n > 0 && (unsigned)cp_at(p, pt->integer,
	    pt->integer.n - 1) == pr->grp)
		err = "D3088";
	for (i = 0; i + 1 < s.n; i++)
		if ((unsigned)cp_at(p, s, i) == pr->grp &&
		    (unsigned)cp_at(p, s, i + 1) == pr->grp)
			err = "D3089";
	od = rng_index(p, pt->integer, pr->dig, 0);
	for (i = 0; od != -1 && i < od; i++)
		if (is_digit_cp(pr, (unsigned)cp_at(p, pt->integer, i)))
			err = "D3090";
	od = rng_last(p, pt->fractional, pr->dig);
	for (i = od; od != -1 && i < pt->fractional.n; i++)
		if (is_digit_cp(pr, (unsigned)cp_at(p, pt->fractional, i)))
			err = "D3091";
	if (pt->has_exp && pt->exponent.n > 0 &&
	    (rng_index(p, s, pr->pct, 0) != -1 ||
	    rng_index(p, s, pr->pml, 0) != -1))
		err = "D3092";
	if (pt->has_exp) {
		if (pt->exponent.n == 0)
			err = "D3093";
		for (i = 0; i < pt->exponent.n; i++)
			if (!is_digit_cp(pr, (unsigned)cp_at(p, pt->exponent,
			    i)))
				err = "D3093";
	}
	return err;
}

static int
count_digits(const struct cps *p, const struct nprops *pr, struct rng r,
    int with_optional)
{
	int i, k = 0;
	unsigned c;

	for (i = 0; i < r.n; i++) {
		c = (unsigned)cp_at(p, r, i);
		if (is_digit_cp(pr, c) || (with_optional && c == pr->dig))
			k++;
	}
	return k;
}

static int
grouping_positions(const struct cps *p, const struct nprops *pr,
    const struct nparts *pt, struct rng part, int to_left, int *out)
{
	int pos = rng_index(p, part, pr->grp, 0), n = 0;

	while (pos != -1 && n < 64) {
		out[n++] = to_left ?
		    count_digits(p, pr, sub_rng(part, 0, pos), 1) :
		    count_digits(p, pr, sub_rng(part, pos, -1), 1);
		/* jsonata-js looks for the next one in the integer part */
		pos = rng_index(p, pt->integer, pr->grp, pos + 1);
	}
	return n;
}

static void
analyse_parts(const struct cps *p, const struct nprops *pr,
    const struct nparts *pt, struct npic *a)
{
	int factor, i, k, found;

	memset(a, 0, sizeof(*a));
	a->prefix_extra = jv_string("");
	a->nig = grouping_positions(p, pr, pt, pt->integer, 0, a->igroups);
	if (a->nig > 0) {
		factor = a->igroups[0];
		for (i = 1; i < a->nig; i++)
			factor = gcd_i(factor, a->igroups[i]);
		a->regular = factor;
		for (k = 1; factor != 0 && k <= a->nig; k++) {
			for (found = 0, i = 0; i < a->nig; i++)
				if (a->igroups[i] == k * factor)
					found = 1;
			if (!found)
				a->regular = 0;
		}
	}
	a->nfg = grouping_positions(p, pr, pt, pt->fractional, 1, a->fgroups);
	a->minint = count_digits(p, pr, pt->integer, 0);
	a->scaling = a->minint;
	a->minfrac = count_digits(p, pr, pt->fractional, 0);
	a->maxfrac = count_digits(p, pr, pt->fractional, 1);
	if (a->minint == 0 && a->maxfrac == 0) {
		if (pt->has_exp) {
			a->minfrac = 1;
			a->maxfrac = 1;
		} else
			a->minint = 1;
	}
	if (pt->has_exp && a->minint == 0 &&
	    rng_index(p, pt->integer, pr->dig, 0) != -1)
		a->minint = 1;
	if (a->minint == 0 && a->minfrac == 0)
		a->minfrac = 1;
	a->minexp = pt->has_exp ? count_digits(p, pr, pt->exponent, 0) : 0;
	a->prefix = pt->prefix;
	a->suffix = pt->suffix;
	a->sub = pt->sub;
}

static unsigned
first_cp(jv s, unsigned dflt)
{
	size_t i = 0, n;

	if (jv_get_kind(s) != JV_KIND_STRING ||
	    (n = (size_t)jv_string_length_bytes(jv_copy(s))) == 0) {
		jv_free(s);
		return dflt;
	}
	dflt = utf8_decode(jv_string_value(s), n, &i);
	jv_free(s);
	return dflt;
}

/* Append code points [from, to) of buf. */
static jv
put_cps(jv out, const unsigned *buf, int from, int to)
{
	int i;

	for (i = from; i < to; i++)
		out = utf8_append(out, buf[i]);
	return out;
}

static V
f_format_number(FNARGS)
{
	struct nprops pr;
	struct cps pic;
	struct nparts parts[2];
	struct npic an[2], *pc;
	struct rng whole;
	const char *err, *ps;
	size_t i = 0, plen;
	int nsub = 1, k, semi = -1, dp, len, dpos, padl, padr, g;
	unsigned *buf;
	double v, adj, mant, exp10 = 0, maxm, minm;
	int has_exp10 = 0, neg_m;
	char digs[400];
	jv out, opt = n > 2 ? a[2].v : jv_invalid();

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	memset(&pr, 0, sizeof(pr));
	pr.dec = '.';
	pr.grp = ',';
	pr.exp = 'e';
	pr.pct = '%';
	pr.pml = 0x2030;
	pr.zero = '0';
	pr.dig = '#';
	pr.pat = ';';
	pr.minus = jv_string("-");
	if (jv_get_kind(opt) == JV_KIND_OBJECT) {
#define OPT(k)	jv_object_get(jv_copy(opt), jv_string(k))
		pr.dec = first_cp(OPT("decimal-separator"), pr.dec);
		pr.grp = first_cp(OPT("grouping-separator"), pr.grp);
		pr.exp = first_cp(OPT("exponent-separator"), pr.exp);
		pr.pct = first_cp(OPT("percent"), pr.pct);
		pr.pml = first_cp(OPT("per-mille"), pr.pml);
		pr.zero = first_cp(OPT("zero-digit"), pr.zero);
		pr.dig = first_cp(OPT("digit"), pr.dig);
		pr.pat = first_cp(OPT("pattern-separator"), pr.pat);
		{
			jv m = OPT("minus-sign");

			if (jv_get_kind(m) == JV_KIND_STRING) {
				jv_free(pr.minus);
				pr.minus = m;
			} else
				jv_free(m);
		}
#undef OPT
	}
	ps = str(a[1]);
	plen = slen(a[1]);
	if ((pic.c = calloc(plen + 1, sizeof(*pic.c))) == NULL)
		abort();
	pic.n = 0;
	while (i < plen)
		pic.c[pic.n++] = utf8_decode(ps, plen, &i);
	for (k = 0; k < pic.n; k++)
		if (pic.c[k] == pr.pat) {
			if (semi >= 0)
				nsub = 3;
			else {
				semi = k;
				nsub = 2;
			}
		}
	if (nsub > 2) {
		free(pic.c);
		jv_free(pr.minus);
		return fail("D3080", jv_object());
	}
	whole.b = 0;
	whole.n = pic.n;
	if (nsub == 1)
		split_parts(&pic, &pr, whole, &parts[0]);
	else {
		split_parts(&pic, &pr, sub_rng(whole, 0, semi), &parts[0]);
		split_parts(&pic, &pr, sub_rng(whole, semi + 1, -1), &parts[1]);
	}
	for (k = 0; k < nsub; k++)
		if ((err = validate_parts(&pic, &pr, &parts[k])) != NULL) {
			free(pic.c);
			jv_free(pr.minus);
			return fail(err, jv_object());
		}
	for (k = 0; k < nsub; k++)
		analyse_parts(&pic, &pr, &parts[k], &an[k]);
	if (nsub == 1) {
		an[1] = an[0];
		an[1].prefix_extra = jv_copy(pr.minus);
	}
	v = num(a[0]);
	pc = v >= 0 ? &an[0] : &an[1];
	if (rng_index(&pic, pc->sub, pr.pct, 0) != -1)
		adj = v * 100;
	else if (rng_index(&pic, pc->sub, pr.pml, 0) != -1)
		adj = v * 1000;
	else
		adj = v;
	mant = adj;
	if (pc->minexp != 0) {
		/* jsonata-js loops forever on 0 and negatives: not here */
		maxm = pow(10, pc->scaling);
		minm = pow(10, pc->scaling - 1);
		neg_m = mant < 0;
		mant = fabs(mant);
		has_exp10 = 1;
		while (mant != 0 && mant < minm) {
			mant *= 10;
			exp10 -= 1;
		}
		while (mant > maxm) {
			mant /= 10;
			exp10 += 1;
		}
		if (neg_m)
			mant = -mant;
	}
	mant = round_prec(mant, pc->maxfrac);
	dp = pc->maxfrac;
	snprintf(digs, sizeof(digs), "%.*f", dp > 100 ? 100 : dp, fabs(mant));
	/* the digits as code points, '.' as the decimal separator */
	len = (int)strlen(digs);
	if ((buf = calloc((size_t)len * 4 + 200, sizeof(*buf))) == NULL)
		abort();
	for (k = 0; k < len; k++)
		buf[k] = digs[k] == '.' ? pr.dec :
		    isdigit((unsigned char)digs[k]) ?
		    pr.zero + (unsigned)(digs[k] - '0') : (unsigned)digs[k];
	if (strchr(digs, '.') == NULL)
		buf[len++] = pr.dec;
	/* strip zero digits from both ends */
	{
		int b = 0, e = len;

		while (b < e && buf[b] == pr.zero)
			b++;
		while (e > b && buf[e - 1] == pr.zero)
			e--;
		memmove(buf, buf + b, (size_t)(e - b) * sizeof(*buf));
		len = e - b;
	}
	for (dpos = 0; dpos < len && buf[dpos] != pr.dec; dpos++)
		;
	padl = pc->minint - dpos;
	padr = pc->minfrac - (len - dpos - 1);
	if (padl > 0) {
		memmove(buf + padl, buf, (size_t)len * sizeof(*buf));
		for (k = 0; k < padl; k++)
			buf[k] = pr.zero;
		len += padl;
	}
	for (k = 0; k < padr; k++)
		buf[len++] = pr.zero;
	for (dpos = 0; dpos < len && buf[dpos] != pr.dec; dpos++)
		;
	/* grouping: insert separators */
#define INSERT_AT(pos) do {						\
		int at_ = (pos) < 0 ? 0 : (pos) > len ? len : (pos);	\
		memmove(buf + at_ + 1, buf + at_,			\
		    (size_t)(len - at_) * sizeof(*buf));		\
		buf[at_] = pr.grp;					\
		len++;							\
	} while (0)
	if (pc->regular > 0) {
		int gc = (dpos - 1) / pc->regular;

		for (g = 1; g <= gc; g++)
			INSERT_AT(dpos - g * pc->regular);
	} else {
		for (g = 0; g < pc->nig; g++) {
			INSERT_AT(dpos - pc->igroups[g]);
			dpos++;
		}
	}
	for (dpos = 0; dpos < len && buf[dpos] != pr.dec; dpos++)
		;
	for (g = 0; g < pc->nfg; g++)
		INSERT_AT(pc->fgroups[g] + dpos + 1);
#undef INSERT_AT
	for (dpos = 0; dpos < len && buf[dpos] != pr.dec; dpos++)
		;
	if (rng_index(&pic, pc->sub, pr.dec, 0) == -1 || dpos == len - 1)
		len--;
	out = jv_copy(pc->prefix_extra);
	out = put_cps(out, pic.c, pc->prefix.b, pc->prefix.b + pc->prefix.n);
	out = put_cps(out, buf, 0, len);
	if (has_exp10) {
		char eb[32];
		int el, z;

		snprintf(eb, sizeof(eb), "%.0f", fabs(exp10));
		el = (int)strlen(eb);
		out = utf8_append(out, pr.exp);
		if (exp10 < 0)
			out = jv_string_concat(out, jv_copy(pr.minus));
		for (z = el; z < pc->minexp; z++)
			out = utf8_append(out, pr.zero);
		for (z = 0; z < el; z++)
			out = utf8_append(out, pr.zero + (unsigned)(eb[z] - '0'));
	}
	out = put_cps(out, pic.c, pc->suffix.b, pc->suffix.b + pc->suffix.n);
	free(buf);
	free(pic.c);
	jv_free(an[0].prefix_extra);
	jv_free(an[1].prefix_extra);
	jv_free(pr.minus);
	return VJ(out);
}

/* Booleans */

static V
f_boolean(FNARGS)
{
	UNUSED;
	if (v_undef(a[0]))
		return VU();
	if (v_isfn(a[0]))
		return VJ(jv_false());
	return VJ(jv_bool(jn_bool(a[0])));
}

static V
f_not(FNARGS)
{
	UNUSED;
	if (v_undef(a[0]))
		return VU();
	return VJ(jv_bool(!jn_bool(a[0])));
}

static V
f_exists(FNARGS)
{
	UNUSED;
	return VJ(jv_bool(!v_undef(a[0])));
}

/* Higher-order functions */

/* Call f with (value, index, array) cut to its arity. */
static V
hof(struct jctx *cx, V f, jv x, jv i, V arr, struct jframe *env)
{
	V args[3];
	int ar = jn_fn_arity(cx, f.v), k = 1;
	V r;

	args[0] = VJ(x);
	if (ar >= 2)
		args[k++] = VJ(i);
	else
		jv_free(i);
	if (ar >= 3)
		args[k++] = v_copy(arr);
	r = jn_apply(cx, f.v, args, k, VU(), env);
	while (k > 0)
		v_free(args[--k]);
	return r;
}

static V
f_map(FNARGS)
{
	V out = seq_new(), r;
	int i, k;

	UNUSED;
	if (v_undef(a[0])) {
		v_free(out);
		return VU();
	}
	k = len(a[0]);
	for (i = 0; i < k; i++) {
		r = hof(cx, a[1], at(a[0], i), jv_number(i), a[0], env);
		if (v_err(r)) {
			v_free(out);
			return r;
		}
		if (!v_undef(r))
			seq_push(&out, r.v);
	}
	return out;
}

static V
f_filter(FNARGS)
{
	V out = seq_new(), r;
	int i, k;

	UNUSED;
	if (v_undef(a[0])) {
		v_free(out);
		return VU();
	}
	k = len(a[0]);
	for (i = 0; i < k; i++) {
		r = hof(cx, a[1], at(a[0], i), jv_number(i), a[0], env);
		if (v_err(r)) {
			v_free(out);
			return r;
		}
		if (jn_bool(r))
			seq_push(&out, at(a[0], i));
		v_free(r);
	}
	return out;
}

static V
f_single(FNARGS)
{
	V r, found = VU();
	int i, k, ok;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	k = len(a[0]);
	for (i = 0; i < k; i++) {
		ok = 1;
		if (n > 1 && !v_undef(a[1])) {
			r = hof(cx, a[1], at(a[0], i), jv_number(i), a[0], env);
			if (v_err(r)) {
				v_free(found);
				return r;
			}
			ok = jn_bool(r);
			v_free(r);
		}
		if (!ok)
			continue;
		if (!v_undef(found)) {
			v_free(found);
			return fail1("D3138", i, jv_invalid());
		}
		found = VJ(at(a[0], i));
	}
	if (v_undef(found))
		return fail("D3139", jv_object());
	return found;
}

static V
f_reduce(FNARGS)
{
	V acc, args[4], r;
	int ar, i, k, na;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	ar = jn_fn_arity(cx, a[1].v);
	if (ar < 2)
		return fail1("D3050", 1, jv_invalid());
	k = len(a[0]);
	if ((n < 3 || v_undef(a[2])) && k > 0) {
		acc = VJ(at(a[0], 0));
		i = 1;
	} else {
		acc = n > 2 ? v_copy(a[2]) : VU();
		i = 0;
	}
	for (; i < k; i++) {
		args[0] = acc;
		args[1] = VJ(at(a[0], i));
		na = 2;
		if (ar >= 3)
			args[na++] = VJ(jv_number(i));
		if (ar >= 4)
			args[na++] = v_copy(a[0]);
		r = jn_apply(cx, a[1].v, args, na, VU(), env);
		while (na > 0)
			v_free(args[--na]);
		if (v_err(r))
			return r;
		acc = r;
	}
	return acc;
}

static V
f_sift(FNARGS)
{
	jv out = jv_object();
	V r;

	UNUSED;
	if (v_undef(a[0]) || !v_isobj(a[0])) {
		jv_free(out);
		return VU();
	}
	jv_object_foreach(a[0].v, k, v) {
		r = hof(cx, a[1], jv_copy(v), jv_copy(k), a[0], env);
		if (v_err(r)) {
			jv_free(k);
			jv_free(v);
			jv_free(out);
			return r;
		}
		if (jn_bool(r))
			out = jv_object_set(out, k, v);
		else {
			jv_free(k);
			jv_free(v);
		}
		v_free(r);
	}
	if (jv_object_length(jv_copy(out)) == 0) {
		jv_free(out);
		return VU();
	}
	return VJ(out);
}

static V
f_each(FNARGS)
{
	V out = seq_new(), r;

	UNUSED;
	if (!v_isobj(a[0]))
		return out;
	jv_object_foreach(a[0].v, k, v) {
		r = hof(cx, a[1], v, k, a[0], env);
		if (v_err(r)) {
			v_free(out);
			return r;
		}
		if (!v_undef(r))
			seq_push(&out, r.v);
	}
	return out;
}

static V
f_zip(FNARGS)
{
	jv out = jv_array(), t;
	int i, j, m = -1, k;

	UNUSED;
	for (j = 0; j < n; j++) {
		k = v_isarr(a[j]) ? len(a[j]) : 0;
		if (m < 0 || k < m)
			m = k;
	}
	for (i = 0; i < m; i++) {
		t = jv_array();
		for (j = 0; j < n; j++)
			t = jv_array_append(t, at(a[j], i));
		out = jv_array_append(out, t);
	}
	return VJ(out);
}

static V
f_sort(FNARGS)
{
	int k, i, nums = 1, strs = 1;
	jv x;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	k = len(a[0]);
	if (k <= 1)
		return v_copy(a[0]);
	if (n < 2 || v_undef(a[1])) {
		for (i = 0; i < k; i++) {
			x = at(a[0], i);
			if (jv_get_kind(x) != JV_KIND_NUMBER || j_isfn(x))
				nums = 0;
			if (jv_get_kind(x) != JV_KIND_STRING)
				strs = 0;
			jv_free(x);
		}
		if (!nums && !strs)
			return fail1("D3070", 1, jv_invalid());
		return jn_sort(cx, jv_copy(a[0].v), jv_invalid(), NULL, env,
		    0);
	}
	return jn_sort(cx, jv_copy(a[0].v), a[1].v, NULL, env, 0);
}

/* Arrays and objects */

static V
f_keys(FNARGS)
{
	V out = seq_new();
	jv seen = jv_object(), x;
	int i, k;

	UNUSED;
	if (v_isarr(a[0])) {
		k = len(a[0]);
		for (i = 0; i < k; i++) {
			x = at(a[0], i);
			if (jv_get_kind(x) == JV_KIND_OBJECT) {
				jv_object_foreach(x, key, val) {
					jv_free(val);
					if (!jv_object_has(jv_copy(seen),
					    jv_copy(key))) {
						seen = jv_object_set(seen,
						    jv_copy(key), jv_true());
						seq_push(&out, key);
					} else
						jv_free(key);
				}
			}
			jv_free(x);
		}
	} else if (v_isobj(a[0])) {
		jv_object_foreach(a[0].v, key, val) {
			jv_free(val);
			seq_push(&out, key);
		}
	}
	jv_free(seen);
	return out;
}

static V
f_lookup(FNARGS)
{
	UNUSED;
	if (v_undef(a[1]))
		return VU();
	return jn_lookup_key(a[0], str(a[1]));
}

static V
f_append(FNARGS)
{
	UNUSED;
	return jn_append(v_copy(a[0]), v_copy(a[1]));
}

static V
spread(V x)
{
	V out = seq_new(), s;
	int i, k;

	if (v_isarr(x)) {
		k = len(x);
		for (i = 0; i < k; i++) {
			s = spread(VJ(at(x, i)));
			out = jn_append(out, s);
		}
		out.f |= VF_SEQ;
		v_free(x);
		return out;
	}
	if (v_isobj(x)) {
		jv_object_foreach(x.v, key, val)
			seq_push(&out, JV_OBJECT(key, val));
		v_free(x);
		return out;
	}
	v_free(out);
	return x;
}

static V
f_spread(FNARGS)
{
	UNUSED;
	return spread(v_copy(a[0]));
}

static V
f_merge(FNARGS)
{
	jv out = jv_object(), x;
	int i, k;

	UNUSED;
	if (v_undef(a[0])) {
		jv_free(out);
		return VU();
	}
	k = len(a[0]);
	for (i = 0; i < k; i++) {
		x = at(a[0], i);
		if (jv_get_kind(x) == JV_KIND_OBJECT) {
			jv_object_foreach(x, key, val)
				out = jv_object_set(out, key, val);
		}
		jv_free(x);
	}
	return VJ(out);
}

static V
f_reverse(FNARGS)
{
	jv out;
	int i, k;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	k = len(a[0]);
	if (k <= 1)
		return v_copy(a[0]);
	out = jv_array();
	for (i = k - 1; i >= 0; i--)
		out = jv_array_append(out, at(a[0], i));
	return VJ(out);
}

static V
f_shuffle(FNARGS)
{
	jv *items, out;
	int i, j, k;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	k = len(a[0]);
	if (k <= 1)
		return v_copy(a[0]);
	if ((items = calloc(k, sizeof(*items))) == NULL)
		abort();
	for (i = 0; i < k; i++)
		items[i] = at(a[0], i);
	for (i = k - 1; i > 0; i--) {
		j = (int)floor(jn_random(cx) * (i + 1));
		{
			jv t = items[i];

			items[i] = items[j];
			items[j] = t;
		}
	}
	out = jv_array();
	for (i = 0; i < k; i++)
		out = jv_array_append(out, items[i]);
	free(items);
	return VJ(out);
}

static V
f_distinct(FNARGS)
{
	V out;
	jv x, y;
	int i, j, k, m, dup;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	if (!v_isarr(a[0]) || len(a[0]) <= 1)
		return v_copy(a[0]);
	out = (a[0].f & VF_SEQ) ? seq_new() : VJ(jv_array());
	k = len(a[0]);
	for (i = 0; i < k; i++) {
		x = at(a[0], i);
		m = len(out);
		for (dup = 0, j = 0; j < m && !dup; j++) {
			y = at(out, j);
			dup = jn_deep_equal(jv_copy(x), y);
		}
		if (dup)
			jv_free(x);
		else
			seq_push(&out, x);
	}
	return out;
}

static V
f_error(FNARGS)
{
	UNUSED;
	return fail("D3137", JV_OBJECT(jv_string("message"),
	    n > 0 && v_isstr(a[0]) && slen(a[0]) > 0 ? jv_copy(a[0].v) :
	    jv_string("$error() function evaluated")));
}

static V
f_assert(FNARGS)
{
	UNUSED;
	if (jn_bool(a[0]))
		return VU();
	return fail("D3141", JV_OBJECT(jv_string("message"),
	    n > 1 && v_isstr(a[1]) && slen(a[1]) > 0 ? jv_copy(a[1].v) :
	    jv_string("$assert() statement failed")));
}

static V
f_type(FNARGS)
{
	UNUSED;
	if (v_undef(a[0]))
		return VU();
	if (v_isfn(a[0]))
		return VJ(jv_string("function"));
	switch (jv_get_kind(a[0].v)) {
	case JV_KIND_NULL: return VJ(jv_string("null"));
	case JV_KIND_NUMBER: return VJ(jv_string("number"));
	case JV_KIND_STRING: return VJ(jv_string("string"));
	case JV_KIND_TRUE:
	case JV_KIND_FALSE: return VJ(jv_string("boolean"));
	case JV_KIND_ARRAY: return VJ(jv_string("array"));
	default: return VJ(jv_string("object"));
	}
}

/* Encodings */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*
 * jsonata-js under Node encodes the string's "binary" form: each
 * character's low byte, so only Latin-1 text round-trips.
 */
static V
f_base64encode(FNARGS)
{
	const char *s;
	size_t i = 0, k, nb = 0, q;
	unsigned char *bytes;
	jv out = jv_string("");
	char quad[4];

	UNUSED;
	if (v_undef(a[0])) {
		jv_free(out);
		return VU();
	}
	s = str(a[0]);
	k = slen(a[0]);
	if ((bytes = malloc(k + 3)) == NULL)
		abort();
	while (i < k)
		bytes[nb++] = (unsigned char)(utf8_decode(s, k, &i) & 0xFF);
	for (q = 0; q < nb; q += 3) {
		unsigned v = (unsigned)bytes[q] << 16;

		if (q + 1 < nb)
			v |= (unsigned)bytes[q + 1] << 8;
		if (q + 2 < nb)
			v |= bytes[q + 2];
		quad[0] = b64[(v >> 18) & 63];
		quad[1] = b64[(v >> 12) & 63];
		quad[2] = q + 1 < nb ? b64[(v >> 6) & 63] : '=';
		quad[3] = q + 2 < nb ? b64[v & 63] : '=';
		out = jv_string_append_buf(out, quad, 4);
	}
	free(bytes);
	return VJ(out);
}

static V
f_base64decode(FNARGS)
{
	const char *s, *p;
	size_t i, k;
	unsigned acc = 0;
	int bits = 0;
	jv out = jv_string("");

	UNUSED;
	if (v_undef(a[0])) {
		jv_free(out);
		return VU();
	}
	s = str(a[0]);
	k = slen(a[0]);
	for (i = 0; i < k; i++) {
		if (s[i] == '=')
			break;
		if (s[i] == '-')
			p = b64 + 62;
		else if (s[i] == '_')
			p = b64 + 63;
		else if ((p = strchr(b64, s[i])) == NULL || s[i] == '\0')
			continue;
		acc = (acc << 6) | (unsigned)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out = utf8_append(out, (acc >> bits) & 0xFF);
		}
	}
	return VJ(out);
}

static V
url_encode(V x, const char *keep)
{
	const char *s;
	size_t i, k;
	jv out = jv_string("");
	char b[4];

	if (v_undef(x)) {
		jv_free(out);
		return VU();
	}
	s = str(x);
	k = slen(x);
	for (i = 0; i < k; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalnum(c) || (c < 0x80 && strchr(keep, c) != NULL &&
		    c != '\0'))
			out = jv_string_append_buf(out, s + i, 1);
		else {
			snprintf(b, sizeof(b), "%%%02X", c);
			out = jv_string_append_str(out, b);
		}
	}
	return VJ(out);
}

static V
f_encode_url_component(FNARGS)
{
	UNUSED;
	return url_encode(a[0], "-_.!~*'()");
}

static V
f_encode_url(FNARGS)
{
	UNUSED;
	return url_encode(a[0], "-_.!~*'();/?:@&=+$,#");
}

static V
url_decode(V x, const char *keep, const char *name)
{
	const char *s;
	size_t i, k;
	jv out;
	char *buf;
	size_t o = 0;
	int hi, lo;

	if (v_undef(x))
		return VU();
	s = str(x);
	k = slen(x);
	if ((buf = malloc(k + 1)) == NULL)
		abort();
	for (i = 0; i < k; i++) {
		if (s[i] != '%') {
			buf[o++] = s[i];
			continue;
		}
		if (i + 2 >= k + 0 && i + 2 > k - 1 + 1)
			goto bad;
		if (i + 2 >= k + 1 || !isxdigit((unsigned char)s[i + 1]) ||
		    !isxdigit((unsigned char)s[i + 2]))
			goto bad;
		hi = isdigit((unsigned char)s[i + 1]) ? s[i + 1] - '0' :
		    (tolower((unsigned char)s[i + 1]) - 'a' + 10);
		lo = isdigit((unsigned char)s[i + 2]) ? s[i + 2] - '0' :
		    (tolower((unsigned char)s[i + 2]) - 'a' + 10);
		if (hi * 16 + lo < 0x80 && keep != NULL &&
		    strchr(keep, hi * 16 + lo) != NULL && hi * 16 + lo != 0) {
			memcpy(buf + o, s + i, 3);
			o += 3;
		} else
			buf[o++] = (char)(hi * 16 + lo);
		i += 2;
	}
	buf[o] = '\0';
	out = jv_string_sized(buf, (int)o);
	/* jv replaces bad UTF-8; decodeURIComponent throws instead */
	if ((size_t)jv_string_length_bytes(jv_copy(out)) != o ||
	    memcmp(jv_string_value(out), buf, o) != 0) {
		jv_free(out);
		goto bad;
	}
	free(buf);
	return VJ(out);
bad:
	free(buf);
	return fail("D3140", JV_OBJECT(jv_string("value"), jv_copy(x.v),
	    jv_string("functionName"), jv_string(name)));
}

static V
f_decode_url_component(FNARGS)
{
	UNUSED;
	return url_decode(a[0], NULL, "decodeUrlComponent");
}

static V
f_decode_url(FNARGS)
{
	UNUSED;
	return url_decode(a[0], ";/?:@&=+$,#", "decodeUrl");
}

/* Date and time */

static V
f_now(FNARGS)
{
	UNUSED;
	return jn_from_millis(cx->now, n > 0 ? a[0].v : jv_invalid(),
	    n > 1 ? a[1].v : jv_invalid());
}

static V
f_millis(FNARGS)
{
	UNUSED;
	return VJ(jv_number(cx->now));
}

static V
f_from_millis(FNARGS)
{
	UNUSED;
	if (v_undef(a[0]))
		return VU();
	return jn_from_millis(num(a[0]), n > 1 ? a[1].v : jv_invalid(),
	    n > 2 ? a[2].v : jv_invalid());
}

static V
f_to_millis(FNARGS)
{
	UNUSED;
	if (v_undef(a[0]))
		return VU();
	return jn_to_millis(a[0].v, n > 1 ? a[1].v : jv_invalid(), cx->now);
}

static V
f_format_integer(FNARGS)
{
	UNUSED;
	if (v_undef(a[0]))
		return VU();
	return jn_format_integer(num(a[0]), str(a[1]));
}

static V
f_parse_integer(FNARGS)
{
	UNUSED;
	if (v_undef(a[0]))
		return VU();
	return jn_parse_integer(a[0].v, str(a[1]));
}

/* The functions Step Functions adds */

/* AWS: $partition([0,1,2,3], 3) is [[0,1,2],[3]]; never unwrapped. */
static V
f_partition(FNARGS)
{
	jv out = jv_array(), chunk = jv_array();
	int i, k, size;

	UNUSED;
	if (v_undef(a[0]) || v_undef(a[1])) {
		jv_free(out);
		jv_free(chunk);
		return VU();
	}
	if (num(a[1]) < 1 || floor(num(a[1])) != num(a[1])) {
		jv_free(out);
		jv_free(chunk);
		return fail1("D3137", 2, jv_copy(a[1].v));
	}
	size = (int)num(a[1]);
	k = len(a[0]);
	for (i = 0; i < k; i++) {
		chunk = jv_array_append(chunk, at(a[0], i));
		if (jv_array_length(jv_copy(chunk)) == size) {
			out = jv_array_append(out, chunk);
			chunk = jv_array();
		}
	}
	if (jv_array_length(jv_copy(chunk)) > 0)
		out = jv_array_append(out, chunk);
	else
		jv_free(chunk);
	return VJ(out);
}

/*
 * AWS: $range(first, last, step) counts from first to last inclusive;
 * the result is a sequence, so a single number comes back bare
 * ($range(1, 9, 9) is 1).
 */
static V
f_range(FNARGS)
{
	V out = seq_new();
	double x, last, step = 1;
	long count = 0;

	UNUSED;
	if (v_undef(a[0]) || v_undef(a[1])) {
		v_free(out);
		return VU();
	}
	x = num(a[0]);
	last = num(a[1]);
	if (n > 2 && !v_undef(a[2]))
		step = num(a[2]);
	if (step == 0) {
		v_free(out);
		return fail1("D3137", 3, jv_copy(a[2].v));
	}
	for (; step > 0 ? x <= last : x >= last; x += step) {
		if (++count > 10000000) {
			v_free(out);
			return fail("D2014", JV_OBJECT(jv_string("value"),
			    jv_number((double)count)));
		}
		seq_push(&out, jv_number(x));
	}
	return out;
}

/*
 * TODO: $hash needs lib/asl_hash (MD5, SHA-1, SHA-256, SHA-384,
 * SHA-512), written on the intrinsic branch and not yet on main.
 */
static V
f_hash(FNARGS)
{
	UNUSED;
	if (v_undef(a[0]))
		return VU();
	return fail("D3137", JV_OBJECT(jv_string("message"),
	    jv_string("$hash() is not available yet in this build")));
}

static V
f_uuid(FNARGS)
{
	unsigned char b[16];
	char s[40];
	int i;
	uint64_t r;

	UNUSED;
	for (i = 0; i < 16; i += 8) {
		r = (uint64_t)(jn_random(cx) * 9007199254740992.0) ^
		    ((uint64_t)(jn_random(cx) * 2048) << 53);
		memcpy(b + i, &r, 8);
	}
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(s, sizeof(s), "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
	    b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
	    b[14], b[15]);
	return VJ(jv_string(s));
}

/* AWS: $parse(jsonString) is JSON.parse. */
static V
f_parse(FNARGS)
{
	jv r, m;

	UNUSED;
	if (v_undef(a[0]))
		return VU();
	r = asl_json_parse(str(a[0]), slen(a[0]), NULL, NULL);
	if (jv_is_valid(r))
		return VJ(r);
	m = jv_invalid_get_msg(r);
	r = jv_object_get(m, jv_string("message"));
	if (jv_get_kind(r) != JV_KIND_STRING) {
		jv_free(r);
		r = jv_string("invalid JSON");
	}
	m = jv_string_fmt("Unable to parse JSON: %s", jv_string_value(r));
	jv_free(r);
	return fail("D3137", JV_OBJECT(jv_string("message"), m));
}

const struct jbuiltin jn_builtins[] = {
	{"abs", "<n-:n>", 1, f_abs},
	{"append", "<xx:a>", 2, f_append},
	{"assert", "<bs?:x>", 2, f_assert},
	{"average", "<a<n>:n>", 1, f_average},
	{"base64decode", "<s-:s>", 1, f_base64decode},
	{"base64encode", "<s-:s>", 1, f_base64encode},
	{"boolean", "<x-:b>", 1, f_boolean},
	{"ceil", "<n-:n>", 1, f_ceil},
	{"contains", "<s-(sf):b>", 2, f_contains},
	{"count", "<a:n>", 1, f_count},
	{"decodeUrl", "<s-:s>", 1, f_decode_url},
	{"decodeUrlComponent", "<s-:s>", 1, f_decode_url_component},
	{"distinct", "<x:x>", 1, f_distinct},
	{"each", "<o-f:a>", 2, f_each},
	{"encodeUrl", "<s-:s>", 1, f_encode_url},
	{"encodeUrlComponent", "<s-:s>", 1, f_encode_url_component},
	{"error", "<s?:x>", 1, f_error},
	{"exists", "<x:b>", 1, f_exists},
	{"filter", "<af>", 2, f_filter},
	{"floor", "<n-:n>", 1, f_floor},
	{"formatBase", "<n-n?:s>", 2, f_format_base},
	{"formatInteger", "<n-s:s>", 2, f_format_integer},
	{"formatNumber", "<n-so?:s>", 3, f_format_number},
	{"fromMillis", "<n-s?s?:s>", 3, f_from_millis},
	{"hash", "<s-s?:s>", 2, f_hash},
	{"join", "<a<s>s?:s>", 2, f_join},
	{"keys", "<x-:a<s>>", 1, f_keys},
	{"length", "<s-:n>", 1, f_length},
	{"lookup", "<x-s:x>", 2, f_lookup},
	{"lowercase", "<s-:s>", 1, f_lowercase},
	{"map", "<af>", 2, f_map},
	{"match", "<s-f<s:o>n?:a<o>>", 3, f_match},
	{"max", "<a<n>:n>", 1, f_max},
	{"merge", "<a<o>:o>", 1, f_merge},
	{"millis", "<:n>", 0, f_millis},
	{"min", "<a<n>:n>", 1, f_min},
	{"not", "<x-:b>", 1, f_not},
	{"now", "<s?s?:s>", 2, f_now},
	{"number", "<(nsb)-:n>", 1, f_number},
	{"pad", "<s-ns?:s>", 3, f_pad},
	{"parse", "<s-:x>", 1, f_parse},
	{"parseInteger", "<s-s:n>", 2, f_parse_integer},
	{"partition", "<an:a>", 2, f_partition},
	{"power", "<n-n:n>", 2, f_power},
	{"random", "<n?:n>", 0, f_random},
	{"range", "<nnn?:a>", 3, f_range},
	{"reduce", "<afj?:j>", 3, f_reduce},
	{"replace", "<s-(sf)(sf)n?:s>", 4, f_replace},
	{"reverse", "<a:a>", 1, f_reverse},
	{"round", "<n-n?:n>", 2, f_round},
	{"shuffle", "<a:a>", 1, f_shuffle},
	{"sift", "<o-f?:o>", 2, f_sift},
	{"single", "<af?>", 2, f_single},
	{"sort", "<af?:a>", 2, f_sort},
	{"split", "<s-(sf)n?:a<s>>", 3, f_split},
	{"spread", "<x-:a<o>>", 1, f_spread},
	{"sqrt", "<n-:n>", 1, f_sqrt},
	{"string", "<x-b?:s>", 1, f_string},
	{"substring", "<s-nn?:s>", 3, f_substring},
	{"substringAfter", "<s-s:s>", 2, f_substring_after},
	{"substringBefore", "<s-s:s>", 2, f_substring_before},
	{"sum", "<a<n>:n>", 1, f_sum},
	{"toMillis", "<s-s?:n>", 2, f_to_millis},
	{"trim", "<s-:s>", 1, f_trim},
	{"type", "<x:s>", 1, f_type},
	{"uppercase", "<s-:s>", 1, f_uppercase},
	{"uuid", "<:s>", 0, f_uuid},
	{"zip", "<a+>", 0, f_zip},
	{NULL, NULL, 0, NULL}
};

const struct jbuiltin *
jn_builtin_find(const char *name)
{
	int lo = 0, hi = (int)(sizeof(jn_builtins) / sizeof(jn_builtins[0])) -
	    2, mid, c;

	while (lo <= hi) {
		mid = (lo + hi) / 2;
		c = strcmp(name, jn_builtins[mid].name);
		if (c == 0)
			return &jn_builtins[mid];
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return NULL;
}
