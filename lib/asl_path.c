/*
 * asl_path.c - JSONPath as Step Functions evaluates it.
 *
 * AWS evaluates paths with Jayway JsonPath, and its causes quote Jayway's
 * exceptions ("No results for path: $['a']", "Missing property in path
 * $['a']"), so this module follows Jayway's rules rather than RFC 9535's:
 * a path is definite when every step is (a name, a single index, or a
 * multi-name at the end, which merges into one object); a definite path
 * reports what is missing, an indefinite one silently skips what does not
 * apply and returns the array of what does.
 *
 * This file compiles and evaluates paths and places ResultPath's values;
 * the filter expressions [?(...)] are asl_path_filter.c's.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_path.h"
#include "asl_path_int.h"

/* Evaluation state. */

struct eval {
	const struct asl_path	*path;
	jv			 root;		/* "$" inside filters */
	jv			 results;	/* indefinite: every match */
	jv			 error;		/* the first error, or jv_null() */
};

/* Compilation. */

int
path_cerr(struct compiler *c, const char *fmt, ...)
{
	va_list ap;
	jv msg;

	if (jv_get_kind(c->err) != JV_KIND_NULL)
		return -1;
	va_start(ap, fmt);
	msg = jv_string_vfmt(fmt, ap);
	va_end(ap);
	c->err = jv_string_fmt("%s at offset %d", jv_string_value(msg),
	    (int)(c->p - c->s));
	jv_free(msg);
	return -1;
}

