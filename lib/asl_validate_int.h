/*
 * asl_validate_int.h - what the parts of the validator share: the
 * checking context, where a node is (struct at), the scopes and their
 * transitions, and the checks one part calls in another.  Not a public
 * interface: only lib/asl_validate*.c include it.
 *
 * The parts: asl_validate.c (the walk, the graph, the reports, the
 * public calls), asl_validate_state.c (one state and its fields),
 * asl_validate_value.c (one field's value), asl_validate_rule.c (Retry,
 * Catch, Choice rules).
 *
 * Ownership follows jv.h: the checks borrow the values they are given
 * unless a comment says they consume them.  A location (struct at) is
 * borrowed; it lives on the stack of the walk.
 */
#ifndef ASL_VALIDATE_INT_H
#define ASL_VALIDATE_INT_H

#include <math.h>
#include <stddef.h>
#include <string.h>

#include <jv.h>

#include "asl.h"
#include "asl_jsonata.h"

#define SCHEMA		"SCHEMA_VALIDATION_FAILED"
#define TARGET		"MISSING_TRANSITION_TARGET"

/* State types, as bits, and query languages. */
enum {
	TASK = 0x01, PASS = 0x02, CHOICE = 0x04, WAIT = 0x08, SUCCEED = 0x10,
	FAIL = 0x20, PARALLEL = 0x40, MAP = 0x80, ANY = 0xff
};
enum { JP = 1, JA = 2, BOTH = 3 };

#define FLOW	(TASK | PASS | WAIT | PARALLEL | MAP)

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* AWS's limits. */
#define MAX_NAME	80	/* state names */
#define MAX_LABEL	40	/* Map labels */
#define MAX_RETRY	99999999	/* IntervalSeconds, MaxAttempts */
/*
 * No bound AWS documents for the others: a Wait of more than 2^31 s is
 * refused only when it runs ("Wait state delay is too long.").
 */
#define MAX_INT		9007199254740991.0
#define MAX_ITEMS	100000000	/* ItemReader MaxItems */

/*
 * Where a node is: the steps from the root, a chain on the stack that
 * the walk grows as it descends (AT, AT_INDEX).  Almost every definition
 * is valid, so the JSON Pointer text of a node is made (vd_pointer)
 * only when a problem is reported there.
 */
struct at {
	const struct at	*up;	/* NULL: this is the root */
	const char	*key;	/* a member's name; NULL: an array index */
	int		 index;
};

#define AT(up, key)	(&(const struct at){ (up), (key), 0 })
#define AT_INDEX(up, i)	(&(const struct at){ (up), NULL, (i) })

/*
 * Names of states, in the order met, found again by a hash of their
 * text.  The text is borrowed from the definition, which outlives the
 * walk; a name may hold a NUL (JSON allows "\u0000"), so its length is
 * kept and compared, as jq compares keys.
 */
struct name {
	const char	*s;
	int		 len;
};

struct names {
	struct name	*v;
	int		 n, cap;
	int		*slots;		/* index + 1 of a name, 0: empty */
	int		 nslots;	/* a power of 2, at least 2 * n */
};

/* The checking of one definition. */
struct v {
	jv	 root;		/* the definition */
	jv	 where;		/* pointer -> [line, column], or null */
	jv	 diags;		/* errors, in the order found */
	jv	 warnings;
	int	 flags;
	int	 top_lang;	/* the machine's QueryLanguage */
	int	 distributed;	/* inside a DISTRIBUTED Map's processor */
	struct names names;	/* every state's name, the first of each */
	jv	 labels;	/* Map label -> true, or null */
	jv	 state_ptrs;	/* pointer of every state -> true, or null */
	int	 want_state_ptrs;	/* there are duplicate keys */
};

/*
 * A transition: from a state of the scope to a name, at the state's
 * field (Next, Default) or at the Next of its field's index (Catch,
 * Choices).  The text is borrowed from the definition.
 */
struct edge {
	int		 from;		/* the state's index in the scope */
	int		 to;		/* the target's index, or -1 */
	const char	*target;
	int		 len;
	const char	*field;
	int		 index;		/* -1: the field itself */
};

/* A machine being checked: its states and transitions. */
struct scope {
	jv		 states;	/* borrowed: States, or null */
	struct names	 names;		/* its states, in order */
	int		 current;	/* the state being checked, or -1 */
	struct edge	*edges;		/* in document order */
	int		 nedges, capedges;
	int		 has_terminal;
	int		 unknown;	/* a state's transitions are unknown */
};

/* Small helpers on borrowed values. */

static inline int
vd_has(jv obj, const char *key)
{
	return jv_get_kind(obj) == JV_KIND_OBJECT &&
	    jv_object_has(jv_copy(obj), asl_key(key));
}

static inline jv
vd_get(jv obj, const char *key)
{
	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return jv_invalid();
	return jv_object_get(jv_copy(obj), asl_key(key));
}

