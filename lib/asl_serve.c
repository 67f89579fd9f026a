/*
 * lib/asl_serve.c - asl serve: HTTP in (libmicrohttpd, one thread, its
 * event loop ours), the operations of asl_api.c, and the driver
 * processes of the executions.  This file moves bytes and processes; the
 * API's semantics are asl_api's.
 */
#define _GNU_SOURCE	/* close_range */
#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "asl.h"
#include "asl_api.h"
#include "asl_arn.h"
#include "asl_exec.h"
#include "asl_history.h"
#include "asl_json.h"
#include "asl_serve.h"
#include "asl_store.h"

#define BODY_MAX	(1024 * 1024)	/* AWS's limit on a request */
#define CONNECTIONS	256
#define IDLE_SECONDS	30
#define DRIVERS		128
#define TICK_MS		50
#define SCAN_SECONDS	1

/* One request: its body as it comes, then its answer. */
struct request {
	struct asl_buf	 body;
	int		 too_big;
	char		 op[64];
	jv		 doc;		/* the request document, while it waits */
	jv		 answer;	/* the response, or an error */
	double		 deadline;	/* while it waits: when to answer anyway */
	int		 ready;		/* resumed with its answer */
	struct MHD_Connection *con;
	struct request	*next;		/* the waiting ones */
};

struct server {
	const struct asl_serve_options *o;
	struct asl_api	 api;
	struct request	*waiting;
	int		 drivers;	/* driver processes running */
	pid_t		 pids[DRIVERS];
	jv		 queue;		/* names of executions waiting for one */
	char		*region;	/* $AWS_REGION at the start, or NULL */
	/*
	 * The group commit (asl_store.h) of what the requests of the turns
	 * of the loop write.  A turn's requests are answered (suspended
	 * meanwhile) after the commits of the next two turns: the first
	 * makes their executions' files durable, then they are put in
	 * place and the pure ones driven, the second makes that durable.
	 * todrive and tospawn: the executions of this turn to drive in the
	 * loop and to give a driver once in place; spawn_next those to give
	 * one after the next commit.
	 */
	struct asl_store_group group;
	struct request	*deferred;	/* this turn's */
	struct request	*published;	/* the turn before's */
	jv		 failed;	/* {name: error} of the published */
	jv		 todrive;
	jv		 tospawn;
	jv		 spawn_next;
	/*
	 * The store's scan: when the next, when the last whole one began
	 * (wall clock), and {name: true} of the executions RUNNING then.
	 */
	double		 next_scan;
	double		 scanned;
	jv		 running;
};

static volatile sig_atomic_t stopping;

