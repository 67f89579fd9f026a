/*
 * lib/exec/exec_int.h - what the parts of the execution engine share:
 * executions, their frames and groups, and the functions each part offers
 * the others.  Not a public interface: only the files of lib/exec/
 * include it; the engine's interface is asl_exec.h.
 *
 * An execution is a tree of frames: the top one, and one per Parallel
 * branch and per Map iteration in progress.  Each frame stands at a state
 * with that state's raw input and the variables it sees.  Frames that can
 * move are kept on a ready stack and advanced through asl_step
 * (exec_frame.c) until they block on the world: a task (exec_task.c), a
 * timer (Wait, a Retry's delay), or the children of a Map or Parallel
 * (exec_group.c).  One loop polls the task processes and fires the timers
 * (exec_loop.c).  Every step is recorded in the history with the events
 * and the previousEventId links AWS writes.  A drive that finds the
 * history already under way rebuilds its frames from it first
 * (exec_restore.c); exec_api.c holds the verbs.
 *
 * Internal names start with ex_.  Ownership follows jv.h.
 */
#ifndef ASL_EXEC_INT_H
#define ASL_EXEC_INT_H

#include <signal.h>

#include <jv.h>

#include "asl.h"
#include "asl_events.h"
#include "asl_exec.h"
#include "asl_history.h"
#include "asl_machine.h"
#include "asl_progress.h"
#include "asl_rng.h"
#include "asl_step.h"
#include "asl_task.h"
#include "asl_time.h"

enum fstate {
	F_READY,	/* on the ready stack */
	F_QUEUED,	/* a task waiting for a job slot */
	F_TASK,		/* a task process running */
	F_TIMER,	/* waiting for its wake time */
	F_CALLBACK,	/* waiting for its task token's answer */
	F_CHILDREN,	/* its Map or Parallel runs children */
	F_DONE,		/* finished with output */
	F_FAILED	/* finished with error */
};

/* How a resumed Task continues (frame.resumed). */
enum {
	RESUME_NONE,
	RESUME_SCHEDULED,	/* scheduled, never started: start it */
	RESUME_WAIT_ANSWER,	/* started: wait for its token's answer */
	RESUME_INTERRUPTED	/* started, no outcome, no token: fail it */
};

enum fpc {
	PC_ENTER,	/* enter the state: its Entered event, then the step */
	PC_REENTER,	/* a retry: the step again, without a new Entered */
	PC_COMPLETE,	/* the work produced result */
	PC_ERROR,	/* the work failed with error */
	PC_FAIL		/* the engine fails the frame outright with error */
};

struct group;
struct ex_writer;
struct asl_items;
struct ex_batches;
struct ex_kid;

struct frame {
	struct exec		*ex;
	struct group		*group;		/* the group it is a child of */
	int			 index;		/* its branch or iteration */
	const struct asl_state	*state;
	jv			 input;		/* the state's raw input */
	int			 judged;	/* input is a state's output */
	jv			 vars;
	long			 last;		/* the end of its event chain */
	long			 entered;	/* its state's Entered event */
	char			 entered_time[ASL_TIME_BUFSIZE];
	int			 retry_count;
	jv			 counts;
	enum fstate		 st;
	enum fpc		 pc;
	jv			 result;	/* PC_COMPLETE */
	jv			 error;		/* PC_ERROR; F_FAILED */
	int			 runtime;	/* F_FAILED beyond any Catch */
	jv			 output;	/* F_DONE */
	jv			 token;		/* the task token, or null */
	/* the work in progress */
	jv			 effect;
	struct asl_task_plan	 plan;
	int			 has_plan;
	struct asl_job		*job;
	double			 deadline;	/* monotonic; 0: none */
	struct asl_time		 wake;		/* F_TIMER */
	int			 timer_retry;	/* the timer ends a Retry delay */
	struct group		*kids;		/* F_CHILDREN */
	struct frame		*next_ready;
	struct frame		*next_queued;
	int			 quiet;		/* a distributed Map's child */
	struct asl_history	*hist;		/* a Map Run child's, or NULL */
	struct ex_kid		*kid;		/* owned: a Map Run's child */
	jv			 redrive_run;	/* the Map Run a redrive resumes */
	struct asl_items	*reader;	/* a Map's items, streamed */
	/* tokens: callbacks, activities, heartbeats */
	long			 sched_id;	/* its Scheduled event */
	double			 heartbeat;	/* HeartbeatSeconds; 0: none */
	double			 hb_deadline;	/* monotonic; 0: none */
	double			 hb_seen;	/* the last heartbeat's time */
	int			 resumed;	/* its task was scheduled before */
	int			 act_started;	/* ActivityStarted written */
	double			 since;		/* resumed: seconds since scheduled */
};

