/*
 * asl_validate_state.c - the validator's checks of one state: its type,
 * its query language, each of its fields (which types have it, in which
 * language, and its value), and what its type requires or forbids
 * together; and the Map state's own objects (ItemProcessor and its
 * ProcessorConfig, Label, ItemReader, ItemBatcher, ResultWriter).
 */
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_expr.h"
#include "asl_intrinsic.h"
#include "asl_path.h"
#include "asl_time.h"
#include "asl_utf8.h"
#include "asl_validate.h"
#include "asl_validate_int.h"

static const struct {
	const char	*name;
	int		 type;
} types[] = {
	{ "Task", TASK }, { "Pass", PASS }, { "Choice", CHOICE },
	{ "Wait", WAIT }, { "Succeed", SUCCEED }, { "Fail", FAIL },
	{ "Parallel", PARALLEL }, { "Map", MAP }
};

/* The fields of a state, by the order of the table below. */
enum {
	F_TYPE, F_COMMENT, F_QUERY_LANGUAGE, F_NEXT, F_END, F_INPUT_PATH,
	F_OUTPUT_PATH, F_PARAMETERS, F_RESULT_SELECTOR, F_RESULT_PATH,
	F_RETRY, F_CATCH, F_ASSIGN, F_OUTPUT, F_ARGUMENTS, F_RESOURCE,
	F_CREDENTIALS, F_TIMEOUT_SECONDS, F_TIMEOUT_SECONDS_PATH,
	F_HEARTBEAT_SECONDS, F_HEARTBEAT_SECONDS_PATH, F_RESULT, F_SECONDS,
	F_SECONDS_PATH, F_TIMESTAMP, F_TIMESTAMP_PATH, F_CHOICES, F_DEFAULT,
	F_ERROR, F_ERROR_PATH, F_CAUSE, F_CAUSE_PATH, F_BRANCHES,
	F_ITEM_PROCESSOR, F_ITERATOR, F_ITEMS_PATH, F_ITEMS,
	F_ITEM_SELECTOR, F_ITEM_READER, F_ITEM_BATCHER, F_RESULT_WRITER,
	F_MAX_CONCURRENCY, F_MAX_CONCURRENCY_PATH, F_TOLERATED_COUNT,
	F_TOLERATED_COUNT_PATH, F_TOLERATED_PERCENTAGE,
	F_TOLERATED_PERCENTAGE_PATH, F_LABEL, NFIELDS
};

/* The fields of a state: which types have them, in which languages. */
static const struct field {
	const char	*name;
	int		 types;
	int		 langs;
} fields[NFIELDS] = {
	[F_TYPE] = { "Type", ANY, BOTH },
	[F_COMMENT] = { "Comment", ANY, BOTH },
	[F_QUERY_LANGUAGE] = { "QueryLanguage", ANY, BOTH },
	[F_NEXT] = { "Next", FLOW, BOTH },
	[F_END] = { "End", FLOW, BOTH },
	[F_INPUT_PATH] = { "InputPath", ANY & ~FAIL, JP },
	[F_OUTPUT_PATH] = { "OutputPath", ANY & ~FAIL, JP },
	[F_PARAMETERS] = { "Parameters", TASK | PASS | PARALLEL | MAP, JP },
	[F_RESULT_SELECTOR] = { "ResultSelector", TASK | PARALLEL | MAP, JP },
	[F_RESULT_PATH] = { "ResultPath", TASK | PASS | PARALLEL | MAP, JP },
	[F_RETRY] = { "Retry", TASK | PARALLEL | MAP, BOTH },
	[F_CATCH] = { "Catch", TASK | PARALLEL | MAP, BOTH },
	[F_ASSIGN] = { "Assign", ANY & ~(SUCCEED | FAIL), BOTH },
	[F_OUTPUT] = { "Output", ANY & ~FAIL, JA },
	[F_ARGUMENTS] = { "Arguments", TASK | PARALLEL, JA },
	[F_RESOURCE] = { "Resource", TASK, BOTH },
	[F_CREDENTIALS] = { "Credentials", TASK, BOTH },
	[F_TIMEOUT_SECONDS] = { "TimeoutSeconds", TASK, BOTH },
	[F_TIMEOUT_SECONDS_PATH] = { "TimeoutSecondsPath", TASK, JP },
	[F_HEARTBEAT_SECONDS] = { "HeartbeatSeconds", TASK, BOTH },
	[F_HEARTBEAT_SECONDS_PATH] = { "HeartbeatSecondsPath", TASK, JP },
	[F_RESULT] = { "Result", PASS, JP },
	[F_SECONDS] = { "Seconds", WAIT, BOTH },
	[F_SECONDS_PATH] = { "SecondsPath", WAIT, JP },
	[F_TIMESTAMP] = { "Timestamp", WAIT, BOTH },
	[F_TIMESTAMP_PATH] = { "TimestampPath", WAIT, JP },
	[F_CHOICES] = { "Choices", CHOICE, BOTH },
	[F_DEFAULT] = { "Default", CHOICE, BOTH },
	[F_ERROR] = { "Error", FAIL, BOTH },
	[F_ERROR_PATH] = { "ErrorPath", FAIL, JP },
	[F_CAUSE] = { "Cause", FAIL, BOTH },
	[F_CAUSE_PATH] = { "CausePath", FAIL, JP },
	[F_BRANCHES] = { "Branches", PARALLEL, BOTH },
	[F_ITEM_PROCESSOR] = { "ItemProcessor", MAP, BOTH },
	[F_ITERATOR] = { "Iterator", MAP, BOTH },
	[F_ITEMS_PATH] = { "ItemsPath", MAP, JP },
	[F_ITEMS] = { "Items", MAP, JA },
	[F_ITEM_SELECTOR] = { "ItemSelector", MAP, BOTH },
	[F_ITEM_READER] = { "ItemReader", MAP, BOTH },
	[F_ITEM_BATCHER] = { "ItemBatcher", MAP, BOTH },
	[F_RESULT_WRITER] = { "ResultWriter", MAP, BOTH },
	[F_MAX_CONCURRENCY] = { "MaxConcurrency", MAP, BOTH },
	[F_MAX_CONCURRENCY_PATH] = { "MaxConcurrencyPath", MAP, JP },
	[F_TOLERATED_COUNT] = { "ToleratedFailureCount", MAP, BOTH },
	[F_TOLERATED_COUNT_PATH] = { "ToleratedFailureCountPath", MAP, JP },
	[F_TOLERATED_PERCENTAGE] = { "ToleratedFailurePercentage", MAP, BOTH },
	[F_TOLERATED_PERCENTAGE_PATH] =
	    { "ToleratedFailurePercentagePath", MAP, JP },
	[F_LABEL] = { "Label", MAP, BOTH },
};

