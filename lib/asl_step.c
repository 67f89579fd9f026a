/*
 * asl_step.c - the semantics of every state type, one transition at a time.
 *
 * JSONPath states follow AWS's order of processing: InputPath, Parameters,
 * the work, ResultSelector, ResultPath, OutputPath; Assign is evaluated
 * with the variables as they were when the state was entered, and its
 * values apply from the next state on.  JSONata states take Arguments,
 * do the work, then Output and Assign, with $states.
 *
 * The Map state's items and their inputs are asl_step_map.c's; what the
 * two files share is in asl_step_int.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_choice.h"
#include "asl_json.h"
#include "asl_jtemplate.h"
#include "asl_path.h"
#include "asl_retry.h"
#include "asl_step.h"
#include "asl_step_int.h"
#include "asl_template.h"
#include "asl_time.h"

void
asl_step_request_init(struct asl_step_request *r)
{
	memset(r, 0, sizeof *r);
	r->phase = ASL_STEP_ENTER;
	r->input = jv_null();
	r->context = jv_null();
	r->vars = jv_null();
	r->result = jv_null();
	r->error = jv_null();
	r->counts = jv_null();
	r->items = jv_null();
}

static const char *const status_names[] = {
	"SUCCEEDED", "FAILED", "PENDING", "RETRIABLE", "CAUGHT_ERROR"
};

const char *
asl_step_status_name(enum asl_step_status st)
{
	return status_names[st];
}

/* Errors. */

/* Whether the error value err (borrowed) is called name. */
static int
error_is(jv err, const char *name)
{
	jv obj = asl_error_object(jv_copy(err));
	int r = strcmp(asl_error_name(obj), name) == 0;

	jv_free(obj);
	return r;
}

/*
 * AWS prefixes the causes of the errors it raises while running a state
 * (States.Runtime, States.QueryEvaluationError) with where it happened.
 */
static jv
located(const struct step *st, jv err)
{
	jv obj = asl_error_object(err), r;
	const char *name = asl_error_name(obj), *cause = asl_error_cause(obj);

	if (st->req->entered_event_id <= 0 ||
	    (strcmp(name, "States.Runtime") != 0 &&
	    strcmp(name, QUERY_ERROR) != 0) ||
	    strncmp(cause, "An error occurred while executing the state", 43)
	    == 0)
		return jv_invalid_with_msg(obj);
	r = jv_string_fmt("An error occurred while executing the state '%s' "
	    "(entered at the event id #%ld). %s", asl_machine_state_name(st->s),
	    st->req->entered_event_id, cause);
	return jv_invalid_with_msg(jv_object_set(obj, ASL_LIT("Cause"), r));
}

/*
 * A States.QueryEvaluationError of the state's own evaluation: AWS records
 * an EvaluationFailed event {state, location, error, cause} for it.  Such
 * errors carry their field as a "Location" member (null when none), taken
 * out here: obj (consumed) comes back without it.
 */
static jv
evaluation_failed(struct step *st, jv obj)
{
	jv loc, ev;

	if (jv_get_kind(obj) != JV_KIND_OBJECT ||
	    !jv_object_has(jv_copy(obj), ASL_LIT("Location")))
		return obj;
	loc = jv_object_get(jv_copy(obj), ASL_LIT("Location"));
	obj = jv_object_delete(obj, ASL_LIT("Location"));
	if (jv_get_kind(st->res->evaluation) != JV_KIND_NULL) {
		jv_free(loc);
		return obj;
	}
	ev = JV_OBJECT(ASL_LIT("state"), jv_string(asl_machine_state_name(st->s)),
	    ASL_LIT("error"), jv_object_get(jv_copy(obj), ASL_LIT("Error")),
	    ASL_LIT("cause"), jv_object_get(jv_copy(obj), ASL_LIT("Cause")));
	if (jv_get_kind(loc) == JV_KIND_STRING)
		ev = jv_object_set(ev, ASL_LIT("location"), loc);
	else
		jv_free(loc);
	st->res->evaluation = ev;
	return obj;
}

/*
 * err (consumed), an evaluation failure raised outside a template, with
 * the field it failed at (NULL: none) as templates give it.
 */
jv
step_at_field(jv err, const char *location)
{
	return jv_invalid_with_msg(jv_object_set(asl_error_object(err),
	    ASL_LIT("Location"), location != NULL ? jv_string(location) :
	    jv_null()));
}

/* The state fails with err (consumed); uncatchable when runtime. */
void
step_fail_with(struct step *st, jv err, int runtime)
{
	err = located(st, err);
	st->res->status = ASL_STATUS_FAILED;
	st->res->error = evaluation_failed(st, asl_error_object(err));
	st->res->runtime = runtime || strcmp(asl_error_name(st->res->error),
	    "States.Runtime") == 0;
}

/* Inspection data. */

void
step_inspect(struct step *st, const char *key, jv v)
{
	if (!st->req->inspect) {
		jv_free(v);
		return;
	}
	st->res->inspection = jv_object_set(st->res->inspection, jv_string(key),
	    v);
}

/* The same for v borrowed: copied only when inspected. */
void
step_inspect_of(struct step *st, const char *key, jv v)
{
	if (st->req->inspect)
		step_inspect(st, key, jv_copy(v));
}

/* Environments and bindings. */

/* The context object (borrowed): the request's, or made on first use. */
static jv
step_context(const struct step *st)
{
	if (st->req->context_fn == NULL)
		return st->req->context;
	if (!jv_is_valid(*st->context))
		*st->context = st->req->context_fn(st->req->context_arg);
	return *st->context;
}

