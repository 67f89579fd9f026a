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
	jv			 states;	/* an execution's (asl_outcome), */
	jv			 taken;		/* or null: the bare machine */
};

/* An execution's colors: a state by its status, by outcome class. */
static const struct paint {
	const char	*status;
	const char	*fill, *mermaid;
	const char	*class;		/* Mermaid's class: a bare word */
} paints[] = {
	{ "not-reached", "white", "fill:#ffffff,stroke:#999999,color:#999999,"
	    "stroke-dasharray:4 3", "unreached" },
	{ "succeeded", "palegreen", "fill:#98fb98,stroke:#2e7d32", "succeeded" },
	{ "retried", "khaki", "fill:#f0e68c,stroke:#8d6e00", "retried" },
	{ "caught", "orange", "fill:#ffa500,stroke:#b35c00", "caught" },
	{ "failed", "lightpink", "fill:#ffb6c1,stroke:#c62828,"
	    "stroke-width:3px", "failed" },
	{ "running", "lightskyblue", "fill:#87cefa,stroke:#1565c0,"
	    "stroke-width:3px", "running" },
	{ "aborted", "gray80", "fill:#cccccc,stroke:#616161", "aborted" }
};

static const struct shape {
	const char	*type;
	const char	*dot;		/* node attributes */
	const char	*open, *close;	/* Mermaid delimiters */
	const char	*dotshape, *dotstyle;	/* an execution's nodes */
} shapes[] = {
	{ "Task", "shape=box, style=rounded", "(", ")", "box", "rounded," },
	{ "Pass", "shape=box", "[", "]", "box", "" },
	{ "Choice", "shape=diamond", "{", "}", "diamond", "" },
	{ "Wait", "shape=hexagon", "{{", "}}", "hexagon", "" },
	{ "Succeed", "shape=ellipse, style=filled, fillcolor=palegreen",
	    "([", "])", "ellipse", "" },
	{ "Fail", "shape=octagon, style=filled, fillcolor=lightpink",
	    "[\\", "/]", "octagon", "" },
	{ "Parallel", "shape=box3d", "[[", "]]", "box3d", "" },
	{ "Map", "shape=box3d, style=dashed", "[/", "/]", "box3d", "dashed," }
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

/*
 * An edge from (printed id) to (printed id), with a label or none; taken
 * is whether the execution went that way (-1: no execution is drawn).
 */
static void
edge(struct g *g, int depth, jv from, jv to, const char *label,
    const char *kind, int taken)
{
	jv q = label != NULL ? quote(g, label) : jv_null();
	jv st = jv_null();

	if (g->fmt == ASL_GRAPH_DOT) {
		const char *style;
		st = jv_string(strcmp(kind, "catch") == 0 ? ", "
		    "style=dashed, color=red, fontcolor=red" : strcmp(kind,
		    "default") == 0 ? ", style=dashed" : strcmp(kind,
		    "nested") == 0 ? ", style=dotted, arrowhead=none" : "");
		if (taken == 1)
			st = jv_string_append_str(st, strcmp(kind, "catch") ==
			    0 ? ", penwidth=3" : ", penwidth=3, color=\"#1b5e20\"");
		else if (taken == 0 && strcmp(kind, "catch") != 0)
			st = jv_string_append_str(st, ", color=gray60, "
			    "fontcolor=gray50");
		style = jv_string_value(st);
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
		const char *arrow = taken == 1 && strcmp(kind, "nested") != 0 ?
		    "==>" : strcmp(kind, "next") == 0 ? "-->" :
		    strcmp(kind, "nested") == 0 ? "-.-" : "-.->";
		if (label != NULL)
			emit(g, depth, "%s %s|\"%s\"| %s",
			    jv_string_value(from), arrow, jv_string_value(q),
			    jv_string_value(to));
		else
			emit(g, depth, "%s %s %s", jv_string_value(from), arrow,
			    jv_string_value(to));
	}
	jv_free(st);
	jv_free(q);
	jv_free(from);
	jv_free(to);
}

/* The row of asl_outcome's states for name, or an invalid jv. */
static jv
row_of(struct g *g, const char *name)
{
	if (jv_get_kind(g->states) != JV_KIND_OBJECT)
		return jv_invalid();
	return jv_object_get(jv_copy(g->states), jv_string(name));
}

static double
count(jv row, const char *key)
{
	jv n = get(row, key);
	double d = jv_get_kind(n) == JV_KIND_NUMBER ? jv_number_value(n) : 0;

	jv_free(n);
	return d;
}

/*
 * Whether the execution went from state to state (1, 0; -1: no
 * execution), through a Catch (caught) or not: a Next and a Catch may
 * lead to the same state, told apart by how the state's visits ended.
 */
static int
went(struct g *g, const char *from, const char *to, int caught)
{
	jv row, n;
	int r;

	if (jv_get_kind(g->states) != JV_KIND_OBJECT)
		return -1;
	row = jv_object_get(jv_copy(g->taken), jv_string(from));
	n = get(row, to);
	r = jv_get_kind(n) == JV_KIND_NUMBER && jv_number_value(n) > 0;
	jv_free(n);
	jv_free(row);
	row = row_of(g, from);
	r = r && count(row, caught ? "caught" : "succeeded") > 0;
	jv_free(row);
	return r;
}

/*
 * Whether state name had visits counted under key or key2 (NULL: none):
 * 1 or 0; -1 when no execution is drawn.
 */
static int
visited(struct g *g, const char *name, const char *key, const char *key2)
{
	jv row;
	int r;

	if (jv_get_kind(g->states) != JV_KIND_OBJECT)
		return -1;
	row = row_of(g, name);
	r = count(row, key) + (key2 != NULL ? count(row, key2) : 0) > 0;
	jv_free(row);
	return r;
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

static jv machine(struct g *, jv, int);

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
				    jv_string_value(label), "next", went(g, name,
				    jv_string_value(next), 0));
			jv_free(label);
			jv_free(next);
			jv_free(r);
			(void)i;
		}
	}
	jv_free(x);
	if (jv_get_kind(x = get(s, "Default")) == JV_KIND_STRING)
		edge(g, depth, state_id(g, name), state_id(g,
		    jv_string_value(x)), "Default", "default", went(g, name,
		    jv_string_value(x), 0));
	jv_free(x);
	if (jv_get_kind(x = get(s, "Next")) == JV_KIND_STRING)
		edge(g, depth, state_id(g, name), state_id(g,
		    jv_string_value(x)), NULL, "next", went(g, name,
		    jv_string_value(x), 0));
	jv_free(x);
	x = get(s, "End");
	if (jv_get_kind(x) == JV_KIND_TRUE || (jv_get_kind(type) ==
	    JV_KIND_STRING && strcmp(jv_string_value(type), "Succeed") == 0))
		edge(g, depth, state_id(g, name), jv_copy(emark), NULL, "next",
		    visited(g, name, "succeeded", "caught"));
	jv_free(x);
	if (jv_get_kind(x = get(s, "Catch")) == JV_KIND_ARRAY) {
		jv_array_foreach(x, i, c) {
			next = get(c, "Next");
			label = errors_label(get(c, "ErrorEquals"));
			if (jv_get_kind(next) == JV_KIND_STRING)
				edge(g, depth, state_id(g, name), state_id(g,
				    jv_string_value(next)),
				    jv_string_value(label), "catch", went(g, name,
				    jv_string_value(next), 1));
			jv_free(label);
			jv_free(next);
			jv_free(c);
			(void)i;
		}
	}
	jv_free(x);
	jv_free(type);
}

