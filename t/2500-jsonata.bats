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

# JavaScript's ToNumber(undefined) is NaN, and a signature lets undefined
# through for every parameter, as jsonata-js's does.
@test "fuzz findings: an undefined argument where a number or a picture goes is no crash" {
	run -0 asl-jsonata-eval '[$substring("hello", nothing), $substring("hello", nothing, 2), $substring("hello", 1, nothing), $pad("ab", nothing)]' <<<'{}'
	[ "$output" = '["hello","","ello","ab"]' ]
	run -1 --separate-stderr asl-jsonata-eval '$power(1, nothing)' <<<'{}'
	[ "$stderr" = 'asl-jsonata-eval: D3061: The power function has resulted in a value that cannot be represented as a JSON number: base=1, exponent=undefined' ]
	run -1 --separate-stderr asl-jsonata-eval '$formatInteger(1, nothing)' <<<'{}'
	[ "$stderr" = 'asl-jsonata-eval: T0410: Argument 2 of function "formatInteger" does not match function signature' ]
	run -1 --separate-stderr asl-jsonata-eval '$parseInteger("12", nothing)' <<<'{}'
	[ "$stderr" = 'asl-jsonata-eval: T0410: Argument 2 of function "parseInteger" does not match function signature' ]
}

@test "fuzz findings: \$pad to a width past what it pads to is an error, not undefined behaviour" {
	run -0 asl-jsonata-eval '[$pad("é", 4, "àb"), $pad("ab", -5, "xy"), $length($pad("a", 100000))]' <<<'{}'
	[ "$output" = '["éàbà","xyxab",100000]' ]
	run -1 --separate-stderr asl-jsonata-eval '$pad("a", 1e300)' <<<'{}'
	[ "$stderr" = 'asl-jsonata-eval: ASL.PadLimit: The width 1e+300 given to $pad is more than this implementation pads to' ]
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
		[ "$stderr" = 'asl-jsonata-eval: ASL.CallLimit: The expression applied more than 1000000 functions; does a recursion never end?' ]
	done
	run -0 asl-jsonata-eval '($f := function($n){ $n = 0 ? "done" : $f($n - 1) }; $f(100000))' <<<'{}'
	[ "$output" = '"done"' ]
}

@test "fuzz findings: a time past what a JavaScript Date holds is an error or null, not undefined behaviour" {
	run -1 --separate-stderr asl-jsonata-eval '$fromMillis(1.2e37)' <<<'{}'
	[ "$stderr" = 'asl-jsonata-eval: ASL.DateRange: The time 1.2e+37 is outside the range of a date (8.64e15 milliseconds either side of 1970)' ]
	run -0 asl-jsonata-eval '[$fromMillis(-8.64e15, "[Y]"), $toMillis("99999999999999999999", "[Y]"), $toMillis("2020-99999999999999", "[Y]-[M]"), $toMillis("2020-03", "[Y]-[M]")]' <<<'{}'
	[ "$output" = '["-271821",null,null,1583020800000]' ]
}

@test "fuzz findings: a back-reference past int's range in a regex matches nothing, with no overflow" {
	run -0 asl-jsonata-eval "$(cat "$DATA/jsonata-repro/backref-overflow.txt").match" <<<'{}'
	[ "$output" = '"a"' ]
	run -0 asl-jsonata-eval '[$contains("ab", /a\99999999999b/), $match("aa", /(a)\1/).match]' <<<'{}'
	[ "$output" = '[true,"aa"]' ]
}

@test "fuzz findings: an index or a partition size past int's range is no undefined behaviour" {
	run -0 asl-jsonata-eval "[$(cat "$DATA/jsonata-repro/index-huge.txt"), [1,2,3][-1e300], [1,2,3][[1e300, 0]], [1,2,3][-1]]" <<<'{}'
	[ "$output" = '[1,3]' ]
	run -0 asl-jsonata-eval '$partition([1,2,3], 1e300)' <<<'{}'
	[ "$output" = '[[1,2,3]]' ]
}
