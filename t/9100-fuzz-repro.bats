#!/usr/bin/env bats
# What fuzzing found (../shared/reliability/repro, copied to t/data/repro):
# each input is a regression test, run with bounded time and, outside the
# sanitizer build (whose shadow memory needs the address space), bounded
# memory; under ASan and LSan a leak or a bad access fails the test.
# The JSONata repros are the JSONata engine's own (t/2500-jsonata.bats).

load lib/common

REPRO=$DATA/repro

# bounded: 10 s, and 256 MB of address space where that can be asked
bounded() {
	case $BUILD in
	*san*) timeout 10 "$@" ;;
	*) (ulimit -v 262144 && exec timeout 10 "$@") ;;
	esac
}

@test "JSONPath filter regexes that made regcomp eat gigabytes are refused at once" {
	n=0
	for f in "$REPRO"/jsonpath-oom-*.txt; do
		# the fuzzer's first byte chose the mode; the rest is the path
		expr=$(tail -c +2 "$f" | tr -d '\0')
		run -2 --separate-stderr bounded asl-jsonpath "$expr" <<<'{"l":[{"x":"AB"}]}'
		[[ $stderr == *"regular expression too costly: a quantifier on a quantifier, or a count over 1000 at offset "* ]]
		n=$((n + 1))
	done
	[ "$n" = 3 ]
	# a quantifier on a group, a class or a literal '+' is still fine
	run -0 bounded asl-jsonpath '$[?(@ =~ /(ab)+[+*]\+x{2,3}/)]' <<<'["ab++xx", "ab"]'
	[ "$output" = '["ab++xx"]' ]
}

@test "a definition whose filter regex backtracks without end is refused when it is validated" {
	run -1 --separate-stderr bounded asl-parse "$REPRO/regex-bomb.asl.json"
	[ "$stderr" = "$REPRO/regex-bomb.asl.json:1:51: error: /States/P/InputPath: The value for the field 'InputPath' must be a valid JSONPath: regular expression too costly: a quantifier on a quantifier, or a count over 1000 at offset 38" ]
	run -1 --separate-stderr bounded asl run "$REPRO/regex-bomb.asl.json"
	[ "${#stderr_lines[@]}" = 1 ]
	run -0 sh -c 'asl list --json | jq -c .'
	[ "$output" = '{"executions":[]}' ]
}

@test "histories that made the fold leak or crash fold and show cleanly" {
	run -1 --separate-stderr bounded asl-history fold "$REPRO/history-array.jsonl"
	[ "$stderr" = "asl-history: $REPRO/history-array.jsonl:1: not a JSON event" ]
	for f in brace idonly leak-min; do
		run -0 bounded asl-history fold "$REPRO/history-$f.jsonl"
		[ "$(jq -c '[.status, .lastEventId, (.frames | length)]' <<<"$output")" = '["RUNNING",1,1]' ]
		run -0 bounded asl-history show "$REPRO/history-$f.jsonl"
		[ "${#lines[@]}" = 2 ]
	done
	run -0 bounded asl-history fold --definition "$REPRO/crash-workflow.asl.json" "$REPRO/history-leak-d30ba98f.jsonl"
	[ "$(jq -c '[.status, .lastEventId, [.frames[] | [.state, .phase]]]' <<<"$output")" = '["RUNNING",24,[["M","children"],["Work","entered"]]]' ]
	run -0 bounded asl-history fold "$REPRO/history-leak-min2.jsonl"
	[ "$(jq -c '[.status, .lastEventId, [.frames[] | .state]]' <<<"$output")" = '["RUNNING",4,["Par","Flaky"]]' ]
	run -0 bounded asl-history fold "$REPRO/history-leak-parallel-inflight.jsonl"
	[ "$(jq -c '[.status, .lastEventId, [.frames[] | .state]]' <<<"$output")" = '["RUNNING",4,["Par","A"]]' ]
	for f in "$REPRO"/history-leak-*.jsonl; do
		run -0 bounded asl-history show --json --reverse "$f"
		[ "$(jq -c '.events | length' <<<"$output")" = "$(grep -c . "$f")" ]
	done
}

# Each target of fuzz/ is built by make check with fuzz/replay.c for its
# main (build/fuzz/TARGET FILE...): the seeds, and with them every finding
# kept among them, go through exactly the code libFuzzer ran them in.
@test "every seed and finding of fuzz/corpus replays cleanly through its target" {
	local t n=0
	for t in "$ASL_TOP"/fuzz/*.c; do
		t=${t##*/} t=${t%.c}
		[ "$t" != replay ] || continue
		[ -d "$ASL_TOP/fuzz/corpus/$t" ]
		run -0 --separate-stderr timeout 120 "$ASL_TOP/$BUILD/fuzz/$t" "$ASL_TOP/fuzz/corpus/$t"
		[ -z "$stderr" ] || { echo "$t: ${stderr:0:2000}"; false; }
		n=$((n + 1))
	done
	[ "$n" -ge 6 ]
	# a file that cannot be read is an error, not a clean run
	run -4 --separate-stderr "$ASL_TOP/$BUILD/fuzz/fold" nosuch
	[ "$stderr" = "fold: nosuch: No such file or directory" ]
}

@test "a history whose details are no object, whose ids are out of range or whose names are missing folds" {
	run -0 bounded asl-history fold "$REPRO/fold-details-number.jsonl"
	[ "$(jq -c '[.status, .input, .lastEventId, (.frames | length)]' <<<"$output")" = '["RUNNING",null,1,1]' ]
	run -0 bounded asl-history fold "$REPRO/fold-id-huge.jsonl"
	[ "$(jq -c '[.status, .lastEventId]' <<<"$output")" = '["RUNNING",1]' ]
	run -0 bounded asl-history fold "$REPRO/fold-no-name.jsonl"
	[ "$(jq -c '[.lastEventId, [.frames[] | [.state, .type, .phase, .enteredTime]]]' <<<"$output")" = '[3,[[null,"Pass","entered",null]]]' ]
	run -0 bounded asl-history fold --definition "$REPRO/crash-workflow.asl.json" "$REPRO/fold-no-name.jsonl"
	[ "$(jq -c '[.frames[] | .state]' <<<"$output")" = '[null]' ]
	run -0 bounded asl-history show "$REPRO/fold-no-name.jsonl"
	[ "${#lines[@]}" = 4 ]
}
