/*
 * asl_retry.c - Retry and Catch: error-name matching, backoff and jitter,
 * and the output a catcher hands to its Next state.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_json.h"
#include "asl_path.h"
#include "asl_retry.h"

#define STATES_ALL		"States.ALL"
#define STATES_TASK_FAILED	"States.TaskFailed"
#define STATES_TIMEOUT		"States.Timeout"
#define STATES_RUNTIME		"States.Runtime"

/* The ranges of the ASL specification. */
#define INTERVAL_MAX	99999999
#define ATTEMPTS_MAX	99999999

/*
 * The longest delay: LocalStack caps every retry interval at 31622401 s
 * (a leap year and a second) when MaxDelaySeconds is absent and refuses a
 * larger MaxDelaySeconds; AWS's own language server refuses it too.
 */
#define DELAY_MAX	31622401

/* Counters above 2^53 are not integers any more as doubles. */
#define COUNT_MAX	9007199254740992.0

/* Defaults, from the ASL specification. */
#define DEFAULT_INTERVAL	1
#define DEFAULT_ATTEMPTS	3
#define DEFAULT_BACKOFF		2.0

struct matcher {
	char	**names;
	int	  nnames;
};

struct retrier {
	struct matcher	  match;
	double		  interval;	/* IntervalSeconds */
	double		  attempts;	/* MaxAttempts */
	double		  backoff;	/* BackoffRate */
	double		  max_delay;	/* MaxDelaySeconds, else DELAY_MAX */
	int		  jitter;	/* JitterStrategy FULL */
};

enum result_mode {
	RESULT_ERROR,		/* no ResultPath: the output is the error output */
	RESULT_INPUT,		/* ResultPath null: the output is the raw input */
	RESULT_PATH		/* the error output placed into the raw input */
};

struct catcher {
	struct matcher	  match;
	jv		  next;
	enum result_mode  mode;
	struct asl_path	 *path;
};

struct asl_retry {
	struct retrier	 *retriers;
	int		  nretriers;
	struct catcher	 *catchers;
	int		  ncatchers;
};

static const char *const retrier_fields[] = {
	"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
	"MaxDelaySeconds", "JitterStrategy", "Comment", NULL
};

/* Assign and Output belong to the caller: it evaluates them itself. */
static const char *const catcher_fields[] = {
	"ErrorEquals", "Next", "ResultPath", "Assign", "Output", "Comment",
	NULL
};

int
asl_retry_matches(const char *pattern, const char *name)
{
	/*
	 * AWS: "a retry or catch on States.ALL won't catch States.Runtime
	 * errors", and a Catch on an explicit ["States.Runtime"] did not fire
	 * either: the execution failed at once (LocalStack snapshot
	 * test_catch_states_runtime).
	 */
	if (name != NULL && strcmp(name, STATES_RUNTIME) == 0)
		return 0;
	/*
	 * The docs say States.ALL does not match States.DataLimitExceeded
	 * either, but AWS was seen catching a DataLimitExceeded from a task
	 * result with States.ALL (test_states_errors snapshots), so it does.
	 */
	if (strcmp(pattern, STATES_ALL) == 0)
		return 1;
	/*
	 * An error without a name (SendTaskFailure with no error) has no name
	 * for an ErrorEquals entry to equal, and States.TaskFailed matches
	 * "any known error name": only States.ALL takes it.
	 */
	if (name == NULL)
		return 0;
	/*
	 * AWS: "States.TaskFailed acts as a wildcard that matches any known
	 * error name except for States.Timeout" (concepts-error-handling),
	 * and a Lambda's own "Exception" was caught by it (test_task_lambda
	 * test_raise_exception_catch).
	 */
	if (strcmp(pattern, STATES_TASK_FAILED) == 0)
		return strcmp(name, STATES_TIMEOUT) != 0;
	/* Error names are exact, case-sensitive strings. */
	return strcmp(pattern, name) == 0;
}

