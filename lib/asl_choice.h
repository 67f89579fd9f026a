/*
 * asl_choice.h - JSONPath Choice rules (placeholder API; the module is
 * being written on its own branch).
 */
#ifndef ASL_CHOICE_H
#define ASL_CHOICE_H

#include <jv.h>

#include "asl_env.h"

struct asl_choice;

struct asl_choice *asl_choice_compile(jv rule, jv *errs);
int	asl_choice_eval(const struct asl_choice *, const struct asl_env *env,
	    jv *err);
void	asl_choice_free(struct asl_choice *);
jv	asl_choice_describe(const struct asl_choice *);

#endif /* !ASL_CHOICE_H */
