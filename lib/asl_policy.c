/*
 * asl_policy.c - an execution role's least-privilege policy, from the
 * definition's Tasks and Distributed Maps.
 *
 * Statements are named (Sid) by what they allow, one per kind of access;
 * each resource is listed once.  A resource computed at run time goes to
 * a statement of its own, named with "Wildcard", so that the static ones
 * stay as narrow as the definition allows and the wildcard is easy to
 * find and to tighten by hand.
 */
#include <ctype.h>
#include <string.h>

#include "asl.h"
#include "asl_arn.h"
#include "asl_policy.h"

struct pol {
	jv		 stmts;		/* the statements, in order */
	jv		 index;		/* Sid -> index in stmts */
	jv		 notes;
	const char	*name;		/* the state machine's */
};

/* One access: sid, actions (NULL-terminated), on resource (consumed). */
static void
allow(struct pol *p, const char *sid, const char *const *actions,
    jv resource, const char *reason, jv where)
{
	jv key = jv_string_fmt("%s%s", sid, reason != NULL ? "Wildcard" : "");
	jv ix = jv_object_get(jv_copy(p->index), jv_copy(key)), st, list;
	int i, n, dup = 0;

	if (!jv_is_valid(ix)) {
		jv_free(ix);
		list = jv_array();
		for (i = 0; actions[i] != NULL; i++)
			list = jv_array_append(list, jv_string(actions[i]));
		n = jv_array_length(jv_copy(p->stmts));
		p->stmts = jv_array_append(p->stmts, JV_OBJECT(
		    jv_string("Sid"), jv_copy(key), jv_string("Effect"),
		    jv_string("Allow"), jv_string("Action"), list,
		    jv_string("Resource"), jv_array()));
		p->index = jv_object_set(p->index, jv_copy(key), jv_number(n));
		ix = jv_number(n);
	}
	n = (int)jv_number_value(ix);
	st = jv_array_get(jv_copy(p->stmts), n);
	list = jv_object_get(jv_copy(st), jv_string("Resource"));
	jv_array_foreach(list, k, r) {
		dup |= jv_equal(r, jv_copy(resource));
		(void)k;
	}
	if (!dup)
		list = jv_array_append(list, jv_copy(resource));
	st = jv_object_set(st, jv_string("Resource"), list);
	p->stmts = jv_array_set(p->stmts, n, st);
	if (reason != NULL)
		p->notes = jv_array_append(p->notes, JV_OBJECT(jv_string("Sid"),
		    jv_copy(key), jv_string("location"), jv_copy(where),
		    jv_string("resource"), jv_copy(resource),
		    jv_string("reason"), jv_string(reason)));
	jv_free(resource);
	jv_free(where);
	jv_free(key);
	jv_free(ix);
}

/* where, a JSON Pointer, with one more token (escaped as RFC 6901 says) */
static jv
down(jv where, const char *token)
{
	where = jv_string_append_str(where, "/");
	for (; *token != '\0'; token++)
		if (*token == '~')
			where = jv_string_append_str(where, "~0");
		else if (*token == '/')
			where = jv_string_append_str(where, "~1");
		else
			where = jv_string_append_buf(where, token, 1);
	return where;
}

static int
jsonata(jv v)
{
	const char *s;
	size_t n;

	if (jv_get_kind(v) != JV_KIND_STRING)
		return 0;
	s = jv_string_value(v);
	n = strlen(s);
	return n >= 4 && strncmp(s, "{%", 2) == 0 &&
	    strcmp(s + n - 2, "%}") == 0;
}

/*
 * The static text of field in obj (borrowed), or null: *where is then
 * the pointer to what computes it ("FIELD.$", a JSONata expression, or
 * obj itself when obj is computed as a whole).  at is obj's pointer.
 */
