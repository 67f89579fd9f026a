/*
 * asl_machine.c - compiling a definition into states that run without
 * parsing anything.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_choice.h"
#include "asl_json.h"
#include "asl_jsonata.h"
#include "asl_jtemplate.h"
#include "asl_machine.h"
#include "asl_path.h"
#include "asl_retry.h"
#include "asl_template.h"

struct loader {
	struct asl_machine	*m;
	jv			 errs;
	int			 flags;
};

static void
problem(struct loader *ld, jv pointer, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
problem(struct loader *ld, jv pointer, const char *fmt, ...)
{
	va_list ap;
	jv msg;

	va_start(ap, fmt);
	msg = jv_string_vfmt(fmt, ap);
	va_end(ap);
	ld->errs = jv_array_append(ld->errs, JV_OBJECT(ASL_LIT("pointer"),
	    pointer, ASL_LIT("message"), msg));
}

/* Problems of a sub-compiler, their pointers made absolute. */
static void
problems_at(struct loader *ld, jv base, jv errs)
{
	jv_array_foreach(errs, i, e) {
		jv p = jv_object_get(jv_copy(e), ASL_LIT("pointer"));
		jv m = jv_object_get(e, ASL_LIT("message"));
		ld->errs = jv_array_append(ld->errs, JV_OBJECT(ASL_LIT("pointer"),
		    jv_string_concat(jv_copy(base), p), ASL_LIT("message"), m));
	}
	jv_free(errs);
	jv_free(base);
}

/*
 * The names of the members of the state being compiled.  A state is asked
 * for some thirty fields and has a handful: knowing which it has answers
 * the rest without a jq lookup (a string made, hashed, searched, freed
 * for each), most of what compiling a Pass state cost.
 */
#define MEMBERS_MAX 32

static _Thread_local struct {
	const struct asl_state	*s;	/* NULL: nothing known */
	int			 n;
	const char		*names[MEMBERS_MAX];	/* borrowed from s->def */
} members;

static void
know_members(const struct asl_state *s)
{
	int i;

	members.s = NULL;
	members.n = 0;
	for (i = jv_object_iter(s->def); jv_object_iter_valid(s->def, i);
	    i = jv_object_iter_next(s->def, i)) {
		jv k = jv_object_iter_key(s->def, i);
		if (members.n == MEMBERS_MAX) {
			jv_free(k);
			return;
		}
		/* s->def holds the key: its text outlives this copy */
		members.names[members.n++] = jv_string_value(k);
		jv_free(k);
	}
	members.s = s;
}

/* 0 when s surely has no member key; 1 when it may. */
static int
may_have(const struct asl_state *s, const char *key)
{
	int i;

	if (members.s != s)
		return 1;
	for (i = 0; i < members.n; i++)
		if (strcmp(members.names[i], key) == 0)
			return 1;
	return 0;
}

static jv
field(const struct asl_state *s, const char *key)
{
	if (!may_have(s, key))
		return jv_invalid();
	return jv_object_get(jv_copy(s->def), asl_key(key));
}

static int
has(const struct asl_state *s, const char *key)
{
	return may_have(s, key) && jv_object_has(jv_copy(s->def),
	    asl_key(key));
}

/*
 * Where a field is, as the JSON Pointer a problem names: made only when a
 * problem needs it, as most definitions have none.  A spot is its
 * parent's pointer and a key, or (up NULL) a pointer made already.
 */
struct spot {
	struct spot		*up;	/* NULL: the States of scope */
	const char		*key;
	const struct asl_scope	*scope;
	jv			 made;	/* jv_invalid() until made */
};

static jv scope_pointer(const struct asl_scope *);

/* A spot under up at key. */
static struct spot
spot(struct spot *up, const char *key)
{
	struct spot sp = { up, key, NULL, jv_invalid() };

	return sp;
}

/* The spot of the States object of scope sc. */
static struct spot
spot_states(const struct asl_scope *sc)
{
	struct spot sp = { NULL, NULL, sc, jv_invalid() };

	return sp;
}

/* The pointer of the spot (a new reference). */
static jv
here(struct spot *sp)
{
	if (!jv_is_valid(sp->made))
		sp->made = sp->up == NULL ? asl_json_pointer_append(
		    scope_pointer(sp->scope), "States") :
		    asl_json_pointer_append(here(sp->up), sp->key);
	return jv_copy(sp->made);
}

static void
spot_release(struct spot *sp)
{
	jv_free(sp->made);
}

