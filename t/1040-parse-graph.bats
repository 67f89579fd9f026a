#!/usr/bin/env bats
# asl-parse --graph dot|mermaid: the machine as a picture.

load lib/common

EXAMPLE="$ASL_TOP/examples/order-fulfillment/order-fulfillment.asl.json"

@test "--graph dot: a node per state shaped by type, labelled edges, clusters" {
	run -0 --separate-stderr asl-parse --graph dot "$DATA/parse/graph.json"
	[ "$stderr" = "" ]
	diff -u "$DATA/parse/graph.dot" - <<<"$output"
}

@test "Choice rules are labelled with their condition" {
	run -0 asl-parse --graph dot "$DATA/parse/graph.json"
	[[ $output == *'"n:Check" -> "n:Fan out" [label="$.x NumericGreaterThan 5"];'* ]]
	[[ $output == *'"n:Check" -> "n:Give up" [label="Default", style=dashed];'* ]]
	[[ $output == *'[label="States.Timeout, Custom", style=dashed, color=red, fontcolor=red];'* ]]
}

@test "Graphviz renders the order fulfillment workflow" {
	if ! command -v dot >/dev/null; then
		skip "Graphviz is not installed"
	fi
	run -0 asl-parse --graph dot "$EXAMPLE"
	printf '%s\n' "$output" >order.dot
	run -0 --separate-stderr dot -Tsvg order.dot
	[ "$stderr" = "" ]
	[[ $output == *"<svg"* ]]
	for state in ValidateOrder CheckInventory ReserveAndCharge ReserveInventory \
	    ChargePayment PaymentDeclined ShipOrder NotifyShipped RejectOrder \
	    NotifyBackorder; do
		[[ $output == *"<title>n:$state</title>"* ]]
	done
	[[ $output == *"<title>cluster_0</title>"* ]]
	[[ $output == *"<title>cluster_1</title>"* ]]
}

@test "--graph mermaid: the same picture as a flowchart" {
	run -0 --separate-stderr asl-parse --graph mermaid "$DATA/parse/graph.json"
	[ "$stderr" = "" ]
	diff -u "$DATA/parse/graph.mmd" - <<<"$output"
}

# Well-formed: "flowchart TD" first, subgraphs closed, and every edge
# between ids that a node or mark line declares.
mermaid_ok() {
	awk '
	NR == 1 { if ($0 != "flowchart TD") { print "first line: " $0; bad = 1 } next }
	$1 == "subgraph" { depth++; next }
	$1 == "end" { if (--depth < 0) { print "unbalanced end"; bad = 1 } next }
	/^ *[nm][0-9]+[\(\[\{]/ { id = $1; sub(/[\(\[\{].*/, "", id); decl[id] = 1; next }
	/^ *[nm][0-9]+ (-->|-\.->|-\.-)/ { from[NR] = $1; to[NR] = $NF; next }
	{ print "unexpected line: " $0; bad = 1 }
	END {
		for (i in from)
			if (!(from[i] in decl) || !(to[i] in decl)) {
				print "undeclared node in line " i; bad = 1
			}
		if (depth != 0) { print "unclosed subgraph"; bad = 1 }
		exit bad
	}'
}

@test "the mermaid text of the order fulfillment workflow is well formed" {
	run -0 asl-parse --graph mermaid "$EXAMPLE"
	run -0 mermaid_ok <<<"$output"
	run -0 asl-parse --graph mermaid "$DATA/parse/graph.json"
	run -0 mermaid_ok <<<"$output"
}

@test "mermaid text is escaped: quotes, #, < and > in names and conditions" {
	run -0 asl-parse --graph mermaid <<<'{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":"<#>","Next":"x \"y\""}],"Default":"x \"y\""},"x \"y\"":{"Type":"Succeed"}}}'
	[[ $output == *'n0 -->|"$.a StringEquals #quot;#lt;#35;#gt;#quot;"| n1'* ]]
	[[ $output == *'n1(["x #quot;y#quot;<br/><i>Succeed</i>"])'* ]]
}

@test "an invalid definition is not drawn: its diagnostics, exit 1" {
	run -1 --separate-stderr asl-parse --graph dot <<<'{"StartAt":"A","States":{}}'
	[ "$output" = "" ]
	[ "$stderr" = "<stdin>:1:2: error: /StartAt: Missing 'Next' target: A" ]
}

@test "a Parallel is drawn outside the clusters of its branches" {
	if ! command -v dot >/dev/null; then
		skip "Graphviz is not installed"
	fi
	run -0 asl-parse --graph dot "$DATA/parse/graph.json"
	printf '%s\n' "$output" >graph.dot
	run -0 dot -Tcanon graph.dot
	run -0 grep -E $'^\t+"n:Fan out"\t\\[' <<<"$output"
	[ "$output" = $'\t"n:Fan out"\t[label="Fan out\\nParallel",' ]
}