/* The intrinsics a Fail state's ErrorPath and CausePath may call. */
static const char *const fail_intrinsics[] = {
	"States.Format", "States.JsonToString", "States.ArrayGetItem",
	"States.Base64Encode", "States.Base64Decode", "States.Hash",
	"States.UUID"
};

/* Map fields. */

/* Whether obj has the member key (a string; both borrowed). */
static int
has_jv(jv obj, jv key)
{
	return jv_get_kind(obj) == JV_KIND_OBJECT &&
	    jv_get_kind(key) == JV_KIND_STRING &&
	    jv_object_has(jv_copy(obj), jv_copy(key));
}

static void
check_processor(struct v *v, jv val, const struct at *fptr, const char *field,
    int *distributed)
{
	const struct at *cp;
	jv cfg, mode, et;

	*distributed = 0;
	if (!vd_want_kind(v, val, fptr, field, JV_KIND_OBJECT)) {
		jv_free(val);
		return;
	}
	cfg = vd_get(val, "ProcessorConfig");
	cp = AT(fptr, "ProcessorConfig");
	if (jv_is_valid(cfg) && vd_want_kind(v, cfg, cp, "ProcessorConfig",
	    JV_KIND_OBJECT)) {
		jv_object_foreach(cfg, k, x) {
			const char *ks = jv_string_value(k);
			const struct at *kp = AT(cp, ks);
			if (strcmp(ks, "Mode") == 0) {
				if (vd_want_kind(v, x, kp, ks,
				    JV_KIND_STRING) &&
				    strcmp(jv_string_value(x), "INLINE") != 0 &&
				    strcmp(jv_string_value(x), "DISTRIBUTED") !=
				    0)
					vd_error(v, kp, NULL, "Value must be "
					    "one of [INLINE, DISTRIBUTED]");
			} else if (strcmp(ks, "ExecutionType") == 0) {
				if (vd_want_kind(v, x, kp, ks,
				    JV_KIND_STRING) &&
				    strcmp(jv_string_value(x), "STANDARD") !=
				    0 && strcmp(jv_string_value(x),
				    "EXPRESS") != 0)
					vd_error(v, kp, NULL, "Value must be "
					    "one of [STANDARD, EXPRESS]");
			} else
				vd_error(v, cp, kp, "Field '%s' is not "
				    "supported", ks);
			jv_free(k);
			jv_free(x);
		}
		mode = vd_get(cfg, "Mode");
		et = vd_get(cfg, "ExecutionType");
		*distributed = jv_get_kind(mode) == JV_KIND_STRING &&
		    strcmp(jv_string_value(mode), "DISTRIBUTED") == 0;
		if (*distributed && !jv_is_valid(et))
			vd_error(v, cp, NULL, "These fields are required: "
			    "[ExecutionType]");
		else if (!*distributed && jv_is_valid(et))
			vd_error(v, cp, AT(cp, "ExecutionType"), "Field "
			    "'ExecutionType' is only supported in DISTRIBUTED "
			    "mode");
		jv_free(mode);
		jv_free(et);
	}
	jv_free(cfg);
	v->distributed += *distributed;
	vd_check_machine(v, val, fptr, field);
	v->distributed -= *distributed;
}

