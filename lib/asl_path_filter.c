/*
 * asl_path_filter.c - JSONPath's filter expressions, [?(...)]: their
 * compilation (comparisons with ==, !=, <, <=, >, >=, =~ /regex/, in,
 * nin, subsetof, anyof, noneof, size, empty, contains; &&, ||, !,
 * parentheses; existence tests) and whether a value passes one, with
 * Jayway's rules for what compares with what.  Operands are paths ("@"
 * the value tested, "$" the document) or JSON literals.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_json.h"
#include "asl_path.h"
#include "asl_path_int.h"

/* A filter, as a tree. */

enum fnode_kind { FN_OR, FN_AND, FN_NOT, FN_CMP, FN_EXISTS };
enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_MATCH, OP_IN,
	OP_NIN, OP_SUBSETOF, OP_ANYOF, OP_NONEOF, OP_SIZE, OP_EMPTY,
	OP_CONTAINS };

struct operand {
	struct asl_path	*path;		/* or NULL for a literal */
	jv		 literal;
	regex_t		*regex;		/* a /regex/ literal */
};

struct filter {
	enum fnode_kind	 kind;
	struct filter	*a, *b;		/* OR, AND, NOT */
	enum cmp_op	 op;
	struct operand	 left, right;	/* CMP; EXISTS uses left */
};

/* Filter compilation. */

static int
read_literal(struct compiler *c, jv *out)
{
	const char *start = c->p;
	jv v;
	int depth;

	if (*c->p == '\'' || *c->p == '"')
		return path_read_quoted(c, out);
	if (*c->p == '[' || *c->p == '{') {
		/* a JSON array or object: find its end, then parse it */
		int instr = 0;
		depth = 0;
		for (; *c->p != '\0'; c->p++) {
			if (instr) {
				if (*c->p == '\\' && c->p[1] != '\0')
					c->p++;
				else if (*c->p == instr)
					instr = 0;
				continue;
			}
			if (*c->p == '"' || *c->p == '\'')
				instr = *c->p;
			else if (*c->p == '[' || *c->p == '{')
				depth++;
			else if ((*c->p == ']' || *c->p == '}') && --depth == 0) {
				c->p++;
				break;
			}
		}
		{
			/* Jayway accepts single quotes in these literals */
			size_t n = (size_t)(c->p - start), i;
			char *buf = strndup(start, n);
			if (buf == NULL)
				return path_cerr(c, "out of memory");
			for (i = 0; i < n; i++)
				if (buf[i] == '\'')
					buf[i] = '"';
			v = asl_json_parse(buf, n, NULL, NULL);
			free(buf);
		}
		if (!jv_is_valid(v)) {
			jv_free(v);
			c->p = start;
			return path_cerr(c, "invalid JSON literal in a filter");
		}
		*out = v;
		return 0;
	}
	if (strncmp(c->p, "true", 4) == 0 && !path_is_name_char(c->p[4])) {
		c->p += 4;
		*out = jv_true();
		return 0;
	}
	if (strncmp(c->p, "false", 5) == 0 && !path_is_name_char(c->p[5])) {
		c->p += 5;
		*out = jv_false();
		return 0;
	}
	if (strncmp(c->p, "null", 4) == 0 && !path_is_name_char(c->p[4])) {
		c->p += 4;
		*out = jv_null();
		return 0;
	}
	if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9')) {
		char *end;
		double d = strtod(c->p, &end);
		if (end == c->p)
			return path_cerr(c, "invalid number");
		c->p = end;
		*out = jv_number(d);
		return 0;
	}
	/*
	 * A bare word compares as the string it spells: AWS accepts
	 * [?(@.OutputKey == FooBar)] (asl-validator's corpus has it).
	 */
	if ((*c->p >= 'A' && *c->p <= 'Z') || (*c->p >= 'a' && *c->p <= 'z') ||
	    *c->p == '_') {
		while (path_is_name_char(*c->p))
			c->p++;
		*out = jv_string_sized(start, (int)(c->p - start));
		return 0;
	}
	return path_cerr(c, "expected a value in the filter");
}

/*
 * Whether a pattern's cost to compile is bounded.  glibc's regcomp builds
 * an automaton that doubles with every quantifier put on a quantifier
 * ("A++++", Java's possessive form, means nothing in POSIX) and grows
 * with every count: 25 stacked '+' take gigabytes.  Such patterns are
 * refused, and counts over 1000.  So are back references (\1-\9, which
 * glibc takes in some patterns and refuses in others): regexec has no
 * bound on the backtracking they need, (.*)(.*)(.*)\3x against a long
 * string runs for minutes.  NULL, or why the pattern is refused.
 */
