#!/usr/bin/env bats
# The HTTP Task (arn:aws:states:::http:invoke) against a small server
# the file starts on 127.0.0.1 at a free port (t/data/http/server.py):
# the result's shape, non-2xx answers with Retry and Catch, timeouts,
# request bodies, each authorization of a connection, OAuth token reuse,
# secrets kept out of the history, and TestState's TRACE view.

load lib/common

# serve NAME [CERT KEY]: a server (HTTPS with CERT and KEY) in the
# background; its port in $HTTP_DIR/NAME.port once it listens
serve() {
	local name=$1 i
	shift
	python3 "$DATA/http/server.py" "$HTTP_DIR/$name.port" "$HTTP_DIR/log" \
	    "$@" </dev/null >/dev/null 2>"$HTTP_DIR/$name.stderr" 3>&- &
	echo $! >"$HTTP_DIR/$name.pid"
	for i in $(seq 100); do
		[ -s "$HTTP_DIR/$name.port" ] && return 0
		sleep 0.05
	done
	return 1
}

setup_file() {
	export HTTP_DIR="$BATS_FILE_TMPDIR/http" PORT TLS_PORT
	mkdir -p "$HTTP_DIR"
	serve plain
	serve tls "$DATA/http/cert.pem" "$DATA/http/key.pem"
	PORT=$(cat "$HTTP_DIR/plain.port")
	TLS_PORT=$(cat "$HTTP_DIR/tls.port")
}

teardown_file() {
	kill "$(cat "$HTTP_DIR/plain.pid")" "$(cat "$HTTP_DIR/tls.pid")"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store" ASL_CLOCK=test
	unset AWS_REGION AWS_DEFAULT_REGION
	URL="http://127.0.0.1:$PORT"
	# secrets in the connections file: none may reach a history
	cat >conns.json <<-EOF
	{
	  "arn:aws:events:us-east-1:123456789012:connection/Key/11111111": {
	    "AuthorizationType": "API_KEY",
	    "AuthParameters": {
	      "ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": "KEY-SECRET"},
	      "InvocationHttpParameters": {
	        "HeaderParameters": [{"Key": "x-extra", "Value": "HDR-SECRET", "IsValueSecret": true}],
	        "QueryStringParameters": [{"Key": "qk", "Value": "Q-SECRET"}],
	        "BodyParameters": [{"Key": "bk", "Value": "B-SECRET"}]}}},
	  "Basic": {
	    "AuthorizationType": "BASIC",
	    "AuthParameters": {"BasicAuthParameters": {"Username": "user", "Password": "PW-SECRET"}}},
	  "OAuth": {
	    "AuthorizationType": "OAUTH_CLIENT_CREDENTIALS",
	    "AuthParameters": {"OAuthParameters": {
	      "AuthorizationEndpoint": "$URL/token", "HttpMethod": "POST",
	      "ClientParameters": {"ClientID": "client", "ClientSecret": "s3cret"}}}}
	}
	EOF
	chmod 600 conns.json
}

CONN=arn:aws:events:us-east-1:123456789012:connection

# machine FILE PARAMETERS [STATE-FIELDS]: one HTTP Task, bounded by
# TimeoutSeconds, with PARAMETERS (JSON) and the extra fields of its state
machine() {
	jq -n --argjson p "$2" --argjson f "${3:-{\}}" '{StartAt: "A",
	    States: {A: ({Type: "Task", Resource:
	    "arn:aws:states:::http:invoke", Parameters: $p, TimeoutSeconds: 10,
	    End: true} + $f)}}' >"$1"
}

# how many token requests the server has answered
tokens() {
	python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1], timeout=5))["token"])' \
	    "$URL/count"
}

# the last request the server saw
last_request() {
	tail -n 1 "$HTTP_DIR/log"
}

