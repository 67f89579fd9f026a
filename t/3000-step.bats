#!/usr/bin/env bats
# asl-step as a user runs it: TestState mode with flags, mocks and
# inspection levels, the request mode's phases, usage and exit statuses.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	cat > machine.json <<'J'
{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
    "ResultPath": "$.payment",
    "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "BackoffRate": 2, "MaxAttempts": 5}],
    "Catch": [{"ErrorEquals": ["Declined"], "ResultPath": "$.why", "Next": "Refuse"}],
    "Next": "Done"},
  "Refuse": {"Type": "Fail", "Error": "Refused"},
  "Done": {"Type": "Succeed"}}}
J
}

@test "TestState: a mocked result goes through ResultPath, and nextState names the next state" {
	run -0 asl-step --definition machine.json --input '{"order":1}' \
	    --mock-result '{"ok":true}'
	[ "$output" = '{"status":"SUCCEEDED","output":{"order":1,"payment":{"ok":true}},"nextState":"Done"}' ]
}

@test "TestState: a mocked error that a retrier matches is RETRIABLE, with the backoff for the count" {
	run -0 asl-step -d machine.json -i '{}' --mock-error Busy --mock-cause slow \
	    --retrier-retry-count 3 --inspection-level DEBUG
	assert_json '{"status":"RETRIABLE","error":"Busy","cause":"slow"}' \
	    "$(jq -c '{status,error,cause}' <<<"$output")"
	[ "$(jq -c .inspectionData.errorDetails <<<"$output")" = '{"retryIndex":0,"retryBackoffIntervalSeconds":8}' ]
}

@test "TestState: a caught error is CAUGHT_ERROR with the catcher's output and next state" {
	run -0 asl-step -d machine.json -i '{"a":1}' --mock-error Declined --mock-cause card
	[ "$output" = '{"status":"CAUGHT_ERROR","output":{"a":1,"why":{"Error":"Declined","Cause":"card"}},"error":"Declined","cause":"card","nextState":"Refuse"}' ]
}

@test "TestState: --state picks a state; a Fail state is FAILED, exit 1" {
	run -1 asl-step -d machine.json -i '{}' --state Refuse
	[ "$output" = '{"status":"FAILED","error":"Refused"}' ]
}

@test "TestState: --state finds a state that follows a Parallel or a Map" {
	cat > nested.json <<'J'
{"StartAt": "A", "States": {
  "A": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "Next": "C"},
  "C": {"Type": "Pass", "Result": 1, "Next": "D"},
  "D": {"Type": "Succeed"}}}
J
	run -0 asl-step -d nested.json -i '{}' --state C
	[ "$output" = '{"status":"SUCCEEDED","output":1,"nextState":"D"}' ]
	run -0 asl-step -d nested.json -i '{"x":1}' --state B
	[ "$output" = '{"status":"SUCCEEDED","output":{"x":1}}' ]
}

@test "TestState: DEBUG shows each step of the data flow" {
	echo '{"Type":"Pass","InputPath":"$.in","Parameters":{"v.$":"$.n"},"ResultPath":"$.r","End":true}' > pass.json
	run -0 asl-step -d pass.json -i '{"in":{"n":2}}' -l DEBUG
	[ "$(jq -c .inspectionData <<<"$output")" = '{"input":{"in":{"n":2}},"afterInputPath":{"n":2},"afterParameters":{"v":2},"result":{"v":2},"afterResultSelector":{"v":2},"afterResultPath":{"in":{"n":2},"r":{"v":2}},"variables":{}}' ]
}

@test "TestState: a lone state is named StateName, as AWS names it" {
	echo '{"Type":"Pass","Parameters":{"n.$":"$$.State.Name"},"End":true}' > pass.json
	run -0 asl-step -d pass.json -i '{}'
	[ "$output" = '{"status":"SUCCEEDED","output":{"n":"StateName"}}' ]
}

@test "TestState: a Task without a mock hands its effect to the caller (PENDING)" {
	run -0 asl-step -d machine.json -i '{"x":1}'
	[ "$output" = '{"status":"PENDING","effect":{"type":"task","resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","parameters":{"x":1}}}' ]
}

@test "TestState: Map and Parallel need a mock, as on AWS" {
	echo '{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}],"End":true}' > par.json
	run -1 --separate-stderr asl-step -d par.json -i '{}'
	[ "$stderr" = "asl-step: InvalidDefinition: TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]" ]
	run -0 asl-step -d par.json -i '{}' --mock-result '[1]'
	[ "$output" = '{"status":"SUCCEEDED","output":[1]}' ]
}

@test "TestState: a mock on a Pass state is refused" {
	echo '{"Type":"Pass","End":true}' > pass.json
	run -1 --separate-stderr asl-step -d pass.json -i '{}' --mock-result 1
	[ "$stderr" = "asl-step: ValidationException: State type 'Pass' is not supported when a mock is specified" ]
}

@test "TestState: AWS's request shape on stdin with --test-state" {
	jq -n --slurpfile d machine.json '{definition: $d[0], input: "{\"q\":1}", mock: {result: "{\"ok\":1}"}}' > req.json
	run -0 asl-step --test-state req.json
	[ "$output" = '{"status":"SUCCEEDED","output":{"q":1,"payment":{"ok":1}},"nextState":"Done"}' ]
}

