/*
 * asl_template.c - payload templates, compiled once.
 *
 * A template compiles to a tree whose constant parts are single jv values
 * (copied by reference count at evaluation), so a template without ".$"
 * keys costs one jv_copy, and one with a few costs a few object sets.
 */
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_expr.h"
#include "asl_json.h"
#include "asl_path.h"
#include "asl_template.h"

enum node_kind { N_CONST, N_OBJECT, N_ARRAY, N_EXPR };

#define UNKNOWN ((size_t)-1)

/* The length of v's JSON text if v is no array or object, else UNKNOWN. */
static size_t
scalar_length(jv v)
{
	jv_kind k = jv_get_kind(v);

	return k == JV_KIND_ARRAY || k == JV_KIND_OBJECT ? UNKNOWN :
	    asl_json_length(v, UNKNOWN - 1);
}

struct member {
	jv		 key;		/* the output key (without ".$") */
	jv		 field;		/* the key as written, for messages */
	struct node	*node;
	size_t		 keylen;	/* the key's length as JSON text */
};

struct node {
	enum node_kind	 kind;
	jv		 value;		/* N_CONST */
	size_t		 len;		/* N_CONST: its length as JSON text */
	struct member	*members;	/* N_OBJECT */
	struct node	**items;	/* N_ARRAY */
	int		 n;
	struct asl_expr	*expr;		/* N_EXPR */
};

struct asl_template {
	struct node	*root;
	int		 dynamic;
};

/* Templates. */

static void
node_free(struct node *n)
{
	int i;

	if (n == NULL)
		return;
	switch (n->kind) {
	case N_CONST:
		jv_free(n->value);
		break;
	case N_OBJECT:
		for (i = 0; i < n->n; i++) {
			jv_free(n->members[i].key);
			jv_free(n->members[i].field);
			node_free(n->members[i].node);
		}
		free(n->members);
		break;
	case N_ARRAY:
		for (i = 0; i < n->n; i++)
			node_free(n->items[i]);
		free(n->items);
		break;
	case N_EXPR:
		asl_expr_free(n->expr);
		break;
	}
	free(n);
}

static int
has_dollar_key(jv v)
{
	int found = 0;

	switch (jv_get_kind(v)) {
	case JV_KIND_OBJECT:
		jv_object_foreach(v, k, x) {
			size_t len = (size_t)jv_string_length_bytes(jv_copy(k));
			if (!found && len >= 2 &&
			    strcmp(jv_string_value(k) + len - 2, ".$") == 0)
				found = 1;
			if (!found)
				found = has_dollar_key(jv_copy(x));
			jv_free(k);
			jv_free(x);
		}
		break;
	case JV_KIND_ARRAY:
		jv_array_foreach(v, i, x) {
			if (!found)
				found = has_dollar_key(jv_copy(x));
			jv_free(x);
		}
		break;
	default:
		break;
	}
	jv_free(v);
	return found;
}

static jv
problem(jv pointer, jv message)
{
	return JV_OBJECT(ASL_LIT("pointer"), pointer, ASL_LIT("message"),
	    message);
}

/* Compile v (consumed); problems are appended to *errs. */
static struct node *
compile(jv v, jv pointer, jv *errs)
{
	struct node *n;
	int i, len;

	if ((n = calloc(1, sizeof *n)) == NULL) {
		jv_free(v);
		jv_free(pointer);
		return NULL;
	}
	if (!has_dollar_key(jv_copy(v))) {
		n->kind = N_CONST;
		n->value = v;
		jv_free(pointer);
		return n;
	}
	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		n->kind = N_ARRAY;
		len = jv_array_length(jv_copy(v));
		n->items = calloc((size_t)len, sizeof *n->items);
		for (i = 0; i < len && n->items != NULL; i++) {
			char idx[24];
			snprintf(idx, sizeof idx, "%d", i);
			n->items[i] = compile(jv_array_get(jv_copy(v), i),
			    asl_json_pointer_append(jv_copy(pointer), idx), errs);
			n->n++;
		}
		jv_free(v);
		jv_free(pointer);
		return n;
	}
	/* An object with a ".$" key somewhere below. */
	n->kind = N_OBJECT;
	len = jv_object_length(jv_copy(v));
	n->members = calloc((size_t)len, sizeof *n->members);
	i = 0;
	jv_object_foreach(v, k, x) {
		const char *ks = jv_string_value(k);
		size_t klen = strlen(ks);
		struct member *m;
		jv ptr = asl_json_pointer_append(jv_copy(pointer), ks), err;

		if (n->members == NULL) {
			jv_free(k);
			jv_free(x);
			jv_free(ptr);
			continue;
		}
		m = &n->members[i++];
		n->n = i;
		m->field = jv_copy(k);
		if (klen >= 2 && strcmp(ks + klen - 2, ".$") == 0) {
			m->key = jv_string_sized(ks, (int)klen - 2);
			if (jv_object_has(jv_copy(v), jv_copy(m->key)))
				*errs = jv_array_append(*errs, problem(jv_copy(ptr),
				    jv_string_fmt("the field '%s' is given both as "
				    "'%s' and '%s'", jv_string_value(m->key),
				    jv_string_value(m->key), ks)));
			if ((m->node = calloc(1, sizeof *m->node)) == NULL) {
				jv_free(x);
			} else if (jv_get_kind(x) != JV_KIND_STRING) {
				m->node->kind = N_CONST;
				m->node->value = jv_null();
				*errs = jv_array_append(*errs, problem(jv_copy(ptr),
				    jv_string_fmt("The value for the field '%s' "
				    "must be a valid JSONPath or a valid intrinsic "
				    "function call", ks)));
				jv_free(x);
			} else {
				m->node->kind = N_EXPR;
				m->node->expr = asl_expr_compile(jv_string_value(x),
				    0, &err);
				if (m->node->expr == NULL) {
					m->node->kind = N_CONST;
					m->node->value = jv_null();
					*errs = jv_array_append(*errs,
					    problem(jv_copy(ptr), jv_string_fmt(
					    "The value for the field '%s' must be a "
					    "valid JSONPath or a valid intrinsic "
					    "function call: %s", ks,
					    jv_string_value(err))));
					jv_free(err);
				}
				jv_free(x);
			}
			jv_free(ptr);
		} else {
			m->key = jv_copy(k);
			m->node = compile(x, ptr, errs);
		}
		jv_free(k);
	}
	jv_free(v);
	jv_free(pointer);
	return n;
}

