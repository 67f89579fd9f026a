/*
 * asl_graph.c - DOT and Mermaid pictures of a state machine.
 *
 * Every machine (the definition, each Parallel branch, each Map
 * processor) is drawn the same way: its start and end marks, its states,
 * then its edges; a nested machine is a cluster (DOT) or subgraph
 * (Mermaid) drawn after the states of the machine that holds it, so that
 * each node is declared in the cluster it belongs to before any edge
 * names it.
 *
 * Node names cannot clash: DOT ids are "n:STATE" for states and "m:N"
 * for marks (state names are unique in a valid definition); Mermaid ids
 * are generated ("n3", "m0") with the state name in the label.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "asl_graph.h"

struct g {
	enum asl_graph_format	 fmt;
	jv			 out;
	jv			 ids;		/* Mermaid: state name -> id */
	int			 nodes, marks, clusters;
};

static const struct shape {
	const char	*type;
	const char	*dot;		/* node attributes */
	const char	*open, *close;	/* Mermaid delimiters */
} shapes[] = {
	{ "Task", "shape=box, style=rounded", "(", ")" },
	{ "Pass", "shape=box", "[", "]" },
	{ "Choice", "shape=diamond", "{", "}" },
	{ "Wait", "shape=hexagon", "{{", "}}" },
	{ "Succeed", "shape=ellipse, style=filled, fillcolor=palegreen",
	    "([", "])" },
	{ "Fail", "shape=octagon, style=filled, fillcolor=lightpink",
	    "[\\", "/]" },
	{ "Parallel", "shape=box3d", "[[", "]]" },
	{ "Map", "shape=box3d, style=dashed", "[/", "/]" }
};

