/*
 * asl_teststate.c - TestState: one state, once, mocks in place of the
 * world, and AWS's statuses.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "asl.h"
#include "asl_arn.h"
#include "asl_definition.h"
#include "asl_json.h"
#include "asl_machine.h"
#include "asl_retry.h"
#include "asl_rng.h"
#include "asl_step.h"
#include "asl_store.h"
#include "asl_teststate.h"
#include "asl_time.h"

static jv
api_error(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static jv
api_error(const char *name, const char *fmt, ...)
{
	va_list ap;
	jv msg;

	va_start(ap, fmt);
	msg = jv_string_vfmt(fmt, ap);
	va_end(ap);
	return asl_error_jv(jv_string(name), msg);
}

/*
 * The definition of a request (doc, consumed), loaded as every definition
 * is (asl_definition.h) and compiled, a lone state named name.  It is not
 * validated again: asl-step takes asl-parse's output, and a definition
 * file given to it is validated when it is read.  NULL, with *out the
 * InvalidDefinition error, if it does not compile.
 */
static struct asl_machine *
load(jv doc, const char *name, jv *out)
{
	struct asl_definition d;
	struct asl_machine *m;
	jv err, obj;

	asl_definition_init(&d);
	d.state_name = name;
	if (asl_definition_value(&d, doc, ASL_DEFINITION_ANY |
	    ASL_DEFINITION_COMPILE | ASL_DEFINITION_TRUSTED, &err) == -1) {
		obj = asl_error_object(err);
		*out = api_error("InvalidDefinition", "%s",
		    asl_error_cause(obj));
		jv_free(obj);
		asl_definition_release(&d);
		return NULL;
	}
	m = d.machine;
	d.machine = NULL;
	asl_definition_release(&d);
	return m;
}

/* A member given as a value or as JSON text (as AWS takes it). */
static jv
member(jv obj, const char *key, jv dflt)
{
	jv v = jv_object_get(jv_copy(obj), asl_key(key)), p;

	if (!jv_is_valid(v) || jv_get_kind(v) == JV_KIND_NULL) {
		jv_free(v);
		return dflt;
	}
	jv_free(dflt);
	if (jv_get_kind(v) != JV_KIND_STRING)
		return v;
	p = asl_json_parse(jv_string_value(v), (size_t)jv_string_length_bytes(
	    jv_copy(v)), NULL, NULL);
	if (!jv_is_valid(p)) {
		jv_free(p);
		p = api_error("ValidationException", "'%s' is not valid JSON",
		    key);
	}
	jv_free(v);
	return p;
}

static jv
number_member(jv obj, const char *key)
{
	jv v = jv_object_get(jv_copy(obj), asl_key(key));

	if (jv_get_kind(v) == JV_KIND_NUMBER)
		return v;
	jv_free(v);
	return jv_invalid();
}

/*
 * The account an IAM role ARN names ("arn:aws:iam::ACCOUNT:role/NAME"),
 * else the configured one.
 */
static jv
role_account(jv role)
{
	const char *f[6];
	size_t len[6];
	jv account;

	if (asl_arn_split(jv_string_value(role), f, len) == 0 && len[4] > 0)
		account = jv_string_sized(f[4], (int)len[4]);
	else
		account = jv_string(asl_arn_account());
	jv_free(role);
	return account;
}

/*
 * The context TestState fills in when none is given.  AWS runs the state
 * as an express execution: its ARNs name the account of the request's
 * roleArn, and its Execution.RoleArn is that role, or null without one;
 * State has the state's name, and a RetryCount only where a state can
 * retry (Task, Parallel, Map), as in an execution.
 */
