/*
 * asl_arn.c - AWS resource names and ARNs.
 */
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_arn.h"

jv
asl_arn_name_check(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	jv s = jv_string(name);
	int n = jv_string_length_codepoints(s);

	if (n < 1 || n > 80)
		return asl_error("InvalidName", "Invalid Name: '%s'", name);
	for (; *p != '\0'; p++) {
		if (*p <= 0x20 || *p == 0x7f || strchr("<>{}[]?*\"#%\\^|~`$&,;:/",
		    *p) != NULL)
			return asl_error("InvalidName", "Invalid Name: '%s'", name);
		/* U+0080..U+009F (C1 controls) and U+00A0 no-break space */
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0xa0)
			return asl_error("InvalidName", "Invalid Name: '%s'", name);
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return asl_error("InvalidName", "Invalid Name: '%s'", name);
	return jv_true();
}

jv
asl_arn_uuid(void)
{
	unsigned char b[16];
	char text[ASL_UUID_BUFSIZE];

	if (asl_random_bytes(b, sizeof b) == -1)
		abort();	/* never a guessable name */
	asl_uuid_text(b, text);
	return jv_string(text);
}

jv
asl_arn_new_name(void)
{
	return asl_arn_uuid();
}

static const char *
env_or(const char *a, const char *b, const char *dflt)
{
	const char *v;

	if ((v = getenv(a)) != NULL && *v != '\0')
		return v;
	if (b != NULL && (v = getenv(b)) != NULL && *v != '\0')
		return v;
	return dflt;
}

const char *
asl_arn_region(void)
{
	return env_or("AWS_REGION", "AWS_DEFAULT_REGION", "us-east-1");
}

const char *
asl_arn_account(void)
{
	return env_or("ASL_ACCOUNT", NULL, "123456789012");
}

jv
asl_arn_role(void)
{
	const char *r = getenv("ASL_ROLE_ARN");

	if (r != NULL && *r != '\0')
		return jv_string(r);
	return jv_string_fmt("arn:aws:iam::%s:role/asl", asl_arn_account());
}

jv
asl_arn_state_machine(const char *name)
{
	return jv_string_fmt("arn:aws:states:%s:%s:stateMachine:%s",
	    asl_arn_region(), asl_arn_account(), name);
}

jv
asl_arn_execution(const char *sm, const char *name, int express)
{
	jv id, arn;

	if (!express)
		return jv_string_fmt("arn:aws:states:%s:%s:execution:%s:%s",
		    asl_arn_region(), asl_arn_account(), sm, name);
	/*
	 * AWS gives an Express execution an id of its own after the name
	 * (...:express:MACHINE:NAME:ID), in $$.Execution.Id as everywhere
	 * (context_object/test_express_sync__*).
	 */
	id = asl_arn_uuid();
	arn = jv_string_fmt("arn:aws:states:%s:%s:express:%s:%s:%s",
	    asl_arn_region(), asl_arn_account(), sm, name,
	    jv_string_value(id));
	jv_free(id);
	return arn;
}

jv
asl_arn_activity(const char *name)
{
	return jv_string_fmt("arn:aws:states:%s:%s:activity:%s",
	    asl_arn_region(), asl_arn_account(), name);
}

jv
asl_arn_map_run(const char *sm, const char *state, const char *run)
{
	return jv_string_fmt("arn:aws:states:%s:%s:mapRun:%s/%s:%s",
	    asl_arn_region(), asl_arn_account(), sm, state, run);
}

int
asl_arn_split(const char *s, const char *f[6], size_t len[6])
{
	const char *p, *q;
	int i;

	if (strncmp(s, "arn:", 4) != 0)
		return -1;
	p = s + 4;
	for (i = 1; i < 5; i++) {
		if ((q = strchr(p, ':')) == NULL)
			return -1;
		f[i] = p;
		len[i] = (size_t)(q - p);
		p = q + 1;
	}
	f[0] = s;
	len[0] = 3;
	f[5] = p;
	len[5] = strlen(p);
	return 0;
}

const char *
asl_arn_last(const char *arg)
{
	const char *c = strrchr(arg, ':');

	return strncmp(arg, "arn:", 4) == 0 && c != NULL ? c + 1 : arg;
}

const char *
asl_arn_activity_name(const char *arn)
{
	const char *name = strstr(arn, ":activity:");

	return name != NULL ? name + 10 : NULL;
}
