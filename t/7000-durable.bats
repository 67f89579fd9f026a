#!/usr/bin/env bats
# Durable executions across processes: --detach and asl tick, callbacks
# answered from another process, activity workers, stop and redrive, a
# kill -9 of the driver, racing ticks, idempotent names.  Real clock: the
# waits here are short on purpose.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store" ASL_PATH="$BATS_TEST_TMPDIR/bin"
	unset ASL_CLOCK
	mkdir -p bin
	cat > wait.json <<'J'
{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"Next":"W"},
 "W":{"Type":"Wait","Seconds":2,"Next":"B"},"B":{"Type":"Pass","End":true}}}
J
	# a Lambda function that hands its task token to the outside world
	cat > bin/notify <<'S'
#!/bin/sh
cat >> "$BATS_TEST_TMPDIR/outbox"
echo >> "$BATS_TEST_TMPDIR/outbox"
echo '{"queued":true}'
S
	# a Lambda function that counts its runs in a ledger, and says which
	# process it waits on
	cat > bin/slow <<'S'
#!/bin/sh
sleep 5 &
echo $! > "$BATS_TEST_TMPDIR/sleep.pid"
echo ran >> "$BATS_TEST_TMPDIR/ledger"
wait
echo '{"slow":true}'
S
	chmod +x bin/notify bin/slow
	cat > callback.json <<'J'
{"StartAt":"Ask","States":{"Ask":{"Type":"Task",
 "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
 "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token","order.$":"$.order"}},
 "ResultPath":"$.answer","Next":"Done"},"Done":{"Type":"Succeed"}}}
J
}

# the token the notify function was given last
last_token() {
	tail -n 2 outbox | jq -r 'select(.token) | .token' | tail -n 1
}

# wait until a file exists (up to 5 s)
await() {
	local i
	for i in $(seq 50); do [ -s "$1" ] && return 0; sleep 0.1; done
	return 1
}

