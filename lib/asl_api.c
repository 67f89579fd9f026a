/*
 * lib/asl_api.c - the Step Functions API: the dispatch of operations, the
 * shapes every operation shares (members, ARNs, timestamps, pages,
 * errors), and the operations on state machines, activities and tags.
 * The executions' operations are in asl_api_exec.c.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_activity.h"
#include "asl_api.h"
#include "asl_api_int.h"
#include "asl_arn.h"
#include "asl_definition.h"
#include "asl_json.h"
#include "asl_store.h"
#include "asl_task.h"
#include "asl_teststate.h"
#include "asl_time.h"
#include "asl_validate.h"

/* The shapes every operation shares. */

static const char *
kind_name(jv_kind k)
{
	switch (k) {
	case JV_KIND_STRING:
		return "a string";
	case JV_KIND_NUMBER:
		return "a number";
	case JV_KIND_TRUE:
		return "a boolean";
	case JV_KIND_ARRAY:
		return "a list";
	default:
		return "a structure";
	}
}

jv
api_args(jv req, const struct api_arg *spec, jv *out)
{
	const struct api_arg *a;
	jv v, err = jv_true();
	jv_kind k;
	int i;

	for (i = 0, a = spec; a->key != NULL; a++, i++)
		out[i] = jv_null();
	for (i = 0, a = spec; a->key != NULL; a++, i++) {
		v = jv_object_get(jv_copy(req), jv_string(a->key));
		k = jv_get_kind(v);
		if (!jv_is_valid(v) || k == JV_KIND_NULL) {
			jv_free(v);
			if (a->required && jv_is_valid(err)) {
				jv_free(err);
				err = asl_error("ValidationException", "1 validation "
				    "error detected: Value null at '%s' failed to "
				    "satisfy constraint: Member must not be null",
				    a->key);
			}
			continue;
		}
		if (k == JV_KIND_FALSE)
			k = JV_KIND_TRUE;
		if (k != a->kind && jv_is_valid(err)) {
			jv_free(err);
			err = asl_error("SerializationException", "'%s' must be "
			    "%s, not %s", a->key, kind_name(a->kind),
			    kind_name(k));
		}
		out[i] = v;
	}
	return err;
}

void
api_args_free(const struct api_arg *spec, jv *out)
{
	int i;

	for (i = 0; spec[i].key != NULL; i++)
		jv_free(out[i]);
}

jv
api_invalid(const char *fmt, ...)
{
	va_list ap;
	jv msg;

	va_start(ap, fmt);
	msg = jv_string_vfmt(fmt, ap);
	va_end(ap);
	return asl_error_jv(jv_string("ValidationException"), msg);
}

static jv
epoch_of(struct asl_time t)
{
	/* AWS gives milliseconds */
	return jv_number((double)t.sec + floor((double)t.nsec / 1e6) / 1e3);
}

jv
api_epoch(jv iso)
{
	struct asl_time t;
	jv r = jv_null();

	if (jv_get_kind(iso) == JV_KIND_STRING &&
	    asl_time_parse(jv_string_value(iso), &t) == 0)
		r = epoch_of(t);
	jv_free(iso);
	return r;
}

jv
api_epoch_member(jv obj, const char *key)
{
	jv v = jv_object_get(jv_copy(obj), jv_string(key));

	if (jv_get_kind(v) != JV_KIND_STRING) {
		jv_free(v);
		return obj;
	}
	return jv_object_set(obj, jv_string(key), api_epoch(v));
}

jv
api_now(void)
{
	return epoch_of(asl_time_now());
}

jv
api_arn_name(jv arn, const char *kind)
{
	const char *f[6], *s = jv_string_value(arn);
	size_t len[6], k = strlen(kind);
	jv r;

	if (asl_arn_split(s, f, len) == -1 || len[5] <= k ||
	    (strncmp(f[5], kind, k) != 0 && !(strcmp(kind, "execution") == 0 &&
	    strncmp(f[5], "express", 7) == 0 && (k = 7))) || f[5][k] != ':') {
		r = asl_error("InvalidArn", "Invalid Arn: '%s'", s);
		jv_free(arn);
		return r;
	}
	r = jv_string(asl_arn_last(s));
	jv_free(arn);
	return r;
}

