#!/usr/bin/env bats
# Hostile input (doc/guarantees.md): each a clear error saying what and
# where, bounded in memory and time, and nothing lost in the store.  The
# figures of each case are in doc/guarantees.md; here the outcomes.

load lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store" ASL_PATH="$BATS_TEST_TMPDIR/bin"
	unset ASL_CLOCK
	mkdir -p bin
	echo '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' > pass.json
	cp "$SHARED/bench/choice-loop-10000.asl.json" loop.json
	python3 -c 'print("[" * 100000 + "]" * 100000)' > deep.json
}

# the read-only test's tmpfs goes even when the test fails
teardown() {
	if mountpoint -q "$BATS_TEST_TMPDIR/ro" 2>/dev/null; then
		umount "$BATS_TEST_TMPDIR/ro"
	fi
	return 0
}

# task NAME BODY [FIELDS]: bin/NAME runs the shell BODY (its input read
# first); NAME.json is a state machine of that one task (FIELDS added)
task() {
	printf '#!/bin/sh\ncat > /dev/null\n%s\n' "$2" > "bin/$1"
	chmod +x "bin/$1"
	echo "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:lambda:us-east-1:123456789012:function:$1\"${3:+,$3},\"End\":true}}}" > "$1.json"
}

# jsonata EXPR: jn.json, a Pass whose Output is the JSONata EXPR
jsonata() {
	jq -n --arg e "$1" '{QueryLanguage: "JSONata", StartAt: "P", States:
	    {P: {Type: "Pass", Output: ("{% " + $e + " %}"), End: true}}}' > jn.json
}

no_executions() {
	run -0 asl list --json
	[ "$output" = '{
  "executions": []
}' ]
}

