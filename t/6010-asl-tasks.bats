#!/usr/bin/env bats
# Tasks as commands through asl run: the resource map, $ASL_PATH, the
# Lambda error protocol with Retry and Catch, TimeoutSeconds killing the
# process group, --jobs and MaxConcurrency, interruption.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store" ASL_CLOCK=test
	R="$DATA/run"
	fn=arn:aws:lambda:us-east-1:123456789012:function
}

alive() {
	# a zombie (no init to reap it here) is not alive
	[ -n "$(ps -o stat= -p "$1" 2>/dev/null | grep -v Z)" ]
}

@test "a Lambda function served by a command from the resource map" {
	echo "{\"$fn:Echo\": [\"/bin/cat\"]}" > res.json
	echo "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"$fn:Echo\",\"ResultPath\":\"\$.r\",\"End\":true}}}" > m.json
	run -0 asl run m.json --resources res.json --input '{"a":1}'
	[ "$output" = '{"a":1,"r":{"a":1}}' ]
}

@test "a function by name from \$ASL_PATH; lambda:invoke wraps the result as Lambda does" {
	mkdir bin
	cp "$R/env" bin/Who
	echo '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Who","Payload.$":"$"},"OutputSelector":null,"End":true}}}' |
	    jq 'del(.States.T.OutputSelector)' > m.json
	ASL_PATH="$PWD/bin" run -0 asl run m.json --input '{"x":"$(rm -rf /)"}' --name w1
	jq -e '.StatusCode == 200 and .ExecutedVersion == "$LATEST" and .Payload.state == "T"
	    and .Payload.retry == "0" and .Payload.input == {"x":"$(rm -rf /)"}
	    and (.Payload.arn | endswith(":execution:m:w1"))' <<<"$output"
}

@test "Retry with real failures: the Lambda error protocol names the error" {
	echo "{\"Flaky\": [\"$R/flaky\"]}" > res.json
	cat > m.json <<J
{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"$fn:Flaky",
 "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":2,"MaxAttempts":3}],"End":true}}}
J
	run -0 asl run m.json --resources res.json --input '{"ok":true}' --name r1
	[ "$output" = '{"ok":true}' ]
	run -0 asl history r1 --json
	[ "$(jq -r '[.events[].type] | join(" ")' <<<"$output")" = "ExecutionStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionFailed LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionFailed LambdaFunctionScheduled LambdaFunctionStarted LambdaFunctionSucceeded TaskStateExited ExecutionSucceeded" ]
	# the delays: 2 s then 4 s, on the test clock
	[ "$(jq -r '.events[8].timestamp' <<<"$output")" = "2024-01-01T00:00:06.000Z" ]
	jq -e '.events[4].lambdaFunctionFailedEventDetails.error == "Flaky"' <<<"$output"
}

@test "retries exhausted: Catch takes the error with its ResultPath" {
	echo "{\"Flaky\": [\"$R/flaky\"]}" > res.json
	cat > m.json <<J
{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"$fn:Flaky",
 "Retry":[{"ErrorEquals":["Flaky"],"MaxAttempts":1}],
 "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"\$.error","Next":"H"}],"End":true},
 "H":{"Type":"Pass","End":true}}}
J
	run -0 asl run m.json --resources res.json --input '{"id":7}'
	jq -e '.id == 7 and .error.Error == "Flaky"
	    and (.error.Cause | fromjson | .errorMessage == "try again")' <<<"$output"
}

@test "a command that fails without the protocol: States.TaskFailed with its stderr" {
	printf '#!/bin/sh\necho "disk full" >&2\nexit 3\n' > broken
	chmod +x broken
	echo "{\"Broken\": [\"$PWD/broken\"]}" > res.json
	echo "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"$fn:Broken\",\"End\":true}}}" > m.json
	run -1 --separate-stderr asl run m.json --resources res.json
	[[ "$stderr" == "asl: execution FAILED: States.TaskFailed: "*"disk full"* ]]
}

@test "a function nowhere to be found fails as AWS does, and Catch sees it" {
	echo "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"$fn:Nowhere\",\"Catch\":[{\"ErrorEquals\":[\"Lambda.ResourceNotFoundException\"],\"Next\":\"H\"}],\"End\":true},\"H\":{\"Type\":\"Pass\",\"End\":true}}}" > m.json
	run -0 asl run m.json
	jq -e '.Error == "Lambda.ResourceNotFoundException" and (.Cause | startswith("Function not found: '"$fn"':Nowhere:$LATEST"))' <<<"$output"
}

