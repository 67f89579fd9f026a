/*
 * asl_store.h - the store: where executions live between invocations.
 *
 *     state-machines/NAME.json          registered definitions
 *     executions/NAME/definition.json   the definition it started with
 *     executions/NAME/execution.json    its names, ARNs, type, input, options
 *     executions/NAME/history.jsonl     its events: the source of truth
 *     executions/NAME/lock              flock'd by whoever advances it
 *
 * The directory is --store, else $ASL_STORE, else
 * ${XDG_STATE_HOME:-$HOME/.local/state}/asl, created with mode 0700.  An
 * execution appears whole or not at all: it is built in a temporary
 * directory and renamed into place.  Names follow AWS's rules, so none can
 * escape the store.
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying {"Error",
 * "Cause"} with AWS's API error names (ExecutionAlreadyExists,
 * InvalidName, StateMachineDoesNotExist, ...), or States.Runtime with
 * strerror for system failures.
 */
#ifndef ASL_STORE_H
#define ASL_STORE_H

#include <jv.h>

struct asl_store {
	char	*root;
};

/* Open (creating) the store at dir, or the default one when dir is NULL. */
jv	asl_store_open(struct asl_store *, const char *dir);
void	asl_store_close(struct asl_store *);

/* root/relative, formatted; the caller frees it. */
char	*asl_store_path(const struct asl_store *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Register definition (consumed) under name (create-state-machine), with
 * its type; an existing one is replaced only when replace.  Returns the
 * state machine's description {"stateMachineArn", "name", "type",
 * "creationDate"}.
 */
jv	asl_store_put_machine(const struct asl_store *, const char *name,
	    jv definition, const char *type, int replace);

/* The registered {"name", "type", "definition", ...}, or an error. */
jv	asl_store_get_machine(const struct asl_store *, const char *name);

/*
 * Create an execution: meta is its execution.json ("name", "type",
 * "input", ...), definition its definition; history the first events
 * (ExecutionStarted) to write.  All consumed.  An execution of that name
 * that exists already is returned as it is (with "existing": true) when
 * its definition and input are the same and it has not closed, and is
 * ExecutionAlreadyExists otherwise.
 */
jv	asl_store_create_execution(const struct asl_store *, jv meta,
	    jv definition, jv history);

/*
 * A group commit, for a server answering many requests at once: the
 * STANDARD executions created through a group, and the files handed to
 * asl_store_group_sync, are not synced one by one but all together by
 * asl_store_group_commit: one syncfs of the store's file system, one disk
 * flush for the lot.  Until a commit has made it durable, a crash may
 * take any of it, so nothing made through a group may be told to anyone
 * before.  An execution created through a group is built aside, and put
 * in place by asl_store_group_publish once a commit has made its files
 * durable (so that it appears whole or not at all); its being in place
 * is made durable by the next commit.  So a server answers a start after
 * the second commit that follows it, and has the first commit of one
 * batch be the second of the batch before.
 */
struct asl_store_group {
	jv	pending;	/* [{name, tmp, meta, definition}]: built */
	int	synced;		/* how many of them the last commit made durable */
	jv	names;		/* {name: true} of the pending */
	jv	sync;		/* {path: true}: to be made durable */
	jv	failed;		/* {name: error object}: not put in place */
	int	fd;		/* the store's root, for syncfs; -1 */
};

void	asl_store_group_init(struct asl_store_group *);
void	asl_store_group_release(struct asl_store_group *);

/* Whether the group holds nothing to commit, publish or report. */
int	asl_store_group_empty(const struct asl_store_group *);

/*
 * asl_store_create_execution through the group: a STANDARD execution is
 * built (its files written, their writeback started), not yet synced nor
 * in place.  An EXPRESS one, never synced, is made at once.
 */
jv	asl_store_group_create_execution(const struct asl_store *,
	    struct asl_store_group *, jv meta, jv definition, jv history);

/* Have the next commit make the file (or directory) at path durable. */
void	asl_store_group_sync(struct asl_store_group *, const char *path);

/*
 * Make durable everything written to the store's file system so far,
 * through the group or not.  true, or an error (then none of it may be
 * taken as durable).
 */
jv	asl_store_group_commit(const struct asl_store *,
	    struct asl_store_group *);

/*
 * Put in place the executions whose files the last commit made durable
 * (the next commit makes their being there durable).  Those that cannot
 * be (another process made one of that name with another definition or
 * input, a rename failed) are dropped and kept for asl_store_group_failed.
 */
void	asl_store_group_publish(const struct asl_store *,
	    struct asl_store_group *);

/* The {name: error object} of the executions dropped since the last call. */
jv	asl_store_group_failed(struct asl_store_group *);

/*
 * The path of the file of execution name ("history.jsonl",
 * "definition.json", ...); the caller frees it.
 */
char	*asl_store_execution_path(const struct asl_store *, const char *name,
	    const char *file);

/* The execution.json of name, or ExecutionDoesNotExist. */
jv	asl_store_get_execution(const struct asl_store *, const char *name);

/* The names of every execution, oldest first. */
jv	asl_store_list_executions(const struct asl_store *);

/*
 * Remove what a creation killed half way left behind: the directories
 * executions/.new-NAME-PID whose process PID no longer runs (a creation
 * under way in a live process is left alone).  Nothing of them had been
 * acknowledged.  The number removed.
 */
int	asl_store_sweep(const struct asl_store *);

/*
 * Lock an execution for advancing: a descriptor holding an exclusive
 * flock on executions/NAME/lock (wait: block until free; else -1 with
 * errno EWOULDBLOCK when another process holds it).  Close it to unlock.
 */
int	asl_store_lock(const struct asl_store *, const char *name, int wait);

/*
 * Write v (consumed) as JSON to the store's file rel, creating its
 * directories, durably (fsync'd, mode 0600) and whole (a temporary file
 * renamed into place).  excl: fail with AlreadyExists when the file is
 * there already (the first of racing writers wins).  Returns true or an
 * error.
 */
jv	asl_store_put(const struct asl_store *, const char *rel, jv v, int excl);

/*
 * The same for the file named by fmt and two strings (a and b), made in
 * the store's root.
 */
jv	asl_store_putf(const struct asl_store *, jv v, int excl,
	    const char *fmt, const char *a, const char *b);

/*
 * The JSON document in the store's file named by fmt, a and b, or a plain
 * jv_invalid() when there is no such file.
 */
jv	asl_store_read(const struct asl_store *, const char *fmt, const char *a,
	    const char *b);

/*
 * The names of the store's files dir/NAME.json (state-machines,
 * activities, ...), NAME only, sorted.
 */
jv	asl_store_list(const struct asl_store *, const char *dir);

/*
 * Remove the store's file named by fmt, a and b (gone already is no
 * error).  Returns true or an error.
 */
jv	asl_store_remove(const struct asl_store *, const char *fmt, const char *a,
	    const char *b);

#endif /* !ASL_STORE_H */
