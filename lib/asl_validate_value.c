/*
 * asl_validate_value.c - the validator's checks of one field's value:
 * its kind, an integer's range, one of a list, paths, payload templates,
 * JSONata expressions, Assign, Output and Arguments, and resources (the
 * ARNs and the optimized integrations AWS recognises).  Each reports at
 * the field.
 */
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_jsonata.h"
#include "asl_path.h"
#include "asl_template.h"
#include "asl_utf8.h"
#include "asl_validate.h"
#include "asl_validate_int.h"

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
	/* ItemReader's and ResultWriter's, which the local S3 also serves
	   to a Task (a warning says so) */
	{ "s3", "getObject", "R" },
	{ "s3", "putObject", "R" },
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

/* Checks of one field's value (val, at fptr), reported at the field. */

const char *
vd_kind_name(int kind)
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
int
vd_want_kind(struct v *v, jv val, const struct at *fptr, const char *field,
    int kind)
{
	int k = jv_get_kind(val);

	if (k == kind || (kind == JV_KIND_TRUE && k == JV_KIND_FALSE))
		return 1;
	vd_error(v, fptr, NULL, "The field '%s' must be %s, not %s", field,
	    vd_kind_name(kind), vd_kind_name(k));
	return 0;
}

/*
 * An integer field within [min, max], or (JSONata) an expression.
 * Reports and returns 0 when it is neither.
 */
int
vd_want_int(struct v *v, jv val, const struct at *fptr, const char *field,
    double min, double max, int lang)
{
	double d;

	if (lang == JA && jv_get_kind(val) == JV_KIND_STRING &&
	    vd_is_jsonata(val)) {
		vd_check_jsonata_value(v, jv_copy(val), fptr);
		return 1;
	}
	if (!vd_is_int(val)) {
		vd_error(v, fptr, NULL, "The field '%s' must be an integer%s",
		    field, lang == JA ? " or a JSONata expression" : "");
		return 0;
	}
	d = jv_number_value(val);
	if (d < min) {
		vd_error(v, fptr, NULL, "Minimum value is %.17g", min);
		return 0;
	}
	if (d > max) {
		vd_error(v, fptr, NULL, "Maximum value is %.17g", max);
		return 0;
	}
	return 1;
}

/* A string field with one of the values of list (NULL-terminated). */
void
vd_want_enum(struct v *v, jv val, const struct at *fptr, const char *field,
    const char *const *list)
{
	jv names;
	int i;

	if (!vd_want_kind(v, val, fptr, field, JV_KIND_STRING))
		return;
	for (i = 0; list[i] != NULL; i++)
		if (strcmp(jv_string_value(val), list[i]) == 0)
			return;
	names = ASL_LIT("");
	for (i = 0; list[i] != NULL; i++)
		names = jv_string_concat(names, jv_string_fmt("%s%s",
		    i > 0 ? ", " : "", list[i]));
	vd_error(v, fptr, NULL, "Value must be one of [%s]",
	    jv_string_value(names));
	jv_free(names);
}

/* Paths, templates and JSONata strings. */

/*
 * A Path or Reference Path field; null is allowed where nullable.
 * Reports and returns 0 if it does not compile.
 */
int
vd_check_path(struct v *v, jv val, const struct at *fptr, const char *field,
    int flags, int nullable)
{
	struct asl_path *p;
	jv err;

	if (nullable && jv_get_kind(val) == JV_KIND_NULL)
		return 1;
	if (!vd_want_kind(v, val, fptr, field, JV_KIND_STRING))
		return 0;
	if ((p = asl_path_compile(jv_string_value(val), flags, &err)) != NULL) {
		asl_path_free(p);
		return 1;
	}
	vd_report(v, "ERROR", SCHEMA, vd_pointer(fptr), jv_null(), flags &
	    ASL_PATH_REFERENCE ? ASL_LIT("Value is not a Reference Path") :
	    jv_string_fmt("The value for the field '%s' must be a valid "
	    "JSONPath", field), err);
	return 0;
}

/* Whether a string looks like a path or an intrinsic call. */
static int
looks_dynamic(const char *s)
{
	if (strcmp(s, "$") == 0 || vd_starts_with(s, "$.") ||
	    vd_starts_with(s, "$[") || vd_starts_with(s, "$$"))
		return 1;
	if (vd_starts_with(s, "States.")) {
		s += 7;
		while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
			s++;
		return *s == '(';
	}
	return 0;
}

int
vd_looks_like_path(const char *s)
{
	return strcmp(s, "$") == 0 || vd_starts_with(s, "$.") ||
	    vd_starts_with(s, "$[") || vd_starts_with(s, "$$.");
}