@test "a JSON answer: Headers, ResponseBody parsed, StatusCode, StatusText" {
	machine m.json "{\"ApiEndpoint\": \"$URL/json\", \"Method\": \"GET\",
	    \"QueryParameters\": {\"q\": \"a b\", \"n\": 1}}"
	run -0 timeout 20 asl run m.json
	assert_json '{"ok": true, "method": "GET", "query": "q=a%20b&n=1"}' \
	    "$(jq -c .ResponseBody <<<"$output")"
	[ "$(jq -c '[keys, .StatusCode, .StatusText, .Headers["Content-Type"]]' \
	    <<<"$output")" = '[["Headers","ResponseBody","StatusCode","StatusText"],200,"OK",["application/json"]]' ]
	# what AWS sends with every request
	[ "$(last_request | jq -c '[.headers["User-Agent"], .headers.Range]')" = \
	    '["Amazon|StepFunctions|HttpInvoke|us-east-1","bytes=0-262144"]' ]
}

@test "a text answer stays text; JSONata's Arguments make the same request" {
	jq -n --arg u "$URL/text" '{QueryLanguage: "JSONata", StartAt: "A",
	    States: {A: {Type: "Task", Resource: "arn:aws:states:::http:invoke",
	    Arguments: {ApiEndpoint: "{% $states.input.url %}", Method: "GET"},
	    Output: "{% $states.result.ResponseBody %}", TimeoutSeconds: 10,
	    End: true}}}' >m.json
	run -0 timeout 20 asl run --input "{\"url\": \"$URL/text\"}" m.json
	[ "$output" = '"hello, world"' ]
}

@test "a 404 fails the task with States.Http.StatusCode.404, which a Catch takes" {
	machine m.json "{\"ApiEndpoint\": \"$URL/status/404\", \"Method\": \"GET\"}" \
	    '{"Catch": [{"ErrorEquals": ["States.Http.StatusCode.404"], "Next": "B"}],
	      "Next": "B"}'
	jq '.States.A |= del(.End) | .States.B = {Type: "Pass", End: true}' m.json >c.json
	jq '.States.A |= del(.Catch, .Next) | .States.A.End = true' m.json >m2.json
	run -0 timeout 20 asl run c.json
	[ "$(jq -r .Error <<<"$output")" = States.Http.StatusCode.404 ]
	# the cause is the answer, as the result would have been
	[ "$(jq -c '.Cause | fromjson | [.StatusCode, .StatusText, .ResponseBody]' \
	    <<<"$output")" = '[404,"Not Found",{"status":404}]' ]
	# uncaught, it fails the execution
	run -1 --separate-stderr timeout 20 asl run m2.json
	[ "$output" = "" ]
	[[ $stderr == "asl: execution FAILED: States.Http.StatusCode.404: "* ]]
}

@test "a 503 is retried by a Retry on States.Http.StatusCode.503 until it succeeds" {
	key=retry$$$RANDOM
	machine m.json "{\"ApiEndpoint\": \"$URL/flaky/2/$key\", \"Method\": \"GET\"}" \
	    '{"Retry": [{"ErrorEquals": ["States.Http.StatusCode.503"],
	      "IntervalSeconds": 5, "MaxAttempts": 3, "BackoffRate": 1}]}'
	run -0 timeout 20 asl run --name r m.json
	[ "$(jq -c '[.StatusCode, .ResponseBody]' <<<"$output")" = '[200,{"try":3}]' ]
	run -0 asl history r --json
	[ "$(jq -r '.events[] | select(.type == "TaskFailed") | .taskFailedEventDetails.error' \
	    <<<"$output" | uniq -c | tr -s ' ')" = " 2 States.Http.StatusCode.503" ]
}

@test "a slow answer past TimeoutSeconds: States.Timeout, the request abandoned" {
	machine m.json "{\"ApiEndpoint\": \"$URL/slow/5\", \"Method\": \"GET\"}" \
	    '{"TimeoutSeconds": 1}'
	SECONDS=0
	run -1 --separate-stderr timeout 20 asl run m.json
	[ "$SECONDS" -lt 4 ]
	[ "$stderr" = "asl: execution FAILED: States.Timeout" ]
}

