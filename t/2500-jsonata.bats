#!/usr/bin/env bats
# JSONata as JSONata states evaluate it, through the test driver
# asl-jsonata-eval (t/unit/asl-jsonata-eval.c): the ported sample of the
# JSONata test suite, what AWS adds, and the driver's contract.

load lib/common

@test "jsonata: the sample of the JSONata test suite" {
	run_tests asl-jsonata-eval jsonata.test
}

@test "jsonata: what Step Functions adds and removes" {
	run_tests asl-jsonata-eval jsonata-aws.test
}

@test "a result prints as one line of compact JSON" {
	run -0 asl-jsonata-eval 'Account.{"n": Order.OrderID}' <<<'{"Account":{"Order":[{"OrderID":"a"},{"OrderID":"b"}]}}'
	[ "$output" = '{"n":["a","b"]}' ]
}

@test "an undefined result prints nothing and exits 0" {
	run -0 --separate-stderr asl-jsonata-eval 'nothing.here' <<<'{}'
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "no input at all is undefined input" {
	run -0 asl-jsonata-eval '$exists($)' </dev/null
	[ "$output" = false ]
}

@test "an evaluation error: CODE: MESSAGE on stderr, exit 1" {
	run -1 --separate-stderr asl-jsonata-eval '1 + "a"' <<<'{}'
	[ "$output" = "" ]
	[ "$stderr" = 'asl-jsonata-eval: T2002: The right side of the "+" operator must evaluate to a number' ]
}

@test "a syntax error: CODE: MESSAGE on stderr, exit 2, before stdin is read" {
	run -2 --separate-stderr asl-jsonata-eval 'foo.(bar' </dev/null
	[ "$stderr" = 'asl-jsonata-eval: S0203: Expected ")" before end of expression' ]
}

@test "--bindings and -V give the variables" {
	run -0 asl-jsonata-eval --bindings '{"x": 2}' '$x * 21' <<<'{}'
	[ "$output" = 42 ]
	echo '{"states": {"input": {"v": [1, 2, 3]}}}' > vars.json
	run -0 asl-jsonata-eval -c /dev/null -V vars.json '$sum($states.input.v)' <<<'{}'
	[ "$output" = 6 ]
}

@test "input that is not JSON: exit 3" {
	run -3 --separate-stderr asl-jsonata-eval '$' <<<'{"a":'
	[[ "$stderr" == "asl-jsonata-eval: <stdin>: "* ]]
}

@test "no expression: usage, exit 2" {
	run -2 --separate-stderr asl-jsonata-eval </dev/null
	[ "${stderr_lines[0]}" = "usage: asl-jsonata-eval [-c FILE] [-V FILE] [--bindings JSON] [--repeat N] EXPR" ]
}

@test "compiled once, evaluated many times" {
	run -0 asl-jsonata-eval --repeat 1000 '$map(items, function($v, $i){ {"i": $i, "v": $uppercase($v)} })[1]' <<<'{"items": ["a", "b", "c"]}'
	[ "$output" = '{"i":1,"v":"B"}' ]
}

@test "a large input is not copied per step" {
	python3 -c 'import json; print(json.dumps({"a": [{"v": i} for i in range(100000)]}))' > big.json
	run -0 asl-jsonata-eval '$sum(a.v)' < big.json
	[ "$output" = 4999950000 ]
}