static jv
field(jv obj, const char *field, jv at, jv *where)
{
	jv v, k;

	*where = jv_null();
	if (jv_get_kind(obj) != JV_KIND_OBJECT) {
		/* a JSONata expression computes it all; else it is not given */
		if (jv_get_kind(obj) == JV_KIND_STRING)
			*where = at;
		else
			jv_free(at);
		return jv_null();
	}
	v = jv_object_get(jv_copy(obj), jv_string(field));
	if (jv_get_kind(v) == JV_KIND_STRING && !jsonata(v)) {
		jv_free(at);
		return v;
	}
	if (jv_is_valid(v)) {
		jv_free(v);
		*where = down(at, field);
		return jv_null();
	}
	jv_free(v);
	k = jv_string_fmt("%s.$", field);
	v = jv_object_get(jv_copy(obj), jv_copy(k));
	if (jv_is_valid(v))
		*where = down(jv_copy(at), jv_string_value(k));
	jv_free(v);
	jv_free(k);
	jv_free(at);
	return jv_null();
}

/* The state's Parameters (JSONPath) or Arguments (JSONata), and its name. */
static jv
params(jv state, jv at, jv *pat)
{
	jv v = jv_object_get(jv_copy(state), jv_string("Parameters"));

	if (jv_is_valid(v)) {
		*pat = down(at, "Parameters");
		return v;
	}
	jv_free(v);
	*pat = down(at, "Arguments");
	return jv_object_get(jv_copy(state), jv_string("Arguments"));
}

/* "putItem" -> "PutItem": an API's name as IAM's actions spell it. */
static jv
action(const char *svc, const char *api, size_t len)
{
	jv a = jv_string_fmt("%s:%c%.*s", svc, toupper((unsigned char)*api),
	    (int)(len > 0 ? len - 1 : 0), api + 1);

	return a;
}

static void
lambda(struct pol *p, jv fn, jv where)
{
	static const char *const acts[] = { "lambda:InvokeFunction", NULL };
	const char *f[6], *c;
	size_t len[6];
	const char *s = jv_string_value(fn);
	jv arn;
	int colons = 0;

	if (strncmp(s, "arn:", 4) == 0)
		arn = jv_copy(fn);
	else if (strstr(s, ":function:") != NULL)
		arn = jv_string_fmt("arn:aws:lambda:%s:%s", asl_arn_region(), s);
	else
		arn = jv_string_fmt("arn:aws:lambda:%s:%s:function:%s",
		    asl_arn_region(), asl_arn_account(), s);
	jv_free(fn);
	/* an unqualified function: its versions and aliases too */
	if (asl_arn_split(jv_string_value(arn), f, len) == 0)
		for (c = f[5]; c < f[5] + len[5]; c++)
			colons += *c == ':';
	allow(p, "LambdaInvokeFunction", acts, jv_copy(arn), NULL, where);
	if (colons == 1)
		allow(p, "LambdaInvokeFunction", acts, jv_string_fmt("%s:*",
		    jv_string_value(arn)), NULL, jv_null());
	jv_free(arn);
}

/* The Sid of an action list: "dynamodb:GetItem" -> "DynamodbGetItem". */
static jv
sid_of(const char *act)
{
	jv s = jv_string("");
	int up = 1;

	for (; *act != '\0'; act++) {
		if (!isalnum((unsigned char)*act)) {
			up = 1;
			continue;
		}
		s = jv_string_append_buf(s, (char[]){ up ?
		    (char)toupper((unsigned char)*act) : *act }, 1);
		up = 0;
	}
	return s;
}

/* One action on a resource, or on wild when the definition computes it. */
static void
one(struct pol *p, jv act, jv resource, jv wild, jv where,
    const char *reason)
{
	const char *acts[2] = { jv_string_value(act), NULL };
	jv sid = sid_of(jv_string_value(act));

	if (jv_get_kind(resource) == JV_KIND_STRING) {
		allow(p, jv_string_value(sid), acts, resource, NULL, where);
		jv_free(wild);
	} else {
		jv_free(resource);
		allow(p, jv_string_value(sid), acts, wild, reason, where);
	}
	jv_free(sid);
	jv_free(act);
}