void
path_skip_blank(struct compiler *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

static struct token *
add_token(struct asl_path *p, enum tok_kind kind)
{
	struct token *n, *t;

	n = realloc(p->tokens, (size_t)(p->ntokens + 1) * sizeof *n);
	if (n == NULL)
		return NULL;
	p->tokens = n;
	t = &p->tokens[p->ntokens++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	return t;
}

static int
add_name(struct token *t, jv name)
{
	jv *n = realloc(t->names, (size_t)(t->n + 1) * sizeof *n);

	if (n == NULL) {
		jv_free(name);
		return -1;
	}
	t->names = n;
	t->names[t->n++] = name;
	return 0;
}

static int
add_index(struct token *t, int idx)
{
	int *n = realloc(t->indexes, (size_t)(t->n + 1) * sizeof *n);

	if (n == NULL)
		return -1;
	t->indexes = n;
	t->indexes[t->n++] = idx;
	return 0;
}

/*
 * A quoted name: 'a b' or "a b".  A backslash keeps the next character
 * from ending the name, and both stay in it as written: the Jayway that
 * AWS runs does not unescape (AWS read $['Test\\""Name"'] as the key
 * Test\""Name", backslash and all).
 */
int
path_read_quoted(struct compiler *c, jv *out)
{
	char q = *c->p++;
	const char *start = c->p;

	for (; *c->p != '\0' && *c->p != q; c->p++)
		if (*c->p == '\\' && c->p[1] != '\0')
			c->p++;
	if (*c->p != q)
		return path_cerr(c, "unterminated quoted name");
	*out = jv_string_sized(start, (int)(c->p - start));
	c->p++;
	return 0;
}

static int
read_int(struct compiler *c, int *out)
{
	char *end;
	long v;

	path_skip_blank(c);
	if (!(*c->p == '-' || (*c->p >= '0' && *c->p <= '9')))
		return path_cerr(c, "expected a number");
	v = strtol(c->p, &end, 10);
	if (end == c->p || (end == c->p + 1 && *c->p == '-'))
		return path_cerr(c, "expected a number");
	if (v > 2147483647L || v < -2147483647L)
		return path_cerr(c, "index out of range");
	c->p = end;
	*out = (int)v;
	return 0;
}

/*
 * After "[(": Jayway's script expression in the one form state machines
 * use, @.length - N (or + N), through "]": the index N from the end, as
 * [-N] (AWS accepts $[(@.length-1)]; asl-validator's corpus has it).
 * @.length and beyond select nothing.
 */
static int
compile_script(struct compiler *c, struct asl_path *p)
{
	struct token *t;
	int n = 0, sign = 0;

	path_skip_blank(c);
	if (strncmp(c->p, "@.length", 8) != 0 || c->p[8] == '_' ||
	    (c->p[8] >= '0' && c->p[8] <= '9') ||
	    ((c->p[8] | 0x20) >= 'a' && (c->p[8] | 0x20) <= 'z'))
		return path_cerr(c, "a script expression must be "
		    "(@.length - N)");
	c->p += 8;
	path_skip_blank(c);
	if (*c->p == '-' || *c->p == '+') {
		sign = *c->p++ == '-' ? -1 : 1;
		path_skip_blank(c);
		if (!(*c->p >= '0' && *c->p <= '9'))
			return path_cerr(c, "expected a number");
		if (read_int(c, &n) == -1)
			return -1;
		path_skip_blank(c);
	}
	if (*c->p != ')')
		return path_cerr(c, "expected ')' to close the script");
	c->p++;
	path_skip_blank(c);
	if (*c->p != ']')
		return path_cerr(c, "expected ']' after the script");
	c->p++;
	if ((t = add_token(p, T_INDEX)) == NULL || add_index(t, sign == -1 &&
	    n > 0 ? -n : 2147483647) == -1)
		return path_cerr(c, "out of memory");
	return 0;
}

/* After '[': names, indexes, slice, wildcard or filter, through ']'. */
static int
compile_bracket(struct compiler *c, struct asl_path *p)
{
	struct token *t;
	jv name;
	int v;

	path_skip_blank(c);
	if (*c->p == '(') {
		c->p++;
		return compile_script(c, p);
	}
	if (*c->p == '*') {
		c->p++;
		path_skip_blank(c);
		if (*c->p != ']')
			return path_cerr(c, "expected ']' after '*'");
		c->p++;
		return add_token(p, T_WILDCARD) == NULL ? path_cerr(c,
		    "out of memory") : 0;
	}
	if (*c->p == '?') {
		c->p++;
		path_skip_blank(c);
		if (*c->p != '(')
			return path_cerr(c, "expected '(' after '[?'");
		c->p++;
		if ((t = add_token(p, T_FILTER)) == NULL)
			return path_cerr(c, "out of memory");
		if (path_filter_compile(c, &t->filter) == -1)
			return -1;
		path_skip_blank(c);
		if (*c->p != ')')
			return path_cerr(c, "expected ')' to close the filter");
		c->p++;
		path_skip_blank(c);
		if (*c->p != ']')
			return path_cerr(c, "expected ']' after the filter");
		c->p++;
		return 0;
	}
	if (*c->p == '\'' || *c->p == '"') {
		if ((t = add_token(p, T_PROP)) == NULL)
			return path_cerr(c, "out of memory");
		for (;;) {
			path_skip_blank(c);
			if (*c->p != '\'' && *c->p != '"')
				return path_cerr(c, "expected a quoted name");
			if (path_read_quoted(c, &name) == -1)
				return -1;
			if (add_name(t, name) == -1)
				return path_cerr(c, "out of memory");
			path_skip_blank(c);
			if (*c->p == ',') {
				c->p++;
				continue;
			}
			if (*c->p == ']') {
				c->p++;
				return 0;
			}
			return path_cerr(c, "expected ',' or ']' after a name");
		}
	}
	if (*c->p == ':' || *c->p == '-' || (*c->p >= '0' && *c->p <= '9')) {
		int from = 0, has_from = 0;

		if (*c->p != ':') {
			if (read_int(c, &from) == -1)
				return -1;
			has_from = 1;
			path_skip_blank(c);
		}
		if (*c->p == ':') {
			if ((t = add_token(p, T_SLICE)) == NULL)
				return path_cerr(c, "out of memory");
			t->from = from;
			t->has_from = has_from;
			t->step = 1;
			c->p++;
			path_skip_blank(c);
			if (*c->p != ']' && *c->p != ':') {
				if (read_int(c, &t->to) == -1)
					return -1;
				t->has_to = 1;
				path_skip_blank(c);
			}
			if (*c->p == ':') {
				c->p++;
				path_skip_blank(c);
				if (*c->p != ']') {
					if (read_int(c, &t->step) == -1)
						return -1;
					if (t->step == 0)
						return path_cerr(c, "slice "
						    "step cannot be 0");
					path_skip_blank(c);
				}
			}
			if (*c->p != ']')
				return path_cerr(c, "expected ']' to close "
				    "the slice");
			c->p++;
			return 0;
		}
		if ((t = add_token(p, T_INDEX)) == NULL ||
		    add_index(t, from) == -1)
			return path_cerr(c, "out of memory");
		for (;;) {
			path_skip_blank(c);
			if (*c->p == ']') {
				c->p++;
				return 0;
			}
			if (*c->p != ',')
				return path_cerr(c, "expected ',' or ']' "
				    "after an index");
			c->p++;
			if (read_int(c, &v) == -1)
				return -1;
			if (add_index(t, v) == -1)
				return path_cerr(c, "out of memory");
		}
	}
	if (*c->p == '\0')
		return path_cerr(c, "unterminated '['");
	return path_cerr(c, "unexpected '%c' after '['", *c->p);
}

int
path_is_name_char(char ch)
{
	return ch != '\0' && ch != '.' && ch != '[' && ch != '(' &&
	    ch != ')' && ch != ' ' && ch != '\t' && ch != ']' && ch != ',' &&
	    ch != '=' && ch != '!' && ch != '<' && ch != '>' && ch != '&' &&
	    ch != '|' && ch != '\'' && ch != '"';
}

static const struct {
	const char *name;
	enum func_kind kind;
} functions[] = {
	{ "length", F_LENGTH }, { "size", F_LENGTH }, { "min", F_MIN },
	{ "max", F_MAX }, { "avg", F_AVG }, { "sum", F_SUM },
	{ "stddev", F_STDDEV }, { "keys", F_KEYS }, { "first", F_FIRST },
	{ "last", F_LAST }
};

/* A name after '.': up to the next '.', '[' or the end. */
static int
compile_dot_name(struct compiler *c, struct asl_path *p)
{
	struct token *t;
	jv name = ASL_LIT("");
	const char *run, *start = c->p;
	size_t i;

	for (;;) {
		run = c->p;
		while (path_is_name_char(*c->p) && *c->p != '\\')
			c->p++;
		name = jv_string_append_buf(name, run, (int)(c->p - run));
		if (*c->p != '\\' || c->p[1] == '\0')
			break;
		/* "\." and the like: the character itself (the spec's escape) */
		name = jv_string_append_buf(name, c->p + 1, 1);
		c->p += 2;
	}
	if (jv_string_length_bytes(jv_copy(name)) == 0) {
		jv_free(name);
		return path_cerr(c, "expected a name after '.'");
	}
	if (*c->p == '(') {
		for (i = 0; i < sizeof functions / sizeof functions[0]; i++)
			if (strcmp(jv_string_value(name), functions[i].name) == 0)
				break;
		if (i == sizeof functions / sizeof functions[0]) {
			c->p = start;
			path_cerr(c, "unknown function '%s()'",
			    jv_string_value(name));
			jv_free(name);
			return -1;
		}
		jv_free(name);
		c->p++;
		path_skip_blank(c);
		if (*c->p != ')')
			return path_cerr(c, "expected ')': path functions "
			    "take no arguments here");
		c->p++;
		if ((t = add_token(p, T_FUNC)) == NULL)
			return path_cerr(c, "out of memory");
		t->func = functions[i].kind;
		return 0;
	}
	if ((t = add_token(p, T_PROP)) == NULL || add_name(t, name) == -1)
		return path_cerr(c, "out of memory");
	return 0;
}

/* The steps after the root, until the end or (in filters) a delimiter. */
static int
compile_steps(struct compiler *c, struct asl_path *p, int in_filter)
{
	for (;;) {
		if (p->ntokens > 0 && p->tokens[p->ntokens - 1].kind == T_FUNC &&
		    *c->p != '\0' && !in_filter)
			return path_cerr(c, "a function must be the last step");
		if (*c->p == '.' && c->p[1] == '.') {
			c->p += 2;
			if (add_token(p, T_SCAN) == NULL)
				return path_cerr(c, "out of memory");
			if (*c->p == '*') {
				c->p++;
				if (add_token(p, T_WILDCARD) == NULL)
					return path_cerr(c, "out of memory");
			} else if (*c->p == '[') {
				c->p++;
				if (compile_bracket(c, p) == -1)
					return -1;
			} else if (compile_dot_name(c, p) == -1)
				return -1;
			continue;
		}
		if (*c->p == '.') {
			c->p++;
			if (*c->p == '*') {
				c->p++;
				if (add_token(p, T_WILDCARD) == NULL)
					return path_cerr(c, "out of memory");
			} else if (*c->p == '[') {
				c->p++;
				if (compile_bracket(c, p) == -1)
					return -1;
			} else if (compile_dot_name(c, p) == -1)
				return -1;
			continue;
		}
		if (*c->p == '[') {
			c->p++;
			if (compile_bracket(c, p) == -1)
				return -1;
			continue;
		}
		if (*c->p == '\0' || in_filter)
			return 0;
		return path_cerr(c, "unexpected '%c'", *c->p);
	}
}

static int
token_definite(const struct token *t, int last)
{
	switch (t->kind) {
	case T_PROP:
		return t->n == 1 || last;	/* a last multi-name merges */
	case T_INDEX:
		return t->n == 1;
	case T_FUNC:
		return 1;
	default:
		return 0;
	}
}

static int
check_reference(struct compiler *c, const struct asl_path *p)
{
	int i;

	for (i = 0; i < p->ntokens; i++) {
		const struct token *t = &p->tokens[i];
		if (t->kind == T_PROP && t->n == 1)
			continue;
		if (t->kind == T_INDEX && t->n == 1 && t->indexes[0] >= 0)
			continue;
		c->p = c->s + strlen(c->s);
		return path_cerr(c, "a reference path may only name fields and "
		    "non-negative indexes");
	}
	return 0;
}

/* Whether t is the one name s. */
static int
is_name(const struct token *t, const char *s)
{
	return t->kind == T_PROP && t->n == 1 &&
	    strcmp(jv_string_value(t->names[0]), s) == 0;
}

struct asl_path *
path_compile(struct compiler *c, int in_filter)
{
	struct asl_path *p;
	const char *start = c->p;
	int i;

	if ((p = calloc(1, sizeof *p)) == NULL) {
		path_cerr(c, "out of memory");
		return NULL;
	}
	if (*c->p == '@') {
		p->current = 1;
		c->p++;
	} else if (*c->p != '$') {
		path_cerr(c, "a path must start with '$'");
		goto fail;
	} else if (c->p[1] == '$') {
		if (c->flags & ASL_PATH_NO_CONTEXT) {
			path_cerr(c, "the context object ($$) cannot be used "
			    "here");
			goto fail;
		}
		p->root = ASL_ROOT_CONTEXT;
		c->p += 2;
	} else if (c->p[1] != '\0' && path_is_name_char(c->p[1]) &&
	    c->p[1] != '*' && c->p[1] != '\\' && c->p[1] != '@') {
		const char *name;

		if (c->flags & ASL_PATH_NO_VARIABLE) {
			path_cerr(c, "variables cannot be used here");
			goto fail;
		}
		name = ++c->p;
		while (path_is_name_char(*c->p) && *c->p != '\\')
			c->p++;
		p->root = ASL_ROOT_VARIABLE;
		if ((p->variable = strndup(name, (size_t)(c->p - name))) == NULL) {
			path_cerr(c, "out of memory");
			goto fail;
		}
	} else
		c->p++;
	if (compile_steps(c, p, in_filter) == -1)
		goto fail;
	if (!in_filter && (c->flags & ASL_PATH_REFERENCE) &&
	    check_reference(c, p) == -1)
		goto fail;
	p->definite = 1;
	for (i = 0; i < p->ntokens; i++)
		if (!token_definite(&p->tokens[i], i == p->ntokens - 1))
			p->definite = 0;
	if (p->root == ASL_ROOT_CONTEXT && !p->current && p->definite &&
	    p->ntokens >= 3 && is_name(&p->tokens[0], "Map") &&
	    is_name(&p->tokens[1], "Item"))
		p->map_item = is_name(&p->tokens[2], "Index") ? 1 :
		    is_name(&p->tokens[2], "Value") ? 2 : 0;
	if ((p->text = strndup(start, (size_t)(c->p - start))) == NULL) {
		path_cerr(c, "out of memory");
		goto fail;
	}
	return p;
fail:
	path_free(p);
	return NULL;
}

struct asl_path *
asl_path_compile(const char *text, int flags, jv *err)
{
	struct compiler c;
	struct asl_path *p;

	memset(&c, 0, sizeof c);
	c.s = c.p = text;
	c.flags = flags;
	c.err = jv_null();
	p = path_compile(&c, 0);
	if (p == NULL) {
		*err = c.err;
		return NULL;
	}
	jv_free(c.err);
	return p;
}

void
path_free(struct asl_path *p)
{
	int i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->ntokens; i++) {
		struct token *t = &p->tokens[i];
		if (t->kind == T_PROP)
			for (j = 0; j < t->n; j++)
				jv_free(t->names[j]);
		free(t->names);
		free(t->indexes);
		path_filter_free(t->filter);
	}
	free(p->tokens);
	free(p->variable);
	free(p->text);
	free(p);
}

void
asl_path_free(struct asl_path *p)
{
	path_free(p);
}

const char *
asl_path_text(const struct asl_path *p)
{
	return p->text;
}

int
asl_path_is_definite(const struct asl_path *p)
{
	return p->definite;
}

enum asl_path_root
asl_path_root(const struct asl_path *p)
{
	return p->root;
}

const char *
asl_path_variable(const struct asl_path *p)
{
	return p->variable;
}

/* Jayway's rendering of paths, for causes: $['a'][0][*].. */

static jv
append_fmt(jv s, const char *fmt, int v)
{
	char buf[32];

	snprintf(buf, sizeof buf, fmt, v);
	return jv_string_append_str(s, buf);
}

static jv
fragment(jv s, const struct token *t)
{
	int i;

	switch (t->kind) {
	case T_PROP:
		s = jv_string_append_str(s, "[");
		for (i = 0; i < t->n; i++) {
			const char *n = jv_string_value(t->names[i]);
			if (i > 0)
				s = jv_string_append_str(s, ",");
			s = jv_string_append_str(s, "'");
			for (; *n != '\0'; n++) {
				if (*n == '\'' || *n == '\\')
					s = jv_string_append_str(s, "\\");
				s = jv_string_append_buf(s, n, 1);
			}
			s = jv_string_append_str(s, "'");
		}
		return jv_string_append_str(s, "]");
	case T_INDEX:
		s = jv_string_append_str(s, "[");
		for (i = 0; i < t->n; i++)
			s = append_fmt(s, i > 0 ? ",%d" : "%d", t->indexes[i]);
		return jv_string_append_str(s, "]");
	case T_SLICE:
		s = jv_string_append_str(s, "[");
		if (t->has_from)
			s = append_fmt(s, "%d", t->from);
		s = jv_string_append_str(s, ":");
		if (t->has_to)
			s = append_fmt(s, "%d", t->to);
		return jv_string_append_str(s, "]");
	case T_WILDCARD:
		return jv_string_append_str(s, "[*]");
	case T_SCAN:
		return jv_string_append_str(s, "..");
	case T_FILTER:
		return jv_string_append_str(s, "[?]");
	case T_FUNC:
		return jv_string_append_str(s, ".length()");
	}
	return s;
}

/* The rendering of the whole path, or of its first n tokens. */
static jv
render(const struct asl_path *p, int n)
{
	jv s = ASL_LIT("$");
	int i;

	for (i = 0; i < n && i < p->ntokens; i++)
		s = fragment(s, &p->tokens[i]);
	return s;
}

/* Java class names, as Jayway's messages print them. */
static const char *
java_class(jv v)
{
	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
		return "null";
	case JV_KIND_TRUE:
	case JV_KIND_FALSE:
		return "java.lang.Boolean";
	case JV_KIND_NUMBER:
		return asl_is_integral(v) ? "java.lang.Integer" :
		    "java.lang.Double";
	case JV_KIND_STRING:
		return "java.lang.String";
	case JV_KIND_ARRAY:
		return "net.minidev.json.JSONArray";
	default:
		return "java.util.LinkedHashMap";
	}
}