static jv
env_context(void *st)
{
	return jv_copy(step_context(st));
}

struct asl_env
step_env_on(const struct step *st, jv input)
{
	struct asl_env env = ASL_ENV_INIT;

	env.input = input;
	env.vars = st->req->vars;
	if (st->req->context_fn != NULL) {
		env.context_fn = env_context;
		env.context_arg = (void *)st;
	} else
		env.context = st->req->context;
	return env;
}

/* JSONata's bindings: the variables and $states. */
jv
step_bindings(const struct step *st, jv states)
{
	jv b = jv_get_kind(st->req->vars) == JV_KIND_OBJECT ?
	    jv_copy(st->req->vars) : jv_object();

	states = jv_object_set(states, ASL_LIT("input"),
	    jv_copy(st->req->input));
	states = jv_object_set(states, ASL_LIT("context"),
	    jv_copy(step_context(st)));
	return jv_object_set(b, ASL_LIT("states"), states);
}

/* JSONPath fields. */

/* InputPath or OutputPath: absent is "$", null is {}. */
static jv
select_path(const struct step *st, const struct asl_pathfield *f, jv doc)
{
	struct asl_env env;
	jv v;

	if (!f->present)
		return doc;
	if (f->is_null) {
		jv_free(doc);
		return jv_object();
	}
	env = step_env_on(st, doc);
	v = asl_path_eval(f->path, &env);
	jv_free(doc);
	if (!jv_is_valid(v))
		v = asl_path_invalid(f->path, v);
	return v;
}

/* ResultPath: absent replaces the input, null keeps it. */
static jv
place_result(const struct asl_pathfield *f, jv raw, jv result)
{
	if (!f->present) {
		jv_free(raw);
		return result;
	}
	if (f->is_null) {
		jv_free(result);
		return raw;
	}
	return asl_path_put(f->path, raw, result);
}

jv
step_eval_template(const struct step *st, const struct asl_template *t,
    jv input)
{
	struct asl_env env = step_env_on(st, input);
	size_t len;
	jv v = asl_template_eval_sized(t, &env, &len);

	jv_free(input);
	if (jv_is_valid(v) && len != (size_t)-1) {
		/* if it becomes the output, it need not be measured again */
		jv_free(st->measured->value);
		st->measured->value = jv_copy(v);
		st->measured->len = len;
	}
	return v;
}

/* Assign (JSONPath): the template on input, which must give an object. */
static jv
eval_assign(const struct step *st, const struct asl_template *t, jv input)
{
	jv v;

	if (t == NULL) {
		jv_free(input);
		return jv_null();
	}
	v = step_eval_template(st, t, input);
	if (jv_is_valid(v) && jv_get_kind(v) != JV_KIND_OBJECT) {
		jv_free(v);
		return asl_error("States.Runtime", "Assign must be an object");
	}
	return v;
}

static jv
eval_jassign(const struct step *st, const struct asl_jtemplate *t, jv b)
{
	jv v;

	if (t == NULL) {
		jv_free(b);
		return jv_null();
	}
	v = asl_jtemplate_eval(t, b);
	jv_free(b);
	if (jv_is_valid(v) && jv_get_kind(v) != JV_KIND_OBJECT) {
		jv_free(v);
		return step_at_field(asl_error(QUERY_ERROR, "Assign must be an "
		    "object"), "Assign");
	}
	(void)st;
	return v;
}

static int
too_large(const struct step *st, jv v)
{
	/*
	 * Counted, not written out: this runs on every state's output.  A
	 * state that passes its input on (a Choice, most Pass states) has
	 * nothing new to measure.
	 */
	if (st->req->payload_limit == 0 || (st->req->input_judged &&
	    asl_jv_identical(v, st->req->input)))
		return 0;
	/* a template's result, measured as it was made */
	if (jv_is_valid(st->measured->value) &&
	    asl_jv_identical(v, st->measured->value))
		return st->measured->len > st->req->payload_limit;
	return asl_json_length(v, st->req->payload_limit) >
	    st->req->payload_limit;
}

static jv
data_limit(const char *what)
{
	return asl_error("States.DataLimitExceeded", "The state/task '%s' "
	    "returned a result with a size exceeding the maximum number of "
	    "bytes service limit.", what);
}

/* Finishing. */

static void
succeed(struct step *st, const struct asl_state *next, jv next_name, jv out,
    jv assigned)
{
	if (too_large(st, out)) {
		jv_free(out);
		jv_free(next_name);
		jv_free(assigned);
		/* a state's own output over the limit: not catchable [O] */
		step_fail_with(st, data_limit(asl_machine_state_name(st->s)),
		    1);
		return;
	}
	st->res->status = ASL_STATUS_SUCCEEDED;
	st->res->next = next;
	st->res->next_name = next_name;
	st->res->output = out;
	st->res->assigned = assigned;
}

static void
succeed_next(struct step *st, jv out, jv assigned)
{
	succeed(st, st->s->next, st->s->end ? jv_null() :
	    jv_copy(st->s->next_name), out, assigned);
}

void
step_pending(struct step *st, jv effect)
{
	st->res->status = ASL_STATUS_PENDING;
	st->res->effect = effect;
}

/* Retry and Catch. */

