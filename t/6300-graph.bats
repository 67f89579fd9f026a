#!/usr/bin/env bats
# asl graph EXEC: the machine colored by what an execution did.

load lib/common

# tour.json: a Parallel whose second branch retries a failing task twice
# and catches it; a Map whose second item fails (the Map's Catch takes
# it); B3 is never reached.
tour() {
	ASL_CLOCK=test ASL_PATH="$DATA/observe/bin" run -0 asl run \
	    "$DATA/observe/tour.json" --name tour --input '{"items":[1,2,3]}'
}

@test "graph --format json: what happened to each state" {
	tour
	run -0 asl graph tour --format json
	assert_json '{"status":"SUCCEEDED","name":"tour",
	    "B":{"status":"caught","visits":1,"retries":2,"failures":3},
	    "W":{"status":"succeeded","visits":2},
	    "Bad":{"status":"failed"},
	    "P":{"kind":"branches","length":2,"succeeded":2,"failed":0},
	    "M":{"status":"caught","kind":"items","length":3,"succeeded":1,
	         "failed":1,"notStarted":1},
	    "reached":["A","B","B2","Bad","Done","M","Ok","P","W"],
	    "transitions":{"B":{"B2":1},"P":{"M":1},"W":{"Ok":1,"Bad":1},
	                   "M":{"Done":1}}}' "$(jq -c '{status, name,
	    B: (.states.B | {status, visits, retries, failures}),
	    W: (.states.W | {status, visits}),
	    Bad: (.states.Bad | {status}),
	    P: (.states.P.children | {kind, length, succeeded, failed}),
	    M: (.states.M | {status} + (.children | {kind, length, succeeded,
	        failed, notStarted})),
	    reached: (.states | keys), transitions}' <<<"$output")"
}

@test "graph: states filled by outcome, the path taken bold" {
	tour
	run -0 --separate-stderr asl graph tour
	[ "$stderr" = "" ]
	[ "${lines[1]}" = $'\tlabel="tour: SUCCEEDED";' ]
	[[ $output == *'"n:B" [label="B\nTask\n1 caught, retried 2 times", shape=box, style="rounded,filled", fillcolor=orange, penwidth=2];'* ]]
	[[ $output == *'"n:B3" [label="B3\nPass\nnot reached", shape=box, style="filled,dashed", fillcolor=white, color=gray60, fontcolor=gray50];'* ]]
	[[ $output == *'"n:Bad" [label="Bad\nFail\n1 failed", shape=octagon, style="filled", fillcolor=lightpink, penwidth=2];'* ]]
	[[ $output == *'"n:M" [label="M\nMap\n1 caught\nitems: 1 succeeded, 1 failed, 1 not started"'* ]]
	[[ $output == *'"n:P" [label="P\nParallel\n1 succeeded\nbranches: 2 succeeded"'* ]]
	# taken: the Catch of B; not taken: its Next
	[[ $output == *'"n:B" -> "n:B2" [label="States.ALL", style=dashed, color=red, fontcolor=red, penwidth=3];'* ]]
	[[ $output == *'"n:B" -> "n:B3" [color=gray60, fontcolor=gray50];'* ]]
	# M went to Done by its Catch, not by its Next
	[[ $output == *'"n:M" -> "n:Done" [color=gray60, fontcolor=gray50];'* ]]
	[[ $output == *'"n:M" -> "n:Done" [label="States.ALL", style=dashed, color=red, fontcolor=red, penwidth=3];'* ]]
}

@test "graph: a Parallel stays outside its branches' clusters" {
	tour
	run -0 asl graph tour
	# the edges into the clusters are drawn at the top level
	[[ $output == *$'\n\t"n:P" -> "m:2" [style=dotted'* ]]
	[[ $output == *$'\n\t"n:P" -> "m:4" [style=dotted'* ]]
	if ! command -v dot >/dev/null; then
		return 0
	fi
	# Graphviz's own account: P is a node of the top graph only
	printf '%s\n' "$output" >tour.dot
	run -0 dot -Tcanon tour.dot
	run -0 grep -E $'^\t+"n:P"\t\\[' <<<"$output"
	[ "$output" = $'\t"n:P"\t[fillcolor=palegreen,' ]
}

@test "graph --format mermaid: classes for outcomes, thick edges taken" {
	tour
	run -0 asl graph tour --format mermaid
	[ "${lines[0]}" = "flowchart TD" ]
	[[ $output == *'classDef caught fill:#ffa500'* ]]
	[[ $output == *'"B<br/><i>Task</i><br/>1 caught, retried 2 times"):::caught'* ]]
	[[ $output == *'<br/>not reached"]:::unreached'* ]]
	run -0 grep -c -- '==>' <<<"$output"
	[ "$output" -ge 10 ]
}

@test "graph --format svg renders through Graphviz" {
	if ! command -v dot >/dev/null; then
		skip "Graphviz is not installed"
	fi
	tour
	run -0 --separate-stderr asl graph tour --format svg
	[ "$stderr" = "" ]
	[[ $output == *"<svg"* ]]
	[[ $output == *"<title>n:B3</title>"* ]]
	[[ $output == *'fill="orange"'* ]]
}

@test "graph --format svg without Graphviz says what to install" {
	tour
	mkdir bin
	ln -s "$(command -v asl)" bin/asl
	run -4 --separate-stderr env PATH="$PWD/bin" asl graph tour --format svg
	[ "$output" = "" ]
	[ "$stderr" = "asl: --format svg needs Graphviz's dot (apt-get install graphviz), or use --format dot" ]
}

@test "graph: a RUNNING execution's current state is running" {
	run -75 asl run "$DATA/observe/nap.json" --name nap --detach
	run -0 asl graph nap
	[[ $output == *'"n:Nap" [label="Nap\nWait\n1 running", shape=hexagon, style="filled", fillcolor=lightskyblue, penwidth=2];'* ]]
	[[ $output == *'"n:After" [label="After\nPass\nnot reached"'* ]]
	[ "${lines[1]}" = $'\tlabel="nap: RUNNING";' ]
}

@test "graph: usage and unknown executions" {
	run -2 --separate-stderr asl graph nosuch --format png
	[ "${stderr_lines[0]}" = "asl: --format: 'png' is not dot, mermaid, svg or json" ]
	run -1 --separate-stderr asl graph nosuch
	[ "$output" = "" ]
	[[ $stderr == "asl: ExecutionDoesNotExist: "* ]]
}