#define QUANTIFIED "a quantifier on a quantifier, or a count over 1000"

static const char *
regex_costly(const char *p, size_t n)
{
	const char *end = p + n;
	int quantified = 0;
	long count;

	while (p < end) {
		switch (*p) {
		case '\\':
			if (p + 1 < end && p[1] >= '1' && p[1] <= '9')
				return "a back reference";
			p += p + 1 < end ? 2 : 1;
			quantified = 0;
			continue;
		case '[':
			/* a bracket expression: ']' first is a member */
			p++;
			if (p < end && *p == '^')
				p++;
			if (p < end && *p == ']')
				p++;
			while (p < end && *p != ']')
				p++;
			quantified = 0;
			break;
		case '*':
		case '+':
		case '?':
			if (quantified)
				return QUANTIFIED;
			quantified = 1;
			break;
		case '{':
			if (quantified)
				return QUANTIFIED;
			for (count = 0, p++; p < end && *p != '}'; p++)
				if (*p >= '0' && *p <= '9') {
					count = count * 10 + (*p - '0');
					if (count > 1000)
						return QUANTIFIED;
				} else
					count = 0;
			quantified = 1;
			break;
		default:
			quantified = 0;
			break;
		}
		if (p < end)
			p++;
	}
	return NULL;
}

static int
read_operand(struct compiler *c, struct operand *o)
{
	path_skip_blank(c);
	o->literal = jv_invalid();
	if (*c->p == '@' || *c->p == '$') {
		int saved = c->flags;
		c->flags &= ~ASL_PATH_REFERENCE;
		o->path = path_compile(c, 1);
		c->flags = saved;
		return o->path == NULL ? -1 : 0;
	}
	if (*c->p == '/') {
		const char *start = ++c->p, *why;
		char *pattern;
		int cflags = REG_EXTENDED | REG_NOSUB;
		size_t n;

		while (*c->p != '\0' && *c->p != '/') {
			if (*c->p == '\\' && c->p[1] != '\0')
				c->p++;
			c->p++;
		}
		if (*c->p != '/')
			return path_cerr(c, "unterminated regular expression");
		n = (size_t)(c->p - start);
		c->p++;
		while (*c->p >= 'a' && *c->p <= 'z') {
			if (*c->p == 'i')
				cflags |= REG_ICASE;
			c->p++;
		}
		if ((why = regex_costly(start, n)) != NULL)
			return path_cerr(c, "regular expression too costly: %s",
			    why);
		/* Jayway matches the whole string (Matcher.matches) */
		if ((pattern = malloc(n + 5)) == NULL ||
		    (o->regex = malloc(sizeof *o->regex)) == NULL) {
			free(pattern);
			return path_cerr(c, "out of memory");
		}
		snprintf(pattern, n + 5, "^(%.*s)$", (int)n, start);
		if (regcomp(o->regex, pattern, cflags) != 0) {
			free(pattern);
			free(o->regex);
			o->regex = NULL;
			return path_cerr(c, "invalid regular expression");
		}
		free(pattern);
		o->literal = jv_null();
		return 0;
	}
	return read_literal(c, &o->literal);
}

static const struct {
	const char *text;
	enum cmp_op op;
	int word;
} operators[] = {
	{ "==", OP_EQ, 0 }, { "!=", OP_NE, 0 }, { "<=", OP_LE, 0 },
	{ ">=", OP_GE, 0 }, { "=~", OP_MATCH, 0 }, { "<", OP_LT, 0 },
	{ ">", OP_GT, 0 }, { "nin", OP_NIN, 1 }, { "in", OP_IN, 1 },
	{ "subsetof", OP_SUBSETOF, 1 }, { "anyof", OP_ANYOF, 1 },
	{ "noneof", OP_NONEOF, 1 }, { "size", OP_SIZE, 1 },
	{ "empty", OP_EMPTY, 1 }, { "contains", OP_CONTAINS, 1 }
};

static int compile_or(struct compiler *, struct filter **);