static void
decide(struct step *st, jv err)
{
	const struct asl_state *s = st->s;
	struct asl_step_result *res = st->res;
	jv obj = evaluation_failed(st, asl_error_object(err)), d, action;
	const char *a;
	int k;

	/* a Fail state without Error fails with an error whose name is null */
	if (!jv_object_has(jv_copy(obj), ASL_LIT("Error")))
		obj = jv_object_set(obj, ASL_LIT("Error"), jv_null());

	if (s->retrier == NULL || strcmp(asl_error_name(obj),
	    "States.Runtime") == 0) {
		step_fail_with(st, jv_invalid_with_msg(obj), 0);
		return;
	}
	d = asl_retry_decide(s->retrier, jv_copy(obj), jv_copy(st->req->counts),
	    jv_copy(st->req->input), st->req->rng);
	if (!jv_is_valid(d)) {
		/* a malformed request (counts, error): the caller's mistake */
		jv msg = jv_invalid_get_msg(d);
		jv_free(obj);
		step_fail_with(st, asl_error("States.Runtime", "%s",
		    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) :
		    "invalid Retry/Catch request"), 1);
		jv_free(msg);
		return;
	}
	action = jv_object_get(jv_copy(d), ASL_LIT("action"));
	a = jv_string_value(action);
	res->decision = jv_copy(d);
	if (strcmp(a, "retry") == 0) {
		res->status = ASL_STATUS_RETRIABLE;
		res->error = obj;
		res->delay = jv_number_value(jv_object_get(jv_copy(d),
		    ASL_LIT("delaySeconds")));
		res->counts = jv_object_get(jv_copy(d), ASL_LIT("counts"));
		step_inspect(st, "errorDetails", JV_OBJECT(
		    ASL_LIT("retryIndex"), jv_object_get(jv_copy(d),
		    ASL_LIT("retrier")),
		    ASL_LIT("retryBackoffIntervalSeconds"),
		    jv_number(res->delay)));
	} else if (strcmp(a, "catch") == 0) {
		const struct asl_catcher *c;
		jv out, assigned, eout = asl_retry_error_output(jv_copy(obj));

		k = (int)jv_number_value(jv_object_get(jv_copy(d),
		    ASL_LIT("catcher")));
		c = &s->catchers[k];
		step_inspect(st, "errorDetails", JV_OBJECT(
		    ASL_LIT("catchIndex"), jv_number(k)));
		if (s->ql == ASL_JSONATA) {
			jv states = JV_OBJECT(ASL_LIT("errorOutput"),
			    jv_copy(eout));
			jv b = step_bindings(st, states);
			out = c->joutput != NULL ? asl_jtemplate_eval(c->joutput,
			    b) : jv_copy(eout);
			assigned = eval_jassign(st, c->jassign, b);
		} else {
			out = jv_object_get(jv_copy(d), ASL_LIT("output"));
			assigned = eval_assign(st, c->assign, jv_copy(eout));
		}
		jv_free(eout);
		if (!jv_is_valid(out) || !jv_is_valid(assigned)) {
			jv_free(obj);
			step_fail_with(st, !jv_is_valid(out) ?
			    (jv_free(assigned), out) : (jv_free(out), assigned),
			    0);
		} else if (too_large(st, out)) {
			jv_free(obj);
			jv_free(out);
			jv_free(assigned);
			step_fail_with(st, data_limit(
			    asl_machine_state_name(s)), 1);
		} else {
			res->status = ASL_STATUS_CAUGHT_ERROR;
			res->error = obj;
			res->output = out;
			res->assigned = assigned;
			res->next = c->next;
			res->next_name = jv_copy(c->next_name);
		}
	} else {
		jv r = jv_object_get(jv_copy(d), ASL_LIT("retrier"));
		if (jv_is_valid(r))
			step_inspect(st, "errorDetails", JV_OBJECT(
			    ASL_LIT("retryIndex"), r));
		else
			jv_free(r);
		/* a fail decision may carry an error of its own (ResultPath) */
		if (jv_object_has(jv_copy(d), ASL_LIT("error"))) {
			jv e = jv_object_get(jv_copy(d), ASL_LIT("error"));
			jv c = jv_object_get(jv_copy(d), ASL_LIT("cause"));
			if (!jv_equal(jv_copy(e), jv_object_get(jv_copy(obj),
			    ASL_LIT("Error")))) {
				jv_free(obj);
				obj = JV_OBJECT(ASL_LIT("Error"), e,
				    ASL_LIT("Cause"), c);
			} else {
				jv_free(e);
				jv_free(c);
			}
		}
		step_fail_with(st, jv_invalid_with_msg(obj), 0);
	}
	jv_free(action);
	jv_free(d);
}

/*
 * An error while a Task, Parallel or Map prepares or finishes its work:
 * the engine's own runtime errors fail the state outright, anything else
 * goes to Retry and Catch.
 */
void
step_work_error(struct step *st, jv err)
{
	if (error_is(err, "States.Runtime")) {
		step_fail_with(st, err, 1);
		return;
	}
	decide(st, located(st, err));
}

/* Numbers that fields give (TimeoutSeconds, MaxConcurrency, ...). */

jv
step_number_field(const struct step *st, const struct asl_jtemplate *lit,
    const struct asl_path *path, jv effective)
{
	struct asl_env env;
	jv v;

	if (lit != NULL) {
		jv b = step_bindings(st, jv_object());
		v = asl_jtemplate_eval(lit, b);
		jv_free(b);
		jv_free(effective);
		return v;
	}
	if (path == NULL) {
		jv_free(effective);
		return jv_invalid();
	}
	env = step_env_on(st, effective);
	v = asl_path_eval(path, &env);
	jv_free(effective);
	if (!jv_is_valid(v))
		v = asl_path_invalid(path, v);
	return v;
}