@test "TestState: mapIterationFailureCount only counts against a tolerance the Map declares" {
	echo '{"Type":"Map","ItemsPath":"$.v","ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"r","End":true}}},"End":true}' > map.json
	jq -n --slurpfile d map.json '{definition: $d[0], input: "{\"v\":[1,2,3]}", mock: {result: "[0,0,1]"}, stateConfiguration: {mapIterationFailureCount: 2}}' > req.json
	run -0 asl-step --test-state req.json
	[ "$output" = '{"status":"SUCCEEDED","output":[0,0,1]}' ]
	jq '.definition.ToleratedFailureCount = 1' req.json > req1.json
	run -1 asl-step --test-state req1.json
	[ "$output" = '{"status":"FAILED","error":"States.ExceedToleratedFailureThreshold","cause":"The specified tolerated failure threshold was exceeded"}' ]
}

@test "TestState: the context names the request's roleArn and its account" {
	echo '{"Type":"Pass","Parameters":{"r.$":"$$.Execution.RoleArn","sm.$":"$$.StateMachine.Id"},"End":true}' > pass.json
	jq -n --slurpfile d pass.json '{definition: $d[0], input: "{}", roleArn: "arn:aws:iam::111122223333:role/tester"}' > req.json
	AWS_REGION=eu-west-1 run -0 asl-step --test-state req.json
	[ "$output" = '{"status":"SUCCEEDED","output":{"r":"arn:aws:iam::111122223333:role/tester","sm":"arn:aws:states:eu-west-1:111122223333:stateMachine:TestStateMachine"}}' ]
}

@test "request mode: enter, then complete with the work's result" {
	run -0 asl-step --definition machine.json <<<'{"input":{"a":1}}'
	[ "$(jq -r .status <<<"$output")" = PENDING ]
	run -0 asl-step --definition machine.json <<<'{"input":{"a":1},"phase":"complete","result":{"paid":true}}'
	[ "$output" = '{"status":"SUCCEEDED","nextState":"Done","output":{"a":1,"payment":{"paid":true}}}' ]
}

@test "request mode: an error with its counters, and --seed makes jitter repeatable" {
	cat > jit.json <<'J'
{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Retry":[{"ErrorEquals":["E"],"IntervalSeconds":10,"JitterStrategy":"FULL"}],"End":true}
J
	run -0 asl-step -d jit.json <<<'{"input":{},"error":{"Error":"E","Cause":""},"retryCounts":[0],"seed":7}'
	first=$(jq .retry.delaySeconds <<<"$output")
	run -0 asl-step -d jit.json <<<'{"input":{},"error":{"Error":"E","Cause":""},"retryCounts":[0],"seed":7}'
	[ "$(jq .retry.delaySeconds <<<"$output")" = "$first" ]
	jq -e '.retry.delaySeconds >= 0 and .retry.delaySeconds <= 10 and .retry.counts == [1]' <<<"$output"
}

@test "an invalid definition: exit 1 and asl-parse's located lines; one that is not JSON: exit 3" {
	printf '{"StartAt":"A",\n "States":{"A":{"Type":"Pass","Next":"B"}}}\n' > bad.json
	run -1 --separate-stderr asl-parse bad.json
	want=$stderr
	[ "$want" = "bad.json:2:2: error: /States: Workflow has no terminal state
bad.json:2:31: error: /States/A/Next: Missing 'Next' target: B" ]
	run -1 --separate-stderr asl-step -d bad.json -i '{}'
	[ "$output" = "" ] && [ "$stderr" = "$want" ]
	run -1 --separate-stderr asl-step -d bad.json <<<'{"input":{}}'
	[ "$output" = "" ] && [ "$stderr" = "$want" ]
	printf '{"Type":"Pass" "End":true}\n' > syn.json
	run -3 --separate-stderr asl-step -d syn.json -i '{}'
	[ "$output" = "" ]
	[ "$stderr" = "syn.json:1:16: error: expected ',' or '}' in an object, found '\"'" ]
}

@test "definitions may be YAML" {
	printf 'StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result: yes\n    End: true\n' > m.yaml
	run -0 asl-step -d m.yaml -i '{}'
	[ "$output" = '{"status":"SUCCEEDED","output":"yes"}' ]
}

@test "usage errors exit 2; bad JSON exits 3" {
	run -2 --separate-stderr asl-step --mock-result 1 --mock-error E -d machine.json -i '{}'
	[ "$output" = "" ]
	[ "${stderr_lines[0]}" = "asl-step: --mock-result and --mock-error exclude each other" ]
	run -2 --separate-stderr asl-step --inspection-level LOUD -d machine.json -i '{}'
	[ "${stderr_lines[0]}" = "asl-step: --inspection-level must be INFO, DEBUG or TRACE" ]
	run -3 --separate-stderr asl-step -d machine.json <<<'{"input":'
	[ "$output" = "" ]
	[ "$stderr" = "asl-step: <stdin>:2:1: unexpected end of input where a value was expected" ]
	run -3 --separate-stderr asl-step -d machine.json -i '{nope'
	[ "$stderr" = "asl-step: --input: not valid JSON: expected a string key, found 'n' at line 1, column 2" ]
}

@test "--help shows both modes" {
	run -0 asl-step --help
	[ "${lines[0]}" = "usage: asl-step [--definition FILE] [--state NAME] [--pretty] [REQUEST]" ]
	[[ "$output" == *"--mock-result JSON"* ]]
}
