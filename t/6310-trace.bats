#!/usr/bin/env bats
# asl trace EXEC: the execution as Trace Event JSON (Perfetto,
# chrome://tracing), checked by its structure.

load lib/common

# tour.json as in 6300-graph.bats, on the test clock: the retries of B
# wait 1 s each, so the backoffs are a second long.
tour() {
	ASL_CLOCK=test ASL_PATH="$DATA/observe/bin" run -0 asl run \
	    "$DATA/observe/tour.json" --name tour --input '{"items":[1,2,3]}'
	run -0 asl trace tour
	printf '%s\n' "$output" >trace.json
}

@test "trace: a thread per frame, named and sorted" {
	tour
	run -0 jq -c '[.traceEvents[] | select(.name == "thread_name") |
	    [.tid, .args.name]]' trace.json
	[ "$output" = '[[1,"tour"],[2,"P branch 1"],[3,"P branch 2"],[4,"M [0]"],[5,"M [1]"]]' ]
	run -0 jq -c '.displayTimeUnit, .otherData' trace.json
	[ "${lines[0]}" = '"ms"' ]
	[ "${lines[1]}" = '{"execution":"tour","status":"SUCCEEDED","start":"2024-01-01T00:00:00.000Z"}' ]
}

@test "trace: one slice per visit, the retries and their backoff inside the task" {
	tour
	# every StateEntered of the history is a slice
	run -0 asl history tour --json
	entered=$(jq '[.events[] | select(.type | endswith("StateEntered"))] | length' <<<"$output")
	run -0 jq '[.traceEvents[] | select(.ph == "X" and .args.type != null)] | length' trace.json
	[ "$output" = "$entered" ]
	[ "$output" -eq 10 ]
	run -0 jq -c '[.traceEvents[] | select(.tid == 3 and .ph == "X") |
	    [.name, .cat, .ts, .dur, .args.outcome]]' trace.json
	[ "$output" = '[["P branch 2","branch",0,2000000,"succeeded"],["B","task",0,2000000,"caught"],["attempt 1","attempt",0,0,"failed"],["backoff","retry",0,1000000,null],["attempt 2","attempt",1000000,0,"failed"],["backoff","retry",1000000,1000000,null],["attempt 3","attempt",2000000,0,"failed"],["B2","pass",2000000,0,"succeeded"]]' ]
	run -0 jq -c '[.traceEvents[] | select(.name == "B") | .args]' trace.json
	[ "$output" = '[{"outcome":"caught","type":"Task","retries":2}]' ]
	run -0 jq -c '[.traceEvents[] | select(.cat == "attempt") | .args.error]' trace.json
	[ "$output" = '["Boom","Boom","Boom"]' ]
}

@test "trace: slices on a thread nest, none overlaps another in part" {
	tour
	run -0 jq '[.traceEvents[] | select(.ph == "X")] | group_by(.tid) |
	    map([.[] | {s: .ts, e: (.ts + .dur), n: .name}] as $xs |
	        [$xs[] as $a | $xs[] as $b |
	         select($a.s < $b.s and $b.s < $a.e and $a.e < $b.e) |
	         "\($a.n) / \($b.n)"]) | add | length' trace.json
	[ "$output" = 0 ]
	# and each Map iteration and branch lies within its state's slice
	run -0 jq -c '[.traceEvents[] | select(.cat == "map" or .cat == "parallel") |
	    [.name, .ts, .dur]], [.traceEvents[] | select(.cat == "iteration" or
	    .cat == "branch") | [.name, .ts, .dur, .args.outcome]]' trace.json
	[ "${lines[0]}" = '[["P",0,2000000],["M",2000000,0]]' ]
	[ "${lines[1]}" = '[["P branch 1",0,0,"succeeded"],["P branch 2",0,2000000,"succeeded"],["M [0]",2000000,0,"succeeded"],["M [1]",2000000,0,"failed"]]' ]
}

@test "trace: what still runs ends at the last event, marked running" {
	run -75 asl run "$DATA/observe/nap.json" --name nap --detach
	run -0 asl trace nap
	run -0 jq -c '[.traceEvents[] | select(.ph == "X") | [.name, .args]]' <<<"$output"
	[ "$output" = '[["nap",{"outcome":"RUNNING","running":true}],["Nap",{"outcome":"running","type":"Wait","running":true}]]' ]
}

@test "trace: a task waiting for its token is an attempt still running" {
	mkdir bin
	printf '#!/bin/sh\necho {}\n' >bin/notify
	chmod +x bin/notify
	printf '{"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "Parameters": {"FunctionName": "notify", "Payload": {"t.$": "$$.Task.Token"}}, "End": true}}}' >ask.json
	ASL_PATH="$PWD/bin" run -75 asl run ask.json --name ask --detach
	run -0 asl trace ask
	run -0 jq -c '[.traceEvents[] | select(.ph == "X") | [.name, .cat, .args]]' <<<"$output"
	[ "$output" = '[["ask","execution",{"outcome":"RUNNING","running":true}],["Ask","task",{"outcome":"running","type":"Task","running":true}],["attempt 1","attempt",{"outcome":"running","running":true}]]' ]
}

@test "trace: an unknown execution" {
	run -1 --separate-stderr asl trace nosuch
	[ "$output" = "" ]
	[[ $stderr == "asl: ExecutionDoesNotExist: "* ]]
}