# alive PID: the process exists and is not a zombie
alive() {
	[ -e "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat"
}

@test "run --detach pauses at a Wait (exit 75); asl tick in another process finishes it" {
	run -75 --separate-stderr asl run --detach --name w1 wait.json
	[ "$output" = "" ]
	[ "$stderr" = "asl: execution RUNNING: waiting for a timer, a callback or an activity worker" ]
	run -0 asl tick
	[ "$output" = "w1	RUNNING" ]
	sleep 2.1
	run -0 asl tick
	[ "$output" = "w1	SUCCEEDED" ]
	run -0 asl describe w1
	jq -e '.status == "SUCCEEDED" and .output == "{\"x\":1}"' <<<"$output"
	# the Wait lasted its 2 s from its entry, not from the tick
	run -0 asl history w1 --json
	jq -e '[.events[] | select(.type | test("^Wait"))] | length == 2' <<<"$output"
}

@test "asl start creates without running; asl resume drives it" {
	run -0 asl start --name s1 --input '{"k":1}' wait.json
	jq -e '.name == "s1" and (.executionArn | endswith(":s1")) and .startDate' <<<"$output"
	run -0 asl describe s1
	jq -e '.status == "RUNNING"' <<<"$output"
	run -0 --separate-stderr asl resume s1
	[ "$output" = '{"x":1}' ]
}

@test "a callback answered by send-task-success from another process" {
	asl run --name c1 --input '{"order":7}' callback.json > out 2> err &
	pid=$!
	await outbox
	tok=$(last_token)
	[ ${#tok} -eq 64 ]
	run -0 asl send-task-success --task-token "$tok" --output '{"ok":true}'
	[ "$output" = "{}" ]
	wait "$pid"
	[ "$(cat out)" = '{"order":7,"answer":{"ok":true}}' ]
	run -0 asl history c1 --json
	jq -e '[.events[].type] | index("TaskSubmitted") < index("TaskSucceeded")' <<<"$output"
	# the token is used: a second answer is refused
	run -1 asl send-task-success --task-token "$tok" --output '{}'
	[[ "$output" == *TaskDoesNotExist* ]]
}

@test "a detached callback: send-task-failure, then the next tick fails it" {
	run -75 asl run --detach --name c2 --input '{"order":8}' callback.json
	tok=$(last_token)
	run -0 asl send-task-failure --task-token "$tok" --error Out.Of.Stock --cause "none left"
	[ "$output" = "{}" ]
	run -0 asl tick
	[ "$output" = "c2	FAILED" ]
	run -0 asl describe c2
	jq -e '.error == "Out.Of.Stock" and .cause == "none left"' <<<"$output"
}

@test "tokens: malformed is InvalidToken, unknown is TaskDoesNotExist, both exit 1" {
	run -1 asl send-task-success --task-token nope --output '{}'
	[[ "$output" == *"InvalidToken"* ]]
	run -1 asl send-task-heartbeat --task-token "$(printf '%064d' 0)"
	[[ "$output" == *"TaskDoesNotExist"* ]]
	run -2 --separate-stderr asl send-task-success --output '{}'
	[ "$output" = "" ]
	[ "${stderr_lines[0]}" = "asl: send-task-success needs --task-token T" ]
}

@test "a missed heartbeat times the task out (States.Timeout); the token then says TaskTimedOut" {
	cat > hb.json <<'J'
{"StartAt":"Ask","States":{"Ask":{"Type":"Task","HeartbeatSeconds":1,"TimeoutSeconds":30,
 "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
 "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}
J
	asl run --name h1 hb.json > out 2> err &
	pid=$!
	await outbox
	tok=$(last_token)
	# heartbeats keep it alive past 1 s
	for i in 1 2 3; do sleep 0.5; asl send-task-heartbeat --task-token "$tok"; done
	run -0 asl describe h1
	jq -e '.status == "RUNNING"' <<<"$output"
	wait "$pid" || status=$?
	[ "$status" -eq 1 ]
	run -0 asl describe h1
	jq -e '.error == "States.Timeout"' <<<"$output"
	run -1 asl send-task-success --task-token "$tok" --output '{}'
	[[ "$output" == *TaskTimedOut* ]]
}

@test "two activity workers share a queue: every task is handed out once" {
	run -0 asl create-activity --name work
	jq -e '.activityArn | endswith(":activity:work")' <<<"$output"
	cat > act.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"A",
 "States":{"A":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:work","End":true}}},"End":true}}}
J
	run -75 asl run --detach --name a1 --input '{"items":[1,2,3,4,5,6,7,8]}' act.json
	worker() {
		local t
		while t=$(asl get-activity-task --activity work --worker-name "$1" --wait 0); do
			echo "$1 $(jq -r .input <<<"$t")" >> handed
			asl send-task-success --task-token "$(jq -r .taskToken <<<"$t")" \
			    --output "{\"by\":\"$1\",\"in\":$(jq -r .input <<<"$t")}" > /dev/null
		done
	}
	worker w1 & worker w2 & wait
	[ "$(wc -l < handed)" -eq 8 ]
	[ "$(cut -d' ' -f2 handed | sort -n | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 " ]
	run -0 asl tick
	[ "$output" = "a1	SUCCEEDED" ]
	run -0 asl describe a1
	jq -e '.output | fromjson | map(.in) == [1,2,3,4,5,6,7,8]' <<<"$output"
	run -0 asl history a1 --json
	jq -e '[.events[] | select(.type == "ActivityStarted")] | length == 8' <<<"$output"
	# an empty queue: exit 75 and nothing on stdout
	run -75 --separate-stderr asl get-activity-task --activity work --wait 0
	[ "$output" = "" ]
	run -1 asl get-activity-task --activity nosuch --wait 0
	[[ "$output" == *ActivityDoesNotExist* ]]
}

@test "asl stop aborts a running driver and kills its task; redrive continues" {
	cat > long.json <<'J'
{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:slow","TimeoutSeconds":60,"End":true}}}
J
	asl run --name st1 long.json > out 2> err &
	pid=$!
	await ledger
	run -0 asl stop st1 --error Halted --cause "by hand"
	jq -e '.stopDate' <<<"$output"
	wait "$pid" || status=$?
	[ "$status" -eq 6 ]
	run -0 asl describe st1
	jq -e '.status == "ABORTED" and .error == "Halted" and .cause == "by hand"' <<<"$output"
	# the task's whole process group went with it
	sp=$(cat sleep.pid)
	for i in $(seq 20); do alive "$sp" || break; sleep 0.1; done
	run ! alive "$sp"
	run -1 asl stop st1
	[[ "$output" == *ExecutionNotRunning* ]]
	# redrive: the Task runs again, and the context counts the redrive
	cat > bin/slow <<'S'
#!/bin/sh
echo ran >> "$BATS_TEST_TMPDIR/ledger"
echo '{"fast":true}'
S
	run -0 --separate-stderr asl redrive st1
	[ "$output" = '{"fast":true}' ]
	run -0 asl history st1 --json
	jq -e '[.events[].type] | index("ExecutionAborted") < index("ExecutionRedriven")' <<<"$output"
	run -1 asl redrive st1
	[[ "$output" == *ExecutionNotRedrivable* ]]
}

@test "stop a paused execution; redrive a FAILED one from its failed state with RedriveCount" {
	run -75 asl run --detach --name st2 wait.json
	run -0 asl stop st2
	jq -e '.stopDate | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")' <<<"$output"
	run -0 asl describe st2
	jq -e '.status == "ABORTED"' <<<"$output"
	cat > flaky.json <<'J'
{"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"ResultPath":"$.p","Next":"T"},
 "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:flaky",
  "Parameters":{"redrives.$":"$$.Execution.RedriveCount"},"End":true}}}
J
	cat > bin/flaky <<'S'
#!/bin/sh
[ -e "$BATS_TEST_TMPDIR/fixed" ] || { echo '{"errorType":"Broken","errorMessage":"not yet"}'; exit 1; }
cat
S
	chmod +x bin/flaky
	run -1 --separate-stderr asl run --name r1 flaky.json
	[ "$output" = "" ]
	[[ "$stderr" == 'asl: execution FAILED: Broken: {"errorMessage": "not yet", "errorType": "Broken", "requestId": "'*'", "stackTrace": []}' ]]
	touch fixed
	run -0 --separate-stderr asl redrive r1
	[ "$output" = '{"redrives":1}' ]
	# P is not run again
	run -0 asl history r1 --json
	jq -e '[.events[] | select(.type == "PassStateEntered")] | length == 1' <<<"$output"
}

@test "kill -9 while a STANDARD task runs: resume never runs it twice (Asl.TaskInterrupted, catchable)" {
	cat > once.json <<'J'
{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:slow",
 "Catch":[{"ErrorEquals":["Asl.TaskInterrupted"],"ResultPath":"$.interrupted","Next":"After"}],"Next":"After"},
 "After":{"Type":"Pass","End":true}}}
J
	asl run --name k1 once.json > /dev/null 2>&1 &
	pid=$!
	await ledger
	kill -9 "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 137 ]
	run -0 asl describe k1
	jq -e '.status == "RUNNING"' <<<"$output"
	run -0 --separate-stderr asl resume k1
	jq -e '.interrupted.Error == "Asl.TaskInterrupted"' <<<"$output"
	[ "$(wc -l < ledger)" -eq 1 ]
}

@test "kill -9 while an EXPRESS task runs: resume runs it again (at least once)" {
	cat > bin/slow <<'S'
#!/bin/sh
echo ran >> "$BATS_TEST_TMPDIR/ledger"
[ "$(wc -l < "$BATS_TEST_TMPDIR/ledger")" -gt 1 ] || sleep 5
echo '{"done":true}'
S
	echo '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:slow","End":true}}}' > ex.json
	asl run --type EXPRESS --name e1 ex.json > /dev/null 2>&1 &
	pid=$!
	await ledger
	kill -9 "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 137 ]
	run -0 --separate-stderr asl resume e1
	[ "$output" = '{"done":true}' ]
	[ "$(wc -l < ledger)" -eq 2 ]
}

@test "kill -9 during a Map: resume keeps finished iterations and waits out the others" {
	cat > bin/item <<'S'
#!/bin/sh
read -r n
echo "$n" >> "$BATS_TEST_TMPDIR/ledger"
[ "$n" -lt 3 ] || sleep 5
echo "$((n * 10))"
S
	chmod +x bin/item
	cat > map.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{"StartAt":"W",
 "States":{"W":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:item",
  "Retry":[{"ErrorEquals":["Asl.TaskInterrupted"],"MaxAttempts":1,"IntervalSeconds":1}],"End":true}}},"End":true}}}
J
	asl run --name m1 --input '[1,2,3,4]' map.json > /dev/null 2>&1 &
	pid=$!
	for i in $(seq 50); do [ "$(wc -l < ledger 2>/dev/null)" = 3 ] && break; sleep 0.1; done
	[ "$(tr '\n' ' ' < ledger)" = "1 2 3 " ]
	kill -9 "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 137 ]
	# item 3 was running: at most once, then retried by its Retry
	cat > bin/item <<'S'
#!/bin/sh
read -r n
echo "$n" >> "$BATS_TEST_TMPDIR/ledger"
echo "$((n * 10))"
S
	run -0 --separate-stderr asl resume m1
	[ "$output" = '[10,20,30,40]' ]
	[ "$(tr '\n' ' ' < ledger)" = "1 2 3 3 4 " ]
}

