/*
 * asl_task_conn.c - EventBridge connections for HTTP Tasks: the
 * connections file (asl-resources(5)), what a connection adds to a
 * request (its authorization and its invocation HTTP parameters), and
 * the OAuth client-credentials token request and its answer.
 *
 * A connection is the CreateConnection request's shape:
 * {"AuthorizationType": "API_KEY" | "BASIC" | "OAUTH_CLIENT_CREDENTIALS",
 *  "AuthParameters": {"ApiKeyAuthParameters": {"ApiKeyName",
 *  "ApiKeyValue"}, "BasicAuthParameters": {"Username", "Password"},
 *  "OAuthParameters": {"AuthorizationEndpoint", "HttpMethod",
 *  "ClientParameters": {"ClientID", "ClientSecret"},
 *  "OAuthHttpParameters": {...}}, "InvocationHttpParameters":
 *  {"HeaderParameters", "QueryStringParameters", "BodyParameters": [{"Key",
 *  "Value"}]}}}.
 *
 * Ownership follows jv.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asl.h"
#include "asl_doc.h"
#include "asl_task.h"
#include "asl_task_int.h"

#define CONN_MAX	(1 << 20)	/* the most a connections file may hold */

static int
is_string(jv v)
{
	return jv_get_kind(v) == JV_KIND_STRING;
}

/* obj.a.b... (obj borrowed): the member, or null. */
static jv
path_get(jv obj, const char *a, const char *b, const char *c)
{
	const char *keys[3];
	jv v = jv_copy(obj);
	int i;

	keys[0] = a;
	keys[1] = b;
	keys[2] = c;
	for (i = 0; i < 3 && keys[i] != NULL; i++) {
		if (jv_get_kind(v) != JV_KIND_OBJECT) {
			jv_free(v);
			return jv_null();
		}
		v = jv_object_get(v, jv_string(keys[i]));
		if (!jv_is_valid(v))
			return (jv_free(v), jv_null());
	}
	return v;
}

/* Whether a Key/Value list (borrowed) is well formed. */
static const char *
check_pairs(jv list)
{
	if (jv_get_kind(list) == JV_KIND_NULL)
		return NULL;
	if (jv_get_kind(list) != JV_KIND_ARRAY)
		return "must be a list of {\"Key\", \"Value\"}";
	jv_array_foreach(list, i, p) {
		jv k = path_get(p, "Key", NULL, NULL);
		jv val = path_get(p, "Value", NULL, NULL);
		int ok = is_string(k) && jv_get_kind(val) != JV_KIND_NULL &&
		    jv_get_kind(val) != JV_KIND_OBJECT &&
		    jv_get_kind(val) != JV_KIND_ARRAY;

		jv_free(k);
		jv_free(val);
		jv_free(p);
		(void)i;
		if (!ok)
			return "needs a string Key and a scalar Value in "
			    "every entry";
	}
	return NULL;
}

static const char *
check_http_parameters(jv hp)
{
	static const char *const lists[] = { "HeaderParameters",
	    "QueryStringParameters", "BodyParameters" };
	const char *why = NULL;
	size_t i;

	for (i = 0; i < 3 && why == NULL; i++) {
		jv l = path_get(hp, lists[i], NULL, NULL);
		why = check_pairs(l);
		jv_free(l);
	}
	return why;
}

/* What is wrong with one connection (borrowed), or NULL. */
static const char *
check_connection(jv c)
{
	jv type = path_get(c, "AuthorizationType", NULL, NULL);
	jv ap = path_get(c, "AuthParameters", NULL, NULL);
	jv a, b, e = jv_null();
	const char *why = NULL, *t;

	if (jv_get_kind(c) != JV_KIND_OBJECT)
		why = "is not an object";
	else if (!is_string(type))
		why = "needs an AuthorizationType";
	else if (strcmp(t = jv_string_value(type), "API_KEY") == 0) {
		a = path_get(ap, "ApiKeyAuthParameters", "ApiKeyName", NULL);
		b = path_get(ap, "ApiKeyAuthParameters", "ApiKeyValue", NULL);
		if (!is_string(a) || !is_string(b))
			why = "needs AuthParameters.ApiKeyAuthParameters with "
			    "ApiKeyName and ApiKeyValue";
		jv_free(a);
		jv_free(b);
	} else if (strcmp(t, "BASIC") == 0) {
		a = path_get(ap, "BasicAuthParameters", "Username", NULL);
		b = path_get(ap, "BasicAuthParameters", "Password", NULL);
		if (!is_string(a) || !is_string(b))
			why = "needs AuthParameters.BasicAuthParameters with "
			    "Username and Password";
		jv_free(a);
		jv_free(b);
	} else if (strcmp(t, "OAUTH_CLIENT_CREDENTIALS") == 0) {
		a = path_get(ap, "OAuthParameters", "ClientParameters",
		    "ClientID");
		b = path_get(ap, "OAuthParameters", "ClientParameters",
		    "ClientSecret");
		e = path_get(ap, "OAuthParameters", "AuthorizationEndpoint",
		    NULL);
		if (!is_string(a) || !is_string(b) || !is_string(e))
			why = "needs AuthParameters.OAuthParameters with "
			    "AuthorizationEndpoint and ClientParameters "
			    "(ClientID, ClientSecret)";
		jv_free(a);
		jv_free(b);
		jv_free(e);
		if (why == NULL) {
			a = path_get(ap, "OAuthParameters",
			    "OAuthHttpParameters", NULL);
			why = check_http_parameters(a);
			jv_free(a);
		}
	} else
		why = "has an AuthorizationType that is not API_KEY, BASIC "
		    "or OAUTH_CLIENT_CREDENTIALS";
	if (why == NULL) {
		a = path_get(ap, "InvocationHttpParameters", NULL, NULL);
		why = check_http_parameters(a);
		jv_free(a);
	}
	jv_free(type);
	jv_free(ap);
	return why;
}

