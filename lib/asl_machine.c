/*
 * asl_machine.c - compiling a definition into states that run without
 * parsing anything.
 */
#include <stdarg.h>
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

static jv
ptr(jv base, const char *key)
{
	return asl_json_pointer_append(jv_copy(base), key);
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
compile_pathfield(struct loader *ld, const struct asl_state *s, jv base,
    const char *key, int flags, struct asl_pathfield *out)
{
	jv v, err;

	if (!has(s, key))
		return;
	out->present = 1;
	v = field(s, key);
	if (jv_get_kind(v) == JV_KIND_NULL)
		out->is_null = 1;
	else if (jv_get_kind(v) != JV_KIND_STRING)
		problem(ld, ptr(base, key), "%s must be a string or null", key);
	else if ((out->path = asl_path_compile(jv_string_value(v), flags,
	    &err)) == NULL) {
		problem(ld, ptr(base, key), "invalid path '%s': %s",
		    jv_string_value(v), jv_string_value(err));
		jv_free(err);
	}
	jv_free(v);
}

static struct asl_path *
compile_refpath(struct loader *ld, const struct asl_state *s, jv base,
    const char *key)
{
	struct asl_path *p = NULL;
	jv v, err;

	if (!has(s, key))
		return NULL;
	v = field(s, key);
	if (jv_get_kind(v) != JV_KIND_STRING)
		problem(ld, ptr(base, key), "%s must be a string", key);
	else if ((p = asl_path_compile(jv_string_value(v), ASL_PATH_REFERENCE,
	    &err)) == NULL) {
		problem(ld, ptr(base, key), "invalid reference path '%s': %s",
		    jv_string_value(v), jv_string_value(err));
		jv_free(err);
	}
	jv_free(v);
	return p;
}

static struct asl_template *
compile_template(struct loader *ld, jv value, jv pointer)
{
	struct asl_template *t;
	jv errs;

	if ((t = asl_template_compile(value, &errs)) == NULL)
		problems_at(ld, pointer, errs);
	else
		jv_free(pointer);
	return t;
}

static struct asl_template *
template_field(struct loader *ld, const struct asl_state *s, jv base,
    const char *key)
{
	if (!has(s, key))
		return NULL;
	return compile_template(ld, field(s, key), ptr(base, key));
}

static struct asl_jtemplate *
compile_jtemplate(struct loader *ld, jv value, const char *name, jv pointer)
{
	struct asl_jtemplate *t;
	jv errs;

	if ((t = asl_jtemplate_compile(value, name, &errs)) == NULL)
		problems_at(ld, pointer, errs);
	else
		jv_free(pointer);
	return t;
}

static struct asl_jtemplate *
jtemplate_field(struct loader *ld, const struct asl_state *s, jv base,
    const char *key)
{
	if (!has(s, key))
		return NULL;
	return compile_jtemplate(ld, field(s, key), key, ptr(base, key));
}

/* A field of a Choice rule or a catcher: AWS calls it "Choices[1]/Output". */
static struct asl_jtemplate *
rule_jtemplate(struct loader *ld, const struct asl_state *rule, jv base,
    const char *list, int index, const char *key)
{
	char name[64];

	if (!has(rule, key))
		return NULL;
	snprintf(name, sizeof name, "%s[%d]/%s", list, index, key);
	return compile_jtemplate(ld, field(rule, key), name, ptr(base, key));
}

static struct asl_expr *
expr_field(struct loader *ld, const struct asl_state *s, jv base,
    const char *key)
{
	struct asl_expr *e = NULL;
	jv v, err;

	if (!has(s, key))
		return NULL;
	v = field(s, key);
	if (jv_get_kind(v) != JV_KIND_STRING)
		problem(ld, ptr(base, key), "%s must be a string", key);
	else if ((e = asl_expr_compile(jv_string_value(v), 0, &err)) == NULL) {
		problem(ld, ptr(base, key), "invalid %s '%s': %s", key,
		    jv_string_value(v), jv_string_value(err));
		jv_free(err);
	}
	jv_free(v);
	return e;
}

/* Scopes and states. */

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
static jv
state_pointer(jv *b, jv sbase, jv name)
{
	if (!jv_is_valid(*b))
		*b = ptr(sbase, jv_string_value(name));
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
	int i = 0, n, ok, id;

	if ((sc = calloc(1, sizeof *sc)) == NULL || add_scope(ld, sc) == -1) {
		free(sc);
		problem(ld, base, "out of memory");
		jv_free(obj);
		return NULL;
	}
	/* nested scopes are added while this one loads: keep its own index */
	id = ld->m->nscopes - 1;
	sc->owner = owner;
	states = jv_object_get(jv_copy(obj), ASL_LIT("States"));
	start = jv_object_get(jv_copy(obj), ASL_LIT("StartAt"));
	if (jv_get_kind(states) != JV_KIND_OBJECT ||
	    jv_object_length(jv_copy(states)) == 0) {
		problem(ld, ptr(base, "States"), "States must be a non-empty "
		    "object");
		goto out;
	}
	n = jv_object_length(jv_copy(states));
	if ((sc->states = calloc((size_t)n, sizeof *sc->states)) == NULL) {
		problem(ld, jv_copy(base), "out of memory");
		goto out;
	}
	sbase = ptr(base, "States");
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
		if (jv_object_has(jv_copy(ld->m->by_name), jv_copy(name)))
			problem(ld, HERE, "duplicate state name '%s'",
			    jv_string_value(name));
		ld->m->by_name = jv_object_set(ld->m->by_name, jv_copy(name),
		    JV_ARRAY(jv_number(id), jv_number(i - 1)));
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
		problem(ld, ptr(base, "StartAt"), "StartAt must be a string");
		goto out;
	}
	for (i = 0; i < sc->nstates; i++)
		if (jv_equal(jv_copy(sc->states[i].name), jv_copy(start)))
			sc->start = &sc->states[i];
	if (sc->start == NULL)
		problem(ld, ptr(base, "StartAt"), "StartAt '%s' names no state of "
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
resolve(struct loader *ld, const struct asl_scope *sc, jv name, jv pointer)
{
	struct asl_state *s;
	int i;

	if (jv_get_kind(name) != JV_KIND_STRING) {
		problem(ld, pointer, "a transition must name a state");
		jv_free(name);
		return NULL;
	}
	s = asl_machine_state(ld->m, jv_string_value(name));
	if (s != NULL && s->scope == sc) {
		jv_free(name);
		jv_free(pointer);
		return s;
	}
	for (i = 0; i < sc->nstates; i++)
		if (jv_equal(jv_copy(sc->states[i].name), jv_copy(name))) {
			jv_free(name);
			jv_free(pointer);
			return &sc->states[i];
		}
	if (!(ld->flags & ASL_MACHINE_LENIENT))
		problem(ld, jv_copy(pointer), "'%s' names no state of this scope",
		    jv_string_value(name));
	jv_free(name);
	jv_free(pointer);
	return NULL;
}

static void
compile_catchers(struct loader *ld, struct asl_state *s, jv base)
{
	jv catch = field(s, "Catch"), cbase = ptr(base, "Catch");
	int n, i;

	if (jv_get_kind(catch) != JV_KIND_ARRAY) {
		if (jv_get_kind(catch) != JV_KIND_NULL && has(s, "Catch"))
			problem(ld, jv_copy(cbase), "Catch must be an array");
		goto out;
	}
	n = jv_array_length(jv_copy(catch));
	if ((s->catchers = calloc((size_t)n, sizeof *s->catchers)) == NULL)
		goto out;
	s->ncatchers = n;
	for (i = 0; i < n; i++) {
		struct asl_catcher *c = &s->catchers[i];
		struct asl_state tmp;
		char idx[24];
		jv b;

		snprintf(idx, sizeof idx, "%d", i);
		b = asl_json_pointer_append(jv_copy(cbase), idx);
		memset(&tmp, 0, sizeof tmp);
		tmp.def = jv_array_get(jv_copy(catch), i);
		c->error_equals = field(&tmp, "ErrorEquals");
		c->next_name = field(&tmp, "Next");
		if (!jv_is_valid(c->next_name)) {
			jv_free(c->next_name);
			c->next_name = jv_null();
		}
		c->next = resolve(ld, s->scope, jv_copy(c->next_name), ptr(b,
		    "Next"));
		if (s->ql == ASL_JSONATA) {
			c->joutput = rule_jtemplate(ld, &tmp, b, "Catch", i,
			    "Output");
			c->jassign = rule_jtemplate(ld, &tmp, b, "Catch", i,
			    "Assign");
		} else {
			compile_pathfield(ld, &tmp, b, "ResultPath",
			    ASL_PATH_REFERENCE | ASL_PATH_NO_CONTEXT |
			    ASL_PATH_NO_VARIABLE, &c->result_path);
			c->assign = template_field(ld, &tmp, b, "Assign");
		}
		jv_free(tmp.def);
		jv_free(b);
	}
out:
	jv_free(catch);
	jv_free(cbase);
}

static void
compile_choices(struct loader *ld, struct asl_state *s, jv base)
{
	jv choices = field(s, "Choices"), cbase = ptr(base, "Choices");
	int n, i;

	if (jv_get_kind(choices) != JV_KIND_ARRAY ||
	    (n = jv_array_length(jv_copy(choices))) == 0) {
		problem(ld, jv_copy(cbase), "Choices must be a non-empty array");
		goto out;
	}
	if ((s->choices = calloc((size_t)n, sizeof *s->choices)) == NULL)
		goto out;
	s->nchoices = n;
	for (i = 0; i < n; i++) {
		struct asl_choice_rule *r = &s->choices[i];
		struct asl_state tmp;
		char idx[24];
		jv b, errs;

		snprintf(idx, sizeof idx, "%d", i);
		b = asl_json_pointer_append(jv_copy(cbase), idx);
		memset(&tmp, 0, sizeof tmp);
		tmp.def = jv_array_get(jv_copy(choices), i);
		r->next_name = field(&tmp, "Next");
		if (!jv_is_valid(r->next_name)) {
			jv_free(r->next_name);
			r->next_name = jv_null();
		}
		r->next = resolve(ld, s->scope, jv_copy(r->next_name),
		    ptr(b, "Next"));
		if (s->ql == ASL_JSONATA) {
			if (has(&tmp, "Condition"))
				r->condition = rule_jtemplate(ld, &tmp, b,
				    "Choices", i, "Condition");
			else
				problem(ld, jv_copy(b), "a JSONata Choice rule "
				    "needs a Condition");
			r->joutput = rule_jtemplate(ld, &tmp, b, "Choices", i,
			    "Output");
			r->jassign = rule_jtemplate(ld, &tmp, b, "Choices", i,
			    "Assign");
		} else {
			r->assign = template_field(ld, &tmp, b, "Assign");
			if ((r->rule = asl_choice_compile(jv_copy(tmp.def),
			    &errs)) == NULL)
				problems_at(ld, jv_copy(b), errs);
		}
		jv_free(tmp.def);
		jv_free(b);
	}
out:
	jv_free(choices);
	jv_free(cbase);
}

static void
compile_map(struct loader *ld, struct asl_state *s, jv base)
{
	jv v;

	if (s->ql == ASL_JSONATA) {
		s->items = jtemplate_field(ld, s, base, "Items");
		s->item_selector = jtemplate_field(ld, s, base, "ItemSelector");
		s->max_concurrency = jtemplate_field(ld, s, base,
		    "MaxConcurrency");
		s->tolerated_count = jtemplate_field(ld, s, base,
		    "ToleratedFailureCount");
		s->tolerated_percentage = jtemplate_field(ld, s, base,
		    "ToleratedFailurePercentage");
	} else {
		compile_pathfield(ld, s, base, "ItemsPath", ASL_PATH_REFERENCE,
		    &s->items_path);
		/* ItemSelector, or its older name Parameters */
		s->parameters = template_field(ld, s, base, has(s,
		    "ItemSelector") ? "ItemSelector" : "Parameters");
		if (has(s, "MaxConcurrency"))
			s->max_concurrency = jtemplate_field(ld, s, base,
			    "MaxConcurrency");
		s->max_concurrency_path = compile_refpath(ld, s, base,
		    "MaxConcurrencyPath");
		s->tolerated_count = jtemplate_field(ld, s, base,
		    "ToleratedFailureCount");
		s->tolerated_percentage = jtemplate_field(ld, s, base,
		    "ToleratedFailurePercentage");
		s->tolerated_count_path = compile_refpath(ld, s, base,
		    "ToleratedFailureCountPath");
		s->tolerated_percentage_path = compile_refpath(ld, s, base,
		    "ToleratedFailurePercentagePath");
	}
	v = field(s, "ItemBatcher");
	if (jv_get_kind(v) == JV_KIND_OBJECT) {
		jv bi = jv_object_get(jv_copy(v), ASL_LIT("BatchInput"));
		if (jv_is_valid(bi))
			s->batch_input = compile_template(ld, bi,
			    asl_json_pointer_append(ptr(base, "ItemBatcher"),
			    "BatchInput"));
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
compile_state(struct loader *ld, struct asl_state *s, jv base)
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
		s->next = resolve(ld, s->scope, jv_copy(s->next_name),
		    ptr(base, "Next"));
	}
	/* data flow */
	if (jsonata) {
		s->output = jtemplate_field(ld, s, base, "Output");
		s->jassign = jtemplate_field(ld, s, base, "Assign");
		if (s->type == ASL_TASK || s->type == ASL_PARALLEL)
			s->arguments = jtemplate_field(ld, s, base, "Arguments");
	} else {
		compile_pathfield(ld, s, base, "InputPath", 0, &s->input_path);
		compile_pathfield(ld, s, base, "OutputPath", 0, &s->output_path);
		compile_pathfield(ld, s, base, "ResultPath", ASL_PATH_REFERENCE |
		    ASL_PATH_NO_CONTEXT | ASL_PATH_NO_VARIABLE, &s->result_path);
		if (s->type != ASL_MAP)
			s->parameters = template_field(ld, s, base, "Parameters");
		s->result_selector = template_field(ld, s, base,
		    "ResultSelector");
		s->assign = template_field(ld, s, base, "Assign");
		if (has(s, "Result")) {
			s->has_result = 1;
			s->result = field(s, "Result");
		}
	}
	switch (s->type) {
	case ASL_TASK:
		s->resource = field(s, "Resource");
		if (jv_get_kind(s->resource) != JV_KIND_STRING)
			problem(ld, ptr(base, "Resource"), "Resource must be a "
			    "string");
		s->timeout = jtemplate_field(ld, s, base, "TimeoutSeconds");
		s->heartbeat = jtemplate_field(ld, s, base, "HeartbeatSeconds");
		if (!jsonata) {
			s->timeout_path = compile_refpath(ld, s, base,
			    "TimeoutSecondsPath");
			s->heartbeat_path = compile_refpath(ld, s, base,
			    "HeartbeatSecondsPath");
			s->credentials = template_field(ld, s, base,
			    "Credentials");
		}
		break;
	case ASL_CHOICE:
		compile_choices(ld, s, base);
		if (has(s, "Default")) {
			s->default_name = field(s, "Default");
			s->default_next = resolve(ld, s->scope,
			    jv_copy(s->default_name), ptr(base, "Default"));
		}
		break;
	case ASL_WAIT:
		s->seconds = jtemplate_field(ld, s, base, "Seconds");
		s->timestamp = jtemplate_field(ld, s, base, "Timestamp");
		if (!jsonata) {
			s->seconds_path = compile_refpath(ld, s, base,
			    "SecondsPath");
			s->timestamp_path = compile_refpath(ld, s, base,
			    "TimestampPath");
		}
		break;
	case ASL_FAIL:
		s->error = jtemplate_field(ld, s, base, "Error");
		s->cause = jtemplate_field(ld, s, base, "Cause");
		if (!jsonata) {
			s->error_path = expr_field(ld, s, base, "ErrorPath");
			s->cause_path = expr_field(ld, s, base, "CausePath");
		}
		break;
	case ASL_MAP:
		compile_map(ld, s, base);
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
			problem(ld, jv_copy(base), "%s", jv_string_value(err));
			jv_free(err);
		}
		compile_catchers(ld, s, base);
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
	m->by_name = jv_object();
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
		jv base = asl_json_pointer_append(scope_pointer(sc), "States");
		for (i = 0; i < sc->nstates; i++) {
			jv b = asl_json_pointer_append(jv_copy(base),
			    asl_machine_state_name(&sc->states[i]));
			compile_state(&ld, &sc->states[i], b);
			members.s = NULL;	/* its names go with it */
			jv_free(b);
		}
		jv_free(base);
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
	jv_free(m->by_name);
	jv_free(m->definition);
	free(m);
}

struct asl_state *
asl_machine_state(const struct asl_machine *m, const char *name)
{
	jv at = jv_object_get(jv_copy(m->by_name), jv_string(name));
	struct asl_state *s = NULL;
	int k, i;

	if (jv_get_kind(at) == JV_KIND_ARRAY) {
		k = (int)jv_number_value(jv_array_get(jv_copy(at), 0));
		i = (int)jv_number_value(jv_array_get(jv_copy(at), 1));
		if (k < m->nscopes && i < m->scopes[k]->nstates)
			s = &m->scopes[k]->states[i];
	}
	jv_free(at);
	return s;
}

jv
asl_machine_wrap_state(jv state, const char *name)
{
	return JV_OBJECT(ASL_LIT("StartAt"), jv_string(name),
	    ASL_LIT("States"), JV_OBJECT(jv_string(name), state));
}