jv
api_page(jv resp, const char *key, jv list, jv next, jv max, int deflt)
{
	long from = 0, n = jv_array_length(jv_copy(list)), m = deflt;
	char *end;
	jv page;

	if (jv_get_kind(next) == JV_KIND_STRING) {
		from = strtol(jv_string_value(next), &end, 10);
		if (*jv_string_value(next) == '\0' || *end != '\0' || from < 0 ||
		    from > n) {
			jv err = asl_error("InvalidToken", "Invalid Token: '%s'",
			    jv_string_value(next));
			jv_free(next);
			jv_free(max);
			jv_free(list);
			jv_free(resp);
			return err;
		}
	}
	if (jv_get_kind(max) == JV_KIND_NUMBER && jv_number_value(max) > 0)
		m = jv_number_value(max) > 1000 ? 1000 :
		    (long)jv_number_value(max);
	page = jv_array_slice(list, (int)from, (int)(from + m > n ? n :
	    from + m));
	resp = jv_object_set(resp, jv_string(key), page);
	if (from + m < n)
		resp = jv_object_set(resp, ASL_LIT("nextToken"),
		    jv_string_fmt("%ld", from + m));
	jv_free(next);
	jv_free(max);
	return resp;
}

jv
api_json_member(jv text, const char *err, const char *what)
{
	const char *s = jv_string_value(text);
	size_t n = strlen(s);
	jv v;

	if (n > API_PAYLOAD_MAX) {
		jv_free(text);
		return api_invalid("1 validation error detected: Value at '%s' "
		    "failed to satisfy constraint: Member must have length less "
		    "than or equal to %d", what, API_PAYLOAD_MAX);
	}
	v = jv_parse_sized(s, (int)n);
	jv_free(text);
	if (!jv_is_valid(v)) {
		jv msg = jv_invalid_get_msg(v);
		jv r = asl_error(err, "Invalid %s: %s", what,
		    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) :
		    "not JSON");
		jv_free(msg);
		return r;
	}
	return v;
}

/* Tags: tags/KIND-NAME.json. */

static jv
tags_read(const struct asl_store *st, const char *kind, const char *name)
{
	jv t = asl_store_read(st, "tags/%s-%s.json", kind, name);

	if (jv_get_kind(t) != JV_KIND_ARRAY) {
		jv_free(t);
		t = jv_array();
	}
	return t;
}

/* The tags (borrowed) added to those of the resource, by key. */
static jv
tags_add(const struct asl_store *st, const char *kind, const char *name,
    jv add, jv remove_keys)
{
	jv old = tags_read(st, kind, name), out = jv_array();

	jv_array_foreach(old, i, t) {
		jv k = jv_object_get(jv_copy(t), ASL_LIT("key"));
		int drop = 0;
		jv_array_foreach(add, j, u) {
			jv uk = jv_object_get(u, ASL_LIT("key"));
			drop |= jv_equal(jv_copy(k), uk);
			(void)j;
		}
		jv_array_foreach(remove_keys, j, u) {
			drop |= jv_equal(jv_copy(k), u);
			(void)j;
		}
		jv_free(k);
		if (!drop)
			out = jv_array_append(out, t);
		else
			jv_free(t);
		(void)i;
	}
	jv_free(old);
	jv_array_foreach(add, i, t) {
		jv k = jv_object_get(jv_copy(t), ASL_LIT("key"));
		jv v = jv_object_get(t, ASL_LIT("value"));
		if (jv_get_kind(k) != JV_KIND_STRING) {
			jv_free(k);
			jv_free(v);
			jv_free(out);
			return api_invalid("a tag needs a key");
		}
		out = jv_array_append(out, JV_OBJECT(ASL_LIT("key"), k,
		    ASL_LIT("value"), jv_get_kind(v) == JV_KIND_STRING ? v :
		    (jv_free(v), ASL_LIT(""))));
		(void)i;
	}
	return asl_store_putf(st, out, 0, "tags/%s-%s.json", kind, name);
}

/*
 * The kind and name of a taggable resource's ARN (borrowed), when it
 * exists: true, or ResourceNotFound or InvalidArn.
 */
