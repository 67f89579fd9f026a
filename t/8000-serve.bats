#!/usr/bin/env bats
# asl serve: the Step Functions API on 127.0.0.1, tested with the clients
# people test with (the aws CLI, boto3).  Each test starts a server on a
# free port of 127.0.0.1 (--listen 127.0.0.1:0; it prints the address it
# took), bounds every request, and stops the server and its drivers.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store"
	command -v aws > /dev/null ||
	    skip "no aws CLI here (make deps installs awscli)"
	python3 -c 'import boto3' 2> /dev/null ||
	    skip "no boto3 in python3 (make deps installs python3-boto3)"
	command -v curl > /dev/null || skip "no curl here"
	export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
	export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
	export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
	mkdir tokens bin
	export TOKEN_DIR="$PWD/tokens" ASL_PATH="$PWD/bin"
	cp "$DATA/serve/ProcessOrder" bin/
	cp "$DATA/serve/workflow.asl.json" "$DATA/serve/mock.json" .
	echo "{\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\":" \
	    "[\"$DATA/serve/token-file\"]}" > res.json
	SERVER=
}

teardown() {
	stop_server
}

# start_server [ARGS]: asl serve in a session of its own (its drivers
# with it), on a free port (or $LISTEN_PORT); $PORT and $URL then name it.
start_server() {
	local i
	rm -f addr
	setsid asl serve --listen "127.0.0.1:${LISTEN_PORT:-0}" --resources res.json "$@" \
	    > addr 2>> serve.err < /dev/null &
	SERVER=$!
	for i in $(seq 100); do
		[ -s addr ] && break
		sleep 0.05
	done
	[ -s addr ] || { cat serve.err; return 1; }
	PORT=$(sed 's/.*://' addr)
	URL=http://127.0.0.1:$PORT
}

# stop_server [KILL]: the server and its drivers, by their group; asked
# to stop (TERM), the server stops cleanly: exit status 0 (and nothing
# leaked, in a SANITIZE=1 build).
stop_server() {
	local pid=$SERVER code=0
	[ -n "$pid" ] || return 0
	SERVER=
	kill -"${1:-TERM}" -- -"$pid" 2> /dev/null
	wait "$pid" 2> /dev/null || code=$?
	[ "${1:-TERM}" = KILL ] || [ "$code" = 0 ] || {
		echo "asl serve exited $code"
		cat serve.err
		return 1
	}
}

sfn() {
	timeout 90 aws stepfunctions --endpoint-url "$URL" \
	    --cli-connect-timeout 5 --cli-read-timeout 80 "$@"
}

# wait_status ARN WANT: poll DescribeExecution (10 s at most) for WANT.
wait_status() {
	local i s
	for i in $(seq 100); do
		s=$(post -H 'X-Amz-Target: AWSStepFunctions.DescribeExecution' \
		    -d "{\"executionArn\":\"$1\"}" > /dev/null &&
		    jq -r .status body) || return 1
		[ "$s" = "$2" ] && return 0
		sleep 0.1
	done
	echo "$1: $s, not $2"
	return 1
}

# post [CURL ARGS]: a request by curl; the status on stdout, the body in ./body
post() {
	curl -sS --max-time 10 -o body -w '%{http_code}' -X POST \
	    -H 'Content-Type: application/x-amz-json-1.0' "$@" "$URL/"
}

# call OPERATION JSON: the operation's answer on stdout; fails unless 200
call() {
	local code
	code=$(post -H "X-Amz-Target: AWSStepFunctions.$1" -d "$2") || return 1
	cat body
	[ "$code" = 200 ]
}

# create NAME DEFINITION: the state machine's ARN in $sm
create() {
	run -0 call CreateStateMachine "$(jq -nc --arg n "$1" --arg d "$2" \
	    '{name: $n, definition: $d, roleArn: "arn:aws:iam::1:role/R"}')"
	sm=$(jq -r .stateMachineArn <<<"$output")
}

