/*
 * asl_validate.c - the validator's core: the walk over machines and their
 * scopes, the graph checks of each scope, the reports and their
 * locations, and the public calls (asl_validate.h).
 *
 * The checks are those CreateStateMachine and
 * ValidateStateMachineDefinition make, with AWS's codes, messages and
 * locations where they are known.  Where the messages come from: the
 * recorded cases of the conformance corpus
 * (../shared/conformance/cases/validation) and AWS's answers quoted in
 * public issues (the floci emulator's measurements: "These fields are
 * required: [...]", "Field 'X' is not supported", "There should only be
 * one of the following fields: [...]", "Missing 'Next' target: X",
 * "State \"X\" is not reachable.", "Workflow has no terminal state", the
 * QueryLanguage messages, "Value is not a Reference Path", "Minimum value
 * is 0").  Where AWS's wording is unknown the message says plainly what is
 * wrong in the same style.
 *
 * The walk: a machine (the definition, a Parallel branch, a Map
 * processor) is a scope; its states are checked field by field
 * (asl_validate_state.c, with the checks of values in
 * asl_validate_value.c and of Retry, Catch and Choice rules in
 * asl_validate_rule.c), the transitions of each scope are collected as
 * edges, and the graph checks (targets, terminal state, reachability)
 * run when the scope is done.  Almost every definition is valid: what a
 * report needs (a pointer, a location, a message) is made only when one
 * is made.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_doc.h"
#include "asl_json.h"
#include "asl_utf8.h"
#include "asl_validate.h"
#include "asl_validate_int.h"

/* The JSON Pointer of a node: "" for the root, "/States/A~1B/Next". */
jv
vd_pointer(const struct at *at)
{
	char idx[24];

	if (at->up == NULL)
		return ASL_LIT("");
	if (at->key != NULL)
		return asl_json_pointer_append(vd_pointer(at->up), at->key);
	snprintf(idx, sizeof idx, "%d", at->index);
	return asl_json_pointer_append(vd_pointer(at->up), idx);
}

/*
 * The validator's tables are C arrays: jq's objects cost hundreds of
 * instructions a lookup.  Like jq's allocator, a failed allocation
 * aborts.
 */
static void *
grow(void *p, int *cap, int min, size_t size)
{
	int n = *cap > 0 ? *cap * 2 : min;

	if ((p = realloc(p, (size_t)n * size)) == NULL)
		abort();
	*cap = n;
	return p;
}

