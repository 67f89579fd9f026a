/*
 * jn_path.c - JSONata paths: steps and their sequences, predicates and
 * index bindings, tuple streams for @ and #, grouping with {...}, and
 * order-by (a stable merge sort whose comparator may fail).
 *
 * It follows jsonata-js 2.0.6 step by step, because Step Functions shows
 * its quirks to users: how sequences of one item collapse to the item,
 * how arrays from the input flatten into a path's sequence while arrays
 * built by [...] do not.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jn.h"

/* Paths */


/* fn.lookup: the value of key in input, mapped over arrays. */
V
jn_lookup_key(V input, const char *key)
{
	V r, res;
	int i, n, j, m;
	jv item;

	if (jn_v_isarr(input)) {
		r = jn_seq_new();
		n = jn_alen(input);
		for (i = 0; i < n; i++) {
			item = jn_aget(input, i);
			res = jn_lookup_key(VJ(item), key);
			jv_free(item);
			if (jn_v_undef(res))
				continue;
			if (jn_v_isarr(res)) {
				m = jn_alen(res);
				for (j = 0; j < m; j++)
					jn_seq_push(&r, jn_aget(res, j));
				jn_v_free(res);
			} else
				jn_seq_push(&r, res.v);
		}
		return r;
	}
	if (jn_v_isobj(input)) {
		jv v = jv_object_get(jv_copy(input.v), jv_string(key));

		return jv_is_valid(v) ? VJ(v) : VU();
	}
	return VU();
}

/*
 * An array index written as a number (finite), floored, within int: one
 * past either end is as far outside the array as 1e110 (converting that
 * to int would be undefined behaviour).
 */
static int
index_of(double x)
{
	x = floor(x);
	if (x > INT_MAX / 2)
		return INT_MAX / 2;
	if (x < -(INT_MAX / 2))
		return -(INT_MAX / 2);
	return (int)x;
}

V
jn_filter(struct jctx *cx, struct jn *pred, V input, struct jframe *env)
{
	V results = jn_seq_new(), res, ctxv;
	int n, i, j, m, idx, k, all;
	jv item, x;
	struct jframe *fe;

	if (input.f & VF_TUPLE)
		results.f |= VF_TUPLE;
	if (jn_v_undef(input))
		return results;
	if (!jn_v_isarr(input))
		input = (V){jv_array_append(jv_array(), input.v), VF_SEQ};
	n = jn_alen(input);
	if (pred->type == JN_NUMBER) {
		idx = index_of(jv_number_value(pred->val));
		if (idx < 0)
			idx += n;
		if (idx >= 0 && idx < n) {
			item = jn_aget(input, idx);
			if (jv_get_kind(item) == JV_KIND_ARRAY) {
				jn_v_free(results);
				results = VJ(item);
			} else
				jn_seq_push(&results, item);
		}
		jn_v_free(input);
		return results;
	}
	for (i = 0; i < n; i++) {
		item = jn_aget(input, i);
		fe = env;
		if (input.f & VF_TUPLE) {
			ctxv = jn_tuple_at(jv_copy(item));
			fe = jn_frame_from_tuple(cx, env, jv_copy(item));
		} else
			ctxv = VJ(jv_copy(item));
		res = jn_eval(cx, pred, ctxv, fe);
		jn_v_free(ctxv);
		if (jn_v_err(res)) {
			jv_free(item);
			jn_v_free(input);
			jn_v_free(results);
			return res;
		}
		if (jn_v_isnum(res))
			res.v = jv_array_append(jv_array(), res.v);
		all = jn_v_isarr(res);
		m = all ? jn_alen(res) : 0;
		for (j = 0; all && j < m; j++) {
			x = jn_aget(res, j);
			if (jv_get_kind(x) != JV_KIND_NUMBER || jn_isfn(x) ||
			    !isfinite(jv_number_value(x)))
				all = 0;
			jv_free(x);
		}
		if (all) {
			for (j = 0; j < m; j++) {
				x = jn_aget(res, j);
				k = index_of(jv_number_value(x));
				jv_free(x);
				if (k < 0)
					k += n;
				if (k == i)
					jn_seq_push(&results, jv_copy(item));
			}
		} else if (jn_bool(res))
			jn_seq_push(&results, jv_copy(item));
		jn_v_free(res);
		jv_free(item);
	}
	jn_v_free(input);
	return results;
}

