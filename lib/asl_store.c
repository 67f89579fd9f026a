/*
 * asl_store.c - the store's directories, names and atomic creations.
 */
#define _GNU_SOURCE	/* asprintf */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asl.h"
#include "asl_arn.h"
#include "asl_doc.h"
#include "asl_history.h"
#include "asl_json.h"
#include "asl_store.h"
#include "asl_time.h"

static jv
sys_error(const char *what, const char *path)
{
	return asl_error("States.Runtime", "%s '%s': %s", what, path,
	    strerror(errno));
}

/* mkdir -p with mode 0700 for what we create. */
static int
mkdirs(const char *path)
{
	char *p, *copy;

	/* most often there already: one call */
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	if ((copy = strdup(path)) == NULL)
		return -1;
	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) == -1 && errno != EEXIST) {
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

jv
asl_store_open(struct asl_store *st, const char *dir)
{
	const char *env = getenv("ASL_STORE"), *xdg, *home;
	char *root;

	st->root = NULL;
	if (dir != NULL && *dir != '\0')
		root = strdup(dir);
	else if (env != NULL && *env != '\0')
		root = strdup(env);
	else if ((xdg = getenv("XDG_STATE_HOME")) != NULL && *xdg == '/') {
		if (asprintf(&root, "%s/asl", xdg) == -1)
			root = NULL;
	} else if ((home = getenv("HOME")) != NULL && *home != '\0') {
		if (asprintf(&root, "%s/.local/state/asl", home) == -1)
			root = NULL;
	} else
		return asl_error("States.Runtime", "no store: give --store, or "
		    "set ASL_STORE or HOME");
	if (root == NULL)
		return asl_error("States.Runtime", "out of memory");
	if (mkdirs(root) == -1) {
		jv e = sys_error("cannot create the store", root);
		free(root);
		return e;
	}
	st->root = root;
	return jv_true();
}

void
asl_store_close(struct asl_store *st)
{
	free(st->root);
	st->root = NULL;
}

char *
asl_store_path(const struct asl_store *st, const char *fmt, ...)
{
	va_list ap;
	char *rel, *path;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&rel, fmt, ap);
	va_end(ap);
	if (r == -1)
		return NULL;
	if (asprintf(&path, "%s/%s", st->root, rel) == -1)
		path = NULL;
	free(rel);
	return path;
}

/*
 * Write v (consumed) to path through a temporary file and a rename (a
 * link when excl: an existing file is then AlreadyExists).
 */
static jv
write_json(const char *path, jv v, int sync, int excl)
{
	struct asl_buf b = { NULL, 0, 0, 0 };
	char *tmp;
	int fd, ok;

	asl_json_write(&b, v);
	jv_free(v);
	asl_buf_add(&b, "\n", 1);
	if (b.nomem || asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) ==
	    -1) {
		asl_buf_free(&b);
		return asl_error("States.Runtime", "out of memory");
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ok = fd != -1 && asl_write_all(fd, b.p, b.len) == 0 &&
	    (!sync || fsync(fd) == 0);
	if (fd != -1 && close(fd) == -1)
		ok = 0;
	asl_buf_free(&b);
	if (ok && excl) {
		/* link fails if the name exists: the first writer wins */
		ok = link(tmp, path) == 0;
		if (!ok && errno == EEXIST) {
			unlink(tmp);
			free(tmp);
			return asl_error("AlreadyExists", "%s", path);
		}
		unlink(tmp);
	} else if (ok)
		ok = rename(tmp, path) == 0;
	if (!ok) {
		jv e = sys_error("cannot write", path);
		unlink(tmp);
		free(tmp);
		return e;
	}
	free(tmp);
	return jv_true();
}

/* Make sure a rename into dir survives a crash. */
static void
sync_dir(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd;

	if (dir == NULL)
		return;
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

jv
asl_store_put(const struct asl_store *st, const char *rel, jv v, int excl)
{
	char *path = asl_store_path(st, "%s", rel), *slash;
	jv r;

	if (path == NULL) {
		jv_free(v);
		return asl_error("States.Runtime", "out of memory");
	}
	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		r = mkdirs(path) == -1 ? sys_error("cannot create", path) :
		    jv_true();
		*slash = '/';
		if (!jv_is_valid(r)) {
			jv_free(v);
			free(path);
			return r;
		}
	}
	r = write_json(path, v, 1, excl);
	if (jv_is_valid(r))
		sync_dir(path);
	free(path);
	return r;
}

