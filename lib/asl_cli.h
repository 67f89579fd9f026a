/*
 * asl_cli.h - the edge of the library: what every program in cmd/ does the
 * same way when it talks to a user.  This is the only part of lib/ that
 * prints or exits; the engine itself never does.
 */
#ifndef ASL_CLI_H
#define ASL_CLI_H

#include <jv.h>

/* "PROG: MESSAGE" on stderr, then exit(status). */
void	asl_cli_die(int status, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/*
 * --version: "PROG (asl) VERSION" on stdout, and the status to exit with
 * (ASL_EX_OK, or ASL_EX_OS if stdout fails).
 */
int	asl_cli_version(void);

/* "PROG: MESSAGE" on stderr. */
void	asl_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * An ASL error value (consumed) as "PROG: ERROR: CAUSE" on stderr, then
 * exit(status).  A plain message string prints as "PROG: MESSAGE".
 */
void	asl_cli_die_error(int status, jv err) __attribute__((noreturn));

/* "usage: ..." on stderr and exit ASL_EX_USAGE, with an optional reason. */
void	asl_cli_usage(const char *usage, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/*
 * A JSON argument: the text itself, or "@FILE" for the contents of FILE
 * ("@-" is stdin).  Dies with ASL_EX_DATA (bad JSON) or ASL_EX_OS (I/O)
 * naming what (e.g. "--input") on failure.
 */
jv	asl_cli_json_arg(const char *what, const char *arg);

/* A JSON file ("-" is stdin), dying with a message on failure. */
jv	asl_cli_json_file(const char *path, size_t limit);

/*
 * A definition that did not load (err consumed; d as asl_definition left
 * it): its problems on stderr as asl-parse prints them, one per line,
 * then exit ASL_EX_DATA (not JSON or YAML) or ASL_EX_FAIL (invalid); a
 * file that cannot be read is "PROG: FILE: strerror" and ASL_EX_OS; the
 * store's errors (StateMachineDoesNotExist ...) as asl_cli_die_error.
 */
struct asl_definition;
void	asl_cli_die_definition(const struct asl_definition *, jv err)
	    __attribute__((noreturn));

#endif /* !ASL_CLI_H */