# start JSON: StartExecution; the execution's ARN in $arn
start() {
	run -0 call StartExecution "$1"
	arn=$(jq -r .executionArn <<<"$output")
}

# output_of ARN: the execution's output
output_of() {
	call DescribeExecution "{\"executionArn\":\"$1\"}" | jq -r .output
}

@test "the guide's two commands, as written there, and asl history shows what the API returned" {
	start_server
	run -0 aws stepfunctions create-state-machine --endpoint-url "$URL" \
	    --name test-workflow --definition file://workflow.asl.json \
	    --role-arn arn:aws:iam::012345678901:role/DummyRole
	[ "$(jq -r .stateMachineArn <<<"$output")" = arn:aws:states:us-east-1:123456789012:stateMachine:test-workflow ]
	jq -e '.creationDate | type == "number"' <<<"$output"
	run -0 aws stepfunctions start-execution --endpoint-url "$URL" \
	    --state-machine-arn arn:aws:states:us-east-1:012345678901:stateMachine:test-workflow \
	    --input '{"orderId": "test-001"}'
	arn=$(jq -r .executionArn <<<"$output")
	[[ $arn == arn:aws:states:us-east-1:123456789012:execution:test-workflow:* ]]
	wait_status "$arn" SUCCEEDED
	run -0 sfn describe-execution --execution-arn "$arn"
	[ "$(jq -r .output <<<"$output")" = '{"orderId":"test-001","result":{"processed":"test-001"}}' ]
	run -0 sfn get-execution-history --execution-arn "$arn"
	api=$(jq -c '[.events[] | [.id, .type]]' <<<"$output")
	[ "$(jq -r '.events[-1].type' <<<"$output")" = ExecutionSucceeded ]
	run -0 asl history "${arn##*:}" --json
	[ "$(jq -c '[.events[] | [.id, .type]]' <<<"$output")" = "$api" ]
}

@test "boto3: create, start, poll, list, page a history, stop, redrive, callbacks, an activity worker, TestState, validate" {
	start_server
	run -0 timeout 240 python3 "$DATA/serve/client.py" "$URL" "$TOKEN_DIR"
	[ "${lines[-1]}" = done ]
	[ "$(grep -c '^ok ' <<<"$output")" -ge 30 ]
	# what boto3 paged through is the execution's history in the store
	run -0 asl history p0 --json
	[ "$(jq -c '[.events[] | [.id, .type]]' <<<"$output")" = "$(jq -c . tokens/history.json)" ]
}

@test "a token sent with asl send-task-success resumes an execution the server runs" {
	start_server
	create cb '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"QueueUrl":"q","MessageBody":{"t.$":"$$.Task.Token"}},"End":true}}}'
	start "{\"stateMachineArn\":\"$sm\",\"name\":\"c1\"}"
	for i in $(seq 100); do [ -s tokens/c1 ] && break; sleep 0.1; done
	wait_status "$arn" RUNNING
	run -0 asl send-task-success --task-token "$(cat tokens/c1)" --output '{"via":"cli"}'
	wait_status "$arn" SUCCEEDED
	[ "$(output_of "$arn")" = '{"via":"cli"}' ]
}

# describe_until NAME WANT: asl describe (10 s at most) until its status is WANT
describe_until() {
	local i s
	for i in $(seq 100); do
		s=$(asl describe "$1" --json | jq -r .status) || return 1
		[ "$s" = "$2" ] && return 0
		sleep 0.1
	done
	echo "$1: $s, not $2"
	return 1
}

