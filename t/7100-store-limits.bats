#!/usr/bin/env bats
# A store that holds at any size: AWS's limit of 25,000 events in a
# STANDARD history (--history-limit), a stop heard by a driver busy in a
# loop with no end, and histories read as streams (stdin, long ones).

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store"
	unset ASL_CLOCK
	cp "$SHARED/bench/choice-loop-10000.asl.json" loop.json
	cat > forever.json <<'J'
{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
 "B":{"Type":"Choice","Choices":[{"Variable":"$.never","IsPresent":true,
 "Next":"C"}],"Default":"A"},"C":{"Type":"Succeed"}}}
J
}

last_event() {
	tail -n 1 "$ASL_STORE/executions/$1/history.jsonl" | jq -c \
	    '[.id, .type, .executionFailedEventDetails]'
}

@test "the 25,000th event of a STANDARD execution fails it as AWS does, unless it ends it" {
	# 8 + 4 * 10000 events wanted: event 25,000 is ExecutionFailed
	run -1 --separate-stderr asl run --name big --input '{"limit": 10000}' loop.json
	[ "$output" = "" ]
	[ "$stderr" = "asl: execution FAILED: States.Runtime: The execution reached the maximum number of history events (25000)." ]
	run -0 wc -l < "$ASL_STORE/executions/big/history.jsonl"
	[ "$output" = 25000 ]
	run -0 last_event big
	[ "$output" = '[25000,"ExecutionFailed",{"error":"States.Runtime","cause":"The execution reached the maximum number of history events (25000)."}]' ]
	run -0 jq -r .status <(asl describe big)
	[ "$output" = FAILED ]
	# 8 + 4 * 6248 = 25,000: the last event is ExecutionSucceeded, allowed
	run -0 asl run --name just --input '{"limit": 6248}' loop.json
	[ "$output" = '{"i":6248,"limit":6248}' ]
	run -0 last_event just
	[ "$output" = '[25000,"ExecutionSucceeded",null]' ]
}

@test "--history-limit N sets another limit, 0 none; EXPRESS has none; the limit is the execution's own" {
	run -1 --separate-stderr asl run --history-limit 50 --name small --input '{"limit": 100}' loop.json
	[ "$stderr" = "asl: execution FAILED: States.Runtime: The execution reached the maximum number of history events (50)." ]
	run -0 last_event small
	[ "$output" = '[50,"ExecutionFailed",{"error":"States.Runtime","cause":"The execution reached the maximum number of history events (50)."}]' ]
	run -0 asl run --history-limit 0 --name none --input '{"limit": 7000}' loop.json
	[ "$output" = '{"i":7000,"limit":7000}' ]
	run -0 wc -l < "$ASL_STORE/executions/none/history.jsonl"
	[ "$output" = 28008 ]
	run -0 asl run --type EXPRESS --history --name fast --input '{"limit": 7000}' loop.json
	[ "$output" = '{"i":7000,"limit":7000}' ]
	# started with a limit, resumed with it
	run -0 asl start --history-limit 30 --name later --input '{"limit": 100}' loop.json
	run -1 --separate-stderr asl resume later
	[ "$stderr" = "asl: execution FAILED: States.Runtime: The execution reached the maximum number of history events (30)." ]
	run -2 --separate-stderr asl run --history-limit -1 loop.json
	[ "${stderr_lines[0]}" = "asl: --history-limit: '-1' is not a number of events (0: no limit)" ]
}

@test "asl stop stops a driver busy in a loop with no end, within a second" {
	asl run --history-limit 0 --name spin forever.json > out 2> err &
	pid=$!
	# wait until it spins
	for i in $(seq 50); do
		[ -s "$ASL_STORE/executions/spin/history.jsonl" ] && break
		sleep 0.1
	done
	sleep 0.3
	# asl stop signals the driver and waits for it to let go
	start=$(date +%s%N)
	run -0 timeout 5 asl stop spin --error Enough --cause "a loop"
	[ $(( ($(date +%s%N) - start) / 1000000 )) -lt 1000 ]
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" = 6 ]
	run -0 cat err
	[ "$output" = "asl: execution ABORTED: Enough: a loop" ]
	run -0 jq -r .status <(asl describe spin)
	[ "$output" = ABORTED ]
	run -0 jq -c '[.type, .executionAbortedEventDetails]' <(tail -n 1 "$ASL_STORE/executions/spin/history.jsonl")
	[ "$output" = '["ExecutionAborted",{"error":"Enough","cause":"a loop"}]' ]
}