jv
asl_task_connections_read(const char *path)
{
	struct stat st;
	jv doc, out;
	const char *why;

	if (stat(path, &st) == -1)
		return jv_invalid_with_msg(jv_string_fmt("%s: %s", path,
		    strerror(errno)));
	/* it holds secrets: no one else may read it */
	if ((st.st_mode & 077) != 0)
		return jv_invalid_with_msg(jv_string_fmt("%s: a connections "
		    "file holds secrets and must be readable by its owner "
		    "only (mode %04o, not %04o): chmod 600 %s", path, 0600,
		    (unsigned)(st.st_mode & 07777), path));
	doc = asl_doc_read(path, ASL_FORMAT_AUTO, CONN_MAX, NULL);
	if (!jv_is_valid(doc))
		return doc;
	if (jv_get_kind(doc) != JV_KIND_OBJECT) {
		jv_free(doc);
		return jv_invalid_with_msg(jv_string_fmt("%s: a connections "
		    "file is an object: connection ARN or name -> "
		    "connection", path));
	}
	out = jv_object();
	jv_object_foreach(doc, k, c) {
		if ((why = check_connection(c)) != NULL) {
			jv e = jv_string_fmt("%s: connection '%s' %s", path,
			    jv_string_value(k), why);
			jv_free(k);
			jv_free(c);
			jv_free(out);
			jv_free(doc);
			return jv_invalid_with_msg(e);
		}
		out = jv_object_set(out, k, c);
	}
	jv_free(doc);
	return out;
}

jv
asl_task_conn_find(jv connections, const char *arn)
{
	const char *name = strstr(arn, ":connection/"), *end;
	jv c;

	if (jv_get_kind(connections) == JV_KIND_OBJECT) {
		c = jv_object_get(jv_copy(connections), jv_string(arn));
		if (jv_is_valid(c))
			return c;
		jv_free(c);
		/* arn:aws:events:R:A:connection/NAME/UUID: by its name */
		if (name != NULL) {
			name += 12;
			end = strchr(name, '/');
			c = jv_object_get(jv_copy(connections),
			    end != NULL ? jv_string_sized(name,
			    (int)(end - name)) : jv_string(name));
			if (jv_is_valid(c))
				return c;
			jv_free(c);
		}
	}
	return asl_error("Events.ConnectionResource.ResourceNotFound",
	    "The connection %s was not found: %s", arn,
	    jv_get_kind(connections) == JV_KIND_OBJECT ? "add it to the "
	    "connections file" : "give its definition with --connections "
	    "FILE");
}

/* Key/Value entries (consumed) as [[key, "value"], ...]. */
static jv
pairs(jv list)
{
	jv out = jv_array();

	if (jv_get_kind(list) != JV_KIND_ARRAY) {
		jv_free(list);
		return out;
	}
	jv_array_foreach(list, i, p) {
		jv k = path_get(p, "Key", NULL, NULL);
		jv v = path_get(p, "Value", NULL, NULL);

		if (!is_string(v))
			v = jv_dump_string(v, 0);
		out = jv_array_append(out, JV_ARRAY(k, v));
		jv_free(p);
		(void)i;
	}
	jv_free(list);
	return out;
}

/* {"headers", "query", "body"} of an HttpParameters object (consumed). */
static jv
http_parameters(jv hp)
{
	jv out = JV_OBJECT(ASL_LIT("headers"), pairs(path_get(hp,
	    "HeaderParameters", NULL, NULL)), ASL_LIT("query"),
	    pairs(path_get(hp, "QueryStringParameters", NULL, NULL)),
	    ASL_LIT("body"), pairs(path_get(hp, "BodyParameters", NULL,
	    NULL)));

	jv_free(hp);
	return out;
}

jv
asl_task_conn_parameters(jv conn)
{
	jv hp = path_get(conn, "AuthParameters", "InvocationHttpParameters",
	    NULL);

	jv_free(conn);
	return http_parameters(hp);
}

