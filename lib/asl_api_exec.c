/*
 * lib/asl_api_exec.c - the Step Functions API's operations on executions
 * (start, describe, list, history, stop, redrive) and on their tasks
 * (SendTask*, GetActivityTask), over the same store verbs as the asl
 * driver's.
 */
#include <string.h>

#include "asl.h"
#include "asl_activity.h"
#include "asl_api.h"
#include "asl_api_int.h"
#include "asl_arn.h"
#include "asl_events.h"
#include "asl_exec.h"
#include "asl_history.h"
#include "asl_json.h"
#include "asl_store.h"
#include "asl_token.h"

/*
 * Whether a definition (borrowed) names a resource anywhere (a Task, a
 * Map's ItemReader or ResultWriter): one without runs to its end or its
 * first Wait without waiting on any process.
 */
static int
has_resource(jv v)
{
	int found = 0;

	if (jv_get_kind(v) == JV_KIND_OBJECT) {
		jv_object_foreach(v, k, x) {
			found |= strcmp(jv_string_value(k), "Resource") == 0 ||
			    has_resource(x);
			jv_free(k);
			jv_free(x);
		}
	} else if (jv_get_kind(v) == JV_KIND_ARRAY) {
		jv_array_foreach(v, i, x) {
			found |= has_resource(x);
			jv_free(x);
			(void)i;
		}
	}
	return found;
}

/* DescribeExecution's document d (consumed) with the API's dates. */
static jv
execution_shape(jv d)
{
	return api_epoch_member(api_epoch_member(api_epoch_member(d,
	    "startDate"), "stopDate"), "redriveDate");
}

/* The request's one member, a string that must be there, or an error. */
static jv
only_arg(jv req, const char *member)
{
	const struct api_arg spec[] = {
		{ member, JV_KIND_STRING, 1 },
		{ NULL, 0, 0 }
	};
	jv v, r = api_args(req, spec, &v);

	if (!jv_is_valid(r)) {
		jv_free(v);
		return r;
	}
	jv_free(r);
	return v;
}

/* The execution the request's executionArn names: its name, or an error. */
static jv
execution_of(jv req)
{
	jv arn = only_arg(req, "executionArn");

	return jv_is_valid(arn) ? api_arn_name(arn, "execution") : arn;
}

/*
 * Whether the mock file (borrowed) has the test case tc for the state
 * machine sm: true, or a ValidationException saying it has not.
 */
static jv
test_case_check(jv mock, const char *sm, const char *tc)
{
	jv c = jv_object_get(jv_copy(mock), ASL_LIT("StateMachines"));

	if (jv_get_kind(c) == JV_KIND_OBJECT)
		c = jv_object_get(c, jv_string(sm));
	if (jv_get_kind(c) == JV_KIND_OBJECT)
		c = jv_object_get(c, ASL_LIT("TestCases"));
	if (jv_get_kind(c) == JV_KIND_OBJECT)
		c = jv_object_get(c, jv_string(tc));
	if (jv_get_kind(c) == JV_KIND_OBJECT) {
		jv_free(c);
		return jv_true();
	}
	jv_free(c);
	return api_invalid("test case '%s': the mock file has none for the "
	    "state machine '%s'", tc, sm);
}

static const struct api_arg start_args[] = {
	{ "stateMachineArn", JV_KIND_STRING, 1 },
	{ "name", JV_KIND_STRING, 0 },
	{ "input", JV_KIND_STRING, 0 },
	{ "traceHeader", JV_KIND_STRING, 0 },
	{ NULL, 0, 0 }
};

jv
api_sync_answer(struct asl_api *api, const char *name)
{
	jv d = asl_exec_describe(api->store, name);

	if (!jv_is_valid(d))
		return d;
	d = jv_object_delete(d, ASL_LIT("redriveCount"));
	return execution_shape(d);
}