@test "asl-history show and fold read a history on stdin: - or no argument" {
	asl run --name p --input '{"limit": 3}' loop.json > /dev/null
	h=$ASL_STORE/executions/p/history.jsonl
	cp "$h" h.jsonl
	run -0 asl-history show h.jsonl
	table=$output
	[ "${#lines[@]}" = 21 ]
	run -0 asl-history show - < h.jsonl
	[ "$output" = "$table" ]
	run -0 sh -c 'cat h.jsonl | asl-history show'
	[ "$output" = "$table" ]
	run -0 sh -c 'cat h.jsonl | asl-history show --reverse'
	[ "${lines[0]}" = "${table%%$'\n'*}" ]
	[ "$(printf '%s\n' "${lines[@]:1}" | tac)" = "$(tail -n +2 <<<"$table")" ]
	run -0 sh -c 'cat h.jsonl | asl-history show --json --reverse'
	[ "$(jq -c '[.events[].id]' <<<"$output")" = "[$(seq -s, 20 -1 1)]" ]
	run -0 sh -c 'cat h.jsonl | asl-history show --json'
	[ "$(jq -c . <<<"$output")" = "$(jq -sc '{events: .}' h.jsonl)" ]
	run -0 asl-history fold h.jsonl
	fold=$output
	run -0 asl-history fold - < h.jsonl
	[ "$output" = "$fold" ]
	run -0 sh -c 'cat h.jsonl | asl-history fold'
	[ "$output" = "$fold" ]
	[ "$(jq -r .status <<<"$fold")" = SUCCEEDED ]
	# an empty history
	run -0 asl-history show --json < /dev/null
	[ "$output" = '{
  "events": []
}' ]
	run -1 --separate-stderr asl-history show <<<'not json'
	[ "$stderr" = "asl-history: -:1: not a JSON event" ]
}