static jv
tag_target(const struct asl_store *st, jv arn, const char **kind, jv *name)
{
	jv m;

	*kind = "stateMachine";
	*name = api_arn_name(jv_copy(arn), *kind);
	if (jv_is_valid(*name)) {
		m = asl_store_get_machine(st, jv_string_value(*name));
		if (jv_is_valid(m)) {
			jv_free(m);
			return jv_true();
		}
		jv_free(m);
	} else {
		jv_free(*name);
		*kind = "activity";
		*name = api_arn_name(jv_copy(arn), *kind);
		if (!jv_is_valid(*name))
			return *name;
		if (asl_activity_exists(st, jv_string_value(*name)))
			return jv_true();
	}
	jv_free(*name);
	*name = jv_null();
	return asl_error("ResourceNotFound", "Resource not found: '%s'",
	    jv_string_value(arn));
}

static const struct api_arg tag_args[] = {
	{ "resourceArn", JV_KIND_STRING, 1 },
	{ "tags", JV_KIND_ARRAY, 0 },
	{ "tagKeys", JV_KIND_ARRAY, 0 },
	{ NULL, 0, 0 }
};

/* TagResource (tags), UntagResource (tagKeys), ListTagsForResource. */
static jv
tag_resource(struct asl_api *api, jv req, int what)
{
	jv a[3], r, name = jv_null();
	const char *kind = NULL;

	r = api_args(req, tag_args, a);
	if (jv_is_valid(r)) {
		jv_free(r);
		r = tag_target(api->store, a[0], &kind, &name);
	}
	if (jv_is_valid(r)) {
		jv_free(r);
		if (what == 'l')
			r = JV_OBJECT(ASL_LIT("tags"), tags_read(api->store,
			    kind, jv_string_value(name)));
		else {
			r = tags_add(api->store, kind, jv_string_value(name),
			    what == 't' ? a[1] : jv_null(), what == 'u' ? a[2] :
			    jv_null());
			if (jv_is_valid(r)) {
				jv_free(r);
				r = jv_object();
			}
		}
		jv_free(name);
	}
	api_args_free(tag_args, a);
	return r;
}

static jv
op_tag(struct asl_api *api, jv req)
{
	return tag_resource(api, req, 't');
}

static jv
op_untag(struct asl_api *api, jv req)
{
	return tag_resource(api, req, 'u');
}

static jv
op_list_tags(struct asl_api *api, jv req)
{
	return tag_resource(api, req, 'l');
}

/* State machines. */

/* The definition text (borrowed) loaded for type, or InvalidDefinition. */
static int
load_text(struct asl_definition *d, jv text, int express, jv *err)
{
	asl_definition_init(d);
	return asl_definition_parse(d, "definition", jv_string_value(text),
	    strlen(jv_string_value(text)), ASL_FORMAT_JSON, express ?
	    ASL_DEFINITION_EXPRESS : 0, err);
}

static const struct api_arg create_args[] = {
	{ "name", JV_KIND_STRING, 1 },
	{ "definition", JV_KIND_STRING, 1 },
	{ "roleArn", JV_KIND_STRING, 1 },
	{ "type", JV_KIND_STRING, 0 },
	{ "tags", JV_KIND_ARRAY, 0 },
	{ "loggingConfiguration", JV_KIND_OBJECT, 0 },
	{ "tracingConfiguration", JV_KIND_OBJECT, 0 },
	{ NULL, 0, 0 }
};