static struct filter *
new_filter(struct compiler *c, enum fnode_kind kind)
{
	struct filter *f = calloc(1, sizeof *f);

	if (f == NULL) {
		path_cerr(c, "out of memory");
		return NULL;
	}
	f->kind = kind;
	f->left.literal = jv_invalid();
	f->right.literal = jv_invalid();
	return f;
}

static int
compile_unary(struct compiler *c, struct filter **out)
{
	struct filter *f;
	size_t i, len;

	if (++c->depth > 64)
		return path_cerr(c, "filter nested too deeply");
	path_skip_blank(c);
	if (*c->p == '!' && c->p[1] != '=') {
		c->p++;
		if ((*out = f = new_filter(c, FN_NOT)) == NULL)
			return -1;
		return compile_unary(c, &f->a);
	}
	if (*c->p == '(') {
		c->p++;
		if (compile_or(c, out) == -1)
			return -1;
		path_skip_blank(c);
		if (*c->p != ')')
			return path_cerr(c, "expected ')'");
		c->p++;
		c->depth--;
		return 0;
	}
	if ((*out = f = new_filter(c, FN_EXISTS)) == NULL)
		return -1;
	if (read_operand(c, &f->left) == -1)
		return -1;
	path_skip_blank(c);
	for (i = 0; i < sizeof operators / sizeof operators[0]; i++) {
		len = strlen(operators[i].text);
		if (strncmp(c->p, operators[i].text, len) == 0 &&
		    (!operators[i].word || !path_is_name_char(c->p[len])))
			break;
	}
	if (i < sizeof operators / sizeof operators[0]) {
		c->p += strlen(operators[i].text);
		f->kind = FN_CMP;
		f->op = operators[i].op;
		if (read_operand(c, &f->right) == -1)
			return -1;
	} else if (f->left.path == NULL)
		return path_cerr(c, "a filter needs a comparison or a path");
	c->depth--;
	return 0;
}

static int
compile_and(struct compiler *c, struct filter **out)
{
	struct filter *f;

	if (compile_unary(c, out) == -1)
		return -1;
	for (;;) {
		path_skip_blank(c);
		if (c->p[0] != '&' || c->p[1] != '&')
			return 0;
		c->p += 2;
		if ((f = new_filter(c, FN_AND)) == NULL)
			return -1;
		f->a = *out;
		*out = f;
		if (compile_unary(c, &f->b) == -1)
			return -1;
	}
}

static int
compile_or(struct compiler *c, struct filter **out)
{
	struct filter *f;

	if (compile_and(c, out) == -1)
		return -1;
	for (;;) {
		path_skip_blank(c);
		if (c->p[0] != '|' || c->p[1] != '|')
			return 0;
		c->p += 2;
		if ((f = new_filter(c, FN_OR)) == NULL)
			return -1;
		f->a = *out;
		*out = f;
		if (compile_and(c, &f->b) == -1)
			return -1;
	}
}

int
path_filter_compile(struct compiler *c, struct filter **out)
{
	return compile_or(c, out);
}

/* Freeing. */

static void
operand_free(struct operand *o)
{
	path_free(o->path);
	jv_free(o->literal);
	if (o->regex != NULL) {
		regfree(o->regex);
		free(o->regex);
	}
}

void
path_filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	path_filter_free(f->a);
	path_filter_free(f->b);
	operand_free(&f->left);
	operand_free(&f->right);
	free(f);
}


/* Filter evaluation. */

static int
is_defined(jv v)
{
	return jv_is_valid(v);
}

/* An operand's value, or an invalid jv for "undefined". */
static jv
operand_value(const struct operand *o, jv current, jv root)
{
	struct asl_env env = ASL_ENV_INIT;
	jv v;

	if (o->path == NULL) {
		jv_free(current);
		return jv_copy(o->literal);
	}
	env.input = root;
	v = path_evaluate(o->path, &env, current, root);
	if (!jv_is_valid(v)) {
		jv_free(v);
		return jv_invalid();
	}
	return v;
}

static int
compare(jv a, jv b, int *cmp)
{
	if (jv_get_kind(a) == JV_KIND_NUMBER && jv_get_kind(b) == JV_KIND_NUMBER) {
		double x = jv_number_value(a), y = jv_number_value(b);
		*cmp = x < y ? -1 : x > y ? 1 : 0;
		return 1;
	}
	if (jv_get_kind(a) == JV_KIND_STRING && jv_get_kind(b) == JV_KIND_STRING) {
		*cmp = strcmp(jv_string_value(a), jv_string_value(b));
		return 1;
	}
	return 0;
}