# gone PID: the process is gone or a zombie, within 5 s
gone() {
	local i
	for i in $(seq 50); do
		[ -e "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" ||
		    return 0
		sleep 0.1
	done
	return 1
}

# the history of NAME: ids 1..n in order
ids_in_order() {
	jq -s -e 'map(.id) == [range(1; length + 1)]' \
	    "$ASL_STORE/executions/$1/history.jsonl" > /dev/null
}

@test "JSON nested 100,000 deep: input and definition refused with their place, task output fails the task" {
	run -3 --separate-stderr asl run --input @deep.json pass.json
	[ "$stderr" = "asl: deep.json:1:1001: nested more than 1000 deep" ]
	python3 -c 'print("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Result\":" + "[" * 100000 + "]" * 100000 + ",\"End\":true}}}")' > deepdef.json
	run -3 --separate-stderr asl run deepdef.json
	[ "$stderr" = "deepdef.json:1:1051: error: nested more than 1000 deep" ]
	no_executions
	task deepout "cat '$BATS_TEST_TMPDIR/deep.json'"
	run -1 --separate-stderr asl run --name d deepout.json
	fails_with States.TaskFailed "deepout printed output that is not JSON (line 1, column 1001: nested more than 1000 deep): [[["
	run -0 jq -r .status <(asl-history fold "$ASL_STORE/executions/d/history.jsonl")
	[ "$output" = FAILED ]
}

@test "invalid UTF-8 is refused where it is, in input, definition and task output; a raw NUL too, an escaped one is kept" {
	printf '{"a":"\377x"}' > bad.json
	run -3 --separate-stderr asl run --input @bad.json pass.json
	[ "$stderr" = "asl: bad.json:1:7: invalid UTF-8 in a string (byte 0xff)" ]
	printf '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"\300\200","End":true}}}' > baddef.json
	run -3 --separate-stderr asl run baddef.json
	[ "$stderr" = "baddef.json:1:55: error: invalid UTF-8 in a string (byte 0xc0)" ]
	printf '{"a":"x\0y"}' > nul.json
	run -3 --separate-stderr asl run --input @nul.json pass.json
	[ "$stderr" = "asl: nul.json:1:8: control character 0x00 in a string (write it as an escape)" ]
	no_executions
	task badutf "printf '{\"a\":\"\\355\\240\\200\"}'"
	run -1 --separate-stderr asl run --name u badutf.json
	fails_with States.TaskFailed "badutf printed output that is not JSON (line 1, column 7: invalid UTF-8 in a string (byte 0xed))"
	# what is valid passes as it is: an escaped NUL, any character
	run -0 asl run --input '{"a":"x\u0000y","b":"é€😀"}' pass.json
	[ "$output" = '{"a":"x\u0000y","b":"é€😀"}' ]
}

@test "names with /, .., control characters or 1,000 characters: InvalidName, nothing made" {
	long=$(printf 'x%.0s' $(seq 1000))
	for n in a/b .. . "$(printf 'a\tb')" "$(printf 'a\001b')" "$long"; do
		run -1 --separate-stderr asl run --name "$n" pass.json
		[ "$stderr" = "asl: InvalidName: Invalid Name: '$n'" ]
		run -1 --separate-stderr asl create-state-machine --name "$n" pass.json
		[ "$stderr" = "asl: InvalidName: Invalid Name: '$n'" ]
	done
	no_executions
	[ ! -e store/state-machines ] || [ -z "$(ls store/state-machines)" ]
	run -1 --separate-stderr asl describe ../../etc
	[ "$stderr" = "asl: ExecutionDoesNotExist: Execution Does Not Exist: '../../etc'" ]
}

@test "a history write that fails (past ulimit -f, as on a full disk) stops the driver; it resumes once there is room" {
	# 100 blocks of 1 KiB: the loop's history needs 8 MB
	run -1 --separate-stderr bash -c 'ulimit -f 100 && exec asl run --name full --history-limit 0 --input "{\"limit\": 20000}" loop.json'
	[ "$output" = "" ]
	[ "$stderr" = "asl: States.Runtime: cannot write the history: File too large" ]
	h=$ASL_STORE/executions/full/history.jsonl
	# whole lines only, every event there once, still RUNNING
	[ "$(tail -c 1 "$h" | od -An -c | tr -d ' ')" = '\n' ]
	ids_in_order full
	run -0 jq -r .status <(asl-history fold "$h")
	[ "$output" = RUNNING ]
	run -0 jq -r .status <(asl describe full)
	[ "$output" = RUNNING ]
	run -0 asl resume full
	[ "$output" = '{"i":20000,"limit":20000}' ]
	ids_in_order full
	run -0 wc -l < "$h"
	[ "$output" = 80008 ]
}

@test "a full disk in the middle of a Map of tasks: no task lost or run twice once resumed" {
	cat > bin/item <<'S'
#!/bin/sh
read -r n
echo "$n $ASL_RETRY_COUNT" >> "$BATS_TEST_TMPDIR/ledger"
echo "$((n * 10))"
S
	chmod +x bin/item
	cat > map.json <<'J'
{"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":4,"End":true,
 "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Task",
 "Resource":"arn:aws:lambda:us-east-1:123456789012:function:item",
 "Retry":[{"ErrorEquals":["Asl.TaskInterrupted"],"IntervalSeconds":1}],
 "End":true}}}}}}
J
	items=$(jq -cn '[range(200)]')
	run -0 asl start --name m --input "$items" map.json
	# 20 KiB: the history stops somewhere in the Map
	run -1 --separate-stderr bash -c 'ulimit -f 20 && exec asl resume m'
	[ "$stderr" = "asl: States.Runtime: cannot write the history: File too large" ]
	ids_in_order m
	run -0 jq -r .status <(asl describe m)
	[ "$output" = RUNNING ]
	run -0 asl resume m
	[ "$output" = "$(jq -c 'map(. * 10)' <<<"$items")" ]
	ids_in_order m
	# each item ran once, or once more after its attempt was interrupted
	run -0 sh -c "sort -u ledger | wc -l"
	[ "$output" = "$(wc -l < ledger)" ]
	[ "$(cut -d' ' -f1 ledger | sort -un | wc -l)" = 200 ]
}

