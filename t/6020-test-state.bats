#!/usr/bin/env bats
# asl test-state: AWS's TestState API from the command line.  A Task
# without a mock really runs its resource through the resource map; the
# answer is in AWS's shape (output and inspectionData's documents as JSON
# text); the request's other fields come with --request.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store"
	cat > greet.sh <<'S'
#!/bin/sh
jq -c '{greeting: ("hello " + .name), state: env.ASL_STATE_NAME}'
S
	cat > broken.sh <<'S'
#!/bin/sh
cat >/dev/null
echo '{"errorType": "Oops", "errorMessage": "it broke", "stackTrace": []}'
exit 1
S
	chmod +x greet.sh broken.sh
	jq -n --arg d "$PWD" '{"arn:aws:lambda:us-east-1:123456789012:function:greet": [$d + "/greet.sh"],
	    "broken": [$d + "/broken.sh"]}' > map.json
	echo '{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:greet","End":true}' > greet.json
}

@test "a Task without a mock runs its function; output and inspectionData as JSON text" {
	run -0 asl test-state greet.json --input '{"name":"ann"}' --resources map.json --inspection-level DEBUG
	[ "$(jq -r .status <<<"$output")" = SUCCEEDED ]
	[ "$(jq -r .output <<<"$output")" = '{"greeting":"hello ann","state":"StateName"}' ]
	[ "$(jq -r .inspectionData.input <<<"$output")" = '{"name":"ann"}' ]
	[ "$(jq -r .inspectionData.result <<<"$output")" = '{"greeting":"hello ann","state":"StateName"}' ]
	[ "$(jq -r '.inspectionData.afterResultPath | fromjson | .greeting' <<<"$output")" = "hello ann" ]
}

@test "lambda:invoke without a mock: Lambda's whole response; its error is RETRIABLE, then CAUGHT_ERROR" {
	echo '{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"greet","Payload.$":"$"},"End":true}' > inv.json
	jq '.greet = .["arn:aws:lambda:us-east-1:123456789012:function:greet"]' map.json > map2.json
	run -0 asl test-state inv.json --input '{"name":"bo"}' --resources map2.json
	[ "$(jq -c '.output | fromjson | [.StatusCode, .ExecutedVersion, .Payload.greeting]' <<<"$output")" = '[200,"$LATEST","hello bo"]' ]
	echo '{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"broken","Payload.$":"$"},"Retry":[{"ErrorEquals":["Oops"],"MaxAttempts":2}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"X"}],"Next":"X"}' > f.json
	run -0 asl test-state f.json --resources map.json --inspection-level DEBUG
	[ "$(jq -c '[.status, .error, (.cause | fromjson | .errorMessage), .inspectionData.errorDetails]' <<<"$output")" = '["RETRIABLE","Oops","it broke",{"retryIndex":0,"retryBackoffIntervalSeconds":1}]' ]
	run -0 asl test-state f.json --resources map.json --request '{"stateConfiguration": {"retrierRetryCount": 2}}'
	[ "$(jq -c '[.status, .nextState, (.output | fromjson | .Error)]' <<<"$output")" = '["CAUGHT_ERROR","X","Oops"]' ]
}

@test "a function that cannot be found fails as on AWS; a mock needs no function" {
	run -1 asl test-state greet.json
	[ "$(jq -r '[.status, .error] | join(" ")' <<<"$output")" = "FAILED Lambda.ResourceNotFoundException" ]
	run -0 asl test-state greet.json --request '{"mock": {"result": "{\"m\": 1}"}}'
	[ "$output" = '{"status":"SUCCEEDED","output":"{\"m\":1}"}' ]
}

@test "the default context: RoleArn null without a roleArn, RetryCount only where a state can retry" {
	echo '{"Type":"Pass","Parameters":{"s.$":"$$.State","r.$":"$$.Execution.RoleArn"},"End":true}' > p.json
	run -0 asl test-state p.json
	[ "$(jq -c '.output | fromjson | [.r, (.s | keys)]' <<<"$output")" = '[null,["EnteredTime","Name"]]' ]
	echo '{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"ResultSelector":{"s.$":"$$.State","r.$":"$$.Execution.RoleArn","id.$":"$$.Execution.Id"},"End":true}' > t.json
	run -0 asl test-state t.json --request '{"mock": {"result": "{}"}, "roleArn": "arn:aws:iam::111122223333:role/r"}'
	[ "$(jq -c '.output | fromjson | [.r, .s.Name, .s.RetryCount, .id]' <<<"$output")" = '["arn:aws:iam::111122223333:role/r","StateName",0,"arn:aws:states:us-east-1:111122223333:express:TestStateMachine:TestStateExecution"]' ]
}

@test "a .waitForTaskToken task without a mock is refused as a task error, not waited on" {
	echo '{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":{"FunctionName":"greet","Payload":{"t.$":"$$.Task.Token"}},"End":true}' > w.json
	run -1 asl test-state w.json --resources map.json
	[ "$(jq -r '[.status, .error] | join(" ")' <<<"$output")" = "FAILED States.Runtime" ]
}

@test "--request must be a JSON object; the options override its fields" {
	run -2 --separate-stderr asl test-state greet.json --request '[1]'
	[[ "$stderr" == "asl: --request: '[1]' is not a JSON object"* ]]
	run -0 asl test-state greet.json --resources map.json --request '{"input": "{\"name\": \"cy\"}", "inspectionLevel": "DEBUG"}' --inspection-level INFO
	[ "$(jq -c '[(.output | fromjson | .greeting), has("inspectionData")]' <<<"$output")" = '["hello cy",false]' ]
}

@test "a mock's fieldValidationMode is one of AWS's values" {
	for m in STRICT PRESENT NONE; do
		run -0 asl test-state greet.json --request '{"mock": {"result": "{\"random\": \"json\"}", "fieldValidationMode": "'$m'"}}'
		[ "$output" = '{"status":"SUCCEEDED","output":"{\"random\":\"json\"}"}' ]
	done
	run -1 --separate-stderr asl test-state greet.json --request '{"mock": {"result": "{}", "fieldValidationMode": "LAX"}}'
	[ "$stderr" = "asl: ValidationException: 1 validation error detected: Value 'LAX' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]" ]
}
