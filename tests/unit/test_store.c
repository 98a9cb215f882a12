/* test_store.c - unit tests for the store (src/store.c): creating, opening,
 * upgrading and refusing database files, meta values and transactions.
 *
 * Every test works in its own folder made with mkdtemp() under $TESTS_TMP
 * (or /tmp) and removes it afterwards.  The tests reach behind the public
 * header (store_private.h, SQLite directly) only to look at what the store
 * did and to forge files that other programs would have written. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "buildpaths.h"
#include "cpsreg/err.h"
#include "cpsreg/store.h"
#include "store_catalog.h"
#include "store_private.h"

struct fixture {
	char dir[PATH_MAX];
	char db[PATH_MAX];
};

/* --- helpers ------------------------------------------------------------- */

static int setup(void **state)
{
	const char *base = getenv("TESTS_TMP");
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (!base || !*base)
		base = "/tmp";
	snprintf(f->dir, sizeof(f->dir), "%s/test_store.XXXXXX", base);
	if (!mkdtemp(f->dir)) {
		fprintf(stderr, "mkdtemp %s: %s\n", f->dir, strerror(errno));
		free(f);
		return -1;
	}
	if (snprintf(f->db, sizeof(f->db), "%s/cps.db", f->dir) >=
	    (int)sizeof(f->db)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	chmod(path, 0700);
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nftw(f->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static void path_in(char *out, size_t len, const struct fixture *f,
		    const char *name)
{
	int n = snprintf(out, len, "%s/%s", f->dir, name);

	assert_true(n > 0 && (size_t)n < len);
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	if (len > 0)
		assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* The whole file in a malloc'd buffer (the caller frees it). */
static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;

	assert_non_null(fp);
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t got = fread(buf + n, 1, cap - n, fp);

		if (got == 0)
			break;
		n += got;
	}
	assert_int_equal(ferror(fp), 0);
	fclose(fp);
	*len = n;
	return buf;
}

static void assert_same_bytes(const unsigned char *a, size_t alen,
			      const unsigned char *b, size_t blen)
{
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
}

static int pragma_int(struct cps_store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v;

	assert_int_equal(sqlite3_prepare_v2(cps_store_db(s), sql, -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void pragma_text(struct cps_store *s, const char *sql, char *buf,
			size_t len)
{
	sqlite3_stmt *st = NULL;

	assert_int_equal(sqlite3_prepare_v2(cps_store_db(s), sql, -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static int table_exists(struct cps_store *s, const char *name)
{
	sqlite3_stmt *st = NULL;
	int found;

	assert_int_equal(sqlite3_prepare_v2(cps_store_db(s),
		"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
		-1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC),
			 SQLITE_OK);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* Writes an SQLite file as another program would (rollback journal). */
static void forge_sqlite(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}

static void assert_no_wal(const char *db)
{
	char wal[PATH_MAX];

	assert_true(snprintf(wal, sizeof(wal), "%s-wal", db) <
		    (int)sizeof(wal));
	assert_false(exists(wal));
}

/* Opens a file that must be refused with want, and checks that the file's
 * bytes did not change and the message names the file. */
static void assert_refused(const char *path, enum cps_err want,
			   struct cps_error *err)
{
	struct cps_store *s = (struct cps_store *)&s; /* must become NULL */
	size_t before_len, after_len;
	unsigned char *before = read_file(path, &before_len);
	unsigned char *after;

	assert_int_equal(cps_store_open(&s, path, err), want);
	assert_null(s);
	assert_int_equal(err->code, want);
	assert_contains(err->msg, path);
	after = read_file(path, &after_len);
	assert_same_bytes(before, before_len, after, after_len);
	free(before);
	free(after);
}

/* Schema steps of a pretend program, in two releases and a broken one. */
static const struct cps_migration test_migs[] = {
	{ 1, "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL,"
	     " value TEXT NOT NULL) STRICT;" },
	{ 2, "CREATE TABLE extra (id INTEGER PRIMARY KEY, note TEXT) STRICT;"
	     "INSERT INTO meta (key, value) VALUES ('v2', 'yes');" },
};

static const struct cps_migration broken_migs[] = {
	{ 1, "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL,"
	     " value TEXT NOT NULL) STRICT;" },
	{ 2, "CREATE TABLE half (x INTEGER) STRICT;"
	     "INSERT INTO meta (key, value) VALUES ('v2', 'yes');"
	     "THIS IS NOT SQL;" },
};

/* --- creating ------------------------------------------------------------ */

static void test_create_new(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	struct stat st;
	char buf[CPS_STORE_META_MAX], wal[PATH_MAX];

	assert_false(exists(f->db));
	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_non_null(s);

	assert_int_equal(stat(f->db, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);

	assert_true(cps_store_latest_version() >= 1);
	assert_int_equal(cps_store_version(s), cps_store_latest_version());
	assert_int_equal(pragma_int(s, "PRAGMA user_version"),
			 cps_store_latest_version());
	assert_int_equal(pragma_int(s, "PRAGMA application_id"),
			 CPS_STORE_APPLICATION_ID);
	pragma_text(s, "PRAGMA journal_mode", buf, sizeof(buf));
	assert_string_equal(buf, "wal");
	assert_int_equal(pragma_int(s, "PRAGMA foreign_keys"), 1);
	assert_int_equal(pragma_int(s, "PRAGMA synchronous"), 2); /* FULL */

	assert_int_equal(cps_store_meta_get(s, "created_by", buf, sizeof(buf),
					    &err), CPS_OK);
	assert_string_equal(buf, "cpsreg " CPS_VERSION);
	assert_int_equal(cps_store_meta_get(s, "created_at", buf, sizeof(buf),
					    &err), CPS_OK);
	/* 2024-05-01T12:34:56Z */
	assert_int_equal(strlen(buf), 20);
	assert_int_equal(buf[4], '-');
	assert_int_equal(buf[10], 'T');
	assert_int_equal(buf[19], 'Z');

	/* SQLite gives the journal the database's mode */
	assert_true(snprintf(wal, sizeof(wal), "%s-wal", f->db) <
		    (int)sizeof(wal));
	assert_int_equal(stat(wal, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	cps_store_close(s);
}

static void test_missing_parents_created(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	char path[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	mode_t old = umask(022);

	path_in(path, sizeof(path), f, "a/b/c/cps.db");
	assert_int_equal(cps_store_open(&s, path, &err), CPS_OK);
	umask(old);
	cps_store_close(s);
	assert_true(exists(path));
	path_in(dir, sizeof(dir), f, "a");
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	path_in(dir, sizeof(dir), f, "a/b/c");
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
}

static void test_mode_despite_umask(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	struct stat st;
	mode_t old = umask(0277);

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	umask(old);
	cps_store_close(s);
	assert_int_equal(stat(f->db, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

/* --- a shop's shared folder --------------------------------------------- */

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* In a set-group-ID folder of the shop's group the database, its journal
 * and shared memory are the group's (0660) whatever the umask, and a
 * folder made below it lets the group in. */
static void test_shared_folder(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	struct group *g = getgrgid(getegid());
	char shop[PATH_MAX], db[PATH_MAX], side[PATH_MAX + 8], sub[PATH_MAX], name[256];
	mode_t old;

	assert_non_null(g);
	snprintf(name, sizeof(name), "%s", g->gr_name);
	path_in(shop, sizeof(shop), f, "shop");
	assert_int_equal(mkdir(shop, 0700), 0);
	assert_int_equal(chmod(shop, 02770), 0);
	path_in(db, sizeof(db), f, "shop/cps.db");
	old = umask(077);
	assert_int_equal(cps_store_open_shop(&s, db, name, &err), CPS_OK);
	umask(old);
	assert_int_equal(mode_of(db), 0660);
	snprintf(side, sizeof(side), "%s-wal", db);
	assert_int_equal(mode_of(side), 0660);
	snprintf(side, sizeof(side), "%s-shm", db);
	assert_int_equal(mode_of(side), 0660);
	cps_store_close(s);

	path_in(db, sizeof(db), f, "shop/branch/cps.db");
	assert_int_equal(cps_store_open_shop(&s, db, name, &err), CPS_OK);
	cps_store_close(s);
	path_in(sub, sizeof(sub), f, "shop/branch");
	assert_int_equal(mode_of(sub), 02770);
	assert_int_equal(mode_of(db), 0660);
}

/* A set-group-ID folder alone is no shop: without general.group, or when
 * the folder belongs to another group than the shop's, the database and
 * the folders made for it stay private to their owner. */
static void test_setgid_folder_is_not_a_shop(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	struct group *g;
	char shop[PATH_MAX], db[PATH_MAX], side[PATH_MAX + 8], sub[PATH_MAX];
	char other[256] = "";

	path_in(shop, sizeof(shop), f, "setgid");
	assert_int_equal(mkdir(shop, 0700), 0);
	assert_int_equal(chmod(shop, 02770), 0);
	path_in(db, sizeof(db), f, "setgid/cps.db");
	assert_int_equal(cps_store_open(&s, db, &err), CPS_OK);
	snprintf(side, sizeof(side), "%s-wal", db);
	assert_int_equal(mode_of(side), 0600);
	cps_store_close(s);
	assert_int_equal(mode_of(db), 0600);
	assert_int_equal(cps_store_open_shop(&s, db, "", &err), CPS_OK);
	cps_store_close(s);
	assert_int_equal(mode_of(db), 0600);
	path_in(db, sizeof(db), f, "setgid/branch/cps.db");
	assert_int_equal(cps_store_open(&s, db, &err), CPS_OK);
	cps_store_close(s);
	path_in(sub, sizeof(sub), f, "setgid/branch");
	assert_int_equal(mode_of(sub) & 0777, 0700);
	assert_int_equal(mode_of(db), 0600);

	/* a group configured that is not the folder's */
	setgrent();
	while ((g = getgrent()) != NULL)
		if (g->gr_gid != getegid()) {
			snprintf(other, sizeof(other), "%s", g->gr_name);
			break;
		}
	endgrent();
	if (!other[0])
		return;
	path_in(db, sizeof(db), f, "setgid/other.db");
	assert_int_equal(cps_store_open_shop(&s, db, other, &err), CPS_OK);
	cps_store_close(s);
	assert_int_equal(mode_of(db), 0600);
}

/* A database made private before the folder was shared is opened up by
 * its owner's next start; outside a shared folder nothing changes. */
static void test_shared_folder_opens_an_old_file(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	struct group *g = getgrgid(getegid());
	char side[PATH_MAX + 8], name[256];

	assert_non_null(g);
	snprintf(name, sizeof(name), "%s", g->gr_name);
	assert_int_equal(cps_store_open_shop(&s, f->db, name, &err), CPS_OK);
	cps_store_close(s);
	assert_int_equal(mode_of(f->db), 0600);
	assert_int_equal(cps_store_open_shop(&s, f->db, name, &err), CPS_OK);
	cps_store_close(s);
	assert_int_equal(mode_of(f->db), 0600);

	assert_int_equal(chmod(f->dir, 02770), 0);
	assert_int_equal(cps_store_open_shop(&s, f->db, name, &err), CPS_OK);
	snprintf(side, sizeof(side), "%s-wal", f->db);
	assert_int_equal(mode_of(side), 0660);
	cps_store_close(s);
	assert_int_equal(mode_of(f->db), 0660);
}

/* cps_store_share_folder makes the data folder the group's. */
static void test_share_folder_for_a_group(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	struct group *g = getgrgid(getegid());
	char db[PATH_MAX], dir[PATH_MAX];
	struct stat st;

	assert_non_null(g);
	path_in(db, sizeof(db), f, "var/lib/cpsreg/cps.db");
	path_in(dir, sizeof(dir), f, "var/lib/cpsreg");
	assert_int_equal(cps_store_share_folder(db, g->gr_name, &err), CPS_OK);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 02770);
	assert_int_equal(st.st_gid, getegid());
	assert_int_equal(cps_store_open_shop(&s, db, g->gr_name, &err), CPS_OK);
	cps_store_close(s);
	assert_int_equal(mode_of(db), 0660);

	/* an existing folder of ours is put right; twice is the same */
	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(cps_store_share_folder(db, g->gr_name, &err), CPS_OK);
	assert_int_equal(mode_of(dir), 02770);
	assert_int_equal(cps_store_share_folder(db, g->gr_name, &err), CPS_OK);
	/* no group named: nothing to do */
	assert_int_equal(cps_store_share_folder(db, "", &err), CPS_OK);

	assert_int_equal(cps_store_share_folder(db, "no-such-cps-group", &err),
			 CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "no-such-cps-group"));

	/* another user's folder: its owner is told what to run */
	if (geteuid() == 0) {
		assert_int_equal(chmod(dir, 0755), 0);
		assert_int_equal(chown(dir, 65534, (gid_t)-1), 0);
		assert_int_equal(cps_store_share_folder(db, g->gr_name, &err),
				 CPS_ERR_IO);
		assert_non_null(strstr(err.msg, "chmod 2770"));
		assert_int_equal(mode_of(dir), 0755);
	}
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* An empty database file is what a full disk or a bad restore leaves: it
 * is refused and left as it is, never silently made a new database. */
static void test_empty_file_refused(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	struct timespec old[2] = { { time(NULL) - 3600, 0 }, { time(NULL) - 3600, 0 } };
	char wal[PATH_MAX + 8];

	write_file(f->db, "", 0);
	assert_int_equal(utimensat(AT_FDCWD, f->db, old, 0), 0);
	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_ERR_CORRUPT);
	assert_null(s);
	assert_contains(err.msg, f->db);
	assert_contains(err.msg, "empty");
	assert_contains(err.msg, "untouched");
	assert_int_equal(file_size(f->db), 0);
	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	assert_int_equal(file_size(wal), -1);
}

/* A new database appears whole or not at all: a process killed at any
 * moment of making one leaves nothing that the next start refuses. */
static void test_killed_while_creating(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	int whole = 0, absent = 0;
	char path[PATH_MAX + 32];

	for (int i = 0; i < 40; i++) {
		/* 0 to 39 ms: before, during and after the making (a new
		 * database takes a few milliseconds here, more under load) */
		long us = i * 1000L;
		const struct timespec wait = { us / 1000000, us % 1000000 * 1000 };
		struct cps_store *s = NULL;
		pid_t pid;

		snprintf(path, sizeof(path), "%s/new-%d/cps.db", f->dir, i);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct cps_store *c = NULL;
			struct cps_error e = { 0 };

			cps_store_open(&c, path, &e);
			_exit(0);
		}
		nanosleep(&wait, NULL);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, NULL, 0), pid);
		if (access(path, F_OK) == 0)
			whole++;
		else
			absent++;
		if (cps_store_open(&s, path, &err) != CPS_OK)
			fail_msg("after a kill at %ld us: %s", us, err.msg);
		assert_int_equal(cps_store_version(s), cps_store_latest_version());
		assert_true(table_exists(s, "meta"));
		cps_store_close(s);
	}
	print_message("# killed while creating: %d left a whole database, %d none\n", whole, absent);
}

static void test_all_tables_strict(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_true(pragma_int(s, "SELECT count(*) FROM pragma_table_list"
				  " WHERE schema = 'main' AND type = 'table'"
				  " AND name NOT LIKE 'sqlite_%'") >= 1);
	assert_int_equal(pragma_int(s, "SELECT count(*) FROM pragma_table_list"
				       " WHERE schema = 'main' AND type = 'table'"
				       " AND name NOT LIKE 'sqlite_%' AND strict = 0"),
			 0);
	cps_store_close(s);
}

/* --- reopening and upgrading --------------------------------------------- */

static void test_reopen_keeps_data(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	char created[CPS_STORE_META_MAX], buf[CPS_STORE_META_MAX];

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(s, "till", "north desk", &err),
			 CPS_OK);
	assert_int_equal(cps_store_meta_get(s, "created_at", created,
					    sizeof(created), &err), CPS_OK);
	cps_store_close(s);

	s = NULL;
	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_int_equal(cps_store_version(s), cps_store_latest_version());
	assert_int_equal(cps_store_meta_get(s, "till", buf, sizeof(buf), &err),
			 CPS_OK);
	assert_string_equal(buf, "north desk");
	assert_int_equal(cps_store_meta_get(s, "created_at", buf, sizeof(buf),
					    &err), CPS_OK);
	assert_string_equal(buf, created);
	cps_store_close(s);
}

static void test_upgrade(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	char buf[CPS_STORE_META_MAX];

	assert_int_equal(cps_store_open_with(&s, f->db, test_migs, 1, &err),
			 CPS_OK);
	assert_int_equal(cps_store_version(s), 1);
	assert_int_equal(cps_store_meta_set(s, "kept", "yes", &err), CPS_OK);
	assert_false(table_exists(s, "extra"));
	cps_store_close(s);

	s = NULL;
	assert_int_equal(cps_store_open_with(&s, f->db, test_migs, 2, &err),
			 CPS_OK);
	assert_int_equal(cps_store_version(s), 2);
	assert_int_equal(pragma_int(s, "PRAGMA user_version"), 2);
	assert_int_equal(pragma_int(s, "PRAGMA application_id"),
			 CPS_STORE_APPLICATION_ID);
	assert_int_equal(pragma_int(s, "PRAGMA foreign_keys"), 1);
	assert_true(table_exists(s, "extra"));
	assert_int_equal(cps_store_meta_get(s, "kept", buf, sizeof(buf), &err),
			 CPS_OK);
	assert_string_equal(buf, "yes");
	assert_int_equal(cps_store_meta_get(s, "v2", buf, sizeof(buf), &err),
			 CPS_OK);
	assert_string_equal(buf, "yes");
	cps_store_close(s);
}

static void test_failed_upgrade_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	char buf[CPS_STORE_META_MAX];

	assert_int_equal(cps_store_open_with(&s, f->db, broken_migs, 1, &err),
			 CPS_OK);
	assert_int_equal(cps_store_meta_set(s, "kept", "yes", &err), CPS_OK);
	cps_store_close(s);

	s = (struct cps_store *)&s;
	assert_int_equal(cps_store_open_with(&s, f->db, broken_migs, 2, &err),
			 CPS_ERR_STORE);
	assert_null(s);
	assert_contains(err.msg, f->db);
	assert_contains(err.msg, "version 1 to 2");

	/* still a good version 1 file, without any of step 2 */
	assert_int_equal(cps_store_open_with(&s, f->db, broken_migs, 1, &err),
			 CPS_OK);
	assert_int_equal(cps_store_version(s), 1);
	assert_int_equal(pragma_int(s, "PRAGMA user_version"), 1);
	assert_false(table_exists(s, "half"));
	assert_int_equal(cps_store_meta_get(s, "v2", buf, sizeof(buf), &err),
			 CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_store_meta_get(s, "kept", buf, sizeof(buf), &err),
			 CPS_OK);
	assert_int_equal(pragma_int(s, "PRAGMA foreign_keys"), 1);
	cps_store_close(s);
}

static void test_upgrade_checks_foreign_keys(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	static const struct cps_migration dangling[] = {
		{ 1, "CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;" },
		{ 2, "CREATE TABLE child (id INTEGER PRIMARY KEY,"
		     " parent INTEGER NOT NULL REFERENCES parent (id)) STRICT;"
		     "INSERT INTO child (id, parent) VALUES (1, 42);" },
	};

	assert_int_equal(cps_store_open_with(&s, f->db, dangling, 2, &err),
			 CPS_ERR_STORE);
	assert_null(s);
	assert_contains(err.msg, "missing rows");
	assert_int_equal(cps_store_open_with(&s, f->db, dangling, 1, &err),
			 CPS_OK);
	assert_int_equal(cps_store_version(s), 1);
	assert_false(table_exists(s, "child"));
	cps_store_close(s);
}

static void test_bad_migration_table(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	static const struct cps_migration gap[] = {
		{ 1, "CREATE TABLE a (x INTEGER) STRICT;" },
		{ 3, "CREATE TABLE b (x INTEGER) STRICT;" },
	};

	assert_int_equal(cps_store_open_with(&s, f->db, gap, 2, &err),
			 CPS_ERR_INVALID);
	assert_null(s);
	assert_int_equal(cps_store_open_with(&s, f->db, test_migs, 0, &err),
			 CPS_ERR_INVALID);
	assert_int_equal(cps_store_open(&s, "", &err), CPS_ERR_INVALID);
	assert_int_equal(cps_store_open(&s, NULL, &err), CPS_ERR_INVALID);
	assert_int_equal(cps_store_open(NULL, f->db, &err), CPS_ERR_INVALID);
	/* nothing was created on the way */
	assert_false(exists(f->db));
}

/* --- refusing ------------------------------------------------------------ */

static void test_newer_file_refused(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	char num[32];

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_int_equal(sqlite3_exec(cps_store_db(s), "PRAGMA user_version = 99",
				      NULL, NULL, NULL), SQLITE_OK);
	cps_store_close(s);

	assert_refused(f->db, CPS_ERR_SCHEMA, &err);
	assert_contains(err.msg, "99");
	snprintf(num, sizeof(num), "%d", cps_store_latest_version());
	assert_contains(err.msg, num);
	assert_contains(err.msg, "newer cpsreg");
}

static void test_older_program_refuses(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	size_t before_len, after_len;
	unsigned char *before, *after;

	assert_int_equal(cps_store_open_with(&s, f->db, test_migs, 2, &err),
			 CPS_OK);
	cps_store_close(s);
	before = read_file(f->db, &before_len);
	s = NULL;
	assert_int_equal(cps_store_open_with(&s, f->db, test_migs, 1, &err),
			 CPS_ERR_SCHEMA);
	assert_null(s);
	assert_contains(err.msg, "version 2");
	assert_contains(err.msg, "version 1");
	after = read_file(f->db, &after_len);
	assert_same_bytes(before, before_len, after, after_len);
	free(before);
	free(after);
}

static void test_text_file_refused(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	static const char text[] = "[general]\nlanguage = nb\n";
	static const char short_head[] = "SQLite format 3";

	write_file(f->db, text, sizeof(text) - 1);
	assert_refused(f->db, CPS_ERR_CORRUPT, &err);
	assert_contains(err.msg, "untouched");
	assert_no_wal(f->db);

	/* the right start but too short to be a database */
	write_file(f->db, short_head, sizeof(short_head));
	assert_refused(f->db, CPS_ERR_CORRUPT, &err);
	assert_no_wal(f->db);
}

static void test_damaged_file_refused(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	unsigned char *bytes;
	size_t len;

	forge_sqlite(f->db, "PRAGMA application_id = 1129337682;"
			    "PRAGMA user_version = 1;"
			    "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL,"
			    " value TEXT NOT NULL) STRICT;");
	bytes = read_file(f->db, &len);
	assert_true(len > 200);
	/* wreck the schema page's b-tree header, keep the file header */
	memset(bytes + 100, 0xa5, 100);
	write_file(f->db, bytes, len);
	free(bytes);

	assert_refused(f->db, CPS_ERR_CORRUPT, &err);
	assert_contains(err.msg, "untouched");
}

static void test_other_application_refused(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };

	forge_sqlite(f->db, "PRAGMA application_id = 305419896;" /* 0x12345678 */
			    "CREATE TABLE contacts (name TEXT);"
			    "INSERT INTO contacts VALUES ('Kari');");
	assert_refused(f->db, CPS_ERR_CORRUPT, &err);
	assert_contains(err.msg, "untouched");
	assert_contains(err.msg, "0x12345678");
	assert_no_wal(f->db);
}

static void test_foreign_tables_refused(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	char other[PATH_MAX];

	/* no application id, no version, but tables: somebody else's */
	forge_sqlite(f->db, "CREATE TABLE contacts (name TEXT);"
			    "INSERT INTO contacts VALUES ('Kari');");
	assert_refused(f->db, CPS_ERR_CORRUPT, &err);
	assert_contains(err.msg, "untouched");
	assert_no_wal(f->db);

	/* a version of its own but no application id */
	path_in(other, sizeof(other), f, "versioned.db");
	forge_sqlite(other, "PRAGMA user_version = 1;");
	assert_refused(other, CPS_ERR_CORRUPT, &err);
	assert_no_wal(other);
}

static void test_unusable_paths(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	char plain[PATH_MAX], under[PATH_MAX], locked[PATH_MAX];

	/* a folder that cannot exist: its parent is a regular file */
	path_in(plain, sizeof(plain), f, "plain");
	write_file(plain, "x", 1);
	path_in(under, sizeof(under), f, "plain/x.db");
	assert_int_equal(cps_store_open(&s, under, &err), CPS_ERR_IO);
	assert_null(s);
	assert_contains(err.msg, under);
	assert_contains(err.msg, strerror(ENOTDIR));

	path_in(under, sizeof(under), f, "plain/sub/x.db");
	assert_int_equal(cps_store_open(&s, under, &err), CPS_ERR_IO);
	assert_contains(err.msg, strerror(ENOTDIR));

	assert_int_equal(cps_store_open(&s, "/etc/passwd/x.db", &err),
			 CPS_ERR_IO);
	assert_contains(err.msg, "/etc/passwd/x.db");

	/* a symbolic link to nothing: said so, not "File exists" */
	path_in(under, sizeof(under), f, "dangling.db");
	assert_int_equal(symlink("/nonexistent-folder/cps.db", under), 0);
	assert_int_equal(cps_store_open(&s, under, &err), CPS_ERR_IO);
	assert_null(s);
	assert_contains(err.msg, "symbolic link");
	assert_contains(err.msg, "/nonexistent-folder/cps.db");
	assert_null(strstr(err.msg, strerror(EEXIST)));

	/* a folder where the database should be */
	assert_int_equal(cps_store_open(&s, f->dir, &err), CPS_ERR_IO);
	assert_contains(err.msg, f->dir);

	/* root reads and writes anything, so only an ordinary user can
	 * meet a file it may not open */
	if (geteuid() != 0) {
		path_in(locked, sizeof(locked), f, "locked.db");
		assert_int_equal(cps_store_open(&s, locked, &err), CPS_OK);
		cps_store_close(s);
		s = NULL;
		assert_int_equal(chmod(locked, 0), 0);
		assert_int_equal(cps_store_open(&s, locked, &err), CPS_ERR_IO);
		assert_null(s);
		assert_contains(err.msg, locked);
		assert_contains(err.msg, strerror(EACCES));
	}
}

/* --- meta and transactions ----------------------------------------------- */

static void test_meta(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	char buf[CPS_STORE_META_MAX], tiny[4], big[CPS_STORE_META_MAX + 1];

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	strcpy(buf, "stale");
	assert_int_equal(cps_store_meta_get(s, "nothing", buf, sizeof(buf), &err),
			 CPS_ERR_NOT_FOUND);
	assert_string_equal(buf, "");
	assert_contains(err.msg, "nothing");

	assert_int_equal(cps_store_meta_set(s, "k", "one", &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(s, "k", "two", &err), CPS_OK);
	assert_int_equal(cps_store_meta_get(s, "k", buf, sizeof(buf), &err),
			 CPS_OK);
	assert_string_equal(buf, "two");

	/* quotes and non-ASCII go through untouched (bound, not pasted) */
	assert_int_equal(cps_store_meta_set(s, "q", "it's \"Ærø\"; --", &err),
			 CPS_OK);
	assert_int_equal(cps_store_meta_get(s, "q", buf, sizeof(buf), &err),
			 CPS_OK);
	assert_string_equal(buf, "it's \"Ærø\"; --");

	assert_int_equal(cps_store_meta_get(s, "k", tiny, 3, &err),
			 CPS_ERR_INVALID);
	assert_int_equal(cps_store_meta_get(s, "k", tiny, 4, &err), CPS_OK);
	assert_string_equal(tiny, "two");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(cps_store_meta_set(s, "big", big, &err),
			 CPS_ERR_INVALID);
	big[CPS_STORE_META_MAX - 1] = '\0';
	assert_int_equal(cps_store_meta_set(s, "big", big, &err), CPS_OK);
	assert_int_equal(cps_store_meta_get(s, "big", buf, sizeof(buf), &err),
			 CPS_OK);
	assert_string_equal(buf, big);

	assert_int_equal(cps_store_meta_set(s, "k", NULL, &err), CPS_ERR_INVALID);
	assert_int_equal(cps_store_meta_get(s, NULL, buf, sizeof(buf), &err),
			 CPS_ERR_INVALID);
	cps_store_close(s);
}

static void test_transactions(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	char buf[CPS_STORE_META_MAX];

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	cps_store_rollback(s); /* nothing open: nothing happens */

	assert_int_equal(cps_store_begin(s, &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(s, "a", "1", &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(s, "b", "2", &err), CPS_OK);
	cps_store_rollback(s);
	assert_int_equal(cps_store_meta_get(s, "a", buf, sizeof(buf), &err),
			 CPS_ERR_NOT_FOUND);
	assert_int_equal(cps_store_meta_get(s, "b", buf, sizeof(buf), &err),
			 CPS_ERR_NOT_FOUND);

	assert_int_equal(cps_store_begin(s, &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(s, "a", "1", &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(s, "b", "2", &err), CPS_OK);
	assert_int_equal(cps_store_commit(s, &err), CPS_OK);
	assert_int_equal(cps_store_meta_get(s, "b", buf, sizeof(buf), &err),
			 CPS_OK);
	assert_string_equal(buf, "2");

	/* a commit without a transaction is an error, not a crash */
	assert_int_equal(cps_store_commit(s, &err), CPS_ERR_STORE);

	/* closing with a transaction open throws it away */
	assert_int_equal(cps_store_begin(s, &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(s, "c", "3", &err), CPS_OK);
	cps_store_close(s);
	s = NULL;
	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_int_equal(cps_store_meta_get(s, "c", buf, sizeof(buf), &err),
			 CPS_ERR_NOT_FOUND);
	cps_store_close(s);
}

static void test_busy(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *a = NULL, *b = NULL;
	char buf[CPS_STORE_META_MAX];

	assert_int_equal(cps_store_open(&a, f->db, &err), CPS_OK);
	assert_int_equal(cps_store_begin(a, &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(a, "owner", "a", &err), CPS_OK);

	/* a second connection can open and read while a writes (WAL) ... */
	assert_int_equal(cps_store_open(&b, f->db, &err), CPS_OK);
	assert_int_equal(cps_store_meta_get(b, "owner", buf, sizeof(buf), &err),
			 CPS_ERR_NOT_FOUND);
	/* ... but not write; a short timeout keeps the test fast */
	assert_int_equal(sqlite3_busy_timeout(cps_store_db(b), 50), SQLITE_OK);
	assert_int_equal(cps_store_begin(b, &err), CPS_ERR_BUSY);
	assert_contains(err.msg, f->db);
	assert_int_equal(cps_store_meta_set(b, "owner", "b", &err),
			 CPS_ERR_BUSY);

	assert_int_equal(cps_store_commit(a, &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(b, "owner", "b", &err), CPS_OK);
	assert_int_equal(cps_store_meta_get(a, "owner", buf, sizeof(buf), &err),
			 CPS_OK);
	assert_string_equal(buf, "b");
	cps_store_close(b);
	cps_store_close(a);
}

/* The busy timeout can be set for a moment (the wizard's retries while the
 * customer types) and put back: the setter says the value before, and a
 * write under another's lock still fails with CPS_ERR_BUSY, never quietly. */
static void test_busy_timeout_set_and_put_back(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *a = NULL, *b = NULL;

	assert_int_equal(cps_store_open(&a, f->db, &err), CPS_OK);
	assert_int_equal(cps_store_open(&b, f->db, &err), CPS_OK);
	assert_int_equal(cps_store_busy_timeout(b, -1), 5000);   /* as opened */
	assert_int_equal(cps_store_busy_timeout(b, 0), 5000);
	assert_int_equal(cps_store_busy_timeout(b, -1), 0);
	assert_int_equal(cps_store_begin(a, &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(b, "owner", "b", &err), CPS_ERR_BUSY);
	assert_int_equal(cps_store_busy_timeout(b, 5000), 0);
	assert_int_equal(cps_store_commit(a, &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(b, "owner", "b", &err), CPS_OK);
	cps_store_close(b);
	cps_store_close(a);
}

/* A writer in a tight loop must not starve another: each of the other's
 * writes gets through within the busy timeout (staff commands and the
 * wizard's saves once failed with "in use" beside a busy writer). */
static void test_busy_is_fair(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	int stop[2];
	pid_t pid;
	char val[32];

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	cps_store_close(s);
	s = NULL;
	assert_int_equal(pipe(stop), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct cps_store *w = NULL;
		struct cps_error e = { 0 };
		unsigned long n = 0;

		close(stop[1]);
		fcntl(stop[0], F_SETFL, O_NONBLOCK);
		if (cps_store_open(&w, f->db, &e) != CPS_OK)
			_exit(2);
		/* until the parent closes its end, or 20 s at most */
		for (time_t end = time(NULL) + 20; time(NULL) < end; n++) {
			char c;

			if (read(stop[0], &c, 1) == 0)
				break;
			snprintf(val, sizeof(val), "%lu", n);
			if (cps_store_begin(w, &e) == CPS_OK) {
				cps_store_meta_set(w, "loop", val, &e);
				cps_store_commit(w, &e);
			}
		}
		cps_store_close(w);
		_exit(0);
	}
	close(stop[0]);
	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	for (int i = 0; i < 200; i++) {
		snprintf(val, sizeof(val), "%d", i);
		if (cps_store_begin(s, &err) != CPS_OK ||
		    cps_store_meta_set(s, "other", val, &err) != CPS_OK ||
		    cps_store_commit(s, &err) != CPS_OK) {
			close(stop[1]);
			waitpid(pid, NULL, 0);
			fail_msg("write %d failed beside a busy writer: %s", i, err.msg);
		}
	}
	close(stop[1]);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_int_equal(cps_store_meta_get(s, "other", val, sizeof(val), &err), CPS_OK);
	assert_string_equal(val, "199");
	cps_store_close(s);
}

/* A bind that fails stops the statement: the later binds are skipped and
 * the statement never runs with NULL in place of the value. */
static void test_failed_bind_stops_the_statement(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	sqlite3_stmt *st;
	int rc;

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_int_equal(cps_store_meta_set(s, "bind_test", "before", &err), CPS_OK);
	rc = sqlite3_prepare_v2(cps_store_db(s),
		"UPDATE meta SET value = ?1 WHERE key = 'bind_test'", -1, &st, NULL);
	assert_int_equal(rc, SQLITE_OK);
	cps_bind_int64(st, 2, 7, &rc);          /* no parameter 2 */
	assert_int_equal(rc, SQLITE_RANGE);
	cps_bind_text(st, 1, "after", &rc);     /* skipped: rc holds the failure */
	assert_int_equal(rc, SQLITE_RANGE);
	assert_int_equal(cps_store_step(st, rc), SQLITE_RANGE);
	sqlite3_finalize(st);

	char buf[CPS_STORE_META_MAX];
	assert_int_equal(cps_store_meta_get(s, "bind_test", buf, sizeof(buf), &err), CPS_OK);
	assert_string_equal(buf, "before");

	/* all binds good: it runs */
	rc = sqlite3_prepare_v2(cps_store_db(s),
		"UPDATE meta SET value = ?1 WHERE key = 'bind_test'", -1, &st, NULL);
	assert_int_equal(rc, SQLITE_OK);
	cps_bind_text(st, 1, "after", &rc);
	assert_int_equal(cps_store_step(st, rc), SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(cps_store_meta_get(s, "bind_test", buf, sizeof(buf), &err), CPS_OK);
	assert_string_equal(buf, "after");
	cps_store_close(s);
}

/* A kept statement comes back reset and unbound, the same one each time;
 * the same text asked for while it is in use gets a statement of its own. */
static void test_kept_statements(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	sqlite3_stmt *st, *again, *inner;
	int rc;

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_int_equal(cps_store_prepare(s, "SELECT ?1", &st), SQLITE_OK);
	rc = SQLITE_OK;
	cps_bind_int(st, 1, 42, &rc);
	assert_int_equal(cps_store_step(st, rc), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 42);

	/* still in use: another statement, which release finalizes */
	assert_int_equal(cps_store_prepare(s, "SELECT ?1", &inner), SQLITE_OK);
	assert_ptr_not_equal(inner, st);
	assert_int_equal(sqlite3_step(inner), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(inner, 0), SQLITE_NULL);
	cps_store_release(s, inner);

	cps_store_release(s, st);
	assert_false(sqlite3_stmt_busy(st));
	assert_int_equal(cps_store_prepare(s, "SELECT ?1", &again), SQLITE_OK);
	assert_ptr_equal(again, st);
	/* the 42 bound before is gone */
	assert_int_equal(sqlite3_step(again), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(again, 0), SQLITE_NULL);
	cps_store_release(s, again);

	/* another text, another statement */
	assert_int_equal(cps_store_prepare(s, "SELECT ?1 + 1", &again), SQLITE_OK);
	assert_ptr_not_equal(again, st);
	cps_store_release(s, again);
	/* a bad text fails as SQLite's prepare does */
	assert_int_not_equal(cps_store_prepare(s, "SELEC nothing", &again), SQLITE_OK);
	assert_null(again);

	/* a buffer that holds another text at the same address gets that
	 * text's statement: the address is only a hint */
	{
		char buf[32];
		for (int i = 0; i < 40; i++) {
			snprintf(buf, sizeof(buf), "SELECT %d", i % 3);
			assert_int_equal(cps_store_prepare(s, buf, &again), SQLITE_OK);
			assert_int_equal(sqlite3_step(again), SQLITE_ROW);
			assert_int_equal(sqlite3_column_int(again, 0), i % 3);
			cps_store_release(s, again);
		}
	}
	/* the same text from two places: one kept statement */
	{
		char a[] = "SELECT ?1 * 2", b[] = "SELECT ?1 * 2";
		sqlite3_stmt *x, *y;
		assert_int_equal(cps_store_prepare(s, a, &x), SQLITE_OK);
		cps_store_release(s, x);
		assert_int_equal(cps_store_prepare(s, b, &y), SQLITE_OK);
		assert_ptr_equal(x, y);
		cps_store_release(s, y);
		assert_int_equal(cps_store_prepare(s, a, &y), SQLITE_OK);
		assert_ptr_equal(x, y);
		cps_store_release(s, y);
	}
	cps_store_close(s); /* finalizes them: the sanitizer and valgrind see no leak */
}

/* The catalog import looks a model up without regard to case once per
 * row of the file: an index must serve that lookup, in its order, or
 * each one reads the whole table or sorts. */
static void test_catalog_model_lookup_uses_an_index(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	sqlite3_stmt *st;
	int indexed = 0, scans = 0;

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(s),
		"EXPLAIN QUERY PLAN SELECT id FROM catalog WHERE lower(model) = lower(?1)"
		" ORDER BY active DESC, id LIMIT 1", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(st, 3);

		if (strstr(detail, "INDEX catalog_model_key"))
			indexed++;
		if (strncmp(detail, "SCAN catalog", 12) == 0 || strstr(detail, "TEMP B-TREE"))
			scans++;
	}
	sqlite3_finalize(st);
	assert_int_equal(indexed, 1);
	assert_int_equal(scans, 0);
	cps_store_close(s);
}

/* Catalog indexes of a store: how many, and whether one is UNIQUE. */
static void catalog_indexes(struct cps_store *s, int *n, int *unique)
{
	sqlite3_stmt *st;

	*n = *unique = 0;
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(s), "PRAGMA index_list('catalog')",
					    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		(*n)++;
		*unique += sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
}

/* Each new model of an import wrote two indexes on its name; the upgrade
 * leaves the one the lookups use, with the same rows under the same ids
 * (products point at them), and their lookup still ignores ASCII case. */
static void test_catalog_one_name_index(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	sqlite3_stmt *st;
	int n, unique;

	/* 14: the catalog with both indexes and its gen column */
	assert_int_equal(cps_store_open_with(&s, f->db, cps_store_migrations, 14, &err), CPS_OK);
	catalog_indexes(s, &n, &unique);
	assert_int_equal(n, 2);
	assert_int_equal(sqlite3_exec(cps_store_db(s),
		"INSERT INTO catalog (id, model, category, points, release_year, search_key, active, gen)"
		" VALUES (7, 'EOS R5', 'body', 700, 2020, 'eos r5', 0, 0),"
		" (42, 'eos r5', 'body', 800, 2021, 'eos r5', 1, 3)", NULL, NULL, NULL), SQLITE_OK);
	cps_store_close(s);

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_int_equal(cps_store_version(s), cps_store_latest_version());
	catalog_indexes(s, &n, &unique);
	assert_int_equal(n, 1);
	assert_int_equal(unique, 0);
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(s),
		"SELECT id, points, gen FROM catalog WHERE model = 'EOS r5' COLLATE NOCASE"
		" ORDER BY active DESC, id", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 42);
	assert_int_equal(sqlite3_column_int(st, 1), 800);
	assert_int_equal(sqlite3_column_int(st, 2), 3);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 7);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	/* products still point at the catalog by its name */
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(s),
		"SELECT count(*) FROM pragma_foreign_key_list('product') WHERE \"table\" = 'catalog'",
		-1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	cps_store_close(s);
}

/* The catalog keeps no folded copy of each name (the type-ahead folds as
 * it reads): the upgrade drops the column and keeps every row, its id
 * and its lookup by name. */
static void test_catalog_without_search_key(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	sqlite3_stmt *st;

	assert_int_equal(cps_store_open_with(&s, f->db, cps_store_migrations, 15, &err), CPS_OK);
	assert_int_equal(sqlite3_exec(cps_store_db(s),
		"INSERT INTO catalog (id, model, category, points, release_year, search_key, active, gen)"
		" VALUES (9, 'Zqx Mârk', 'lens', 300, 2019, 'zqx mark', 1, 0)",
		NULL, NULL, NULL), SQLITE_OK);
	cps_store_close(s);

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_int_equal(cps_store_version(s), cps_store_latest_version());
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(s),
		"SELECT count(*) FROM pragma_table_info('catalog') WHERE name = 'search_key'",
		-1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(s),
		"SELECT id, points FROM catalog WHERE model = 'ZQX mârk' COLLATE NOCASE",
		-1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 9);
	assert_int_equal(sqlite3_column_int(st, 1), 300);
	sqlite3_finalize(st);
	cps_store_close(s);
}

/* The name index is on lower(model): SQLite's lower() must fold ASCII
 * letters only, as the catalog import's own key of a name does, or the
 * import and the lookup would disagree about which names are the same
 * model.  A lookup finds a model in any ASCII case, a non-ASCII letter
 * only as written. */
static void test_catalog_name_index_folds_ascii(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	struct cps_catalog_item it;
	sqlite3_stmt *st;

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(s),
		"SELECT lower('EOS R5 Mark \xc3\x86' || 'BLE \xc3\x85')", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
			    "eos r5 mark \xc3\x86" "ble \xc3\x85");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(cps_store_db(s),
		"INSERT INTO catalog (id, model, category, points, release_year, active, gen)"
		" VALUES (70, 'Zqx \xc3\x86" "ble', 'body', 10, 2020, 1, 0)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cps_store_catalog_get_model(s, "ZQX \xc3\x86" "BLE", &it, &err), CPS_OK);
	assert_int_equal(it.id, 70);
	assert_int_equal(cps_store_catalog_get_model(s, "zqx \xc3\xa6" "ble", &it, &err),
			 CPS_ERR_NOT_FOUND);
	cps_store_close(s);
}

/* Step 18: an old product's empty detail in a file from before becomes
 * NULL (MIGRATE PRODUCTS copies the details as they are and counts a
 * detail as given when it is not NULL); a given one stays as it was. */
static void test_legacy_empty_details_become_null(void **state)
{
	struct fixture *f = *state;
	struct cps_error err = { 0 };
	struct cps_store *s = NULL;
	sqlite3_stmt *st;

	assert_int_equal(cps_store_open_with(&s, f->db, cps_store_migrations, 17, &err), CPS_OK);
	assert_int_equal(sqlite3_exec(cps_store_db(s),
		"INSERT INTO catalog (id, model, category, points, release_year, active, gen)"
		" VALUES (5, 'Zqx One', 'body', 10, 2020, 1, 0);"
		"INSERT INTO legacy_account (id, email, member_number, imported_at)"
		" VALUES (1, 'old@example.com', 'OLD-1', 0);"
		"INSERT INTO legacy_product (id, legacy_account_id, catalog_id, serial,"
		" purchase_date, purchase_country, dealer) VALUES"
		" (1, 1, 5, '', '2021', '', 'Foto'),"
		" (2, 1, 5, '123', '', 'NO', ''),"
		" (3, 1, 5, '456', '2022-01', 'DK', 'Foto')",
		NULL, NULL, NULL), SQLITE_OK);
	cps_store_close(s);

	assert_int_equal(cps_store_open(&s, f->db, &err), CPS_OK);
	assert_int_equal(sqlite3_prepare_v2(cps_store_db(s),
		"SELECT group_concat(coalesce(serial, '-') || '|' || coalesce(purchase_date, '-')"
		" || '|' || coalesce(purchase_country, '-') || '|' || coalesce(dealer, '-'), ' ')"
		" FROM (SELECT * FROM legacy_product ORDER BY id)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
			    "-|2021|-|Foto 123|-|NO|- 456|2022-01|DK|Foto");
	sqlite3_finalize(st);
	cps_store_close(s);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_new),
		T(test_missing_parents_created),
		T(test_mode_despite_umask),
		T(test_shared_folder),
		T(test_setgid_folder_is_not_a_shop),
		T(test_shared_folder_opens_an_old_file),
		T(test_share_folder_for_a_group),
		T(test_empty_file_refused),
		T(test_killed_while_creating),
		T(test_all_tables_strict),
		T(test_reopen_keeps_data),
		T(test_upgrade),
		T(test_failed_upgrade_rolls_back),
		T(test_upgrade_checks_foreign_keys),
		T(test_bad_migration_table),
		T(test_newer_file_refused),
		T(test_older_program_refuses),
		T(test_text_file_refused),
		T(test_damaged_file_refused),
		T(test_other_application_refused),
		T(test_foreign_tables_refused),
		T(test_unusable_paths),
		T(test_meta),
		T(test_transactions),
		T(test_busy),
		T(test_busy_timeout_set_and_put_back),
		T(test_busy_is_fair),
		T(test_failed_bind_stops_the_statement),
		T(test_kept_statements),
		T(test_catalog_model_lookup_uses_an_index),
		T(test_catalog_one_name_index),
		T(test_catalog_without_search_key),
		T(test_catalog_name_index_folds_ascii),
		T(test_legacy_empty_details_become_null),
	};
#undef T

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