/* "2 succeeded, 1 failed": the nonzero counts of row among keys. */
static jv
tally(jv row, const char *const *keys, const char *const *words)
{
	jv out = jv_string("");
	int i, any = 0;
	double n;

	for (i = 0; keys[i] != NULL; i++) {
		if ((n = count(row, keys[i])) <= 0)
			continue;
		out = jv_string_concat(out, jv_string_fmt("%s%.0f %s",
		    any++ ? ", " : "", n, words[i]));
	}
	return out;
}

/*
 * What happened to a state, under its name: "succeeded", "retried 2
 * times", "3 visits: 2 succeeded, 1 failed", "items: 4 succeeded, 1
 * failed"; and the paint it gets.
 */
static jv
story(jv row, const struct paint **paint)
{
	static const char *const outcomes[] = { "succeeded", "caught",
	    "failed", "running", "aborted", NULL };
	static const char *const children[] = { "succeeded", "failed",
	    "running", "aborted", "notStarted", NULL };
	static const char *const child_words[] = { "succeeded", "failed",
	    "running", "aborted", "not started", NULL };
	jv st = get(row, "status"), out, t, ch, kind;
	double visits = count(row, "visits"), retries = count(row, "retries");
	const char *status = jv_get_kind(st) == JV_KIND_STRING ?
	    jv_string_value(st) : "not-reached";
	size_t i;

	if (strcmp(status, "succeeded") == 0 && retries > 0)
		status = "retried";
	*paint = &paints[0];
	for (i = 0; i < sizeof paints / sizeof paints[0]; i++)
		if (strcmp(paints[i].status, status) == 0)
			*paint = &paints[i];
	if (visits == 0) {
		jv_free(st);
		return jv_string("not reached");
	}
	t = tally(row, outcomes, outcomes);
	out = visits > 1 ? jv_string_fmt("%.0f visits: %s", visits,
	    jv_string_value(t)) : jv_copy(t);
	jv_free(t);
	if (retries > 0)
		out = jv_string_concat(out, jv_string_fmt(", retried %.0f %s",
		    retries, retries == 1 ? "time" : "times"));
	ch = get(row, "children");
	if (jv_get_kind(ch) == JV_KIND_OBJECT) {
		kind = get(ch, "kind");
		t = tally(ch, children, child_words);
		out = jv_string_concat(out, jv_string_fmt("\n%s: %s",
		    jv_string_value(kind), jv_string_length_bytes(jv_copy(t)) ?
		    jv_string_value(t) : "none"));
		jv_free(t);
		jv_free(kind);
	}
	jv_free(ch);
	jv_free(st);
	return out;
}

