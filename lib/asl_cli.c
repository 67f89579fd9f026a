/*
 * asl_cli.c - messages, exits and JSON arguments for the programs.
 *
 * Every message is written by one function on a FILE: the process's
 * stderr when a program dies, an invocation's standard error (which
 * --run-tests makes a memory stream) when it fails and returns.  Both
 * paths print the same bytes because they are the same code.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_definition.h"
#include "asl_doc.h"
#include "asl_history.h"
#include "asl_json.h"

static void
vsay(FILE *f, const char *fmt, va_list ap)
{
	fprintf(f, "%s: ", asl_getprogname());
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

static void __attribute__((format(printf, 2, 3)))
say(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(f, fmt, ap);
	va_end(ap);
}

/* An error value (consumed) as one line. */
static void
say_error(FILE *f, jv err)
{
	jv msg = jv_invalid_get_msg(err);

	if (jv_get_kind(msg) == JV_KIND_STRING)
		say(f, "%s", jv_string_value(msg));
	else if (jv_get_kind(msg) == JV_KIND_OBJECT) {
		const char *cause = asl_error_cause(msg);
		if (*cause != '\0')
			say(f, "%s: %s", asl_error_name(msg), cause);
		else
			say(f, "%s", asl_error_name(msg));
	} else
		say(f, "unknown error");
	jv_free(msg);
}

/*
 * A usage error: the reason, the usage's first line, and the way to the
 * rest; the whole usage would bury the reason.
 */
static void
say_usage(FILE *f, const char *usage, const char *fmt, va_list ap)
{
	const char *nl = strchr(usage, '\n');

	if (fmt != NULL)
		vsay(f, fmt, ap);
	fprintf(f, "%.*s\n", nl != NULL ? (int)(nl - usage) : (int)strlen(usage),
	    usage);
	fprintf(f, "Try '%s --help' for more information.\n",
	    asl_getprogname());
}

int
asl_cli_fail(struct asl_cli *cli, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(cli->err, fmt, ap);
	va_end(ap);
	return status;
}

int
asl_cli_fail_error(struct asl_cli *cli, int status, jv err)
{
	say_error(cli->err, err);
	return status;
}

int
asl_cli_fail_usage(struct asl_cli *cli, const char *usage, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_usage(cli->err, usage, fmt, ap);
	va_end(ap);
	return ASL_EX_USAGE;
}

int
asl_cli_getopt(struct asl_cli *cli, int argc, char *argv[],
    const char *optstring, const struct option *longopts)
{
#ifdef __GLIBC__
	/*
	 * getopt_long prints its own diagnostics on stderr, which glibc
	 * lets a program point elsewhere for the call.
	 */
	FILE *saved = stderr;
	int ch;

	stderr = cli->err;
	ch = getopt_long(argc, argv, optstring, longopts, NULL);
	stderr = saved;
	return ch;
#else
	(void)cli;
	return getopt_long(argc, argv, optstring, longopts, NULL);
#endif
}

