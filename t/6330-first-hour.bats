#!/usr/bin/env bats
# The first hour with the toolkit, tried as a new user would: list's
# filters and what RUNNING executions wait for, describe --json, a hint
# for a Task nothing serves, file:// and --cli-input-json, short usage
# errors, inline JSON for asl-jsonpath, man pages clean of style noise.

load lib/common

pass='{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'

@test "list --status, --state-machine, --since filter the executions" {
	printf '%s' "$pass" >a.json
	printf '%s' "$pass" >b.json
	ASL_CLOCK=test run -0 asl run a.json --name a1
	run -0 asl run a.json --name a2
	run -0 asl run b.json --name b1
	run -75 asl run "$DATA/observe/nap.json" --name n1 --detach
	run -0 asl list --json --state-machine a
	[ "$(jq -c '[.executions[].name]' <<<"$output")" = '["a1","a2"]' ]
	run -0 asl list --json --status RUNNING
	[ "$(jq -c '[.executions[].name]' <<<"$output")" = '["n1"]' ]
	run -0 asl list --json --since 1h --state-machine a
	[ "$(jq -c '[.executions[].name]' <<<"$output")" = '["a2"]' ]
	run -0 asl list --json --status SUCCEEDED --since 2024-01-01T00:00:00Z
	[ "$(jq -c '[.executions[].name] | sort' <<<"$output")" = '["a1","a2","b1"]' ]
	run -2 --separate-stderr asl list --status DONE
	[ "${stderr_lines[0]}" = "asl: --status: 'DONE' is not RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE" ]
}

@test "list: what each RUNNING execution waits for (a timer, a token, an activity)" {
	mkdir bin
	printf '#!/bin/sh\necho {}\n' >bin/notify
	chmod +x bin/notify
	run -0 asl create-activity --name work
	cat >mix.json <<'JSON'
{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
  {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 3600, "End": true}}},
  {"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "Parameters": {"FunctionName": "notify", "Payload": {"token.$": "$$.Task.Token"}}, "End": true}}},
  {"StartAt": "Work", "States": {"Work": {"Type": "Task",
    "Resource": "arn:aws:states:us-east-1:123456789012:activity:work", "End": true}}}]}}}