static void
check_label(struct v *v, jv val, const struct at *fptr)
{
	const unsigned char *s, *end;
	const char *bad = "<>{}[]?*\"#%\\^|~`$&,;:/";
	unsigned cp;

	if (!vd_want_kind(v, val, fptr, "Label", JV_KIND_STRING))
		return;
	s = (const unsigned char *)jv_string_value(val);
	/* by its length: a "\u0000" in it is a character to refuse */
	end = s + jv_string_length_bytes(jv_copy(val));
	if (s == end) {
		vd_report(v, "ERROR", "INVALID_LABEL_NAME", vd_pointer(fptr),
		    jv_null(), ASL_LIT("Label cannot be empty"), jv_null());
		return;
	}
	if (asl_utf8_count((const char *)s, (size_t)(end - s)) > MAX_LABEL) {
		vd_report(v, "ERROR", "INVALID_LABEL_NAME", vd_pointer(fptr),
		    jv_null(), jv_string_fmt("Label cannot exceed %d "
		    "characters", MAX_LABEL), jv_null());
		return;
	}
	/* The rules of execution names: no blanks, no controls, no "bad". */
	for (; s < end; s++) {
		cp = *s;
		if (*s == 0xc2 && s + 1 < end && s[1] >= 0x80 && s[1] <= 0x9f)
			cp = *++s;	/* U+0080..U+009F */
		else if (*s >= 0x80)
			continue;	/* other non-ASCII characters */
		if (cp <= 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    strchr(bad, (int)cp) != NULL) {
			vd_report(v, "ERROR", "INVALID_LABEL_NAME",
			    vd_pointer(fptr), jv_null(), cp >= 0x20 && cp <
			    0x7f ? jv_string_fmt("Label contains invalid "
			    "character: '%c'", (int)cp) : jv_string_fmt("Label "
			    "contains invalid character: U+%04X", cp),
			    jv_null());
			return;
		}
	}
	if (jv_get_kind(v->labels) == JV_KIND_NULL)
		v->labels = jv_object();
	else if (has_jv(v->labels, val))
		vd_report(v, "ERROR", "DUPLICATE_LABEL_NAME", vd_pointer(fptr),
		    jv_null(), jv_string_fmt("Duplicate Label name: %s",
		    jv_string_value(val)), jv_null());
	v->labels = jv_object_set(v->labels, jv_copy(val), jv_true());
}

/* At most one of the fields a, b[, c, d] of obj. */
static void
exclusive(struct v *v, jv obj, const struct at *ptr, const char *list,
    const char *a, const char *b, const char *c, const char *d)
{
	const char *names[4] = { a, b, c, d };
	const char *second = NULL;
	int i, n = 0;

	for (i = 0; i < 4; i++)
		if (names[i] != NULL && vd_has(obj, names[i]) && n++ == 1)
			second = names[i];
	if (n > 1)
		vd_error(v, ptr, AT(ptr, second), "There should only be one of "
		    "the following fields: [%s]", list);
}

/* An ItemReader's ReaderConfig (borrowed). */
static void
check_reader_config(struct v *v, jv cfg, const struct at *cp, int lang)
{
	static const char *const input_types[] = { "CSV", "JSON", "JSONL",
	    "PARQUET", "MANIFEST", NULL };
	static const char *const header_locations[] = { "FIRST_ROW", "GIVEN",
	    NULL };

	exclusive(v, cfg, cp, "MaxItems, MaxItemsPath", "MaxItems",
	    "MaxItemsPath", NULL, NULL);
	jv_object_foreach(cfg, k, y) {
		const char *n = jv_string_value(k);
		const struct at *np = AT(cp, n);

		if (strcmp(n, "MaxItems") == 0)
			vd_want_int(v, y, np, n, 0, MAX_ITEMS, lang);
		else if (strcmp(n, "MaxItemsPath") == 0 && lang == JP)
			vd_check_path(v, y, np, n, ASL_PATH_REFERENCE |
			    ASL_PATH_NO_CONTEXT, 0);
		else if (strcmp(n, "MaxItemsPath") == 0)
			vd_wrong_language(v, cp, np, lang, n);
		else if (strcmp(n, "InputType") == 0)
			vd_want_enum(v, y, np, n, input_types);
		else if (strcmp(n, "CSVHeaderLocation") == 0)
			vd_want_enum(v, y, np, n, header_locations);
		else if (strcmp(n, "CSVHeaders") == 0)
			vd_want_kind(v, y, np, n, JV_KIND_ARRAY);
		jv_free(k);
		jv_free(y);
	}
}