char *
asl_cli_read_all(struct asl_cli *cli, const char *path, size_t limit,
    size_t *len)
{
	size_t n;
	char *buf;

	if (cli->in == NULL || (path != NULL && strcmp(path, "-") != 0))
		return asl_read_all(path, limit, len);
	/* a second read of standard input is at its end, as with a pipe */
	n = cli->in_read ? 0 : cli->inlen;
	cli->in_read = 1;
	if (limit != 0 && n > limit) {
		errno = EFBIG;
		return NULL;
	}
	if ((buf = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(buf, cli->in, n);
	buf[n] = '\0';
	*len = n;
	return buf;
}

int
asl_cli_read_file(struct asl_cli *cli, const char *path, size_t limit, jv *v)
{
	const char *name = path == NULL || strcmp(path, "-") == 0 ?
	    "<stdin>" : path;
	char *buf;
	size_t len;

	if ((buf = asl_cli_read_all(cli, path, limit, &len)) == NULL) {
		*v = jv_invalid();
		if (errno == EFBIG)
			return asl_cli_fail(cli, ASL_EX_DATA, "%s: larger than "
			    "%zu bytes", name, limit);
		return asl_cli_fail(cli, ASL_EX_OS, "%s: %s", name,
		    strerror(errno));
	}
	*v = asl_doc_parse(buf, len, ASL_FORMAT_JSON, NULL, NULL);
	free(buf);
	if (jv_is_valid(*v))
		return 0;
	*v = asl_doc_error_text(name, *v);
	say(cli->err, "%s", jv_string_value(*v));
	jv_free(*v);
	*v = jv_invalid();
	return ASL_EX_DATA;
}

int
asl_cli_read_arg(struct asl_cli *cli, const char *what, const char *arg,
    jv *v)
{
	jv msg, line, col, text;

	if (arg[0] == '@')
		return asl_cli_read_file(cli, arg + 1, 0, v);
	/* "-" is not JSON: it can only mean the standard input */
	if (strcmp(arg, "-") == 0)
		return asl_cli_read_file(cli, "-", 0, v);
	/* the AWS CLI's way to name a file */
	if (strncmp(arg, "file://", 7) == 0)
		return asl_cli_read_file(cli, arg + 7, 0, v);
	*v = asl_json_parse(arg, strlen(arg), NULL, NULL);
	if (jv_is_valid(*v))
		return 0;
	msg = jv_invalid_get_msg(*v);
	line = jv_object_get(jv_copy(msg), ASL_LIT("line"));
	col = jv_object_get(jv_copy(msg), ASL_LIT("column"));
	text = jv_object_get(msg, ASL_LIT("message"));
	say(cli->err, "%s: not valid JSON: %s at line %d, column %d", what,
	    jv_string_value(text), (int)jv_number_value(line),
	    (int)jv_number_value(col));
	jv_free(line);
	jv_free(col);
	jv_free(text);
	*v = jv_invalid();
	return ASL_EX_DATA;
}

int
asl_cli_read_doc(struct asl_cli *cli, const char *what, const char *arg,
    jv *v)
{
	const char *s = arg + strspn(arg, " \t\n");

	if (*s == '{' || *s == '[' || arg[0] == '@' ||
	    strncmp(arg, "file://", 7) == 0)
		return asl_cli_read_arg(cli, what, arg, v);
	return asl_cli_read_file(cli, arg, 0, v);
}

void
asl_cli_print(struct asl_cli *cli, jv v, int pretty)
{
	jv_dumpf(v, cli->out, pretty ? JV_PRINT_INDENT_FLAGS(2) : 0);
	fputc('\n', cli->out);
}

void
asl_cli_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(stderr, fmt, ap);
	va_end(ap);
	exit(status);
}

int
asl_cli_version(struct asl_cli *cli)
{
	fprintf(cli->out, "%s (asl) %s\n", asl_getprogname(), ASL_VERSION);
	return ASL_EX_OK;
}

void
asl_cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(stderr, fmt, ap);
	va_end(ap);
}

void
asl_cli_die_error(int status, jv err)
{
	say_error(stderr, err);
	exit(status);
}

void
asl_cli_usage(const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_usage(stderr, usage, fmt, ap);
	va_end(ap);
	exit(ASL_EX_USAGE);
}

jv
asl_cli_json_arg(const char *what, const char *arg)
{
	struct asl_cli cli = ASL_CLI_STDIO;
	int status;
	jv v;

	if ((status = asl_cli_read_arg(&cli, what, arg, &v)) != 0)
		exit(status);
	return v;
}

jv
asl_cli_json_file(const char *path, size_t limit)
{
	struct asl_cli cli = ASL_CLI_STDIO;
	int status;
	jv v;

	if ((status = asl_cli_read_file(&cli, path, limit, &v)) != 0)
		exit(status);
	return v;
}

int
asl_cli_fail_definition(struct asl_cli *cli, const struct asl_definition *d,
    jv err)
{
	jv msg = asl_error_object(err);
	int status;

	if (d->io)
		status = asl_cli_fail(cli, ASL_EX_OS, "%s",
		    asl_error_cause(msg));
	else if (strcmp(asl_error_name(msg), "InvalidDefinition") == 0) {
		/* the lines asl-parse prints: FILE:LINE:COL: error: ... */
		fprintf(cli->err, "%s\n", asl_error_cause(msg));
		status = d->syntax ? ASL_EX_DATA : ASL_EX_FAIL;
	} else
		return asl_cli_fail_error(cli, ASL_EX_FAIL,
		    jv_invalid_with_msg(msg));
	jv_free(msg);
	return status;
}

void
asl_cli_die_definition(const struct asl_definition *d, jv err)
{
	struct asl_cli cli = ASL_CLI_STDIO;

	exit(asl_cli_fail_definition(&cli, d, err));
}

static int
write_stdout(void *arg, const char *p, size_t len)
{
	(void)arg;
	if (fwrite(p, 1, len, stdout) != len)
		return -1;
	return 0;
}

int
asl_cli_history_show(const char *path, int table, int reverse)
{
	struct asl_history_reader r;
	jv res;

	if (asl_history_reader_open(&r, path) == -1)
		asl_cli_die(ASL_EX_OS, "%s: %s", path, strerror(errno));
	res = asl_history_show(&r, table, reverse, write_stdout, NULL);
	asl_history_reader_close(&r);
	if (!jv_is_valid(res)) {
		int status = errno != 0 ? ASL_EX_OS : ASL_EX_FAIL;
		fflush(stdout);
		asl_cli_die_error(status, res);
	}
	return asl_close_stdout(ASL_EX_OK);
}
