#!/usr/bin/env bats
# asl-parse as a user runs it: files and standard input, JSON and YAML,
# what goes to stdout and stderr, and the exit statuses.

load lib/common

HELLO='{"Comment":"Hello","StartAt":"Greet","States":{"Greet":{"Type":"Pass","Result":{"greeting":"hello"},"End":true,"QueryLanguage":"JSONPath"}}}'

@test "a valid definition: its normalized form on stdout, compact; exit 0" {
	run -0 --separate-stderr asl-parse "$DATA/parse/hello.json"
	[ "$output" = "$HELLO" ]
	[ "$stderr" = "" ]
}

@test "no FILE, or '-': the definition comes from standard input" {
	run -0 asl-parse <"$DATA/parse/hello.json"
	[ "$output" = "$HELLO" ]
	run -0 asl-parse - <"$DATA/parse/hello.json"
	[ "$output" = "$HELLO" ]
}

@test "YAML is recognised from the content" {
	run -0 --separate-stderr asl-parse "$DATA/parse/hello.yaml"
	[ "$output" = "$HELLO" ]
	[ "$stderr" = "" ]
}

@test "--yaml reads JSON too (JSON is YAML), --json refuses YAML" {
	run -0 asl-parse --yaml "$DATA/parse/hello.json"
	[ "$output" = "$HELLO" ]
	cd "$DATA/parse"
	run -3 --separate-stderr asl-parse --json hello.yaml
	[ "$output" = "" ]
	[ "$stderr" = "hello.yaml:1:1: error: unexpected '#' where a value was expected" ]
}

@test "--pretty indents by two spaces" {
	run -0 asl-parse --pretty "$DATA/parse/hello.json"
	[ "${lines[0]}" = "{" ]
	[ "${lines[1]}" = '  "Comment": "Hello",' ]
	[ "$(printf '%s\n' "$output" | jq -c .)" = "$HELLO" ]
}

@test "-q and --quiet validate only: nothing on stdout" {
	run -0 --separate-stderr asl-parse -q "$DATA/parse/hello.json"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	run -0 asl-parse --quiet <"$DATA/parse/hello.yaml"
	[ "$output" = "" ]
}

@test "every error of a definition in one run, in the order of the file" {
	cd "$DATA/parse"
	run -1 --separate-stderr asl-parse three-errors.json
	[ "$output" = "" ]
	[ "$stderr" = "three-errors.json:7:7: error: /States/Charge: Field 'TimeoutSecond' is not supported
three-errors.json:8:7: error: /States/Charge/Next: Missing 'Next' target: Ship
three-errors.json:10:5: error: /States/Notify: State \"Notify\" is not reachable.
three-errors.json:13:7: error: /States/Notify: There should only be one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]" ]
}

@test "errors in a definition on stdin are reported as <stdin>" {
	run -1 --separate-stderr asl-parse <<<'{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}'
	[ "$stderr" = "<stdin>:1:18: error: /States: Workflow has no terminal state
<stdin>:1:29: error: /States/A: One of the following fields is required: [Next, End]" ]
}

@test "YAML positions are the YAML file's lines and columns" {
	printf 'StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n' >m.yaml
	run -1 --separate-stderr asl-parse m.yaml
	[ "$stderr" = "m.yaml:2:1: error: /States: Workflow has no terminal state
m.yaml:5:5: error: /States/A/Next: Missing 'Next' target: B" ]
}

@test "not JSON: the parser's message with line and column; exit 3" {
	printf '{\n  "StartAt": "A",\n  "States": {,}\n}\n' >bad.json
	run -3 --separate-stderr asl-parse bad.json
	[ "$output" = "" ]
	[ "$stderr" = "bad.json:3:14: error: expected a string key, found ','" ]
}

@test "not YAML: the parser's message with line and column; exit 3" {
	printf 'StartAt: A\nStates: [1\n' >bad.yaml
	run -3 --separate-stderr asl-parse bad.yaml
	[ "$stderr" = "bad.yaml:3:1: error: did not find expected ',' or ']' while parsing a flow sequence" ]
}

@test "a blank definition, or one that is not an object, is invalid (exit 1)" {
	run -1 --separate-stderr asl-parse </dev/null
	[ "$stderr" = "<stdin>:1:1: error: /: Definition must be a valid JSON object" ]
	run -1 --separate-stderr asl-parse <<<'["StartAt"]'
	[ "$stderr" = "<stdin>:1:1: error: /: Definition must be a valid JSON object" ]
}

@test "a file that cannot be read: exit 4" {
	run -4 --separate-stderr asl-parse no-such.json
	[ "$output" = "" ]
	[ "$stderr" = "asl-parse: no-such.json: No such file or directory" ]
}

@test "usage errors: exit 2 with the usage on stderr" {
	run -2 --separate-stderr asl-parse --type STANDARDISH x.json
	[ "${stderr_lines[0]}" = "asl-parse: --type: 'STANDARDISH' is not STANDARD or EXPRESS" ]
	[ "${stderr_lines[1]}" = "usage: asl-parse [-q] [--pretty] [--json | --yaml] [--state]" ]
	run -2 --separate-stderr asl-parse --severity INFO x.json
	[ "${stderr_lines[0]}" = "asl-parse: --severity: 'INFO' is not ERROR or WARNING" ]
	run -2 --separate-stderr asl-parse --graph svg x.json
	[ "${stderr_lines[0]}" = "asl-parse: --graph: 'svg' is not dot or mermaid" ]
	run -2 --separate-stderr asl-parse a.json b.json
	[ "${stderr_lines[0]}" = "asl-parse: one FILE at most" ]
	run -2 --separate-stderr asl-parse --diagnostics --graph dot x.json
	[ "${stderr_lines[0]}" = "asl-parse: --diagnostics, --graph and --policy do not go together" ]
	run -2 --separate-stderr asl-parse --no-such-option
	[ "${stderr_lines[0]}" = "asl-parse: unrecognized option '--no-such-option'" ]
}

@test "--help: the usage and every option on stdout, exit 0" {
	run -0 asl-parse --help
	[ "${lines[0]}" = "usage: asl-parse [-q] [--pretty] [--json | --yaml] [--state]" ]
	for opt in --quiet --pretty --json --yaml --state --type --severity \
	    --diagnostics --graph --help; do
		[[ $output == *"$opt"* ]]
	done
}

@test "--state: one state, as TestState takes it, with no transition checks" {
	run -0 asl-parse --state <<<'{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Elsewhere", "Retry": [{"ErrorEquals": ["States.ALL"]}]}'
	[ "$output" = '{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Elsewhere","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":3,"BackoffRate":2,"JitterStrategy":"NONE"}],"QueryLanguage":"JSONPath"}' ]
	run -1 --separate-stderr asl-parse --state <<<'{"Type": "Pass", "Seconds": 5}'
	[ "$stderr" = "<stdin>:1:18: error: /: Field 'Seconds' is not supported" ]
	run -2 --separate-stderr asl-parse --state --graph dot </dev/null
	[ "${stderr_lines[0]}" = "asl-parse: --graph draws a state machine, not one state" ]
}

@test "a write error on stdout is reported: exit 4" {
	if [ ! -w /dev/full ]; then
		skip "no /dev/full"
	fi
	run -4 --separate-stderr sh -c 'asl-parse "$1" >/dev/full' sh \
	    "$DATA/parse/hello.json"
	[ "$stderr" = "asl-parse: error writing standard output: No space left on device" ]
}
