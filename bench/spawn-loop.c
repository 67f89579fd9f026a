/*
 * spawn-loop - the least a chain of tasks can cost, as a reference for
 * task-chain-100: N times, posix_spawn PROGRAM with a pipe on its stdin
 * and one on its stdout, write the JSON document, close, read all of its
 * output back, waitpid; each output is the next one's input, the last
 * is printed.  Blocking I/O, no process group, no parsing.
 *
 *   spawn-loop N INPUT PROGRAM [ARG...]
 *
 * Exit 0, 2 for bad usage, 4 for a system error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "asl.h"
#include "harness.h"

int
main(int argc, char *argv[])
{
	char *out, *end;
	size_t len;
	long n;

	asl_setprogname(argv[0]);
	if (argc < 4 || (n = strtol(argv[1], &end, 10)) < 0 || *end != '\0') {
		fprintf(stderr, "usage: spawn-loop N INPUT PROGRAM [ARG...]\n");
		return 2;
	}
	out = bench_spawn_chain((int)n, argv[2], argv + 3, &len);
	fwrite(out, 1, len, stdout);
	free(out);
	return asl_close_stdout(0);
}