/* Pass, Succeed, Fail, Choice: no work to wait for. */

static void
step_pass(struct step *st)
{
	const struct asl_state *s = st->s;
	jv raw = st->req->input, a, p, r, o, out, assigned;

	if (s->ql == ASL_JSONATA) {
		jv b = step_bindings(st, jv_object());
		out = s->output != NULL ? asl_jtemplate_eval(s->output, b) :
		    jv_copy(raw);
		assigned = eval_jassign(st, s->jassign, b);
		goto done;
	}
	a = select_path(st, &s->input_path, jv_copy(raw));
	if (!jv_is_valid(a)) {
		step_fail_with(st, a, 1);
		return;
	}
	step_inspect_of(st, "afterInputPath", a);
	p = s->parameters != NULL ? step_eval_template(st, s->parameters, a) :
	    a;
	if (!jv_is_valid(p)) {
		step_fail_with(st, p, 0);
		return;
	}
	step_inspect_of(st, "afterParameters", p);
	if (s->has_result) {
		jv_free(p);
		r = jv_copy(s->result);
	} else
		r = p;
	step_inspect_of(st, "result", r);
	step_inspect_of(st, "afterResultSelector", r);
	assigned = eval_assign(st, s->assign, jv_copy(r));
	if (!jv_is_valid(assigned)) {
		jv_free(r);
		step_fail_with(st, assigned, 0);
		return;
	}
	o = place_result(&s->result_path, jv_copy(raw), r);
	if (!jv_is_valid(o)) {
		jv_free(assigned);
		step_fail_with(st, o, 0);
		return;
	}
	step_inspect_of(st, "afterResultPath", o);
	out = select_path(st, &s->output_path, o);
done:
	if (!jv_is_valid(out) || !jv_is_valid(assigned)) {
		if (!jv_is_valid(out)) {
			jv_free(assigned);
			step_fail_with(st, out, 0);
		} else {
			jv_free(out);
			step_fail_with(st, assigned, 0);
		}
		return;
	}
	succeed_next(st, out, assigned);
}

static void
step_succeed(struct step *st)
{
	const struct asl_state *s = st->s;
	jv out;

	if (s->ql == ASL_JSONATA) {
		jv b = step_bindings(st, jv_object());
		out = s->output != NULL ? asl_jtemplate_eval(s->output, b) :
		    jv_copy(st->req->input);
		jv_free(b);
	} else {
		out = select_path(st, &s->input_path, jv_copy(st->req->input));
		if (jv_is_valid(out))
			step_inspect_of(st, "afterInputPath", out);
		if (jv_is_valid(out))
			out = select_path(st, &s->output_path, out);
	}
	if (!jv_is_valid(out)) {
		step_fail_with(st, out, 0);
		return;
	}
	succeed(st, NULL, jv_null(), out, jv_null());
}

/* Fail's ErrorPath or CausePath: a path or one of a few intrinsics. */
static jv
fail_field(const struct step *st, const struct asl_expr *e, const char *field)
{
	struct asl_env env = step_env_on(st, st->req->input);
	jv v = asl_expr_eval(e, &env), shown;

	if (!jv_is_valid(v) && asl_expr_kind(e) == ASL_EXPR_PATH) {
		jv_free(v);
		shown = jv_dump_string(jv_copy(st->req->input), 0);
		v = asl_error("States.Runtime", "The JSONPath '%s' specified for "
		    "the field '%s' could not be found in the input '%s'",
		    asl_expr_text(e), field, jv_string_value(shown));
		jv_free(shown);
	}
	return v;
}

static void
step_fail(struct step *st)
{
	const struct asl_state *s = st->s;
	jv error = jv_null(), cause = jv_null(), obj;

	if (s->error != NULL || s->cause != NULL) {
		jv b = step_bindings(st, jv_object());
		if (s->error != NULL)
			error = asl_jtemplate_eval(s->error, b);
		if (s->cause != NULL && jv_is_valid(error))
			cause = asl_jtemplate_eval(s->cause, b);
		jv_free(b);
	}
	if (s->error_path != NULL && jv_is_valid(error)) {
		jv_free(error);
		error = fail_field(st, s->error_path, "ErrorPath");
	}
	if (s->cause_path != NULL && jv_is_valid(error) && jv_is_valid(cause)) {
		jv_free(cause);
		cause = fail_field(st, s->cause_path, "CausePath");
	}
	if (!jv_is_valid(error) || !jv_is_valid(cause)) {
		if (!jv_is_valid(error)) {
			jv_free(cause);
			step_fail_with(st, error, 1);
		} else {
			jv_free(error);
			step_fail_with(st, cause, 1);
		}
		return;
	}
	/* AWS reports only the fields a Fail state sets */
	obj = jv_object();
	if (jv_get_kind(error) != JV_KIND_NULL)
		obj = jv_object_set(obj, ASL_LIT("Error"),
		    jv_get_kind(error) == JV_KIND_STRING ? error :
		    jv_dump_string(error, 0));
	else
		jv_free(error);
	if (jv_get_kind(cause) != JV_KIND_NULL)
		obj = jv_object_set(obj, ASL_LIT("Cause"),
		    jv_get_kind(cause) == JV_KIND_STRING ? cause :
		    jv_dump_string(cause, 0));
	else
		jv_free(cause);
	st->res->status = ASL_STATUS_FAILED;
	st->res->error = obj;
}

