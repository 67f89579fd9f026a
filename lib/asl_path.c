/*
 * asl_path.c - placeholder until JSONPath lands.
 */
#include "asl.h"
#include "asl_path.h"

struct asl_path *
asl_path_compile(const char *text, int flags, jv *err)
{
	(void)text;
	(void)flags;
	*err = jv_string("paths are not implemented yet");
	return NULL;
}

void
asl_path_free(struct asl_path *p)
{
	(void)p;
}

const char *
asl_path_text(const struct asl_path *p)
{
	(void)p;
	return "";
}

int
asl_path_is_definite(const struct asl_path *p)
{
	(void)p;
	return 1;
}

enum asl_path_root
asl_path_root(const struct asl_path *p)
{
	(void)p;
	return ASL_ROOT_INPUT;
}

const char *
asl_path_variable(const struct asl_path *p)
{
	(void)p;
	return NULL;
}

jv
asl_path_eval(const struct asl_path *p, const struct asl_env *env)
{
	(void)p;
	(void)env;
	return asl_error("States.Runtime", "not implemented");
}

jv
asl_path_put(const struct asl_path *p, jv doc, jv value)
{
	(void)p;
	jv_free(doc);
	jv_free(value);
	return asl_error("States.Runtime", "not implemented");
}

jv
asl_path_invalid(const struct asl_path *p, jv err)
{
	(void)p;
	return err;
}