static jv
op_create_state_machine(struct asl_api *api, jv req)
{
	struct asl_definition d;
	jv a[7], r, old, info;
	const char *type, *name;

	if (!jv_is_valid(r = api_args(req, create_args, a)))
		goto out;
	jv_free(r);
	type = jv_get_kind(a[3]) == JV_KIND_STRING ? jv_string_value(a[3]) :
	    "STANDARD";
	name = jv_string_value(a[0]);
	if (strcmp(type, "STANDARD") != 0 && strcmp(type, "EXPRESS") != 0) {
		r = api_invalid("1 validation error detected: Value '%s' at "
		    "'type' failed to satisfy constraint: Member must satisfy "
		    "enum value set: [STANDARD, EXPRESS]", type);
		goto out;
	}
	if (!jv_is_valid(r = asl_arn_name_check(name)))
		goto out;
	jv_free(r);
	if (load_text(&d, a[1], strcmp(type, "EXPRESS") == 0, &r) == -1) {
		asl_definition_release(&d);
		goto out;
	}
	old = asl_store_get_machine(api->store, name);
	if (jv_is_valid(old)) {
		/* CreateStateMachine is idempotent for the same request */
		jv oi = asl_store_read(api->store, "state-machine-info/%s.json%s",
		    name, "");
		jv od = jv_object_get(jv_copy(oi), ASL_LIT("definition"));
		jv orole = jv_object_get(oi, ASL_LIT("roleArn"));
		jv ot = jv_object_get(jv_copy(old), ASL_LIT("type"));
		if (jv_equal(od, jv_copy(a[1])) && jv_equal(orole,
		    jv_copy(a[2])) && jv_equal(ot, jv_string(type)))
			r = JV_OBJECT(ASL_LIT("stateMachineArn"),
			    jv_object_get(jv_copy(old), ASL_LIT("stateMachineArn")),
			    ASL_LIT("creationDate"), api_epoch(jv_object_get(
			    jv_copy(old), ASL_LIT("creationDate"))));
		else {
			jv arn = jv_object_get(jv_copy(old),
			    ASL_LIT("stateMachineArn"));
			r = asl_error("StateMachineAlreadyExists", "State Machine "
			    "Already Exists: '%s'", jv_string_value(arn));
			jv_free(arn);
		}
		jv_free(old);
		asl_definition_release(&d);
		goto out;
	}
	jv_free(old);
	r = asl_store_put_machine(api->store, name, jv_copy(d.doc), type, 0);
	asl_definition_release(&d);
	if (!jv_is_valid(r))
		goto out;
	info = JV_OBJECT(ASL_LIT("definition"), jv_copy(a[1]),
	    ASL_LIT("roleArn"), jv_copy(a[2]), ASL_LIT("creationDate"),
	    jv_object_get(jv_copy(r), ASL_LIT("creationDate")));
	old = asl_store_putf(api->store, info, 0, "state-machine-info/%s.json%s",
	    name, "");
	if (jv_is_valid(old) && jv_get_kind(a[4]) == JV_KIND_ARRAY) {
		jv_free(old);
		old = tags_add(api->store, "stateMachine", name, a[4], jv_null());
	}
	if (!jv_is_valid(old)) {
		jv_free(r);
		r = old;
		goto out;
	}
	jv_free(old);
	old = r;
	r = JV_OBJECT(ASL_LIT("stateMachineArn"), jv_object_get(jv_copy(old),
	    ASL_LIT("stateMachineArn")), ASL_LIT("creationDate"),
	    api_epoch(jv_object_get(jv_copy(old), ASL_LIT("creationDate"))));
	jv_free(old);
out:
	api_args_free(create_args, a);
	return r;
}

static const struct api_arg machine_args[] = {
	{ "stateMachineArn", JV_KIND_STRING, 1 },
	{ "definition", JV_KIND_STRING, 0 },
	{ "roleArn", JV_KIND_STRING, 0 },
	{ "maxResults", JV_KIND_NUMBER, 0 },
	{ "nextToken", JV_KIND_STRING, 0 },
	{ NULL, 0, 0 }
};

/* The registered machine the request names: its record, and *name. */
static jv
machine_of(struct asl_api *api, jv req, jv *a, jv *name)
{
	jv r = api_args(req, machine_args, a);

	*name = jv_null();
	if (!jv_is_valid(r))
		return r;
	jv_free(r);
	*name = api_arn_name(jv_copy(a[0]), "stateMachine");
	if (!jv_is_valid(*name)) {
		r = *name;
		*name = jv_null();
		return r;
	}
	return asl_store_get_machine(api->store, jv_string_value(*name));
}