static jv
arn_or(jv name, const char *fmt)
{
	jv r;

	if (jv_get_kind(name) != JV_KIND_STRING)
		return name;
	if (strncmp(jv_string_value(name), "arn:", 4) == 0)
		return name;
	r = jv_string_fmt(fmt, asl_arn_region(), asl_arn_account(),
	    jv_string_value(name));
	jv_free(name);
	return r;
}

/* An SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME) as ARN. */
static jv
queue_arn(jv url)
{
	const char *s, *r, *a, *n;
	jv arn;

	if (jv_get_kind(url) != JV_KIND_STRING)
		return url;
	s = jv_string_value(url);
	if (strncmp(s, "https://sqs.", 12) != 0 || (r = s + 12,
	    (a = strstr(r, ".amazonaws.com/")) == NULL) ||
	    (n = strchr(a + 15, '/')) == NULL)
		return url;
	arn = jv_string_fmt("arn:aws:sqs:%.*s:%.*s:%s", (int)(a - r), r,
	    (int)(n - a - 15), a + 15, n + 1);
	jv_free(url);
	return arn;
}

static void
start_execution(struct pol *p, jv prm, jv pat, const char *suffix)
{
	static const char *const start[] = { "states:StartExecution", NULL };
	static const char *const watch[] = { "states:DescribeExecution",
	    "states:StopExecution", NULL };
	static const char *const rule[] = { "events:PutTargets",
	    "events:PutRule", "events:DescribeRule", NULL };
	jv where, sm = field(prm, "StateMachineArn", pat, &where);
	const char *why = "the state machine is chosen at run time";

	if (jv_get_kind(sm) == JV_KIND_STRING) {
		if (strncmp(suffix, ".sync", 5) == 0)
			allow(p, "StatesDescribeStopExecution", watch,
			    jv_string_fmt("arn:aws:states:%s:%s:execution:%s:*",
			    asl_arn_region(), asl_arn_account(),
			    asl_arn_last(jv_string_value(sm))), NULL,
			    jv_null());
		allow(p, "StatesStartExecution", start, sm, NULL, where);
	} else {
		jv_free(sm);
		if (strncmp(suffix, ".sync", 5) == 0)
			allow(p, "StatesDescribeStopExecution", watch,
			    jv_string_fmt("arn:aws:states:%s:%s:execution:*",
			    asl_arn_region(), asl_arn_account()), why,
			    jv_copy(where));
		allow(p, "StatesStartExecution", start, jv_string_fmt(
		    "arn:aws:states:%s:%s:stateMachine:*", asl_arn_region(),
		    asl_arn_account()), why, where);
	}
	if (strncmp(suffix, ".sync", 5) == 0)
		allow(p, "EventsManagedRule", rule, jv_string_fmt(
		    "arn:aws:events:%s:%s:rule/"
		    "StepFunctionsGetEventsForStepFunctionsExecutionRule",
		    asl_arn_region(), asl_arn_account()), NULL, jv_null());
}

/* arn:aws:s3:::BUCKET, BUCKET/KEY or BUCKET/PREFIX/ and a star, or null. */
static jv
s3_arn(jv prm, jv pat, const char *keyfield, int all, jv *where)
{
	jv b = field(prm, "Bucket", jv_copy(pat), where), k, w2, r;

	if (jv_get_kind(b) != JV_KIND_STRING) {
		jv_free(pat);
		return b;
	}
	if (keyfield == NULL) {
		jv_free(pat);
		r = jv_string_fmt("arn:aws:s3:::%s", jv_string_value(b));
		jv_free(b);
		return r;
	}
	k = field(prm, keyfield, pat, &w2);
	if (jv_get_kind(k) == JV_KIND_STRING)
		r = jv_string_fmt("arn:aws:s3:::%s/%s%s%s", jv_string_value(b),
		    jv_string_value(k), all && *jv_string_value(k) != '\0' ?
		    "/" : "", all ? "*" : "");
	else if (jv_get_kind(w2) == JV_KIND_STRING) {
		/* the bucket is known, not the key: the whole bucket */
		r = jv_string_fmt("arn:aws:s3:::%s/*", jv_string_value(b));
		jv_free(*where);
		*where = jv_copy(w2);
	} else
		r = jv_string_fmt("arn:aws:s3:::%s%s", jv_string_value(b),
		    all ? "/*" : "");
	jv_free(w2);
	jv_free(k);
	jv_free(b);
	return r;
}