@test "executions the CLI starts or leaves paused in the store are driven by the server, one process each" {
	start_server
	echo '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"Next":"P"},"P":{"Type":"Pass","Result":"woke","End":true}}}' > w.json
	echo '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"QueueUrl":"q","MessageBody":{"t.$":"$$.Task.Token"}},"End":true}}}' > cb.json
	# created and not driven; paused at its Wait; paused at its callback
	run -0 asl start w.json --name s1
	run -75 asl run --detach w.json --name d1
	run -75 asl run --detach --resources res.json cb.json --name c1
	[ -s tokens/c1 ]
	describe_until s1 SUCCEEDED
	describe_until d1 SUCCEEDED
	run -0 asl describe s1 --json
	[ "$(jq -r .output <<<"$output")" = '"woke"' ]
	# the answer reaches the server's driver of c1, with no asl tick
	run -0 asl send-task-success --task-token "$(cat tokens/c1)" --output '{"via":"cli"}'
	describe_until c1 SUCCEEDED
	run -0 asl describe c1 --json
	[ "$(jq -r .output <<<"$output")" = '{"via":"cli"}' ]
	# each advanced by one process: one run of each state
	for n in s1 d1; do
		run -0 asl history "$n" --json
		[ "$(jq '[.events[] | select(.type == "WaitStateEntered")] | length' <<<"$output")" = 1 ]
		[ "$(jq '[.events[] | select(.type == "ExecutionSucceeded")] | length' <<<"$output")" = 1 ]
	done
	run -0 asl history c1 --json
	[ "$(jq '[.events[] | select(.type == "TaskScheduled")] | length' <<<"$output")" = 1 ]
}

@test "--mock and stateMachineArn#TestCase, SFN_MOCK_CONFIG, and asl run --test-case Machine#TestCase" {
	start_server --mock mock.json
	create test-workflow "$(cat workflow.asl.json)"
	start "{\"stateMachineArn\":\"$sm#HappyPath\",\"input\":\"{\\\"orderId\\\":\\\"o-1\\\"}\"}"
	wait_status "$arn" SUCCEEDED
	[ "$(output_of "$arn")" = '{"orderId":"o-1","result":{"processed":"mocked"}}' ]
	start "{\"stateMachineArn\":\"$sm#Broken\"}"
	wait_status "$arn" FAILED
	[ "$(jq -r .error body)" = Order.Invalid ]
	# the CLI spells it the same way
	run -255 sfn start-execution --state-machine-arn "$sm#NoSuchCase"
	[[ $output == *"(ValidationException)"*"NoSuchCase"* ]]
	stop_server
	# SFN_MOCK_CONFIG, as Step Functions Local reads it
	SFN_MOCK_CONFIG=mock.json start_server
	start "{\"stateMachineArn\":\"$sm#HappyPath\"}"
	wait_status "$arn" SUCCEEDED
	# the same spelling for asl run, on the definition's file
	run -0 asl run workflow.asl.json --mock mock.json \
	    --test-case test-workflow#HappyPath --input '{"orderId":"o-3"}'
	[ "$output" = '{"orderId":"o-3","result":{"processed":"mocked"}}' ]
}

@test "TestState without a mock runs the Task through the server's resources, as AWS's does" {
	start_server
	def=$(jq -c '.States.ProcessOrder' workflow.asl.json | jq -Rs .)
	run -0 call TestState "{\"definition\":$def,\"input\":\"{\\\"orderId\\\":\\\"t-9\\\"}\"}"
	echo "$output"
	[ "$(jq -r .status <<<"$output")" = SUCCEEDED ]
	[ "$(jq -r .output <<<"$output" | jq -c .result)" = '{"processed":"t-9"}' ]
}

