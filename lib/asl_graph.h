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
 * are nested clusters (subgraphs) entered from their state.
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

/* The format named "dot" or "mermaid"; -1 for any other name. */
int	asl_graph_format(const char *name);

/*
 * A Choice rule (borrowed) as one line of text: "$.x NumericEquals 5",
 * "($.a IsPresent true) And ($.b StringEquals \"x\")", "Not ($.x IsNull
 * true)", or a JSONata rule's Condition.
 */
jv	asl_graph_rule_label(jv rule);

#endif /* !ASL_GRAPH_H */
