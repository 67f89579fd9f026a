#!/usr/bin/env bats
# examples/csv-fanout: a Distributed Map over a CSV of orders, a command
# per batch with Retry and MaxConcurrency, a ResultWriter; killed half
# way and resumed, it bills every order exactly once.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	unset ASL_CLOCK ASL_S3_ROOT
	EX="$ASL_TOP/examples/csv-fanout"
}

# the orders billed in DIR's bills, one per line, sorted
billed() {
	cat "$1"/bills/batch-*.csv | cut -d, -f1 | tr -d '"' | sort -n
}

@test "the README's command bills the 200 orders in 20 batches and writes the results to S3" {
	run -0 --separate-stderr "$EX/run" "$BATS_TEST_TMPDIR/f"
	holds '.ResultWriterDetails.Bucket == "results" and (.ResultWriterDetails.Key | startswith("billing/"))' "$output"
	key=$(jq -r .ResultWriterDetails.Key <<<"$output")
	run -0 jq -c '.ResultFiles | {S: (.SUCCEEDED | length), F: (.FAILED | length)}' "f/s3/results/$key"
	assert_json '{"S":1,"F":0}' "$output"
	run -0 jq -c 'length, (map(.orders) | add), (map(.total) | add * 100 | round / 100)' f/s3/results/billing/*/SUCCEEDED_0.json
	want_total=$(awk -F, 'NR > 1 { t += $3 } END { printf "%.2f", t }' "$EX/orders.csv" | sed 's/0*$//; s/\.$//')
	[ "$output" = "$(printf '20\n200\n%s' "$want_total")" ]
	[ "$(billed f | tr '\n' ' ')" = "$(seq 1 200 | tr '\n' ' ')" ]
	# Billing.Busy met the first attempt at batches 7, 17 ... and Retry the second
	[ "$(sort -n f/bills/attempts | tr '\n' ' ')" = "$(seq 1 10 200 | tr '\n' ' ')" ]
}

@test "kill -9 half way, run again: finished batches are not billed again, every order exactly once" {
	export FANOUT_DELAY=0.3
	"$EX/run" "$BATS_TEST_TMPDIR/f" > /dev/null 2>&1 &
	pid=$!
	for i in $(seq 200); do [ "$(wc -l < f/bills/attempts 2>/dev/null || echo 0)" -ge 8 ] && break; sleep 0.05; done
	kill -9 "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 137 ]
	# the batches whose end the Map Run's journal holds
	jq -r 'select(.i != null) | .e.first' f/store/executions/fanout/maprun-*.jsonl | sort -n > ended
	[ "$(wc -l < ended)" -ge 1 ]
	[ "$(wc -l < ended)" -lt 20 ]
	run -0 --separate-stderr "$EX/run" "$BATS_TEST_TMPDIR/f"
	holds '.ResultWriterDetails.Bucket == "results"' "$output"
	[ "$(billed f | tr '\n' ' ')" = "$(seq 1 200 | tr '\n' ' ')" ]
	while read -r first; do
		[ "$(grep -cx "$first" f/bills/attempts)" -eq 1 ] || { echo "batch $first billed again"; return 1; }
	done < ended
	run -0 jq -c 'length, (map(.orders) | add)' f/s3/results/billing/*/SUCCEEDED_0.json
	[ "$output" = "$(printf '20\n200')" ]
}