jv
api_start_execution(struct asl_api *api, jv req, int sync)
{
	struct asl_exec_options o;
	jv a[4], r, base, sm = jv_null(), m = jv_null(), def, type, input;
	jv existing, name;
	const char *arn, *hash;
	int express, pure;

	if (!jv_is_valid(r = api_args(req, start_args, a)))
		goto out;
	jv_free(r);
	/* Step Functions Local: stateMachineArn#TestCase picks a test case */
	arn = jv_string_value(a[0]);
	hash = strchr(arn, '#');
	base = hash != NULL ? jv_string_sized(arn, (int)(hash - arn)) :
	    jv_copy(a[0]);
	sm = api_arn_name(base, "stateMachine");
	if (!jv_is_valid(sm)) {
		r = sm;
		sm = jv_null();
		goto out;
	}
	if (hash != NULL && jv_get_kind(api->mock) == JV_KIND_NULL) {
		r = api_invalid("test case '%s': the server has no mock file "
		    "(--mock or SFN_MOCK_CONFIG)", hash + 1);
		goto out;
	}
	if (hash != NULL && !jv_is_valid(r = test_case_check(api->mock,
	    jv_string_value(sm), hash + 1)))
		goto out;
	m = asl_store_get_machine(api->store, jv_string_value(sm));
	if (!jv_is_valid(m)) {
		r = m;
		m = jv_null();
		goto out;
	}
	type = jv_object_get(jv_copy(m), ASL_LIT("type"));
	express = strcmp(jv_string_value(type), "EXPRESS") == 0;
	jv_free(type);
	if (sync && !express) {
		r = asl_error("StateMachineTypeNotSupported", "This operation is "
		    "not supported by this type of state machine");
		goto out;
	}
	input = jv_get_kind(a[2]) == JV_KIND_STRING ? api_json_member(
	    jv_copy(a[2]), "InvalidExecutionInput", "input") : jv_object();
	if (!jv_is_valid(input)) {
		r = input;
		goto out;
	}
	def = jv_object_get(jv_copy(m), ASL_LIT("definition"));
	pure = !has_resource(def);
	asl_exec_options_init(&o);
	o.name = jv_get_kind(a[1]) == JV_KIND_STRING ? jv_string_value(a[1]) :
	    NULL;
	o.state_machine = jv_string_value(sm);
	o.express = express;
	o.resources = api->resources;
	o.mock = api->mock;
	o.test_case = hash != NULL ? hash + 1 : NULL;
	o.path = api->path;
	o.group = api->group;
	r = asl_exec_start(api->store, def, input, &o);
	if (!jv_is_valid(r))
		goto out;
	existing = jv_object_get(jv_copy(r), ASL_LIT("existing"));
	name = jv_object_get(jv_copy(r), ASL_LIT("name"));
	if (jv_get_kind(existing) != JV_KIND_TRUE && api->drive != NULL)
		api->drive(api->arg, jv_string_value(name), sync ? ASL_API_SYNC :
		    ASL_API_RUN, pure);
	jv_free(existing);
	if (sync) {
		jv_free(r);
		r = api_sync_answer(api, jv_string_value(name));
	} else {
		jv meta = r;
		r = JV_OBJECT(ASL_LIT("executionArn"), jv_object_get(
		    jv_copy(meta), ASL_LIT("executionArn")), ASL_LIT("startDate"),
		    api_epoch(jv_object_get(jv_copy(meta), ASL_LIT("startDate"))));
		jv_free(meta);
	}
	jv_free(name);
out:
	jv_free(sm);
	jv_free(m);
	api_args_free(start_args, a);
	return r;
}

jv
api_describe_execution(struct asl_api *api, jv req)
{
	jv name = execution_of(req), d;

	if (!jv_is_valid(name))
		return name;
	d = asl_exec_describe(api->store, jv_string_value(name));
	jv_free(name);
	return jv_is_valid(d) ? execution_shape(d) : d;
}