static int
contains_value(jv arr, jv x)
{
	int found = 0;

	if (jv_get_kind(arr) != JV_KIND_ARRAY)
		return 0;
	jv_array_foreach(arr, i, e) {
		if (!found && jv_equal(jv_copy(e), jv_copy(x)))
			found = 1;
		jv_free(e);
	}
	return found;
}

static int
values_equal(jv a, jv b)
{
	return jv_equal(jv_copy(a), jv_copy(b));
}

static int
compare_op(enum cmp_op op, jv l, jv r, const regex_t *re)
{
	int c, all, any;

	switch (op) {
	case OP_EQ:
		return is_defined(l) && is_defined(r) && values_equal(l, r);
	case OP_NE:
		return !(is_defined(l) && is_defined(r) && values_equal(l, r));
	case OP_LT:
		return compare(l, r, &c) && c < 0;
	case OP_LE:
		return compare(l, r, &c) && c <= 0;
	case OP_GT:
		return compare(l, r, &c) && c > 0;
	case OP_GE:
		return compare(l, r, &c) && c >= 0;
	case OP_MATCH:
		return re != NULL && jv_get_kind(l) == JV_KIND_STRING &&
		    regexec(re, jv_string_value(l), 0, NULL, 0) == 0;
	case OP_IN:
		return is_defined(l) && contains_value(r, l);
	case OP_NIN:
		return is_defined(l) && jv_get_kind(r) == JV_KIND_ARRAY &&
		    !contains_value(r, l);
	case OP_SUBSETOF:
	case OP_ANYOF:
	case OP_NONEOF:
		if (jv_get_kind(l) != JV_KIND_ARRAY ||
		    jv_get_kind(r) != JV_KIND_ARRAY)
			return 0;
		all = 1;
		any = 0;
		jv_array_foreach(l, i, e) {
			if (contains_value(r, e))
				any = 1;
			else
				all = 0;
			jv_free(e);
		}
		return op == OP_SUBSETOF ? all : op == OP_ANYOF ? any : !any;
	case OP_SIZE:
		if (jv_get_kind(r) != JV_KIND_NUMBER)
			return 0;
		if (jv_get_kind(l) == JV_KIND_ARRAY)
			return jv_array_length(jv_copy(l)) == jv_number_value(r);
		if (jv_get_kind(l) == JV_KIND_STRING)
			return jv_string_length_codepoints(jv_copy(l)) ==
			    jv_number_value(r);
		return 0;
	case OP_EMPTY:
		if (jv_get_kind(r) != JV_KIND_TRUE && jv_get_kind(r) != JV_KIND_FALSE)
			return 0;
		if (jv_get_kind(l) == JV_KIND_ARRAY)
			c = jv_array_length(jv_copy(l)) == 0;
		else if (jv_get_kind(l) == JV_KIND_STRING)
			c = jv_string_length_bytes(jv_copy(l)) == 0;
		else
			return 0;
		return c == (jv_get_kind(r) == JV_KIND_TRUE);
	case OP_CONTAINS:
		if (jv_get_kind(l) == JV_KIND_STRING &&
		    jv_get_kind(r) == JV_KIND_STRING)
			return strstr(jv_string_value(l), jv_string_value(r)) !=
			    NULL;
		return contains_value(l, r);
	}
	return 0;
}

int
path_filter_accept(const struct filter *f, jv current, jv root)
{
	jv l, r;
	int ok;

	switch (f->kind) {
	case FN_OR:
		ok = path_filter_accept(f->a, jv_copy(current), root) ||
		    path_filter_accept(f->b, jv_copy(current), root);
		break;
	case FN_AND:
		ok = path_filter_accept(f->a, jv_copy(current), root) &&
		    path_filter_accept(f->b, jv_copy(current), root);
		break;
	case FN_NOT:
		ok = !path_filter_accept(f->a, jv_copy(current), root);
		break;
	case FN_EXISTS:
		l = operand_value(&f->left, jv_copy(current), root);
		ok = is_defined(l);
		jv_free(l);
		break;
	default:
		l = operand_value(&f->left, jv_copy(current), root);
		r = operand_value(&f->right, jv_copy(current), root);
		ok = compare_op(f->op, l, r, f->right.regex);
		jv_free(l);
		jv_free(r);
		break;
	}
	jv_free(current);
	return ok;
}
