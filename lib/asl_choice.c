/*
 * asl_choice.c - placeholder until the Choice rules land.
 */
#include "asl.h"
#include "asl_choice.h"

struct asl_choice *
asl_choice_compile(jv rule, jv *errs)
{
	jv_free(rule);
	*errs = JV_ARRAY(JV_OBJECT(jv_string("pointer"), jv_string(""),
	    jv_string("message"), jv_string("Choice rules are not available "
	    "yet")));
	return NULL;
}

int
asl_choice_eval(const struct asl_choice *c, const struct asl_env *env, jv *err)
{
	(void)c;
	(void)env;
	*err = asl_error("States.Runtime", "Choice rules are not available yet");
	return -1;
}

void
asl_choice_free(struct asl_choice *c)
{
	(void)c;
}

jv
asl_choice_describe(const struct asl_choice *c)
{
	(void)c;
	return jv_string("?");
}
