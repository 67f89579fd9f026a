/*
 * fuzz/resources.c - a mock file (Step Functions Local's format) and a
 * resource map read as asl run --mock and --resources read them: the
 * input as JSON, tried as each, with a test case named and without.
 */
#include "asl.h"
#include "asl_json.h"
#include "asl_task.h"
#include "fuzz.h"

static void
try(jv map, jv mock, const char *machine, const char *test_case)
{
	struct asl_resources *r;
	jv err = jv_invalid();

	r = asl_task_resources_new(map, mock, machine, test_case, NULL, &err);
	if (r != NULL)
		asl_task_resources_free(r);
	else
		jv_free(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jv doc = asl_json_parse((const char *)data, size, NULL, NULL);

	if (!jv_is_valid(doc)) {
		jv_free(doc);
		return 0;
	}
	try(jv_copy(doc), jv_null(), NULL, NULL);
	try(jv_null(), jv_copy(doc), NULL, "HappyPath");
	try(jv_null(), jv_copy(doc), "Orders", "RetryPath");
	jv_free(doc);
	return 0;
}
