/*
 * jn_func.c - JSONata's function library, as jsonata-js 2.0.6 defines it
 * (signatures included: they decide T0410/T0411/T0412 and when the
 * context stands in for a missing argument), less $eval, which AWS
 * removes, plus the functions Step Functions adds: $partition, $range,
 * $hash, $random with a seed, $uuid and $parse.  This file holds the
 * booleans, the higher-order and array and object functions, errors and
 * types, encodings, dates, and the table of every builtin; the string
 * and number functions are in jn_string.c and jn_number.c.
 *
 * Builtins borrow their arguments and return an owned value.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asl_json.h"
#include "asl_utf8.h"
#include "jn.h"

/* Booleans */

static V
f_boolean(FNARGS)
{
	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	if (jn_v_isfn(a[0]))
		return VJ(jv_false());
	return VJ(jv_bool(jn_bool(a[0])));
}

static V
f_not(FNARGS)
{
	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	return VJ(jv_bool(!jn_bool(a[0])));
}

static V
f_exists(FNARGS)
{
	UNUSED;
	return VJ(jv_bool(!jn_v_undef(a[0])));
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
		args[k++] = jn_v_copy(arr);
	r = jn_apply(cx, f.v, args, k, VU(), env);
	while (k > 0)
		jn_v_free(args[--k]);
	return r;
}

static V
f_map(FNARGS)
{
	V out = jn_seq_new(), r;
	int i, k;

	UNUSED;
	if (jn_v_undef(a[0])) {
		jn_v_free(out);
		return VU();
	}
	k = jn_len(a[0]);
	for (i = 0; i < k; i++) {
		r = hof(cx, a[1], jn_at(a[0], i), jv_number(i), a[0], env);
		if (jn_v_err(r)) {
			jn_v_free(out);
			return r;
		}
		if (!jn_v_undef(r))
			jn_seq_push(&out, r.v);
	}
	return out;
}

static V
f_filter(FNARGS)
{
	V out = jn_seq_new(), r;
	int i, k;

	UNUSED;
	if (jn_v_undef(a[0])) {
		jn_v_free(out);
		return VU();
	}
	k = jn_len(a[0]);
	for (i = 0; i < k; i++) {
		r = hof(cx, a[1], jn_at(a[0], i), jv_number(i), a[0], env);
		if (jn_v_err(r)) {
			jn_v_free(out);
			return r;
		}
		if (jn_bool(r))
			jn_seq_push(&out, jn_at(a[0], i));
		jn_v_free(r);
	}
	return out;
}

static V
f_single(FNARGS)
{
	V r, found = VU();
	int i, k, ok;

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	k = jn_len(a[0]);
	for (i = 0; i < k; i++) {
		ok = 1;
		if (n > 1 && !jn_v_undef(a[1])) {
			r = hof(cx, a[1], jn_at(a[0], i), jv_number(i), a[0], env);
			if (jn_v_err(r)) {
				jn_v_free(found);
				return r;
			}
			ok = jn_bool(r);
			jn_v_free(r);
		}
		if (!ok)
			continue;
		if (!jn_v_undef(found)) {
			jn_v_free(found);
			return jn_fail1("D3138", i, jv_invalid());
		}
		found = VJ(jn_at(a[0], i));
	}
	if (jn_v_undef(found))
		return jn_err("D3139", jv_object());
	return found;
}