void
asl_serve_stop(void)
{
	stopping = 1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Drivers. */

static void
on_signal(int sig)
{
	asl_exec_interrupt(sig);
}

/* The driver process of execution name: drives it to its end. */
static void
driver(struct server *sv, const char *name)
{
	struct asl_exec_options o;
	struct sigaction sa;

	/* the server's sockets are not the driver's */
	close_range(3, ~0U, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);	/* StopExecution */
	signal(SIGCHLD, SIG_DFL);
	asl_exec_options_init(&o);
	/* another process driving it already: its business */
	jv_free(asl_exec_drive(sv->o->store, name, &o, 0));
	_exit(0);
}

static void
spawn(struct server *sv, const char *name)
{
	pid_t pid;
	int i;

	if (sv->drivers >= DRIVERS) {
		sv->queue = jv_array_append(sv->queue, jv_string(name));
		return;
	}
	if ((pid = fork()) == -1) {
		/* no process now: the next reap tries again */
		sv->queue = jv_array_append(sv->queue, jv_string(name));
		return;
	}
	if (pid == 0)
		driver(sv, name);
	for (i = 0; i < DRIVERS; i++)
		if (sv->pids[i] == 0) {
			sv->pids[i] = pid;
			break;
		}
	sv->drivers++;
}

/*
 * Drive the execution name in the loop, to its end or its first pause
 * (then a driver takes it on); with the group g, its last sync is the
 * group's, and the driver waits for the group's commit.
 */
static void
drive_here(struct server *sv, const char *name, struct asl_store_group *g)
{
	struct asl_exec_options o;
	jv r, paused;

	asl_exec_options_init(&o);
	o.detach = 1;
	o.group = g;
	r = asl_exec_drive(sv->o->store, name, &o, 0);
	if (!jv_is_valid(r)) {
		/* locked: another process drives it */
		jv_free(r);
		return;
	}
	paused = jv_object_get(r, ASL_LIT("paused"));
	if (jv_get_kind(paused) == JV_KIND_TRUE) {
		if (g != NULL)
			sv->spawn_next = jv_array_append(sv->spawn_next,
			    jv_string(name));
		else
			spawn(sv, name);
	}
	jv_free(paused);
}

/*
 * asl_api's drive: in the loop when nothing can block it, else a driver.
 * A new execution may still wait in the group: it is driven, or given
 * its driver, after the group is published (StartSyncExecution's are
 * EXPRESS, never in the group).
 */
static void
drive(void *arg, const char *name, enum asl_api_drive how, int pure)
{
	struct server *sv = arg;

	if (how == ASL_API_SYNC) {
		if (pure)
			drive_here(sv, name, NULL);
		else
			spawn(sv, name);
	} else if (pure)
		sv->todrive = jv_array_append(sv->todrive, jv_string(name));
	else
		sv->tospawn = jv_array_append(sv->tospawn, jv_string(name));
}

static void
reap(struct server *sv)
{
	pid_t pid;
	int i, n;
	jv q;

	for (i = 0; i < DRIVERS; i++)
		if (sv->pids[i] > 0 && (pid = waitpid(sv->pids[i], NULL,
		    WNOHANG)) == sv->pids[i]) {
			sv->pids[i] = 0;
			sv->drivers--;
		}
	n = jv_array_length(jv_copy(sv->queue));
	if (n == 0 || sv->drivers >= DRIVERS)
		return;
	q = sv->queue;
	sv->queue = jv_array();
	jv_array_foreach(q, k, name) {
		spawn(sv, jv_string_value(name));
		jv_free(name);
		(void)k;
	}
	jv_free(q);
}

/* Whether the execution name (borrowed) is in the list (borrowed). */
static int
listed(jv list, const char *name)
{
	int found = 0;

	jv_array_foreach(list, i, n) {
		found |= strcmp(jv_string_value(n), name) == 0;
		jv_free(n);
		(void)i;
	}
	return found;
}

/*
 * Every RUNNING execution of the store that no process holds gets a
 * driver: at the start, those a server killed left; then every
 * SCAN_SECONDS, those the CLI started or left paused (asl start, asl run
 * --detach, asl resume --detach) and those whose driver died.  The lock
 * says whether a process holds one (a driver that finds it taken after
 * all leaves it).  A history not written since the last scan began, of
 * an execution that was not RUNNING then, is closed, and a stat tells
 * it: only those RUNNING are remembered.  While executions wait for a
 * driver, those get one first; and a scan of a large store waits ten
 * times as long as it took before the next.
 */
static void
scan(struct server *sv)
{
	const struct asl_store *st = sv->o->store;
	char *dir, *path;
	DIR *d;
	struct dirent *e;
	struct stat sb;
	struct timespec wall;
	const char *status;
	double t = now(), begun, written;
	jv last, running;
	int fd, whole = 1;

	sv->next_scan = t + SCAN_SECONDS;
	if (jv_array_length(jv_copy(sv->queue)) > 0)
		return;
	dir = asl_store_path(st, "executions");
	d = dir != NULL ? opendir(dir) : NULL;
	free(dir);
	if (d == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &wall);
	begun = (double)wall.tv_sec + (double)wall.tv_nsec / 1e9;
	running = jv_object();
	while ((e = readdir(d)) != NULL) {
		if (sv->drivers >= DRIVERS) {
			whole = 0;
			break;
		}
		/* .new-*: built, not in place */
		if (e->d_name[0] == '.' || listed(sv->queue, e->d_name) ||
		    listed(sv->tospawn, e->d_name) ||
		    listed(sv->spawn_next, e->d_name) ||
		    (path = asl_store_execution_path(st, e->d_name,
		    "history.jsonl")) == NULL)
			continue;
		if (stat(path, &sb) == -1) {
			free(path);
			continue;
		}
		/* (a second of slack for the clocks of the file system) */
		written = (double)sb.st_mtim.tv_sec +
		    (double)sb.st_mtim.tv_nsec / 1e9;
		if (written < sv->scanned - 1 && !jv_object_has(jv_copy(
		    sv->running), jv_string(e->d_name))) {
			free(path);
			continue;
		}
		last = asl_history_last(path);
		free(path);
		status = jv_is_valid(last) ? asl_history_last_status(last) : NULL;
		if (status != NULL && strcmp(status, "RUNNING") == 0) {
			running = jv_object_set(running, jv_string(e->d_name),
			    jv_true());
			if ((fd = asl_store_lock(st, e->d_name, 0)) != -1) {
				close(fd);
				spawn(sv, e->d_name);
			}
		}
		jv_free(last);
	}
	closedir(d);
	if (whole) {
		sv->scanned = begun;
		jv_free(sv->running);
		sv->running = running;
	} else {
		/* the rest waits for a whole scan: the last one's still hold */
		jv_object_foreach(running, k, v) {
			sv->running = jv_object_set(sv->running, k, v);
		}
		jv_free(running);
	}
	sv->next_scan += 10 * (now() - t);
}

static void
stop_drivers(struct server *sv)
{
	int i;

	for (i = 0; i < DRIVERS; i++)
		if (sv->pids[i] > 0)
			kill(sv->pids[i], SIGTERM);
	for (i = 0; i < DRIVERS; i++)
		if (sv->pids[i] > 0) {
			waitpid(sv->pids[i], NULL, 0);
			sv->pids[i] = 0;
			sv->drivers--;
		}
}

/* HTTP. */

static enum MHD_Result
respond(struct MHD_Connection *con, struct request *r)
{
	struct MHD_Response *resp;
	struct asl_buf b;
	char id[ASL_UUID_BUFSIZE];
	unsigned char raw[16];
	enum MHD_Result ok;
	int status = 200;
	jv doc = r->answer;

	r->answer = jv_invalid();
	if (!jv_is_valid(doc)) {
		jv e = asl_error_object(doc);
		status = asl_api_status(e);
		doc = asl_api_error_document(e);
	}
	memset(&b, 0, sizeof b);
	asl_json_write(&b, doc);
	jv_free(doc);
	if (b.nomem)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(b.len, b.p, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		asl_buf_free(&b);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type",
	    "application/x-amz-json-1.0");
	if (asl_random_bytes(raw, sizeof raw) == 0) {
		asl_uuid_text(raw, id);
		MHD_add_response_header(resp, "x-amzn-RequestId", id);
	}
	ok = MHD_queue_response(con, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static enum MHD_Result
fail(struct MHD_Connection *con, struct request *r, jv err)
{
	jv_free(r->answer);
	r->answer = err;
	return respond(con, r);
}

/*
 * The region of the request's credential scope (Authorization:
 * AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/states/aws4_request, ...),
 * else the server's own (*env, $AWS_REGION when it started): the ARNs
 * the request is answered with are of that region.  The signature is not
 * checked, as AWS's emulators do not check it.
 */
static void
take_region(struct MHD_Connection *con, const char *env)
{
	const char *auth = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
	    "Authorization"), *p = NULL, *q, *cur, *want = env;
	char region[64];
	size_t n;

	if (auth != NULL && (p = strstr(auth, "Credential=")) != NULL &&
	    (p = strchr(p, '/')) != NULL && (p = strchr(p + 1, '/')) != NULL) {
		p++;
		q = strchr(p, '/');
		n = q != NULL ? (size_t)(q - p) : 0;
		if (n > 0 && n < sizeof region && strspn(p,
		    "abcdefghijklmnopqrstuvwxyz0123456789-") >= n) {
			memcpy(region, p, n);
			region[n] = '\0';
			want = region;
		}
	}
	cur = getenv("AWS_REGION");
	if (want == NULL && cur != NULL)
		unsetenv("AWS_REGION");
	else if (want != NULL && (cur == NULL || strcmp(cur, want) != 0))
		setenv("AWS_REGION", want, 1);
}

/* Whether what was written or answered waits for a commit. */
static int
uncommitted(const struct server *sv)
{
	return sv->deferred != NULL || sv->published != NULL ||
	    !asl_store_group_empty(&sv->group) ||
	    jv_array_length(jv_copy(sv->todrive)) > 0 ||
	    jv_array_length(jv_copy(sv->tospawn)) > 0 ||
	    jv_array_length(jv_copy(sv->spawn_next)) > 0;
}

/* Answer r once what it wrote is durable. */
static void
defer(struct server *sv, struct MHD_Connection *con, struct request *r)
{
	r->con = con;
	r->next = sv->deferred;
	sv->deferred = r;
	MHD_suspend_connection(con);
}

/*
 * Give the requests of list their answers: the error e when it is an
 * object (a commit failed: none of it may be durable), for a start whose
 * name another process took meanwhile the error failed has for it.
 */
static void
answer(struct request *list, jv failed, jv e)
{
	struct request *r;
	jv name;

	while ((r = list) != NULL) {
		list = r->next;
		if (jv_get_kind(e) == JV_KIND_OBJECT) {
			jv_free(r->answer);
			r->answer = jv_invalid_with_msg(jv_copy(e));
		} else if (jv_is_valid(r->answer) && strcmp(r->op,
		    "StartExecution") == 0 && jv_object_length(jv_copy(
		    failed)) > 0) {
			name = jv_object_get(jv_copy(r->answer),
			    ASL_LIT("executionArn"));
			name = jv_get_kind(name) == JV_KIND_STRING ? jv_string(
			    asl_arn_last(jv_string_value(name))) :
			    (jv_free(name), jv_null());
			if (jv_get_kind(name) == JV_KIND_STRING &&
			    jv_object_has(jv_copy(failed), jv_copy(name))) {
				jv_free(r->answer);
				r->answer = jv_invalid_with_msg(jv_object_get(
				    jv_copy(failed), name));
			} else
				jv_free(name);
		}
		r->ready = 1;
		MHD_resume_connection(r->con);
	}
}

/* The names of list (consumed) appended to *to. */
static void
move_names(jv *to, jv list)
{
	jv_array_foreach(list, i, n) {
		*to = jv_array_append(*to, n);
		(void)i;
	}
	jv_free(list);
}

/*
 * A turn's group commit: one sync makes durable the turn before's
 * executions in place (their requests are answered, their drivers may
 * start) and this turn's files; then this turn's executions are put in
 * place and the pure ones driven, for the next turn's sync.  Returns
 * whether anything waits for the next one.
 */
static int
commit(struct server *sv)
{
	jv r, e = jv_null(), todo;

	if (!uncommitted(sv))
		return 0;
	r = asl_store_group_commit(sv->o->store, &sv->group);
	if (!jv_is_valid(r))
		e = asl_error_object(r);
	else
		jv_free(r);
	answer(sv->published, sv->failed, e);
	sv->published = NULL;
	jv_free(sv->failed);
	if (jv_get_kind(e) != JV_KIND_OBJECT) {
		move_names(&sv->queue, sv->spawn_next);
		sv->spawn_next = jv_array();
	}
	/*
	 * A failed sync: this turn's requests fail too (a start retried
	 * finds its execution, as a start retried after a lost answer
	 * does); what was written goes on as if it had succeeded.
	 */
	if (jv_get_kind(e) == JV_KIND_OBJECT) {
		answer(sv->deferred, jv_null(), e);
		sv->deferred = NULL;
	}
	asl_store_group_publish(sv->o->store, &sv->group);
	sv->failed = asl_store_group_failed(&sv->group);
	todo = sv->todrive;
	sv->todrive = jv_array();
	jv_array_foreach(todo, i, n) {
		if (!jv_object_has(jv_copy(sv->failed), jv_copy(n)))
			drive_here(sv, jv_string_value(n), &sv->group);
		jv_free(n);
		(void)i;
	}
	jv_free(todo);
	move_names(&sv->spawn_next, sv->tospawn);
	sv->tospawn = jv_array();
	sv->published = sv->deferred;
	sv->deferred = NULL;
	jv_free(e);
	return uncommitted(sv);
}

static void
wait_for(struct server *sv, struct MHD_Connection *con, struct request *r,
    jv doc, double seconds)
{
	r->doc = doc;
	r->deadline = now() + seconds;
	r->con = con;
	r->next = sv->waiting;
	sv->waiting = r;
	MHD_suspend_connection(con);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *con, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct server *sv = cls;
	struct request *r = *con_cls;
	const char *target;
	double w;
	jv doc;

	(void)url;
	(void)version;
	if (r == NULL) {
		if ((r = calloc(1, sizeof *r)) == NULL)
			return MHD_NO;
		r->doc = jv_null();
		r->answer = jv_invalid();
		*con_cls = r;
		return MHD_YES;
	}
	if (r->ready)
		return respond(con, r);
	if (*upload_size > 0) {
		if (!r->too_big && r->body.len + *upload_size <= BODY_MAX)
			asl_buf_add(&r->body, upload, *upload_size);
		else
			r->too_big = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->too_big || r->body.nomem)
		return fail(con, r, asl_error("RequestEntityTooLargeException",
		    "Request body exceeds the limit of %d bytes", BODY_MAX));
	target = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
	    "X-Amz-Target");
	if (strcmp(method, "POST") != 0 || target == NULL ||
	    strncmp(target, "AWSStepFunctions.", 17) != 0 ||
	    strlen(target + 17) >= sizeof r->op)
		return fail(con, r, asl_error("UnknownOperationException",
		    "Unknown operation: expected POST / with X-Amz-Target: "
		    "AWSStepFunctions.<Operation>"));
	strcpy(r->op, target + 17);
	take_region(con, sv->region);
	doc = r->body.len == 0 ? jv_object() : jv_parse_sized(r->body.p,
	    (int)r->body.len);
	if (!jv_is_valid(doc)) {
		jv msg = jv_invalid_get_msg(doc);
		jv e = asl_error("SerializationException", "the request body is "
		    "not JSON: %s", jv_get_kind(msg) == JV_KIND_STRING ?
		    jv_string_value(msg) : "?");
		jv_free(msg);
		return fail(con, r, e);
	}
	r->answer = asl_api_call(&sv->api, r->op, jv_copy(doc));
	if (jv_is_valid(r->answer) && (w = asl_api_wait(r->op, r->answer)) > 0) {
		wait_for(sv, con, r, doc, w);
		return MHD_YES;
	}
	jv_free(doc);
	if (uncommitted(sv)) {
		defer(sv, con, r);
		return MHD_YES;
	}
	return respond(con, r);
}

static void
completed(void *cls, struct MHD_Connection *con, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	struct request *r = *con_cls;

	(void)cls;
	(void)con;
	(void)why;
	if (r == NULL)
		return;
	asl_buf_free(&r->body);
	jv_free(r->doc);
	jv_free(r->answer);
	free(r);
	*con_cls = NULL;
}

/* Ask the waiting requests again; resume those that have their answer. */
static void
service(struct server *sv, int all)
{
	struct request **pp = &sv->waiting, *r;
	double t = now();

	while ((r = *pp) != NULL) {
		if (!all && t < r->deadline) {
			r->answer = asl_api_again(&sv->api, r->op, r->doc,
			    r->answer);
			if (jv_is_valid(r->answer) && asl_api_wait(r->op,
			    r->answer) > 0) {
				pp = &r->next;
				continue;
			}
		}
		*pp = r->next;
		r->ready = 1;
		MHD_resume_connection(r->con);
	}
}

/* The socket address of ADDR:PORT, [ADDR]:PORT or PORT. */
static jv
address(const char *listen, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints, *ai;
	char host[128];
	const char *colon = strrchr(listen, ':'), *h = listen, *port;
	size_t n;
	int e;

	if (colon == NULL) {
		h = "127.0.0.1";
		n = strlen(h);
		port = listen;
	} else {
		n = (size_t)(colon - listen);
		port = colon + 1;
		if (n >= 2 && listen[0] == '[' && listen[n - 1] == ']') {
			h++;
			n -= 2;
		}
	}
	if (n == 0 || n >= sizeof host || *port == '\0')
		return asl_error("States.Runtime", "--listen '%s': not "
		    "ADDRESS:PORT", listen);
	memcpy(host, h, n);
	host[n] = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(host, port, &hints, &ai)) != 0)
		return asl_error("States.Runtime", "--listen '%s': %s", listen,
		    gai_strerror(e));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return jv_true();
}

