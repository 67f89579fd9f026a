/*
 * asl_validate_rule.c - the validator's checks of Retry, Catch and the
 * rules of a Choice state: the error names of ErrorEquals, a retrier's
 * fields, a catcher's fields and transition, and a rule's comparator,
 * operand and nested And, Or, Not (JSONPath) or Condition (JSONata).
 */
#include <string.h>

#include "asl.h"
#include "asl_path.h"
#include "asl_time.h"
#include "asl_validate.h"
#include "asl_validate_int.h"

/* Choice comparators and the JSON kind of their operand. */
enum operand { O_STRING, O_NUMBER, O_BOOL, O_TIMESTAMP, O_PATH };

static const struct comparator {
	const char	*name;
	enum operand	 operand;
} comparators[] = {
	{ "StringEquals", O_STRING }, { "StringEqualsPath", O_PATH },
	{ "StringLessThan", O_STRING }, { "StringLessThanPath", O_PATH },
	{ "StringGreaterThan", O_STRING }, { "StringGreaterThanPath", O_PATH },
	{ "StringLessThanEquals", O_STRING },
	{ "StringLessThanEqualsPath", O_PATH },
	{ "StringGreaterThanEquals", O_STRING },
	{ "StringGreaterThanEqualsPath", O_PATH },
	{ "StringMatches", O_STRING },
	{ "NumericEquals", O_NUMBER }, { "NumericEqualsPath", O_PATH },
	{ "NumericLessThan", O_NUMBER }, { "NumericLessThanPath", O_PATH },
	{ "NumericGreaterThan", O_NUMBER },
	{ "NumericGreaterThanPath", O_PATH },
	{ "NumericLessThanEquals", O_NUMBER },
	{ "NumericLessThanEqualsPath", O_PATH },
	{ "NumericGreaterThanEquals", O_NUMBER },
	{ "NumericGreaterThanEqualsPath", O_PATH },
	{ "BooleanEquals", O_BOOL }, { "BooleanEqualsPath", O_PATH },
	{ "TimestampEquals", O_TIMESTAMP }, { "TimestampEqualsPath", O_PATH },
	{ "TimestampLessThan", O_TIMESTAMP },
	{ "TimestampLessThanPath", O_PATH },
	{ "TimestampGreaterThan", O_TIMESTAMP },
	{ "TimestampGreaterThanPath", O_PATH },
	{ "TimestampLessThanEquals", O_TIMESTAMP },
	{ "TimestampLessThanEqualsPath", O_PATH },
	{ "TimestampGreaterThanEquals", O_TIMESTAMP },
	{ "TimestampGreaterThanEqualsPath", O_PATH },
	{ "IsNull", O_BOOL }, { "IsPresent", O_BOOL }, { "IsNumeric", O_BOOL },
	{ "IsString", O_BOOL }, { "IsBoolean", O_BOOL },
	{ "IsTimestamp", O_BOOL }
};

/* Retry and Catch. */

static void
check_error_equals(struct v *v, jv obj, const struct at *ptr, int *catch_all)
{
	jv list = vd_get(obj, "ErrorEquals");
	const struct at *fptr = AT(ptr, "ErrorEquals");
	const char *s;
	int n;

	*catch_all = 0;
	if (!jv_is_valid(list)) {
		vd_error(v, ptr, NULL, "These fields are required: "
		    "[ErrorEquals]");
	} else if (vd_want_kind(v, list, fptr, "ErrorEquals", JV_KIND_ARRAY)) {
		n = jv_array_length(jv_copy(list));
		if (n == 0)
			vd_error(v, fptr, NULL, "Value cannot be empty");
		jv_array_foreach(list, i, name) {
			const struct at *ip = AT_INDEX(fptr, i);
			if (jv_get_kind(name) != JV_KIND_STRING)
				vd_error(v, fptr, ip, "The error names in "
				    "ErrorEquals must be strings, not %s",
				    vd_kind_name(jv_get_kind(name)));
			else {
				s = jv_string_value(name);
				if (strcmp(s, "States.ALL") == 0) {
					*catch_all = 1;
					if (n > 1)
						vd_error(v, fptr, ip,
						    "States.ALL must be the "
						    "only error name in "
						    "ErrorEquals");
				}
				/*
				 * Any other name is caught as written, even
				 * one beginning with "States.": the spec
				 * reserves raising those, not catching
				 * them, and AWS accepts
				 * States.Http.StatusCode.404 and the like.
				 */
			}
			jv_free(name);
		}
	}
	jv_free(list);
}

