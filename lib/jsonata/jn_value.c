/*
 * jn_value.c - the values of a JSONata evaluation: undefined, errors,
 * functions as values, sequences and their flags, truth and deep
 * equality, and the frames that bind variables.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jn.h"

/* Values */

int
jn_v_undef(V x)
{
	return !jv_is_valid(x.v) && !jv_invalid_has_msg(jv_copy(x.v));
}

int
jn_v_err(V x)
{
	return !jv_is_valid(x.v) && jv_invalid_has_msg(jv_copy(x.v));
}

#define FN_TAG	0x7FFA500000000000ULL
#define FN_MASK	0xFFFFF00000000000ULL

int
jn_isfn(jv x)
{
	double d;
	uint64_t b;

	if (jv_get_kind(x) != JV_KIND_NUMBER)
		return 0;
	d = jv_number_value(x);
	memcpy(&b, &d, sizeof(b));
	return (b & FN_MASK) == FN_TAG;
}

int
jn_v_isfn(V x)
{
	return jn_isfn(x.v);
}

int
jn_v_isnum(V x)
{
	return jv_get_kind(x.v) == JV_KIND_NUMBER &&
	    isfinite(jv_number_value(x.v));
}

int
jn_v_isstr(V x)
{
	return jv_get_kind(x.v) == JV_KIND_STRING;
}

int
jn_v_isarr(V x)
{
	return jv_get_kind(x.v) == JV_KIND_ARRAY;
}

int
jn_v_isobj(V x)
{
	return jv_get_kind(x.v) == JV_KIND_OBJECT;
}

int
jn_v_isbool(V x)
{
	return jv_get_kind(x.v) == JV_KIND_TRUE ||
	    jv_get_kind(x.v) == JV_KIND_FALSE;
}

void
jn_v_free(V x)
{
	jv_free(x.v);
}

V
jn_v_copy(V x)
{
	return (V){jv_copy(x.v), x.f};
}

struct jfn *
jn_fn_get(struct jctx *cx, jv f)
{
	double d;
	uint64_t b;

	if (!jn_isfn(f))
		return NULL;
	d = jv_number_value(f);
	memcpy(&b, &d, sizeof(b));
	b &= ~FN_MASK;
	if (b >= cx->nfns)
		return NULL;
	return cx->fns[b];
}

jv
jn_fn_new(struct jctx *cx, struct jfn *fn)
{
	struct jfn **nf;
	uint64_t b;
	double d;

	if (cx->nfns == cx->capfns) {
		cx->capfns = cx->capfns ? cx->capfns * 2 : 16;
		if ((nf = realloc(cx->fns, cx->capfns * sizeof(*nf))) == NULL)
			abort();
		cx->fns = nf;
	}
	b = FN_TAG | cx->nfns;
	cx->fns[cx->nfns++] = fn;
	memcpy(&d, &b, sizeof(d));
	return jv_number(d);
}

struct jfn *
jn_fn_alloc(enum jfn_kind kind)
{
	struct jfn *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		abort();
	f->kind = kind;
	f->input = VU();
	f->target = jv_invalid();
	f->target2 = jv_invalid();
	return f;
}

int
jn_fn_arity(struct jctx *cx, jv fv)
{
	struct jfn *f = jn_fn_get(cx, fv);
	int i, n;

	if (f == NULL)
		return 0;
	switch (f->kind) {
	case FK_LAMBDA:
		return f->node->nkids;
	case FK_BUILTIN:
		return f->bi->arity;
	case FK_PARTIAL:
		for (i = n = 0; i < f->nargs; i++)
			n += f->hole[i];
		return n;
	case FK_REGEX:
		return 2;
	case FK_CHAIN:
	case FK_TRANSFORM:
		return 1;
	}
	return 0;
}

/* Sequences */

V
jn_seq_new(void)
{
	return (V){jv_array(), VF_SEQ};
}