/* NO_DOLLAR: a key without ".$" whose value looks like a path. */
static void
no_dollar(struct v *v, jv val, const struct at *fptr, const struct at *at)
{
	if (jv_get_kind(val) == JV_KIND_OBJECT) {
		jv_object_foreach(val, k, x) {
			const char *ks = jv_string_value(k);
			const struct at *kp = AT(at, ks);
			if (!vd_ends_with(ks, ".$") &&
			    jv_get_kind(x) == JV_KIND_STRING &&
			    looks_dynamic(jv_string_value(x)))
				vd_warning(v, "NO_DOLLAR", fptr, kp, "The "
				    "value of the field '%s' looks like a "
				    "JSONPath or an intrinsic function call, "
				    "but the field's name does not end with "
				    "'.$'", ks);
			else if (!vd_ends_with(ks, ".$"))
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
void
vd_check_template(struct v *v, jv val, const struct at *fptr, const char *field,
    int object)
{
	struct asl_template *t;
	jv errs, ptr, msg, aws, detail;
	const char *m, *cut;

	if (object && !vd_want_kind(v, val, fptr, field, JV_KIND_OBJECT))
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
		vd_report(v, "ERROR", SCHEMA, vd_pointer(fptr),
		    jv_string_concat(vd_pointer(fptr), ptr), aws, detail);
		(void)i;
	}
	jv_free(errs);
}

/*
 * A "{% ... %}" string (s) compiles: a syntax error is found when the
 * definition is checked, with JSONata's code and where in the text, not
 * when the state first runs.
 */
static void
check_expression(struct v *v, const char *s, const struct at *fptr,
    const struct at *at)
{
	size_t len = strlen(s) - 4;
	struct asl_jsonata *e;
	char *text;
	jv err, code, msg, pos;

	s += 2;
	while (len > 0 && strchr(" \t\r\n", *s) != NULL)
		s++, len--;
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		len--;
	if ((text = strndup(s, len)) == NULL)
		return;
	if ((e = asl_jsonata_compile(text, &err)) != NULL) {
		asl_jsonata_free(e);
		free(text);
		return;
	}
	code = jv_object_get(jv_copy(err), ASL_LIT("code"));
	msg = jv_object_get(jv_copy(err), ASL_LIT("message"));
	pos = jv_object_get(err, ASL_LIT("position"));
	vd_report(v, "ERROR", SCHEMA, vd_pointer(fptr), vd_pointer(at),
	    jv_string_fmt("The JSONata expression '%s' is not valid: %s%s%s "
	    "(at character %d)", text, jv_get_kind(code) == JV_KIND_STRING ?
	    jv_string_value(code) : "", jv_get_kind(code) == JV_KIND_STRING ?
	    ": " : "", jv_get_kind(msg) == JV_KIND_STRING ?
	    jv_string_value(msg) : "syntax error",
	    jv_get_kind(pos) == JV_KIND_NUMBER ? (int)jv_number_value(pos) :
	    0), jv_null());
	jv_free(code);
	jv_free(msg);
	jv_free(pos);
	free(text);
}

/*
 * Every "{%" string must end with "%}" and the other way round, and
 * compile.
 */
static void
check_jsonata_strings(struct v *v, jv val, const struct at *fptr,
    const struct at *at)
{
	const char *s;
	int open, close;

	switch (jv_get_kind(val)) {
	case JV_KIND_STRING:
		s = jv_string_value(val);
		open = vd_starts_with(s, "{%");
		close = vd_ends_with(s, "%}");
		if ((open || close) && !vd_is_jsonata(val))
			vd_report(v, "ERROR", SCHEMA, vd_pointer(fptr),
			    vd_pointer(at), jv_string_fmt("The JSONata "
			    "expression '%s' must start with '{%%' and end "
			    "with '%%}'", s), jv_null());
		else if (open)
			check_expression(v, s, fptr, at);
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
void
vd_check_jsonata_value(struct v *v, jv val, const struct at *fptr)
{
	check_jsonata_strings(v, val, fptr, fptr);
}

/* Assign: a JSONPath template or JSONata values, by variable name. */
void
vd_check_assign(struct v *v, jv val, const struct at *fptr, int lang)
{
	if (!vd_want_kind(v, val, fptr, "Assign", JV_KIND_OBJECT)) {
		jv_free(val);
		return;
	}
	jv_object_foreach(val, k, x) {
		const char *ks = jv_string_value(k);
		size_t len = strlen(ks);
		const struct at *kp = AT(fptr, ks);

		if (lang == JP && vd_ends_with(ks, ".$"))
			len -= 2;
		/* Plain names: no sub-paths such as "x.y" or "x[0]". */
		if (len == 0 || strcspn(ks, ".[") < len ||
		    asl_utf8_count(ks, strlen(ks)) - (strlen(ks) - len) > MAX_NAME)
			vd_error(v, fptr, kp, "'%s' is not a valid variable "
			    "name", ks);
		else if (len == 6 && strncmp(ks, "states", 6) == 0)
			vd_error(v, fptr, kp, "The variable name 'states' is "
			    "reserved");
		jv_free(k);
		jv_free(x);
	}
	if (lang == JP) {
		vd_check_template(v, val, fptr, "Assign", 1);
		jv_free(val);
	} else
		vd_check_jsonata_value(v, val, fptr);
}

/* A JSONata state's Output, Arguments, ItemSelector: any JSON. */
void
vd_check_output(struct v *v, jv val, const struct at *fptr)
{
	vd_check_jsonata_value(v, val, fptr);
}

/* Arguments: an object or one expression. */
void
vd_check_arguments(struct v *v, jv val, const struct at *fptr,
    const char *field)
{
	if (jv_get_kind(val) != JV_KIND_OBJECT && !vd_is_jsonata(val)) {
		vd_error(v, fptr, NULL, "The field '%s' must be an object or a "
		    "JSONata expression", field);
		jv_free(val);
		return;
	}
	vd_check_jsonata_value(v, val, fptr);
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

	if (!vd_starts_with(rest, "function:"))
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
int
vd_substitution(const char *s)
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

void
vd_not_recognized(struct v *v, const struct at *fptr, const char *res)
{
	vd_error(v, fptr, NULL, "The resource provided %s is not recognized. "
	    "The value is not a valid resource ARN, or the resource is not "
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
		vd_not_recognized(v, fptr, res);
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
			vd_not_recognized(v, fptr, res);
			return;
		}
		suffix = dot != NULL ? dot : "";
		ok = 1;
	} else {
		dot = strchr(rest, '.');
		n = dot != NULL ? (size_t)(dot - rest) : strlen(rest);
		if (n >= sizeof api) {
			vd_not_recognized(v, fptr, res);
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
		vd_not_recognized(v, fptr, res);
		return;
	}
	if (strcmp(svc, "s3") == 0)
		vd_warning(v, "S3_TASK_RESOURCE", fptr, NULL, "The resource %s "
		    "runs as a Task on the local S3 here; AWS documents it for "
		    "ItemReader and ResultWriter: a Task that must also run on "
		    "AWS uses arn:aws:states:::aws-sdk:s3:%s", res, api);
	/* [O] the recorded message for callbacks ends with a space */
	if ((v->flags & ASL_VALIDATE_EXPRESS) &&
	    vd_starts_with(suffix, ".sync"))
		vd_error(v, fptr, NULL, "Express state machine does not "
		    "support '.sync' service integration");
	else if ((v->flags & ASL_VALIDATE_EXPRESS) &&
	    strcmp(suffix, ".waitForTaskToken") == 0)
		vd_error(v, fptr, NULL, "Express state machine does not "
		    "support '.waitForTaskToken' service integration ");
}

void
vd_check_resource(struct v *v, jv val, const struct at *fptr)
{
	const char *s, *p, *parts[5];
	char *copy;
	int i, sub;

	if (jv_get_kind(val) == JV_KIND_OBJECT && jv_object_length(jv_copy(val))
	    == 1 && (vd_has(val, "Ref") || vd_has(val, "Fn::GetAtt") ||
	    vd_has(val, "Fn::Sub") || vd_has(val, "Fn::Join") ||
	    vd_has(val, "Fn::ImportValue") || vd_has(val, "Fn::If") ||
	    vd_has(val, "Fn::FindInMap"))) {
		/* a CloudFormation intrinsic, resolved at deployment */
		jv_free(val);
		return;
	}
	if (!vd_want_kind(v, val, fptr, "Resource", JV_KIND_STRING)) {
		jv_free(val);
		return;
	}
	s = jv_string_value(val);
	if ((sub = vd_substitution(s)) == 1) {
		/* DefinitionSubstitutions: "${LambdaArn}" */
		jv_free(val);
		return;
	}
	if (sub == -1 || !vd_starts_with(s, "arn:")) {
		vd_not_recognized(v, fptr, s);
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
	if (p == NULL || !vd_starts_with(parts[0], "aws") || *parts[1] ==
	    '\0' ||
	    *p == '\0') {
		vd_not_recognized(v, fptr, s);
		goto out;
	}
	parts[4] = p;
	if (strcmp(parts[1], "states") == 0) {
		if (vd_starts_with(parts[4], "activity:") &&
		    parts[4][strlen("activity:")] != '\0' &&
		    (*parts[2] != '\0' || *parts[3] != '\0')) {
			if (v->flags & ASL_VALIDATE_EXPRESS)
				vd_error(v, fptr, NULL, "Express state machine "
				    "does not support Activity ARN");
		} else
			/*
			 * a service integration, with or without region and
			 * account: AWS deploys published workflows written
			 * arn:aws:states:us-east-1:123456789012:aws-sdk:...
			 */
			check_integration(v, fptr, s, parts[4]);
	} else if (strcmp(parts[1], "lambda") == 0 &&
	    !lambda_function(parts[4]))
		vd_not_recognized(v, fptr, s);
out:
	free(copy);
	jv_free(val);
}
