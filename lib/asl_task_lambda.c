/*
 * asl_task_lambda.c - AWS Lambda as Step Functions sees it: the Invoke
 * response that lambda:invoke returns, the error a function raises, the
 * error for a function that does not exist, and the request ids that tie
 * them together.
 *
 * The shapes are those AWS recorded in ../shared/conformance (cases
 * lambda/test_lambda_task_service__* and error_handling/test_task_*).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asl.h"
#include "asl_rng.h"
#include "asl_task.h"
#include "asl_task_int.h"
#include "asl_time.h"
#include "asl_utf8.h"

void
asl_task_uuid(struct asl_rng *rng, char *buf)
{
	unsigned char b[16];
	uint64_t r[2];
	int i;

	r[0] = asl_rng_next(rng);
	r[1] = asl_rng_next(rng);
	for (i = 0; i < 16; i++)
		b[i] = (unsigned char)(r[i / 8] >> (8 * (i % 8)));
	asl_uuid_text(b, buf);
}

jv
asl_task_no_function(const char *arn, const char *qualifier,
    const char *request_id)
{
	/*
	 * AWS, for lambda:invoke of a missing function named without a
	 * qualifier (error_handling/test_task_service_lambda__test_no_such_
	 * function): "Function not found: arn:aws:lambda:REGION:ACCOUNT:
	 * function:NAME:$LATEST (Service: AWSLambda; Status Code: 404; Error
	 * Code: ResourceNotFoundException; Request ID: ...; Proxy: null)".
	 */
	return asl_error("Lambda.ResourceNotFoundException",
	    "Function not found: %s:%s (Service: AWSLambda; Status Code: 404; "
	    "Error Code: ResourceNotFoundException; Request ID: %s; "
	    "Proxy: null)", arn, qualifier != NULL ? qualifier : "$LATEST",
	    request_id);
}

jv
asl_task_unserved_hint(const char *error, const char *cause)
{
	static const char fnf[] = "Function not found: ";
	static const char nlc[] = "No local command serves ";
	const char *res, *end, *name;
	jv hint;

	if (error == NULL || cause == NULL)
		return jv_null();
	if (strcmp(error, "Lambda.ResourceNotFoundException") == 0 &&
	    strncmp(cause, fnf, sizeof fnf - 1) == 0) {
		res = cause + sizeof fnf - 1;
		end = strstr(res, " (Service:");
		if (end == NULL)
			end = res + strlen(res);
		if (end - res > 8 && strncmp(end - 8, ":$LATEST", 8) == 0)
			end -= 8;
		/* the function's name: after ":function:", before a qualifier */
		name = strstr(res, ":function:");
		name = name != NULL && name < end ? name + 10 : res;
		hint = jv_string_fmt("nothing here serves %.*s: map it in a "
		    "resource map (--resources FILE), put an executable "
		    "named %.*s in a directory of $ASL_PATH, or mock it "
		    "(--mock FILE --test-case NAME)", (int)(end - res), res,
		    (int)strcspn(name, ": "), name);
		return hint;
	}
	if (strncmp(cause, nlc, sizeof nlc - 1) == 0) {
		res = cause + sizeof nlc - 1;
		end = strstr(res, ": map it");
		if (end == NULL)
			end = res + strlen(res);
		return jv_string_fmt("nothing here serves %.*s: map it in a "
		    "resource map (--resources FILE) or mock it (--mock FILE "
		    "--test-case NAME)", (int)(end - res), res);
	}
	return jv_null();
}

/* A growing byte buffer for the JSON texts built here. */
struct text {
	char	*p;
	size_t	 len, cap;
	int	 nomem;
};