static void
sdk(struct pol *p, const char *svc, size_t svclen, const char *api,
    size_t apilen, jv prm, jv pat, jv resat)
{
	jv s = jv_string_fmt("%.*s", (int)svclen, svc), where, res;
	jv act = action(jv_string_value(s), api, apilen);
	const char *why = "asl knows no resource of this AWS SDK "
	    "integration: write the resource's ARN in";

	if (strcmp(jv_string_value(s), "s3") == 0) {
		int bucket = strncmp(api, "listObjects", 11) == 0;
		if (bucket) {
			jv_free(act);
			act = jv_string("s3:ListBucket");
		}
		res = s3_arn(prm, pat, bucket ? NULL : "Key", 0, &where);
		why = "the bucket or key is computed at run time";
		one(p, act, res, jv_string("arn:aws:s3:::*"), where, why);
	} else if (strcmp(jv_string_value(s), "dynamodb") == 0) {
		res = arn_or(field(prm, "TableName", pat, &where),
		    "arn:aws:dynamodb:%s:%s:table/%s");
		one(p, act, res, jv_string_fmt("arn:aws:dynamodb:%s:%s:table/*",
		    asl_arn_region(), asl_arn_account()), where,
		    "the table is computed at run time");
	} else {
		jv_free(pat);
		one(p, act, jv_null(), jv_string("*"), resat, why);
		resat = jv_null();
	}
	jv_free(resat);
	jv_free(s);
}

static void
event_buses(struct pol *p, jv prm, jv pat)
{
	jv where, entries, act = jv_string("events:PutEvents"), bus, w;
	const char *why = "the event bus is computed at run time";

	entries = jv_get_kind(prm) == JV_KIND_OBJECT ? jv_object_get(
	    jv_copy(prm), jv_string("Entries")) : jv_invalid();
	if (jv_get_kind(entries) != JV_KIND_ARRAY) {
		jv_free(entries);
		jv_free(field(prm, "Entries", pat, &where));
		one(p, act, jv_null(), jv_string_fmt(
		    "arn:aws:events:%s:%s:event-bus/*", asl_arn_region(),
		    asl_arn_account()), where, why);
		return;
	}
	pat = down(pat, "Entries");
	jv_array_foreach(entries, i, e) {
		jv ep = jv_string_fmt("%s/%d", jv_string_value(pat), i);
		bus = field(e, "EventBusName", jv_copy(ep), &w);
		if (jv_get_kind(bus) == JV_KIND_NULL &&
		    jv_get_kind(w) == JV_KIND_NULL)
			bus = (jv_free(bus), jv_string("default"));
		one(p, jv_copy(act), arn_or(bus,
		    "arn:aws:events:%s:%s:event-bus/%s"), jv_string_fmt(
		    "arn:aws:events:%s:%s:event-bus/*", asl_arn_region(),
		    asl_arn_account()), w, why);
		jv_free(ep);
		jv_free(e);
	}
	jv_free(entries);
	jv_free(pat);
	jv_free(act);
}

