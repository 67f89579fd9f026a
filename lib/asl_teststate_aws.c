/*
 * asl_teststate_aws.c - TestState as AWS's API has it: a Task without a
 * mock really runs its resource (here: through the resource map, as an
 * execution would), and the answer carries its documents as JSON text.
 */
#define _GNU_SOURCE	/* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_task.h"
#include "asl_teststate.h"

extern char **environ;

/*
 * The caller's environment with the task's context in it, as a command
 * of an execution sees it (asl-resources(5)), less what only an
 * execution has (its ARN, a store, a token).  NULL when out of memory.
 */
static char **
task_env(const char *state)
{
	static const char *const drop[] = { "ASL_EXECUTION_ARN=",
	    "ASL_STATE_NAME=", "ASL_RETRY_COUNT=", "ASL_TASK_TOKEN=", NULL };
	char **env, **e;
	size_t n = 0, k = 0, i;

	for (e = environ; *e != NULL; e++)
		n++;
	if ((env = calloc(n + 3, sizeof *env)) == NULL)
		return NULL;
	for (e = environ; *e != NULL; e++) {
		for (i = 0; drop[i] != NULL; i++)
			if (strncmp(*e, drop[i], strlen(drop[i])) == 0)
				break;
		if (drop[i] == NULL)
			env[k++] = *e;
	}
	/* the two strings made here are env's last ones, freed by free_env */
	if (asprintf(&env[k], "ASL_STATE_NAME=%s", state) == -1)
		env[k] = NULL;
	else if (asprintf(&env[++k], "ASL_RETRY_COUNT=0") == -1)
		env[k] = NULL;
	return env;
}

static void
free_env(char **env)
{
	char **e;

	if (env == NULL)
		return;
	for (e = env; *e != NULL; e++)
		if (strncmp(*e, "ASL_STATE_NAME=", 15) == 0 ||
		    strncmp(*e, "ASL_RETRY_COUNT=", 16) == 0)
			free(*e);
	free(env);
}

jv
asl_teststate_aws_task(void *arg, jv effect, jv *inspection)
{
	struct asl_resources *res = arg;
	struct asl_task_plan plan;
	jv resource, params, name, to, reveal, out;
	const char *state;
	char **env;

	reveal = jv_object_get(jv_copy(effect), ASL_LIT("revealSecrets"));
	resource = jv_object_get(jv_copy(effect), ASL_LIT("resource"));
	params = jv_object_get(jv_copy(effect), ASL_LIT("parameters"));
	name = jv_object_get(jv_copy(effect), ASL_LIT("stateName"));
	to = jv_object_get(effect, ASL_LIT("timeoutSeconds"));
	state = jv_get_kind(name) == JV_KIND_STRING ? jv_string_value(name) :
	    ASL_TESTSTATE_NAME;
	asl_task_plan(res, state, 0, resource, params, &plan);
	switch (plan.kind) {
	case ASL_TASK_COMMAND:
		if (plan.pattern != ASL_PATTERN_REQUEST) {
			/* no token to wait for, no job to follow: one call */
			out = asl_error("States.Runtime", "TestState runs a "
			    "request-response task only; mock a .sync or "
			    ".waitForTaskToken task");
			break;
		}
		env = task_env(state);
		out = asl_task_job_run(&plan, env, jv_get_kind(to) ==
		    JV_KIND_NUMBER ? jv_number_value(to) : 0);
		free_env(env);
		break;
	case ASL_TASK_HTTP:
		out = asl_task_http_run(res, jv_copy(plan.input),
		    jv_get_kind(to) == JV_KIND_NUMBER ? jv_number_value(to) : 0,
		    jv_get_kind(reveal) == JV_KIND_TRUE, inspection);
		break;
	case ASL_TASK_MOCK:
		out = jv_get_kind(plan.error) == JV_KIND_OBJECT ?
		    jv_invalid_with_msg(jv_copy(plan.error)) :
		    jv_copy(plan.result);
		break;
	case ASL_TASK_FAIL:
		out = jv_invalid_with_msg(jv_copy(plan.error));
		break;
	default:
		out = asl_error("States.Runtime", "TestState does not run "
		    "activities or child executions; mock the task");
		break;
	}
	asl_task_plan_release(&plan);
	jv_free(name);
	jv_free(to);
	jv_free(reveal);
	return out;
}

/*
 * The documents of a TestState answer's inspectionData, which AWS's API
 * sends as JSON text; its numbers (maxConcurrency ...) and objects
 * (errorDetails, an HTTP request and response) go as they are.
 */
static const char *const documents[] = {
	"input", "afterArguments", "afterInputPath", "afterParameters",
	"result", "afterResultSelector", "afterResultPath", "variables",
	"afterItemsPath", "afterItemsPointer", "afterItemSelector",
	"afterItemBatcher", NULL
};

jv
asl_teststate_aws_response(jv resp)
{
	jv v, insp;
	int i;

	if (!jv_is_valid(resp) || jv_get_kind(resp) != JV_KIND_OBJECT)
		return resp;
	v = jv_object_get(jv_copy(resp), ASL_LIT("output"));
	if (jv_is_valid(v))
		resp = jv_object_set(resp, ASL_LIT("output"),
		    jv_dump_string(v, 0));
	else
		jv_free(v);
	insp = jv_object_get(jv_copy(resp), ASL_LIT("inspectionData"));
	if (jv_get_kind(insp) != JV_KIND_OBJECT) {
		jv_free(insp);
		return resp;
	}
	for (i = 0; documents[i] != NULL; i++) {
		v = jv_object_get(jv_copy(insp), jv_string(documents[i]));
		if (jv_is_valid(v))
			insp = jv_object_set(insp, jv_string(documents[i]),
			    jv_dump_string(v, 0));
		else
			jv_free(v);
	}
	return jv_object_set(resp, ASL_LIT("inspectionData"), insp);
}