static void
put(struct text *t, const char *s, size_t n)
{
	char *np;
	size_t cap;

	if (t->nomem)
		return;
	if (t->cap - t->len < n) {
		cap = t->cap ? t->cap : 256;
		while (cap - t->len < n)
			cap *= 2;
		if ((np = realloc(t->p, cap)) == NULL) {
			t->nomem = 1;
			return;
		}
		t->p = np;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
}

static void
puts_(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

/*
 * Python's repr() of a float, which json.dumps uses: the shortest digits
 * that read back as x, in positional notation when the decimal point
 * falls within (-4, 16], else as d.ddde+XX.  Returns the length.
 */
static int
py_float(double x, char *buf, size_t size)
{
	char tmp[40], digits[20], *e;
	int p, nd, decpt, exp, n = 0, i;

	if (isinf(x))
		return snprintf(buf, size, "%s", x < 0 ? "-Infinity" :
		    "Infinity");
	if (isnan(x))
		return snprintf(buf, size, "NaN");
	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	/* tmp is [-]d[.ddd]e(+|-)XX */
	e = strchr(tmp, 'e');
	exp = atoi(e + 1);
	nd = 0;
	for (i = tmp[0] == '-'; tmp + i < e; i++)
		if (tmp[i] != '.')
			digits[nd++] = tmp[i];
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	decpt = exp + 1;
	if (tmp[0] == '-')
		tmp[n++] = '-';
	/* tmp is reused as the output from here: the digits are saved */
	if (decpt <= -4 || decpt > 16) {
		tmp[n++] = digits[0];
		if (nd > 1) {
			tmp[n++] = '.';
			memcpy(tmp + n, digits + 1, (size_t)nd - 1);
			n += nd - 1;
		}
		n += snprintf(tmp + n, sizeof tmp - (size_t)n, "e%c%02d",
		    exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
	} else if (decpt <= 0) {
		tmp[n++] = '0';
		tmp[n++] = '.';
		for (i = 0; i < -decpt; i++)
			tmp[n++] = '0';
		memcpy(tmp + n, digits, (size_t)nd);
		n += nd;
	} else if (decpt >= nd) {
		memcpy(tmp + n, digits, (size_t)nd);
		n += nd;
		for (i = nd; i < decpt; i++)
			tmp[n++] = '0';
		tmp[n++] = '.';
		tmp[n++] = '0';
	} else {
		memcpy(tmp + n, digits, (size_t)decpt);
		n += decpt;
		tmp[n++] = '.';
		memcpy(tmp + n, digits + decpt, (size_t)(nd - decpt));
		n += nd - decpt;
	}
	tmp[n] = '\0';
	return snprintf(buf, size, "%s", tmp);
}

/*
 * A string as Python's json.dumps writes it with ensure_ascii off (the
 * Lambda Python runtimes since 3.12 return Unicode unescaped).
 */
static void
py_string(struct text *t, const char *s, size_t n)
{
	char esc[8];
	size_t i, run = 0;
	unsigned char c;

	put(t, "\"", 1);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(t, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':  put(t, "\\\"", 2); break;
		case '\\': put(t, "\\\\", 2); break;
		case '\b': put(t, "\\b", 2); break;
		case '\f': put(t, "\\f", 2); break;
		case '\n': put(t, "\\n", 2); break;
		case '\r': put(t, "\\r", 2); break;
		case '\t': put(t, "\\t", 2); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", c);
			put(t, esc, 6);
		}
	}
	put(t, s + run, n - run);
	put(t, "\"", 1);
}

/* v (borrowed) as Python's json.dumps writes it: ", " and ": ". */
static void
py_dump(struct text *t, jv v)
{
	char num[40];
	int i, n, first;
	double d;

	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
		puts_(t, "null");
		break;
	case JV_KIND_TRUE:
		puts_(t, "true");
		break;
	case JV_KIND_FALSE:
		puts_(t, "false");
		break;
	case JV_KIND_NUMBER:
		/* jv keeps no int/float distinction: integral is int */
		d = jv_number_value(v);
		if (d == floor(d) && fabs(d) < 1e17)
			n = snprintf(num, sizeof num, "%.0f", d == 0 ? 0 : d);
		else
			n = py_float(d, num, sizeof num);
		put(t, num, (size_t)n);
		break;
	case JV_KIND_STRING:
		py_string(t, jv_string_value(v),
		    (size_t)jv_string_length_bytes(jv_copy(v)));
		break;
	case JV_KIND_ARRAY:
		put(t, "[", 1);
		n = jv_array_length(jv_copy(v));
		for (i = 0; i < n; i++) {
			jv e = jv_array_get(jv_copy(v), i);

			if (i > 0)
				put(t, ", ", 2);
			py_dump(t, e);
			jv_free(e);
		}
		put(t, "]", 1);
		break;
	case JV_KIND_OBJECT:
		put(t, "{", 1);
		first = 1;
		jv_object_foreach(v, key, val) {
			if (!first)
				put(t, ", ", 2);
			first = 0;
			py_dump(t, key);
			put(t, ": ", 2);
			py_dump(t, val);
			jv_free(key);
			jv_free(val);
		}
		put(t, "}", 1);
		break;
	default:
		puts_(t, "null");
	}
}

jv
asl_task_lambda_error(jv obj, int errors, const char *request_id)
{
	struct text t = { NULL, 0, 0, 0 };
	jv name, msg, payload, cause;

	name = jv_object_get(jv_copy(obj), ASL_LIT("errorType"));
	msg = jv_object_has(jv_copy(obj), ASL_LIT("errorMessage")) ?
	    jv_object_get(jv_copy(obj), ASL_LIT("errorMessage")) :
	    ASL_LIT("");
	if (errors == ASL_ERRORS_PLAIN) {
		jv_free(obj);
		if (jv_get_kind(msg) != JV_KIND_STRING)
			msg = jv_dump_string(msg, 0);
		return asl_error_jv(name, msg);
	}
	/*
	 * Lambda's error payload, as the Python runtime builds it: the
	 * message, the type, the request id and the stack trace, in that
	 * order; whatever else the command printed follows.
	 */
	payload = JV_OBJECT(ASL_LIT("errorMessage"), msg,
	    ASL_LIT("errorType"), jv_copy(name));
	payload = jv_object_set(payload, ASL_LIT("requestId"),
	    jv_object_has(jv_copy(obj), ASL_LIT("requestId")) ?
	    jv_object_get(jv_copy(obj), ASL_LIT("requestId")) :
	    jv_string(request_id));
	payload = jv_object_set(payload, ASL_LIT("stackTrace"),
	    jv_object_has(jv_copy(obj), ASL_LIT("stackTrace")) ?
	    jv_object_get(jv_copy(obj), ASL_LIT("stackTrace")) :
	    jv_array());
	jv_object_foreach(obj, k, v) {
		if (jv_object_has(jv_copy(payload), jv_copy(k))) {
			jv_free(k);
			jv_free(v);
		} else
			payload = jv_object_set(payload, k, v);
	}
	jv_free(obj);
	/*
	 * The cause is the payload's JSON text: with Python's ", " and ": "
	 * for a function ARN resource, which hands on the text the runtime
	 * wrote; compact for lambda:invoke, which re-serialises it (both
	 * seen in error_handling/test_base_scenarios__test_lambda_invoke_*).
	 */
	if (errors == ASL_ERRORS_INVOKE)
		cause = jv_dump_string(payload, 0);
	else {
		py_dump(&t, payload);
		jv_free(payload);
		cause = t.nomem ? ASL_LIT("out of memory") :
		    jv_string_sized(t.p, (int)t.len);
		free(t.p);
	}
	return asl_error_jv(name, cause);
}

/* The HTTP Date header: RFC 1123 in GMT, whatever the locale. */
static void
http_date(char *buf, size_t size)
{
	static const char days[7][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec"
	};
	struct asl_time now = asl_time_now();
	time_t t = (time_t)now.sec;
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, size, "%s, %02d %s %d %02d:%02d:%02d GMT",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

jv
asl_task_invoke_response(jv payload, const char *text, size_t len,
    const char *request_id)
{
	char date[40], trace[80], clen[24], hex[33];
	size_t i, n;
	jv all, headers, meta;

	/*
	 * Content-Length is the length of the payload as the function's
	 * runtime serialised it: 23 for {"body": "string body"}, 3 for the
	 * 0.0 it was sent (lambda/test_*_invoke*).
	 */
	snprintf(clen, sizeof clen, "%zu", text != NULL ?
	    asl_task_py_length(text, len) : (size_t)4);
	http_date(date, sizeof date);
	for (i = 0, n = 0; request_id[i] != '\0' && n < 32; i++)
		if (request_id[i] != '-')
			hex[n++] = request_id[i];
	hex[n] = '\0';
	snprintf(trace, sizeof trace, "Root=1-%08llx-%.24s;Sampled=0",
	    (unsigned long long)(asl_time_now().sec & 0xffffffff), hex);

	/* Both header maps in the order AWS returned them. */
	all = JV_OBJECT(
	    ASL_LIT("X-Amz-Executed-Version"), JV_ARRAY(ASL_LIT("$LATEST")),
	    ASL_LIT("x-amzn-Remapped-Content-Length"), JV_ARRAY(ASL_LIT("0")),
	    ASL_LIT("Connection"), JV_ARRAY(ASL_LIT("keep-alive")),
	    ASL_LIT("x-amzn-RequestId"), JV_ARRAY(jv_string(request_id)),
	    ASL_LIT("Content-Length"), JV_ARRAY(jv_string(clen)),
	    ASL_LIT("Date"), JV_ARRAY(jv_string(date)),
	    ASL_LIT("X-Amzn-Trace-Id"), JV_ARRAY(jv_string(trace)));
	all = jv_object_set(all, ASL_LIT("Content-Type"),
	    JV_ARRAY(ASL_LIT("application/json")));
	headers = JV_OBJECT(
	    ASL_LIT("Connection"), ASL_LIT("keep-alive"),
	    ASL_LIT("Content-Length"), jv_string(clen),
	    ASL_LIT("Content-Type"), ASL_LIT("application/json"),
	    ASL_LIT("Date"), jv_string(date),
	    ASL_LIT("X-Amz-Executed-Version"), ASL_LIT("$LATEST"),
	    ASL_LIT("x-amzn-Remapped-Content-Length"), ASL_LIT("0"),
	    ASL_LIT("x-amzn-RequestId"), jv_string(request_id));
	headers = jv_object_set(headers, ASL_LIT("X-Amzn-Trace-Id"),
	    jv_string(trace));
	meta = JV_OBJECT(ASL_LIT("AllHttpHeaders"), all,
	    ASL_LIT("HttpHeaders"), headers,
	    ASL_LIT("HttpStatusCode"), jv_number(200));
	return JV_OBJECT(ASL_LIT("ExecutedVersion"), ASL_LIT("$LATEST"),
	    ASL_LIT("Payload"), payload,
	    ASL_LIT("SdkHttpMetadata"), meta,
	    ASL_LIT("SdkResponseMetadata"),
	    JV_OBJECT(ASL_LIT("RequestId"), jv_string(request_id)),
	    ASL_LIT("StatusCode"), jv_number(200));
}

static jv
base64(const unsigned char *p, size_t n)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	struct asl_buf b = { 0 };
	char q[4];
	unsigned long v;
	size_t i;
	jv s;

	for (i = 0; i < n; i += 3) {
		v = (unsigned long)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = digits[v >> 18 & 63];
		q[1] = digits[v >> 12 & 63];
		q[2] = i + 1 < n ? digits[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? digits[v & 63] : '=';
		asl_buf_put(&b, q, 4);
	}
	s = jv_string_sized(b.p != NULL ? b.p : "", (int)b.len);
	asl_buf_free(&b);
	return s;
}

/* obj (consumed) with key: value set right after the member after. */
static jv
set_after(jv obj, const char *after, const char *key, jv value)
{
	jv out = jv_object();

	jv_object_foreach(obj, k, v) {
		int here = strcmp(jv_string_value(k), after) == 0;

		out = jv_object_set(out, k, v);
		if (here) {
			out = jv_object_set(out, jv_string(key), value);
			value = jv_invalid();
		}
	}
	jv_free(obj);
	if (jv_is_valid(value))
		out = jv_object_set(out, jv_string(key), value);
	return out;
}

/* The last 4 KB of the log Lambda keeps of an invocation. */
#define LOG_TAIL 4096

jv
asl_task_invoke_log(jv response, const char *log, size_t len,
    const char *request_id, double ms)
{
	struct asl_buf b = { 0 };
	char line[256];
	const unsigned char *tail;
	size_t n;
	jv text, meta, h;

	snprintf(line, sizeof line, "START RequestId: %s Version: $LATEST\n",
	    request_id);
	asl_buf_put(&b, line, strlen(line));
	if (log != NULL && len > 0) {
		asl_buf_put(&b, log, len);
		if (log[len - 1] != '\n')
			asl_buf_put(&b, "\n", 1);
	}
	/* Lambda's default memory size; its peak use is not known here */
	snprintf(line, sizeof line, "END RequestId: %s\nREPORT RequestId: %s"
	    "\tDuration: %.2f ms\tBilled Duration: %.0f ms\tMemory Size: 128 "
	    "MB\t\n", request_id, request_id, ms, ceil(ms));
	asl_buf_put(&b, line, strlen(line));
	n = b.len > LOG_TAIL ? LOG_TAIL : b.len;
	tail = (const unsigned char *)b.p + b.len - n;
	text = base64(tail, n);
	asl_buf_free(&b);

	response = set_after(response, "ExecutedVersion", "LogResult",
	    jv_copy(text));
	meta = jv_object_get(jv_copy(response), ASL_LIT("SdkHttpMetadata"));
	if (jv_get_kind(meta) == JV_KIND_OBJECT) {
		h = jv_object_get(jv_copy(meta), ASL_LIT("AllHttpHeaders"));
		meta = jv_object_set(meta, ASL_LIT("AllHttpHeaders"),
		    set_after(h, "X-Amz-Executed-Version", "X-Amz-Log-Result",
		    JV_ARRAY(jv_copy(text))));
		h = jv_object_get(jv_copy(meta), ASL_LIT("HttpHeaders"));
		meta = jv_object_set(meta, ASL_LIT("HttpHeaders"),
		    set_after(h, "X-Amz-Executed-Version", "X-Amz-Log-Result",
		    jv_copy(text)));
		response = jv_object_set(response, ASL_LIT("SdkHttpMetadata"),
		    meta);
	} else
		jv_free(meta);
	jv_free(text);
	return response;
}

static unsigned long
hex4(const char *p)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= (unsigned long)(p[i] - '0');
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= (unsigned long)(p[i] - 'a' + 10);
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= (unsigned long)(p[i] - 'A' + 10);
	}
	return v;
}