struct group {
	struct frame		*owner;
	int			 is_map;
	int			 n;
	int			 started, running, done, failed;
	jv			 results;
	jv			 effect;
	struct asl_step_request	 req;		/* the Map's ENTER, for items */
	struct asl_map_items	*items;		/* made from req, once */
	int			 max_conc;
	int			 has_tc, has_tp;
	double			 tol_count, tol_pct;
	long			 map_last;	/* what MapIterationStarted follows */
	long			 last_done;	/* the last iteration event */
	long			 last_child;	/* the last event of a branch */
	jv			 error;		/* the failure, or null */
	int			 runtime;
	struct frame		**kids;		/* the children in progress */
	int			 nkids;
	int			 aborting;
	int			 distributed;	/* children are child executions */
	long			 map_run;	/* its MapRunStarted */
	jv			 run_arn;	/* the Map Run's ARN, or null */
	int			 redrive;	/* the Map Run's redrives */
	jv			 kid_def;	/* its children's definition */
	int			 kid_express;	/* ExecutionType EXPRESS */
	struct ex_writer	*writer;	/* its ResultWriter, or NULL */
	struct asl_items	*reader;	/* its items, if they stream */
	int			 journal;	/* a Map Run's journal; 0: not open */
	struct ex_batches	*batches;	/* its ItemBatcher, if it streams */
	unsigned long		 upd_ino;	/* the registration last read */
	long			 upd_sec, upd_nsec;
};

struct exec {
	const struct asl_store		*store;
	struct asl_progress		 progress;
	const struct asl_exec_options	*opts;
	struct asl_machine		*m;
	struct asl_history		 h;
	int				 events;	/* write every event */
	jv				 meta;
	jv				 ctx_execution;
	jv				 ctx_machine;
	struct asl_resources		*res;
	struct asl_rng			 rng;
	struct frame			*top;
	struct frame			*ready;
	struct frame			*queued, *queued_tail;
	struct frame			**waiting;	/* F_TASK, F_TIMER */
	int				 nwaiting, capwaiting;
	int				 jobs, running_jobs;
	jv				 invocations;	/* state name -> count */
	double				 exec_deadline;	/* monotonic */
	int				 timed_out;
	char				**envp;
	const char			*name;		/* the execution's */
	int				 express;
	int				 ntokens;	/* frames with a token out */
	double				 inbox_stamp;
	double				 quiet_since;	/* test clock: callbacks alone since */
	int				 stopped;	/* asl stop asked */
	char				*s3_root;	/* the local S3, or NULL */
};

/* Set by asl_exec_interrupt: the signal that interrupts every drive. */
extern volatile sig_atomic_t ex_interrupted;

/* exec_frame.c */

/* An event of the execution, of kind (EXECUTION_*), after event prev. */
long	ex_emit(struct exec *ex, long prev, enum asl_event_kind kind,
    jv details);

/*
 * An event of frame f of kind: named for its state's type (STATE_*,
 * GROUP_*, MAP_RUN_*) or its task's family (TASK_*); returns its id.
 */
long	ex_femit(const struct frame *f, long prev, enum asl_event_kind kind,
    jv details);

/* Whether f's state has events of kind (a Fail state is never exited). */
int	ex_has_event(const struct frame *f, enum asl_event_kind kind);

/* A Map iteration's event, of the Map state's frame f. */
long	ex_iteration_event(const struct frame *f, long prev,
    enum asl_event_kind kind, int index);



void	ex_push_ready(struct exec *ex, struct frame *f);

void	ex_add_waiting(struct exec *ex, struct frame *f);

void	ex_remove_waiting(struct exec *ex, struct frame *f);

struct frame *ex_frame_new(struct exec *ex, const struct asl_state *state, jv input, jv vars,
    long last);

void	ex_release_work(struct frame *f);

void	ex_frame_free(struct frame *f);