@test "malformed requests get AWS's errors and statuses, and the server keeps serving" {
	start_server
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.ListStateMachines' -d '{"maxResults":'
	[ "$output" = 400 ]
	[ "$(jq -r .__type body)" = SerializationException ]
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.NoSuchThing' -d '{}'
	[ "$output" = 400 ]
	[ "$(jq -c . body)" = '{"__type":"UnknownOperationException","message":"Unknown operation: '"'NoSuchThing'"'"}' ]
	run -0 post -d '{}'
	[ "$output" = 400 ]
	[ "$(jq -r .__type body)" = UnknownOperationException ]
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.DescribeExecution' -d '{"executionArn":[1]}'
	[ "$output" = 400 ]
	[ "$(jq -c . body)" = '{"__type":"SerializationException","message":"'"'executionArn'"' must be a string, not a list"}' ]
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.DescribeExecution' -d '{}'
	[ "$output" = 400 ]
	[ "$(jq -r .__type body)" = ValidationException ]
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.StartExecution' -d '[]'
	[ "$(jq -r .__type body)" = SerializationException ]
	# AWS's limits: 1 MiB a request, 256 KiB an input
	head -c 1100000 /dev/zero | tr '\0' ' ' > big
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.ListStateMachines' -H 'Expect:' --data-binary @big
	[ "$output" = 413 ]
	create p '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}'
	printf '{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:p","input":"\\"%s\\""}' \
	    "$(head -c 300000 /dev/zero | tr '\0' a)" > in.json
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.StartExecution' --data-binary @in.json
	[ "$output" = 400 ]
	[ "$(jq -r .__type body)" = ValidationException ]
	# still there
	run -0 sfn list-state-machines --query 'stateMachines[].name' --output text
	[ "$output" = p ]
}

@test "the region of the ARNs is the request's credential scope's, else the server's" {
	start_server
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.CreateActivity' -d '{"name":"a"}' \
	    -H 'Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261203/eu-west-1/states/aws4_request, SignedHeaders=host, Signature=00'
	[ "$(jq -r .activityArn body)" = arn:aws:states:eu-west-1:123456789012:activity:a ]
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.CreateActivity' -d '{"name":"b"}'
	[ "$(jq -r .activityArn body)" = arn:aws:states:us-east-1:123456789012:activity:b ]
}

@test "killed with SIGKILL and started again, the server resumes every RUNNING execution" {
	start_server
	create w '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":2,"Next":"P"},"P":{"Type":"Pass","Result":"woke","End":true}}}'
	for n in k1 k2 k3; do
		start "{\"stateMachineArn\":\"$sm\",\"name\":\"$n\"}"
	done
	# the server and its drivers, gone at once
	stop_server KILL
	for n in k1 k2 k3; do
		run -0 asl describe $n
		[ "$(jq -r .status <<<"$output")" = RUNNING ]
	done
	# on its port again, as a client would expect to find it
	LISTEN_PORT=$PORT start_server
	for n in k1 k2 k3; do
		wait_status "${arn%:*}:$n" SUCCEEDED
		[ "$(output_of "${arn%:*}:$n")" = '"woke"' ]
	done
}

@test "starts answered together, then SIGKILL: every acknowledged one is in the store and ends" {
	start_server
	create p '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"W"},"W":{"Type":"Wait","Seconds":1,"Next":"B"},"B":{"Type":"Pass","End":true}}}'
	# four clients at once, so that their starts share commits
	for c in 1 2 3 4; do
		(for i in $(seq 40); do
			jq -nc --arg sm "$sm" --arg n "g$c-$i" --arg in "{\"c\":$c,\"i\":$i}" \
			    '{stateMachineArn: $sm, name: $n, input: $in}' > "req.$c.$i"
			code=$(curl -sS --max-time 10 -o "ack.$c.$i" -w '%{http_code}' \
			    -X POST -H 'X-Amz-Target: AWSStepFunctions.StartExecution' \
			    -d @"req.$c.$i" "$URL/" 2> /dev/null) || break
			[ "$code" = 200 ] && jq -r .executionArn "ack.$c.$i" >> acked
		done) &
	done
	for i in $(seq 200); do
		[ -s acked ] && [ "$(wc -l < acked)" -ge 40 ] && break
		sleep 0.05
	done
	stop_server KILL
	wait
	n=$(wc -l < acked)
	[ "$n" -ge 40 ]
	LISTEN_PORT=$PORT start_server
	while read -r a; do
		wait_status "$a" SUCCEEDED
		# run once, with its input as its output
		run -0 asl history "${a##*:}" --json
		[ "$(jq '[.events[] | select(.type == "WaitStateEntered")] | length' <<<"$output")" = 1 ]
		[ "$(output_of "$a" | jq -c .)" = "$(asl describe "${a##*:}" --json | jq -r .input | jq -c .)" ]
	done < acked
}

@test "--workers 3: three server processes on one port, one store" {
	start_server --workers 3
	[ "$(pgrep -c -s "$SERVER" -f 'asl serve')" = 3 ]
	create p '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}'
	for n in 1 2 3 4 5 6 7 8 9; do
		start "{\"stateMachineArn\":\"$sm\",\"name\":\"x$n\",\"input\":\"$n\"}"
	done
	run -0 call ListExecutions "{\"stateMachineArn\":\"$sm\",\"statusFilter\":\"SUCCEEDED\"}"
	[ "$(jq -r '[.executions[].name] | join(" ")' <<<"$output")" = "x9 x8 x7 x6 x5 x4 x3 x2 x1" ]
	[ "$(output_of "${arn%:*}:x7")" = 7 ]
}

@test "asl serve: its command line" {
	run -2 asl serve extra
	[[ $output == *"serve takes no arguments"* ]]
	run -4 asl serve --listen nonsense:port
	[[ $output == *"--listen 'nonsense:port'"* ]]
	run -2 asl serve --workers 0
	[[ $output == *"--workers: '0' is not a number from 1 to 16"* ]]
	run -0 asl --help
	[[ $output == *"serve [--listen ADDR:PORT] [--resources FILE] [--mock FILE]"* ]]
}

@test "ListMapRuns, DescribeMapRun and ListExecutions of a Map Run answer the aws CLI in AWS's shapes" {
	mkdir -p s3/data
	{ echo id; seq 1 5; } > s3/data/five.csv
	cat > dm.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":1,
 "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
  "Parameters":{"Bucket":"data","Key":"five.csv"}},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
  "C":{"Type":"Choice","Choices":[{"Variable":"$.id","StringEquals":"2","Next":"F"}],"Default":"P"},
  "F":{"Type":"Fail","Error":"Two"},"P":{"Type":"Pass","End":true}}},"End":true}}}