/* One retrier's fields (r borrowed, at rp). */
static void
check_retrier(struct v *v, jv r, const struct at *rp)
{
	static const char *const jitter[] = { "FULL", "NONE", NULL };

	jv_object_foreach(r, k, x) {
		const char *ks = jv_string_value(k);
		const struct at *kp = AT(rp, ks);

		if (strcmp(ks, "ErrorEquals") == 0)
			;
		else if (strcmp(ks, "IntervalSeconds") == 0)
			vd_want_int(v, x, kp, ks, 1, MAX_RETRY, JP);
		else if (strcmp(ks, "MaxDelaySeconds") == 0)
			vd_want_int(v, x, kp, ks, 1, MAX_INT, JP);
		else if (strcmp(ks, "MaxAttempts") == 0)
			vd_want_int(v, x, kp, ks, 0, MAX_RETRY, JP);
		else if (strcmp(ks, "BackoffRate") == 0) {
			if (vd_want_kind(v, x, kp, ks, JV_KIND_NUMBER) &&
			    jv_number_value(x) < 1.0)
				vd_error(v, kp, NULL, "Minimum value is 1.0");
		} else if (strcmp(ks, "JitterStrategy") == 0)
			vd_want_enum(v, x, kp, ks, jitter);
		else if (strcmp(ks, "Comment") == 0)
			vd_want_kind(v, x, kp, ks, JV_KIND_STRING);
		else
			vd_error(v, rp, kp, "Field '%s' is not supported", ks);
		jv_free(k);
		jv_free(x);
	}
}

void
vd_check_retry(struct v *v, jv list, const struct at *fptr)
{
	int n, all;

	if (!vd_want_kind(v, list, fptr, "Retry", JV_KIND_ARRAY)) {
		jv_free(list);
		return;
	}
	n = jv_array_length(jv_copy(list));
	jv_array_foreach(list, i, r) {
		const struct at *rp = AT_INDEX(fptr, i);
		if (vd_want_kind(v, r, rp, "Retry", JV_KIND_OBJECT)) {
			check_error_equals(v, r, rp, &all);
			if (all && i != n - 1)
				vd_error(v, rp, AT(rp, "ErrorEquals"), "A "
				    "retrier with States.ALL must be the last "
				    "one");
			check_retrier(v, r, rp);
		}
		jv_free(r);
	}
	jv_free(list);
}

