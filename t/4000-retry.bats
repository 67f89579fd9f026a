#!/usr/bin/env bats
# asl-retry as a user runs it: each action, stdin and FILE, --pretty,
# --seed, the exit statuses, and the man page's synopsis and examples.
# The decision rules themselves are in t/4001-retry-rules.bats.

load lib/common

# the ASL spec's example: Retry [{ErrorA, ErrorB; MaxAttempts 2},
# {ErrorC; IntervalSeconds 5}], Catch [{States.ALL -> Z}]
SPEC='"retry": [{"ErrorEquals": ["ErrorA", "ErrorB"], "IntervalSeconds": 1, "BackoffRate": 2, "MaxAttempts": 2}, {"ErrorEquals": ["ErrorC"], "IntervalSeconds": 5}], "catch": [{"ErrorEquals": ["States.ALL"], "Next": "Z"}]'

@test "retry: which retrier, which attempt, the delay and the new counters" {
	run -0 --separate-stderr asl-retry <<<"{$SPEC, \"error\": {\"Error\": \"ErrorC\", \"Cause\": \"c\"}, \"counts\": [2, 0]}"
	[ "$output" = '{"action":"retry","retrier":1,"attempt":1,"delaySeconds":5,"counts":[2,1]}' ]
	[ "$stderr" = "" ]
}

@test "catch: the catcher, its Next and the error output, from a FILE" {
	echo "{$SPEC, \"error\": {\"Error\": \"ErrorB\", \"Cause\": \"b\"}, \"counts\": [2, 1], \"input\": {\"x\": 1}}" > req.json
	run -0 --separate-stderr asl-retry req.json
	[ "$output" = '{"action":"catch","retrier":0,"catcher":0,"next":"Z","output":{"Error":"ErrorB","Cause":"b"}}' ]
	[ "$stderr" = "" ]
}

@test "catch with a ResultPath: the error output placed into the input" {
	run -0 asl-retry <<<'{"catch": [{"ErrorEquals": ["States.ALL"], "Next": "N", "ResultPath": "$.err"}], "error": {"Error": "E", "Cause": "c"}, "input": {"x": 1}}'
	[ "$output" = '{"action":"catch","catcher":0,"next":"N","output":{"x":1,"err":{"Error":"E","Cause":"c"}}}' ]
}

@test "fail: nothing matches, the error and cause propagate, exit 0" {
	run -0 --separate-stderr asl-retry - <<<'{"retry": [{"ErrorEquals": ["A"]}], "catch": [{"ErrorEquals": ["B"], "Next": "N"}], "error": {"Error": "C", "Cause": "why"}}'
	[ "$output" = '{"action":"fail","error":"C","cause":"why"}' ]
	[ "$stderr" = "" ]
}

@test "fail: States.Runtime, even when a catcher names it" {
	run -0 asl-retry <<<'{"catch": [{"ErrorEquals": ["States.Runtime"], "Next": "N"}], "error": {"Error": "States.Runtime", "Cause": "Invalid path"}}'
	[ "$output" = '{"action":"fail","error":"States.Runtime","cause":"Invalid path"}' ]
}

@test "the spec's example as a loop: waits 1, 2, 5, then Catch" {
	counts='[]' waits=
	for e in ErrorA ErrorB ErrorC ErrorB; do
		d=$(asl-retry <<<"{$SPEC, \"error\": {\"Error\": \"$e\"}, \"counts\": $counts}")
		[ "$(jq -r .action <<<"$d")" = retry ] || break
		waits="$waits $(jq .delaySeconds <<<"$d")"
		counts=$(jq -c .counts <<<"$d")
	done
	[ "$waits" = " 1 2 5" ]
	[ "$counts" = "[2,1]" ]
	[ "$d" = '{"action":"catch","retrier":0,"catcher":0,"next":"Z","output":{"Error":"ErrorB","Cause":""}}' ]
}