jv
api_describe_machine_for_execution(struct asl_api *api, jv req)
{
	jv name = execution_of(req), meta, def, r;

	if (!jv_is_valid(name))
		return name;
	meta = asl_store_get_execution(api->store, jv_string_value(name));
	if (!jv_is_valid(meta)) {
		jv_free(name);
		return meta;
	}
	def = asl_store_read(api->store, "executions/%s/%s",
	    jv_string_value(name), "definition.json");
	jv_free(name);
	r = JV_OBJECT(ASL_LIT("stateMachineArn"), jv_object_get(jv_copy(
	    meta), ASL_LIT("stateMachineArn")), ASL_LIT("name"),
	    jv_object_get(jv_copy(meta), ASL_LIT("stateMachineName")),
	    ASL_LIT("definition"), asl_json_text(def),
	    ASL_LIT("roleArn"), jv_object_get(jv_copy(meta),
	    ASL_LIT("roleArn")), ASL_LIT("updateDate"),
	    api_epoch(jv_object_get(jv_copy(meta), ASL_LIT("startDate"))));
	jv_free(meta);
	return r;
}

static const struct api_arg list_args[] = {
	{ "stateMachineArn", JV_KIND_STRING, 0 },
	{ "statusFilter", JV_KIND_STRING, 0 },
	{ "maxResults", JV_KIND_NUMBER, 0 },
	{ "nextToken", JV_KIND_STRING, 0 },
	{ "mapRunArn", JV_KIND_STRING, 0 },
	{ NULL, 0, 0 }
};

/*
 * ListExecutions of the Map Run arn: its children that ended, from its
 * journal, of status (a string, or not), paged.  All consumed.
 */
static jv
map_run_executions(struct asl_api *api, jv arn, jv status, jv next, jv max)
{
	jv all = asl_exec_list_map_run_executions(api->store,
	    jv_string_value(arn)), list = jv_array();

	jv_free(arn);
	if (!jv_is_valid(all)) {
		jv_free(status);
		jv_free(next);
		jv_free(max);
		jv_free(list);
		return all;
	}
	all = jv_object_get(all, ASL_LIT("executions"));
	jv_array_foreach(all, i, d) {
		jv st = jv_object_get(jv_copy(d), ASL_LIT("status"));
		if (jv_get_kind(status) != JV_KIND_STRING ||
		    jv_equal(jv_copy(status), jv_copy(st)))
			list = jv_array_append(list, execution_shape(d));
		else
			jv_free(d);
		jv_free(st);
		(void)i;
	}
	jv_free(all);
	jv_free(status);
	return api_page(jv_object(), "executions", list, next, max, 100);
}

jv
api_list_executions(struct asl_api *api, jv req)
{
	jv a[5], r = api_args(req, list_args, a), sm, m, all, list;
	int n;

	if (!jv_is_valid(r))
		goto out;
	jv_free(r);
	if (jv_get_kind(a[4]) == JV_KIND_STRING) {
		/* a Map Run's children */
		r = map_run_executions(api, jv_copy(a[4]), jv_copy(a[1]),
		    jv_copy(a[3]), jv_copy(a[2]));
		goto out;
	}
	if (jv_get_kind(a[0]) != JV_KIND_STRING) {
		r = api_invalid("ListExecutions needs a stateMachineArn or a "
		    "mapRunArn");
		goto out;
	}
	sm = api_arn_name(jv_copy(a[0]), "stateMachine");
	if (!jv_is_valid(sm)) {
		r = sm;
		goto out;
	}
	m = asl_store_get_machine(api->store, jv_string_value(sm));
	if (!jv_is_valid(m)) {
		jv_free(sm);
		r = m;
		goto out;
	}
	jv_free(m);
	all = jv_object_get(asl_exec_list(api->store), ASL_LIT("executions"));
	list = jv_array();
	/* newest first, as AWS lists them */
	for (n = jv_array_length(jv_copy(all)) - 1; n >= 0; n--) {
		jv d = jv_array_get(jv_copy(all), n);
		jv arn = jv_object_get(jv_copy(d), ASL_LIT("stateMachineArn"));
		jv st = jv_object_get(jv_copy(d), ASL_LIT("status"));
		int keep = strcmp(asl_arn_last(jv_string_value(arn)),
		    jv_string_value(sm)) == 0 && (jv_get_kind(a[1]) !=
		    JV_KIND_STRING || jv_equal(jv_copy(a[1]), jv_copy(st)));
		jv_free(arn);
		jv_free(st);
		if (keep) {
			/* AWS lists no error, cause or redrive status */
			d = jv_object_delete(d, ASL_LIT("error"));
			d = jv_object_delete(d, ASL_LIT("cause"));
			d = jv_object_delete(d, ASL_LIT("redriveStatus"));
			d = jv_object_delete(d, ASL_LIT("redriveStatusReason"));
			list = jv_array_append(list, execution_shape(d));
		} else
			jv_free(d);
	}
	jv_free(all);
	jv_free(sm);
	r = api_page(jv_object(), "executions", list, jv_copy(a[3]),
	    jv_copy(a[2]), 100);
out:
	api_args_free(list_args, a);
	return r;
}