@test "a long history: the table, the document and the fold agree with the events, newest first too" {
	asl run --history-limit 0 --name long --input '{"limit": 10000}' loop.json > /dev/null
	h=$ASL_STORE/executions/long/history.jsonl
	run -0 wc -l < "$h"
	[ "$output" = 40008 ]
	# every id, in order and reversed, once
	run -0 sh -c "asl history long | awk 'NR > 1 { print \$1 }' | md5sum"
	[ "$output" = "$(seq 1 40008 | md5sum)" ]
	run -0 sh -c "asl history long --reverse | awk 'NR > 1 { print \$1 }' | md5sum"
	[ "$output" = "$(seq 40008 -1 1 | md5sum)" ]
	# the state of each row, followed through previousEventId
	run -0 sh -c "asl history long | awk 'NR == 40008 || NR == 40009 { print \$3, \$4 }'"
	[ "$output" = "SucceedStateExited Done
ExecutionSucceeded Done" ]
	run -0 sh -c "asl history long --json | jq -c '.events | length, .[-1].id'"
	[ "$output" = "40008
40008" ]
	run -0 sh -c "asl-history fold long | jq -c '[.status, .lastEventId, .output]'"
	[ "$output" = '["SUCCEEDED",40008,{"i":10000,"limit":10000}]' ]
}

@test "nothing poisons the store: a broken mock, resource map or input is refused before the execution exists" {
	cat > task.json <<'J'
{"StartAt":"A","States":{"A":{"Type":"Task",
 "Resource":"arn:aws:lambda:us-east-1:123456789012:function:x","End":true}}}
J
	cat > gap.json <<'J'
{"StateMachines":{"task":{"TestCases":{"T":{"A":"R"}}}},
 "MockedResponses":{"R":{"0":{"Return":{"x":1}},"2":{"Return":{"x":2}}}}}
J
	cat > good.json <<'J'
{"StateMachines":{"task":{"TestCases":{"T":{"A":"R"}}}},
 "MockedResponses":{"R":{"0":{"Return":{"x":1}}}}}
J
	run -1 --separate-stderr asl run --name m --mock gap.json --test-case T task.json
	[ "$stderr" = "asl: InvalidArgument: mock file: /MockedResponses/R: no response for invocation 1: the invocation numbers must run from 0 with no gap or overlap" ]
	run -1 --separate-stderr asl run --name m --mock good.json --test-case Nope task.json
	[[ $stderr == "asl: InvalidArgument: mock file: "*Nope* ]]
	echo '{"x": "not an argv"}' > bad-map.json
	run -1 --separate-stderr asl start --name m --resources bad-map.json task.json
	[[ $stderr == "asl: InvalidArgument: resource map: "* ]]
	head -c 262200 /dev/zero | tr '\0' x | sed 's/.*/{"a":"&"}/' > big.json
	run -1 --separate-stderr asl run --name m --input @big.json task.json
	[ "$stderr" = "asl: InvalidExecutionInput: the input is over 262144 bytes, AWS's limit for an execution's input" ]
	run -3 --separate-stderr asl run --name m --input '{"a":' task.json
	# none of them left an execution behind
	run -0 sh -c 'asl list --json | jq -c .'
	[ "$output" = '{"executions":[]}' ]
	# so the name is free for the run that works, which is not a re-attach
	run -0 asl run --name m --mock good.json --test-case T task.json
	[ "$output" = '{"x":1}' ]
}

@test "an execution that can no longer be driven: tick says so and goes on, stop still stops it" {
	echo '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}}' > w.json
	run -0 asl start --name broken w.json
	run -0 asl start --name fine --input '{"limit": 1}' loop.json
	echo garbage > "$ASL_STORE/executions/broken/definition.json"
	run -1 --separate-stderr asl tick
	[ "$output" = "fine	SUCCEEDED" ]
	[ "$stderr" = "asl: broken: States.Runtime: $ASL_STORE/executions/broken/definition.json:1:1: unexpected 'g' where a value was expected" ]
	run -1 --separate-stderr asl resume broken
	run -0 asl stop broken --error Gone --cause "its definition is lost"
	[ "$(jq -r 'keys[]' <<<"$output")" = stopDate ]
	run -0 jq -c '[.id, .type, .executionAbortedEventDetails]' <(tail -n 1 "$ASL_STORE/executions/broken/history.jsonl")
	[ "$output" = '[2,"ExecutionAborted",{"error":"Gone","cause":"its definition is lost"}]' ]
	run -0 jq -r .status <(asl describe broken)
	[ "$output" = ABORTED ]
	run -0 --separate-stderr asl tick
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "a task command that cannot be started fails the task with a catchable States.TaskFailed" {
	cat > task.json <<'J'
{"StartAt":"A","States":{"A":{"Type":"Task",
 "Resource":"arn:aws:lambda:us-east-1:123456789012:function:x",
 "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"C"}],"End":true},
 "C":{"Type":"Pass","End":true}}}
J
	echo '{"arn:aws:lambda:us-east-1:123456789012:function:x": ["./nonexistent"]}' > gone.json
	: > not-exec
	echo '{"arn:aws:lambda:us-east-1:123456789012:function:x": ["./not-exec"]}' > noexec.json
	run -0 asl run --resources gone.json task.json
	[ "$output" = '{"Error":"States.TaskFailed","Cause":"Cannot run ./nonexistent: No such file or directory"}' ]
	run -0 asl run --resources noexec.json task.json
	[ "$output" = '{"Error":"States.TaskFailed","Cause":"Cannot run ./not-exec: Permission denied"}' ]
}

@test "the progress line: on stderr with --progress, never on stdout or in the history; --quiet and a pipe have none" {
	cat > slow-map.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.l","MaxConcurrency":1,
 "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,
 "End":true}}},"End":true}}}
J
	run -0 --separate-stderr asl run --progress --name a --input '{"l":[1,2]}' slow-map.json
	[ "$output" = '[1,2]' ]
	# redrawn in place: a carriage return before each line, the rest erased
	[[ $stderr == $'\r'* ]]
	last=$(printf '%s' "$stderr" | tr '\r' '\n' | grep 'Map items' | tail -n 1)
	[[ $last =~ ^[0-9]+\ states\ entered,\ [0-2]\/2\ Map\ items\ \(0\ failed,\ [01]\ running\),\ 0\ tasks\ running,\ [0-9]+\ events$'\e'\[K$ ]]
	# the line is cleared at the end
	[ "${stderr: -4}" = $'\r\e[K' ]
	run -0 grep -c . "$ASL_STORE/executions/a/history.jsonl"
	[ "$output" = 14 ]
	run -0 --separate-stderr asl run --name b --input '{"l":[1]}' slow-map.json
	[ "$stderr" = "" ]
	run -0 --separate-stderr asl run --quiet --name c --input '{"l":[1]}' slow-map.json
	[ "$stderr" = "" ]
	run -2 --separate-stderr asl describe a --progress
}
