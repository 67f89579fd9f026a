#!/usr/bin/env bats
# The pipeline and the driver are one engine: examples/pipeline/run
# (asl-parse, asl-step, asl-retry and asl-history in a shell loop) and
# asl run give the same output and the same event types on a workflow
# with Choice, a Task, Retry and Catch.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	cp -r "$ASL_TOP/examples/pipeline" .
	cd pipeline
	export ASL_STORE="$BATS_TEST_TMPDIR/store" ASL_CLOCK=test
}

same() {	# INPUT: run both, compare
	rm -f charge.count
	run ./run payment.asl.json resources.json "$1" pipe.jsonl
	pipe_status=$status pipe_output=$output
	rm -f charge.count
	name=x$RANDOM
	run asl run payment.asl.json --resources resources.json --input "$1" --name $name
	echo "pipeline: $pipe_status $pipe_output"
	echo "asl run:  $status $output"
	[ "$pipe_status" = "$status" ]
	[ "${pipe_output##*: }" = "${output##*: }" ]
	asl-history show --json pipe.jsonl | jq -c '[.events[].type]' > pipe.types
	asl history --json $name | jq -c '[.events[].type]' > run.types
	diff -u run.types pipe.types
}

@test "a charge that succeeds" { same '{"amount":20,"card":"ok"}'; }
@test "a charge retried once after Busy" { same '{"amount":20,"card":"busy"}'; }
@test "a declined charge: Catch, then a Fail state" { same '{"amount":20,"card":"declined"}'; }
@test "a large amount: the Choice sends it to review" { same '{"amount":500,"card":"ok"}'; }
