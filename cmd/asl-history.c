/*
 * asl-history - read, fold and append execution histories.
 */
#define _GNU_SOURCE	/* asprintf */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_definition.h"
#include "asl_events.h"
#include "asl_fold.h"
#include "asl_history.h"
#include "asl_json.h"
#include "asl_machine.h"
#include "asl_store.h"

static const char usage_text[] =
"usage: asl-history show [--json] [--reverse] [--store DIR] [FILE|EXEC|-]\n"
"       asl-history fold [--definition FILE] [--store DIR] [--pretty]\n"
"                        [FILE|EXEC|-]\n"
"       asl-history append [--previous ID] FILE TYPE [DETAILS]\n";

static const char help_text[] =
"Histories are the history.jsonl files of executions: one AWS\n"
"GetExecutionHistory event per line.  FILE is such a file; EXEC the name\n"
"of an execution in the store (--store, $ASL_STORE or the default);\n"
"- or none is standard input.\n"
"\n"
"  show      the events as a table (ID, TIMESTAMP, TYPE, STATE, DETAIL);\n"
"            --json prints AWS's GetExecutionHistory document instead;\n"
"            --reverse puts the newest first\n"
"  fold      where the execution stands, rebuilt from its events: status,\n"
"            every branch and iteration in progress, tasks and timers\n"
"  append    add an event of TYPE with DETAILS (a JSON object, or @FILE,\n"
"            or - for stdin) after event --previous (default: the last)\n"
"\n"
"--version prints the version.\n"
"\n"
"Exit status: 0 success, 1 a history that does not hold together or an\n"
"unknown execution, 2 usage, 3 details that are not JSON, 4 I/O error.\n";

static const char *store_dir;

/*
 * FILE, or the history of the execution EXEC, or "-" (standard input) for
 * "-" or none; *exec set for an EXEC.
 */
static char *
history_path(const char *arg, int *exec)
{
	struct asl_store st;
	jv r, meta;
	char *path;

	*exec = 0;
	if (arg == NULL || strcmp(arg, "-") == 0)
		return strdup("-");
	if (access(arg, F_OK) == 0 || strchr(arg, '/') != NULL)
		return strdup(arg);
	r = asl_store_open(&st, store_dir);
	if (!jv_is_valid(r))
		asl_cli_die_error(ASL_EX_OS, r);
	jv_free(r);
	meta = asl_store_get_execution(&st, arg);
	if (!jv_is_valid(meta)) {
		jv obj = asl_error_object(meta);
		jv_free(obj);
		asl_cli_die(ASL_EX_FAIL, "'%s' is neither a history file nor an "
		    "execution in %s", arg, st.root);
	}
	jv_free(meta);
	path = asl_store_execution_path(&st, arg, "history.jsonl");
	asl_store_close(&st);
	*exec = 1;
	return path;
}

/* The fold of the history at path, read as it comes. */
static jv
fold_file(const char *path, const struct asl_machine *m)
{
	struct asl_history_reader rd;
	struct asl_fold *fd;
	jv ev;

	if (asl_history_reader_open(&rd, path) == -1)
		asl_cli_die(ASL_EX_OS, "%s: %s", path, strerror(errno));
	if ((fd = asl_fold_begin(m)) == NULL)
		asl_cli_die(ASL_EX_OS, "%s", strerror(ENOMEM));
	while (jv_get_kind(ev = asl_history_reader_next(&rd)) ==
	    JV_KIND_OBJECT)
		if (asl_fold_event(fd, ev) == -1)
			asl_cli_die(ASL_EX_OS, "%s", strerror(ENOMEM));
	asl_history_reader_close(&rd);
	if (!jv_is_valid(ev)) {
		jv_free(asl_fold_end(fd));
		return ev;
	}
	errno = 0;
	return asl_fold_end(fd);
}

static int
cmd_show(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "store", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, json = 0, reverse = 0, exec;
	char *path;

	while ((ch = getopt_long(argc, argv, "r", longopts, NULL)) != -1) {
		switch (ch) {
		case 'J':
			json = 1;
			break;
		case 'r':
			reverse = 1;
			break;
		case 'S':
			store_dir = optarg;
			break;
		default:
			asl_cli_usage(usage_text, NULL);
		}
	}
	if (optind + 1 < argc)
		asl_cli_usage(usage_text, "show takes one FILE or EXEC");
	path = history_path(argv[optind], &exec);
	ch = asl_cli_history_show(path, !json, reverse);
	free(path);
	return ch;
}

