/*
 * jn_string.c - JSONata's string functions and how values become text:
 * $string and JavaScript's number printing, $substring and friends,
 * case, padding, trimming, and the functions that take a regex or a
 * string: $contains, $match, $replace, $split, $join.
 *
 * Strings are UTF-8; where JavaScript counts UTF-16 code units ($length,
 * $substring, match indexes) these count code points, which agree
 * outside the astral planes.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asl_json.h"
#include "asl_utf8.h"
#include "jn.h"


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

	if (jn_isfn(x)) {
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
	if (jn_isfn(x)) {
		jv_free(x);
		return jv_string("");
	}
	if (jv_get_kind(x) == JV_KIND_NUMBER && !isfinite(jv_number_value(x))) {
		*err = jn_err("D3001", JV_OBJECT(jv_string("value"), x));
		return jv_string("");
	}
	return stringify(jv_string(""), x, pretty, 0);
}

/* Strings */

static V
f_string(FNARGS)
{
	V err = VU();
	jv s;
	jv x;

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	x = jv_copy(a[0].v);
	if (jn_v_isarr(a[0]) && (a[0].f & VF_OUTER) && jn_len(a[0]) > 0) {
		jv_free(x);
		x = jn_at(a[0], 0);
	}
	s = jn_string_of(cx, x, n > 1 && jn_bool(a[1]), &err);
	if (jn_v_err(err)) {
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
	size_t n = asl_utf8_count(s, bytes), b, e;

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
	b = asl_utf8_offset(s, bytes, b);
	e = asl_utf8_offset(s, bytes, e);
	return jv_string_sized(s + b, (int)(e - b));
}

static V
f_substring(FNARGS)
{
	double start, length, end, sl;

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	sl = (double)asl_utf8_count(jn_str(a[0]), jn_slen(a[0]));
	start = jn_num(a[1]);
	if (sl + start < 0)
		start = 0;
	if (n > 2 && !jn_v_undef(a[2])) {
		length = jn_num(a[2]);
		if (length <= 0)
			return VJ(jv_string(""));
		end = start >= 0 ? start + length : sl + start + length;
		return VJ(cp_slice(jn_str(a[0]), jn_slen(a[0]), start, end));
	}
	return VJ(cp_slice(jn_str(a[0]), jn_slen(a[0]), start, sl));
}

static V
f_substring_ba(V *a, int after)
{
	const char *s, *p;

	if (jn_v_undef(a[0]))
		return VU();
	s = jn_str(a[0]);
	if (jn_v_undef(a[1]))
		return jn_v_copy(a[0]);
	p = strstr(s, jn_str(a[1]));
	if (p == NULL)
		return jn_v_copy(a[0]);
	if (after)
		return VJ(jv_string(p + jn_slen(a[1])));
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

	if (jn_v_undef(x))
		return VU();
	out = jv_string("");
	s = jn_str(x);
	k = jn_slen(x);
	while (i < k) {
		unsigned c = asl_utf8_decode(s, k, &i);

		if (upper && c == 0xDF)		/* sharp s: "SS" */
			out = jv_string_append_str(out, "SS");
		else
			out = jn_utf8_append(out, case_map(c, upper));
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
	if (jn_v_undef(a[0]))
		return VU();
	return VJ(jv_number((double)asl_utf8_count(jn_str(a[0]), jn_slen(a[0]))));
}

static V
f_trim(FNARGS)
{
	const char *s;
	size_t i, k;
	jv out;
	int ws = 0;

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	out = jv_string("");
	s = jn_str(a[0]);
	k = jn_slen(a[0]);
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

/*
 * The longest padding $pad makes, in characters: jsonata-js stops at
 * JavaScript's longest string (2^29 - 24 UTF-16 units in V8) with a
 * RangeError; 16 Mi keeps the memory of one call well under that.
 */
#define JN_MAX_PAD	((double)(1 << 24))

static V
f_pad(FNARGS)
{
	double w, want;
	long padlen, i;
	const char *c = " ";
	size_t clen = 1, ccp, sl;
	jv pad, out;

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	if (n > 2 && !jn_v_undef(a[2]) && jn_slen(a[2]) > 0) {
		c = jn_str(a[2]);
		clen = jn_slen(a[2]);
	}
	w = jn_num(a[1]);
	sl = asl_utf8_count(jn_str(a[0]), jn_slen(a[0]));
	/* an undefined width is NaN: no padding, as in JavaScript */
	want = fabs(trunc(w)) - (double)sl;
	if (!(want > 0))
		return jn_v_copy(a[0]);
	if (want > JN_MAX_PAD)
		return jn_err("ASL.PadLimit", JV_OBJECT(jv_string("index"),
		    jv_number(2), jv_string("value"), jv_number(w)));
	padlen = (long)want;
	/* the fill doubled until it is long enough, then cut */
	ccp = asl_utf8_count(c, clen);
	pad = jv_string_sized(c, (int)clen);
	for (i = (long)ccp; i < padlen; i *= 2)
		pad = jv_string_concat(pad, jv_copy(pad));
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
	mt->s = jn_str(s);
	mt->n = jn_slen(s);
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
	return (double)asl_utf8_count(mt->s, (size_t)mt->m[0].rm_so);
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
		    jv_string("end"), jv_number((double)asl_utf8_count(mt.s,
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
	if (jn_v_undef(a[0]))
		return VU();
	if (jn_v_isstr(a[1]))
		return VJ(jv_bool(strstr(jn_str(a[0]), jn_str(a[1])) != NULL));
	matcher_init(&mt, cx, a[1], a[0]);
	if ((r = next_match(&mt, &err)) < 0)
		return err;
	return VJ(jv_bool(r));
}

static V
f_match(FNARGS)
{
	struct matcher mt;
	V err = VU(), out = jn_seq_new();
	double limit = -1;
	int r;

	UNUSED;
	if (jn_v_undef(a[0])) {
		jn_v_free(out);
		return VU();
	}
	if (n > 2 && !jn_v_undef(a[2])) {
		limit = jn_num(a[2]);
		if (limit < 0) {
			jn_v_free(out);
			return jn_fail1("D3040", 3, jv_copy(a[2].v));
		}
	}
	matcher_init(&mt, cx, a[1], a[0]);
	while (limit < 0 || mt.count < limit) {
		if ((r = next_match(&mt, &err)) < 0) {
			jn_v_free(out);
			return err;
		}
		if (r == 0)
			break;
		jn_seq_push(&out, JV_OBJECT(jv_string("match"), match_text(&mt),
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
	if (jn_v_undef(a[0]))
		return VU();
	if (jn_v_isstr(a[1]) && jn_slen(a[1]) == 0)
		return jn_fail1("D3010", 2, jv_copy(a[1].v));
	if (n > 3 && !jn_v_undef(a[3])) {
		limit = jn_num(a[3]);
		if (limit < 0)
			return jn_fail1("D3011", 4, jv_copy(a[3].v));
	}
	s = jn_str(a[0]);
	out = jv_string("");
	if (jn_v_isstr(a[1])) {
		pat = jn_str(a[1]);
		plen = jn_slen(a[1]);
		while ((limit < 0 || count < limit) &&
		    (p = strstr(s + pos, pat)) != NULL) {
			out = jv_string_append_buf(out, s + pos,
			    (int)(p - (s + pos)));
			out = jv_string_concat(out, jn_v_isstr(a[2]) ?
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
		if (jn_v_isstr(a[2]))
			out = jv_string_concat(out, substitute(&mt,
			    jn_str(a[2])));
		else {
			arg = VJ(JV_OBJECT(jv_string("match"), match_text(&mt),
			    jv_string("start"), jv_number(match_index(&mt)),
			    jv_string("end"), jv_number((double)asl_utf8_count(s,
			    (size_t)mt.m[0].rm_eo)), jv_string("groups"),
			    groups_of(&mt)));
			r = jn_apply(cx, a[2].v, &arg, 1, VU(), env);
			jn_v_free(arg);
			if (jn_v_err(r)) {
				jv_free(out);
				return r;
			}
			if (!jn_v_isstr(r)) {
				jv_free(out);
				return jn_err("D3012", JV_OBJECT(
				    jv_string("value"), jn_v_undef(r) ?
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
	if (jn_v_undef(a[0])) {
		jv_free(out);
		return VU();
	}
	if (n > 2 && !jn_v_undef(a[2])) {
		limit = jn_num(a[2]);
		if (limit < 0) {
			jv_free(out);
			return jn_fail1("D3020", 3, jv_copy(a[2].v));
		}
	}
	s = jn_str(a[0]);
	k = jn_slen(a[0]);
	if (limit == 0)
		return VJ(out);
	if (jn_v_isstr(a[1])) {
		sep = jn_str(a[1]);
		seplen = jn_slen(a[1]);
		if (seplen == 0) {
			for (i = 0; i < k && (limit < 0 ||
			    jv_array_length(jv_copy(out)) < limit);) {
				size_t j = i;

				asl_utf8_decode(s, k, &j);
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
	if (jn_v_undef(a[0])) {
		jv_free(out);
		return VU();
	}
	k = jn_len(a[0]);
	for (i = 0; i < k; i++) {
		if (i > 0 && n > 1 && jn_v_isstr(a[1]))
			out = jv_string_concat(out, jv_copy(a[1].v));
		out = jv_string_concat(out, jn_at(a[0], i));
	}
	return VJ(out);
}


const struct jbuiltin jn_builtins_string[] = {
	{"contains", "<s-(sf):b>", 2, f_contains},
	{"join", "<a<s>s?:s>", 2, f_join},
	{"length", "<s-:n>", 1, f_length},
	{"lowercase", "<s-:s>", 1, f_lowercase},
	{"match", "<s-f<s:o>n?:a<o>>", 3, f_match},
	{"pad", "<s-ns?:s>", 3, f_pad},
	{"replace", "<s-(sf)(sf)n?:s>", 4, f_replace},
	{"split", "<s-(sf)n?:a<s>>", 3, f_split},
	{"string", "<x-b?:s>", 1, f_string},
	{"substring", "<s-nn?:s>", 3, f_substring},
	{"substringAfter", "<s-s:s>", 2, f_substring_after},
	{"substringBefore", "<s-s:s>", 2, f_substring_before},
	{"trim", "<s-:s>", 1, f_trim},
	{"uppercase", "<s-:s>", 1, f_uppercase},
	{NULL, NULL, 0, NULL}
};