@test "a read-only store: every write refused with its reason, nothing changed; it resumes once writable" {
	if [ "$(id -u)" != 0 ] || ! mkdir ro || ! mount -t tmpfs -o size=4m tmpfs ro 2>/dev/null; then
		skip "needs root to mount a tmpfs"
	fi
	export ASL_STORE=$BATS_TEST_TMPDIR/ro/store
	run -0 asl start --name r --input '{"limit": 10}' loop.json
	mount -o remount,ro ro
	before=$(cat ro/store/executions/r/history.jsonl)
	run -1 --separate-stderr asl resume r
	[ "$stderr" = "asl: States.Runtime: cannot lock 'r': Read-only file system" ]
	run -1 --separate-stderr asl tick
	[ "$stderr" = "asl: r: States.Runtime: cannot lock 'r': Read-only file system" ]
	run -1 --separate-stderr asl stop r
	[ "$stderr" = "asl: States.Runtime: cannot write '$ASL_STORE/executions/r/stop.json': Read-only file system" ]
	run -1 --separate-stderr asl run --name s loop.json
	[[ $stderr == "asl: States.Runtime: cannot create '$ASL_STORE/executions/.new-s-"*"': Read-only file system" ]]
	[ "$(cat ro/store/executions/r/history.jsonl)" = "$before" ]
	run -0 jq -r .status <(asl describe r)
	[ "$output" = RUNNING ]
	mount -o remount,rw ro
	run -0 asl resume r
	[ "$output" = '{"i":10,"limit":10}' ]
	umount ro
}

@test "an edited history: a line taken out, doubled, renumbered or garbled is refused with its line; cut short, it goes on" {
	echo '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Pass","End":true}}}' > abc.json
	for n in gap dup renum bad cut; do
		run -0 asl start --name $n abc.json
		asl resume --detach $n > /dev/null
		# back to RUNNING: without its last event
		h=$ASL_STORE/executions/$n/history.jsonl
		head -n -1 "$h" > x && cat x > "$h"
	done
	h() { echo "$ASL_STORE/executions/$1/history.jsonl"; }
	sed -i 3d "$(h gap)"
	sed -i 3p "$(h dup)"
	sed -i '3s/"id":3/"id":"3"/' "$(h renum)"
	sed -i '3s/.*/{"id": 3, oops/' "$(h bad)"
	head -n 3 "$(h cut)" > x && cat x > "$(h cut)"
	for n in gap dup renum bad; do cp "$(h $n)" $n.before; done
	run -1 --separate-stderr asl resume gap
	[ "$stderr" = "asl: States.Runtime: $(h gap):3: event id 4 where 3 was expected: the history was edited or damaged" ]
	run -1 --separate-stderr asl resume dup
	[ "$stderr" = "asl: States.Runtime: $(h dup):4: event id 3 where 4 was expected: the history was edited or damaged" ]
	run -1 --separate-stderr asl resume renum
	[ "$stderr" = "asl: States.Runtime: $(h renum):3: event id \"3\" where 3 was expected: the history was edited or damaged" ]
	run -1 --separate-stderr asl resume bad
	[ "$stderr" = "asl: $(h bad):3: not a JSON event" ]
	# nothing was written to them
	for n in gap dup renum bad; do cmp "$(h $n)" $n.before; done
	# a tick reports each, and finishes what it can
	run -1 --separate-stderr asl tick
	[ "$output" = "cut	SUCCEEDED" ]
	[ "${#stderr_lines[@]}" = 4 ]
	run -0 asl describe cut
	holds '.status == "SUCCEEDED" and .output == "{}"' "$output"
	ids_in_order cut
	# any of them can still be stopped
	run -0 asl stop gap
	run -0 jq -r .status <(asl describe gap)
	[ "$output" = ABORTED ]
}

@test "a task that prints 200 MB: States.DataLimitExceeded, read and dropped" {
	task big "head -c 200000000 /dev/zero | tr '\\0' a"
	run -1 --separate-stderr asl run --name b big.json
	fails_with States.DataLimitExceeded "The state/task 'arn:aws:lambda:us-east-1:123456789012:function:big' returned a result with a size exceeding the maximum number of bytes service limit."
}

