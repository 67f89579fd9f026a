/*
 * asl_exec.h - running executions: the driver's engine.
 *
 * An execution lives in the store (asl_store.h) and is advanced by one
 * process at a time, holding its lock.  asl_exec_start creates it (its
 * definition, its names and ARNs, its ExecutionStarted event);
 * asl_exec_drive loads it, rebuilds where it stands from its history and
 * drives it on, in one single-threaded event loop over task processes,
 * timers, Parallel branches and Map iterations, writing the history as it
 * goes.  Pure transitions (Pass, Choice) run in-process through
 * asl_step, never a process per transition.
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying {"Error",
 * "Cause"}.
 */
#ifndef ASL_EXEC_H
#define ASL_EXEC_H

#include <jv.h>

#include "asl_progress.h"

struct asl_store;
struct asl_resources;

struct asl_exec_options {
	const char	*name;		/* the execution's name; NULL: a UUID */
	const char	*state_machine;	/* its state machine's name */
	int		 express;	/* EXPRESS rather than STANDARD */
	int		 history;	/* EXPRESS: keep every event anyway */
	int		 jobs;		/* task processes at once; 0: the default */
	/*
	 * A STANDARD execution fails at this many events, as AWS fails
	 * it at 25,000 (ASL_EXEC_HISTORY_LIMIT); 0: no limit; -1 (the
	 * default): the execution's own, the one it started with.
	 */
	long		 history_limit;
	int		 detach;	/* return at the first pause */
	jv		 resources;	/* the resource map (object) or null */
	jv		 mock;		/* a MockConfigFile document or null */
	const char	*test_case;	/* its test case */
	const char	*path;		/* $ASL_PATH for Lambda functions */
	/*
	 * HTTP Tasks: the connections (asl_task_connections_read's, or
	 * null), never stored with the execution (they hold secrets), and
	 * the one host whose certificate is not checked (NULL: none).
	 */
	jv		 connections;
	const char	*insecure;
	const char	*s3_root;	/* the local S3 (asl_s3.h); NULL: the
					   one the execution started with,
					   else $ASL_S3_ROOT */
	/*
	 * Where the progress line goes (asl_progress.h), with its
	 * argument; NULL (the default): nowhere.
	 */
	asl_progress_fn	 progress;
	void		*progress_arg;
	/*
	 * The definition asl_exec_start has just stored for the execution
	 * driven (borrowed), so that asl_exec_drive need not read it back;
	 * jv_invalid() (the default): read it from the store.
	 */
	jv		 definition;
	jv		 execution;	/* likewise its execution.json */
	/*
	 * A group commit (asl_store.h) or NULL: asl_exec_start creates the
	 * execution through it, and asl_exec_drive leaves the sync of the
	 * history it last wrote to it (the syncs before a task runs or a
	 * token goes out are made as ever); the caller commits the group
	 * before it tells anyone of either.  Not handed on to child
	 * executions.
	 */
	struct asl_store_group *group;
};

/* AWS's limit of an execution's input, in bytes of JSON text. */
#define ASL_EXEC_INPUT_LIMIT	262144

/* AWS's hard quota of events in a STANDARD execution's history. */
#define ASL_EXEC_HISTORY_LIMIT	25000

/* Sensible defaults: STANDARD, no history for EXPRESS, jobs 0, ... */
void	asl_exec_options_init(struct asl_exec_options *);

/*
 * Create an execution of definition (normalized; consumed) with input
 * (consumed).  Returns its execution.json: {"name", "executionArn",
 * "stateMachineName", "stateMachineArn", "type", "input", "startDate",
 * "roleArn", ...}, with "existing": true when an identical start found it
 * already there.
 */
jv	asl_exec_start(const struct asl_store *, jv definition, jv input,
	    const struct asl_exec_options *);

/*
 * asl run: start an execution as asl_exec_start does and drive it as
 * asl_exec_drive does (an execution of that name started before with the
 * same definition and input is driven on from where it stands).
 */
jv	asl_exec_run(const struct asl_store *, jv definition, jv input,
	    const struct asl_exec_options *);

/*
 * Drive the execution name until it ends (or pauses, with detach: when
 * nothing is left to do but wait for a timer, a callback or an activity
 * worker).  An execution already in progress is picked up where its
 * history leaves it (a crashed or paused driver): pure steps are taken
 * again, timers recomputed from their state's entry, a task scheduled but
 * never started is started, a started one waits for its token's answer
 * or, with no token, fails with Asl.TaskInterrupted (STANDARD: at most
 * once) or runs again (EXPRESS: at least once).  Returns {"status":
 * "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "RUNNING", "output",
 * "error", "cause"}, with "paused": true when detach returned early.
 * Another process advancing it is an error (ExecutionLocked) unless wait.
 */
jv	asl_exec_drive(const struct asl_store *, const char *name,
	    const struct asl_exec_options *, int wait);

/*
 * redrive: a FAILED, ABORTED or TIMED_OUT execution continues from the
 * state that did not finish (an ExecutionRedriven event; RedriveCount in
 * the context object goes up), then is driven as asl_exec_drive does.
 * Otherwise ExecutionNotRedrivable.
 */
