/*
 * asl_task.h - how a Task's Resource runs on this machine.
 *
 * Resolution (asl_task_plan), in the order the architecture fixes:
 *   1. a mock file in Step Functions Local's MockConfigFile.json format,
 *      with a test case: the state's mocked Return or Throw for this
 *      invocation number;
 *   2. the resource map (JSON or YAML): Resource string or glob ->
 *      command (argv array; a string only as {"sh": "..."}, which runs
 *      sh -c);
 *   3. built-ins: arn:aws:states:::lambda:invoke[.waitForTaskToken]
 *      (FunctionName resolved as below, result wrapped as Lambda's Invoke
 *      response: Payload, StatusCode, ExecutedVersion, SdkHttpMetadata,
 *      SdkResponseMetadata); activity ARNs (queued for workers);
 *      arn:aws:states:::states:startExecution[.sync[:2]] (a child
 *      execution);
 *   4. Lambda function ARNs and names: the executable named after the
 *      function in the directories of $ASL_PATH (colon-separated).
 * Unresolved: the error AWS raises for a missing function or resource,
 * so Retry and Catch see what they would on AWS.
 *
 * Running (asl_job_*): a command runs with posix_spawn in its own
 * process group, never through a shell unless the map asks for sh; the
 * task input is written to its stdin, its stdout is the result (JSON),
 * the context is in its environment (ASL_EXECUTION_ARN, ASL_STATE_NAME,
 * ASL_TASK_TOKEN, ASL_RETRY_COUNT, ASL_STORE, given by the caller).  A
 * job is non-blocking: the caller's event loop polls its descriptors and
 * pumps it, and kills its process group on a timeout.
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying
 * {"Error", "Cause"}.
 */
#ifndef ASL_TASK_H
#define ASL_TASK_H

#include <poll.h>
#include <sys/types.h>

#include <jv.h>

struct asl_resources;
struct asl_job;

/*
 * The configuration of resolution.  map: the resource map object (or
 * null); mock: a MockConfigFile document (or null) with test_case naming
 * its test case (for the state machine state_machine); path: $ASL_PATH
 * (or NULL).  All consumed; NULL with *err (a jv string) on a malformed
 * map or mock file.
 */
struct asl_resources *asl_resources_new(jv map, jv mock,
	    const char *state_machine, const char *test_case, const char *path,
	    jv *err);
void	asl_resources_free(struct asl_resources *);

enum asl_task_kind {
	ASL_TASK_COMMAND,	/* run argv with input on stdin */
	ASL_TASK_MOCK,		/* a mocked Return (result) or Throw (error) */
	ASL_TASK_ACTIVITY,	/* queue for an activity worker */
	ASL_TASK_EXECUTION,	/* start a child execution */
	ASL_TASK_FAIL		/* resolution failed: error is the task's error */
};

/* Which history events a resource produces. */
enum asl_task_family {
	ASL_FAMILY_LAMBDA,	/* a function ARN: LambdaFunctionScheduled ... */
	ASL_FAMILY_TASK,	/* arn:aws:states:::svc:api: TaskScheduled ... */
	ASL_FAMILY_ACTIVITY	/* an activity ARN: ActivityScheduled ... */
};

/* The integration pattern, from the resource's suffix. */
enum asl_task_pattern {
	ASL_PATTERN_REQUEST,	/* request-response */
	ASL_PATTERN_SYNC,	/* .sync, .sync:2 */
	ASL_PATTERN_CALLBACK	/* .waitForTaskToken */
};

struct asl_task_plan {
	enum asl_task_kind	 kind;
	enum asl_task_family	 family;
	enum asl_task_pattern	 pattern;
	jv	 resource_type;	/* TASK family: "lambda", "sqs", ... */
	jv	 resource;	/* TASK family: "invoke", "sendMessage" ...; else the ARN */
	char	**argv;		/* COMMAND: NULL-terminated, owned */
	jv	 input;		/* COMMAND: the document for stdin */
	int	 wrap_invoke;	/* COMMAND: wrap stdout as Lambda's Invoke response */
	jv	 result;	/* MOCK Return */
	jv	 error;		/* MOCK Throw, FAIL: {"Error", "Cause"} */
	jv	 activity;	/* ACTIVITY: the activity ARN */
	jv	 execution;	/* EXECUTION: {"stateMachine", "input", "name"} */
};

/*
 * Plan how resource (with the evaluated parameters) runs for the state
 * state_name, whose invocation this is (0-based, counted per state over
 * the execution: mocks use it).  Consumes resource and parameters; fills
 * *plan (release it with asl_task_plan_release).
 */
void	asl_task_plan(struct asl_resources *, const char *state_name,
	    int invocation, jv resource, jv parameters,
	    struct asl_task_plan *plan);
void	asl_task_plan_release(struct asl_task_plan *);

/*
 * Start a COMMAND plan with envp as its environment (NULL-terminated
 * "NAME=value" strings, used as given).  NULL with *err ({Error, Cause},
 * as AWS would raise for a function that cannot start) on failure.
 */
struct asl_job *asl_job_start(const struct asl_task_plan *, char *const envp[],
	    jv *err);

/* Fill up to max pollfds with what the job waits on; returns how many. */
int	asl_job_pollfds(const struct asl_job *, struct pollfd *fds, int max);

/*
 * Make progress after poll() (fds as filled by asl_job_pollfds, with their
 * revents); never blocks.  Returns 1 once the process has exited and its
 * output is collected, else 0.
 */
int	asl_job_pump(struct asl_job *, const struct pollfd *fds, int n);

/* The job's process id (its process group id too). */
pid_t	asl_job_pid(const struct asl_job *);

/* Send sig to the job's whole process group. */
void	asl_job_kill(struct asl_job *, int sig);

/*
 * The outcome of a finished job: the result, or an invalid jv carrying
 * {"Error", "Cause"}: a Lambda-style {"errorType", "errorMessage"} the
 * command printed gives its errorType and AWS's cause shape; otherwise a
 * non-zero exit is States.TaskFailed with a cause built from what it
 * printed; output that is not JSON is an error too.
 */
jv	asl_job_outcome(struct asl_job *);

void	asl_job_free(struct asl_job *);

#endif /* !ASL_TASK_H */