static void
server_release(struct server *sv)
{
	jv_free(sv->queue);
	jv_free(sv->todrive);
	jv_free(sv->tospawn);
	jv_free(sv->spawn_next);
	jv_free(sv->failed);
	jv_free(sv->running);
	asl_store_group_release(&sv->group);
	free(sv->region);
}

/*
 * One process's server on the address ss: the first (first) also tells
 * the address and resumes the store's RUNNING executions.
 */
static jv
serve(const struct asl_serve_options *o, struct sockaddr_storage *ss,
    socklen_t len, int reuse, int first)
{
	struct server sv;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	char shown[160], host[128];
	unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
	int busy = 0;

	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	memset(&sv, 0, sizeof sv);
	sv.o = o;
	sv.queue = jv_array();
	sv.todrive = jv_array();
	sv.tospawn = jv_array();
	sv.spawn_next = jv_array();
	sv.failed = jv_object();
	sv.running = jv_object();
	asl_store_group_init(&sv.group);
	(void)asl_store_sweep(o->store);
	sv.api.group = &sv.group;
	sv.api.store = o->store;
	sv.api.resources = o->resources;
	sv.api.mock = o->mock;
	sv.api.path = o->path;
	sv.api.drive = drive;
	sv.api.arg = &sv;
	if (getenv("AWS_REGION") != NULL)
		sv.region = strdup(getenv("AWS_REGION"));
	/*
	 * SO_REUSEPORT only for the workers of one server (given false, the
	 * option would also take away the SO_REUSEADDR that lets a server
	 * killed a moment ago be started again on its port).
	 */
	d = MHD_start_daemon(flags, 0, NULL, NULL, handle, &sv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    reuse ? MHD_OPTION_LISTENING_ADDRESS_REUSE : MHD_OPTION_END,
	    (unsigned)1, MHD_OPTION_END);
	if (d == NULL) {
		server_release(&sv);
		return asl_error("States.Runtime", "cannot listen: %s",
		    strerror(errno));
	}
	if (first) {
		info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		if (getnameinfo((struct sockaddr *)ss, len, host, sizeof host,
		    NULL, 0, NI_NUMERICHOST) != 0)
			strcpy(host, "?");
		snprintf(shown, sizeof shown, ss->ss_family == AF_INET6 ?
		    "[%s]:%u" : "%s:%u", host, info != NULL ?
		    (unsigned)info->port : 0);
		scan(&sv);
		if (o->ready != NULL)
			o->ready(o->arg, shown);
	}
	while (!stopping) {
		/* after a commit, its answers go at once, not at an event */
		MHD_run_wait(d, busy ? 0 : TICK_MS);
		/* before any answer, and before a driver takes any of it */
		busy = commit(&sv);
		reap(&sv);
		if (first && now() >= sv.next_scan)
			scan(&sv);
		service(&sv, 0);
	}
	/* answer what waits, then close */
	service(&sv, 1);
	while (commit(&sv))
		MHD_run(d);
	MHD_run(d);
	MHD_stop_daemon(d);
	stop_drivers(&sv);
	server_release(&sv);
	return jv_true();
}