static void
step_choice(struct step *st)
{
	const struct asl_state *s = st->s;
	const struct asl_choice_rule *hit = NULL;
	jv a, out, assigned, err;
	int i, r;

	if (s->ql == ASL_JSONATA) {
		jv b = step_bindings(st, jv_object());
		for (i = 0; i < s->nchoices && hit == NULL; i++) {
			jv c = asl_jtemplate_eval(s->choices[i].condition, b);
			if (!jv_is_valid(c)) {
				jv_free(b);
				step_fail_with(st, c, 0);
				return;
			}
			if (jv_get_kind(c) != JV_KIND_TRUE &&
			    jv_get_kind(c) != JV_KIND_FALSE) {
				jv shown = jv_dump_string(c, 0);
				char where[64];

				jv_free(b);
				snprintf(where, sizeof where, "Choices[%d]/Condition",
				    i);
				step_fail_with(st, step_at_field(asl_error(
				    QUERY_ERROR, "The Condition of Choices[%d] "
				    "must evaluate to a boolean, but was: %s", i,
				    jv_string_value(shown)), where), 0);
				jv_free(shown);
				return;
			}
			if (jv_get_kind(c) == JV_KIND_TRUE)
				hit = &s->choices[i];
		}
		if (hit != NULL && hit->joutput != NULL)
			out = asl_jtemplate_eval(hit->joutput, b);
		else if (s->output != NULL)
			out = asl_jtemplate_eval(s->output, b);
		else
			out = jv_copy(st->req->input);
		assigned = hit != NULL && hit->jassign != NULL ?
		    eval_jassign(st, hit->jassign, jv_copy(b)) :
		    eval_jassign(st, s->jassign, jv_copy(b));
		jv_free(b);
	} else {
		a = select_path(st, &s->input_path, jv_copy(st->req->input));
		if (!jv_is_valid(a)) {
			step_fail_with(st, a, 1);
			return;
		}
		step_inspect_of(st, "afterInputPath", a);
		for (i = 0; i < s->nchoices && hit == NULL; i++) {
			struct asl_env env = step_env_on(st, a);
			r = asl_choice_eval(s->choices[i].rule, &env, &err);
			if (r < 0) {
				jv_free(a);
				step_fail_with(st, err, 1);
				return;
			}
			if (r)
				hit = &s->choices[i];
		}
		/* a matched rule's Assign replaces the state's */
		assigned = eval_assign(st, hit != NULL ? hit->assign :
		    s->assign, jv_copy(a));
		out = select_path(st, &s->output_path, a);
	}
	if (!jv_is_valid(out) || !jv_is_valid(assigned)) {
		if (!jv_is_valid(out)) {
			jv_free(assigned);
			step_fail_with(st, out, 0);
		} else {
			jv_free(out);
			step_fail_with(st, assigned, 0);
		}
		return;
	}
	if (hit != NULL)
		succeed(st, hit->next, jv_copy(hit->next_name), out, assigned);
	else if (jv_get_kind(s->default_name) == JV_KIND_STRING)
		succeed(st, s->default_next, jv_copy(s->default_name), out,
		    assigned);
	else {
		jv_free(out);
		jv_free(assigned);
		step_fail_with(st, asl_error("States.NoChoiceMatched", "No "
		    "Choice Rule matched the input and the Choice state '%s' "
		    "has no Default", asl_machine_state_name(s)), 0);
	}
}

/* Wait. */

static jv
entered_time(const struct step *st, struct asl_time *t)
{
	jv state, et;

	*t = asl_time_now();
	if (jv_get_kind(step_context(st)) != JV_KIND_OBJECT)
		return jv_null();
	state = jv_object_get(jv_copy(step_context(st)), ASL_LIT("State"));
	if (jv_get_kind(state) != JV_KIND_OBJECT) {
		jv_free(state);
		return jv_null();
	}
	et = jv_object_get(state, ASL_LIT("EnteredTime"));
	if (jv_get_kind(et) == JV_KIND_STRING)
		asl_time_parse(jv_string_value(et), t);
	jv_free(et);
	return jv_null();
}

