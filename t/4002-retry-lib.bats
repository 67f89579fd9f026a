#!/usr/bin/env bats
# lib/asl_retry.h as the step engine uses it, through the test driver
# t/unit/retry-lib.c: asl_error_matches on its own, and one
# asl_retry_compile per state followed by many asl_retry_decide calls.

load lib/common

SPEC='{"Retry": [{"ErrorEquals": ["ErrorA", "ErrorB"], "IntervalSeconds": 1, "BackoffRate": 2, "MaxAttempts": 2}, {"ErrorEquals": ["ErrorC"], "IntervalSeconds": 5}], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Z", "ResultPath": "$.error"}]}'

@test "asl_error_matches: wildcards, exact names, States.Runtime, null names" {
	while read -r pattern name want; do
		run -0 retry-lib match "$pattern" "$name"
		if [ "$output" != "$want" ]; then
			echo "asl_error_matches($pattern, $name) = $output, want $want"
			return 1
		fi
	done <<'EOF2'
States.ALL "Lambda.Unknown" 1
States.ALL "States.Timeout" 1
States.ALL "States.DataLimitExceeded" 1
States.ALL null 1
States.ALL "States.Runtime" 0
States.TaskFailed "Exception" 1
States.TaskFailed "States.Permissions" 1
States.TaskFailed "States.DataLimitExceeded" 1
States.TaskFailed "States.Timeout" 0
States.TaskFailed "States.Runtime" 0
States.TaskFailed null 0
States.Runtime "States.Runtime" 0
States.Timeout "States.Timeout" 1
States.Timeout "States.HeartbeatTimeout" 0
ErrorA "ErrorA" 1
ErrorA "errora" 0
ErrorA "ErrorAB" 0
State.ALL "ErrorA" 0
null null 0
EOF2
}

@test "one compile, many decisions: the spec's example and a new visit" {
	run -0 --separate-stderr retry-lib run -i '{"order": 7}' "$SPEC" \
	    '{"Error": "ErrorA"}' '{"Error": "ErrorB"}' '{"Error": "ErrorC"}' \
	    '{"Error": "ErrorB"}' '{"Error": "ErrorB"}'
	[ "${lines[0]}" = "retriers: 2" ]
	[ "${lines[1]}" = '{"action":"retry","retrier":0,"attempt":1,"delaySeconds":1,"counts":[1,0]}' ]
	[ "${lines[2]}" = '{"action":"retry","retrier":0,"attempt":2,"delaySeconds":2,"counts":[2,0]}' ]
	[ "${lines[3]}" = '{"action":"retry","retrier":1,"attempt":1,"delaySeconds":5,"counts":[2,1]}' ]
	[ "${lines[4]}" = '{"action":"catch","retrier":0,"catcher":0,"next":"Z","output":{"order":7,"error":{"Error":"ErrorB","Cause":""}}}' ]
	# the catch left the state: the next visit starts from zero
	[ "${lines[5]}" = '{"action":"retry","retrier":0,"attempt":1,"delaySeconds":1,"counts":[1,0]}' ]
	[ "${#lines[@]}" -eq 6 ]
	[ "$stderr" = "" ]
}

@test "a malformed error is a value, and the compiled state still decides" {
	run -0 retry-lib run "$SPEC" '{"Cause": "x"}' '{"Error": "ErrorC"}'
	[ "${lines[1]}" = "error: error: 'Error' is missing" ]
	[ "${lines[2]}" = '{"action":"retry","retrier":1,"attempt":1,"delaySeconds":5,"counts":[0,1]}' ]
}

@test "no generator: FULL jitter waits the whole capped delay" {
	run -0 retry-lib run -n '{"Retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 10, "MaxDelaySeconds": 8, "JitterStrategy": "FULL"}]}' '{"Error": "E"}'
	[ "${lines[1]}" = '{"action":"retry","retrier":0,"attempt":1,"delaySeconds":8,"counts":[1]}' ]
}

@test "a state without Retry or Catch compiles to zero retriers and fails" {
	run -0 retry-lib run '{"Type": "Task"}' '{"Error": "E", "Cause": "c"}'
	[ "$output" = $'retriers: 0\n{"action":"fail","error":"E","cause":"c"}' ]
}

@test "asl_retry_compile's messages point into the state" {
	run -1 --separate-stderr retry-lib run '{"Retry": [{"ErrorEquals": ["E"]}], "Catch": [{"ErrorEquals": ["E"], "Next": "N", "ResultPath": "$.a[*]"}]}' '{"Error": "E"}'
	[ "$output" = "" ]
	[[ "$stderr" == "retry-lib: /Catch/0/ResultPath: invalid reference path '\$.a[*]': "* ]]
}