/* ItemReader, ItemBatcher, ResultWriter: their fields by name. */
static void
check_map_object(struct v *v, jv val, const struct at *fptr, const char *field,
    int lang)
{
	if (!vd_want_kind(v, val, fptr, field, JV_KIND_OBJECT))
		return;
	jv_object_foreach(val, k, x) {
		const char *ks = jv_string_value(k);
		const struct at *kp = AT(fptr, ks);
		int jponly = 0, jaonly = 0, ok = 1;

		if (strcmp(ks, "Resource") == 0 && strcmp(field,
		    "ItemBatcher")) {
			if (vd_want_kind(v, x, kp, ks, JV_KIND_STRING) &&
			    !vd_starts_with(jv_string_value(x), "arn:") &&
			    vd_substitution(jv_string_value(x)) != 1)
				vd_not_recognized(v, kp, jv_string_value(x));
		} else if (strcmp(ks, "Parameters") == 0 &&
		    strcmp(field, "ItemBatcher")) {
			if ((jponly = lang == JP))
				vd_check_template(v, x, kp, ks, 1);
		} else if (strcmp(ks, "Arguments") == 0 &&
		    strcmp(field, "ItemBatcher")) {
			if ((jaonly = lang == JA))
				vd_check_arguments(v, jv_copy(x), kp, ks);
		} else if (strcmp(ks, "ReaderConfig") == 0 &&
		    strcmp(field, "ItemReader") == 0) {
			if (vd_want_kind(v, x, kp, ks, JV_KIND_OBJECT))
				check_reader_config(v, x, kp, lang);
		} else if (strcmp(ks, "WriterConfig") == 0 &&
		    strcmp(field, "ResultWriter") == 0)
			vd_want_kind(v, x, kp, ks, JV_KIND_OBJECT);
		else if (strcmp(field, "ItemBatcher") == 0 &&
		    (strcmp(ks, "MaxItemsPerBatch") == 0 ||
		    strcmp(ks, "MaxInputBytesPerBatch") == 0))
			vd_want_int(v, x, kp, ks, 0, strcmp(ks,
			    "MaxItemsPerBatch") ? ASL_PAYLOAD_LIMIT : MAX_ITEMS,
			    lang);
		else if (strcmp(field, "ItemBatcher") == 0 &&
		    (strcmp(ks, "MaxItemsPerBatchPath") == 0 ||
		    strcmp(ks, "MaxInputBytesPerBatchPath") == 0)) {
			if ((jponly = lang == JP))
				vd_check_path(v, x, kp, ks, ASL_PATH_REFERENCE |
				    ASL_PATH_NO_CONTEXT, 0);
		} else if (strcmp(field, "ItemBatcher") == 0 &&
		    strcmp(ks, "BatchInput") == 0) {
			if (lang == JP)
				vd_check_template(v, x, kp, ks, 1);
			else
				vd_check_output(v, jv_copy(x), kp);
		} else
			ok = 0;
		if (!ok)
			vd_error(v, fptr, kp, "Field '%s' is not supported",
			    ks);
		else if ((strcmp(ks, "Parameters") == 0 ||
		    strstr(ks, "BatchPath") != NULL) && !jponly)
			vd_wrong_language(v, fptr, kp, lang, ks);
		else if (strcmp(ks, "Arguments") == 0 && !jaonly)
			vd_wrong_language(v, fptr, kp, lang, ks);
		jv_free(k);
		jv_free(x);
	}
	if (strcmp(field, "ItemBatcher") == 0) {
		exclusive(v, val, fptr, "MaxItemsPerBatch, "
		    "MaxItemsPerBatchPath", "MaxItemsPerBatch",
		    "MaxItemsPerBatchPath", NULL, NULL);
		exclusive(v, val, fptr, "MaxInputBytesPerBatch, "
		    "MaxInputBytesPerBatchPath", "MaxInputBytesPerBatch",
		    "MaxInputBytesPerBatchPath", NULL, NULL);
	} else if (strcmp(field, "ItemReader") == 0 && !vd_has(val, "Resource"))
		vd_error(v, fptr, NULL, "These fields are required: "
		    "[Resource]");
	else if (strcmp(field, "ResultWriter") == 0 &&
	    !vd_has(val, "Resource") && !vd_has(val, "WriterConfig"))
		vd_error(v, fptr, NULL, "These fields are required: "
		    "[Resource]");
}

/* Whether a value has an object key ending in ".$" anywhere.  Borrows. */
static int
has_dollar_key(jv x)
{
	int found = 0;

	if (jv_get_kind(x) == JV_KIND_OBJECT) {
		jv_object_foreach(x, k, y) {
			if (!found)
				found = vd_ends_with(jv_string_value(k),
				    ".$") || has_dollar_key(y);
			jv_free(k);
			jv_free(y);
		}
	} else if (jv_get_kind(x) == JV_KIND_ARRAY) {
		jv_array_foreach(x, i, y) {
			if (!found)
				found = has_dollar_key(y);
			jv_free(y);
		}
	}
	return found;
}

