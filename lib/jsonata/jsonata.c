/*
 * jsonata.c - the public face of the JSONata evaluator: compiling,
 * evaluating, and JSONata's error catalogue (codes and message templates
 * as jsonata-js 2.0.6 words them, since AWS puts "CODE: message" in the
 * cause of States.QueryEvaluationError).
 */
#include <sys/resource.h>

#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asl_jsonata.h"
#include "jn.h"

static const struct {
	const char *code;
	const char *msg;
} catalogue[] = {
	{"S0101", "String literal must be terminated by a matching quote"},
	{"S0102", "Number out of range: {{token}}"},
	{"S0103", "Unsupported escape sequence: \\{{token}}"},
	{"S0104", "The escape sequence \\u must be followed by 4 hex digits"},
	{"S0105", "Quoted property name must be terminated with a backquote (`)"},
	{"S0106", "Comment has no closing tag"},
	{"S0201", "Syntax error: {{token}}"},
	{"S0202", "Expected {{value}}, got {{token}}"},
	{"S0203", "Expected {{value}} before end of expression"},
	{"S0204", "Unknown operator: {{token}}"},
	{"S0205", "Unexpected token: {{token}}"},
	{"S0206", "Unknown expression type: {{token}}"},
	{"S0207", "Unexpected end of expression"},
	{"S0208", "Parameter {{value}} of function definition must be a variable name (start with $)"},
	{"S0209", "A predicate cannot follow a grouping expression in a step"},
	{"S0210", "Each step can only have one grouping expression"},
	{"S0211", "The symbol {{token}} cannot be used as a unary operator"},
	{"S0212", "The left side of := must be a variable name (start with $)"},
	{"S0213", "The literal value {{value}} cannot be used as a step within a path expression"},
	{"S0214", "The right side of {{token}} must be a variable name (start with $)"},
	{"S0215", "A context variable binding must precede any predicates on a step"},
	{"S0216", "A context variable binding must precede the 'order-by' clause on a step"},
	{"S0217", "The object representing the 'parent' cannot be derived from this expression"},
	{"S0299", "The expression is nested more than {{value}} deep"},
	{"S0301", "Empty regular expressions are not allowed"},
	{"S0302", "No terminating / in regular expression"},
	{"S0303", "Invalid regular expression: {{value}}"},
	{"S0401", "Type parameters can only be applied to functions and arrays"},
	{"S0402", "Choice groups containing parameterized types are not supported"},
	{"T0410", "Argument {{index}} of function {{token}} does not match function signature"},
	{"T0411", "Context value is not a compatible type with argument {{index}} of function {{token}}"},
	{"T0412", "Argument {{index}} of function {{token}} must be an array of {{type}}"},
	{"D1001", "Number out of range: {{value}}"},
	{"D1002", "Cannot negate a non-numeric value: {{value}}"},
	{"T1003", "Key in object structure must evaluate to a string; got: {{value}}"},
	{"D1004", "Regular expression matches zero length string"},
	{"T1005", "Attempted to invoke a non-function. Did you mean ${{{token}}}?"},
	{"T1006", "Attempted to invoke a non-function"},
	{"T1007", "Attempted to partially apply a non-function. Did you mean ${{{token}}}?"},
	{"T1008", "Attempted to partially apply a non-function"},
	{"D1009", "Multiple key definitions evaluate to same key: {{value}}"},
	{"T1010", "The matcher function argument passed to function {{token}} does not return the correct object structure"},
	{"T2001", "The left side of the {{token}} operator must evaluate to a number"},
	{"T2002", "The right side of the {{token}} operator must evaluate to a number"},
	{"T2003", "The left side of the range operator (..) must evaluate to an integer"},
	{"T2004", "The right side of the range operator (..) must evaluate to an integer"},
	{"T2006", "The right side of the function application operator ~> must be a function"},
	{"T2007", "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause"},
	{"T2008", "The expressions within an order-by clause must evaluate to numeric or string values"},
	{"T2009", "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type"},
	{"T2010", "The expressions either side of operator {{token}} must evaluate to numeric or string values"},
	{"T2011", "The insert/update clause of the transform expression must evaluate to an object: {{value}}"},
	{"T2012", "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}"},
	{"D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate {{value}}."},
	{"D3001", "Attempting to invoke string function on Infinity or NaN"},
	{"D3010", "Second argument of replace function cannot be an empty string"},
	{"D3011", "Fourth argument of replace function must evaluate to a positive number"},
	{"D3012", "Attempted to replace a matched string with a non-string value"},
	{"D3020", "Third argument of split function must evaluate to a positive number"},
	{"D3030", "Unable to cast value to a number: {{value}}"},
	{"D3040", "Third argument of match function must evaluate to a positive number"},
	{"D3050", "The second argument of reduce function must be a function with at least two arguments"},
	{"D3060", "The sqrt function cannot be applied to a negative number: {{value}}"},
	{"D3061", "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}"},
	{"D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"},
	{"D3080", "The picture string must only contain a maximum of two sub-pictures"},
	{"D3081", "The sub-picture must not contain more than one instance of the 'decimal-separator' character"},
	{"D3082", "The sub-picture must not contain more than one instance of the 'percent' character"},
	{"D3083", "The sub-picture must not contain more than one instance of the 'per-mille' character"},
	{"D3084", "The sub-picture must not contain both a 'percent' and a 'per-mille' character"},
	{"D3085", "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"},
	{"D3086", "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"},
	{"D3087", "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"},
	{"D3088", "The sub-picture must not contain a 'grouping-separator' at the end of the integer part"},
	{"D3089", "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"},
	{"D3090", "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"},
	{"D3091", "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"},
	{"D3092", "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"},
	{"D3093", "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"},
	{"D3100", "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}"},
	{"D3110", "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}"},
	{"D3130", "Formatting or parsing an integer as a sequence starting with {{value}} is not supported by this implementation"},
	{"D3131", "In a decimal digit pattern, all digits must be from the same decimal group"},
	{"D3132", "Unknown component specifier {{value}} in date/time picture string"},
	{"D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not {{value}}"},
	{"D3134", "The timezone integer format specifier cannot have more than four digits"},
	{"D3135", "No matching closing bracket ']' in date/time picture string"},
	{"D3136", "The date/time picture string is missing specifiers required to parse the timestamp"},
	{"D3137", "{{{message}}}"},
	{"D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more."},
	{"D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0."},
	{"D3140", "Malformed URL passed to ${{{functionName}}}(): {{value}}"},
	{"D3141", "{{{message}}}"},
	{"U1001", "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."},
	{"U1002", "Regular expression {{value}} needs more backtracking than allowed"},
	{"U1003", "The evaluation made more than {{value}} function calls: check for non-terminating recursion"},
	{"D3150", "{{{message}}}"},
	{"ASL.FunctionResult", "The expression returned a function, not a JSON value"},
	{"ASL.DateRange", "The time {{value}} is outside the range of a date (8.64e15 milliseconds either side of 1970)"},
	{"ASL.PadLimit", "The width {{value}} given to $pad is more than this implementation pads to"},
	{NULL, NULL}
};