static jv
default_context(jv input, const struct asl_state *s, jv role)
{
	char now[ASL_TIME_BUFSIZE];
	const char *sm = "TestStateMachine", *exec = "TestStateExecution";
	jv account, ctx, state;

	if (jv_get_kind(role) != JV_KIND_STRING) {
		jv_free(role);
		role = jv_null();
		account = jv_string(asl_arn_account());
	} else
		account = role_account(jv_copy(role));
	asl_time_format(asl_time_now(), now, sizeof now);
	state = JV_OBJECT(ASL_LIT("Name"), jv_string(asl_machine_state_name(s)),
	    ASL_LIT("EnteredTime"), jv_string(now));
	if (s->type == ASL_TASK || s->type == ASL_PARALLEL ||
	    s->type == ASL_MAP)
		state = jv_object_set(state, ASL_LIT("RetryCount"),
		    jv_number(0));
	ctx = JV_OBJECT(
	    ASL_LIT("Execution"), JV_OBJECT(
		ASL_LIT("Id"), jv_string_fmt("arn:aws:states:%s:%s:express:"
		    "%s:%s", asl_arn_region(), jv_string_value(account), sm, exec),
		ASL_LIT("Input"), input,
		ASL_LIT("Name"), jv_string(exec),
		ASL_LIT("RoleArn"), role,
		ASL_LIT("StartTime"), jv_string(now)),
	    ASL_LIT("StateMachine"), JV_OBJECT(
		ASL_LIT("Id"), jv_string_fmt("arn:aws:states:%s:%s:"
		    "stateMachine:%s", asl_arn_region(), jv_string_value(account),
		    sm),
		ASL_LIT("Name"), jv_string(sm)),
	    ASL_LIT("State"), state);
	jv_free(account);
	return ctx;
}

static jv
response(const struct asl_step_result *res, jv vars, int inspect)
{
	jv r = asl_step_result_json(res, vars), out;

	out = JV_OBJECT(ASL_LIT("status"), jv_object_get(jv_copy(r),
	    ASL_LIT("status")));
	if (res->status == ASL_STATUS_SUCCEEDED ||
	    res->status == ASL_STATUS_CAUGHT_ERROR)
		out = jv_object_set(out, ASL_LIT("output"), jv_copy(res->output));
	if (jv_get_kind(res->error) == JV_KIND_OBJECT) {
		const char *keys[] = { "error", "cause" };
		int i;
		for (i = 0; i < 2; i++) {
			jv v = jv_object_get(jv_copy(r), jv_string(keys[i]));
			if (jv_is_valid(v))
				out = jv_object_set(out, jv_string(keys[i]), v);
			else
				jv_free(v);
		}
	}
	if (jv_get_kind(res->next_name) == JV_KIND_STRING &&
	    res->status != ASL_STATUS_FAILED &&
	    res->status != ASL_STATUS_RETRIABLE)
		out = jv_object_set(out, ASL_LIT("nextState"),
		    jv_copy(res->next_name));
	if (res->status == ASL_STATUS_PENDING)
		out = jv_object_set(out, ASL_LIT("effect"), jv_copy(res->effect));
	if (inspect) {
		jv insp = jv_object_get(jv_copy(r), ASL_LIT("inspectionData"));
		jv vs = jv_object_get(jv_copy(r), ASL_LIT("variables"));
		if (!jv_is_valid(insp)) {
			jv_free(insp);
			insp = jv_object();
		}
		if (jv_is_valid(vs))
			insp = jv_object_set(insp, ASL_LIT("variables"), vs);
		else
			jv_free(vs);
		out = jv_object_set(out, ASL_LIT("inspectionData"), insp);
	}
	jv_free(r);
	return out;
}

/*
 * The mock's fieldValidationMode (borrowed) is one of AWS's values; the
 * result is not checked against the service's API model, which the
 * engine does not have.  0 with *out the API error when it is not.
 */
static int
field_validation_mode(jv mock, jv *out)
{
	jv m = jv_object_get(jv_copy(mock), ASL_LIT("fieldValidationMode"));
	const char *s;
	int ok = 1;

	if (jv_is_valid(m) && jv_get_kind(m) != JV_KIND_NULL) {
		s = jv_get_kind(m) == JV_KIND_STRING ? jv_string_value(m) : "";
		ok = strcmp(s, "STRICT") == 0 || strcmp(s, "PRESENT") == 0 ||
		    strcmp(s, "NONE") == 0;
		if (!ok)
			*out = api_error("ValidationException", "1 validation "
			    "error detected: Value '%s' at "
			    "'mock.fieldValidationMode' failed to satisfy "
			    "constraint: Member must satisfy enum value set: "
			    "[STRICT, PRESENT, NONE]", s);
	}
	jv_free(m);
	return ok;
}