static void
fail(struct eval *ev, jv cause)
{
	if (jv_get_kind(ev->error) == JV_KIND_NULL)
		ev->error = cause;
	else
		jv_free(cause);
}

/* Functions at the end of a path. */

static jv
apply_func(enum func_kind f, jv v)
{
	double acc = 0, x, mean;
	int n, i;

	if (f == F_LENGTH) {
		switch (jv_get_kind(v)) {
		case JV_KIND_ARRAY:
			return jv_number(jv_array_length(v));
		case JV_KIND_OBJECT:
			return jv_number(jv_object_length(v));
		case JV_KIND_STRING:
			return jv_number(jv_string_length_codepoints(v));
		default:
			jv_free(v);
			return asl_error("States.Runtime", "length() cannot be "
			    "applied here");
		}
	}
	if (f == F_KEYS) {
		if (jv_get_kind(v) != JV_KIND_OBJECT) {
			jv_free(v);
			return asl_error("States.Runtime", "keys() needs an object");
		}
		return jv_keys_unsorted(v);
	}
	if (jv_get_kind(v) != JV_KIND_ARRAY) {
		jv_free(v);
		return asl_error("States.Runtime", "Aggregation function "
		    "attempted to calculate value using empty array");
	}
	n = jv_array_length(jv_copy(v));
	if (f == F_FIRST || f == F_LAST) {
		if (n == 0) {
			jv_free(v);
			return asl_error("States.Runtime", "the array is empty");
		}
		return jv_array_get(v, f == F_FIRST ? 0 : n - 1);
	}
	{
		int count = 0;
		double min = INFINITY, max = -INFINITY;
		double *xs = calloc((size_t)n + 1, sizeof *xs);

		if (xs == NULL) {
			jv_free(v);
			return asl_error("States.Runtime", "out of memory");
		}
		for (i = 0; i < n; i++) {
			jv e = jv_array_get(jv_copy(v), i);
			if (jv_get_kind(e) == JV_KIND_NUMBER) {
				x = jv_number_value(e);
				xs[count++] = x;
				acc += x;
				if (x < min)
					min = x;
				if (x > max)
					max = x;
			}
			jv_free(e);
		}
		jv_free(v);
		if (count == 0) {
			free(xs);
			return asl_error("States.Runtime", "Aggregation function "
			    "attempted to calculate value using empty array");
		}
		mean = acc / count;
		switch (f) {
		case F_MIN: x = min; break;
		case F_MAX: x = max; break;
		case F_AVG: x = mean; break;
		case F_SUM: x = acc; break;
		default:
			x = 0;
			for (i = 0; i < count; i++)
				x += (xs[i] - mean) * (xs[i] - mean);
			x = sqrt(x / count);
			break;
		}
		free(xs);
		return jv_number(x);
	}
}