void
vd_check_catch(struct v *v, struct scope *sc, jv list,
    const struct at *fptr, int lang)
{
	int n, all;

	if (!vd_want_kind(v, list, fptr, "Catch", JV_KIND_ARRAY)) {
		jv_free(list);
		return;
	}
	n = jv_array_length(jv_copy(list));
	jv_array_foreach(list, i, c) {
		const struct at *cp = AT_INDEX(fptr, i);
		if (vd_want_kind(v, c, cp, "Catch", JV_KIND_OBJECT)) {
			check_error_equals(v, c, cp, &all);
			if (all && i != n - 1)
				vd_error(v, cp, AT(cp, "ErrorEquals"), "A "
				    "catcher with States.ALL must be the last "
				    "one");
			if (!vd_has(c, "Next"))
				vd_error(v, cp, NULL, "These fields are "
				    "required: [Next]");
			jv_object_foreach(c, k, x) {
				const char *ks = jv_string_value(k);
				const struct at *kp = AT(cp, ks);
				if (strcmp(ks, "ErrorEquals") == 0)
					;
				else if (strcmp(ks, "Next") == 0) {
					if (vd_want_kind(v, x, kp, ks,
					    JV_KIND_STRING))
						vd_add_edge(sc, x, kp);
				} else if (strcmp(ks, "Comment") == 0)
					vd_want_kind(v, x, kp, ks,
					    JV_KIND_STRING);
				else if (strcmp(ks, "ResultPath") == 0 &&
				    lang == JP)
					vd_check_path(v, x, kp, ks,
					    ASL_PATH_REFERENCE |
					    ASL_PATH_NO_CONTEXT |
					    ASL_PATH_NO_VARIABLE, 1);
				else if (strcmp(ks, "Assign") == 0)
					vd_check_assign(v, jv_copy(x), kp,
					    lang);
				else if (strcmp(ks, "Output") == 0 &&
				    lang == JA)
					vd_check_output(v, jv_copy(x), kp);
				else if (strcmp(ks, "ResultPath") == 0 ||
				    strcmp(ks, "Output") == 0)
					vd_wrong_language(v, cp, kp, lang, ks);
				else
					vd_error(v, cp, kp, "Field '%s' is not "
					    "supported", ks);
				jv_free(k);
				jv_free(x);
			}
		}
		jv_free(c);
	}
	jv_free(list);
}

/* Choice rules. */

static const struct comparator *
comparator(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(comparators); i++)
		if (strcmp(comparators[i].name, name) == 0)
			return &comparators[i];
	return NULL;
}

static void
check_rule_list(struct v *v, struct scope *sc, jv list,
    const struct at *fptr, const char *field, int lang)
{
	if (!vd_want_kind(v, list, fptr, field, JV_KIND_ARRAY)) {
		jv_free(list);
		return;
	}
	if (jv_array_length(jv_copy(list)) == 0)
		vd_error(v, fptr, NULL, "Value cannot be empty");
	jv_array_foreach(list, i, r) {
		const struct at *rp = AT_INDEX(fptr, i);
		vd_check_rule(v, sc, r, rp, 0, lang);
	}
	jv_free(list);
}

static void
check_comparison(struct v *v, const struct comparator *c, jv x,
    const struct at *kp)
{
	const char *ks = c->name;
	struct asl_time t;

	switch (c->operand) {
	case O_PATH:
		vd_check_path(v, x, kp, ks, 0, 0);
		break;
	case O_STRING:
		if (vd_want_kind(v, x, kp, ks, JV_KIND_STRING) &&
		    vd_looks_like_path(jv_string_value(x)))
			vd_warning(v, "NO_PATH", kp, NULL, "The value of the "
			    "field '%s' looks like a path, but the field's "
			    "name does not end with 'Path'", ks);
		break;
	case O_NUMBER:
		vd_want_kind(v, x, kp, ks, JV_KIND_NUMBER);
		break;
	case O_BOOL:
		vd_want_kind(v, x, kp, ks, JV_KIND_TRUE);
		break;
	case O_TIMESTAMP:
		if (!vd_want_kind(v, x, kp, ks, JV_KIND_STRING))
			break;
		if (vd_looks_like_path(jv_string_value(x)))
			vd_warning(v, "NO_PATH", kp, NULL, "The value of the "
			    "field '%s' looks like a path, but the field's "
			    "name does not end with 'Path'", ks);
		else if (asl_time_parse(jv_string_value(x), &t) == -1)
			vd_error(v, kp, NULL, "String does not match RFC3339 "
			    "timestamp");
		break;
	}
}

/*
 * One rule of Choices (top) or of And, Or, Not.  JSONPath: Variable with
 * one comparator, or one of And, Or, Not.  JSONata: Condition.
 */