static jv
read_json(const char *path)
{
	return asl_doc_read(path, ASL_FORMAT_JSON, 0, NULL);
}

jv
asl_store_put_machine(const struct asl_store *st, const char *name,
    jv definition, const char *type, int replace)
{
	char *dir = asl_store_path(st, "state-machines");
	char *path = asl_store_path(st, "state-machines/%s.json", name);
	char now[ASL_TIME_BUFSIZE];
	jv ok = asl_arn_name_check(name), doc, r;

	if (!jv_is_valid(ok) || dir == NULL || path == NULL) {
		free(dir);
		free(path);
		jv_free(definition);
		return jv_is_valid(ok) ? asl_error("States.Runtime",
		    "out of memory") : ok;
	}
	if (!replace && access(path, F_OK) == 0) {
		jv arn = asl_arn_state_machine(name);
		jv_free(definition);
		r = asl_error("StateMachineAlreadyExists", "State Machine "
		    "Already Exists: '%s'", jv_string_value(arn));
		jv_free(arn);
		goto out;
	}
	if (mkdirs(dir) == -1) {
		jv_free(definition);
		r = sys_error("cannot create", dir);
		goto out;
	}
	asl_time_format(asl_time_now(), now, sizeof now);
	doc = JV_OBJECT(ASL_LIT("name"), jv_string(name),
	    ASL_LIT("stateMachineArn"), asl_arn_state_machine(name),
	    ASL_LIT("type"), jv_string(type),
	    ASL_LIT("creationDate"), jv_string(now),
	    ASL_LIT("definition"), definition);
	r = write_json(path, jv_copy(doc), 1, 0);
	if (jv_is_valid(r)) {
		jv_free(r);
		r = jv_object_delete(doc, ASL_LIT("definition"));
	} else
		jv_free(doc);
out:
	free(dir);
	free(path);
	return r;
}

jv
asl_store_get_machine(const struct asl_store *st, const char *name)
{
	char *path = asl_store_path(st, "state-machines/%s.json", name);
	jv ok = asl_arn_name_check(name), v;

	if (!jv_is_valid(ok)) {
		free(path);
		return ok;
	}
	if (path == NULL || access(path, F_OK) == -1) {
		jv arn = asl_arn_state_machine(name);
		free(path);
		v = asl_error("StateMachineDoesNotExist", "State Machine Does "
		    "Not Exist: '%s'", jv_string_value(arn));
		jv_free(arn);
		return v;
	}
	v = read_json(path);
	free(path);
	return v;
}

/* Each value of an array (consumed) as a line of JSON. */
static jv
history_lines(jv events)
{
	jv text = ASL_LIT("");

	jv_array_foreach(events, i, ev) {
		text = jv_string_concat(text, asl_json_text(ev));
		text = jv_string_append_buf(text, "\n", 1);
	}
	jv_free(events);
	return text;
}

static void
remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *p;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (asprintf(&p, "%s/%s", dir, e->d_name) != -1) {
			if (unlink(p) == -1)
				remove_tree(p);
			free(p);
		}
	}
	closedir(d);
	rmdir(dir);
}

