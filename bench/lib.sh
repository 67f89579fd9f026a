# bench/lib.sh - what bench/run and bench/scaling share; sourced, with
# $top set to the top of the tree.

# The shared material, the programs, a scratch directory ($tmp).
bench_setup() {
	shared=${ASL_SHARED:-$top/../shared}
	if [ ! -d "$shared/bench" ]; then
		echo "bench: no workloads in $shared/bench (set ASL_SHARED)" >&2
		exit 4
	fi
	build=$top/${BUILD:-build}
	PATH=$build/bin:$build/bench:$PATH
	export PATH
	for p in asl timeit spawn-loop transitions tasks map; do
		if ! command -v $p >/dev/null 2>&1; then
			echo "bench: $p not built: run make bench" >&2
			exit 4
		fi
	done
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/asl-bench.XXXXXX") || exit 4
	unset ASL_CLOCK ASL_STORE
}

progress() {
	echo "bench: $*" >&2
}

# The machine, in one line.
machine_line() {
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null |
	    head -n 1)
	echo "Machine: $(nproc 2>/dev/null || echo '?') CPUs (${cpu:-unknown model}),"\
	    "$(uname -sr); asl $(git -C "$top" describe --always --dirty 2>/dev/null ||
	    echo '(no git)')"
}
