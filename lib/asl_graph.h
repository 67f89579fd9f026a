/*
 * asl_graph.h - a state machine as a picture: Graphviz DOT or a Mermaid
 * flowchart.
 *
 * One node per state, shaped by its type (Task a rounded box, Choice a
 * diamond, Wait a hexagon, Pass a box, Succeed an ellipse, Fail an
 * octagon, Parallel and Map a box3d/subroutine), a start mark and an end
 * mark per machine, and edges for Next, each Choice rule (labelled with
 * its condition, "$.x NumericGreaterThan 5"), Default, and each Catch
 * (labelled with its error names).  Parallel branches and Map processors
 * are nested clusters (subgraphs) entered from their state (the edge
 * into a cluster is drawn outside it, so that Graphviz keeps the state
 * outside).
 *
 * Ownership follows jv.h.  The definition must be valid (asl_validate).
 */
#ifndef ASL_GRAPH_H
#define ASL_GRAPH_H

#include <jv.h>

enum asl_graph_format {
	ASL_GRAPH_DOT,
	ASL_GRAPH_MERMAID
};

/* The picture of def (consumed), as a string ending in a newline. */
jv	asl_graph(jv def, enum asl_graph_format format);

/*
 * The picture of an execution: def (consumed) drawn as asl_graph draws it,
 * each state filled by what outcome (consumed: asl_outcome's report, with
 * the execution's "name" added if wanted) says happened to it (not
 * reached, succeeded, retried, caught, failed, running, aborted), with a
 * line saying so ("3 visits: 2 succeeded, 1 failed, retried 2 times";
 * "items: 4 succeeded, 1 failed"), and the edges the execution took drawn
 * bold, the others gray.  The title is the execution's name and status.
 */
jv	asl_graph_execution(jv def, jv outcome, enum asl_graph_format format);

/* The format named "dot" or "mermaid"; -1 for any other name. */
int	asl_graph_format(const char *name);

/*
 * A Choice rule (borrowed) as one line of text: "$.x NumericEquals 5",
 * "($.a IsPresent true) And ($.b StringEquals \"x\")", "Not ($.x IsNull
 * true)", or a JSONata rule's Condition.
 */
jv	asl_graph_rule_label(jv rule);

#endif /* !ASL_GRAPH_H */
