/*
 * fuzz/fold.c - a history (JSON Lines) folded an event at a time, as
 * asl resume and asl-history fold read one: lines that are not JSON
 * objects are skipped, as the reader refuses them before the fold.
 */
#include "asl.h"
#include "asl_fold.h"
#include "asl_json.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct asl_fold *f;
	jv ev;

	if ((f = asl_fold_begin(NULL)) == NULL)
		return 0;
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
	jv_free(asl_fold_end(f));
	return 0;
}