static int
matcher_matches(const struct matcher *m, const char *name)
{
	int i;

	for (i = 0; i < m->nnames; i++)
		if (asl_retry_matches(m->names[i], name))
			return 1;
	return 0;
}

static void
matcher_release(struct matcher *m)
{
	int i;

	for (i = 0; i < m->nnames; i++)
		free(m->names[i]);
	free(m->names);
	m->names = NULL;
	m->nnames = 0;
}

/* *err = "POINTER: MESSAGE"; consumes ptr; returns -1. */
static int
bad(jv *err, jv ptr, const char *fmt, ...)
{
	va_list ap;
	jv msg;

	va_start(ap, fmt);
	msg = jv_string_vfmt(fmt, ap);
	va_end(ap);
	*err = jv_string_fmt("%s: %s", jv_string_value(ptr),
	    jv_string_value(msg));
	jv_free(ptr);
	jv_free(msg);
	return -1;
}

static jv
pointer_index(jv ptr, int i)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", i);
	return asl_json_pointer_append(ptr, buf);
}

/* obj's member key, or an invalid jv when absent.  Borrows obj. */
static jv
member(jv obj, const char *key)
{
	return jv_object_get(jv_copy(obj), asl_key(key));
}

/* Refuse members not in fields[] (typos would silently change the policy). */
static int
check_fields(jv obj, const char *const fields[], jv ptr, jv *err)
{
	int i, known, ret = 0;

	jv_object_foreach(obj, key, value) {
		known = 0;
		for (i = 0; fields[i] != NULL; i++)
			if (strcmp(jv_string_value(key), fields[i]) == 0)
				known = 1;
		if (!known && ret == 0)
			ret = bad(err, asl_json_pointer_append(jv_copy(ptr),
			    jv_string_value(key)), "unknown field");
		else if (strcmp(jv_string_value(key), "Comment") == 0 &&
		    jv_get_kind(value) != JV_KIND_STRING && ret == 0)
			ret = bad(err, asl_json_pointer_append(jv_copy(ptr),
			    "Comment"), "must be a string");
		jv_free(key);
		jv_free(value);
	}
	jv_free(ptr);
	return ret;
}

/*
 * ErrorEquals of the element at ptr (a retrier or catcher), the last of
 * its array or not.  Borrows obj; consumes ptr.
 */
static int
compile_matcher(jv obj, jv ptr, int last, const char *what,
    struct matcher *m, jv *err)
{
	jv names, name;
	int i, n, all = 0;

	names = member(obj, "ErrorEquals");
	if (!jv_is_valid(names)) {
		jv_free(names);
		return bad(err, ptr, "missing ErrorEquals");
	}
	ptr = asl_json_pointer_append(ptr, "ErrorEquals");
	if (jv_get_kind(names) != JV_KIND_ARRAY ||
	    (n = jv_array_length(jv_copy(names))) == 0) {
		jv_free(names);
		return bad(err, ptr, "must be a non-empty array of error names");
	}
	if ((m->names = calloc((size_t)n, sizeof(*m->names))) == NULL) {
		jv_free(names);
		return bad(err, ptr, "out of memory");
	}
	for (i = 0; i < n; i++) {
		name = jv_array_get(jv_copy(names), i);
		if (jv_get_kind(name) != JV_KIND_STRING) {
			jv_free(name);
			jv_free(names);
			return bad(err, pointer_index(ptr, i),
			    "must be a string");
		}
		m->names[m->nnames] = strdup(jv_string_value(name));
		if (m->names[m->nnames] == NULL) {
			jv_free(name);
			jv_free(names);
			return bad(err, ptr, "out of memory");
		}
		m->nnames++;
		if (strcmp(jv_string_value(name), STATES_ALL) == 0)
			all = 1;
		jv_free(name);
	}
	jv_free(names);
	/* Static rules of the specification, which AWS enforces. */
	if (all && n > 1)
		return bad(err, ptr, "States.ALL must appear alone");
	if (all && !last)
		return bad(err, ptr, "States.ALL must be in the last %s", what);
	jv_free(ptr);
	return 0;
}