/* FNV-1a */
static unsigned
name_hash(const char *s, int len)
{
	unsigned h = 2166136261u;
	int i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The index of the name s (len bytes) in t, or -1. */
static int
names_find(const struct names *t, const char *s, int len)
{
	unsigned i;
	int k;

	if (t->nslots == 0)
		return -1;
	for (i = name_hash(s, len) & (unsigned)(t->nslots - 1);
	    (k = t->slots[i]) != 0; i = (i + 1) & (unsigned)(t->nslots - 1))
		if (t->v[k - 1].len == len && memcmp(t->v[k - 1].s, s,
		    (size_t)len) == 0)
			return k - 1;
	return -1;
}

static void
names_slot(struct names *t, int k)
{
	const struct name *nm = &t->v[k];
	unsigned i;

	for (i = name_hash(nm->s, nm->len) & (unsigned)(t->nslots - 1);
	    t->slots[i] != 0; i = (i + 1) & (unsigned)(t->nslots - 1))
		;
	t->slots[i] = k + 1;
}

/* Add the name s (len bytes, not in t yet); returns its index. */
static int
names_add(struct names *t, const char *s, int len)
{
	int k;

	if (t->n == t->cap)
		t->v = grow(t->v, &t->cap, 16, sizeof *t->v);
	t->v[t->n].s = s;
	t->v[t->n].len = len;
	if (2 * (t->n + 1) > t->nslots) {
		free(t->slots);
		t->nslots = t->nslots > 0 ? 2 * t->nslots : 32;
		if ((t->slots = calloc((size_t)t->nslots, sizeof *t->slots)) ==
		    NULL)
			abort();
		for (k = 0; k < t->n; k++)
			names_slot(t, k);
	}
	names_slot(t, t->n);
	return t->n++;
}

static void
names_free(struct names *t)
{
	free(t->v);
	free(t->slots);
}

/* The length of a string jv (borrowed), which may hold NULs. */
static int
length_of(jv s)
{
	return jv_string_length_bytes(jv_copy(s));
}

/*
 * Whether a key (borrowed) is all of its C string, without a NUL: a key
 * is checked as far as its first NUL, but looked up whole.
 */
int
vd_whole(jv key)
{
	return length_of(key) == (int)strlen(jv_string_value(key));
}

/* One step of a JSON Pointer, "~1" and "~0" undone. */
static jv
unescape(const char *seg)
{
	jv out = ASL_LIT("");
	const char *p;

	for (p = seg; *p != '\0' && *p != '/'; p++) {
		if (*p == '~' && (p[1] == '0' || p[1] == '1')) {
			out = jv_string_append_str(out, p[1] == '0' ? "~" :
			    "/");
			p++;
		} else
			out = jv_string_append_buf(out, p, 1);
	}
	return out;
}

/*
 * The location AWS would print for a pointer: the same steps, with array
 * indexes as "[0]" and names unescaped ("/States/C/Choices[0]/Next").
 */
static jv
aws_location(jv root, const char *ptr)
{
	jv loc = ASL_LIT(""), cur = jv_copy(root), seg, next;
	const char *p = ptr;

	while (*p == '/') {
		p++;
		seg = unescape(p);
		p += strcspn(p, "/");
		if (jv_get_kind(cur) == JV_KIND_ARRAY) {
			loc = jv_string_append_str(loc, "[");
			loc = jv_string_append_str(loc, jv_string_value(seg));
			loc = jv_string_append_str(loc, "]");
			next = jv_array_get(cur, atoi(jv_string_value(seg)));
		} else {
			loc = jv_string_append_str(loc, "/");
			loc = jv_string_append_str(loc, jv_string_value(seg));
			if (jv_get_kind(cur) == JV_KIND_OBJECT)
				next = jv_object_get(cur, jv_copy(seg));
			else {
				jv_free(cur);
				next = jv_invalid();
			}
		}
		jv_free(seg);
		if (jv_is_valid(next))
			cur = next;
		else {
			jv_free(next);
			cur = jv_null();
		}
	}
	jv_free(cur);
	if (jv_string_length_bytes(jv_copy(loc)) == 0)
		loc = jv_string_append_str(loc, "/");
	return loc;
}

/* The position of ptr, or of its nearest ancestor the map knows. */
static jv
position(struct v *v, jv ptr)
{
	jv pos = jv_invalid(), parent;
	const char *s;

	while (jv_get_kind(v->where) == JV_KIND_OBJECT) {
		jv_free(pos);
		pos = jv_object_get(jv_copy(v->where), jv_copy(ptr));
		s = jv_string_value(ptr);
		if (jv_is_valid(pos) || *s == '\0')
			break;
		parent = jv_string_sized(s, (int)(strrchr(s, '/') - s));
		jv_free(ptr);
		ptr = parent;
	}
	jv_free(ptr);
	if (jv_is_valid(pos))
		return pos;
	jv_free(pos);
	return jv_null();
}

/*
 * Report a diagnostic.  loc is the pointer AWS reports it at (jv_null()
 * for none), at the pointer whose position is shown (jv_null(): loc's);
 * detail is jv_null() or a string.  All are consumed.
 */
void
vd_report(struct v *v, const char *severity, const char *code, jv loc, jv at,
    jv msg, jv detail)
{
	jv d = jv_object(), pos;

	if (jv_get_kind(at) == JV_KIND_NULL) {
		jv_free(at);
		at = jv_get_kind(loc) == JV_KIND_STRING ? jv_copy(loc) :
		    ASL_LIT("");
	}
	d = jv_object_set(d, ASL_LIT("severity"), jv_string(severity));
	d = jv_object_set(d, ASL_LIT("code"), jv_string(code));
	d = jv_object_set(d, ASL_LIT("message"), msg);
	if (jv_get_kind(loc) == JV_KIND_STRING)
		d = jv_object_set(d, ASL_LIT("location"),
		    aws_location(v->root, jv_string_value(loc)));
	jv_free(loc);
	d = jv_object_set(d, ASL_LIT("pointer"), jv_copy(at));
	pos = position(v, at);
	if (jv_get_kind(pos) == JV_KIND_ARRAY) {
		d = jv_object_set(d, ASL_LIT("line"),
		    jv_array_get(jv_copy(pos), 0));
		d = jv_object_set(d, ASL_LIT("column"), jv_array_get(pos, 1));
	} else
		jv_free(pos);
	if (jv_get_kind(detail) == JV_KIND_STRING)
		d = jv_object_set(d, ASL_LIT("detail"), detail);
	else
		jv_free(detail);
	if (strcmp(severity, "ERROR") == 0)
		v->diags = jv_array_append(v->diags, d);
	else
		v->warnings = jv_array_append(v->warnings, d);
}

/* The pointer of a node, or null for none. */
static jv
pointer_or_null(const struct at *at)
{
	return at != NULL ? vd_pointer(at) : jv_null();
}

/*
 * A SCHEMA_VALIDATION_FAILED error at loc (NULL: none), shown at at
 * (NULL: at loc).
 */
void
vd_error(struct v *v, const struct at *loc, const struct at *at,
    const char *fmt, ...)
{
	va_list ap;
	jv msg;

	va_start(ap, fmt);
	msg = jv_string_vfmt(fmt, ap);
	va_end(ap);
	vd_report(v, "ERROR", SCHEMA, pointer_or_null(loc), pointer_or_null(at),
	    msg, jv_null());
}

/* A WARNING, when they are asked for: the same, with its own code. */
void
vd_warning(struct v *v, const char *code, const struct at *loc,
    const struct at *at, const char *fmt, ...)
{
	va_list ap;
	jv msg;

	if (!(v->flags & ASL_VALIDATE_WARNINGS))
		return;
	va_start(ap, fmt);
	msg = jv_string_vfmt(fmt, ap);
	va_end(ap);
	vd_report(v, "WARNING", code, pointer_or_null(loc), pointer_or_null(at),
	    msg, jv_null());
}

/*
 * [O] A field of the other query language, reported at the object that
 * has it (loc), shown at the field (at).
 */
void
vd_wrong_language(struct v *v, const struct at *loc, const struct at *at,
    int lang, const char *field)
{
	vd_error(v, loc, at, "The QueryLanguage is set to '%s', but field '%s' "
	    "is only supported for the '%s' QueryLanguage", lang == JA ?
	    "JSONata" : "JSONPath", field, lang == JA ? "JSONPath" : "JSONata");
}

/*
 * A transition to target (borrowed) at kp: the current state's Next or
 * Default, or the Next of one of its Catch or Choices.  What is kept is
 * where it is, not its pointer, which is made only if the target is
 * missing.
 */
void
vd_add_edge(struct scope *sc, jv target, const struct at *kp)
{
	struct edge *e;

	if (jv_get_kind(target) != JV_KIND_STRING)
		return;
	if (sc->nedges == sc->capedges)
		sc->edges = grow(sc->edges, &sc->capedges, 16, sizeof *e);
	e = &sc->edges[sc->nedges++];
	e->from = sc->current;
	e->to = -1;
	e->target = jv_string_value(target);
	e->len = length_of(target);
	if (kp->up->up != NULL && kp->up->key == NULL) {
		/* Catch/0/Next, Choices/0/Next */
		e->field = kp->up->up->key;
		e->index = kp->up->index;
	} else {
		e->field = kp->key;
		e->index = -1;
	}
}

/* The pointer of an edge of sc, whose States are at sptr. */
static jv
edge_pointer(const struct scope *sc, const struct edge *e,
    const struct at *sptr)
{
	const struct at *f = AT(AT(sptr, sc->names.v[e->from].s), e->field);

	if (e->index < 0)
		return vd_pointer(f);
	return vd_pointer(AT(AT_INDEX(f, e->index), "Next"));
}

/*
 * Whose transitions those of state from are, for reachability: a state's
 * are found by its name as far as its first NUL, as they always were.  A
 * name with a NUL in it has none, and its own go to the state named by
 * what comes before the NUL, if there is one (-1 if not).
 */
static int
transitions_of(const struct scope *sc, int from)
{
	const struct name *nm = &sc->names.v[from];
	int len = (int)strlen(nm->s);

	return len == nm->len ? from : names_find(&sc->names, nm->s, len);
}

/* Which states of sc StartAt (index start) reaches, into seen. */
static void
reachable(const struct scope *sc, int start, char *seen)
{
	const struct edge *e;
	int *first, *succ, *queue, n = sc->names.n, head, tail, i, g, k;

	if ((first = calloc((size_t)n + 1, sizeof *first)) == NULL ||
	    (succ = malloc(((size_t)sc->nedges + 1) * sizeof *succ)) == NULL ||
	    (queue = malloc((size_t)n * sizeof *queue)) == NULL)
		abort();
	/* the edges by the state they leave, as the rows of a matrix */
	for (e = sc->edges; e != NULL && e < sc->edges + sc->nedges; e++)
		if (e->to >= 0 && (g = transitions_of(sc, e->from)) >= 0)
			first[g + 1]++;
	for (i = 0; i < n; i++)
		first[i + 1] += first[i];
	for (e = sc->edges; e != NULL && e < sc->edges + sc->nedges; e++)
		if (e->to >= 0 && (g = transitions_of(sc, e->from)) >= 0)
			succ[first[g]++] = e->to;
	for (i = n; i > 0; i--)
		first[i] = first[i - 1];
	first[0] = 0;
	head = tail = 0;
	seen[start] = 1;
	queue[tail++] = start;
	while (head < tail) {
		i = queue[head++];
		for (k = first[i]; k < first[i + 1]; k++)
			if (!seen[succ[k]]) {
				seen[succ[k]] = 1;
				queue[tail++] = succ[k];
			}
	}
	free(first);
	free(succ);
	free(queue);
}

/* The graph of one scope: targets, a terminal state, reachability. */
static void
check_graph(struct v *v, struct scope *sc, jv m, const struct at *ptr,
    int top)
{
	const struct at *sptr = AT(ptr, "States");
	jv start = vd_get(m, "StartAt");
	struct edge *e;
	char *seen;
	int i, first = -1;

	if (jv_get_kind(sc->states) != JV_KIND_OBJECT) {
		jv_free(start);
		return;
	}
	if (jv_get_kind(start) == JV_KIND_STRING && (first =
	    names_find(&sc->names, jv_string_value(start), length_of(start))) <
	    0)
		vd_report(v, "ERROR", TARGET, vd_pointer(AT(ptr, "StartAt")),
		    jv_null(), jv_string_fmt("Missing 'Next' target: %s",
		    jv_string_value(start)), jv_null());
	for (i = 0; i < sc->nedges; i++) {
		e = &sc->edges[i];
		if ((e->to = names_find(&sc->names, e->target, e->len)) < 0)
			vd_report(v, "ERROR", TARGET, edge_pointer(sc, e, sptr),
			    jv_null(), jv_string_fmt("Missing 'Next' target: "
			    "%s", e->target), jv_null());
	}
	/* [O] without a StartAt AWS reports the missing field alone. */
	if (sc->names.n == 0 || jv_get_kind(start) != JV_KIND_STRING) {
		jv_free(start);
		return;
	}
	jv_free(start);
	/*
	 * A state of unknown type or with a bad End would make what follows
	 * a cascade of consequences of one mistake already reported.
	 */
	if (sc->unknown)
		return;
	if (!sc->has_terminal) {
		/* [O] AWS gives no location for the machine's own. */
		vd_report(v, "ERROR", "MISSING_END_STATE", top ? jv_null() :
		    vd_pointer(ptr), top ? vd_pointer(sptr) : jv_null(),
		    ASL_LIT("Workflow has no terminal state"), jv_null());
		return;
	}
	if ((seen = calloc((size_t)sc->names.n, 1)) == NULL)
		abort();
	if (first >= 0)
		reachable(sc, first, seen);
	for (i = 0; i < sc->names.n; i++)
		if (!seen[i])
			vd_report(v, "ERROR", TARGET, vd_pointer(AT(sptr,
			    sc->names.v[i].s)), jv_null(),
			    jv_string_fmt("State \"%s\" is not reachable.",
			    sc->names.v[i].s), jv_null());
	free(seen);
}

/*
 * A machine: the definition (field NULL), a Parallel branch or a Map's
 * ItemProcessor or Iterator.  Consumes m; borrows ptr.
 */
void
vd_check_machine(struct v *v, jv m, const struct at *ptr, const char *field)
{
	struct scope sc;
	const struct at *sptr;
	jv states;
	int top = field == NULL;

	if (!vd_has(m, "States") || !vd_has(m, "StartAt"))
		vd_error(v, ptr, NULL, "These fields are required: [%s]",
		    !vd_has(m, "States") && !vd_has(m, "StartAt") ? "States, "
		    "StartAt" : vd_has(m, "States") ? "StartAt" : "States");
	jv_object_foreach(m, k, x) {
		const char *ks = jv_string_value(k);
		const struct at *kp = AT(ptr, ks);
		if (strcmp(ks, "StartAt") == 0 || strcmp(ks, "Comment") == 0 ||
		    (top && strcmp(ks, "Version") == 0))
			vd_want_kind(v, x, kp, ks, JV_KIND_STRING);
		else if (strcmp(ks, "States") == 0)
			vd_want_kind(v, x, kp, ks, JV_KIND_OBJECT);
		else if (top && strcmp(ks, "TimeoutSeconds") == 0)
			vd_want_int(v, x, kp, ks, 1, MAX_INT, JP);
		else if (top && strcmp(ks, "QueryLanguage") == 0) {
			if (vd_want_kind(v, x, kp, ks, JV_KIND_STRING) &&
			    strcmp(jv_string_value(x), "JSONPath") != 0 &&
			    strcmp(jv_string_value(x), "JSONata") != 0)
				vd_error(v, kp, NULL, "Value must be one of "
				    "[JSONPath, JSONata]");
		} else if (field != NULL && strcmp(ks,
		    "ProcessorConfig") == 0 && strcmp(field, "Branches") != 0)
			;	/* checked by check_processor */
		else
			vd_error(v, ptr, kp, "Field '%s' is not supported", ks);
		jv_free(k);
		jv_free(x);
	}

	states = vd_get(m, "States");
	memset(&sc, 0, sizeof sc);
	sc.states = jv_get_kind(states) == JV_KIND_OBJECT ? states :
	    (jv_free(states), jv_null());
	sptr = AT(ptr, "States");
	if (jv_get_kind(sc.states) == JV_KIND_OBJECT) {
		jv_object_foreach(sc.states, k, x) {
			const char *name = jv_string_value(k);
			const struct at *np = AT(sptr, name);
			int len = length_of(k);

			if (*name == '\0' || asl_utf8_count(name, strlen(name)) > MAX_NAME)
				vd_report(v, "ERROR", "INVALID_STATE_NAME",
				    vd_pointer(np), jv_null(),
				    jv_string_fmt("State name '%s' must be 1 "
				    "to %d characters long", name, MAX_NAME),
				    jv_null());
			if (names_find(&v->names, name, len) >= 0)
				vd_report(v, "ERROR", "DUPLICATE_STATE_NAME",
				    vd_pointer(np), jv_null(),
				    jv_string_fmt("Duplicate State name: %s",
				    name), jv_null());
			else
				names_add(&v->names, name, len);
			sc.current = names_add(&sc.names, name, len);
			vd_check_state(v, &sc, name, x, np);
			jv_free(k);
			jv_free(x);
		}
	}
	if (!(v->flags & ASL_VALIDATE_STATE))
		check_graph(v, &sc, m, ptr, top);
	jv_free(sc.states);
	names_free(&sc.names);
	free(sc.edges);
	jv_free(m);
}

jv
asl_validate(jv def, jv where, jv problems, int flags)
{
	struct v v;
	struct scope sc;
	const struct at root = { NULL, NULL, 0 };
	jv ql, out, ptr, name;
	const char *s, *slash;

	memset(&v, 0, sizeof v);
	v.root = def;
	v.where = where;
	v.diags = jv_array();
	v.warnings = jv_array();
	v.flags = flags;
	v.labels = jv_null();		/* made when first needed */
	v.state_ptrs = jv_null();
	v.want_state_ptrs = jv_get_kind(problems) == JV_KIND_ARRAY &&
	    jv_array_length(jv_copy(problems)) > 0;
	v.top_lang = JP;

	if (jv_get_kind(def) != JV_KIND_OBJECT)
		vd_report(&v, "ERROR", SCHEMA, jv_null(), jv_null(),
		    ASL_LIT("Definition must be a valid JSON object"),
		    jv_null());
	else if (flags & ASL_VALIDATE_STATE) {
		memset(&sc, 0, sizeof sc);
		sc.states = jv_null();
		sc.current = -1;
		vd_check_state(&v, &sc, "", def, &root);
		free(sc.edges);
	} else {
		ql = vd_get(def, "QueryLanguage");
		if (jv_get_kind(ql) == JV_KIND_STRING &&
		    strcmp(jv_string_value(ql), "JSONata") == 0)
			v.top_lang = JA;
		jv_free(ql);
		vd_check_machine(&v, jv_copy(def), &root, NULL);
	}

	/*
	 * Duplicate keys, first: a state given twice is DUPLICATE_STATE_NAME;
	 * any other key given twice is a JSON problem (AWS's parser would
	 * not take it).  The last one given is the one checked above.
	 */
	out = v.diags;
	v.diags = jv_array();
	if (jv_get_kind(problems) == JV_KIND_ARRAY) {
		jv_array_foreach(problems, i, pr) {
			ptr = jv_object_get(pr, ASL_LIT("pointer"));
			s = jv_string_value(ptr);
			slash = strrchr(s, '/');
			name = unescape(slash != NULL ? slash + 1 : s);
			if (vd_has(v.state_ptrs, s))
				vd_report(&v, "ERROR", "DUPLICATE_STATE_NAME",
				    jv_copy(ptr), jv_null(),
				    jv_string_fmt("Duplicate State name: %s",
				    jv_string_value(name)), jv_null());
			else
				vd_report(&v, "ERROR",
				    "INVALID_JSON_DESCRIPTION", jv_copy(ptr),
				    jv_null(), jv_string_fmt( "Duplicate field "
				    "'%s'", jv_string_value(name)), jv_null());
			jv_free(name);
			jv_free(ptr);
			(void)i;
		}
	}
	out = jv_array_concat(v.diags, out);
	jv_free(problems);
	names_free(&v.names);
	jv_free(v.labels);
	jv_free(v.state_ptrs);
	jv_free(v.root);
	jv_free(v.where);
	return jv_array_concat(out, v.warnings);
}

/*
 * Where AWS's JSON parser (Jackson) would say a syntax error is:
 * "[Source: (String)"TEXT"; line: 1, column: 4]", the text cut at 500
 * characters.  Jackson reads a whole bad token before it complains, so
 * its column is after the token, not at its start.
 */
static jv
jackson_location(const char *text, size_t len, int line, int *column,
    int token)
{
	const char *p = text;
	int l = 1;
	jv loc;

	while (l < line && (p = memchr(p, '\n', len - (size_t)(p - text))) !=
	    NULL) {
		p++;
		l++;
	}
	if (token && p != NULL && (size_t)(p - text) + (size_t)*column - 1 <
	    len) {
		p += *column - 1;
		while ((size_t)(p - text) < len && ((*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '$')) {
			p++;
			++*column;
		}
	}
	loc = ASL_LIT("[Source: (String)\"");
	loc = jv_string_append_buf(loc, text, len > 500 ? 500 : (int)len);
	loc = jv_string_append_str(loc, "\"");
	if (len > 500)
		loc = jv_string_concat(loc, jv_string_fmt("[truncated %zu "
		    "chars]", len - 500));
	return jv_string_concat(loc, jv_string_fmt("; line: %d, column: %d]",
	    line, *column));
}

/* The start of line number line (1-based) of text. */
static const char *
line_start(const char *text, size_t len, int line)
{
	const char *p = text, *nl;

	while (--line > 0 && (nl = memchr(p, '\n', len - (size_t)(p - text))) !=
	    NULL)
		p = nl + 1;
	return p;
}

jv
asl_validate_text(const char *text, size_t len, enum asl_format format,
    int flags, jv *def)
{
	jv where, problems, v, err, msg, loc, d;
	int line, column, start;
	size_t i;

	for (i = 0; i < len && (text[i] == ' ' || text[i] == '\t' ||
	    text[i] == '\n' || text[i] == '\r'); i++)
		;
	if (i == len) {
		/* [O] AWS's answer to a blank definition */
		*def = jv_invalid();
		return JV_ARRAY(JV_OBJECT(ASL_LIT("severity"),
		    ASL_LIT("ERROR"), ASL_LIT("code"), jv_string(SCHEMA),
		    ASL_LIT("message"), jv_string("Definition must be a "
		    "valid JSON object"), ASL_LIT("pointer"), ASL_LIT(""),
		    ASL_LIT("line"), jv_number(1), ASL_LIT("column"),
		    jv_number(1)));
	}
	v = asl_doc_parse(text, len, format, &where, &problems);
	if (jv_is_valid(v)) {
		*def = jv_copy(v);
		return asl_validate(v, where, problems, flags);
	}
	*def = jv_invalid();
	err = jv_invalid_get_msg(v);
	line = (int)jv_number_value(jv_object_get(jv_copy(err),
	    ASL_LIT("line")));
	start = column = (int)jv_number_value(jv_object_get(jv_copy(err),
	    ASL_LIT("column")));
	msg = jv_object_get(err, ASL_LIT("message"));
	loc = jackson_location(text, len, line, &column,
	    strstr(jv_string_value(msg), "where a value was expected") != NULL);
	d = JV_OBJECT(ASL_LIT("severity"), ASL_LIT("ERROR"),
	    ASL_LIT("code"), ASL_LIT("INVALID_JSON_DESCRIPTION"));
	if (column > start) {
		/* a bad token, in Jackson's words */
		d = jv_object_set(d, ASL_LIT("message"),
		    jv_string_fmt( "Unrecognized token '%.*s': was expecting "
		    "(JSON String, Number, Array, Object or token 'null', "
		    "'true' or 'false')\n at %s", column - start,
		    line_start(text, len, line) + start - 1,
		    jv_string_value(loc)));
	} else
		d = jv_object_set(d, ASL_LIT("message"), jv_string_fmt(
		    "%s\n at %s", jv_string_value(msg), jv_string_value(loc)));
	d = jv_object_set(d, ASL_LIT("location"), loc);
	d = jv_object_set(d, ASL_LIT("pointer"), ASL_LIT(""));
	d = jv_object_set(d, ASL_LIT("line"), jv_number(line));
	d = jv_object_set(d, ASL_LIT("column"), jv_number(start));
	d = jv_object_set(d, ASL_LIT("detail"), msg);
	return JV_ARRAY(d);
}

int
asl_validate_failed(jv diags)
{
	int failed = 0;

	jv_array_foreach(diags, i, d) {
		jv sev = jv_object_get(d, ASL_LIT("severity"));
		if (strcmp(jv_string_value(sev), "ERROR") == 0)
			failed = 1;
		jv_free(sev);
		(void)i;
	}
	return failed;
}

jv
asl_validate_response(jv diags)
{
	jv list = jv_array(), r;
	static const char *const keys[] = { "severity", "code", "message",
	    "location" };
	size_t j;

	jv_array_foreach(diags, i, d) {
		jv o = jv_object();
		for (j = 0; j < NELEM(keys); j++)
			if (vd_has(d, keys[j]))
				o = jv_object_set(o, jv_string(keys[j]),
				    vd_get(d, keys[j]));
		list = jv_array_append(list, o);
		jv_free(d);
		(void)i;
	}
	r = JV_OBJECT(ASL_LIT("result"), jv_string(asl_validate_failed(diags)
	    ? "FAIL" : "OK"), ASL_LIT("diagnostics"), list,
	    ASL_LIT("truncated"), jv_false());
	jv_free(diags);
	return r;
}

/* Diagnostics in the order of their positions (a stable sort). */
static int
before(jv a, jv b)
{
	jv la = jv_object_get(jv_copy(a), ASL_LIT("line"));
	jv lb = jv_object_get(jv_copy(b), ASL_LIT("line"));
	jv ca = jv_object_get(jv_copy(a), ASL_LIT("column"));
	jv cb = jv_object_get(jv_copy(b), ASL_LIT("column"));
	double x = jv_is_valid(la) ? jv_number_value(la) : 0;
	double y = jv_is_valid(lb) ? jv_number_value(lb) : 0;
	int r;

	if (x == y) {
		x = jv_is_valid(ca) ? jv_number_value(ca) : 0;
		y = jv_is_valid(cb) ? jv_number_value(cb) : 0;
	}
	r = x < y;
	jv_free(la);
	jv_free(lb);
	jv_free(ca);
	jv_free(cb);
	return r;
}

static jv
by_position(jv diags)
{
	int i, j, n = jv_array_length(jv_copy(diags));
	jv a, b;

	for (i = 1; i < n; i++)
		for (j = i; j > 0; j--) {
			a = jv_array_get(jv_copy(diags), j - 1);
			b = jv_array_get(jv_copy(diags), j);
			if (!before(b, a)) {
				jv_free(a);
				jv_free(b);
				break;
			}
			diags = jv_array_set(diags, j - 1, b);
			diags = jv_array_set(diags, j, a);
		}
	return diags;
}

static const char *
str(jv d, const char *key, jv *hold)
{
	*hold = jv_object_get(jv_copy(d), asl_key(key));
	return jv_get_kind(*hold) == JV_KIND_STRING ? jv_string_value(*hold) :
	    NULL;
}

jv
asl_validate_lines(const char *name, jv diags, int syntax)
{
	jv sev, loc, ptr, msg, detail, line, col, out = ASL_LIT("");

	diags = by_position(diags);
	jv_array_foreach(diags, i, d) {
		const char *s = str(d, "severity", &sev);
		const char *l = str(d, "location", &loc);
		const char *p = str(d, "pointer", &ptr);
		const char *m = str(d, "message", &msg);
		const char *x = str(d, "detail", &detail);

		line = jv_object_get(jv_copy(d), ASL_LIT("line"));
		col = jv_object_get(jv_copy(d), ASL_LIT("column"));
		out = jv_string_concat(out, jv_string_fmt("%s:%d:%d: %s: ", name,
		    jv_is_valid(line) ? (int)jv_number_value(line) : 1,
		    jv_is_valid(col) ? (int)jv_number_value(col) : 1,
		    strcmp(s, "ERROR") == 0 ? "error" : "warning"));
		if (syntax)
			out = jv_string_concat(out, jv_string_fmt("%s\n", x));
		else {
			out = jv_string_concat(out, jv_string_fmt("%s: %s",
			    l != NULL ? l : *p ? p : "/", m));
			if (x != NULL)
				out = jv_string_concat(out, jv_string_fmt(": %s",
				    x));
			out = jv_string_append_str(out, "\n");
		}
		jv_free(sev);
		jv_free(loc);
		jv_free(ptr);
		jv_free(msg);
		jv_free(detail);
		jv_free(line);
		jv_free(col);
		jv_free(d);
		(void)i;
	}
	jv_free(diags);
	return out;
}
