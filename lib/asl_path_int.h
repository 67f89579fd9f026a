/*
 * asl_path_int.h - what the two halves of the JSONPath module share: the
 * compiled form of a path, the compiler's state, and the calls between
 * the paths (asl_path.c) and their filter expressions [?(...)]
 * (asl_path_filter.c).  Not a public interface: only lib/asl_path*.c
 * include it.
 *
 * Ownership follows jv.h.
 */
#ifndef ASL_PATH_INT_H
#define ASL_PATH_INT_H

#include <jv.h>

#include "asl_env.h"
#include "asl_path.h"

enum tok_kind {
	T_PROP,		/* ['a'] or .a; several names: ['a','b'] */
	T_INDEX,	/* [0] or [0,1,-1] */
	T_SLICE,	/* [a:b] or [a:b:c] */
	T_WILDCARD,	/* [*] or .* */
	T_SCAN,		/* .. (always followed by another token) */
	T_FILTER,	/* [?(...)] */
	T_FUNC		/* .length() and friends, last only */
};

enum func_kind { F_LENGTH, F_MIN, F_MAX, F_AVG, F_SUM, F_STDDEV, F_KEYS,
	F_FIRST, F_LAST };

struct filter;

struct token {
	enum tok_kind	 kind;
	jv		*names;		/* T_PROP */
	int		*indexes;	/* T_INDEX */
	int		 n;		/* names or indexes */
	int		 from, to, step;	/* T_SLICE */
	int		 has_from, has_to;
	struct filter	*filter;	/* T_FILTER */
	enum func_kind	 func;		/* T_FUNC */
};

struct asl_path {
	char		*text;
	enum asl_path_root root;
	char		*variable;	/* ASL_ROOT_VARIABLE */
	int		 current;	/* a filter's "@" path */
	struct token	*tokens;
	int		 ntokens;
	int		 definite;
	int		 map_item;	/* $$.Map.Item.Index...: 1; .Value...: 2 */
};

/* The compiler: the text, where it is, and the first error. */
struct compiler {
	const char	*s, *p;
	int		 flags;
	jv		 err;
	int		 depth;
};

/*
 * The compiler's first error, "MESSAGE at offset N", into c->err (later
 * ones are dropped).  Returns -1.
 */
int	path_cerr(struct compiler *c, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	path_skip_blank(struct compiler *);
int	path_is_name_char(char);

/* A quoted name, 'a b' or "a b", into *out: 0, or -1 (see path_cerr). */
int	path_read_quoted(struct compiler *, jv *out);

/*
 * A path from c->p on; in a filter ("@" or "$", inside [?(...)]) it ends
 * at the first character that is not a step.  NULL on an error.
 */
struct asl_path *path_compile(struct compiler *, int in_filter);
void	path_free(struct asl_path *);

/*
 * p evaluated from its root, or from current (consumed) for an "@" path;
 * root is "$" inside filters (borrowed).  A definite path that matches
 * nothing gives an invalid jv whose message is Jayway's cause.
 */
jv	path_evaluate(const struct asl_path *p, const struct asl_env *env,
	    jv current, jv root);

/* Filters (asl_path_filter.c). */

/* A filter expression, after "[?(", up to its ")": 0, or -1. */
int	path_filter_compile(struct compiler *, struct filter **out);
void	path_filter_free(struct filter *);

/* Whether current (consumed) passes f; root is "$" (borrowed). */
int	path_filter_accept(const struct filter *f, jv current, jv root);

#endif /* !ASL_PATH_INT_H */
