#!/usr/bin/env bats
# asl-history fold and show as a user runs them: where an execution
# stands, rebuilt from its history alone (lib/asl_fold.c), in every phase
# the fold reports: start, entered, scheduled, started, submitted,
# failed-task, task-succeeded, children, children-succeeded,
# children-failed, exited, done, aborted; pending tasks, timers, callback
# tokens, Map iterations and Parallel branches; the final statuses; and
# the events as a table and as GetExecutionHistory's document.
#
# The histories come from real executions: the test clock (ASL_CLOCK)
# gives them fixed times, but it never pauses at a Wait or a Retry's
# delay, so those run on the real clock and their times are checked for
# their form, then masked.  A phase only a crash leaves (a history that
# stops between two events the engine writes together) is that history
# cut short.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store" ASL_PATH="$BATS_TEST_TMPDIR/bin"
	export ASL_CLOCK=test
	mkdir -p bin
	# a Lambda function that hands its task token to the outside world
	cat > bin/notify <<'S'
#!/bin/sh
cat >> "$BATS_TEST_TMPDIR/outbox"
echo >> "$BATS_TEST_TMPDIR/outbox"
echo '{"queued":true}'
S
	chmod +x bin/notify
	cat > callback.json <<'J'
{"StartAt":"Ask","States":{"Ask":{"Type":"Task",
 "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
 "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token"}},
 "ResultPath":"$.answer","End":true}}}
J
}

# fold ARGS...: asl-history fold succeeds with nothing on stderr; the
# fold is $output
fold() {
	run -0 --separate-stderr asl-history fold "$@"
	[ "$stderr" = "" ]
}

# untimed: the fold in $output with each real-clock time (a frame's
# enteredTime, its task's time) checked for its form and replaced by "T"
untimed() {
	jq -e '[.frames[] | .enteredTime, (.task.time // empty)]
	    | length > 0 and all(test("^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}Z$"))' \
	    <<<"$output" > /dev/null
	jq -c '.frames[] |= (.enteredTime = "T" | if .task then .task.time = "T" else . end)' \
	    <<<"$output"
}

# paused NAME DEF [ARGS...]: asl run --detach on the real clock stops at
# a Wait or a Retry's delay: exit 75, the reason on stderr
paused() {
	local name=$1 def=$2
	shift 2
	ASL_CLOCK= run -75 --separate-stderr asl run --detach --name "$name" "$@" "$def"
	[ "$output" = "" ]
	[ "$stderr" = "asl: execution RUNNING: waiting for a timer, a callback or an activity worker" ]
}

@test "a finished execution: SUCCEEDED, its input and output, the last state exited with the variables" {
	cat > pass.json <<'J'
{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","Assign":{"n":1},"Next":"B"},
 "B":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.r.x, $n)"},"End":true}}}
J
	run -0 asl run pass.json --name p1 --input '{"k":"v"}'
	[ "$output" = '{"sum":2}' ]
	fold p1
	assert_json '{"status": "SUCCEEDED", "input": {"k": "v"}, "lastEventId": 6,
	    "output": {"sum": 2},
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "B",
	      "type": "Pass", "phase": "exited", "input": {"k": "v", "r": {"x": 1}},
	      "variables": {"n": 1}, "enteredEventId": 4,
	      "enteredTime": "2024-01-01T00:00:00.000Z", "lastEventId": 5,
	      "retryCount": 0, "failures": [], "output": {"sum": 2}}]}' "$output"
	# the execution's name or its history file: the same fold
	by_name=$output
	fold "$ASL_STORE/executions/p1/history.jsonl"
	[ "$output" = "$by_name" ]
	# --pretty indents it
	run -0 asl-history fold --pretty p1
	[ "${lines[0]}" = "{" ]
	[ "${lines[1]}" = '  "status": "SUCCEEDED",' ]
	[ "$(jq -c . <<<"$output")" = "$by_name" ]
}

@test "exited: a history that stops between two states holds the first one's output" {
	cat > pass.json <<'J'
{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","Assign":{"n":1},"Next":"B"},
 "B":{"Type":"Pass","End":true}}}
