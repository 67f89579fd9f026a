/*
 * jn_eval.c - the JSONata evaluator: operators, variables, function
 * calls with signature checks, lambdas, partial application, chaining,
 * tail calls and transforms, and the dispatch over the syntax tree.
 *
 * jn_eval borrows its input and returns an owned value.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jn.h"

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

	if (!jn_v_undef(l) && !jn_v_isnum(l)) {
		jn_v_free(r);
		return jn_errv("T2001", pos, binop_name(op, b), l.v);
	}
	if (!jn_v_undef(r) && !jn_v_isnum(r)) {
		jn_v_free(l);
		return jn_errv("T2002", pos, binop_name(op, b), r.v);
	}
	if (jn_v_undef(l) || jn_v_undef(r)) {
		jn_v_free(l);
		jn_v_free(r);
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
		return jn_errv("D1001", pos, NULL, jv_number(z));
	return VJ(jv_number(z));
}

static V
compare(int op, V l, V r, int pos)
{
	char b[4];
	int lc, rc, c;
	double x, y;

	lc = jn_v_undef(l) || jn_v_isstr(l) || jn_v_isnum(l);
	rc = jn_v_undef(r) || jn_v_isstr(r) || jn_v_isnum(r);
	if (!lc || !rc) {
		if (!(jn_v_isstr(l) || jn_v_isnum(l))) {
			jn_v_free(r);
			return jn_errv("T2010", pos, binop_name(op, b), l.v);
		}
		jn_v_free(l);
		return jn_errv("T2010", pos, binop_name(op, b), r.v);
	}
	if (jn_v_undef(l) || jn_v_undef(r)) {
		jn_v_free(l);
		jn_v_free(r);
		return VU();
	}
	if (jv_get_kind(l.v) != jv_get_kind(r.v)) {
		return jn_err("T2009", JV_OBJECT(jv_string("position"),
		    jv_number(pos), jv_string("token"),
		    jv_string(binop_name(op, b)), jv_string("value"), l.v,
		    jv_string("value2"), r.v));
	}
	if (jn_v_isnum(l)) {
		x = jv_number_value(l.v);
		y = jv_number_value(r.v);
		c = x < y ? -1 : x > y ? 1 : 0;
	} else
		c = strcmp(jv_string_value(l.v), jv_string_value(r.v));
	jn_v_free(l);
	jn_v_free(r);
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

	if (!jn_v_undef(l) && (!jn_v_isnum(l) ||
	    floor(jv_number_value(l.v)) != jv_number_value(l.v))) {
		jn_v_free(r);
		return jn_errv("T2003", pos, "..", l.v);
	}
	if (!jn_v_undef(r) && (!jn_v_isnum(r) ||
	    floor(jv_number_value(r.v)) != jv_number_value(r.v))) {
		jn_v_free(l);
		return jn_errv("T2004", pos, "..", r.v);
	}
	if (jn_v_undef(l) || jn_v_undef(r)) {
		jn_v_free(l);
		jn_v_free(r);
		return VU();
	}
	x = jv_number_value(l.v);
	y = jv_number_value(r.v);
	jv_free(l.v);
	jv_free(r.v);
	if (x > y)
		return VU();
	if (y - x + 1 > 1e7)
		return jn_errv("D2014", pos, NULL, jv_number(y - x + 1));
	out = jn_seq_new();
	for (; x <= y; x++)
		jn_seq_push(&out, jv_number(x));
	return out;
}

static V
eval_binary(struct jctx *cx, struct jn *e, V input, struct jframe *env)
{
	V l, r, out;
	int b, i, n;
	jv ls, rs;

	l = jn_eval(cx, e->lhs, input, env);
	if (jn_v_err(l))
		return l;
	if (e->op == OP_AND || e->op == OP_OR) {
		b = jn_bool(l);
		jn_v_free(l);
		if (e->op == OP_AND && !b)
			return VJ(jv_false());
		if (e->op == OP_OR && b)
			return VJ(jv_true());
		r = jn_eval(cx, e->rhs, input, env);
		if (jn_v_err(r))
			return r;
		b = jn_bool(r);
		jn_v_free(r);
		return VJ(jv_bool(b));
	}
	r = jn_eval(cx, e->rhs, input, env);
	if (jn_v_err(r)) {
		jn_v_free(l);
		return r;
	}
	switch (e->op) {
	case '+': case '-': case '*': case '/': case '%':
		return numeric(e->op, l, r, e->pos);
	case '=':
	case OP_NE:
		if (jn_v_undef(l) || jn_v_undef(r)) {
			jn_v_free(l);
			jn_v_free(r);
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
		if (!jn_v_undef(l)) {
			jv_free(ls);
			ls = jn_string_of(cx, l.v, 0, &out);
		}
		if (!jn_v_undef(r) && !jn_v_err(out)) {
			jv_free(rs);
			rs = jn_string_of(cx, r.v, 0, &out);
		} else
			jn_v_free(r);
		if (jn_v_err(out)) {
			jv_free(ls);
			jv_free(rs);
			return jn_err_annotate(out, "&", e->pos);
		}
		return VJ(jv_string_concat(ls, rs));
	case OP_DOTDOT:
		return range(l, r, e->pos);
	case OP_IN:
		if (jn_v_undef(l) || jn_v_undef(r)) {
			jn_v_free(l);
			jn_v_free(r);
			return VJ(jv_false());
		}
		if (!jn_v_isarr(r))
			r.v = jv_array_append(jv_array(), r.v);
		n = jn_alen(r);
		for (b = 0, i = 0; i < n && !b; i++)
			b = strict_equal(jn_aget(r, i), jv_copy(l.v));
		jn_v_free(l);
		jn_v_free(r);
		return VJ(jv_bool(b));
	}
	jn_v_free(l);
	jn_v_free(r);
	return VU();
}

static V
eval_array(struct jctx *cx, struct jn *e, V input, struct jframe *env)
{
	V out = VJ(jv_array()), x;
	int i;

	for (i = 0; i < e->nkids; i++) {
		x = jn_eval(cx, e->kids[i], input, env);
		if (jn_v_err(x)) {
			jn_v_free(out);
			return x;
		}
		if (jn_v_undef(x))
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
		jn_seq_push(out, jv_copy(x));
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
		jn_seq_push(out, x);
}

static V
wildcard(V input)
{
	V out = jn_seq_new();
	jv x;

	if (jn_v_isarr(input) && (input.f & VF_OUTER) && jn_alen(input) > 0)
		x = jn_aget(input, 0);
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
	if (jn_v_undef(x))
		return 'm';
	if (jn_v_isfn(x))
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
		    good < nargs && !jn_v_undef(args[good]) ?
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
						jn_v_free(res[j]);
					free(res);
					return jn_err("T0411", JV_OBJECT(
					    jv_string("index"),
					    jv_number(ai + 1),
					    jv_string("value"),
					    jn_v_undef(context) ? jv_null() :
					    jv_copy(context.v)));
				}
				res[(*nout)++] = jn_v_copy(context);
			} else {
				res[(*nout)++] = ai < nargs ? jn_v_copy(args[ai]) :
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
					else if (c == 'a' && (m = jn_alen(a)) > 0) {
						for (q = 0; q < m && ok; q++) {
							jv x = jn_aget(a, q);

							ok = sym_of(VJ(x)) ==
							    p->subtype;
							jv_free(x);
						}
					}
				}
				if (!ok) {
					int k;

					for (k = 0; k < *nout; k++)
						jn_v_free(res[k]);
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
				res[(*nout)++] = c == 'm' ? VU() : jn_v_copy(a);
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
	struct jframe *fe;
	struct jn *l = f->node;
	int i;

	if (++cx->calls > JN_MAX_CALLS)
		return jn_err("U1003", JV_OBJECT(jv_string("position"),
		    jv_number(l->pos), jv_string("value"),
		    jv_number(JN_MAX_CALLS)));
	fe = jn_frame(cx, f->env);
	for (i = 0; i < l->nkids; i++)
		jn_bind(fe, jv_copy(l->kids[i]->val),
		    i < nargs ? jn_v_copy(args[i]) : VU());
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
		if (jn_v_err(r))
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
		if (!jn_v_err(r)) {
			V x = r;

			r = jn_apply(cx, f->target2, &x, 1, input, env);
			jn_v_free(x);
		}
		break;
	case FK_REGEX:
		if (nargs < 1 || !jn_v_isstr(args[0]))
			r = VU();
		else
			r = jn_regex_match_object(cx, f->node,
			    jv_copy(args[0].v), 0, NULL);
		break;
	case FK_TRANSFORM:
		if (nargs < 1 || jn_v_undef(args[0]))
			r = VU();
		else if (!jn_v_isobj(args[0]) && !jn_v_isarr(args[0]))
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
			jn_v_free(va[i]);
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
	while (jn_v_isfn(r) && (t = jn_fn_get(cx, r.v)) != NULL &&
	    t->kind == FK_LAMBDA && (t->node->flags & JNF_THUNK)) {
		jn_v_free(r);
		call = t->node->rhs;
		next = jn_eval(cx, call->lhs, t->input, t->env);
		if (jn_v_err(next))
			return next;
		n = call->nkids;
		if ((targs = calloc(n + 1, sizeof(*targs))) == NULL)
			abort();
		for (i = 0; i < n; i++) {
			targs[i] = jn_eval(cx, call->kids[i], t->input, t->env);
			if (jn_v_err(targs[i])) {
				r = targs[i];
				while (i > 0)
					jn_v_free(targs[--i]);
				free(targs);
				jn_v_free(next);
				return r;
			}
		}
		r = apply_inner(cx, next.v, targs, n, input, env);
		if (jn_v_err(r)) {
			const char *tok = NULL;

			if (call->lhs->type == JN_VARIABLE)
				tok = jv_string_value(call->lhs->val);
			r = jn_err_annotate(r, tok, call->pos);
		}
		for (i = 0; i < n; i++)
			jn_v_free(targs[i]);
		free(targs);
		jn_v_free(next);
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
	if (jn_v_err(proc))
		return proc;
	if (jn_v_undef(proc) && e->lhs->type == JN_PATH &&
	    e->lhs->kids[0]->type == JN_NAME) {
		jn_v_free(jn_lookup_var(cx, env,
		    jv_string_value(e->lhs->kids[0]->val), &found));
		if (found)
			return jn_errv("T1005", e->pos,
			    jv_string_value(e->lhs->kids[0]->val),
			    jv_invalid());
	}
	if ((args = calloc(e->nkids + 2, sizeof(*args))) == NULL)
		abort();
	if (applyto != NULL)
		args[n++] = *applyto;
	for (i = 0; i < e->nkids; i++) {
		args[n] = jn_eval(cx, e->kids[i], input, env);
		if (jn_v_err(args[n])) {
			r = args[n];
			goto out;
		}
		n++;
	}
	r = jn_apply(cx, proc.v, args, n, input, env);
	if (jn_v_err(r))
		r = jn_err_annotate(r, name, e->pos);
out:
	for (i = applyto != NULL ? 1 : 0; i < n; i++)
		jn_v_free(args[i]);
	free(args);
	jn_v_free(proc);
	return r;
}

static V
eval_partial(struct jctx *cx, struct jn *e, V input, struct jframe *env)
{
	V proc, r;
	struct jfn *f;
	int i, found;

	proc = jn_eval(cx, e->lhs, input, env);
	if (jn_v_err(proc))
		return proc;
	if (jn_v_undef(proc) && e->lhs->type == JN_PATH &&
	    e->lhs->kids[0]->type == JN_NAME) {
		jn_v_free(jn_lookup_var(cx, env,
		    jv_string_value(e->lhs->kids[0]->val), &found));
		if (found)
			return jn_errv("T1007", e->pos,
			    jv_string_value(e->lhs->kids[0]->val),
			    jv_invalid());
	}
	if (!jn_v_isfn(proc)) {
		jn_v_free(proc);
		return jn_errv("T1008", e->pos, proc_name(e), jv_invalid());
	}
	f = jn_fn_alloc(FK_PARTIAL);
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
		if (jn_v_err(r)) {
			f->args[i] = VU();
			/* f joins the table so it is freed with the rest */
			jn_v_free(VJ(jn_fn_new(cx, f)));
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
	if (jn_v_err(l))
		return l;
	if (e->rhs->type == JN_FUNCTION) {
		r = eval_function(cx, e->rhs, input, env, &l);
		jn_v_free(l);
		return r;
	}
	fv = jn_eval(cx, e->rhs, input, env);
	if (jn_v_err(fv)) {
		jn_v_free(l);
		return fv;
	}
	if (!jn_v_isfn(fv)) {
		jn_v_free(l);
		return jn_errv("T2006", e->pos, NULL, fv.v);
	}
	if (jn_v_isfn(l)) {
		f = jn_fn_alloc(FK_CHAIN);
		f->target = l.v;
		f->target2 = fv.v;
		return VJ(jn_fn_new(cx, f));
	}
	r = jn_apply(cx, fv.v, &l, 1, input, env);
	jn_v_free(l);
	jn_v_free(fv);
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
			if (jn_v_err(u)) {
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
		if (jn_v_err(u)) {
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
	if (jn_v_err(u)) {
		jv_free(out);
		jv_free(x);
		return u;
	}
	if (!jn_v_undef(u)) {
		if (!jn_v_isobj(u)) {
			jv_free(out);
			jv_free(x);
			return jn_errv("T2011", t->rhs->pos, NULL, u.v);
		}
		jv_object_foreach(u.v, k, v)
			out = jv_object_set(out, k, v);
		jn_v_free(u);
	}
	if (t->third != NULL) {
		del = jn_eval(cx, t->third, VJ(x), f->env);
		if (jn_v_err(del)) {
			jv_free(out);
			jv_free(x);
			return del;
		}
		if (!jn_v_undef(del)) {
			jv orig = jv_copy(del.v);

			if (!jn_v_isarr(del))
				del.v = jv_array_append(jv_array(), del.v);
			n = jn_alen(del);
			for (i = 0; i < n; i++) {
				d = jn_aget(del, i);
				if (jv_get_kind(d) != JV_KIND_STRING) {
					jv_free(d);
					jv_free(out);
					jv_free(x);
					jn_v_free(del);
					return jn_errv("T2012", t->third->pos,
					    NULL, orig);
				}
				out = jv_object_delete(out, d);
			}
			jv_free(orig);
			jn_v_free(del);
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
	if (jn_v_err(m))
		return m;
	if (!jn_v_undef(m)) {
		if (!jn_v_isarr(m))
			m.v = jv_array_append(jv_array(), m.v);
		n = jn_alen(m);
		if ((tm.m = calloc(n + 1, sizeof(*tm.m))) == NULL)
			abort();
		for (i = 0; i < n; i++)
			tm.m[tm.n++] = jn_aget(m, i);
		jn_v_free(m);
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
		return jn_eval_path(cx, e, input, env);
	case JN_BINARY:
		return eval_binary(cx, e, input, env);
	case JN_NEG:
		r = jn_eval(cx, e->lhs, input, env);
		if (jn_v_err(r) || jn_v_undef(r))
			return r;
		if (!jn_v_isnum(r))
			return jn_errv("D1002", e->pos, "-", r.v);
		x = VJ(jv_number(-jv_number_value(r.v)));
		jn_v_free(r);
		return x;
	case JN_ARRAY:
		return eval_array(cx, e, input, env);
	case JN_OBJECT:
		return jn_eval_group(cx, e->kids, e->nkids, e->pos, input, env);
	case JN_NAME:
		return jn_lookup_key(input, jv_string_value(e->val));
	case JN_STRING:
	case JN_NUMBER:
	case JN_VALUE:
		return VJ(jv_copy(e->val));
	case JN_WILDCARD:
		return wildcard(input);
	case JN_DESCENDANT:
		if (jn_v_undef(input))
			return VU();
		r = jn_seq_new();
		descend(input.v, &r);
		if (jn_alen(r) == 1) {
			x = VJ(jn_aget(r, 0));
			jn_v_free(r);
			return x;
		}
		return r;
	case JN_CONDITION:
		r = jn_eval(cx, e->lhs, input, env);
		if (jn_v_err(r))
			return r;
		i = jn_bool(r);
		jn_v_free(r);
		if (i)
			return jn_eval(cx, e->rhs, input, env);
		if (e->third != NULL)
			return jn_eval(cx, e->third, input, env);
		return VU();
	case JN_BLOCK:
		fe = jn_frame(cx, env);
		r = VU();
		for (i = 0; i < e->nkids; i++) {
			jn_v_free(r);
			r = jn_eval(cx, e->kids[i], input, fe);
			if (jn_v_err(r))
				break;
		}
		return r;
	case JN_BIND:
		r = jn_eval(cx, e->rhs, input, env);
		if (jn_v_err(r))
			return r;
		jn_bind(env, jv_copy(e->lhs->val), jn_v_copy(r));
		return r;
	case JN_REGEX:
		f = jn_fn_alloc(FK_REGEX);
		f->node = e;
		return VJ(jn_fn_new(cx, f));
	case JN_FUNCTION:
		return eval_function(cx, e, input, env, NULL);
	case JN_PARTIAL:
		return eval_partial(cx, e, input, env);
	case JN_VARIABLE:
		if (jv_string_length_bytes(jv_copy(e->val)) == 0) {
			if (jn_v_isarr(input) && (input.f & VF_OUTER) &&
			    jn_alen(input) > 0)
				return VJ(jn_aget(input, 0));
			return jn_v_copy(input);
		}
		return jn_lookup_var(cx, env, jv_string_value(e->val), &found);
	case JN_LAMBDA:
		f = jn_fn_alloc(FK_LAMBDA);
		f->node = e;
		f->env = env;
		f->input = jn_v_copy(input);
		return VJ(jn_fn_new(cx, f));
	case JN_APPLY:
		return eval_apply(cx, e, input, env);
	case JN_TRANSFORM:
		f = jn_fn_alloc(FK_TRANSFORM);
		f->node = e;
		f->env = env;
		return VJ(jn_fn_new(cx, f));
	case JN_SORT:
		return jn_eval_sort(cx, e, input, env);
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
	for (i = 0; i < e->npred && !jn_v_err(r); i++)
		r = jn_filter(cx, e->pred[i], r, env);
	if (e->type != JN_PATH && (e->flags & JNF_GROUP) && !jn_v_err(r)) {
		g = jn_eval_group(cx, e->group, e->ngroup, e->group_pos, r, env);
		jn_v_free(r);
		r = g;
	}
	cx->depth--;
	if (jn_v_isarr(r) && (r.f & VF_SEQ) && !(r.f & VF_TUPLE)) {
		if (e->flags & JNF_KEEP_ARRAY)
			r.f |= VF_KEEP;
		n = jn_alen(r);
		if (n == 0) {
			jn_v_free(r);
			return VU();
		}
		if (n == 1 && !(r.f & VF_KEEP)) {
			g = VJ(jn_aget(r, 0));
			jn_v_free(r);
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
			jn_v_free(f->b[k].val);
		}
		free(f->b);
		free(f);
	}
	for (i = 0; i < cx->nfns; i++) {
		struct jfn *fn = cx->fns[i];

		jn_v_free(fn->input);
		jv_free(fn->target);
		jv_free(fn->target2);
		for (k = 0; k < fn->nargs; k++)
			jn_v_free(fn->args[k]);
		free(fn->args);
		free(fn->hole);
		free(fn);
	}
	free(cx->fns);
}

