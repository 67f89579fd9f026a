#!/usr/bin/env bats
# asl run and the read-only verbs (list, describe, history) as a user runs
# them: every state type, Map and Parallel, Wait with the test clock,
# failures and their exit statuses, the store.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store" ASL_CLOCK=test
}

@test "a Pass chain: the output on stdout, exit 0" {
	cat > m.json <<'J'
{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","Next":"B"},
 "B":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.r.x, $.n)"},"End":true}}}
J
	run -0 --separate-stderr asl run m.json --input '{"n":41}'
	[ "$output" = '{"sum":42}' ]
	[ "$stderr" = "" ]
}

@test "--input @FILE and --name; describe gives AWS's DescribeExecution shape" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' > m.json
	echo '{"k":"v"}' > in.json
	run -0 asl run m.json --input @in.json --name first
	[ "$output" = '{"k":"v"}' ]
	run -0 asl describe first
	jq -e '.status == "SUCCEEDED" and .name == "first" and .output == "{\"k\":\"v\"}"
	    and .input == "{\"k\":\"v\"}" and (.executionArn | endswith(":execution:m:first"))
	    and (.stateMachineArn | endswith(":stateMachine:m")) and .startDate and .stopDate' <<<"$output"
}

@test "--input - reads the input from stdin, which is otherwise left alone" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' > m.json
	run -0 asl run m.json --input - <<<'{"from":"stdin"}'
	[ "$output" = '{"from":"stdin"}' ]
	run -0 asl run m.json <<<'{"from":"stdin"}'
	[ "$output" = '{}' ]
	run -3 --separate-stderr asl run m.json --input - <<<'{"cut":'
	[[ "$stderr" == "asl: <stdin>:2:1: "* ]]
}

@test "Choice, Wait (the test clock does not sleep), Succeed" {
	cat > m.json <<'J'
{"StartAt":"C","States":{
 "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":10,"Next":"Big"}],"Default":"Small"},
 "Big":{"Type":"Wait","Seconds":3600,"Next":"Done"},
 "Small":{"Type":"Fail","Error":"TooSmall"},
 "Done":{"Type":"Succeed"}}}
J
	SECONDS=0
	run -0 asl run m.json --input '{"n":11}' --name w1
	[ "$output" = '{"n":11}' ]
	[ "$SECONDS" -lt 10 ]
	run -0 asl history w1 --json
	[ "$(jq -r '[.events[].type] | join(" ")' <<<"$output")" = "ExecutionStarted ChoiceStateEntered ChoiceStateExited WaitStateEntered WaitStateExited SucceedStateEntered SucceedStateExited ExecutionSucceeded" ]
	# the logical clock moved an hour forward during the Wait
	[ "$(jq -r '.events[4].timestamp' <<<"$output")" = "2024-01-01T01:00:00.000Z" ]
}

@test "a Fail state: error and cause on stderr, exit 1, ExecutionFailed recorded" {
	echo '{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"it broke"}}}' > m.json
	run -1 --separate-stderr asl run m.json --name f1
	[ "$output" = "" ]
	[ "$stderr" = "asl: execution FAILED: Boom: it broke" ]
	run -0 asl describe f1
	jq -e '.status == "FAILED" and .error == "Boom" and .cause == "it broke"' <<<"$output"
}

@test "a runtime error: the state and event id in the cause" {
	echo '{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing","End":true}}}' > m.json
	run -1 --separate-stderr asl run m.json
	[ "$stderr" = "asl: execution FAILED: States.Runtime: An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '\$.missing' : No results for path: \$['missing']" ]
}

@test "an output over 256 KiB fails the execution: States.DataLimitExceeded" {
	cat > big.json <<'J'
{"StartAt": "C", "States": {
  "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Double"}], "Default": "Done"},
  "Double": {"Type": "Pass", "Parameters": {"a.$": "$.pad", "b.$": "$.pad"}, "Next": "Done"},
  "Done": {"Type": "Succeed"}}}
