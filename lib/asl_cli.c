/*
 * asl_cli.c - messages, exits and JSON arguments for the programs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_definition.h"
#include "asl_doc.h"
#include "asl_json.h"

static void
vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", asl_getprogname());
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
asl_cli_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

int
asl_cli_version(void)
{
	printf("%s (asl) %s\n", asl_getprogname(), ASL_VERSION);
	return asl_close_stdout(ASL_EX_OK);
}

void
asl_cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
asl_cli_die_error(int status, jv err)
{
	jv msg = jv_invalid_get_msg(err);

	if (jv_get_kind(msg) == JV_KIND_STRING)
		asl_cli_die(status, "%s", jv_string_value(msg));
	if (jv_get_kind(msg) == JV_KIND_OBJECT) {
		const char *cause = asl_error_cause(msg);
		if (*cause != '\0')
			asl_cli_die(status, "%s: %s", asl_error_name(msg), cause);
		asl_cli_die(status, "%s", asl_error_name(msg));
	}
	asl_cli_die(status, "unknown error");
}

void
asl_cli_usage(const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vwarn(fmt, ap);
		va_end(ap);
	}
	fprintf(stderr, "%s", usage);
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    asl_getprogname());
	exit(ASL_EX_USAGE);
}

static void __attribute__((noreturn))
die_parse(const char *what, jv err)
{
	jv msg = jv_invalid_get_msg(err);
	jv line = jv_object_get(jv_copy(msg), ASL_LIT("line"));
	jv col = jv_object_get(jv_copy(msg), ASL_LIT("column"));
	jv text = jv_object_get(msg, ASL_LIT("message"));

	asl_cli_die(ASL_EX_DATA, "%s: not valid JSON: %s at line %d, column %d",
	    what, jv_string_value(text), (int)jv_number_value(line),
	    (int)jv_number_value(col));
}

jv
asl_cli_json_arg(const char *what, const char *arg)
{
	jv v;

	if (arg[0] == '@')
		return asl_cli_json_file(arg + 1, 0);
	v = asl_json_parse(arg, strlen(arg), NULL, NULL);
	if (!jv_is_valid(v))
		die_parse(what, v);
	return v;
}

jv
asl_cli_json_file(const char *path, size_t limit)
{
	int is_io;
	jv v = asl_doc_read(path, ASL_FORMAT_JSON, limit, &is_io);

	if (!jv_is_valid(v))
		asl_cli_die_error(is_io ? ASL_EX_OS : ASL_EX_DATA, v);
	return v;
}

void
asl_cli_die_definition(const struct asl_definition *d, jv err)
{
	jv msg = jv_invalid_get_msg(jv_copy(err));
	int invalid = jv_get_kind(msg) == JV_KIND_OBJECT &&
	    strcmp(asl_error_name(msg), "InvalidDefinition") == 0;

	if (invalid && !d->io) {
		/* the lines asl-parse prints: FILE:LINE:COL: error: ... */
		fprintf(stderr, "%s\n", asl_error_cause(msg));
		exit(d->syntax ? ASL_EX_DATA : ASL_EX_FAIL);
	}
	jv_free(msg);
	if (d->io) {
		msg = asl_error_object(err);
		asl_cli_die(ASL_EX_OS, "%s", asl_error_cause(msg));
	}
	asl_cli_die_error(ASL_EX_FAIL, err);
}