static V
run_stages(struct jctx *cx, struct jn *step, V r, struct jframe *env)
{
	int s, i, n;
	jv t;
	V out;

	for (s = 0; s < step->nstages && !jn_v_err(r); s++) {
		if (!step->stages[s].is_index) {
			r = jn_filter(cx, step->stages[s].expr, r, env);
			continue;
		}
		if (!jn_v_isarr(r))
			continue;
		out = (V){jv_array(), r.f};
		n = jn_alen(r);
		for (i = 0; i < n; i++) {
			t = jn_aget(r, i);
			t = jv_object_set(t, jv_copy(step->stages[s].name),
			    jv_number(i));
			jn_seq_push(&out, t);
		}
		jn_v_free(r);
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
	return (in.f & VF_ONE) ? 1 : jn_v_isarr(in) ? jn_alen(in) : 0;
}

static V
in_item(V in, int i)
{
	if (in.f & VF_ONE)
		return (V){jv_copy(in.v), in.f & ~VF_ONE};
	return VJ(jn_aget(in, i));
}

static V
eval_step(struct jctx *cx, struct jn *step, V in, struct jframe *env,
    int last)
{
	V *res = NULL, r, out;
	int n, i, k = 0, j, m;

	if (step->type == JN_SORT) {
		r = jn_eval_sort(cx, step, in, env);
		return jn_v_err(r) ? r : run_stages(cx, step, r, env);
	}
	n = in_count(in);
	if (n > 0 && (res = malloc(n * sizeof(*res))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		V item = in_item(in, i);

		r = jn_eval(cx, step, item, env);
		jn_v_free(item);
		if (!jn_v_err(r) && step->nstages > 0)
			r = run_stages(cx, step, r, env);
		if (jn_v_err(r)) {
			while (k > 0)
				jn_v_free(res[--k]);
			free(res);
			return r;
		}
		if (!jn_v_undef(r))
			res[k++] = r;
	}
	if (last && k == 1 && jn_v_isarr(res[0]) && !(res[0].f & VF_SEQ)) {
		out = res[0];
		free(res);
		return out;
	}
	out = jn_seq_new();
	for (i = 0; i < k; i++) {
		if (!jn_v_isarr(res[i]) || (res[i].f & VF_CONS)) {
			jn_seq_push(&out, res[i].v);
			continue;
		}
		m = jn_alen(res[i]);
		for (j = 0; j < m; j++)
			jn_seq_push(&out, jn_aget(res[i], j));
		jn_v_free(res[i]);
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
		if (!jn_v_undef(tuples)) {
			r = jn_eval_sort(cx, step, tuples, env);
			jn_v_free(tuples);
		} else {
			sorted = jn_eval_sort(cx, step, in, env);
			if (jn_v_err(sorted))
				return sorted;
			r = (V){jv_array(), VF_SEQ | VF_TUPLE};
			n = jn_v_isarr(sorted) ? jn_alen(sorted) : 0;
			for (i = 0; i < n; i++) {
				t = JV_OBJECT(jv_string("@"), jn_aget(sorted, i));
				if (jv_is_valid(step->index))
					t = jv_object_set(t,
					    jv_copy(step->index),
					    jv_number(i));
				jn_seq_push(&r, t);
			}
			jn_v_free(sorted);
		}
		if (jn_v_err(r))
			return r;
		return run_stages(cx, step, r, env);
	}
	if (jn_v_undef(tuples)) {
		tuples = (V){jv_array(), VF_SEQ | VF_TUPLE};
		n = in_count(in);
		for (i = 0; i < n; i++) {
			V item = in_item(in, i);

			t = jv_object();
			if (!jn_v_undef(item))
				t = jv_object_set(t, jv_string("@"), item.v);
			jn_seq_push(&tuples, t);
		}
	}
	r = (V){jv_array(), VF_SEQ | VF_TUPLE};
	n = jn_alen(tuples);
	for (i = 0; i < n; i++) {
		t = jn_aget(tuples, i);
		fe = jn_frame_from_tuple(cx, env, jv_copy(t));
		x = jv_object_get(jv_copy(t), jv_string("@"));
		res = jn_eval(cx, step, jv_is_valid(x) ? VJ(x) : VU(), fe);
		jv_free(x);
		if (jn_v_err(res)) {
			jv_free(t);
			jn_v_free(tuples);
			jn_v_free(r);
			return res;
		}
		if (!jn_v_undef(res)) {
			if (!jn_v_isarr(res))
				res.v = jv_array_append(jv_array(), res.v);
			m = jn_alen(res);
			for (b = 0; b < m; b++) {
				nt = jv_copy(t);
				x = jn_aget(res, b);
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
				jn_seq_push(&r, nt);
			}
			jn_v_free(res);
		}
		jv_free(t);
	}
	jn_v_free(tuples);
	return run_stages(cx, step, r, env);
}

V
jn_eval_path(struct jctx *cx, struct jn *e, V input, struct jframe *env)
{
	V in, r = VU(), tuples = VU(), out;
	int i, n, is_tuple = 0;
	struct jn *step;

	if (jn_v_isarr(input) && e->kids[0]->type != JN_VARIABLE)
		in = jn_v_copy(input);
	else {
		in = jn_v_copy(input);
		in.f |= VF_ONE;
	}
	for (i = 0; i < e->nkids; i++) {
		step = e->kids[i];
		if (step->flags & JNF_TUPLE)
			is_tuple = 1;
		if (i == 0 && (step->flags & JNF_CONSARRAY)) {
			V seq = (in.f & VF_ONE) ? (jn_v_undef(in) ? jn_seq_new() :
			    jn_seq_of(jv_copy(in.v))) : jn_v_copy(in);

			jn_v_free(r);
			r = jn_eval(cx, step, seq, env);
			jn_v_free(seq);
		} else if (is_tuple) {
			tuples = eval_tuple_step(cx, step, in, tuples, env);
			if (jn_v_err(tuples)) {
				jn_v_free(in);
				jn_v_free(r);
				return tuples;
			}
		} else {
			jn_v_free(r);
			r = eval_step(cx, step, in, env, i == e->nkids - 1);
		}
		if (jn_v_err(r)) {
			jn_v_free(in);
			jn_v_free(tuples);
			return r;
		}
		if (!is_tuple && (jn_v_undef(r) || (jn_v_isarr(r) && jn_alen(r) == 0)))
			break;
		if (!jv_is_valid(step->focus)) {
			jn_v_free(in);
			in = jn_v_copy(r);
		}
	}
	jn_v_free(in);
	if (is_tuple && (e->flags & JNF_TUPLE) && !(e->flags & JNF_GROUP)) {
		/* a path inside a step that % looks through: keep ancestry */
		jn_v_free(r);
		r = tuples;
		tuples = VU();
	} else if (is_tuple) {
		jn_v_free(r);
		r = jn_seq_new();
		n = jn_alen(tuples);
		for (i = 0; i < n; i++) {
			jv x = jv_object_get(jn_aget(tuples, i), jv_string("@"));

			if (jv_is_valid(x))
				jn_seq_push(&r, x);
			else
				jv_free(x);
		}
	}
	if ((e->flags & JNF_KEEP_SINGLETON) && !jn_v_undef(r)) {
		if (jn_v_isarr(r) && (r.f & VF_CONS) && !(r.f & VF_SEQ))
			r = jn_seq_of(r.v);
		r.f |= VF_KEEP;
	}
	if (e->flags & JNF_GROUP) {
		if (is_tuple) {
			jn_v_free(r);
			r = tuples;
			tuples = VU();
		}
		out = jn_eval_group(cx, e->group, e->ngroup, e->group_pos, r, env);
		jn_v_free(r);
		r = out;
	}
	jn_v_free(tuples);
	return r;
}

/* Grouping: {key: value, ...} applied to a sequence */

static V
reduce_tuples(V data)
{
	jv res;
	int i, n;

	if (!jn_v_isarr(data))
		return jn_v_copy(data);
	n = jn_alen(data);
	res = n > 0 ? jn_aget(data, 0) : jv_object();
	for (i = 1; i < n; i++) {
		jv t = jn_aget(data, i);

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

V
jn_eval_group(struct jctx *cx, struct jn **pairs, int npairs, int pos, V input,
    struct jframe *env)
{
	int reduce = (input.f & VF_TUPLE) != 0, n, i, p, g, ng = 0;
	jv index = jv_object(), result = jv_object();
	V items, key, *data = NULL, ctxv, val, err = VU();
	int *gexpr = NULL, *order, k;
	jv *gkey = NULL;
	struct jframe *fe;

	if (jn_v_undef(input))
		items = VU();
	else if (!jn_v_isarr(input))
		items = jn_seq_of(jv_copy(input.v));
	else
		items = jn_v_copy(input);
	n = jn_v_isarr(items) ? jn_alen(items) : 0;
	if (n == 0) {		/* one undefined item: literal objects */
		jn_v_free(items);
		items = (V){jv_invalid(), VF_ONE};
		n = 1;
	}
	for (i = 0; i < n && !jn_v_err(err); i++) {
		V item = in_item(items, i);

		/* an empty tuple stream holds one undefined item: no tuple */
		if (reduce && jv_get_kind(item.v) != JV_KIND_OBJECT) {
			fe = jn_frame(cx, env);
			ctxv = VU();
		} else {
			fe = reduce ? jn_frame_from_tuple(cx, env,
			    jv_copy(item.v)) : env;
			ctxv = reduce ? jn_tuple_at(jv_copy(item.v)) :
			    jn_v_copy(item);
		}
		for (p = 0; p + 1 < npairs; p += 2) {
			key = jn_eval(cx, pairs[p], ctxv, fe);
			if (jn_v_err(key)) {
				err = key;
				break;
			}
			if (jn_v_undef(key))
				continue;
			if (!jn_v_isstr(key)) {
				err = jn_errv("T1003", pos, NULL, key.v);
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
					err = jn_errv("D1009", pos, NULL, key.v);
					break;
				}
				data[g] = jn_append(data[g], jn_v_copy(item));
				jn_v_free(key);
			} else {
				if ((data = realloc(data, (ng + 1) *
				    sizeof(*data))) == NULL ||
				    (gexpr = realloc(gexpr, (ng + 1) *
				    sizeof(*gexpr))) == NULL ||
				    (gkey = realloc(gkey, (ng + 1) *
				    sizeof(*gkey))) == NULL)
					abort();
				data[ng] = jn_v_copy(item);
				gexpr[ng] = p;
				gkey[ng] = key.v;
				index = jv_object_set(index, jv_copy(key.v),
				    jv_number(ng));
				ng++;
			}
		}
		jn_v_free(ctxv);
		jn_v_free(item);
	}
	if (jn_v_err(err)) {
		jn_v_free(items);
		for (g = 0; g < ng; g++) {
			jn_v_free(data[g]);
			jv_free(gkey[g]);
		}
		free(data);
		free(gexpr);
		free(gkey);
		jv_free(index);
		jv_free(result);
		return err;
	}
	jn_v_free(items);
	jv_free(index);
	order = js_key_order(gkey, ng);
	for (k = 0; k < ng; k++) {
		g = order[k];
		fe = env;
		if (reduce) {
			V t = reduce_tuples(data[g]);

			/*
			 * the undefined item of an empty tuple stream, as above
			 * (jsonata-js reads '@' of undefined: a TypeError)
			 */
			if (jv_get_kind(t.v) != JV_KIND_OBJECT) {
				jn_v_free(t);
				ctxv = VU();
				fe = jn_frame(cx, env);
			} else {
				ctxv = jn_tuple_at(jv_copy(t.v));
				t.v = jv_object_delete(t.v, jv_string("@"));
				fe = jn_frame_from_tuple(cx, env, t.v);
			}
		} else
			ctxv = jn_v_copy(data[g]);
		val = jn_eval(cx, pairs[gexpr[g] + 1], ctxv, fe);
		jn_v_free(ctxv);
		if (jn_v_err(val)) {
			jv_free(result);
			result = val.v;
			break;
		}
		if (!jn_v_undef(val))
			result = jv_object_set(result, jv_copy(gkey[g]), val.v);
	}
	for (g = 0; g < ng; g++) {
		jn_v_free(data[g]);
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
		return jn_v_copy(u->keys[k]);
	if (u->tuples) {
		c = jn_tuple_at(jv_copy(u->items[i]));
		fe = jn_frame_from_tuple(cx, u->env, jv_copy(u->items[i]));
	} else
		c = VJ(jv_copy(u->items[i]));
	r = jn_eval(cx, o->kids[t], c, fe);
	jn_v_free(c);
	if (jn_v_err(r))
		return r;
	u->keys[k] = jn_v_copy(r);
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
		if (jn_v_err(aa)) {
			*err = aa;
			return -1;
		}
		bb = order_key(cx, u, ib, t);
		if (jn_v_err(bb)) {
			jn_v_free(aa);
			*err = bb;
			return -1;
		}
		if (jn_v_undef(aa)) {
			comp = jn_v_undef(bb) ? 0 : 1;
			jn_v_free(bb);
			continue;
		}
		if (jn_v_undef(bb)) {
			comp = -1;
			jn_v_free(aa);
			continue;
		}
		ka = jv_get_kind(aa.v);
		kb = jv_get_kind(bb.v);
		if (!(jn_v_isstr(aa) || jn_v_isnum(aa)) ||
		    !(jn_v_isstr(bb) || jn_v_isnum(bb))) {
			*err = jn_errv("T2008", o->pos, NULL,
			    (jn_v_isstr(aa) || jn_v_isnum(aa)) ? bb.v : aa.v);
			if (jn_v_isstr(aa) || jn_v_isnum(aa))
				jn_v_free(aa);
			else
				jn_v_free(bb);
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
		jn_v_free(aa);
		jn_v_free(bb);
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
	if (jn_v_err(r)) {
		*err = r;
		return -1;
	}
	c = jn_bool(r);
	jn_v_free(r);
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
				jn_v_free(u.keys[k]);
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

V
jn_eval_sort(struct jctx *cx, struct jn *step, V input, struct jframe *env)
{
	V r;
	int tuples = (input.f & VF_TUPLE) != 0;

	if (jn_v_undef(input))
		return VU();
	if (!jn_v_isarr(input))
		return jn_v_copy(input);
	r = jn_sort(cx, jv_copy(input.v), jv_invalid(), step, env, tuples);
	if (!jn_v_err(r))
		r.f = VF_SEQ | (tuples ? VF_TUPLE : 0);
	return r;
}

