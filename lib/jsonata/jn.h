/*
 * jn.h - what the parts of the JSONata engine in lib/jsonata/ share:
 * the syntax tree, the values of an evaluation and the function library.
 * Not a public interface: only the files of lib/jsonata/ include it; the
 * rest of asl uses lib/asl_jsonata.h.  Names here are jn_* (and the
 * short forms V, VU, VJ, ARG of the function library).
 *
 * The parts, each using only those before it: jn_parse.c (text to a
 * tree) and jn_regex.c (patterns); jn_value.c (values, errors, frames);
 * jn_path.c and jn_eval.c (evaluation); jn_func.c, jn_string.c,
 * jn_number.c, jn_time.c (the builtins); jsonata.c (the public face).
 * Evaluation and the builtins call each other through function values
 * (jn_apply and the table jn_builtin_find reads), not through includes.
 *
 * The design follows the reference implementation (jsonata-js 2.0.6),
 * whose observable behaviour AWS exposes: a Pratt parser builds a tree,
 * a second pass turns it into paths of steps with predicates ("stages"),
 * and a tree-walking evaluator computes values.
 *
 * Values are jv.  JSONata has kinds JSON lacks: "undefined" (nothing) is
 * an invalid jv without a message, an error is an invalid jv whose message
 * is an object of error fields, and a function is a jv number holding a
 * NaN whose payload is an index into the evaluation's function table
 * (JSON input never holds a NaN, and every numeric operation refuses
 * NaN).  Sequences are jv arrays whose flags travel beside them in a
 * struct jval.
 */
#ifndef ASL_JSONATA_JN_H
#define ASL_JSONATA_JN_H

#include <math.h>
#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "asl.h"
#include "asl_utf8.h"

/* Node types after processing (and a few only seen while parsing). */
enum jn_type {
	JN_PATH = 1, JN_BINARY, JN_NEG, JN_ARRAY, JN_OBJECT, JN_NAME,
	JN_STRING, JN_NUMBER, JN_VALUE, JN_WILDCARD, JN_DESCENDANT,
	JN_PARENT, JN_CONDITION, JN_BLOCK, JN_BIND, JN_REGEX, JN_FUNCTION,
	JN_PARTIAL, JN_VARIABLE, JN_LAMBDA, JN_APPLY, JN_TRANSFORM, JN_SORT,
	JN_PLACEHOLDER,
	/* parse-only */
	JN_RAW_BINARY, JN_RAW_OBJECT, JN_RAW_SORT, JN_RAW_OPNAME, JN_RAW_END
};

/* Operators beyond the single characters that stand for themselves. */
enum {
	OP_DOTDOT = 256, OP_ASSIGN, OP_NE, OP_LE, OP_GE, OP_DESC, OP_CHAIN,
	OP_AND, OP_OR, OP_IN
};

/* Node flags. */
enum {
	JNF_KEEP_ARRAY = 1,	/* [] after the step */
	JNF_CONSARRAY = 2,	/* an array constructor first or last in a path */
	JNF_KEEP_SINGLETON = 4,	/* path: some step had [] */
	JNF_TUPLE = 8,		/* step binds @ or # */
	JNF_THUNK = 16,		/* lambda wrapping a tail call */
	JNF_GROUP = 32		/* has a {...} grouping (maybe empty) */
};

struct jn;

/* A stage of a step: a filter or a #$var index binding. */
struct jn_stage {
	int	 is_index;
	struct jn *expr;	/* filter */
	jv	 name;		/* index variable */
	int	 pos;
};

struct jn_sig;

/*
 * The parent operator %: each occurrence has a slot naming the tuple
 * variable that will hold the ancestor ("!0", "!1", ...), and how many
 * steps up it still has to go while the tree is being processed.
 */
struct jn_slot {
	char	 label[16];
	int	 level;
	int	 index;
};

