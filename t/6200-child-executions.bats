#!/usr/bin/env bats
# arn:aws:states:::states:startExecution[.sync[:2]]: a registered state
# machine run as a child execution in the same store, waited for or not,
# its failure the task's, stopped with its parent, found again by a
# parent resumed after a kill -9.  Real clock: the waits are short.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store"
	unset ASL_CLOCK
	cat > kid.json <<'J'
{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"got.$":"$.a"},"End":true}}}
J
	cat > bad.json <<'J'
{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Kid.Broke","Cause":"on purpose"}}}
J
	cat > slow.json <<'J'
{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"Next":"P"},"P":{"Type":"Pass","Result":"slept","End":true}}}
J
	asl create-state-machine --name Kid kid.json > /dev/null
	asl create-state-machine --name Bad bad.json > /dev/null
	asl create-state-machine --name Slow slow.json > /dev/null
}

# parent RESOURCE MACHINE [NAME]: a parent whose one Task starts MACHINE
parent() {
	local name=${3:+,\"Name\":\"$3\"}
	cat <<J
{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::states:$1",
 "Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:$2"$name,
  "Input":{"a":7,"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.\$":"\$\$.Execution.Id"}},"End":true}}}
J
}

# await_status NAME STATUS: within 5 s
await_status() {
	local i
	for i in $(seq 50); do
		[ "$(asl describe "$1" 2>/dev/null | jq -r .status)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

@test ".sync:2 waits for the child and answers DescribeExecution with Input and Output as JSON" {
	parent startExecution.sync:2 Kid kid1 > p.json
	run -0 asl run --name p1 p.json
	holds '.Status == "SUCCEEDED" and .Output == {"got":7} and .Name == "kid1"
	    and .Input.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID == "arn:aws:states:us-east-1:123456789012:execution:p:p1"
	    and .ExecutionArn == "arn:aws:states:us-east-1:123456789012:execution:Kid:kid1"
	    and .StateMachineArn == "arn:aws:states:us-east-1:123456789012:stateMachine:Kid"
	    and (.StartDate | type) == "number" and .StopDate >= .StartDate
	    and .InputDetails == {"Included":true} and .OutputDetails == {"Included":true}' "$output"
	# the child is an execution of its own, with its own history
	run -0 asl describe kid1
	holds '.status == "SUCCEEDED" and .output == "{\"got\":7}"' "$output"
	run -0 asl history kid1 --json
	holds '.events[0].type == "ExecutionStarted" and .events[-1].type == "ExecutionSucceeded"' "$output"
}

@test ".sync answers Output as its text; no suffix answers ExecutionArn and StartDate at once" {
	parent startExecution.sync Kid kid2 > p.json
	run -0 asl run p.json
	holds '.Output == "{\"got\":7}" and (.Input | type) == "string"' "$output"
	parent startExecution Slow kid3 > p0.json
	run -0 asl run p0.json
	holds 'keys == ["ExecutionArn","StartDate"] and
	    .ExecutionArn == "arn:aws:states:us-east-1:123456789012:execution:Slow:kid3"' "$output"
	# the parent has ended; the child runs on by itself
	run -0 asl describe kid3
	holds '.status == "RUNNING"' "$output"
	await_status kid3 SUCCEEDED
}

@test "a failed child fails the task with States.TaskFailed and its description as the cause" {
	parent startExecution.sync:2 Bad kid4 > p.json
	run -1 --separate-stderr asl run --name p4 p.json
	[[ $stderr == 'asl: execution FAILED: States.TaskFailed: {"ExecutionArn":'* ]]
	run -0 asl describe p4
	holds '.status == "FAILED" and .error == "States.TaskFailed"' "$output"
	holds '.cause | fromjson | .Status == "FAILED" and .Error == "Kid.Broke"
	    and .Cause == "on purpose" and .Name == "kid4" and (has("Output") | not)' "$output"
}

@test "a state machine that is not registered: StepFunctions.StateMachineDoesNotExistException, catchable" {
	cat > p.json <<'J'
{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
 "Parameters":{"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:Nope"},
 "Catch":[{"ErrorEquals":["StepFunctions.StateMachineDoesNotExistException"],"Next":"C"}],"End":true},
 "C":{"Type":"Pass","End":true}}}
J
	run -0 asl run p.json
	assert_json '{"Error":"StepFunctions.StateMachineDoesNotExistException","Cause":"State Machine Does Not Exist: '"'"'arn:aws:states:us-east-1:123456789012:stateMachine:Nope'"'"'"}' "$output"
}

@test "stopping the parent stops the child" {
	cat > forever.json <<'J'
{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}
J
	asl create-state-machine --name Forever forever.json > /dev/null
	parent startExecution.sync:2 Forever kid5 > p.json
	asl run --name p5 p.json > /dev/null 2>&1 &
	pid=$!
	await_status kid5 RUNNING
	run -0 asl stop p5
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 6 ]
	run -0 asl describe kid5
	holds '.status == "ABORTED"' "$output"
}

@test "kill -9 of the parent: resume waits for the child it started, never a second one" {
	parent startExecution.sync:2 Slow > p.json
	asl run --name p6 p.json > /dev/null 2>&1 &
	pid=$!
	for i in $(seq 50); do [ "$(ls store/executions | wc -l)" -eq 2 ] && break; sleep 0.05; done
	[ "$(ls store/executions | wc -l)" -eq 2 ]
	kill -9 "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 137 ]
	run -0 asl resume p6
	holds '.Status == "SUCCEEDED" and .Output == "slept"' "$output"
	# the parent and the one child it started
	[ "$(ls store/executions | wc -l)" -eq 2 ]
}
