#!/usr/bin/env bats
# lib/asl_task.h: running a task command (asl_job_*) through the test
# driver t/unit/asl-task-run.c and its poll loop: results, errors from
# what the command printed or how it died, inputs and outputs too big for
# a pipe, and process-group kills.

load lib/common

# task SCRIPT [ARGS...]: run t/data/task/SCRIPT as the resource "r"
task() {
	local argv
	argv=$(jq -cn --arg s "$DATA/task/$1" '$ARGS.positional as $a | [$s] + $a' --args "${@:2}")
	printf '{"r": %s}\n' "$argv" > "$BATS_TEST_TMPDIR/map.json"
	asl-task-run --map "$BATS_TEST_TMPDIR/map.json" ${TIMEOUT:+--timeout "$TIMEOUT"} r
}

# alive PID: the process exists and is not a zombie
alive() {
	[ -e "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat"
}

@test "identity: the input is the result" {
	run -0 task identity.sh <<<'{"order": {"id": 7, "items": ["a", "b"]}, "ü": "é"}'
	[ "$(jq -c .result <<<"$output")" = '{"order":{"id":7,"items":["a","b"]},"ü":"é"}' ]
}

@test "a constant result; no output at all is null" {
	run -0 task constant.sh <<<'{}'
	[ "$(jq -c .result <<<"$output")" = '{"answer":42}' ]
	run -0 task empty.sh <<<'{}'
	[ "$(jq -c '.result, has("error")' <<<"$output")" = $'null\nfalse' ]
}

@test "arguments from the map reach the command, no shell in between" {
	run -0 task args.sh 'two words' '$HOME;*' <<<'{}'
	[ "$(jq -c .result <<<"$output")" = '["two words","$HOME;*"]' ]
}

@test "a Lambda-style error from a function: errorType, and the cause in Python's shape" {
	run -1 task lambda-error.sh <<<'{}'
	[ "$(jq -r .error.Error <<<"$output")" = CustomException ]
	[[ $(jq -r .error.Cause <<<"$output") =~ ^'{"errorMessage": "it broke", "errorType": "CustomException", "requestId": "'[0-9a-f-]{36}'", "stackTrace": []}'$ ]]
}

@test "a Lambda-style error keeps the stack trace, request id and extras it printed" {
	run -1 task lambda-error-trace.sh <<<'{}'
	[ "$(jq -r .error.Error <<<"$output")" = ValueError ]
	[ "$(jq -r .error.Cause <<<"$output")" = '{"errorMessage": "bad \"x\"", "errorType": "ValueError", "requestId": "11111111-2222-4333-8444-555555555555", "stackTrace": ["  File \"h.py\", line 2\n"], "extra": 1}' ]
}

@test "a non-Lambda resource: the errorMessage is the cause" {
	printf '{"arn:aws:states:::sqs:sendMessage": ["%s"]}\n' "$DATA/task/lambda-error.sh" > map.json
	run -1 asl-task-run --map map.json arn:aws:states:::sqs:sendMessage <<<'{}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"CustomException","Cause":"it broke"}' ]
}

@test "a plain failure: States.TaskFailed, the cause from stderr, else stdout, else the status" {
	run -1 task fail-stderr.sh <<<'{}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"States.TaskFailed","Cause":"charge.sh: card declined"}' ]
	run -1 task fail-stdout.sh <<<'{}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"States.TaskFailed","Cause":"no such customer"}' ]
	run -1 task fail-silent.sh <<<'{}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"States.TaskFailed","Cause":"fail-silent.sh exited with status 5"}' ]
}

@test "a long stderr: the cause is its tail, from a line start" {
	run -1 task fail-noisy.sh <<<'{}'
	cause=$(jq -r .error.Cause <<<"$output")
	[ "${#cause}" -le 8192 ]
	[ "${#cause}" -gt 4096 ]
	[[ $cause == line\ *' of a long and noisy log of things going wrong slowly'* ]]
	[[ $cause == *$'slowly\nthe last word' ]]
}

@test "killed by a signal: States.TaskFailed naming the signal" {
	run -1 task killed.sh <<<'{}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"States.TaskFailed","Cause":"killed.sh was killed by signal 11 (SIGSEGV): about to die"}' ]
}

@test "exit 0 with output that is not JSON: States.TaskFailed" {
	run -1 task not-json.sh <<<'{}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"States.TaskFailed","Cause":"not-json.sh printed output that is not JSON (line 1, column 1: unexpected '"'"'h'"'"' where a value was expected): hello, world"}' ]
}

@test "a command that cannot start: States.TaskFailed saying why" {
	echo '{"r": ["/nonexistent/charge.sh"], "s": ["no-such-command-anywhere"]}' > map.json
	run -1 asl-task-run --map map.json r <<<'{}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"States.TaskFailed","Cause":"Cannot run /nonexistent/charge.sh: No such file or directory"}' ]
	run -1 asl-task-run --map map.json s <<<'{}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"States.TaskFailed","Cause":"Cannot run no-such-command-anywhere: No such file or directory"}' ]
}

