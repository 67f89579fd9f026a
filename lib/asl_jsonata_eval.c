/*
 * asl_jsonata_eval.c - the JSONata evaluator: paths and their sequences,
 * predicates, grouping, operators, variables and frames, lambdas,
 * partial application, function chaining, tail calls and transforms.
 *
 * It follows jsonata-js 2.0.6 step by step, because Step Functions shows
 * its quirks to users: how sequences of one item collapse to the item,
 * how arrays from the input flatten into a path's sequence while arrays
 * built by [...] do not, and which error code each misuse raises.
 *
 * jn_eval borrows its input and returns an owned value.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "asl_jsonata_int.h"


/* A step input of one item, the value itself (see in_item). */
#define VF_ONE	0x100

struct jbinding {
	jv	 name;
	V	 val;
};

struct jframe {
	struct jframe *up;
	struct jframe *all;
	struct jbinding *b;
	int	 n, cap;
};

/* Values */

int
v_undef(V x)
{
	return !jv_is_valid(x.v) && !jv_invalid_has_msg(jv_copy(x.v));
}

int
v_err(V x)
{
	return !jv_is_valid(x.v) && jv_invalid_has_msg(jv_copy(x.v));
}

#define FN_TAG	0x7FFA500000000000ULL
#define FN_MASK	0xFFFFF00000000000ULL

int
j_isfn(jv x)
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
v_isfn(V x)
{
	return j_isfn(x.v);
}

int
v_isnum(V x)
{
	return jv_get_kind(x.v) == JV_KIND_NUMBER &&
	    isfinite(jv_number_value(x.v));
}

int
v_isstr(V x)
{
	return jv_get_kind(x.v) == JV_KIND_STRING;
}

int
v_isarr(V x)
{
	return jv_get_kind(x.v) == JV_KIND_ARRAY;
}

int
v_isobj(V x)
{
	return jv_get_kind(x.v) == JV_KIND_OBJECT;
}

int
v_isbool(V x)
{
	return jv_get_kind(x.v) == JV_KIND_TRUE ||
	    jv_get_kind(x.v) == JV_KIND_FALSE;
}

void
v_free(V x)
{
	jv_free(x.v);
}

V
v_copy(V x)
{
	return (V){jv_copy(x.v), x.f};
}

struct jfn *
jn_fn_get(struct jctx *cx, jv f)
{
	double d;
	uint64_t b;

	if (!j_isfn(f))
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

static struct jfn *
fn_alloc(enum jfn_kind kind)
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
seq_new(void)
{
	return (V){jv_array(), VF_SEQ};
}

V
seq_of(jv x)
{
	return (V){jv_array_append(jv_array(), x), VF_SEQ};
}

void
seq_push(V *s, jv x)
{
	s->v = jv_array_append(s->v, x);
}

static int
alen(V x)
{
	return jv_array_length(jv_copy(x.v));
}

static jv
aget(V x, int i)
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
	if (v_undef(a))
		return b;
	if (v_undef(b))
		return a;
	if (!v_isarr(a))
		a.v = jv_array_append(jv_array(), a.v);
	if (!v_isarr(b))
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
		r = !j_isfn(x) && isfinite(jv_number_value(x)) &&
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
		if (j_isfn(a) || j_isfn(b)) {
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

static V
errv(const char *code, int pos, const char *token, jv value)
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
static V
err_annotate(V e, const char *token, int pos)
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
			v_free(f->b[i].val);
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
				return v_copy(f->b[i].val);
			}
		}
	}
	*found = 0;
	return VU();
}

static struct jframe *
frame_from_tuple(struct jctx *cx, struct jframe *up, jv tuple)
{
	struct jframe *f = jn_frame(cx, up);

	jv_object_foreach(tuple, k, v)
		jn_bind(f, k, VJ(v));
	jv_free(tuple);
	return f;
}

static V
tuple_at(jv tuple)
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
	f = fn_alloc(FK_BUILTIN);
	f->bi = bi;
	return VJ(jn_fn_new(cx, f));
}

static V
lookup_var(struct jctx *cx, struct jframe *env, const char *name, int *found)
{
	V r = jn_lookup(env, name, found);

	if (*found)
		return r;
	r = builtin_value(cx, name);
	*found = !v_undef(r);
	return r;
}

/* Paths */

static V eval_group(struct jctx *, struct jn **, int, int, V input,
    struct jframe *);
static V eval_sort(struct jctx *, struct jn *, V input, struct jframe *);

/* fn.lookup: the value of key in input, mapped over arrays. */
V
jn_lookup_key(V input, const char *key)
{
	V r, res;
	int i, n, j, m;
	jv item;

	if (v_isarr(input)) {
		r = seq_new();
		n = alen(input);
		for (i = 0; i < n; i++) {
			item = aget(input, i);
			res = jn_lookup_key(VJ(item), key);
			jv_free(item);
			if (v_undef(res))
				continue;
			if (v_isarr(res)) {
				m = alen(res);
				for (j = 0; j < m; j++)
					seq_push(&r, aget(res, j));
				v_free(res);
			} else
				seq_push(&r, res.v);
		}
		return r;
	}
	if (v_isobj(input)) {
		jv v = jv_object_get(jv_copy(input.v), jv_string(key));

		return jv_is_valid(v) ? VJ(v) : VU();
	}
	return VU();
}

static V
filter(struct jctx *cx, struct jn *pred, V input, struct jframe *env)
{
	V results = seq_new(), res, ctxv;
	int n, i, j, m, idx, k, all;
	jv item, x;
	struct jframe *fe;

	if (input.f & VF_TUPLE)
		results.f |= VF_TUPLE;
	if (v_undef(input))
		return results;
	if (!v_isarr(input))
		input = (V){jv_array_append(jv_array(), input.v), VF_SEQ};
	n = alen(input);
	if (pred->type == JN_NUMBER) {
		idx = (int)floor(jv_number_value(pred->val));
		if (idx < 0)
			idx += n;
		if (idx >= 0 && idx < n) {
			item = aget(input, idx);
			if (jv_get_kind(item) == JV_KIND_ARRAY) {
				v_free(results);
				results = VJ(item);
			} else
				seq_push(&results, item);
		}
		v_free(input);
		return results;
	}
	for (i = 0; i < n; i++) {
		item = aget(input, i);
		fe = env;
		if (input.f & VF_TUPLE) {
			ctxv = tuple_at(jv_copy(item));
			fe = frame_from_tuple(cx, env, jv_copy(item));
		} else
			ctxv = VJ(jv_copy(item));
		res = jn_eval(cx, pred, ctxv, fe);
		v_free(ctxv);
		if (v_err(res)) {
			jv_free(item);
			v_free(input);
			v_free(results);
			return res;
		}
		if (v_isnum(res))
			res.v = jv_array_append(jv_array(), res.v);
		all = v_isarr(res);
		m = all ? alen(res) : 0;
		for (j = 0; all && j < m; j++) {
			x = aget(res, j);
			if (jv_get_kind(x) != JV_KIND_NUMBER || j_isfn(x) ||
			    !isfinite(jv_number_value(x)))
				all = 0;
			jv_free(x);
		}
		if (all) {
			for (j = 0; j < m; j++) {
				x = aget(res, j);
				k = (int)floor(jv_number_value(x));
				jv_free(x);
				if (k < 0)
					k += n;
				if (k == i)
					seq_push(&results, jv_copy(item));
			}
		} else if (jn_bool(res))
			seq_push(&results, jv_copy(item));
		v_free(res);
		jv_free(item);
	}
	v_free(input);
	return results;
}