/*
 * Evaluation, Jayway's way: walk the tokens from i on value v (consumed),
 * adding every match to ev->results.  "upstream" says whether every token
 * before i was definite; only then do missing pieces raise errors.
 */
static void walk(struct eval *, int, jv, int);

static void
add_result(struct eval *ev, jv v)
{
	ev->results = jv_array_append(ev->results, v);
}

static void
next_or_add(struct eval *ev, int i, jv v, int upstream)
{
	if (i + 1 >= ev->path->ntokens)
		add_result(ev, v);
	else
		walk(ev, i + 1, v, upstream);
}

static void
eval_prop(struct eval *ev, int i, jv v, int upstream)
{
	const struct token *t = &ev->path->tokens[i];
	int leaf = i + 1 >= ev->path->ntokens, definite = upstream &&
	    token_definite(t, leaf), k;
	jv x, merged;

	if (jv_get_kind(v) != JV_KIND_OBJECT) {
		if (upstream) {
			jv at = render(ev->path, i), frag = fragment(ASL_LIT(""),
			    t);
			fail(ev, jv_string_fmt("Expected to find an object with "
			    "property %s in path %s but found '%s'. This is not a "
			    "json object according to the JsonProvider: "
			    "'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
			    jv_string_value(frag), jv_string_value(at),
			    java_class(v)));
			jv_free(at);
			jv_free(frag);
		}
		jv_free(v);
		return;
	}
	if (t->n > 1 && leaf) {
		/* several names at the end merge into one object */
		merged = jv_object();
		for (k = 0; k < t->n; k++) {
			x = jv_object_get(jv_copy(v), jv_copy(t->names[k]));
			if (jv_is_valid(x))
				merged = jv_object_set(merged, jv_copy(t->names[k]), x);
			else
				jv_free(x);
		}
		jv_free(v);
		add_result(ev, merged);
		return;
	}
	for (k = 0; k < t->n; k++) {
		x = jv_object_get(jv_copy(v), jv_copy(t->names[k]));
		if (!jv_is_valid(x)) {
			jv_free(x);
			/* a missing leaf just yields nothing */
			if (!leaf && definite) {
				jv at = fragment(render(ev->path, i), t);
				fail(ev, jv_string_fmt("Missing property in path %s",
				    jv_string_value(at)));
				jv_free(at);
			}
			continue;
		}
		next_or_add(ev, i, x, definite);
	}
	jv_free(v);
}