static void
step_wait_enter(struct step *st)
{
	const struct asl_state *s = st->s;
	struct asl_time start, until;
	char buf[ASL_TIME_BUFSIZE];
	jv a, v, shown;
	double secs = 0;
	int have_secs = 0;

	a = s->ql == ASL_JSONATA ? jv_copy(st->req->input) :
	    select_path(st, &s->input_path, jv_copy(st->req->input));
	if (!jv_is_valid(a)) {
		step_fail_with(st, a, 1);
		return;
	}
	jv_free(entered_time(st, &start));
	if (s->seconds != NULL || s->timestamp != NULL) {
		jv b = step_bindings(st, jv_object());
		v = asl_jtemplate_eval(s->seconds != NULL ? s->seconds :
		    s->timestamp, b);
		jv_free(b);
		if (!jv_is_valid(v)) {
			jv_free(a);
			step_fail_with(st, v, 0);
			return;
		}
		if (s->seconds != NULL) {
			if (jv_get_kind(v) != JV_KIND_NUMBER ||
			    !asl_is_integral(v) || jv_number_value(v) < 0) {
				shown = jv_dump_string(v, 0);
				jv_free(a);
				step_fail_with(st, step_at_field(asl_error(
				    QUERY_ERROR, "The Seconds field must be a "
				    "non-negative integer, but was: %s",
				    jv_string_value(shown)), "Seconds"), 0);
				jv_free(shown);
				return;
			}
			secs = jv_number_value(v);
			have_secs = 1;
			jv_free(v);
		} else if (jv_get_kind(v) != JV_KIND_STRING ||
		    asl_time_parse(jv_string_value(v), &until) == -1) {
			shown = jv_get_kind(v) == JV_KIND_STRING ? v :
			    jv_dump_string(v, 0);
			jv_free(a);
			v = asl_error(s->ql == ASL_JSONATA ? QUERY_ERROR :
			    "States.Runtime", "The Timestamp field cannot be "
			    "parsed as an ISO-8601 extended offset date-time "
			    "format string: %s", jv_string_value(shown));
			step_fail_with(st, s->ql == ASL_JSONATA ? step_at_field(v, "Timestamp") :
			    v, 1);
			jv_free(shown);
			return;
		} else
			jv_free(v);
	} else if (s->seconds_path != NULL) {
		struct asl_env env = step_env_on(st, a);
		v = asl_path_eval(s->seconds_path, &env);
		if (!jv_is_valid(v)) {
			jv_free(v);
			jv_free(a);
			step_fail_with(st, asl_error("States.Runtime", "The "
			    "SecondsPath parameter does not reference an input "
			    "value: %s", asl_path_text(s->seconds_path)), 1);
			return;
		}
		shown = jv_dump_string(jv_copy(v), 0);
		if (jv_get_kind(v) != JV_KIND_NUMBER || !asl_is_integral(v)) {
			jv_free(v);
			jv_free(a);
			step_fail_with(st, asl_error("States.Runtime", "The "
			    "SecondsPath parameter cannot be parsed as a long "
			    "value: %s == %s",
			    asl_path_text(s->seconds_path), jv_string_value(shown)),
			    1);
			jv_free(shown);
			return;
		}
		if (jv_number_value(v) < 0) {
			jv_free(v);
			jv_free(a);
			step_fail_with(st, asl_error("States.Runtime", "The "
			    "SecondsPath parameter references a negative value: "
			    "%s == %s",
			    asl_path_text(s->seconds_path), jv_string_value(shown)),
			    1);
			jv_free(shown);
			return;
		}
		jv_free(shown);
		secs = jv_number_value(v);
		have_secs = 1;
		jv_free(v);
	} else if (s->timestamp_path != NULL) {
		struct asl_env env = step_env_on(st, a);
		v = asl_path_eval(s->timestamp_path, &env);
		if (!jv_is_valid(v) || jv_get_kind(v) != JV_KIND_STRING ||
		    asl_time_parse(jv_string_value(v), &until) == -1) {
			shown = !jv_is_valid(v) ? (jv_free(v), ASL_LIT("null")) :
			    jv_get_kind(v) == JV_KIND_STRING ? v :
			    jv_dump_string(v, 0);
			jv_free(a);
			step_fail_with(st, asl_error("States.Runtime", "The TimestampPath "
			    "parameter does not reference a valid ISO-8601 "
			    "extended offset date-time format string: %s == %s",
			    asl_path_text(s->timestamp_path),
			    jv_string_value(shown)), 1);
			jv_free(shown);
			return;
		}
		jv_free(v);
	} else {
		jv_free(a);
		step_fail_with(st, asl_error("States.Runtime", "a Wait state needs Seconds, "
		    "SecondsPath, Timestamp or TimestampPath"), 1);
		return;
	}
	jv_free(a);
	if (have_secs) {
		/* AWS refuses delays past about 2^31 seconds [O] */
		if (secs >= 2147483648.0) {
			step_fail_with(st, asl_error("States.Runtime", "Wait state delay is "
			    "too long."), 1);
			return;
		}
		until = asl_time_add(start, secs);
	} else if (asl_time_diff(start, until) >= 2147483648.0) {
		step_fail_with(st, asl_error("States.Runtime", "Wait state "
		    "delay is too long."), 1);
		return;
	}
	v = JV_OBJECT(ASL_LIT("type"), ASL_LIT("wait"), ASL_LIT("until"),
	    jv_string(asl_time_format(until, buf, sizeof buf)));
	if (have_secs)
		v = jv_object_set(v, ASL_LIT("seconds"), jv_number(secs));
	step_pending(st, v);
}

static void
step_wait_complete(struct step *st)
{
	const struct asl_state *s = st->s;
	jv out, assigned;

	if (s->ql == ASL_JSONATA) {
		jv b = step_bindings(st, jv_object());
		out = s->output != NULL ? asl_jtemplate_eval(s->output, b) :
		    jv_copy(st->req->input);
		assigned = eval_jassign(st, s->jassign, b);
	} else {
		jv a = select_path(st, &s->input_path, jv_copy(st->req->input));
		if (!jv_is_valid(a)) {
			step_fail_with(st, a, 1);
			return;
		}
		assigned = eval_assign(st, s->assign, jv_copy(a));
		out = select_path(st, &s->output_path, a);
	}
	if (!jv_is_valid(out) || !jv_is_valid(assigned)) {
		if (!jv_is_valid(out)) {
			jv_free(assigned);
			step_fail_with(st, out, 0);
		} else {
			jv_free(out);
			step_fail_with(st, assigned, 0);
		}
		return;
	}
	succeed_next(st, out, assigned);
}

/* Task, Parallel and Map: the effective input of their work. */

jv
step_effective_input(struct step *st)
{
	const struct asl_state *s = st->s;
	jv a, p;

	if (s->ql == ASL_JSONATA) {
		if (s->arguments == NULL)
			p = jv_copy(st->req->input);
		else {
			jv b = step_bindings(st, jv_object());
			p = asl_jtemplate_eval(s->arguments, b);
			jv_free(b);
		}
		if (jv_is_valid(p))
			step_inspect_of(st, "afterArguments", p);
		return p;
	}
	a = select_path(st, &s->input_path, jv_copy(st->req->input));
	if (!jv_is_valid(a))
		return a;
	step_inspect_of(st, "afterInputPath", a);
	if (s->parameters == NULL || s->type == ASL_MAP)
		p = a;
	else
		p = step_eval_template(st, s->parameters, a);
	if (jv_is_valid(p) && s->type != ASL_MAP)
		step_inspect_of(st, "afterParameters", p);
	return p;
}

