/*
 * asl_task.h - how a Task's Resource runs on this machine.
 *
 * Resolution (asl_task_plan), in the order the architecture fixes:
 *   1. a mock file in Step Functions Local's MockConfigFile.json format,
 *      with a test case: the state's mocked Return or Throw for this
 *      invocation number;
 *   2. the resource map (JSON or YAML, see asl-resources(5)): Resource
 *      string or glob -> command (argv array; a string only as
 *      {"sh": "..."}, which runs sh -c);
 *   3. built-ins: arn:aws:states:::lambda:invoke[.waitForTaskToken]
 *      (FunctionName resolved through the map under the function's ARN or
 *      name, else $ASL_PATH; Payload on stdin; the result wrapped as
 *      Lambda's Invoke response: Payload, StatusCode, ExecutedVersion,
 *      SdkHttpMetadata, SdkResponseMetadata); activity ARNs (queued for
 *      workers); arn:aws:states:::states:startExecution[.sync[:2]] (a
 *      child execution); arn:aws:states:::aws-sdk:s3:API and
 *      arn:aws:states:::s3:API for the APIs the local S3 serves
 *      (asl_s3.h);
 *   4. Lambda function ARNs and bare function names: the map under the
 *      function's name, else the executable named after the function in
 *      the directories of $ASL_PATH (colon-separated).
 * Unresolved: the error AWS raises for a missing function
 * (Lambda.ResourceNotFoundException, with Lambda's cause text) or service
 * resource (<Service>.<Exception>, e.g. SQS.AmazonSQSException), so Retry
 * and Catch see what they would on AWS.
 *
 * Running (asl_job_*): a command runs with posix_spawn in its own
 * process group, never through a shell unless the map asks for sh; the
 * task input is written to its stdin, its stdout is the result (JSON),
 * the context is in its environment (ASL_EXECUTION_ARN, ASL_STATE_NAME,
 * ASL_TASK_TOKEN, ASL_RETRY_COUNT, ASL_STORE, given by the caller).  A
 * job is non-blocking: the caller's event loop polls its descriptors and
 * pumps it, and kills its process group on a timeout.  The job reaps its
 * own process with waitpid(pid): the caller must not reap children with
 * waitpid(-1) or SIGCHLD set to SIG_IGN.  Writing to a child that does
 * not read its stdin never raises SIGPIPE in the caller, whatever the
 * caller's disposition of SIGPIPE.
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying
 * {"Error", "Cause"}.
 */
#ifndef ASL_TASK_H
#define ASL_TASK_H

#include <poll.h>
#include <sys/types.h>

#include <jv.h>

#include "asl_events.h"	/* enum asl_task_family: which events it writes */

struct asl_resources;
struct asl_job;

/*
 * The configuration of resolution.  map: the resource map object (or
 * null); mock: a MockConfigFile document (or null) with test_case naming
 * its test case (NULL: nothing is mocked) in the state machine
 * state_machine (NULL: the one state machine that has such a test case);
 * path: $ASL_PATH (or NULL).  All consumed; NULL with *err (a jv string
 * saying where and what) on a malformed map or mock file, or a test case
 * that does not exist.
 *
 * The region and account of ARNs built for functions named without them
 * come from $AWS_REGION, else $AWS_DEFAULT_REGION, else us-east-1, and
 * $ASL_ACCOUNT, else 123456789012, read here once.
 */
struct asl_resources *asl_task_resources_new(jv map, jv mock,
	    const char *state_machine, const char *test_case, const char *path,
	    jv *err);
void	asl_task_resources_free(struct asl_resources *);

/*
 * HTTP Tasks: the connections file at path (JSON or YAML, mode 0600, see
 * asl-resources(5)): connection ARN or name -> connection, checked; else
 * an invalid jv whose message (a string) says what is wrong.
 */
jv	asl_task_connections_read(const char *path);

/* HTTP Tasks: the connections to use (asl_task_connections_read's). */
void	asl_task_resources_connections(struct asl_resources *, jv connections);

/* HTTP Tasks: the one host (NULL: none) whose certificate is not checked. */
void	asl_task_resources_insecure(struct asl_resources *, const char *host);

