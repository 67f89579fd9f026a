/*
 * asl_cli.h - the edge of the library: what every program in cmd/ does the
 * same way when it talks to a user.  This is the only part of lib/ that
 * prints or exits; the engine itself never does.
 *
 * A program's work for one invocation is a function of a struct asl_cli,
 * argc and argv that returns the exit status: it reads standard input and
 * writes standard output and standard error only through the struct.
 * main() runs it on the process's own streams; --run-tests (see
 * asl_cli_table.h) runs it once per test case on the case's input and on
 * memory streams, and what a user would see is byte for byte the same.
 * The asl_cli_fail* and asl_cli_read* functions report a failure on the
 * invocation's standard error and return the exit status; the
 * asl_cli_die* functions print the same text on stderr and exit.
 */
#ifndef ASL_CLI_H
#define ASL_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include <jv.h>

/* Where one invocation of a program reads and writes. */
struct asl_cli {
	FILE	*out;		/* its standard output */
	FILE	*err;		/* its standard error */
	const char *in;		/* its standard input's text; NULL: file 0 */
	size_t	 inlen;
	int	 in_read;	/* in was read (a second read finds its end) */
};

/* The process's own standard input, output and error. */
#define ASL_CLI_STDIO	{ stdout, stderr, NULL, 0, 0 }

/* One invocation of a program: its exit status (it never exits). */
typedef int asl_cli_main(struct asl_cli *cli, int argc, char *argv[]);

/* "PROG: MESSAGE" on cli's standard error; returns status. */
int	asl_cli_fail(struct asl_cli *cli, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * An ASL error value (consumed) as "PROG: ERROR: CAUSE" on cli's
 * standard error; returns status.  A plain message string prints as
 * "PROG: MESSAGE".
 */
int	asl_cli_fail_error(struct asl_cli *cli, int status, jv err);

/*
 * The optional reason as "PROG: REASON", then usage and a pointer to
 * --help, on cli's standard error; returns ASL_EX_USAGE.
 */
int	asl_cli_fail_usage(struct asl_cli *cli, const char *usage,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * getopt_long(3), with the diagnostics it prints itself (an unknown
 * option, a missing argument) on cli's standard error.
 */
int	asl_cli_getopt(struct asl_cli *cli, int argc, char *argv[],
	    const char *optstring, const struct option *longopts);

/*
 * asl_read_all (see asl.h) for cli: "-" or NULL is cli's standard input.
 * Returns NULL with errno set on failure.
 */
char	*asl_cli_read_all(struct asl_cli *cli, const char *path, size_t limit,
	    size_t *len);

/*
 * A JSON file ("-" is standard input), at most limit bytes (0: any), in
 * *v: 0, or after a message, ASL_EX_DATA (not JSON, too large) or
 * ASL_EX_OS (I/O).
 */
int	asl_cli_read_file(struct asl_cli *cli, const char *path, size_t limit,
	    jv *v);

/*
 * A JSON argument in *v: the text itself, or "@FILE" or "file://FILE"
 * (the AWS CLI's form) for the contents of FILE ("@-" and "-" are
 * the standard input).  0, or as asl_cli_read_file, the message naming what (e.g.
 * "--input") when the text is not JSON.
 */
int	asl_cli_read_arg(struct asl_cli *cli, const char *what,
	    const char *arg, jv *v);

/* v (consumed) on cli's standard output as one line, compact or indented. */
void	asl_cli_print(struct asl_cli *cli, jv v, int pretty);

/*
 * The same messages on the process's stderr, followed by exit(status)
 * (exit(ASL_EX_USAGE) for asl_cli_usage), for programs whose work is not
 * an asl_cli_main.
 */
void	asl_cli_die(int status, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	asl_cli_die_error(int status, jv err) __attribute__((noreturn));
void	asl_cli_usage(const char *usage, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/* --version: "PROG (asl) VERSION" on cli's standard output; ASL_EX_OK. */
int	asl_cli_version(struct asl_cli *cli);

/* "PROG: MESSAGE" on stderr. */
void	asl_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * An argument that names a document or is one: JSON text when it starts
 * with '{' or '[', else a file as asl_cli_read_arg reads "@FILE" (a bare
 * FILE, "@FILE" and "file://FILE" alike).
 */
int	asl_cli_read_doc(struct asl_cli *cli, const char *what, const char *arg,
	    jv *v);

/* asl_cli_read_arg and asl_cli_read_file on the process, dying on failure. */
jv	asl_cli_json_arg(const char *what, const char *arg);
jv	asl_cli_json_file(const char *path, size_t limit);

/*
 * A definition that did not load (err consumed; d as asl_definition left
 * it): its problems on cli's standard error as asl-parse prints them, one
 * per line, and ASL_EX_DATA (not JSON or YAML) or ASL_EX_FAIL (invalid);
 * a file that cannot be read is "PROG: FILE: strerror" and ASL_EX_OS; the
 * store's errors (StateMachineDoesNotExist ...) as asl_cli_fail_error.
 * asl_cli_die_definition does the same on the process, and exits.
 */
struct asl_definition;
int	asl_cli_fail_definition(struct asl_cli *cli,
	    const struct asl_definition *, jv err);
void	asl_cli_die_definition(const struct asl_definition *, jv err)
	    __attribute__((noreturn));

/*
 * asl_history_show of the history at path ("-" for standard input) on
 * the process's standard output; on failure a message, and exit with
 * ASL_EX_OS (a system error) or ASL_EX_FAIL (a line that is no event).
 * Returns asl_close_stdout's status.
 */
int	asl_cli_history_show(const char *path, int table, int reverse);

#endif /* !ASL_CLI_H */