/* Keep the inspection data of the first phase in the later ones. */
static void
merge_inspection(struct asl_step_result *res, jv earlier)
{
	if (jv_get_kind(earlier) != JV_KIND_OBJECT) {
		jv_free(earlier);
		return;
	}
	if (jv_get_kind(res->inspection) == JV_KIND_OBJECT)
		res->inspection = jv_object_merge(earlier, res->inspection);
	else {
		jv_free(res->inspection);
		res->inspection = earlier;
	}
}

/*
 * The runner's outcome of effect (consumed); at TRACE its inspection data
 * (the HTTP Task's request and response) joins *earlier.
 */
static jv
run_task(asl_task_runner runner, void *arg, jv effect, int trace,
    jv *earlier)
{
	jv extra = jv_null(), r = runner(arg, effect, &extra);

	if (trace && jv_get_kind(extra) == JV_KIND_OBJECT &&
	    jv_get_kind(*earlier) == JV_KIND_OBJECT)
		*earlier = jv_object_merge(*earlier, extra);
	else if (trace && jv_get_kind(extra) == JV_KIND_OBJECT) {
		jv_free(*earlier);
		*earlier = extra;
	} else
		jv_free(extra);
	return r;
}

jv
asl_teststate_run(jv request, asl_task_runner runner, void *arg)
{
	struct asl_step_request req;
	struct asl_step_result res;
	struct asl_machine *m;
	const struct asl_state *s;
	struct asl_rng rng;
	jv def, input, ctx, vars, mock, cfg, level, name, out, mresult,
	    merror, earlier;
	const char *statename;
	int inspect, trace, reveal, lone;

	def = member(request, "definition", jv_null());
	input = member(request, "input", jv_object());
	vars = member(request, "variables", jv_object());
	mock = jv_object_get(jv_copy(request), ASL_LIT("mock"));
	cfg = jv_object_get(jv_copy(request), ASL_LIT("stateConfiguration"));
	level = jv_object_get(jv_copy(request), ASL_LIT("inspectionLevel"));
	name = jv_object_get(jv_copy(request), ASL_LIT("stateName"));
	inspect = jv_get_kind(level) == JV_KIND_STRING &&
	    strcmp(jv_string_value(level), "INFO") != 0;
	trace = inspect && strcmp(jv_string_value(level), "TRACE") == 0;
	jv_free(level);
	/* revealSecrets: what an HTTP Task's connection adds, shown at TRACE */
	out = jv_object_get(jv_copy(request), ASL_LIT("revealSecrets"));
	reveal = jv_get_kind(out) == JV_KIND_TRUE;
	jv_free(out);
	if (!jv_is_valid(mock))
		mock = (jv_free(mock), jv_null());
	if (!jv_is_valid(cfg))
		cfg = (jv_free(cfg), jv_object());
	out = jv_null();
	m = NULL;
	if (!jv_is_valid(def) || !jv_is_valid(input) || !jv_is_valid(vars)) {
		out = !jv_is_valid(def) ? jv_copy(def) : !jv_is_valid(input) ?
		    jv_copy(input) : jv_copy(vars);
		goto done;
	}
	if (jv_get_kind(def) != JV_KIND_OBJECT) {
		out = api_error("InvalidDefinition", "the definition must be a "
		    "JSON object");
		goto done;
	}
	lone = !jv_object_has(jv_copy(def), ASL_LIT("States"));
	if ((m = load(jv_copy(def), ASL_TESTSTATE_NAME, &out)) == NULL)
		goto done;
	if (lone)
		s = m->top->start;
	else if (jv_get_kind(name) == JV_KIND_STRING) {
		s = asl_machine_state(m, jv_string_value(name));
		if (s == NULL) {
			out = api_error("ValidationException", "State '%s' does not "
			    "exist in the definition", jv_string_value(name));
			goto done;
		}
	} else
		s = m->top->start;
	statename = asl_machine_state_name(s);
	if (jv_get_kind(mock) == JV_KIND_OBJECT) {
		if (s->type != ASL_TASK && s->type != ASL_MAP &&
		    s->type != ASL_PARALLEL) {
			out = api_error("ValidationException", "State type '%s' is "
			    "not supported when a mock is specified",
			    asl_machine_type_name(s->type));
			goto done;
		}
		if (jv_object_has(jv_copy(mock), ASL_LIT("result")) &&
		    jv_object_has(jv_copy(mock), ASL_LIT("errorOutput"))) {
			out = api_error("ValidationException", "A test mock should "
			    "have only one of the following fields: [result, "
			    "errorOutput].");
			goto done;
		}
		if (!field_validation_mode(mock, &out))
			goto done;
	} else if (s->type == ASL_MAP || s->type == ASL_PARALLEL) {
		out = api_error("InvalidDefinition", "TestState API does not "
		    "support Map or Parallel states. Supported state types "
		    "include: [Task, Wait, Pass, Succeed, Fail, Choice]");
		goto done;
	}
	ctx = member(request, "context", default_context(jv_copy(input),
	    s, jv_object_get(jv_copy(request), ASL_LIT("roleArn"))));
	if (!jv_is_valid(ctx)) {
		out = ctx;
		goto done;
	}

	asl_rng_seed(&rng, 0);
	asl_step_request_init(&req);
	req.state = s;
	req.input = input;
	req.context = ctx;
	req.vars = vars;
	req.inspect = inspect;
	req.payload_limit = ASL_PAYLOAD_LIMIT;
	req.rng = &rng;
	/* TestState's stand-in for what an ItemReader would read */
	req.items = member(cfg, "mapItemReaderData", jv_null());
	if (!jv_is_valid(req.items))
		req.items = (jv_free(req.items), jv_null());
	asl_step(&req, &res);
	jv_free(req.items);
	req.items = jv_null();
	if (res.status != ASL_STATUS_PENDING) {
		out = response(&res, jv_copy(vars), inspect);
		asl_step_result_release(&res);
		jv_free(ctx);
		goto done;
	}

	/* The state needs the world: a mock, a runner, or the caller. */
	earlier = jv_copy(res.inspection);
	mresult = jv_null();
	merror = jv_null();
	if (jv_get_kind(mock) == JV_KIND_OBJECT) {
		mresult = member(mock, "result", jv_invalid());
		merror = jv_object_get(jv_copy(mock), ASL_LIT("errorOutput"));
		if (!jv_is_valid(merror))
			merror = (jv_free(merror), jv_null());
	} else if (s->type == ASL_WAIT) {
		/* TestState does not wait */
		mresult = jv_null();
	} else if (runner != NULL) {
		mresult = run_task(runner, arg, jv_object_set(jv_object_set(
		    jv_copy(res.effect), ASL_LIT("stateName"),
		    jv_string(statename)), ASL_LIT("revealSecrets"),
		    jv_bool(reveal)), trace, &earlier);
		if (!jv_is_valid(mresult)) {
			jv obj = asl_error_object(mresult);
			merror = JV_OBJECT(ASL_LIT("error"), jv_object_get(
			    jv_copy(obj), ASL_LIT("Error")), ASL_LIT("cause"),
			    jv_object_get(jv_copy(obj), ASL_LIT("Cause")));
			jv_free(obj);
			mresult = jv_invalid();
		}
	} else {
		/* asl-step without a mock: hand the effect to the caller */
		jv_free(earlier);
		out = response(&res, jv_copy(vars), inspect);
		asl_step_result_release(&res);
		jv_free(ctx);
		goto done;
	}
	if (s->type == ASL_MAP && jv_get_kind(merror) == JV_KIND_NULL) {
		/* mapIterationFailureCount against the tolerated failures */
		jv fc = number_member(cfg, "mapIterationFailureCount");
		jv items = jv_object_get(jv_copy(res.effect), ASL_LIT("items"));
		jv tc = jv_object_get(jv_copy(res.effect),
		    ASL_LIT("toleratedFailureCount"));
		jv tp = jv_object_get(jv_copy(res.effect),
		    ASL_LIT("toleratedFailurePercentage"));
		int n = jv_array_length(items);

		if (jv_is_valid(fc)) {
			double f = jv_number_value(fc);
			double cnt = jv_is_valid(tc) ? jv_number_value(tc) : 0;
			double pct = jv_is_valid(tp) ? jv_number_value(tp) : 0;
			if (f > n) {
				jv_free(tc);
				jv_free(tp);
				jv_free(earlier);
				jv_free(mresult);
				asl_step_result_release(&res);
				jv_free(ctx);
				out = api_error("ValidationException", "Map iteration "
				    "failure count must be less than or equal to the "
				    "number of Map iterations");
				goto done;
			}
			/*
			 * Without ToleratedFailureCount or -Percentage the
			 * mocked result stands: AWS answers SUCCEEDED for a
			 * Map with no tolerance and two failed iterations.
			 */
			if ((jv_is_valid(tc) || jv_is_valid(tp)) && f > cnt &&
			    (n == 0 || f * 100.0 / n > pct))
				merror = JV_OBJECT(ASL_LIT("error"), jv_string(
				    "States.ExceedToleratedFailureThreshold"),
				    ASL_LIT("cause"), jv_string("The specified "
				    "tolerated failure threshold was exceeded"));
		}
		jv_free(tc);
		jv_free(tp);
	}
	asl_step_result_release(&res);
	if (jv_get_kind(merror) == JV_KIND_OBJECT) {
		jv e = jv_object_get(jv_copy(merror), ASL_LIT("error"));
		jv c = jv_object_get(jv_copy(merror), ASL_LIT("cause"));
		jv counts = jv_array();
		jv rc = number_member(cfg, "retrierRetryCount");
		int k;

		if (!jv_is_valid(c) || jv_get_kind(c) == JV_KIND_NULL) {
			jv_free(c);
			/* AWS's default cause for a mocked failure */
			c = jv_string(jv_get_kind(e) == JV_KIND_STRING &&
			    strcmp(jv_string_value(e), "States.TaskFailed") == 0 ?
			    "The task failed." : "");
		}
		for (k = 0; jv_is_valid(rc) && s->retrier != NULL &&
		    k < asl_retry_retriers(s->retrier); k++)
			counts = jv_array_append(counts, jv_copy(rc));
		req.phase = ASL_STEP_ERROR;
		req.error = JV_OBJECT(ASL_LIT("Error"), e, ASL_LIT("Cause"), c);
		req.counts = counts;
		asl_step(&req, &res);
		jv_free(req.error);
		jv_free(req.counts);
		/* TestState makes one attempt: a retry is only reported */
	} else {
		req.phase = ASL_STEP_COMPLETE;
		req.result = jv_is_valid(mresult) ? mresult : jv_null();
		asl_step(&req, &res);
		jv_free(req.result);
		mresult = jv_null();
	}
	merge_inspection(&res, earlier);
	out = response(&res, jv_copy(vars), inspect);
	asl_step_result_release(&res);
	jv_free(ctx);
	jv_free(mresult);
	jv_free(merror);
done:
	asl_machine_free(m);
	jv_free(def);
	jv_free(input);
	jv_free(vars);
	jv_free(mock);
	jv_free(cfg);
	jv_free(name);
	jv_free(request);
	return out;
}