@test "--pretty indents the decision" {
	run -0 asl-retry --pretty <<<'{"error": {"Error": "E"}}'
	[ "$output" = $'{\n  "action": "fail",\n  "error": "E",\n  "cause": ""\n}' ]
}

@test "--seed makes FULL jitter repeatable" {
	req='{"retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 60, "JitterStrategy": "FULL"}], "error": {"Error": "E"}}'
	run -0 asl-retry --seed 12345 <<<"$req"
	first=$output
	run -0 asl-retry --seed 12345 <<<"$req"
	[ "$output" = "$first" ]
	# and different seeds draw different delays
	seen=$(for s in 1 2 3 4 5 6 7 8; do asl-retry --seed $s <<<"$req"; done | jq -s 'map(.delaySeconds) | unique | length')
	[ "$seen" -gt 1 ]
}

@test "without --seed FULL jitter is drawn from the OS, within [0, delay]" {
	req='{"retry": [{"ErrorEquals": ["E"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxDelaySeconds": 5, "JitterStrategy": "FULL"}], "error": {"Error": "E"}, "counts": [1]}'
	run -0 bash -c "for i in \$(seq 40); do asl-retry <<<'$req'; done | jq -s 'map(.delaySeconds) | [all(. >= 0 and . <= 5), (unique | length > 1)]' | jq -c ."
	[ "$output" = "[true,true]" ]
}

@test "a request without an error: the reason on stderr, exit 1" {
	run -1 --separate-stderr asl-retry <<<'{"retry": []}'
	[ "$output" = "" ]
	[ "$stderr" = "asl-retry: request: 'error' is missing" ]
}

@test "a malformed retrier: where and what, exit 1" {
	run -1 --separate-stderr asl-retry <<<'{"retry": [{"ErrorEquals": ["E"], "MaxAttempts": -1}], "error": {"Error": "E"}}'
	[ "$output" = "" ]
	[ "$stderr" = "asl-retry: /retry/0/MaxAttempts: must be an integer from 0 to 99999999" ]
}

@test "a malformed catcher inside a state: the pointer says so, exit 1" {
	run -1 --separate-stderr asl-retry <<<'{"state": {"Catch": [{"ErrorEquals": ["E"]}]}, "error": {"Error": "E"}}'
	[ "$stderr" = "asl-retry: /state/Catch/0: missing Next" ]
}

@test "a request that is not JSON: where it breaks, exit 3" {
	run -3 --separate-stderr asl-retry <<<'{"error": {"Error": "E"},}'
	[ "$output" = "" ]
	[ "$stderr" = "asl-retry: <stdin>:1:26: trailing comma in an object" ]
}

@test "an empty request is not JSON either, exit 3" {
	run -3 --separate-stderr asl-retry </dev/null
	[[ "$stderr" == "asl-retry: <stdin>:"* ]]
}

@test "a FILE that cannot be read: the system error, exit 4" {
	run -4 --separate-stderr asl-retry nosuch.json
	[ "$output" = "" ]
	[ "$stderr" = "asl-retry: nosuch.json: No such file or directory" ]
}

@test "standard output that cannot be written: exit 4" {
	[ -w /dev/full ] || skip "no /dev/full"
	run -4 --separate-stderr bash -c 'asl-retry <<<"{\"error\": {\"Error\": \"E\"}}" >/dev/full'
	[[ "$stderr" == "asl-retry: error writing standard output: "* ]]
}

@test "an unknown option: the reason and the usage's first line on stderr, exit 2" {
	run -2 --separate-stderr asl-retry --jitter </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "asl-retry: unrecognized option '--jitter'
usage: asl-retry [--seed N] [--pretty] [FILE]
Try 'asl-retry --help' for more information." ]
}