/* DescribeStateMachine's answer for the record m (consumed). */
static jv
machine_description(struct asl_api *api, jv m)
{
	jv name = jv_object_get(jv_copy(m), ASL_LIT("name"));
	jv info = asl_store_read(api->store, "state-machine-info/%s.json%s",
	    jv_string_value(name), "");
	jv def, role, created, r;

	if (jv_get_kind(info) != JV_KIND_OBJECT) {
		/* registered by asl create-state-machine */
		jv_free(info);
		info = jv_object();
	}
	def = jv_object_get(jv_copy(info), ASL_LIT("definition"));
	if (jv_get_kind(def) != JV_KIND_STRING) {
		jv_free(def);
		def = asl_json_text(jv_object_get(jv_copy(m),
		    ASL_LIT("definition")));
	}
	role = jv_object_get(jv_copy(info), ASL_LIT("roleArn"));
	if (jv_get_kind(role) != JV_KIND_STRING) {
		jv_free(role);
		role = asl_arn_role();
	}
	created = jv_object_get(jv_copy(info), ASL_LIT("creationDate"));
	if (jv_get_kind(created) != JV_KIND_STRING) {
		jv_free(created);
		created = jv_object_get(jv_copy(m), ASL_LIT("creationDate"));
	}
	r = JV_OBJECT(ASL_LIT("stateMachineArn"), jv_object_get(jv_copy(m),
	    ASL_LIT("stateMachineArn")), ASL_LIT("name"), name,
	    ASL_LIT("status"), ASL_LIT("ACTIVE"), ASL_LIT("definition"), def,
	    ASL_LIT("roleArn"), role, ASL_LIT("type"), jv_object_get(jv_copy(m),
	    ASL_LIT("type")), ASL_LIT("creationDate"), api_epoch(created));
	r = jv_object_set(r, ASL_LIT("loggingConfiguration"), JV_OBJECT(
	    ASL_LIT("level"), ASL_LIT("OFF"), ASL_LIT("includeExecutionData"),
	    jv_false()));
	r = jv_object_set(r, ASL_LIT("tracingConfiguration"), JV_OBJECT(
	    ASL_LIT("enabled"), jv_false()));
	jv_free(info);
	jv_free(m);
	return r;
}

static jv
op_describe_state_machine(struct asl_api *api, jv req)
{
	jv a[5], name, m = machine_of(api, req, a, &name);

	if (jv_is_valid(m))
		m = machine_description(api, m);
	jv_free(name);
	api_args_free(machine_args, a);
	return m;
}

static jv
op_update_state_machine(struct asl_api *api, jv req)
{
	struct asl_definition d;
	jv a[5], name, m = machine_of(api, req, a, &name), info, r, type, c;
	const char *n;

	if (!jv_is_valid(m))
		goto out;
	n = jv_string_value(name);
	if (jv_get_kind(a[1]) == JV_KIND_NULL && jv_get_kind(a[2]) ==
	    JV_KIND_NULL) {
		jv_free(m);
		m = api_invalid("UpdateStateMachine needs a definition or a "
		    "roleArn");
		goto out;
	}
	info = asl_store_read(api->store, "state-machine-info/%s.json%s", n, "");
	if (jv_get_kind(info) != JV_KIND_OBJECT) {
		jv_free(info);
		info = jv_object();
	}
	/* the creation date stays the one of the creation */
	c = jv_object_get(jv_copy(info), ASL_LIT("creationDate"));
	if (jv_get_kind(c) != JV_KIND_STRING)
		info = jv_object_set(info, ASL_LIT("creationDate"),
		    jv_object_get(jv_copy(m), ASL_LIT("creationDate")));
	jv_free(c);
	type = jv_object_get(m, ASL_LIT("type"));
	m = jv_true();
	if (jv_get_kind(a[1]) == JV_KIND_STRING) {
		if (load_text(&d, a[1], strcmp(jv_string_value(type),
		    "EXPRESS") == 0, &r) == -1)
			m = r;
		else
			m = asl_store_put_machine(api->store, n, jv_copy(d.doc),
			    jv_string_value(type), 1);
		asl_definition_release(&d);
		info = jv_object_set(info, ASL_LIT("definition"), jv_copy(a[1]));
	}
	jv_free(type);
	if (jv_get_kind(a[2]) == JV_KIND_STRING)
		info = jv_object_set(info, ASL_LIT("roleArn"), jv_copy(a[2]));
	if (jv_is_valid(m)) {
		jv_free(m);
		m = asl_store_putf(api->store, info, 0,
		    "state-machine-info/%s.json%s", n, "");
	} else
		jv_free(info);
	if (jv_is_valid(m)) {
		jv_free(m);
		m = JV_OBJECT(ASL_LIT("updateDate"), api_now());
	}
out:
	jv_free(name);
	api_args_free(machine_args, a);
	return m;
}