J
	run -0 asl run --name d1 --s3-root s3 dm.json
	start_server
	exec_arn=arn:aws:states:us-east-1:123456789012:execution:dm:d1
	run -0 sfn list-map-runs --execution-arn "$exec_arn"
	holds '(.mapRuns | length) == 1 and .mapRuns[0].executionArn == "'"$exec_arn"'"
	    and (.mapRuns[0].startDate | type) == "number"' "$output"
	run_arn=$(jq -r '.mapRuns[0].mapRunArn' <<<"$output")
	run -0 sfn describe-map-run --map-run-arn "$run_arn"
	holds '.status == "SUCCEEDED" and .itemCounts.succeeded == 4 and .itemCounts.failed == 1
	    and .executionCounts.total == 5 and (.stopDate | type) == "number"' "$output"
	run -0 sfn list-executions --map-run-arn "$run_arn"
	holds '[.executions[].status] == ["SUCCEEDED","FAILED","SUCCEEDED","SUCCEEDED","SUCCEEDED"]
	    and all(.executions[]; .mapRunArn == "'"$run_arn"'" and (.startDate | type) == "number")' "$output"
	run -0 sfn list-executions --map-run-arn "$run_arn" --status-filter FAILED
	holds '(.executions | length) == 1' "$output"
	kid=$(jq -r '.executions[0].executionArn' <<<"$output")
	run -0 sfn get-execution-history --execution-arn "$kid"
	holds '[.events[].type] == ["ExecutionStarted","ChoiceStateEntered","ChoiceStateExited","FailStateEntered","ExecutionFailed"]' "$output"
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.DescribeMapRun' -d '{"mapRunArn":"arn:aws:states:us-east-1:123456789012:mapRun:dm/M:nope"}'
	[ "$output" = 400 ]
	[ "$(jq -r .__type body)" = ResourceNotFound ]
}