int
asl_task_conn_is_oauth(jv conn)
{
	jv t = path_get(conn, "AuthorizationType", NULL, NULL);
	int r = is_string(t) &&
	    strcmp(jv_string_value(t), "OAUTH_CLIENT_CREDENTIALS") == 0;

	jv_free(t);
	return r;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* "Basic " and base64 of user:password. */
static jv
basic(jv user, jv password)
{
	jv text = jv_string_concat(jv_string_concat(user, ASL_LIT(":")),
	    password);
	const unsigned char *p = (const unsigned char *)jv_string_value(text);
	int n = jv_string_length_bytes(jv_copy(text)), i;
	struct asl_buf b = { 0 };
	char q[4];
	jv out;

	ASL_BUF_LIT(&b, "Basic ");
	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 |
		    (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
		    (i + 2 < n ? p[i + 2] : 0);
		q[0] = b64[v >> 18 & 63];
		q[1] = b64[v >> 12 & 63];
		q[2] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? b64[v & 63] : '=';
		asl_buf_put(&b, q, 4);
	}
	out = jv_string_sized(b.p, (int)b.len);
	asl_buf_free(&b);
	jv_free(text);
	return out;
}

jv
asl_task_conn_auth_header(jv conn, const char *token)
{
	jv t = path_get(conn, "AuthorizationType", NULL, NULL);
	jv ap = path_get(conn, "AuthParameters", NULL, NULL), h;
	const char *s = is_string(t) ? jv_string_value(t) : "";

	if (strcmp(s, "API_KEY") == 0)
		h = JV_ARRAY(path_get(ap, "ApiKeyAuthParameters", "ApiKeyName",
		    NULL), path_get(ap, "ApiKeyAuthParameters", "ApiKeyValue",
		    NULL));
	else if (strcmp(s, "BASIC") == 0)
		h = JV_ARRAY(ASL_LIT("Authorization"), basic(path_get(ap,
		    "BasicAuthParameters", "Username", NULL), path_get(ap,
		    "BasicAuthParameters", "Password", NULL)));
	else if (strcmp(s, "OAUTH_CLIENT_CREDENTIALS") == 0 && token != NULL)
		h = JV_ARRAY(ASL_LIT("Authorization"),
		    jv_string_fmt("Bearer %s", token));
	else
		h = jv_null();
	jv_free(t);
	jv_free(ap);
	jv_free(conn);
	return h;
}

jv
asl_task_conn_token_request(jv conn)
{
	jv op = path_get(conn, "AuthParameters", "OAuthParameters", NULL);
	jv method = path_get(op, "HttpMethod", NULL, NULL);
	jv hp = http_parameters(path_get(op, "OAuthHttpParameters", NULL,
	    NULL));
	jv body = JV_OBJECT(ASL_LIT("grant_type"),
	    ASL_LIT("client_credentials"));
	jv fields = jv_object_get(jv_copy(hp), ASL_LIT("body")), req;

	/* the body parameters are form fields, grant_type first */
	jv_array_foreach(fields, i, p) {
		body = jv_object_set(body, jv_array_get(jv_copy(p), 0),
		    jv_array_get(jv_copy(p), 1));
		jv_free(p);
		(void)i;
	}
	req = JV_OBJECT(ASL_LIT("method"), is_string(method) ? method :
	    (jv_free(method), ASL_LIT("POST")),
	    ASL_LIT("url"), path_get(op, "AuthorizationEndpoint", NULL, NULL),
	    ASL_LIT("query"), jv_object_get(jv_copy(hp), ASL_LIT("query")),
	    ASL_LIT("headers"), jv_array_append(jv_object_get(jv_copy(hp),
	    ASL_LIT("headers")), JV_ARRAY(ASL_LIT("Authorization"),
	    basic(path_get(op, "ClientParameters", "ClientID", NULL),
	    path_get(op, "ClientParameters", "ClientSecret", NULL)))),
	    ASL_LIT("form"), body);
	jv_free(fields);
	jv_free(hp);
	jv_free(op);
	jv_free(conn);
	return req;
}

jv
asl_task_conn_token(const char *text, size_t len, long status,
    double *expires_in)
{
	jv doc = len > 0 ? jv_parse_sized(text, (int)len) : jv_invalid();
	jv tok = path_get(doc, "access_token", NULL, NULL);
	jv exp = path_get(doc, "expires_in", NULL, NULL);

	*expires_in = -1;
	if (jv_get_kind(exp) == JV_KIND_NUMBER)
		*expires_in = jv_number_value(exp);
	else if (is_string(exp))
		*expires_in = strtod(jv_string_value(exp), NULL);
	jv_free(exp);
	jv_free(doc);
	if (status < 200 || status > 299 || !is_string(tok)) {
		jv_free(tok);
		/* never the answer itself: it may echo the client secret */
		return asl_error("Events.ConnectionResource.AuthorizationFailed",
		    "The OAuth token endpoint answered %ld%s", status,
		    status >= 200 && status <= 299 ? " without an "
		    "access_token" : "");
	}
	return tok;
}