/* Whether v (borrowed) is an array; if not, the error Jayway raises. */
static int
check_array(struct eval *ev, int i, jv v, int upstream)
{
	const struct token *t = &ev->path->tokens[i];

	if (jv_get_kind(v) == JV_KIND_ARRAY)
		return 1;
	if (upstream) {
		jv at = render(ev->path, i), frag = fragment(ASL_LIT(""), t);
		if (jv_get_kind(v) == JV_KIND_NULL)
			fail(ev, jv_string_fmt("The path %s is null",
			    jv_string_value(at)));
		else {
			jv shown = jv_dump_string(jv_copy(v), 0);
			fail(ev, jv_string_fmt("Filter: %s can only be applied to "
			    "arrays. Current context is: %s",
			    jv_string_value(frag), jv_string_value(shown)));
			jv_free(shown);
		}
		jv_free(at);
		jv_free(frag);
	}
	return 0;
}

static void
eval_index(struct eval *ev, int i, jv v, int upstream)
{
	const struct token *t = &ev->path->tokens[i];
	int len, k, idx, definite = upstream && t->n == 1;

	if (!check_array(ev, i, v, upstream)) {
		jv_free(v);
		return;
	}
	len = jv_array_length(jv_copy(v));
	for (k = 0; k < t->n; k++) {
		idx = t->indexes[k];
		if (idx < 0)
			idx += len;
		if (idx < 0 || idx >= len)
			continue;	/* Jayway: no result, no error */
		next_or_add(ev, i, jv_array_get(jv_copy(v), idx), definite);
	}
	jv_free(v);
}