/* The string token at p (its opening quote): its length once re-escaped. */
static size_t
py_string_length(const char **pp, const char *end)
{
	const char *p = *pp + 1;
	size_t n = 2;
	unsigned long c, lo;

	while (p < end && *p != '"') {
		if (*p != '\\') {
			c = (unsigned char)*p++;
			n += c < 0x20 ? 6 : 1;
			continue;
		}
		if (p + 1 >= end)
			break;
		switch (p[1]) {
		case '"': case '\\': case 'b': case 'f': case 'n': case 'r':
		case 't':
			n += 2;
			p += 2;
			break;
		case 'u':
			if (p + 6 > end) {
				p = end;
				break;
			}
			c = hex4(p + 2);
			p += 6;
			if (c >= 0xd800 && c < 0xdc00 && p + 6 <= end &&
			    p[0] == '\\' && p[1] == 'u' &&
			    (lo = hex4(p + 2)) >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			}
			if (c == '"' || c == '\\' || c == '\b' || c == '\f' ||
			    c == '\n' || c == '\r' || c == '\t')
				n += 2;
			else if (c < 0x20)
				n += 6;
			else
				n += (size_t)asl_utf8_cplen((uint32_t)c);
			break;
		default:	/* "\/" */
			n += 1;
			p += 2;
		}
	}
	*pp = p < end ? p + 1 : end;
	return n;
}

