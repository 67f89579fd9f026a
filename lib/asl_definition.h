/*
 * asl_definition.h - loading a state machine definition: the one way
 * every program (asl-parse, asl-step, asl-history, asl and the engine it
 * drives) turns a file, a text, a value or a registered machine's name
 * into a definition it can trust.
 *
 * Loading is: read (a file, standard input, or the store), parse (JSON or
 * YAML, asl_doc.h), validate as CreateStateMachine would (asl_validate.h),
 * normalize (asl_normalize.h) and, when asked, compile for running
 * (asl_machine.h).  What the store holds (a registered machine, an
 * execution's definition.json) was validated and normalized when it was
 * stored, and is only compiled.
 *
 * Most definitions are sound, so the text is first parsed and validated
 * without noting where each node is; only a definition with something to
 * report is parsed again with the positions its messages need.
 *
 * A definition that does not load is an InvalidDefinition error whose
 * cause has one line per problem, in the form asl-parse prints them:
 * "FILE:LINE:COLUMN: error: LOCATION: MESSAGE" (and for text that is not
 * JSON or YAML, "FILE:LINE:COLUMN: error: MESSAGE", with syntax set).
 * The store's own errors (StateMachineDoesNotExist, ...) pass through.
 *
 * Ownership follows jv.h: a struct asl_definition owns its members until
 * asl_definition_release.
 */
#ifndef ASL_DEFINITION_H
#define ASL_DEFINITION_H

#include <stddef.h>

#include <jv.h>

#include "asl_doc.h"

struct asl_machine;
struct asl_store;

/* The name a lone state has once compiled, as AWS's TestState names it. */
#define ASL_DEFINITION_STATE_NAME "StateName"

/* Flags for loading. */
enum {
	ASL_DEFINITION_EXPRESS = 1,	/* the rules of an EXPRESS machine */
	ASL_DEFINITION_WARNINGS = 2,	/* diagnostics hold warnings too */
	ASL_DEFINITION_STATE = 4,	/* it is one state, as TestState takes */
	ASL_DEFINITION_ANY = 8,		/* a machine, or one state (told apart) */
	ASL_DEFINITION_REGISTERED = 16,	/* a name that is no file: the store's */
	ASL_DEFINITION_COMPILE = 32,	/* compile it into machine */
	ASL_DEFINITION_RAW = 64,	/* keep it as written: do not normalize */
	ASL_DEFINITION_TRUSTED = 128	/* the store's: validated already */
};

struct asl_definition {
	jv	 doc;		/* the definition (normalized unless RAW) */
	jv	 name;		/* its state machine's name */
	int	 express;	/* its type is EXPRESS */
	int	 lone;		/* it is one state, not a machine */
	int	 syntax;	/* it failed as text: not JSON or YAML */
	int	 io;		/* it failed to be read */
	jv	 diagnostics;	/* asl_validate's, with positions when any */
	struct asl_machine *machine;	/* with ASL_DEFINITION_COMPILE */
	/*
	 * Set by the caller: the name a lone state has when it is compiled
	 * (NULL: ASL_DEFINITION_STATE_NAME).
	 */
	const char *state_name;
};

/* An empty definition, to load into. */
void	asl_definition_init(struct asl_definition *);
void	asl_definition_release(struct asl_definition *);

/*
 * Load the definition arg names: a file ("-": standard input), or with
 * ASL_DEFINITION_REGISTERED and a store, when no such file exists, the
 * state machine registered under that name.  format is the file's
 * (ASL_FORMAT_AUTO: asl_doc's rules).  The name is the registered one, or
 * the file's base name without its extensions.  0, or -1 with *err set.
 */
int	asl_definition_load(struct asl_definition *, const struct asl_store *,
	    const char *arg, enum asl_format format, int flags, jv *err);

/* The same for len bytes of text, called name in messages. */
int	asl_definition_parse(struct asl_definition *, const char *name,
	    const char *text, size_t len, enum asl_format format, int flags,
	    jv *err);

/*
 * The same for a definition already parsed (doc, consumed), such as one
 * a request carries or the store holds (ASL_DEFINITION_TRUSTED).  With no
 * text, messages name no position: "LOCATION: MESSAGE".
 */
int	asl_definition_value(struct asl_definition *, jv doc, int flags,
	    jv *err);

/* The state machine name a file suggests: its base name, extensions off. */
jv	asl_definition_name_of(const char *path);

#endif /* !ASL_DEFINITION_H */
