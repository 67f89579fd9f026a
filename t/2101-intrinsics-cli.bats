#!/usr/bin/env bats
# asl-jsonpath with an intrinsic call as a user runs it: what goes to
# stdout and stderr, and the exit statuses.

load lib/common

@test "a call's result on stdout, compact; exit 0" {
	run -0 --separate-stderr asl-jsonpath "States.Format('Hello, {}!', \$.name)" \
	    <<<'{"name": "World"}'
	[ "$output" = '"Hello, World!"' ]
	[ "$stderr" = "" ]
}

@test "--pretty indents a call's result" {
	run -0 asl-jsonpath --pretty 'States.ArrayPartition(States.Array(1, 2, 3), 2)' <<<'{}'
	[ "$output" = $'[\n  [\n    1,\n    2\n  ],\n  [\n    3\n  ]\n]' ]
}

@test "an intrinsic failure: 'asl-jsonpath: States.IntrinsicFailure: CAUSE', exit 1" {
	run -1 --separate-stderr asl-jsonpath 'States.ArrayGetItem($.a, 5)' <<<'{"a": [1, 2]}'
	[ "$output" = "" ]
	[ "$stderr" = "asl-jsonpath: States.IntrinsicFailure: States.ArrayGetItem: the index 5 is out of range for an array of 2 elements" ]
}

@test "a failure deep in nested calls names the function that failed" {
	run -1 --separate-stderr asl-jsonpath \
	    "States.Format('{}', States.ArrayLength(States.StringToJson('{')))" <<<'{}'
	[ "$stderr" = "asl-jsonpath: States.IntrinsicFailure: States.StringToJson: the string is not valid JSON: expected a string key, found end of input at column 2" ]
}

@test "a path argument that does not resolve: States.Runtime, exit 1" {
	run -1 --separate-stderr asl-jsonpath 'States.Array($.a.b)' <<<'{"a": {}}'
	[ "$output" = "" ]
	[ "$stderr" = "asl-jsonpath: States.Runtime: Invalid path '\$.a.b' : No results for path: \$['a']['b']" ]
}

@test "a malformed call is a usage error, exit 2, reported before stdin is read" {
	run -2 --separate-stderr asl-jsonpath "States.Format('it's')" </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "asl-jsonpath: invalid expression 'States.Format('it's')': expected ',' or ')' at offset 18" ]
}

@test "an unknown function is a usage error, exit 2" {
	run -2 --separate-stderr asl-jsonpath 'States.Concat($.a, $.b)' </dev/null
	[ "$stderr" = "asl-jsonpath: invalid expression 'States.Concat(\$.a, \$.b)': unknown intrinsic function 'States.Concat' at offset 0" ]
}

@test "a wrong number of arguments is a usage error, exit 2" {
	run -2 --separate-stderr asl-jsonpath 'States.MathAdd(1)' </dev/null
	[ "$stderr" = "asl-jsonpath: invalid expression 'States.MathAdd(1)': States.MathAdd takes 2 arguments, not 1 at offset 0" ]
}

@test "input that is not JSON is still exit 3 for a call" {
	run -3 --separate-stderr asl-jsonpath 'States.UUID()' <<<'not json'
	[ "$output" = "" ]
	[ "$stderr" = "asl-jsonpath: <stdin>:1:1: unexpected 'n' where a value was expected" ]
}

@test "-c and -V feed \$\$ and \$name arguments" {
	echo '{"Execution": {"Name": "run-7"}}' > ctx.json
	echo '{"greeting": "hi"}' > vars.json
	run -0 asl-jsonpath -c ctx.json -V vars.json \
	    "States.Format('{} from {}', \$greeting, \$\$.Execution.Name)" <<<'{}'
	[ "$output" = '"hi from run-7"' ]
}

@test "an undefined variable in a call: States.Runtime, exit 1" {
	run -1 --separate-stderr asl-jsonpath 'States.Array($nope)' <<<'{}'
	[ "$stderr" = "asl-jsonpath: States.Runtime: Invalid path '\$nope' : The variable '\$nope' is not defined" ]
}