/* One state. */

/*
 * A state's members, gathered in one pass: each field's value is looked
 * up here, not in the state again.
 */
struct member {
	jv		 key, val;	/* owned */
	const char	*name;		/* the key's text */
	int		 f;		/* its field, or -1: not a state's */
};

struct members {
	struct member	*m;
	int		 n, cap;
	int		 of[NFIELDS];	/* the member of each field, or -1 */
	struct member	 local[16];
};

static int
field_of(const char *name)
{
	int i;

	for (i = 0; i < NFIELDS; i++)
		if (fields[i].name[0] == name[0] &&
		    strcmp(fields[i].name, name) == 0)
			return i;
	return -1;
}

/* The members of state (an object, borrowed) into ms. */
static void
members_of(struct members *ms, jv state)
{
	struct member *p;

	ms->m = ms->local;
	ms->n = 0;
	ms->cap = (int)NELEM(ms->local);
	memset(ms->of, -1, sizeof ms->of);
	jv_object_foreach(state, k, x) {
		if (ms->n == ms->cap) {
			if ((p = malloc(2 * (size_t)ms->cap * sizeof *p)) ==
			    NULL)
				abort();
			memcpy(p, ms->m, (size_t)ms->n * sizeof *p);
			if (ms->m != ms->local)
				free(ms->m);
			ms->m = p;
			ms->cap *= 2;
		}
		p = &ms->m[ms->n];
		p->key = k;
		p->val = x;
		p->name = jv_string_value(k);
		/* "Type\u0000x" is checked as "Type", but is not the Type */
		if ((p->f = field_of(p->name)) >= 0 && vd_whole(k))
			ms->of[p->f] = ms->n;
		ms->n++;
	}
}

static void
members_free(struct members *ms)
{
	int i;

	for (i = 0; i < ms->n; i++) {
		jv_free(ms->m[i].key);
		jv_free(ms->m[i].val);
	}
	if (ms->m != ms->local)
		free(ms->m);
}

static int
has_field(const struct members *ms, int f)
{
	return ms->of[f] >= 0;
}

/* The value of field f (borrowed), or jv_invalid() if the state lacks it. */
static jv
field_value(const struct members *ms, int f)
{
	return ms->of[f] >= 0 ? ms->m[ms->of[f]].val : jv_invalid();
}

/* At most one of the fields a, b[, c, d] (-1: none) of a state. */
static void
exclusive_fields(struct v *v, const struct members *ms, const struct at *ptr,
    int a, int b, int c, int d)
{
	const int f[4] = { a, b, c, d };
	const char *second = NULL;
	jv list;
	int i, n = 0;

	for (i = 0; i < 4; i++)
		if (f[i] >= 0 && has_field(ms, f[i]) && n++ == 1)
			second = fields[f[i]].name;
	if (n < 2)
		return;
	list = jv_string(fields[a].name);
	for (i = 1; i < 4 && f[i] >= 0; i++)
		list = jv_string_concat(list, jv_string_fmt(", %s",
		    fields[f[i]].name));
	vd_error(v, ptr, AT(ptr, second), "There should only be one of the "
	    "following fields: [%s]", jv_string_value(list));
	jv_free(list);
}