/* A positive integer from a timeout or heartbeat field. */
static int
seconds_field(struct step *st, const struct asl_jtemplate *lit,
    const struct asl_path *path, const char *name, jv *effect)
{
	jv v;

	if (lit == NULL && path == NULL)
		return 0;
	v = step_number_field(st, lit, path, jv_copy(st->req->input));
	if (!jv_is_valid(v)) {
		step_work_error(st, v);
		return -1;
	}
	if (jv_get_kind(v) != JV_KIND_NUMBER || jv_number_value(v) < 1) {
		jv shown = jv_dump_string(v, 0);
		int query = lit != NULL && st->s->ql == ASL_JSONATA;
		jv e = asl_error(query ? QUERY_ERROR : "States.Runtime", "The "
		    "%s field must be a positive integer, but was: %s", name,
		    jv_string_value(shown));

		step_work_error(st, query ? step_at_field(e, name) : e);
		jv_free(shown);
		return -1;
	}
	*effect = jv_object_set(*effect, jv_string(name),
	    jv_number(floor(jv_number_value(v))));
	jv_free(v);
	return 0;
}

static void
step_task_enter(struct step *st)
{
	const struct asl_state *s = st->s;
	jv p, effect, creds;

	p = step_effective_input(st);
	if (!jv_is_valid(p)) {
		step_work_error(st, p);
		return;
	}
	effect = JV_OBJECT(ASL_LIT("type"), ASL_LIT("task"),
	    ASL_LIT("resource"), jv_copy(s->resource),
	    ASL_LIT("parameters"), p);
	if (seconds_field(st, s->timeout, s->timeout_path, "timeoutSeconds",
	    &effect) == -1 || seconds_field(st, s->heartbeat,
	    s->heartbeat_path, "heartbeatSeconds", &effect) == -1) {
		jv_free(effect);
		return;
	}
	if (s->credentials != NULL) {
		creds = step_eval_template(st, s->credentials, jv_copy(st->req->input));
		if (!jv_is_valid(creds)) {
			jv_free(effect);
			step_work_error(st, creds);
			return;
		}
		effect = jv_object_set(effect, ASL_LIT("credentials"), creds);
	}
	step_pending(st, effect);
}

/* The end of a Task's, Parallel's or Map's work: its result. */
static void
step_work_complete(struct step *st)
{
	const struct asl_state *s = st->s;
	jv raw = st->req->input, r = jv_copy(st->req->result), rs, o, out,
	    assigned;

	step_inspect_of(st, "result", r);
	if (s->type == ASL_TASK && too_large(st, r)) {
		jv_free(r);
		/* a task result over the limit can be caught [O] */
		step_work_error(st, data_limit(jv_string_value(s->resource)));
		return;
	}
	if (s->ql == ASL_JSONATA) {
		jv b = step_bindings(st, JV_OBJECT(ASL_LIT("result"), r));
		out = s->output != NULL ? asl_jtemplate_eval(s->output, b) :
		    jv_object_get(jv_object_get(jv_copy(b), ASL_LIT("states")),
		    ASL_LIT("result"));
		assigned = eval_jassign(st, s->jassign, b);
	} else {
		rs = s->result_selector != NULL ? step_eval_template(st,
		    s->result_selector, jv_copy(r)) : jv_copy(r);
		if (!jv_is_valid(rs)) {
			jv_free(r);
			step_work_error(st, rs);
			return;
		}
		step_inspect_of(st, "afterResultSelector", rs);
		/* AWS evaluates Assign on the result before ResultSelector */
		assigned = eval_assign(st, s->assign, r);
		if (!jv_is_valid(assigned)) {
			jv_free(rs);
			step_work_error(st, assigned);
			return;
		}
		o = place_result(&s->result_path, jv_copy(raw), rs);
		if (!jv_is_valid(o)) {
			jv_free(assigned);
			step_work_error(st, o);
			return;
		}
		step_inspect_of(st, "afterResultPath", o);
		out = select_path(st, &s->output_path, o);
	}
	if (!jv_is_valid(out) || !jv_is_valid(assigned)) {
		if (!jv_is_valid(out)) {
			jv_free(assigned);
			step_work_error(st, out);
		} else {
			jv_free(out);
			step_work_error(st, assigned);
		}
		return;
	}
	succeed_next(st, out, assigned);
}

static void
step_parallel_enter(struct step *st)
{
	jv p = step_effective_input(st);

	if (!jv_is_valid(p)) {
		step_work_error(st, p);
		return;
	}
	step_pending(st, JV_OBJECT(ASL_LIT("type"), ASL_LIT("parallel"),
	    ASL_LIT("input"), p, ASL_LIT("branches"),
	    jv_number(st->s->nbranches)));
}

static void step(const struct asl_step_request *, struct asl_step_result *,
    jv *, struct measured *);

void
asl_step(const struct asl_step_request *req, struct asl_step_result *res)
{
	jv context = jv_invalid();
	struct measured measured = { jv_invalid(), 0 };

	step(req, res, &context, &measured);
	jv_free(context);
	jv_free(measured.value);
}

