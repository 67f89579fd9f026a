/*
 * asl_intrinsic.c - placeholder until the intrinsic functions land.
 */
#include <string.h>

#include "asl.h"
#include "asl_intrinsic.h"

int
asl_intrinsic_is_call(const char *text)
{
	while (*text == ' ')
		text++;
	return strncmp(text, "States.", 7) == 0 && strchr(text, '(') != NULL;
}

struct asl_intrinsic *
asl_intrinsic_compile(const char *text, jv *err)
{
	(void)text;
	*err = jv_string("intrinsic functions are not implemented yet");
	return NULL;
}

void
asl_intrinsic_free(struct asl_intrinsic *f)
{
	(void)f;
}

const char *
asl_intrinsic_name(const struct asl_intrinsic *f)
{
	(void)f;
	return "";
}

jv
asl_intrinsic_eval(const struct asl_intrinsic *f, const struct asl_env *env)
{
	(void)f;
	(void)env;
	return asl_error("States.IntrinsicFailure", "not implemented");
}
