/*
 * cmd/asl/serve.c - asl serve: the Step Functions API on localhost.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "asl_cli.h"
#include "asl_exec.h"
#include "asl_serve.h"
#include "asl_store.h"
#include "verbs.h"

static void
on_signal(int sig)
{
	asl_serve_stop();
	asl_exec_interrupt(sig);
}

/* The address on stdout, once listening: what a script waits for. */
static void
ready(void *arg, const char *address)
{
	(void)arg;
	printf("%s\n", address);
	fflush(stdout);
}

/* asl serve [--listen ADDR:PORT] [--resources FILE] [--mock FILE] [--workers N] */
int
verb_serve(struct args *a)
{
	struct asl_serve_options o;
	struct asl_store st;
	struct sigaction sa;
	const char *mock = a->mock != NULL ? a->mock : getenv("SFN_MOCK_CONFIG");
	jv r;

	memset(&o, 0, sizeof o);
	o.listen = a->listen;
	o.workers = a->workers;
	o.resources = a->resources != NULL ? load_doc("resource map",
	    a->resources) : jv_null();
	o.mock = mock != NULL && *mock != '\0' ? load_doc("mock file", mock) :
	    jv_null();
	o.path = getenv("ASL_PATH");
	o.ready = ready;
	open_store(a, &st);
	o.store = &st;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* asl stop signals the driver it finds; never the server itself */
	signal(SIGUSR1, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	r = asl_serve_run(&o);
	jv_free(o.resources);
	jv_free(o.mock);
	if (!jv_is_valid(r))
		asl_cli_die_error(ASL_EX_OS, r);
	jv_free(r);
	asl_store_close(&st);
	return asl_close_stdout(ASL_EX_OK);
}
