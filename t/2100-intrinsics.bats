#!/usr/bin/env bats
# The intrinsic functions through asl-jsonpath: the table of cases, and the
# cases a one-line table cannot hold (long or multi-line arguments,
# comparisons with other tools).

load lib/common

@test "intrinsics: the table of cases" {
	run_tests asl-jsonpath intrinsics.test
}

@test "a real newline in a literal is a character (AWS: test_escape_sequence)" {
	run -0 asl-jsonpath "States.StringSplit('Hello
World', '
')" <<<'{}'
	[ "$output" = '["Hello","World"]' ]
}

@test "tabs and newlines around arguments are blanks" {
	run -0 asl-jsonpath "$(printf 'States.Array(\t1,\n\t2\n)')" <<<'{}'
	[ "$output" = '[1,2]' ]
}

@test "States.Hash agrees with md5sum and sha*sum around every block boundary" {
	local alg tool n want file s sizes="0 1 55 56 57 63 64 65 111 112 113 127 128 129 1000"
	for n in $sizes; do
		printf '%*s' "$n" '' | tr ' ' 'q' > "q$n"
	done
	# a table of cases, each tool run once on every size
	for alg in MD5:md5sum SHA-1:sha1sum SHA-256:sha256sum SHA-384:sha384sum \
	    SHA-512:sha512sum; do
		tool=${alg#*:}
		"$tool" $(printf 'q%s ' $sizes) |
		while read -r want file; do
			mapfile -t s < "$file"
			printf "States.Hash(\$.s, '%s')\n{\"s\":\"%s\"}\n\"%s\"\n\n" \
			    "${alg%%:*}" "${s[0]-}" "$want"
		done
	done > hash.test
	run asl-jsonpath --run-tests hash.test
	printf '%s\n' "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "hash.test: 75 cases, 0 failed" ]
}

@test "States.Base64Encode agrees with base64(1), and Base64Decode undoes it" {
	local s want
	# 7,500 characters make 10,000 of base64, Base64Decode's limit
	s=$(seq 1 2000 | tr '\n' ' ' | cut -c1-7500)
	want=$(printf '%s' "$s" | base64 -w0)
	run -0 asl-jsonpath 'States.Base64Encode($.s)' <<<"{\"s\":\"$s\"}"
	[ "$output" = "\"$want\"" ]
	run -0 asl-jsonpath 'States.Base64Decode($.b)' <<<"{\"b\":\"$want\"}"
	[ "$output" = "\"$s\"" ]
}

@test "the 10,000 character limit counts Java chars: U+1F600 counts 2, é counts 1" {
	local e5000 e5001 a10000
	e5000=$(printf '😀%.0s' $(seq 5000))
	e5001="$e5000😀"
	a10000=$(printf 'é%.0s' $(seq 10000))
	run -0 asl-jsonpath "States.Hash(\$.s, 'MD5')" <<<"{\"s\":\"$e5000\"}"
	[ "$output" = "\"$(printf '%s' "$e5000" | md5sum | cut -d' ' -f1)\"" ]
	run -1 --separate-stderr asl-jsonpath "States.Hash(\$.s, 'MD5')" \
	    <<<"{\"s\":\"$e5001\"}"
	[ "$stderr" = "asl-jsonpath: States.IntrinsicFailure: States.Hash: the data has 10002 characters, more than the limit of 10000" ]
	run -0 asl-jsonpath 'States.Base64Encode($.s)' <<<"{\"s\":\"$a10000\"}"
	[ "$output" = "\"$(printf '%s' "$a10000" | base64 -w0)\"" ]
	run -1 --separate-stderr asl-jsonpath 'States.Base64Encode($.s)' \
	    <<<"{\"s\":\"${a10000}x\"}"
	[ "$stderr" = "asl-jsonpath: States.IntrinsicFailure: States.Base64Encode: the string has 10001 characters, more than the limit of 10000" ]
}

@test "ArrayPartition and ArrayContains refuse an array over the 256 KiB payload limit" {
	python3 -c 'import json; print(json.dumps({"a": ["x" * 1000] * 300}))' > big.json
	run -1 --separate-stderr asl-jsonpath 'States.ArrayPartition($.a, 2)' < big.json
	[ "$stderr" = "asl-jsonpath: States.IntrinsicFailure: States.ArrayPartition: the array is larger than the payload limit of 262144 bytes" ]
	run -1 --separate-stderr asl-jsonpath "States.ArrayContains(\$.a, 'x')" < big.json
	[ "$stderr" = "asl-jsonpath: States.IntrinsicFailure: States.ArrayContains: the array is larger than the payload limit of 262144 bytes" ]
	python3 -c 'import json; print(json.dumps({"a": ["x" * 1000] * 250}))' > fits.json
	run -0 asl-jsonpath 'States.ArrayLength(States.ArrayPartition($.a, 100))' < fits.json
	[ "$output" = 3 ]
}

@test "ArrayUnique of a long array keeps first occurrences in order" {
	python3 -c 'import json; print(json.dumps({"a": [i % 97 for i in range(20000)]}))' > long.json
	run -0 asl-jsonpath 'States.ArrayUnique($.a)' < long.json
	[ "$output" = "$(python3 -c 'import json; print(json.dumps(list(range(97)), separators=(",", ":")))')" ]
}

@test "MathRandom stays within [start, end) and reaches every value" {
	local call="States.MathRandom(-1, 2)" calls i
	calls=$call
	for i in $(seq 99); do
		calls="$calls, $call"
	done
	run -0 asl-jsonpath "States.ArrayUnique(States.Array($calls))" <<<'{}'
	[ "$(jq -c sort <<<"$output")" = '[-1,0,1]' ]
}

@test "MathRandom with a seed repeats across runs; without one it varies" {
	run -0 asl-jsonpath 'States.MathRandom(0, 1000000, 7)' <<<'{}'
	first=$output
	run -0 asl-jsonpath 'States.MathRandom(0, 1000000, 7)' <<<'{}'
	[ "$output" = "$first" ]
	run -0 asl-jsonpath 'States.Array(States.MathRandom(0, 1000000000), States.MathRandom(0, 1000000000), States.MathRandom(0, 1000000000))' <<<'{}'
	[ "$(jq 'unique | length' <<<"$output")" -gt 1 ]
}

@test "UUIDs differ between runs" {
	run -0 asl-jsonpath 'States.UUID()' <<<'{}'
	first=$output
	run -0 asl-jsonpath 'States.UUID()' <<<'{}'
	[ "$output" != "$first" ]
}

@test "in a payload template, an intrinsic failure keeps its own error" {
	run -0 asl-jsonpath -t '{"n.$":"States.MathAdd($.a, 1)","s.$":"States.Format($.f, $.a)"}' \
	    <<<'{"a":41,"f":"n={}"}'
	[ "$output" = '{"n":42,"s":"n=41"}' ]
	run -1 --separate-stderr asl-jsonpath -t '{"x.$":"States.ArrayGetItem($.a, 3)"}' \
	    <<<'{"a":[1]}'
	[ "$stderr" = "asl-jsonpath: States.IntrinsicFailure: States.ArrayGetItem: the index 3 is out of range for an array of 1 element" ]
}

@test "in a payload template, a malformed call is a compile error naming the field" {
	run -2 --separate-stderr asl-jsonpath -t '{"x.$":"States.Format('"'"'\\x'"'"')"}' </dev/null
	[ "$stderr" = "asl-jsonpath: invalid template at '/x.\$': The value for the field 'x.\$' must be a valid JSONPath or a valid intrinsic function call: invalid escape '\\x' at offset 15 (the escapes are \\', \\{, \\} and \\\\)" ]
}