static inline int
vd_is_int(jv x)
{
	double d;

	if (jv_get_kind(x) != JV_KIND_NUMBER)
		return 0;
	d = jv_number_value(x);
	return d == trunc(d) && fabs(d) <= 9007199254740991.0;
}

static inline int
vd_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static inline int
vd_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A JSONata expression string: "{%" ... "%}" exactly. */
static inline int
vd_is_jsonata(jv x)
{
	return jv_get_kind(x) == JV_KIND_STRING &&
	    asl_jsonata_is_expression(jv_string_value(x));
}

/* The core (asl_validate.c). */

/* The JSON Pointer of a node: "" for the root, "/States/A~1B/Next". */
jv	vd_pointer(const struct at *);

/*
 * Report a diagnostic.  loc is the pointer AWS reports it at (jv_null()
 * for none), at the pointer whose position is shown (jv_null(): loc's);
 * detail is jv_null() or a string.  All are consumed.
 */
void	vd_report(struct v *, const char *severity, const char *code, jv loc,
	    jv at, jv msg, jv detail);

/*
 * A SCHEMA_VALIDATION_FAILED error at loc (NULL: none), shown at at
 * (NULL: at loc); a WARNING with its code, when warnings are asked for.
 */
void	vd_error(struct v *, const struct at *loc, const struct at *at,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	vd_warning(struct v *, const char *code, const struct at *loc,
	    const struct at *at, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/*
 * [O] A field of the other query language, reported at the object that
 * has it (loc), shown at the field (at).
 */
void	vd_wrong_language(struct v *, const struct at *loc,
	    const struct at *at, int lang, const char *field);

/*
 * A transition to target (borrowed) at kp: the current state's Next or
 * Default, or the Next of one of its Catch or Choices.
 */
void	vd_add_edge(struct scope *, jv target, const struct at *kp);

/*
 * A machine at ptr: the definition (field NULL), a Parallel branch or a
 * Map's ItemProcessor or Iterator.  Consumes m.
 */
void	vd_check_machine(struct v *, jv m, const struct at *ptr,
	    const char *field);

/* Whether a key (borrowed) holds no NUL: is all of its C string. */
int	vd_whole(jv key);

/* A state (asl_validate_state.c): state is borrowed, ptr its place. */
void	vd_check_state(struct v *, struct scope *, const char *name, jv state,
	    const struct at *ptr);

/* Values (asl_validate_value.c); val is borrowed unless said. */

/* "a string", "an object", ... */
const char *vd_kind_name(int kind);

/* Whether field (at fptr) has the kind wanted; reports it if not. */
int	vd_want_kind(struct v *, jv val, const struct at *fptr,
	    const char *field, int kind);

/*
 * An integer field within [min, max], or (JSONata) an expression.
 * Reports and returns 0 when it is neither.
 */
int	vd_want_int(struct v *, jv val, const struct at *fptr,
	    const char *field, double min, double max, int lang);

/* A string field with one of the values of list (NULL-terminated). */
void	vd_want_enum(struct v *, jv val, const struct at *fptr,
	    const char *field, const char *const *list);

/*
 * A Path or Reference Path field (flags as asl_path_compile's); null is
 * allowed where nullable.  Reports and returns 0 if it does not compile.
 */
int	vd_check_path(struct v *, jv val, const struct at *fptr,
	    const char *field, int flags, int nullable);

/* Whether a string looks like a path: "$", "$.", "$[", "$$.". */
int	vd_looks_like_path(const char *);

/* A payload template (an object, if object), compiled as the engine does. */
void	vd_check_template(struct v *, jv val, const struct at *fptr,
	    const char *field, int object);

/*
 * JSONata fields, val consumed: any JSON with expressions in it (value,
 * Output), Assign (JSONPath too), Arguments (an object or an expression).
 */
void	vd_check_jsonata_value(struct v *, jv val, const struct at *fptr);
void	vd_check_assign(struct v *, jv val, const struct at *fptr, int lang);
void	vd_check_output(struct v *, jv val, const struct at *fptr);
void	vd_check_arguments(struct v *, jv val, const struct at *fptr,
	    const char *field);

/* A Task's Resource (consumed); an ARN the resource res is not. */
void	vd_check_resource(struct v *, jv val, const struct at *fptr);
void	vd_not_recognized(struct v *, const struct at *fptr, const char *res);

/* Whether s has CloudFormation's "${...}": 1, 0, or -1 if unclosed. */
int	vd_substitution(const char *s);

/* Retry, Catch and Choice rules (asl_validate_rule.c); lists consumed. */
void	vd_check_retry(struct v *, jv list, const struct at *fptr);
void	vd_check_catch(struct v *, struct scope *, jv list,
	    const struct at *fptr, int lang);

/* One rule (consumed) of Choices (top) or of And, Or, Not. */
void	vd_check_rule(struct v *, struct scope *, jv r, const struct at *rp,
	    int top, int lang);

#endif /* !ASL_VALIDATE_INT_H */