J
	run -0 asl run pass.json --name p1 --input '{"k":"v"}'
	head -n 3 "$ASL_STORE/executions/p1/history.jsonl" > cut.jsonl
	[ "$(jq -r .type cut.jsonl | tail -n 1)" = PassStateExited ]
	fold cut.jsonl
	assert_json '{"status": "RUNNING", "input": {"k": "v"}, "lastEventId": 3,
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "A",
	      "type": "Pass", "phase": "exited", "input": {"k": "v"},
	      "variables": {"n": 1}, "enteredEventId": 2,
	      "enteredTime": "2024-01-01T00:00:00.000Z", "lastEventId": 3,
	      "retryCount": 0, "failures": [], "output": {"k": "v", "r": {"x": 1}}}]}' "$output"
}

@test "start: asl start records the execution; no state has been entered" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' > m.json
	run -0 asl start m.json --name s1 --input '{"k":"v"}'
	fold s1
	assert_json '{"status": "RUNNING", "input": {"k": "v"}, "lastEventId": 1,
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": null,
	      "type": null, "phase": "start", "input": {"k": "v"}, "variables": {},
	      "enteredEventId": 0, "enteredTime": null, "lastEventId": 1,
	      "retryCount": 0, "failures": []}]}' "$output"
}

@test "a timer: a paused Wait is entered, with its input and the time it began" {
	cat > wait.json <<'J'
{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"Next":"W"},
 "W":{"Type":"Wait","Seconds":600,"End":true}}}
J
	paused w1 wait.json
	fold w1
	assert_json '{"status": "RUNNING", "input": {}, "lastEventId": 4,
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "W",
	      "type": "Wait", "phase": "entered", "input": {"x": 1}, "variables": {},
	      "enteredEventId": 4, "enteredTime": "T", "lastEventId": 4,
	      "retryCount": 0, "failures": []}]}' "$(untimed)"
}

@test "an activity task: scheduled while no worker has it, started once one has" {
	run -0 asl create-activity --name work
	echo '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:work","End":true}}}' > act.json
	run -75 asl run --detach --name a1 --input '{"n":1}' act.json
	fold a1
	task='{"scheduledEventId": 3, "event": "ActivityScheduled",
	      "details": {"resource": "arn:aws:states:us-east-1:123456789012:activity:work",
	        "input": "{\"n\":1}", "inputDetails": {"truncated": false}},
	      "time": "2024-01-01T00:00:00.000Z"'
	assert_json '{"status": "RUNNING", "input": {"n": 1}, "lastEventId": 3,
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "T",
	      "type": "Task", "phase": "scheduled", "input": {"n": 1}, "variables": {},
	      "enteredEventId": 2, "enteredTime": "2024-01-01T00:00:00.000Z",
	      "lastEventId": 3, "retryCount": 0, "failures": [],
	      "task": '"$task"'}}]}' "$output"
	# a worker takes the task; the next tick records that it started
	run -0 asl get-activity-task --activity work --wait 0
	token=$(jq -r .taskToken <<<"$output")
	run -0 asl tick
	[ "$output" = "a1	RUNNING" ]
	fold a1
	assert_json '{"status": "RUNNING", "input": {"n": 1}, "lastEventId": 4,
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "T",
	      "type": "Task", "phase": "started", "input": {"n": 1}, "variables": {},
	      "enteredEventId": 2, "enteredTime": "2024-01-01T00:00:00.000Z",
	      "lastEventId": 4, "retryCount": 0, "failures": [],
	      "task": '"$task"', "startedEventId": 4}}]}' "$output"
	# its answer ends the execution: the task's result, the state exited
	run -0 asl send-task-success --task-token "$token" --output '{"done":1}'
	run -0 asl tick
	[ "$output" = "a1	SUCCEEDED" ]
	fold a1
	[ "$(jq -c '[.status, .output, (.frames[] | .phase, .task.result, .output)]' <<<"$output")" = '["SUCCEEDED",{"done":1},"exited",{"done":1},{"done":1}]' ]
}

@test "a callback: submitted, the task token in the task's parameters" {
	run -75 asl run --detach --name c1 --input '{"order":7}' callback.json
	token=$(jq -r 'select(.token) | .token' outbox)
	[ ${#token} -eq 64 ]
	fold c1
	# the token is the one the function was given
	[ "$(jq -r '.frames[0].task.details.parameters | fromjson | .Payload.token' <<<"$output")" = "$token" ]
	assert_json '{"status": "RUNNING", "input": {"order": 7}, "lastEventId": 5,
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "Ask",
	      "type": "Task", "phase": "submitted", "input": {"order": 7},
	      "variables": {}, "enteredEventId": 2,
	      "enteredTime": "2024-01-01T00:00:00.000Z", "lastEventId": 5,
	      "retryCount": 0, "failures": [],
	      "task": {"scheduledEventId": 3, "event": "TaskScheduled",
	        "details": {"resourceType": "lambda", "resource": "invoke.waitForTaskToken",
	          "region": "us-east-1",
	          "parameters": "{\"FunctionName\":\"notify\",\"Payload\":{\"token\":\"TOKEN\"}}"},
	        "time": "2024-01-01T00:00:00.000Z", "startedEventId": 4}}]}' \
	    "${output//$token/TOKEN}"
}