/* The default region and account (borrowed strings). */
const char *asl_task_resources_region(const struct asl_resources *);
const char *asl_task_resources_account(const struct asl_resources *);

enum asl_task_kind {
	ASL_TASK_COMMAND,	/* run argv with input on stdin */
	ASL_TASK_MOCK,		/* a mocked Return (result) or Throw (error) */
	ASL_TASK_ACTIVITY,	/* queue for an activity worker */
	ASL_TASK_EXECUTION,	/* start a child execution */
	ASL_TASK_FAIL,		/* resolution failed: error is the task's error */
	ASL_TASK_HTTP,		/* an HTTP Task's request (input: its parameters) */
	ASL_TASK_S3		/* an S3 API call on the local S3 (asl_s3.h) */
};

/* The integration pattern, from the resource's suffix. */
enum asl_task_pattern {
	ASL_PATTERN_REQUEST,	/* request-response */
	ASL_PATTERN_SYNC,	/* .sync, .sync:2 */
	ASL_PATTERN_CALLBACK	/* .waitForTaskToken */
};

/* How a command's {"errorType", "errorMessage"} becomes the task's error. */
enum asl_task_errors {
	ASL_ERRORS_PLAIN,	/* Cause: the errorMessage */
	ASL_ERRORS_LAMBDA,	/* Cause: Lambda's error payload, Python's spacing */
	ASL_ERRORS_INVOKE	/* Cause: the same payload, compact (lambda:invoke) */
};

#define ASL_REQUEST_ID_SIZE 37	/* a UUID and its NUL */

struct asl_task_plan {
	enum asl_task_kind	 kind;
	enum asl_task_family	 family;
	enum asl_task_pattern	 pattern;
	jv	 resource_type;	/* TASK family: "lambda", "sqs", "aws-sdk:s3" ...; else null */
	jv	 resource;	/* TASK family: "invoke", "sendMessage.waitForTaskToken" ...; else the ARN */
	char	**argv;		/* COMMAND: NULL-terminated, owned */
	jv	 input;		/* COMMAND: the document for stdin; S3: the request */
	int	 input_raw;	/* COMMAND: input is a string whose bytes are stdin */
	int	 wrap_invoke;	/* COMMAND: wrap stdout as Lambda's Invoke response */
	int	 log_tail;	/* COMMAND: Invoke's LogType Tail: the response has LogResult */
	enum asl_task_errors errors; /* COMMAND: the shape of a printed error */
	char	 request_id[ASL_REQUEST_ID_SIZE]; /* this invocation's Lambda request id */
	jv	 result;	/* MOCK Return */
	jv	 error;		/* MOCK Throw, FAIL: {"Error", "Cause"} */
	jv	 activity;	/* ACTIVITY: the activity ARN */
	jv	 execution;	/* EXECUTION: {"stateMachine", "input", "name"} */
};

/*
 * Plan how resource (with the evaluated parameters: the task's input)
 * runs for the state state_name, whose invocation this is (0-based,
 * counted per state over the execution: mocks use it).  Consumes resource
 * and parameters; fills *plan (release it with asl_task_plan_release).
 * Every jv member is valid (null when unused).
 */
void	asl_task_plan(struct asl_resources *, const char *state_name,
	    int invocation, jv resource, jv parameters,
	    struct asl_task_plan *plan);
void	asl_task_plan_release(struct asl_task_plan *);

/*
 * For a task's failure (error and cause, borrowed) that says nothing
 * here serves its resource, a hint for people: which resource, and the
 * three ways to serve it (a resource map, an executable in $ASL_PATH, a
 * mock).  jv_null() for any other failure.
 */
jv	asl_task_unserved_hint(const char *error, const char *cause);

/* The most descriptors asl_task_job_pollfds ever fills. */
#define ASL_JOB_POLLFDS 4

/*
 * Start a COMMAND plan (borrowed) with envp as its environment
 * (NULL-terminated "NAME=value" strings, used as given; NULL: the
 * caller's environ).  NULL with *err (an invalid jv carrying {Error,
 * Cause}: States.TaskFailed saying why the command could not start) on
 * failure.
 */
struct asl_job *asl_task_job_start(const struct asl_task_plan *, char *const envp[],
	    jv *err);

