/*
 * asl_cli_table.h - a program's table of test cases, run in-process:
 * PROG --run-tests FILE [SECTION], as jq --run-tests runs jq.test.
 *
 * FILE holds cases of three lines, separated by blank lines:
 *
 *   ARGS      the arguments, separated by TABs (a line without a TAB is
 *             one argument)
 *   INPUT     the case's standard input (one line)
 *   EXPECTED  what the case must print, one of
 *             JSON             exit 0 and this JSON on standard output,
 *                              compared as values (jq -c .)
 *             %%FAIL MESSAGE   a failure: stderr exactly "PROG: MESSAGE"
 *             %%FAIL~ PREFIX   a failure: stderr starting "PROG: PREFIX"
 *             %%MATCH REGEX    exit 0 and standard output (without its
 *                              last newlines) matching the extended
 *                              regular expression
 *             %%JQ FILTER      exit 0 and the jq FILTER, run on the
 *                              output, gives exactly one value, true
 *             %%EXIT=N E       E (JSON, %%MATCH or %%JQ) with status N
 *
 * Lines starting with '#' are comments.  "%%section NAME" starts a
 * section; with SECTION, only that section's cases run.  "%%context
 * JSON" and "%%vars JSON" set the context object and the variables of
 * the cases that follow, for a table of ASL_TABLE_CONTEXT.
 *
 * Each case is one call of the program's asl_cli_main with argv PROG
 * [-c CONTEXT -V VARS] ARGS..., its standard input the INPUT line, and
 * its standard output and error memory streams, compared as the bash
 * runners t/lib/table and t/lib/filter-table compared a process's.  A
 * failing case is printed with FILE:LINE; the last line is "FILE
 * [SECTION]: N cases, N failed".  A table (or section) without a case
 * fails: a typo must not pass.
 */
#ifndef ASL_CLI_TABLE_H
#define ASL_CLI_TABLE_H

#include "asl_cli.h"

/*
 * ASL_TABLE_CONTEXT: every case gets "-c CONTEXT -V VARS", files that
 * hold what the last %%context and %%vars said (null and {} before
 * them); INPUT has no newline; objects compare with their keys in
 * order; %%FAIL is any status but 0.
 * ASL_TABLE_FILTER: INPUT ends with a newline; objects compare with
 * their keys in any order; %%FAIL is status 1 and no standard output;
 * every other case must leave standard error empty.
 */
enum {
	ASL_TABLE_CONTEXT = 1,
	ASL_TABLE_FILTER = 2
};

struct asl_cli_table {
	asl_cli_main	*main;		/* one invocation of the program */
	const char	*usage;		/* its usage text */
	int		 flags;		/* ASL_TABLE_* */
};

/*
 * Run the table that argv names: argv[0] is "--run-tests", argv[1] the
 * FILE, argv[2] (optional) the SECTION.  Prints on cli's standard output;
 * returns 0 when every case passed, 1 when one failed or there were
 * none, ASL_EX_USAGE or ASL_EX_OS.
 */
int	asl_cli_table_run(const struct asl_cli_table *table,
	    struct asl_cli *cli, int argc, char *argv[]);

/*
 * A program's main: with "--run-tests FILE [SECTION]" the table of cases,
 * otherwise one invocation on the standard streams; the exit status, after
 * standard output is closed (a write error is ASL_EX_OS).
 */
int	asl_cli_table_main(const struct asl_cli_table *table, int argc,
	    char *argv[]);

#endif /* !ASL_CLI_TABLE_H */