@test "no server at the address: States.Http.Socket with curl's reason" {
	machine m.json '{"ApiEndpoint": "http://127.0.0.1:1/x", "Method": "GET"}'
	run -1 --separate-stderr timeout 20 asl run m.json
	[[ $stderr == "asl: execution FAILED: States.Http.Socket: "*"127.0.0.1 port 1"* ]]
}

@test "a JSON RequestBody goes as JSON, with its Content-Type" {
	machine m.json "{\"ApiEndpoint\": \"$URL/echo\", \"Method\": \"POST\",
	    \"Headers\": {\"x-trace\": \"t1\"}, \"RequestBody\": {\"a\": [1, \"x\"]}}"
	run -0 timeout 20 asl run m.json
	[ "$(jq -c '.ResponseBody | [.method, .body, .headers["Content-Type"], .headers["x-trace"]]' \
	    <<<"$output")" = '["POST","{\"a\":[1,\"x\"]}","application/json; charset=UTF-8","t1"]' ]
}

@test "URL_ENCODED bodies, in each ArrayFormat" {
	local f want n=0
	while read -r f want; do
		machine m.json "{\"ApiEndpoint\": \"$URL/echo\", \"Method\": \"POST\",
		    \"RequestBody\": {\"a\": [\"x\", \"y z\"], \"o\": {\"k\": 1}},
		    \"Transform\": {\"RequestBodyEncoding\": \"URL_ENCODED\",
		    \"RequestEncodingOptions\": {\"ArrayFormat\": \"$f\"}}}"
		run -0 timeout 20 asl run m.json
		[ "$(jq -r .ResponseBody.body <<<"$output")" = "$want" ]
		[ "$(jq -r '.ResponseBody.headers["Content-Type"]' <<<"$output")" = \
		    application/x-www-form-urlencoded ]
		n=$((n + 1))
	done <<-'EOF'
	INDICES a%5B0%5D=x&a%5B1%5D=y%20z&o%5Bk%5D=1
	REPEAT a=x&a=y%20z&o%5Bk%5D=1
	COMMAS a=x,y%20z&o%5Bk%5D=1
	BRACKETS a%5B%5D=x&a%5B%5D=y%20z&o%5Bk%5D=1
	EOF
	[ "$n" -eq 4 ]
}

@test "an API key connection: its header, and its invocation header, query and body" {
	machine m.json "{\"ApiEndpoint\": \"$URL/echo\", \"Method\": \"POST\",
	    \"RequestBody\": {\"a\": 1},
	    \"Authentication\": {\"ConnectionArn\": \"$CONN/Key/11111111\"}}"
	run -0 timeout 20 asl run --connections conns.json m.json
	[ "$(jq -c '.ResponseBody | [.headers["x-api-key"], .headers["x-extra"], .query, .body]' \
	    <<<"$output")" = '["KEY-SECRET","HDR-SECRET","qk=Q-SECRET","{\"a\":1,\"bk\":\"B-SECRET\"}"]' ]
}

@test "a Basic connection, found by the name in its ARN" {
	machine m.json "{\"ApiEndpoint\": \"$URL/echo\", \"Method\": \"GET\",
	    \"Authentication\": {\"ConnectionArn\": \"$CONN/Basic/22222222\"}}"
	run -0 timeout 20 asl run --connections conns.json m.json
	[ "$(jq -r '.ResponseBody.headers.Authorization' <<<"$output")" = \
	    "Basic $(printf user:PW-SECRET | base64)" ]
}

