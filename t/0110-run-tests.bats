#!/usr/bin/env bats
# PROG --run-tests FILE [SECTION], the in-process runner of the tables of
# t/data (lib/asl_cli_table.c): every kind of expectation passes when it
# holds and is reported when it does not, with the file and line; a
# table without a case fails; a case sees what a process would see.

load lib/common

# table FILE LINE...: FILE holds the lines
table() {
	local f=$1
	shift
	printf '%s\n' "$@" > "$f"
}

@test "every kind of expectation, when it holds: N cases, 0 failed" {
	table t.test '# a comment' \
	    '$.a' '{"a":{"x":1,"y":[2]}}' '{"x":1,"y":[2]}' '' \
	    '$.b' '{}' "%%FAIL States.Runtime: Invalid path '\$.b' : No results for path: \$['b']" '' \
	    '$.b' '{}' '%%FAIL~ States.Runtime: Invalid' '' \
	    '$.n' '{"n":12345}' '%%MATCH ^[0-9]{5}$' '' \
	    '%%context {"Execution":{"Name":"e1"}}' \
	    '%%vars {"v":7}' \
	    '-t	{"e.$":"$$.Execution.Name","v.$":"$v"}' '{}' '{"e":"e1","v":7}'
	run -0 asl-jsonpath --run-tests t.test
	[ "$output" = "t.test: 5 cases, 0 failed" ]
}

@test "a value that differs: the case, its file and line, and exit 1" {
	table t.test '# first' '$.a' '{"a":1}' '1' '' '$.a' '{"a":1}' '2'
	run -1 asl-jsonpath --run-tests t.test
	[ "$output" = "t.test:6: FAILED
  args:     \$.a
  input:    {\"a\":1}
  expected: 2
  status:   0
  stdout:   1
  stderr:   
t.test: 2 cases, 1 failed" ]
}

@test "each kind of expectation that does not hold is reported" {
	table t.test \
	    '$.a' '{"a":{"x":1,"y":2}}' '{"y":2,"x":1}' '' \
	    '$.b' '{}' '%%FAIL States.Runtime: Invalid path' '' \
	    '$.b' '{}' '%%FAIL~ States.Runtim: ' '' \
	    '$' '{}' '%%FAIL States.Runtime: x' '' \
	    '$.n' '{"n":1234}' '%%MATCH ^[0-9]{5}$' '' \
	    '$' '{}' 'not JSON'
	run -1 asl-jsonpath --run-tests t.test
	[ "${lines[-1]}" = "t.test: 6 cases, 6 failed" ]
	[ "$(grep ': FAILED$' <<<"$output" | tr '\n' ' ')" = "t.test:1: FAILED t.test:5: FAILED t.test:9: FAILED t.test:13: FAILED t.test:17: FAILED t.test:21: FAILED " ]
}

@test "a filter's table: keys in any order, %%JQ, %%EXIT=N, %%FAIL is exit 1 and no output" {
	table t.test '%%section one' \
	    '-' '{"error":{"Error":"E"},"retry":[{"ErrorEquals":["E"],"IntervalSeconds":2}]}' \
	    '{"counts":[1],"delaySeconds":2,"attempt":1,"retrier":0,"action":"retry"}' '' \
	    '-' '{"error":{"Error":"E"}}' '%%JQ .action == "fail" and .error == "E"' '' \
	    '%%section two' \
	    '-' '{}' "%%FAIL request: 'error' is missing" '' \
	    '--seed	1	-' '{"error":{"Error":"E"}}' '%%EXIT=0 {"action":"fail","error":"E","cause":""}'
	run -0 asl-retry --run-tests t.test
	[ "$output" = "t.test: 4 cases, 0 failed" ]
	run -0 asl-retry --run-tests t.test two
	[ "$output" = "t.test [two]: 2 cases, 0 failed" ]
	table u.test \
	    '-' '{"error":{"Error":"E"}}' '%%JQ .action == "retry"' '' \
	    '-' '{"error":{"Error":"E"}}' '%%JQ .action, .action' '' \
	    '-' '{"error":{"Error":"E"}}' '%%EXIT=1 {"action":"fail","error":"E","cause":""}' '' \
	    '-' '{"error":{"Error":"E"}}' "%%FAIL request: 'error' is missing"
	run -1 asl-retry --run-tests u.test
	[ "${lines[-1]}" = "u.test: 4 cases, 4 failed" ]
	[ "$(grep -c ': FAILED$' <<<"$output")" = 4 ]
	# the status of asl-step's FAILED response, and the wrong one
	table s.test \
	    '-' '{"definition":{"Type":"Fail","Error":"X"},"input":{}}' '%%EXIT=1 {"status":"FAILED","error":"X"}' '' \
	    '-' '{"definition":{"Type":"Fail","Error":"X"},"input":{}}' '{"status":"FAILED","error":"X"}'
	run -1 asl-step --run-tests s.test
	[ "${lines[0]}" = "s.test:5: FAILED" ]
	[ "${lines[-1]}" = "s.test: 2 cases, 1 failed" ]
}

@test "a table or a section without a case fails" {
	table t.test '# only a comment'
	run -1 asl-jsonpath --run-tests t.test
	[ "$output" = "t.test: no cases" ]
	run -1 asl-retry --run-tests "$DATA/retry-rules.test" no-such-section
	[ "$output" = "$DATA/retry-rules.test: no cases in section no-such-section" ]
}

@test "a case of two lines is a failure, not a case" {
	table t.test '$' '{}' '' '$' '{}' '{}'
	run -1 asl-jsonpath --run-tests t.test
	[ "$output" = "t.test:1: a case needs 3 lines, found 2
t.test: 1 cases, 1 failed" ]
}

@test "a case prints what a process prints: the same stderr, byte for byte" {
	local parse usage big
	run -3 --separate-stderr asl-jsonpath '$' <<<'{"a": 1,}'
	parse=${stderr#asl-jsonpath: }
	run -2 --separate-stderr asl-jsonpath '$.a[' </dev/null
	usage=${stderr#asl-jsonpath: }
	run -3 --separate-stderr asl-jsonpath --max-bytes 3 '$' <<<'[1,2]'
	big=${stderr#asl-jsonpath: }
	table t.test '$' '{"a": 1,}' "%%FAIL $parse" '' \
	    '$.a[' '{}' "%%FAIL $usage" '' \
	    '--max-bytes	3	$' '[1,2]' "%%FAIL $big" '' \
	    '--nope	$' '{}' "%%FAIL~ unrecognized option '--nope'"
	run -0 asl-jsonpath --run-tests t.test
	[ "$output" = "t.test: 4 cases, 0 failed" ]
	run -2 --separate-stderr asl-jsonpath --nope '$' </dev/null
	[ "${stderr_lines[0]}" = "asl-jsonpath: unrecognized option '--nope'" ]
}

@test "--run-tests without a file is a usage error; a missing file exit 4" {
	run -2 --separate-stderr asl-jsonpath --run-tests
	[ "${stderr_lines[0]}" = "asl-jsonpath: --run-tests needs a FILE and at most a SECTION" ]
	run -4 --separate-stderr asl-step --run-tests nosuch.test
	[ "$output" = "" ]
	[ "$stderr" = "asl-step: nosuch.test: No such file or directory" ]
}