static void
http(struct pol *p, jv prm, jv pat)
{
	static const char *const invoke[] = { "states:InvokeHTTPEndpoint",
	    NULL };
	static const char *const secret[] = { "secretsmanager:GetSecretValue",
	    "secretsmanager:DescribeSecret", NULL };
	jv auth = jv_get_kind(prm) == JV_KIND_OBJECT ? jv_object_get(
	    jv_copy(prm), jv_string("Authentication")) : jv_invalid(), where;
	jv conn = field(auth, "ConnectionArn", down(jv_copy(pat),
	    "Authentication"), &where);

	allow(p, "StatesInvokeHTTPEndpoint", invoke, jv_string_fmt(
	    "arn:aws:states:%s:%s:stateMachine:%s", asl_arn_region(),
	    asl_arn_account(), p->name), NULL, jv_null());
	one(p, jv_string("events:RetrieveConnectionCredentials"), conn,
	    jv_string_fmt("arn:aws:events:%s:%s:connection/*",
	    asl_arn_region(), asl_arn_account()), where,
	    "the connection is computed at run time");
	allow(p, "SecretsmanagerConnectionSecret", secret, jv_string(
	    "arn:aws:secretsmanager:*:*:secret:events!connection/*"), NULL,
	    jv_null());
	jv_free(auth);
	jv_free(pat);
}

static void
task(struct pol *p, jv state, jv at)
{
	jv res = jv_object_get(jv_copy(state), jv_string("Resource"));
	jv pat, prm = params(state, jv_copy(at), &pat), where, x;
	const char *r, *svc, *api, *dot, *end;

	if (jv_get_kind(res) != JV_KIND_STRING)
		goto out;
	r = jv_string_value(res);
	if (strncmp(r, "arn:aws:lambda:", 15) == 0) {
		lambda(p, jv_copy(res), down(jv_copy(at), "Resource"));
		goto out;
	}
	if (strncmp(r, "arn:aws:states:::", 17) != 0)
		goto out;	/* an activity, or no AWS resource */
	svc = r + 17;
	if ((api = strchr(svc, ':')) == NULL)
		goto out;
	api++;
	if (strncmp(svc, "aws-sdk:", 8) == 0) {
		svc = api;
		if ((api = strchr(svc, ':')) == NULL)
			goto out;
		api++;
		dot = strchr(api, '.');
		sdk(p, svc, (size_t)(api - 1 - svc), api, dot != NULL ?
		    (size_t)(dot - api) : strlen(api), prm, jv_copy(pat),
		    down(jv_copy(at), "Resource"));
		goto out;
	}
	dot = strchr(api, '.');
	end = dot != NULL ? dot : api + strlen(api);
	if (strncmp(svc, "lambda:", 7) == 0) {
		x = field(prm, "FunctionName", jv_copy(pat), &where);
		if (jv_get_kind(x) == JV_KIND_STRING)
			lambda(p, x, where);
		else {
			jv_free(x);
			one(p, jv_string("lambda:InvokeFunction"), jv_null(),
			    jv_string_fmt("arn:aws:lambda:%s:%s:function:*",
			    asl_arn_region(), asl_arn_account()), where,
			    "the function is chosen at run time");
		}
	} else if (strncmp(svc, "states:", 7) == 0 &&
	    strncmp(api, "startExecution", 14) == 0)
		start_execution(p, prm, jv_copy(pat), dot != NULL ? dot : "");
	else if (strncmp(svc, "sns:", 4) == 0) {
		x = field(prm, "TopicArn", jv_copy(pat), &where);
		if (jv_get_kind(x) != JV_KIND_STRING &&
		    jv_get_kind(where) == JV_KIND_NULL) {
			jv_free(x);
			x = field(prm, "TargetArn", jv_copy(pat), &where);
		}
		one(p, jv_string("sns:Publish"), x, jv_string_fmt(
		    "arn:aws:sns:%s:%s:*", asl_arn_region(),
		    asl_arn_account()), where, jv_get_kind(where) ==
		    JV_KIND_NULL ? "a message to a phone number has no ARN" :
		    "the topic is computed at run time");
	} else if (strncmp(svc, "sqs:", 4) == 0)
		one(p, action("sqs", api, (size_t)(end - api)), queue_arn(
		    field(prm, "QueueUrl", jv_copy(pat), &where)),
		    jv_string_fmt("arn:aws:sqs:%s:%s:*", asl_arn_region(),
		    asl_arn_account()), where, "the queue is computed at run "
		    "time");
	else if (strncmp(svc, "dynamodb:", 9) == 0)
		one(p, action("dynamodb", api, (size_t)(end - api)), arn_or(
		    field(prm, "TableName", jv_copy(pat), &where),
		    "arn:aws:dynamodb:%s:%s:table/%s"), jv_string_fmt(
		    "arn:aws:dynamodb:%s:%s:table/*", asl_arn_region(),
		    asl_arn_account()), where, "the table is computed at run "
		    "time");
	else if (strncmp(svc, "events:", 7) == 0)
		event_buses(p, prm, jv_copy(pat));
	else if (strncmp(svc, "http:", 5) == 0)
		http(p, prm, jv_copy(pat));
	else {
		jv s = jv_string_fmt("%.*s", (int)(api - 1 - svc), svc);
		one(p, action(jv_string_value(s), api, (size_t)(end - api)),
		    jv_null(), jv_string("*"), down(jv_copy(at), "Resource"),
		    "asl does not know "
		    "the resources of this integration: write the resource's "
		    "ARN in");
		jv_free(s);
	}
out:
	jv_free(prm);
	jv_free(pat);
	jv_free(res);
	jv_free(at);
	jv_free(state);
}