/*
 * An integral number member in [lo, hi], or dflt when absent.  Borrows
 * obj; consumes ptr.
 */
static int
integer_field(jv obj, const char *key, double lo, double hi, double dflt,
    double *out, jv ptr, jv *err)
{
	jv v = member(obj, key);
	double d;

	if (!jv_is_valid(v)) {
		jv_free(v);
		jv_free(ptr);
		*out = dflt;
		return 0;
	}
	ptr = asl_json_pointer_append(ptr, key);
	d = jv_get_kind(v) == JV_KIND_NUMBER ? jv_number_value(v) : NAN;
	jv_free(v);
	if (!(d >= lo && d <= hi) || d != floor(d))
		return bad(err, ptr, "must be an integer from %.0f to %.0f",
		    lo, hi);
	jv_free(ptr);
	*out = d;
	return 0;
}

/* Borrows obj; consumes ptr. */
static int
compile_retrier(jv obj, jv ptr, int last, struct retrier *rt, jv *err)
{
	jv v;
	double d;

	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return bad(err, ptr, "a retrier must be an object");
	if (check_fields(obj, retrier_fields, jv_copy(ptr), err) == -1 ||
	    compile_matcher(obj, jv_copy(ptr), last, "retrier", &rt->match,
	    err) == -1 ||
	    integer_field(obj, "IntervalSeconds", 1, INTERVAL_MAX,
	    DEFAULT_INTERVAL, &rt->interval, jv_copy(ptr), err) == -1 ||
	    integer_field(obj, "MaxAttempts", 0, ATTEMPTS_MAX,
	    DEFAULT_ATTEMPTS, &rt->attempts, jv_copy(ptr), err) == -1 ||
	    integer_field(obj, "MaxDelaySeconds", 1, DELAY_MAX, DELAY_MAX,
	    &rt->max_delay, jv_copy(ptr), err) == -1) {
		jv_free(ptr);
		return -1;
	}

	rt->backoff = DEFAULT_BACKOFF;
	v = member(obj, "BackoffRate");
	if (jv_is_valid(v)) {
		d = jv_get_kind(v) == JV_KIND_NUMBER ? jv_number_value(v) : NAN;
		if (!(d >= 1.0) || isinf(d)) {
			jv_free(v);
			return bad(err, asl_json_pointer_append(ptr, "BackoffRate"),
			    "must be a number of at least 1.0");
		}
		rt->backoff = d;
	}
	jv_free(v);

	rt->jitter = 0;
	v = member(obj, "JitterStrategy");
	if (jv_is_valid(v)) {
		if (jv_get_kind(v) != JV_KIND_STRING ||
		    (strcmp(jv_string_value(v), "FULL") != 0 &&
		    strcmp(jv_string_value(v), "NONE") != 0)) {
			jv_free(v);
			return bad(err, asl_json_pointer_append(ptr,
			    "JitterStrategy"), "must be \"FULL\" or \"NONE\"");
		}
		rt->jitter = strcmp(jv_string_value(v), "FULL") == 0;
	}
	jv_free(v);
	jv_free(ptr);
	return 0;
}

