/*
 * asl_choice.c - JSONPath Choice rules, compiled once, evaluated many times.
 *
 * A rule compiles to a tree: And/Or/Not nodes over data-test leaves.  A
 * leaf holds the compiled Variable path, the comparator (one row of the
 * table below), and its operand compiled as far as it can be: a *Path
 * operand as a path, a timestamp literal as an instant, a StringMatches
 * pattern as the literal pieces between its stars.  Evaluation then only
 * walks paths and compares.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_choice.h"
#include "asl_json.h"
#include "asl_path.h"
#include "asl_time.h"
#include "asl_utf8.h"

enum family {
	F_STRING,
	F_MATCHES,
	F_NUMERIC,
	F_BOOLEAN,
	F_TIMESTAMP,
	F_IS_NULL,
	F_IS_PRESENT,
	F_IS_NUMERIC,
	F_IS_STRING,
	F_IS_BOOLEAN,
	F_IS_TIMESTAMP
};

enum relation { R_EQ, R_LT, R_GT, R_LE, R_GE };

struct op {
	const char	*name;
	enum family	 family;
	enum relation	 rel;
	int		 path;		/* the operand is a Path (the *Path forms) */
};

#define OPS5(prefix, fam) \
	{ prefix "Equals", fam, R_EQ, 0 }, \
	{ prefix "EqualsPath", fam, R_EQ, 1 }, \
	{ prefix "LessThan", fam, R_LT, 0 }, \
	{ prefix "LessThanPath", fam, R_LT, 1 }, \
	{ prefix "GreaterThan", fam, R_GT, 0 }, \
	{ prefix "GreaterThanPath", fam, R_GT, 1 }, \
	{ prefix "LessThanEquals", fam, R_LE, 0 }, \
	{ prefix "LessThanEqualsPath", fam, R_LE, 1 }, \
	{ prefix "GreaterThanEquals", fam, R_GE, 0 }, \
	{ prefix "GreaterThanEqualsPath", fam, R_GE, 1 }

static const struct op ops[] = {
	OPS5("String", F_STRING),
	OPS5("Numeric", F_NUMERIC),
	OPS5("Timestamp", F_TIMESTAMP),
	{ "StringMatches", F_MATCHES, R_EQ, 0 },
	{ "BooleanEquals", F_BOOLEAN, R_EQ, 0 },
	{ "BooleanEqualsPath", F_BOOLEAN, R_EQ, 1 },
	{ "IsNull", F_IS_NULL, R_EQ, 0 },
	{ "IsPresent", F_IS_PRESENT, R_EQ, 0 },
	{ "IsNumeric", F_IS_NUMERIC, R_EQ, 0 },
	{ "IsString", F_IS_STRING, R_EQ, 0 },
	{ "IsBoolean", F_IS_BOOLEAN, R_EQ, 0 },
	{ "IsTimestamp", F_IS_TIMESTAMP, R_EQ, 0 }
};

#define NOPS	(sizeof ops / sizeof ops[0])

/* An instant: seconds since the epoch and nanoseconds within the second. */
struct instant {
	int64_t		 sec;
	int32_t		 nsec;
};

enum rule_kind { C_TEST, C_AND, C_OR, C_NOT };

struct asl_choice {
	enum rule_kind	 kind;
	struct asl_choice **sub;	/* And, Or: nsub rules; Not: one */
	int		 nsub;
	struct asl_path	*var;		/* C_TEST: Variable */
	const struct op	*op;
	jv		 operand;	/* the operand as written */
	struct asl_path	*opath;		/* the operand of a *Path form */
	struct instant	 ts;		/* a Timestamp* literal, parsed */
	jv		 pieces;	/* StringMatches: literals between stars */
};

/*
 * Timestamps as Step Functions takes them: asl_time's RFC 3339 profile.
 * A string with a NUL inside is no timestamp.
 */
static int
parse_timestamp_jv(jv s, struct instant *t)
{
	struct asl_time at;

	if (strlen(jv_string_value(s)) !=
	    (size_t)jv_string_length_bytes(jv_copy(s)) ||
	    asl_time_parse(jv_string_value(s), &at) == -1)
		return -1;
	t->sec = at.sec;
	t->nsec = (int32_t)at.nsec;
	return 0;
}

