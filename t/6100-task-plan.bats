#!/usr/bin/env bats
# lib/asl_task.h: which command, mock or built-in a Task's Resource
# resolves to (asl_task_plan), through the test driver t/unit/asl-task-run.c:
# resource shapes and their history families, resource maps in JSON and
# YAML with exact keys and globs, $ASL_PATH, and what an unresolvable
# resource raises.

load lib/common

setup() {
	cd "$DATA/task" || return 1
	unset ASL_PATH AWS_REGION AWS_DEFAULT_REGION ASL_ACCOUNT
}

# plan RESOURCE [ARGS...]: the plan's summary, from {} on stdin
plan() {
	local r=$1
	shift
	asl-task-run "$@" "$r" <<<'{}' | jq -c '.plan | [.kind, .family, .pattern, .resourceType, .resource]'
}

@test "shapes: function ARNs and names, services with their suffixes, activities" {
	export ASL_PATH=$DATA/task/fn
	[ "$(plan arn:aws:lambda:us-east-1:123456789012:function:Echo)" = '["command","lambda","request",null,"arn:aws:lambda:us-east-1:123456789012:function:Echo"]' ]
	[ "$(plan Echo)" = '["command","lambda","request",null,"Echo"]' ]
	[ "$(plan arn:aws:states:::sqs:sendMessage)" = '["fail","task","request","sqs","sendMessage"]' ]
	[ "$(plan arn:aws:states:::sqs:sendMessage.waitForTaskToken)" = '["fail","task","callback","sqs","sendMessage.waitForTaskToken"]' ]
	[ "$(plan arn:aws:states:::aws-sdk:s3:listBuckets)" = '["fail","task","request","aws-sdk:s3","listBuckets"]' ]
	[ "$(plan arn:aws:states:::ecs:runTask.sync)" = '["fail","task","sync","ecs","runTask.sync"]' ]
	[ "$(plan arn:aws:states:::lambda:invoke.waitForTaskToken)" = '["fail","task","callback","lambda","invoke.waitForTaskToken"]' ]
	[ "$(plan arn:aws:states:us-east-1:123456789012:activity:Approve)" = '["activity","activity","request",null,"arn:aws:states:us-east-1:123456789012:activity:Approve"]' ]
}

@test "an activity ARN is queued for workers, unless the map serves it" {
	run -0 asl-task-run arn:aws:states:us-east-1:123456789012:activity:Approve <<<'{"order": 1}'
	[ "$output" = '{"plan":{"kind":"activity","family":"activity","pattern":"request","resourceType":null,"resource":"arn:aws:states:us-east-1:123456789012:activity:Approve","activity":"arn:aws:states:us-east-1:123456789012:activity:Approve"}}' ]
	echo '{"arn:aws:states:*:activity:*": ["./identity.sh"]}' > "$BATS_TEST_TMPDIR/map.json"
	run -0 asl-task-run --map "$BATS_TEST_TMPDIR/map.json" arn:aws:states:us-east-1:123456789012:activity:Approve <<<'{"order": 1}'
	[ "$(jq -c '[.plan.kind, .plan.family, .result]' <<<"$output")" = '["command","activity",{"order":1}]' ]
}

@test "startExecution plans a child execution, with or without .sync" {
	run -0 asl-task-run arn:aws:states:::states:startExecution.sync:2 <<<'{"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Child", "Input": {"n": 1}}'
	[ "$output" = '{"plan":{"kind":"execution","family":"task","pattern":"sync","resourceType":"states","resource":"startExecution.sync:2","execution":{"stateMachine":"arn:aws:states:us-east-1:123456789012:stateMachine:Child","input":{"n":1},"name":null}}}' ]
	run -0 asl-task-run arn:aws:states:::states:startExecution <<<'{"StateMachineArn": "arn:x", "Name": "run-1"}'
	[ "$(jq -c '.plan.execution' <<<"$output")" = '{"stateMachine":"arn:x","input":null,"name":"run-1"}' ]
}

@test "parameters a built-in cannot start with: States.Runtime, as AWS" {
	run -1 asl-task-run arn:aws:states:::lambda:invoke <<<'{"Payload": {}}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"States.Runtime","Cause":"The Parameters '"'"'{\"Payload\":{}}'"'"' could not be used to start the Task: [The field \"FunctionName\" is required]"}' ]
	run -1 asl-task-run arn:aws:states:::states:startExecution.sync <<<'{}'
	[ "$(jq -r .error.Error <<<"$output")" = States.Runtime ]
}

@test "JSON map: an exact key wins over globs, then the first glob in file order" {
	run -0 asl-task-run --map map.json arn:aws:lambda:us-east-1:123456789012:function:Charge <<<'{}'
	[ "$(jq -c '[.plan.argv, .result]' <<<"$output")" = '[["./args.sh","--live","exact"],["--live","exact"]]' ]
	run -0 asl-task-run --map map.json arn:aws:lambda:eu-west-1:123456789012:function:ChargeEU <<<'{}'
	[ "$(jq -c '.result' <<<"$output")" = '["glob","first"]' ]
	run -0 asl-task-run --map map.json arn:aws:lambda:eu-west-1:123456789012:function:Refund <<<'{}'
	[ "$(jq -c '.result' <<<"$output")" = '["glob","second"]' ]
}

