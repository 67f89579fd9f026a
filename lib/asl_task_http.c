/*
 * asl_task_http.c - the HTTP Task (arn:aws:states:::http:invoke) with
 * libcurl: the request its parameters and its connection make, the
 * transfer (a curl multi handle the engine's poll loop drives, never
 * blocking it), and the result or error AWS gives.
 *
 * A request is the jv {"method", "url", "headers": [[name, value] ...],
 * "body": text or null}; it is made twice, once with what the connection
 * adds (sent) and once without (what TestState shows unless it reveals
 * secrets).  Nothing a connection adds ever reaches a result, an error or
 * the history.
 *
 * Ownership follows jv.h.
 */
#include <curl/curl.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "asl.h"
#include "asl_task.h"
#include "asl_task_int.h"

/* AWS's limit on a state's result, which the response body is held to. */
#define BODY_MAX	262144
/* AWS gives one HTTP request at most a minute. */
#define REQUEST_MS	60000L

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

enum array_format { AF_INDICES, AF_REPEAT, AF_COMMAS, AF_BRACKETS };

enum phase { PH_TOKEN, PH_REQUEST, PH_DONE };

struct asl_task_http {
	struct asl_task_http_config *cfg;	/* borrowed */
	CURLM		*multi;
	CURL		*easy;
	struct curl_slist *slist;
	enum phase	 phase;
	jv		 params;	/* the task's parameters */
	jv		 conn;		/* its connection, or null */
	jv		 conn_arn;
	jv		 region;
	jv		 request;	/* the request sent */
	jv		 shown;		/* the request without secrets */
	struct asl_buf	 body;
	int		 over;		/* the body passed BODY_MAX */
	jv		 headers;	/* of the last response: name -> [values] */
	jv		 status_text;
	long		 status;
	CURLcode	 code;
	jv		 outcome;	/* once PH_DONE */
	char		 errbuf[CURL_ERROR_SIZE];
};

static double
monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
is_string(jv v)
{
	return jv_get_kind(v) == JV_KIND_STRING;
}

/* params.key (borrowed), or null. */
static jv
member(jv obj, const char *key)
{
	jv v;

	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return jv_null();
	v = jv_object_get(jv_copy(obj), jv_string(key));
	return jv_is_valid(v) ? v : (jv_free(v), jv_null());
}

/* params.a.b (borrowed), or null. */
static jv
member2(jv obj, const char *a, const char *b)
{
	jv m = member(obj, a), v = member(m, b);

	jv_free(m);
	return v;
}

static jv
bad_parameters(const char *fmt, const char *arg)
{
	return asl_error("States.Runtime", fmt, arg);
}

/* URL encoding. */

static void
escape(struct asl_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			asl_buf_put(b, s + i, 1);
		else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			asl_buf_put(b, e, 3);
		}
	}
}

/* A scalar (consumed) as form text: strings as they are, else JSON. */
static jv
scalar_text(jv v)
{
	if (is_string(v))
		return v;
	if (jv_get_kind(v) == JV_KIND_NULL)
		return (jv_free(v), ASL_LIT(""));
	return jv_dump_string(v, 0);
}

static void
put_pair(struct asl_buf *b, const char *key, jv value)
{
	jv t = scalar_text(value);

	if (b->len > 0)
		ASL_BUF_LIT(b, "&");
	escape(b, key, strlen(key));
	ASL_BUF_LIT(b, "=");
	escape(b, jv_string_value(t), (size_t)jv_string_length_bytes(jv_copy(t)));
	jv_free(t);
}

/*
 * value (consumed) under key: objects as key[member], arrays as the
 * format says: INDICES a[0]=x&a[1]=y, REPEAT a=x&a=y, COMMAS a=x,y,
 * BRACKETS a[]=x&a[]=y.
 */
static void
encode(struct asl_buf *b, const char *key, jv value, enum array_format af)
{
	jv k;

	switch (jv_get_kind(value)) {
	case JV_KIND_OBJECT:
		jv_object_foreach(value, mk, mv) {
			k = jv_string_fmt("%s[%s]", key, jv_string_value(mk));
			encode(b, jv_string_value(k), mv, af);
			jv_free(k);
			jv_free(mk);
		}
		break;
	case JV_KIND_ARRAY:
		if (af == AF_COMMAS) {
			struct asl_buf v = { 0 };
			jv_array_foreach(value, i, x) {
				jv t = scalar_text(x);
				if (i > 0)
					ASL_BUF_LIT(&v, ",");
				escape(&v, jv_string_value(t),
				    (size_t)jv_string_length_bytes(jv_copy(t)));
				jv_free(t);
			}
			if (b->len > 0)
				ASL_BUF_LIT(b, "&");
			escape(b, key, strlen(key));
			ASL_BUF_LIT(b, "=");
			if (v.len > 0)
				asl_buf_add(b, v.p, v.len);
			asl_buf_free(&v);
			break;
		}
		jv_array_foreach(value, i, x) {
			k = af == AF_INDICES ? jv_string_fmt("%s[%d]", key, i) :
			    af == AF_BRACKETS ? jv_string_fmt("%s[]", key) :
			    jv_string(key);
			encode(b, jv_string_value(k), x, af);
			jv_free(k);
		}
		break;
	default:
		put_pair(b, key, jv_copy(value));
		break;
	}
	jv_free(value);
}