/*
 * Start an HTTP plan (borrowed): its request goes out through libcurl,
 * driven by the same pollfds and pump as a command (it runs no process:
 * kill abandons it).  NULL with *err (an invalid jv carrying {Error,
 * Cause}: States.Runtime for
 * parameters that make no request, Events.ConnectionResource.* for a
 * connection) on failure.
 */
struct asl_job *asl_task_job_http(struct asl_resources *,
	    const struct asl_task_plan *, jv *err);

/*
 * An HTTP Task run to its end at once, as TestState does (params, the
 * task's parameters, consumed; timeout: TimeoutSeconds, 0 none): the
 * result or the error, and in *inspection {"request", "response"} as
 * TestState's TRACE shows them, without what the connection added unless
 * reveal (revealSecrets).
 */
jv	asl_task_http_run(struct asl_resources *, jv params, double timeout,
	    int reveal, jv *inspection);

/*
 * The most the caller may wait before pumping the job (ms) even if none
 * of its descriptors is ready; -1: no limit.
 */
long	asl_task_job_wait_ms(const struct asl_job *);

/*
 * A job that is a function of this program rather than a command: a
 * forked process (its own process group, stdin /dev/null, no descriptor
 * but its stdout and stderr pipes) runs fn(arg) and exits with what it
 * returns; what it writes on stdout (with write(2), not stdio) is the
 * outcome as a command's is.  label names it in causes.
 */
struct asl_job *asl_task_job_fork(int (*fn)(void *arg), void *arg,
	    const char *label, jv *err);

/*
 * Fill up to max pollfds with what the job waits on; returns how many.
 * Besides its pipes it waits on the process itself (a pidfd), so that a
 * command that exits while a child of its own holds its pipes is done
 * when it exits; where the system has no pidfd it may return 0 while the
 * process still runs: pump it again after SIGCHLD or a short timeout.
 */
int	asl_task_job_pollfds(const struct asl_job *, struct pollfd *fds, int max);

/*
 * Make progress after poll() (fds as filled by asl_task_job_pollfds, with their
 * revents; n may count other descriptors too, which are ignored); never
 * blocks.  Returns 1 once the process has exited and its output is
 * collected, else 0.
 */
int	asl_task_job_pump(struct asl_job *, const struct pollfd *fds, int n);

/* The job's process id (its process group id too). */
pid_t	asl_task_job_pid(const struct asl_job *);

/*
 * Send sig to the job's whole process group, even after its leader has
 * exited (a grandchild holding the output pipes open).
 */
void	asl_task_job_kill(struct asl_job *, int sig);

/*
 * The outcome of a finished job: the result, or an invalid jv carrying
 * {"Error", "Cause"}.  Exit 0: stdout's JSON is the result (empty: null),
 * wrapped as Lambda's Invoke response when the plan says so.  A non-zero
 * exit with a Lambda-style {"errorType", "errorMessage"} on stdout: Error
 * is its errorType and Cause is shaped as the plan's errors says.  With
 * log_tail, the Invoke response carries stderr as the function's log
 * (LogResult and the X-Amz-Log-Result header).  Any
 * other non-zero exit, or a death by a signal: States.TaskFailed with
 * stderr's tail as the cause (else stdout, else the exit status).  Exit 0
 * with output that is not JSON: States.TaskFailed.  Exit 0 with more
 * than 256 KiB of output (ASL_PAYLOAD_LIMIT), or any exit with more than
 * 6 MiB (Lambda's own response limit): States.DataLimitExceeded, checked
 * before the output is parsed.  Call it once.
 */
jv	asl_task_job_outcome(struct asl_job *);

/* Free a job; one still running is killed (SIGKILL) and reaped first. */
void	asl_task_job_free(struct asl_job *);

/*
 * Run a COMMAND plan (borrowed) to its end in a poll loop of its own,
 * blocking: its outcome, as asl_task_job_outcome's.  timeout > 0: after
 * that many seconds the process group is killed and the outcome is
 * States.Timeout.  For a caller with one task and no loop of its own.
 */
jv	asl_task_job_run(const struct asl_task_plan *, char *const envp[],
	    double timeout);

#endif /* !ASL_TASK_H */
