/*
 * fuzz/resources.c - a mock file (Step Functions Local's format) and a
 * resource map read as asl run --mock and --resources read them: the
 * input as JSON or YAML (by content, as asl_doc_read reads a file), tried
 * as each, with a test case named and without; then, for each that
 * loads, the tasks of a few states planned (resolved to a command, a
 * mocked answer or an error; nothing is run) for their first invocations.
 */
#include "asl.h"
#include "asl_doc.h"
#include "asl_task.h"
#include "fuzz.h"

static void
plan(struct asl_resources *r)
{
	static const char *const states[] = { "Charge", "Notify",
	    "ProcessOrder" };
	static const char *const arns[] = {
	    "arn:aws:lambda:us-east-1:123456789012:function:Charge",
	    "arn:aws:states:::lambda:invoke",
	    "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
	    "arn:aws:states:::aws-sdk:s3:getObject" };
	struct asl_task_plan p;
	size_t s, a;
	int i;

	for (s = 0; s < sizeof states / sizeof states[0]; s++)
		for (a = 0; a < sizeof arns / sizeof arns[0]; a++)
			for (i = 0; i < 4; i++) {
				asl_task_plan(r, states[s], i, jv_string(arns[a]),
				    JV_OBJECT(jv_string("FunctionName"),
				    jv_string("Charge"), jv_string("Payload"),
				    JV_OBJECT(jv_string("n"), jv_number(i))), &p);
				if (getenv("FUZZ_PRINT") != NULL)
					fprintf(stderr, "%s %s #%d: kind %d\n",
					    states[s], arns[a], i, (int)p.kind);
				asl_task_plan_release(&p);
			}
}

static void
try(jv map, jv mock, const char *machine, const char *test_case)
{
	struct asl_resources *r;
	jv err = jv_invalid();

	r = asl_task_resources_new(map, mock, machine, test_case, NULL, &err);
	if (r != NULL) {
		plan(r);
		asl_task_resources_free(r);
	} else
		jv_free(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jv doc = asl_doc_parse((const char *)data, size, ASL_FORMAT_AUTO, NULL,
	    NULL);

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