/* An object (consumed) and [[k, v] ...] pairs (consumed) as a form. */
static jv
form(jv obj, jv pairs, enum array_format af)
{
	struct asl_buf b = { 0 };
	jv out;

	if (jv_get_kind(obj) == JV_KIND_OBJECT)
		jv_object_foreach(obj, k, v) {
			encode(&b, jv_string_value(k), v, af);
			jv_free(k);
		}
	if (jv_get_kind(pairs) == JV_KIND_ARRAY)
		jv_array_foreach(pairs, i, p) {
			jv k = jv_array_get(jv_copy(p), 0);
			put_pair(&b, jv_string_value(k), jv_array_get(p, 1));
			jv_free(k);
			(void)i;
		}
	jv_free(obj);
	jv_free(pairs);
	out = jv_string_sized(b.p != NULL ? b.p : "", (int)b.len);
	asl_buf_free(&b);
	return out;
}

/* Requests. */

/* An array (consumed) of scalars as one comma-separated value. */
static jv
joined(jv a)
{
	jv out = ASL_LIT("");

	jv_array_foreach(a, i, x) {
		if (i > 0)
			out = jv_string_append_str(out, ",");
		out = jv_string_concat(out, scalar_text(x));
	}
	jv_free(a);
	return out;
}

/* Headers AWS does not let a definition set (call-https-apis). */
static int
forbidden_header(const char *h)
{
	static const char *const names[] = { "a-im", "accept-charset",
	    "accept-datetime", "accept-encoding", "authorization",
	    "cache-control", "connection", "content-encoding", "content-md5",
	    "date", "expect", "forwarded", "from", "host", "http2-settings",
	    "if-match", "if-modified-since", "if-none-match", "if-range",
	    "if-unmodified-since", "max-forwards", "origin", "pragma",
	    "proxy-authorization", "referer", "server", "te", "trailer",
	    "transfer-encoding", "upgrade", "via", "warning" };
	size_t i;

	if (strncasecmp(h, "x-forwarded-", 12) == 0 ||
	    strncasecmp(h, "x-amz-", 6) == 0 ||
	    strncasecmp(h, "x-amzn-", 7) == 0)
		return 1;
	for (i = 0; i < NELEM(names); i++)
		if (strcasecmp(h, names[i]) == 0)
			return 1;
	return 0;
}

static int
has_header(jv headers, const char *name)
{
	int found = 0;

	jv_array_foreach(headers, i, h) {
		jv n = jv_array_get(h, 0);
		found |= strcasecmp(jv_string_value(n), name) == 0;
		jv_free(n);
		(void)i;
	}
	return found;
}

static jv
array_format(jv params, enum array_format *af, int *url_encoded)
{
	jv t = member(params, "Transform");
	jv enc = member(t, "RequestBodyEncoding");
	jv f = member2(t, "RequestEncodingOptions", "ArrayFormat");
	static const char *const names[] = { "INDICES", "REPEAT", "COMMAS",
	    "BRACKETS" };
	jv r = jv_null();
	size_t i;

	*af = AF_INDICES;
	*url_encoded = is_string(enc) &&
	    strcmp(jv_string_value(enc), "URL_ENCODED") == 0;
	if (jv_get_kind(enc) != JV_KIND_NULL && !*url_encoded &&
	    !(is_string(enc) && strcmp(jv_string_value(enc), "NONE") == 0))
		r = bad_parameters("The HTTP Task's Transform."
		    "RequestBodyEncoding must be URL_ENCODED or NONE", NULL);
	if (is_string(f)) {
		for (i = 0; i < NELEM(names); i++)
			if (strcmp(jv_string_value(f), names[i]) == 0)
				break;
		if (i < NELEM(names))
			*af = (enum array_format)i;
		else if (jv_get_kind(r) == JV_KIND_NULL)
			r = bad_parameters("The HTTP Task's ArrayFormat must "
			    "be INDICES, REPEAT, COMMAS or BRACKETS, not %s",
			    jv_string_value(f));
	}
	jv_free(t);
	jv_free(enc);
	jv_free(f);
	return r;
}