@test "two ticks racing advance each execution once" {
	for n in 1 2 3; do
		run -75 --separate-stderr asl run --detach --name race$n wait.json
		[ "$output" = "" ]
	done
	sleep 2.1
	asl tick > t1 & asl tick > t2 & wait
	cat t1 t2 | sort > both
	[ "$(grep -c SUCCEEDED both)" -eq 3 ]
	for n in 1 2 3; do
		run -0 asl history race$n --json
		jq -e '[.events[] | select(.type == "ExecutionSucceeded")] | length == 1' <<<"$output"
	done
}

@test "a torn last line (a crash mid-write) is cut off on resume" {
	run -75 asl run --detach --name torn wait.json
	printf '{"id":99,"type":"PassSt' >> store/executions/torn/history.jsonl
	sleep 2.1
	run -0 --separate-stderr asl resume torn
	[ "$output" = '{"x":1}' ]
	# every line is whole again, the last one the execution's end
	run -0 jq -r .type store/executions/torn/history.jsonl
	[ "${lines[-1]}" = ExecutionSucceeded ]
}

@test "asl tick sweeps what a creation killed half way left, not one under way" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' > m.json
	run -0 asl run m.json --name kept
	sh -c 'exit 0' & wait $!
	local dead=$!
	mkdir -p "$ASL_STORE/executions/.new-half-way-$dead" "$ASL_STORE/executions/.new-live-$$"
	echo '{}' > "$ASL_STORE/executions/.new-half-way-$dead/execution.json"
	run -0 asl tick
	[ ! -e "$ASL_STORE/executions/.new-half-way-$dead" ]
	[ -d "$ASL_STORE/executions/.new-live-$$" ]
	run -0 asl describe kept
	run -0 asl list
	[[ "$output" != *half-way* ]]
}