@test "TimeoutSeconds kills the task's whole process group: States.Timeout" {
	echo "{\"Sleeper\": [\"$R/sleeper\"]}" > res.json
	echo "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"$fn:Sleeper\",\"TimeoutSeconds\":1,\"End\":true}}}" > m.json
	run -1 --separate-stderr asl run m.json --resources res.json --name to1
	[ "$stderr" = "asl: execution FAILED: States.Timeout" ]
	sleep 0.2
	[ -s child.pid ] && [ -s grandchild.pid ]
	run ! alive "$(cat child.pid)"
	run ! alive "$(cat grandchild.pid)"
	run -0 asl history to1 --json
	jq -e '.events[4] | .type == "LambdaFunctionTimedOut" and .lambdaFunctionTimedOutEventDetails == {"error":"States.Timeout"}' <<<"$output"
}

@test "--jobs bounds the task processes; MaxConcurrency bounds a Map" {
	echo "{\"Log\": [\"$R/logger\"]}" > res.json
	echo "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemProcessor\":{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"$fn:Log\",\"End\":true}}},\"End\":true}}}" > m.json
	run -0 asl run m.json --resources res.json --input '[1,2,3]' --jobs 3
	[ "$output" = "[1,2,3]" ]
	[ "$(tr '\n' ' ' < tasks.log)" = "start start start end end end " ]
	rm tasks.log
	run -0 asl run m.json --resources res.json --input '[1,2,3]' --jobs 1
	[ "$output" = "[1,2,3]" ]
	[ "$(tr '\n' ' ' < tasks.log)" = "start end start end start end " ]
	rm tasks.log
	jq '.States.M.MaxConcurrency = 1' m.json > one.json
	run -0 asl run one.json --resources res.json --input '[1,2]' --jobs 8
	[ "$output" = "[1,2]" ]
	[ "$(tr '\n' ' ' < tasks.log)" = "start end start end " ]
}

