/*
 * fuzz/fold.c - a history (JSON Lines) folded an event at a time, as
 * asl resume and asl-history fold read one: lines that are not JSON
 * objects are skipped, as the reader refuses them before the fold.  Each
 * history is folded twice: alone, and with a definition (asl-history fold
 * --definition; the fold then asks it which branch a state starts and
 * which state ends its frame) whose Parallel, Map and state names the
 * seeds use.
 */
#include "asl.h"
#include "asl_definition.h"
#include "asl_fold.h"
#include "asl_json.h"
#include "fuzz.h"

static const char workflow[] =
    "{\"StartAt\": \"Par\", \"States\": {"
    "\"Par\": {\"Type\": \"Parallel\", \"Next\": \"M\", \"Branches\": ["
    " {\"StartAt\": \"Flaky\", \"States\": {\"Flaky\": {\"Type\": \"Task\","
    "  \"Resource\": \"arn:aws:lambda:us-east-1:123456789012:function:f\","
    "  \"End\": true}}},"
    " {\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\","
    "  \"Next\": \"W\"}, \"W\": {\"Type\": \"Wait\", \"Seconds\": 1,"
    "  \"End\": true}}}]},"
    "\"M\": {\"Type\": \"Map\", \"ItemsPath\": \"$[0].items\","
    " \"Next\": \"Done\", \"ItemProcessor\": {\"StartAt\": \"Work\","
    " \"States\": {\"Work\": {\"Type\": \"Task\","
    "  \"Resource\": \"arn:aws:lambda:us-east-1:123456789012:function:w\","
    "  \"End\": true}}}},"
    "\"Done\": {\"Type\": \"Succeed\"}}}";

static void
fold(const uint8_t *data, size_t size, const struct asl_machine *m)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct asl_fold *f;
	jv ev;

	if ((f = asl_fold_begin(m)) == NULL)
		return;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		ev = asl_json_parse(p, (size_t)(nl - p), NULL, NULL);
		if (jv_get_kind(ev) != JV_KIND_OBJECT) {
			jv_free(ev);
			continue;
		}
		if (asl_fold_event(f, ev) == -1)
			break;
	}
	/* printed, as asl-history fold prints it */
	fuzz_dump(asl_fold_end(f));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* compiled once, kept for the life of the process */
	static struct asl_definition d;
	static int loaded;
	jv err = jv_invalid();

	if (!loaded) {
		asl_definition_init(&d);
		if (asl_definition_parse(&d, "fuzz", workflow, sizeof workflow - 1,
		    ASL_FORMAT_AUTO, ASL_DEFINITION_COMPILE, &err) == -1)
			abort();
		loaded = 1;
	}
	fold(data, size, NULL);
	fold(data, size, d.machine);
	return 0;
}
