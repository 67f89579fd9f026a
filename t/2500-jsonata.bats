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

# Expressions that crashed the parser or the evaluator under fuzzing
# (../shared/reliability/repro/jsonata, copied to t/data/jsonata-repro):
# each is now a syntax error (2), an evaluation error (1) or a value (0),
# in bounded time, with no sanitizer report (make check SANITIZE=1).
# A NUL cannot reach the engine in an argument; the text before it can.
@test "fuzz findings: every crashing expression is an answer, an error or a syntax error" {
	local f bad=0 expr inp
	for inp in '{}' '{"a":[1,2,3],"b":{"c":"x"},"s":"hello"}' ''; do
		for f in "$DATA"/jsonata-repro/*; do
			expr=$(tr -d '\000' <"$f")
			run --separate-stderr timeout 10 asl-jsonata-eval "$expr" <<<"$inp"
			if [ "$status" -gt 2 ] || [[ "$stderr" == *Sanitizer* ]] ||
			    [[ "$stderr" == *"runtime error"* ]] ||
			    [[ "$stderr" == *Assertion* ]]; then
				echo "${f##*/} on '$inp': exit $status: ${stderr:0:300}"
				bad=1
			fi
		done
	done
	[ "$bad" = 0 ]
}

@test "fuzz findings: \$formatNumber with a picture that is not a string is T0410" {
	run -1 --separate-stderr asl-jsonata-eval '$formatNumber(20.1, nothing)' <<<'{}'
	[[ "$stderr" == 'asl-jsonata-eval: T0410: Argument 2 of function "formatNumber" does not match function signature' ]]
}

@test "fuzz findings: the table of what fuzzing found" {
	run_tests asl-jsonata-eval jsonata-fuzz.test
}

@test "fuzz findings: grouping an empty tuple stream is no crash" {
	run -0 asl-jsonata-eval '$x # $i{}' <<<'{}'
	[ "$output" = '{}' ]
	# a group made of the empty stream's one undefined item (jsonata-js
	# fails there with a TypeError)
	run -0 asl-jsonata-eval 'q@${"a":1}' <<<'{}'
	[ "$output" = '{"a":1}' ]
	run -0 asl-jsonata-eval 'q@$x{"a": $x}' <<<'{"q":[1,2]}'
	[ "$output" = '{"a":[1,2]}' ]
}

# A tail call runs in constant stack, but each application's frame lives
# until the evaluation ends: an endless one used to grow by gigabytes.
@test "fuzz findings: a tail recursion without end stops at the call limit, in bounded memory" {
	local e
	# 1 GB of address space, except under ASan, whose shadow needs more
	local lim='ulimit -v 1048576;'
	case $BUILD in *san*) lim= ;; esac
	for e in '($f := function(){ $f() }; $f())' '($f := function($n){ $n < 1 ? $n : $f($n - x) }; $f(15))'; do
		run -1 --separate-stderr bash -c "$lim"' exec timeout 120 asl-jsonata-eval "$1" <<<"{}"' bash "$e"
		[ "$stderr" = 'asl-jsonata-eval: U1003: The evaluation made more than 1000000 function calls: check for non-terminating recursion' ]
	done
	run -0 asl-jsonata-eval '($f := function($n){ $n = 0 ? "done" : $f($n - 1) }; $f(100000))' <<<'{}'
	[ "$output" = '"done"' ]
}