@test "--seed must be a number from 0 to 2^64-1, exit 2" {
	for bad in x -1 1.5 '' 18446744073709551616; do
		run -2 --separate-stderr asl-retry --seed "$bad" </dev/null
		[ "${stderr_lines[0]}" = "asl-retry: --seed: '$bad' is not a number from 0 to 18446744073709551615" ]
	done
	run -0 asl-retry --seed 18446744073709551615 <<<'{"error": {"Error": "E"}}'
	[ "$output" = '{"action":"fail","error":"E","cause":""}' ]
}

@test "two FILE operands: usage, exit 2" {
	run -2 --separate-stderr asl-retry a.json b.json
	[ "${stderr_lines[0]}" = "asl-retry: give at most one FILE" ]
	[ "${stderr_lines[1]}" = "usage: asl-retry [--seed N] [--pretty] [FILE]" ]
}

@test "--help and -h print the usage and the formats on stdout, exit 0" {
	run -0 --separate-stderr asl-retry --help
	[ "${lines[0]}" = "usage: asl-retry [--seed N] [--pretty] [FILE]" ]
	[[ "$output" == *'{"action": "catch", "catcher", "next", "output"}'* ]]
	[ "$stderr" = "" ]
	help=$output
	run -0 asl-retry -h
	[ "$output" = "$help" ]
}

@test "the usage line is the man page's SYNOPSIS" {
	synopsis=$(mandoc -Tascii "$ASL_TOP/doc/asl-retry.1" | col -b |
	    sed -n '/^SYNOPSIS/{n;p;}' | sed 's/^ *//')
	run -0 asl-retry --help
	[ "${lines[0],,}" = "usage: ${synopsis,,}" ]
}

# the literal displays of the man page's EXAMPLES, each followed by %%END
examples() {
	awk '/^\.Sh EXAMPLES/ { ex = 1; next }
	    /^\.Sh/ { ex = 0 }
	    ex && /^\.Bd -literal/ { inb = 1; next }
	    ex && /^\.Ed/ { inb = 0; print "%%END"; next }
	    ex && inb { gsub(/\\e/, "\\"); print }' "$ASL_TOP/doc/asl-retry.1"
}

@test "the man page's EXAMPLES print what they say" {
	local cmd= want= got n=0 line
	run_example() {
		[ -n "$cmd" ] || return 0
		got=$(bash -c "$cmd")
		if [ "$got" != "${want%$'\n'}" ]; then
			printf 'example: %s\nexpected: %s\nactual:   %s\n' "$cmd" "$want" "$got"
			return 1
		fi
		n=$((n + 1))
		cmd= want=
	}
	while IFS= read -r line; do
		case $line in
		'$ '*) run_example || return 1; cmd=${line#\$ } ;;
		' '*) [ -n "$cmd" ] && [ -z "$want" ] && cmd+=$'\n'"$line" ;;
		%%END) run_example || return 1 ;;
		*) [ -n "$cmd" ] && want+="$line"$'\n' ;;
		esac
	done < <(examples)
	[ "$n" -eq 4 ]
}

@test "the man page's shell loop retries a flaky command as a Task would" {
	script=$(examples | awk '/^policy=/ { on = 1 } on && /^%%END/ { exit } on')
	[ -n "$script" ]
	mkdir bin
	# fails twice, then succeeds
	printf '#!/bin/sh\nn=$(cat n 2>/dev/null || echo 0)\necho $((n + 1)) > n\n[ "$n" -ge 2 ]\n' > flaky-command
	# records the waits instead of waiting
	printf '#!/bin/sh\necho "$1" >> waits\n' > bin/sleep
	chmod +x flaky-command bin/sleep
	run -0 env PATH="$PWD/bin:$PATH" bash -c "$script"
	[ "$(cat n)" = 3 ]
	[ "$(cat waits)" = $'1\n2' ]
	# always failing: two retries, then the script gives up
	rm n waits
	printf '#!/bin/sh\nexit 1\n' > flaky-command
	run -1 env PATH="$PWD/bin:$PATH" bash -c "$script"
	[ "$(cat waits)" = $'1\n2' ]
}