@test "failed-task: a failure waiting out its Retry's delay; a retried task's count and failures" {
	cat > retry.json <<'J'
{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Charge",
 "Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":60,"MaxAttempts":3}],"End":true}}}
J
	cat > mock.json <<'J'
{"StateMachines":{"retry":{"TestCases":{"Flaky":{"T":"Busy2"}}}},
 "MockedResponses":{"Busy2":{"0-1":{"Throw":{"Error":"Busy","Cause":"later"}},"2":{"Return":{"charged":true}}}}}
J
	details='{"resource": "arn:aws:lambda:us-east-1:123456789012:function:Charge",
	    "input": "{}", "inputDetails": {"truncated": false}}'
	paused r1 retry.json --mock mock.json --test-case Flaky
	fold r1
	assert_json '{"status": "RUNNING", "input": {}, "lastEventId": 5,
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "T",
	      "type": "Task", "phase": "failed-task", "input": {}, "variables": {},
	      "enteredEventId": 2, "enteredTime": "T", "lastEventId": 5,
	      "retryCount": 0, "failures": [{"Error": "Busy", "Cause": "later"}],
	      "task": {"scheduledEventId": 3, "event": "LambdaFunctionScheduled",
	        "details": '"$details"', "time": "T", "startedEventId": 4}}]}' "$(untimed)"
	# on the test clock: two failures, two retries (60 s, then 120 s), then
	# the result
	run -0 asl run --name r2 --mock mock.json --test-case Flaky retry.json
	[ "$output" = '{"charged":true}' ]
	fold r2
	assert_json '{"status": "SUCCEEDED", "input": {}, "lastEventId": 13,
	    "output": {"charged": true},
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "T",
	      "type": "Task", "phase": "exited", "input": {}, "variables": {},
	      "enteredEventId": 2, "enteredTime": "2024-01-01T00:00:00.000Z",
	      "lastEventId": 12, "retryCount": 2,
	      "failures": [{"Error": "Busy", "Cause": "later"}, {"Error": "Busy", "Cause": "later"}],
	      "task": {"scheduledEventId": 9, "event": "LambdaFunctionScheduled",
	        "details": '"$details"', "time": "2024-01-01T00:03:00.000Z",
	        "startedEventId": 10, "result": {"charged": true}},
	      "output": {"charged": true}}]}' "$output"
	# task-succeeded: stopped after the task's result, before the state's
	# exit (a crash between the two)
	head -n 11 "$ASL_STORE/executions/r2/history.jsonl" > cut.jsonl
	[ "$(jq -r .type cut.jsonl | tail -n 1)" = LambdaFunctionSucceeded ]
	fold cut.jsonl
	[ "$(jq -c '[.status, .lastEventId, (.frames[] | .phase, .retryCount, .task.result, has("output"))]' <<<"$output")" = '["RUNNING",11,"task-succeeded",2,{"charged":true},false]' ]
}

@test "a Map running: children, and a frame for the iteration that waits" {
	cat > map.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{"StartAt":"P","States":{
 "P":{"Type":"Pass","Next":"W"},"W":{"Type":"Wait","Seconds":600,"End":true}}},"End":true}}}
J
	paused m1 map.json --input '[1,2]'
	fold m1
	assert_json '{"status": "RUNNING", "input": [1, 2], "lastEventId": 7,
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "M",
	      "type": "Map", "phase": "children", "input": [1, 2], "variables": {},
	      "enteredEventId": 2, "enteredTime": "T", "lastEventId": 3,
	      "retryCount": 0, "failures": [],
	      "children": {"type": "map", "length": 2, "succeeded": [], "failed": [], "results": {}}},
	     {"frame": 1, "parent": 0, "index": 0, "state": "W", "type": "Wait",
	      "phase": "entered", "input": 1, "variables": {}, "enteredEventId": 7,
	      "enteredTime": "T", "lastEventId": 7, "retryCount": 0, "failures": []}]}' "$(untimed)"
}

