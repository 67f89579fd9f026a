#!/usr/bin/env bats
# lib/asl_json's writer (asl_json_write), through t/unit/json-write: the
# compact JSON text it writes is jq's jv_dump_string text, byte for byte,
# for what histories hold: escapes, numbers, key order.

load lib/common

@test "strings: jq's escapes, and UTF-8 written as it is" {
	run -0 json-write <<<'"\u0000\u001f\u007f\b\t\n\r\f\"\\/é€😀"'
	[ "${lines[0]}" = '"\u0000\u001f\u007f\b\t\n\r\f\"\\/é€😀"' ]
	[ "${lines[1]}" = same ]
}

@test "numbers: integers plainly up to 1e15, the rest as jq writes them" {
	run -0 json-write <<<'[0, -7, 3.0, 1e15, 999999999999999, 1e16, 123456789012345678, 2.5, 0.1, 1e-5, 0.0001, -0, 1e300, -1e300]'
	[ "${lines[0]}" = '[0,-7,3,1000000000000000,999999999999999,1e+16,123456789012345680,2.5,0.1,1e-05,0.0001,-0,1e+300,-1e+300]' ]
	[ "${lines[1]}" = same ]
}

@test "objects keep their order, after a member is deleted and set again too" {
	run -0 json-write <<<'{"b": 1, "a": {"z": [], "y": {}}, "c": [null, true, false]}'
	[ "${lines[0]}" = '{"a":{"z":[],"y":{}},"c":[null,true,false],"b":1}' ]
	[ "${lines[1]}" = same ]
	[ "${lines[2]}" = '{"b":1,"a":{"z":[],"y":{}},"c":[null,true,false]}' ]
	[ "${lines[3]}" = same ]
}

@test "a stream of documents, each checked" {
	run -0 json-write <<<'1 "x" [] {} {"k": "v"}'
	[ "$output" = "$(printf '%s\nsame\n' 1 '"x"' '[]' '{}' '{"k":"v"}')" ]
}
