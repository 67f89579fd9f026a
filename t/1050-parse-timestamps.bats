#!/usr/bin/env bats
# Timestamps as ASL takes them (RFC 3339 with AWS's restrictions), through
# lib/asl_time's test driver and through a Wait state's Timestamp and a
# Choice's Timestamp comparators in asl-parse.  The table is
# t/data/parse/timestamps.txt.

load lib/common

TABLE="$DATA/parse/timestamps.txt"

@test "asl_time: each timestamp of the table, parsed and formatted" {
	grep -v '^#' "$TABLE" | cut -f1 >in
	grep -v '^#' "$TABLE" | cut -f2 >want
	run -0 asl-time <in
	diff -u want - <<<"$output"
}

wait_definition() {
	jq -cn --arg t "$1" '{StartAt: "W", States: {W: {Type: "Wait", Timestamp: $t, End: true}}}'
}

@test "a Wait's Timestamp: the valid ones pass, the others fail as AWS says" {
	local line ts want n=0
	while IFS= read -r line; do
		case $line in '#'*) continue ;; esac
		ts=${line%%$'\t'*}
		want=${line#*$'\t'}
		n=$((n + 1))
		wait_definition "$ts" >w.json
		if [ "$want" = invalid ]; then
			run -1 --separate-stderr asl-parse w.json
			[ "$stderr" = "w.json:1:45: error: /States/W/Timestamp: String does not match RFC3339 timestamp" ]
		else
			run -0 --separate-stderr asl-parse -q w.json
			[ "$output$stderr" = "" ]
		fi
	done <"$TABLE"
	[ "$n" -eq 24 ]
}

@test "a JSONata Wait's Timestamp may be an expression, else the same rules" {
	run -0 --separate-stderr asl-parse -q <<<'{"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"{% $states.input.when %}","End":true}}}'
	[ "$output$stderr" = "" ]
	run -1 asl-parse --diagnostics <<<'{"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"tomorrow","End":true}}}'
	[ "$(jq -c '[.diagnostics[] | [.message, .location]]' <<<"$output")" = '[["String does not match RFC3339 timestamp","/States/W/Timestamp"]]' ]
}

@test "Choice Timestamp comparators: the same rules for the literal value" {
	run -0 --separate-stderr asl-parse -q <<<'{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.t","TimestampGreaterThanEquals":"2024-01-01T00:00:00+02:00","Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}}}'
	[ "$output$stderr" = "" ]
	run -1 --separate-stderr asl-parse <<<'{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.t","TimestampEquals":"2024-01-01","Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}}}'
	[ "$stderr" = "<stdin>:1:76: error: /States/C/Choices[0]/TimestampEquals: String does not match RFC3339 timestamp" ]
}