/* The context object of the frame's current state. */
jv	ex_context(const struct frame *f);

/* A request to step the frame's current state in phase. */
void	ex_frame_request(struct frame *f, struct asl_step_request *req,
    enum asl_step_phase phase);

/* Whether a Task's resource hands out a task token. */
int	ex_wants_token(const struct asl_state *s);

/* The frame fails with err (an error value, consumed). */
void	ex_frame_fail(struct frame *f, jv err, int runtime);

void	ex_frame_done(struct frame *f, jv output);

/* Run one step of the frame's state and act on what it says. */
void	ex_advance(struct frame *f);

/* exec_task.c */

/* The frame's task token is out of use: no answer is taken any more. */
void	ex_close_token(struct frame *f, const char *how);

/* The task is over: record how, and step the state on. */
void	ex_task_outcome(struct frame *f, jv outcome, int timed_out);

/* Start a queued task's process, now that a job slot is free. */
void	ex_launch(struct frame *f);

void	ex_start_task(struct frame *f);

/* Its TaskStarted event. */
void	ex_task_started(struct frame *f);

/* exec_child.c */

/*
 * Start the child execution of f's plan (ASL_TASK_EXECUTION) and wait
 * for it (.sync) or not; resumed: it was started before a crash, and is
 * waited for again.
 */
void	ex_child_start(struct frame *f, int resumed);

/* A child execution f still waits for is stopped (asl stop's way). */
void	ex_child_stop(struct frame *f);

/* exec_group.c */

void	ex_group_free(struct group *g);

void	ex_group_add_kid(struct group *g, struct frame *k);

/*
 * Start the next Map iteration, if the concurrency allows.  One at a time:
 * the engine starts another when this one finishes or blocks, so pure
 * iterations run one after the other (memory bounded by what runs) while
 * iterations that wait on the world overlap.
 */
void	ex_map_fill(struct group *g);

/* The group of f's children, from its effect, with nothing started. */
struct group *ex_group_new(struct frame *f, int is_map);

void	ex_start_group(struct frame *f, int is_map);

/*
 * g's Map Run begins: a new one (MapRunStarted, registered, its
 * ResultWriter opened) or, when its Map is redriven (f->redrive_run),
 * the one before goes on (MapRunRedriven, ex_maprun_resume).  0, or -1
 * with g->error set.
 */
int	ex_maprun_open(struct group *g);

/* Abort a frame's work and everything under it. */
void	ex_abort_frame(struct frame *k);

/* What a finished child means for its group. */
void	ex_child_finished(struct frame *k);

/* Every child has finished (or one failed): step the owner on. */
void	ex_group_settle(struct group *g);

/* exec_items.c */

/*
 * A Map's ItemReader: read its items (f->effect) from the local S3, and
 * step the Map again with them (or fail it, States.ItemReaderFailed).
 * Without an ItemBatcher they stream: the Map is stepped with as many
 * nulls as there are items, and each iteration takes the next item from
 * f->reader (which its group takes over) as it starts.
 */
void	ex_read_items(struct frame *f);

/* Map iteration index's input, from the group's reader or its items. */
jv	ex_map_input(struct group *g, int index);

/*
 * A group that streams its items (g->reader) with an ItemBatcher (the
 * effect's "batcher"): count its batches (g->n) in a first pass, so that
 * ex_map_input hands out batches.  0, or -1 with g->error set.
 */
int	ex_batches_start(struct group *g);
void	ex_batches_free(struct ex_batches *);

/*
 * A Map Run's ResultWriter, from f's effect ("resultWriter"), for the Map
 * Run map_run (its ARN, consumed): NULL when it has none (*err null) or
 * with *err ({Error, Cause}) when it cannot write.
 */
struct ex_writer *ex_writer_new(struct frame *f, jv map_run, jv *err);

/* Iteration index starts with input (borrowed). */
void	ex_writer_started(struct ex_writer *, int index, jv input);

/*
 * Child k of g, a Map Run, has ended as status (SUCCEEDED, FAILED,
 * ABORTED): its own execution ends (ex_kid_end), its entry goes to the
 * ResultWriter's files, and its outcome to the Map Run's journal.
 */
void	ex_maprun_finished(struct group *g, struct frame *k,
	    const char *status);