J
	pad=$(head -c 140000 /dev/zero | tr '\0' x)
	printf '{"n": 0, "pad": "%s"}' "$pad" > small.json
	printf '{"n": 1, "pad": "%s"}' "$pad" > doubled.json
	run -0 asl run big.json --input @small.json
	[ "${#output}" -eq 140016 ]
	run -1 --separate-stderr asl run big.json --input @doubled.json
	[ "$output" = "" ]
	[ "$stderr" = "asl: execution FAILED: States.DataLimitExceeded: The state/task 'Double' returned a result with a size exceeding the maximum number of bytes service limit." ]
}

@test "Parallel: branch outputs in branch order; Map: results in item order" {
	cat > m.json <<'J'
{"StartAt":"P","States":{
 "P":{"Type":"Parallel","Branches":[
   {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"Next":"A"},"A":{"Type":"Pass","Result":"slow","End":true}}},
   {"StartAt":"B","States":{"B":{"Type":"Pass","Result":"fast","End":true}}}],
  "ResultPath":"$.par","Next":"M"},
 "M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
  "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
  "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Wait","SecondsPath":"$.v","End":true}}},
  "ResultPath":"$.map","End":true}}}
J
	run -0 asl run m.json --input '{"items":[3,1,2]}'
	[ "$output" = '{"items":[3,1,2],"par":["slow","fast"],"map":[{"i":0,"v":3},{"i":1,"v":1},{"i":2,"v":2}]}' ]
}

@test "a Map's ItemSelector reads \$\$.Map.Item and the rest of the context alike" {
	cat > m.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
  "ItemSelector":{"i.$":"$$.Map.Item.Index","x.$":"$$.Map.Item.Value.x","first.$":"$$.Map.Item.Value.tags[0]",
   "item.$":"$$.Map.Item","n.$":"States.Format('{}-{}', $$.Map.Item.Index, $$.Map.Item.Value.x)",
   "name.$":"$$.Execution.Name","state.$":"$$.State.Name"},
  "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}
J
	run -0 asl run m.json --name sel --input '{"items":[{"x":"a","tags":["t"]},{"x":"b","tags":["u","v"]}]}'
	[ "$output" = '[{"i":0,"x":"a","first":"t","item":{"Index":0,"Value":{"x":"a","tags":["t"]}},"n":"0-a","name":"sel","state":"M"},{"i":1,"x":"b","first":"u","item":{"Index":1,"Value":{"x":"b","tags":["u","v"]}},"n":"1-b","name":"sel","state":"M"}]' ]
	# a path into the item that finds nothing fails as any other path,
	# for the first item too (whose failure once left the Map unsettled:
	# "the execution is stuck")
	cat > m.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
  "ItemSelector":{"y.$":"$$.Map.Item.Value.y"},
  "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}
J
	run -1 --separate-stderr asl run m.json --input '{"items":[{"x":1}]}'
	[[ "$stderr" == *"States.Runtime"*"\$\$.Map.Item.Value.y"* ]]
	# and for a later one
	run -1 --separate-stderr asl run m.json --input '{"items":[{"y":1},{"x":1}]}'
	[[ "$stderr" == *"States.Runtime"*"\$\$.Map.Item.Value.y"* ]]
}

@test "a failed JSONata expression: EvaluationFailed in the history, then MapStateFailed for a Map" {
	cat > m.json <<'J'
{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% $states.input.n %}",
 "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}
J
	run -1 --separate-stderr asl run m.json --input '{"n":1}' --name e1
	[ "$stderr" = "asl: execution FAILED: States.QueryEvaluationError: An error occurred while executing the state 'M' (entered at the event id #2). The JSONata expression '\$states.input.n' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1" ]
	run -0 asl history e1 --json
	[ "$(jq -c '[.events[] | [.id, .previousEventId, .type]]' <<<"$output")" = '[[1,0,"ExecutionStarted"],[2,0,"MapStateEntered"],[3,0,"EvaluationFailed"],[4,3,"MapStateFailed"],[5,4,"ExecutionFailed"]]' ]
	[ "$(jq -c '.events[2].evaluationFailedEventDetails | [.state, .location, .error]' <<<"$output")" = '["M","Items","States.QueryEvaluationError"]' ]
	# the table names the state of the event, which has no predecessor
	run -0 asl history e1
	[ "$(awk '$3 == "EvaluationFailed" { print $4 }' <<<"$output")" = M ]
}

