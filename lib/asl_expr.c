/*
 * asl_expr.c - the expression of a ".$" key: a path or an intrinsic call.
 */
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_expr.h"
#include "asl_intrinsic.h"
#include "asl_path.h"

struct asl_expr {
	enum asl_expr_kind	 kind;
	struct asl_path		*path;
	struct asl_intrinsic	*call;
	char			*text;
};

struct asl_expr *
asl_expr_compile(const char *text, int path_flags, jv *err)
{
	struct asl_expr *e;

	if ((e = calloc(1, sizeof *e)) == NULL ||
	    (e->text = strdup(text)) == NULL) {
		free(e);
		*err = ASL_LIT("out of memory");
		return NULL;
	}
	if (text[0] == '$') {
		e->kind = ASL_EXPR_PATH;
		e->path = asl_path_compile(text, path_flags, err);
	} else {
		e->kind = ASL_EXPR_INTRINSIC;
		if (asl_intrinsic_is_call(text))
			e->call = asl_intrinsic_compile(text, err);
		else
			*err = jv_string_fmt("'%s' is neither a path (starting "
			    "with '$') nor an intrinsic function call", text);
	}
	if (e->path == NULL && e->call == NULL) {
		asl_expr_free(e);
		return NULL;
	}
	return e;
}

void
asl_expr_free(struct asl_expr *e)
{
	if (e == NULL)
		return;
	asl_path_free(e->path);
	asl_intrinsic_free(e->call);
	free(e->text);
	free(e);
}

enum asl_expr_kind
asl_expr_kind(const struct asl_expr *e)
{
	return e->kind;
}

const char *
asl_expr_text(const struct asl_expr *e)
{
	return e->text;
}

const struct asl_path *
asl_expr_path(const struct asl_expr *e)
{
	return e->path;
}

const struct asl_intrinsic *
asl_expr_intrinsic(const struct asl_expr *e)
{
	return e->call;
}

jv
asl_expr_eval(const struct asl_expr *e, const struct asl_env *env)
{
	if (e->kind == ASL_EXPR_PATH)
		return asl_path_eval(e->path, env);
	return asl_intrinsic_eval(e->call, env);
}