JSON
	ASL_PATH="$PWD/bin" run -75 asl run mix.json --name mix --detach
	run -0 asl list
	[ "${lines[0]}" = "NAME                                     STATUS     START                    STOP                     WAITING" ]
	run -0 jq -r '.events[] | select(.type == "WaitStateEntered") | .timestamp' \
	    <<<"$(asl history mix --json)"
	entered=$output
	due=$(python3 -c 'import datetime, sys
t = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%S.%fZ")
print((t + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.") +
      "%03dZ" % ((t.microsecond // 1000)))' "$entered")
	run -0 asl list --status RUNNING
	[[ ${lines[1]} == "mix "*" RUNNING "*" timer due at $due; a task token (Ask); activity work" ]]
	[ "${#lines[@]}" -eq 2 ]
}

@test "describe --json is DescribeExecution, as describe prints it" {
	printf '%s' "$pass" >a.json
	run -0 asl run a.json --name a1 --input '{"x":1}'
	run -0 asl describe a1
	plain=$output
	run -0 asl describe a1 --json
	[ "$output" = "$plain" ]
	[ "$(jq -r '.status, .input' <<<"$output")" = 'SUCCEEDED
{"x":1}' ]
}

@test "a Task nothing serves: the resource, and how to serve it" {
	printf '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:resize","End":true}}}' >fn.json
	run -1 --separate-stderr asl run fn.json
	[[ ${stderr_lines[0]} == "asl: execution FAILED: Lambda.ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:123456789012:function:resize:\$LATEST (Service: AWSLambda;"* ]]
	[ "${stderr_lines[1]}" = 'asl: hint: nothing here serves arn:aws:lambda:us-east-1:123456789012:function:resize: map it in a resource map (--resources FILE), put an executable named resize in a directory of $ASL_PATH, or mock it (--mock FILE --test-case NAME)' ]
	printf '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"TopicArn":"arn:aws:sns:us-east-1:123456789012:t","Message":"m"},"End":true}}}' >sns.json
	run -1 --separate-stderr asl run sns.json
	[ "${stderr_lines[1]}" = 'asl: hint: nothing here serves arn:aws:states:::sns:publish: map it in a resource map (--resources FILE) or mock it (--mock FILE --test-case NAME)' ]
}

@test "--input file://x.json as the AWS CLI reads it, and @x.json" {
	printf '%s' "$pass" >a.json
	printf '{"from": "a file"}' >x.json
	run -0 asl run a.json --input file://x.json
	[ "$output" = '{"from":"a file"}' ]
	run -0 asl run a.json --input @x.json --name at
	[ "$output" = '{"from":"a file"}' ]
	run -4 --separate-stderr asl run a.json --input file://nosuch.json
	[ "$stderr" = "asl: nosuch.json: No such file or directory" ]
}

@test "--cli-input-json: a start-execution request for a registered machine" {
	printf '%s' "$pass" >hello.json
	run -0 asl create-state-machine --name hello hello.json
	printf '{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:hello", "name": "h1", "input": "{\\"a\\": 1}"}' >req.json
	run -0 asl run --cli-input-json file://req.json
	[ "$output" = '{"a":1}' ]
	run -0 asl describe h1
	[ "$(jq -r .name <<<"$output")" = h1 ]
	# the command line's --name wins; start answers as StartExecution
	run -0 asl start --cli-input-json @req.json --name h2
	[ "$(jq -r .name <<<"$output")" = h2 ]
	run -2 --separate-stderr asl run --cli-input-json '{"stateMachineArn": "hello", "roleArn": "x"}'
	[ "${stderr_lines[0]}" = "asl: --cli-input-json: 'roleArn' is not a parameter of StartExecution" ]
	run -2 --separate-stderr asl run --cli-input-json '{"name": "x"}'
	[ "${stderr_lines[0]}" = "asl: --cli-input-json: stateMachineArn must be a string" ]
}

@test "a usage error: the reason, the usage's first line, the way to --help" {
	run -2 --separate-stderr asl run
	[ "$stderr" = "asl: run needs one definition
usage: asl [--store DIR] VERB [OPTIONS] [ARGS]
Try 'asl --help' for more information." ]
	run -2 --separate-stderr asl-parse --type LARGE x.json
	[ "$stderr" = "asl-parse: --type: 'LARGE' is not STANDARD or EXPRESS
usage: asl-parse [-q] [--pretty] [--json | --yaml] [--state]
Try 'asl-parse --help' for more information." ]
}

@test "asl-jsonpath -c and -V take inline JSON as well as files" {
	run -0 asl-jsonpath -c '{"Execution": {"Id": "e-1"}}' '$$.Execution.Id' <<<'{}'
	[ "$output" = '"e-1"' ]
	run -0 asl-jsonpath -V '{"n": 3}' '$n' <<<'{}'
	[ "$output" = 3 ]
	printf '{"n": 4}' >vars.json
	run -0 asl-jsonpath -V vars.json '$n' <<<'{}'
	[ "$output" = 4 ]
	run -0 asl-jsonpath -V file://vars.json '$n' <<<'{}'
	[ "$output" = 4 ]
	run -3 --separate-stderr asl-jsonpath -V '{"n": ' '$n' <<<'{}'
	[[ $stderr == "asl-jsonpath: --vars: not valid JSON: "* ]]
}

@test "man pages: no style warnings from mandoc -Tlint" {
	local m n=0
	for m in "$ASL_TOP"/doc/*.[0-9]; do
		run mandoc -Tlint -W style "$m"
		# what depends on this machine's man database is not the page's
		run -0 awk '!/referenced manual not found|mandoc\.db/ && NF' \
		    <<<"$output"
		[ "$output" = "" ] || { echo "$m: $output"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -ge 7 ]
}