static V
run_stages(struct jctx *cx, struct jn *step, V r, struct jframe *env)
{
	int s, i, n;
	jv t;
	V out;

	for (s = 0; s < step->nstages && !v_err(r); s++) {
		if (!step->stages[s].is_index) {
			r = filter(cx, step->stages[s].expr, r, env);
			continue;
		}
		if (!v_isarr(r))
			continue;
		out = (V){jv_array(), r.f};
		n = alen(r);
		for (i = 0; i < n; i++) {
			t = aget(r, i);
			t = jv_object_set(t, jv_copy(step->stages[s].name),
			    jv_number(i));
			seq_push(&out, t);
		}
		v_free(r);
		r = out;
	}
	return r;
}

/*
 * Items of a step's input: the items of an array, or (VF_ONE) the value
 * itself, flags and all: jsonata-js's createSequence(input), whose one
 * item may be the wrapper of an array input or undefined.
 */
static int
in_count(V in)
{
	return (in.f & VF_ONE) ? 1 : v_isarr(in) ? alen(in) : 0;
}

static V
in_item(V in, int i)
{
	if (in.f & VF_ONE)
		return (V){jv_copy(in.v), in.f & ~VF_ONE};
	return VJ(aget(in, i));
}

static V
eval_step(struct jctx *cx, struct jn *step, V in, struct jframe *env,
    int last)
{
	V *res = NULL, r, out;
	int n, i, k = 0, j, m;

	if (step->type == JN_SORT) {
		r = eval_sort(cx, step, in, env);
		return v_err(r) ? r : run_stages(cx, step, r, env);
	}
	n = in_count(in);
	if (n > 0 && (res = malloc(n * sizeof(*res))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		V item = in_item(in, i);

		r = jn_eval(cx, step, item, env);
		v_free(item);
		if (!v_err(r) && step->nstages > 0)
			r = run_stages(cx, step, r, env);
		if (v_err(r)) {
			while (k > 0)
				v_free(res[--k]);
			free(res);
			return r;
		}
		if (!v_undef(r))
			res[k++] = r;
	}
	if (last && k == 1 && v_isarr(res[0]) && !(res[0].f & VF_SEQ)) {
		out = res[0];
		free(res);
		return out;
	}
	out = seq_new();
	for (i = 0; i < k; i++) {
		if (!v_isarr(res[i]) || (res[i].f & VF_CONS)) {
			seq_push(&out, res[i].v);
			continue;
		}
		m = alen(res[i]);
		for (j = 0; j < m; j++)
			seq_push(&out, aget(res[i], j));
		v_free(res[i]);
	}
	free(res);
	return out;
}

static V
eval_tuple_step(struct jctx *cx, struct jn *step, V in, V tuples,
    struct jframe *env)
{
	V r, res, sorted;
	int i, n, b, m;
	jv t, nt, x;
	struct jframe *fe;

	if (step->type == JN_SORT) {
		if (!v_undef(tuples)) {
			r = eval_sort(cx, step, tuples, env);
			v_free(tuples);
		} else {
			sorted = eval_sort(cx, step, in, env);
			if (v_err(sorted))
				return sorted;
			r = (V){jv_array(), VF_SEQ | VF_TUPLE};
			n = v_isarr(sorted) ? alen(sorted) : 0;
			for (i = 0; i < n; i++) {
				t = JV_OBJECT(jv_string("@"), aget(sorted, i));
				if (jv_is_valid(step->index))
					t = jv_object_set(t,
					    jv_copy(step->index),
					    jv_number(i));
				seq_push(&r, t);
			}
			v_free(sorted);
		}
		if (v_err(r))
			return r;
		return run_stages(cx, step, r, env);
	}
	if (v_undef(tuples)) {
		tuples = (V){jv_array(), VF_SEQ | VF_TUPLE};
		n = in_count(in);
		for (i = 0; i < n; i++) {
			V item = in_item(in, i);

			t = jv_object();
			if (!v_undef(item))
				t = jv_object_set(t, jv_string("@"), item.v);
			seq_push(&tuples, t);
		}
	}
	r = (V){jv_array(), VF_SEQ | VF_TUPLE};
	n = alen(tuples);
	for (i = 0; i < n; i++) {
		t = aget(tuples, i);
		fe = frame_from_tuple(cx, env, jv_copy(t));
		x = jv_object_get(jv_copy(t), jv_string("@"));
		res = jn_eval(cx, step, jv_is_valid(x) ? VJ(x) : VU(), fe);
		jv_free(x);
		if (v_err(res)) {
			jv_free(t);
			v_free(tuples);
			v_free(r);
			return res;
		}
		if (!v_undef(res)) {
			if (!v_isarr(res))
				res.v = jv_array_append(jv_array(), res.v);
			m = alen(res);
			for (b = 0; b < m; b++) {
				nt = jv_copy(t);
				x = aget(res, b);
				if (res.f & VF_TUPLE) {
					jv_object_foreach(x, k2, v2)
						nt = jv_object_set(nt, k2, v2);
					jv_free(x);
				} else if (jv_is_valid(step->focus)) {
					nt = jv_object_set(nt,
					    jv_copy(step->focus), x);
				} else
					nt = jv_object_set(nt, jv_string("@"),
					    x);
				if (!(res.f & VF_TUPLE) &&
				    jv_is_valid(step->index))
					nt = jv_object_set(nt,
					    jv_copy(step->index),
					    jv_number(b));
				if (!(res.f & VF_TUPLE) &&
				    step->ancestor != NULL) {
					jv at = jv_object_get(jv_copy(t),
					    jv_string("@"));

					if (jv_is_valid(at))
						nt = jv_object_set(nt,
						    jv_string(
						    step->ancestor->label), at);
					else
						jv_free(at);
				}
				seq_push(&r, nt);
			}
			v_free(res);
		}
		jv_free(t);
	}
	v_free(tuples);
	return run_stages(cx, step, r, env);
}

static V
eval_path(struct jctx *cx, struct jn *e, V input, struct jframe *env)
{
	V in, r = VU(), tuples = VU(), out;
	int i, n, is_tuple = 0;
	struct jn *step;

	if (v_isarr(input) && e->kids[0]->type != JN_VARIABLE)
		in = v_copy(input);
	else {
		in = v_copy(input);
		in.f |= VF_ONE;
	}
	for (i = 0; i < e->nkids; i++) {
		step = e->kids[i];
		if (step->flags & JNF_TUPLE)
			is_tuple = 1;
		if (i == 0 && (step->flags & JNF_CONSARRAY)) {
			V seq = (in.f & VF_ONE) ? (v_undef(in) ? seq_new() :
			    seq_of(jv_copy(in.v))) : v_copy(in);

			v_free(r);
			r = jn_eval(cx, step, seq, env);
			v_free(seq);
		} else if (is_tuple) {
			tuples = eval_tuple_step(cx, step, in, tuples, env);
			if (v_err(tuples)) {
				v_free(in);
				v_free(r);
				return tuples;
			}
		} else {
			v_free(r);
			r = eval_step(cx, step, in, env, i == e->nkids - 1);
		}
		if (v_err(r)) {
			v_free(in);
			v_free(tuples);
			return r;
		}
		if (!is_tuple && (v_undef(r) || (v_isarr(r) && alen(r) == 0)))
			break;
		if (!jv_is_valid(step->focus)) {
			v_free(in);
			in = v_copy(r);
		}
	}
	v_free(in);
	if (is_tuple && (e->flags & JNF_TUPLE) && !(e->flags & JNF_GROUP)) {
		/* a path inside a step that % looks through: keep ancestry */
		v_free(r);
		r = tuples;
		tuples = VU();
	} else if (is_tuple) {
		v_free(r);
		r = seq_new();
		n = alen(tuples);
		for (i = 0; i < n; i++) {
			jv x = jv_object_get(aget(tuples, i), jv_string("@"));

			if (jv_is_valid(x))
				seq_push(&r, x);
			else
				jv_free(x);
		}
	}
	if ((e->flags & JNF_KEEP_SINGLETON) && !v_undef(r)) {
		if (v_isarr(r) && (r.f & VF_CONS) && !(r.f & VF_SEQ))
			r = seq_of(r.v);
		r.f |= VF_KEEP;
	}
	if (e->flags & JNF_GROUP) {
		if (is_tuple) {
			v_free(r);
			r = tuples;
			tuples = VU();
		}
		out = eval_group(cx, e->group, e->ngroup, e->group_pos, r, env);
		v_free(r);
		r = out;
	}
	v_free(tuples);
	return r;
}

/* Grouping: {key: value, ...} applied to a sequence */

static V
reduce_tuples(V data)
{
	jv res;
	int i, n;

	if (!v_isarr(data))
		return v_copy(data);
	n = alen(data);
	res = n > 0 ? aget(data, 0) : jv_object();
	for (i = 1; i < n; i++) {
		jv t = aget(data, i);

		jv_object_foreach(t, k, v) {
			jv old = jv_object_get(jv_copy(res), jv_copy(k));
			V a = jv_is_valid(old) ? VJ(old) : VU();

			if (!jv_is_valid(old))
				jv_free(old);
			a = jn_append(a, VJ(v));
			res = jv_object_set(res, k, a.v);
		}
		jv_free(t);
	}
	return VJ(res);
}

/* A key JavaScript treats as an array index (those come first, in order). */
static int
index_key(jv k, double *n)
{
	const char *s = jv_string_value(k);
	int i;

	if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9' || i > 9)
			return 0;
	*n = strtod(s, NULL);
	return *n < 4294967295.0;
}

/*
 * The order JavaScript gives an object's keys, which is how AWS prints
 * objects that JSONata builds: array indexes ascending, then the rest in
 * insertion order.
 */
static int *
js_key_order(jv *keys, int n)
{
	int *o, i, j, k = 0, t;
	double *num, a, b;

	if ((o = calloc(n + 1, sizeof(*o))) == NULL ||
	    (num = calloc(n + 1, sizeof(*num))) == NULL)
		abort();
	for (i = 0; i < n; i++)
		if (index_key(keys[i], &num[i]))
			o[k++] = i;
	for (i = 1; i < k; i++)	/* insertion sort: few keys */
		for (j = i; j > 0; j--) {
			a = num[o[j - 1]];
			b = num[o[j]];
			if (a <= b)
				break;
			t = o[j];
			o[j] = o[j - 1];
			o[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		if (!index_key(keys[i], &num[i]))
			o[k++] = i;
	free(num);
	return o;
}

static V
eval_group(struct jctx *cx, struct jn **pairs, int npairs, int pos, V input,
    struct jframe *env)
{
	int reduce = (input.f & VF_TUPLE) != 0, n, i, p, g, ng = 0;
	jv index = jv_object(), result = jv_object();
	V items, key, *data = NULL, ctxv, val, err = VU();
	int *gexpr = NULL, *order, k;
	jv *gkey = NULL;
	struct jframe *fe;

	if (v_undef(input))
		items = VU();
	else if (!v_isarr(input))
		items = seq_of(jv_copy(input.v));
	else
		items = v_copy(input);
	n = v_isarr(items) ? alen(items) : 0;
	if (n == 0) {		/* one undefined item: literal objects */
		v_free(items);
		items = (V){jv_invalid(), VF_ONE};
		n = 1;
	}
	for (i = 0; i < n && !v_err(err); i++) {
		V item = in_item(items, i);

		fe = reduce ? frame_from_tuple(cx, env, jv_copy(item.v)) : env;
		ctxv = reduce ? tuple_at(jv_copy(item.v)) : v_copy(item);
		for (p = 0; p + 1 < npairs; p += 2) {
			key = jn_eval(cx, pairs[p], ctxv, fe);
			if (v_err(key)) {
				err = key;
				break;
			}
			if (v_undef(key))
				continue;
			if (!v_isstr(key)) {
				err = errv("T1003", pos, NULL, key.v);
				break;
			}
			g = -1;
			{
				jv gi = jv_object_get(jv_copy(index),
				    jv_copy(key.v));

				if (jv_is_valid(gi))
					g = (int)jv_number_value(gi);
				jv_free(gi);
			}
			if (g >= 0) {
				if (gexpr[g] != p) {
					err = errv("D1009", pos, NULL, key.v);
					break;
				}
				data[g] = jn_append(data[g], v_copy(item));
				v_free(key);
			} else {
				if ((data = realloc(data, (ng + 1) *
				    sizeof(*data))) == NULL ||
				    (gexpr = realloc(gexpr, (ng + 1) *
				    sizeof(*gexpr))) == NULL ||
				    (gkey = realloc(gkey, (ng + 1) *
				    sizeof(*gkey))) == NULL)
					abort();
				data[ng] = v_copy(item);
				gexpr[ng] = p;
				gkey[ng] = key.v;
				index = jv_object_set(index, jv_copy(key.v),
				    jv_number(ng));
				ng++;
			}
		}
		v_free(ctxv);
		v_free(item);
	}
	if (v_err(err)) {
		v_free(items);
		for (g = 0; g < ng; g++) {
			v_free(data[g]);
			jv_free(gkey[g]);
		}
		free(data);
		free(gexpr);
		free(gkey);
		jv_free(index);
		jv_free(result);
		return err;
	}
	v_free(items);
	jv_free(index);
	order = js_key_order(gkey, ng);
	for (k = 0; k < ng; k++) {
		g = order[k];
		fe = env;
		if (reduce) {
			V t = reduce_tuples(data[g]);

			ctxv = tuple_at(jv_copy(t.v));
			t.v = jv_object_delete(t.v, jv_string("@"));
			fe = frame_from_tuple(cx, env, t.v);
		} else
			ctxv = v_copy(data[g]);
		val = jn_eval(cx, pairs[gexpr[g] + 1], ctxv, fe);
		v_free(ctxv);
		if (v_err(val)) {
			jv_free(result);
			result = val.v;
			break;
		}
		if (!v_undef(val))
			result = jv_object_set(result, jv_copy(gkey[g]), val.v);
	}
	for (g = 0; g < ng; g++) {
		v_free(data[g]);
		jv_free(gkey[g]);
	}
	free(order);
	free(data);
	free(gexpr);
	free(gkey);
	return VJ(result);
}

/* Sorting: a stable merge sort with a comparator that may fail */

typedef int (*cmp_fn)(struct jctx *, void *, jv, jv, V *);

static int
msort(struct jctx *cx, jv *a, jv *tmp, int n, cmp_fn cmp, void *ud, V *err)
{
	int mid = n / 2, i = 0, j, k = 0, c;

	if (n <= 1)
		return 0;
	if (msort(cx, a, tmp, mid, cmp, ud, err) != 0 ||
	    msort(cx, a + mid, tmp, n - mid, cmp, ud, err) != 0)
		return -1;
	j = mid;
	while (i < mid && j < n) {
		c = cmp(cx, ud, a[i], a[j], err);
		if (c < 0) {
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < n)
				tmp[k++] = a[j++];
			memcpy(a, tmp, n * sizeof(*a));
			return -1;
		}
		tmp[k++] = c ? a[j++] : a[i++];
	}
	while (i < mid)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(*a));
	return 0;
}

struct order_ud {
	struct jn *order;
	struct jframe *env;
	int	 tuples;
	jv	 fn;
	V	 input;
	jv	*items;		/* order-by: the items, sorted as indexes */
	V	*keys;		/* order-by: term t of item i, once computed */
	unsigned char *done;
};

/*
 * Term t of item i of an order-by, evaluated the first time a comparison
 * needs it (as often as jsonata-js evaluates it, less the repeats).
 */
static V
order_key(struct jctx *cx, struct order_ud *u, int i, int t)
{
	struct jn *o = u->order;
	size_t k = (size_t)i * o->nkids + t;
	struct jframe *fe = u->env;
	V c, r;

	if (u->done[k])
		return v_copy(u->keys[k]);
	if (u->tuples) {
		c = tuple_at(jv_copy(u->items[i]));
		fe = frame_from_tuple(cx, u->env, jv_copy(u->items[i]));
	} else
		c = VJ(jv_copy(u->items[i]));
	r = jn_eval(cx, o->kids[t], c, fe);
	v_free(c);
	if (v_err(r))
		return r;
	u->keys[k] = v_copy(r);
	u->done[k] = 1;
	return r;
}

static int
cmp_order(struct jctx *cx, void *p, jv a, jv b, V *err)
{
	struct order_ud *u = p;
	struct jn *o = u->order;
	int t, comp = 0, ia = (int)jv_number_value(a),
	    ib = (int)jv_number_value(b);
	V aa, bb;
	jv_kind ka, kb;

	for (t = 0; comp == 0 && t < o->nkids; t++) {
		aa = order_key(cx, u, ia, t);
		if (v_err(aa)) {
			*err = aa;
			return -1;
		}
		bb = order_key(cx, u, ib, t);
		if (v_err(bb)) {
			v_free(aa);
			*err = bb;
			return -1;
		}
		if (v_undef(aa)) {
			comp = v_undef(bb) ? 0 : 1;
			v_free(bb);
			continue;
		}
		if (v_undef(bb)) {
			comp = -1;
			v_free(aa);
			continue;
		}
		ka = jv_get_kind(aa.v);
		kb = jv_get_kind(bb.v);
		if (!(v_isstr(aa) || v_isnum(aa)) ||
		    !(v_isstr(bb) || v_isnum(bb))) {
			*err = errv("T2008", o->pos, NULL,
			    (v_isstr(aa) || v_isnum(aa)) ? bb.v : aa.v);
			if (v_isstr(aa) || v_isnum(aa))
				v_free(aa);
			else
				v_free(bb);
			return -1;
		}
		if (ka != kb) {
			jv f = JV_OBJECT(jv_string("position"),
			    jv_number(o->pos), jv_string("value"), aa.v,
			    jv_string("value2"), bb.v);

			*err = jn_err("T2007", f);
			return -1;
		}
		if (ka == JV_KIND_NUMBER) {
			double x = jv_number_value(aa.v),
			    y = jv_number_value(bb.v);

			comp = x == y ? 0 : x < y ? -1 : 1;
		} else {
			int c = strcmp(jv_string_value(aa.v),
			    jv_string_value(bb.v));

			comp = c == 0 ? 0 : c < 0 ? -1 : 1;
		}
		v_free(aa);
		v_free(bb);
		if (comp != 0 && o->desc[t])
			comp = -comp;
	}
	return comp == 1;
}

static int
cmp_fnval(struct jctx *cx, void *p, jv a, jv b, V *err)
{
	struct order_ud *u = p;
	V args[2], r;
	int c;

	args[0] = VJ(a);
	args[1] = VJ(b);
	r = jn_apply(cx, u->fn, args, 2, u->input, u->env);
	if (v_err(r)) {
		*err = r;
		return -1;
	}
	c = jn_bool(r);
	v_free(r);
	return c;
}

static int
cmp_plain(struct jctx *cx, void *p, jv a, jv b, V *err)
{
	(void)cx;
	(void)p;
	(void)err;
	if (jv_get_kind(a) == JV_KIND_NUMBER)
		return jv_number_value(a) > jv_number_value(b);
	return strcmp(jv_string_value(a), jv_string_value(b)) > 0;
}

/*
 * Sort arr (consumed).  With order (a ^(...) step) by its terms; with a
 * function by calling it as $sort's comparator; else numbers or strings.
 */
V
jn_sort(struct jctx *cx, jv arr, jv cmpfn, struct jn *order,
    struct jframe *env, int tuples)
{
	struct order_ud u;
	int n = jv_array_length(jv_copy(arr)), i, rc;
	size_t k, nk = 0;
	jv *a, *tmp;
	V err = VU();
	cmp_fn cmp;

	memset(&u, 0, sizeof(u));
	u.order = order;
	u.env = env;
	u.tuples = tuples;
	u.fn = cmpfn;
	u.input = VU();
	if (order != NULL)
		cmp = cmp_order;
	else if (jv_is_valid(cmpfn))
		cmp = cmp_fnval;
	else
		cmp = cmp_plain;
	if ((a = malloc((n + 1) * sizeof(*a))) == NULL ||
	    (tmp = malloc((n + 1) * sizeof(*tmp))) == NULL)
		abort();
	if (order != NULL) {
		/* sort indexes; the comparator finds items and keys by them */
		nk = (size_t)n * order->nkids;
		if ((u.items = malloc((n + 1) * sizeof(*u.items))) == NULL ||
		    (u.keys = malloc((nk + 1) * sizeof(*u.keys))) == NULL ||
		    (u.done = calloc(nk + 1, 1)) == NULL)
			abort();
		for (i = 0; i < n; i++) {
			u.items[i] = jv_array_get(jv_copy(arr), i);
			a[i] = jv_number(i);
		}
	} else
		for (i = 0; i < n; i++)
			a[i] = jv_array_get(jv_copy(arr), i);
	jv_free(arr);
	rc = msort(cx, a, tmp, n, cmp, &u, &err);
	arr = jv_array();
	for (i = 0; i < n; i++)
		arr = jv_array_append(arr, order != NULL ?
		    jv_copy(u.items[(int)jv_number_value(a[i])]) : a[i]);
	if (order != NULL) {
		for (i = 0; i < n; i++)
			jv_free(u.items[i]);
		for (k = 0; k < nk; k++)
			if (u.done[k])
				v_free(u.keys[k]);
		free(u.items);
		free(u.keys);
		free(u.done);
	}
	free(a);
	free(tmp);
	if (rc != 0) {
		jv_free(arr);
		return err;
	}
	return VJ(arr);
}

static V
eval_sort(struct jctx *cx, struct jn *step, V input, struct jframe *env)
{
	V r;
	int tuples = (input.f & VF_TUPLE) != 0;

	if (v_undef(input))
		return VU();
	if (!v_isarr(input))
		return v_copy(input);
	r = jn_sort(cx, jv_copy(input.v), jv_invalid(), step, env, tuples);
	if (!v_err(r))
		r.f = VF_SEQ | (tuples ? VF_TUPLE : 0);
	return r;
}

/* Operators */

static const char *
binop_name(int op, char *b)
{
	switch (op) {
	case OP_DOTDOT: return "..";
	case OP_NE: return "!=";
	case OP_LE: return "<=";
	case OP_GE: return ">=";
	case OP_AND: return "and";
	case OP_OR: return "or";
	case OP_IN: return "in";
	}
	b[0] = (char)op;
	b[1] = '\0';
	return b;
}

static V
numeric(int op, V l, V r, int pos)
{
	char b[4];
	double x, y, z;

	if (!v_undef(l) && !v_isnum(l)) {
		v_free(r);
		return errv("T2001", pos, binop_name(op, b), l.v);
	}
	if (!v_undef(r) && !v_isnum(r)) {
		v_free(l);
		return errv("T2002", pos, binop_name(op, b), r.v);
	}
	if (v_undef(l) || v_undef(r)) {
		v_free(l);
		v_free(r);
		return VU();
	}
	x = jv_number_value(l.v);
	y = jv_number_value(r.v);
	switch (op) {
	case '+': z = x + y; break;
	case '-': z = x - y; break;
	case '*': z = x * y; break;
	case '/': z = x / y; break;
	default: z = fmod(x, y); break;
	}
	if (!isfinite(z))
		return errv("D1001", pos, NULL, jv_number(z));
	return VJ(jv_number(z));
}

static V
compare(int op, V l, V r, int pos)
{
	char b[4];
	int lc, rc, c;
	double x, y;

	lc = v_undef(l) || v_isstr(l) || v_isnum(l);
	rc = v_undef(r) || v_isstr(r) || v_isnum(r);
	if (!lc || !rc) {
		if (!(v_isstr(l) || v_isnum(l))) {
			v_free(r);
			return errv("T2010", pos, binop_name(op, b), l.v);
		}
		v_free(l);
		return errv("T2010", pos, binop_name(op, b), r.v);
	}
	if (v_undef(l) || v_undef(r)) {
		v_free(l);
		v_free(r);
		return VU();
	}
	if (jv_get_kind(l.v) != jv_get_kind(r.v)) {
		return jn_err("T2009", JV_OBJECT(jv_string("position"),
		    jv_number(pos), jv_string("token"),
		    jv_string(binop_name(op, b)), jv_string("value"), l.v,
		    jv_string("value2"), r.v));
	}
	if (v_isnum(l)) {
		x = jv_number_value(l.v);
		y = jv_number_value(r.v);
		c = x < y ? -1 : x > y ? 1 : 0;
	} else
		c = strcmp(jv_string_value(l.v), jv_string_value(r.v));
	v_free(l);
	v_free(r);
	switch (op) {
	case '<': return VJ(jv_bool(c < 0));
	case OP_LE: return VJ(jv_bool(c <= 0));
	case '>': return VJ(jv_bool(c > 0));
	default: return VJ(jv_bool(c >= 0));
	}
}

static int
strict_equal(jv a, jv b)
{
	jv_kind k = jv_get_kind(a);
	int r;

	if (k != jv_get_kind(b))
		r = 0;
	else if (k == JV_KIND_NUMBER)
		r = jv_number_value(a) == jv_number_value(b);
	else if (k == JV_KIND_STRING)
		r = jv_equal(jv_copy(a), jv_copy(b));
	else if (k == JV_KIND_ARRAY || k == JV_KIND_OBJECT)
		r = asl_jv_identical(a, b);
	else
		r = 1;
	jv_free(a);
	jv_free(b);
	return r;
}

static V
range(V l, V r, int pos)
{
	double x, y;
	V out;

	if (!v_undef(l) && (!v_isnum(l) ||
	    floor(jv_number_value(l.v)) != jv_number_value(l.v))) {
		v_free(r);
		return errv("T2003", pos, "..", l.v);
	}
	if (!v_undef(r) && (!v_isnum(r) ||
	    floor(jv_number_value(r.v)) != jv_number_value(r.v))) {
		v_free(l);
		return errv("T2004", pos, "..", r.v);
	}
	if (v_undef(l) || v_undef(r)) {
		v_free(l);
		v_free(r);
		return VU();
	}
	x = jv_number_value(l.v);
	y = jv_number_value(r.v);
	jv_free(l.v);
	jv_free(r.v);
	if (x > y)
		return VU();
	if (y - x + 1 > 1e7)
		return errv("D2014", pos, NULL, jv_number(y - x + 1));
	out = seq_new();
	for (; x <= y; x++)
		seq_push(&out, jv_number(x));
	return out;
}

static V
eval_binary(struct jctx *cx, struct jn *e, V input, struct jframe *env)
{
	V l, r, out;
	int b, i, n;
	jv ls, rs;

	l = jn_eval(cx, e->lhs, input, env);
	if (v_err(l))
		return l;
	if (e->op == OP_AND || e->op == OP_OR) {
		b = jn_bool(l);
		v_free(l);
		if (e->op == OP_AND && !b)
			return VJ(jv_false());
		if (e->op == OP_OR && b)
			return VJ(jv_true());
		r = jn_eval(cx, e->rhs, input, env);
		if (v_err(r))
			return r;
		b = jn_bool(r);
		v_free(r);
		return VJ(jv_bool(b));
	}
	r = jn_eval(cx, e->rhs, input, env);
	if (v_err(r)) {
		v_free(l);
		return r;
	}
	switch (e->op) {
	case '+': case '-': case '*': case '/': case '%':
		return numeric(e->op, l, r, e->pos);
	case '=':
	case OP_NE:
		if (v_undef(l) || v_undef(r)) {
			v_free(l);
			v_free(r);
			return VJ(jv_false());
		}
		b = jn_deep_equal(l.v, r.v);
		return VJ(jv_bool(e->op == '=' ? b : !b));
	case '<': case '>': case OP_LE: case OP_GE:
		return compare(e->op, l, r, e->pos);
	case '&':
		ls = jv_string("");
		rs = jv_string("");
		out = VU();
		if (!v_undef(l)) {
			jv_free(ls);
			ls = jn_string_of(cx, l.v, 0, &out);
		}
		if (!v_undef(r) && !v_err(out)) {
			jv_free(rs);
			rs = jn_string_of(cx, r.v, 0, &out);
		} else
			v_free(r);
		if (v_err(out)) {
			jv_free(ls);
			jv_free(rs);
			return err_annotate(out, "&", e->pos);
		}
		return VJ(jv_string_concat(ls, rs));
	case OP_DOTDOT:
		return range(l, r, e->pos);
	case OP_IN:
		if (v_undef(l) || v_undef(r)) {
			v_free(l);
			v_free(r);
			return VJ(jv_false());
		}
		if (!v_isarr(r))
			r.v = jv_array_append(jv_array(), r.v);
		n = alen(r);
		for (b = 0, i = 0; i < n && !b; i++)
			b = strict_equal(aget(r, i), jv_copy(l.v));
		v_free(l);
		v_free(r);
		return VJ(jv_bool(b));
	}
	v_free(l);
	v_free(r);
	return VU();
}

static V
eval_array(struct jctx *cx, struct jn *e, V input, struct jframe *env)
{
	V out = VJ(jv_array()), x;
	int i;

	for (i = 0; i < e->nkids; i++) {
		x = jn_eval(cx, e->kids[i], input, env);
		if (v_err(x)) {
			v_free(out);
			return x;
		}
		if (v_undef(x))
			continue;
		if (e->kids[i]->type == JN_ARRAY)
			out.v = jv_array_append(out.v, x.v);
		else
			out = jn_append(out, x);
	}
	if (e->flags & JNF_CONSARRAY)
		out.f |= VF_CONS;
	return out;
}

static void
descend(jv x, V *out)
{
	int i, n;

	if (jv_get_kind(x) != JV_KIND_ARRAY)
		seq_push(out, jv_copy(x));
	if (jv_get_kind(x) == JV_KIND_ARRAY) {
		n = jv_array_length(jv_copy(x));
		for (i = 0; i < n; i++) {
			jv y = jv_array_get(jv_copy(x), i);

			descend(y, out);
			jv_free(y);
		}
	} else if (jv_get_kind(x) == JV_KIND_OBJECT) {
		jv_object_foreach(x, k, v) {
			descend(v, out);
			jv_free(k);
			jv_free(v);
		}
	}
}

static void
flatten_into(jv x, V *out)
{
	int i, n;

	if (jv_get_kind(x) == JV_KIND_ARRAY) {
		n = jv_array_length(jv_copy(x));
		for (i = 0; i < n; i++)
			flatten_into(jv_array_get(jv_copy(x), i), out);
		jv_free(x);
	} else
		seq_push(out, x);
}

static V
wildcard(V input)
{
	V out = seq_new();
	jv x;

	if (v_isarr(input) && (input.f & VF_OUTER) && alen(input) > 0)
		x = aget(input, 0);
	else
		x = jv_copy(input.v);
	if (jv_get_kind(x) == JV_KIND_OBJECT) {
		jv_object_foreach(x, k, v) {
			flatten_into(v, &out);
			jv_free(k);
		}
	}
	jv_free(x);
	return out;
}

/* Functions */

static V eval_function(struct jctx *, struct jn *, V input,
    struct jframe *, V *applyto);

static int
sym_of(V x)
{
	if (v_undef(x))
		return 'm';
	if (v_isfn(x))
		return 'f';
	switch (jv_get_kind(x.v)) {
	case JV_KIND_STRING: return 's';
	case JV_KIND_NUMBER: return 'n';
	case JV_KIND_TRUE:
	case JV_KIND_FALSE: return 'b';
	case JV_KIND_NULL: return 'l';
	case JV_KIND_ARRAY: return 'a';
	case JV_KIND_OBJECT: return 'o';
	default: return 'm';
	}
}

/*
 * Match the symbols of the arguments against params [i, k) from symbol
 * position at, greedily with backtracking as the JavaScript regular
 * expression jsonata-js builds would; lens gets each param's length.
 * whole: the symbols must be used up.  Returns the end or -1.
 */
static int
sig_match(const struct jn_sig *s, int k, int i, const char *sym, int at,
    int *lens, int whole)
{
	const struct jn_param *p;
	int max, min, len, r, j;

	if (i == k)
		return (!whole || sym[at] == '\0') ? at : -1;
	p = &s->p[i];
	min = (p->quant == '?' || p->context) ? 0 : 1;
	max = p->quant == '+' ? (int)strlen(sym + at) : 1;
	for (j = 0; j < max && sym[at + j] != '\0' &&
	    strchr(p->types, sym[at + j]) != NULL; j++)
		;
	for (len = j; len >= min; len--) {
		lens[i] = len;
		if ((r = sig_match(s, k, i + 1, sym, at + len, lens, whole)) >= 0)
			return r;
	}
	return -1;
}

static const char *
array_type_name(char t)
{
	switch (t) {
	case 'a': return "arrays";
	case 'b': return "booleans";
	case 'f': return "functions";
	case 'n': return "numbers";
	case 'o': return "objects";
	case 's': return "strings";
	}
	return "values";
}

/* Validate args against sig; *out gets the validated arguments. */
static V
validate(const struct jn_sig *s, V *args, int nargs, V context, V **out,
    int *nout)
{
	char sym[64];
	int lens[8], i, ai = 0, j, c, good, end, m, q;
	V *res;

	if (nargs > 60)
		nargs = 60;
	for (i = 0; i < nargs; i++)
		sym[i] = (char)sym_of(args[i]);
	sym[nargs] = '\0';
	if (sig_match(s, s->n, 0, sym, 0, lens, 1) < 0) {
		good = 0;
		for (i = 1; i <= s->n; i++) {
			end = sig_match(s, i, 0, sym, 0, lens, 0);
			if (end < 0)
				break;
			good = end;
		}
		return jn_err("T0410", JV_OBJECT(jv_string("index"),
		    jv_number(good + 1), jv_string("value"),
		    good < nargs && !v_undef(args[good]) ?
		    jv_copy(args[good].v) : jv_null()));
	}
	if ((res = calloc(s->n + nargs + 1, sizeof(*res))) == NULL)
		abort();
	*nout = 0;
	for (i = 0; i < s->n; i++) {
		const struct jn_param *p = &s->p[i];

		if (lens[i] == 0) {
			if (p->context) {
				c = sym_of(context);
				if (strchr(p->types, c) == NULL) {
					for (j = 0; j < *nout; j++)
						v_free(res[j]);
					free(res);
					return jn_err("T0411", JV_OBJECT(
					    jv_string("index"),
					    jv_number(ai + 1),
					    jv_string("value"),
					    v_undef(context) ? jv_null() :
					    jv_copy(context.v)));
				}
				res[(*nout)++] = v_copy(context);
			} else {
				res[(*nout)++] = ai < nargs ? v_copy(args[ai]) :
				    VU();
				ai++;
			}
			continue;
		}
		for (j = 0; j < lens[i]; j++, ai++) {
			V a = args[ai];

			c = sym_of(a);
			if (p->type == 'a' && c != 'm') {
				int ok = 1;

				if (p->subtype != 0) {
					if (c != 'a' && !(lens[i] == 1 &&
					    c == p->subtype))
						ok = 0;
					else if (c == 'a' && (m = alen(a)) > 0) {
						for (q = 0; q < m && ok; q++) {
							jv x = aget(a, q);

							ok = sym_of(VJ(x)) ==
							    p->subtype;
							jv_free(x);
						}
					}
				}
				if (!ok) {
					int k;

					for (k = 0; k < *nout; k++)
						v_free(res[k]);
					free(res);
					return jn_err("T0412", JV_OBJECT(
					    jv_string("index"),
					    jv_number(ai + 1),
					    jv_string("type"),
					    jv_string(array_type_name(
					    p->subtype)),
					    jv_string("value"), jv_copy(a.v)));
				}
				if (c != 'a')
					res[(*nout)++] = VJ(jv_array_append(
					    jv_array(), jv_copy(a.v)));
				else
					res[(*nout)++] = VJ(jv_copy(a.v));
			} else
				res[(*nout)++] = c == 'm' ? VU() : v_copy(a);
		}
	}
	*out = res;
	return VU();
}

static V apply_inner(struct jctx *, jv fn, V *args, int nargs, V input,
    struct jframe *env);
static V transform(struct jctx *, struct jfn *, V obj);

static V
apply_lambda(struct jctx *cx, struct jfn *f, V *args, int nargs)
{
	struct jframe *fe = jn_frame(cx, f->env);
	struct jn *l = f->node;
	int i;

	for (i = 0; i < l->nkids; i++)
		jn_bind(fe, jv_copy(l->kids[i]->val),
		    i < nargs ? v_copy(args[i]) : VU());
	return jn_eval(cx, l->rhs, f->input, fe);
}

static V
apply_inner(struct jctx *cx, jv fv, V *args, int nargs, V input,
    struct jframe *env)
{
	struct jfn *f = jn_fn_get(cx, fv);
	struct jn_sig sig;
	V *va = args, r, *full;
	int nva = nargs, i, k, owned = 0;

	if (f == NULL)
		return jn_err("T1006", jv_object());
	if (f->kind == FK_BUILTIN || (f->kind == FK_LAMBDA && f->node->sig)) {
		if (f->kind == FK_BUILTIN) {
			if (jn_sig_parse(f->bi->sig, &sig) != 0)
				abort();
		} else
			sig = *f->node->sig;
		r = validate(&sig, args, nargs, input, &va, &nva);
		if (v_err(r))
			return r;
		owned = 1;
	}
	switch (f->kind) {
	case FK_LAMBDA:
		r = apply_lambda(cx, f, va, nva);
		break;
	case FK_BUILTIN:
		r = f->bi->fn(cx, va, nva, input, env);
		break;
	case FK_PARTIAL:
		if ((full = calloc(f->nargs + 1, sizeof(*full))) == NULL)
			abort();
		for (i = k = 0; i < f->nargs; i++) {
			if (f->hole[i])
				full[i] = k < nargs ? args[k++] : VU();
			else
				full[i] = f->args[i];
		}
		r = jn_apply(cx, f->target, full, f->nargs, input, env);
		free(full);
		break;
	case FK_CHAIN:
		r = jn_apply(cx, f->target, args, nargs > 0 ? 1 : 0, input,
		    env);
		if (!v_err(r)) {
			V x = r;

			r = jn_apply(cx, f->target2, &x, 1, input, env);
			v_free(x);
		}
		break;
	case FK_REGEX:
		if (nargs < 1 || !v_isstr(args[0]))
			r = VU();
		else
			r = jn_regex_match_object(cx, f->node,
			    jv_copy(args[0].v), 0, NULL);
		break;
	case FK_TRANSFORM:
		if (nargs < 1 || v_undef(args[0]))
			r = VU();
		else if (!v_isobj(args[0]) && !v_isarr(args[0]))
			r = jn_err("T0410", JV_OBJECT(jv_string("index"),
			    jv_number(1), jv_string("value"),
			    jv_copy(args[0].v)));
		else
			r = transform(cx, f, args[0]);
		break;
	default:
		r = jn_err("T1006", jv_object());
	}
	if (owned) {
		for (i = 0; i < nva; i++)
			v_free(va[i]);
		free(va);
	}
	return r;
}

/* Apply a function value (borrowed) to args (borrowed). */
V
jn_apply(struct jctx *cx, jv fv, V *args, int nargs, V input,
    struct jframe *env)
{
	V r, next, *targs;
	struct jfn *t;
	struct jn *call;
	int i, n;

	r = apply_inner(cx, fv, args, nargs, input, env);
	/* the trampoline for tail calls */
	while (v_isfn(r) && (t = jn_fn_get(cx, r.v)) != NULL &&
	    t->kind == FK_LAMBDA && (t->node->flags & JNF_THUNK)) {
		v_free(r);
		call = t->node->rhs;
		next = jn_eval(cx, call->lhs, t->input, t->env);
		if (v_err(next))
			return next;
		n = call->nkids;
		if ((targs = calloc(n + 1, sizeof(*targs))) == NULL)
			abort();
		for (i = 0; i < n; i++) {
			targs[i] = jn_eval(cx, call->kids[i], t->input, t->env);
			if (v_err(targs[i])) {
				r = targs[i];
				while (i > 0)
					v_free(targs[--i]);
				free(targs);
				v_free(next);
				return r;
			}
		}
		r = apply_inner(cx, next.v, targs, n, input, env);
		if (v_err(r)) {
			const char *tok = NULL;

			if (call->lhs->type == JN_VARIABLE)
				tok = jv_string_value(call->lhs->val);
			r = err_annotate(r, tok, call->pos);
		}
		for (i = 0; i < n; i++)
			v_free(targs[i]);
		free(targs);
		v_free(next);
	}
	return r;
}

static const char *
proc_name(struct jn *call)
{
	struct jn *p = call->lhs;

	if (p->type == JN_PATH && p->kids[0]->type == JN_NAME)
		return jv_string_value(p->kids[0]->val);
	if (p->type == JN_VARIABLE)
		return jv_string_value(p->val);
	return NULL;
}

static V
eval_function(struct jctx *cx, struct jn *e, V input, struct jframe *env,
    V *applyto)
{
	V proc, *args, r;
	int i, n = 0, found;
	const char *name = proc_name(e);

	proc = jn_eval(cx, e->lhs, input, env);
	if (v_err(proc))
		return proc;
	if (v_undef(proc) && e->lhs->type == JN_PATH &&
	    e->lhs->kids[0]->type == JN_NAME) {
		v_free(lookup_var(cx, env,
		    jv_string_value(e->lhs->kids[0]->val), &found));
		if (found)
			return errv("T1005", e->pos,
			    jv_string_value(e->lhs->kids[0]->val),
			    jv_invalid());
	}
	if ((args = calloc(e->nkids + 2, sizeof(*args))) == NULL)
		abort();
	if (applyto != NULL)
		args[n++] = *applyto;
	for (i = 0; i < e->nkids; i++) {
		args[n] = jn_eval(cx, e->kids[i], input, env);
		if (v_err(args[n])) {
			r = args[n];
			goto out;
		}
		n++;
	}
	r = jn_apply(cx, proc.v, args, n, input, env);
	if (v_err(r))
		r = err_annotate(r, name, e->pos);
out:
	for (i = applyto != NULL ? 1 : 0; i < n; i++)
		v_free(args[i]);
	free(args);
	v_free(proc);
	return r;
}

static V
eval_partial(struct jctx *cx, struct jn *e, V input, struct jframe *env)
{
	V proc, r;
	struct jfn *f;
	int i, found;

	proc = jn_eval(cx, e->lhs, input, env);
	if (v_err(proc))
		return proc;
	if (v_undef(proc) && e->lhs->type == JN_PATH &&
	    e->lhs->kids[0]->type == JN_NAME) {
		v_free(lookup_var(cx, env,
		    jv_string_value(e->lhs->kids[0]->val), &found));
		if (found)
			return errv("T1007", e->pos,
			    jv_string_value(e->lhs->kids[0]->val),
			    jv_invalid());
	}
	if (!v_isfn(proc)) {
		v_free(proc);
		return errv("T1008", e->pos, proc_name(e), jv_invalid());
	}
	f = fn_alloc(FK_PARTIAL);
	f->target = proc.v;
	f->nargs = e->nkids;
	if ((f->args = calloc(e->nkids + 1, sizeof(*f->args))) == NULL ||
	    (f->hole = calloc(e->nkids + 1, 1)) == NULL)
		abort();
	for (i = 0; i < e->nkids; i++) {
		if (e->kids[i]->type == JN_PLACEHOLDER) {
			f->hole[i] = 1;
			f->args[i] = VU();
			continue;
		}
		r = jn_eval(cx, e->kids[i], input, env);
		f->args[i] = r;
		if (v_err(r)) {
			f->args[i] = VU();
			/* f joins the table so it is freed with the rest */
			v_free(VJ(jn_fn_new(cx, f)));
			return r;
		}
	}
	return VJ(jn_fn_new(cx, f));
}

static V
eval_apply(struct jctx *cx, struct jn *e, V input, struct jframe *env)
{
	V l, fv, r;
	struct jfn *f;

	l = jn_eval(cx, e->lhs, input, env);
	if (v_err(l))
		return l;
	if (e->rhs->type == JN_FUNCTION) {
		r = eval_function(cx, e->rhs, input, env, &l);
		v_free(l);
		return r;
	}
	fv = jn_eval(cx, e->rhs, input, env);
	if (v_err(fv)) {
		v_free(l);
		return fv;
	}
	if (!v_isfn(fv)) {
		v_free(l);
		return errv("T2006", e->pos, NULL, fv.v);
	}
	if (v_isfn(l)) {
		f = fn_alloc(FK_CHAIN);
		f->target = l.v;
		f->target2 = fv.v;
		return VJ(jn_fn_new(cx, f));
	}
	r = jn_apply(cx, fv.v, &l, 1, input, env);
	v_free(l);
	v_free(fv);
	return r;
}

/* Transform: | pattern | update [, delete] | */

struct tmatch {
	jv	*m;
	int	 n;
};

static int
is_match(struct tmatch *tm, jv x)
{
	int i;

	for (i = 0; i < tm->n; i++)
		if (asl_jv_identical(tm->m[i], x))
			return 1;
	return 0;
}

static V
rebuild(struct jctx *cx, struct jfn *f, struct tmatch *tm, jv x)
{
	struct jn *t = f->node;
	jv out, d;
	V u, del;
	int i, n;

	if (jv_get_kind(x) == JV_KIND_ARRAY) {
		n = jv_array_length(jv_copy(x));
		out = jv_array();
		for (i = 0; i < n; i++) {
			u = rebuild(cx, f, tm, jv_array_get(jv_copy(x), i));
			if (v_err(u)) {
				jv_free(out);
				jv_free(x);
				return u;
			}
			out = jv_array_append(out, u.v);
		}
		jv_free(x);
		return VJ(out);
	}
	if (jv_get_kind(x) != JV_KIND_OBJECT)
		return VJ(x);
	out = jv_object();
	jv_object_foreach(x, k, v) {
		u = rebuild(cx, f, tm, v);
		if (v_err(u)) {
			jv_free(k);
			jv_free(out);
			jv_free(x);
			return u;
		}
		out = jv_object_set(out, k, u.v);
	}
	if (!is_match(tm, x)) {
		jv_free(x);
		return VJ(out);
	}
	u = jn_eval(cx, t->rhs, VJ(x), f->env);
	if (v_err(u)) {
		jv_free(out);
		jv_free(x);
		return u;
	}
	if (!v_undef(u)) {
		if (!v_isobj(u)) {
			jv_free(out);
			jv_free(x);
			return errv("T2011", t->rhs->pos, NULL, u.v);
		}
		jv_object_foreach(u.v, k, v)
			out = jv_object_set(out, k, v);
		v_free(u);
	}
	if (t->third != NULL) {
		del = jn_eval(cx, t->third, VJ(x), f->env);
		if (v_err(del)) {
			jv_free(out);
			jv_free(x);
			return del;
		}
		if (!v_undef(del)) {
			jv orig = jv_copy(del.v);

			if (!v_isarr(del))
				del.v = jv_array_append(jv_array(), del.v);
			n = alen(del);
			for (i = 0; i < n; i++) {
				d = aget(del, i);
				if (jv_get_kind(d) != JV_KIND_STRING) {
					jv_free(d);
					jv_free(out);
					jv_free(x);
					v_free(del);
					return errv("T2012", t->third->pos,
					    NULL, orig);
				}
				out = jv_object_delete(out, d);
			}
			jv_free(orig);
			v_free(del);
		}
	}
	jv_free(x);
	return VJ(out);
}

static V
transform(struct jctx *cx, struct jfn *f, V obj)
{
	V m, r;
	struct tmatch tm = {NULL, 0};
	int i, n;

	m = jn_eval(cx, f->node->lhs, obj, f->env);
	if (v_err(m))
		return m;
	if (!v_undef(m)) {
		if (!v_isarr(m))
			m.v = jv_array_append(jv_array(), m.v);
		n = alen(m);
		if ((tm.m = calloc(n + 1, sizeof(*tm.m))) == NULL)
			abort();
		for (i = 0; i < n; i++)
			tm.m[tm.n++] = aget(m, i);
		v_free(m);
	}
	r = rebuild(cx, f, &tm, jv_copy(obj.v));
	for (i = 0; i < tm.n; i++)
		jv_free(tm.m[i]);
	free(tm.m);
	return r;
}

/* The evaluator */

static V
eval_node(struct jctx *cx, struct jn *e, V input, struct jframe *env)
{
	V r, x;
	struct jframe *fe;
	struct jfn *f;
	int i, found;

	switch (e->type) {
	case JN_PATH:
		return eval_path(cx, e, input, env);
	case JN_BINARY:
		return eval_binary(cx, e, input, env);
	case JN_NEG:
		r = jn_eval(cx, e->lhs, input, env);
		if (v_err(r) || v_undef(r))
			return r;
		if (!v_isnum(r))
			return errv("D1002", e->pos, "-", r.v);
		x = VJ(jv_number(-jv_number_value(r.v)));
		v_free(r);
		return x;
	case JN_ARRAY:
		return eval_array(cx, e, input, env);
	case JN_OBJECT:
		return eval_group(cx, e->kids, e->nkids, e->pos, input, env);
	case JN_NAME:
		return jn_lookup_key(input, jv_string_value(e->val));
	case JN_STRING:
	case JN_NUMBER:
	case JN_VALUE:
		return VJ(jv_copy(e->val));
	case JN_WILDCARD:
		return wildcard(input);
	case JN_DESCENDANT:
		if (v_undef(input))
			return VU();
		r = seq_new();
		descend(input.v, &r);
		if (alen(r) == 1) {
			x = VJ(aget(r, 0));
			v_free(r);
			return x;
		}
		return r;
	case JN_CONDITION:
		r = jn_eval(cx, e->lhs, input, env);
		if (v_err(r))
			return r;
		i = jn_bool(r);
		v_free(r);
		if (i)
			return jn_eval(cx, e->rhs, input, env);
		if (e->third != NULL)
			return jn_eval(cx, e->third, input, env);
		return VU();
	case JN_BLOCK:
		fe = jn_frame(cx, env);
		r = VU();
		for (i = 0; i < e->nkids; i++) {
			v_free(r);
			r = jn_eval(cx, e->kids[i], input, fe);
			if (v_err(r))
				break;
		}
		return r;
	case JN_BIND:
		r = jn_eval(cx, e->rhs, input, env);
		if (v_err(r))
			return r;
		jn_bind(env, jv_copy(e->lhs->val), v_copy(r));
		return r;
	case JN_REGEX:
		f = fn_alloc(FK_REGEX);
		f->node = e;
		return VJ(jn_fn_new(cx, f));
	case JN_FUNCTION:
		return eval_function(cx, e, input, env, NULL);
	case JN_PARTIAL:
		return eval_partial(cx, e, input, env);
	case JN_VARIABLE:
		if (jv_string_length_bytes(jv_copy(e->val)) == 0) {
			if (v_isarr(input) && (input.f & VF_OUTER) &&
			    alen(input) > 0)
				return VJ(aget(input, 0));
			return v_copy(input);
		}
		return lookup_var(cx, env, jv_string_value(e->val), &found);
	case JN_LAMBDA:
		f = fn_alloc(FK_LAMBDA);
		f->node = e;
		f->env = env;
		f->input = v_copy(input);
		return VJ(jn_fn_new(cx, f));
	case JN_APPLY:
		return eval_apply(cx, e, input, env);
	case JN_TRANSFORM:
		f = fn_alloc(FK_TRANSFORM);
		f->node = e;
		f->env = env;
		return VJ(jn_fn_new(cx, f));
	case JN_SORT:
		return eval_sort(cx, e, input, env);
	case JN_PARENT:
		return jn_lookup(env, e->slot->label, &found);
	default:
		return VU();
	}
}

V
jn_eval(struct jctx *cx, struct jn *e, V input, struct jframe *env)
{
	V r, g;
	int i, n;

	char probe;
	uintptr_t here = (uintptr_t)&probe;

	/*
	 * Runaway recursion fails with U1001, jsonata-js's "stack overflow",
	 * before the C stack runs out (cx->stack_budget bytes from where
	 * evaluation began).
	 */
	if (cx->stack_base == 0)
		cx->stack_base = here;
	if ((cx->stack_base > here ? cx->stack_base - here :
	    here - cx->stack_base) > cx->stack_budget)
		return jn_err("U1001", JV_OBJECT(jv_string("position"),
		    jv_number(e->pos)));
	cx->depth++;
	r = eval_node(cx, e, input, env);
	for (i = 0; i < e->npred && !v_err(r); i++)
		r = filter(cx, e->pred[i], r, env);
	if (e->type != JN_PATH && (e->flags & JNF_GROUP) && !v_err(r)) {
		g = eval_group(cx, e->group, e->ngroup, e->group_pos, r, env);
		v_free(r);
		r = g;
	}
	cx->depth--;
	if (v_isarr(r) && (r.f & VF_SEQ) && !(r.f & VF_TUPLE)) {
		if (e->flags & JNF_KEEP_ARRAY)
			r.f |= VF_KEEP;
		n = alen(r);
		if (n == 0) {
			v_free(r);
			return VU();
		}
		if (n == 1 && !(r.f & VF_KEEP)) {
			g = VJ(aget(r, 0));
			v_free(r);
			return g;
		}
	}
	return r;
}

/* Free everything an evaluation made. */
void
jn_ctx_free(struct jctx *cx)
{
	struct jframe *f, *next;
	size_t i;
	int k;

	for (f = cx->frames; f != NULL; f = next) {
		next = f->all;
		for (k = 0; k < f->n; k++) {
			jv_free(f->b[k].name);
			v_free(f->b[k].val);
		}
		free(f->b);
		free(f);
	}
	for (i = 0; i < cx->nfns; i++) {
		struct jfn *fn = cx->fns[i];

		v_free(fn->input);
		jv_free(fn->target);
		jv_free(fn->target2);
		for (k = 0; k < fn->nargs; k++)
			v_free(fn->args[k]);
		free(fn->args);
		free(fn->hole);
		free(fn);
	}
	free(cx->fns);
}