@test "Map and Parallel histories link their events as AWS does" {
	cat > m.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
 "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}
J
	run -0 asl run m.json --input '[1,2]' --name m1
	[ "$output" = "[1,2]" ]
	run -0 asl history m1 --json
	[ "$(jq -c '[.events[] | [.id, .previousEventId, .type]]' <<<"$output")" = '[[1,0,"ExecutionStarted"],[2,0,"MapStateEntered"],[3,2,"MapStateStarted"],[4,3,"MapIterationStarted"],[5,4,"PassStateEntered"],[6,5,"PassStateExited"],[7,6,"MapIterationSucceeded"],[8,6,"MapIterationStarted"],[9,8,"PassStateEntered"],[10,9,"PassStateExited"],[11,10,"MapIterationSucceeded"],[12,11,"MapStateSucceeded"],[13,11,"MapStateExited"],[14,13,"ExecutionSucceeded"]]' ]
}

@test "a failing iteration fails the Map with its own error; Catch takes it" {
	cat > m.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.l",
 "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Ok"},
   "Bad":{"Type":"Fail","Error":"Two","Cause":"no twos"},"Ok":{"Type":"Pass","End":true}}},
 "Catch":[{"ErrorEquals":["Two"],"ResultPath":"$.err","Next":"H"}],"End":true},
 "H":{"Type":"Pass","InputPath":"$.err","End":true}}}
J
	run -0 asl run m.json --input '{"l":[1,2,3]}'
	[ "$output" = '{"Error":"Two","Cause":"no twos"}' ]
	# a ResultPath the input cannot take is an error of its own
	jq 'del(.States.M.ItemsPath)' m.json > array.json
	run -1 --separate-stderr asl run array.json --input '[2]'
	[ "$stderr" = "asl: execution FAILED: States.ResultPathMatchFailure: Unable to apply ReferencePath \$.err to input [2]" ]
}

@test "Assign and variables across states, Map iterations read outer ones" {
	cat > m.json <<'J'
{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"factor":10},"Next":"M"},
 "M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass",
   "Parameters":{"v.$":"States.MathAdd($, $factor)"},"End":true}}},"End":true}}}
J
	run -0 asl run m.json --input '[1,2]'
	[ "$output" = '[{"v":11},{"v":12}]' ]
}

@test "EXPRESS keeps only the start and the end unless --history" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}' > m.json
	run -0 asl run m.json --type EXPRESS --name e1
	[ "$output" = "{}" ]
	run -0 asl history e1 --json
	[ "$(jq -r '[.events[].type] | join(" ")' <<<"$output")" = "ExecutionStarted ExecutionSucceeded" ]
	run -0 asl run m.json --type EXPRESS --history --name e2
	[ "$output" = "{}" ]
	run -0 asl history e2 --json
	[ "$(jq '.events | length' <<<"$output")" = 6 ]
	run -0 asl describe e2
	# an Express execution's ARN ends in an id after its name, as AWS's
	[[ "$(jq -r .executionArn <<<"$output")" =~ :express:m:e2:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]
}

