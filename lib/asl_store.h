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