/*
 * For more than one worker: a socket bound with SO_REUSEPORT to the
 * address (its port chosen when it is 0, and written back into ss), that
 * keeps the port while the workers bind theirs; -1 on failure.
 */
static int
reserve(struct sockaddr_storage *ss, socklen_t len)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
	socklen_t n = len;

	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) == -1 ||
	    bind(fd, (struct sockaddr *)ss, len) == -1 ||
	    getsockname(fd, (struct sockaddr *)ss, &n) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

jv
asl_serve_run(const struct asl_serve_options *o)
{
	struct sockaddr_storage ss;
	const char *listen = o->listen != NULL ? o->listen : ASL_SERVE_LISTEN;
	int workers = o->workers > 0 ? o->workers : 1, fd = -1, i, n = 0;
	pid_t pids[ASL_SERVE_WORKERS_MAX];
	socklen_t len = 0;
	jv r;

	if (!jv_is_valid(r = address(listen, &ss, &len)))
		return r;
	jv_free(r);
	stopping = 0;
	if (workers > ASL_SERVE_WORKERS_MAX)
		workers = ASL_SERVE_WORKERS_MAX;
	if (workers > 1 && (fd = reserve(&ss, len)) == -1)
		return asl_error("States.Runtime", "cannot listen on %s: %s",
		    listen, strerror(errno));
	/* the others first, each a server of its own on the same port */
	for (i = 1; i < workers; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			close(fd);
			r = serve(o, &ss, len, 1, 0);
			_exit(jv_is_valid(r) ? 0 : 1);
		}
		if (pid > 0)
			pids[n++] = pid;
	}
	r = serve(o, &ss, len, workers > 1, 1);
	if (fd != -1)
		close(fd);
	for (i = 0; i < n; i++) {
		kill(pids[i], SIGTERM);
		waitpid(pids[i], NULL, 0);
	}
	if (!jv_is_valid(r)) {
		jv e = asl_error_object(r);
		r = asl_error("States.Runtime", "%s on %s", asl_error_cause(e),
		    listen);
		jv_free(e);
	}
	return r;
}