static void
eval_slice(struct eval *ev, int i, jv v, int upstream)
{
	const struct token *t = &ev->path->tokens[i];
	int len, from, to, k;

	if (!check_array(ev, i, v, upstream)) {
		jv_free(v);
		return;
	}
	len = jv_array_length(jv_copy(v));
	if (t->step > 0) {
		from = t->has_from ? t->from : 0;
		to = t->has_to ? t->to : len;
		if (from < 0)
			from += len;
		if (to < 0)
			to += len;
		if (from < 0)
			from = 0;
		if (to > len)
			to = len;
		for (k = from; k < to; k += t->step)
			next_or_add(ev, i, jv_array_get(jv_copy(v), k), 0);
	} else {
		from = t->has_from ? t->from : len - 1;
		to = t->has_to ? t->to : -len - 1;
		if (from < 0)
			from += len;
		if (to < 0)
			to += len;
		if (from > len - 1)
			from = len - 1;
		for (k = from; k > to && k >= 0; k += t->step)
			next_or_add(ev, i, jv_array_get(jv_copy(v), k), 0);
	}
	jv_free(v);
}

static void
eval_wildcard(struct eval *ev, int i, jv v)
{
	int k, len;

	if (jv_get_kind(v) == JV_KIND_OBJECT) {
		jv_object_foreach(v, key, x) {
			jv_free(key);
			next_or_add(ev, i, x, 0);
		}
	} else if (jv_get_kind(v) == JV_KIND_ARRAY) {
		len = jv_array_length(jv_copy(v));
		for (k = 0; k < len; k++)
			next_or_add(ev, i, jv_array_get(jv_copy(v), k), 0);
	}
	jv_free(v);
}

static void
eval_filter(struct eval *ev, int i, jv v, int upstream)
{
	const struct token *t = &ev->path->tokens[i];
	int k, len;

	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		len = jv_array_length(jv_copy(v));
		for (k = 0; k < len; k++) {
			jv x = jv_array_get(jv_copy(v), k);
			if (path_filter_accept(t->filter, jv_copy(x), ev->root))
				next_or_add(ev, i, x, 0);
			else
				jv_free(x);
		}
	} else if (jv_get_kind(v) == JV_KIND_OBJECT) {
		if (path_filter_accept(t->filter, jv_copy(v), ev->root)) {
			next_or_add(ev, i, v, 0);
			return;
		}
	} else if (upstream) {
		jv frag = fragment(ASL_LIT(""), t), shown = jv_dump_string(
		    jv_copy(v), 0);
		fail(ev, jv_string_fmt("Filter: %s can not be applied to "
		    "primitives. Current context is: %s", jv_string_value(frag),
		    jv_string_value(shown)));
		jv_free(frag);
		jv_free(shown);
	}
	jv_free(v);
}

/* Does the token after ".." apply at this node?  (Jayway's predicates.) */
static int
scan_matches(const struct token *t, jv v)
{
	int k, ok;

	switch (t->kind) {
	case T_PROP:
		if (jv_get_kind(v) != JV_KIND_OBJECT)
			return 0;
		if (t->n > 1)
			return 1;
		for (ok = 1, k = 0; k < t->n && ok; k++)
			ok = jv_object_has(jv_copy(v), jv_copy(t->names[k]));
		return ok;
	case T_INDEX:
	case T_SLICE:
		return jv_get_kind(v) == JV_KIND_ARRAY;
	case T_WILDCARD:
		return 1;
	default:
		return 0;
	}
}