jv
asl_teststate_step(jv request)
{
	struct asl_step_request req;
	struct asl_step_result res;
	struct asl_machine *m = NULL;
	const struct asl_state *s;
	struct asl_rng rng;
	jv def, input, ctx, vars, name, phase, result, error, counts, eid,
	    level, seed, out;
	const char *ph;

	def = member(request, "definition", jv_null());
	input = member(request, "input", jv_object());
	vars = member(request, "variables", jv_null());
	ctx = member(request, "context", jv_null());
	name = jv_object_get(jv_copy(request), ASL_LIT("stateName"));
	phase = jv_object_get(jv_copy(request), ASL_LIT("phase"));
	result = jv_object_get(jv_copy(request), ASL_LIT("result"));
	error = jv_object_get(jv_copy(request), ASL_LIT("error"));
	counts = jv_object_get(jv_copy(request), ASL_LIT("retryCounts"));
	eid = jv_object_get(jv_copy(request), ASL_LIT("enteredEventId"));
	level = jv_object_get(jv_copy(request), ASL_LIT("inspectionLevel"));
	seed = jv_object_get(jv_copy(request), ASL_LIT("seed"));
	out = jv_null();
	if (!jv_is_valid(def) || !jv_is_valid(input) || !jv_is_valid(vars) ||
	    !jv_is_valid(ctx)) {
		out = !jv_is_valid(def) ? jv_copy(def) : !jv_is_valid(input) ?
		    jv_copy(input) : !jv_is_valid(vars) ? jv_copy(vars) :
		    jv_copy(ctx);
		goto done;
	}
	if (jv_get_kind(def) != JV_KIND_OBJECT) {
		out = api_error("InvalidDefinition", "the request needs a "
		    "\"definition\" object");
		goto done;
	}
	if ((m = load(jv_copy(def), jv_get_kind(name) == JV_KIND_STRING ?
	    jv_string_value(name) : ASL_TESTSTATE_NAME, &out)) == NULL)
		goto done;
	s = jv_get_kind(name) == JV_KIND_STRING ? asl_machine_state(m,
	    jv_string_value(name)) : m->top->start;
	if (s == NULL) {
		out = api_error("ValidationException", "State '%s' does not "
		    "exist in the definition", jv_string_value(name));
		goto done;
	}
	asl_step_request_init(&req);
	ph = jv_get_kind(phase) == JV_KIND_STRING ? jv_string_value(phase) :
	    jv_is_valid(error) ? "error" : jv_is_valid(result) ? "complete" :
	    "enter";
	if (strcmp(ph, "enter") == 0)
		req.phase = ASL_STEP_ENTER;
	else if (strcmp(ph, "complete") == 0)
		req.phase = ASL_STEP_COMPLETE;
	else if (strcmp(ph, "error") == 0)
		req.phase = ASL_STEP_ERROR;
	else {
		out = api_error("ValidationException", "phase must be enter, "
		    "complete or error, not '%s'", ph);
		goto done;
	}
	if (req.phase == ASL_STEP_ERROR && jv_get_kind(error) != JV_KIND_OBJECT) {
		out = api_error("ValidationException", "phase error needs an "
		    "\"error\" object {\"Error\", \"Cause\"}");
		goto done;
	}
	if (jv_get_kind(seed) == JV_KIND_NUMBER)
		asl_rng_seed(&rng, (uint64_t)jv_number_value(seed));
	else
		asl_rng_seed_os(&rng);
	req.state = s;
	req.input = input;
	req.context = ctx;
	req.vars = vars;
	req.result = jv_is_valid(result) ? result : jv_null();
	req.error = jv_is_valid(error) ? error : jv_null();
	req.counts = jv_is_valid(counts) ? counts : jv_null();
	req.entered_event_id = jv_get_kind(eid) == JV_KIND_NUMBER ?
	    (long)jv_number_value(eid) : 0;
	req.inspect = jv_get_kind(level) == JV_KIND_STRING &&
	    strcmp(jv_string_value(level), "INFO") != 0;
	req.payload_limit = ASL_PAYLOAD_LIMIT;
	req.rng = &rng;
	asl_step(&req, &res);
	out = asl_step_result_json(&res, jv_copy(vars));
	asl_step_result_release(&res);
done:
	asl_machine_free(m);
	jv_free(def);
	jv_free(input);
	jv_free(vars);
	jv_free(ctx);
	jv_free(name);
	jv_free(phase);
	jv_free(result);
	jv_free(error);
	jv_free(counts);
	jv_free(eid);
	jv_free(level);
	jv_free(seed);
	jv_free(request);
	return out;
}