static V
f_reduce(FNARGS)
{
	V acc, args[4], r;
	int ar, i, k, na;

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	ar = jn_fn_arity(cx, a[1].v);
	if (ar < 2)
		return jn_fail1("D3050", 1, jv_invalid());
	k = jn_len(a[0]);
	if ((n < 3 || jn_v_undef(a[2])) && k > 0) {
		acc = VJ(jn_at(a[0], 0));
		i = 1;
	} else {
		acc = n > 2 ? jn_v_copy(a[2]) : VU();
		i = 0;
	}
	for (; i < k; i++) {
		args[0] = acc;
		args[1] = VJ(jn_at(a[0], i));
		na = 2;
		if (ar >= 3)
			args[na++] = VJ(jv_number(i));
		if (ar >= 4)
			args[na++] = jn_v_copy(a[0]);
		r = jn_apply(cx, a[1].v, args, na, VU(), env);
		while (na > 0)
			jn_v_free(args[--na]);
		if (jn_v_err(r))
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
	if (jn_v_undef(a[0]) || !jn_v_isobj(a[0])) {
		jv_free(out);
		return VU();
	}
	jv_object_foreach(a[0].v, k, v) {
		r = hof(cx, a[1], jv_copy(v), jv_copy(k), a[0], env);
		if (jn_v_err(r)) {
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
		jn_v_free(r);
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
	V out = jn_seq_new(), r;

	UNUSED;
	if (!jn_v_isobj(a[0]))
		return out;
	jv_object_foreach(a[0].v, k, v) {
		r = hof(cx, a[1], v, k, a[0], env);
		if (jn_v_err(r)) {
			jn_v_free(out);
			return r;
		}
		if (!jn_v_undef(r))
			jn_seq_push(&out, r.v);
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
		k = jn_v_isarr(a[j]) ? jn_len(a[j]) : 0;
		if (m < 0 || k < m)
			m = k;
	}
	for (i = 0; i < m; i++) {
		t = jv_array();
		for (j = 0; j < n; j++)
			t = jv_array_append(t, jn_at(a[j], i));
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
	if (jn_v_undef(a[0]))
		return VU();
	k = jn_len(a[0]);
	if (k <= 1)
		return jn_v_copy(a[0]);
	if (n < 2 || jn_v_undef(a[1])) {
		for (i = 0; i < k; i++) {
			x = jn_at(a[0], i);
			if (jv_get_kind(x) != JV_KIND_NUMBER || jn_isfn(x))
				nums = 0;
			if (jv_get_kind(x) != JV_KIND_STRING)
				strs = 0;
			jv_free(x);
		}
		if (!nums && !strs)
			return jn_fail1("D3070", 1, jv_invalid());
		return jn_sort(cx, jv_copy(a[0].v), jv_invalid(), NULL, env,
		    0);
	}
	return jn_sort(cx, jv_copy(a[0].v), a[1].v, NULL, env, 0);
}

/* Arrays and objects */

static V
f_keys(FNARGS)
{
	V out = jn_seq_new();
	jv seen = jv_object(), x;
	int i, k;

	UNUSED;
	if (jn_v_isarr(a[0])) {
		k = jn_len(a[0]);
		for (i = 0; i < k; i++) {
			x = jn_at(a[0], i);
			if (jv_get_kind(x) == JV_KIND_OBJECT) {
				jv_object_foreach(x, key, val) {
					jv_free(val);
					if (!jv_object_has(jv_copy(seen),
					    jv_copy(key))) {
						seen = jv_object_set(seen,
						    jv_copy(key), jv_true());
						jn_seq_push(&out, key);
					} else
						jv_free(key);
				}
			}
			jv_free(x);
		}
	} else if (jn_v_isobj(a[0])) {
		jv_object_foreach(a[0].v, key, val) {
			jv_free(val);
			jn_seq_push(&out, key);
		}
	}
	jv_free(seen);
	return out;
}

static V
f_lookup(FNARGS)
{
	UNUSED;
	if (jn_v_undef(a[1]))
		return VU();
	return jn_lookup_key(a[0], jn_str(a[1]));
}

static V
f_append(FNARGS)
{
	UNUSED;
	return jn_append(jn_v_copy(a[0]), jn_v_copy(a[1]));
}

static V
spread(V x)
{
	V out = jn_seq_new(), s;
	int i, k;

	if (jn_v_isarr(x)) {
		k = jn_len(x);
		for (i = 0; i < k; i++) {
			s = spread(VJ(jn_at(x, i)));
			out = jn_append(out, s);
		}
		out.f |= VF_SEQ;
		jn_v_free(x);
		return out;
	}
	if (jn_v_isobj(x)) {
		jv_object_foreach(x.v, key, val)
			jn_seq_push(&out, JV_OBJECT(key, val));
		jn_v_free(x);
		return out;
	}
	jn_v_free(out);
	return x;
}

static V
f_spread(FNARGS)
{
	UNUSED;
	return spread(jn_v_copy(a[0]));
}

static V
f_merge(FNARGS)
{
	jv out = jv_object(), x;
	int i, k;

	UNUSED;
	if (jn_v_undef(a[0])) {
		jv_free(out);
		return VU();
	}
	k = jn_len(a[0]);
	for (i = 0; i < k; i++) {
		x = jn_at(a[0], i);
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
	if (jn_v_undef(a[0]))
		return VU();
	k = jn_len(a[0]);
	if (k <= 1)
		return jn_v_copy(a[0]);
	out = jv_array();
	for (i = k - 1; i >= 0; i--)
		out = jv_array_append(out, jn_at(a[0], i));
	return VJ(out);
}

static V
f_shuffle(FNARGS)
{
	jv *items, out;
	int i, j, k;

	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	k = jn_len(a[0]);
	if (k <= 1)
		return jn_v_copy(a[0]);
	if ((items = calloc(k, sizeof(*items))) == NULL)
		abort();
	for (i = 0; i < k; i++)
		items[i] = jn_at(a[0], i);
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
	if (jn_v_undef(a[0]))
		return VU();
	if (!jn_v_isarr(a[0]) || jn_len(a[0]) <= 1)
		return jn_v_copy(a[0]);
	out = (a[0].f & VF_SEQ) ? jn_seq_new() : VJ(jv_array());
	k = jn_len(a[0]);
	for (i = 0; i < k; i++) {
		x = jn_at(a[0], i);
		m = jn_len(out);
		for (dup = 0, j = 0; j < m && !dup; j++) {
			y = jn_at(out, j);
			dup = jn_deep_equal(jv_copy(x), y);
		}
		if (dup)
			jv_free(x);
		else
			jn_seq_push(&out, x);
	}
	return out;
}

static V
f_error(FNARGS)
{
	UNUSED;
	return jn_err("D3137", JV_OBJECT(jv_string("message"),
	    n > 0 && jn_v_isstr(a[0]) && jn_slen(a[0]) > 0 ? jv_copy(a[0].v) :
	    jv_string("$error() function evaluated")));
}

static V
f_assert(FNARGS)
{
	UNUSED;
	if (jn_bool(a[0]))
		return VU();
	return jn_err("D3141", JV_OBJECT(jv_string("message"),
	    n > 1 && jn_v_isstr(a[1]) && jn_slen(a[1]) > 0 ? jv_copy(a[1].v) :
	    jv_string("$assert() statement failed")));
}

static V
f_type(FNARGS)
{
	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	if (jn_v_isfn(a[0]))
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
	if (jn_v_undef(a[0])) {
		jv_free(out);
		return VU();
	}
	s = jn_str(a[0]);
	k = jn_slen(a[0]);
	if ((bytes = malloc(k + 3)) == NULL)
		abort();
	while (i < k)
		bytes[nb++] = (unsigned char)(asl_utf8_decode(s, k, &i) & 0xFF);
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
	if (jn_v_undef(a[0])) {
		jv_free(out);
		return VU();
	}
	s = jn_str(a[0]);
	k = jn_slen(a[0]);
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
			out = jn_utf8_append(out, (acc >> bits) & 0xFF);
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

	if (jn_v_undef(x)) {
		jv_free(out);
		return VU();
	}
	s = jn_str(x);
	k = jn_slen(x);
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

	if (jn_v_undef(x))
		return VU();
	s = jn_str(x);
	k = jn_slen(x);
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
	return jn_err("D3140", JV_OBJECT(jv_string("value"), jv_copy(x.v),
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
	if (jn_v_undef(a[0]))
		return VU();
	return jn_from_millis(jn_num(a[0]), n > 1 ? a[1].v : jv_invalid(),
	    n > 2 ? a[2].v : jv_invalid());
}

static V
f_to_millis(FNARGS)
{
	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	return jn_to_millis(a[0].v, n > 1 ? a[1].v : jv_invalid(), cx->now);
}

static V
f_format_integer(FNARGS)
{
	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	/* a picture that is undefined (a path to nothing) is no string */
	if (!jn_v_isstr(a[1]))
		return jn_fail1("T0410", 2, jv_invalid());
	return jn_format_integer(jn_num(a[0]), jn_str(a[1]));
}

static V
f_parse_integer(FNARGS)
{
	UNUSED;
	if (jn_v_undef(a[0]))
		return VU();
	if (!jn_v_isstr(a[1]))
		return jn_fail1("T0410", 2, jv_invalid());
	return jn_parse_integer(a[0].v, jn_str(a[1]));
}

/* The functions Step Functions adds */

/* AWS: $partition([0,1,2,3], 3) is [[0,1,2],[3]]; never unwrapped. */
static V
f_partition(FNARGS)
{
	jv out = jv_array(), chunk = jv_array();
	int i, k, size;

	UNUSED;
	if (jn_v_undef(a[0]) || jn_v_undef(a[1])) {
		jv_free(out);
		jv_free(chunk);
		return VU();
	}
	if (jn_num(a[1]) < 1 || floor(jn_num(a[1])) != jn_num(a[1])) {
		jv_free(out);
		jv_free(chunk);
		return jn_fail1("D3137", 2, jv_copy(a[1].v));
	}
	/* one chunk holds them all past any array's length */
	size = jn_num(a[1]) < INT_MAX ? (int)jn_num(a[1]) : INT_MAX;
	k = jn_len(a[0]);
	for (i = 0; i < k; i++) {
		chunk = jv_array_append(chunk, jn_at(a[0], i));
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
	V out = jn_seq_new();
	double x, last, step = 1;
	long count = 0;

	UNUSED;
	if (jn_v_undef(a[0]) || jn_v_undef(a[1])) {
		jn_v_free(out);
		return VU();
	}
	x = jn_num(a[0]);
	last = jn_num(a[1]);
	if (n > 2 && !jn_v_undef(a[2]))
		step = jn_num(a[2]);
	if (step == 0) {
		jn_v_free(out);
		return jn_fail1("D3137", 3, jv_copy(a[2].v));
	}
	for (; step > 0 ? x <= last : x >= last; x += step) {
		if (++count > 10000000) {
			jn_v_free(out);
			return jn_err("D2014", JV_OBJECT(jv_string("value"),
			    jv_number((double)count)));
		}
		jn_seq_push(&out, jv_number(x));
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
	if (jn_v_undef(a[0]))
		return VU();
	return jn_err("D3137", JV_OBJECT(jv_string("message"),
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
	if (jn_v_undef(a[0]))
		return VU();
	r = asl_json_parse(jn_str(a[0]), jn_slen(a[0]), NULL, NULL);
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
	return jn_err("D3137", JV_OBJECT(jv_string("message"), m));
}


const struct jbuiltin jn_builtins_func[] = {
	{"append", "<xx:a>", 2, f_append},
	{"assert", "<bs?:x>", 2, f_assert},
	{"base64decode", "<s-:s>", 1, f_base64decode},
	{"base64encode", "<s-:s>", 1, f_base64encode},
	{"boolean", "<x-:b>", 1, f_boolean},
	{"decodeUrl", "<s-:s>", 1, f_decode_url},
	{"decodeUrlComponent", "<s-:s>", 1, f_decode_url_component},
	{"distinct", "<x:x>", 1, f_distinct},
	{"each", "<o-f:a>", 2, f_each},
	{"encodeUrl", "<s-:s>", 1, f_encode_url},
	{"encodeUrlComponent", "<s-:s>", 1, f_encode_url_component},
	{"error", "<s?:x>", 1, f_error},
	{"exists", "<x:b>", 1, f_exists},
	{"filter", "<af>", 2, f_filter},
	{"formatInteger", "<n-s:s>", 2, f_format_integer},
	{"fromMillis", "<n-s?s?:s>", 3, f_from_millis},
	{"hash", "<s-s?:s>", 2, f_hash},
	{"keys", "<x-:a<s>>", 1, f_keys},
	{"lookup", "<x-s:x>", 2, f_lookup},
	{"map", "<af>", 2, f_map},
	{"merge", "<a<o>:o>", 1, f_merge},
	{"millis", "<:n>", 0, f_millis},
	{"not", "<x-:b>", 1, f_not},
	{"now", "<s?s?:s>", 2, f_now},
	{"parse", "<s-:x>", 1, f_parse},
	{"parseInteger", "<s-s:n>", 2, f_parse_integer},
	{"partition", "<an:a>", 2, f_partition},
	{"range", "<nnn?:a>", 3, f_range},
	{"reduce", "<afj?:j>", 3, f_reduce},
	{"reverse", "<a:a>", 1, f_reverse},
	{"shuffle", "<a:a>", 1, f_shuffle},
	{"sift", "<o-f?:o>", 2, f_sift},
	{"single", "<af?>", 2, f_single},
	{"sort", "<af?:a>", 2, f_sort},
	{"spread", "<x-:a<o>>", 1, f_spread},
	{"toMillis", "<s-s?:n>", 2, f_to_millis},
	{"type", "<x:s>", 1, f_type},
	{"uuid", "<:s>", 0, f_uuid},
	{"zip", "<a+>", 0, f_zip},
	{NULL, NULL, 0, NULL}
};

const struct jbuiltin *
jn_builtin_find(const char *name)
{
	static const struct jbuiltin *const tables[] = {
		jn_builtins_func, jn_builtins_string, jn_builtins_number
	};
	const struct jbuiltin *b;
	size_t t;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (b = tables[t]; b->name != NULL; b++)
			if (strcmp(name, b->name) == 0)
				return b;
	return NULL;
}