@test "an OAuth connection: one token request, its token reused until it expires" {
	local before after
	before=$(tokens)
	jq -n --arg u "$URL/echo" --arg c "$CONN/OAuth/33333333" '
	    {Type: "Task", Resource: "arn:aws:states:::http:invoke",
	     TimeoutSeconds: 10, Parameters: {ApiEndpoint: $u, Method: "GET",
	     Authentication: {ConnectionArn: $c}},
	     ResultSelector: {"a.$": "$.ResponseBody.headers.Authorization"}} as $t
	    | {StartAt: "A", States: {A: ($t + {ResultPath: "$.a", Next: "B"}),
	       B: ($t + {ResultPath: "$.b", End: true})}}' >m.json
	run -0 timeout 20 asl run --connections conns.json m.json
	after=$(tokens)
	[ "$((after - before))" -eq 1 ]
	[ "$(jq -c '[.a.a, .b.a]' <<<"$output")" = "[\"Bearer tok-$after\",\"Bearer tok-$after\"]" ]
}

@test "an expired OAuth token is fetched again" {
	local before after
	# tokens that expire at once
	jq '.OAuth.AuthParameters.OAuthParameters.OAuthHttpParameters =
	    {QueryStringParameters: [{Key: "expires_in", Value: "0"}]}' \
	    conns.json >short.json
	chmod 600 short.json
	before=$(tokens)
	jq -n --arg u "$URL/json" --arg c "$CONN/OAuth/33333333" '
	    {Type: "Task", Resource: "arn:aws:states:::http:invoke",
	     TimeoutSeconds: 10, Parameters: {ApiEndpoint: $u, Method: "GET",
	     Authentication: {ConnectionArn: $c}}} as $t
	    | {StartAt: "A", States: {A: ($t + {Next: "B"}), B: ($t + {End: true})}}' >m.json
	run -0 timeout 20 asl run --connections short.json m.json
	after=$(tokens)
	[ "$((after - before))" -eq 2 ]
}

@test "a connection's secrets never reach the history" {
	# (an answer that does not echo the request)
	machine m.json "{\"ApiEndpoint\": \"$URL/text\", \"Method\": \"POST\",
	    \"RequestBody\": {\"a\": 1},
	    \"Authentication\": {\"ConnectionArn\": \"$CONN/Key/11111111\"}}"
	run -0 timeout 20 asl run --name s --connections conns.json m.json
	# the server saw them ...
	[ "$(last_request | jq -r '.headers["x-api-key"]')" = KEY-SECRET ]
	# ... the history, only what the definition and the answer hold
	run -0 asl history s --json
	[ "$(jq -r '.events[] | select(.type == "TaskScheduled") | .taskScheduledEventDetails.resourceType' <<<"$output")" = http ]
	run -1 grep -c 'SECRET' "$ASL_STORE/executions/s/history.jsonl"
	[ "$output" = 0 ]
}

@test "a connections file others can read is refused; an unknown connection fails the task" {
	machine m.json "{\"ApiEndpoint\": \"$URL/json\", \"Method\": \"GET\",
	    \"Authentication\": {\"ConnectionArn\": \"$CONN/Nope/44444444\"}}"
	chmod 644 conns.json
	run -1 --separate-stderr asl run --connections conns.json m.json
	[ "$stderr" = "asl: connections file conns.json: a connections file holds secrets and must be readable by its owner only (mode 0600, not 0644): chmod 600 conns.json" ]
	chmod 600 conns.json
	run -1 --separate-stderr timeout 20 asl run --connections conns.json m.json
	[[ $stderr == "asl: execution FAILED: Events.ConnectionResource.ResourceNotFound: "* ]]
	echo '{"X": {"AuthorizationType": "API_KEY"}}' >bad.json
	chmod 600 bad.json
	run -1 --separate-stderr asl run --connections bad.json m.json
	[ "$stderr" = "asl: connections file bad.json: connection 'X' needs AuthParameters.ApiKeyAuthParameters with ApiKeyName and ApiKeyValue" ]
}