@test "a task that never exits: its TimeoutSeconds kills it; without one, asl stop does" {
	task forever 'echo $$ > "$ASL_TMP/pid"; exec sleep 1000' '"TimeoutSeconds":1'
	export ASL_TMP=$BATS_TEST_TMPDIR
	run -1 --separate-stderr asl run --name f forever.json
	[ "$stderr" = "asl: execution FAILED: States.Timeout" ]
	gone "$(cat pid)"
	task forever2 'echo $$ > "$ASL_TMP/pid2"; exec sleep 1000'
	asl run --name f2 forever2.json > out 2> err &
	driver=$!
	for i in $(seq 50); do [ -s pid2 ] && break; sleep 0.1; done
	run -0 asl stop f2
	rc=0
	wait "$driver" || rc=$?
	[ "$rc" = 6 ]
	gone "$(cat pid2)"
}

@test "a task that forks a child and exits ends when it exits; the child is killed" {
	task forks '(sleep 30; echo late) & echo $! > "$ASL_TMP/child"; echo "{\"ok\": 1}"'
	export ASL_TMP=$BATS_TEST_TMPDIR
	run -0 timeout 10 asl run --name k forks.json
	[ "$output" = '{"ok":1}' ]
	gone "$(cat child)"
}

@test "catastrophic regular expressions: refused (JSONPath) or stopped (JSONata), with the pattern" {
	python3 -c 'import json; print(json.dumps({"x": [{"s": "a" * 30000 + "!"}]}))' > long.json
	run -2 --separate-stderr asl-jsonpath '$.x[?(@.s =~ /(.*)(.*)(.*)\3x/)]' < long.json
	[ "$stderr" = "asl-jsonpath: invalid expression '\$.x[?(@.s =~ /(.*)(.*)(.*)\\3x/)]': regular expression too costly: a back reference at offset 30" ]
	run -2 --separate-stderr asl-jsonpath '$.x[?(@.s =~ /a++b/)]' < long.json
	[[ $stderr == *"regular expression too costly: a quantifier on a quantifier, or a count over 1000 at offset "* ]]
	# what glibc matches without backtracking stays: at once, no match
	run -0 asl-jsonpath '$.x[?(@.s =~ /(a|aa)*b/)]' < long.json
	[ "$output" = '[]' ]
	for f in '$match($states.input.x[0].s, /(a|aa)*b/)' \
	    '$replace($states.input.x[0].s, /(a|aa)*b/, "")' \
	    '$contains($states.input.x[0].s, /(a|aa)*b/)'; do
		jsonata "$f"
		run -1 --separate-stderr asl run --input @long.json jn.json
		[[ $stderr == *"threw an error during evaluation. U1002: Regular expression \"(a|aa)*b\" needs more backtracking than allowed" ]]
	done
}

@test "deep recursion in JSONata: U1001 for a stack, U1003 for a loop of tail calls" {
	jsonata '($f := function(){ $f() }; $f())'
	run -1 --separate-stderr asl run jn.json
	[[ $stderr == *"threw an error during evaluation. U1003: The evaluation made more than 1000000 function calls: check for non-terminating recursion" ]]
	jsonata '($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))'
	run -1 --separate-stderr asl run jn.json
	[[ $stderr == *"threw an error during evaluation. U1001: Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive." ]]
	# a loop of tail calls that ends is fine
	jsonata '($f := function($n){ $n = 0 ? "done" : $f($n - 1) }; $f(100000))'
	run -0 asl run jn.json
	[ "$output" = '"done"' ]
}

@test "10^9 elements asked for: States.ArrayRange and JSONata's range refuse, at once" {
	echo '{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"r.$":"States.ArrayRange(1, 1000000000, 1)"},"End":true}}}' > ar.json
	run -1 --separate-stderr asl run ar.json
	fails_with States.IntrinsicFailure "States.ArrayRange: the range would have 1000000000 elements, more than the limit of 1000"
	jsonata '[1..1000000000]'
	run -1 --separate-stderr asl run jn.json
	[[ $stderr == *"D2014: The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate 1000000000." ]]
}

@test "a driver that finds its execution over prints its output as a document" {
	run -0 asl run --name once --input '{"a": [1]}' pass.json
	[ "$output" = '{"a":[1]}' ]
	run -0 asl resume once
	[ "$output" = '{"a":[1]}' ]
}
