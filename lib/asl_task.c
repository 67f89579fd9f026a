/*
 * asl_task.c - placeholder until task resources land: every resource
 * fails to resolve.
 */
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_task.h"

struct asl_resources {
	int unused;
};

struct asl_resources *
asl_resources_new(jv map, jv mock, const char *sm, const char *tc,
    const char *path, jv *err)
{
	(void)sm;
	(void)tc;
	(void)path;
	(void)err;
	jv_free(map);
	jv_free(mock);
	return calloc(1, sizeof(struct asl_resources));
}

void
asl_resources_free(struct asl_resources *r)
{
	free(r);
}

void
asl_task_plan(struct asl_resources *r, const char *state, int inv,
    jv resource, jv parameters, struct asl_task_plan *plan)
{
	(void)r;
	(void)state;
	(void)inv;
	memset(plan, 0, sizeof *plan);
	plan->kind = ASL_TASK_FAIL;
	plan->family = ASL_FAMILY_TASK;
	plan->resource_type = jv_string("unknown");
	plan->resource = resource;
	plan->input = parameters;
	plan->result = jv_null();
	plan->activity = jv_null();
	plan->execution = jv_null();
	plan->error = JV_OBJECT(jv_string("Error"), jv_string("States.TaskFailed"),
	    jv_string("Cause"), jv_string("task resources are not available "
	    "yet"));
}

void
asl_task_plan_release(struct asl_task_plan *plan)
{
	jv_free(plan->resource_type);
	jv_free(plan->resource);
	jv_free(plan->input);
	jv_free(plan->result);
	jv_free(plan->error);
	jv_free(plan->activity);
	jv_free(plan->execution);
}

struct asl_job *
asl_job_start(const struct asl_task_plan *p, char *const envp[], jv *err)
{
	(void)p;
	(void)envp;
	*err = JV_OBJECT(jv_string("Error"), jv_string("States.TaskFailed"),
	    jv_string("Cause"), jv_string("not available"));
	return NULL;
}

int
asl_job_pollfds(const struct asl_job *j, struct pollfd *fds, int max)
{
	(void)j;
	(void)fds;
	(void)max;
	return 0;
}

int
asl_job_pump(struct asl_job *j, const struct pollfd *fds, int n)
{
	(void)j;
	(void)fds;
	(void)n;
	return 1;
}

pid_t
asl_job_pid(const struct asl_job *j)
{
	(void)j;
	return 0;
}

void
asl_job_kill(struct asl_job *j, int sig)
{
	(void)j;
	(void)sig;
}

jv
asl_job_outcome(struct asl_job *j)
{
	(void)j;
	return jv_null();
}

void
asl_job_free(struct asl_job *j)
{
	(void)j;
}
