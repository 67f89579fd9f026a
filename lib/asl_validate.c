/*
 * asl_validate.c - the checks CreateStateMachine and
 * ValidateStateMachineDefinition make, with AWS's codes, messages and
 * locations where they are known.
 *
 * Where the messages come from: the recorded cases of the conformance
 * corpus (../shared/conformance/cases/validation) and AWS's answers quoted
 * in public issues (the floci emulator's measurements: "These fields are
 * required: [...]", "Field 'X' is not supported", "There should only be
 * one of the following fields: [...]", "Missing 'Next' target: X",
 * "State \"X\" is not reachable.", "Workflow has no terminal state", the
 * QueryLanguage messages, "Value is not a Reference Path", "Minimum value
 * is 0").  Where AWS's wording is unknown the message says plainly what is
 * wrong in the same style.
 *
 * The walk: a machine (the definition, a Parallel branch, a Map
 * processor) is a scope; its states are checked field by field, the
 * transitions of each scope are collected as edges, and the graph checks
 * (targets, terminal state, reachability) run when the scope is done.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_doc.h"
#include "asl_intrinsic.h"
#include "asl_json.h"
#include "asl_jsonata.h"
#include "asl_path.h"
#include "asl_template.h"
#include "asl_time.h"
#include "asl_utf8.h"
#include "asl_validate.h"

#define SCHEMA		"SCHEMA_VALIDATION_FAILED"
#define TARGET		"MISSING_TRANSITION_TARGET"

/* State types, as bits, and query languages. */
enum {
	TASK = 0x01, PASS = 0x02, CHOICE = 0x04, WAIT = 0x08, SUCCEED = 0x10,
	FAIL = 0x20, PARALLEL = 0x40, MAP = 0x80, ANY = 0xff
};
enum { JP = 1, JA = 2, BOTH = 3 };

static const struct {
	const char	*name;
	int		 type;
} types[] = {
	{ "Task", TASK }, { "Pass", PASS }, { "Choice", CHOICE },
	{ "Wait", WAIT }, { "Succeed", SUCCEED }, { "Fail", FAIL },
	{ "Parallel", PARALLEL }, { "Map", MAP }
};

#define FLOW	(TASK | PASS | WAIT | PARALLEL | MAP)

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

/*
 * The optimized integrations AWS recognises in "arn:aws:states:::SVC:API",
 * with the patterns each API supports: R request-response, S ".sync",
 * 2 ".sync:2", W ".waitForTaskToken".  From the AWS developer guide's
 * pages on each integration.  "aws-sdk:SVC:ACTION" is checked apart.
 */
static const struct integration {
	const char	*service;
	const char	*api;
	const char	*patterns;
} integrations[] = {
	{ "apigateway", "invoke", "RW" },
	{ "athena", "startQueryExecution", "RS" },
	{ "athena", "stopQueryExecution", "R" },
	{ "athena", "getQueryExecution", "R" },
	{ "athena", "getQueryResults", "R" },
	{ "batch", "submitJob", "RS" },
	{ "bedrock", "invokeModel", "RSW" },
	{ "bedrock", "createModelCustomizationJob", "RSW" },
	{ "codebuild", "startBuild", "RS" },
	{ "codebuild", "stopBuild", "R" },
	{ "codebuild", "batchDeleteBuilds", "R" },
	{ "codebuild", "batchGetReports", "R" },
	{ "codebuild", "startBuildBatch", "RS" },
	{ "codebuild", "stopBuildBatch", "R" },
	{ "codebuild", "retryBuildBatch", "RS" },
	{ "codebuild", "deleteBuildBatch", "R" },
	{ "databrew", "startJobRun", "RS" },
	{ "dynamodb", "getItem", "R" },
	{ "dynamodb", "putItem", "R" },
	{ "dynamodb", "updateItem", "R" },
	{ "dynamodb", "deleteItem", "R" },
	{ "ecs", "runTask", "RSW" },
	{ "eks", "createCluster", "RSW" },
	{ "eks", "deleteCluster", "RSW" },
	{ "eks", "createFargateProfile", "RSW" },
	{ "eks", "deleteFargateProfile", "RSW" },
	{ "eks", "createNodegroup", "RSW" },
	{ "eks", "deleteNodegroup", "RSW" },
	{ "eks", "runJob", "RSW" },
	{ "eks", "call", "R" },
	{ "elasticmapreduce", "createCluster", "RS" },
	{ "elasticmapreduce", "terminateCluster", "RS" },
	{ "elasticmapreduce", "addStep", "RS" },
	{ "elasticmapreduce", "cancelStep", "R" },
	{ "elasticmapreduce", "setClusterTerminationProtection", "R" },
	{ "elasticmapreduce", "modifyInstanceFleetByName", "R" },
	{ "elasticmapreduce", "modifyInstanceGroupByName", "R" },
	{ "emr-containers", "createVirtualCluster", "R" },
	{ "emr-containers", "deleteVirtualCluster", "RS" },
	{ "emr-containers", "startJobRun", "RS" },
	{ "emr-serverless", "createApplication", "RS" },
	{ "emr-serverless", "startApplication", "RS" },
	{ "emr-serverless", "stopApplication", "RS" },
	{ "emr-serverless", "deleteApplication", "RS" },
	{ "emr-serverless", "startJobRun", "RS" },
	{ "emr-serverless", "cancelJobRun", "RS" },
	{ "events", "putEvents", "RW" },
	{ "glue", "startJobRun", "RS" },
	{ "http", "invoke", "R" },
	{ "lambda", "invoke", "RW" },
	{ "mediaconvert", "createJob", "RS" },
	{ "sagemaker", "createEndpoint", "R" },
	{ "sagemaker", "createEndpointConfig", "R" },
	{ "sagemaker", "createHyperParameterTuningJob", "RS" },
	{ "sagemaker", "createLabelingJob", "RS" },
	{ "sagemaker", "createModel", "R" },
	{ "sagemaker", "createProcessingJob", "RS" },
	{ "sagemaker", "createTrainingJob", "RS" },
	{ "sagemaker", "createTransformJob", "RS" },
	{ "sagemaker", "updateEndpoint", "R" },
	{ "sns", "publish", "RW" },
	{ "sqs", "sendMessage", "RW" },
	{ "states", "startExecution", "RS2W" }
};

/* The error names of the spec; other "States." names are reserved. */
static const char *const error_names[] = {
	"States.ALL", "States.HeartbeatTimeout", "States.Timeout",
	"States.TaskFailed", "States.Permissions",
	"States.ResultPathMatchFailure", "States.ParameterPathFailure",
	"States.BranchFailed", "States.NoChoiceMatched",
	"States.IntrinsicFailure", "States.ExceedToleratedFailureThreshold",
	"States.ItemReaderFailed", "States.ResultWriterFailed",
	"States.Runtime", "States.DataLimitExceeded",
	"States.QueryEvaluationError", "States.Http.Socket"
};

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

