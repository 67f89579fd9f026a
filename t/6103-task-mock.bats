#!/usr/bin/env bats
# lib/asl_task.h: Step Functions Local's MockConfigFile.json as the first
# step of resolution: test cases, invocation numbers and ranges, Return
# and Throw, running out of responses, and the file's validation.

load lib/common

setup() {
	cd "$DATA/task" || return 1
	unset ASL_PATH
}

# mocked STATE INVOCATION [ARGS...]: kind, result and error of a mocked plan
mocked() {
	local state=$1 n=$2
	shift 2
	asl-task-run --mock mock.json --state "$state" --invocation "$n" "$@" <<<'{}' |
	    jq -c '[.plan.kind, .result, .error]'
}

@test "invocation numbers and ranges pick Throw, Throw, Throw, then Return" {
	r=arn:aws:states:::lambda:invoke
	[ "$(mocked Charge 0 --test-case RetryPath $r)" = '["mock",null,{"Error":"Lambda.ServiceException","Cause":"flaky"}]' ]
	[ "$(mocked Charge 1 --test-case RetryPath $r)" = '["mock",null,{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}]' ]
	[ "$(mocked Charge 2 --test-case RetryPath $r)" = '["mock",null,{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}]' ]
	[ "$(mocked Charge 3 --test-case RetryPath $r)" = '["mock",{"StatusCode":200,"Payload":{"charged":true}},null]' ]
}

@test "running out of responses: States.Runtime, which no Catch can hide" {
	run -1 asl-task-run --mock mock.json --test-case RetryPath --state Charge --invocation 4 arn:aws:states:::lambda:invoke <<<'{}'
	[ "$(jq -c '[.plan.kind, .error]' <<<"$output")" = '["fail",{"Error":"States.Runtime","Cause":"The mocked response ChargeFlaky of test case RetryPath has no response for invocation 4 of state '"'"'Charge'"'"' (it has 4)"}]' ]
}

@test "Return is the result as given, for lambda:invoke and for a function ARN alike" {
	[ "$(mocked Charge 0 --test-case HappyPath --state-machine Orders arn:aws:states:::lambda:invoke)" = '["mock",{"StatusCode":200,"Payload":{"charged":true}},null]' ]
	[ "$(mocked Charge 0 --test-case HappyPath --state-machine Orders arn:aws:lambda:us-east-1:123456789012:function:Charge)" = '["mock",{"StatusCode":200,"Payload":{"charged":true}},null]' ]
	[ "$(mocked Notify 0 --test-case HappyPath --state-machine Orders arn:aws:states:::sns:publish.waitForTaskToken)" = '["mock",{"MessageId":"m-1"},null]' ]
}

@test "a mocked plan keeps the resource's family and pattern for its events" {
	run -0 asl-task-run --mock mock.json --test-case HappyPath --state-machine Orders --state Notify arn:aws:states:::sns:publish.waitForTaskToken <<<'{}'
	[ "$(jq -c '.plan | [.kind, .family, .pattern, .resourceType, .resource]' <<<"$output")" = '["mock","task","callback","sns","publish.waitForTaskToken"]' ]
}

@test "the mock wins over the map; a state the test case leaves out runs for real" {
	run -0 asl-task-run --map map.json --mock mock.json --test-case RetryPath --state Charge --invocation 3 arn:aws:lambda:us-east-1:123456789012:function:Charge <<<'{}'
	[ "$(jq -c '[.plan.kind, .result]' <<<"$output")" = '["mock",{"StatusCode":200,"Payload":{"charged":true}}]' ]
	run -0 asl-task-run --map map.json --mock mock.json --test-case RetryPath --state Ship arn:aws:lambda:us-east-1:123456789012:function:Charge <<<'{}'
	[ "$(jq -c '[.plan.kind, .result]' <<<"$output")" = '["command",["--live","exact"]]' ]
}

@test "without a test case nothing is mocked" {
	run -0 asl-task-run --map map.json --mock mock.json --state Charge arn:aws:lambda:us-east-1:123456789012:function:Charge <<<'{}'
	[ "$(jq -c '.plan.kind' <<<"$output")" = '"command"' ]
}