static const struct api_arg history_args[] = {
	{ "executionArn", JV_KIND_STRING, 1 },
	{ "maxResults", JV_KIND_NUMBER, 0 },
	{ "reverseOrder", JV_KIND_TRUE, 0 },
	{ "nextToken", JV_KIND_STRING, 0 },
	{ "includeExecutionData", JV_KIND_TRUE, 0 },
	{ NULL, 0, 0 }
};

/* An event (consumed) as the API gives it; without its data unless data. */
static jv
event_shape(jv ev, int data)
{
	jv orig;

	ev = api_epoch_member(ev, "timestamp");
	if (!data) {
		orig = jv_copy(ev);
		jv_object_foreach(orig, k, d) {
			const char *s = jv_string_value(k);
			size_t n = strlen(s);
			if (n > 12 && strcmp(s + n - 12, "EventDetails") == 0 &&
			    jv_get_kind(d) == JV_KIND_OBJECT) {
				d = jv_object_delete(d, ASL_LIT("input"));
				d = jv_object_delete(d, ASL_LIT("output"));
				ev = jv_object_set(ev, k, d);
			} else {
				jv_free(k);
				jv_free(d);
			}
		}
		jv_free(orig);
	}
	return ev;
}

/* What fn says of the execution arn names (consumed). */
static jv
of_execution(struct asl_api *api, jv arn,
    jv (*fn)(const struct asl_store *, const char *))
{
	jv name = api_arn_name(arn, "execution"), r;

	if (!jv_is_valid(name))
		return name;
	r = fn(api->store, jv_string_value(name));
	jv_free(name);
	return r;
}

jv
api_get_execution_history(struct asl_api *api, jv req)
{
	jv a[5], r = api_args(req, history_args, a), events, list;
	int data;

	if (!jv_is_valid(r))
		goto out;
	jv_free(r);
	events = of_execution(api, jv_copy(a[0]), asl_exec_history);
	if (!jv_is_valid(events)) {
		r = events;
		goto out;
	}
	events = jv_object_get(asl_history_document(events,
	    jv_get_kind(a[2]) == JV_KIND_TRUE), ASL_LIT("events"));
	data = jv_get_kind(a[4]) != JV_KIND_FALSE;
	list = jv_array();
	jv_array_foreach(events, i, ev) {
		list = jv_array_append(list, event_shape(ev, data));
		(void)i;
	}
	jv_free(events);
	r = api_page(jv_object(), "events", list, jv_copy(a[3]), jv_copy(a[1]),
	    100);
out:
	api_args_free(history_args, a);
	return r;
}