@test "http:// and https:// only; headers AWS forbids and unknown ArrayFormats are refused" {
	machine m.json '{"ApiEndpoint": "file:///etc/passwd", "Method": "GET"}'
	run -1 --separate-stderr timeout 20 asl run m.json
	[[ $stderr == *"States.Runtime: "*"The HTTP Task calls http:// and https:// URLs only, not file:///etc/passwd" ]]
	machine m.json "{\"ApiEndpoint\": \"$URL/json\", \"Method\": \"GET\",
	    \"Headers\": {\"Host\": \"example.com\"}}"
	run -1 --separate-stderr timeout 20 asl run m.json
	[[ $stderr == *"States.Runtime: "*"The HTTP Task cannot set the header Host" ]]
	machine m.json "{\"ApiEndpoint\": \"$URL/echo\", \"Method\": \"POST\",
	    \"RequestBody\": {\"a\": [1]}, \"Transform\": {\"RequestBodyEncoding\":
	    \"URL_ENCODED\", \"RequestEncodingOptions\": {\"ArrayFormat\": \"SPACES\"}}}"
	run -1 --separate-stderr timeout 20 asl run m.json
	[[ $stderr == *"States.Runtime: "*"The HTTP Task's ArrayFormat must be INDICES, REPEAT, COMMAS or BRACKETS, not SPACES" ]]
	# a plain server behind an https:// URL: the TLS handshake fails
	machine m.json "{\"ApiEndpoint\": \"https://127.0.0.1:$PORT/json\", \"Method\": \"GET\"}"
	run -1 --separate-stderr timeout 20 asl run m.json
	[[ $stderr == "asl: execution FAILED: States.Http.Socket: "* ]]
}

@test "an answer over 256 KiB: States.DataLimitExceeded; a redirect is followed" {
	machine m.json "{\"ApiEndpoint\": \"$URL/big\", \"Method\": \"GET\"}"
	run -1 --separate-stderr timeout 20 asl run m.json
	[[ $stderr == "asl: execution FAILED: States.DataLimitExceeded: "* ]]
	machine m.json "{\"ApiEndpoint\": \"$URL/redirect\", \"Method\": \"GET\"}"
	run -0 timeout 20 asl run m.json
	[ "$(jq -c '[.StatusCode, .ResponseBody.ok]' <<<"$output")" = '[200,true]' ]
}

@test "test-state TRACE: the request and the response, secrets only when revealed" {
	jq -n --arg u "$URL/json" --arg c "$CONN/Key/11111111" '{Type: "Task",
	    Resource: "arn:aws:states:::http:invoke", TimeoutSeconds: 10,
	    Parameters: {ApiEndpoint: $u, Method: "POST", RequestBody: {a: 1},
	    Authentication: {ConnectionArn: $c}}, End: true}' >s.json
	run -0 timeout 20 asl test-state s.json --connections conns.json \
	    --inspection-level TRACE
	[ "$(jq -c '[.status, (.output | fromjson | .StatusCode)]' <<<"$output")" = '["SUCCEEDED",200]' ]
	[ "$(jq -c '.inspectionData.request | [.protocol, .method, .url, .body]' <<<"$output")" = \
	    "[\"http\",\"POST\",\"$URL/json\",\"{\\\"a\\\":1}\"]" ]
	[ "$(jq -r .inspectionData.request.headers <<<"$output")" = "Content-Type: application/json; charset=UTF-8
User-Agent: Amazon|StepFunctions|HttpInvoke|us-east-1
Range: bytes=0-262144" ]
	[ "$(jq -c '.inspectionData.response | [.statusCode, .statusMessage, (.body | fromjson | .ok)]' \
	    <<<"$output")" = '["200","OK",true]' ]
	run -0 timeout 20 asl test-state s.json --connections conns.json \
	    --inspection-level TRACE --reveal-secrets
	[ "$(jq -c '.inspectionData.request | [.url, .body]' <<<"$output")" = \
	    "[\"$URL/json?qk=Q-SECRET\",\"{\\\"a\\\":1,\\\"bk\\\":\\\"B-SECRET\\\"}\"]" ]
	[[ $(jq -r .inspectionData.request.headers <<<"$output") == *"x-api-key: KEY-SECRET"* ]]
	# AWS's request field does the same
	run -0 timeout 20 asl test-state s.json --connections conns.json \
	    --inspection-level TRACE --request '{"revealSecrets": true}'
	[[ $(jq -r .inspectionData.request.headers <<<"$output") == *"x-api-key: KEY-SECRET"* ]]
	# below TRACE, no request or response
	run -0 timeout 20 asl test-state s.json --connections conns.json \
	    --inspection-level DEBUG
	[ "$(jq -c '.inspectionData | [has("request"), has("response")]' <<<"$output")" = '[false,false]' ]
	# asl-step stays a pure filter: the task is the caller's to perform
	run -0 asl-step --definition s.json --input '{}' --inspection-level TRACE
	[ "$(jq -r .status <<<"$output")" = PENDING ]
}