static void machine(struct pol *, jv, jv);

static void
map(struct pol *p, jv state, jv at)
{
	static const char *const start[] = { "states:StartExecution", NULL };
	static const char *const watch[] = { "states:DescribeExecution",
	    "states:StopExecution", NULL };
	static const char *const get[] = { "s3:GetObject", NULL };
	static const char *const list[] = { "s3:ListBucket", NULL };
	static const char *const put[] = { "s3:PutObject", "s3:GetObject",
	    "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload", NULL };
	jv proc = jv_object_get(jv_copy(state), jv_string("ItemProcessor"));
	jv cfg, mode, rd, rw, pat, prm, where, res, sub;
	const char *why = "the bucket or key is computed at run time";

	if (!jv_is_valid(proc)) {
		jv_free(proc);
		proc = jv_object_get(jv_copy(state), jv_string("Iterator"));
		sub = down(jv_copy(at), "Iterator");
	} else
		sub = down(jv_copy(at), "ItemProcessor");
	cfg = jv_get_kind(proc) == JV_KIND_OBJECT ? jv_object_get(
	    jv_copy(proc), jv_string("ProcessorConfig")) : jv_invalid();
	mode = jv_get_kind(cfg) == JV_KIND_OBJECT ? jv_object_get(
	    jv_copy(cfg), jv_string("Mode")) : jv_invalid();
	if (jv_get_kind(mode) == JV_KIND_STRING &&
	    strcmp(jv_string_value(mode), "DISTRIBUTED") == 0) {
		allow(p, "DistributedMapStartExecution", start, jv_string_fmt(
		    "arn:aws:states:%s:%s:stateMachine:%s", asl_arn_region(),
		    asl_arn_account(), p->name), NULL, jv_null());
		allow(p, "DistributedMapWatchExecutions", watch, jv_string_fmt(
		    "arn:aws:states:%s:%s:execution:%s/*", asl_arn_region(),
		    asl_arn_account(), p->name), NULL, jv_null());
	}
	rd = jv_object_get(jv_copy(state), jv_string("ItemReader"));
	if (jv_get_kind(rd) == JV_KIND_OBJECT) {
		jv r = jv_object_get(jv_copy(rd), jv_string("Resource"));
		int bucket = jv_get_kind(r) == JV_KIND_STRING &&
		    strstr(jv_string_value(r), "listObjects") != NULL;
		prm = params(rd, down(jv_copy(at), "ItemReader"), &pat);
		res = s3_arn(prm, pat, bucket ? NULL : "Key", 0, &where);
		if (jv_get_kind(res) == JV_KIND_STRING)
			allow(p, bucket ? "ItemReaderListBucket" :
			    "ItemReaderGetObject", bucket ? list : get, res,
			    jv_get_kind(where) == JV_KIND_STRING ? why : NULL,
			    where);
		else {
			jv_free(res);
			allow(p, bucket ? "ItemReaderListBucket" :
			    "ItemReaderGetObject", bucket ? list : get,
			    jv_string(bucket ? "arn:aws:s3:::*" :
			    "arn:aws:s3:::*/*"), why, where);
		}
		jv_free(prm);
		jv_free(r);
	}
	jv_free(rd);
	rw = jv_object_get(jv_copy(state), jv_string("ResultWriter"));
	if (jv_get_kind(rw) == JV_KIND_OBJECT) {
		prm = params(rw, down(jv_copy(at), "ResultWriter"), &pat);
		res = s3_arn(prm, pat, "Prefix", 1, &where);
		if (jv_get_kind(res) == JV_KIND_STRING)
			allow(p, "ResultWriterObjects", put, res,
			    jv_get_kind(where) == JV_KIND_STRING ? why : NULL,
			    where);
		else {
			jv_free(res);
			allow(p, "ResultWriterObjects", put,
			    jv_string("arn:aws:s3:::*/*"), why, where);
		}
		jv_free(prm);
	}
	jv_free(rw);
	if (jv_get_kind(proc) == JV_KIND_OBJECT)
		machine(p, proc, sub);
	else {
		jv_free(proc);
		jv_free(sub);
	}
	jv_free(cfg);
	jv_free(mode);
	jv_free(at);
	jv_free(state);
}

