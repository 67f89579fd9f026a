/*
 * asl_yaml.c - YAML definitions as jv values, through libyaml's events.
 *
 * Plain scalars are resolved with the YAML 1.2 core schema (so "yes" and
 * "on" stay strings, as they must for state names and Choice values);
 * quoted scalars are always strings.  Anchors and aliases are expanded.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "asl.h"
#include "asl_json.h"
#include "asl_yaml.h"

struct frame {
	jv	 value;		/* the mapping or sequence being built */
	jv	 key;		/* mappings: the pending key, or invalid */
	int	 index;		/* sequences: the next index */
	size_t	 ptrlen;	/* pointer length at this container */
	char	*anchor;	/* anchor to record when the container ends */
};

struct builder {
	struct frame	*stack;
	int		 depth, cap;
	jv		 anchors;
	jv		 where, problems;
	int		 track;
	int		 dups;	/* problems wanted without positions */
	jv		 pointer;	/* current JSON Pointer */
	jv		 root;
	int		 have_root;
};

static jv
yaml_fail(int line, int column, jv msg)
{
	return jv_invalid_with_msg(JV_OBJECT(ASL_LIT("message"), msg,
	    ASL_LIT("line"), jv_number(line), ASL_LIT("column"),
	    jv_number(column)));
}

static int
matches(const char *pattern, const char *s)
{
	regex_t re;
	int ok;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return 0;
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* A scalar's value: the tag if it has one, else the core schema. */
static jv
scalar_value(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	size_t len = ev->data.scalar.length;

	if (tag != NULL) {
		if (strcmp(tag, YAML_STR_TAG) == 0 || strcmp(tag, "!") == 0)
			return jv_string_sized(s, (int)len);
		if (strcmp(tag, YAML_NULL_TAG) == 0)
			return jv_null();
		if (strcmp(tag, YAML_BOOL_TAG) == 0)
			return jv_bool(strcmp(s, "true") == 0 ||
			    strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0);
		if (strcmp(tag, YAML_INT_TAG) == 0 ||
		    strcmp(tag, YAML_FLOAT_TAG) == 0)
			return jv_number(strtod(s, NULL));
	}
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return jv_string_sized(s, (int)len);
	if (len == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0)
		return jv_null();
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
	    strcmp(s, "TRUE") == 0)
		return jv_true();
	if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
	    strcmp(s, "FALSE") == 0)
		return jv_false();
	if (matches("^[-+]?[0-9]+$", s))
		return jv_number(strtod(s, NULL));
	if (matches("^0x[0-9a-fA-F]+$", s))
		return jv_number((double)strtoull(s + 2, NULL, 16));
	if (matches("^0o[0-7]+$", s))
		return jv_number((double)strtoull(s + 2, NULL, 8));
	if (matches("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$",
	    s))
		return jv_number(strtod(s, NULL));
	return jv_string_sized(s, (int)len);
}

static void
note(struct builder *b, const yaml_mark_t *mark)
{
	if (!b->track)
		return;
	b->where = jv_object_set(b->where, jv_copy(b->pointer),
	    JV_ARRAY(jv_number((double)mark->line + 1),
	    jv_number((double)mark->column + 1)));
}

static void
pointer_truncate(struct builder *b, size_t len)
{
	jv old = b->pointer;

	b->pointer = jv_string_sized(jv_string_value(old), (int)len);
	jv_free(old);
}

/*
 * Place a finished value into the container on top of the stack (or make
 * it the root).  Returns an invalid jv with a message on error.
 */
static jv
place(struct builder *b, jv value, const yaml_mark_t *mark, const char *anchor)
{
	struct frame *f;
	char idx[24];

	if (anchor != NULL)
		b->anchors = jv_object_set(b->anchors, jv_string(anchor),
		    jv_copy(value));
	if (b->depth == 0) {
		if (b->have_root) {
			jv_free(value);
			return yaml_fail((int)mark->line + 1, (int)mark->column + 1,
			    ASL_LIT("more than one document"));
		}
		b->root = value;
		b->have_root = 1;
		return jv_true();
	}
	f = &b->stack[b->depth - 1];
	if (jv_get_kind(f->value) == JV_KIND_ARRAY) {
		f->value = jv_array_append(f->value, value);
		f->index++;
		if (b->track) {
			/* the pointer for the next element */
			pointer_truncate(b, f->ptrlen);
			snprintf(idx, sizeof idx, "%d", f->index);
			b->pointer = asl_json_pointer_append(b->pointer, idx);
		}
		return jv_true();
	}
	if (!jv_is_valid(f->key)) {
		/* value is a key */
		if (jv_get_kind(value) == JV_KIND_ARRAY ||
		    jv_get_kind(value) == JV_KIND_OBJECT) {
			jv_free(value);
			return yaml_fail((int)mark->line + 1, (int)mark->column + 1,
			    ASL_LIT("a mapping key must be a scalar"));
		}
		if (jv_get_kind(value) != JV_KIND_STRING)
			value = jv_dump_string(value, 0);
		if (b->track) {
			pointer_truncate(b, f->ptrlen);
			b->pointer = asl_json_pointer_append(b->pointer,
			    jv_string_value(value));
			if (jv_object_has(jv_copy(f->value), jv_copy(value)))
				b->problems = jv_array_append(b->problems,
				    JV_OBJECT(ASL_LIT("pointer"),
				    jv_copy(b->pointer),
				    ASL_LIT("line"), jv_number((double)mark->line + 1),
				    ASL_LIT("column"),
				    jv_number((double)mark->column + 1),
				    ASL_LIT("message"),
				    jv_string_fmt("duplicate key '%s'",
				    jv_string_value(value))));
			note(b, mark);
		} else if (b->dups && jv_object_has(jv_copy(f->value),
		    jv_copy(value)))
			b->problems = jv_array_append(b->problems,
			    JV_OBJECT(ASL_LIT("message"), jv_string_fmt(
			    "duplicate key '%s'", jv_string_value(value))));
		f->key = value;
		return jv_true();
	}
	f->value = jv_object_set(f->value, f->key, value);
	f->key = jv_invalid();
	return jv_true();
}