static int
cmd_fold(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "definition", required_argument, NULL, 'd' },
		{ "pretty", no_argument, NULL, 'P' },
		{ "store", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct asl_machine *m = NULL;
	struct asl_definition d;
	const char *deffile = NULL;
	int ch, pretty = 0, exec;
	char *path, *defpath = NULL, *slash;
	jv err, r;

	while ((ch = getopt_long(argc, argv, "d:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			deffile = optarg;
			break;
		case 'P':
			pretty = 1;
			break;
		case 'S':
			store_dir = optarg;
			break;
		default:
			asl_cli_usage(usage_text, NULL);
		}
	}
	if (optind + 1 < argc)
		asl_cli_usage(usage_text, "fold takes one FILE or EXEC");
	path = history_path(argv[optind], &exec);
	/* the definition beside a store's history, unless one is given */
	if (deffile == NULL && (slash = strrchr(path, '/')) != NULL &&
	    asprintf(&defpath, "%.*s/definition.json", (int)(slash - path),
	    path) != -1 && access(defpath, F_OK) == 0)
		deffile = defpath;
	if (deffile != NULL) {
		/* the store's definition was validated when it was stored */
		asl_definition_init(&d);
		if (asl_definition_load(&d, NULL, deffile, ASL_FORMAT_AUTO,
		    ASL_DEFINITION_COMPILE | (deffile == defpath ?
		    ASL_DEFINITION_TRUSTED : 0), &err) == -1)
			asl_cli_die_definition(&d, err);
		m = d.machine;
		d.machine = NULL;
		asl_definition_release(&d);
	}
	r = fold_file(path, m);
	free(path);
	asl_machine_free(m);
	free(defpath);
	if (!jv_is_valid(r))
		asl_cli_die_error(errno != 0 ? ASL_EX_OS : ASL_EX_FAIL, r);
	asl_print(r, pretty);
	return asl_close_stdout(ASL_EX_OK);
}

static int
cmd_append(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "previous", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct asl_history h;
	long prev = -1, id;
	char *end;
	int ch;
	jv details, events, last;

	while ((ch = getopt_long(argc, argv, "p:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			prev = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || prev < 0)
				asl_cli_usage(usage_text, "--previous: '%s' is not "
				    "an event id", optarg);
			break;
		default:
			asl_cli_usage(usage_text, NULL);
		}
	}
	if (argc - optind < 2 || argc - optind > 3)
		asl_cli_usage(usage_text, "append needs FILE TYPE [DETAILS]");
	if (asl_events_lookup(argv[optind + 1]) == NULL)
		asl_cli_die(ASL_EX_USAGE, "'%s' is not an AWS history event type",
		    argv[optind + 1]);
	details = argc - optind == 3 ? (strcmp(argv[optind + 2], "-") == 0 ?
	    asl_cli_json_file("-", 0) : asl_cli_json_arg("DETAILS", argv[optind + 2])) :
	    jv_null();
	if (jv_get_kind(details) != JV_KIND_OBJECT &&
	    jv_get_kind(details) != JV_KIND_NULL)
		asl_cli_die(ASL_EX_DATA, "DETAILS must be a JSON object");
	if (asl_history_open(&h, argv[optind], 0, 0) == -1)
		asl_cli_die(ASL_EX_OS, "%s: %s", argv[optind], strerror(errno));
	if (prev < 0) {
		events = asl_history_read(argv[optind], NULL);
		prev = 0;
		if (jv_is_valid(events) && jv_array_length(jv_copy(events)) > 0) {
			last = jv_array_get(jv_copy(events),
			    jv_array_length(jv_copy(events)) - 1);
			prev = (long)jv_number_value(jv_object_get(last,
			    jv_string("id")));
		}
		jv_free(events);
	}
	if (prev >= h.next_id)
		asl_cli_die(ASL_EX_USAGE, "--previous %ld: there are only %ld events",
		    prev, h.next_id - 1);
	id = asl_history_add(&h, prev, argv[optind + 1], details);
	if (asl_history_close(&h) == -1)
		asl_cli_die(ASL_EX_OS, "%s: %s", argv[optind], strerror(errno));
	asl_history_release(&h);
	printf("%ld\n", id);
	return asl_close_stdout(ASL_EX_OK);
}

int
main(int argc, char *argv[])
{
	asl_setprogname(argv[0]);
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		printf("%s\n%s", usage_text, help_text);
		return asl_close_stdout(ASL_EX_OK);
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		struct asl_cli stdio = ASL_CLI_STDIO;

		return asl_close_stdout(asl_cli_version(&stdio));
	}
	if (argc < 2)
		asl_cli_usage(usage_text, "no command");
	optind = 1;
	if (strcmp(argv[1], "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "fold") == 0)
		return cmd_fold(argc - 1, argv + 1);
	if (strcmp(argv[1], "append") == 0)
		return cmd_append(argc - 1, argv + 1);
	asl_cli_usage(usage_text, "unknown command '%s'", argv[1]);
}