@test "a Map's history cut short: an iteration begun (start), one at its end (done), the children succeeded" {
	cat > map.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"ItemSelector":{"v.$":"$$.Map.Item.Value"},
 "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}
J
	run -0 asl run map.json --name m1 --input '[1,2]'
	[ "$output" = '[{"v":1},{"v":2}]' ]
	h=$ASL_STORE/executions/m1/history.jsonl
	[ "$(jq -r .type "$h" | tr '\n' ' ')" = "ExecutionStarted MapStateEntered MapStateStarted MapIterationStarted PassStateEntered PassStateExited MapIterationSucceeded MapIterationStarted PassStateEntered PassStateExited MapIterationSucceeded MapStateSucceeded MapStateExited ExecutionSucceeded " ]
	map='{"frame": 0, "parent": null, "index": 0, "state": "M", "type": "Map",
	    "phase": "children", "input": [1, 2], "variables": {}, "enteredEventId": 2,
	    "enteredTime": "2024-01-01T00:00:00.000Z", "lastEventId": 3,
	    "retryCount": 0, "failures": [],
	    "children": {"type": "map", "length": 2, "succeeded": [], "failed": [], "results": {}}}'
	head -n 4 "$h" > cut.jsonl
	fold cut.jsonl
	assert_json '{"status": "RUNNING", "input": [1, 2], "lastEventId": 4,
	    "frames": ['"$map"',
	     {"frame": 1, "parent": 0, "index": 0, "state": null, "type": null,
	      "phase": "start", "input": null, "variables": {}, "enteredEventId": 0,
	      "enteredTime": null, "lastEventId": 4, "retryCount": 0, "failures": []}]}' "$output"
	# the iteration's last state exited, its MapIterationSucceeded not
	# written: done, with the definition to tell that I ends it (exited
	# without one); the store's definition is beside its history
	head -n 6 "$h" > cut.jsonl
	fold --definition map.json cut.jsonl
	assert_json '{"status": "RUNNING", "input": [1, 2], "lastEventId": 6,
	    "frames": ['"$map"',
	     {"frame": 1, "parent": 0, "index": 0, "state": "I", "type": "Pass",
	      "phase": "done", "input": {"v": 1}, "variables": {}, "enteredEventId": 5,
	      "enteredTime": "2024-01-01T00:00:00.000Z", "lastEventId": 6,
	      "retryCount": 0, "failures": [], "output": {"v": 1}}]}' "$output"
	fold cut.jsonl
	[ "$(jq -r '.frames[1].phase' <<<"$output")" = exited ]
	cp cut.jsonl "$h"
	fold m1
	[ "$(jq -r '.frames[1].phase' <<<"$output")" = done ]
	# every iteration over, the Map's own end not written
	run -0 asl run map.json --name m2 --input '[1,2]'
	head -n 12 "$ASL_STORE/executions/m2/history.jsonl" > cut.jsonl
	fold cut.jsonl
	assert_json '{"status": "RUNNING", "input": [1, 2], "lastEventId": 12,
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "M", "type": "Map",
	      "phase": "children-succeeded", "input": [1, 2], "variables": {},
	      "enteredEventId": 2, "enteredTime": "2024-01-01T00:00:00.000Z",
	      "lastEventId": 3, "retryCount": 0, "failures": [],
	      "children": {"type": "map", "length": 2, "succeeded": [0, 1], "failed": [],
	        "results": {"0": {"v": 1}, "1": {"v": 2}}}}]}' "$output"
}

@test "a Map whose iteration fails: children-failed, the failed index, FAILED with its error" {
	cat > map.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{
 "I":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Ok"},
 "Bad":{"Type":"Fail","Error":"Two","Cause":"no twos"},"Ok":{"Type":"Pass","End":true}}},"End":true}}}
J
	run -1 --separate-stderr asl run --name mf --input '[1,2,3]' map.json
	[ "$stderr" = "asl: execution FAILED: Two: no twos" ]
	fold mf
	assert_json '{"status": "FAILED", "input": [1, 2, 3], "lastEventId": 16,
	    "error": "Two", "cause": "no twos",
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "M", "type": "Map",
	      "phase": "children-failed", "input": [1, 2, 3], "variables": {},
	      "enteredEventId": 2, "enteredTime": "2024-01-01T00:00:00.000Z",
	      "lastEventId": 15, "retryCount": 0, "failures": [],
	      "children": {"type": "map", "length": 3, "succeeded": [0], "failed": [1],
	        "results": {"0": 1}}}]}' "$output"
}