/* Borrows obj; consumes ptr. */
static int
compile_catcher(jv obj, jv ptr, int last, struct catcher *c, jv *err)
{
	jv v, perr;

	c->next = jv_null();
	c->mode = RESULT_ERROR;
	c->path = NULL;
	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return bad(err, ptr, "a catcher must be an object");
	if (check_fields(obj, catcher_fields, jv_copy(ptr), err) == -1 ||
	    compile_matcher(obj, jv_copy(ptr), last, "catcher", &c->match,
	    err) == -1) {
		jv_free(ptr);
		return -1;
	}

	v = member(obj, "Next");
	if (!jv_is_valid(v)) {
		jv_free(v);
		return bad(err, ptr, "missing Next");
	}
	if (jv_get_kind(v) != JV_KIND_STRING) {
		jv_free(v);
		return bad(err, asl_json_pointer_append(ptr, "Next"),
		    "must be a state name");
	}
	jv_free(c->next);
	c->next = v;

	v = member(obj, "ResultPath");
	if (!jv_is_valid(v)) {
		/* absent: "$", the error output replaces the input */
		jv_free(v);
	} else if (jv_get_kind(v) == JV_KIND_NULL) {
		c->mode = RESULT_INPUT;
		jv_free(v);
	} else if (jv_get_kind(v) == JV_KIND_STRING) {
		c->path = asl_path_compile(jv_string_value(v),
		    ASL_PATH_REFERENCE | ASL_PATH_NO_CONTEXT |
		    ASL_PATH_NO_VARIABLE, &perr);
		if (c->path == NULL) {
			bad(err, asl_json_pointer_append(ptr, "ResultPath"),
			    "invalid reference path '%s': %s",
			    jv_string_value(v), jv_string_value(perr));
			jv_free(perr);
			jv_free(v);
			return -1;
		}
		c->mode = RESULT_PATH;
		jv_free(v);
	} else {
		jv_free(v);
		return bad(err, asl_json_pointer_append(ptr, "ResultPath"),
		    "must be a reference path or null");
	}
	jv_free(ptr);
	return 0;
}

/*
 * The array of retriers or catchers at ptr: its length, or -1.  Borrows
 * list; consumes ptr.
 */
static int
list_length(jv list, jv ptr, const char *what, jv *err)
{
	int n;

	if (jv_get_kind(list) == JV_KIND_NULL || !jv_is_valid(list)) {
		jv_free(ptr);
		return 0;
	}
	if (jv_get_kind(list) != JV_KIND_ARRAY)
		return bad(err, ptr, "must be an array of %s", what);
	jv_free(ptr);
	n = jv_array_length(jv_copy(list));
	return n;
}

/*
 * asl_retry_compile with the pointers its messages start from ("/Retry"
 * for a state, "/retry" for asl-retry's request).
 */
static struct asl_retry *
compile_at(jv retry, jv catch, const char *rwhere, const char *cwhere,
    jv *err)
{
	struct asl_retry *r;
	jv elem;
	int i, n;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		*err = ASL_LIT("out of memory");
		goto fail;
	}
	if ((n = list_length(retry, jv_string(rwhere), "retriers", err)) == -1)
		goto fail;
	if (n > 0 && (r->retriers = calloc((size_t)n,
	    sizeof(*r->retriers))) == NULL) {
		*err = ASL_LIT("out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		elem = jv_array_get(jv_copy(retry), i);
		r->nretriers++;
		if (compile_retrier(elem, pointer_index(jv_string(rwhere), i),
		    i == n - 1, &r->retriers[i], err) == -1) {
			jv_free(elem);
			goto fail;
		}
		jv_free(elem);
	}
	if ((n = list_length(catch, jv_string(cwhere), "catchers", err)) == -1)
		goto fail;
	if (n > 0 && (r->catchers = calloc((size_t)n,
	    sizeof(*r->catchers))) == NULL) {
		*err = ASL_LIT("out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		elem = jv_array_get(jv_copy(catch), i);
		r->ncatchers++;
		if (compile_catcher(elem, pointer_index(jv_string(cwhere), i),
		    i == n - 1, &r->catchers[i], err) == -1) {
			jv_free(elem);
			goto fail;
		}
		jv_free(elem);
	}
	jv_free(retry);
	jv_free(catch);
	return r;
fail:
	jv_free(retry);
	jv_free(catch);
	asl_retry_free(r);
	return NULL;
}

struct asl_retry *
asl_retry_compile(jv retry, jv catch, jv *err)
{
	return compile_at(retry, catch, "/Retry", "/Catch", err);
}

void
asl_retry_free(struct asl_retry *r)
{
	int i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nretriers; i++)
		matcher_release(&r->retriers[i].match);
	for (i = 0; i < r->ncatchers; i++) {
		matcher_release(&r->catchers[i].match);
		jv_free(r->catchers[i].next);
		asl_path_free(r->catchers[i].path);
	}
	free(r->retriers);
	free(r->catchers);
	free(r);
}