struct jn {
	enum jn_type type;
	int	 op;		/* binary operator */
	int	 pos;		/* offset just past the token, as jsonata-js */
	unsigned flags;
	jv	 val;		/* literal; name; variable name; operator name */
	struct jn *lhs, *rhs, *third;	/* binary; condition; transform;
					 * function: lhs is the procedure */
	struct jn **kids;	/* path steps, array items, block, arguments,
				 * object pairs (key, value, ...), sort terms */
	int	 nkids;
	unsigned char *desc;	/* sort: descending flag of each term */
	struct jn_stage *stages; /* path step: filters and index bindings */
	int	 nstages;
	struct jn **pred;	/* any other node: its filters */
	int	 npred;
	struct jn **group;	/* {...} after an expression: key, value, ... */
	int	 ngroup;
	int	 group_pos;
	jv	 focus;		/* @$name, or jv_invalid() */
	jv	 index;		/* #$name on a step without stages */
	struct jn_sig *sig;	/* lambda signature, or NULL */
	struct jn_slot *slot;	/* %: its own slot (owned) */
	struct jn_slot *ancestor; /* step: the slot it binds its input to */
	struct jn_slot **seeking; /* slots still looking for their step */
	int	 nseeking;
	struct rx *rx;		/* regex literal, compiled */
	int	 re_ngroups;	/* capture groups the pattern wrote */
	int	*re_map;	/* capture group i -> POSIX subexpression */
	struct jn *next_alloc;	/* every node of a tree, for freeing */
};

/* A parsed function signature such as "<s-nn?:s>". */
struct jn_param {
	char	 types[12];	/* accepted symbols, as "sm" ('m': missing) */
	char	 type;		/* 's', 'n', 'a', '(' for a choice, ... */
	char	 quant;		/* 0, '?', '+' */
	char	 context;	/* '-': the context when absent */
	char	 subtype;	/* a<n>: 'n' */
};

struct jn_sig {
	struct jn_param p[8];
	int	 n;
};

int	jn_sig_parse(const char *s, struct jn_sig *sig);

/* The compiled expression. */
struct asl_jsonata {
	char	*text;
	struct jn *root;
	struct jn *nodes;	/* allocation list */
};

/* Parse text into a tree; NULL and *err on a syntax error. */
struct jn *jn_parse(struct asl_jsonata *, const char *text, jv *err);
void	jn_free_nodes(struct asl_jsonata *);
struct jn *jn_node(struct asl_jsonata *, enum jn_type, int pos);

/*
 * Values during evaluation.  v is a jv (invalid without a message:
 * undefined; with one: an error); f holds the flags jsonata-js keeps on
 * its arrays.
 */
enum {
	VF_SEQ = 1,		/* a sequence, not a JSON array */
	VF_KEEP = 2,		/* keepSingleton */
	VF_CONS = 4,		/* built by an array constructor */
	VF_OUTER = 8,		/* the wrapper of an array input */
	VF_TUPLE = 16		/* a tuple stream */
};

typedef struct jval {
	jv	 v;
	unsigned f;
} V;

struct jctx;
struct jframe;

/* Functions as values. */
enum jfn_kind {
	FK_LAMBDA, FK_BUILTIN, FK_PARTIAL, FK_REGEX, FK_CHAIN, FK_TRANSFORM
};

struct jbuiltin;

struct jfn {
	enum jfn_kind kind;
	struct jn *node;	/* lambda, regex or transform node */
	struct jframe *env;	/* captured environment */
	V	 input;		/* captured context */
	const struct jbuiltin *bi;
	jv	 target;	/* partial: the function; chain: the first */
	jv	 target2;	/* chain: the second */
	V	*args;		/* partial: bound arguments */
	unsigned char *hole;	/* partial: which arguments are '?' */
	int	 nargs;
	int	 arity;
};

typedef V (*jbuiltin_fn)(struct jctx *, V *args, int nargs, V input,
    struct jframe *env);

struct jbuiltin {
	const char *name;
	const char *sig;
	int	 arity;		/* as JavaScript's Function.length */
	jbuiltin_fn fn;
};

