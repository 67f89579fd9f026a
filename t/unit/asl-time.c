/*
 * asl-time - test driver for lib/asl_time: for each line of standard
 * input, a timestamp, print "SECONDS NANOSECONDS FORMATTED" (the instant
 * and asl_time_format of it) or "invalid".
 */
#include <stdio.h>
#include <string.h>

#include "asl_time.h"

int
main(void)
{
	char line[256], buf[ASL_TIME_BUFSIZE];
	struct asl_time t;

	while (fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (asl_time_parse(line, &t) == -1)
			puts("invalid");
		else
			printf("%lld %09d %s\n", (long long)t.sec, (int)t.nsec,
			    asl_time_format(t, buf, sizeof buf));
	}
	return ferror(stdout) ? 1 : 0;
}