/* exec_maprun.c: a Map Run starts; the store knows it by its ARN (consumed). */
void	ex_maprun_register(struct group *g, jv map_run);

/*
 * A Map Run starts (g->run_arn set): its journal begins with its ARN,
 * or, redriven, goes on with a line that says so.
 */
void	ex_maprun_begin(struct group *g);

/*
 * How many times the journal of g's Map Run says it was redriven.
 */
int	ex_maprun_redrives(struct group *g);

/*
 * A resumed or redriven Map Run: the children its journal says have
 * ended count as done (seen[index] set, results or ResultWriter entries
 * restored), but for those that failed before its last redrive; returns
 * how many.
 */
int	ex_maprun_restore(struct group *g, int *seen);

/*
 * A resumed or redriven Map Run goes on: the children that had not ended
 * among those started run again from their start (ex_maprun_restore
 * first).
 */
void	ex_maprun_resume(struct group *g);

/*
 * The ids of the MapRunStarted and MapRunRedriven events of events (an
 * array of a history's events) that no MapRun event ends.
 */
jv	ex_maprun_unended(jv events);

/*
 * A Map Run's settings as UpdateMapRun last left them in its registration
 * (maxConcurrency, the tolerated failures), read again when it changed.
 */
void	ex_maprun_settings(struct group *g);

/* The journal of the Map Run arn of execution name; the caller frees it. */
char	*ex_maprun_journal(const struct asl_store *st, const char *name,
	    const char *arn);

/* exec_mapchild.c */

/*
 * Child k of g, a Map Run, starts with input (borrowed): its name and a
 * history of its own, in memory (k->kid, k->hist).
 */
void	ex_kid_start(struct group *g, struct frame *k, jv input);

/*
 * Child k has ended as status ("SUCCEEDED", "FAILED", "ABORTED"): its
 * history's last event; a child that did not succeed (or was in the
 * store already) goes to the store as an execution with that history.
 */
void	ex_kid_end(struct group *g, struct frame *k, const char *status);

void	ex_kid_free(struct ex_kid *);

/*
 * The context object ctx (consumed) of frame f, a Map Run child's or one
 * under it (f->hist set): its Execution and StateMachine the child's.
 */
jv	ex_kid_context(const struct frame *f, jv ctx);

/* A child's name (borrowed) and when it started (ISO). */
jv	ex_kid_name(const struct frame *k);
const char *ex_kid_started(const struct frame *k);

/* Whether child k is an earlier attempt's, redriven. */
int	ex_kid_redriven(const struct frame *k);

/*
 * The name of child index of the Map Run run, redriven redrive times
 * (Express children: 0 for Standard ones, which keep theirs).
 */
jv	ex_kid_name_of(const char *run, int index, int redrive);

/* The ARN of the child named name of the Map Run run (an ARN). */
jv	ex_kid_arn(const char *run, const char *name);

/* The state machine of run's children: ...:stateMachine:MACHINE/LABEL. */
jv	ex_kid_machine(const char *run);

/* A name shaped as the UUID AWS would have made, from seed. */
jv	ex_hashed_name(const char *seed);

/*
 * ItemReader's items for f's Map (effect consumed): an array, or as many
 * nulls as there are items with f->reader to stream them; or an error.
 */
jv	ex_items_read(struct frame *f, jv effect);

/*
 * The Map Run is over: the files and the manifest are written; returns
 * the Map's result (the ResultWriterDetails, or results, consumed, as
 * WriterConfig shapes them), or an error.
 */
jv	ex_writer_close(struct group *g, jv results);

void	ex_writer_free(struct ex_writer *);

/* exec_loop.c */

double	ex_monotonic(void);

/* Kill every task process, as an interruption does. */
void	ex_abort_tasks(struct exec *ex);

/*
 * Drive the execution until its top frame is over, it is stopped, timed
 * out or interrupted, or (detached) nothing is left but waiting.
 */
void	ex_loop(struct exec *ex);

/* The progress line's counters brought up to date, and maybe drawn. */
void	ex_progress(struct exec *ex);

/* exec_restore.c */

/*
 * Rebuild the frames of a running execution from the fold of its events
 * (consumed; asl_fold.h).  redrive: the unfinished state starts afresh.
 */
int	ex_restore(struct exec *ex, jv fold, int redrive, jv *err);

#endif /* !ASL_EXEC_INT_H */