@test "JSON map: sh runs /bin/sh -c; wrap options; a bare name" {
	run -0 asl-task-run --map map.json arn:aws:states:::sqs:sendMessage <<<'{"QueueUrl": "q"}'
	[ "$(jq -c '[.plan.argv[0:2], .plan.family, .result]' <<<"$output")" = '[["/bin/sh","-c"],"task",{"MessageId":"m-1"}]' ]
	run -0 asl-task-run --map map.json arn:aws:states:::aws-sdk:s3:getObject <<<'{}'
	[ "$(jq -c '[.plan.wrapInvoke, .result]' <<<"$output")" = '[false,["s3",""]]' ]
	run -0 asl-task-run --map map.json Wrapped <<<'{"k": 1}'
	[ "$(jq -c '[.plan.wrapInvoke, .result.Payload, .result.StatusCode]' <<<"$output")" = '[true,{"k":1},200]' ]
	run -0 asl-task-run --map map.json Constant <<<'{}'
	[ "$(jq -c '[.plan.family, .result]' <<<"$output")" = '["lambda",{"answer":42}]' ]
}

@test "YAML map: the same rules" {
	run -0 asl-task-run --map map.yaml arn:aws:lambda:us-east-1:123456789012:function:Charge <<<'{}'
	[ "$(jq -c .result <<<"$output")" = '["--live","exact"]' ]
	run -0 asl-task-run --map map.yaml arn:aws:lambda:ap-south-1:1:function:ShipNow <<<'{}'
	[ "$(jq -c .result <<<"$output")" = '["glob","ship"]' ]
	run -0 asl-task-run --map map.yaml arn:aws:states:::sqs:sendMessage <<<'{}'
	[ "$(jq -c .result <<<"$output")" = '{"MessageId":"m-2"}' ]
}

@test "the map serves a function under its name, and lambda:invoke under the function's ARN or name" {
	run -0 asl-task-run --map map.yaml arn:aws:lambda:us-east-1:123456789012:function:Echo <<<'{"n": 1}'
	[ "$(jq -c '[.plan.argv, .result]' <<<"$output")" = '[["./identity.sh"],{"n":1}]' ]
	run -0 asl-task-run --map map.yaml arn:aws:states:::lambda:invoke <<<'{"FunctionName": "Echo", "Payload": {"n": 2}}'
	[ "$(jq -c '[.plan.input, .plan.wrapInvoke, .plan.errors, .result.Payload]' <<<"$output")" = '[{"n":2},true,"invoke",{"n":2}]' ]
	run -0 asl-task-run --map map.json arn:aws:states:::lambda:invoke <<<'{"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:Charge", "Payload": {}}'
	[ "$(jq -c '.result.Payload' <<<"$output")" = '["--live","exact"]' ]
	# a qualified name finds the unqualified entry
	run -0 asl-task-run --map map.json arn:aws:states:::lambda:invoke <<<'{"FunctionName": "Charge:prod", "Payload": {}}'
	[ "$(jq -c '.result.Payload' <<<"$output")" = '["--live","exact"]' ]
}

@test "mapping lambda:invoke itself: the command gets the Parameters, unwrapped" {
	echo '{"arn:aws:states:::lambda:invoke": ["./identity.sh"]}' > "$BATS_TEST_TMPDIR/map.json"
	run -0 asl-task-run --map "$BATS_TEST_TMPDIR/map.json" arn:aws:states:::lambda:invoke <<<'{"FunctionName": "F", "Payload": {"a": 1}}'
	[ "$(jq -c '[.plan.wrapInvoke, .result]' <<<"$output")" = '[false,{"FunctionName":"F","Payload":{"a":1}}]' ]
}

@test "\$ASL_PATH: by name, by function ARN, by partial ARN, with a qualifier" {
	export ASL_PATH=/nonexistent:$DATA/task/fn
	for r in Echo arn:aws:lambda:eu-west-1:111111111111:function:Echo 111111111111:function:Echo Echo:7 arn:aws:lambda:eu-west-1:111111111111:function:Echo:live; do
		run -0 asl-task-run "$r" <<<'{"n": 1}'
		[ "$(jq -c '[.plan.argv, .result]' <<<"$output")" = "[[\"$DATA/task/fn/Echo\"],{\"n\":1}]" ]
	done
	run -0 asl-task-run arn:aws:states:::lambda:invoke <<<'{"FunctionName": "arn:aws:lambda:eu-west-1:111111111111:function:Echo", "Payload": {"n": 2}}'
	[ "$(jq -c '.result.Payload' <<<"$output")" = '{"n":2}' ]
}

