/*
 * asl_jtemplate.c - JSON values with "{% %}" expressions, compiled once.
 */
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_json.h"
#include "asl_jsonata.h"
#include "asl_jtemplate.h"

enum node_kind { J_CONST, J_OBJECT, J_ARRAY, J_EXPR };

struct jnode {
	enum node_kind		 kind;
	jv			 value;		/* J_CONST */
	jv			*keys;		/* J_OBJECT */
	struct jnode		**kids;		/* J_OBJECT, J_ARRAY */
	int			 n;
	struct asl_jsonata	*expr;		/* J_EXPR */
	jv			 location;	/* J_EXPR: "Output/a/b" */
};

struct asl_jtemplate {
	struct jnode	*root;
	int		 constant;
};

static int
has_expression(jv v)
{
	int found = 0;

	switch (jv_get_kind(v)) {
	case JV_KIND_STRING:
		found = asl_jsonata_is_expression(jv_string_value(v));
		break;
	case JV_KIND_OBJECT:
		jv_object_foreach(v, k, x) {
			if (!found)
				found = has_expression(jv_copy(x));
			jv_free(k);
			jv_free(x);
		}
		break;
	case JV_KIND_ARRAY:
		jv_array_foreach(v, i, x) {
			if (!found)
				found = has_expression(jv_copy(x));
			jv_free(x);
		}
		break;
	default:
		break;
	}
	jv_free(v);
	return found;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
node_free(struct jnode *n)
{
	int i;

	if (n == NULL)
		return;
	jv_free(n->value);
	jv_free(n->location);
	for (i = 0; i < n->n; i++) {
		if (n->keys != NULL)
			jv_free(n->keys[i]);
		node_free(n->kids[i]);
	}
	free(n->keys);
	free(n->kids);
	asl_jsonata_free(n->expr);
	free(n);
}

static struct jnode *
compile(jv v, jv location, jv pointer, jv *errs)
{
	struct jnode *n = calloc(1, sizeof *n);
	int i = 0, len;
	jv err;

	if (n == NULL) {
		jv_free(v);
		jv_free(location);
		jv_free(pointer);
		return NULL;
	}
	n->value = jv_null();
	n->location = jv_null();
	if (!has_expression(jv_copy(v))) {
		n->kind = J_CONST;
		n->value = v;
		jv_free(location);
		jv_free(pointer);
		return n;
	}
	switch (jv_get_kind(v)) {
	case JV_KIND_STRING: {
		const char *s = jv_string_value(v) + 2;
		size_t len = strlen(s) - 2;
		char *text;

		/* AWS quotes the expression in causes without its blanks */
		while (len > 0 && is_blank(*s))
			s++, len--;
		while (len > 0 && is_blank(s[len - 1]))
			len--;
		text = strndup(s, len);

		n->kind = J_EXPR;
		n->location = location;
		n->expr = text != NULL ? asl_jsonata_compile(text, &err) : NULL;
		if (n->expr == NULL) {
			jv msg = text == NULL ? ASL_LIT("out of memory") :
			    jv_object_get(err, ASL_LIT("message"));
			*errs = jv_array_append(*errs, JV_OBJECT(ASL_LIT("pointer"),
			    jv_copy(pointer), ASL_LIT("message"), jv_string_fmt(
			    "invalid JSONata expression '%s': %s", text ? text : "",
			    jv_string_value(msg))));
			jv_free(msg);
		}
		free(text);
		jv_free(v);
		jv_free(pointer);
		return n;
	}
	case JV_KIND_OBJECT:
		n->kind = J_OBJECT;
		len = jv_object_length(jv_copy(v));
		n->keys = calloc((size_t)len, sizeof *n->keys);
		n->kids = calloc((size_t)len, sizeof *n->kids);
		if (n->keys == NULL || n->kids == NULL)
			break;
		jv_object_foreach(v, k, x) {
			n->keys[i] = jv_copy(k);
			n->kids[i] = compile(x, jv_string_fmt("%s/%s",
			    jv_string_value(location), jv_string_value(k)),
			    asl_json_pointer_append(jv_copy(pointer), jv_string_value(k)),
			    errs);
			n->n = ++i;
			jv_free(k);
		}
		break;
	default:
		n->kind = J_ARRAY;
		len = jv_array_length(jv_copy(v));
		n->kids = calloc((size_t)len, sizeof *n->kids);
		if (n->kids == NULL)
			break;
		for (i = 0; i < len; i++) {
			char idx[24];
			snprintf(idx, sizeof idx, "%d", i);
			n->kids[i] = compile(jv_array_get(jv_copy(v), i),
			    jv_string_fmt("%s[%d]", jv_string_value(location), i),
			    asl_json_pointer_append(jv_copy(pointer), idx), errs);
			n->n = i + 1;
		}
		break;
	}
	jv_free(v);
	jv_free(location);
	jv_free(pointer);
	return n;
}

struct asl_jtemplate *
asl_jtemplate_compile(jv value, const char *field, jv *errs)
{
	struct asl_jtemplate *t = calloc(1, sizeof *t);
	jv problems = jv_array();

	if (t == NULL) {
		jv_free(value);
		*errs = JV_ARRAY(JV_OBJECT(ASL_LIT("pointer"), ASL_LIT(""),
		    ASL_LIT("message"), ASL_LIT("out of memory")));
		return NULL;
	}
	t->constant = !has_expression(jv_copy(value));
	t->root = compile(value, jv_string(field), ASL_LIT(""), &problems);
	if (t->root == NULL || jv_array_length(jv_copy(problems)) > 0) {
		asl_jtemplate_free(t);
		*errs = problems;
		return NULL;
	}
	jv_free(problems);
	return t;
}

void
asl_jtemplate_free(struct asl_jtemplate *t)
{
	if (t == NULL)
		return;
	node_free(t->root);
	free(t);
}

int
asl_jtemplate_is_constant(const struct asl_jtemplate *t)
{
	return t->constant;
}

/* An error of the expression at n: its field goes with it as Location. */
static jv
located_error(const struct jnode *n, jv err)
{
	jv obj = asl_error_object(err);

	return jv_invalid_with_msg(jv_object_set(obj, ASL_LIT("Location"),
	    jv_copy(n->location)));
}

static jv
eval_expr(const struct jnode *n, jv bindings)
{
	jv input = jv_null(), states, v, msg, code, text;

	states = jv_object_get(jv_copy(bindings), ASL_LIT("states"));
	if (jv_get_kind(states) == JV_KIND_OBJECT)
		input = jv_object_get(jv_copy(states), ASL_LIT("input"));
	jv_free(states);
	if (!jv_is_valid(input)) {
		jv_free(input);
		input = jv_null();
	}
	v = asl_jsonata_eval(n->expr, input, bindings);
	jv_free(input);
	if (jv_is_valid(v))
		return v;
	if (!jv_invalid_has_msg(jv_copy(v))) {
		jv_free(v);
		return located_error(n, asl_error("States.QueryEvaluationError",
		    "The JSONata expression '%s' specified for the field '%s' "
		    "returned nothing (undefined).", asl_jsonata_text(n->expr),
		    jv_string_value(n->location)));
	}
	msg = jv_invalid_get_msg(v);
	code = jv_object_get(jv_copy(msg), ASL_LIT("code"));
	text = jv_object_get(msg, ASL_LIT("message"));
	if (jv_get_kind(code) == JV_KIND_STRING &&
	    strcmp(jv_string_value(code), "ASL.FunctionResult") == 0)
		v = asl_error("States.QueryEvaluationError", "The JSONata "
		    "expression '%s' specified for the field '%s' returned an "
		    "unsupported result type.", asl_jsonata_text(n->expr),
		    jv_string_value(n->location));
	else
		v = asl_error("States.QueryEvaluationError", "The JSONata "
		    "expression '%s' specified for the field '%s' threw an error "
		    "during evaluation. %s: %s", asl_jsonata_text(n->expr),
		    jv_string_value(n->location),
		    jv_get_kind(code) == JV_KIND_STRING ? jv_string_value(code) : "",
		    jv_get_kind(text) == JV_KIND_STRING ? jv_string_value(text) : "");
	jv_free(code);
	jv_free(text);
	return located_error(n, v);
}

static jv
eval(const struct jnode *n, jv bindings)
{
	jv out, v;
	int i;

	switch (n->kind) {
	case J_CONST:
		return jv_copy(n->value);
	case J_EXPR:
		return eval_expr(n, bindings);
	case J_OBJECT:
		out = jv_object();
		for (i = 0; i < n->n; i++) {
			v = eval(n->kids[i], bindings);
			if (!jv_is_valid(v)) {
				jv_free(out);
				return v;
			}
			out = jv_object_set(out, jv_copy(n->keys[i]), v);
		}
		return out;
	case J_ARRAY:
		out = jv_array_sized(n->n);
		for (i = 0; i < n->n; i++) {
			v = eval(n->kids[i], bindings);
			if (!jv_is_valid(v)) {
				jv_free(out);
				return v;
			}
			out = jv_array_append(out, v);
		}
		return out;
	}
	return jv_null();
}

jv
asl_jtemplate_eval(const struct asl_jtemplate *t, jv bindings)
{
	return eval(t->root, bindings);
}

const char *
asl_jtemplate_text(const struct asl_jtemplate *t)
{
	if (t->root == NULL || t->root->kind != J_EXPR)
		return NULL;
	return asl_jsonata_text(t->root->expr);
}