/*
 * The request of params (borrowed), with what cp adds (the connection's
 * {"headers", "query", "body"}, borrowed; null: nothing) and the
 * authorization header auth ([name, value], borrowed; null: none).
 */
static jv
build(jv params, jv cp, jv auth, jv region)
{
	jv url = member(params, "ApiEndpoint"), method = member(params,
	    "Method"), hdrs = member(params, "Headers"), query =
	    member(params, "QueryParameters"), body = member(params,
	    "RequestBody"), headers = jv_array(), e, text;
	enum array_format af;
	int url_encoded;
	const char *m;

	if (!is_string(url) || !is_string(method)) {
		e = bad_parameters("The HTTP Task needs the string fields "
		    "ApiEndpoint and Method", NULL);
		goto fail;
	}
	m = jv_string_value(method);
	if (strcmp(m, "GET") != 0 && strcmp(m, "POST") != 0 &&
	    strcmp(m, "PUT") != 0 && strcmp(m, "DELETE") != 0 &&
	    strcmp(m, "PATCH") != 0 && strcmp(m, "HEAD") != 0 &&
	    strcmp(m, "OPTIONS") != 0) {
		e = bad_parameters("The HTTP Task's Method must be GET, POST, "
		    "PUT, DELETE, PATCH, HEAD or OPTIONS, not %s", m);
		goto fail;
	}
	e = array_format(params, &af, &url_encoded);
	if (!jv_is_valid(e))
		goto fail;
	jv_free(e);
	if (jv_get_kind(hdrs) == JV_KIND_OBJECT) {
		jv_object_foreach(hdrs, k, v) {
			if (forbidden_header(jv_string_value(k))) {
				e = bad_parameters("The HTTP Task cannot set "
				    "the header %s", jv_string_value(k));
				jv_free(k);
				jv_free(v);
				goto fail;
			}
			if (jv_get_kind(v) == JV_KIND_ARRAY)
				v = joined(v);
			headers = jv_array_append(headers, JV_ARRAY(k,
			    scalar_text(v)));
		}
	} else if (jv_get_kind(hdrs) != JV_KIND_NULL) {
		e = bad_parameters("The HTTP Task's Headers must be an object",
		    NULL);
		goto fail;
	}
	if (jv_get_kind(cp) == JV_KIND_OBJECT) {
		jv extra = jv_object_get(jv_copy(cp), ASL_LIT("headers"));
		jv_array_foreach(extra, i, h) {
			headers = jv_array_append(headers, h);
			(void)i;
		}
		jv_free(extra);
	}
	if (jv_get_kind(auth) == JV_KIND_ARRAY)
		headers = jv_array_append(headers, jv_copy(auth));

	/* the query: the definition's, then the connection's */
	if (jv_get_kind(query) != JV_KIND_NULL &&
	    jv_get_kind(query) != JV_KIND_OBJECT) {
		e = bad_parameters("The HTTP Task's QueryParameters must be an "
		    "object", NULL);
		goto fail;
	}
	text = form(jv_copy(query), jv_get_kind(cp) == JV_KIND_OBJECT ?
	    jv_object_get(jv_copy(cp), ASL_LIT("query")) : jv_null(), af);
	if (jv_string_length_bytes(jv_copy(text)) > 0)
		url = jv_string_concat(jv_string_append_str(url,
		    strchr(jv_string_value(url), '?') != NULL ? "&" : "?"),
		    text);
	else
		jv_free(text);

	/* the body: the connection's body parameters join an object */
	if (jv_get_kind(cp) == JV_KIND_OBJECT &&
	    (jv_get_kind(body) == JV_KIND_OBJECT ||
	    jv_get_kind(body) == JV_KIND_NULL)) {
		jv extra = jv_object_get(jv_copy(cp), ASL_LIT("body"));
		if (jv_array_length(jv_copy(extra)) > 0 &&
		    jv_get_kind(body) == JV_KIND_NULL)
			body = jv_object();
		jv_array_foreach(extra, i, p) {
			body = jv_object_set(body, jv_array_get(jv_copy(p), 0),
			    jv_array_get(jv_copy(p), 1));
			jv_free(p);
			(void)i;
		}
		jv_free(extra);
	}
	if (jv_get_kind(body) == JV_KIND_NULL)
		text = jv_null();
	else if (url_encoded && jv_get_kind(body) == JV_KIND_OBJECT) {
		text = form(jv_copy(body), jv_null(), af);
		if (!has_header(headers, "Content-Type"))
			headers = jv_array_append(headers, JV_ARRAY(
			    ASL_LIT("Content-Type"),
			    ASL_LIT("application/x-www-form-urlencoded")));
	} else {
		text = is_string(body) ? jv_copy(body) :
		    jv_dump_string(jv_copy(body), 0);
		if (!has_header(headers, "Content-Type"))
			headers = jv_array_append(headers, JV_ARRAY(
			    ASL_LIT("Content-Type"),
			    ASL_LIT("application/json; charset=UTF-8")));
	}
	/* what AWS sends with every request */
	if (!has_header(headers, "User-Agent"))
		headers = jv_array_append(headers, JV_ARRAY(
		    ASL_LIT("User-Agent"), jv_string_fmt(
		    "Amazon|StepFunctions|HttpInvoke|%s",
		    jv_string_value(region))));
	headers = jv_array_append(headers, JV_ARRAY(ASL_LIT("Range"),
	    jv_string_fmt("bytes=0-%d", BODY_MAX)));
	jv_free(hdrs);
	jv_free(query);
	jv_free(body);
	return JV_OBJECT(ASL_LIT("method"), method, ASL_LIT("url"), url,
	    ASL_LIT("headers"), headers, ASL_LIT("body"), text);
fail:
	jv_free(url);
	jv_free(method);
	jv_free(hdrs);
	jv_free(query);
	jv_free(body);
	jv_free(headers);
	return e;
}

