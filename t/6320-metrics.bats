#!/usr/bin/env bats
# asl metrics: what CloudWatch counts of executions, from the store.

load lib/common

# Ten "slow" executions of 1 to 10 s (the test clock: no waiting), one
# "broken" that fails, one "late" that times out (1 s of real time), two
# "nap" that wait an hour, one of them stopped.
store() {
	local s
	for s in 1 2 3 4 5 6 7 8 9 10; do
		ASL_CLOCK=test run -0 asl run "$DATA/observe/slow.json" \
		    --name "s$s" --input "{\"s\":$s}"
	done
	ASL_CLOCK=test run -1 asl run "$DATA/observe/broken.json" --name b1
	run -5 asl run "$DATA/observe/late.json" --name l1
	run -75 asl run "$DATA/observe/nap.json" --name n1 --detach
	run -75 asl run "$DATA/observe/nap.json" --name n2 --detach
	run -0 asl stop n2
}

@test "metrics --json: counts and ExecutionTime percentiles per state machine" {
	store
	run -0 --separate-stderr asl metrics --json
	[ "$stderr" = "" ]
	run -0 jq -c '.since, (.stateMachines[] | [.stateMachineName,
	    .ExecutionsStarted, .ExecutionsSucceeded, .ExecutionsFailed,
	    .ExecutionsTimedOut, .ExecutionsAborted, .ExecutionsRunning,
	    .ExecutionTime.count])' <<<"$output"
	[ "$output" = 'null
["broken",1,0,1,0,0,0,1]
["late",1,0,0,1,0,0,1]
["nap",2,0,0,0,1,1,1]
["slow",10,10,0,0,0,0,10]' ]
	run -0 asl metrics --json --state-machine slow
	assert_json '{"since":null,"stateMachines":[{"stateMachineName":"slow",
	    "stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:slow",
	    "ExecutionsStarted":10,"ExecutionsSucceeded":10,"ExecutionsFailed":0,
	    "ExecutionsTimedOut":0,"ExecutionsAborted":0,"ExecutionsRunning":0,
	    "ExecutionTime":{"count":10,"sum":55000,"p50":5000,"p90":9000,
	    "p99":10000}}]}' "$output"
}

@test "metrics: a table for people" {
	store
	run -0 asl metrics --state-machine slow
	[ "${lines[0]}" = "STATE MACHINE                     STARTED SUCCEEDED FAILED TIMED_OUT ABORTED RUNNING        P50        P90        P99" ]
	[ "${lines[1]}" = "slow                                   10        10      0         0       0       0     5.000s     9.000s    10.000s" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "metrics --since: the executions started since a time or for a while" {
	store
	# the test clock's executions started on 2024-01-01; the others now
	run -0 asl metrics --json --since 2024-06-01T00:00:00Z
	run -0 jq -c '[.since, (.stateMachines[] | [.stateMachineName, .ExecutionsStarted])]' <<<"$output"
	[ "$output" = '["2024-06-01T00:00:00.000Z",["late",1],["nap",2]]' ]
	run -0 asl metrics --json --since 1h
	run -0 jq -c '[.stateMachines[] | .stateMachineName]' <<<"$output"
	[ "$output" = '["late","nap"]' ]
	run -0 asl metrics --json --since 2030-01-01T00:00:00Z
	[ "$(jq -c .stateMachines <<<"$output")" = "[]" ]
}

@test "metrics --prometheus: the text format a textfile collector reads" {
	store
	run -0 asl metrics --prometheus --state-machine slow
	[[ $output == *'# TYPE asl_executions_started_total counter
asl_executions_started_total{state_machine="slow"} 10
'* ]]
	[[ $output == *'# TYPE asl_execution_time_seconds summary
asl_execution_time_seconds{state_machine="slow",quantile="0.5"} 5
asl_execution_time_seconds{state_machine="slow",quantile="0.9"} 9
asl_execution_time_seconds{state_machine="slow",quantile="0.99"} 10
asl_execution_time_seconds_sum{state_machine="slow"} 55
asl_execution_time_seconds_count{state_machine="slow"} 10' ]]
	# every line a comment or NAME{LABELS} VALUE
	run -0 awk '!/^# (HELP|TYPE) / && !/^[a-z_]+\{[a-z_]+="[^"]*"(,quantile="[0-9.]+")?\} [0-9.e+-]+$/' <<<"$output"
	[ "$output" = "" ]
}

@test "metrics: an empty store, and usage errors" {
	run -0 asl metrics --json
	assert_json '{"since":null,"stateMachines":[]}' "$output"
	run -2 --separate-stderr asl metrics --since yesterday
	[ "${stderr_lines[0]}" = "asl: --since: 'yesterday' is not a timestamp or a duration (90s, 15m, 2h, 7d)" ]
	run -2 --separate-stderr asl metrics --json --prometheus
	[ "${stderr_lines[0]}" = "asl: --json and --prometheus: choose one" ]
}