static void
node(struct g *g, int depth, const char *name, const char *type)
{
	const struct shape *sh = shape_of(type);
	const struct paint *paint = NULL;
	jv id = state_id(g, name), q = quote(g, name), row = row_of(g, name);
	jv attrs, text = jv_is_valid(row) || jv_get_kind(g->states) ==
	    JV_KIND_OBJECT ? story(row, &paint) : jv_null(), qt;

	qt = jv_get_kind(text) == JV_KIND_STRING ? quote(g,
	    jv_string_value(text)) : jv_string("");
	if (g->fmt == ASL_GRAPH_DOT) {
		if (paint == NULL)
			attrs = jv_string(sh->dot);
		else
			attrs = jv_string_fmt("shape=%s, style=\"%sfilled%s\", "
			    "fillcolor=%s%s", sh->dotshape, sh->dotstyle,
			    strcmp(paint->status, "not-reached") == 0 ?
			    ",dashed" : "", paint->fill,
			    strcmp(paint->status, "not-reached") == 0 ?
			    ", color=gray60, fontcolor=gray50" : ", penwidth=2");
		emit(g, depth, "%s [label=\"%s\\n%s%s%s\", %s];",
		    jv_string_value(id), jv_string_value(q), type,
		    paint != NULL ? "\\n" : "", jv_string_value(qt),
		    jv_string_value(attrs));
		jv_free(attrs);
	} else
		emit(g, depth, "%s%s\"%s<br/><i>%s</i>%s%s\"%s%s%s",
		    jv_string_value(id), sh->open, jv_string_value(q), type,
		    paint != NULL ? "<br/>" : "", jv_string_value(qt),
		    sh->close, paint != NULL ? ":::" : "", paint != NULL ?
		    paint->class : "");
	jv_free(qt);
	jv_free(text);
	jv_free(row);
	jv_free(id);
	jv_free(q);
}

