/*
 * asl-task-run - lib/asl_task.h as the driver will call it, for the
 * t/6100-task-*.bats tests: plan one Task invocation, run the command to
 * its end with a small poll loop of its own, and print what happened.
 *
 *   asl-task-run [--map FILE] [--mock FILE --test-case NAME
 *	[--state-machine SM]] [--state NAME] [--invocation N]
 *	[--timeout S] [--repeat N] RESOURCE
 *
 * The parameters (the task's input) are JSON on stdin.  The output is one
 * line: {"plan": {kind, family, pattern, resourceType, resource, argv,
 * wrapInvoke, errors ...}, "result": ...} or {"plan": ..., "error":
 * {"Error", "Cause"}}; ACTIVITY and EXECUTION plans print the plan alone.
 * --timeout kills the command's process group after S seconds (SIGKILL)
 * and reports States.Timeout, as the driver will.  --repeat plans and runs
 * the task N times (for measuring the cost per task) and prints the last.
 * $ASL_PATH is the function search path.  Exit 0 with a result, 1 with an
 * error, 2 for bad usage or a bad map or mock file, 3 for input that is
 * not JSON, 4 for a system error.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asl.h"
#include "asl_doc.h"
#include "asl_json.h"
#include "asl_task.h"

static const char usage[] = "usage: asl-task-run [--map FILE] "
    "[--mock FILE --test-case NAME [--state-machine SM]] [--state NAME] "
    "[--invocation N] [--timeout S] [--repeat N] RESOURCE";

static void
die(int status, const char *msg)
{
	fprintf(stderr, "asl-task-run: %s\n", msg);
	exit(status);
}

static jv
load(const char *path)
{
	char *text;
	size_t len;
	jv v;

	if ((text = asl_read_all(path, 0, &len)) == NULL) {
		fprintf(stderr, "asl-task-run: %s: %s\n", path,
		    strerror(errno));
		exit(4);
	}
	v = asl_doc_parse(text, len, ASL_FORMAT_AUTO, NULL, NULL);
	free(text);
	if (!jv_is_valid(v)) {
		fprintf(stderr, "asl-task-run: %s: not JSON or YAML\n", path);
		exit(3);
	}
	return v;
}

static const char *
kind_name(enum asl_task_kind k)
{
	static const char *const names[] = {
		"command", "mock", "activity", "execution", "fail", "http", "s3"
	};

	return names[k];
}

static jv
plan_json(const struct asl_task_plan *p)
{
	static const char *const families[] = { "lambda", "task", "activity" };
	static const char *const patterns[] = { "request", "sync", "callback" };
	static const char *const errors[] = { "plain", "lambda", "invoke" };
	jv o, argv;
	int i;

	o = JV_OBJECT(jv_string("kind"), jv_string(kind_name(p->kind)),
	    jv_string("family"), jv_string(families[p->family]),
	    jv_string("pattern"), jv_string(patterns[p->pattern]),
	    jv_string("resourceType"), jv_copy(p->resource_type),
	    jv_string("resource"), jv_copy(p->resource));
	switch (p->kind) {
	case ASL_TASK_COMMAND:
		argv = jv_array();
		for (i = 0; p->argv[i] != NULL; i++)
			argv = jv_array_append(argv, jv_string(p->argv[i]));
		o = jv_object_set(o, jv_string("argv"), argv);
		o = jv_object_set(o, jv_string("input"), jv_copy(p->input));
		o = jv_object_set(o, jv_string("inputRaw"),
		    jv_bool(p->input_raw));
		o = jv_object_set(o, jv_string("wrapInvoke"),
		    jv_bool(p->wrap_invoke));
		o = jv_object_set(o, jv_string("errors"),
		    jv_string(errors[p->errors]));
		break;
	case ASL_TASK_ACTIVITY:
		o = jv_object_set(o, jv_string("activity"),
		    jv_copy(p->activity));
		break;
	case ASL_TASK_EXECUTION:
		o = jv_object_set(o, jv_string("execution"),
		    jv_copy(p->execution));
		break;
	case ASL_TASK_S3:
		o = jv_object_set(o, jv_string("request"), jv_copy(p->input));
		break;
	default:
		break;
	}
	return o;
}

int
main(int argc, char *argv[])
{
	struct asl_resources *res;
	struct asl_task_plan plan;
	const char *mapf = NULL, *mockf = NULL, *tc = NULL, *sm = NULL,
	    *state = NULL, *resource = NULL;
	int i, invocation = 0, repeat = 1, status;
	double timeout = 0;
	char *text;
	size_t len;
	jv params, out, err, r;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (a[0] != '-' || a[1] != '-') {
			if (resource != NULL)
				die(2, usage);
			resource = a;
			continue;
		}
		if (v == NULL)
			die(2, usage);
		i++;
		if (strcmp(a, "--map") == 0)
			mapf = v;
		else if (strcmp(a, "--mock") == 0)
			mockf = v;
		else if (strcmp(a, "--test-case") == 0)
			tc = v;
		else if (strcmp(a, "--state-machine") == 0)
			sm = v;
		else if (strcmp(a, "--state") == 0)
			state = v;
		else if (strcmp(a, "--invocation") == 0)
			invocation = atoi(v);
		else if (strcmp(a, "--timeout") == 0)
			timeout = atof(v);
		else if (strcmp(a, "--repeat") == 0)
			repeat = atoi(v);
		else
			die(2, usage);
	}
	if (resource == NULL || repeat < 1)
		die(2, usage);
	res = asl_task_resources_new(mapf != NULL ? load(mapf) : jv_null(),
	    mockf != NULL ? load(mockf) : jv_null(), sm, tc,
	    getenv("ASL_PATH"), &err);
	if (res == NULL) {
		fprintf(stderr, "asl-task-run: %s\n", jv_string_value(err));
		jv_free(err);
		return 2;
	}
	if ((text = asl_read_all("-", 0, &len)) == NULL)
		die(4, strerror(errno));
	params = asl_json_parse(text, len, NULL, NULL);
	free(text);
	if (!jv_is_valid(params)) {
		jv_free(params);
		asl_task_resources_free(res);
		die(3, "the parameters on stdin are not JSON");
	}
	out = jv_null();
	for (i = 0; i < repeat; i++) {
		jv_free(out);
		asl_task_plan(res, state, invocation, jv_string(resource),
		    jv_copy(params), &plan);
		out = JV_OBJECT(jv_string("plan"), plan_json(&plan));
		r = jv_null();
		switch (plan.kind) {
		case ASL_TASK_COMMAND:
			r = asl_task_job_run(&plan, NULL, timeout);
			break;
		case ASL_TASK_MOCK:
			r = jv_get_kind(plan.error) == JV_KIND_OBJECT ?
			    jv_invalid_with_msg(jv_copy(plan.error)) :
			    jv_copy(plan.result);
			break;
		case ASL_TASK_FAIL:
			r = jv_invalid_with_msg(jv_copy(plan.error));
			break;
		default:
			r = jv_invalid();	/* nothing to run here */
			break;
		}
		if (jv_is_valid(r))
			out = jv_object_set(out, jv_string("result"), r);
		else if (jv_invalid_has_msg(jv_copy(r)))
			out = jv_object_set(out, jv_string("error"),
			    asl_error_object(r));
		else
			jv_free(r);
		asl_task_plan_release(&plan);
	}
	status = jv_object_has(jv_copy(out), jv_string("error")) ? 1 : 0;
	asl_print(out, 0);
	jv_free(params);
	asl_task_resources_free(res);
	return asl_close_stdout(status);
}