@test "a Parallel running: the branch that finished is done, the other waits" {
	cat > par.json <<'J'
{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
 {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
 {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}],"End":true}}}
J
	paused p1 par.json --input '{"k":1}'
	fold p1
	assert_json '{"status": "RUNNING", "input": {"k": 1}, "lastEventId": 6,
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "P",
	      "type": "Parallel", "phase": "children", "input": {"k": 1}, "variables": {},
	      "enteredEventId": 2, "enteredTime": "T", "lastEventId": 3,
	      "retryCount": 0, "failures": [],
	      "children": {"type": "parallel", "length": 2, "succeeded": [], "failed": [], "results": {}}},
	     {"frame": 1, "parent": 0, "index": 0, "state": "A", "type": "Pass",
	      "phase": "done", "input": {"k": 1}, "variables": {}, "enteredEventId": 4,
	      "enteredTime": "T", "lastEventId": 5, "retryCount": 0, "failures": [],
	      "output": "a"},
	     {"frame": 2, "parent": 0, "index": 1, "state": "W", "type": "Wait",
	      "phase": "entered", "input": {"k": 1}, "variables": {}, "enteredEventId": 6,
	      "enteredTime": "T", "lastEventId": 6, "retryCount": 0, "failures": []}]}' "$(untimed)"
}

@test "a Parallel whose branches all succeeded, its end not written: every branch's result, and resume uses them" {
	cat > par.json <<'J'
{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
 {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
 {"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b","End":true}}}],"End":true}}}
J
	run -0 asl run par.json --name p2 --input '{"k":1}'
	[ "$output" = '["a","b"]' ]
	h=$ASL_STORE/executions/p2/history.jsonl
	head -n 8 "$h" > cut.jsonl
	[ "$(jq -r .type cut.jsonl | tail -n 1)" = ParallelStateSucceeded ]
	cp cut.jsonl "$h"
	fold p2
	assert_json '{"status": "RUNNING", "input": {"k": 1}, "lastEventId": 8,
	    "frames": [{"frame": 0, "parent": null, "index": 0, "state": "P",
	      "type": "Parallel", "phase": "children-succeeded", "input": {"k": 1},
	      "variables": {}, "enteredEventId": 2,
	      "enteredTime": "2024-01-01T00:00:00.000Z", "lastEventId": 3,
	      "retryCount": 0, "failures": [],
	      "children": {"type": "parallel", "length": 2, "succeeded": [1, 0],
	        "failed": [], "results": {"1": "b", "0": "a"}}}]}' "$output"
	# without the definition the fold cannot tell how many branches
	fold cut.jsonl
	[ "$(jq -c '.frames[0].children | [.length, .succeeded]' <<<"$output")" = '[0,[1,0]]' ]
	run -0 --separate-stderr asl resume p2
	[ "$output" = '["a","b"]' ]
}

@test "TIMED_OUT: the execution's TimeoutSeconds passed; its waiting state aborted" {
	jq '.TimeoutSeconds = 10' callback.json > cbto.json
	ASL_CLOCK=2024-01-01T00:00:00Z run -75 asl run --detach --name t1 cbto.json
	ASL_CLOCK=2024-01-01T00:00:20Z run -0 asl tick
	[ "$output" = "t1	TIMED_OUT" ]
	fold t1
	[ "$(jq -c '[.status, .error, .cause, .lastEventId, (.frames[] | .state, .phase, .lastEventId)]' <<<"$output")" = '["TIMED_OUT","States.Timeout",null,7,"Ask","aborted",6]' ]
	run -0 asl-history show t1
	[ "$(awk 'NR > 1 { print $3 }' <<<"$output" | tr '\n' ' ')" = "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskStateAborted ExecutionTimedOut " ]
}

@test "ABORTED: asl stop's error and cause; the callback it stopped was still submitted" {
	run -75 asl run --detach --name c2 callback.json
	run -0 asl stop c2 --error Halt --cause "by hand"
	fold c2
	[ "$(jq -c '[.status, .error, .cause, .lastEventId, (.frames[] | .phase, .task.startedEventId)]' <<<"$output")" = '["ABORTED","Halt","by hand",6,"submitted",4]' ]
}

