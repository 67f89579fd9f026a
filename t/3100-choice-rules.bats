#!/usr/bin/env bats
# JSONPath Choice rules (lib/asl_choice) through the test driver
# asl-choice-eval, until asl-step runs Choice states: every comparator,
# type mismatches, Unicode order, StringMatches, timestamps, missing
# paths, nesting, compile errors and descriptions.

load lib/common

@test "choice rules: the table of cases" {
	run_tests asl-choice-eval choice.test
}

@test "a request on stdin: rule, input, context and variables" {
	run -0 asl-choice-eval <<-'EOF'
	{"rule": {"And": [{"Variable": "$.n", "NumericLessThanPath": "$max"},
	                  {"Variable": "$$.Execution.Name", "StringMatches": "run-*"}]},
	 "input": {"n": 3}, "context": {"Execution": {"Name": "run-7"}},
	 "vars": {"max": 4}}
	EOF
	[ "$output" = true ]
}

@test "a request without input evaluates against {}" {
	run -0 asl-choice-eval <<<'{"rule": {"Variable": "$", "IsPresent": true}}'
	[ "$output" = true ]
	run -0 asl-choice-eval <<<'{"rule": {"Variable": "$.a", "IsPresent": true}}'
	[ "$output" = false ]
}

@test "-C: a Choice state's rules in order, the first true one's Next, else the default" {
	run -0 --separate-stderr asl-choice-eval -C <<<'{"choices": [{"Variable": "$.n", "NumericLessThan": 0, "Next": "Neg"}, {"Variable": "$.n", "NumericEquals": 3, "Next": "Three"}, {"Variable": "$.n", "IsPresent": true, "Next": "Any"}], "input": {"n": 3}}'
	[ "$output" = '"Three"' ]
	[ "$stderr" = "" ]
	run -0 asl-choice-eval -C <<<'{"choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}], "default": "D", "input": {"n": 3}}'
	[ "$output" = '"D"' ]
	run -1 --separate-stderr asl-choice-eval -C <<<'{"choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}], "input": {"n": 3}}'
	[ "$output" = "" ]
	[ "$stderr" = "asl-choice-eval: States.NoChoiceMatched" ]
	# a rule is compiled and evaluated only when those before it were false
	run -0 asl-choice-eval -C <<<'{"choices": [{"Variable": "$.n", "IsPresent": true, "Next": "A"}, {"Variable": "$.n[", "IsNull": true, "Next": "B"}, {"Variable": "$.x.y", "IsNull": true, "Next": "C"}], "input": {"n": 3}}'
	[ "$output" = '"A"' ]
	run -1 --separate-stderr asl-choice-eval -C <<<'{"choices": [{"Variable": "$.x.y", "IsNull": true, "Next": "C"}], "input": {"n": 3}, "context": {"Execution": {}}}'
	[ "$stderr" = "asl-choice-eval: States.Runtime: Invalid path '\$.x.y': The choice state's condition path references an invalid value." ]
	run -2 --separate-stderr asl-choice-eval -C <<<'{"choices": [{"Variable": "$.n[", "IsNull": true, "Next": "B"}], "input": {}}'
	[ "$stderr" = "asl-choice-eval: /Variable: Variable: invalid path '\$.n[': unterminated '[' at offset 4" ]
	run -2 --separate-stderr asl-choice-eval -C '{"Variable": "$", "IsNull": true}' </dev/null
	[ "${stderr_lines[0]}" = "asl-choice-eval: -C reads a request, with no RULE and no -d" ]
}

@test "a missing Variable: States.Runtime on stderr, exit 1" {
	run -1 --separate-stderr asl-choice-eval <<<'{"rule": {"Variable": "$.a.b", "NumericEquals": 1}, "input": {"a": {}}}'
	[ "$output" = "" ]
	[ "$stderr" = "asl-choice-eval: States.Runtime: Invalid path '\$.a.b': The choice state's condition path references an invalid value." ]
}

@test "a rule that does not compile: every problem, one line each, exit 2" {
	run -2 --separate-stderr asl-choice-eval <<-'EOF'
	{"rule": {"And": [{"Variable": "$.a"},
	                  {"Variable": "$.b", "NumericEquals": "x", "Foo": 1},
	                  {"Not": {"Variable": "$.c[", "IsNull": 1, "Next": "X"}}],
	          "Next": "Y", "Comment": "top-level Next and Comment are fine"}}
	EOF
	[ "$output" = "" ]
	[ "${#stderr_lines[@]}" -eq 6 ]
	[ "${stderr_lines[0]}" = "asl-choice-eval: /And/0: no comparison operator (StringEquals, NumericLessThan, IsPresent, ...)" ]
	[ "${stderr_lines[1]}" = "asl-choice-eval: /And/1/Foo: 'Foo' is not a field of a Choice rule" ]
	[ "${stderr_lines[2]}" = "asl-choice-eval: /And/1/NumericEquals: NumericEquals must be a number, not string" ]
	[ "${stderr_lines[3]}" = "asl-choice-eval: /And/2/Not/Next: a rule inside And, Or or Not cannot have Next" ]
	[ "${stderr_lines[4]}" = "asl-choice-eval: /And/2/Not/Variable: Variable: invalid path '\$.c[': unterminated '[' at offset 4" ]
	[ "${stderr_lines[5]}" = "asl-choice-eval: /And/2/Not/IsNull: IsNull must be a boolean, not number" ]
}

@test "a rule that is not an object" {
	run -2 --separate-stderr asl-choice-eval <<<'{"rule": "StringEquals"}'
	[ "$stderr" = "asl-choice-eval: /: a Choice rule must be an object, not string" ]
}

@test "pointers escape / and ~ in field names (RFC 6901)" {
	run -2 --separate-stderr asl-choice-eval <<<'{"rule": {"Variable": "$.a", "IsNull": true, "a/b~c": 1}}'
	[ "$stderr" = "asl-choice-eval: /a~1b~0c: 'a/b~c' is not a field of a Choice rule" ]
}

@test "a deep nest of Not compiles and evaluates" {
	rule='{"Variable":"$.a","IsNull":true}'
	for i in $(seq 1 101); do rule="{\"Not\":$rule}"; done
	run -0 asl-choice-eval "$rule" <<<'{"a":null}'
	[ "$output" = false ]
}

@test "a long And short-circuits at the first false" {
	rule=$(jq -cn '{And: ([{Variable: "$.a", BooleanEquals: true}] + [range(500) | {Variable: "$.missing", IsNull: true}])}')
	run -0 asl-choice-eval "$rule" <<<'{"a": false}'
	[ "$output" = false ]
}

@test "StringMatches on long strings stays fast" {
	python3 -c 'import json; print(json.dumps({"s": "a" * 200000 + "b"}))' > big.json
	run -0 asl-choice-eval '{"Variable":"$.s","StringMatches":"*a*a*a*a*a*a*a*a*a*ab"}' < big.json
	[ "$output" = true ]
	run -0 asl-choice-eval '{"Variable":"$.s","StringMatches":"*a*a*a*a*a*a*a*a*a*ac"}' < big.json
	[ "$output" = false ]
}