/* The lengths of the constant parts' JSON text, known once for all. */
static void
measure(struct node *n)
{
	int i;

	switch (n->kind) {
	case N_CONST:
		n->len = asl_json_length(n->value, UNKNOWN - 1);
		break;
	case N_OBJECT:
		for (i = 0; i < n->n; i++) {
			n->members[i].keylen = asl_json_length(n->members[i].key,
			    UNKNOWN - 1);
			measure(n->members[i].node);
		}
		break;
	case N_ARRAY:
		for (i = 0; i < n->n; i++)
			measure(n->items[i]);
		break;
	case N_EXPR:
		break;
	}
}

struct asl_template *
asl_template_compile(jv tmpl, jv *errs)
{
	struct asl_template *t;
	jv problems = jv_array();

	if ((t = calloc(1, sizeof *t)) == NULL) {
		jv_free(tmpl);
		*errs = JV_ARRAY(problem(ASL_LIT(""), ASL_LIT("out of memory")));
		return NULL;
	}
	t->dynamic = has_dollar_key(jv_copy(tmpl));
	t->root = compile(tmpl, ASL_LIT(""), &problems);
	if (t->root == NULL || jv_array_length(jv_copy(problems)) > 0) {
		if (t->root == NULL)
			problems = jv_array_append(problems,
			    problem(ASL_LIT(""), ASL_LIT("out of memory")));
		asl_template_free(t);
		*errs = problems;
		return NULL;
	}
	jv_free(problems);
	measure(t->root);
	return t;
}

void
asl_template_free(struct asl_template *t)
{
	if (t == NULL)
		return;
	node_free(t->root);
	free(t);
}

int
asl_template_is_dynamic(const struct asl_template *t)
{
	return t->dynamic;
}

static jv
eval_expr(const struct asl_expr *e, jv field, const struct asl_env *env)
{
	jv v = asl_expr_eval(e, env), input;

	if (jv_is_valid(v) || asl_expr_kind(e) != ASL_EXPR_PATH)
		return v;
	jv_free(v);
	input = jv_dump_string(jv_copy(env->input), 0);
	v = asl_error("States.Runtime", "The JSONPath '%s' specified for the "
	    "field '%s' could not be found in the input '%s'", asl_expr_text(e),
	    jv_string_value(field), jv_string_value(input));
	jv_free(input);
	return v;
}

/* A length, or UNKNOWN if either is. */
static size_t
add(size_t a, size_t b)
{
	return a == UNKNOWN || b == UNKNOWN ? UNKNOWN : a + b;
}

/*
 * Evaluate n; with len, also the length of the result's JSON text, when
 * it comes cheap: constants are measured already and scalars at once,
 * while an array or object an expression gives would have to be walked
 * (UNKNOWN).
 */
static jv
eval(const struct node *n, const struct asl_env *env, size_t *len)
{
	size_t l = 0, *lp = len != NULL ? &l : NULL, total;
	jv out, v;
	int i;

	switch (n->kind) {
	case N_CONST:
		if (len != NULL)
			*len = n->len;
		return jv_copy(n->value);
	case N_ARRAY:
		total = n->n > 0 ? (size_t)n->n + 1 : 2;	/* [ , , ] */
		out = jv_array_sized(n->n);
		for (i = 0; i < n->n; i++) {
			v = eval(n->items[i], env, lp);
			if (!jv_is_valid(v)) {
				jv_free(out);
				return v;
			}
			total = add(total, l);
			out = jv_array_append(out, v);
		}
		if (len != NULL)
			*len = total;
		return out;
	case N_OBJECT:
		total = n->n > 0 ? (size_t)n->n + 1 : 2;	/* { , , } */
		out = jv_object();
		for (i = 0; i < n->n; i++) {
			const struct member *m = &n->members[i];
			if (m->node->kind == N_EXPR) {
				v = eval_expr(m->node->expr, m->field, env);
				if (len != NULL && jv_is_valid(v))
					l = scalar_length(v);
			} else
				v = eval(m->node, env, lp);
			if (!jv_is_valid(v)) {
				jv_free(out);
				return v;
			}
			total = add(total, add(m->keylen + 1, l));	/* : */
			out = jv_object_set(out, jv_copy(m->key), v);
		}
		if (len != NULL)
			*len = total;
		return out;
	case N_EXPR:
		v = asl_expr_eval(n->expr, env);
		if (len != NULL && jv_is_valid(v))
			*len = scalar_length(v);
		return v;
	}
	return jv_null();
}

jv
asl_template_eval(const struct asl_template *t, const struct asl_env *env)
{
	return eval(t->root, env, NULL);
}

jv
asl_template_eval_sized(const struct asl_template *t,
    const struct asl_env *env, size_t *len)
{
	return eval(t->root, env, len);
}