@test "certificates are checked; --insecure HOST exempts that one host" {
	# a self-signed certificate for 127.0.0.1 (t/data/http/cert.pem)
	machine m.json "{\"ApiEndpoint\": \"https://127.0.0.1:$TLS_PORT/json\", \"Method\": \"GET\"}"
	run -1 --separate-stderr timeout 20 asl run m.json
	[[ $stderr == "asl: execution FAILED: States.Http.Socket: "*certificate* ]]
	run -1 --separate-stderr timeout 20 asl run --insecure localhost m.json
	[[ $stderr == "asl: execution FAILED: States.Http.Socket: "*certificate* ]]
	run -0 timeout 20 asl run --insecure 127.0.0.1 m.json
	[ "$(jq -c '[.StatusCode, .ResponseBody.ok]' <<<"$output")" = '[200,true]' ]
}

@test "an OAuth token endpoint that refuses the client fails the task, without its answer" {
	jq '.OAuth.AuthParameters.OAuthParameters.ClientParameters.ClientSecret = "wrong"' \
	    conns.json >bad.json
	chmod 600 bad.json
	machine m.json "{\"ApiEndpoint\": \"$URL/json\", \"Method\": \"GET\",
	    \"Authentication\": {\"ConnectionArn\": \"$CONN/OAuth/33333333\"}}"
	run -1 --separate-stderr timeout 20 asl run --connections bad.json m.json
	[ "$stderr" = "asl: execution FAILED: Events.ConnectionResource.AuthorizationFailed: The OAuth token endpoint answered 401" ]
}

@test "connections are not stored with an execution: resume takes --connections again" {
	machine m.json "{\"ApiEndpoint\": \"$URL/json\", \"Method\": \"GET\",
	    \"Authentication\": {\"ConnectionArn\": \"$CONN/Basic/22222222\"}}"
	run -0 asl start --name later --connections conns.json m.json
	run -1 grep -rl PW-SECRET "$ASL_STORE"
	run -1 --separate-stderr timeout 20 asl resume later
	[ "$stderr" = "asl: execution FAILED: Events.ConnectionResource.ResourceNotFound: The connection $CONN/Basic/22222222 was not found: give its definition with --connections FILE" ]
	run -0 asl start --name later2 m.json
	run -0 timeout 20 asl resume later2 --connections conns.json
	[ "$(jq -c '[.StatusCode, .ResponseBody.ok]' <<<"$output")" = '[200,true]' ]
}

@test "requests run beside each other: a Parallel of two 2-second answers takes less than 4" {
	jq -n --arg u "$URL/slow/2" '{Type: "Task",
	    Resource: "arn:aws:states:::http:invoke", TimeoutSeconds: 10,
	    Parameters: {ApiEndpoint: $u, Method: "GET"},
	    ResultSelector: {"s.$": "$.StatusCode"}, End: true} as $t
	    | {StartAt: "P", States: {P: {Type: "Parallel", End: true, Branches: [
	       {StartAt: "A", States: {A: $t}}, {StartAt: "B", States: {B: $t}}]}}}' >m.json
	SECONDS=0
	run -0 timeout 20 asl run m.json
	[ "$SECONDS" -lt 4 ]
	[ "$output" = '[{"s":200},{"s":200}]' ]
}
