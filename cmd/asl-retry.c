/*
 * asl-retry - what a state does with an error, as a filter: retry it
 * (which retrier, which attempt, after how long), catch it (which catcher,
 * the next state, the output) or fail.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_cli_table.h"
#include "asl_retry.h"
#include "asl_rng.h"

/* --version has no short option */
#define O_VERSION 0x400

static const char usage_text[] =
"usage: asl-retry [--seed N] [--pretty] [FILE]\n"
"       asl-retry --run-tests FILE [SECTION]\n";

static const char help_text[] =
"Decide what a Task, Parallel or Map state does with an error, from its\n"
"Retry and Catch.  The request, read from FILE or standard input, is\n"
"\n"
"  {\"retry\": [...], \"catch\": [...], \"error\": {\"Error\", \"Cause\"},\n"
"   \"counts\": [attempts per retrier], \"input\": <the state's input>}\n"
"\n"
"or has \"state\": {\"Retry\": [...], \"Catch\": [...]} instead of retry and\n"
"catch.  The answer is one of\n"
"\n"
"  {\"action\": \"retry\", \"retrier\", \"attempt\", \"delaySeconds\", \"counts\"}\n"
"  {\"action\": \"catch\", \"catcher\", \"next\", \"output\"}\n"
"  {\"action\": \"fail\", \"error\", \"cause\"}\n"
"\n"
"      --seed N    draw FULL jitter from seed N (repeatable), not the OS\n"
"      --pretty    indent the output\n"
"      --run-tests FILE [SECTION]\n"
"                  run a table of test cases in-process (see the manual)\n"
"  -h, --help      show this help\n"
"      --version   print the version\n"
"\n"
"Exit status: 0 a decision was printed (whatever the action), 1 a\n"
"malformed request (no error, a bad Retry or Catch), 2 usage, 3 a request\n"
"that is not JSON, 4 I/O error.\n";

/* One invocation: read the request, decide, print. */
static int
retry(struct asl_cli *cli, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ "pretty", no_argument, NULL, 'P' },
		{ "seed", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct asl_rng rng;
	unsigned long long seed = 0;
	char *end;
	int ch, pretty = 0, seeded = 0, status;
	jv req, result;

	while ((ch = asl_cli_getopt(cli, argc, argv, "h", longopts)) != -1) {
		switch (ch) {
		case 'h':
			fprintf(cli->out, "%s\n%s", usage_text, help_text);
			return ASL_EX_OK;
		case O_VERSION:
			return asl_cli_version(cli);
		case 'P':
			pretty = 1;
			break;
		case 'S':
			errno = 0;
			seed = strtoull(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' ||
			    errno == ERANGE)
				return asl_cli_fail_usage(cli, usage_text,
				    "--seed: '%s' is not a number from 0 to "
				    "18446744073709551615", optarg);
			seeded = 1;
			break;
		default:
			return asl_cli_fail_usage(cli, usage_text, NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		return asl_cli_fail_usage(cli, usage_text, "give at most one "
		    "FILE");

	if (seeded)
		asl_rng_seed(&rng, seed);
	else if (asl_rng_seed_os(&rng) == -1)
		return asl_cli_fail(cli, ASL_EX_OS, "cannot read the OS random "
		    "source: %s", strerror(errno));
	if ((status = asl_cli_read_file(cli, argc > 0 ? argv[0] : "-", 0,
	    &req)) != 0)
		return status;
	result = asl_retry_request(req, &rng);
	if (!jv_is_valid(result))
		return asl_cli_fail_error(cli, ASL_EX_FAIL, result);
	asl_cli_print(cli, result, pretty);
	return ASL_EX_OK;
}

int
main(int argc, char *argv[])
{
	static const struct asl_cli_table table = {
		retry, usage_text, ASL_TABLE_FILTER
	};

	return asl_cli_table_main(&table, argc, argv);
}