/* The transfer. */

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct asl_task_http *h = arg;

	n *= size;
	if (h->body.len + n > BODY_MAX) {
		h->over = 1;
		return 0;	/* curl stops: CURLE_WRITE_ERROR */
	}
	asl_buf_add(&h->body, p, n);
	return n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct asl_task_http *h = arg;
	size_t len = size * n, k;
	const char *c, *v;
	jv name, list;

	k = len;
	while (k > 0 && (p[k - 1] == '\r' || p[k - 1] == '\n'))
		k--;
	if (k >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* a new response (after a redirect or a 100): start again */
		jv_free(h->headers);
		h->headers = jv_object();
		c = memchr(p, ' ', k);
		v = c != NULL ? memchr(c + 1, ' ', k - (size_t)(c + 1 - p)) :
		    NULL;
		jv_free(h->status_text);
		h->status_text = v != NULL ? jv_string_sized(v + 1,
		    (int)(k - (size_t)(v + 1 - p))) : ASL_LIT("");
		return len;
	}
	if ((c = memchr(p, ':', k)) == NULL)
		return len;
	name = jv_string_sized(p, (int)(c - p));
	for (v = c + 1; v < p + k && (*v == ' ' || *v == '\t'); v++)
		;
	list = jv_object_get(jv_copy(h->headers), jv_copy(name));
	if (!jv_is_valid(list))
		list = (jv_free(list), jv_array());
	list = jv_array_append(list, jv_string_sized(v, (int)(p + k - v)));
	h->headers = jv_object_set(h->headers, name, list);
	return len;
}

