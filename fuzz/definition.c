/*
 * fuzz/definition.c - the definition loader on any text: JSON or YAML
 * (chosen by content), validated with warnings, normalized and compiled,
 * as asl-parse and every verb of asl load one.
 */
#include "asl.h"
#include "asl_definition.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct asl_definition d;
	jv err = jv_invalid();

	asl_definition_init(&d);
	if (asl_definition_parse(&d, "fuzz", (const char *)data, size,
	    ASL_FORMAT_AUTO, ASL_DEFINITION_WARNINGS | ASL_DEFINITION_COMPILE,
	    &err) == -1)
		jv_free(err);
	asl_definition_release(&d);
	return 0;
}
