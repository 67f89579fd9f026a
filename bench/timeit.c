/*
 * timeit - time commands side by side, alternating them run by run, so
 * that a machine that gets slower or faster during the measurement
 * affects them all alike.
 *
 *   timeit [-n RUNS] [-w WARMUP] CMD [ARG...] [::: CMD [ARG...]]...
 *
 * A command whose first word is <FILE reads FILE on its stdin, else
 * /dev/null; stdout and stderr go to /dev/null.  No shell is involved:
 * each run is a posix_spawn and a wait4, timed on the monotonic clock,
 * the peak RSS taken from wait4's rusage (the command's and its
 * descendants' largest).  WARMUP rounds (default 1) are run first and
 * not counted, then RUNS rounds (default 10) of every command in turn.
 * Prints one line per command, in order:
 *
 *   MEDIAN_S MIN_S MAX_S PEAK_RSS_KB FAILED_RUNS
 *
 * Exit 0; 2 for bad usage; 4 when a command cannot be started.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

extern char **environ;

struct cmd {
	char	**argv;
	const char *input;
	double	*t;
	long	 rss;
	int	 failed;
};

static void
run(struct cmd *c, int slot)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	int status, e;
	double t0;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, c->input != NULL ? c->input :
	    "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	t0 = bench_now();
	if ((e = posix_spawnp(&pid, c->argv[0], &fa, NULL, c->argv,
	    environ)) != 0) {
		fprintf(stderr, "timeit: %s: %s\n", c->argv[0], strerror(e));
		exit(4);
	}
	while (wait4(pid, &status, 0, &ru) == -1)
		if (errno != EINTR) {
			perror("timeit: wait4");
			exit(4);
		}
	if (slot >= 0)
		c->t[slot] = bench_now() - t0;
	posix_spawn_file_actions_destroy(&fa);
	if (ru.ru_maxrss > c->rss)
		c->rss = ru.ru_maxrss;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		c->failed++;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
usage(void)
{
	fprintf(stderr, "usage: timeit [-n RUNS] [-w WARMUP] CMD [ARG...] "
	    "[::: CMD [ARG...]]...\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct cmd *cmds;
	int runs = 10, warmup = 1, ncmd = 0, i, r, ch, start;
	double med;

	while ((ch = getopt(argc, argv, "+n:w:")) != -1) {
		switch (ch) {
		case 'n':
			runs = atoi(optarg);
			break;
		case 'w':
			warmup = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || runs < 1 || warmup < 0)
		usage();
	if ((cmds = calloc((size_t)argc, sizeof *cmds)) == NULL)
		return 4;
	/* split argv at ::: in place */
	for (i = optind, start = 1; i < argc; i++) {
		if (strcmp(argv[i], ":::") == 0) {
			if (start)
				usage();
			argv[i] = NULL;
			start = 1;
			continue;
		}
		if (!start)
			continue;
		start = 0;
		if (argv[i][0] == '<') {
			cmds[ncmd].input = argv[i] + 1;
			if (++i == argc || strcmp(argv[i], ":::") == 0)
				usage();
		}
		cmds[ncmd].argv = argv + i;
		if ((cmds[ncmd].t = calloc((size_t)runs, sizeof (double))) == NULL)
			return 4;
		ncmd++;
	}
	if (start)
		usage();
	for (r = 0; r < warmup + runs; r++)
		for (i = 0; i < ncmd; i++)
			run(&cmds[i], r - warmup);
	for (i = 0; i < ncmd; i++) {
		qsort(cmds[i].t, (size_t)runs, sizeof (double), cmp);
		med = runs % 2 ? cmds[i].t[runs / 2] :
		    (cmds[i].t[runs / 2 - 1] + cmds[i].t[runs / 2]) / 2;
		printf("%.6f %.6f %.6f %ld %d\n", med, cmds[i].t[0],
		    cmds[i].t[runs - 1], cmds[i].rss, cmds[i].failed);
	}
	return 0;
}