/* The number token at p: an int keeps its digits, a float becomes repr. */
static size_t
py_number_length(const char **pp, const char *end)
{
	const char *p = *pp, *start = p;
	char tok[400], out[40];
	int isfloat = 0;
	size_t n;

	while (p < end && (strchr("+-0123456789.eE", *p) != NULL)) {
		if (*p == '.' || *p == 'e' || *p == 'E')
			isfloat = 1;
		p++;
	}
	*pp = p;
	n = (size_t)(p - start);
	if (!isfloat)
		return n == 2 && start[0] == '-' && start[1] == '0' ? 1 : n;
	if (n >= sizeof tok)
		n = sizeof tok - 1;
	memcpy(tok, start, n);
	tok[n] = '\0';
	return (size_t)py_float(strtod(tok, NULL), out, sizeof out);
}

size_t
asl_task_py_length(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t n = 0;

	while (p < end) {
		switch (*p) {
		case ' ': case '\t': case '\n': case '\r':
			p++;
			break;
		case ',': case ':':
			n += 2;		/* ", " and ": " */
			p++;
			break;
		case '"':
			n += py_string_length(&p, end);
			break;
		case 't': case 'n':
			n += 4;
			p += 4;
			break;
		case 'f':
			n += 5;
			p += 5;
			break;
		case '-': case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			n += py_number_length(&p, end);
			break;
		default:	/* brackets and braces */
			n++;
			p++;
		}
	}
	return n;
}
