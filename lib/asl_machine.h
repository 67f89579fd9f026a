/*
 * asl_machine.h - a state machine definition compiled for execution.
 *
 * asl_machine_load takes a definition (normally asl-parse's normalized
 * form, but the older field names are understood too) and compiles every
 * path, template, intrinsic call, JSONata expression and Choice rule once,
 * resolving every transition to a pointer, so that running a state never
 * parses anything.  It checks only what it needs to compile; validating a
 * definition is asl-parse's job (asl_validate).
 *
 * A machine owns its states; states borrow from their machine.  Scopes
 * are the States objects: the top level, each Parallel branch, each Map
 * processor.
 */
#ifndef ASL_MACHINE_H
#define ASL_MACHINE_H

#include <jv.h>

struct asl_path;
struct asl_template;
struct asl_expr;
struct asl_choice;
struct asl_jtemplate;
struct asl_retry;

enum asl_state_type {
	ASL_PASS, ASL_TASK, ASL_CHOICE, ASL_WAIT, ASL_SUCCEED, ASL_FAIL,
	ASL_PARALLEL, ASL_MAP
};

enum asl_query_language { ASL_JSONPATH, ASL_JSONATA };

/* A path field that may be absent, null, or a path. */
struct asl_pathfield {
	int		 present;
	int		 is_null;
	struct asl_path	*path;
};

struct asl_scope;
struct asl_state;

struct asl_catcher {
	jv			 error_equals;	/* array of names */
	struct asl_state	*next;
	jv			 next_name;
	struct asl_pathfield	 result_path;	/* JSONPath */
	struct asl_template	*assign;	/* JSONPath Assign */
	struct asl_jtemplate	*jassign;	/* JSONata Assign */
	struct asl_jtemplate	*joutput;	/* JSONata Output */
};

struct asl_choice_rule {
	struct asl_choice	*rule;		/* JSONPath */
	struct asl_jtemplate	*condition;	/* JSONata */
	struct asl_state	*next;
	jv			 next_name;
	struct asl_template	*assign;
	struct asl_jtemplate	*jassign;
	struct asl_jtemplate	*joutput;
};

struct asl_state {
	jv			 name;		/* string */
	jv			 def;		/* the state's object */
	enum asl_state_type	 type;
	enum asl_query_language	 ql;
	struct asl_scope	*scope;		/* where it lives */
	struct asl_state	*next;		/* NULL: End (or terminal type) */
	jv			 next_name;	/* string, or null at an End */
	int			 end;

	/* JSONPath data flow */
	struct asl_pathfield	 input_path, output_path, result_path;
	struct asl_template	*parameters;	/* Parameters; Map: ItemSelector */
	struct asl_template	*result_selector;
	struct asl_template	*assign;
	int			 has_result;	/* Pass */
	jv			 result;

	/* JSONata data flow */
	struct asl_jtemplate	*arguments;	/* Task, Parallel */
	struct asl_jtemplate	*output;
	struct asl_jtemplate	*jassign;

	/* Task */
	jv			 resource;	/* string */
	struct asl_jtemplate	*timeout, *heartbeat;	/* literal or JSONata */
	struct asl_path		*timeout_path, *heartbeat_path;
	struct asl_template	*credentials;

	/* Retry and Catch */
	struct asl_retry	*retrier;	/* compiled Retry and Catch */
	struct asl_catcher	*catchers;
	int			 ncatchers;

	/* Choice */
	struct asl_choice_rule	*choices;
	int			 nchoices;
	struct asl_state	*default_next;
	jv			 default_name;	/* string or null */

	/* Wait */
	struct asl_jtemplate	*seconds, *timestamp;
	struct asl_path		*seconds_path, *timestamp_path;

	/* Fail */
	struct asl_jtemplate	*error, *cause;
	struct asl_expr		*error_path, *cause_path;

	/* Parallel */
	struct asl_scope	**branches;
	int			 nbranches;

	/* Map */
	struct asl_scope	*processor;
	int			 distributed;
	struct asl_pathfield	 items_path;
	struct asl_jtemplate	*items;		/* JSONata Items */
	struct asl_jtemplate	*item_selector;	/* JSONata ItemSelector */
	struct asl_jtemplate	*max_concurrency;
	struct asl_path		*max_concurrency_path;
	struct asl_jtemplate	*tolerated_count, *tolerated_percentage;
	struct asl_path		*tolerated_count_path, *tolerated_percentage_path;
	jv			 item_batcher;	/* the ItemBatcher object or null */
	struct asl_template	*batch_input;
	jv			 item_reader;	/* the ItemReader object or null */
	jv			 result_writer;	/* the ResultWriter object or null */
};

struct asl_scope {
	struct asl_state	*states;
	int			 nstates;
	struct asl_state	*start;
	struct asl_state	*owner;		/* the Parallel or Map, or NULL */
	int			 index;		/* branch index in a Parallel */
};

struct asl_machine {
	jv			 definition;
	enum asl_query_language	 ql;		/* the top-level language */
	struct asl_scope	*top;
	struct asl_state	**by_name;	/* every state, hashed by name */
	size_t			 by_name_cap;	/* a power of two, or 0 */
	size_t			 nstates;	/* in every scope */
	struct asl_scope	**scopes;	/* every scope, top first */
	int			 nscopes;
	int			 timeout_seconds;	/* 0: none */
};

/* Flags for asl_machine_load. */
enum {
	/*
	 * Transitions to states that do not exist are kept by name only
	 * (next == NULL, next_name set): TestState on a lone state.
	 */
	ASL_MACHINE_LENIENT = 1
};

/*
 * Compile a definition (consumed).  On failure returns NULL and sets *errs
 * to an array of {"pointer": "/States/A/InputPath", "message": ...}.
 */
struct asl_machine *asl_machine_load(jv definition, int flags, jv *errs);

void	asl_machine_free(struct asl_machine *);

/* The state named name anywhere in the machine, or NULL. */
struct asl_state *asl_machine_state(const struct asl_machine *,
	    const char *name);

/* The name of a state (borrowed). */
const char *asl_machine_state_name(const struct asl_state *);

/* "Pass", "Task", ... */
const char *asl_machine_type_name(enum asl_state_type);

/*
 * Wrap a single state (consumed) as a definition of one state named
 * name, as TestState does with a lone state definition (load it with
 * ASL_MACHINE_LENIENT: its Next names a state that is not there).
 */
jv	asl_machine_wrap_state(jv state, const char *name);

#endif /* !ASL_MACHINE_H */