static void
scan(struct eval *ev, int i, jv v)
{
	const struct token *next = &ev->path->tokens[i + 1];
	int k, len;

	if (jv_get_kind(v) != JV_KIND_OBJECT && jv_get_kind(v) != JV_KIND_ARRAY) {
		jv_free(v);
		return;
	}
	if (next->kind == T_FILTER) {
		/* Jayway tests the filter on every object met on the way down */
		if (jv_get_kind(v) == JV_KIND_OBJECT &&
		    path_filter_accept(next->filter, jv_copy(v), ev->root))
			next_or_add(ev, i + 1, jv_copy(v), 0);
	} else if (scan_matches(next, v))
		walk(ev, i + 1, jv_copy(v), 0);
	if (jv_get_kind(v) == JV_KIND_OBJECT) {
		jv_object_foreach(v, key, x) {
			jv_free(key);
			scan(ev, i, x);
		}
	} else {
		len = jv_array_length(jv_copy(v));
		for (k = 0; k < len; k++)
			scan(ev, i, jv_array_get(jv_copy(v), k));
	}
	jv_free(v);
}

static void
walk(struct eval *ev, int i, jv v, int upstream)
{
	const struct token *t = &ev->path->tokens[i];
	jv r;

	switch (t->kind) {
	case T_PROP:
		eval_prop(ev, i, v, upstream);
		break;
	case T_INDEX:
		eval_index(ev, i, v, upstream);
		break;
	case T_SLICE:
		eval_slice(ev, i, v, upstream);
		break;
	case T_WILDCARD:
		eval_wildcard(ev, i, v);
		break;
	case T_FILTER:
		eval_filter(ev, i, v, upstream);
		break;
	case T_SCAN:
		scan(ev, i, v);
		break;
	case T_FUNC:
		r = apply_func(t->func, v);
		if (jv_is_valid(r))
			add_result(ev, r);
		else {
			jv o = asl_error_object(r);
			fail(ev, jv_string(asl_error_cause(o)));
			jv_free(o);
		}
		break;
	}
}

/*
 * The fast path: a definite path of names and single indexes, walked
 * without building a result array.  Returns the value, or an invalid jv
 * (with no message) when a case needs the general walk for its error.
 */
static jv
walk_definite(const struct asl_path *p, int from, jv v)
{
	int i, idx;

	for (i = from; i < p->ntokens; i++) {
		const struct token *t = &p->tokens[i];
		if (t->kind == T_PROP && t->n == 1 &&
		    jv_get_kind(v) == JV_KIND_OBJECT) {
			jv x = jv_object_get(v, jv_copy(t->names[0]));
			if (!jv_is_valid(x))
				return x;
			v = x;
		} else if (t->kind == T_INDEX && t->n == 1 &&
		    jv_get_kind(v) == JV_KIND_ARRAY) {
			idx = t->indexes[0];
			if (idx < 0)
				idx += jv_array_length(jv_copy(v));
			if (idx < 0 || idx >= jv_array_length(jv_copy(v))) {
				jv_free(v);
				return jv_invalid();
			}
			v = jv_array_get(v, idx);
		} else {
			jv_free(v);
			return jv_invalid();
		}
	}
	return v;
}

static jv
root_value(const struct asl_path *p, const struct asl_env *env, jv current)
{
	jv v;

	if (p->current)
		return current;
	jv_free(current);
	switch (p->root) {
	case ASL_ROOT_CONTEXT:
		return asl_env_context(env);
	case ASL_ROOT_VARIABLE:
		if (jv_get_kind(env->vars) != JV_KIND_OBJECT)
			return jv_invalid();
		v = jv_object_get(jv_copy(env->vars), jv_string(p->variable));
		return v;
	default:
		return jv_copy(env->input);
	}
}

/*
 * Evaluate p from its root (or from current, for "@" paths).  Returns the
 * value or, for indefinite paths, the array of matches; a definite path
 * that matches nothing gives an invalid jv whose message is Jayway's cause
 * (a string).
 */