@test "the context's Execution has a RedriveCount, except in an EXPRESS execution" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"e.$":"$$.Execution"},"OutputPath":"$.e","End":true}}}' > m.json
	run -0 asl run m.json --name s1
	[ "$(jq -c 'keys' <<<"$output")" = '["Id","Input","Name","RedriveCount","RoleArn","StartTime"]' ]
	run -0 asl run m.json --type EXPRESS --name x1
	[ "$(jq -c 'keys' <<<"$output")" = '["Id","Input","Name","RoleArn","StartTime"]' ]
	id=$(jq -r .Id <<<"$output")
	run -0 asl describe x1
	[ "$(jq -r .executionArn <<<"$output")" = "$id" ]
	[[ "$id" == *":express:m:x1:"* ]]
}

@test "create-state-machine, then run it by name" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"registered","End":true}}}' > m.json
	run -0 asl create-state-machine --name Nightly m.json
	jq -e '.name == "Nightly" and (.stateMachineArn | endswith(":stateMachine:Nightly"))' <<<"$output"
	run -1 --separate-stderr asl create-state-machine --name Nightly m.json
	[[ "$stderr" == "asl: StateMachineAlreadyExists: "* ]]
	cd /
	run -0 asl run Nightly
	[ "$output" = '"registered"' ]
}

@test "a name taken by another execution: ExecutionAlreadyExists" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' > m.json
	run -0 asl run m.json --name once --input '{"a":1}'
	[ "$output" = '{"a":1}' ]
	run -1 --separate-stderr asl run m.json --name once --input '{"a":2}'
	[[ "$stderr" == "asl: ExecutionAlreadyExists: Execution Already Exists: 'arn:aws:states:"*":execution:m:once'" ]]
}

@test "names follow AWS's rules, so none leaves the store" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' > m.json
	run -1 --separate-stderr asl run m.json --name ../escape
	[ "$stderr" = "asl: InvalidName: Invalid Name: '../escape'" ]
	[ ! -e "$ASL_STORE/escape" ]
}

@test "list shows every execution, oldest first; --json is ListExecutions' shape" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' > m.json
	echo '{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}' > f.json
	run -0 asl run m.json --name a1
	[ "$output" = "{}" ]
	run -1 --separate-stderr asl run f.json --name a2
	[ "$stderr" = "asl: execution FAILED: E" ]
	run -0 asl list
	[ "${lines[0]}" = "NAME                                     STATUS     START                    STOP" ]
	[[ "${lines[1]}" == "a1 "*SUCCEEDED* ]]
	[[ "${lines[2]}" == "a2 "*FAILED* ]]
	run -0 asl list --json
	[ "$(jq -r '[.executions[].name] | join(",")' <<<"$output")" = "a1,a2" ]
}

@test "history shows a table for people, newest first with --reverse" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' > m.json
	asl run m.json --name h1
	run -0 asl history h1
	[ "${lines[0]}" = "ID  TIMESTAMP                 TYPE                STATE  DETAIL" ]
	[ "${lines[2]}" = "2   2024-01-01T00:00:00.000Z  PassStateEntered    A" ]
	run -0 asl history h1 --reverse
	[[ "${lines[1]}" == "4 "*ExecutionSucceeded* ]]
}

@test "the store is private: mode 0700" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' > m.json
	asl run m.json > /dev/null
	[ "$(stat -c %a "$ASL_STORE")" = 700 ]
	[ "$(stat -c %a "$ASL_STORE/executions")" = 700 ]
}