V
jn_seq_of(jv x)
{
	return (V){jv_array_append(jv_array(), x), VF_SEQ};
}

void
jn_seq_push(V *s, jv x)
{
	s->v = jv_array_append(s->v, x);
}

int
jn_alen(V x)
{
	return jv_array_length(jv_copy(x.v));
}

jv
jn_aget(V x, int i)
{
	return jv_array_get(jv_copy(x.v), i);
}

static jv
array_concat(jv a, jv b)
{
	int i, n = jv_array_length(jv_copy(b));

	for (i = 0; i < n; i++)
		a = jv_array_append(a, jv_array_get(jv_copy(b), i));
	jv_free(b);
	return a;
}

/* fn.append: consumes both; the result is a plain array (concat). */
V
jn_append(V a, V b)
{
	if (jn_v_undef(a))
		return b;
	if (jn_v_undef(b))
		return a;
	if (!jn_v_isarr(a))
		a.v = jv_array_append(jv_array(), a.v);
	if (!jn_v_isarr(b))
		b.v = jv_array_append(jv_array(), b.v);
	return VJ(array_concat(a.v, b.v));
}

static int
bool_of(jv x)
{
	int i, n, r = 0;

	switch (jv_get_kind(x)) {
	case JV_KIND_ARRAY:
		n = jv_array_length(jv_copy(x));
		if (n == 1)
			r = bool_of(jv_array_get(jv_copy(x), 0));
		else
			for (i = 0; i < n && !r; i++)
				r = bool_of(jv_array_get(jv_copy(x), i));
		break;
	case JV_KIND_STRING:
		r = jv_string_length_bytes(jv_copy(x)) > 0;
		break;
	case JV_KIND_NUMBER:
		r = !jn_isfn(x) && isfinite(jv_number_value(x)) &&
		    jv_number_value(x) != 0;
		break;
	case JV_KIND_OBJECT:
		r = jv_object_length(jv_copy(x)) > 0;
		break;
	case JV_KIND_TRUE:
		r = 1;
		break;
	default:
		break;
	}
	jv_free(x);
	return r;
}

int
jn_bool(V x)
{
	if (!jv_is_valid(x.v))
		return 0;
	return bool_of(jv_copy(x.v));
}

int
jn_deep_equal(jv a, jv b)
{
	jv_kind k = jv_get_kind(a);
	int r, i, n;

	if (k != jv_get_kind(b)) {
		r = 0;
	} else if (k == JV_KIND_NUMBER) {
		if (jn_isfn(a) || jn_isfn(b)) {
			double x = jv_number_value(a), y = jv_number_value(b);

			r = memcmp(&x, &y, sizeof(x)) == 0;
		} else
			r = jv_number_value(a) == jv_number_value(b);
	} else if (k == JV_KIND_ARRAY) {
		n = jv_array_length(jv_copy(a));
		r = n == jv_array_length(jv_copy(b));
		for (i = 0; r && i < n; i++)
			r = jn_deep_equal(jv_array_get(jv_copy(a), i),
			    jv_array_get(jv_copy(b), i));
	} else if (k == JV_KIND_OBJECT) {
		r = jv_object_length(jv_copy(a)) == jv_object_length(jv_copy(b));
		if (r) {
			jv_object_foreach(a, key, val) {
				if (r && jv_object_has(jv_copy(b), jv_copy(key)))
					r = jn_deep_equal(val, jv_object_get(
					    jv_copy(b), jv_copy(key)));
				else {
					r = 0;
					jv_free(val);
				}
				jv_free(key);
			}
		}
	} else {
		return jv_equal(a, b);
	}
	jv_free(a);
	jv_free(b);
	return r;
}

/* Errors */

V
jn_err(const char *code, jv fields)
{
	if (jv_get_kind(fields) != JV_KIND_OBJECT) {
		jv_free(fields);
		fields = jv_object();
	}
	fields = jv_object_set(fields, jv_string("code"), jv_string(code));
	return VJ(jv_invalid_with_msg(fields));
}