@test "FAILED: a task failure nothing caught; redriven, RUNNING again from that state" {
	run -75 asl run --detach --name c3 --input '{"order":3}' callback.json
	token=$(jq -r 'select(.token) | .token' outbox)
	run -0 asl send-task-failure --task-token "$token" --error No --cause "not now"
	run -0 asl tick
	[ "$output" = "c3	FAILED" ]
	fold c3
	[ "$(jq -c '[.status, .error, .cause, .lastEventId, (.frames[] | .phase, .failures)]' <<<"$output")" = '["FAILED","No","not now",7,"failed-task",[{"Error":"No","Cause":"not now"}]]' ]
	run -75 asl redrive --detach c3
	fold c3
	# the state entered again, its task submitted again, the old failure
	# forgotten (the error and cause of the failed run stay in the fold)
	[ "$(jq -c '[.status, .error, .lastEventId, (.frames[] | .state, .phase, .enteredEventId, .failures)]' <<<"$output")" = '["RUNNING","No",12,"Ask","submitted",9,[]]' ]
}

@test "a torn last line (a crash mid-write) is not an event" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' > m.json
	run -0 asl run m.json --name t1
	fold t1
	whole=$output
	printf '{"id":99,"type":"PassSt' >> "$ASL_STORE/executions/t1/history.jsonl"
	fold t1
	[ "$output" = "$whole" ]
	[ "$(jq -c '[.status, .lastEventId]' <<<"$output")" = '["SUCCEEDED",4]' ]
}

@test "show: a table of the events, --reverse, and --json is GetExecutionHistory's document" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"Next":"F"},"F":{"Type":"Fail","Error":"Boom","Cause":"it broke"}}}' > m.json
	run -1 asl run m.json --name f1
	run -0 --separate-stderr asl-history show f1
	[ "$stderr" = "" ]
	[ "$output" = "ID  TIMESTAMP                 TYPE              STATE  DETAIL
1   2024-01-01T00:00:00.000Z  ExecutionStarted
2   2024-01-01T00:00:00.000Z  PassStateEntered  A
3   2024-01-01T00:00:00.000Z  PassStateExited   A
4   2024-01-01T00:00:00.000Z  FailStateEntered  F
5   2024-01-01T00:00:00.000Z  ExecutionFailed   F      Boom: it broke" ]
	table=$output
	run -0 asl-history show --reverse f1
	[ "${lines[0]}" = "${table%%$'\n'*}" ]
	[ "$(printf '%s\n' "${lines[@]:1}" | tac)" = "$(tail -n +2 <<<"$table")" ]
	run -0 asl-history show --json f1
	[ "$(jq -c . <<<"$output")" = "$(jq -sc '{events: .}' "$ASL_STORE/executions/f1/history.jsonl")" ]
	run -0 asl-history show --json --reverse f1
	[ "$(jq -c '[.events[].id]' <<<"$output")" = "[5,4,3,2,1]" ]
	# a FILE is read as well as an EXEC
	run -0 asl-history show "$ASL_STORE/executions/f1/history.jsonl"
	[ "$output" = "$table" ]
}

@test "errors: a line that is not an event, an unknown execution, a missing file, usage" {
	printf '{"id":1,"type":"ExecutionStarted"}\nnot json\n' > bad.jsonl
	run -1 --separate-stderr asl-history fold bad.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "asl-history: bad.jsonl:2: not a JSON event" ]
	run -1 --separate-stderr asl-history show bad.jsonl
	[ "$stderr" = "asl-history: bad.jsonl:2: not a JSON event" ]
	run -1 --separate-stderr asl-history fold nosuch
	[ "$stderr" = "asl-history: 'nosuch' is neither a history file nor an execution in $ASL_STORE" ]
	run -4 --separate-stderr asl-history fold ./nosuch.jsonl
	[ "$stderr" = "asl-history: ./nosuch.jsonl: No such file or directory" ]
	run -2 --separate-stderr asl-history fold a b
	[ "${stderr_lines[0]}" = "asl-history: fold takes one FILE or EXEC" ]
	[ "${stderr_lines[1]}" = "usage: asl-history show [--json] [--reverse] [--store DIR] [FILE|EXEC|-]" ]
	run -2 --separate-stderr asl-history show a b
	[ "${stderr_lines[0]}" = "asl-history: show takes one FILE or EXEC" ]
}
