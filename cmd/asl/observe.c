/*
 * cmd/asl/observe.c - the verbs that show what happened: graph (the
 * machine colored by an execution), trace (its timeline) and metrics
 * (the store's counts, as CloudWatch keeps them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_exec.h"
#include "asl_graph.h"
#include "asl_metrics.h"
#include "asl_outcome.h"
#include "asl_store.h"
#include "asl_time.h"
#include "asl_trace.h"
#include "verbs.h"

/* The outcome of execution name (with its "name"), or die. */
static jv
outcome_of(const struct asl_store *st, const char *name)
{
	jv events = asl_exec_history(st, name);

	if (!jv_is_valid(events))
		die_api(events);
	return jv_object_set(asl_outcome(events), jv_string("name"),
	    jv_string(name));
}

/* Whether a program called name is on PATH. */
static int
on_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *e;
	char buf[4096];

	for (p = path != NULL ? path : "/usr/bin:/bin"; *p != '\0'; p = e) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		snprintf(buf, sizeof buf, "%.*s/%s", (int)(e - p), p, name);
		if (access(buf, X_OK) == 0)
			return 1;
		if (*e == ':')
			e++;
	}
	return 0;
}

/* DOT text (consumed) rendered as SVG on stdout by Graphviz's dot. */
static int
svg(jv dot)
{
	FILE *f;
	int st;

	if (!on_path("dot")) {
		jv_free(dot);
		asl_cli_die(ASL_EX_OS, "--format svg needs Graphviz's dot "
		    "(apt-get install graphviz), or use --format dot");
	}
	fflush(stdout);
	if ((f = popen("dot -Tsvg", "w")) == NULL)
		asl_cli_die(ASL_EX_OS, "dot: %s", strerror(errno));
	fputs(jv_string_value(dot), f);
	jv_free(dot);
	st = pclose(f);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		asl_cli_die(ASL_EX_OS, "dot failed to render the graph");
	return ASL_EX_OK;
}

/* asl graph EXEC [--format dot|mermaid|svg|json] */
int
verb_graph(struct args *a)
{
	const char *format = a->format != NULL ? a->format : "dot";
	struct asl_store st;
	jv oc, def, pic;
	int code = ASL_EX_OK;

	if (strcmp(format, "dot") != 0 && strcmp(format, "mermaid") != 0 &&
	    strcmp(format, "svg") != 0 && strcmp(format, "json") != 0)
		usage("--format: '%s' is not dot, mermaid, svg or json", format);
	open_store(a, &st);
	oc = outcome_of(&st, a->operand);
	if (strcmp(format, "json") == 0) {
		asl_print(jv_object_delete(jv_object_delete(oc,
		    jv_string("visits")), jv_string("frames")), 1);
		asl_store_close(&st);
		return asl_close_stdout(ASL_EX_OK);
	}
	def = asl_store_read(&st, "executions/%s/%s", a->operand,
	    "definition.json");
	if (!jv_is_valid(def))
		asl_cli_die(ASL_EX_OS, "%s: the execution has no definition.json",
		    a->operand);
	pic = asl_graph_execution(def, oc, strcmp(format, "mermaid") == 0 ?
	    ASL_GRAPH_MERMAID : ASL_GRAPH_DOT);
	if (strcmp(format, "svg") == 0)
		code = svg(pic);
	else {
		fputs(jv_string_value(pic), stdout);
		jv_free(pic);
	}
	asl_store_close(&st);
	return asl_close_stdout(code);
}

/* asl trace EXEC: the execution as Trace Event JSON (Perfetto) */
int
verb_trace(struct args *a)
{
	struct asl_store st;

	open_store(a, &st);
	asl_print(asl_trace(outcome_of(&st, a->operand), a->operand),
	    a->pretty);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}

/* asl metrics [--state-machine NAME] [--since T] [--json | --prometheus] */
int
verb_metrics(struct args *a)
{
	struct asl_store st;
	struct asl_time since;
	const struct asl_time *since_p = since_arg(a, &since);
	jv m, t;

	if (a->json && a->prometheus)
		usage("--json and --prometheus: choose one%s", "");
	open_store(a, &st);
	m = asl_metrics(asl_metrics_collect(&st), a->state_machine,
	    since_p);
	if (a->json)
		asl_print(m, 1);
	else {
		t = a->prometheus ? asl_metrics_prometheus(m) :
		    asl_metrics_table(m);
		fputs(jv_string_value(t), stdout);
		jv_free(t);
	}
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}