static int
one_of(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* The state-level check of field f (ks: x, at kp) of a state ms. */
static void
check_field(struct v *v, struct scope *sc, const struct members *ms,
    int lang, int f, const char *ks, jv x, const struct at *kp)
{
	struct asl_time t;
	struct asl_expr *e;
	jv err, tv;
	int dist;
	double hb, to;

	switch (f) {
	case F_TYPE:
		break;
	case F_COMMENT:
		vd_want_kind(v, x, kp, ks, JV_KIND_STRING);
		break;
	case F_DEFAULT:
	case F_NEXT:
		if (vd_want_kind(v, x, kp, ks, JV_KIND_STRING))
			vd_add_edge(sc, x, kp);
		break;
	case F_QUERY_LANGUAGE:
		if (vd_want_kind(v, x, kp, ks, JV_KIND_STRING) &&
		    strcmp(jv_string_value(x), "JSONPath") != 0 &&
		    strcmp(jv_string_value(x), "JSONata") != 0)
			vd_error(v, kp, NULL, "Value must be one of [JSONPath, "
			    "JSONata]");
		break;
	case F_END:
		if (vd_want_kind(v, x, kp, ks, JV_KIND_TRUE) &&
		    jv_get_kind(x) == JV_KIND_TRUE)
			sc->has_terminal = 1;
		break;
	case F_INPUT_PATH:
	case F_OUTPUT_PATH:
		vd_check_path(v, x, kp, ks, 0, 1);
		break;
	case F_RESULT_PATH:
		vd_check_path(v, x, kp, ks, ASL_PATH_REFERENCE |
		    ASL_PATH_NO_CONTEXT | ASL_PATH_NO_VARIABLE, 1);
		break;
	case F_PARAMETERS:
		vd_check_template(v, x, kp, ks, 0);
		break;
	case F_ITEM_SELECTOR:
		if (lang == JP)
			vd_check_template(v, x, kp, ks, 0);
		else
			vd_check_output(v, jv_copy(x), kp);
		break;
	case F_RESULT_SELECTOR:
		vd_check_template(v, x, kp, ks, 1);
		break;
	case F_CREDENTIALS:
		if (vd_want_kind(v, x, kp, ks, JV_KIND_OBJECT)) {
			if (!vd_has(x, "RoleArn") && !(lang == JP &&
			    vd_has(x, "RoleArn.$")))
				vd_error(v, kp, NULL, "The field 'RoleArn' is "
				    "required but was missing");
			if (lang == JP)
				vd_check_template(v, x, kp, ks, 1);
			else
				vd_check_jsonata_value(v, jv_copy(x), kp);
		}
		break;
	case F_RETRY:
		vd_check_retry(v, jv_copy(x), kp);
		break;
	case F_CATCH:
		vd_check_catch(v, sc, jv_copy(x), kp, lang);
		break;
	case F_ASSIGN:
		vd_check_assign(v, jv_copy(x), kp, lang);
		break;
	case F_OUTPUT:
		vd_check_output(v, jv_copy(x), kp);
		break;
	case F_ARGUMENTS:
		vd_check_arguments(v, jv_copy(x), kp, ks);
		break;
	case F_RESOURCE:
		if (lang == JA && vd_is_jsonata(x))
			vd_error(v, kp, NULL, "The field 'Resource' must be a "
			    "literal, not a JSONata expression");
		else
			vd_check_resource(v, jv_copy(x), kp);
		break;
	case F_TIMEOUT_SECONDS:
		vd_want_int(v, x, kp, ks, 1, MAX_INT, lang);
		break;
	case F_HEARTBEAT_SECONDS:
		if (vd_want_int(v, x, kp, ks, 1, MAX_INT, lang) &&
		    vd_is_int(x)) {
			tv = field_value(ms, F_TIMEOUT_SECONDS);
			hb = jv_number_value(x);
			to = vd_is_int(tv) ? jv_number_value(tv) : 0;
			if (vd_is_int(tv) && hb >= to)
				vd_error(v, kp, NULL, "HeartbeatSeconds "
				    "(%.17g) must be smaller than "
				    "TimeoutSeconds (%.17g)", hb, to);
		}
		break;
	case F_TIMEOUT_SECONDS_PATH:
	case F_HEARTBEAT_SECONDS_PATH:
	case F_SECONDS_PATH:
	case F_TIMESTAMP_PATH:
	case F_ITEMS_PATH:
		vd_check_path(v, x, kp, ks, ASL_PATH_REFERENCE, 0);
		break;
	case F_MAX_CONCURRENCY_PATH:
	case F_TOLERATED_COUNT_PATH:
	case F_TOLERATED_PERCENTAGE_PATH:
		vd_check_path(v, x, kp, ks, ASL_PATH_REFERENCE |
		    ASL_PATH_NO_CONTEXT, 0);
		break;
	case F_RESULT:
		if (has_dollar_key(x))
			vd_warning(v, "PASS_RESULT_IS_STATIC", kp, NULL, "The "
			    "Result field of a Pass state is static: its keys "
			    "ending in '.$' are not evaluated");
		break;
	case F_SECONDS:
		vd_want_int(v, x, kp, ks, 0, MAX_INT, lang);
		break;
	case F_TIMESTAMP:
		if (lang == JA && vd_is_jsonata(x))
			vd_check_jsonata_value(v, jv_copy(x), kp);
		else if (!vd_want_kind(v, x, kp, ks, JV_KIND_STRING))
			;
		else if (asl_time_parse(jv_string_value(x), &t) == -1)
			vd_error(v, kp, NULL, "String does not match RFC3339 "
			    "timestamp");
		break;
	case F_CHOICES:
		if (vd_want_kind(v, x, kp, ks, JV_KIND_ARRAY)) {
			if (jv_array_length(jv_copy(x)) == 0)
				vd_error(v, kp, NULL, "Value cannot be empty");
			jv_array_foreach(x, i, r) {
				const struct at *rp = AT_INDEX(kp, i);
				vd_check_rule(v, sc, r, rp, 1, lang);
			}
		}
		break;
	case F_ERROR:
	case F_CAUSE:
		if (vd_want_kind(v, x, kp, ks, JV_KIND_STRING)) {
			if (lang == JA)
				vd_check_jsonata_value(v, jv_copy(x), kp);
			else if (vd_looks_like_path(jv_string_value(x)))
				vd_warning(v, "NO_PATH", kp, NULL, "The value "
				    "of the field '%s' looks like a path, but "
				    "the field's name does not end with 'Path'",
				    ks);
		}
		break;
	case F_ERROR_PATH:
	case F_CAUSE_PATH:
		if (!vd_want_kind(v, x, kp, ks, JV_KIND_STRING))
			;
		else if ((e = asl_expr_compile(jv_string_value(x),
		    ASL_PATH_REFERENCE, &err)) == NULL)
			vd_report(v, "ERROR", SCHEMA, vd_pointer(kp), jv_null(),
			    jv_string_fmt("The value for the field '%s' must "
			    "be a valid Reference Path or a valid intrinsic "
			    "function call", ks), err);
		else {
			if (asl_expr_kind(e) == ASL_EXPR_INTRINSIC &&
			    !one_of(asl_intrinsic_name(asl_expr_intrinsic(e)),
			    fail_intrinsics, NELEM(fail_intrinsics)))
				vd_error(v, kp, NULL, "The intrinsic function "
				    "%s cannot be used in %s",
				    asl_intrinsic_name(asl_expr_intrinsic(e)),
				    ks);
			asl_expr_free(e);
		}
		break;
	case F_BRANCHES:
		if (vd_want_kind(v, x, kp, ks, JV_KIND_ARRAY)) {
			if (jv_array_length(jv_copy(x)) == 0)
				vd_error(v, kp, NULL, "Value cannot be empty");
			jv_array_foreach(x, i, b) {
				const struct at *bp = AT_INDEX(kp, i);
				if (vd_want_kind(v, b, bp, "Branches",
				    JV_KIND_OBJECT))
					vd_check_machine(v, jv_copy(b), bp,
					    "Branches");
				jv_free(b);
			}
		}
		break;
	case F_ITEM_PROCESSOR:
	case F_ITERATOR:
		check_processor(v, jv_copy(x), kp, ks, &dist);
		break;
	case F_ITEMS:
		if (jv_get_kind(x) != JV_KIND_ARRAY &&
		    jv_get_kind(x) != JV_KIND_OBJECT && !vd_is_jsonata(x))
			vd_error(v, kp, NULL, "The field 'Items' must be an "
			    "array or a JSONata expression");
		vd_check_jsonata_value(v, jv_copy(x), kp);
		break;
	case F_ITEM_READER:
	case F_ITEM_BATCHER:
	case F_RESULT_WRITER:
		check_map_object(v, x, kp, ks, lang);
		break;
	case F_MAX_CONCURRENCY:
	case F_TOLERATED_COUNT:
		vd_want_int(v, x, kp, ks, 0, 2147483647.0, lang);
		break;
	case F_TOLERATED_PERCENTAGE:
		if (lang == JA && vd_is_jsonata(x))
			vd_check_jsonata_value(v, jv_copy(x), kp);
		else if (!vd_want_kind(v, x, kp, ks, JV_KIND_NUMBER))
			;
		else if (jv_number_value(x) < 0)
			vd_error(v, kp, NULL, "Minimum value is 0.0");
		else if (jv_number_value(x) > 100)
			vd_error(v, kp, NULL, "Maximum value is 100.0");
		break;
	case F_LABEL:
		check_label(v, x, kp);
		break;
	}
}

/*
 * One state of a scope (state is borrowed, ptr its pointer): its type,
 * language and fields, then what its type requires and forbids together.
 */
void
vd_check_state(struct v *v, struct scope *sc, const char *name, jv state,
    const struct at *ptr)
{
	struct members ms;
	const struct member *m;
	const char *ts;
	jv t, ql, end;
	size_t i;
	int type = 0, lang;

	/* told apart from other duplicate keys when there are any */
	if (v->want_state_ptrs)
		v->state_ptrs = jv_object_set(jv_get_kind(v->state_ptrs) ==
		    JV_KIND_OBJECT ? v->state_ptrs : jv_object(),
		    vd_pointer(ptr), jv_true());
	if (jv_get_kind(state) != JV_KIND_OBJECT) {
		vd_error(v, ptr, NULL, "The state '%s' must be an object, not "
		    "%s", name, vd_kind_name(jv_get_kind(state)));
		sc->unknown = 1;
		return;
	}
	members_of(&ms, state);
	t = field_value(&ms, F_TYPE);
	if (jv_get_kind(t) == JV_KIND_STRING) {
		ts = jv_string_value(t);
		for (i = 0; i < NELEM(types) && type == 0; i++)
			if (strcmp(types[i].name, ts) == 0)
				type = types[i].type;
	}
	if (!jv_is_valid(t))
		vd_error(v, ptr, NULL, "These fields are required: [Type]");
	else if (type == 0)
		vd_error(v, AT(ptr, "Type"), NULL, "Value must be one of "
		    "[Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map]");
	if (type == 0) {
		sc->unknown = 1;
		members_free(&ms);
		return;
	}

	/* A state's own QueryLanguage, else the machine's, never a parent's. */
	ql = field_value(&ms, F_QUERY_LANGUAGE);
	lang = v->top_lang;
	if (jv_get_kind(ql) == JV_KIND_STRING) {
		if (strcmp(jv_string_value(ql), "JSONata") == 0)
			lang = JA;
		else if (strcmp(jv_string_value(ql), "JSONPath") == 0) {
			lang = JP;
			/*
			 * A distributed Map's processor runs as child
			 * executions; asl-validator takes a JSONPath state
			 * there under a JSONata machine, and so do we.
			 */
			if (v->top_lang == JA && !v->distributed)
				vd_error(v, ptr, AT(ptr, "QueryLanguage"),
				    "'QueryLanguage' can not be 'JSONPath' if "
				    "set to 'JSONata' for whole state machine");
		}
	}

	for (m = ms.m; m < ms.m + ms.n; m++) {
		const char *ks = m->name;
		const struct at *kp = AT(ptr, ks);

		if (m->f < 0 || !(fields[m->f].types & type))
			vd_error(v, ptr, kp, "Field '%s' is not supported", ks);
		else if (!(fields[m->f].langs & lang))
			vd_wrong_language(v, ptr, kp, lang, ks);
		else
			check_field(v, sc, &ms, lang, m->f, ks, m->val, kp);
	}

	end = field_value(&ms, F_END);
	if (type & FLOW) {
		if (has_field(&ms, F_NEXT) && has_field(&ms, F_END))
			vd_error(v, ptr, AT(ptr, "End"), "There should only be "
			    "one of the following fields: [Next, End]");
		else if (has_field(&ms, F_END) && jv_get_kind(end) !=
		    JV_KIND_TRUE && jv_get_kind(end) != JV_KIND_FALSE)
			sc->unknown = 1;	/* reported as a type error */
		else if (!has_field(&ms, F_NEXT) &&
		    jv_get_kind(end) != JV_KIND_TRUE &&
		    !(v->flags & ASL_VALIDATE_STATE))
			vd_error(v, ptr, NULL, "One of the following fields is "
			    "required: [Next, End]");
	}
	switch (type) {
	case TASK:
		if (!has_field(&ms, F_RESOURCE))
			vd_error(v, ptr, NULL, "These fields are required: "
			    "[Resource]");
		exclusive_fields(v, &ms, ptr, F_TIMEOUT_SECONDS,
		    F_TIMEOUT_SECONDS_PATH, -1, -1);
		exclusive_fields(v, &ms, ptr, F_HEARTBEAT_SECONDS,
		    F_HEARTBEAT_SECONDS_PATH, -1, -1);
		break;
	case WAIT:
		exclusive_fields(v, &ms, ptr, F_SECONDS_PATH, F_SECONDS,
		    F_TIMESTAMP_PATH, F_TIMESTAMP);
		if (!has_field(&ms, F_SECONDS) &&
		    !has_field(&ms, F_SECONDS_PATH) &&
		    !has_field(&ms, F_TIMESTAMP) &&
		    !has_field(&ms, F_TIMESTAMP_PATH))
			vd_error(v, ptr, NULL, "One of the following fields is "
			    "required: [SecondsPath, Seconds, TimestampPath, "
			    "Timestamp]");
		break;
	case CHOICE:
		if (!has_field(&ms, F_CHOICES))
			vd_error(v, ptr, NULL, "These fields are required: "
			    "[Choices]");
		break;
	case SUCCEED:
	case FAIL:
		sc->has_terminal = 1;
		if (type == FAIL) {
			exclusive_fields(v, &ms, ptr, F_ERROR, F_ERROR_PATH,
			    -1, -1);
			exclusive_fields(v, &ms, ptr, F_CAUSE, F_CAUSE_PATH,
			    -1, -1);
		}
		break;
	case PARALLEL:
		if (!has_field(&ms, F_BRANCHES))
			vd_error(v, ptr, NULL, "These fields are required: "
			    "[Branches]");
		break;
	case MAP:
		if (!has_field(&ms, F_ITEM_PROCESSOR) &&
		    !has_field(&ms, F_ITERATOR))
			vd_error(v, ptr, NULL, "These fields are required: "
			    "[ItemProcessor]");
		exclusive_fields(v, &ms, ptr, F_ITEM_PROCESSOR, F_ITERATOR,
		    -1, -1);
		exclusive_fields(v, &ms, ptr, F_ITEM_SELECTOR, F_PARAMETERS,
		    -1, -1);
		exclusive_fields(v, &ms, ptr, F_MAX_CONCURRENCY,
		    F_MAX_CONCURRENCY_PATH, -1, -1);
		exclusive_fields(v, &ms, ptr, F_TOLERATED_COUNT,
		    F_TOLERATED_COUNT_PATH, -1, -1);
		exclusive_fields(v, &ms, ptr, F_TOLERATED_PERCENTAGE,
		    F_TOLERATED_PERCENTAGE_PATH, -1, -1);
		break;
	}
	members_free(&ms);
}