/* The pointer of the field key at the spot. */
static jv
ptr(struct spot *at, const char *key)
{
	return asl_json_pointer_append(here(at), key);
}

static const char *const type_names[] = {
	"Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"
};

const char *
asl_machine_type_name(enum asl_state_type t)
{
	return type_names[t];
}

const char *
asl_machine_state_name(const struct asl_state *s)
{
	return jv_string_value(s->name);
}

/* Compilers for the kinds of fields. */

static void
compile_pathfield(struct loader *ld, const struct asl_state *s,
    struct spot *at, const char *key, int flags, struct asl_pathfield *out)
{
	jv v, err;

	if (!has(s, key))
		return;
	out->present = 1;
	v = field(s, key);
	if (jv_get_kind(v) == JV_KIND_NULL)
		out->is_null = 1;
	else if (jv_get_kind(v) != JV_KIND_STRING)
		problem(ld, ptr(at, key), "%s must be a string or null", key);
	else if ((out->path = asl_path_compile(jv_string_value(v), flags,
	    &err)) == NULL) {
		problem(ld, ptr(at, key), "invalid path '%s': %s",
		    jv_string_value(v), jv_string_value(err));
		jv_free(err);
	}
	jv_free(v);
}

static struct asl_path *
compile_refpath(struct loader *ld, const struct asl_state *s, struct spot *at,
    const char *key)
{
	struct asl_path *p = NULL;
	jv v, err;

	if (!has(s, key))
		return NULL;
	v = field(s, key);
	if (jv_get_kind(v) != JV_KIND_STRING)
		problem(ld, ptr(at, key), "%s must be a string", key);
	else if ((p = asl_path_compile(jv_string_value(v), ASL_PATH_REFERENCE,
	    &err)) == NULL) {
		problem(ld, ptr(at, key), "invalid reference path '%s': %s",
		    jv_string_value(v), jv_string_value(err));
		jv_free(err);
	}
	jv_free(v);
	return p;
}

static struct asl_template *
compile_template(struct loader *ld, jv value, struct spot *at, const char *key)
{
	struct asl_template *t;
	jv errs;

	if ((t = asl_template_compile(value, &errs)) == NULL)
		problems_at(ld, ptr(at, key), errs);
	return t;
}

static struct asl_template *
template_field(struct loader *ld, const struct asl_state *s, struct spot *at,
    const char *key)
{
	if (!has(s, key))
		return NULL;
	return compile_template(ld, field(s, key), at, key);
}

static struct asl_jtemplate *
compile_jtemplate(struct loader *ld, jv value, const char *name,
    struct spot *at, const char *key)
{
	struct asl_jtemplate *t;
	jv errs;

	if ((t = asl_jtemplate_compile(value, name, &errs)) == NULL)
		problems_at(ld, ptr(at, key), errs);
	return t;
}

static struct asl_jtemplate *
jtemplate_field(struct loader *ld, const struct asl_state *s, struct spot *at,
    const char *key)
{
	if (!has(s, key))
		return NULL;
	return compile_jtemplate(ld, field(s, key), key, at, key);
}

/* A field of a Choice rule or a catcher: AWS calls it "Choices[1]/Output". */
static struct asl_jtemplate *
rule_jtemplate(struct loader *ld, const struct asl_state *rule,
    struct spot *at, const char *list, int index, const char *key)
{
	char name[64];

	if (!has(rule, key))
		return NULL;
	snprintf(name, sizeof name, "%s[%d]/%s", list, index, key);
	return compile_jtemplate(ld, field(rule, key), name, at, key);
}

static struct asl_expr *
expr_field(struct loader *ld, const struct asl_state *s, struct spot *at,
    const char *key)
{
	struct asl_expr *e = NULL;
	jv v, err;

	if (!has(s, key))
		return NULL;
	v = field(s, key);
	if (jv_get_kind(v) != JV_KIND_STRING)
		problem(ld, ptr(at, key), "%s must be a string", key);
	else if ((e = asl_expr_compile(jv_string_value(v), 0, &err)) == NULL) {
		problem(ld, ptr(at, key), "invalid %s '%s': %s", key,
		    jv_string_value(v), jv_string_value(err));
		jv_free(err);
	}
	jv_free(v);
	return e;
}

/* Scopes and states. */