int
asl_retry_retriers(const struct asl_retry *r)
{
	return r->nretriers;
}

static jv
malformed(const char *fmt, ...)
{
	va_list ap;
	jv msg;

	va_start(ap, fmt);
	msg = jv_string_vfmt(fmt, ap);
	va_end(ap);
	return jv_invalid_with_msg(msg);
}

jv
asl_retry_error_output(jv error)
{
	jv name, cause;

	if (jv_get_kind(error) != JV_KIND_OBJECT) {
		jv_free(error);
		return malformed("error: must be an object {\"Error\", "
		    "\"Cause\"}");
	}
	name = member(error, "Error");
	cause = member(error, "Cause");
	jv_free(error);
	if (!jv_is_valid(name)) {
		jv_free(name);
		jv_free(cause);
		return malformed("error: 'Error' is missing");
	}
	if (jv_get_kind(name) != JV_KIND_STRING &&
	    jv_get_kind(name) != JV_KIND_NULL) {
		jv_free(name);
		jv_free(cause);
		return malformed("error: 'Error' must be a string or null");
	}
	if (!jv_is_valid(cause)) {
		/*
		 * AWS: a timeout's error output is {"Error": "States.Timeout",
		 * "Cause": ""}, and SendTaskFailure with neither error nor
		 * cause gives {"Error": null, "Cause": null}.
		 */
		jv_free(cause);
		cause = jv_get_kind(name) == JV_KIND_NULL ? jv_null() :
		    ASL_LIT("");
	} else if (jv_get_kind(cause) != JV_KIND_STRING &&
	    jv_get_kind(cause) != JV_KIND_NULL) {
		jv_free(name);
		jv_free(cause);
		return malformed("error: 'Cause' must be a string or null");
	}
	return JV_OBJECT(ASL_LIT("Error"), name, ASL_LIT("Cause"), cause);
}

/*
 * The counters as doubles, nretriers of them.  Consumes counts; NULL with
 * *err set when malformed.
 */
static double *
parse_counts(jv counts, int nretriers, jv *err)
{
	double *c, d;
	jv v;
	int i, n;

	if ((c = calloc((size_t)nretriers + 1, sizeof(*c))) == NULL) {
		jv_free(counts);
		*err = malformed("out of memory");
		return NULL;
	}
	if (jv_get_kind(counts) == JV_KIND_NULL) {
		jv_free(counts);
		return c;
	}
	if (jv_get_kind(counts) != JV_KIND_ARRAY)
		goto bad;
	n = jv_array_length(jv_copy(counts));
	if (n > nretriers) {
		jv_free(counts);
		free(c);
		*err = malformed("counts: %d counter%s for %d retrier%s", n,
		    n == 1 ? "" : "s", nretriers, nretriers == 1 ? "" : "s");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		v = jv_array_get(jv_copy(counts), i);
		d = jv_get_kind(v) == JV_KIND_NUMBER ? jv_number_value(v) : NAN;
		jv_free(v);
		if (!(d >= 0 && d <= COUNT_MAX) || d != floor(d))
			goto bad;
		c[i] = d;
	}
	jv_free(counts);
	return c;
bad:
	jv_free(counts);
	free(c);
	*err = malformed("counts: must be an array of non-negative integers");
	return NULL;
}

