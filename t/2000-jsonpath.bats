#!/usr/bin/env bats
# asl-jsonpath as a user runs it: paths, templates, ResultPath placement,
# context and variables, errors and exit statuses.

load lib/common

@test "paths: the table of cases" {
	run_tests asl-jsonpath paths.test
}

@test "templates: the table of cases" {
	run_tests asl-jsonpath templates.test
}

@test "ResultPath placement: the table of cases" {
	run_tests asl-jsonpath place.test
}

@test "a path on stdin's document, compact output" {
	run -0 asl-jsonpath '$.a' <<<'{"a": {"b": [1, 2]}}'
	[ "$output" = '{"b":[1,2]}' ]
}

@test "--pretty indents the output" {
	run -0 asl-jsonpath --pretty '$' <<<'{"a":[1]}'
	[ "$output" = $'{\n  "a": [\n    1\n  ]\n}' ]
}

@test "a missing definite path: the ASL error on stderr, exit 1" {
	run -1 --separate-stderr asl-jsonpath '$.x' <<<'{}'
	[ "$output" = "" ]
	[ "$stderr" = "asl-jsonpath: States.Runtime: Invalid path '\$.x' : No results for path: \$['x']" ]
}

@test "input that is not JSON: where it breaks, exit 3" {
	run -3 --separate-stderr asl-jsonpath '$' <<<'{"a": 1,}'
	[ "$stderr" = "asl-jsonpath: <stdin>:1:9: trailing comma in an object" ]
}

@test "a malformed expression is a usage error, reported before stdin is read" {
	run -2 --separate-stderr asl-jsonpath '$.a[' </dev/null
	[ "$stderr" = "asl-jsonpath: invalid expression '\$.a[': unterminated '[' at offset 4" ]
	# of Jayway's scripts, only the (@.length - N) that AWS accepts
	run -2 --separate-stderr asl-jsonpath '$.a[(@.size-1)]' </dev/null
	[ "$stderr" = "asl-jsonpath: invalid expression '\$.a[(@.size-1)]': a script expression must be (@.length - N) at offset 5" ]
}

@test "no expression: usage on stderr, exit 2" {
	run -2 --separate-stderr asl-jsonpath </dev/null
	[ "${stderr_lines[1]}" = "usage: asl-jsonpath [-c FILE] [-V FILE] [--pretty] EXPR" ]
}

@test "-p without -v is a usage error" {
	run -2 --separate-stderr asl-jsonpath -p '$.a' <<<'{}'
	[ "${stderr_lines[0]}" = "asl-jsonpath: -p and -v go together" ]
}

@test "--help prints the usage and options on stdout, exit 0" {
	run -0 asl-jsonpath --help
	[ "${lines[0]}" = "usage: asl-jsonpath [-c FILE] [-V FILE] [--pretty] EXPR" ]
	[[ "$output" == *"--template JSON"* ]]
}

@test "-c and -V give the context object and the variables" {
	echo '{"Execution":{"Name":"e1"}}' > ctx.json
	echo '{"n":41}' > vars.json
	run -0 asl-jsonpath -c ctx.json -V vars.json -t '{"e.$":"$$.Execution.Name","n.$":"$n"}' <<<'{}'
	[ "$output" = '{"e":"e1","n":41}' ]
}

@test "variables must be an object" {
	echo '[1]' > vars.json
	run -3 --separate-stderr asl-jsonpath -V vars.json '$x' <<<'{}'
	[ "$stderr" = "asl-jsonpath: vars.json: the variables must be a JSON object" ]
}

@test "a missing context file: the system error, exit 4" {
	run -4 --separate-stderr asl-jsonpath -c nosuch.json '$' <<<'{}'
	[ "$stderr" = "asl-jsonpath: nosuch.json: No such file or directory" ]
}

@test "JSON arguments may come from a file with @FILE" {
	echo '{"x.$":"$.a"}' > t.json
	run -0 asl-jsonpath -t @t.json <<<'{"a":7}'
	[ "$output" = '{"x":7}' ]
}

@test "--max-bytes refuses a larger document" {
	run -3 --separate-stderr asl-jsonpath --max-bytes 10 '$' <<<'{"a":"0123456789"}'
	[ "$stderr" = "asl-jsonpath: <stdin>: larger than 10 bytes" ]
	run -0 asl-jsonpath --max-bytes 100 '$.a' <<<'{"a":"0123456789"}'
	[ "$output" = '"0123456789"' ]
}

@test "a document far above the AWS payload limit is read whole" {
	python3 -c 'import json; print(json.dumps({"a": ["x" * 1000] * 1000}))' > big.json
	run -0 asl-jsonpath '$.a.length()' < big.json
	[ "$output" = 1000 ]
}

@test "YAML is not JSON for asl-jsonpath" {
	run -3 --separate-stderr asl-jsonpath '$' <<<'a: 1'
	[ "$output" = "" ]
	[ "$stderr" = "asl-jsonpath: <stdin>:1:1: unexpected 'a' where a value was expected" ]
}