static jv
op_delete_state_machine(struct asl_api *api, jv req)
{
	jv a[5], name, m = machine_of(api, req, a, &name), r = jv_object();
	const char *n = jv_string_value(name);

	if (jv_get_kind(name) != JV_KIND_STRING) {
		/* not an ARN */
		jv_free(r);
		r = m;
		m = jv_null();
	} else if (jv_is_valid(m)) {
		jv e = asl_store_remove(api->store, "state-machines/%s.json%s", n,
		    "");
		if (jv_is_valid(e)) {
			jv_free(e);
			jv_free(asl_store_remove(api->store,
			    "state-machine-info/%s.json%s", n, ""));
			e = asl_store_remove(api->store, "tags/%s-%s.json",
			    "stateMachine", n);
		}
		if (!jv_is_valid(e)) {
			jv_free(r);
			r = e;
		} else
			jv_free(e);
	}
	/* deleting what is not there is no error, as in AWS */
	jv_free(m);
	jv_free(name);
	api_args_free(machine_args, a);
	return r;
}

static const struct api_arg list_args[] = {
	{ "maxResults", JV_KIND_NUMBER, 0 },
	{ "nextToken", JV_KIND_STRING, 0 },
	{ NULL, 0, 0 }
};

/*
 * ListStateMachines ("state-machines") and ListActivities ("activities"):
 * each record with the keys of keys.
 */
static jv
list_records(struct asl_api *api, jv req, const char *dir, const char *key,
    const char *const *keys)
{
	jv a[2], r = api_args(req, list_args, a), names, list;
	int i;

	if (!jv_is_valid(r)) {
		api_args_free(list_args, a);
		return r;
	}
	jv_free(r);
	names = asl_store_list(api->store, dir);
	list = jv_array();
	jv_array_foreach(names, k, n) {
		jv rec = asl_store_read(api->store, "%s/%s.json", dir,
		    jv_string_value(n)), item = jv_object();
		jv_free(n);
		if (jv_get_kind(rec) != JV_KIND_OBJECT) {
			jv_free(rec);
			jv_free(item);
			continue;
		}
		for (i = 0; keys[i] != NULL; i++)
			item = jv_object_set(item, jv_string(keys[i]),
			    jv_object_get(jv_copy(rec), jv_string(keys[i])));
		list = jv_array_append(list, api_epoch_member(item,
		    "creationDate"));
		jv_free(rec);
		(void)k;
	}
	jv_free(names);
	return api_page(jv_object(), key, list, a[1], a[0], 100);
}

static jv
op_list_state_machines(struct asl_api *api, jv req)
{
	static const char *const keys[] = { "stateMachineArn", "name", "type",
	    "creationDate", NULL };

	return list_records(api, req, "state-machines", "stateMachines", keys);
}

static const struct api_arg validate_args[] = {
	{ "definition", JV_KIND_STRING, 1 },
	{ "type", JV_KIND_STRING, 0 },
	{ "severity", JV_KIND_STRING, 0 },
	{ "maxResults", JV_KIND_NUMBER, 0 },
	{ NULL, 0, 0 }
};

static jv
op_validate(struct asl_api *api, jv req)
{
	jv a[4], r = api_args(req, validate_args, a), def, diags;
	int flags = 0;
	const char *text;

	(void)api;
	if (!jv_is_valid(r)) {
		api_args_free(validate_args, a);
		return r;
	}
	jv_free(r);
	if (jv_get_kind(a[1]) == JV_KIND_STRING &&
	    strcmp(jv_string_value(a[1]), "EXPRESS") == 0)
		flags |= ASL_VALIDATE_EXPRESS;
	if (jv_get_kind(a[2]) == JV_KIND_STRING &&
	    strcmp(jv_string_value(a[2]), "WARNING") == 0)
		flags |= ASL_VALIDATE_WARNINGS;
	text = jv_string_value(a[0]);
	diags = asl_validate_text(text, strlen(text), ASL_FORMAT_JSON, flags,
	    &def);
	jv_free(def);
	api_args_free(validate_args, a);
	return asl_validate_response(diags);
}

/*
 * TestState: a Task without a mock runs through the server's resource map,
 * as AWS's runs it (the answer waits for it); payloads come back as text.
 * req is borrowed, as by every operation.
 */