void
vd_check_rule(struct v *v, struct scope *sc, jv r, const struct at *rp,
    int top, int lang)
{
	const struct comparator *c;
	const char *ks;
	int ncomp = 0, nsel = 0, next = 0, condition = 0, variable = 0;

	if (!vd_want_kind(v, r, rp, "Choices", JV_KIND_OBJECT)) {
		jv_free(r);
		return;
	}
	jv_object_foreach(r, k, x) {
		const struct at *kp = AT(rp, jv_string_value(k));
		ks = jv_string_value(k);
		/* which of the fields the rule has, looked up once */
		if (strcmp(ks, "Next") == 0)
			next |= vd_whole(k);
		else if (strcmp(ks, "Condition") == 0)
			condition |= vd_whole(k);
		else if (strcmp(ks, "Variable") == 0)
			variable |= vd_whole(k);
		if (strcmp(ks, "Next") == 0 && top) {
			if (vd_want_kind(v, x, kp, ks, JV_KIND_STRING))
				vd_add_edge(sc, x, kp);
		} else if (strcmp(ks, "Comment") == 0)
			vd_want_kind(v, x, kp, ks, JV_KIND_STRING);
		else if (strcmp(ks, "Assign") == 0 && top)
			vd_check_assign(v, jv_copy(x), kp, lang);
		else if (strcmp(ks, "Output") == 0 && top && lang == JA)
			vd_check_output(v, jv_copy(x), kp);
		else if (strcmp(ks, "Condition") == 0 && lang == JA) {
			nsel++;
			if (jv_get_kind(x) != JV_KIND_TRUE && jv_get_kind(x) !=
			    JV_KIND_FALSE && !vd_is_jsonata(x))
				vd_error(v, kp, NULL, "The field 'Condition' "
				    "must be a boolean or a JSONata "
				    "expression");
			vd_check_jsonata_value(v, jv_copy(x), kp);
		} else if (lang == JP && (strcmp(ks, "And") == 0 ||
		    strcmp(ks, "Or") == 0)) {
			nsel++;
			check_rule_list(v, sc, jv_copy(x), kp, ks, lang);
		} else if (lang == JP && strcmp(ks, "Not") == 0) {
			nsel++;
			vd_check_rule(v, sc, jv_copy(x), kp, 0, lang);
		} else if (lang == JP && strcmp(ks, "Variable") == 0) {
			nsel++;
			vd_check_path(v, x, kp, ks, 0, 0);
		} else if (lang == JP && (c = comparator(ks)) != NULL) {
			if (++ncomp == 1)
				check_comparison(v, c, x, kp);
		} else if ((strcmp(ks, "Output") == 0 && top) ||
		    strcmp(ks, "Condition") == 0 || strcmp(ks, "And") == 0 ||
		    strcmp(ks, "Or") == 0 || strcmp(ks, "Not") == 0 ||
		    strcmp(ks, "Variable") == 0 || comparator(ks) != NULL)
			vd_wrong_language(v, rp, kp, lang, ks);
		else
			vd_error(v, rp, kp, "Field '%s' is not supported", ks);
		jv_free(k);
		jv_free(x);
	}
	if (top && !next)
		vd_error(v, rp, NULL, "These fields are required: [Next]");
	if (lang == JA) {
		if (!condition)
			vd_error(v, rp, NULL, "These fields are required: "
			    "[Condition]");
	} else if (nsel != 1)
		vd_error(v, rp, NULL, "The object must have only one of the "
		    "following fields, [And, Or, Not, Variable]");
	else if (variable && ncomp != 1)
		vd_error(v, rp, NULL, ncomp == 0 ? "A rule with Variable must "
		    "have a comparison operator such as StringEquals" :
		    "There should only be one comparison operator in a rule");
	else if (!variable && ncomp > 0)
		vd_error(v, rp, NULL, "A comparison operator needs a Variable");
	jv_free(r);
}