/*
 * The wait before the attempt after k retries by rt: IntervalSeconds *
 * BackoffRate^k, capped, then with FULL jitter a uniform draw in
 * [0, capped].  TestState with IntervalSeconds 1, BackoffRate 2 and
 * retrierRetryCount 4 reports retryBackoffIntervalSeconds 16 (snapshot
 * test_state_configuration_retrier_retry_count).  Whole milliseconds:
 * the resolution of the timers and timestamps that carry it out.
 */
static double
retry_delay(const struct retrier *rt, double k, struct asl_rng *rng)
{
	double d;
	long long ms;

	d = rt->interval * pow(rt->backoff, k);
	if (!(d <= rt->max_delay))	/* also an overflow to infinity */
		d = rt->max_delay;
	ms = llround(d * 1000.0);
	if (rt->jitter && rng != NULL)
		ms = (long long)asl_rng_below(rng, (uint64_t)ms + 1);
	return (double)ms / 1000.0;
}

static jv
counts_array(const double *c, int n)
{
	jv a = jv_array();
	int i;

	for (i = 0; i < n; i++)
		a = jv_array_append(a, jv_number(c[i]));
	return a;
}

static jv
decide_catch(const struct catcher *c, int index, int retrier, jv errout,
    jv input)
{
	jv d = JV_OBJECT(ASL_LIT("action"), ASL_LIT("catch"));
	jv output;

	if (retrier >= 0)
		d = jv_object_set(d, ASL_LIT("retrier"), jv_number(retrier));
	switch (c->mode) {
	case RESULT_INPUT:
		jv_free(errout);
		output = input;
		break;
	case RESULT_PATH:
		output = asl_path_put(c->path, input, errout);
		break;
	case RESULT_ERROR:
	default:
		jv_free(input);
		output = errout;
		break;
	}
	if (!jv_is_valid(output)) {
		/*
		 * The ResultPath cannot take the error output (the spec's
		 * States.ResultPathMatchFailure): the state fails with that
		 * error; catching it again here could loop forever.
		 */
		output = asl_error_object(output);
		d = jv_object_set(d, ASL_LIT("action"), ASL_LIT("fail"));
		d = jv_object_set(d, ASL_LIT("catcher"), jv_number(index));
		d = jv_object_set(d, ASL_LIT("error"), jv_object_get(
		    jv_copy(output), ASL_LIT("Error")));
		return jv_object_set(d, ASL_LIT("cause"), jv_object_get(
		    output, ASL_LIT("Cause")));
	}
	d = jv_object_set(d, ASL_LIT("catcher"), jv_number(index));
	d = jv_object_set(d, ASL_LIT("next"), jv_copy(c->next));
	return jv_object_set(d, ASL_LIT("output"), output);
}

jv
asl_retry_decide(const struct asl_retry *r, jv error, jv counts, jv input,
    struct asl_rng *rng)
{
	const struct retrier *rt;
	const char *name;
	double *c, k;
	jv errout, err, d;
	int i, exhausted = -1;

	errout = asl_retry_error_output(error);
	if (!jv_is_valid(errout)) {
		jv_free(counts);
		jv_free(input);
		return errout;
	}
	if ((c = parse_counts(counts, r->nretriers, &err)) == NULL) {
		jv_free(errout);
		jv_free(input);
		return err;
	}
	err = jv_object_get(jv_copy(errout), ASL_LIT("Error"));
	name = jv_get_kind(err) == JV_KIND_STRING ? asl_error_name(errout) :
	    NULL;
	jv_free(err);

	/*
	 * Only the first retrier whose ErrorEquals matches counts: once its
	 * MaxAttempts are spent the error goes to Catch, and later retriers
	 * that match too are not consulted (ASL spec, "Retrying after
	 * error").
	 */
	for (i = 0; i < r->nretriers; i++) {
		rt = &r->retriers[i];
		if (!matcher_matches(&rt->match, name))
			continue;
		k = c[i];
		if (k >= rt->attempts) {
			exhausted = i;
			break;
		}
		c[i] = k + 1;
		d = JV_OBJECT(ASL_LIT("action"), ASL_LIT("retry"),
		    ASL_LIT("retrier"), jv_number(i),
		    ASL_LIT("attempt"), jv_number(k + 1),
		    ASL_LIT("delaySeconds"),
		    jv_number(retry_delay(rt, k, rng)),
		    ASL_LIT("counts"), counts_array(c, r->nretriers));
		free(c);
		jv_free(errout);
		jv_free(input);
		return d;
	}
	free(c);

