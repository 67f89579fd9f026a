/*
 * asl_arn.h - AWS names and ARNs: what a resource may be called, and the
 * Amazon Resource Names of state machines, executions, activities and Map
 * Runs, in the region and account this machine stands for.
 *
 * The region is $AWS_REGION, else $AWS_DEFAULT_REGION, else us-east-1;
 * the account $ASL_ACCOUNT, else 123456789012; the role $ASL_ROLE_ARN,
 * else arn:aws:iam::ACCOUNT:role/asl.
 *
 * Ownership follows jv.h.  Errors are invalid jv values carrying {"Error",
 * "Cause"} (see asl.h).
 */
#ifndef ASL_ARN_H
#define ASL_ARN_H

#include <stddef.h>

#include <jv.h>

/*
 * Whether name is a valid AWS resource name (1-80 characters, no
 * whitespace, none of < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /, no
 * control characters): true, or an InvalidName error.
 */
jv	asl_arn_name_check(const char *name);

/* A fresh name for an execution or a Map Run (a UUID, as AWS makes). */
jv	asl_arn_new_name(void);

/* A version 4 UUID, from the kernel's random bytes, as text. */
jv	asl_arn_uuid(void);

/* The region, account and role ARN this machine stands for. */
const char *asl_arn_region(void);
const char *asl_arn_account(void);
jv	asl_arn_role(void);

/* arn:aws:states:REGION:ACCOUNT:stateMachine:NAME */
jv	asl_arn_state_machine(const char *name);

/*
 * arn:aws:states:REGION:ACCOUNT:execution:SM:NAME; an Express one is
 * arn:aws:states:REGION:ACCOUNT:express:SM:NAME:ID with a new UUID as ID.
 */
jv	asl_arn_execution(const char *sm, const char *name, int express);

/* arn:aws:states:REGION:ACCOUNT:activity:NAME */
jv	asl_arn_activity(const char *name);

/* arn:aws:states:REGION:ACCOUNT:mapRun:SM/MAPSTATE:RUN */
jv	asl_arn_map_run(const char *sm, const char *state, const char *run);

/*
 * The fields of an ARN, arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, as
 * pointers into s and lengths (field 0 is "arn"): 0, or -1 when s is not
 * an ARN.  Borrows s.
 */
int	asl_arn_split(const char *s, const char *field[6], size_t len[6]);

/*
 * The name an argument gives: the last ':'-separated part of an ARN
 * (execution, activity, state machine), or the argument itself.
 */
const char *asl_arn_last(const char *arg);

/* The activity name of an activity ARN (...:activity:NAME), or NULL. */
const char *asl_arn_activity_name(const char *arn);

#endif /* !ASL_ARN_H */
