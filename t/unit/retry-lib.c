/*
 * retry-lib - lib/asl_retry.h as the step engine calls it, for
 * t/4002-retry-lib.bats: one compile per state, then one decision per
 * error with the counters carried over, and asl_retry_matches alone.
 *
 *   retry-lib match PATTERN NAME
 *	NAME is JSON text ("\"States.Timeout\"" or null); prints 1 or 0.
 *   retry-lib run [-n | -s SEED] [-i INPUT] STATE ERROR...
 *	compiles STATE's Retry and Catch once, then decides each ERROR in
 *	turn and prints the decisions, one per line.  A retry's counts go
 *	with the next error; a catch or fail leaves the state, so the next
 *	error starts a new visit with no counts.  -n passes no generator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl.h"
#include "asl_json.h"
#include "asl_retry.h"
#include "asl_rng.h"

static jv
arg(const char *text)
{
	jv v = asl_json_parse(text, strlen(text), NULL, NULL);

	if (!jv_is_valid(v)) {
		fprintf(stderr, "retry-lib: not JSON: %s\n", text);
		exit(3);
	}
	return v;
}

static int
match(const char *pattern, const char *nametext)
{
	jv name = arg(nametext);

	printf("%d\n", asl_retry_matches(pattern,
	    jv_get_kind(name) == JV_KIND_STRING ? jv_string_value(name) :
	    NULL));
	jv_free(name);
	return 0;
}

static int
run(int argc, char *argv[])
{
	struct asl_retry *r;
	struct asl_rng rng, *rngp = &rng;
	jv state, input = jv_object(), counts = jv_null(), d, err;
	int ch, i;

	asl_rng_seed(&rng, 0);
	while ((ch = getopt(argc, argv, "i:ns:")) != -1) {
		switch (ch) {
		case 'i':
			jv_free(input);
			input = arg(optarg);
			break;
		case 'n':
			rngp = NULL;
			break;
		case 's':
			asl_rng_seed(&rng, strtoull(optarg, NULL, 10));
			break;
		default:
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return 2;
	state = arg(argv[0]);
	r = asl_retry_compile(jv_object_get(jv_copy(state),
	    jv_string("Retry")), jv_object_get(jv_copy(state),
	    jv_string("Catch")), &err);
	jv_free(state);
	if (r == NULL) {
		fprintf(stderr, "retry-lib: %s\n", jv_string_value(err));
		jv_free(err);
		jv_free(input);
		return 1;
	}
	printf("retriers: %d\n", asl_retry_retriers(r));
	for (i = 1; i < argc; i++) {
		d = asl_retry_decide(r, arg(argv[i]), counts, jv_copy(input),
		    rngp);
		if (!jv_is_valid(d)) {
			err = jv_invalid_get_msg(d);
			printf("error: %s\n", jv_string_value(err));
			jv_free(err);
			counts = jv_null();
			continue;
		}
		counts = jv_object_get(jv_copy(d), jv_string("counts"));
		if (!jv_is_valid(counts)) {
			jv_free(counts);
			counts = jv_null();
		}
		jv_dumpf(d, stdout, 0);
		putchar('\n');
	}
	jv_free(counts);
	jv_free(input);
	asl_retry_free(r);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc == 4 && strcmp(argv[1], "match") == 0)
		return match(argv[2], argv[3]);
	if (argc >= 3 && strcmp(argv[1], "run") == 0)
		return run(argc - 1, argv + 1);
	fprintf(stderr, "usage: retry-lib match PATTERN NAME\n"
	    "       retry-lib run [-n | -s SEED] [-i INPUT] STATE ERROR...\n");
	return 2;
}
