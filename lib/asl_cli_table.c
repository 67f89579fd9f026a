/*
 * asl_cli_table.c - a program's table of test cases, each case one call
 * of the program's work on memory streams (see asl_cli_table.h).
 *
 * The comparisons are those of the bash runners the tables were first
 * run by, a process per case: JSON as "jq -c ." (or "jq -cS .") prints
 * it, output without its last newlines as a shell's $(...) has it, a
 * %%JQ filter as "jq -e" runs it (the one output "true"), %%MATCH as
 * bash's =~ (regcomp with REG_EXTENDED).
 */
#include <errno.h>
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jq.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_cli_table.h"

/* What a case printed and returned. */
struct outcome {
	int	 status;
	char	*out, *err;	/* without their last newlines */
};

/* The state of one run of a table. */
struct run {
	const struct asl_cli_table *table;
	struct asl_cli	*cli;
	const char	*file;
	char		 dir[64];	/* the %%context and %%vars files */
	char		 context[96], vars[96];
	int		 cases, failed;
};

static void
chomp(char *s, size_t len)
{
	while (len > 0 && s[len - 1] == '\n')
		s[--len] = '\0';
}

/*
 * The JSON values of text as "jq -c ." prints them, one a line, as a
 * string; *ok is 0 when text does not parse to its end (the values
 * before the error are still there, as jq prints them).
 */
static jv
json_lines(const char *text, int flags, int *ok)
{
	jv_parser *p = jv_parser_new(0);
	jv lines = jv_string(""), v;
	int first = 1;

	jv_parser_set_buf(p, text, (int)strlen(text), 0);
	while (jv_is_valid(v = jv_parser_next(p))) {
		if (!first)
			lines = jv_string_append_str(lines, "\n");
		lines = jv_string_concat(lines, jv_dump_string(v, flags));
		first = 0;
	}
	*ok = !jv_invalid_has_msg(v);
	jv_parser_free(p);
	return lines;
}

static int
same_json(const char *want, const char *got, int flags)
{
	int ok, same;
	jv w = json_lines(want, flags, &ok), g;

	if (!ok) {
		jv_free(w);
		return 0;
	}
	g = json_lines(got, flags, &ok);
	same = strcmp(jv_string_value(w), jv_string_value(g)) == 0;
	jv_free(w);
	jv_free(g);
	return same;
}

static void
jq_error(void *data, jv msg)
{
	*(int *)data = 1;
	jv_free(msg);
}

/* Whether "jq -e FILTER" on text prints exactly "true". */
static int
jq_true(const char *filter, const char *text)
{
	jq_state *jq;
	jv_parser *p;
	jv v, r;
	int bad = 0, n = 0, last_true = 0;

	if ((jq = jq_init()) == NULL)
		return 0;
	jq_set_error_cb(jq, jq_error, &bad);
	if (!jq_compile(jq, filter)) {
		jq_teardown(&jq);
		return 0;
	}
	p = jv_parser_new(0);
	jv_parser_set_buf(p, text, (int)strlen(text), 0);
	while (!bad && jv_is_valid(v = jv_parser_next(p))) {
		jq_start(jq, v, 0);
		while (jv_is_valid(r = jq_next(jq))) {
			n++;
			last_true = jv_get_kind(r) == JV_KIND_TRUE;
			jv_free(r);
		}
		if (jv_invalid_has_msg(r) || jq_halted(jq))
			bad = 1;
	}
	if (!bad && jv_invalid_has_msg(v))
		bad = 1;
	jv_parser_free(p);
	jq_teardown(&jq);
	return !bad && n == 1 && last_true;
}