@test "a test case found in one state machine needs no --state-machine; in two it does" {
	[ "$(mocked Charge 0 --test-case Refund arn:aws:states:::lambda:invoke)" = '["mock",null,{"Error":"Lambda.ServiceException","Cause":"flaky"}]' ]
	run -2 --separate-stderr asl-task-run --mock mock.json --test-case HappyPath --state Charge x <<<'{}'
	[ "$stderr" = 'asl-task-run: mock file: test case HappyPath is in more than one state machine: name one' ]
	run -2 --separate-stderr asl-task-run --mock mock.json --test-case Refund --state-machine Orders --state Charge x <<<'{}'
	[ "$stderr" = 'asl-task-run: mock file: no test case Refund for the state machine Orders' ]
	run -2 --separate-stderr asl-task-run --mock mock.json --test-case Nope --state Charge x <<<'{}'
	[ "$stderr" = 'asl-task-run: mock file: no test case Nope' ]
	run -2 --separate-stderr asl-task-run --test-case HappyPath --state Charge x <<<'{}'
	[ "$stderr" = 'asl-task-run: a test case needs a mock file' ]
}

@test "malformed mock files are refused when loaded, saying where" {
	while IFS='|' read -r responses message; do
		printf '{"StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}}, "MockedResponses": {"R": %s}}\n' "$responses" > "$BATS_TEST_TMPDIR/mock.json"
		run -2 --separate-stderr asl-task-run --mock "$BATS_TEST_TMPDIR/mock.json" --test-case T x <<<'{}'
		[ "$stderr" = "asl-task-run: $message" ] || { echo "$responses: $stderr"; return 1; }
	done <<'EOF'
{"1": {"Return": 1}}|mock file: /MockedResponses/R: no response for invocation 0: the invocation numbers must run from 0 with no gap or overlap
{"0": {"Return": 1}, "2": {"Return": 2}}|mock file: /MockedResponses/R: no response for invocation 1: the invocation numbers must run from 0 with no gap or overlap
{"0-2": {"Return": 1}, "1": {"Return": 2}}|mock file: /MockedResponses/R: no response for invocation 3: the invocation numbers must run from 0 with no gap or overlap
{"0": {"Return": 1, "Throw": {"Error": "E", "Cause": "C"}}}|mock file: /MockedResponses/R/0: give either Return or Throw
{"0": {}}|mock file: /MockedResponses/R/0: give either Return or Throw
{"0": {"Throw": {"Error": "E"}}}|mock file: /MockedResponses/R/0/Throw: Error and Cause are strings
{"first": {"Return": 1}}|mock file: /MockedResponses/R/first: not an invocation number or a range N-M
{"2-1": {"Return": 1}}|mock file: /MockedResponses/R/2-1: not an invocation number or a range N-M
{}|mock file: /MockedResponses/R: no responses
[]|mock file: /MockedResponses/R: not an object
EOF
	echo '{"StateMachines": {"M": {"TestCases": {"T": {"S": "Missing"}}}}, "MockedResponses": {}}' > "$BATS_TEST_TMPDIR/mock.json"
	run -2 --separate-stderr asl-task-run --mock "$BATS_TEST_TMPDIR/mock.json" --test-case T x <<<'{}'
	[ "$stderr" = 'asl-task-run: mock file: /StateMachines/M/TestCases/T/S: no such mocked response' ]
	echo '{"MockedResponses": {}}' > "$BATS_TEST_TMPDIR/mock.json"
	run -2 --separate-stderr asl-task-run --mock "$BATS_TEST_TMPDIR/mock.json" --test-case T x <<<'{}'
	[ "$stderr" = 'asl-task-run: mock file: an object with the objects StateMachines and MockedResponses' ]
}

@test "the AWS documentation's example file: RetryPath retries into success" {
	cat > "$BATS_TEST_TMPDIR/MockConfigFile.json" <<'EOF'
{"StateMachines": {"LambdaSQSIntegration": {"TestCases": {
   "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
   "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"},
   "HybridPath": {"LambdaState": "MockedLambdaSuccess"}}}},
 "MockedResponses": {
   "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}},
   "LambdaMockedResourceNotReady": {"0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}}},
   "MockedSQSSuccess": {"0": {"Return": {"MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}}},
   "MockedLambdaRetry": {
     "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}},
     "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
     "3": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}}}}
EOF
	errors=
	for n in 0 1 2 3; do
		out=$(asl-task-run --mock "$BATS_TEST_TMPDIR/MockConfigFile.json" --test-case RetryPath --state LambdaState --invocation $n arn:aws:states:::lambda:invoke <<<'{}' || true)
		errors="$errors $(jq -r '.error.Error // .result.Payload.body' <<<"$out")"
	done
	[ "$errors" = ' Lambda.ResourceNotReadyException Lambda.TimeoutException Lambda.TimeoutException Hello from Lambda!' ]
}