static int
instant_cmp(const struct instant *a, const struct instant *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}

/* Strings compare as Java's String.compareTo does, by UTF-16 code unit. */
static int
utf16_cmp(jv a, jv b)
{
	return asl_utf8_cmp_utf16(jv_string_value(a),
	    (size_t)jv_string_length_bytes(jv_copy(a)), jv_string_value(b),
	    (size_t)jv_string_length_bytes(jv_copy(b)));
}

/*
 * StringMatches: "*" matches any run of characters, "\*" is a star and
 * "\\" a backslash; the pattern matches the whole string.  The spec calls
 * any other escape a runtime error; the pattern is a literal, so it is
 * refused here, when the definition is loaded.
 */
static jv
compile_pattern(jv pat, jv *err)
{
	const char *s = jv_string_value(pat);
	int len = jv_string_length_bytes(jv_copy(pat)), i, n = 0;
	char *buf;
	jv pieces = jv_array();

	/* Whole runs of bytes: jv checks each append for valid UTF-8. */
	if ((buf = malloc((size_t)len + 1)) == NULL) {
		*err = ASL_LIT("out of memory");
		goto fail;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '*') {
			pieces = jv_array_append(pieces, jv_string_sized(buf, n));
			n = 0;
		} else if (s[i] == '\\') {
			if (i + 1 == len || (s[i + 1] != '*' && s[i + 1] != '\\')) {
				*err = i + 1 == len ?
				    jv_string("a lone backslash ends the pattern; "
				    "write \\\\ for a backslash") :
				    jv_string_fmt("invalid escape '\\%.*s' at offset "
				    "%d: only \\* and \\\\ are escapes",
				    asl_utf8_seqlen((unsigned char)s[i + 1]), s + i + 1, i);
				goto fail;
			}
			buf[n++] = s[++i];
		} else
			buf[n++] = s[i];
	}
	pieces = jv_array_append(pieces, jv_string_sized(buf, n));
	free(buf);
	jv_free(pat);
	return pieces;
fail:
	free(buf);
	jv_free(pieces);
	jv_free(pat);
	return jv_invalid();
}

/* The first occurrence of needle in hay, or NULL (memmem is a GNU name). */
static const char *
find_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t i;

	for (i = 0; i + nlen <= hlen; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nlen) == 0)
			return hay + i;
	return NULL;
}

/* Whether str matches the pattern pieces (both borrowed). */
static int
glob_match(jv pieces, jv str)
{
	const char *s = jv_string_value(str), *hit;
	size_t len = (size_t)jv_string_length_bytes(jv_copy(str)), pos, end;
	int n = jv_array_length(jv_copy(pieces)), i, r = 0;
	jv first = jv_array_get(jv_copy(pieces), 0);
	jv last = jv_array_get(jv_copy(pieces), n - 1);
	size_t flen = (size_t)jv_string_length_bytes(jv_copy(first));
	size_t llen = (size_t)jv_string_length_bytes(jv_copy(last));

	if (n == 1) {
		r = len == flen && memcmp(s, jv_string_value(first), len) == 0;
		goto out;
	}
	/* The first piece is a prefix, the last a suffix, not overlapping. */
	if (flen + llen > len || memcmp(s, jv_string_value(first), flen) != 0 ||
	    memcmp(s + len - llen, jv_string_value(last), llen) != 0)
		goto out;
	/* The pieces between go leftmost first into what is left. */
	pos = flen;
	end = len - llen;
	for (i = 1; i < n - 1; i++) {
		jv p = jv_array_get(jv_copy(pieces), i);
		size_t plen = (size_t)jv_string_length_bytes(jv_copy(p));

		if (plen > 0) {
			hit = find_bytes(s + pos, end - pos, jv_string_value(p),
			    plen);
			if (hit == NULL) {
				jv_free(p);
				goto out;
			}
			pos = (size_t)(hit - s) + plen;
		}
		jv_free(p);
	}
	r = 1;
out:
	jv_free(first);
	jv_free(last);
	return r;
}