/* The clusters of a Parallel's branches or a Map's processor. */
static void
nested(struct g *g, int depth, const char *name, jv state, const char *type)
{
	jv list, proc, q, smark;
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
		smark = machine(g, jv_array_get(jv_copy(list), i), depth + 1);
		emit(g, depth, g->fmt == ASL_GRAPH_DOT ? "}" : "end");
		/*
		 * Outside the cluster: Graphviz puts a node named in a
		 * cluster's edge into that cluster.
		 */
		edge(g, depth, state_id(g, name), smark, NULL, "nested",
		    visited(g, name, "visits", NULL));
		jv_free(q);
		jv_free(title);
	}
	jv_free(list);
}

/*
 * One machine: marks, states, nested machines, edges.  Returns its start
 * mark's id, for the edge from the state that holds it.
 */
static jv
machine(struct g *g, jv m, int depth)
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
	if (jv_get_kind(start) == JV_KIND_STRING)
		edge(g, depth, jv_copy(smark), state_id(g,
		    jv_string_value(start)), NULL, "next", visited(g,
		    jv_string_value(start), "visits", NULL));
	if (jv_get_kind(states) == JV_KIND_OBJECT) {
		jv_object_foreach(states, k, s) {
			edges(g, depth, jv_string_value(k), s, emark);
			jv_free(k);
			jv_free(s);
		}
	}
	jv_free(emark);
	jv_free(states);
	jv_free(start);
	jv_free(m);
	return smark;
}

static jv
draw(jv def, jv outcome, enum asl_graph_format fmt)
{
	struct g g;
	jv comment, title = jv_null();
	size_t i;

	memset(&g, 0, sizeof g);
	g.fmt = fmt;
	g.out = jv_string("");
	g.ids = jv_object();
	g.states = get(outcome, "states");
	g.taken = get(outcome, "transitions");
	comment = get(def, "Comment");
	if (jv_get_kind(g.states) == JV_KIND_OBJECT) {
		jv st = get(outcome, "status"), name = get(outcome, "name");
		title = jv_string_fmt("%s%s%s", jv_get_kind(name) ==
		    JV_KIND_STRING ? jv_string_value(name) : "execution",
		    ": ", jv_get_kind(st) == JV_KIND_STRING ?
		    jv_string_value(st) : "?");
		if (jv_get_kind(comment) == JV_KIND_STRING)
			title = jv_string_concat(title, jv_string_fmt("\n%s",
			    jv_string_value(comment)));
		jv_free(st);
		jv_free(name);
	} else if (jv_get_kind(comment) == JV_KIND_STRING)
		title = jv_copy(comment);
	if (fmt == ASL_GRAPH_DOT) {
		emit(&g, 0, "digraph \"state machine\" {");
		if (jv_get_kind(title) == JV_KIND_STRING) {
			jv q = quote(&g, jv_string_value(title));
			emit(&g, 1, "label=\"%s\";", jv_string_value(q));
			emit(&g, 1, "labelloc=t;");
			jv_free(q);
		}
		emit(&g, 1, "node [fontname=\"Helvetica\", fontsize=11];");
		emit(&g, 1, "edge [fontname=\"Helvetica\", fontsize=9];");
	} else {
		emit(&g, 0, "flowchart TD");
		if (jv_get_kind(g.states) == JV_KIND_OBJECT)
			for (i = 0; i < sizeof paints / sizeof paints[0]; i++)
				emit(&g, 1, "classDef %s %s", paints[i].class,
				    paints[i].mermaid);
	}
	jv_free(comment);
	jv_free(title);
	jv_free(machine(&g, def, 1));
	if (fmt == ASL_GRAPH_DOT)
		emit(&g, 0, "}");
	jv_free(g.ids);
	jv_free(g.states);
	jv_free(g.taken);
	jv_free(outcome);
	return g.out;
}

jv
asl_graph(jv def, enum asl_graph_format fmt)
{
	return draw(def, jv_null(), fmt);
}

jv
asl_graph_execution(jv def, jv outcome, enum asl_graph_format fmt)
{
	return draw(def, outcome, fmt);
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