/* An existing execution of that name: the same start is idempotent. */
static jv
existing(const struct asl_store *st, const char *name, jv meta, jv def)
{
	jv old = asl_store_get_execution(st, name), olddef, same;
	char *path;
	int closed;

	if (!jv_is_valid(old)) {
		jv_free(meta);
		jv_free(def);
		return old;
	}
	path = asl_store_path(st, "executions/%s/definition.json", name);
	olddef = path != NULL ? read_json(path) : jv_invalid();
	free(path);
	same = jv_bool(jv_equal(jv_object_get(jv_copy(old), ASL_LIT("input")),
	    jv_object_get(jv_copy(meta), ASL_LIT("input"))) &&
	    jv_equal(jv_copy(olddef), jv_copy(def)));
	/* closed: the history ends with an Execution* outcome event */
	path = asl_store_path(st, "executions/%s/history.jsonl", name);
	{
		jv last = path != NULL ? asl_history_last(path) : jv_invalid();
		const char *status = jv_is_valid(last) ?
		    asl_history_last_status(last) : NULL;
		closed = status != NULL && strcmp(status, "RUNNING") != 0;
		jv_free(last);
	}
	free(path);
	jv_free(olddef);
	jv_free(def);
	jv_free(meta);
	if (jv_get_kind(same) == JV_KIND_TRUE && !closed) {
		jv_free(same);
		return jv_object_set(old, ASL_LIT("existing"), jv_true());
	}
	jv_free(same);
	{
		jv arn = jv_object_get(old, ASL_LIT("executionArn"));
		jv e = asl_error("ExecutionAlreadyExists", "Execution Already "
		    "Exists: '%s'", jv_string_value(arn));
		jv_free(arn);
		return e;
	}
}

static const char *const execution_files[] = { "definition.json",
    "execution.json", "history.jsonl" };

/*
 * Create an execution as asl_store_create_execution does; with a group g,
 * a STANDARD one is built but neither synced nor put in place: it waits
 * in the group for asl_store_group_publish.
 */
