/*
 * asl_definition.c - the one loader of definitions (asl_definition.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl.h"
#include "asl_definition.h"
#include "asl_machine.h"
#include "asl_normalize.h"
#include "asl_store.h"
#include "asl_validate.h"

void
asl_definition_init(struct asl_definition *d)
{
	memset(d, 0, sizeof *d);
	d->doc = jv_null();
	d->name = jv_null();
	d->diagnostics = jv_array();
}

void
asl_definition_release(struct asl_definition *d)
{
	jv_free(d->doc);
	jv_free(d->name);
	jv_free(d->diagnostics);
	asl_machine_free(d->machine);
	/* as after init, but holding nothing (init's empty array is owned) */
	memset(d, 0, sizeof *d);
	d->doc = d->name = d->diagnostics = jv_null();
}

jv
asl_definition_name_of(const char *path)
{
	static const char *const exts[] = { ".asl.json", ".asl.yaml",
	    ".asl.yml", ".json", ".yaml", ".yml" };
	const char *base = strrchr(path, '/');
	size_t len, i, n;
	jv name;
	char *p;

	base = base != NULL ? base + 1 : path;
	len = strlen(base);
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		n = strlen(exts[i]);
		if (len > n && strcmp(base + len - n, exts[i]) == 0) {
			len -= n;
			break;
		}
	}
	if ((p = strndup(base, len)) == NULL)
		return ASL_LIT("asl");
	/* keep it a valid name: anything AWS refuses becomes '-' */
	for (i = 0; p[i] != '\0'; i++)
		if ((unsigned char)p[i] <= 0x20 ||
		    strchr("<>{}[]?*\"#%\\^|~`$&,;:/", p[i]) != NULL)
			p[i] = '-';
	name = jv_string(*p != '\0' ? p : "asl");
	free(p);
	return name;
}

/* A lone state (as TestState takes one) rather than a state machine. */
static int
lone_state(jv doc)
{
	return jv_get_kind(doc) == JV_KIND_OBJECT &&
	    !jv_object_has(jv_copy(doc), ASL_LIT("States")) &&
	    jv_object_has(jv_copy(doc), ASL_LIT("Type"));
}

static int
validate_flags(int flags, int lone)
{
	return (flags & ASL_DEFINITION_EXPRESS ? ASL_VALIDATE_EXPRESS : 0) |
	    (flags & ASL_DEFINITION_WARNINGS ? ASL_VALIDATE_WARNINGS : 0) |
	    (lone ? ASL_VALIDATE_STATE : 0);
}

/* An InvalidDefinition error with the lines text (consumed) as cause. */
static jv
invalid(jv lines)
{
	int len = jv_string_length_bytes(jv_copy(lines));
	jv r;

	/* one cause, one line per problem, no trailing newline */
	while (len > 0 && jv_string_value(lines)[len - 1] == '\n')
		len--;
	r = asl_error("InvalidDefinition", "%.*s", len, jv_string_value(lines));
	jv_free(lines);
	return r;
}

/*
 * The end of every load: d->doc is valid; normalize and compile it as
 * flags say.
 */
static int
finish(struct asl_definition *d, int flags, jv *err)
{
	jv errs, doc, first, p, msg;

	if (!(flags & ASL_DEFINITION_RAW) && !(flags & ASL_DEFINITION_TRUSTED))
		d->doc = asl_normalize(d->doc, d->lone ? ASL_NORMALIZE_STATE :
		    0);
	if (!(flags & ASL_DEFINITION_COMPILE))
		return 0;
	doc = jv_copy(d->doc);
	if (d->lone)
		doc = asl_machine_wrap_state(doc, d->state_name != NULL ?
		    d->state_name : ASL_DEFINITION_STATE_NAME);
	d->machine = asl_machine_load(doc, d->lone ? ASL_MACHINE_LENIENT : 0,
	    &errs);
	if (d->machine != NULL)
		return 0;
	/* what validation let through and compiling refused */
	first = jv_array_get(errs, 0);
	p = jv_object_get(jv_copy(first), ASL_LIT("pointer"));
	msg = jv_object_get(first, ASL_LIT("message"));
	*err = asl_error("InvalidDefinition", "%s: %s", jv_string_value(p),
	    jv_string_value(msg));
	jv_free(p);
	jv_free(msg);
	return -1;
}

/* The lone-state rule of flags for doc (borrowed). */
static int
is_lone(jv doc, int flags)
{
	return (flags & ASL_DEFINITION_STATE) ||
	    ((flags & ASL_DEFINITION_ANY) && lone_state(doc));
}

