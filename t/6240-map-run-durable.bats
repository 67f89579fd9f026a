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

# Rows 4 and 7 fail while $BROKEN exists; one failure is tolerated, the
# second fails the Map Run with rows 8 to 10 never started.
redrive_setup() {
	export BROKEN="$BATS_TEST_TMPDIR/broken"
	touch "$BROKEN"
	cat > bin/flaky <<'S'
#!/bin/sh
read -r row
id=$(printf '%s' "$row" | jq -r .id)
echo "$id" >> "$LEDGER"
case $id in 4|7) [ -e "$BROKEN" ] && { echo "row $id: broken" >&2; exit 1; } ;; esac
echo "$row"
S
	chmod +x bin/flaky
	{ echo id; seq 1 10; } > s3/data/ten.csv
	jq '.States.M.MaxConcurrency = 1 | .States.M.ToleratedFailureCount = 1 |
	    .States.M.ItemReader.Parameters.Key = "ten.csv" |
	    .States.M.ItemProcessor.States.T.Resource = "arn:aws:lambda:us-east-1:123456789012:function:flaky"' \
	    k.json > r.json
}

@test "a child that failed is an execution of its own: asl history shows why, asl list --map-run lists every child" {
	redrive_setup
	run -1 asl run --name r1 r.json
	arn=$(asl list-map-runs r1 | jq -r '.mapRuns[0].mapRunArn')
	# the children that ended, in item order; 8 to 10 never started
	run -0 asl list --map-run "$arn" --json
	holds '[.executions[].status] == ["SUCCEEDED","SUCCEEDED","SUCCEEDED","FAILED","SUCCEEDED","SUCCEEDED","FAILED"]
	    and all(.executions[]; .mapRunArn == "'"$arn"'"
	        and (.executionArn | startswith("arn:aws:states:us-east-1:123456789012:execution:r/M:"))
	        and .stateMachineArn == "arn:aws:states:us-east-1:123456789012:stateMachine:r/M"
	        and .stopDate >= .startDate)
	    and ([.executions[].name] | unique | length) == 7' "$output"
	kid=$(jq -r '.executions[3].name' <<<"$output")
	# the ResultWriter names the child the same way
	run -0 jq -r '.[0].Name' s3/out/r/*/FAILED_0.json
	[ "$output" = "$kid" ]
	# its history: its own events, from its start to its failure
	run -0 asl history "$kid" --json
	holds '[.events[].type] == ["ExecutionStarted","TaskStateEntered","LambdaFunctionScheduled","LambdaFunctionStarted","LambdaFunctionFailed","ExecutionFailed"]
	    and (.events[0].executionStartedEventDetails.input | fromjson) == {"id":"4"}
	    and .events[5].previousEventId == 5' "$output"
	run -0 asl describe "$kid"
	holds '.status == "FAILED" and .mapRunArn == "'"$arn"'" and (.input | fromjson) == {"id":"4"}' "$output"
	# plain asl list shows the parent alone; a child cannot be redriven alone
	run -0 asl list --json
	holds '[.executions[].name] == ["r1"]' "$output"
	run -1 --separate-stderr asl redrive "$kid"
	[ "$stderr" = "asl: ExecutionNotRedrivable: Execution '$kid' is a child of a Map Run: redrive its parent" ]
	# the parent's history holds none of the children's events
	run -0 asl history r1 --json
	holds '[.events[].type] == ["ExecutionStarted","MapStateEntered","MapStateStarted","MapRunStarted","MapRunFailed","MapStateFailed","ExecutionFailed"]' "$output"
}

@test "redrive of a failed Distributed Map runs only the children that did not succeed, in the same Map Run" {
	redrive_setup
	run -1 asl run --name r2 r.json
	[ "$(tr '\n' ' ' < "$LEDGER")" = "1 2 3 4 5 6 7 " ]
	arn=$(asl list-map-runs r2 | jq -r '.mapRuns[0].mapRunArn')
	kid=$(asl list --map-run "$arn" --json | jq -r '.executions[3].name')
	# the cause is fixed; the redrive runs 4 and 7 again, and 8 to 10
	rm "$BROKEN"
	: > "$LEDGER"
	run -0 asl redrive r2
	holds '.MapRunArn == "'"$arn"'"' "$output"
	[ "$(sort -n "$LEDGER" | tr '\n' ' ')" = "4 7 8 9 10 " ]
	# every row in the results once, though only five ran this time
	run -0 jq -r '.[].Input | fromjson | .id' s3/out/r/*/SUCCEEDED_0.json
	[ "$(sort -n <<<"$output" | tr '\n' ' ')" = "$(seq 1 10 | tr '\n' ' ')" ]
	[ ! -e "$(ls s3/out/r/*/FAILED_0.json 2>/dev/null)" ]
	run -0 asl history r2 --json
	holds '[.events[].type] == ["ExecutionStarted","MapStateEntered","MapStateStarted","MapRunStarted","MapRunFailed",
	    "MapStateFailed","ExecutionFailed","ExecutionRedriven","MapStateEntered","MapStateStarted","MapRunRedriven",
	    "MapRunSucceeded","MapStateSucceeded","MapStateExited","ExecutionSucceeded"]
	    and .events[10].mapRunRedrivenEventDetails == {"mapRunArn":"'"$arn"'","redriveCount":1}' "$output"
	run -0 asl describe-map-run "$arn"
	holds '.status == "SUCCEEDED" and .redriveCount == 1 and .redriveDate != null and
	    .itemCounts == {"pending":0,"running":0,"succeeded":10,"failed":0,"timedOut":0,"aborted":0,"total":10}' "$output"
	run -0 asl list --map-run "$arn" --json
	holds '[.executions[].status] == ["SUCCEEDED","SUCCEEDED","SUCCEEDED","SUCCEEDED","SUCCEEDED","SUCCEEDED","SUCCEEDED","SUCCEEDED","SUCCEEDED","SUCCEEDED"]
	    and .executions[3].name == "'"$kid"'" and .executions[3].redriveCount == 1
	    and .executions[8].redriveCount == 0 and .executions[0].redriveCount == 0' "$output"
	# the child that failed keeps its first attempt, then its redrive
	run -0 asl history "$kid" --json
	holds '[.events[].type] == ["ExecutionStarted","TaskStateEntered","LambdaFunctionScheduled","LambdaFunctionStarted","LambdaFunctionFailed","ExecutionFailed",
	    "ExecutionRedriven","TaskStateEntered","LambdaFunctionScheduled","LambdaFunctionStarted","LambdaFunctionSucceeded","TaskStateExited","ExecutionSucceeded"]
	    and .events[6].previousEventId == 6 and .events[6].executionRedrivenEventDetails == {"redriveCount":1}' "$output"
	run -0 asl describe "$kid"
	holds '.status == "SUCCEEDED"' "$output"
}

