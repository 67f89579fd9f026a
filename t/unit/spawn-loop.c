/*
 * spawn-loop - the least a task can cost: N times, posix_spawn PROGRAM
 * with a pipe on its stdin and one on its stdout, write INPUT, close,
 * read everything back, waitpid.  Blocking I/O, no process group, no
 * parsing: the baseline against which asl-task-run --repeat N measures
 * the overhead of lib/asl_task (see t/6101-task-run.bats).
 *
 *   spawn-loop N INPUT PROGRAM [ARG...]
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int
main(int argc, char *argv[])
{
	posix_spawn_file_actions_t fa;
	char buf[65536];
	int in[2], out[2], i, n, status;
	size_t total = 0;
	ssize_t r;
	pid_t pid;

	if (argc < 4) {
		fprintf(stderr, "usage: spawn-loop N INPUT PROGRAM [ARG...]\n");
		return 2;
	}
	n = atoi(argv[1]);
	for (i = 0; i < n; i++) {
		if (pipe(in) == -1 || pipe(out) == -1)
			return 4;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, in[0], 0);
		posix_spawn_file_actions_adddup2(&fa, out[1], 1);
		posix_spawn_file_actions_addclose(&fa, in[1]);
		posix_spawn_file_actions_addclose(&fa, out[0]);
		if (posix_spawn(&pid, argv[3], &fa, NULL, argv + 3,
		    environ) != 0)
			return 4;
		posix_spawn_file_actions_destroy(&fa);
		close(in[0]);
		close(out[1]);
		if (write(in[1], argv[2], strlen(argv[2])) == -1)
			return 4;
		close(in[1]);
		while ((r = read(out[0], buf, sizeof buf)) > 0)
			total += (size_t)r;
		close(out[0]);
		waitpid(pid, &status, 0);
	}
	printf("%zu\n", total);
	return 0;
}