@test "Parallel branches run their tasks at once" {
	echo "{\"Log\": [\"$R/logger\"]}" > res.json
	echo "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":[{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"$fn:Log\",\"End\":true}}},{\"StartAt\":\"B\",\"States\":{\"B\":{\"Type\":\"Task\",\"Resource\":\"$fn:Log\",\"End\":true}}}],\"End\":true}}}" > m.json
	run -0 asl run m.json --resources res.json --input '"x"'
	[ "$output" = '["x","x"]' ]
	[ "$(tr '\n' ' ' < tasks.log)" = "start start end end " ]
}

@test "Ctrl-C (SIGINT) kills the tasks, writes the history, leaves the execution RUNNING" {
	echo "{\"Sleeper\": [\"$R/sleeper\"]}" > res.json
	echo "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"$fn:Sleeper\",\"End\":true}}}" > m.json
	asl run m.json --resources res.json --name int1 2> err.txt &
	pid=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do [ -s grandchild.pid ] && break; sleep 0.1; done
	kill -INT $pid
	st=0
	wait $pid || st=$?
	[ "$st" -eq 130 ]
	[ "$(cat err.txt)" = "asl: interrupted: the execution stays RUNNING" ]
	sleep 0.2
	[ -s grandchild.pid ]
	run ! alive "$(cat grandchild.pid)"
	run -0 asl describe int1
	[ "$(jq -r .status <<<"$output")" = RUNNING ]
	run -0 asl history int1 --json
	[ "$(jq -r '.events[-1].type' <<<"$output")" = LambdaFunctionStarted ]
}

@test "a mock file stands in for the resources (Step Functions Local's format)" {
	cat > mock.json <<'J'
{"StateMachines":{"m":{"TestCases":{"Happy":{"T":"Ok"}}}},
 "MockedResponses":{"Ok":{"0":{"Throw":{"Error":"Busy","Cause":"later"}},"1":{"Return":{"done":true}}}}}
J
	echo "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"$fn:Real\",\"Retry\":[{\"ErrorEquals\":[\"Busy\"]}],\"End\":true}}}" > m.json
	run -0 asl run m.json --mock mock.json --test-case Happy
	[ "$output" = '{"done":true}' ]
}

@test "lambda:invoke with LogType Tail: the function's stderr as Lambda's log tail, LogResult and X-Amz-Log-Result" {
	printf '#!/bin/sh\necho "working on it" >&2\nhead -c 5000 /dev/zero | tr "\\\\000" x >&2\necho >&2\necho "done" >&2\njq -c "{ok: true}"\n' > logger
	chmod +x logger
	echo "{\"Logger\": [\"$PWD/logger\"]}" > res.json
	echo '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Logger","Payload":{},"LogType":"Tail"},"End":true}}}' > m.json
	run -0 asl run m.json --resources res.json
	out=$output
	[ "$(jq -c '[keys_unsorted[0:3], .Payload]' <<<"$out")" = '[["ExecutedVersion","LogResult","Payload"],{"ok":true}]' ]
	[ "$(jq -r '.SdkHttpMetadata.HttpHeaders["X-Amz-Log-Result"] == .LogResult and .SdkHttpMetadata.AllHttpHeaders["X-Amz-Log-Result"] == [.LogResult]' <<<"$out")" = true ]
	# the last 4 KB: the start of the log is cut, its end is Lambda's
	[ "$(jq -r .LogResult <<<"$out" | base64 -d | wc -c)" -eq 4096 ]
	log=$(jq -r .LogResult <<<"$out" | base64 -d)
	id=$(jq -r .SdkResponseMetadata.RequestId <<<"$out")
	[[ "$log" == *$'\ndone\nEND RequestId: '"$id"$'\nREPORT RequestId: '"$id"$'\tDuration: '*$' ms\tBilled Duration: '*$' ms\tMemory Size: 128 MB\t' ]]
	# without it, no log
	sed 's/,"LogType":"Tail"//' m.json > n.json
	run -0 asl run n.json --resources res.json
	[ "$(jq -c 'has("LogResult"), (.SdkHttpMetadata.HttpHeaders | has("X-Amz-Log-Result"))' <<<"$output" | tr '\n' ' ')" = 'false false ' ]
}

@test "a service integration ARN with a region and an account runs as the one without, in its region" {
	echo '{"arn:aws:states:eu-west-2:123456789012:aws-sdk:s3:listBuckets": ["/bin/cat"]}' > res.json
	echo '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:eu-west-2:123456789012:aws-sdk:s3:listBuckets","Parameters":{"Bucket":"b"},"End":true}}}' > m.json
	run -0 asl run m.json --resources res.json --name sdk
	[ "$output" = '{"Bucket":"b"}' ]
	run -0 asl history sdk --json
	[ "$(jq -c '.events[] | select(.type == "TaskScheduled") | .taskScheduledEventDetails | [.resourceType, .resource, .region]' <<<"$output")" = '["aws-sdk:s3","listBuckets","eu-west-2"]' ]
}

@test "a .sync task has a task token, in \$\$.Task.Token and in ASL_TASK_TOKEN, as on AWS" {
	printf '#!/bin/sh\njq -c --arg t "$ASL_TASK_TOKEN" ". + {env: \\$t}"\n' > job
	chmod +x job
	echo "{\"arn:aws:states:::ecs:runTask.sync\": [\"$PWD/job\"]}" > res.json
	echo '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::ecs:runTask.sync","Parameters":{"Cluster":"c","TaskDefinition":"d","Overrides":{"t.$":"$$.Task.Token"}},"End":true}}}' > m.json
	run -0 asl run m.json --resources res.json
	[ "$(jq -r '.Overrides.t | test("^[0-9a-f]{32,}$")' <<<"$output")" = true ]
	[ "$(jq -r '.Overrides.t == .env' <<<"$output")" = true ]
}

@test "a test clock skips a callback's TimeoutSeconds once no answer came, and still takes an answer sent at once" {
	printf '#!/bin/sh\ncat >/dev/null\n' > never
	printf '#!/bin/sh\ntok=$(jq -r .token)\n(sleep 0.2; asl send-task-success --task-token "$tok" --output "{\\"ok\\": 1}") >/dev/null 2>&1 &\n' > soon
	chmod +x never soon
	echo "{\"never\": [\"$PWD/never\"], \"soon\": [\"$PWD/soon\"]}" > res.json
	for f in never soon; do
		echo '{"StartAt":"Ask","States":{"Ask":{"Type":"Task","TimeoutSeconds":3600,"HeartbeatSeconds":1800,"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":{"FunctionName":"'$f'","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}' > $f.json
	done
	SECONDS=0
	run -1 --separate-stderr asl run never.json --resources res.json --name n1
	[ "$stderr" = "asl: execution FAILED: States.Timeout" ]
	run -0 asl history n1 --json
	# the heartbeat's deadline came first, at the clock's 30 minutes
	[ "$(jq -r '.events[] | select(.type == "TaskTimedOut") | .timestamp' <<<"$output")" \> "2024-01-01T00:29:58" ]
	[ "$(jq -r '.events[] | select(.type == "TaskTimedOut") | .timestamp' <<<"$output")" \< "2024-01-01T00:30:01" ]
	run -0 asl run soon.json --resources res.json
	[ "$output" = '{"ok":1}' ]
	[ "$SECONDS" -lt 10 ]
}

@test "a command that cannot start fails its task with States.TaskFailed, saying why" {
	echo "{\"$fn:Gone\": [\"/nonexistent/prog\"]}" > res.json
	echo "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"$fn:Gone\",\"End\":true}}}" > m.json
	run -1 --separate-stderr asl run m.json --resources res.json
	[ "$stderr" = "asl: execution FAILED: States.TaskFailed: Cannot run /nonexistent/prog: No such file or directory" ]
}