static int
push(struct builder *b, jv container, const char *anchor)
{
	struct frame *f, *n;

	if (b->depth == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		if ((n = realloc(b->stack, (size_t)b->cap * sizeof *n)) == NULL) {
			jv_free(container);
			return -1;
		}
		b->stack = n;
	}
	f = &b->stack[b->depth++];
	f->value = container;
	f->key = jv_invalid();
	f->index = 0;
	f->ptrlen = b->track ? (size_t)jv_string_length_bytes(jv_copy(b->pointer))
	    : 0;
	f->anchor = anchor != NULL ? strdup(anchor) : NULL;
	if (b->track && jv_get_kind(container) == JV_KIND_ARRAY)
		b->pointer = asl_json_pointer_append(b->pointer, "0");
	return 0;
}

static jv
pop(struct builder *b, const yaml_mark_t *mark)
{
	struct frame *f = &b->stack[--b->depth];
	jv v = f->value, r;
	char *anchor = f->anchor;

	jv_free(f->key);
	if (b->track)
		pointer_truncate(b, f->ptrlen);
	r = place(b, v, mark, anchor);
	free(anchor);
	return r;
}

jv
asl_yaml_parse(const char *text, size_t len, jv *where, jv *problems)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct builder b;
	jv r = jv_true(), v;
	const char *anchor;
	int done = 0, i;

	memset(&b, 0, sizeof b);
	b.anchors = jv_object();
	b.track = where != NULL;
	b.dups = where == NULL && problems != NULL;
	b.where = b.track ? jv_object() : jv_null();
	b.problems = jv_array();
	b.pointer = ASL_LIT("");
	b.root = jv_null();
	if (!yaml_parser_initialize(&parser)) {
		r = yaml_fail(1, 1, ASL_LIT("cannot initialize the YAML parser"));
		goto out;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			r = yaml_fail((int)parser.problem_mark.line + 1,
			    (int)parser.problem_mark.column + 1,
			    parser.context != NULL ?
			    jv_string_fmt("%s %s", parser.problem, parser.context) :
			    jv_string(parser.problem != NULL ? parser.problem :
			    "invalid YAML"));
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_SCALAR_EVENT:
			anchor = (const char *)ev.data.scalar.anchor;
			v = scalar_value(&ev);
			if (b.depth == 0 || jv_get_kind(b.stack[b.depth - 1].value)
			    == JV_KIND_ARRAY)
				note(&b, &ev.start_mark);
			r = place(&b, v, &ev.start_mark, anchor);
			break;
		case YAML_ALIAS_EVENT:
			v = jv_object_get(jv_copy(b.anchors),
			    jv_string((const char *)ev.data.alias.anchor));
			if (!jv_is_valid(v)) {
				jv_free(v);
				r = yaml_fail((int)ev.start_mark.line + 1,
				    (int)ev.start_mark.column + 1,
				    jv_string_fmt("unknown alias '*%s'",
				    ev.data.alias.anchor));
				break;
			}
			r = place(&b, v, &ev.start_mark, NULL);
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (b.depth == 0 || jv_get_kind(b.stack[b.depth - 1].value)
			    == JV_KIND_ARRAY)
				note(&b, &ev.start_mark);
			if (b.depth >= 1000) {
				r = yaml_fail((int)ev.start_mark.line + 1,
				    (int)ev.start_mark.column + 1,
				    ASL_LIT("nested more than 1000 deep"));
				break;
			}
			anchor = (const char *)(ev.type == YAML_MAPPING_START_EVENT ?
			    ev.data.mapping_start.anchor :
			    ev.data.sequence_start.anchor);
			if (push(&b, ev.type == YAML_MAPPING_START_EVENT ?
			    jv_object() : jv_array(), anchor) == -1)
				r = yaml_fail(1, 1, ASL_LIT("out of memory"));
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			r = pop(&b, &ev.start_mark);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (!jv_is_valid(r))
			break;
		jv_free(r);
		r = jv_true();
	}
	yaml_parser_delete(&parser);
	if (jv_is_valid(r) && !b.have_root)
		r = yaml_fail(1, 1, ASL_LIT("empty document"));
out:
	for (i = 0; i < b.depth; i++) {
		jv_free(b.stack[i].value);
		jv_free(b.stack[i].key);
		free(b.stack[i].anchor);
	}
	free(b.stack);
	jv_free(b.anchors);
	jv_free(b.pointer);
	if (!jv_is_valid(r)) {
		jv_free(b.root);
		jv_free(b.where);
		jv_free(b.problems);
		if (where != NULL)
			*where = jv_null();
		if (problems != NULL)
			*problems = jv_null();
		return r;
	}
	jv_free(r);
	if (where != NULL)
		*where = b.where;
	else
		jv_free(b.where);
	if (problems != NULL)
		*problems = b.problems;
	else
		jv_free(b.problems);
	return b.root;
}