jv
path_evaluate(const struct asl_path *p, const struct asl_env *env, jv current,
    jv root)
{
	struct eval ev;
	jv v, r;
	int walked = 0;		/* the definite walk from the input, done */

	if (p->map_item && env->item != NULL) {
		/*
		 * $$.Map.Item.Index or .Value (and on) in a Map's ItemSelector:
		 * from the item itself, without the context object's Map
		 * member, which is made for each item only if a path needs
		 * more of it.
		 */
		v = p->map_item == 1 ? jv_number(env->item->index) :
		    jv_copy(env->item->value);
		r = walk_definite(p, 3, v);
		if (jv_is_valid(r)) {
			jv_free(current);
			return r;
		}
		jv_free(r);
	}
	if (p->definite && !p->current && p->root == ASL_ROOT_INPUT &&
	    p->ntokens > 0) {
		/* the common case, from the input without a copy of it kept */
		r = walk_definite(p, 0, jv_copy(env->input));
		if (jv_is_valid(r)) {
			jv_free(current);
			return r;
		}
		jv_free(r);
		walked = 1;
	}
	v = root_value(p, env, current);
	if (!jv_is_valid(v)) {
		jv_free(v);
		return jv_invalid_with_msg(jv_string_fmt("The variable '$%s' is "
		    "not defined", p->variable));
	}
	if (p->ntokens == 0)
		return v;
	if (p->definite && !walked) {
		r = walk_definite(p, 0, jv_copy(v));
		if (jv_is_valid(r)) {
			jv_free(v);
			return r;
		}
		jv_free(r);
	}
	ev.path = p;
	ev.root = root;
	ev.results = jv_array();
	ev.error = jv_null();
	walk(&ev, 0, v, 1);
	if (!p->definite) {
		/* AWS answers an indefinite path with what it found, even
		 * when a step before the wildcard is missing [O] */
		jv_free(ev.error);
		return ev.results;
	}
	if (jv_get_kind(ev.error) != JV_KIND_NULL) {
		jv_free(ev.results);
		return jv_invalid_with_msg(ev.error);
	}
	if (jv_array_length(jv_copy(ev.results)) == 0) {
		jv_free(ev.results);
		r = render(p, p->ntokens);
		v = jv_invalid_with_msg(jv_string_fmt("No results for path: %s",
		    jv_string_value(r)));
		jv_free(r);
		return v;
	}
	return jv_array_get(ev.results, 0);
}

jv
asl_path_eval(const struct asl_path *p, const struct asl_env *env)
{
	jv v = path_evaluate(p, env, jv_null(), env->input), msg;

	if (jv_is_valid(v))
		return v;
	msg = jv_invalid_get_msg(v);
	return asl_error_jv(ASL_LIT("States.Runtime"), msg);
}

jv
asl_path_invalid(const struct asl_path *p, jv err)
{
	jv obj = asl_error_object(err), r;

	r = asl_error("States.Runtime", "Invalid path '%s' : %s", p->text,
	    asl_error_cause(obj));
	jv_free(obj);
	return r;
}

/* ResultPath: placing a value into a document. */

static jv
put(const struct asl_path *p, int i, jv doc, jv value, int *ok)
{
	const struct token *t;
	jv child;
	int idx, len;

	if (i == p->ntokens) {
		jv_free(doc);
		return value;
	}
	t = &p->tokens[i];
	if (t->kind == T_PROP) {
		if (jv_get_kind(doc) != JV_KIND_OBJECT) {
			*ok = 0;
			jv_free(value);
			return doc;
		}
		child = jv_object_get(jv_copy(doc), jv_copy(t->names[0]));
		if (!jv_is_valid(child) || (jv_get_kind(child) == JV_KIND_NULL &&
		    i + 1 < p->ntokens && p->tokens[i + 1].kind == T_PROP)) {
			/* missing steps become objects */
			jv_free(child);
			child = jv_object();
		}
		child = put(p, i + 1, child, value, ok);
		if (!*ok) {
			jv_free(child);
			return doc;
		}
		return jv_object_set(doc, jv_copy(t->names[0]), child);
	}
	/* a single index into an existing array */
	if (jv_get_kind(doc) != JV_KIND_ARRAY) {
		*ok = 0;
		jv_free(value);
		return doc;
	}
	len = jv_array_length(jv_copy(doc));
	idx = t->indexes[0];
	if (idx < 0 || idx >= len) {
		*ok = 0;
		jv_free(value);
		return doc;
	}
	child = put(p, i + 1, jv_array_get(jv_copy(doc), idx), value, ok);
	if (!*ok) {
		jv_free(child);
		return doc;
	}
	return jv_array_set(doc, idx, child);
}

jv
asl_path_put(const struct asl_path *p, jv doc, jv value)
{
	int ok = 1, i;
	jv shown, err;

	for (i = 0; i < p->ntokens; i++) {
		const struct token *t = &p->tokens[i];
		if (!((t->kind == T_PROP && t->n == 1) ||
		    (t->kind == T_INDEX && t->n == 1))) {
			jv_free(doc);
			jv_free(value);
			return asl_error("States.ResultPathMatchFailure", "Unable "
			    "to apply ReferencePath %s: not a reference path",
			    p->text);
		}
	}
	if (p->root != ASL_ROOT_INPUT || p->current) {
		jv_free(doc);
		jv_free(value);
		return asl_error("States.ResultPathMatchFailure", "Unable to "
		    "apply ReferencePath %s: it must start with '$'", p->text);
	}
	shown = jv_copy(doc);
	doc = put(p, 0, doc, value, &ok);
	if (ok) {
		jv_free(shown);
		return doc;
	}
	jv_free(doc);
	shown = jv_dump_string(shown, 0);
	err = asl_error("States.ResultPathMatchFailure", "Unable to apply "
	    "ReferencePath %s to input %s", p->text, jv_string_value(shown));
	jv_free(shown);
	return err;
}
