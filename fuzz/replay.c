/*
 * fuzz/replay.c - the main of a fuzz target outside libFuzzer: each
 * FILE (a directory: each file in it; -: stdin) is handed to the target's
 * LLVMFuzzerTestOneInput once, as libFuzzer hands it a unit.  The
 * ordinary build links the targets with it (build/fuzz/TARGET), so that
 * make check replays the seeds and every finding with gcc, and under
 * SANITIZE=1 with ASan and UBSan, through the very code that fuzzed them.
 * usage: TARGET FILE...; exit status 0, or 4 if a file cannot be read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asl.h"
#include "fuzz.h"

static int
replay_file(const char *path)
{
	size_t len;
	char *text = asl_read_all(path, 0, &len), *unit;

	if (text == NULL) {
		fprintf(stderr, "%s: %s: %s\n", asl_getprogname(), path,
		    strerror(errno));
		return -1;
	}
	/* libFuzzer hands over exactly the unit's bytes, unterminated */
	if ((unit = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(unit, text, len);
	free(text);
	LLVMFuzzerTestOneInput((const uint8_t *)unit, len);
	free(unit);
	return 0;
}

static int
replay(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	char *p;
	int status = 0;

	if (strcmp(path, "-") == 0 || stat(path, &st) == -1 ||
	    !S_ISDIR(st.st_mode))
		return replay_file(path);
	if ((d = opendir(path)) == NULL)
		return replay_file(path);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if ((p = malloc(strlen(path) + strlen(e->d_name) + 2)) == NULL)
			abort();
		sprintf(p, "%s/%s", path, e->d_name);
		if (replay_file(p) == -1)
			status = -1;
		free(p);
	}
	closedir(d);
	return status;
}

int
main(int argc, char **argv)
{
	int i, status = 0;

	asl_setprogname(argv[0]);
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", asl_getprogname());
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (replay(argv[i]) == -1)
			status = 4;
	return status;
}