static int
matches(const char *regex, const char *text)
{
	regex_t re;
	int r;

	if (regcomp(&re, regex, REG_EXTENDED | REG_NOSUB) != 0)
		return 0;
	r = regexec(&re, text, 0, NULL, 0);
	regfree(&re);
	return r == 0;
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Run the program on one case: 0, or -1 on a system error. */
static int
invoke(struct run *run, const char *args, const char *input,
    struct outcome *o)
{
	const struct asl_cli_table *t = run->table;
	struct asl_cli cli = { NULL, NULL, NULL, 0, 0 };
	char **argv = NULL, *words = NULL, *w, *in = NULL;
	size_t outlen, errlen, n;
	int argc = 0, ret = -1;

	o->out = o->err = NULL;
	n = strlen(args);
	if ((words = strdup(args)) == NULL ||
	    (argv = calloc(n + 6, sizeof(*argv))) == NULL)
		goto out;
	argv[argc++] = (char *)asl_getprogname();
	if (t->flags & ASL_TABLE_CONTEXT) {
		argv[argc++] = "-c";
		argv[argc++] = run->context;
		argv[argc++] = "-V";
		argv[argc++] = run->vars;
	}
	/* as bash's read -a with IFS=TAB: runs of TABs separate, none ends */
	for (w = strtok(words, "\t"); w != NULL; w = strtok(NULL, "\t"))
		argv[argc++] = w;
	argv[argc] = NULL;

	n = strlen(input);
	if ((in = malloc(n + 2)) == NULL)
		goto out;
	memcpy(in, input, n);
	if (t->flags & ASL_TABLE_FILTER)
		in[n++] = '\n';
	in[n] = '\0';
	cli.in = in;
	cli.inlen = n;
	if ((cli.out = open_memstream(&o->out, &outlen)) == NULL ||
	    (cli.err = open_memstream(&o->err, &errlen)) == NULL)
		goto out;

	optind = 0;	/* glibc: start getopt afresh, as in a new process */
	o->status = t->main(&cli, argc, argv);
	ret = 0;
out:
	if (cli.out != NULL && fclose(cli.out) != 0)
		ret = -1;
	if (cli.err != NULL && fclose(cli.err) != 0)
		ret = -1;
	if (o->out == NULL || o->err == NULL)
		ret = -1;
	if (ret == 0) {
		chomp(o->out, outlen);
		chomp(o->err, errlen);
	} else {
		free(o->out);
		free(o->err);
		o->out = o->err = NULL;
	}
	free(in);
	free(argv);
	free(words);
	return ret;
}

/* Whether the outcome is what expected says. */
static int
passes(struct run *run, const char *expected, const struct outcome *o)
{
	int flags = run->table->flags, filter = flags & ASL_TABLE_FILTER;
	int want = 0, exit_given = 0;
	const char *prog = asl_getprogname(), *e = expected, *sp;
	size_t plen = strlen(prog);
	char *end;
	long n;

	if (starts(e, "%%EXIT=")) {
		n = strtol(e + 7, &end, 10);
		if (end == e + 7 || *end != ' ')
			return 0;
		want = (int)n;
		exit_given = 1;
		e = end + 1;
	}
	if (starts(e, "%%FAIL ") || starts(e, "%%FAIL~ ")) {
		int prefix = e[6] == '~';

		if (exit_given ? o->status != want :
		    filter ? o->status != 1 : o->status == 0)
			return 0;
		if (filter && *o->out != '\0')
			return 0;
		sp = e + (prefix ? 8 : 7);
		if (strncmp(o->err, prog, plen) != 0 ||
		    strncmp(o->err + plen, ": ", 2) != 0)
			return 0;
		return prefix ? starts(o->err + plen + 2, sp) :
		    strcmp(o->err + plen + 2, sp) == 0;
	}
	if (o->status != want || (filter && *o->err != '\0'))
		return 0;
	if (starts(e, "%%MATCH "))
		return matches(e + 8, o->out);
	if (starts(e, "%%JQ "))
		return jq_true(e + 5, o->out);
	return same_json(e, o->out, filter ? JV_PRINT_SORTED : 0);
}

/* One case of three lines, the first at line start: 0, or -1. */
static int
run_case(struct run *run, char *lines[3], int start)
{
	struct outcome o;

	run->cases++;
	if (invoke(run, lines[0], lines[1], &o) == -1)
		return -1;
	if (!passes(run, lines[2], &o)) {
		run->failed++;
		fprintf(run->cli->out, "%s:%d: FAILED\n"
		    "  args:     %s\n  input:    %s\n  expected: %s\n"
		    "  status:   %d\n  stdout:   %s\n  stderr:   %s\n",
		    run->file, start, lines[0], lines[1], lines[2], o.status,
		    o.out, o.err);
	}
	free(o.out);
	free(o.err);
	return 0;
}

static int
write_file(const char *path, const char *text)
{
	FILE *f;
	int bad;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	bad = fputs(text, f) == EOF;
	if (fclose(f) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

static int
make_files(struct run *run)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || *tmp == '\0' ||
	    strlen(tmp) > sizeof(run->dir) - sizeof("/asl-tests.XXXXXX"))
		tmp = "/tmp";
	snprintf(run->dir, sizeof(run->dir), "%s/asl-tests.XXXXXX", tmp);
	if (mkdtemp(run->dir) == NULL) {
		run->dir[0] = '\0';
		return -1;
	}
	snprintf(run->context, sizeof(run->context), "%s/context", run->dir);
	snprintf(run->vars, sizeof(run->vars), "%s/vars", run->dir);
	if (write_file(run->context, "null\n") == -1 ||
	    write_file(run->vars, "{}\n") == -1)
		return -1;
	return 0;
}

static void
remove_files(struct run *run)
{
	if (run->dir[0] == '\0')
		return;
	unlink(run->context);
	unlink(run->vars);
	rmdir(run->dir);
}

/* The lines since the last blank line: a case to run, or a mistake. */
static int
flush(struct run *run, char *lines[3], int count, int start, int wanted)
{
	if (count == 3)
		return wanted ? run_case(run, lines, start) : 0;
	if (count != 0) {
		run->failed++;
		fprintf(run->cli->out, "%s:%d: a case needs 3 lines, "
		    "found %d\n", run->file, start, count);
	}
	return 0;
}

/* A %%context or %%vars line: its JSON in the file of -c or -V. */
static int
directive(struct run *run, const char *line, int lineno)
{
	const char *path = starts(line, "%%vars ") ? run->vars : run->context;

	if (!(run->table->flags & ASL_TABLE_CONTEXT)) {
		run->failed++;
		fprintf(run->cli->out, "%s:%d: %%%%context and %%%%vars are "
		    "for tables of -c and -V\n", run->file, lineno);
		return 0;
	}
	if (write_file(path, strchr(line, ' ') + 1) == -1)
		return asl_cli_fail(run->cli, ASL_EX_OS, "%s: %s", path,
		    strerror(errno));
	return 0;
}

int
asl_cli_table_run(const struct asl_cli_table *table, struct asl_cli *cli,
    int argc, char *argv[])
{
	struct run run;
	const char *section, *current = "";
	char *text = NULL, *line, *next, *nl, *lines[3];
	size_t len;
	int lineno = 0, start = 0, count = 0, status = ASL_EX_OS;

	if (argc < 2 || argc > 3)
		return asl_cli_fail_usage(cli, table->usage, "--run-tests "
		    "needs a FILE and at most a SECTION");
	memset(&run, 0, sizeof(run));
	run.table = table;
	run.cli = cli;
	run.file = argv[1];
	section = argc > 2 ? argv[2] : NULL;
	if ((text = asl_read_all(run.file, 0, &len)) == NULL) {
		asl_cli_fail(cli, ASL_EX_OS, "%s: %s", run.file,
		    strerror(errno));
		goto out;
	}
	if ((table->flags & ASL_TABLE_CONTEXT) && make_files(&run) == -1) {
		asl_cli_fail(cli, ASL_EX_OS, "cannot make the files of "
		    "%%%%context and %%%%vars: %s", strerror(errno));
		goto out;
	}

	for (line = text; line < text + len; line = next) {
		if ((nl = memchr(line, '\n', (size_t)(text + len - line))) !=
		    NULL) {
			*nl = '\0';
			next = nl + 1;
		} else
			next = text + len;
		lineno++;
		if (*line == '#')
			continue;
		if (*line != '\0' && !starts(line, "%%section ") &&
		    !starts(line, "%%context ") && !starts(line, "%%vars ")) {
			if (count == 0)
				start = lineno;
			if (count < 3)
				lines[count] = line;
			count++;
			continue;
		}
		if (flush(&run, lines, count, start, section == NULL ||
		    strcmp(current, section) == 0) == -1)
			goto case_failed;
		count = 0;
		if (starts(line, "%%section "))
			current = line + 10;
		else if (*line != '\0' && directive(&run, line, lineno) != 0)
			goto out;
	}
	if (flush(&run, lines, count, start, section == NULL ||
	    strcmp(current, section) == 0) == -1)
		goto case_failed;

	if (run.cases == 0) {
		fprintf(cli->out, "%s: no cases%s%s\n", run.file,
		    section != NULL ? " in section " : "",
		    section != NULL ? section : "");
		status = 1;
	} else {
		fprintf(cli->out, "%s%s%s%s: %d cases, %d failed\n", run.file,
		    section != NULL ? " [" : "", section != NULL ? section : "",
		    section != NULL ? "]" : "", run.cases, run.failed);
		status = run.failed == 0 ? 0 : 1;
	}
	goto out;
case_failed:
	asl_cli_fail(cli, ASL_EX_OS, "%s:%d: cannot run the case: %s",
	    run.file, start, strerror(errno));
out:
	remove_files(&run);
	free(text);
	return status;
}

int
asl_cli_table_main(const struct asl_cli_table *table, int argc, char *argv[])
{
	struct asl_cli cli = ASL_CLI_STDIO;

	asl_setprogname(argv[0]);
	if (argc > 1 && strcmp(argv[1], "--run-tests") == 0)
		return asl_close_stdout(asl_cli_table_run(table, &cli,
		    argc - 1, argv + 1));
	return asl_close_stdout(table->main(&cli, argc, argv));
}
