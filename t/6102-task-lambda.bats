#!/usr/bin/env bats
# lib/asl_task.h against what AWS recorded (../shared/conformance): the
# Invoke response lambda:invoke returns, the results of function ARN
# tasks, the causes of function errors and of a missing function.  Each
# case's handler.sh stands in for its Lambda function.

load lib/common

CASES=$SHARED/conformance/cases

setup() {
	[ -d "$CASES" ] || skip "no conformance corpus at $CASES"
	cd "$BATS_TEST_TMPDIR" || return 1
	unset ASL_PATH AWS_REGION AWS_DEFAULT_REGION ASL_ACCOUNT
}

# serve NAME CASE: a map serving the function NAME with CASE's handler.sh
serve() {
	jq -n --arg n "$1" --arg h "$CASES/$2/handler.sh" '{($n): [$h]}' > map.json
}

# the request id, date and trace id of an Invoke response replaced by the
# placeholders the corpus's recorder put there, after checking their form
mask() {
	jq -e '
	    .SdkResponseMetadata.RequestId as $id
	    | ($id | test("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
	    and .SdkHttpMetadata.HttpHeaders["x-amzn-RequestId"] == $id
	    and .SdkHttpMetadata.AllHttpHeaders["x-amzn-RequestId"] == [$id]
	    and (.SdkHttpMetadata.HttpHeaders.Date | test("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$"))
	    and .SdkHttpMetadata.AllHttpHeaders.Date == [.SdkHttpMetadata.HttpHeaders.Date]
	    and (.SdkHttpMetadata.HttpHeaders["X-Amzn-Trace-Id"] | test("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};"))
	' >/dev/null || { echo "volatile headers malformed: $1" >&2; return 1; }
	jq -c '
	    .SdkHttpMetadata.AllHttpHeaders["x-amzn-RequestId"] = "x-amzn-RequestId"
	    | .SdkHttpMetadata.AllHttpHeaders.Date = "date"
	    | .SdkHttpMetadata.AllHttpHeaders["X-Amzn-Trace-Id"] = "X-Amzn-Trace-Id"
	    | .SdkHttpMetadata.HttpHeaders["x-amzn-RequestId"] = "x-amzn-RequestId"
	    | .SdkHttpMetadata.HttpHeaders.Date = "date"
	    | .SdkHttpMetadata.HttpHeaders["X-Amzn-Trace-Id"] = "X-Amzn-Trace-Id"
	    | .SdkResponseMetadata.RequestId = "RequestId"' <<<"$1"
}

@test "lambda:invoke: the Invoke response AWS recorded, Content-Length included" {
	n=0
	for c in lambda/test_lambda_task_service__test_invoke lambda/test_lambda_task_service__test_invoke_json_values__0.0 lambda/test_lambda_task_service__test_invoke_json_values__0_0 lambda/test_lambda_task_service__test_invoke_json_values__HelloWorld lambda/test_lambda_task_service__test_invoke_json_values__True lambda/test_lambda_task_service__test_invoke_json_values__json_value6 lambda/test_base_scenarios__test_lambda_service_invoke; do
		[ -f "$CASES/$c/handler.sh" ] || continue
		serve "$(jq -r .FunctionName "$CASES/$c/input.json")" "$c"
		run -0 asl-task-run --map map.json arn:aws:states:::lambda:invoke < "$CASES/$c/input.json"
		got=$(mask "$(jq -c .result <<<"$output")")
		want=$(jq -c '.output | del(.final)' "$CASES/$c/expected.json")
		[ "$got" = "$want" ] || { printf '%s\n  expected: %s\n  actual:   %s\n' "$c" "$want" "$got"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -eq 7 ]
}

@test "function ARN: the function's result as AWS recorded it" {
	n=0
	for d in "$CASES"/lambda/test_lambda_task__test_invoke_json_values__* "$CASES"/lambda/test_lambda_task__test_invoke_string_payload "$CASES"/lambda/test_base_scenarios__test_lambda_invoke; do
		[ -f "$d/handler.sh" ] || continue
		c=${d#"$CASES"/}
		resource=$(jq -r '.States[.StartAt].Resource' "$d/definition.json")
		serve "$resource" "$c"
		run -0 asl-task-run --map map.json "$resource" < "$d/input.json"
		got=$(jq -c .result <<<"$output")
		want=$(jq -c .output "$d/expected.json")
		[ "$got" = "$want" ] || { printf '%s\n  expected: %s\n  actual:   %s\n' "$c" "$want" "$got"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -ge 7 ]
}

@test "function ARN error: AWS's cause text, Python's spacing, the stack trace as printed" {
	c=error_handling/test_base_scenarios__test_lambda_invoke_with_retry_base
	resource=$(jq -r '.States[.StartAt].Resource' "$CASES/$c/definition.json")
	serve "$resource" "$c"
	run -1 asl-task-run --map map.json "$resource" < "$CASES/$c/input.json"
	[ "$(jq -r .error.Error <<<"$output")" = "$(jq -r .output.Error "$CASES/$c/expected.json")" ]
	cause=$(jq -r .error.Cause <<<"$output")
	id=$(jq -r .requestId <<<"$cause")
	want=$(jq -r .output.Cause "$CASES/$c/expected.json" |
	    sed -e "s/<uuid:4>/$id/")
	[ "$cause" = "$want" ]
}

@test "lambda:invoke error: AWS's cause text, compact, the stack trace as printed" {
	c=error_handling/test_task_service_lambda__test_raise_custom_exception
	serve lambda_func_u0000001 "$c"
	run -1 asl-task-run --map map.json arn:aws:states:::lambda:invoke < "$CASES/$c/input.json"
	[ "$(jq -r .error.Error <<<"$output")" = CustomException ]
	cause=$(jq -r .error.Cause <<<"$output")
	id=$(jq -r .requestId <<<"$cause")
	want=$(jq -r .output.Cause "$CASES/$c/expected.json" |
	    sed -e "s/<uuid:1>/$id/")
	[ "$cause" = "$want" ]
}

@test "lambda:invoke of a missing function: AWS's error and cause" {
	c=error_handling/test_task_service_lambda__test_no_such_function
	AWS_REGION=us-east-1 ASL_ACCOUNT=111111111111 run -1 asl-task-run arn:aws:states:::lambda:invoke < "$CASES/$c/input.json"
	[ "$(jq -r .error.Error <<<"$output")" = "$(jq -r .error "$CASES/$c/expected.json")" ]
	got=$(jq -r .error.Cause <<<"$output" | sed -e 's/arn:aws:/arn:<partition>:/' \
	    -e 's/us-east-1/<region>/' -e 's/lambda_func_u0000001/<lambda_function_name>/' \
	    -e 's/Request ID: [a-zA-Z0-9-]*/Request ID: <request_id>/')
	[ "$got" = "$(jq -r .cause "$CASES/$c/expected.json")" ]
}

@test "a function ARN that names a missing function: the same error, under its own ARN" {
	run -1 asl-task-run arn:aws:lambda:us-west-2:111111111111:function:no_such_fn <<<'{}'
	[[ $(jq -r .error.Cause <<<"$output") == 'Function not found: arn:aws:lambda:us-west-2:111111111111:function:no_such_fn:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: '*'; Proxy: null)' ]]
}

@test "lambda:invoke: Payload null or absent reaches the function as {}; a string is the payload's text" {
	export ASL_PATH=$DATA/task/fn
	run -0 asl-task-run arn:aws:states:::lambda:invoke <<<'{"FunctionName": "Echo"}'
	[ "$(jq -c '[.result.Payload, .result.SdkHttpMetadata.HttpHeaders["Content-Length"]]' <<<"$output")" = '[{},"2"]' ]
	run -0 asl-task-run arn:aws:states:::lambda:invoke <<<'{"FunctionName": "Echo", "Payload": "[1.50, 2]"}'
	[ "$(jq -c '[.plan.inputRaw, .result.Payload, .result.SdkHttpMetadata.HttpHeaders["Content-Length"]]' <<<"$output")" = '[true,[1.5,2],"8"]' ]
}

@test "Content-Length counts the payload as Python's json.dumps writes it" {
	export ASL_PATH=$DATA/task/fn
	while read -r want payload; do
		run -0 asl-task-run arn:aws:states:::lambda:invoke <<<"{\"FunctionName\": \"Echo\", \"Payload\": $payload}"
		[ "$(jq -r '.result.SdkHttpMetadata.HttpHeaders["Content-Length"]' <<<"$output")" = "$want" ] || { echo "$payload: $output"; return 1; }
	done <<'EOF'
23 {"body": "string body"}
8 "1e5"
5 "1E-5"
1 "-0"
32 "[0.1,1e16,1e15]"
23 {"u":"é\n\u0001\"\\"}
6 "\"\\ud83d\\ude00\""
EOF
}

@test "lambda:invoke with a string Payload that is not JSON: Lambda refuses it" {
	export ASL_PATH=$DATA/task/fn
	run -1 asl-task-run arn:aws:states:::lambda:invoke <<<'{"FunctionName": "Echo", "Payload": "hello"}'
	[ "$(jq -r .error.Error <<<"$output")" = Lambda.InvalidRequestContentException ]
	[[ $(jq -r .error.Cause <<<"$output") == 'Could not parse request body into json: '*'(Service: AWSLambda; Status Code: 400; Error Code: InvalidRequestContentException; Request ID: '*'; Proxy: null)' ]]
}