# map_run_of ARN: poll ListMapRuns (10 s at most) for the execution's Map
# Run; its ARN in $run_arn
map_run_of() {
	local i
	for i in $(seq 100); do
		run_arn=$(call ListMapRuns "{\"executionArn\":\"$1\"}" |
		    jq -r '.mapRuns[0].mapRunArn // empty')
		[ -n "$run_arn" ] && return 0
		sleep 0.1
	done
	return 1
}

@test "UpdateMapRun and StopExecution of a Map Run at work, with the aws CLI" {
	start_server
	# one child at a time, each waits a second; item 6 fails
	create slow "$(jq -nc '{StartAt:"M",States:{M:{Type:"Map",ItemsPath:"$.items",MaxConcurrency:1,End:true,
	    ItemProcessor:{ProcessorConfig:{Mode:"DISTRIBUTED",ExecutionType:"STANDARD"},StartAt:"C",States:{
	    C:{Type:"Choice",Choices:[{Variable:"$.id",NumericEquals:6,Next:"F"}],Default:"W"},
	    F:{Type:"Fail",Error:"Six"},W:{Type:"Wait",Seconds:1,End:true}}}}}}')"
	items='{"items":[{"id":1},{"id":2},{"id":3},{"id":4},{"id":5},{"id":6}]}'
	start "$(jq -nc --arg sm "$sm" --arg i "$items" '{stateMachineArn: $sm, name: "u1", input: $i}')"
	map_run_of "$arn"
	run -0 sfn update-map-run --map-run-arn "$run_arn" --max-concurrency 6 --tolerated-failure-count 1
	[ -z "$output" ]
	run -0 sfn describe-map-run --map-run-arn "$run_arn"
	holds '.maxConcurrency == 6 and .toleratedFailureCount == 1' "$output"
	# item 6's failure is tolerated now; without the update it fails the Map
	wait_status "$arn" SUCCEEDED
	run -0 sfn describe-map-run --map-run-arn "$run_arn"
	holds '.status == "SUCCEEDED" and .itemCounts.succeeded == 5 and .itemCounts.failed == 1' "$output"
	# AWS's errors
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.UpdateMapRun' -d '{"mapRunArn":"'"${run_arn%:*}"':nope","maxConcurrency":2}'
	[ "$output" = 400 ]
	[ "$(jq -r .__type body)" = ResourceNotFound ]
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.UpdateMapRun' -d '{"mapRunArn":"'"$run_arn"'","toleratedFailurePercentage":101}'
	[ "$output" = 400 ]
	[ "$(jq -r .__type body)" = ValidationException ]
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.UpdateMapRun' -d '{"mapRunArn":"nope"}'
	[ "$output" = 400 ]
	[ "$(jq -r .__type body)" = InvalidArn ]
	run -0 post -H 'X-Amz-Target: AWSStepFunctions.UpdateMapRun' -d '{"maxConcurrency":2}'
	[ "$output" = 400 ]
	[ "$(jq -r .__type body)" = ValidationException ]

	# StopExecution while the Map Run works: MapRunAborted, the run ABORTED
	start "$(jq -nc --arg sm "$sm" --arg i "$items" '{stateMachineArn: $sm, name: "s1", input: $i}')"
	map_run_of "$arn"
	run -0 sfn stop-execution --execution-arn "$arn"
	wait_status "$arn" ABORTED
	run -0 sfn get-execution-history --execution-arn "$arn"
	holds '[.events[].type] | index("MapRunAborted") != null and .[-1] == "ExecutionAborted"' "$output"
	run -0 sfn describe-map-run --map-run-arn "$run_arn"
	holds '.status == "ABORTED" and .itemCounts.aborted >= 1 and .itemCounts.succeeded + .itemCounts.aborted == 6
	    and (.stopDate | type) == "number"' "$output"
}