@test "an invalid definition is refused before anything runs, every problem named as asl-parse names it" {
	printf '{"StartAt":"A","States":{\n"A":{"Type":"Pass","Next":"B"}}}\n' > m.json
	run -1 --separate-stderr asl run m.json
	[ "$output" = "" ]
	[ "$stderr" = "m.json:1:16: error: /States: Workflow has no terminal state
m.json:2:20: error: /States/A/Next: Missing 'Next' target: B" ]
	want=$stderr
	run -1 --separate-stderr asl-parse m.json
	[ "$stderr" = "$want" ]
	for verb in start test-state; do
		run -1 --separate-stderr asl $verb m.json
		[ "$stderr" = "$want" ]
	done
	run -1 --separate-stderr asl create-state-machine --name M m.json
	[ "$stderr" = "$want" ]
	printf '{"StartAt":"A" "States":{}}\n' > syntax.json
	run -3 --separate-stderr asl run syntax.json
	[ "$stderr" = "syntax.json:1:16: error: expected ',' or '}' in an object, found '\"'" ]
	run -0 asl list --json
	[ "$(jq '.executions | length' <<<"$output")" = 0 ]
}

@test "validate: AWS's ValidateStateMachineDefinition, exit 1 on FAIL" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}' > ok.json
	run -0 asl validate ok.json
	[ "$(jq -c . <<<"$output")" = '{"result":"OK","diagnostics":[],"truncated":false}' ]
	echo '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}' > cb.json
	run -0 asl validate cb.json
	[ "$(jq -c . <<<"$output")" = '{"result":"OK","diagnostics":[],"truncated":false}' ]
	run -1 asl validate --type EXPRESS cb.json
	[ "$(jq -r '.diagnostics[0].code' <<<"$output")" = SCHEMA_VALIDATION_FAILED ]
}

@test "usage: unknown verbs and options exit 2; --help exits 0" {
	run -2 --separate-stderr asl frobnicate
	[ "$output" = "" ]
	[ "${stderr_lines[0]}" = "asl: unknown verb 'frobnicate'" ]
	[ "${stderr_lines[1]}" = "usage: asl [--store DIR] VERB [OPTIONS] [ARGS]" ]
	run -2 --separate-stderr asl run
	[ "${stderr_lines[0]}" = "asl: run needs one definition" ]
	run -2 --separate-stderr asl run m.json --type LARGE
	[ "${stderr_lines[0]}" = "asl: --type must be STANDARD or EXPRESS, not 'LARGE'" ]
	run -0 asl --help
	[ "${lines[0]}" = "usage: asl [--store DIR] VERB [OPTIONS] [ARGS]" ]
	# and after a verb, on stdout
	run -0 --separate-stderr asl list --help
	[ "${lines[0]}" = "usage: asl [--store DIR] VERB [OPTIONS] [ARGS]" ]
	[ "$stderr" = "" ]
	run -0 asl run -h
	[ "${lines[0]}" = "usage: asl [--store DIR] VERB [OPTIONS] [ARGS]" ]
}

@test "describe of an execution that does not exist" {
	run -1 --separate-stderr asl describe nope
	[ "$stderr" = "asl: ExecutionDoesNotExist: Execution Does Not Exist: 'nope'" ]
}

@test "describe and list read how an execution ended from its history's last event, however long" {
	# an output of some 40 KB: the last line is longer than the first read
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' > m.json
	jq -n '{s: [range(5000) | "item \(.)"]}' > big.json
	run -0 asl run m.json --name big --input @big.json
	out=$output
	run -0 asl describe big
	[ "$(jq -r .status <<<"$output")" = SUCCEEDED ]
	[ "$(jq -r .output <<<"$output")" = "$out" ]
	# a torn line after it (a crash mid-write) and empty lines are not events
	printf '\n\n{"id":99,"type":"PassSt' >> "$ASL_STORE/executions/big/history.jsonl"
	run -0 asl describe big
	[ "$(jq -r .status <<<"$output")" = SUCCEEDED ]
	[ "$(jq -r .output <<<"$output")" = "$out" ]
	run -0 asl list --json
	[ "$(jq -r '.executions[] | select(.name == "big") | .status' <<<"$output")" = SUCCEEDED ]
	# one started and not driven yet is RUNNING
	run -0 asl start m.json --name paused
	jq -e '.name == "paused" and (.executionArn | endswith(":execution:m:paused"))' <<<"$output"
	run -0 asl describe paused
	[ "$(jq -r .status <<<"$output")" = RUNNING ]
	[ "$(jq -r 'has("stopDate")' <<<"$output")" = false ]
}
