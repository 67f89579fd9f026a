#!/usr/bin/env bats
# A Map Run killed half way (kill -9 of the driver) and resumed: the
# children its journal says had ended never run again, the ones under way
# run again from their start, and the ResultWriter's files hold every
# item exactly once; list-map-runs and describe-map-run tell the Map Runs.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store" ASL_S3_ROOT="$BATS_TEST_TMPDIR/s3"
	export ASL_PATH="$BATS_TEST_TMPDIR/bin" LEDGER="$BATS_TEST_TMPDIR/ledger"
	unset ASL_CLOCK
	mkdir -p bin s3/data s3/out
	# a function that notes each row it works on, slowly
	cat > bin/work <<'S'
#!/bin/sh
read -r row
echo "$row" >> "$LEDGER"
sleep 0.1
echo "$row"
S
	chmod +x bin/work
	{ echo id; seq 1 30; } > s3/data/n.csv
	cat > k.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,
 "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
  "Parameters":{"Bucket":"data","Key":"n.csv"}},
 "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"T","States":{
  "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:work","End":true}}},
 "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"r"}},"End":true}}}
J
}

@test "kill -9 half way, resume: no child that had ended runs again, every item once in the results" {
	asl run --name k1 k.json > /dev/null 2>&1 &
	pid=$!
	for i in $(seq 100); do [ "$(wc -l < "$LEDGER" 2>/dev/null || echo 0)" -ge 10 ] && break; sleep 0.05; done
	kill -9 "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 137 ]
	# who had ended, by the journal (its first line names the Map Run)
	jq -r 'select(.i != null) | .e.Input | fromjson | .id' store/executions/k1/maprun-*.jsonl | sort > ended
	[ "$(wc -l < ended)" -ge 5 ]
	[ "$(wc -l < ended)" -lt 30 ]
	run -0 asl resume k1
	holds '.ResultWriterDetails.Bucket == "out"' "$output"
	# every row in the results, once
	run -0 jq -r '.[].Input | fromjson | .id' s3/out/r/*/SUCCEEDED_0.json
	[ "$(sort -n <<<"$output" | tr '\n' ' ')" = "$(seq 1 30 | tr '\n' ' ')" ]
	# a row that had ended ran once; only those under way ran twice
	while read -r id; do
		[ "$(grep -c "\"id\":\"$id\"" "$LEDGER")" -eq 1 ] || { echo "row $id ran again"; return 1; }
	done < ended
	[ "$(wc -l < "$LEDGER")" -le $((30 + 2)) ]
}

@test "list-map-runs and describe-map-run: AWS's shapes, the counts from the journal" {
	jq '.States.M.ToleratedFailureCount = 5 | .States.M.ItemProcessor.States.T = {"Type":"Choice",
	    "Choices":[{"Variable":"$.id","StringMatches":"*7","Next":"F"}],"Default":"P"} |
	    .States.M.ItemProcessor.States.F = {"Type":"Fail","Error":"Seven"} |
	    .States.M.ItemProcessor.States.P = {"Type":"Pass","End":true}' k.json > t.json
	run -0 asl run --name t1 t.json
	run -0 asl list-map-runs t1
	holds '(.mapRuns | length) == 1 and .mapRuns[0].executionArn == "arn:aws:states:us-east-1:123456789012:execution:t:t1"
	    and (.mapRuns[0].mapRunArn | startswith("arn:aws:states:us-east-1:123456789012:mapRun:t/M:"))
	    and .mapRuns[0].stateMachineArn == "arn:aws:states:us-east-1:123456789012:stateMachine:t"
	    and .mapRuns[0].stopDate >= .mapRuns[0].startDate' "$output"
	arn=$(jq -r '.mapRuns[0].mapRunArn' <<<"$output")
	run -0 asl describe-map-run "$arn"
	holds '.status == "SUCCEEDED" and .maxConcurrency == 2 and .toleratedFailureCount == 5 and
	    .itemCounts == {"pending":0,"running":0,"succeeded":27,"failed":3,"timedOut":0,"aborted":0,"total":30} and
	    .executionCounts == .itemCounts and .mapRunArn == "'"$arn"'"' "$output"
	run -1 --separate-stderr asl describe-map-run arn:aws:states:us-east-1:123456789012:mapRun:t/M:nope
	[ "$stderr" = "asl: ResourceNotFound: Map Run Does Not Exist: 'arn:aws:states:us-east-1:123456789012:mapRun:t/M:nope'" ]
}
