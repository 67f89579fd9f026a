#!/usr/bin/env bats
# README "Beyond one machine": the resource maps of examples/beyond run a
# task through ssh, srun or kubectl run.  Stand-ins for the launchers
# check each command line the way the launcher reads it and run the
# task here; the real ssh runs where ssh to localhost needs no password.

load lib/common

# A stand-in on PATH for a launcher; it logs its arguments and runs the
# task command it was given, found in the example's bin/.
shim() {
	mkdir -p shims
	cat >"shims/$1"
	chmod +x "shims/$1"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store"
	cp -R "$ASL_TOP/examples/beyond" .
	cd beyond || return 1
	export LOG="$BATS_TEST_TMPDIR/launches"
	shim ssh <<'SH'
#!/bin/sh
# ssh [-T] [-o OPTION]... HOST COMMAND: the command runs on HOST
while [ $# -gt 0 ]; do
	case $1 in -o) shift 2 ;; -*) shift ;; *) break ;; esac
done
echo "ssh $1" >>"$LOG"
shift
exec bin/"$(basename "$1")"
SH
	shim srun <<'SH'
#!/bin/sh
# srun [OPTION]... COMMAND: one task, its stdin srun's
while [ $# -gt 0 ]; do
	case $1 in --ntasks=1) n=1; shift ;; -*) shift ;; *) break ;; esac
done
[ "${n:-}" = 1 ] || exit 9
echo "srun" >>"$LOG"
exec bin/"$(basename "$1")"
SH
	shim kubectl <<'SH'
#!/bin/sh
# kubectl run NAME -i --rm ... -- COMMAND: a pod that reads our stdin
[ "$1" = run ] || exit 9
name=$2
case " $* " in *" -i "*) ;; *) exit 9 ;; esac
while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
shift
echo "kubectl $name" >>"$LOG"
exec bin/"$(basename "$1")"
SH
}

squares() {
	PATH="$PWD/shims:$PATH" run -0 --separate-stderr asl run squares.asl.json \
	    --resources "$1" --input '{"numbers": [1, 2, 3]}'
	[ "$stderr" = "" ]
	[ "$(jq -c '[.[] | .square]' <<<"$output")" = "[1,4,9]" ]
}

@test "ssh HOST: the task's input and result go through ssh" {
	squares ssh.json
	[ "$(cat "$LOG")" = "ssh worker1
ssh worker1
ssh worker1" ]
}

@test "srun: one Slurm task per state" {
	squares srun.json
	[ "$(grep -c '^srun$' "$LOG")" -eq 3 ]
}

@test "kubectl run: a pod per task, each of its own name" {
	squares kubectl.json
	run -0 awk '/^kubectl asl-[0-9a-f]+$/ { n[$2]++ } END { print length(n) }' "$LOG"
	[ "$output" = 3 ]
}

@test "the real ssh, to localhost" {
	if ! timeout 5 ssh -o BatchMode=yes -o ConnectTimeout=3 localhost true \
	    2>/dev/null; then
		skip "ssh to localhost needs a password or has no server here"
	fi
	jq --arg work "$PWD/bin/work" \
	    '.[] |= (.[4] = "localhost" | .[5] = $work)' ssh.json >local.json
	run -0 asl run squares.asl.json --resources local.json \
	    --input '{"numbers": [1, 2, 3]}'
	[ "$(jq -c '[.[] | .square]' <<<"$output")" = "[1,4,9]" ]
}
