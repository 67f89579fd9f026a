bats_require_minimum_version 1.5.0

# Shared setup for the bats tests: the programs under test come first on
# PATH (t/run-tests puts $BUILD/bin there), fixtures are under t/data, and
# every test gets its own scratch directory.

: "${ASL_TOP:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)}"
: "${BUILD:=build}"
case ":$PATH:" in
*":$ASL_TOP/$BUILD/bin:"*) ;;
*) PATH="$ASL_TOP/$BUILD/bin:$ASL_TOP/$BUILD/t:$PATH" ;;
esac
DATA="$ASL_TOP/t/data"
SHARED="$ASL_TOP/../shared"
export ASL_TOP DATA SHARED

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export ASL_STORE="$BATS_TEST_TMPDIR/store"
}

# assert_json EXPECTED ACTUAL: equal as JSON values (key order kept)
assert_json() {
	local want got
	want=$(printf '%s' "$1" | jq -c .) || { echo "bad expected JSON: $1"; return 1; }
	got=$(printf '%s' "$2" | jq -c .) || { echo "output is not JSON: $2"; return 1; }
	if [ "$want" != "$got" ]; then
		printf 'expected: %s\nactual:   %s\n' "$want" "$got"
		return 1
	fi
}

# run_tests PROGRAM TABLE [SECTION]: PROGRAM --run-tests runs the cases
# of t/data/TABLE (see lib/asl_cli_table.h), or of one section of it, in
# one process; every case passes, and there is at least one.
run_tests() {
	local prog=$1 file=$DATA/$2 head n
	head="$file${3:+ [$3]}: "
	run "$prog" --run-tests "$file" ${3:+"$3"}
	printf '%s\n' "$output"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	n=${lines[0]#"$head"}
	[ "$n" != "${lines[0]}" ]
	n=${n%" cases, 0 failed"}
	[[ $n =~ ^[1-9][0-9]*$ ]]
}

# holds FILTER JSON: FILTER is true of JSON, which must not be empty
# (jq 1.6 -e is content with no input at all)
holds() {
	[ -n "$2" ] || { echo "no output to test: $1"; return 1; }
	jq -e "$1" <<<"$2" > /dev/null || { printf 'not true: %s\nof: %s\n' "$1" "$2"; return 1; }
}

# fails_with ERROR [CAUSE]: the last run (--separate-stderr) failed the
# execution with ERROR and a cause that starts with CAUSE
fails_with() {
	local want="asl: execution FAILED: $1${2:+: $2}"
	[[ $stderr == "$want"* ]] || { printf 'stderr: %s\nwanted: %s...\n' "$stderr" "$want"; return 1; }
}