@test "the progress line tells a Map Run's items done, failed and running of the total" {
	redrive_setup
	# each row takes a while, so that the line is drawn as they go
	sed -i 's/^echo "\$row"$/sleep 0.2; echo "$row"/' bin/flaky
	jq '.States.M.ToleratedFailureCount = 5' r.json > p.json
	run -0 --separate-stderr asl run --progress --name p1 p.json
	lines=$(printf '%s' "$stderr" | tr '\r' '\n' | sed 's/\x1b\[K//' | grep 'Map items')
	[ -n "$lines" ]
	# every line in the form, the counts never more than the total
	while read -r l; do
		[[ $l =~ ^[0-9]+\ states\ entered,\ ([0-9]+)/10\ Map\ items\ \(([0-9]+)\ failed,\ ([01])\ running\),\ [0-9]+\ tasks\ running,\ [0-9]+\ events$ ]] ||
		    { echo "bad line: $l"; return 1; }
		[ "${BASH_REMATCH[1]}" -le 10 ] && [ "${BASH_REMATCH[2]}" -le "${BASH_REMATCH[1]}" ]
	done <<<"$lines"
	# the failures show as they happen, and one child at a time runs
	grep -Eq '/10 Map items \([12] failed, 1 running\)' <<<"$lines"
	run -0 --separate-stderr asl run --quiet --name p2 p.json
	[ "$stderr" = "" ]
}