@test "\$ASL_PATH: a file that is not executable is no function; names cannot escape" {
	export ASL_PATH=$DATA/task/fn
	run -1 asl-task-run Plain <<<'{}'
	[ "$(jq -r .error.Error <<<"$output")" = Lambda.ResourceNotFoundException ]
	run -1 asl-task-run ../identity.sh <<<'{}'
	[ "$(jq -r .error.Error <<<"$output")" = Lambda.ResourceNotFoundException ]
}

@test "a missing function: Lambda.ResourceNotFoundException, AWS's cause, the ARN's region and account" {
	run -1 asl-task-run arn:aws:lambda:eu-west-1:111111111111:function:Gone <<<'{}'
	[ "$(jq -r .error.Error <<<"$output")" = Lambda.ResourceNotFoundException ]
	[[ $(jq -r .error.Cause <<<"$output") =~ ^'Function not found: arn:aws:lambda:eu-west-1:111111111111:function:Gone:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'; Proxy: null)'$ ]]
	run -1 asl-task-run arn:aws:states:::lambda:invoke <<<'{"FunctionName": "Gone:3"}'
	[[ $(jq -r .error.Cause <<<"$output") == 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:Gone:3 (Service: AWSLambda; '* ]]
	run -1 asl-task-run arn:aws:states:::lambda:invoke <<<'{"FunctionName": "arn:aws:lambda:eu-west-1:111111111111:function:Gone", "Qualifier": "prod"}'
	[[ $(jq -r .error.Cause <<<"$output") == 'Function not found: arn:aws:lambda:eu-west-1:111111111111:function:Gone:prod (Service: AWSLambda; '* ]]
}

@test "region and account for a bare name: AWS_REGION, AWS_DEFAULT_REGION, ASL_ACCOUNT" {
	AWS_DEFAULT_REGION=ca-central-1 ASL_ACCOUNT=000000000042 run -1 asl-task-run Gone <<<'{}'
	[[ $(jq -r .error.Cause <<<"$output") == 'Function not found: arn:aws:lambda:ca-central-1:000000000042:function:Gone:$LATEST '* ]]
	AWS_REGION=eu-north-1 AWS_DEFAULT_REGION=ca-central-1 run -1 asl-task-run arn:aws:states:::lambda:invoke <<<'{"FunctionName": "Gone"}'
	[[ $(jq -r .error.Cause <<<"$output") == 'Function not found: arn:aws:lambda:eu-north-1:123456789012:function:Gone:$LATEST '* ]]
}

@test "an unserved service integration: the service's own error name, catchable" {
	while read -r resource error; do
		run -1 asl-task-run "$resource" <<<'{}'
		[ "$(jq -r .error.Error <<<"$output")" = "$error" ] || { echo "$resource: $output"; return 1; }
		[ "$(jq -r .error.Cause <<<"$output")" = "No local command serves $resource: map it in a resource map or mock it" ]
	done <<'EOF'
arn:aws:states:::sqs:sendMessage SQS.AmazonSQSException
arn:aws:states:::sns:publish.waitForTaskToken SNS.AmazonSNSException
arn:aws:states:::dynamodb:getItem DynamoDB.AmazonDynamoDBException
arn:aws:states:::events:putEvents EventBridge.AmazonEventBridgeException
arn:aws:states:::aws-sdk:s3:copyObject S3.S3Exception
arn:aws:states:::aws-sdk:secretsmanager:getSecretValue SecretsManager.SecretsManagerException
arn:aws:states:::aws-sdk:newservice:doIt Newservice.NewserviceException
arn:aws:states:::unknown:thing States.TaskFailed
EOF
}

@test "malformed maps are refused when loaded, saying where" {
	while IFS='|' read -r map message; do
		printf '%s\n' "$map" > "$BATS_TEST_TMPDIR/bad.json"
		run -2 --separate-stderr asl-task-run --map "$BATS_TEST_TMPDIR/bad.json" x <<<'{}'
		[ "$stderr" = "asl-task-run: $message" ] || { echo "$map: $stderr"; return 1; }
	done <<'EOF'
[]|resource map: not an object of Resource -> command
{"x": "./run.sh --live"}|resource map: x: a command is an array of arguments; a string runs only as {"sh": TEXT}
{"x": []}|resource map: x: command is a non-empty array of strings
{"x": ["a", 1]}|resource map: x: command is a non-empty array of strings
{"x": {"command": ["a"], "sh": "b"}}|resource map: x: give either command or sh
{"x": {"sh": ["b"]}}|resource map: x: sh is the text of a shell command
{"x": {"command": ["a"], "wrap": "yes"}}|resource map: x: wrap is "invoke" or "none"
{"x": {"comand": ["a"]}}|resource map: x: unknown member "comand" (command, sh, wrap)
{"x": 3}|resource map: x: a command is an array of arguments or an object
EOF
}
