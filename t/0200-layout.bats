#!/usr/bin/env bats
# The layout doc/HACKING.md describes, checked on the tree and the archive
# just built (t/lib/layout): no module of lib/ depends on one that depends
# on it, no file of lib/ is over 1,600 lines, and every name libasl.a
# exports is its module's.

load lib/common

@test "lib/: no circle among modules, no file over 1,600 lines, every exported name its module's" {
	run "$ASL_TOP/t/lib/layout" "$ASL_TOP"
	[ "$output" = "" ]
	[ "$status" -eq 0 ]
}

@test "the layers can be drawn, from the base to the engine" {
	run -0 "$ASL_TOP/t/lib/layout" --graph "$ASL_TOP"
	# the base at the bottom; above it, in order: the JSONata engine, a
	# definition, the loader, the engine, the edge and the API over the
	# engine, and at the top the server of the API
	[[ "${lines[-1]}" == " 0 "*asl_utf8* ]]
	local i at=()
	for i in "${!lines[@]}"; do
		for m in jsonata/ asl_validate asl_definition exec/ asl_cli_table asl_api asl_serve; do
			[[ " ${lines[i]} " == *" $m "* ]] && at+=("$m:$i")
		done
	done
	echo "${at[*]}"
	[[ "${at[*]}" == "asl_serve:0 "*"asl_cli_table:"*"exec/:"*" asl_definition:"*" asl_validate:"*" jsonata/:"* ]]
	[[ "${at[*]}" == "asl_serve:0 "*"asl_api:"*"exec/:"* ]]
}

@test "the checker finds what it is for: a circle, a long file" {
	mkdir -p lib/sub
	printf '#include "asl_b.h"\n' > lib/asl_a.h
	printf '#include "asl_a.h"\n' > lib/asl_b.h
	yes 'int x;' | head -1700 > lib/asl_c.c
	: > lib/asl_b.c
	run -1 "$ASL_TOP/t/lib/layout" .
	[[ "$output" == *"a circle: asl_a -> asl_b -> asl_a"* ]]
	[[ "$output" == *"lib/asl_c.c: 1700 lines (over 1600)"* ]]
}