static jv
op_test_state(struct asl_api *api, jv req)
{
	struct asl_resources *res;
	jv err, resp;

	res = asl_task_resources_new(jv_copy(api->resources), jv_null(), NULL,
	    NULL, api->path, &err);
	if (res == NULL) {
		resp = asl_error("InternalFailure", "%s", jv_string_value(err));
		jv_free(err);
		return resp;
	}
	resp = asl_teststate_run(jv_copy(req), asl_teststate_aws_task, res);
	asl_task_resources_free(res);
	return asl_teststate_aws_response(resp);
}

/* Activities. */

static const struct api_arg activity_args[] = {
	{ "name", JV_KIND_STRING, 0 },
	{ "activityArn", JV_KIND_STRING, 0 },
	{ "tags", JV_KIND_ARRAY, 0 },
	{ NULL, 0, 0 }
};

static jv
op_create_activity(struct asl_api *api, jv req)
{
	jv a[3], r = api_args(req, activity_args, a), t;

	if (jv_is_valid(r) && jv_get_kind(a[0]) != JV_KIND_STRING) {
		jv_free(r);
		r = api_invalid("1 validation error detected: Value null at "
		    "'name' failed to satisfy constraint: Member must not be "
		    "null");
	}
	if (jv_is_valid(r)) {
		jv_free(r);
		r = asl_activity_create(api->store, jv_string_value(a[0]));
	}
	if (jv_is_valid(r) && jv_get_kind(a[2]) == JV_KIND_ARRAY) {
		t = tags_add(api->store, "activity", jv_string_value(a[0]), a[2],
		    jv_null());
		if (!jv_is_valid(t)) {
			jv_free(r);
			r = t;
		} else
			jv_free(t);
	}
	if (jv_is_valid(r))
		r = api_epoch_member(jv_object_delete(r, ASL_LIT("name")),
		    "creationDate");
	api_args_free(activity_args, a);
	return r;
}

/* The activity the request's activityArn names: its record, and *name. */
static jv
activity_of(struct asl_api *api, jv req, jv *name)
{
	jv a[3], r = api_args(req, activity_args, a);

	*name = jv_null();
	if (jv_is_valid(r) && jv_get_kind(a[1]) != JV_KIND_STRING) {
		jv_free(r);
		r = api_invalid("1 validation error detected: Value null at "
		    "'activityArn' failed to satisfy constraint: Member must "
		    "not be null");
	}
	if (jv_is_valid(r)) {
		jv_free(r);
		*name = api_arn_name(jv_copy(a[1]), "activity");
		if (!jv_is_valid(*name)) {
			r = *name;
			*name = jv_null();
		} else {
			r = asl_store_read(api->store, "activities/%s.json%s",
			    jv_string_value(*name), "");
			if (jv_get_kind(r) != JV_KIND_OBJECT) {
				jv_free(r);
				r = asl_error("ActivityDoesNotExist", "Activity "
				    "Does Not Exist: '%s'", jv_string_value(a[1]));
			}
		}
	}
	api_args_free(activity_args, a);
	return r;
}

static jv
op_describe_activity(struct asl_api *api, jv req)
{
	jv name, r = activity_of(api, req, &name);

	jv_free(name);
	return jv_is_valid(r) ? api_epoch_member(r, "creationDate") : r;
}

static jv
op_delete_activity(struct asl_api *api, jv req)
{
	jv name, r = activity_of(api, req, &name);

	if (jv_is_valid(r)) {
		jv_free(r);
		r = asl_store_remove(api->store, "activities/%s.json%s",
		    jv_string_value(name), "");
		if (jv_is_valid(r)) {
			jv_free(r);
			jv_free(asl_store_remove(api->store, "tags/%s-%s.json",
			    "activity", jv_string_value(name)));
			r = jv_object();
		}
	} else if (jv_get_kind(name) == JV_KIND_STRING) {
		/* deleting what is not there is no error, as in AWS */
		jv_free(r);
		r = jv_object();
	}
	jv_free(name);
	return r;
}

static jv
op_list_activities(struct asl_api *api, jv req)
{
	static const char *const keys[] = { "activityArn", "name",
	    "creationDate", NULL };

	return list_records(api, req, "activities", "activities", keys);
}

/* The dispatch. */