/*
 * The builtins, by file (each table NULL-terminated): jn_func.c,
 * jn_string.c, jn_number.c.  jn_builtin_find looks a name up in all.
 */
extern const struct jbuiltin jn_builtins_func[];
extern const struct jbuiltin jn_builtins_string[];
extern const struct jbuiltin jn_builtins_number[];
const struct jbuiltin *jn_builtin_find(const char *name);



/* The state of one evaluation. */
struct jctx {
	struct jfn **fns;
	size_t	 nfns, capfns;
	struct jframe *frames;	/* every frame made, for freeing */
	double	 now;		/* milliseconds since the epoch, fixed */
	uint64_t rng[4];	/* xoshiro256** for $random, $shuffle, $uuid */
	int	 depth;
	long	 calls;		/* lambdas applied so far (JN_MAX_CALLS) */
	uintptr_t stack_base;	/* where evaluation began on the C stack */
	size_t	 stack_budget;	/* bytes of stack it may use */
	struct jframe *global;
};

/*
 * Lambdas one evaluation may apply.  Every application keeps its frame
 * until the evaluation ends, and a tail call runs in constant stack, so
 * $f := function(){ $f() } would otherwise loop until memory runs out
 * (jsonata-js loops forever).  A million is about 3 s and 350 MB here,
 * more than a $map over the largest array a 256 KiB payload holds.  The
 * fuzz build (make FUZZ=1) allows a tenth: under ASan a million take 20 s,
 * past the fuzzer's timeout, and the fuzzer finds endless ones often.
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define JN_MAX_CALLS	100000L
#else
#define JN_MAX_CALLS	1000000L
#endif

/* A step input of one item, the value itself (see jn_path.c's in_item). */
#define VF_ONE	0x100

/* The variables one scope binds, and the scope around it. */
struct jbinding {
	jv	 name;
	V	 val;
};

struct jframe {
	struct jframe *up;
	struct jframe *all;	/* every frame of the evaluation, for freeing */
	struct jbinding *b;
	int	 n, cap;
};

/* Free the frames and functions an evaluation made. */
void	jn_ctx_free(struct jctx *);

/* Values. */
#define VU()	((V){jv_invalid(), 0})
#define VJ(x)	((V){(x), 0})
int	jn_v_undef(V);
int	jn_v_err(V);
int	jn_v_isnum(V);		/* a finite number, not a function */
int	jn_v_isstr(V);
int	jn_v_isarr(V);
int	jn_v_isobj(V);
int	jn_v_isbool(V);
int	jn_v_isfn(V);
int	jn_isfn(jv);
void	jn_v_free(V);
V	jn_v_copy(V);
struct jfn *jn_fn_get(struct jctx *, jv);
jv	jn_fn_new(struct jctx *, struct jfn *);	/* takes fn */
int	jn_fn_arity(struct jctx *, jv);

/* fn.lookup: the value of key in input, mapped over arrays (borrows). */
V	jn_lookup_key(V input, const char *key);

/* Sequences. */
V	jn_seq_new(void);
V	jn_seq_of(jv);
void	jn_seq_push(V *, jv);
V	jn_append(V, V);
int	jn_bool(V);		/* $boolean; undefined -> 0 */
int	jn_deep_equal(jv, jv);
jv	jn_string_of(struct jctx *, jv, int pretty, V *err);

/* Errors: fields is an object ({"position", "token", "value", ...}). */
V	jn_err(const char *code, jv fields);
V	jn_errp(const char *code, int pos);
jv	jn_err_finish(jv err);

/* Evaluation. */
V	jn_eval(struct jctx *, struct jn *, V input, struct jframe *);
V	jn_apply(struct jctx *, jv fn, V *args, int nargs, V input,
	    struct jframe *env);
struct jframe *jn_frame(struct jctx *, struct jframe *up);
void	jn_bind(struct jframe *, jv name, V val);
V	jn_lookup(struct jframe *, const char *name, int *found);