int
asl_definition_parse(struct asl_definition *d, const char *name,
    const char *text, size_t len, enum asl_format format, int flags, jv *err)
{
	jv doc, problems, diags;
	int syntax;

	/*
	 * Most definitions are sound: parse and check them without noting
	 * where every node is, and only when something must be told, again
	 * with the places.
	 */
	doc = asl_doc_parse(text, len, format, NULL, &problems);
	if (jv_is_valid(doc) && (flags & ASL_DEFINITION_TRUSTED)) {
		jv_free(problems);
		d->lone = is_lone(doc, flags);
		jv_free(d->doc);
		d->doc = doc;
		return finish(d, flags, err);
	}
	if (jv_is_valid(doc) && jv_array_length(jv_copy(problems)) == 0) {
		jv_free(problems);
		d->lone = is_lone(doc, flags);
		diags = asl_validate(jv_copy(doc), jv_null(), jv_array(),
		    validate_flags(flags, d->lone));
		if (jv_array_length(jv_copy(diags)) == 0) {
			jv_free(d->diagnostics);
			d->diagnostics = diags;
			jv_free(d->doc);
			d->doc = doc;
			return finish(d, flags, err);
		}
		jv_free(diags);
	} else
		jv_free(problems);
	/* the slow way, positions and all */
	if (jv_is_valid(doc))
		d->lone = is_lone(doc, flags);
	jv_free(doc);
	jv_free(d->diagnostics);
	d->diagnostics = asl_validate_text(text, len, format,
	    validate_flags(flags, d->lone), &doc);
	if (!asl_validate_failed(d->diagnostics)) {
		jv_free(d->doc);
		d->doc = doc;
		return finish(d, flags, err);
	}
	/* not JSON or YAML at all (a blank text is invalid, not that) */
	syntax = 0;
	if (!jv_is_valid(doc)) {
		jv code = jv_object_get(jv_array_get(jv_copy(d->diagnostics),
		    0), ASL_LIT("code"));
		syntax = jv_get_kind(code) == JV_KIND_STRING &&
		    strcmp(jv_string_value(code), "INVALID_JSON_DESCRIPTION") ==
		    0;
		jv_free(code);
	}
	jv_free(doc);
	d->syntax = syntax;
	*err = invalid(asl_validate_lines(name, jv_copy(d->diagnostics),
	    syntax));
	return -1;
}

int
asl_definition_load(struct asl_definition *d, const struct asl_store *st,
    const char *arg, enum asl_format format, int flags, jv *err)
{
	int stdin_ = strcmp(arg, "-") == 0, r;
	const char *name = stdin_ ? "<stdin>" : arg;
	char *text;
	size_t len;
	jv m, e, t;

	if ((flags & ASL_DEFINITION_REGISTERED) && st != NULL && !stdin_ &&
	    access(arg, F_OK) != 0) {
		m = asl_store_get_machine(st, arg);
		if (!jv_is_valid(m)) {
			e = asl_error_object(m);
			if (strcmp(asl_error_name(e), "StateMachineDoesNotExist")
			    == 0) {
				jv_free(e);
				*err = asl_error("StateMachineDoesNotExist", "'%s' "
				    "is neither a file nor a registered state "
				    "machine", arg);
			} else
				*err = jv_invalid_with_msg(e);
			return -1;
		}
		/* registered definitions were validated and normalized */
		t = jv_object_get(jv_copy(m), ASL_LIT("type"));
		d->express = jv_get_kind(t) == JV_KIND_STRING &&
		    strcmp(jv_string_value(t), "EXPRESS") == 0;
		jv_free(t);
		jv_free(d->name);
		d->name = jv_object_get(jv_copy(m), ASL_LIT("name"));
		return asl_definition_value(d, jv_object_get(m,
		    ASL_LIT("definition")), flags | ASL_DEFINITION_TRUSTED, err);
	}
	if ((text = asl_read_all(arg, 0, &len)) == NULL) {
		d->io = 1;
		*err = asl_error("States.Runtime", "%s: %s", name,
		    strerror(errno));
		return -1;
	}
	if (format == ASL_FORMAT_AUTO && !stdin_)
		format = asl_doc_format(arg);
	d->express = (flags & ASL_DEFINITION_EXPRESS) != 0;
	jv_free(d->name);
	d->name = asl_definition_name_of(stdin_ ? "stdin" : arg);
	r = asl_definition_parse(d, name, text, len, format, flags, err);
	free(text);
	return r;
}

int
asl_definition_value(struct asl_definition *d, jv doc, int flags, jv *err)
{
	jv lines;

	d->lone = is_lone(doc, flags);
	jv_free(d->doc);
	d->doc = doc;
	if (jv_get_kind(d->name) != JV_KIND_STRING) {
		jv_free(d->name);
		d->name = ASL_LIT("asl");
	}
	if (flags & ASL_DEFINITION_TRUSTED)
		return finish(d, flags, err);
	jv_free(d->diagnostics);
	d->diagnostics = asl_validate(jv_copy(d->doc), jv_null(), jv_array(),
	    validate_flags(flags, d->lone));
	if (!asl_validate_failed(d->diagnostics))
		return finish(d, flags, err);
	/* no text, no positions: "LOCATION: MESSAGE" */
	lines = ASL_LIT("");
	jv_array_foreach(d->diagnostics, i, x) {
		jv sev = jv_object_get(jv_copy(x), ASL_LIT("severity"));
		jv loc = jv_object_get(jv_copy(x), ASL_LIT("location"));
		jv msg = jv_object_get(x, ASL_LIT("message"));
		if (strcmp(jv_string_value(sev), "ERROR") == 0)
			lines = jv_string_concat(lines, jv_string_fmt("%s: %s\n",
			    jv_get_kind(loc) == JV_KIND_STRING ?
			    jv_string_value(loc) : "/", jv_string_value(msg)));
		jv_free(sev);
		jv_free(loc);
		jv_free(msg);
		(void)i;
	}
	*err = invalid(lines);
	return -1;
}
