/*
 * fuzz/jsonata.c - a JSONata expression (first line), compiled and
 * evaluated against a document (the rest, when it is JSON), as a JSONata
 * state's {% ... %} is.
 */
#include "asl.h"
#include "asl_json.h"
#include "asl_jsonata.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *rest, *expr;
	struct asl_jsonata *ax;
	jv err = jv_invalid(), doc;

	if (s == NULL)
		return 0;
	expr = fuzz_split(s, &rest);
	doc = fuzz_document(rest, JV_OBJECT(jv_string("a"), JV_ARRAY(
	    jv_number(1), jv_string("x"), JV_OBJECT(jv_string("b"),
	    jv_true()))));
	if ((ax = asl_jsonata_compile(expr, &err)) != NULL) {
		jv vars = JV_OBJECT(jv_string("v"), jv_number(2));

		/* input and bindings are borrowed */
		fuzz_dump(asl_jsonata_eval(ax, doc, vars));
		jv_free(vars);
		asl_jsonata_free(ax);
	} else
		jv_free(err);
	jv_free(doc);
	free(s);
	return 0;
}