/*
 * Regular expressions with JavaScript's rules (jn_regex.c);
 * regmatch_t only lends its shape to the results.
 */
struct rx;
int	jn_regex_compile(struct jn *, const char *pattern, const char *flags,
	    jv *err);
void	jn_regex_free(struct jn *);
/* One match at or after byte offset from: 1, 0 for none, -1 too complex. */
int	jn_regex_exec(const struct jn *, const char *s, size_t len,
	    size_t from, regmatch_t *m, int nm);
V	jn_regex_match_object(struct jctx *, struct jn *, jv str, size_t from,
	    size_t *end);

/* Utilities shared by the function library. */
double	jn_random(struct jctx *);
void	jn_seed(struct jctx *, uint64_t);
V	jn_sort(struct jctx *, jv arr, jv cmpfn, struct jn *order,
	    struct jframe *env, int tuples);
jv	jn_number_string(double);

/* Date and time (jn_time.c). */
V	jn_from_millis(double ms, jv picture, jv tz);
V	jn_to_millis(jv str, jv picture, double now);
V	jn_parse_integer(jv str, const char *picture);
V	jn_format_integer(double value, const char *picture);

/* Paths, grouping and order-by (jn_path.c), for the evaluator. */
V	jn_filter(struct jctx *, struct jn *pred, V input, struct jframe *);
V	jn_eval_path(struct jctx *, struct jn *, V input, struct jframe *);
V	jn_eval_group(struct jctx *, struct jn **pairs, int npairs, int pos,
	    V input, struct jframe *);
V	jn_eval_sort(struct jctx *, struct jn *step, V input, struct jframe *);

/* Values, errors and frames (jn_value.c), for the evaluator and paths. */
struct jfn *jn_fn_alloc(enum jfn_kind);
int	jn_alen(V);
jv	jn_aget(V, int i);
V	jn_errv(const char *code, int pos, const char *token, jv value);
V	jn_err_annotate(V e, const char *token, int pos);
struct jframe *jn_frame_from_tuple(struct jctx *, struct jframe *up,
	    jv tuple);
V	jn_tuple_at(jv tuple);
V	jn_lookup_var(struct jctx *, struct jframe *env, const char *name,
	    int *found);

/* What every builtin takes, and its arguments read as what they are. */
#define ARG(i)	((i) < n ? a[(i)] : VU())
#define FNARGS	struct jctx *cx, V *a, int n, V input, struct jframe *env
#define UNUSED	(void)cx; (void)a; (void)n; (void)input; (void)env

static inline V
jn_fail1(const char *code, int index, jv value)
{
	jv f = JV_OBJECT(jv_string("index"), jv_number(index));

	if (jv_is_valid(value))
		f = jv_object_set(f, jv_string("value"), value);
	else
		jv_free(value);
	return jn_err(code, f);
}

static inline int
jn_len(V x)
{
	return jv_array_length(jv_copy(x.v));
}

static inline jv
jn_at(V x, int i)
{
	return jv_array_get(jv_copy(x.v), i);
}

/*
 * A number argument; NaN for undefined, as JavaScript's ToNumber makes it:
 * a signature lets undefined through for any parameter (jsonata-js adds
 * 'm' to each), so $substring("ab", nothing) reaches the builtin.
 */
static inline double
jn_num(V x)
{
	return jv_get_kind(x.v) == JV_KIND_NUMBER ? jv_number_value(x.v) : NAN;
}

static inline const char *
jn_str(V x)
{
	return jv_string_value(x.v);
}

static inline size_t
jn_slen(V x)
{
	return (size_t)jv_string_length_bytes(jv_copy(x.v));
}

/* cp appended to the string s in UTF-8. */
static inline jv
jn_utf8_append(jv s, uint32_t cp)
{
	char b[4];

	return jv_string_append_buf(s, b, asl_utf8_encode(cp, b));
}

#endif /* !ASL_JSONATA_JN_H */