static const struct api_arg stop_args[] = {
	{ "executionArn", JV_KIND_STRING, 1 },
	{ "error", JV_KIND_STRING, 0 },
	{ "cause", JV_KIND_STRING, 0 },
	{ "clientToken", JV_KIND_STRING, 0 },
	{ NULL, 0, 0 }
};

jv
api_stop_execution(struct asl_api *api, jv req)
{
	jv a[4], r = api_args(req, stop_args, a), name = jv_null(), d;

	if (!jv_is_valid(r))
		goto out;
	jv_free(r);
	name = api_arn_name(jv_copy(a[0]), "execution");
	if (!jv_is_valid(name)) {
		r = name;
		name = jv_null();
		goto out;
	}
	r = asl_exec_stop(api->store, jv_string_value(name), jv_copy(a[1]),
	    jv_copy(a[2]));
	if (!jv_is_valid(r))
		goto out;
	jv_free(r);
	d = asl_exec_describe(api->store, jv_string_value(name));
	r = jv_is_valid(d) ? JV_OBJECT(ASL_LIT("stopDate"), api_epoch(
	    jv_object_get(d, ASL_LIT("stopDate")))) : d;
out:
	jv_free(name);
	api_args_free(stop_args, a);
	return r;
}

jv
api_redrive_execution(struct asl_api *api, jv req)
{
	jv name = execution_of(req), r, def;
	int pure;

	if (!jv_is_valid(name))
		return name;
	r = asl_exec_redrive_record(api->store, jv_string_value(name));
	if (jv_is_valid(r)) {
		jv date = jv_object_get(r, ASL_LIT("redriveDate"));
		def = asl_store_read(api->store, "executions/%s/%s",
		    jv_string_value(name), "definition.json");
		pure = jv_is_valid(def) && !has_resource(def);
		jv_free(def);
		if (api->drive != NULL)
			api->drive(api->arg, jv_string_value(name), ASL_API_RUN,
			    pure);
		r = JV_OBJECT(ASL_LIT("redriveDate"), jv_get_kind(date) ==
		    JV_KIND_STRING ? api_epoch(date) : (jv_free(date),
		    api_now()));
	}
	jv_free(name);
	return r;
}

static const struct api_arg send_args[] = {
	{ "taskToken", JV_KIND_STRING, 1 },
	{ "output", JV_KIND_STRING, 0 },
	{ "error", JV_KIND_STRING, 0 },
	{ "cause", JV_KIND_STRING, 0 },
	{ NULL, 0, 0 }
};

/* SendTaskSuccess ('s'), SendTaskFailure ('f'), SendTaskHeartbeat ('h'). */
static jv
send_task(struct asl_api *api, jv req, int what)
{
	jv a[4], r = api_args(req, send_args, a), out;
	const char *token = jv_string_value(a[0]);

	if (!jv_is_valid(r))
		goto done;
	jv_free(r);
	if (what == 's') {
		out = jv_get_kind(a[1]) == JV_KIND_STRING ? api_json_member(
		    jv_copy(a[1]), "InvalidOutput", "output") : api_invalid(
		    "1 validation error detected: Value null at 'output' failed "
		    "to satisfy constraint: Member must not be null");
		r = jv_is_valid(out) ? asl_token_send_result(api->store, token,
		    JV_OBJECT(ASL_LIT("output"), out)) : out;
	} else if (what == 'f')
		r = asl_token_send_result(api->store, token, JV_OBJECT(
		    ASL_LIT("error"), jv_copy(a[2]), ASL_LIT("cause"),
		    jv_copy(a[3])));
	else
		r = asl_token_send_heartbeat(api->store, token);
	if (jv_is_valid(r)) {
		jv_free(r);
		r = jv_object();
	}
done:
	api_args_free(send_args, a);
	return r;
}

jv
api_send_task_success(struct asl_api *api, jv req)
{
	return send_task(api, req, 's');
}

jv
api_send_task_failure(struct asl_api *api, jv req)
{
	return send_task(api, req, 'f');
}

