/*
 * fuzz/template.c - a payload template (first line) evaluated against a
 * document (the rest, when it is JSON), as Parameters, ResultSelector,
 * ItemSelector and Assign are: with JSONPath, its "key.$" members paths,
 * intrinsic functions and context paths ($$), and with JSONata, its
 * "{% ... %}" strings, against $states.input and $states.context.  A
 * first line that is not JSON is the one expression of {"x.$": LINE}
 * and of "{% LINE %}".
 */
#include "asl.h"
#include "asl_env.h"
#include "asl_json.h"
#include "asl_jtemplate.h"
#include "asl_template.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *rest, *line;
	struct asl_template *t;
	struct asl_jtemplate *jt;
	struct asl_env env = ASL_ENV_INIT;
	jv tmpl, doc, ctx, vars, errs = jv_invalid();

	if (s == NULL)
		return 0;
	line = fuzz_split(s, &rest);
	tmpl = asl_json_parse(line, strlen(line), NULL, NULL);
	if (!jv_is_valid(tmpl)) {
		jv_free(tmpl);
		tmpl = JV_OBJECT(jv_string("x.$"), jv_string(line));
	}
	doc = fuzz_document(rest, JV_OBJECT(jv_string("a"), JV_ARRAY(
	    jv_number(1), jv_string("x"), jv_null()), jv_string("s"),
	    jv_string("a,b")));
	ctx = JV_OBJECT(jv_string("Execution"), JV_OBJECT(jv_string("Id"),
	    jv_string("arn:aws:states:us-east-1:123456789012:execution:m:e"),
	    jv_string("Input"), jv_copy(doc)), jv_string("State"),
	    JV_OBJECT(jv_string("Name"), jv_string("S"),
	    jv_string("RetryCount"), jv_number(0)));
	vars = JV_OBJECT(jv_string("v"), jv_number(2), jv_string("w"),
	    JV_ARRAY(jv_string("p")));
	env.input = doc;
	env.context = ctx;
	env.vars = vars;
	if ((t = asl_template_compile(jv_copy(tmpl), &errs)) != NULL) {
		fuzz_dump(asl_template_eval(t, &env));
		asl_template_free(t);
	} else
		jv_free(errs);
	errs = jv_invalid();
	if (jv_get_kind(tmpl) == JV_KIND_OBJECT &&
	    jv_object_has(jv_copy(tmpl), jv_string("x.$"))) {
		jv_free(tmpl);
		tmpl = jv_string_fmt("{%% %s %%}", line);
	}
	if ((jt = asl_jtemplate_compile(tmpl, "Arguments", &errs)) != NULL) {
		jv b = jv_object_set(jv_copy(vars), jv_string("states"),
		    JV_OBJECT(jv_string("input"), jv_copy(doc),
		    jv_string("context"), jv_copy(ctx)));

		/* bindings are borrowed */
		fuzz_dump(asl_jtemplate_eval(jt, b));
		jv_free(b);
		asl_jtemplate_free(jt);
	} else
		jv_free(errs);
	jv_free(vars);
	jv_free(ctx);
	jv_free(doc);
	free(s);
	return 0;
}