static const struct api_op {
	const char	*name;
	jv		(*fn)(struct asl_api *, jv req);
} ops[] = {
	{ "CreateActivity", op_create_activity },
	{ "CreateStateMachine", op_create_state_machine },
	{ "DeleteActivity", op_delete_activity },
	{ "DeleteStateMachine", op_delete_state_machine },
	{ "DescribeActivity", op_describe_activity },
	{ "DescribeExecution", api_describe_execution },
	{ "DescribeMapRun", api_describe_map_run },
	{ "DescribeStateMachine", op_describe_state_machine },
	{ "DescribeStateMachineForExecution",
	    api_describe_machine_for_execution },
	{ "GetActivityTask", api_get_activity_task },
	{ "GetExecutionHistory", api_get_execution_history },
	{ "ListActivities", op_list_activities },
	{ "ListExecutions", api_list_executions },
	{ "ListMapRuns", api_list_map_runs },
	{ "ListStateMachines", op_list_state_machines },
	{ "ListTagsForResource", op_list_tags },
	{ "RedriveExecution", api_redrive_execution },
	{ "SendTaskFailure", api_send_task_failure },
	{ "SendTaskHeartbeat", api_send_task_heartbeat },
	{ "SendTaskSuccess", api_send_task_success },
	{ "StartExecution", NULL },
	{ "StartSyncExecution", NULL },
	{ "StopExecution", api_stop_execution },
	{ "TagResource", op_tag },
	{ "TestState", op_test_state },
	{ "UntagResource", op_untag },
	{ "UpdateMapRun", api_update_map_run },
	{ "UpdateStateMachine", op_update_state_machine },
	{ "ValidateStateMachineDefinition", op_validate },
};

jv
asl_api_call(struct asl_api *api, const char *op, jv req)
{
	size_t i;
	jv r;

	if (jv_get_kind(req) != JV_KIND_OBJECT) {
		jv_free(req);
		return asl_error("SerializationException", "the request body "
		    "is not a JSON object");
	}
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (strcmp(op, ops[i].name) != 0)
			continue;
		if (ops[i].fn != NULL)
			r = ops[i].fn(api, req);
		else
			r = api_start_execution(api, req,
			    strcmp(op, "StartSyncExecution") == 0);
		jv_free(req);
		return r;
	}
	jv_free(req);
	return asl_error("UnknownOperationException", "Unknown operation: "
	    "'%s'", op);
}

double
asl_api_wait(const char *op, jv answer)
{
	jv v;
	double w = 0;

	if (strcmp(op, "GetActivityTask") == 0) {
		v = jv_object_get(jv_copy(answer), ASL_LIT("taskToken"));
		w = jv_get_kind(v) == JV_KIND_STRING ? 0 : 60;
	} else if (strcmp(op, "StartSyncExecution") == 0) {
		v = jv_object_get(jv_copy(answer), ASL_LIT("status"));
		/* an Express execution lasts 5 minutes at most */
		w = jv_get_kind(v) == JV_KIND_STRING &&
		    strcmp(jv_string_value(v), "RUNNING") == 0 ? 300 : 0;
	} else
		return 0;
	jv_free(v);
	return w;
}

jv
asl_api_again(struct asl_api *api, const char *op, jv req, jv answer)
{
	jv name;

	if (strcmp(op, "GetActivityTask") == 0) {
		jv_free(answer);
		return api_get_activity_task(api, req);
	}
	name = jv_object_get(answer, ASL_LIT("name"));
	answer = api_sync_answer(api, jv_string_value(name));
	jv_free(name);
	return answer;
}

int
asl_api_status(jv e)
{
	const char *n = asl_error_name(e);

	if (strncmp(n, "States.", 7) == 0 || strncmp(n, "Asl.", 4) == 0 ||
	    strcmp(n, "InternalFailure") == 0)
		return 500;
	if (strcmp(n, "RequestEntityTooLargeException") == 0)
		return 413;
	return 400;
}

jv
asl_api_error_document(jv e)
{
	const char *n = asl_error_name(e);
	jv r;

	/* the engine's own failures are the service's internal ones */
	r = JV_OBJECT(ASL_LIT("__type"), jv_string(strncmp(n, "States.", 7) ==
	    0 || strncmp(n, "Asl.", 4) == 0 ? "InternalFailure" : n),
	    ASL_LIT("message"), jv_string(asl_error_cause(e)));
	jv_free(e);
	return r;
}
