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
	run -6 wait "$pid"
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