/* Every state of m (consumed) at pointer at (consumed). */
static void
machine(struct pol *p, jv m, jv at)
{
	jv states = jv_object_get(jv_copy(m), jv_string("States")), type, br;

	at = down(at, "States");
	if (jv_get_kind(states) == JV_KIND_OBJECT)
		jv_object_foreach(states, k, s) {
			jv where = down(jv_copy(at), jv_string_value(k));
			type = jv_object_get(jv_copy(s), jv_string("Type"));
			if (jv_get_kind(type) != JV_KIND_STRING)
				jv_free(where);
			else if (strcmp(jv_string_value(type), "Task") == 0)
				task(p, jv_copy(s), where);
			else if (strcmp(jv_string_value(type), "Map") == 0)
				map(p, jv_copy(s), where);
			else if (strcmp(jv_string_value(type), "Parallel") == 0) {
				br = jv_object_get(jv_copy(s),
				    jv_string("Branches"));
				if (jv_get_kind(br) == JV_KIND_ARRAY)
					jv_array_foreach(br, i, b) {
						machine(p, b, jv_string_fmt(
						    "%s/Branches/%d",
						    jv_string_value(where), i));
					}
				jv_free(br);
				jv_free(where);
			} else
				jv_free(where);
			jv_free(type);
			jv_free(k);
			jv_free(s);
		}
	jv_free(states);
	jv_free(at);
	jv_free(m);
}

jv
asl_policy(jv def, const char *name, jv *notes)
{
	struct pol p;
	jv doc;

	p.stmts = jv_array();
	p.index = jv_object();
	p.notes = jv_array();
	p.name = name;
	machine(&p, def, jv_string(""));
	doc = JV_OBJECT(jv_string("Version"), jv_string("2012-10-17"),
	    jv_string("Statement"), p.stmts);
	jv_free(p.index);
	*notes = p.notes;
	return doc;
}