jv
api_send_task_heartbeat(struct asl_api *api, jv req)
{
	return send_task(api, req, 'h');
}

static const struct api_arg take_args[] = {
	{ "activityArn", JV_KIND_STRING, 1 },
	{ "workerName", JV_KIND_STRING, 0 },
	{ NULL, 0, 0 }
};

jv
api_get_activity_task(struct asl_api *api, jv req)
{
	jv a[2], r = api_args(req, take_args, a), name = jv_null();

	if (!jv_is_valid(r))
		goto out;
	jv_free(r);
	name = api_arn_name(jv_copy(a[0]), "activity");
	if (!jv_is_valid(name)) {
		r = name;
		name = jv_null();
		goto out;
	}
	if (!asl_activity_exists(api->store, jv_string_value(name))) {
		r = asl_error("ActivityDoesNotExist", "Activity Does Not Exist: "
		    "'%s'", jv_string_value(a[0]));
		goto out;
	}
	/* no wait here: the server asks again while the caller polls */
	r = asl_activity_take(api->store, jv_string_value(name),
	    jv_get_kind(a[1]) == JV_KIND_STRING ? jv_string_value(a[1]) : NULL,
	    0);
	if (jv_is_valid(r) && jv_get_kind(r) == JV_KIND_NULL)
		r = jv_object();
out:
	jv_free(name);
	api_args_free(take_args, a);
	return r;
}

static const struct api_arg map_runs_args[] = {
	{ "executionArn", JV_KIND_STRING, 1 },
	{ "maxResults", JV_KIND_NUMBER, 0 },
	{ "nextToken", JV_KIND_STRING, 0 },
	{ NULL, 0, 0 }
};

jv
api_list_map_runs(struct asl_api *api, jv req)
{
	jv a[3], r = api_args(req, map_runs_args, a), runs, list;

	if (!jv_is_valid(r))
		goto out;
	jv_free(r);
	runs = of_execution(api, jv_copy(a[0]), asl_exec_list_map_runs);
	if (!jv_is_valid(runs)) {
		r = runs;
		goto out;
	}
	runs = jv_object_get(runs, ASL_LIT("mapRuns"));
	list = jv_array();
	jv_array_foreach(runs, i, m) {
		list = jv_array_append(list, execution_shape(m));
		(void)i;
	}
	jv_free(runs);
	r = api_page(jv_object(), "mapRuns", list, jv_copy(a[2]),
	    jv_copy(a[1]), 100);
out:
	api_args_free(map_runs_args, a);
	return r;
}

jv
api_describe_map_run(struct asl_api *api, jv req)
{
	jv arn = only_arg(req, "mapRunArn"), r;

	if (!jv_is_valid(arn))
		return arn;
	r = asl_exec_describe_map_run(api->store, jv_string_value(arn));
	jv_free(arn);
	return jv_is_valid(r) ? execution_shape(r) : r;
}

static const struct api_arg update_map_run_args[] = {
	{ "mapRunArn", JV_KIND_STRING, 1 },
	{ "maxConcurrency", JV_KIND_NUMBER, 0 },
	{ "toleratedFailureCount", JV_KIND_NUMBER, 0 },
	{ "toleratedFailurePercentage", JV_KIND_NUMBER, 0 },
	{ NULL, 0, 0 }
};

jv
api_update_map_run(struct asl_api *api, jv req)
{
	jv a[4], r = api_args(req, update_map_run_args, a);

	if (!jv_is_valid(r))
		goto out;
	jv_free(r);
	r = api_arn_name(jv_copy(a[0]), "mapRun");
	if (!jv_is_valid(r))
		goto out;
	jv_free(r);
	/* the ranges are the Map Run's to check (asl_exec_update_map_run) */
	r = asl_exec_update_map_run(api->store, jv_string_value(a[0]),
	    jv_copy(req));
out:
	api_args_free(update_map_run_args, a);
	return r;
}