	for (i = 0; i < r->ncatchers; i++)
		if (matcher_matches(&r->catchers[i].match, name))
			return decide_catch(&r->catchers[i], i, exhausted,
			    errout, input);

	jv_free(input);
	d = JV_OBJECT(ASL_LIT("action"), ASL_LIT("fail"));
	if (exhausted >= 0)
		d = jv_object_set(d, ASL_LIT("retrier"),
		    jv_number(exhausted));
	d = jv_object_set(d, ASL_LIT("error"), jv_object_get(
	    jv_copy(errout), ASL_LIT("Error")));
	return jv_object_set(d, ASL_LIT("cause"), jv_object_get(errout,
	    ASL_LIT("Cause")));
}

static const char *const request_fields[] = {
	"retry", "catch", "state", "error", "counts", "input", NULL
};

jv
asl_retry_request(jv req, struct asl_rng *rng)
{
	struct asl_retry *r;
	const char *rwhere = "/retry", *cwhere = "/catch";
	jv retry, catch, state, error, counts, input, err, d;
	int i, known;

	if (jv_get_kind(req) != JV_KIND_OBJECT) {
		jv_free(req);
		return malformed("request: must be a JSON object");
	}
	jv_object_foreach(req, key, value) {
		known = 0;
		for (i = 0; request_fields[i] != NULL; i++)
			if (strcmp(jv_string_value(key), request_fields[i]) == 0)
				known = 1;
		if (!known) {
			d = malformed("request: unknown member '%s'",
			    jv_string_value(key));
			jv_free(key);
			jv_free(value);
			jv_free(req);
			return d;
		}
		jv_free(key);
		jv_free(value);
	}

	error = member(req, "error");
	if (!jv_is_valid(error)) {
		jv_free(error);
		jv_free(req);
		return malformed("request: 'error' is missing");
	}
	retry = member(req, "retry");
	catch = member(req, "catch");
	state = member(req, "state");
	if (jv_is_valid(state)) {
		if (jv_is_valid(retry) || jv_is_valid(catch)) {
			d = malformed("request: give 'state' or 'retry' and "
			    "'catch', not both");
			goto out;
		}
		if (jv_get_kind(state) != JV_KIND_OBJECT) {
			d = malformed("request: 'state' must be an object");
			goto out;
		}
		jv_free(retry);
		jv_free(catch);
		retry = member(state, "Retry");
		catch = member(state, "Catch");
		rwhere = "/state/Retry";
		cwhere = "/state/Catch";
	}
	if (!jv_is_valid(retry)) {
		jv_free(retry);
		retry = jv_null();
	}
	if (!jv_is_valid(catch)) {
		jv_free(catch);
		catch = jv_null();
	}
	r = compile_at(retry, catch, rwhere, cwhere, &err);
	retry = jv_invalid();
	catch = jv_invalid();
	if (r == NULL) {
		d = jv_invalid_with_msg(err);
		goto out;
	}
	counts = member(req, "counts");
	if (!jv_is_valid(counts)) {
		jv_free(counts);
		counts = jv_null();
	}
	/* Like an execution started without input, the input is {}. */
	input = member(req, "input");
	if (!jv_is_valid(input)) {
		jv_free(input);
		input = jv_object();
	}
	d = asl_retry_decide(r, error, counts, input, rng);
	error = jv_invalid();
	asl_retry_free(r);
out:
	jv_free(retry);
	jv_free(catch);
	jv_free(state);
	jv_free(error);
	jv_free(req);
	return d;
}