V
jn_errp(const char *code, int pos)
{
	return jn_err(code, JV_OBJECT(jv_string("position"), jv_number(pos)));
}

V
jn_errv(const char *code, int pos, const char *token, jv value)
{
	jv f = JV_OBJECT(jv_string("position"), jv_number(pos));

	if (token != NULL)
		f = jv_object_set(f, jv_string("token"), jv_string(token));
	if (jv_is_valid(value))
		f = jv_object_set(f, jv_string("value"), value);
	else
		jv_free(value);
	return jn_err(code, f);
}

/* Add a token and position to an error that lacks them. */
V
jn_err_annotate(V e, const char *token, int pos)
{
	jv m = jv_invalid_get_msg(e.v);

	if (token != NULL && !jv_object_has(jv_copy(m), jv_string("token")))
		m = jv_object_set(m, jv_string("token"), jv_string(token));
	if (pos >= 0 && !jv_object_has(jv_copy(m), jv_string("position")))
		m = jv_object_set(m, jv_string("position"), jv_number(pos));
	return VJ(jv_invalid_with_msg(m));
}

/* Frames */

struct jframe *
jn_frame(struct jctx *cx, struct jframe *up)
{
	struct jframe *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		abort();
	f->up = up;
	f->all = cx->frames;
	cx->frames = f;
	return f;
}

void
jn_bind(struct jframe *f, jv name, V val)
{
	struct jbinding *nb;
	int i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(jv_string_value(f->b[i].name),
		    jv_string_value(name)) == 0) {
			jv_free(name);
			jn_v_free(f->b[i].val);
			f->b[i].val = val;
			return;
		}
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4;
		if ((nb = realloc(f->b, f->cap * sizeof(*nb))) == NULL)
			abort();
		f->b = nb;
	}
	f->b[f->n].name = name;
	f->b[f->n].val = val;
	f->n++;
}

V
jn_lookup(struct jframe *f, const char *name, int *found)
{
	int i;

	for (; f != NULL; f = f->up) {
		for (i = 0; i < f->n; i++) {
			if (strcmp(jv_string_value(f->b[i].name), name) == 0) {
				*found = 1;
				return jn_v_copy(f->b[i].val);
			}
		}
	}
	*found = 0;
	return VU();
}

struct jframe *
jn_frame_from_tuple(struct jctx *cx, struct jframe *up, jv tuple)
{
	struct jframe *f = jn_frame(cx, up);

	jv_object_foreach(tuple, k, v)
		jn_bind(f, k, VJ(v));
	jv_free(tuple);
	return f;
}

V
jn_tuple_at(jv tuple)
{
	jv v = jv_object_get(tuple, jv_string("@"));

	return jv_is_valid(v) ? VJ(v) : VU();
}

/* Builtins are made function values once per evaluation. */
static V
builtin_value(struct jctx *cx, const char *name)
{
	const struct jbuiltin *bi = jn_builtin_find(name);
	struct jfn *f;
	size_t i;

	if (bi == NULL)
		return VU();
	for (i = 0; i < cx->nfns; i++)
		if (cx->fns[i]->kind == FK_BUILTIN && cx->fns[i]->bi == bi &&
		    cx->fns[i]->env == NULL)
			break;
	if (i < cx->nfns) {
		uint64_t b = FN_TAG | i;
		double d;

		memcpy(&d, &b, sizeof(d));
		return VJ(jv_number(d));
	}
	f = jn_fn_alloc(FK_BUILTIN);
	f->bi = bi;
	return VJ(jn_fn_new(cx, f));
}

V
jn_lookup_var(struct jctx *cx, struct jframe *env, const char *name, int *found)
{
	V r = jn_lookup(env, name, found);

	if (*found)
		return r;
	r = builtin_value(cx, name);
	*found = !jn_v_undef(r);
	return r;
}