/* FNV-1a: the names of a machine's states, hashed for by_name. */
static size_t
name_hash(const char *name, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* The slot of name in by_name: its state's, or the empty one to take. */
static size_t
name_slot(const struct asl_machine *m, const char *name, size_t len)
{
	size_t mask = m->by_name_cap - 1, i = name_hash(name, len) & mask;
	const struct asl_state *s;

	while ((s = m->by_name[i]) != NULL) {
		if ((size_t)jv_string_length_bytes(jv_copy(s->name)) == len &&
		    memcmp(jv_string_value(s->name), name, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

/*
 * Index s by its name: 0, 1 when a state of that name is there already
 * (it stays), -1 when memory runs out.
 */
static int
index_state(struct asl_machine *m, struct asl_state *s)
{
	const char *name = jv_string_value(s->name);
	size_t len = (size_t)jv_string_length_bytes(jv_copy(s->name)), i, cap;
	struct asl_state **old = m->by_name, **t;

	if (2 * (m->nstates + 1) > m->by_name_cap) {
		cap = m->by_name_cap ? 2 * m->by_name_cap : 64;
		if ((t = calloc(cap, sizeof *t)) == NULL)
			return -1;
		m->by_name = t;
		for (i = 0; i < m->by_name_cap; i++)
			if (old[i] != NULL) {
				size_t mask = cap - 1, k = name_hash(
				    jv_string_value(old[i]->name),
				    (size_t)jv_string_length_bytes(jv_copy(
				    old[i]->name))) & mask;
				while (t[k] != NULL)
					k = (k + 1) & mask;
				t[k] = old[i];
			}
		m->by_name_cap = cap;
		free(old);
	}
	i = name_slot(m, name, len);
	if (m->by_name[i] != NULL)
		return 1;
	m->by_name[i] = s;
	m->nstates++;
	return 0;
}

static struct asl_scope *load_scope(struct loader *, jv, jv,
    struct asl_state *);

static int
add_scope(struct loader *ld, struct asl_scope *sc)
{
	struct asl_scope **n;

	n = realloc(ld->m->scopes, (size_t)(ld->m->nscopes + 1) * sizeof *n);
	if (n == NULL)
		return -1;
	ld->m->scopes = n;
	ld->m->scopes[ld->m->nscopes++] = sc;
	return 0;
}

static enum asl_state_type
parse_type(const char *t, int *ok)
{
	int i;

	*ok = 1;
	for (i = 0; i < (int)(sizeof type_names / sizeof type_names[0]); i++)
		if (strcmp(t, type_names[i]) == 0)
			return (enum asl_state_type)i;
	*ok = 0;
	return ASL_PASS;
}

/*
 * A state's JSON Pointer, for problems and nested scopes, made the first
 * time it is needed (*b invalid until then): most states never need it.
 */
/* The pointer base (borrowed) and key. */
static jv
jptr(jv base, const char *key)
{
	return asl_json_pointer_append(jv_copy(base), key);
}

static jv
state_pointer(jv *b, jv sbase, jv name)
{
	if (!jv_is_valid(*b))
		*b = jptr(sbase, jv_string_value(name));
	return jv_copy(*b);
}

#define HERE state_pointer(&b, sbase, name)

/*
 * First pass: the scope's states with their names, types and languages,
 * and the nested scopes of Parallel and Map states.
 */
static struct asl_scope *
load_scope(struct loader *ld, jv obj, jv base, struct asl_state *owner)
{
	struct asl_scope *sc;
	jv states, start, sbase;
	int i = 0, n, ok;

	if ((sc = calloc(1, sizeof *sc)) == NULL || add_scope(ld, sc) == -1) {
		free(sc);
		problem(ld, base, "out of memory");
		jv_free(obj);
		return NULL;
	}
	sc->owner = owner;
	states = jv_object_get(jv_copy(obj), ASL_LIT("States"));
	start = jv_object_get(jv_copy(obj), ASL_LIT("StartAt"));
	if (jv_get_kind(states) != JV_KIND_OBJECT ||
	    jv_object_length(jv_copy(states)) == 0) {
		problem(ld, jptr(base, "States"), "States must be a non-empty "
		    "object");
		goto out;
	}
	n = jv_object_length(jv_copy(states));
	if ((sc->states = calloc((size_t)n, sizeof *sc->states)) == NULL) {
		problem(ld, jv_copy(base), "out of memory");
		goto out;
	}
	sbase = jptr(base, "States");
	jv_object_foreach(states, name, def) {
		struct asl_state *s = &sc->states[i];
		jv type, ql, b = jv_invalid();

		s->name = name;
		s->def = def;
		s->scope = sc;
		s->next_name = jv_null();
		s->default_name = jv_null();
		s->result = jv_null();
		s->resource = jv_null();
		s->item_batcher = jv_null();
		s->item_reader = jv_null();
		s->result_writer = jv_null();
		sc->nstates = ++i;
		if (jv_get_kind(def) != JV_KIND_OBJECT) {
			problem(ld, HERE, "a state must be an object");
			jv_free(b);
			continue;
		}
		switch (index_state(ld->m, s)) {
		case 1:
			problem(ld, HERE, "duplicate state name '%s'",
			    jv_string_value(name));
			break;
		case -1:
			problem(ld, HERE, "out of memory");
			break;
		}
		type = field(s, "Type");
		if (jv_get_kind(type) != JV_KIND_STRING) {
			problem(ld, asl_json_pointer_append(HERE, "Type"),
			    "Type must be a string");
			s->type = ASL_PASS;
		} else {
			s->type = parse_type(jv_string_value(type), &ok);
			if (!ok)
				problem(ld, asl_json_pointer_append(HERE, "Type"),
				    "unknown state type '%s'",
				    jv_string_value(type));
		}
		jv_free(type);
		ql = field(s, "QueryLanguage");
		s->ql = ld->m->ql;
		if (jv_get_kind(ql) == JV_KIND_STRING)
			s->ql = strcmp(jv_string_value(ql), "JSONata") == 0 ?
			    ASL_JSONATA : ASL_JSONPATH;
		jv_free(ql);
		if (s->type == ASL_PARALLEL) {
			jv branches = field(s, "Branches");
			int k, nb;

			if (jv_get_kind(branches) == JV_KIND_ARRAY &&
			    (nb = jv_array_length(jv_copy(branches))) > 0 &&
			    (s->branches = calloc((size_t)nb, sizeof *s->branches))
			    != NULL) {
				for (k = 0; k < nb; k++) {
					char idx[24];
					snprintf(idx, sizeof idx, "%d", k);
					s->branches[k] = load_scope(ld,
					    jv_array_get(jv_copy(branches), k),
					    asl_json_pointer_append(asl_json_pointer_append(
					    HERE, "Branches"), idx),
					    s);
					if (s->branches[k] != NULL)
						s->branches[k]->index = k;
					s->nbranches = k + 1;
				}
			} else
				problem(ld, asl_json_pointer_append(HERE, "Branches"),
				    "Branches must be a non-empty array");
			jv_free(branches);
		} else if (s->type == ASL_MAP) {
			const char *key = has(s, "ItemProcessor") ? "ItemProcessor"
			    : "Iterator";
			jv proc = field(s, key), cfg, mode;

			if (jv_get_kind(proc) != JV_KIND_OBJECT) {
				problem(ld, asl_json_pointer_append(HERE,
				    "ItemProcessor"), "a Map needs an ItemProcessor");
				jv_free(proc);
			} else {
				cfg = jv_object_get(jv_copy(proc),
				    ASL_LIT("ProcessorConfig"));
				mode = jv_get_kind(cfg) == JV_KIND_OBJECT ?
				    jv_object_get(cfg, ASL_LIT("Mode")) :
				    (jv_free(cfg), jv_null());
				s->distributed = jv_get_kind(mode) ==
				    JV_KIND_STRING && strcmp(jv_string_value(mode),
				    "DISTRIBUTED") == 0;
				jv_free(mode);
				s->processor = load_scope(ld, proc,
				    asl_json_pointer_append(HERE, key), s);
			}
		}
		jv_free(b);
	}
	jv_free(sbase);
	if (jv_get_kind(start) != JV_KIND_STRING) {
		problem(ld, jptr(base, "StartAt"), "StartAt must be a string");
		goto out;
	}
	for (i = 0; i < sc->nstates; i++)
		if (jv_equal(jv_copy(sc->states[i].name), jv_copy(start)))
			sc->start = &sc->states[i];
	if (sc->start == NULL)
		problem(ld, jptr(base, "StartAt"), "StartAt '%s' names no state of "
		    "this scope", jv_string_value(start));
out:
	jv_free(states);
	jv_free(start);
	jv_free(obj);
	jv_free(base);
	return sc;
}

/*
 * A transition target in the same scope: through by_name (a hash), so
 * that resolving every transition of a machine of n states costs n, not
 * n * n; by a search of the scope when by_name names another scope (a
 * name used twice, which validation refuses anyway).
 */
static struct asl_state *
resolve(struct loader *ld, const struct asl_scope *sc, jv name,
    struct spot *at, const char *key)
{
	struct asl_state *s;
	int i;

	if (jv_get_kind(name) != JV_KIND_STRING) {
		problem(ld, ptr(at, key), "a transition must name a state");
		jv_free(name);
		return NULL;
	}
	s = asl_machine_state(ld->m, jv_string_value(name));
	if (s != NULL && s->scope == sc) {
		jv_free(name);
		return s;
	}
	for (i = 0; i < sc->nstates; i++)
		if (jv_equal(jv_copy(sc->states[i].name), jv_copy(name))) {
			jv_free(name);
				return &sc->states[i];
		}
	if (!(ld->flags & ASL_MACHINE_LENIENT))
		problem(ld, ptr(at, key), "'%s' names no state of this scope",
		    jv_string_value(name));
	jv_free(name);
	return NULL;
}

static void
compile_catchers(struct loader *ld, struct asl_state *s, struct spot *at)
{
	struct spot cat = spot(at, "Catch");
	jv catch = field(s, "Catch");
	int n, i;

	if (jv_get_kind(catch) != JV_KIND_ARRAY) {
		if (jv_get_kind(catch) != JV_KIND_NULL && has(s, "Catch"))
			problem(ld, here(&cat), "Catch must be an array");
		goto out;
	}
	n = jv_array_length(jv_copy(catch));
	if ((s->catchers = calloc((size_t)n, sizeof *s->catchers)) == NULL)
		goto out;
	s->ncatchers = n;
	for (i = 0; i < n; i++) {
		struct asl_catcher *c = &s->catchers[i];
		struct asl_state tmp;
		struct spot b;
		char idx[24];

		snprintf(idx, sizeof idx, "%d", i);
		b = spot(&cat, idx);
		memset(&tmp, 0, sizeof tmp);
		tmp.def = jv_array_get(jv_copy(catch), i);
		c->error_equals = field(&tmp, "ErrorEquals");
		c->next_name = field(&tmp, "Next");
		if (!jv_is_valid(c->next_name)) {
			jv_free(c->next_name);
			c->next_name = jv_null();
		}
		c->next = resolve(ld, s->scope, jv_copy(c->next_name), &b,
		    "Next");
		if (s->ql == ASL_JSONATA) {
			c->joutput = rule_jtemplate(ld, &tmp, &b, "Catch", i,
			    "Output");
			c->jassign = rule_jtemplate(ld, &tmp, &b, "Catch", i,
			    "Assign");
		} else {
			compile_pathfield(ld, &tmp, &b, "ResultPath",
			    ASL_PATH_REFERENCE | ASL_PATH_NO_CONTEXT |
			    ASL_PATH_NO_VARIABLE, &c->result_path);
			c->assign = template_field(ld, &tmp, &b, "Assign");
		}
		jv_free(tmp.def);
		spot_release(&b);
	}
out:
	jv_free(catch);
	spot_release(&cat);
}

static void
compile_choices(struct loader *ld, struct asl_state *s, struct spot *at)
{
	struct spot cho = spot(at, "Choices");
	jv choices = field(s, "Choices");
	int n, i;

	if (jv_get_kind(choices) != JV_KIND_ARRAY ||
	    (n = jv_array_length(jv_copy(choices))) == 0) {
		problem(ld, here(&cho), "Choices must be a non-empty array");
		goto out;
	}
	if ((s->choices = calloc((size_t)n, sizeof *s->choices)) == NULL)
		goto out;
	s->nchoices = n;
	for (i = 0; i < n; i++) {
		struct asl_choice_rule *r = &s->choices[i];
		struct asl_state tmp;
		struct spot b;
		char idx[24];
		jv errs;

		snprintf(idx, sizeof idx, "%d", i);
		b = spot(&cho, idx);
		memset(&tmp, 0, sizeof tmp);
		tmp.def = jv_array_get(jv_copy(choices), i);
		r->next_name = field(&tmp, "Next");
		if (!jv_is_valid(r->next_name)) {
			jv_free(r->next_name);
			r->next_name = jv_null();
		}
		r->next = resolve(ld, s->scope, jv_copy(r->next_name), &b,
		    "Next");
		if (s->ql == ASL_JSONATA) {
			if (has(&tmp, "Condition"))
				r->condition = rule_jtemplate(ld, &tmp, &b,
				    "Choices", i, "Condition");
			else
				problem(ld, here(&b), "a JSONata Choice rule "
				    "needs a Condition");
			r->joutput = rule_jtemplate(ld, &tmp, &b, "Choices", i,
			    "Output");
			r->jassign = rule_jtemplate(ld, &tmp, &b, "Choices", i,
			    "Assign");
		} else {
			r->assign = template_field(ld, &tmp, &b, "Assign");
			if ((r->rule = asl_choice_compile(jv_copy(tmp.def),
			    &errs)) == NULL)
				problems_at(ld, here(&b), errs);
		}
		jv_free(tmp.def);
		spot_release(&b);
	}
out:
	jv_free(choices);
	spot_release(&cho);
}

static void
compile_map(struct loader *ld, struct asl_state *s, struct spot *at)
{
	jv v;

	if (s->ql == ASL_JSONATA) {
		s->items = jtemplate_field(ld, s, at, "Items");
		s->item_selector = jtemplate_field(ld, s, at, "ItemSelector");
		s->max_concurrency = jtemplate_field(ld, s, at,
		    "MaxConcurrency");
		s->tolerated_count = jtemplate_field(ld, s, at,
		    "ToleratedFailureCount");
		s->tolerated_percentage = jtemplate_field(ld, s, at,
		    "ToleratedFailurePercentage");
	} else {
		compile_pathfield(ld, s, at, "ItemsPath", ASL_PATH_REFERENCE,
		    &s->items_path);
		/* ItemSelector, or its older name Parameters */
		s->parameters = template_field(ld, s, at, has(s,
		    "ItemSelector") ? "ItemSelector" : "Parameters");
		if (has(s, "MaxConcurrency"))
			s->max_concurrency = jtemplate_field(ld, s, at,
			    "MaxConcurrency");
		s->max_concurrency_path = compile_refpath(ld, s, at,
		    "MaxConcurrencyPath");
		s->tolerated_count = jtemplate_field(ld, s, at,
		    "ToleratedFailureCount");
		s->tolerated_percentage = jtemplate_field(ld, s, at,
		    "ToleratedFailurePercentage");
		s->tolerated_count_path = compile_refpath(ld, s, at,
		    "ToleratedFailureCountPath");
		s->tolerated_percentage_path = compile_refpath(ld, s, at,
		    "ToleratedFailurePercentagePath");
	}
	v = field(s, "ItemBatcher");
	if (jv_get_kind(v) == JV_KIND_OBJECT) {
		jv bi = jv_object_get(jv_copy(v), ASL_LIT("BatchInput"));
		if (jv_is_valid(bi))
		{
			struct spot batcher = spot(at, "ItemBatcher");
			s->batch_input = compile_template(ld, bi, &batcher,
			    "BatchInput");
			spot_release(&batcher);
		}
		else
			jv_free(bi);
		s->item_batcher = v;
	} else
		jv_free(v);
	v = field(s, "ItemReader");
	if (jv_get_kind(v) == JV_KIND_OBJECT)
		s->item_reader = v;
	else
		jv_free(v);
	v = field(s, "ResultWriter");
	if (jv_get_kind(v) == JV_KIND_OBJECT)
		s->result_writer = v;
	else
		jv_free(v);
}

/* Compile one state; base, its JSON Pointer, is borrowed (as below). */
static void
compile_state(struct loader *ld, struct asl_state *s, struct spot *at)
{
	jv v;
	int jsonata = s->ql == ASL_JSONATA;

	if (jv_get_kind(s->def) != JV_KIND_OBJECT)
		return;
	know_members(s);
	/* transitions */
	v = field(s, "End");
	s->end = jv_get_kind(v) == JV_KIND_TRUE;
	jv_free(v);
	if (has(s, "Next")) {
		s->next_name = field(s, "Next");
		s->next = resolve(ld, s->scope, jv_copy(s->next_name), at,
		    "Next");
	}
	/* data flow */
	if (jsonata) {
		s->output = jtemplate_field(ld, s, at, "Output");
		s->jassign = jtemplate_field(ld, s, at, "Assign");
		if (s->type == ASL_TASK || s->type == ASL_PARALLEL)
			s->arguments = jtemplate_field(ld, s, at, "Arguments");
	} else {
		compile_pathfield(ld, s, at, "InputPath", 0, &s->input_path);
		compile_pathfield(ld, s, at, "OutputPath", 0, &s->output_path);
		compile_pathfield(ld, s, at, "ResultPath", ASL_PATH_REFERENCE |
		    ASL_PATH_NO_CONTEXT | ASL_PATH_NO_VARIABLE, &s->result_path);
		if (s->type != ASL_MAP)
			s->parameters = template_field(ld, s, at, "Parameters");
		s->result_selector = template_field(ld, s, at,
		    "ResultSelector");
		s->assign = template_field(ld, s, at, "Assign");
		if (has(s, "Result")) {
			s->has_result = 1;
			s->result = field(s, "Result");
		}
	}
	switch (s->type) {
	case ASL_TASK:
		s->resource = field(s, "Resource");
		if (jv_get_kind(s->resource) != JV_KIND_STRING)
			problem(ld, ptr(at, "Resource"), "Resource must be a "
			    "string");
		s->timeout = jtemplate_field(ld, s, at, "TimeoutSeconds");
		s->heartbeat = jtemplate_field(ld, s, at, "HeartbeatSeconds");
		if (!jsonata) {
			s->timeout_path = compile_refpath(ld, s, at,
			    "TimeoutSecondsPath");
			s->heartbeat_path = compile_refpath(ld, s, at,
			    "HeartbeatSecondsPath");
			s->credentials = template_field(ld, s, at,
			    "Credentials");
		}
		break;
	case ASL_CHOICE:
		compile_choices(ld, s, at);
		if (has(s, "Default")) {
			s->default_name = field(s, "Default");
			s->default_next = resolve(ld, s->scope,
			    jv_copy(s->default_name), at, "Default");
		}
		break;
	case ASL_WAIT:
		s->seconds = jtemplate_field(ld, s, at, "Seconds");
		s->timestamp = jtemplate_field(ld, s, at, "Timestamp");
		if (!jsonata) {
			s->seconds_path = compile_refpath(ld, s, at,
			    "SecondsPath");
			s->timestamp_path = compile_refpath(ld, s, at,
			    "TimestampPath");
		}
		break;
	case ASL_FAIL:
		s->error = jtemplate_field(ld, s, at, "Error");
		s->cause = jtemplate_field(ld, s, at, "Cause");
		if (!jsonata) {
			s->error_path = expr_field(ld, s, at, "ErrorPath");
			s->cause_path = expr_field(ld, s, at, "CausePath");
		}
		break;
	case ASL_MAP:
		compile_map(ld, s, at);
		break;
	default:
		break;
	}
	if (s->type == ASL_TASK || s->type == ASL_PARALLEL ||
	    s->type == ASL_MAP) {
		jv err;

		s->retrier = asl_retry_compile(field(s, "Retry"), field(s,
		    "Catch"), &err);
		if (s->retrier == NULL) {
			problem(ld, here(at), "%s", jv_string_value(err));
			jv_free(err);
		}
		compile_catchers(ld, s, at);
	}
}

/* The JSON Pointer of scope sc's States object. */
static jv
scope_pointer(const struct asl_scope *sc)
{
	const struct asl_state *o = sc->owner;
	jv base;

	if (o == NULL)
		return ASL_LIT("");
	base = asl_json_pointer_append(scope_pointer(o->scope), "States");
	base = asl_json_pointer_append(base, asl_machine_state_name(o));
	if (o->type == ASL_PARALLEL) {
		char idx[24];
		snprintf(idx, sizeof idx, "%d", sc->index);
		return asl_json_pointer_append(asl_json_pointer_append(base, "Branches"),
		    idx);
	}
	return asl_json_pointer_append(base, has(o, "ItemProcessor") ?
	    "ItemProcessor" : "Iterator");
}

struct asl_machine *
asl_machine_load(jv definition, int flags, jv *errs)
{
	struct loader ld;
	struct asl_machine *m;
	jv ql, ts;
	int i, k;

	memset(&ld, 0, sizeof ld);
	ld.errs = jv_array();
	ld.flags = flags;
	if ((m = calloc(1, sizeof *m)) == NULL) {
		jv_free(definition);
		jv_free(ld.errs);
		*errs = JV_ARRAY(JV_OBJECT(ASL_LIT("pointer"), ASL_LIT(""),
		    ASL_LIT("message"), ASL_LIT("out of memory")));
		return NULL;
	}
	ld.m = m;
	m->definition = definition;
	if (jv_get_kind(definition) != JV_KIND_OBJECT) {
		problem(&ld, ASL_LIT(""), "a definition must be an object");
		goto fail;
	}
	ql = jv_object_get(jv_copy(definition), ASL_LIT("QueryLanguage"));
	m->ql = jv_get_kind(ql) == JV_KIND_STRING &&
	    strcmp(jv_string_value(ql), "JSONata") == 0 ? ASL_JSONATA :
	    ASL_JSONPATH;
	jv_free(ql);
	ts = jv_object_get(jv_copy(definition), ASL_LIT("TimeoutSeconds"));
	if (jv_get_kind(ts) == JV_KIND_NUMBER)
		m->timeout_seconds = (int)jv_number_value(ts);
	jv_free(ts);
	m->top = load_scope(&ld, jv_copy(definition), ASL_LIT(""), NULL);
	for (k = 0; k < m->nscopes; k++) {
		struct asl_scope *sc = m->scopes[k];
		struct spot states = spot_states(sc);

		for (i = 0; i < sc->nstates; i++) {
			struct spot b = spot(&states,
			    asl_machine_state_name(&sc->states[i]));
			compile_state(&ld, &sc->states[i], &b);
			members.s = NULL;	/* its names go with it */
			spot_release(&b);
		}
		spot_release(&states);
	}
	if (jv_array_length(jv_copy(ld.errs)) > 0)
		goto fail;
	jv_free(ld.errs);
	return m;
fail:
	*errs = ld.errs;
	asl_machine_free(m);
	return NULL;
}

static void
state_release(struct asl_state *s)
{
	int i;

	jv_free(s->name);
	jv_free(s->def);
	jv_free(s->next_name);
	jv_free(s->default_name);
	jv_free(s->result);
	jv_free(s->resource);
	asl_retry_free(s->retrier);
	jv_free(s->item_batcher);
	jv_free(s->item_reader);
	jv_free(s->result_writer);
	asl_path_free(s->input_path.path);
	asl_path_free(s->output_path.path);
	asl_path_free(s->result_path.path);
	asl_path_free(s->items_path.path);
	asl_path_free(s->timeout_path);
	asl_path_free(s->heartbeat_path);
	asl_path_free(s->seconds_path);
	asl_path_free(s->timestamp_path);
	asl_path_free(s->max_concurrency_path);
	asl_path_free(s->tolerated_count_path);
	asl_path_free(s->tolerated_percentage_path);
	asl_template_free(s->parameters);
	asl_template_free(s->result_selector);
	asl_template_free(s->assign);
	asl_template_free(s->credentials);
	asl_template_free(s->batch_input);
	asl_jtemplate_free(s->arguments);
	asl_jtemplate_free(s->output);
	asl_jtemplate_free(s->jassign);
	asl_jtemplate_free(s->timeout);
	asl_jtemplate_free(s->heartbeat);
	asl_jtemplate_free(s->seconds);
	asl_jtemplate_free(s->timestamp);
	asl_jtemplate_free(s->error);
	asl_jtemplate_free(s->cause);
	asl_jtemplate_free(s->items);
	asl_jtemplate_free(s->item_selector);
	asl_jtemplate_free(s->max_concurrency);
	asl_jtemplate_free(s->tolerated_count);
	asl_jtemplate_free(s->tolerated_percentage);
	asl_expr_free(s->error_path);
	asl_expr_free(s->cause_path);
	for (i = 0; i < s->ncatchers; i++) {
		struct asl_catcher *c = &s->catchers[i];
		jv_free(c->error_equals);
		jv_free(c->next_name);
		asl_path_free(c->result_path.path);
		asl_template_free(c->assign);
		asl_jtemplate_free(c->jassign);
		asl_jtemplate_free(c->joutput);
	}
	free(s->catchers);
	for (i = 0; i < s->nchoices; i++) {
		struct asl_choice_rule *r = &s->choices[i];
		asl_choice_free(r->rule);
		jv_free(r->next_name);
		asl_jtemplate_free(r->condition);
		asl_template_free(r->assign);
		asl_jtemplate_free(r->jassign);
		asl_jtemplate_free(r->joutput);
	}
	free(s->choices);
	free(s->branches);
}

void
asl_machine_free(struct asl_machine *m)
{
	int k, i;

	if (m == NULL)
		return;
	for (k = 0; k < m->nscopes; k++) {
		struct asl_scope *sc = m->scopes[k];
		for (i = 0; i < sc->nstates; i++)
			state_release(&sc->states[i]);
		free(sc->states);
		free(sc);
	}
	free(m->scopes);
	free(m->by_name);
	jv_free(m->definition);
	free(m);
}

struct asl_state *
asl_machine_state(const struct asl_machine *m, const char *name)
{
	if (m->by_name_cap == 0)
		return NULL;
	return m->by_name[name_slot(m, name, strlen(name))];
}

jv
asl_machine_wrap_state(jv state, const char *name)
{
	return JV_OBJECT(ASL_LIT("StartAt"), jv_string(name),
	    ASL_LIT("States"), JV_OBJECT(jv_string(name), state));
}
