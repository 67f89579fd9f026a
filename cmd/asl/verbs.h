/*
 * cmd/asl/verbs.h - what the verbs of the asl driver share: the command
 * line as parsed once for every verb, and the few things every verb does
 * the same way (open the store, load a definition or a document, report
 * an execution's outcome).  Each verb is a file of cmd/asl/ and calls one
 * function of the library.
 */
#ifndef ASL_CMD_VERBS_H
#define ASL_CMD_VERBS_H

#include <jv.h>

struct asl_definition;
struct asl_exec_options;
struct asl_store;

/* The command line: the store, the operand, and every verb's options. */
struct args {
	const char	*store;		/* --store, before or after the verb */
	const char	*operand;	/* DEF, EXEC or FILE, or NULL */
	const char	*input, *name, *type, *resources, *mock, *test_case;
	const char	*s3_root;
	const char	*error, *cause, *token, *output, *activity, *worker;
	const char	*state, *level, *severity, *format, *request;
	const char	*since, *state_machine, *status, *cli_input, *listen;
	const char	*connections, *insecure;	/* HTTP Tasks */
	const char	*map_run;	/* list --map-run */
	const char	*max_conc, *tol_count, *tol_pct;	/* update-map-run */
	int		 jobs, pretty, detach, history, json, reverse, replace;
	long		 history_limit;	/* --history-limit; -1: not given */
	int		 progress, quiet;	/* --progress, --quiet */
	int		 prometheus;
	int		 reveal;	/* test-state --reveal-secrets */
	int		 workers;	/* serve */
	double		 wait;		/* get-activity-task; default 60 */
};

/* The usage message with a reason (fmt, arg), exit ASL_EX_USAGE. */
void	usage(const char *fmt, const char *arg) __attribute__((noreturn));

/* Open the store the command line names (--store, $ASL_STORE, ...). */
void	open_store(const struct args *, struct asl_store *);

/* --since as an instant (in *t), NULL when not given; usage if bad. */
struct asl_time;
const struct asl_time *since_arg(const struct args *, struct asl_time *t);

/* An API error (ExecutionDoesNotExist ...) as AWS names it, exit 1. */
void	die_api(jv err) __attribute__((noreturn));

/* A document a verb reads (a resource map, a mock file), or die. */
jv	load_doc(const char *what, const char *path);

/* The definition a verb names (a file or a registered name), or die. */
void	load_definition(struct asl_definition *, const struct asl_store *,
	    const char *arg, int flags);

/* The options of the drive from the command line (resources, mock ...). */
void	exec_options(const struct args *, struct asl_exec_options *);
void	exec_options_release(struct asl_exec_options *);

/* Just the HTTP Tasks' options (--connections, --insecure), or die. */
void	http_options(const struct args *, struct asl_exec_options *);
/*
 * The progress line of a drive on stderr (o->progress): when stderr is a
 * terminal, or --progress; never with --quiet.
 */
void	progress_options(const struct args *, struct asl_exec_options *);

/* Ctrl-C and kill stop a drive cleanly (asl_exec_interrupt). */
void	catch_signals(void);

/*
 * An execution's outcome (asl_exec_drive's, consumed): its output on
 * stdout when it succeeded, else its error on stderr; the exit status for
 * its status.
 */
int	report(jv outcome, int pretty);

/* The verbs. */
int	verb_run(struct args *);
int	verb_start(struct args *);
int	verb_resume(struct args *);
int	verb_redrive(struct args *);
int	verb_stop(struct args *);
int	verb_tick(struct args *);
int	verb_send_success(struct args *);
int	verb_send_failure(struct args *);
int	verb_send_heartbeat(struct args *);
int	verb_create_activity(struct args *);
int	verb_get_activity_task(struct args *);
int	verb_create_state_machine(struct args *);
int	verb_validate(struct args *);
int	verb_test_state(struct args *);
int	verb_list(struct args *);
int	verb_describe(struct args *);
int	verb_history(struct args *);
int	verb_graph(struct args *);
int	verb_trace(struct args *);
int	verb_metrics(struct args *);
int	verb_list_map_runs(struct args *);
int	verb_describe_map_run(struct args *);
int	verb_update_map_run(struct args *);
int	verb_serve(struct args *);

#endif /* !ASL_CMD_VERBS_H */