static jv
create_execution(const struct asl_store *st, struct asl_store_group *g,
    jv meta, jv definition, jv history)
{
	jv namev = jv_object_get(jv_copy(meta), ASL_LIT("name")), r, text;
	char *dir = NULL, *tmp = NULL, *p = NULL, *final = NULL;
	const char *name;
	int fd, ok, sync;

	name = jv_get_kind(namev) == JV_KIND_STRING ? jv_string_value(namev) :
	    "";
	/* an Express execution is at-least-once: nothing of it is synced */
	r = jv_object_get(jv_copy(meta), ASL_LIT("type"));
	sync = jv_get_kind(r) != JV_KIND_STRING ||
	    strcmp(jv_string_value(r), "EXPRESS") != 0;
	jv_free(r);
	r = asl_arn_name_check(name);
	if (!jv_is_valid(r))
		goto fail;
	jv_free(r);
	dir = asl_store_path(st, "executions");
	final = asl_store_path(st, "executions/%s", name);
	if (dir == NULL || final == NULL || mkdirs(dir) == -1) {
		r = sys_error("cannot create", dir ? dir : "executions");
		goto fail;
	}
	/* one of that name waiting in the group: put it in place first */
	if (g != NULL && jv_object_has(jv_copy(g->names), jv_copy(namev))) {
		r = asl_store_group_commit(st, g);
		if (!jv_is_valid(r))
			goto fail;
		jv_free(r);
		asl_store_group_publish(st, g);
	}
	if (access(final, F_OK) == 0) {
		r = existing(st, name, meta, definition);
		jv_free(history);
		goto out;
	}
	if (asprintf(&tmp, "%s/.new-%s-%ld", dir, name, (long)getpid()) == -1 ||
	    mkdir(tmp, 0700) == -1) {
		r = sys_error("cannot create", tmp ? tmp : dir);
		goto fail;
	}
	/*
	 * The files go straight into the private directory (its rename is
	 * what makes them appear), and are synced together: their writeback
	 * starts at once, so that the first fsync commits them all and the
	 * others find nothing left to do (one journal commit, not three).
	 */
	{
		const char *const *files = execution_files;
		int fds[3], i, n = 0;

		text = jv_invalid();
		jv_free(r);
		r = jv_true();
		for (i = 0; i < 3 && jv_is_valid(r); i++) {
			jv_free(text);
			text = history_lines(i == 0 ?
			    JV_ARRAY(jv_copy(definition)) : i == 1 ?
			    JV_ARRAY(jv_copy(meta)) : jv_copy(history));
			free(p);
			if (!jv_is_valid(text) ||
			    asprintf(&p, "%s/%s", tmp, files[i]) == -1) {
				p = NULL;
				jv_free(r);
				r = asl_error("States.Runtime", "out of memory");
				break;
			}
			fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			    0600);
			if (fd == -1 || asl_write_all(fd, jv_string_value(text),
			    (size_t)jv_string_length_bytes(jv_copy(text))) != 0) {
				jv_free(r);
				r = sys_error("cannot write", p);
				if (fd != -1)
					close(fd);
				break;
			}
			fds[n++] = fd;
#ifdef SYNC_FILE_RANGE_WRITE
			/* (a group's syncfs writes them back itself) */
			if (sync && g == NULL)
				sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
		}
		jv_free(text);
		for (i = 0; i < n; i++) {
			ok = !sync || g != NULL || fsync(fds[i]) == 0;
			if (close(fds[i]) == -1)
				ok = 0;
			if (!ok && jv_is_valid(r)) {
				jv_free(r);
				r = sys_error("cannot write", files[i]);
			}
		}
		if (!jv_is_valid(r))
			goto fail_tmp;
		jv_free(r);
		free(p);	/* the last file's path */
		p = NULL;
	}
	free(p);
	p = NULL;
	if (asprintf(&p, "%s/lock", tmp) == -1 ||
	    (fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		r = sys_error("cannot create", p ? p : tmp);
		goto fail_tmp;
	}
	close(fd);
	if (sync && g != NULL) {
		/* the group's publish syncs it and puts it in place */
		g->pending = jv_array_append(g->pending, JV_OBJECT(
		    ASL_LIT("name"), jv_copy(namev), ASL_LIT("tmp"),
		    jv_string(tmp), ASL_LIT("meta"), jv_copy(meta),
		    ASL_LIT("definition"), definition));
		g->names = jv_object_set(g->names, jv_copy(namev), jv_true());
		r = meta;
		jv_free(history);
		goto out;
	}
	/* appear whole or not at all */
	if (rename(tmp, final) == -1) {
		if (errno == EEXIST || errno == ENOTEMPTY) {
			remove_tree(tmp);
			r = existing(st, name, meta, definition);
			jv_free(history);
			goto out;
		}
		r = sys_error("cannot create", final);
		goto fail_tmp;
	}
	if (sync && (fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
	r = meta;
	jv_free(definition);
	jv_free(history);
	goto out;
fail_tmp:
	remove_tree(tmp);
fail:
	jv_free(meta);
	jv_free(definition);
	jv_free(history);
out:
	jv_free(namev);
	free(dir);
	free(tmp);
	free(p);
	free(final);
	return r;
}

jv
asl_store_create_execution(const struct asl_store *st, jv meta, jv definition,
    jv history)
{
	return create_execution(st, NULL, meta, definition, history);
}

void
asl_store_group_init(struct asl_store_group *g)
{
	g->pending = jv_array();
	g->synced = 0;
	g->names = jv_object();
	g->sync = jv_object();
	g->failed = jv_object();
	g->fd = -1;
}

void
asl_store_group_release(struct asl_store_group *g)
{
	jv_free(g->pending);
	jv_free(g->names);
	jv_free(g->sync);
	jv_free(g->failed);
	g->pending = g->names = g->sync = g->failed = jv_null();
	if (g->fd != -1)
		close(g->fd);
	g->fd = -1;
}

int
asl_store_group_empty(const struct asl_store_group *g)
{
	return jv_array_length(jv_copy(g->pending)) == 0 &&
	    jv_object_length(jv_copy(g->sync)) == 0 &&
	    jv_object_length(jv_copy(g->failed)) == 0;
}

/*
 * The store's root held open from the group's first write on: syncfs
 * reports the write-back errors met since the descriptor was opened, so
 * it is open before anything it is to vouch for is written.
 */
static void
group_open(const struct asl_store *st, struct asl_store_group *g)
{
	if (g->fd == -1)
		g->fd = open(st->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

jv
asl_store_group_create_execution(const struct asl_store *st,
    struct asl_store_group *g, jv meta, jv definition, jv history)
{
	group_open(st, g);
	return create_execution(st, g, meta, definition, history);
}

void
asl_store_group_sync(struct asl_store_group *g, const char *path)
{
	g->sync = jv_object_set(g->sync, jv_string(path), jv_true());
}

jv
asl_store_group_commit(const struct asl_store *st, struct asl_store_group *g)
{
	/*
	 * One syncfs writes back and flushes the lot at once, where an
	 * fsync a file costs a disk flush and an inode write each on ext4.
	 */
	group_open(st, g);
	if (g->fd == -1 || syncfs(g->fd) == -1)
		return sys_error("cannot sync", st->root);
	g->synced = jv_array_length(jv_copy(g->pending));
	jv_free(g->sync);
	g->sync = jv_object();
	return jv_true();
}

void
asl_store_group_publish(const struct asl_store *st, struct asl_store_group *g)
{
	jv pending = g->pending;
	char *final, *dir;
	int placed = 0, n = g->synced;

	g->pending = jv_array();
	g->synced = 0;
	jv_array_foreach(pending, i, p) {
		jv name = jv_object_get(jv_copy(p), ASL_LIT("name"));
		jv tmp = jv_object_get(jv_copy(p), ASL_LIT("tmp"));
		if (i >= n) {
			/* built since the commit: not durable yet */
			g->pending = jv_array_append(g->pending, p);
			jv_free(name);
			jv_free(tmp);
			continue;
		}
		g->names = jv_object_delete(g->names, jv_copy(name));
		final = asl_store_path(st, "executions/%s",
		    jv_string_value(name));
		if (final != NULL && rename(jv_string_value(tmp), final) == 0)
			placed = 1;
		else {
			jv e = final == NULL ? asl_error("States.Runtime",
			    "out of memory") : errno == EEXIST ||
			    errno == ENOTEMPTY ?
			    /* another process made one of that name meanwhile */
			    existing(st, jv_string_value(name), jv_object_get(
			    jv_copy(p), ASL_LIT("meta")), jv_object_get(
			    jv_copy(p), ASL_LIT("definition"))) :
			    sys_error("cannot create", final);
			remove_tree(jv_string_value(tmp));
			if (!jv_is_valid(e))
				g->failed = jv_object_set(g->failed,
				    jv_copy(name), asl_error_object(e));
			else
				jv_free(e);
		}
		free(final);
		jv_free(name);
		jv_free(tmp);
		jv_free(p);
	}
	jv_free(pending);
	if (placed && (dir = asl_store_path(st, "executions")) != NULL) {
		asl_store_group_sync(g, dir);
		free(dir);
	}
}

jv
asl_store_group_failed(struct asl_store_group *g)
{
	jv r = g->failed;

	g->failed = jv_object();
	return r;
}

jv
asl_store_get_execution(const struct asl_store *st, const char *name)
{
	char *path;
	jv ok = asl_arn_name_check(name), v;

	if (!jv_is_valid(ok)) {
		jv_free(ok);
		return asl_error("ExecutionDoesNotExist", "Execution Does Not "
		    "Exist: '%s'", name);
	}
	path = asl_store_path(st, "executions/%s/execution.json", name);
	if (path == NULL || access(path, F_OK) == -1) {
		free(path);
		return asl_error("ExecutionDoesNotExist", "Execution Does Not "
		    "Exist: '%s'", name);
	}
	v = read_json(path);
	free(path);
	return v;
}

static int
by_start(const void *a, const void *b)
{
	const jv *x = a, *y = b;
	jv sx = jv_array_get(jv_copy(*x), 0), sy = jv_array_get(jv_copy(*y), 0);
	int c = strcmp(jv_string_value(sx), jv_string_value(sy));

	jv_free(sx);
	jv_free(sy);
	return c;
}

jv
asl_store_list_executions(const struct asl_store *st)
{
	char *dir = asl_store_path(st, "executions");
	DIR *d = dir != NULL ? opendir(dir) : NULL;
	struct dirent *e;
	jv pairs = jv_array(), names = jv_array();
	jv *v;
	int n, i;

	free(dir);
	if (d == NULL) {
		jv_free(pairs);
		return names;
	}
	while ((e = readdir(d)) != NULL) {
		jv meta;
		if (e->d_name[0] == '.')
			continue;
		meta = asl_store_get_execution(st, e->d_name);
		if (!jv_is_valid(meta)) {
			jv_free(meta);
			continue;
		}
		pairs = jv_array_append(pairs, JV_ARRAY(jv_object_get(meta,
		    ASL_LIT("startDate")), jv_string(e->d_name)));
	}
	closedir(d);
	n = jv_array_length(jv_copy(pairs));
	if ((v = calloc((size_t)n + 1, sizeof *v)) != NULL) {
		for (i = 0; i < n; i++)
			v[i] = jv_array_get(jv_copy(pairs), i);
		qsort(v, (size_t)n, sizeof *v, by_start);
		for (i = 0; i < n; i++)
			names = jv_array_append(names, jv_array_get(v[i], 1));
		free(v);
	}
	jv_free(pairs);
	return names;
}

int
asl_store_sweep(const struct asl_store *st)
{
	char *dir = asl_store_path(st, "executions"), *dash, *end, *p;
	DIR *d = dir != NULL ? opendir(dir) : NULL;
	struct dirent *e;
	long pid;
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, ".new-", 5) != 0 ||
		    (dash = strrchr(e->d_name, '-')) == NULL)
			continue;
		errno = 0;
		pid = strtol(dash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || pid <= 0 ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (asprintf(&p, "%s/%s", dir, e->d_name) == -1)
			break;
		remove_tree(p);
		free(p);
		n++;
	}
	if (d != NULL)
		closedir(d);
	free(dir);
	return n;
}

int
asl_store_lock(const struct asl_store *st, const char *name, int wait)
{
	char *path = asl_store_path(st, "executions/%s/lock", name);
	int fd, saved;

	if (path == NULL)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(path);
	if (fd == -1)
		return -1;
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == -1) {
		if (errno == EINTR)
			continue;
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

jv
asl_store_read(const struct asl_store *st, const char *fmt, const char *a,
    const char *b)
{
	char *path = asl_store_path(st, fmt, a, b);
	jv v;

	if (path == NULL)
		return jv_invalid();
	v = access(path, F_OK) == 0 ? asl_doc_read(path, ASL_FORMAT_JSON, 0, NULL) :
	    jv_invalid();
	free(path);
	return v;
}

jv
asl_store_putf(const struct asl_store *st, jv v, int excl, const char *fmt,
    const char *a, const char *b)
{
	char *rel;
	jv r;

	if (asprintf(&rel, fmt, a, b) == -1) {
		jv_free(v);
		return asl_error("States.Runtime", "out of memory");
	}
	r = asl_store_put(st, rel, v, excl);
	free(rel);
	return r;
}

char *
asl_store_execution_path(const struct asl_store *st, const char *name,
    const char *file)
{
	return asl_store_path(st, "executions/%s/%s", name, file);
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

jv
asl_store_list(const struct asl_store *st, const char *dir)
{
	char *path = asl_store_path(st, "%s", dir), **v = NULL, **nv;
	DIR *d = path != NULL ? opendir(path) : NULL;
	struct dirent *e;
	size_t n = 0, i, len;
	jv names = jv_array();

	free(path);
	if (d == NULL)
		return names;
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len <= 5 ||
		    strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		if ((nv = realloc(v, (n + 1) * sizeof *v)) == NULL)
			break;
		v = nv;
		if ((v[n] = strndup(e->d_name, len - 5)) == NULL)
			break;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof *v, by_text);
	for (i = 0; i < n; i++) {
		names = jv_array_append(names, jv_string(v[i]));
		free(v[i]);
	}
	free(v);
	return names;
}

jv
asl_store_remove(const struct asl_store *st, const char *fmt, const char *a,
    const char *b)
{
	char *rel, *path;
	jv r = jv_true();

	if (asprintf(&rel, fmt, a, b) == -1)
		return asl_error("States.Runtime", "out of memory");
	path = asl_store_path(st, "%s", rel);
	free(rel);
	if (path == NULL)
		return asl_error("States.Runtime", "out of memory");
	if (unlink(path) == -1 && errno != ENOENT)
		r = sys_error("cannot remove", path);
	free(path);
	return r;
}