/* JSON.stringify of a field, as the message templates insert them. */
static jv
field_text(jv fields, const char *name, int raw)
{
	jv v = jv_object_get(jv_copy(fields), jv_string(name)), s;

	if (!jv_is_valid(v)) {
		jv_free(v);
		return jv_string("undefined");
	}
	if (raw && jv_get_kind(v) == JV_KIND_STRING)
		return v;
	if (jv_get_kind(v) == JV_KIND_NUMBER && !jn_isfn(v)) {
		/* JSON.stringify(Infinity) is null */
		s = isfinite(jv_number_value(v)) ?
		    jn_number_string(jv_number_value(v)) : jv_string("null");
		jv_free(v);
		return s;
	}
	if (jn_isfn(v)) {
		jv_free(v);
		return jv_string("undefined");
	}
	return jv_dump_string(v, 0);
}

/* Fill in "message" from the code's template; consumes err (invalid). */
jv
jn_err_finish(jv err)
{
	jv f = jv_invalid_get_msg(err), code, msg;
	const char *tpl = NULL, *p, *e;
	char name[64];
	int i, raw;
	size_t n;

	if (jv_get_kind(f) != JV_KIND_OBJECT) {
		jv_free(f);
		return JV_OBJECT(jv_string("code"), jv_string("D3150"),
		    jv_string("message"), jv_string("unknown error"));
	}
	code = jv_object_get(jv_copy(f), jv_string("code"));
	for (i = 0; catalogue[i].code != NULL; i++)
		if (jv_get_kind(code) == JV_KIND_STRING &&
		    strcmp(catalogue[i].code, jv_string_value(code)) == 0)
			tpl = catalogue[i].msg;
	jv_free(code);
	if (tpl == NULL) {
		if (!jv_object_has(jv_copy(f), jv_string("message")))
			f = jv_object_set(f, jv_string("message"),
			    jv_string("error"));
		return f;
	}
	msg = jv_string("");
	for (p = tpl; *p != '\0';) {
		if (p[0] == '{' && p[1] == '{') {
			raw = p[2] == '{';
			p += raw ? 3 : 2;
			e = strchr(p, '}');
			n = e != NULL ? (size_t)(e - p) : strlen(p);
			if (n >= sizeof(name))
				n = sizeof(name) - 1;
			memcpy(name, p, n);
			name[n] = '\0';
			msg = jv_string_concat(msg, field_text(f, name, raw));
			p += n;
			while (*p == '}')
				p++;
			continue;
		}
		e = strchr(p, '{');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 0)
			n = 1;
		msg = jv_string_append_buf(msg, p, (int)n);
		p += n;
	}
	f = jv_object_set(f, jv_string("message"), msg);
	return f;
}