jv	asl_exec_redrive(const struct asl_store *, const char *name,
	    const struct asl_exec_options *);

/*
 * The first half of redrive: the ExecutionRedriven event recorded, for a
 * driver to take it on (asl serve's).  {"redriveCount", "redriveDate"}
 * of the ExecutionRedriven event, or the errors of redrive.
 */
jv	asl_exec_redrive_record(const struct asl_store *, const char *name);

/*
 * stop: record the request (error and cause, consumed; null for none),
 * make the driver at work, if any, abort the execution (its task
 * processes are killed), or abort it here; returns the outcome
 * (status "ABORTED").  ExecutionNotRunning if it is over.
 */
jv	asl_exec_stop(const struct asl_store *, const char *name, jv error,
	    jv cause);

/*
 * Ask every drive in progress to stop at once: its task processes are
 * killed, its history written, and asl_exec_drive returns status
 * "RUNNING" with "interrupted": sig.  Async-signal-safe: a program's
 * SIGINT and SIGTERM handlers call it.
 */
void	asl_exec_interrupt(int sig);

/* Whether a signal other than asl stop's has interrupted the drives. */
int	asl_exec_interrupted(void);

/*
 * AWS's DescribeExecution for name: executionArn, stateMachineArn, name,
 * status, startDate, stopDate, input, inputDetails, output, outputDetails,
 * error, cause, redriveCount, redriveDate (once redriven), and for a
 * STANDARD execution redriveStatus and redriveStatusReason.
 */
jv	asl_exec_describe(const struct asl_store *, const char *name);

/*
 * asl tick: advance every RUNNING execution that can move (a timer due,
 * an answer arrived), each detached (o's other options apply), and
 * return.  Executions another process drives are left to it.  fn is
 * called with {"name", "status"} (consumed) for each execution driven, as
 * it is done, and with {"name", "error", "cause"} for each that could not
 * be driven; returns how many could not.  An interruption
 * (asl_exec_interrupt) stops the round.
 */
int	asl_exec_tick(const struct asl_store *, const struct asl_exec_options *,
	    void (*fn)(void *arg, jv outcome), void *arg);

/*
 * ListExecutions: {"executions": [...]}, each as asl_exec_describe gives
 * it without its input and output, oldest first.
 */
jv	asl_exec_list(const struct asl_store *);

/*
 * The list (consumed) as a table for people: NAME, STATUS, START, STOP,
 * and WAITING when an execution has "waiting" (asl_exec_waiting's).
 */
jv	asl_exec_list_table(jv list);

struct asl_time;

/*
 * The executions of list (consumed) with status (NULL: any), of the state
 * machine called machine (NULL: any), started at since or later (NULL:
 * ever).
 */
jv	asl_exec_list_filter(jv list, const char *status, const char *machine,
	    const struct asl_time *since);

/*
 * What the RUNNING execution name waits for, from its history: "timer
 * due at T", "a task token (STATE)", "activity NAME", "task STATE
 * running", "a retry of STATE" (several joined by "; "); jv_null() when
 * nothing (or it is not running, or not there).
 */
jv	asl_exec_waiting(const struct asl_store *, const char *name);

/*
 * ListMapRuns: {"mapRuns": [{"executionArn", "mapRunArn",
 * "stateMachineArn", "startDate", "stopDate"}]} of the execution name.
 */
jv	asl_exec_list_map_runs(const struct asl_store *, const char *name);

/*
 * DescribeMapRun of the Map Run arn: mapRunArn, executionArn, status,
 * startDate, stopDate, maxConcurrency, toleratedFailure*, itemCounts and
 * executionCounts (pending, running, succeeded, failed, timedOut,
 * aborted, total), redriveCount; or ResourceNotFound.
 */
jv	asl_exec_describe_map_run(const struct asl_store *, const char *arn);

/*
 * UpdateMapRun of the Map Run arn: update's maxConcurrency,
 * toleratedFailureCount and toleratedFailurePercentage (each optional)
 * become its settings, shown by DescribeMapRun and taken by its driver
 * at the next child it starts or sees end: {}, or ResourceNotFound, or
 * ValidationException for a value out of AWS's range.
 */
jv	asl_exec_update_map_run(const struct asl_store *, const char *arn,
	    jv update);

/*
 * ListExecutions of the Map Run arn: {"executions": [{"executionArn",
 * "stateMachineArn", "name", "status", "startDate", "stopDate",
 * "mapRunArn", "redriveCount"}]}, its children that have ended, in the
 * order of their items; or ResourceNotFound.  A child that did not
 * succeed is an execution of the store too (asl_exec_history).
 */
jv	asl_exec_list_map_run_executions(const struct asl_store *,
	    const char *arn);

/*
 * The path of the execution name's history file (a jv string; read it
 * with asl_history_reader_open, as it comes), or ExecutionDoesNotExist.
 */
jv	asl_exec_history_path(const struct asl_store *, const char *name);

/*
 * The events of the execution name (an array, all in memory: for a page
 * of GetExecutionHistory; asl_exec_history_path to read a long one), or
 * ExecutionDoesNotExist.
 */
jv	asl_exec_history(const struct asl_store *, const char *name);

#endif /* !ASL_EXEC_H */