static void
emit(struct g *g, int depth, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
emit(struct g *g, int depth, const char *fmt, ...)
{
	va_list ap;
	int i;

	for (i = 0; i < depth; i++)
		g->out = jv_string_append_str(g->out, g->fmt == ASL_GRAPH_DOT ?
		    "\t" : "    ");
	va_start(ap, fmt);
	g->out = jv_string_concat(g->out, jv_string_vfmt(fmt, ap));
	va_end(ap);
	g->out = jv_string_append_str(g->out, "\n");
}

/* Text inside a DOT "..." or a Mermaid "..." string. */
static jv
quote(struct g *g, const char *s)
{
	jv q = jv_string("");

	for (; *s != '\0'; s++) {
		if (g->fmt == ASL_GRAPH_DOT) {
			if (*s == '"' || *s == '\\')
				q = jv_string_append_buf(q, "\\", 1);
			if (*s == '\n')
				q = jv_string_append_str(q, "\\n");
			else
				q = jv_string_append_buf(q, s, 1);
		} else if (*s == '"')
			q = jv_string_append_str(q, "#quot;");
		else if (*s == '#')
			q = jv_string_append_str(q, "#35;");
		else if (*s == '<')
			q = jv_string_append_str(q, "#lt;");
		else if (*s == '>')
			q = jv_string_append_str(q, "#gt;");
		else if (*s == '\n')
			q = jv_string_append_str(q, "<br/>");
		else
			q = jv_string_append_buf(q, s, 1);
	}
	return q;
}

static jv
get(jv obj, const char *key)
{
	if (jv_get_kind(obj) != JV_KIND_OBJECT)
		return jv_invalid();
	return jv_object_get(jv_copy(obj), jv_string(key));
}

/* The id of a state's node, ready to print. */
static jv
state_id(struct g *g, const char *name)
{
	jv id, q;

	if (g->fmt == ASL_GRAPH_DOT) {
		q = quote(g, name);
		id = jv_string_fmt("\"n:%s\"", jv_string_value(q));
		jv_free(q);
		return id;
	}
	id = jv_object_get(jv_copy(g->ids), jv_string(name));
	if (!jv_is_valid(id)) {
		jv_free(id);
		id = jv_string_fmt("n%d", g->nodes++);
		g->ids = jv_object_set(g->ids, jv_string(name), jv_copy(id));
	}
	return id;
}

static jv
mark_id(struct g *g)
{
	return g->fmt == ASL_GRAPH_DOT ? jv_string_fmt("\"m:%d\"", g->marks++) :
	    jv_string_fmt("m%d", g->marks++);
}

/* An edge from (printed id) to (printed id), with a label or none. */
static void
edge(struct g *g, int depth, jv from, jv to, const char *label,
    const char *kind)
{
	jv q = label != NULL ? quote(g, label) : jv_null();

	if (g->fmt == ASL_GRAPH_DOT) {
		const char *style = strcmp(kind, "catch") == 0 ? ", "
		    "style=dashed, color=red, fontcolor=red" : strcmp(kind,
		    "default") == 0 ? ", style=dashed" : strcmp(kind,
		    "nested") == 0 ? ", style=dotted, arrowhead=none" : "";
		if (label != NULL)
			emit(g, depth, "%s -> %s [label=\"%s\"%s];",
			    jv_string_value(from), jv_string_value(to),
			    jv_string_value(q), style);
		else if (*style != '\0')
			emit(g, depth, "%s -> %s [%s];", jv_string_value(from),
			    jv_string_value(to), style + 2);
		else
			emit(g, depth, "%s -> %s;", jv_string_value(from),
			    jv_string_value(to));
	} else {
		const char *arrow = strcmp(kind, "next") == 0 ? "-->" :
		    strcmp(kind, "nested") == 0 ? "-.-" : "-.->";
		if (label != NULL)
			emit(g, depth, "%s %s|\"%s\"| %s",
			    jv_string_value(from), arrow, jv_string_value(q),
			    jv_string_value(to));
		else
			emit(g, depth, "%s %s %s", jv_string_value(from), arrow,
			    jv_string_value(to));
	}
	jv_free(q);
	jv_free(from);
	jv_free(to);
}

/* Choice rules as text. */

static jv
rule_label(jv rule)
{
	jv out = jv_null(), x, list;
	const char *sep;

	if (jv_get_kind(rule) != JV_KIND_OBJECT) {
		jv_free(rule);
		return jv_string("?");
	}
	if (jv_is_valid(x = get(rule, "Condition"))) {
		out = jv_get_kind(x) == JV_KIND_STRING ? x : jv_dump_string(x,
		    0);
		jv_free(rule);
		return out;
	}
	jv_free(x);
	if (jv_is_valid(x = get(rule, "Not"))) {
		jv inner = rule_label(x);
		out = jv_string_fmt("Not (%s)", jv_string_value(inner));
		jv_free(inner);
		jv_free(rule);
		return out;
	}
	jv_free(x);
	list = get(rule, "And");
	sep = " And ";
	if (!jv_is_valid(list)) {
		jv_free(list);
		list = get(rule, "Or");
		sep = " Or ";
	}
	if (jv_get_kind(list) == JV_KIND_ARRAY) {
		out = jv_string("");
		jv_array_foreach(list, i, r) {
			jv inner = rule_label(r);
			out = jv_string_concat(out, jv_string_fmt("%s(%s)",
			    i > 0 ? sep : "", jv_string_value(inner)));
			jv_free(inner);
		}
		jv_free(list);
		jv_free(rule);
		return out;
	}
	jv_free(list);
	/* Variable and one comparator. */
	x = get(rule, "Variable");
	out = jv_get_kind(x) == JV_KIND_STRING ? jv_copy(x) : jv_string("?");
	jv_free(x);
	jv_object_foreach(rule, k, v) {
		const char *ks = jv_string_value(k);
		if (strcmp(ks, "Variable") != 0 && strcmp(ks, "Next") != 0 &&
		    strcmp(ks, "Comment") != 0 && strcmp(ks, "Assign") != 0 &&
		    strcmp(ks, "Output") != 0) {
			jv val = strlen(ks) > 4 && strcmp(ks + strlen(ks) - 4,
			    "Path") == 0 && jv_get_kind(v) == JV_KIND_STRING ?
			    jv_copy(v) : jv_dump_string(jv_copy(v), 0);
			out = jv_string_concat(out, jv_string_fmt(" %s %s", ks,
			    jv_string_value(val)));
			jv_free(val);
		}
		jv_free(k);
		jv_free(v);
	}
	jv_free(rule);
	return out;
}

jv
asl_graph_rule_label(jv rule)
{
	return rule_label(rule);
}

static const struct shape *
shape_of(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		if (strcmp(shapes[i].type, type) == 0)
			return &shapes[i];
	return &shapes[1];
}

static void machine(struct g *, jv, int, const char *);

/* "States.Timeout, Custom": a catcher's error names. */
static jv
errors_label(jv errs)
{
	jv label = jv_string("");

	if (jv_get_kind(errs) == JV_KIND_ARRAY) {
		jv_array_foreach(errs, i, e) {
			if (jv_get_kind(e) == JV_KIND_STRING)
				label = jv_string_concat(label,
				    jv_string_fmt("%s%s", i > 0 ? ", " : "",
				    jv_string_value(e)));
			jv_free(e);
		}
	}
	jv_free(errs);
	return label;
}

/* The edges leaving one state (borrowed); emark is its scope's end. */
static void
edges(struct g *g, int depth, const char *name, jv s, jv emark)
{
	jv type = get(s, "Type"), x, next, label;

	if (jv_get_kind(x = get(s, "Choices")) == JV_KIND_ARRAY) {
		jv_array_foreach(x, i, r) {
			next = get(r, "Next");
			label = rule_label(jv_copy(r));
			if (jv_get_kind(next) == JV_KIND_STRING)
				edge(g, depth, state_id(g, name), state_id(g,
				    jv_string_value(next)),
				    jv_string_value(label), "next");
			jv_free(label);
			jv_free(next);
			jv_free(r);
			(void)i;
		}
	}
	jv_free(x);
	if (jv_get_kind(x = get(s, "Default")) == JV_KIND_STRING)
		edge(g, depth, state_id(g, name), state_id(g,
		    jv_string_value(x)), "Default", "default");
	jv_free(x);
	if (jv_get_kind(x = get(s, "Next")) == JV_KIND_STRING)
		edge(g, depth, state_id(g, name), state_id(g,
		    jv_string_value(x)), NULL, "next");
	jv_free(x);
	x = get(s, "End");
	if (jv_get_kind(x) == JV_KIND_TRUE || (jv_get_kind(type) ==
	    JV_KIND_STRING && strcmp(jv_string_value(type), "Succeed") == 0))
		edge(g, depth, state_id(g, name), jv_copy(emark), NULL, "next");
	jv_free(x);
	if (jv_get_kind(x = get(s, "Catch")) == JV_KIND_ARRAY) {
		jv_array_foreach(x, i, c) {
			next = get(c, "Next");
			label = errors_label(get(c, "ErrorEquals"));
			if (jv_get_kind(next) == JV_KIND_STRING)
				edge(g, depth, state_id(g, name), state_id(g,
				    jv_string_value(next)),
				    jv_string_value(label), "catch");
			jv_free(label);
			jv_free(next);
			jv_free(c);
			(void)i;
		}
	}
	jv_free(x);
	jv_free(type);
}

static void
node(struct g *g, int depth, const char *name, const char *type)
{
	const struct shape *sh = shape_of(type);
	jv id = state_id(g, name), q = quote(g, name);

	if (g->fmt == ASL_GRAPH_DOT)
		emit(g, depth, "%s [label=\"%s\\n%s\", %s];",
		    jv_string_value(id), jv_string_value(q), type, sh->dot);
	else
		emit(g, depth, "%s%s\"%s<br/><i>%s</i>\"%s",
		    jv_string_value(id), sh->open, jv_string_value(q), type,
		    sh->close);
	jv_free(id);
	jv_free(q);
}

/* The clusters of a Parallel's branches or a Map's processor. */
static void
nested(struct g *g, int depth, const char *name, jv state, const char *type)
{
	jv list, proc, q;
	int i, n;

	if (strcmp(type, "Parallel") == 0)
		list = get(state, "Branches");
	else {
		proc = get(state, "ItemProcessor");
		if (!jv_is_valid(proc)) {
			jv_free(proc);
			proc = get(state, "Iterator");
		}
		list = JV_ARRAY(proc);
	}
	if (jv_get_kind(list) != JV_KIND_ARRAY) {
		jv_free(list);
		return;
	}
	n = jv_array_length(jv_copy(list));
	for (i = 0; i < n; i++) {
		jv title = strcmp(type, "Parallel") == 0 ?
		    jv_string_fmt("%s: branch %d", name, i + 1) :
		    jv_string_fmt("%s: item processor", name);
		q = quote(g, jv_string_value(title));
		if (g->fmt == ASL_GRAPH_DOT) {
			emit(g, depth, "subgraph \"cluster_%d\" {",
			    g->clusters++);
			emit(g, depth + 1, "label=\"%s\";", jv_string_value(q));
			emit(g, depth + 1, "style=rounded;");
			emit(g, depth + 1, "color=gray;");
		} else
			emit(g, depth, "subgraph c%d [\"%s\"]", g->clusters++,
			    jv_string_value(q));
		machine(g, jv_array_get(jv_copy(list), i), depth + 1, name);
		emit(g, depth, g->fmt == ASL_GRAPH_DOT ? "}" : "end");
		jv_free(q);
		jv_free(title);
	}
	jv_free(list);
}

/*
 * One machine: marks, states, nested machines, edges.  The edge from the
 * state that holds it (parent, NULL at the top) to its start mark is drawn
 * by the machine itself, after the mark exists.
 */
static void
machine(struct g *g, jv m, int depth, const char *parent)
{
	jv states = get(m, "States"), start = get(m, "StartAt");
	jv smark = mark_id(g), emark = mark_id(g), type;

	if (g->fmt == ASL_GRAPH_DOT) {
		emit(g, depth, "%s [label=\"\", shape=circle, style=filled, "
		    "fillcolor=black, width=0.2];", jv_string_value(smark));
		emit(g, depth, "%s [label=\"\", shape=doublecircle, "
		    "style=filled, fillcolor=black, width=0.15];",
		    jv_string_value(emark));
	} else {
		emit(g, depth, "%s((Start))", jv_string_value(smark));
		emit(g, depth, "%s(((End)))", jv_string_value(emark));
	}
	if (jv_get_kind(states) == JV_KIND_OBJECT) {
		jv_object_foreach(states, k, s) {
			type = get(s, "Type");
			node(g, depth, jv_string_value(k),
			    jv_get_kind(type) == JV_KIND_STRING ?
			    jv_string_value(type) : "?");
			jv_free(type);
			jv_free(k);
			jv_free(s);
		}
		jv_object_foreach(states, k, s) {
			type = get(s, "Type");
			if (jv_get_kind(type) == JV_KIND_STRING &&
			    (strcmp(jv_string_value(type), "Parallel") == 0 ||
			    strcmp(jv_string_value(type), "Map") == 0))
				nested(g, depth, jv_string_value(k), s,
				    jv_string_value(type));
			jv_free(type);
			jv_free(k);
			jv_free(s);
		}
	}
	if (parent != NULL)
		edge(g, depth, state_id(g, parent), jv_copy(smark), NULL,
		    "nested");
	if (jv_get_kind(start) == JV_KIND_STRING)
		edge(g, depth, jv_copy(smark), state_id(g,
		    jv_string_value(start)), NULL, "next");
	if (jv_get_kind(states) == JV_KIND_OBJECT) {
		jv_object_foreach(states, k, s) {
			edges(g, depth, jv_string_value(k), s, emark);
			jv_free(k);
			jv_free(s);
		}
	}
	jv_free(smark);
	jv_free(emark);
	jv_free(states);
	jv_free(start);
	jv_free(m);
}

jv
asl_graph(jv def, enum asl_graph_format fmt)
{
	struct g g;
	jv comment;

	memset(&g, 0, sizeof g);
	g.fmt = fmt;
	g.out = jv_string("");
	g.ids = jv_object();
	comment = get(def, "Comment");
	if (fmt == ASL_GRAPH_DOT) {
		emit(&g, 0, "digraph \"state machine\" {");
		if (jv_get_kind(comment) == JV_KIND_STRING) {
			jv q = quote(&g, jv_string_value(comment));
			emit(&g, 1, "label=\"%s\";", jv_string_value(q));
			emit(&g, 1, "labelloc=t;");
			jv_free(q);
		}
		emit(&g, 1, "node [fontname=\"Helvetica\", fontsize=11];");
		emit(&g, 1, "edge [fontname=\"Helvetica\", fontsize=9];");
	} else
		emit(&g, 0, "flowchart TD");
	jv_free(comment);
	machine(&g, def, 1, NULL);
	if (fmt == ASL_GRAPH_DOT)
		emit(&g, 0, "}");
	jv_free(g.ids);
	return g.out;
}

int
asl_graph_format(const char *name)
{
	if (strcmp(name, "dot") == 0)
		return ASL_GRAPH_DOT;
	if (strcmp(name, "mermaid") == 0)
		return ASL_GRAPH_MERMAID;
	return -1;
}