int
asl_jsonata_is_expression(const char *s)
{
	size_t n = strlen(s);

	return n >= 4 && s[0] == '{' && s[1] == '%' && s[n - 2] == '%' &&
	    s[n - 1] == '}';
}

struct asl_jsonata *
asl_jsonata_compile(const char *text, jv *err)
{
	struct asl_jsonata *ax;
	jv e = jv_invalid();

	if ((ax = calloc(1, sizeof(*ax))) == NULL ||
	    (ax->text = strdup(text)) == NULL)
		abort();
	ax->root = jn_parse(ax, text, &e);
	if (ax->root == NULL) {
		if (err != NULL)
			*err = jn_err_finish(e);
		else
			jv_free(e);
		asl_jsonata_free(ax);
		return NULL;
	}
	return ax;
}

void
asl_jsonata_free(struct asl_jsonata *ax)
{
	if (ax == NULL)
		return;
	jn_free_nodes(ax);
	free(ax->text);
	free(ax);
}

const char *
asl_jsonata_text(const struct asl_jsonata *ax)
{
	return ax->text;
}

/*
 * Functions cannot leave an evaluation: inside a result they go the way
 * JSON.stringify sends them (dropped from objects, null in arrays).
 */
static jv
strip_functions(jv x)
{
	jv out;
	int i, n;

	if (jn_isfn(x)) {
		jv_free(x);
		return jv_null();
	}
	if (jv_get_kind(x) == JV_KIND_ARRAY) {
		n = jv_array_length(jv_copy(x));
		out = jv_array();
		for (i = 0; i < n; i++)
			out = jv_array_append(out,
			    strip_functions(jv_array_get(jv_copy(x), i)));
		jv_free(x);
		return out;
	}
	if (jv_get_kind(x) == JV_KIND_OBJECT) {
		out = jv_object();
		jv_object_foreach(x, k, v) {
			if (jn_isfn(v)) {
				jv_free(k);
				jv_free(v);
				continue;
			}
			out = jv_object_set(out, k, strip_functions(v));
		}
		jv_free(x);
		return out;
	}
	return x;
}

static uint64_t
seed_bits(void)
{
	uint64_t s = 0;
	struct timespec ts;
	int fd;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		if (read(fd, &s, sizeof(s)) != (ssize_t)sizeof(s))
			s = 0;
		close(fd);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	return s ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)ts.tv_nsec ^
	    ((uint64_t)getpid() << 40);
}

/* Half the stack limit, at most 4 MiB (and at least 256 KiB). */
static size_t
stack_budget(void)
{
	struct rlimit rl;
	size_t b = (size_t)4 << 20;

	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 2 < b)
		b = rl.rlim_cur / 2;
	if (b < ((size_t)256 << 10))
		b = (size_t)256 << 10;
	return b;
}

jv
asl_jsonata_eval(const struct asl_jsonata *ax, jv input, jv bindings)
{
	struct jctx cx;
	struct jframe *top;
	struct timespec ts;
	V in, r;
	jv out;

	memset(&cx, 0, sizeof(cx));
	cx.stack_budget = stack_budget();
	clock_gettime(CLOCK_REALTIME, &ts);
	cx.now = (double)ts.tv_sec * 1000 + (double)(ts.tv_nsec / 1000000);
	jn_seed(&cx, seed_bits());
	top = jn_frame(&cx, NULL);
	cx.global = top;
	if (jv_get_kind(bindings) == JV_KIND_OBJECT) {
		jv_object_foreach(bindings, k, v)
			jn_bind(top, k, VJ(v));
	}
	if (jv_is_valid(input))
		jn_bind(top, jv_string("$"), VJ(jv_copy(input)));
	if (!jv_is_valid(input))
		in = VU();
	else if (jv_get_kind(input) == JV_KIND_ARRAY)
		in = (V){jv_array_append(jv_array(), jv_copy(input)),
		    VF_SEQ | VF_OUTER};
	else
		in = VJ(jv_copy(input));
	r = jn_eval(&cx, ax->root, in, top);
	jn_v_free(in);
	if (jn_v_err(r))
		out = jv_invalid_with_msg(jn_err_finish(r.v));
	else if (jn_v_undef(r))
		out = jv_invalid();
	else if (jn_v_isfn(r)) {
		jn_v_free(r);
		out = jv_invalid_with_msg(jn_err_finish(jn_err(
		    "ASL.FunctionResult", jv_object()).v));
	} else
		out = cx.nfns > 0 ? strip_functions(r.v) : r.v;
	/* JSON.stringify(-0) is "0" */
	if (jv_get_kind(out) == JV_KIND_NUMBER && jv_number_value(out) == 0)
		out = jv_number(0);
	jn_ctx_free(&cx);
	return out;
}