@test "1 MB of input to a command that never reads it: its answer, no SIGPIPE" {
	jq -cn '{s: ("x" * 1048576)}' > big.json
	run -0 task no-read.sh < big.json
	[ "$(jq -c .result <<<"$output")" = '{"ok":true}' ]
}

@test "1 MB in and 200 KB out through cat: no deadlock" {
	jq -cn '{s: ("x" * 1048576)}' > big.json
	run -0 task half.sh < big.json
	[ "$(jq '.result.s | length' <<<"$output")" = 200000 ]
}

@test "200 KB written before the input is read: no deadlock" {
	jq -cn '{s: ("x" * 1048576)}' > big.json
	run -0 task write-first.sh < big.json
	[ "$(jq '.result | length' <<<"$output")" = 200000 ]
}

@test "a timeout kills the whole process group, grandchild included" {
	TIMEOUT=1 run -1 task grandchild.sh "$BATS_TEST_TMPDIR/gc.pid" <<<'{}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"States.Timeout","Cause":""}' ]
	pid=$(cat "$BATS_TEST_TMPDIR/gc.pid")
	[ -n "$pid" ]
	for _ in 1 2 3 4 5 6 7 8 9 10; do alive "$pid" || break; sleep 0.1; done
	run ! alive "$pid"
}

@test "a grandchild holding stdout: the task ends when its command exits" {
	# AWS ends an invocation when the handler returns, whatever it started
	TIMEOUT=30 run -0 task grandchild-holds.sh "$BATS_TEST_TMPDIR/gc.pid" <<<'{}'
	[ "$(jq -c .result <<<"$output")" = '{}' ]
	pid=$(cat "$BATS_TEST_TMPDIR/gc.pid")
	[ -n "$pid" ]
	# the job leaves it be (the engine kills a task's group when the task
	# is over, t/7300-hostile.bats)
	run -0 alive "$pid"
	kill "$pid"
}

@test "a finished task is not affected by --timeout" {
	TIMEOUT=5 run -0 task identity.sh <<<'[1, 2]'
	[ "$(jq -c .result <<<"$output")" = '[1,2]' ]
}

@test "more tasks in a row than there are descriptors: none is leaked" {
	echo '{"r": ["cat"]}' > map.json
	run -0 bash -c 'ulimit -n 32 && exec asl-task-run --map map.json --repeat 100 r' <<<'{"n": 1}'
	[ "$(jq -c .result <<<"$output")" = '{"n":1}' ]
}

@test "a result over 256 KiB, JSON or not: States.DataLimitExceeded before it is parsed" {
	echo '{"Big": {"sh": "cat >/dev/null; printf \\\"; head -c 262143 /dev/zero | tr \"\\\\000\" a; printf \\\""},
	       "Fits": {"sh": "cat >/dev/null; printf \\\"; head -c 262142 /dev/zero | tr \"\\\\000\" a; printf \\\""},
	       "Raw": {"sh": "cat >/dev/null; head -c 263168 /dev/zero | tr \"\\\\000\" a"}}' > map.json
	run -0 asl-task-run --map map.json arn:aws:lambda:us-east-1:123456789012:function:Fits <<<'{}'
	[ "$(jq '.result | length' <<<"$output")" = 262142 ]
	for f in Big Raw; do
		run -1 asl-task-run --map map.json arn:aws:lambda:us-east-1:123456789012:function:$f <<<'{}'
		[ "$(jq -c .error <<<"$output")" = '{"Error":"States.DataLimitExceeded","Cause":"The state/task '"'"'arn:aws:lambda:us-east-1:123456789012:function:'$f"'"' returned a result with a size exceeding the maximum number of bytes service limit."}' ]
	done
}

@test "more than 6 MiB of output: States.DataLimitExceeded, named as AWS names the resource" {
	echo '{"Big": {"sh": "cat >/dev/null; head -c 7340032 /dev/zero | tr \"\\\\000\" a"}}' > map.json
	run -1 asl-task-run --map map.json arn:aws:lambda:us-east-1:123456789012:function:Big <<<'{}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"States.DataLimitExceeded","Cause":"The state/task '"'"'arn:aws:lambda:us-east-1:123456789012:function:Big'"'"' returned a result with a size exceeding the maximum number of bytes service limit."}' ]
	run -1 asl-task-run --map map.json arn:aws:states:::lambda:invoke <<<'{"FunctionName": "Big"}'
	[ "$(jq -c .error <<<"$output")" = '{"Error":"States.DataLimitExceeded","Cause":"The state/task '"'"'lambda'"'"' returned a result with a size exceeding the maximum number of bytes service limit."}' ]
}