/* Compilation. */

static void
problem(jv *errs, jv pointer, jv message)
{
	*errs = jv_array_append(*errs, JV_OBJECT(ASL_LIT("pointer"), pointer,
	    ASL_LIT("message"), message));
}

static const struct op *
find_op(const char *name)
{
	size_t i;

	for (i = 0; i < NOPS; i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

static struct asl_path *
compile_path(jv text, jv pointer, const char *field, jv *errs)
{
	struct asl_path *p;
	jv err;

	if (jv_get_kind(text) != JV_KIND_STRING) {
		problem(errs, pointer, jv_string_fmt("%s must be a string "
		    "holding a Path", field));
		jv_free(text);
		return NULL;
	}
	/* asl_path_compile takes "@" paths too, for filters; not here. */
	if (jv_string_value(text)[0] == '@') {
		p = NULL;
		err = ASL_LIT("a path must start with '$' at offset 0");
	} else
		p = asl_path_compile(jv_string_value(text), 0, &err);
	if (p == NULL) {
		problem(errs, pointer, jv_string_fmt("%s: invalid path '%s': %s",
		    field, jv_string_value(text), jv_string_value(err)));
		jv_free(err);
	} else
		jv_free(pointer);
	jv_free(text);
	return p;
}

static const char *
kind_word(enum family f)
{
	switch (f) {
	case F_STRING:
	case F_MATCHES:
		return "a string";
	case F_NUMERIC:
		return "a number";
	case F_TIMESTAMP:
		return "a timestamp string";
	default:
		return "a boolean";
	}
}

/* The operand of a data-test rule (consumed) into c. */
static void
compile_operand(struct asl_choice *c, jv v, jv pointer, jv *errs)
{
	const struct op *op = c->op;
	jv_kind k = jv_get_kind(v);
	jv err;
	int ok;

	if (op->path) {
		c->opath = compile_path(jv_copy(v), pointer, op->name, errs);
		c->operand = v;
		return;
	}
	switch (op->family) {
	case F_STRING:
	case F_MATCHES:
	case F_TIMESTAMP:
		ok = k == JV_KIND_STRING;
		break;
	case F_NUMERIC:
		ok = k == JV_KIND_NUMBER;
		break;
	default:
		ok = k == JV_KIND_TRUE || k == JV_KIND_FALSE;
		break;
	}
	if (!ok) {
		problem(errs, pointer, jv_string_fmt("%s must be %s, not %s",
		    op->name, kind_word(op->family), jv_kind_name(k)));
		jv_free(v);
		return;
	}
	if (op->family == F_TIMESTAMP && parse_timestamp_jv(v, &c->ts) == -1) {
		problem(errs, pointer, jv_string_fmt("%s: '%s' is not an RFC "
		    "3339 timestamp such as 2016-03-14T01:59:00Z", op->name,
		    jv_string_value(v)));
		jv_free(v);
		return;
	}
	if (op->family == F_MATCHES) {
		c->pieces = compile_pattern(jv_copy(v), &err);
		if (!jv_is_valid(c->pieces)) {
			problem(errs, pointer, jv_string_fmt("%s: %s", op->name,
			    jv_string_value(err)));
			jv_free(err);
			jv_free(v);
			return;
		}
	}
	jv_free(pointer);
	c->operand = v;
}

static struct asl_choice *compile_rule(jv, jv, int, jv *);

/* And, Or: a non-empty array of rules; Not: one rule. */
static void
compile_boolean(struct asl_choice *c, const char *name, jv v, jv pointer,
    jv *errs)
{
	char idx[24];
	int i, n;

	if (c->kind == C_NOT) {
		if (jv_get_kind(v) != JV_KIND_OBJECT) {
			problem(errs, pointer, jv_string_fmt("Not must be a Choice "
			    "rule (an object), not %s",
			    jv_kind_name(jv_get_kind(v))));
			jv_free(v);
			return;
		}
		if ((c->sub = calloc(1, sizeof *c->sub)) == NULL) {
			problem(errs, pointer, ASL_LIT("out of memory"));
			jv_free(v);
			return;
		}
		c->nsub = 1;
		c->sub[0] = compile_rule(v, pointer, 0, errs);
		return;
	}
	if (jv_get_kind(v) != JV_KIND_ARRAY ||
	    (n = jv_array_length(jv_copy(v))) == 0) {
		problem(errs, pointer, jv_string_fmt("%s must be a non-empty "
		    "array of Choice rules", name));
		jv_free(v);
		return;
	}
	if ((c->sub = calloc((size_t)n, sizeof *c->sub)) == NULL) {
		problem(errs, pointer, ASL_LIT("out of memory"));
		jv_free(v);
		return;
	}
	c->nsub = n;
	for (i = 0; i < n; i++) {
		snprintf(idx, sizeof idx, "%d", i);
		c->sub[i] = compile_rule(jv_array_get(jv_copy(v), i),
		    asl_json_pointer_append(jv_copy(pointer), idx), 0, errs);
	}
	jv_free(v);
	jv_free(pointer);
}

/*
 * Compile rule (consumed) found at pointer (consumed); top says whether it
 * is an element of Choices.  Problems go to *errs; NULL if there were any.
 */
static struct asl_choice *
compile_rule(jv rule, jv pointer, int top, jv *errs)
{
	struct asl_choice *c;
	const char *bool_name = NULL, *k;
	const struct op *op;
	jv keys, key, names = jv_null();
	int i, n, nbool = 0, nops = 0, has_var = 0;
	int before = jv_array_length(jv_copy(*errs));

	if (jv_get_kind(rule) != JV_KIND_OBJECT) {
		problem(errs, pointer, jv_string_fmt("a Choice rule must be an "
		    "object, not %s", jv_kind_name(jv_get_kind(rule))));
		jv_free(rule);
		return NULL;
	}
	if ((c = calloc(1, sizeof *c)) == NULL) {
		problem(errs, pointer, ASL_LIT("out of memory"));
		jv_free(rule);
		return NULL;
	}
	c->operand = jv_null();
	c->pieces = jv_null();

	/* Sorted keys, so that messages come in a stable order. */
	keys = jv_keys(jv_copy(rule));
	n = jv_array_length(jv_copy(keys));
	for (i = 0; i < n; i++) {
		key = jv_array_get(jv_copy(keys), i);
		k = jv_string_value(key);
		if (strcmp(k, "And") == 0 || strcmp(k, "Or") == 0 ||
		    strcmp(k, "Not") == 0) {
			if (nbool++ == 0) {
				bool_name = k[0] == 'A' ? "And" :
				    k[0] == 'O' ? "Or" : "Not";
				c->kind = k[0] == 'A' ? C_AND :
				    k[0] == 'O' ? C_OR : C_NOT;
			}
		} else if (strcmp(k, "Variable") == 0)
			has_var = 1;
		else if ((op = find_op(k)) != NULL) {
			if (nops++ == 0) {
				c->op = op;
				names = jv_string(k);
			} else {
				jv more = jv_string_fmt("%s, %s",
				    jv_string_value(names), k);
				jv_free(names);
				names = more;
			}
		} else if (strcmp(k, "Comment") == 0 ||
		    (top && (strcmp(k, "Next") == 0 || strcmp(k, "Assign") == 0)))
			;
		else if (strcmp(k, "Next") == 0 || strcmp(k, "Assign") == 0)
			problem(errs, asl_json_pointer_append(jv_copy(pointer), k),
			    jv_string_fmt("a rule inside And, Or or Not cannot "
			    "have %s", k));
		else
			problem(errs, asl_json_pointer_append(jv_copy(pointer), k),
			    jv_string_fmt("'%s' is not a field of a Choice rule", k));
		jv_free(key);
	}
	jv_free(keys);

	if (nbool > 1)
		problem(errs, jv_copy(pointer), jv_string("a Choice rule has "
		    "only one of And, Or and Not"));
	else if (nbool == 1) {
		if (has_var || nops > 0)
			problem(errs, jv_copy(pointer), jv_string_fmt("a boolean "
			    "rule (%s) cannot also have Variable or a comparison "
			    "operator", bool_name));
		compile_boolean(c, bool_name, jv_object_get(jv_copy(rule),
		    jv_string(bool_name)),
		    asl_json_pointer_append(jv_copy(pointer), bool_name), errs);
	} else {
		c->kind = C_TEST;
		if (!has_var && nops == 0)
			problem(errs, jv_copy(pointer), jv_string("a Choice rule "
			    "needs Variable and a comparison operator, or And, Or "
			    "or Not"));
		else if (!has_var)
			problem(errs, jv_copy(pointer),
			    ASL_LIT("missing Variable"));
		else if (nops == 0)
			problem(errs, jv_copy(pointer), jv_string("no comparison "
			    "operator (StringEquals, NumericLessThan, IsPresent, "
			    "...)"));
		else if (nops > 1)
			problem(errs, jv_copy(pointer), jv_string_fmt("more than "
			    "one comparison operator: %s", jv_string_value(names)));
		if (has_var)
			c->var = compile_path(jv_object_get(jv_copy(rule),
			    ASL_LIT("Variable")),
			    asl_json_pointer_append(jv_copy(pointer), "Variable"),
			    "Variable", errs);
		if (nops == 1)
			compile_operand(c, jv_object_get(jv_copy(rule),
			    jv_string(c->op->name)),
			    asl_json_pointer_append(jv_copy(pointer), c->op->name),
			    errs);
	}
	jv_free(names);
	jv_free(rule);
	jv_free(pointer);
	if (jv_array_length(jv_copy(*errs)) > before) {
		asl_choice_free(c);
		return NULL;
	}
	return c;
}

struct asl_choice *
asl_choice_compile(jv rule, jv *errs)
{
	struct asl_choice *c;
	jv problems = jv_array();

	c = compile_rule(rule, ASL_LIT(""), 1, &problems);
	if (c == NULL) {
		*errs = problems;
		return NULL;
	}
	jv_free(problems);
	return c;
}

void
asl_choice_free(struct asl_choice *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nsub; i++)
		asl_choice_free(c->sub[i]);
	free(c->sub);
	if (c->var != NULL)
		asl_path_free(c->var);
	if (c->opath != NULL)
		asl_path_free(c->opath);
	jv_free(c->operand);
	jv_free(c->pieces);
	free(c);
}

/* Evaluation. */

/*
 * AWS: "Invalid path '$.x': The choice state's condition path references
 * an invalid value." (States.Runtime), the same for a Variable and for a
 * *Path operand; seen in failed executions' causes, after AWS's prefix
 * "An error occurred while executing the state 'S' (entered at the event
 * id #N). ", which the Choice state adds.
 */
static jv
invalid_path(const struct asl_path *p)
{
	return asl_error("States.Runtime", "Invalid path '%s': The choice "
	    "state's condition path references an invalid value.",
	    asl_path_text(p));
}

static int
relate(int cmp, enum relation rel)
{
	switch (rel) {
	case R_EQ:
		return cmp == 0;
	case R_LT:
		return cmp < 0;
	case R_GT:
		return cmp > 0;
	case R_LE:
		return cmp <= 0;
	default:
		return cmp >= 0;
	}
}

static int
is_boolean(jv v)
{
	return jv_get_kind(v) == JV_KIND_TRUE || jv_get_kind(v) == JV_KIND_FALSE;
}

/*
 * The comparator of c on v and other (both borrowed).  Operands that are
 * not both of the comparator's type make it false [S][O].
 */
static int
test(const struct asl_choice *c, jv v, jv other)
{
	struct instant a, b;
	jv_kind k = jv_get_kind(v), ko = jv_get_kind(other);
	double x, y;
	int want = ko == JV_KIND_TRUE;

	switch (c->op->family) {
	case F_STRING:
		if (k != JV_KIND_STRING || ko != JV_KIND_STRING)
			return 0;
		if (c->op->rel == R_EQ)
			return jv_equal(jv_copy(v), jv_copy(other));
		return relate(utf16_cmp(v, other), c->op->rel);
	case F_MATCHES:
		return k == JV_KIND_STRING && glob_match(c->pieces, v);
	case F_NUMERIC:
		if (k != JV_KIND_NUMBER || ko != JV_KIND_NUMBER)
			return 0;
		x = jv_number_value(v);
		y = jv_number_value(other);
		return relate(x < y ? -1 : x > y ? 1 : 0, c->op->rel);
	case F_BOOLEAN:
		return is_boolean(v) && is_boolean(other) && k == ko;
	case F_TIMESTAMP:
		if (k != JV_KIND_STRING || ko != JV_KIND_STRING ||
		    parse_timestamp_jv(v, &a) == -1)
			return 0;
		if (c->op->path) {
			if (parse_timestamp_jv(other, &b) == -1)
				return 0;
		} else
			b = c->ts;
		return relate(instant_cmp(&a, &b), c->op->rel);
	case F_IS_NULL:
		return (k == JV_KIND_NULL) == want;
	case F_IS_NUMERIC:
		return (k == JV_KIND_NUMBER) == want;
	case F_IS_STRING:
		return (k == JV_KIND_STRING) == want;
	case F_IS_BOOLEAN:
		return is_boolean(v) == want;
	case F_IS_TIMESTAMP:
		return (k == JV_KIND_STRING &&
		    parse_timestamp_jv(v, &a) == 0) == want;
	default:
		return 0;
	}
}

static int
eval_test(const struct asl_choice *c, const struct asl_env *env, jv *err)
{
	jv v, other;
	int r;

	/*
	 * An indefinite Variable ($.a[*], $..b) yields the array of its
	 * matches, possibly empty, and is "present"; what AWS does with one
	 * is not recorded.
	 */
	v = asl_path_eval(c->var, env);
	if (c->op->family == F_IS_PRESENT) {
		/* The only comparator a missing Variable does not fail [S][D]. */
		r = jv_is_valid(v) == (jv_get_kind(c->operand) == JV_KIND_TRUE);
		jv_free(v);
		return r;
	}
	if (!jv_is_valid(v)) {
		jv_free(v);
		*err = invalid_path(c->var);
		return -1;
	}
	if (c->opath != NULL) {
		other = asl_path_eval(c->opath, env);
		if (!jv_is_valid(other)) {
			jv_free(other);
			jv_free(v);
			*err = invalid_path(c->opath);
			return -1;
		}
	} else
		other = jv_copy(c->operand);
	r = test(c, v, other);
	jv_free(v);
	jv_free(other);
	return r;
}

int
asl_choice_eval(const struct asl_choice *c, const struct asl_env *env,
    jv *err)
{
	int i, r;

	switch (c->kind) {
	case C_AND:
		for (i = 0; i < c->nsub; i++)
			if ((r = asl_choice_eval(c->sub[i], env, err)) != 1)
				return r;
		return 1;
	case C_OR:
		for (i = 0; i < c->nsub; i++)
			if ((r = asl_choice_eval(c->sub[i], env, err)) != 0)
				return r;
		return 0;
	case C_NOT:
		r = asl_choice_eval(c->sub[0], env, err);
		return r < 0 ? r : !r;
	default:
		return eval_test(c, env, err);
	}
}

jv
asl_choice_describe(const struct asl_choice *c)
{
	jv s;
	int i;

	switch (c->kind) {
	case C_AND:
	case C_OR:
		s = jv_string(c->kind == C_AND ? "And(" : "Or(");
		for (i = 0; i < c->nsub; i++) {
			if (i > 0)
				s = jv_string_append_str(s, ", ");
			s = jv_string_concat(s, asl_choice_describe(c->sub[i]));
		}
		return jv_string_append_str(s, ")");
	case C_NOT:
		s = ASL_LIT("Not(");
		s = jv_string_concat(s, asl_choice_describe(c->sub[0]));
		return jv_string_append_str(s, ")");
	default:
		s = jv_string_fmt("%s %s ", asl_path_text(c->var), c->op->name);
		if (c->opath != NULL)
			return jv_string_append_str(s, asl_path_text(c->opath));
		return jv_string_concat(s, jv_dump_string(jv_copy(c->operand),
		    0));
	}
}