static void
step(const struct asl_step_request *req, struct asl_step_result *res,
    jv *context, struct measured *measured)
{
	struct step st;
	const struct asl_state *s = req->state;

	memset(res, 0, sizeof *res);
	res->next_name = jv_null();
	res->output = jv_null();
	res->error = jv_null();
	res->assigned = jv_null();
	res->effect = jv_null();
	res->inspection = req->inspect ? jv_object() : jv_null();
	res->decision = jv_null();
	res->counts = jv_null();
	res->evaluation = jv_null();
	st.req = req;
	st.s = s;
	st.res = res;
	st.context = context;
	st.measured = measured;
	if (req->phase == ASL_STEP_ENTER)
		step_inspect(&st, "input", jv_copy(req->input));
	if (req->phase == ASL_STEP_ERROR) {
		decide(&st, jv_invalid_with_msg(jv_copy(req->error)));
		return;
	}
	switch (s->type) {
	case ASL_PASS:
		step_pass(&st);
		break;
	case ASL_SUCCEED:
		step_succeed(&st);
		break;
	case ASL_FAIL:
		step_fail(&st);
		break;
	case ASL_CHOICE:
		step_choice(&st);
		break;
	case ASL_WAIT:
		if (req->phase == ASL_STEP_ENTER)
			step_wait_enter(&st);
		else
			step_wait_complete(&st);
		break;
	case ASL_TASK:
		if (req->phase == ASL_STEP_ENTER)
			step_task_enter(&st);
		else
			step_work_complete(&st);
		break;
	case ASL_PARALLEL:
		if (req->phase == ASL_STEP_ENTER)
			step_parallel_enter(&st);
		else
			step_work_complete(&st);
		break;
	case ASL_MAP:
		if (req->phase == ASL_STEP_ENTER)
			step_map_enter(&st);
		else
			step_work_complete(&st);
		break;
	}
}

void
asl_step_result_release(struct asl_step_result *res)
{
	jv_free(res->next_name);
	jv_free(res->output);
	jv_free(res->error);
	jv_free(res->assigned);
	jv_free(res->effect);
	jv_free(res->inspection);
	jv_free(res->decision);
	jv_free(res->counts);
	jv_free(res->evaluation);
	memset(res, 0, sizeof *res);
	res->next_name = res->output = res->error = res->assigned = jv_null();
	res->effect = res->inspection = res->decision = res->counts = jv_null();
	res->evaluation = jv_null();
}

jv
asl_step_vars_merge(jv vars, jv assigned)
{
	if (jv_get_kind(vars) != JV_KIND_OBJECT) {
		jv_free(vars);
		vars = jv_object();
	}
	if (jv_get_kind(assigned) != JV_KIND_OBJECT) {
		jv_free(assigned);
		return vars;
	}
	return jv_object_merge(vars, assigned);
}

jv
asl_step_result_json(const struct asl_step_result *res, jv vars)
{
	jv out = JV_OBJECT(ASL_LIT("status"),
	    jv_string(asl_step_status_name(res->status)));

	if (jv_get_kind(res->next_name) == JV_KIND_STRING)
		out = jv_object_set(out, ASL_LIT("nextState"),
		    jv_copy(res->next_name));
	if (res->status == ASL_STATUS_SUCCEEDED ||
	    res->status == ASL_STATUS_CAUGHT_ERROR)
		out = jv_object_set(out, ASL_LIT("output"), jv_copy(res->output));
	if (jv_get_kind(res->error) == JV_KIND_OBJECT) {
		/* what the error has: a Fail state may set neither */
		jv e = jv_object_get(jv_copy(res->error), ASL_LIT("Error"));
		jv c = jv_object_get(jv_copy(res->error), ASL_LIT("Cause"));
		if (jv_is_valid(e))
			out = jv_object_set(out, ASL_LIT("error"), e);
		else
			jv_free(e);
		if (jv_is_valid(c))
			out = jv_object_set(out, ASL_LIT("cause"), c);
		else
			jv_free(c);
	}
	if (res->status == ASL_STATUS_PENDING)
		out = jv_object_set(out, ASL_LIT("effect"), jv_copy(res->effect));
	if (res->status == ASL_STATUS_RETRIABLE)
		out = jv_object_set(out, ASL_LIT("retry"), JV_OBJECT(
		    ASL_LIT("delaySeconds"), jv_number(res->delay),
		    ASL_LIT("counts"), jv_copy(res->counts),
		    ASL_LIT("retrier"), jv_object_get(jv_copy(res->decision),
		    ASL_LIT("retrier")), ASL_LIT("attempt"),
		    jv_object_get(jv_copy(res->decision), ASL_LIT("attempt"))));
	if (jv_get_kind(res->assigned) == JV_KIND_OBJECT)
		out = jv_object_set(out, ASL_LIT("assigned"),
		    jv_copy(res->assigned));
	if (jv_get_kind(vars) != JV_KIND_NULL || jv_get_kind(res->assigned) ==
	    JV_KIND_OBJECT)
		out = jv_object_set(out, ASL_LIT("variables"),
		    asl_step_vars_merge(vars, jv_copy(res->assigned)));
	else
		jv_free(vars);
	if (jv_get_kind(res->evaluation) == JV_KIND_OBJECT)
		out = jv_object_set(out, ASL_LIT("evaluationFailed"),
		    jv_copy(res->evaluation));
	if (jv_get_kind(res->inspection) == JV_KIND_OBJECT)
		out = jv_object_set(out, ASL_LIT("inspectionData"),
		    jv_copy(res->inspection));
	return out;
}