@test "kill -9 of a Map Run of pure children, resume: the same Map Run goes on, no child runs twice" {
	# a driver busy with pure children writes nothing of the parent's
	# history until they end: the Map Run must be on disk before them
	awk 'BEGIN { print "id"; for (i = 1; i <= 30000; i++) print i }' > s3/data/big.csv
	jq '.States.M.MaxConcurrency = 100 | .States.M.ItemReader.Parameters.Key = "big.csv" |
	    .States.M.ItemProcessor.States.T = {"Type":"Pass","End":true}' k.json > big.json
	asl run --name b1 big.json > /dev/null 2>&1 &
	pid=$!
	for i in $(seq 1000); do
		[ "$(cat store/executions/b1/maprun-*.jsonl 2>/dev/null | grep -c '^{"i":')" -ge 1000 ] && break
		sleep 0.01
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" || true
	run -0 asl resume b1
	# one journal, one line a child: none ran again
	[ "$(ls store/executions/b1/maprun-*.jsonl | wc -l)" -eq 1 ]
	run -0 grep -c '^{"i":' store/executions/b1/maprun-*.jsonl
	[ "$output" -eq 30000 ]
	run -0 sh -c "sed -n 's/^{\"i\":\([0-9]*\),.*/\1/p' store/executions/b1/maprun-*.jsonl | sort -n | uniq | wc -l"
	[ "$output" -eq 30000 ]
	run -0 jq -r '.[].Input | fromjson | .id' s3/out/r/*/SUCCEEDED_0.json
	[ "$(sort -n <<<"$output" | uniq | wc -l)" -eq 30000 ]
	[ "$(wc -l <<<"$output")" -eq 30000 ]
}

@test "a Standard child that runs on forever fails at its history's limit, a failed child like any other" {
	jq '.States.M.ToleratedFailureCount = 1 | del(.States.M.ResultWriter) |
	    .States.M.ItemReader.Parameters.Key = "six.csv" | .States.M.ItemProcessor.StartAt = "C" |
	    .States.M.ItemProcessor.States = {
	      "C":{"Type":"Choice","Choices":[{"Variable":"$.id","StringEquals":"4","Next":"L"}],"Default":"P"},
	      "L":{"Type":"Pass","Next":"L"}, "P":{"Type":"Pass","End":true}}' k.json > loop.json
	{ echo id; seq 1 6; } > s3/data/six.csv
	run -0 asl run --name l1 --history-limit 40 loop.json
	assert_json '[{"id":"1"},{"id":"2"},{"id":"3"},
	    {"Error":"States.Runtime","Cause":"The execution reached the maximum number of history events (40)."},
	    {"id":"5"},{"id":"6"}]' "$output"
	arn=$(asl list-map-runs l1 | jq -r '.mapRuns[0].mapRunArn')
	kid=$(asl list --map-run "$arn" --json | jq -r '.executions[3].name')
	run -0 asl history "$kid" --json
	holds '(.events | length) == 40 and .events[39].type == "ExecutionFailed"
	    and .events[39].executionFailedEventDetails.error == "States.Runtime"' "$output"
}

@test "a child's context object names the child: its execution, input and state machine" {
	{ echo id; seq 1 2; } > s3/data/two.csv
	jq 'del(.States.M.ResultWriter) | .States.M.ItemReader.Parameters.Key = "two.csv" |
	    .States.M.ItemProcessor.States.T = {"Type":"Pass","Parameters":{"e.$":"$$.Execution","m.$":"$$.StateMachine"},"End":true}' \
	    k.json > ctx.json
	run -0 asl run --name c1 ctx.json
	out=$output
	arn=$(asl list-map-runs c1 | jq -r '.mapRuns[0].mapRunArn')
	run -0 asl list --map-run "$arn" --json
	holds '[.[] | .e.Id] == ['"$(jq -c '[.executions[].executionArn]' <<<"$output" | tr -d '[]')"']
	    and [.[] | .e.Input] == [{"id":"1"},{"id":"2"}]
	    and all(.[]; .e.Id == "arn:aws:states:us-east-1:123456789012:execution:ctx/M:" + .e.Name
	        and .e.RedriveCount == 0
	        and .m == {"Id":"arn:aws:states:us-east-1:123456789012:stateMachine:ctx/M","Name":"ctx/M"})' "$out"
}

@test "asl stop while the Map Run works: MapRunAborted, the Map Run ABORTED, the children under way aborted" {
	asl run --name s1 k.json > /dev/null 2>&1 &
	pid=$!
	for i in $(seq 100); do [ "$(cat "$LEDGER" 2>/dev/null | wc -l)" -ge 5 ] && break; sleep 0.05; done
	run -0 asl stop s1 --error Enough --cause "stop it"
	st=0
	wait "$pid" || st=$?
	[ "$st" -ne 0 ]
	run -0 asl describe s1
	holds '.status == "ABORTED"' "$output"
	run -0 asl history s1 --json
	# MapRunAborted follows MapRunStarted, then the Map state and the execution are aborted
	holds '.events | (map(.type) | index("MapRunAborted")) as $a | .[$a].previousEventId == (.[] | select(.type == "MapRunStarted") | .id)
	    and .[$a + 1].type == "MapStateAborted" and .[-1].type == "ExecutionAborted"
	    and ([.[] | select(.type | test("^MapRun(Succeeded|Failed)$"))] | length) == 0
	    and (.[$a] | has("mapRunAbortedEventDetails") | not)' "$output"
	run -0 asl list-map-runs s1
	arn=$(jq -r '.mapRuns[0].mapRunArn' <<<"$output")
	holds '.mapRuns[0].stopDate != null' "$output"
	run -0 asl describe-map-run "$arn"
	holds '.status == "ABORTED" and .itemCounts.running == 0 and .itemCounts.pending == 0 and
	    .itemCounts.succeeded >= 1 and .itemCounts.succeeded < 30 and .itemCounts.failed == 0 and
	    .itemCounts.succeeded + .itemCounts.aborted == 30 and .stopDate != null' "$output"
	# the two children under way (MaxConcurrency 2) are executions that ended ABORTED
	run -0 asl list --map-run "$arn" --json
	holds '[.executions[] | select(.status == "ABORTED")] | length == 2' "$output"
	run -0 jq -s '[.[] | select(.ab == true)] | length' store/executions/s1/maprun-*.jsonl
	[ "$output" -eq 2 ]
}

@test "asl stop of a Map Run's execution that can no longer be driven: MapRunAborted too" {
	asl run --name u1 k.json > /dev/null 2>&1 &
	pid=$!
	for i in $(seq 100); do [ "$(cat "$LEDGER" 2>/dev/null | wc -l)" -ge 5 ] && break; sleep 0.05; done
	kill -9 "$pid"
	wait "$pid" || true
	# its definition no longer loads: the stop writes the end itself
	echo '{' > store/executions/u1/definition.json
	run -0 asl stop u1
	run -0 asl history u1 --json
	holds '.events | (map(.type) | index("MapRunAborted")) as $a | $a != null and
	    .[$a].previousEventId == (.[] | select(.type == "MapRunStarted") | .id)
	    and .[-1].type == "ExecutionAborted" and .[-1].previousEventId == .[$a].id' "$output"
	arn=$(asl list-map-runs u1 | jq -r '.mapRuns[0].mapRunArn')
	run -0 asl describe-map-run "$arn"
	holds '.status == "ABORTED" and .itemCounts.running == 0 and .itemCounts.pending == 0 and
	    .itemCounts.succeeded + .itemCounts.aborted == 30' "$output"
}

@test "asl update-map-run: DescribeMapRun shows the new values, the running Map Run takes them" {
	# each child notes how many children run with it
	cat > bin/cwork <<'S'
#!/bin/sh
read -r row
mkdir -p "$BATS_TEST_TMPDIR/on"
touch "$BATS_TEST_TMPDIR/on/$$"
echo "$(ls "$BATS_TEST_TMPDIR/on" | wc -l) $row" >> "$LEDGER"
sleep 0.2
rm -f "$BATS_TEST_TMPDIR/on/$$"
echo "$row"
S
	chmod +x bin/cwork
	# MaxConcurrency 1, no failure tolerated, row 25 fails
	jq '.States.M.MaxConcurrency = 1 | .States.M.ItemProcessor.States = {"C":{"Type":"Choice",
	    "Choices":[{"Variable":"$.id","StringEquals":"25","Next":"F"}],"Default":"T"},
	    "F":{"Type":"Fail","Error":"TwentyFive"},
	    "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:cwork","End":true}} |
	    .States.M.ItemProcessor.StartAt = "C"' k.json > c.json
	asl run --name c1 c.json > /dev/null 2>&1 &
	pid=$!
	for i in $(seq 100); do [ "$(cat "$LEDGER" 2>/dev/null | wc -l)" -ge 3 ] && break; sleep 0.05; done
	arn=$(asl list-map-runs c1 | jq -r '.mapRuns[0].mapRunArn')
	before=$(wc -l < "$LEDGER")
	run -0 asl update-map-run "$arn" --max-concurrency 4 --tolerated-failure-count 2
	[ -z "$output" ]
	run -0 asl describe-map-run "$arn"
	holds '.maxConcurrency == 4 and .toleratedFailureCount == 2 and .toleratedFailurePercentage == 0' "$output"
	st=0
	wait "$pid" || st=$?
	# the tolerance the update set decides: one failure, tolerated
	[ "$st" -eq 0 ]
	run -0 asl describe-map-run "$arn"
	holds '.status == "SUCCEEDED" and .itemCounts.failed == 1 and .itemCounts.succeeded == 29 and .maxConcurrency == 4' "$output"
	# one at a time before the update, more than one after it, never more than 4
	[ "$(head -n "$before" "$LEDGER" | awk '$1 > 1' | wc -l)" -eq 0 ]
	[ "$(awk '$1 > 1' "$LEDGER" | wc -l)" -gt 0 ]
	[ "$(awk '$1 > 4' "$LEDGER" | wc -l)" -eq 0 ]
	# AWS's errors
	run -1 --separate-stderr asl update-map-run "$arn" --tolerated-failure-percentage 101
	[[ "$stderr" == "asl: ValidationException: "*"toleratedFailurePercentage"* ]]
	run -1 --separate-stderr asl update-map-run "$arn" --max-concurrency -1
	[[ "$stderr" == "asl: ValidationException: "*"maxConcurrency"* ]]
	run -1 --separate-stderr asl update-map-run "${arn%:*}:nope" --max-concurrency 2
	[ "$stderr" = "asl: ResourceNotFound: Map Run Does Not Exist: '${arn%:*}:nope'" ]
	run -2 asl update-map-run "$arn" --max-concurrency two
	run -0 asl describe-map-run "$arn"
	holds '.maxConcurrency == 4 and .toleratedFailureCount == 2' "$output"
}

@test "without the update, the same Map Run fails at its first failure" {
	jq '.States.M.MaxConcurrency = 4 | .States.M.ItemProcessor.States = {"C":{"Type":"Choice",
	    "Choices":[{"Variable":"$.id","StringEquals":"25","Next":"F"}],"Default":"P"},
	    "F":{"Type":"Fail","Error":"TwentyFive"},"P":{"Type":"Pass","End":true}} |
	    .States.M.ItemProcessor.StartAt = "C"' k.json > c.json
	run -1 asl run --name c2 c.json
	arn=$(asl list-map-runs c2 | jq -r '.mapRuns[0].mapRunArn')
	run -0 asl describe-map-run "$arn"
	holds '.status == "FAILED" and .itemCounts.failed == 1' "$output"
}