/* Start the transfer of req (borrowed) on h's handle. */
static jv
transfer(struct asl_task_http *h, jv req)
{
	jv method = jv_object_get(jv_copy(req), ASL_LIT("method"));
	jv url = jv_object_get(jv_copy(req), ASL_LIT("url"));
	jv body = jv_object_get(jv_copy(req), ASL_LIT("body"));
	jv hs = jv_object_get(jv_copy(req), ASL_LIT("headers"));
	CURLU *u = curl_url();
	char *host = NULL, *scheme = NULL;
	jv r = jv_null();

	if (u == NULL || curl_url_set(u, CURLUPART_URL, jv_string_value(url),
	    CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		r = bad_parameters("The HTTP Task's ApiEndpoint is not a URL: "
		    "%s", jv_string_value(url));
		goto out;
	}
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		r = bad_parameters("The HTTP Task calls http:// and https:// "
		    "URLs only, not %s", jv_string_value(url));
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		r = bad_parameters("The HTTP Task's ApiEndpoint names no host: "
		    "%s", jv_string_value(url));
		goto out;
	}
	if (h->easy == NULL && (h->easy = curl_easy_init()) == NULL) {
		r = asl_error("States.Runtime", "curl_easy_init failed");
		goto out;
	}
	curl_easy_reset(h->easy);
	curl_slist_free_all(h->slist);
	h->slist = NULL;
	jv_array_foreach(hs, i, x) {
		jv n = jv_array_get(jv_copy(x), 0), v = jv_array_get(x, 1);
		jv line = jv_string_fmt("%s: %s", jv_string_value(n),
		    jv_string_value(v));
		h->slist = curl_slist_append(h->slist, jv_string_value(line));
		jv_free(n);
		jv_free(v);
		jv_free(line);
		(void)i;
	}
	/* no "Expect: 100-continue" wait before a body */
	h->slist = curl_slist_append(h->slist, "Expect:");
	curl_easy_setopt(h->easy, CURLOPT_URL, jv_string_value(url));
	curl_easy_setopt(h->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h->easy, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(h->easy, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(h->easy, CURLOPT_TIMEOUT_MS, REQUEST_MS);
	curl_easy_setopt(h->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->easy, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, h->slist);
	curl_easy_setopt(h->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h->easy, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(h->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h->easy, CURLOPT_HEADERDATA, h);
	if (strcmp(jv_string_value(method), "HEAD") == 0)
		curl_easy_setopt(h->easy, CURLOPT_NOBODY, 1L);
	else
		curl_easy_setopt(h->easy, CURLOPT_CUSTOMREQUEST,
		    jv_string_value(method));
	if (is_string(body)) {
		curl_easy_setopt(h->easy, CURLOPT_POSTFIELDSIZE,
		    (long)jv_string_length_bytes(jv_copy(body)));
		curl_easy_setopt(h->easy, CURLOPT_COPYPOSTFIELDS,
		    jv_string_value(body));
	}
	if (h->cfg->insecure != NULL && strcmp(scheme, "https") == 0 &&
	    strcasecmp(host, h->cfg->insecure) == 0) {
		/* --insecure HOST: that host's certificate alone goes unchecked */
		curl_easy_setopt(h->easy, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h->easy, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	asl_buf_free(&h->body);
	memset(&h->body, 0, sizeof h->body);
	h->over = 0;
	h->status = 0;
	h->errbuf[0] = '\0';
	jv_free(h->headers);
	h->headers = jv_object();
	jv_free(h->status_text);
	h->status_text = ASL_LIT("");
	if (curl_multi_add_handle(h->multi, h->easy) != CURLM_OK)
		r = asl_error("States.Runtime", "curl_multi_add_handle failed");
out:
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(u);
	jv_free(method);
	jv_free(url);
	jv_free(body);
	jv_free(hs);
	return r;
}

/* The error of a transfer that got no answer (curl's code). */
static jv
socket_error(struct asl_task_http *h)
{
	return asl_error("States.Http.Socket", "%s",
	    h->errbuf[0] != '\0' ? h->errbuf : curl_easy_strerror(h->code));
}

static jv
result(struct asl_task_http *h)
{
	jv ct = jv_object_get(jv_copy(h->headers), ASL_LIT("Content-Type"));
	jv body = jv_string_sized(h->body.p != NULL ? h->body.p : "",
	    (int)h->body.len);
	const char *t = "";

	/* header names are case-blind: look for content-type too */
	if (!jv_is_valid(ct)) {
		jv_free(ct);
		ct = jv_null();
		jv_object_foreach(h->headers, k, v) {
			if (strcasecmp(jv_string_value(k), "Content-Type") == 0 &&
			    jv_get_kind(ct) == JV_KIND_NULL)
				ct = jv_copy(v);
			jv_free(k);
			jv_free(v);
		}
	}
	if (jv_get_kind(ct) == JV_KIND_ARRAY) {
		ct = jv_array_get(ct, 0);
		t = jv_string_value(ct);
	}
	/* a JSON answer is parsed; any other stays text */
	if (strncasecmp(t, "application/json", 16) == 0 ||
	    strstr(t, "+json") != NULL) {
		jv v = jv_parse_sized(h->body.p != NULL ? h->body.p : "",
		    (int)h->body.len);
		if (jv_is_valid(v))
			body = (jv_free(body), v);
		else
			jv_free(v);
	}
	jv_free(ct);
	return JV_OBJECT(ASL_LIT("Headers"), jv_copy(h->headers),
	    ASL_LIT("ResponseBody"), body, ASL_LIT("StatusCode"),
	    jv_number((double)h->status), ASL_LIT("StatusText"),
	    jv_copy(h->status_text));
}

/* The outcome of the main request. */
static jv
request_outcome(struct asl_task_http *h)
{
	jv r, text;

	if (h->over)
		return asl_error("States.DataLimitExceeded", "The state/task "
		    "'http' returned a result with a size exceeding the "
		    "maximum number of bytes service limit.");
	if (h->code != CURLE_OK)
		return socket_error(h);
	r = result(h);
	if (h->status >= 200 && h->status <= 299)
		return r;
	/* the cause is the whole answer, as the result would have been */
	text = jv_dump_string(r, 0);
	return asl_error_jv(jv_string_fmt("States.Http.StatusCode.%ld",
	    h->status), text);
}

/* The request with the connection's part, once any token is known. */
static jv
start_request(struct asl_task_http *h, const char *token)
{
	jv cp = jv_null(), auth = jv_null(), r;

	if (jv_get_kind(h->conn) == JV_KIND_OBJECT) {
		cp = asl_task_conn_parameters(jv_copy(h->conn));
		auth = asl_task_conn_auth_header(jv_copy(h->conn), token);
	}
	jv_free(h->request);
	h->request = build(h->params, cp, auth, h->region);
	jv_free(cp);
	jv_free(auth);
	if (!jv_is_valid(h->request)) {
		r = h->request;
		h->request = jv_null();
		return r;
	}
	h->phase = PH_REQUEST;
	return transfer(h, h->request);
}

/* The token request of an OAuth connection. */
static jv
start_token(struct asl_task_http *h)
{
	jv tr = asl_task_conn_token_request(jv_copy(h->conn));
	jv url = jv_object_get(jv_copy(tr), ASL_LIT("url"));
	jv q = form(jv_null(), jv_object_get(jv_copy(tr), ASL_LIT("query")),
	    AF_INDICES), req, r;

	if (jv_string_length_bytes(jv_copy(q)) > 0)
		url = jv_string_concat(jv_string_append_str(url,
		    strchr(jv_string_value(url), '?') != NULL ? "&" : "?"), q);
	else
		jv_free(q);
	req = JV_OBJECT(ASL_LIT("method"), jv_object_get(jv_copy(tr),
	    ASL_LIT("method")), ASL_LIT("url"), url, ASL_LIT("headers"),
	    jv_array_append(jv_object_get(jv_copy(tr), ASL_LIT("headers")),
	    JV_ARRAY(ASL_LIT("Content-Type"),
	    ASL_LIT("application/x-www-form-urlencoded"))), ASL_LIT("body"),
	    form(jv_object_get(jv_copy(tr), ASL_LIT("form")), jv_null(),
	    AF_INDICES));
	jv_free(tr);
	h->phase = PH_TOKEN;
	r = transfer(h, req);
	jv_free(req);
	return r;
}

/* The cached token of the connection, if it has not expired. */
static jv
cached_token(struct asl_task_http *h)
{
	jv t = jv_object_get(jv_copy(h->cfg->tokens), jv_copy(h->conn_arn));
	double exp;

	if (jv_get_kind(t) != JV_KIND_ARRAY)
		return (jv_free(t), jv_null());
	exp = jv_number_value(jv_array_get(jv_copy(t), 1));
	if (exp >= 0 && monotonic() >= exp)
		return (jv_free(t), jv_null());
	return jv_array_get(t, 0);
}

/* The token request ended: cache its token and send the request. */
static jv
token_done(struct asl_task_http *h)
{
	jv tok, r;
	double expires;

	if (h->code != CURLE_OK)
		return asl_error("Events.ConnectionResource.AuthorizationFailed",
		    "The OAuth token endpoint did not answer: %s",
		    h->errbuf[0] != '\0' ? h->errbuf :
		    curl_easy_strerror(h->code));
	tok = asl_task_conn_token(h->body.p, h->body.len, h->status, &expires);
	if (!jv_is_valid(tok))
		return tok;
	h->cfg->tokens = jv_object_set(h->cfg->tokens, jv_copy(h->conn_arn),
	    JV_ARRAY(jv_copy(tok), jv_number(expires >= 0 ? monotonic() +
	    expires : -1)));
	curl_multi_remove_handle(h->multi, h->easy);
	h->code = CURLE_OK;
	r = start_request(h, jv_string_value(tok));
	jv_free(tok);
	return r;
}

struct asl_task_http *
asl_task_http_new(struct asl_task_http_config *cfg, jv params, jv region,
    jv *err)
{
	struct asl_task_http *h;
	jv arn, r, tok;

	if (jv_get_kind(params) != JV_KIND_OBJECT) {
		jv_free(params);
		jv_free(region);
		*err = bad_parameters("The HTTP Task's Parameters must be an "
		    "object", NULL);
		return NULL;
	}
	if ((h = calloc(1, sizeof *h)) == NULL)
		abort();
	h->cfg = cfg;
	h->params = params;
	h->region = region;
	h->conn = h->conn_arn = h->request = h->shown = jv_null();
	h->headers = jv_object();
	h->status_text = ASL_LIT("");
	h->outcome = jv_null();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((h->multi = curl_multi_init()) == NULL)
		abort();
	arn = member2(params, "Authentication", "ConnectionArn");
	if (jv_get_kind(arn) == JV_KIND_NULL)
		arn = member2(params, "InvocationConfig",
		    "ConnectionArn");
	if (is_string(arn)) {
		h->conn = asl_task_conn_find(cfg->connections,
		    jv_string_value(arn));
		h->conn_arn = arn;
		if (!jv_is_valid(h->conn)) {
			*err = h->conn;
			h->conn = jv_null();
			asl_task_http_free(h);
			return NULL;
		}
	} else
		jv_free(arn);
	/* what TestState shows without revealSecrets */
	h->shown = build(h->params, jv_null(), jv_null(), h->region);
	if (!jv_is_valid(h->shown)) {
		*err = h->shown;
		h->shown = jv_null();
		asl_task_http_free(h);
		return NULL;
	}
	if (jv_get_kind(h->conn) == JV_KIND_OBJECT &&
	    asl_task_conn_is_oauth(h->conn)) {
		tok = cached_token(h);
		r = jv_get_kind(tok) == JV_KIND_STRING ?
		    start_request(h, jv_string_value(tok)) : start_token(h);
		jv_free(tok);
	} else
		r = start_request(h, NULL);
	if (!jv_is_valid(r)) {
		*err = r;
		asl_task_http_free(h);
		return NULL;
	}
	return h;
}

int
asl_task_http_pollfds(const struct asl_task_http *h, struct pollfd *fds,
    int max)
{
	fd_set r, w, x;
	int maxfd = -1, fd, n = 0;

	if (h->phase == PH_DONE)
		return 0;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&x);
	if (curl_multi_fdset(h->multi, &r, &w, &x, &maxfd) != CURLM_OK)
		return 0;
	for (fd = 0; fd <= maxfd && n < max; fd++) {
		short ev = (FD_ISSET(fd, &r) ? POLLIN : 0) |
		    (FD_ISSET(fd, &w) ? POLLOUT : 0) |
		    (FD_ISSET(fd, &x) ? POLLPRI : 0);
		if (ev == 0)
			continue;
		fds[n].fd = fd;
		fds[n].events = ev;
		fds[n++].revents = 0;
	}
	return n;
}

long
asl_task_http_wait_ms(const struct asl_task_http *h)
{
	long ms = -1;

	if (h->phase == PH_DONE)
		return 0;
	if (curl_multi_timeout(h->multi, &ms) != CURLM_OK)
		return 10;
	return ms;
}

int
asl_task_http_pump(struct asl_task_http *h)
{
	CURLMsg *msg;
	int running, left;
	jv r;

	while (h->phase != PH_DONE) {
		curl_multi_perform(h->multi, &running);
		msg = curl_multi_info_read(h->multi, &left);
		if (msg == NULL || msg->msg != CURLMSG_DONE)
			return 0;
		h->code = msg->data.result;
		curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &h->status);
		if (h->phase == PH_TOKEN) {
			r = token_done(h);
			if (jv_is_valid(r)) {
				jv_free(r);
				continue;	/* the request has started */
			}
		} else
			r = request_outcome(h);
		curl_multi_remove_handle(h->multi, h->easy);
		jv_free(h->outcome);
		h->outcome = r;
		h->phase = PH_DONE;
	}
	return 1;
}

void
asl_task_http_abort(struct asl_task_http *h)
{
	if (h->phase == PH_DONE)
		return;
	curl_multi_remove_handle(h->multi, h->easy);
	jv_free(h->outcome);
	/* as a task past its TimeoutSeconds fails: no cause */
	h->outcome = jv_invalid_with_msg(JV_OBJECT(ASL_LIT("Error"),
	    ASL_LIT("States.Timeout")));
	h->phase = PH_DONE;
}

jv
asl_task_http_outcome(struct asl_task_http *h)
{
	if (h->phase != PH_DONE)
		return asl_error("States.Runtime", "the task has not finished");
	return jv_copy(h->outcome);
}

/* Headers [[name, value] ...] or name -> [values] (consumed) as text. */
static jv
header_text(jv hs)
{
	jv out = ASL_LIT("");

	if (jv_get_kind(hs) == JV_KIND_ARRAY)
		jv_array_foreach(hs, i, x) {
			jv n = jv_array_get(jv_copy(x), 0), v = jv_array_get(x, 1);
			out = jv_string_concat(out, jv_string_fmt("%s%s: %s",
			    i > 0 ? "\n" : "", jv_string_value(n),
			    jv_string_value(v)));
			jv_free(n);
			jv_free(v);
		}
	else
		jv_object_foreach(hs, k, vs) {
			jv_array_foreach(vs, i, v) {
				out = jv_string_concat(out, jv_string_fmt(
				    "%s%s: %s", jv_string_length_bytes(
				    jv_copy(out)) > 0 ? "\n" : "",
				    jv_string_value(k), jv_string_value(v)));
				jv_free(v);
				(void)i;
			}
			jv_free(k);
			jv_free(vs);
		}
	jv_free(hs);
	return out;
}

jv
asl_task_http_inspection(const struct asl_task_http *h, int reveal)
{
	jv req = reveal && jv_get_kind(h->request) == JV_KIND_OBJECT ?
	    jv_copy(h->request) : jv_copy(h->shown), out, body, url;
	const char *u;

	if (jv_get_kind(req) != JV_KIND_OBJECT)
		return (jv_free(req), jv_object());
	url = jv_object_get(jv_copy(req), ASL_LIT("url"));
	u = jv_string_value(url);
	body = jv_object_get(jv_copy(req), ASL_LIT("body"));
	out = JV_OBJECT(ASL_LIT("request"), JV_OBJECT(ASL_LIT("protocol"),
	    strncmp(u, "https:", 6) == 0 ? ASL_LIT("https") : ASL_LIT("http"),
	    ASL_LIT("method"), jv_object_get(jv_copy(req), ASL_LIT("method")),
	    ASL_LIT("url"), jv_copy(url), ASL_LIT("headers"),
	    header_text(jv_object_get(jv_copy(req), ASL_LIT("headers"))),
	    ASL_LIT("body"), is_string(body) ? body :
	    (jv_free(body), ASL_LIT(""))));
	if (h->phase == PH_DONE && h->status > 0 && h->code == CURLE_OK)
		out = jv_object_set(out, ASL_LIT("response"), JV_OBJECT(
		    ASL_LIT("protocol"), strncmp(u, "https:", 6) == 0 ?
		    ASL_LIT("https") : ASL_LIT("http"),
		    ASL_LIT("statusCode"), jv_string_fmt("%ld", h->status),
		    ASL_LIT("statusMessage"), jv_copy(h->status_text),
		    ASL_LIT("headers"), header_text(jv_copy(h->headers)),
		    ASL_LIT("body"), jv_string_sized(h->body.p != NULL ?
		    h->body.p : "", (int)h->body.len)));
	jv_free(url);
	jv_free(req);
	return out;
}

void
asl_task_http_free(struct asl_task_http *h)
{
	if (h == NULL)
		return;
	if (h->easy != NULL) {
		curl_multi_remove_handle(h->multi, h->easy);
		curl_easy_cleanup(h->easy);
	}
	if (h->multi != NULL)
		curl_multi_cleanup(h->multi);
	curl_slist_free_all(h->slist);
	jv_free(h->params);
	jv_free(h->conn);
	jv_free(h->conn_arn);
	jv_free(h->region);
	jv_free(h->request);
	jv_free(h->shown);
	jv_free(h->headers);
	jv_free(h->status_text);
	jv_free(h->outcome);
	asl_buf_free(&h->body);
	free(h);
}

jv
asl_task_http_run(struct asl_resources *res, jv params, double timeout,
    int reveal, jv *inspection)
{
	struct asl_task_http *h;
	struct pollfd fds[8];
	double end = monotonic() + (timeout > 0 ? timeout : 99999999);
	long ms;
	int n;
	jv err, out;

	*inspection = jv_null();
	h = asl_task_http_new(asl_task_resources_http(res), params,
	    jv_string(asl_task_resources_region(res)), &err);
	if (h == NULL)
		return err;
	while (!asl_task_http_pump(h)) {
		if (monotonic() >= end) {
			asl_task_http_abort(h);	/* TimeoutSeconds */
			break;
		}
		n = asl_task_http_pollfds(h, fds, 8);
		ms = asl_task_http_wait_ms(h);
		if (ms < 0 || ms > 100)
			ms = 100;
		(void)poll(fds, (nfds_t)n, (int)ms);
	}
	jv_free(*inspection);
	*inspection = asl_task_http_inspection(h, reveal);
	out = asl_task_http_outcome(h);
	asl_task_http_free(h);
	return out;
}