/* The intrinsics a Fail state's ErrorPath and CausePath may call. */
static const char *const fail_intrinsics[] = {
	"States.Format", "States.JsonToString", "States.ArrayGetItem",
	"States.Base64Encode", "States.Base64Decode", "States.Hash",
	"States.UUID"
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* AWS's limits. */
#define MAX_NAME	80	/* state names */
#define MAX_LABEL	40	/* Map labels */
#define MAX_RETRY	99999999	/* IntervalSeconds, MaxAttempts */
/*
 * No bound AWS documents for the others: a Wait of more than 2^31 s is
 * refused only when it runs ("Wait state delay is too long.").
 */
#define MAX_INT		9007199254740991.0
#define MAX_ITEMS	100000000	/* ItemReader MaxItems */

/*
 * Where a node is: the steps from the root, a chain on the stack that
 * the walk grows as it descends (AT, AT_INDEX).  Almost every definition
 * is valid, so the JSON Pointer text of a node is made (pointer) only
 * when a problem is reported there.
 */
struct at {
	const struct at	*up;	/* NULL: this is the root */
	const char	*key;	/* a member's name; NULL: an array index */
	int		 index;
};

#define AT(up, key)	(&(const struct at){ (up), (key), 0 })
#define AT_INDEX(up, i)	(&(const struct at){ (up), NULL, (i) })

/* The JSON Pointer of a node: "" for the root, "/States/A~1B/Next". */
static jv
pointer(const struct at *at)
{
	char idx[24];

	if (at->up == NULL)
		return ASL_LIT("");
	if (at->key != NULL)
		return asl_json_pointer_append(pointer(at->up), at->key);
	snprintf(idx, sizeof idx, "%d", at->index);
	return asl_json_pointer_append(pointer(at->up), idx);
}

/*
 * Names of states, in the order met, found again by a hash of their
 * text.  The text is borrowed from the definition, which outlives the
 * walk; a name may hold a NUL (JSON allows "\u0000"), so its length is
 * kept and compared, as jq compares keys.
 */
struct name {
	const char	*s;
	int		 len;
};

struct names {
	struct name	*v;
	int		 n, cap;
	int		*slots;		/* index + 1 of a name, 0: empty */
	int		 nslots;	/* a power of 2, at least 2 * n */
};

struct v {
	jv	 root;		/* the definition */
	jv	 where;		/* pointer -> [line, column], or null */
	jv	 diags;		/* errors, in the order found */
	jv	 warnings;
	int	 flags;
	int	 top_lang;	/* the machine's QueryLanguage */
	int	 distributed;	/* inside a DISTRIBUTED Map's processor */
	struct names names;	/* every state's name, the first of each */
	jv	 labels;	/* Map label -> true, or null */
	jv	 state_ptrs;	/* pointer of every state -> true, or null */
	int	 want_state_ptrs;	/* there are duplicate keys */
};

/*
 * A transition: from a state of the scope to a name, at the state's
 * field (Next, Default) or at the Next of its field's index (Catch,
 * Choices).  The text is borrowed from the definition.
 */
struct edge {
	int		 from;		/* the state's index in the scope */
	int		 to;		/* the target's index, or -1 */
	const char	*target;
	int		 len;
	const char	*field;
	int		 index;		/* -1: the field itself */
};

/* A machine being checked: its states and transitions. */
struct scope {
	jv		 states;	/* borrowed: States, or null */
	struct names	 names;		/* its states, in order */
	int		 current;	/* the state being checked, or -1 */
	struct edge	*edges;		/* in document order */
	int		 nedges, capedges;
	int		 has_terminal;
	int		 unknown;	/* a state's transitions are unknown */
};

/*
 * The validator's tables are C arrays: jq's objects cost hundreds of
 * instructions a lookup.  Like jq's allocator, a failed allocation
 * aborts.
 */
static void *
grow(void *p, int *cap, int min, size_t size)
{
	int n = *cap > 0 ? *cap * 2 : min;

	if ((p = realloc(p, (size_t)n * size)) == NULL)
		abort();
	*cap = n;
	return p;
}

/* FNV-1a */
static unsigned
name_hash(const char *s, int len)
{
	unsigned h = 2166136261u;
	int i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The index of the name s (len bytes) in t, or -1. */
static int
names_find(const struct names *t, const char *s, int len)
{
	unsigned i;
	int k;

	if (t->nslots == 0)
		return -1;
	for (i = name_hash(s, len) & (unsigned)(t->nslots - 1);
	    (k = t->slots[i]) != 0; i = (i + 1) & (unsigned)(t->nslots - 1))
		if (t->v[k - 1].len == len && memcmp(t->v[k - 1].s, s,
		    (size_t)len) == 0)
			return k - 1;
	return -1;
}

static void
names_slot(struct names *t, int k)
{
	const struct name *nm = &t->v[k];
	unsigned i;

	for (i = name_hash(nm->s, nm->len) & (unsigned)(t->nslots - 1);
	    t->slots[i] != 0; i = (i + 1) & (unsigned)(t->nslots - 1))
		;
	t->slots[i] = k + 1;
}

/* Add the name s (len bytes, not in t yet); returns its index. */
static int
names_add(struct names *t, const char *s, int len)
{
	int k;

	if (t->n == t->cap)
		t->v = grow(t->v, &t->cap, 16, sizeof *t->v);
	t->v[t->n].s = s;
	t->v[t->n].len = len;
	if (2 * (t->n + 1) > t->nslots) {
		free(t->slots);
		t->nslots = t->nslots > 0 ? 2 * t->nslots : 32;
		if ((t->slots = calloc((size_t)t->nslots, sizeof *t->slots)) ==
		    NULL)
			abort();
		for (k = 0; k < t->n; k++)
			names_slot(t, k);
	}
	names_slot(t, t->n);
	return t->n++;
}

static void
names_free(struct names *t)
{
	free(t->v);
	free(t->slots);
}

/* The length of a string jv (borrowed), which may hold NULs. */
static int
length_of(jv s)
{
	return jv_string_length_bytes(jv_copy(s));
}

/*
 * Whether a key (borrowed) is all of its C string, without a NUL: a key
 * is checked as far as its first NUL, but looked up whole.
 */
static int
whole(jv key)
{
	return length_of(key) == (int)strlen(jv_string_value(key));
}

/* Small helpers on borrowed values. */

static int
has(jv obj, const char *key)
{
	return jv_get_kind(obj) == JV_KIND_OBJECT &&
	    jv_object_has(jv_copy(obj), asl_key(key));
}

/* Whether obj has the member key (a string; both borrowed). */
static int
has_jv(jv obj, jv key)
{
	return jv_get_kind(obj) == JV_KIND_OBJECT &&
	    jv_get_kind(key) == JV_KIND_STRING &&
	    jv_object_has(jv_copy(obj), jv_copy(key));
}

static jv
get(jv obj, const char *key)
{
	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return jv_invalid();
	return jv_object_get(jv_copy(obj), asl_key(key));
}

static int
is_int(jv x)
{
	double d;

	if (jv_get_kind(x) != JV_KIND_NUMBER)
		return 0;
	d = jv_number_value(x);
	return d == trunc(d) && fabs(d) <= 9007199254740991.0;
}

static int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A JSONata expression string: "{%" ... "%}" exactly. */
static int
is_jsonata(jv x)
{
	return jv_get_kind(x) == JV_KIND_STRING &&
	    asl_jsonata_is_expression(jv_string_value(x));
}

/* One step of a JSON Pointer, "~1" and "~0" undone. */
static jv
unescape(const char *seg)
{
	jv out = ASL_LIT("");
	const char *p;

	for (p = seg; *p != '\0' && *p != '/'; p++) {
		if (*p == '~' && (p[1] == '0' || p[1] == '1')) {
			out = jv_string_append_str(out, p[1] == '0' ? "~" :
			    "/");
			p++;
		} else
			out = jv_string_append_buf(out, p, 1);
	}
	return out;
}

/*
 * The location AWS would print for a pointer: the same steps, with array
 * indexes as "[0]" and names unescaped ("/States/C/Choices[0]/Next").
 */
static jv
aws_location(jv root, const char *ptr)
{
	jv loc = ASL_LIT(""), cur = jv_copy(root), seg, next;
	const char *p = ptr;

	while (*p == '/') {
		p++;
		seg = unescape(p);
		p += strcspn(p, "/");
		if (jv_get_kind(cur) == JV_KIND_ARRAY) {
			loc = jv_string_append_str(loc, "[");
			loc = jv_string_append_str(loc, jv_string_value(seg));
			loc = jv_string_append_str(loc, "]");
			next = jv_array_get(cur, atoi(jv_string_value(seg)));
		} else {
			loc = jv_string_append_str(loc, "/");
			loc = jv_string_append_str(loc, jv_string_value(seg));
			if (jv_get_kind(cur) == JV_KIND_OBJECT)
				next = jv_object_get(cur, jv_copy(seg));
			else {
				jv_free(cur);
				next = jv_invalid();
			}
		}
		jv_free(seg);
		if (jv_is_valid(next))
			cur = next;
		else {
			jv_free(next);
			cur = jv_null();
		}
	}
	jv_free(cur);
	if (jv_string_length_bytes(jv_copy(loc)) == 0)
		loc = jv_string_append_str(loc, "/");
	return loc;
}

/* The position of ptr, or of its nearest ancestor the map knows. */
static jv
position(struct v *v, jv ptr)
{
	jv pos = jv_invalid(), parent;
	const char *s;

	while (jv_get_kind(v->where) == JV_KIND_OBJECT) {
		jv_free(pos);
		pos = jv_object_get(jv_copy(v->where), jv_copy(ptr));
		s = jv_string_value(ptr);
		if (jv_is_valid(pos) || *s == '\0')
			break;
		parent = jv_string_sized(s, (int)(strrchr(s, '/') - s));
		jv_free(ptr);
		ptr = parent;
	}
	jv_free(ptr);
	if (jv_is_valid(pos))
		return pos;
	jv_free(pos);
	return jv_null();
}

/*
 * Report a diagnostic.  loc is the pointer AWS reports it at (jv_null()
 * for none), at the pointer whose position is shown (jv_null(): loc's);
 * detail is jv_null() or a string.  All are consumed.
 */
static void
report(struct v *v, const char *severity, const char *code, jv loc, jv at,
    jv msg, jv detail)
{
	jv d = jv_object(), pos;

	if (jv_get_kind(at) == JV_KIND_NULL) {
		jv_free(at);
		at = jv_get_kind(loc) == JV_KIND_STRING ? jv_copy(loc) :
		    ASL_LIT("");
	}
	d = jv_object_set(d, ASL_LIT("severity"), jv_string(severity));
	d = jv_object_set(d, ASL_LIT("code"), jv_string(code));
	d = jv_object_set(d, ASL_LIT("message"), msg);
	if (jv_get_kind(loc) == JV_KIND_STRING)
		d = jv_object_set(d, ASL_LIT("location"),
		    aws_location(v->root, jv_string_value(loc)));
	jv_free(loc);
	d = jv_object_set(d, ASL_LIT("pointer"), jv_copy(at));
	pos = position(v, at);
	if (jv_get_kind(pos) == JV_KIND_ARRAY) {
		d = jv_object_set(d, ASL_LIT("line"),
		    jv_array_get(jv_copy(pos), 0));
		d = jv_object_set(d, ASL_LIT("column"), jv_array_get(pos, 1));
	} else
		jv_free(pos);
	if (jv_get_kind(detail) == JV_KIND_STRING)
		d = jv_object_set(d, ASL_LIT("detail"), detail);
	else
		jv_free(detail);
	if (strcmp(severity, "ERROR") == 0)
		v->diags = jv_array_append(v->diags, d);
	else
		v->warnings = jv_array_append(v->warnings, d);
}

/* The pointer of a node, or null for none. */
static jv
pointer_or_null(const struct at *at)
{
	return at != NULL ? pointer(at) : jv_null();
}

/*
 * A SCHEMA_VALIDATION_FAILED error at loc (NULL: none), shown at at
 * (NULL: at loc).
 */
static void
error(struct v *v, const struct at *loc, const struct at *at,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
error(struct v *v, const struct at *loc, const struct at *at,
    const char *fmt, ...)
{
	va_list ap;
	jv msg;

	va_start(ap, fmt);
	msg = jv_string_vfmt(fmt, ap);
	va_end(ap);
	report(v, "ERROR", SCHEMA, pointer_or_null(loc), pointer_or_null(at),
	    msg, jv_null());
}

/* A WARNING, when they are asked for: the same, with its own code. */
static void
warning(struct v *v, const char *code, const struct at *loc,
    const struct at *at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
warning(struct v *v, const char *code, const struct at *loc,
    const struct at *at, const char *fmt, ...)
{
	va_list ap;
	jv msg;

	if (!(v->flags & ASL_VALIDATE_WARNINGS))
		return;
	va_start(ap, fmt);
	msg = jv_string_vfmt(fmt, ap);
	va_end(ap);
	report(v, "WARNING", code, pointer_or_null(loc), pointer_or_null(at),
	    msg, jv_null());
}

/*
 * [O] A field of the other query language, reported at the object that
 * has it (loc), shown at the field (at).
 */
static void
wrong_language(struct v *v, const struct at *loc, const struct at *at, int lang,
    const char *field)
{
	error(v, loc, at, "The QueryLanguage is set to '%s', but field '%s' is "
	    "only supported for the '%s' QueryLanguage", lang == JA ?
	    "JSONata" : "JSONPath", field, lang == JA ? "JSONPath" : "JSONata");
}

/* Checks of one field's value (val, at fptr), reported at the field. */

static const char *
kind_name(int kind)
{
	switch (kind) {
	case JV_KIND_STRING: return "a string";
	case JV_KIND_NUMBER: return "a number";
	case JV_KIND_TRUE:
	case JV_KIND_FALSE: return "a boolean";
	case JV_KIND_OBJECT: return "an object";
	case JV_KIND_ARRAY: return "an array";
	case JV_KIND_NULL: return "null";
	default: return "a value";
	}
}

/* Whether field (at fptr) has the kind wanted; reports it if not. */
static int
want_kind(struct v *v, jv val, const struct at *fptr, const char *field,
    int kind)
{
	int k = jv_get_kind(val);

	if (k == kind || (kind == JV_KIND_TRUE && k == JV_KIND_FALSE))
		return 1;
	error(v, fptr, NULL, "The field '%s' must be %s, not %s", field,
	    kind_name(kind), kind_name(k));
	return 0;
}

/*
 * An integer field within [min, max], or (JSONata) an expression.
 * Reports and returns 0 when it is neither.
 */
static int
want_int(struct v *v, jv val, const struct at *fptr, const char *field,
    double min, double max, int lang)
{
	double d;

	if (lang == JA && jv_get_kind(val) == JV_KIND_STRING && is_jsonata(val))
		return 1;
	if (!is_int(val)) {
		error(v, fptr, NULL, "The field '%s' must be an integer%s",
		    field, lang == JA ? " or a JSONata expression" : "");
		return 0;
	}
	d = jv_number_value(val);
	if (d < min) {
		error(v, fptr, NULL, "Minimum value is %.17g", min);
		return 0;
	}
	if (d > max) {
		error(v, fptr, NULL, "Maximum value is %.17g", max);
		return 0;
	}
	return 1;
}

/* A string field with one of the values of list (NULL-terminated). */
static void
want_enum(struct v *v, jv val, const struct at *fptr, const char *field,
    const char *const *list)
{
	jv names;
	int i;

	if (!want_kind(v, val, fptr, field, JV_KIND_STRING))
		return;
	for (i = 0; list[i] != NULL; i++)
		if (strcmp(jv_string_value(val), list[i]) == 0)
			return;
	names = ASL_LIT("");
	for (i = 0; list[i] != NULL; i++)
		names = jv_string_concat(names, jv_string_fmt("%s%s",
		    i > 0 ? ", " : "", list[i]));
	error(v, fptr, NULL, "Value must be one of [%s]",
	    jv_string_value(names));
	jv_free(names);
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
		if (names[i] != NULL && has(obj, names[i]) && n++ == 1)
			second = names[i];
	if (n > 1)
		error(v, ptr, AT(ptr, second), "There should only be one of "
		    "the following fields: [%s]", list);
}

/* Paths, templates and JSONata strings. */

/*
 * A Path or Reference Path field; null is allowed where nullable.
 * Reports and returns 0 if it does not compile.
 */
static int
check_path(struct v *v, jv val, const struct at *fptr, const char *field,
    int flags, int nullable)
{
	struct asl_path *p;
	jv err;

	if (nullable && jv_get_kind(val) == JV_KIND_NULL)
		return 1;
	if (!want_kind(v, val, fptr, field, JV_KIND_STRING))
		return 0;
	if ((p = asl_path_compile(jv_string_value(val), flags, &err)) != NULL) {
		asl_path_free(p);
		return 1;
	}
	report(v, "ERROR", SCHEMA, pointer(fptr), jv_null(), flags &
	    ASL_PATH_REFERENCE ? ASL_LIT("Value is not a Reference Path") :
	    jv_string_fmt("The value for the field '%s' must be a valid "
	    "JSONPath", field), err);
	return 0;
}

/* Whether a string looks like a path or an intrinsic call. */
static int
looks_dynamic(const char *s)
{
	if (strcmp(s, "$") == 0 || starts_with(s, "$.") || starts_with(s,
	    "$[") || starts_with(s, "$$"))
		return 1;
	if (starts_with(s, "States.")) {
		s += 7;
		while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
			s++;
		return *s == '(';
	}
	return 0;
}

static int
looks_like_path(const char *s)
{
	return strcmp(s, "$") == 0 || starts_with(s, "$.") ||
	    starts_with(s, "$[") || starts_with(s, "$$.");
}

/* NO_DOLLAR: a key without ".$" whose value looks like a path. */
static void
no_dollar(struct v *v, jv val, const struct at *fptr, const struct at *at)
{
	if (jv_get_kind(val) == JV_KIND_OBJECT) {
		jv_object_foreach(val, k, x) {
			const char *ks = jv_string_value(k);
			const struct at *kp = AT(at, ks);
			if (!ends_with(ks, ".$") &&
			    jv_get_kind(x) == JV_KIND_STRING &&
			    looks_dynamic(jv_string_value(x)))
				warning(v, "NO_DOLLAR", fptr, kp, "The value "
				    "of the field '%s' looks like a JSONPath "
				    "or an intrinsic function call, but the "
				    "field's name does not end with '.$'", ks);
			else if (!ends_with(ks, ".$"))
				no_dollar(v, jv_copy(x), fptr, kp);
			jv_free(k);
			jv_free(x);
		}
	} else if (jv_get_kind(val) == JV_KIND_ARRAY) {
		jv_array_foreach(val, i, x) {
			const struct at *ip = AT_INDEX(at, i);
			no_dollar(v, x, fptr, ip);
		}
	}
	jv_free(val);
}

/*
 * A payload template: compiled by asl_template_compile, whose problems
 * are reported at the field (as AWS does) with the exact key's position.
 * Borrows val.
 */
static void
check_template(struct v *v, jv val, const struct at *fptr, const char *field,
    int object)
{
	struct asl_template *t;
	jv errs, ptr, msg, aws, detail;
	const char *m, *cut;

	if (object && !want_kind(v, val, fptr, field, JV_KIND_OBJECT))
		return;
	if ((t = asl_template_compile(jv_copy(val), &errs)) != NULL) {
		asl_template_free(t);
		no_dollar(v, jv_copy(val), fptr, fptr);
		return;
	}
	jv_array_foreach(errs, i, e) {
		ptr = jv_object_get(jv_copy(e), ASL_LIT("pointer"));
		msg = jv_object_get(e, ASL_LIT("message"));
		m = jv_string_value(msg);
		/*
		 * AWS says only "The value for the field 'k.$' must be a valid
		 * JSONPath or a valid intrinsic function call"; the parser's
		 * reason goes to the detail.
		 */
		if ((cut = strstr(m, "function call: ")) != NULL) {
			aws = jv_string_sized(m, (int)(cut - m) +
			    (int)strlen("function call"));
			detail = jv_string(cut + strlen("function call: "));
			jv_free(msg);
		} else {
			aws = msg;
			detail = jv_null();
		}
		report(v, "ERROR", SCHEMA, pointer(fptr),
		    jv_string_concat(pointer(fptr), ptr), aws, detail);
		(void)i;
	}
	jv_free(errs);
}

/* Every "{%" string must end with "%}" and the other way round. */
static void
check_jsonata_strings(struct v *v, jv val, const struct at *fptr,
    const struct at *at)
{
	const char *s;
	int open, close;

	switch (jv_get_kind(val)) {
	case JV_KIND_STRING:
		s = jv_string_value(val);
		open = starts_with(s, "{%");
		close = ends_with(s, "%}");
		if ((open || close) && !is_jsonata(val))
			report(v, "ERROR", SCHEMA, pointer(fptr), pointer(at),
			    jv_string_fmt("The JSONata expression '%s' must "
			    "start with '{%%' and end with '%%}'", s),
			    jv_null());
		break;
	case JV_KIND_OBJECT:
		jv_object_foreach(val, k, x) {
			const struct at *kp = AT(at, jv_string_value(k));
			check_jsonata_strings(v, x, fptr, kp);
			jv_free(k);
		}
		break;
	case JV_KIND_ARRAY:
		jv_array_foreach(val, i, x) {
			const struct at *ip = AT_INDEX(at, i);
			check_jsonata_strings(v, x, fptr, ip);
		}
		break;
	default:
		break;
	}
	jv_free(val);
}

/* A JSONata field whose value is any JSON with expressions in it. */
static void
check_jsonata_value(struct v *v, jv val, const struct at *fptr)
{
	check_jsonata_strings(v, val, fptr, fptr);
}

/* Assign: a JSONPath template or JSONata values, by variable name. */
static void
check_assign(struct v *v, jv val, const struct at *fptr, int lang)
{
	if (!want_kind(v, val, fptr, "Assign", JV_KIND_OBJECT)) {
		jv_free(val);
		return;
	}
	jv_object_foreach(val, k, x) {
		const char *ks = jv_string_value(k);
		size_t len = strlen(ks);
		const struct at *kp = AT(fptr, ks);

		if (lang == JP && ends_with(ks, ".$"))
			len -= 2;
		/* Plain names: no sub-paths such as "x.y" or "x[0]". */
		if (len == 0 || strcspn(ks, ".[") < len ||
		    asl_utf8_count(ks, strlen(ks)) - (strlen(ks) - len) > MAX_NAME)
			error(v, fptr, kp, "'%s' is not a valid variable name",
			    ks);
		else if (len == 6 && strncmp(ks, "states", 6) == 0)
			error(v, fptr, kp, "The variable name 'states' is "
			    "reserved");
		jv_free(k);
		jv_free(x);
	}
	if (lang == JP) {
		check_template(v, val, fptr, "Assign", 1);
		jv_free(val);
	} else
		check_jsonata_value(v, val, fptr);
}

/* A JSONata state's Output, Arguments, ItemSelector: any JSON. */
static void
check_output(struct v *v, jv val, const struct at *fptr)
{
	check_jsonata_value(v, val, fptr);
}

/* Arguments: an object or one expression. */
static void
check_arguments(struct v *v, jv val, const struct at *fptr, const char *field)
{
	if (jv_get_kind(val) != JV_KIND_OBJECT && !is_jsonata(val)) {
		error(v, fptr, NULL, "The field '%s' must be an object or a "
		    "JSONata expression", field);
		jv_free(val);
		return;
	}
	check_jsonata_value(v, val, fptr);
}

/* Resources. */

static int
name_chars(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_'))
			return 0;
	return n > 0;
}

/* "function:NAME[:QUALIFIER]" of a Lambda function ARN. */
static int
lambda_function(const char *rest)
{
	const char *name, *colon;

	if (!starts_with(rest, "function:"))
		return 0;
	name = rest + strlen("function:");
	colon = strchr(name, ':');
	if (colon == NULL)
		return name_chars(name, strlen(name)) && strlen(name) <= 64;
	if (!name_chars(name, (size_t)(colon - name)) || colon - name > 64)
		return 0;
	return strcmp(colon + 1, "$LATEST") == 0 || (name_chars(colon + 1,
	    strlen(colon + 1)) && strlen(colon + 1) <= 128);
}

/* CloudFormation placeholders are left to CloudFormation. */
static int
substitution(const char *s)
{
	const char *p = s, *close;
	int any = 0;

	while ((p = strstr(p, "${")) != NULL) {
		if ((close = strchr(p + 2, '}')) == NULL)
			return -1;
		any = 1;
		p = close + 1;
	}
	return any;
}

static void
not_recognized(struct v *v, const struct at *fptr, const char *res)
{
	error(v, fptr, NULL, "The resource provided %s is not recognized. The "
	    "value is not a valid resource ARN, or the resource is not "
	    "available in this region.", res);
}

/* An "arn:aws:states:::SVC:API[.pattern]" integration. */
static void
check_integration(struct v *v, const struct at *fptr, const char *res,
    const char *rest)
{
	char svc[64], api[128];
	const char *colon, *dot, *suffix = "";
	size_t i, n;
	int pattern = 'R', ok = 0;

	if ((colon = strchr(rest, ':')) == NULL || colon == rest ||
	    (size_t)(colon - rest) >= sizeof svc) {
		not_recognized(v, fptr, res);
		return;
	}
	memcpy(svc, rest, (size_t)(colon - rest));
	svc[colon - rest] = '\0';
	rest = colon + 1;
	if (strcmp(svc, "aws-sdk") == 0) {
		/* aws-sdk:SERVICE:Action, request-response or callback */
		colon = strchr(rest, ':');
		dot = strchr(rest, '.');
		if (colon == NULL || colon == rest || colon[1] == '\0' ||
		    colon[1] == '.' || (dot != NULL && dot < colon) ||
		    (dot != NULL && strcmp(dot, ".waitForTaskToken") != 0)) {
			not_recognized(v, fptr, res);
			return;
		}
		suffix = dot != NULL ? dot : "";
		ok = 1;
	} else {
		dot = strchr(rest, '.');
		n = dot != NULL ? (size_t)(dot - rest) : strlen(rest);
		if (n >= sizeof api) {
			not_recognized(v, fptr, res);
			return;
		}
		memcpy(api, rest, n);
		api[n] = '\0';
		if (dot != NULL) {
			suffix = dot;
			if (strcmp(dot, ".sync") == 0)
				pattern = 'S';
			else if (strcmp(dot, ".sync:2") == 0)
				pattern = '2';
			else if (strcmp(dot, ".waitForTaskToken") == 0)
				pattern = 'W';
			else
				pattern = 0;
		}
		for (i = 0; i < NELEM(integrations) && !ok; i++)
			ok = strcmp(integrations[i].service, svc) == 0 &&
			    strcmp(integrations[i].api, api) == 0 &&
			    pattern != 0 && strchr(integrations[i].patterns,
			    pattern) != NULL;
	}
	if (!ok) {
		not_recognized(v, fptr, res);
		return;
	}
	/* [O] the recorded message for callbacks ends with a space */
	if ((v->flags & ASL_VALIDATE_EXPRESS) && starts_with(suffix, ".sync"))
		error(v, fptr, NULL, "Express state machine does not support "
		    "'.sync' service integration");
	else if ((v->flags & ASL_VALIDATE_EXPRESS) &&
	    strcmp(suffix, ".waitForTaskToken") == 0)
		error(v, fptr, NULL, "Express state machine does not support "
		    "'.waitForTaskToken' service integration ");
}

static void
check_resource(struct v *v, jv val, const struct at *fptr)
{
	const char *s, *p, *parts[5];
	char *copy;
	int i, sub;

	if (jv_get_kind(val) == JV_KIND_OBJECT && jv_object_length(jv_copy(val))
	    == 1 && (has(val, "Ref") || has(val, "Fn::GetAtt") ||
	    has(val, "Fn::Sub") || has(val, "Fn::Join") ||
	    has(val, "Fn::ImportValue") || has(val, "Fn::If") ||
	    has(val, "Fn::FindInMap"))) {
		/* a CloudFormation intrinsic, resolved at deployment */
		jv_free(val);
		return;
	}
	if (!want_kind(v, val, fptr, "Resource", JV_KIND_STRING)) {
		jv_free(val);
		return;
	}
	s = jv_string_value(val);
	if ((sub = substitution(s)) == 1) {
		/* DefinitionSubstitutions: "${LambdaArn}" */
		jv_free(val);
		return;
	}
	if (sub == -1 || !starts_with(s, "arn:")) {
		not_recognized(v, fptr, s);
		jv_free(val);
		return;
	}
	copy = strdup(s + 4);
	p = copy;
	for (i = 0; i < 4 && p != NULL; i++) {
		parts[i] = p;
		p = strchr(p, ':');
		if (p != NULL)
			*(char *)p++ = '\0';
	}
	if (p == NULL || !starts_with(parts[0], "aws") || *parts[1] == '\0' ||
	    *p == '\0') {
		not_recognized(v, fptr, s);
		goto out;
	}
	parts[4] = p;
	if (strcmp(parts[1], "states") == 0) {
		if (*parts[2] == '\0' && *parts[3] == '\0')
			check_integration(v, fptr, s, parts[4]);
		else if (starts_with(parts[4], "activity:") &&
		    parts[4][strlen("activity:")] != '\0') {
			if (v->flags & ASL_VALIDATE_EXPRESS)
				error(v, fptr, NULL, "Express state machine "
				    "does not support Activity ARN");
		} else
			not_recognized(v, fptr, s);
	} else if (strcmp(parts[1], "lambda") == 0 &&
	    !lambda_function(parts[4]))
		not_recognized(v, fptr, s);
out:
	free(copy);
	jv_free(val);
}

/* Retry and Catch. */

static void
check_error_equals(struct v *v, jv obj, const struct at *ptr, int *catch_all)
{
	jv list = get(obj, "ErrorEquals");
	const struct at *fptr = AT(ptr, "ErrorEquals");
	const char *s;
	size_t j;
	int n, known;

	*catch_all = 0;
	if (!jv_is_valid(list)) {
		error(v, ptr, NULL, "These fields are required: [ErrorEquals]");
	} else if (want_kind(v, list, fptr, "ErrorEquals", JV_KIND_ARRAY)) {
		n = jv_array_length(jv_copy(list));
		if (n == 0)
			error(v, fptr, NULL, "Value cannot be empty");
		jv_array_foreach(list, i, name) {
			const struct at *ip = AT_INDEX(fptr, i);
			if (jv_get_kind(name) != JV_KIND_STRING)
				error(v, fptr, ip, "The error names in "
				    "ErrorEquals must be strings, not %s",
				    kind_name(jv_get_kind(name)));
			else {
				s = jv_string_value(name);
				if (strcmp(s, "States.ALL") == 0) {
					*catch_all = 1;
					if (n > 1)
						error(v, fptr, ip, "States.ALL "
						    "must be the only error "
						    "name in ErrorEquals");
				}
				for (j = 0, known = 0; j < NELEM(error_names);
				    j++)
					known |= strcmp(s, error_names[j]) == 0;
				if (starts_with(s, "States.") && !known)
					error(v, fptr, ip, "Error names "
					    "beginning with 'States.' are "
					    "reserved: '%s' is not one of them",
					    s);
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
			want_int(v, x, kp, ks, 1, MAX_RETRY, JP);
		else if (strcmp(ks, "MaxDelaySeconds") == 0)
			want_int(v, x, kp, ks, 1, MAX_INT, JP);
		else if (strcmp(ks, "MaxAttempts") == 0)
			want_int(v, x, kp, ks, 0, MAX_RETRY, JP);
		else if (strcmp(ks, "BackoffRate") == 0) {
			if (want_kind(v, x, kp, ks, JV_KIND_NUMBER) &&
			    jv_number_value(x) < 1.0)
				error(v, kp, NULL, "Minimum value is 1.0");
		} else if (strcmp(ks, "JitterStrategy") == 0)
			want_enum(v, x, kp, ks, jitter);
		else if (strcmp(ks, "Comment") == 0)
			want_kind(v, x, kp, ks, JV_KIND_STRING);
		else
			error(v, rp, kp, "Field '%s' is not supported", ks);
		jv_free(k);
		jv_free(x);
	}
}

static void
check_retry(struct v *v, jv list, const struct at *fptr)
{
	int n, all;

	if (!want_kind(v, list, fptr, "Retry", JV_KIND_ARRAY)) {
		jv_free(list);
		return;
	}
	n = jv_array_length(jv_copy(list));
	jv_array_foreach(list, i, r) {
		const struct at *rp = AT_INDEX(fptr, i);
		if (want_kind(v, r, rp, "Retry", JV_KIND_OBJECT)) {
			check_error_equals(v, r, rp, &all);
			if (all && i != n - 1)
				error(v, rp, AT(rp, "ErrorEquals"), "A retrier "
				    "with States.ALL must be the last one");
			check_retrier(v, r, rp);
		}
		jv_free(r);
	}
	jv_free(list);
}

/*
 * A transition to target (borrowed) at kp: the current state's Next or
 * Default, or the Next of one of its Catch or Choices.  What is kept is
 * where it is, not its pointer, which is made only if the target is
 * missing.
 */
static void
add_edge(struct scope *sc, jv target, const struct at *kp)
{
	struct edge *e;

	if (jv_get_kind(target) != JV_KIND_STRING)
		return;
	if (sc->nedges == sc->capedges)
		sc->edges = grow(sc->edges, &sc->capedges, 16, sizeof *e);
	e = &sc->edges[sc->nedges++];
	e->from = sc->current;
	e->to = -1;
	e->target = jv_string_value(target);
	e->len = length_of(target);
	if (kp->up->up != NULL && kp->up->key == NULL) {
		/* Catch/0/Next, Choices/0/Next */
		e->field = kp->up->up->key;
		e->index = kp->up->index;
	} else {
		e->field = kp->key;
		e->index = -1;
	}
}

static void
check_catch(struct v *v, struct scope *sc, jv list,
    const struct at *fptr, int lang)
{
	int n, all;

	if (!want_kind(v, list, fptr, "Catch", JV_KIND_ARRAY)) {
		jv_free(list);
		return;
	}
	n = jv_array_length(jv_copy(list));
	jv_array_foreach(list, i, c) {
		const struct at *cp = AT_INDEX(fptr, i);
		if (want_kind(v, c, cp, "Catch", JV_KIND_OBJECT)) {
			check_error_equals(v, c, cp, &all);
			if (all && i != n - 1)
				error(v, cp, AT(cp, "ErrorEquals"), "A catcher "
				    "with States.ALL must be the last one");
			if (!has(c, "Next"))
				error(v, cp, NULL, "These fields are required: "
				    "[Next]");
			jv_object_foreach(c, k, x) {
				const char *ks = jv_string_value(k);
				const struct at *kp = AT(cp, ks);
				if (strcmp(ks, "ErrorEquals") == 0)
					;
				else if (strcmp(ks, "Next") == 0) {
					if (want_kind(v, x, kp, ks,
					    JV_KIND_STRING))
						add_edge(sc, x, kp);
				} else if (strcmp(ks, "Comment") == 0)
					want_kind(v, x, kp, ks, JV_KIND_STRING);
				else if (strcmp(ks, "ResultPath") == 0 &&
				    lang == JP)
					check_path(v, x, kp, ks,
					    ASL_PATH_REFERENCE |
					    ASL_PATH_NO_CONTEXT |
					    ASL_PATH_NO_VARIABLE, 1);
				else if (strcmp(ks, "Assign") == 0)
					check_assign(v, jv_copy(x), kp, lang);
				else if (strcmp(ks, "Output") == 0 &&
				    lang == JA)
					check_output(v, jv_copy(x), kp);
				else if (strcmp(ks, "ResultPath") == 0 ||
				    strcmp(ks, "Output") == 0)
					wrong_language(v, cp, kp, lang, ks);
				else
					error(v, cp, kp, "Field '%s' is not "
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

static void check_rule(struct v *, struct scope *, jv,
    const struct at *, int, int);

static void
check_rule_list(struct v *v, struct scope *sc, jv list,
    const struct at *fptr, const char *field, int lang)
{
	if (!want_kind(v, list, fptr, field, JV_KIND_ARRAY)) {
		jv_free(list);
		return;
	}
	if (jv_array_length(jv_copy(list)) == 0)
		error(v, fptr, NULL, "Value cannot be empty");
	jv_array_foreach(list, i, r) {
		const struct at *rp = AT_INDEX(fptr, i);
		check_rule(v, sc, r, rp, 0, lang);
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
		check_path(v, x, kp, ks, 0, 0);
		break;
	case O_STRING:
		if (want_kind(v, x, kp, ks, JV_KIND_STRING) &&
		    looks_like_path(jv_string_value(x)))
			warning(v, "NO_PATH", kp, NULL, "The value of the "
			    "field '%s' looks like a path, but the field's "
			    "name does not end with 'Path'", ks);
		break;
	case O_NUMBER:
		want_kind(v, x, kp, ks, JV_KIND_NUMBER);
		break;
	case O_BOOL:
		want_kind(v, x, kp, ks, JV_KIND_TRUE);
		break;
	case O_TIMESTAMP:
		if (!want_kind(v, x, kp, ks, JV_KIND_STRING))
			break;
		if (looks_like_path(jv_string_value(x)))
			warning(v, "NO_PATH", kp, NULL, "The value of the "
			    "field '%s' looks like a path, but the field's "
			    "name does not end with 'Path'", ks);
		else if (asl_time_parse(jv_string_value(x), &t) == -1)
			error(v, kp, NULL, "String does not match RFC3339 "
			    "timestamp");
		break;
	}
}

/*
 * One rule of Choices (top) or of And, Or, Not.  JSONPath: Variable with
 * one comparator, or one of And, Or, Not.  JSONata: Condition.
 */
static void
check_rule(struct v *v, struct scope *sc, jv r, const struct at *rp,
    int top, int lang)
{
	const struct comparator *c;
	const char *ks;
	int ncomp = 0, nsel = 0, next = 0, condition = 0, variable = 0;

	if (!want_kind(v, r, rp, "Choices", JV_KIND_OBJECT)) {
		jv_free(r);
		return;
	}
	jv_object_foreach(r, k, x) {
		const struct at *kp = AT(rp, jv_string_value(k));
		ks = jv_string_value(k);
		/* which of the fields the rule has, looked up once */
		if (strcmp(ks, "Next") == 0)
			next |= whole(k);
		else if (strcmp(ks, "Condition") == 0)
			condition |= whole(k);
		else if (strcmp(ks, "Variable") == 0)
			variable |= whole(k);
		if (strcmp(ks, "Next") == 0 && top) {
			if (want_kind(v, x, kp, ks, JV_KIND_STRING))
				add_edge(sc, x, kp);
		} else if (strcmp(ks, "Comment") == 0)
			want_kind(v, x, kp, ks, JV_KIND_STRING);
		else if (strcmp(ks, "Assign") == 0 && top)
			check_assign(v, jv_copy(x), kp, lang);
		else if (strcmp(ks, "Output") == 0 && top && lang == JA)
			check_output(v, jv_copy(x), kp);
		else if (strcmp(ks, "Condition") == 0 && lang == JA) {
			nsel++;
			if (jv_get_kind(x) != JV_KIND_TRUE &&
			    jv_get_kind(x) != JV_KIND_FALSE && !is_jsonata(x))
				error(v, kp, NULL, "The field 'Condition' must "
				    "be a boolean or a JSONata expression");
			check_jsonata_value(v, jv_copy(x), kp);
		} else if (lang == JP && (strcmp(ks, "And") == 0 ||
		    strcmp(ks, "Or") == 0)) {
			nsel++;
			check_rule_list(v, sc, jv_copy(x), kp, ks, lang);
		} else if (lang == JP && strcmp(ks, "Not") == 0) {
			nsel++;
			check_rule(v, sc, jv_copy(x), kp, 0, lang);
		} else if (lang == JP && strcmp(ks, "Variable") == 0) {
			nsel++;
			check_path(v, x, kp, ks, 0, 0);
		} else if (lang == JP && (c = comparator(ks)) != NULL) {
			if (++ncomp == 1)
				check_comparison(v, c, x, kp);
		} else if ((strcmp(ks, "Output") == 0 && top) ||
		    strcmp(ks, "Condition") == 0 || strcmp(ks, "And") == 0 ||
		    strcmp(ks, "Or") == 0 || strcmp(ks, "Not") == 0 ||
		    strcmp(ks, "Variable") == 0 || comparator(ks) != NULL)
			wrong_language(v, rp, kp, lang, ks);
		else
			error(v, rp, kp, "Field '%s' is not supported", ks);
		jv_free(k);
		jv_free(x);
	}
	if (top && !next)
		error(v, rp, NULL, "These fields are required: [Next]");
	if (lang == JA) {
		if (!condition)
			error(v, rp, NULL, "These fields are required: "
			    "[Condition]");
	} else if (nsel != 1)
		error(v, rp, NULL, "The object must have only one of the "
		    "following fields, [And, Or, Not, Variable]");
	else if (variable && ncomp != 1)
		error(v, rp, NULL, ncomp == 0 ? "A rule with Variable must "
		    "have a comparison operator such as StringEquals" :
		    "There should only be one comparison operator in a rule");
	else if (!variable && ncomp > 0)
		error(v, rp, NULL, "A comparison operator needs a Variable");
	jv_free(r);
}

/* Map fields. */

static void check_machine(struct v *, jv, const struct at *, const char *);

static void
check_processor(struct v *v, jv val, const struct at *fptr, const char *field,
    int *distributed)
{
	const struct at *cp;
	jv cfg, mode, et;

	*distributed = 0;
	if (!want_kind(v, val, fptr, field, JV_KIND_OBJECT)) {
		jv_free(val);
		return;
	}
	cfg = get(val, "ProcessorConfig");
	cp = AT(fptr, "ProcessorConfig");
	if (jv_is_valid(cfg) && want_kind(v, cfg, cp, "ProcessorConfig",
	    JV_KIND_OBJECT)) {
		jv_object_foreach(cfg, k, x) {
			const char *ks = jv_string_value(k);
			const struct at *kp = AT(cp, ks);
			if (strcmp(ks, "Mode") == 0) {
				if (want_kind(v, x, kp, ks, JV_KIND_STRING) &&
				    strcmp(jv_string_value(x), "INLINE") != 0 &&
				    strcmp(jv_string_value(x),
				    "DISTRIBUTED") != 0)
					error(v, kp, NULL, "Value must be one "
					    "of [INLINE, DISTRIBUTED]");
			} else if (strcmp(ks, "ExecutionType") == 0) {
				if (want_kind(v, x, kp, ks, JV_KIND_STRING) &&
				    strcmp(jv_string_value(x),
				    "STANDARD") != 0 &&
				    strcmp(jv_string_value(x), "EXPRESS") != 0)
					error(v, kp, NULL, "Value must be one "
					    "of [STANDARD, EXPRESS]");
			} else
				error(v, cp, kp, "Field '%s' is not supported",
				    ks);
			jv_free(k);
			jv_free(x);
		}
		mode = get(cfg, "Mode");
		et = get(cfg, "ExecutionType");
		*distributed = jv_get_kind(mode) == JV_KIND_STRING &&
		    strcmp(jv_string_value(mode), "DISTRIBUTED") == 0;
		if (*distributed && !jv_is_valid(et))
			error(v, cp, NULL, "These fields are required: "
			    "[ExecutionType]");
		else if (!*distributed && jv_is_valid(et))
			error(v, cp, AT(cp, "ExecutionType"), "Field "
			    "'ExecutionType' is only supported in DISTRIBUTED "
			    "mode");
		jv_free(mode);
		jv_free(et);
	}
	jv_free(cfg);
	v->distributed += *distributed;
	check_machine(v, val, fptr, field);
	v->distributed -= *distributed;
}

static void
check_label(struct v *v, jv val, const struct at *fptr)
{
	const unsigned char *s;
	const char *bad = "<>{}[]?*\"#%\\^|~`$&,;:/";
	unsigned cp;

	if (!want_kind(v, val, fptr, "Label", JV_KIND_STRING))
		return;
	s = (const unsigned char *)jv_string_value(val);
	if (*s == '\0') {
		report(v, "ERROR", "INVALID_LABEL_NAME", pointer(fptr),
		    jv_null(), ASL_LIT("Label cannot be empty"), jv_null());
		return;
	}
	if (asl_utf8_count((const char *)s, strlen((const char *)s)) > MAX_LABEL) {
		report(v, "ERROR", "INVALID_LABEL_NAME", pointer(fptr),
		    jv_null(), jv_string_fmt("Label cannot exceed %d "
		    "characters", MAX_LABEL), jv_null());
		return;
	}
	/* The rules of execution names: no blanks, no controls, no "bad". */
	for (; *s != '\0'; s++) {
		cp = *s;
		if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
			cp = *++s;	/* U+0080..U+009F */
		else if (*s >= 0x80)
			continue;	/* other non-ASCII characters */
		if (cp <= 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    strchr(bad, (int)cp) != NULL) {
			report(v, "ERROR", "INVALID_LABEL_NAME", pointer(fptr),
			    jv_null(), cp >= 0x20 && cp < 0x7f ?
			    jv_string_fmt("Label contains invalid character: "
			    "'%c'", (int)cp) : jv_string_fmt("Label contains "
			    "invalid character: U+%04X", cp), jv_null());
			return;
		}
	}
	if (jv_get_kind(v->labels) == JV_KIND_NULL)
		v->labels = jv_object();
	else if (has_jv(v->labels, val))
		report(v, "ERROR", "DUPLICATE_LABEL_NAME", pointer(fptr),
		    jv_null(), jv_string_fmt("Duplicate Label name: %s",
		    jv_string_value(val)), jv_null());
	v->labels = jv_object_set(v->labels, jv_copy(val), jv_true());
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
			want_int(v, y, np, n, 0, MAX_ITEMS, lang);
		else if (strcmp(n, "MaxItemsPath") == 0 && lang == JP)
			check_path(v, y, np, n, ASL_PATH_REFERENCE |
			    ASL_PATH_NO_CONTEXT, 0);
		else if (strcmp(n, "MaxItemsPath") == 0)
			wrong_language(v, cp, np, lang, n);
		else if (strcmp(n, "InputType") == 0)
			want_enum(v, y, np, n, input_types);
		else if (strcmp(n, "CSVHeaderLocation") == 0)
			want_enum(v, y, np, n, header_locations);
		else if (strcmp(n, "CSVHeaders") == 0)
			want_kind(v, y, np, n, JV_KIND_ARRAY);
		jv_free(k);
		jv_free(y);
	}
}

/* ItemReader, ItemBatcher, ResultWriter: their fields by name. */
static void
check_map_object(struct v *v, jv val, const struct at *fptr, const char *field,
    int lang)
{
	if (!want_kind(v, val, fptr, field, JV_KIND_OBJECT))
		return;
	jv_object_foreach(val, k, x) {
		const char *ks = jv_string_value(k);
		const struct at *kp = AT(fptr, ks);
		int jponly = 0, jaonly = 0, ok = 1;

		if (strcmp(ks, "Resource") == 0 && strcmp(field,
		    "ItemBatcher")) {
			if (want_kind(v, x, kp, ks, JV_KIND_STRING) &&
			    !starts_with(jv_string_value(x), "arn:") &&
			    substitution(jv_string_value(x)) != 1)
				not_recognized(v, kp, jv_string_value(x));
		} else if (strcmp(ks, "Parameters") == 0 &&
		    strcmp(field, "ItemBatcher")) {
			if ((jponly = lang == JP))
				check_template(v, x, kp, ks, 1);
		} else if (strcmp(ks, "Arguments") == 0 &&
		    strcmp(field, "ItemBatcher")) {
			if ((jaonly = lang == JA))
				check_arguments(v, jv_copy(x), kp, ks);
		} else if (strcmp(ks, "ReaderConfig") == 0 &&
		    strcmp(field, "ItemReader") == 0) {
			if (want_kind(v, x, kp, ks, JV_KIND_OBJECT))
				check_reader_config(v, x, kp, lang);
		} else if (strcmp(ks, "WriterConfig") == 0 &&
		    strcmp(field, "ResultWriter") == 0)
			want_kind(v, x, kp, ks, JV_KIND_OBJECT);
		else if (strcmp(field, "ItemBatcher") == 0 &&
		    (strcmp(ks, "MaxItemsPerBatch") == 0 ||
		    strcmp(ks, "MaxInputBytesPerBatch") == 0))
			want_int(v, x, kp, ks, 0, strcmp(ks,
			    "MaxItemsPerBatch") ? ASL_PAYLOAD_LIMIT : MAX_ITEMS,
			    lang);
		else if (strcmp(field, "ItemBatcher") == 0 &&
		    (strcmp(ks, "MaxItemsPerBatchPath") == 0 ||
		    strcmp(ks, "MaxInputBytesPerBatchPath") == 0)) {
			if ((jponly = lang == JP))
				check_path(v, x, kp, ks, ASL_PATH_REFERENCE |
				    ASL_PATH_NO_CONTEXT, 0);
		} else if (strcmp(field, "ItemBatcher") == 0 &&
		    strcmp(ks, "BatchInput") == 0) {
			if (lang == JP)
				check_template(v, x, kp, ks, 1);
			else
				check_output(v, jv_copy(x), kp);
		} else
			ok = 0;
		if (!ok)
			error(v, fptr, kp, "Field '%s' is not supported", ks);
		else if ((strcmp(ks, "Parameters") == 0 ||
		    strstr(ks, "BatchPath") != NULL) && !jponly)
			wrong_language(v, fptr, kp, lang, ks);
		else if (strcmp(ks, "Arguments") == 0 && !jaonly)
			wrong_language(v, fptr, kp, lang, ks);
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
	} else if (strcmp(field, "ItemReader") == 0 && !has(val, "Resource"))
		error(v, fptr, NULL, "These fields are required: [Resource]");
	else if (strcmp(field, "ResultWriter") == 0 && !has(val, "Resource") &&
	    !has(val, "WriterConfig"))
		error(v, fptr, NULL, "These fields are required: [Resource]");
}

/* Whether a value has an object key ending in ".$" anywhere.  Borrows. */
static int
has_dollar_key(jv x)
{
	int found = 0;

	if (jv_get_kind(x) == JV_KIND_OBJECT) {
		jv_object_foreach(x, k, y) {
			if (!found)
				found = ends_with(jv_string_value(k), ".$") ||
				    has_dollar_key(y);
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
		if ((p->f = field_of(p->name)) >= 0 && whole(k))
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
	error(v, ptr, AT(ptr, second), "There should only be one of the "
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
		want_kind(v, x, kp, ks, JV_KIND_STRING);
		break;
	case F_DEFAULT:
	case F_NEXT:
		if (want_kind(v, x, kp, ks, JV_KIND_STRING))
			add_edge(sc, x, kp);
		break;
	case F_QUERY_LANGUAGE:
		if (want_kind(v, x, kp, ks, JV_KIND_STRING) &&
		    strcmp(jv_string_value(x), "JSONPath") != 0 &&
		    strcmp(jv_string_value(x), "JSONata") != 0)
			error(v, kp, NULL, "Value must be one of [JSONPath, "
			    "JSONata]");
		break;
	case F_END:
		if (want_kind(v, x, kp, ks, JV_KIND_TRUE) &&
		    jv_get_kind(x) == JV_KIND_TRUE)
			sc->has_terminal = 1;
		break;
	case F_INPUT_PATH:
	case F_OUTPUT_PATH:
		check_path(v, x, kp, ks, 0, 1);
		break;
	case F_RESULT_PATH:
		check_path(v, x, kp, ks, ASL_PATH_REFERENCE |
		    ASL_PATH_NO_CONTEXT | ASL_PATH_NO_VARIABLE, 1);
		break;
	case F_PARAMETERS:
		check_template(v, x, kp, ks, 0);
		break;
	case F_ITEM_SELECTOR:
		if (lang == JP)
			check_template(v, x, kp, ks, 0);
		else
			check_output(v, jv_copy(x), kp);
		break;
	case F_RESULT_SELECTOR:
		check_template(v, x, kp, ks, 1);
		break;
	case F_CREDENTIALS:
		if (want_kind(v, x, kp, ks, JV_KIND_OBJECT)) {
			if (!has(x, "RoleArn") && !(lang == JP &&
			    has(x, "RoleArn.$")))
				error(v, kp, NULL, "The field 'RoleArn' is "
				    "required but was missing");
			if (lang == JP)
				check_template(v, x, kp, ks, 1);
			else
				check_jsonata_value(v, jv_copy(x), kp);
		}
		break;
	case F_RETRY:
		check_retry(v, jv_copy(x), kp);
		break;
	case F_CATCH:
		check_catch(v, sc, jv_copy(x), kp, lang);
		break;
	case F_ASSIGN:
		check_assign(v, jv_copy(x), kp, lang);
		break;
	case F_OUTPUT:
		check_output(v, jv_copy(x), kp);
		break;
	case F_ARGUMENTS:
		check_arguments(v, jv_copy(x), kp, ks);
		break;
	case F_RESOURCE:
		if (lang == JA && is_jsonata(x))
			error(v, kp, NULL, "The field 'Resource' must be a "
			    "literal, not a JSONata expression");
		else
			check_resource(v, jv_copy(x), kp);
		break;
	case F_TIMEOUT_SECONDS:
		want_int(v, x, kp, ks, 1, MAX_INT, lang);
		break;
	case F_HEARTBEAT_SECONDS:
		if (want_int(v, x, kp, ks, 1, MAX_INT, lang) && is_int(x)) {
			tv = field_value(ms, F_TIMEOUT_SECONDS);
			hb = jv_number_value(x);
			to = is_int(tv) ? jv_number_value(tv) : 0;
			if (is_int(tv) && hb >= to)
				error(v, kp, NULL, "HeartbeatSeconds (%.17g) "
				    "must be smaller than TimeoutSeconds "
				    "(%.17g)", hb, to);
		}
		break;
	case F_TIMEOUT_SECONDS_PATH:
	case F_HEARTBEAT_SECONDS_PATH:
	case F_SECONDS_PATH:
	case F_TIMESTAMP_PATH:
	case F_ITEMS_PATH:
		check_path(v, x, kp, ks, ASL_PATH_REFERENCE, 0);
		break;
	case F_MAX_CONCURRENCY_PATH:
	case F_TOLERATED_COUNT_PATH:
	case F_TOLERATED_PERCENTAGE_PATH:
		check_path(v, x, kp, ks, ASL_PATH_REFERENCE |
		    ASL_PATH_NO_CONTEXT, 0);
		break;
	case F_RESULT:
		if (has_dollar_key(x))
			warning(v, "PASS_RESULT_IS_STATIC", kp, NULL, "The "
			    "Result field of a Pass state is static: its keys "
			    "ending in '.$' are not evaluated");
		break;
	case F_SECONDS:
		want_int(v, x, kp, ks, 0, MAX_INT, lang);
		break;
	case F_TIMESTAMP:
		if (lang == JA && is_jsonata(x))
			;
		else if (!want_kind(v, x, kp, ks, JV_KIND_STRING))
			;
		else if (asl_time_parse(jv_string_value(x), &t) == -1)
			error(v, kp, NULL, "String does not match RFC3339 "
			    "timestamp");
		break;
	case F_CHOICES:
		if (want_kind(v, x, kp, ks, JV_KIND_ARRAY)) {
			if (jv_array_length(jv_copy(x)) == 0)
				error(v, kp, NULL, "Value cannot be empty");
			jv_array_foreach(x, i, r) {
				const struct at *rp = AT_INDEX(kp, i);
				check_rule(v, sc, r, rp, 1, lang);
			}
		}
		break;
	case F_ERROR:
	case F_CAUSE:
		if (want_kind(v, x, kp, ks, JV_KIND_STRING)) {
			if (lang == JA)
				check_jsonata_value(v, jv_copy(x), kp);
			else if (looks_like_path(jv_string_value(x)))
				warning(v, "NO_PATH", kp, NULL, "The value of "
				    "the field '%s' looks like a path, but the "
				    "field's name does not end with 'Path'",
				    ks);
		}
		break;
	case F_ERROR_PATH:
	case F_CAUSE_PATH:
		if (!want_kind(v, x, kp, ks, JV_KIND_STRING))
			;
		else if ((e = asl_expr_compile(jv_string_value(x),
		    ASL_PATH_REFERENCE, &err)) == NULL)
			report(v, "ERROR", SCHEMA, pointer(kp), jv_null(),
			    jv_string_fmt("The value for the field '%s' must "
			    "be a valid Reference Path or a valid intrinsic "
			    "function call", ks), err);
		else {
			if (asl_expr_kind(e) == ASL_EXPR_INTRINSIC &&
			    !one_of(asl_intrinsic_name(asl_expr_intrinsic(e)),
			    fail_intrinsics, NELEM(fail_intrinsics)))
				error(v, kp, NULL, "The intrinsic function %s "
				    "cannot be used in %s",
				    asl_intrinsic_name(asl_expr_intrinsic(e)),
				    ks);
			asl_expr_free(e);
		}
		break;
	case F_BRANCHES:
		if (want_kind(v, x, kp, ks, JV_KIND_ARRAY)) {
			if (jv_array_length(jv_copy(x)) == 0)
				error(v, kp, NULL, "Value cannot be empty");
			jv_array_foreach(x, i, b) {
				const struct at *bp = AT_INDEX(kp, i);
				if (want_kind(v, b, bp, "Branches",
				    JV_KIND_OBJECT))
					check_machine(v, jv_copy(b), bp,
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
		    jv_get_kind(x) != JV_KIND_OBJECT && !is_jsonata(x))
			error(v, kp, NULL, "The field 'Items' must be an array "
			    "or a JSONata expression");
		check_jsonata_value(v, jv_copy(x), kp);
		break;
	case F_ITEM_READER:
	case F_ITEM_BATCHER:
	case F_RESULT_WRITER:
		check_map_object(v, x, kp, ks, lang);
		break;
	case F_MAX_CONCURRENCY:
	case F_TOLERATED_COUNT:
		want_int(v, x, kp, ks, 0, 2147483647.0, lang);
		break;
	case F_TOLERATED_PERCENTAGE:
		if (lang == JA && is_jsonata(x))
			;
		else if (!want_kind(v, x, kp, ks, JV_KIND_NUMBER))
			;
		else if (jv_number_value(x) < 0)
			error(v, kp, NULL, "Minimum value is 0.0");
		else if (jv_number_value(x) > 100)
			error(v, kp, NULL, "Maximum value is 100.0");
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
static void
check_state(struct v *v, struct scope *sc, const char *name, jv state,
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
		    JV_KIND_OBJECT ? v->state_ptrs : jv_object(), pointer(ptr),
		    jv_true());
	if (jv_get_kind(state) != JV_KIND_OBJECT) {
		error(v, ptr, NULL, "The state '%s' must be an object, not %s",
		    name, kind_name(jv_get_kind(state)));
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
		error(v, ptr, NULL, "These fields are required: [Type]");
	else if (type == 0)
		error(v, AT(ptr, "Type"), NULL, "Value must be one of [Task, "
		    "Pass, Choice, Wait, Succeed, Fail, Parallel, Map]");
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
				error(v, ptr, AT(ptr, "QueryLanguage"),
				    "'QueryLanguage' can not be 'JSONPath' if "
				    "set to 'JSONata' for whole state machine");
		}
	}

	for (m = ms.m; m < ms.m + ms.n; m++) {
		const char *ks = m->name;
		const struct at *kp = AT(ptr, ks);

		if (m->f < 0 || !(fields[m->f].types & type))
			error(v, ptr, kp, "Field '%s' is not supported", ks);
		else if (!(fields[m->f].langs & lang))
			wrong_language(v, ptr, kp, lang, ks);
		else
			check_field(v, sc, &ms, lang, m->f, ks, m->val, kp);
	}

	end = field_value(&ms, F_END);
	if (type & FLOW) {
		if (has_field(&ms, F_NEXT) && has_field(&ms, F_END))
			error(v, ptr, AT(ptr, "End"), "There should only be "
			    "one of the following fields: [Next, End]");
		else if (has_field(&ms, F_END) && jv_get_kind(end) !=
		    JV_KIND_TRUE && jv_get_kind(end) != JV_KIND_FALSE)
			sc->unknown = 1;	/* reported as a type error */
		else if (!has_field(&ms, F_NEXT) &&
		    jv_get_kind(end) != JV_KIND_TRUE &&
		    !(v->flags & ASL_VALIDATE_STATE))
			error(v, ptr, NULL, "One of the following fields is "
			    "required: [Next, End]");
	}
	switch (type) {
	case TASK:
		if (!has_field(&ms, F_RESOURCE))
			error(v, ptr, NULL, "These fields are required: "
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
			error(v, ptr, NULL, "One of the following fields is "
			    "required: [SecondsPath, Seconds, TimestampPath, "
			    "Timestamp]");
		break;
	case CHOICE:
		if (!has_field(&ms, F_CHOICES))
			error(v, ptr, NULL, "These fields are required: "
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
			error(v, ptr, NULL, "These fields are required: "
			    "[Branches]");
		break;
	case MAP:
		if (!has_field(&ms, F_ITEM_PROCESSOR) &&
		    !has_field(&ms, F_ITERATOR))
			error(v, ptr, NULL, "These fields are required: "
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

/* The pointer of an edge of sc, whose States are at sptr. */
static jv
edge_pointer(const struct scope *sc, const struct edge *e,
    const struct at *sptr)
{
	const struct at *f = AT(AT(sptr, sc->names.v[e->from].s), e->field);

	if (e->index < 0)
		return pointer(f);
	return pointer(AT(AT_INDEX(f, e->index), "Next"));
}

/*
 * Whose transitions those of state from are, for reachability: a state's
 * are found by its name as far as its first NUL, as they always were.  A
 * name with a NUL in it has none, and its own go to the state named by
 * what comes before the NUL, if there is one (-1 if not).
 */
static int
transitions_of(const struct scope *sc, int from)
{
	const struct name *nm = &sc->names.v[from];
	int len = (int)strlen(nm->s);

	return len == nm->len ? from : names_find(&sc->names, nm->s, len);
}

/* Which states of sc StartAt (index start) reaches, into seen. */
static void
reachable(const struct scope *sc, int start, char *seen)
{
	const struct edge *e;
	int *first, *succ, *queue, n = sc->names.n, head, tail, i, g, k;

	if ((first = calloc((size_t)n + 1, sizeof *first)) == NULL ||
	    (succ = malloc(((size_t)sc->nedges + 1) * sizeof *succ)) == NULL ||
	    (queue = malloc((size_t)n * sizeof *queue)) == NULL)
		abort();
	/* the edges by the state they leave, as the rows of a matrix */
	for (e = sc->edges; e < sc->edges + sc->nedges; e++)
		if (e->to >= 0 && (g = transitions_of(sc, e->from)) >= 0)
			first[g + 1]++;
	for (i = 0; i < n; i++)
		first[i + 1] += first[i];
	for (e = sc->edges; e < sc->edges + sc->nedges; e++)
		if (e->to >= 0 && (g = transitions_of(sc, e->from)) >= 0)
			succ[first[g]++] = e->to;
	for (i = n; i > 0; i--)
		first[i] = first[i - 1];
	first[0] = 0;
	head = tail = 0;
	seen[start] = 1;
	queue[tail++] = start;
	while (head < tail) {
		i = queue[head++];
		for (k = first[i]; k < first[i + 1]; k++)
			if (!seen[succ[k]]) {
				seen[succ[k]] = 1;
				queue[tail++] = succ[k];
			}
	}
	free(first);
	free(succ);
	free(queue);
}

/* The graph of one scope: targets, a terminal state, reachability. */
static void
check_graph(struct v *v, struct scope *sc, jv m, const struct at *ptr,
    int top)
{
	const struct at *sptr = AT(ptr, "States");
	jv start = get(m, "StartAt");
	struct edge *e;
	char *seen;
	int i, first = -1;

	if (jv_get_kind(sc->states) != JV_KIND_OBJECT) {
		jv_free(start);
		return;
	}
	if (jv_get_kind(start) == JV_KIND_STRING && (first =
	    names_find(&sc->names, jv_string_value(start), length_of(start))) <
	    0)
		report(v, "ERROR", TARGET, pointer(AT(ptr, "StartAt")),
		    jv_null(), jv_string_fmt("Missing 'Next' target: %s",
		    jv_string_value(start)), jv_null());
	for (i = 0; i < sc->nedges; i++) {
		e = &sc->edges[i];
		if ((e->to = names_find(&sc->names, e->target, e->len)) < 0)
			report(v, "ERROR", TARGET, edge_pointer(sc, e, sptr),
			    jv_null(), jv_string_fmt("Missing 'Next' target: "
			    "%s", e->target), jv_null());
	}
	/* [O] without a StartAt AWS reports the missing field alone. */
	if (sc->names.n == 0 || jv_get_kind(start) != JV_KIND_STRING) {
		jv_free(start);
		return;
	}
	jv_free(start);
	/*
	 * A state of unknown type or with a bad End would make what follows
	 * a cascade of consequences of one mistake already reported.
	 */
	if (sc->unknown)
		return;
	if (!sc->has_terminal) {
		/* [O] AWS gives no location for the machine's own. */
		report(v, "ERROR", "MISSING_END_STATE", top ? jv_null() :
		    pointer(ptr), top ? pointer(sptr) : jv_null(),
		    ASL_LIT("Workflow has no terminal state"), jv_null());
		return;
	}
	if ((seen = calloc((size_t)sc->names.n, 1)) == NULL)
		abort();
	if (first >= 0)
		reachable(sc, first, seen);
	for (i = 0; i < sc->names.n; i++)
		if (!seen[i])
			report(v, "ERROR", TARGET, pointer(AT(sptr,
			    sc->names.v[i].s)), jv_null(),
			    jv_string_fmt("State \"%s\" is not reachable.",
			    sc->names.v[i].s), jv_null());
	free(seen);
}

/*
 * A machine: the definition (field NULL), a Parallel branch or a Map's
 * ItemProcessor or Iterator.  Consumes m; borrows ptr.
 */
static void
check_machine(struct v *v, jv m, const struct at *ptr, const char *field)
{
	struct scope sc;
	const struct at *sptr;
	jv states;
	int top = field == NULL;

	if (!has(m, "States") || !has(m, "StartAt"))
		error(v, ptr, NULL, "These fields are required: [%s]",
		    !has(m, "States") && !has(m, "StartAt") ? "States, StartAt" :
		    has(m, "States") ? "StartAt" : "States");
	jv_object_foreach(m, k, x) {
		const char *ks = jv_string_value(k);
		const struct at *kp = AT(ptr, ks);
		if (strcmp(ks, "StartAt") == 0 || strcmp(ks, "Comment") == 0 ||
		    (top && strcmp(ks, "Version") == 0))
			want_kind(v, x, kp, ks, JV_KIND_STRING);
		else if (strcmp(ks, "States") == 0)
			want_kind(v, x, kp, ks, JV_KIND_OBJECT);
		else if (top && strcmp(ks, "TimeoutSeconds") == 0)
			want_int(v, x, kp, ks, 1, MAX_INT, JP);
		else if (top && strcmp(ks, "QueryLanguage") == 0) {
			if (want_kind(v, x, kp, ks, JV_KIND_STRING) &&
			    strcmp(jv_string_value(x), "JSONPath") != 0 &&
			    strcmp(jv_string_value(x), "JSONata") != 0)
				error(v, kp, NULL, "Value must be one of "
				    "[JSONPath, JSONata]");
		} else if (field != NULL && strcmp(ks,
		    "ProcessorConfig") == 0 && strcmp(field, "Branches") != 0)
			;	/* checked by check_processor */
		else
			error(v, ptr, kp, "Field '%s' is not supported", ks);
		jv_free(k);
		jv_free(x);
	}

	states = get(m, "States");
	memset(&sc, 0, sizeof sc);
	sc.states = jv_get_kind(states) == JV_KIND_OBJECT ? states :
	    (jv_free(states), jv_null());
	sptr = AT(ptr, "States");
	if (jv_get_kind(sc.states) == JV_KIND_OBJECT) {
		jv_object_foreach(sc.states, k, x) {
			const char *name = jv_string_value(k);
			const struct at *np = AT(sptr, name);
			int len = length_of(k);

			if (*name == '\0' || asl_utf8_count(name, strlen(name)) > MAX_NAME)
				report(v, "ERROR", "INVALID_STATE_NAME",
				    pointer(np), jv_null(),
				    jv_string_fmt("State name '%s' must be 1 "
				    "to %d characters long", name, MAX_NAME),
				    jv_null());
			if (names_find(&v->names, name, len) >= 0)
				report(v, "ERROR", "DUPLICATE_STATE_NAME",
				    pointer(np), jv_null(),
				    jv_string_fmt("Duplicate State name: %s",
				    name), jv_null());
			else
				names_add(&v->names, name, len);
			sc.current = names_add(&sc.names, name, len);
			check_state(v, &sc, name, x, np);
			jv_free(k);
			jv_free(x);
		}
	}
	if (!(v->flags & ASL_VALIDATE_STATE))
		check_graph(v, &sc, m, ptr, top);
	jv_free(sc.states);
	names_free(&sc.names);
	free(sc.edges);
	jv_free(m);
}

jv
asl_validate(jv def, jv where, jv problems, int flags)
{
	struct v v;
	struct scope sc;
	const struct at root = { NULL, NULL, 0 };
	jv ql, out, ptr, name;
	const char *s, *slash;

	memset(&v, 0, sizeof v);
	v.root = def;
	v.where = where;
	v.diags = jv_array();
	v.warnings = jv_array();
	v.flags = flags;
	v.labels = jv_null();		/* made when first needed */
	v.state_ptrs = jv_null();
	v.want_state_ptrs = jv_get_kind(problems) == JV_KIND_ARRAY &&
	    jv_array_length(jv_copy(problems)) > 0;
	v.top_lang = JP;

	if (jv_get_kind(def) != JV_KIND_OBJECT)
		report(&v, "ERROR", SCHEMA, jv_null(), jv_null(),
		    ASL_LIT("Definition must be a valid JSON object"),
		    jv_null());
	else if (flags & ASL_VALIDATE_STATE) {
		memset(&sc, 0, sizeof sc);
		sc.states = jv_null();
		sc.current = -1;
		check_state(&v, &sc, "", def, &root);
		free(sc.edges);
	} else {
		ql = get(def, "QueryLanguage");
		if (jv_get_kind(ql) == JV_KIND_STRING &&
		    strcmp(jv_string_value(ql), "JSONata") == 0)
			v.top_lang = JA;
		jv_free(ql);
		check_machine(&v, jv_copy(def), &root, NULL);
	}

	/*
	 * Duplicate keys, first: a state given twice is DUPLICATE_STATE_NAME;
	 * any other key given twice is a JSON problem (AWS's parser would
	 * not take it).  The last one given is the one checked above.
	 */
	out = v.diags;
	v.diags = jv_array();
	if (jv_get_kind(problems) == JV_KIND_ARRAY) {
		jv_array_foreach(problems, i, pr) {
			ptr = jv_object_get(pr, ASL_LIT("pointer"));
			s = jv_string_value(ptr);
			slash = strrchr(s, '/');
			name = unescape(slash != NULL ? slash + 1 : s);
			if (has(v.state_ptrs, s))
				report(&v, "ERROR", "DUPLICATE_STATE_NAME",
				    jv_copy(ptr), jv_null(),
				    jv_string_fmt("Duplicate State name: %s",
				    jv_string_value(name)), jv_null());
			else
				report(&v, "ERROR", "INVALID_JSON_DESCRIPTION",
				    jv_copy(ptr), jv_null(),
				    jv_string_fmt( "Duplicate field '%s'",
				    jv_string_value(name)), jv_null());
			jv_free(name);
			jv_free(ptr);
			(void)i;
		}
	}
	out = jv_array_concat(v.diags, out);
	jv_free(problems);
	names_free(&v.names);
	jv_free(v.labels);
	jv_free(v.state_ptrs);
	jv_free(v.root);
	jv_free(v.where);
	return jv_array_concat(out, v.warnings);
}

/*
 * Where AWS's JSON parser (Jackson) would say a syntax error is:
 * "[Source: (String)"TEXT"; line: 1, column: 4]", the text cut at 500
 * characters.  Jackson reads a whole bad token before it complains, so
 * its column is after the token, not at its start.
 */
static jv
jackson_location(const char *text, size_t len, int line, int *column,
    int token)
{
	const char *p = text;
	int l = 1;
	jv loc;

	while (l < line && (p = memchr(p, '\n', len - (size_t)(p - text))) !=
	    NULL) {
		p++;
		l++;
	}
	if (token && p != NULL && (size_t)(p - text) + (size_t)*column - 1 <
	    len) {
		p += *column - 1;
		while ((size_t)(p - text) < len && ((*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '$')) {
			p++;
			++*column;
		}
	}
	loc = ASL_LIT("[Source: (String)\"");
	loc = jv_string_append_buf(loc, text, len > 500 ? 500 : (int)len);
	loc = jv_string_append_str(loc, "\"");
	if (len > 500)
		loc = jv_string_concat(loc, jv_string_fmt("[truncated %zu "
		    "chars]", len - 500));
	return jv_string_concat(loc, jv_string_fmt("; line: %d, column: %d]",
	    line, *column));
}

/* The start of line number line (1-based) of text. */
static const char *
line_start(const char *text, size_t len, int line)
{
	const char *p = text, *nl;

	while (--line > 0 && (nl = memchr(p, '\n', len - (size_t)(p - text))) !=
	    NULL)
		p = nl + 1;
	return p;
}

jv
asl_validate_text(const char *text, size_t len, enum asl_format format,
    int flags, jv *def)
{
	jv where, problems, v, err, msg, loc, d;
	int line, column, start;
	size_t i;

	for (i = 0; i < len && (text[i] == ' ' || text[i] == '\t' ||
	    text[i] == '\n' || text[i] == '\r'); i++)
		;
	if (i == len) {
		/* [O] AWS's answer to a blank definition */
		*def = jv_invalid();
		return JV_ARRAY(JV_OBJECT(ASL_LIT("severity"),
		    ASL_LIT("ERROR"), ASL_LIT("code"), jv_string(SCHEMA),
		    ASL_LIT("message"), jv_string("Definition must be a "
		    "valid JSON object"), ASL_LIT("pointer"), ASL_LIT(""),
		    ASL_LIT("line"), jv_number(1), ASL_LIT("column"),
		    jv_number(1)));
	}
	v = asl_doc_parse(text, len, format, &where, &problems);
	if (jv_is_valid(v)) {
		*def = jv_copy(v);
		return asl_validate(v, where, problems, flags);
	}
	*def = jv_invalid();
	err = jv_invalid_get_msg(v);
	line = (int)jv_number_value(jv_object_get(jv_copy(err),
	    ASL_LIT("line")));
	start = column = (int)jv_number_value(jv_object_get(jv_copy(err),
	    ASL_LIT("column")));
	msg = jv_object_get(err, ASL_LIT("message"));
	loc = jackson_location(text, len, line, &column,
	    strstr(jv_string_value(msg), "where a value was expected") != NULL);
	d = JV_OBJECT(ASL_LIT("severity"), ASL_LIT("ERROR"),
	    ASL_LIT("code"), ASL_LIT("INVALID_JSON_DESCRIPTION"));
	if (column > start) {
		/* a bad token, in Jackson's words */
		d = jv_object_set(d, ASL_LIT("message"),
		    jv_string_fmt( "Unrecognized token '%.*s': was expecting "
		    "(JSON String, Number, Array, Object or token 'null', "
		    "'true' or 'false')\n at %s", column - start,
		    line_start(text, len, line) + start - 1,
		    jv_string_value(loc)));
	} else
		d = jv_object_set(d, ASL_LIT("message"), jv_string_fmt(
		    "%s\n at %s", jv_string_value(msg), jv_string_value(loc)));
	d = jv_object_set(d, ASL_LIT("location"), loc);
	d = jv_object_set(d, ASL_LIT("pointer"), ASL_LIT(""));
	d = jv_object_set(d, ASL_LIT("line"), jv_number(line));
	d = jv_object_set(d, ASL_LIT("column"), jv_number(start));
	d = jv_object_set(d, ASL_LIT("detail"), msg);
	return JV_ARRAY(d);
}

int
asl_validate_failed(jv diags)
{
	int failed = 0;

	jv_array_foreach(diags, i, d) {
		jv sev = jv_object_get(d, ASL_LIT("severity"));
		if (strcmp(jv_string_value(sev), "ERROR") == 0)
			failed = 1;
		jv_free(sev);
		(void)i;
	}
	return failed;
}

jv
asl_validate_response(jv diags)
{
	jv list = jv_array(), r;
	static const char *const keys[] = { "severity", "code", "message",
	    "location" };
	size_t j;

	jv_array_foreach(diags, i, d) {
		jv o = jv_object();
		for (j = 0; j < NELEM(keys); j++)
			if (has(d, keys[j]))
				o = jv_object_set(o, jv_string(keys[j]), get(d,
				    keys[j]));
		list = jv_array_append(list, o);
		jv_free(d);
		(void)i;
	}
	r = JV_OBJECT(ASL_LIT("result"), jv_string(asl_validate_failed(diags)
	    ? "FAIL" : "OK"), ASL_LIT("diagnostics"), list,
	    ASL_LIT("truncated"), jv_false());
	jv_free(diags);
	return r;
}

/* Diagnostics in the order of their positions (a stable sort). */
static int
before(jv a, jv b)
{
	jv la = jv_object_get(jv_copy(a), ASL_LIT("line"));
	jv lb = jv_object_get(jv_copy(b), ASL_LIT("line"));
	jv ca = jv_object_get(jv_copy(a), ASL_LIT("column"));
	jv cb = jv_object_get(jv_copy(b), ASL_LIT("column"));
	double x = jv_is_valid(la) ? jv_number_value(la) : 0;
	double y = jv_is_valid(lb) ? jv_number_value(lb) : 0;
	int r;

	if (x == y) {
		x = jv_is_valid(ca) ? jv_number_value(ca) : 0;
		y = jv_is_valid(cb) ? jv_number_value(cb) : 0;
	}
	r = x < y;
	jv_free(la);
	jv_free(lb);
	jv_free(ca);
	jv_free(cb);
	return r;
}

static jv
by_position(jv diags)
{
	int i, j, n = jv_array_length(jv_copy(diags));
	jv a, b;

	for (i = 1; i < n; i++)
		for (j = i; j > 0; j--) {
			a = jv_array_get(jv_copy(diags), j - 1);
			b = jv_array_get(jv_copy(diags), j);
			if (!before(b, a)) {
				jv_free(a);
				jv_free(b);
				break;
			}
			diags = jv_array_set(diags, j - 1, b);
			diags = jv_array_set(diags, j, a);
		}
	return diags;
}

static const char *
str(jv d, const char *key, jv *hold)
{
	*hold = jv_object_get(jv_copy(d), asl_key(key));
	return jv_get_kind(*hold) == JV_KIND_STRING ? jv_string_value(*hold) :
	    NULL;
}

jv
asl_validate_lines(const char *name, jv diags, int syntax)
{
	jv sev, loc, ptr, msg, detail, line, col, out = ASL_LIT("");

	diags = by_position(diags);
	jv_array_foreach(diags, i, d) {
		const char *s = str(d, "severity", &sev);
		const char *l = str(d, "location", &loc);
		const char *p = str(d, "pointer", &ptr);
		const char *m = str(d, "message", &msg);
		const char *x = str(d, "detail", &detail);

		line = jv_object_get(jv_copy(d), ASL_LIT("line"));
		col = jv_object_get(jv_copy(d), ASL_LIT("column"));
		out = jv_string_concat(out, jv_string_fmt("%s:%d:%d: %s: ", name,
		    jv_is_valid(line) ? (int)jv_number_value(line) : 1,
		    jv_is_valid(col) ? (int)jv_number_value(col) : 1,
		    strcmp(s, "ERROR") == 0 ? "error" : "warning"));
		if (syntax)
			out = jv_string_concat(out, jv_string_fmt("%s\n", x));
		else {
			out = jv_string_concat(out, jv_string_fmt("%s: %s",
			    l != NULL ? l : *p ? p : "/", m));
			if (x != NULL)
				out = jv_string_concat(out, jv_string_fmt(": %s",
				    x));
			out = jv_string_append_str(out, "\n");
		}
		jv_free(sev);
		jv_free(loc);
		jv_free(ptr);
		jv_free(msg);
		jv_free(detail);
		jv_free(line);
		jv_free(col);
		jv_free(d);
		(void)i;
	}
	jv_free(diags);
	return out;
}

