/*
 * fuzz/jsonpath.c - a JSONPath (first line), evaluated against a
 * document (the rest, when it is JSON), and put back into it as
 * ResultPath does; then the first line as a payload template's
 * intrinsic function, evaluated against the same document.
 */
#include "asl.h"
#include "asl_env.h"
#include "asl_intrinsic.h"
#include "asl_json.h"
#include "asl_path.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *rest, *expr;
	struct asl_path *p;
	struct asl_intrinsic *in;
	struct asl_env env;
	jv err = jv_invalid(), doc;

	if (s == NULL)
		return 0;
	expr = fuzz_split(s, &rest);
	doc = fuzz_document(rest, JV_OBJECT(jv_string("a"), JV_ARRAY(
	    jv_number(1), jv_string("x"), jv_null())));
	memset(&env, 0, sizeof env);
	env.input = doc;
	env.context = jv_null();
	env.vars = jv_null();
	if ((p = asl_path_compile(expr, 0, &err)) != NULL) {
		fuzz_dump(asl_path_eval(p, &env));
		fuzz_dump(asl_path_put(p, jv_copy(doc), jv_true()));
		asl_path_free(p);
	} else
		jv_free(err);
	err = jv_invalid();
	if ((in = asl_intrinsic_compile(expr, &err)) != NULL) {
		fuzz_dump(asl_intrinsic_eval(in, &env));
		asl_intrinsic_free(in);
	} else
		jv_free(err);
	jv_free(doc);
	free(s);
	return 0;
}
