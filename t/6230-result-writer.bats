#!/usr/bin/env bats
# A Distributed Map's ResultWriter on the local S3: manifest.json and
# SUCCEEDED_0.json, FAILED_0.json, PENDING_0.json under PREFIX/RUN-ID/,
# as AWS lays them out; WriterConfig's OutputType and Transformation; the
# state's output is the ResultWriterDetails.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store" ASL_S3_ROOT="$BATS_TEST_TMPDIR/s3"
	mkdir -p s3/data s3/out
	printf 'id,name\n1,ann\n2,bob\n3,cy\n' > s3/data/o.csv
	# a Map Run over o.csv whose row 2 fails
	cat > m.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","Label":"Fan","ToleratedFailureCount":1,
 "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
  "Parameters":{"Bucket":"data","Key":"o.csv"}},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"C","States":{
  "C":{"Type":"Choice","Choices":[{"Variable":"$.id","StringEquals":"2","Next":"F"}],"Default":"P"},
  "F":{"Type":"Fail","Error":"Bad","Cause":"row two"},
  "P":{"Type":"Pass","Parameters":{"who.$":"$.name"},"End":true}}},
 "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"res/"}},"End":true}}}
J
}

@test "the output names the manifest; the manifest names the files with their sizes" {
	run -0 asl run m.json
	holds '(.MapRunArn | test("^arn:aws:states:us-east-1:123456789012:mapRun:m/Fan:[0-9a-f-]{36}$"))
	    and .ResultWriterDetails.Bucket == "out"
	    and .ResultWriterDetails.Key == "res/" + (.MapRunArn | split(":") | last) + "/manifest.json"' "$output"
	run_id=$(jq -r '.MapRunArn | split(":") | last' <<<"$output")
	arn=$(jq -r .MapRunArn <<<"$output")
	dir=s3/out/res/$run_id
	[ "$(cd "$dir" && ls)" = "$(printf 'FAILED_0.json\nSUCCEEDED_0.json\nmanifest.json')" ]
	want=$(jq -cn --arg arn "$arn" --arg d "res/$run_id" \
	    --argjson f "$(stat -c %s "$dir/FAILED_0.json")" --argjson s "$(stat -c %s "$dir/SUCCEEDED_0.json")" \
	    '{"DestinationBucket":"out","MapRunArn":$arn,"ResultFiles":{"FAILED":[{"Key":($d + "/FAILED_0.json"),"Size":$f}],
	      "PENDING":[],"SUCCEEDED":[{"Key":($d + "/SUCCEEDED_0.json"),"Size":$s}]}}')
	assert_json "$want" "$(cat "$dir/manifest.json")"
}

@test "NONE: each child as DescribeExecution, Input and Output as text; a failure with Error and Cause" {
	run -0 asl run m.json
	dir=s3/out/res/$(jq -r '.MapRunArn | split(":") | last' <<<"$output")
	run -0 jq -c 'map(del(.ExecutionArn, .Name, .StartDate, .StopDate))' "$dir/SUCCEEDED_0.json"
	assert_json '[{"Input":"{\"id\":\"1\",\"name\":\"ann\"}","InputDetails":{"Included":true},"Output":"{\"who\":\"ann\"}","OutputDetails":{"Included":true},"RedriveCount":0,"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m/Fan","Status":"SUCCEEDED"},
	  {"Input":"{\"id\":\"3\",\"name\":\"cy\"}","InputDetails":{"Included":true},"Output":"{\"who\":\"cy\"}","OutputDetails":{"Included":true},"RedriveCount":0,"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m/Fan","Status":"SUCCEEDED"}]' "$output"
	holds 'all(.[]; (.ExecutionArn == "arn:aws:states:us-east-1:123456789012:execution:m/Fan:" + .Name) and .StopDate >= .StartDate)' "$(cat "$dir/SUCCEEDED_0.json")"
	run -0 jq -c 'map({Status, Error, Cause, Input})' "$dir/FAILED_0.json"
	assert_json '[{"Status":"FAILED","Error":"Bad","Cause":"row two","Input":"{\"id\":\"2\",\"name\":\"bob\"}"}]' "$output"
}

@test "a Map Run that fails writes FAILED and PENDING too, then fails" {
	jq 'del(.States.M.ToleratedFailureCount) | .States.M.MaxConcurrency = 1 |
	    .States.M.ResultWriter.WriterConfig = {"OutputType":"JSONL","Transformation":"COMPACT"}' m.json > f.json
	run -1 --separate-stderr asl run f.json
	[ "$stderr" = "asl: execution FAILED: Bad: row two" ]
	dir=$(echo s3/out/res/*)
	[ "$(cat "$dir/SUCCEEDED_0.json")" = '{"who":"ann"}' ]
	[ "$(cat "$dir/FAILED_0.json")" = '{"Error":"Bad","Cause":"row two"}' ]
	[ "$(cat "$dir/PENDING_0.json")" = '{"id":"3","name":"cy"}' ]
	holds '.ResultFiles.PENDING[0].Size == 23' "$(cat "$dir/manifest.json")"
}

@test "WriterConfig alone shapes what the Map returns: COMPACT, FLATTEN" {
	jq '.States.M.ResultWriter = {"WriterConfig":{"Transformation":"COMPACT"}}' m.json > c.json
	run -0 asl run c.json
	assert_json '[{"who":"ann"},{"Error":"Bad","Cause":"row two"},{"who":"cy"}]' "$output"
	jq '.States.M.ResultWriter = {"WriterConfig":{"Transformation":"FLATTEN"}} |
	    .States.M.ItemProcessor.States.P.Parameters = {"v.$":"States.Array($.id, $.name)"} |
	    .States.M.ItemProcessor.States.P.OutputPath = "$.v"' m.json > fl.json
	run -0 asl run fl.json
	assert_json '["1","ann",{"Error":"Bad","Cause":"row two"},"3","cy"]' "$output"
	[ -z "$(ls s3/out)" ]
}

@test "a ResultWriter whose bucket is not there fails the Map with States.ResultWriterFailed" {
	jq '.States.M.ResultWriter.Parameters.Bucket = "nowhere"' m.json > n.json
	run -1 --separate-stderr asl run n.json
	fails_with States.ResultWriterFailed 'S3.NoSuchBucketException: The specified bucket does not exist'
	[ ! -e s3/nowhere ]
}