@test "names: the same start is idempotent, another input is ExecutionAlreadyExists" {
	run -0 asl start --name same --input '{"a":1}' wait.json
	first=$output
	run -0 asl start --name same --input '{"a":1}' wait.json
	[ "$output" = "$first" ]
	run -1 asl start --name same --input '{"a":2}' wait.json
	[[ "$output" == *ExecutionAlreadyExists* ]]
	run -1 asl start --name ../escape wait.json
	[[ "$output" == *InvalidName* ]]
}

@test "execution TimeoutSeconds holds across processes" {
	echo '{"TimeoutSeconds":1,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"End":true}}}' > to.json
	run -75 asl run --detach --name to1 to.json
	sleep 1.1
	run -5 --separate-stderr asl resume to1
	[ "$output" = "" ]
	[ "$stderr" = "asl: execution TIMED_OUT: States.Timeout" ]
	run -0 asl describe to1
	jq -e '.status == "TIMED_OUT"' <<<"$output"
}

@test "a callback's TimeoutSeconds counts while no process drives it" {
	cat > cbto.json <<'J'
{"StartAt":"Ask","States":{"Ask":{"Type":"Task","TimeoutSeconds":1,
 "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
 "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}
J
	run -75 asl run --detach --name cbto cbto.json
	sleep 1.2
	run -0 asl tick
	[ "$output" = "cbto	FAILED" ]
	run -0 asl describe cbto
	jq -e '.error == "States.Timeout"' <<<"$output"
	run -0 asl history cbto --json
	jq -e '[.events[].type] | index("TaskTimedOut") > 0' <<<"$output"
}

@test "execution TimeoutSeconds: asl tick times out a paused execution" {
	echo '{"TimeoutSeconds":1,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"End":true}}}' > to.json
	run -75 asl run --detach --name to2 to.json
	sleep 1.1
	run -0 asl tick
	[ "$output" = "to2	TIMED_OUT" ]
}

@test "the new verbs refuse options that are not theirs" {
	run -2 asl get-activity-task --activity work --name x
	[[ "$output" == *"--name: not an option of this verb"* ]]
	run -2 --separate-stderr asl tick --detach
	[ "${stderr_lines[0]}" = "asl: --detach: not an option of this verb" ]
	run -2 --separate-stderr asl send-task-success --task-token t
	[ "${stderr_lines[0]}" = "asl: send-task-success needs --output JSON" ]
}
