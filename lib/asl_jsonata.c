/*
 * asl_jsonata.c - placeholder until the JSONata evaluator lands: every
 * expression fails to compile with a clear message.
 */
#include <string.h>

#include "asl.h"
#include "asl_jsonata.h"

int
asl_jsonata_is_expression(const char *s)
{
	size_t len = strlen(s);

	return len >= 4 && strncmp(s, "{%", 2) == 0 &&
	    strcmp(s + len - 2, "%}") == 0;
}

struct asl_jsonata *
asl_jsonata_compile(const char *text, jv *err)
{
	(void)text;
	*err = JV_OBJECT(jv_string("code"), jv_string("S0000"),
	    jv_string("message"), jv_string("JSONata is not available yet"),
	    jv_string("position"), jv_number(0));
	return NULL;
}

void
asl_jsonata_free(struct asl_jsonata *e)
{
	(void)e;
}

const char *
asl_jsonata_text(const struct asl_jsonata *e)
{
	(void)e;
	return "";
}

jv
asl_jsonata_eval(const struct asl_jsonata *e, jv input, jv bindings)
{
	(void)e;
	(void)input;
	(void)bindings;
	return jv_invalid();
}
