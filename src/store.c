/* store.c - the local SQLite store: opening, checking, upgrading, meta.
 *
 * The file is looked at before SQLite may write to it.  Our own checks
 * (regular file, readable and writable, SQLite header, application id) come
 * first; then SQLite opens it and we read application_id, user_version and
 * the schema with plain reads.  Only a file that passes all of that gets the
 * WAL journal and the schema upgrade, so somebody else's database, a damaged
 * one or one from a newer cpsreg is refused and left as it was. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "store_sqlite.h"

#include "buildpaths.h"
#include "cpsreg/err.h"
#include "cpsreg/i18n.h"
#include "cpsreg/store.h"
#include "cpsreg/text.h"
#include "store_import.h"
#include "store_private.h"

/* Long enough for another writer to finish a confirmed step, short enough
 * that a person at the counter gets an answer. */
#define BUSY_TIMEOUT_MS 5000

/* Kept statements: compiling SQL costs far more than running it (an
 * import or a migration runs the same few statements thousands of times),
 * so each distinct SQL text is compiled once per open store.  A small open
 * table keyed by the text; when it is full, further texts are compiled per
 * use as before. */
#define STMT_SLOTS 256

struct kept_stmt {
	sqlite3_stmt *st;  /* NULL: free slot */
	unsigned long hash;
	int busy;          /* handed out and not yet given back */
	const char *text;  /* the caller's text it was last asked with */
};

/* The kept statements found again without reading their text: by the
 * address of the caller's text (a string constant: the same for every
 * call from one place; checked against the statement's own text, since
 * a buffer may hold another text at the same address), and by the
 * statement's own address when it is given back.  Slot numbers + 1; 0:
 * empty. */
#define FAST_SLOTS (STMT_SLOTS * 2)

struct cps_store {
	sqlite3 *db;
	char *path;
	int version;
	struct kept_stmt kept[STMT_SLOTS];
	unsigned short by_text[FAST_SLOTS];  /* caller's text address -> slot + 1 */
	unsigned short by_stmt[FAST_SLOTS];  /* statement address -> slot + 1 */
	struct timespec busy_since; /* when the current wait for a lock began */
	unsigned int busy_seed;     /* jitter for the waits */
	int busy_ms;                /* how long a write waits for the lock */
	long long insert_gen;       /* the gen of the catalog and legacy rows inserted */
};

static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (long)(b->tv_sec - a->tv_sec) * 1000 +
	       (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* SQLite's own busy timeout sleeps ever longer (up to 100 ms a try), so a
 * process that commits in a tight loop can starve the others past any
 * timeout: a staff command or a wizard's save would fail with "in use".
 * Short waits with jitter keep every writer in the race; a write
 * transaction here lasts milliseconds.  Gives up after BUSY_TIMEOUT_MS. */
static int busy_wait(void *arg, int count)
{
	struct cps_store *s = arg;
	struct timespec now, pause;
	long cap;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0)
		s->busy_since = now;
	else if (ms_between(&s->busy_since, &now) >= s->busy_ms)
		return 0;
	/* 0.2 ms to 2 ms at first, up to 10 ms after a second of waiting */
	cap = count < 100 ? 2000 : 10000;
	s->busy_seed = s->busy_seed * 1103515245u + 12345u;
	pause.tv_sec = 0;
	pause.tv_nsec = (200 + (long)((s->busy_seed >> 8) % (unsigned)cap)) * 1000;
	nanosleep(&pause, NULL);
	return 1;
}

static enum cps_err vfail(sqlite3 *db, const char *path, int rc,
			  struct cps_error *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));
static enum cps_err fail(sqlite3 *db, const char *path, int rc,
			 struct cps_error *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static enum cps_err code_for(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return CPS_ERR_BUSY;
	case SQLITE_NOMEM:
		return CPS_ERR_NOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return CPS_ERR_CORRUPT;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_FULL:
		return CPS_ERR_IO;
	default:
		return CPS_ERR_STORE;
	}
}

static enum cps_err vfail(sqlite3 *db, const char *path, int rc,
			  struct cps_error *err, const char *fmt, va_list ap)
{
	char what[CPS_ERROR_MAX / 2];
	enum cps_err code = code_for(rc);
	const char *reason = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	int sys = db ? sqlite3_system_errno(db) : 0;

	vsnprintf(what, sizeof(what), fmt, ap);
	if (code == CPS_ERR_BUSY)
		return cps_error_set(err, code,
			_("%s: %s: the database is in use by another program; try again in a moment"),
			path, what);
	if (code == CPS_ERR_IO && sys != 0)
		return cps_error_set(err, code, "%s: %s: %s (%s)", path, what,
				     reason, strerror(sys));
	return cps_error_set(err, code, "%s: %s: %s", path, what, reason);
}

static enum cps_err fail(sqlite3 *db, const char *path, int rc,
			 struct cps_error *err, const char *fmt, ...)
{
	va_list ap;
	enum cps_err code;

	va_start(ap, fmt);
	code = vfail(db, path, rc, err, fmt, ap);
	va_end(ap);
	return code;
}

enum cps_err cps_store_fail(struct cps_store *s, int rc, struct cps_error *err,
			    const char *fmt, ...)
{
	va_list ap;
	enum cps_err code;

	va_start(ap, fmt);
	code = vfail(s->db, s->path, rc, err, fmt, ap);
	va_end(ap);
	return code;
}

sqlite3 *cps_store_db(struct cps_store *s)
{
	return s ? s->db : NULL;
}

int cps_store_busy_timeout(struct cps_store *s, int ms)
{
	int before = s->busy_ms;

	if (ms >= 0)
		s->busy_ms = ms;
	return before;
}

void cps_store_set_insert_gen(struct cps_store *s, long long gen)
{
	if (s)
		s->insert_gen = gen;
}

long long cps_store_insert_gen(const struct cps_store *s)
{
	return s ? s->insert_gen : 0;
}

void cps_store_bulk(struct cps_store *s, int on)
{
	/* a cache that cannot grow only costs time: nothing to report */
	if (s && s->db)
		sqlite3_exec(s->db, on ? "PRAGMA cache_size = -65536" : "PRAGMA cache_size = -2000",
			     NULL, NULL, NULL);
}

void cps_store_defer_checkpoints(struct cps_store *s, int on)
{
	if (!s || !s->db)
		return;
	if (on) {
		sqlite3_wal_autocheckpoint(s->db, 0);
		return;
	}
	/* SQLite's default again, and what the job wrote copied into the
	 * database now (PASSIVE: no reader or writer waits for it); what
	 * cannot be copied now is copied by a later checkpoint */
	sqlite3_wal_autocheckpoint(s->db, 1000);
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

int cps_store_latest_version(void)
{
	return (int)cps_store_nmigrations;
}

int cps_store_version(const struct cps_store *s)
{
	return s ? s->version : 0;
}

static enum cps_err untouched(struct cps_error *err, const char *path,
			      const char *why)
{
	return cps_error_set(err, CPS_ERR_CORRUPT,
		_("%s is not a cpsreg database (%s). The file was left untouched; check the database path in the configuration or move the file away."),
		path, why);
}

static enum cps_err too_new(struct cps_error *err, const char *path,
			    int version, int latest)
{
	return cps_error_set(err, CPS_ERR_SCHEMA,
		_("%s was written by a newer cpsreg (database version %d; this program knows up to version %d). The file was left untouched; open it with a newer cpsreg."),
		path, version, latest);
}

/* --- before SQLite ------------------------------------------------------ */

/* Creates the missing folders above path with mode 0700, like mkdir -p
 * (2770 below the shop's folder of group). */
static enum cps_err make_parents(const char *path, const char *group,
				 struct cps_error *err)
{
	char *dir = strdup(path);
	char *slash, *p;

	if (!dir)
		return cps_error_set(err, CPS_ERR_NOMEM, _("out of memory"));
	slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		free(dir);
		return CPS_OK;
	}
	*slash = '\0';
	for (p = dir + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) == 0) {
			cps_store_share_new_folder(dir, group);
		} else if (errno != EEXIST) {
			enum cps_err code = cps_error_set(err, CPS_ERR_IO,
				_("cannot create the folder %s: %s"),
				dir, strerror(errno));
			free(dir);
			return code;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(dir);
	return CPS_OK;
}

enum cps_err cps_store_make_parents(const char *path, const char *group,
				    struct cps_error *err)
{
	return make_parents(path, group, err);
}

static unsigned long be32(const unsigned char *b)
{
	return (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 |
	       (unsigned long)b[2] << 8 | (unsigned long)b[3];
}

/* Looks at an existing file through fd (and closes it): a regular file,
 * not empty, beginning with the SQLite header, and not marked as another
 * program's. */
static enum cps_err check_existing(int fd, const char *path,
				   struct cps_error *err)
{
	static const char magic[16] = "SQLite format 3";
	unsigned char head[100];
	struct stat st;
	size_t got = 0;
	unsigned long app;

	if (fstat(fd, &st) != 0) {
		int e = errno;

		close(fd);
		return cps_error_set(err, CPS_ERR_IO, _("cannot read %s: %s"),
				     path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return cps_error_set(err, CPS_ERR_IO,
			_("%s is not a regular file; the database must be one"),
			path);
	}
	if (st.st_size == 0) {
		/* A new database appears whole (see create_new): an empty
		 * file is a truncated one (a full disk, a bad restore), and
		 * turning it into a new empty database would lose every
		 * customer without a word. */
		close(fd);
		return cps_error_set(err, CPS_ERR_CORRUPT,
			_("%s is empty (0 bytes): the database may have been truncated by a full disk or a bad restore. The file was left untouched; restore it from a backup, or delete it to start a new empty database."),
			path);
	}
	while (got < sizeof(head)) {
		ssize_t n = pread(fd, head + got, sizeof(head) - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return cps_error_set(err, CPS_ERR_IO,
					     _("cannot read %s: %s"), path,
					     strerror(e));
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got < sizeof(head) || memcmp(head, magic, sizeof(magic)) != 0)
		return untouched(err, path, _("it is not an SQLite database"));
	/* The header's copy may be older than the WAL's, but a cpsreg file
	 * never carries another id there, so a foreign id is final. */
	app = be32(head + 68);
	if (app != 0 && app != CPS_STORE_APPLICATION_ID) {
		char why[128];

		snprintf(why, sizeof(why),
			 _("it is another program's SQLite database, application id 0x%08lx"),
			 app);
		return untouched(err, path, why);
	}
	return CPS_OK;
}

/* path does not open (ENOENT): a symbolic link whose target is missing
 * would otherwise end in a puzzling "File exists" from O_EXCL. */
static enum cps_err dangling_link(const char *path, struct cps_error *err)
{
	char target[1024], shown[1024];
	struct stat st;
	ssize_t n;

	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return CPS_OK;
	n = readlink(path, target, sizeof(target) - 1);
	target[n < 0 ? 0 : n] = '\0';
	return cps_error_set(err, CPS_ERR_IO,
		_("%s is a symbolic link to %s, which does not exist. Start cpsreg once with --db naming the link's target to create it there, point the link at the real database, or set the database path in the configuration to the real file."),
		path, cps_text_quote(target, shown, sizeof(shown), CPS_TEXT_LINE));
}

static enum cps_err open_file(struct cps_store **out, const char *path,
			      const struct cps_migration *migs, size_t nmigs,
			      struct cps_error *err);

/* Removes a half-made database and its WAL and shared-memory files. */
static void remove_db_files(const char *path)
{
	char side[PATH_MAX + 8];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

/* A message about the temporary file names the database it was for. */
static void name_the_real_path(struct cps_error *err, const char *tmp,
			       const char *path)
{
	char *at;

	if (!err || !(at = strstr(err->msg, tmp)))
		return;
	char rest[CPS_ERROR_MAX];

	snprintf(rest, sizeof(rest), "%s", at + strlen(tmp));
	snprintf(at, sizeof(err->msg) - (size_t)(at - err->msg), "%s%s", path, rest);
}

/* Makes a new database at path in one step: it is built beside it under a
 * temporary name (mode 0600: it will hold password hashes, and SQLite
 * would create it 0644) with the whole schema, then linked into place.  A
 * crash or kill -9 while it is made leaves at most a stray temporary file,
 * never an empty or half-made database at path.  If another process made
 * one first, theirs is kept. */
static enum cps_err create_new(const char *path, const char *group,
			       const struct cps_migration *migs,
			       size_t nmigs, struct cps_error *err)
{
	char tmp[PATH_MAX];
	struct cps_store *s = NULL;
	enum cps_err code;
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new-XXXXXX", path) >= sizeof(tmp))
		return cps_error_set(err, CPS_ERR_IO,
			_("cannot create the database %s: %s"), path, strerror(ENAMETOOLONG));
	fd = mkstemp(tmp);
	if (fd < 0)
		return cps_error_set(err, CPS_ERR_IO,
			_("cannot create the database %s: %s"), path, strerror(errno));
	/* the umask may have taken bits away: 0600 is the rule, 0660 in a
	 * shop's shared folder */
	if (fchmod(fd, cps_store_file_mode(path, group)) != 0) {
		int e = errno;

		close(fd);
		unlink(tmp);
		return cps_error_set(err, CPS_ERR_IO,
			_("cannot set the permissions of %s: %s"), path, strerror(e));
	}
	close(fd);
	code = open_file(&s, tmp, migs, nmigs, err);
	cps_store_close(s);
	if (code != CPS_OK) {
		remove_db_files(tmp);
		name_the_real_path(err, tmp, path);
		return code;
	}
	if (link(tmp, path) != 0 && errno != EEXIST) {
		int e = errno;

		remove_db_files(tmp);
		return cps_error_set(err, CPS_ERR_IO,
			_("cannot create the database %s: %s"), path, strerror(e));
	}
	remove_db_files(tmp);
	return CPS_OK;
}

/* Makes sure path names a database SQLite may open: an acceptable
 * existing file, or a new one made whole, in folders created as needed. */
static enum cps_err prepare_file(const char *path, const char *group,
				 const struct cps_migration *migs,
				 size_t nmigs, struct cps_error *err)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		enum cps_err code;
		int fd;

		cps_store_share_existing(path, group);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			return check_existing(fd, path, err);
		if (errno == EACCES && cps_store_shared_folder(path, group, NULL))
			return cps_error_set(err, CPS_ERR_IO,
				_("cannot open the database %s: %s. It is in a shop's shared folder but its group cannot write it: its owner (or root) can run chmod 660 %s, or open it once with this cpsreg."),
				path, strerror(errno), path);
		if (errno != ENOENT)
			return cps_error_set(err, CPS_ERR_IO,
				_("cannot open the database %s: %s"),
				path, strerror(errno));
		code = dangling_link(path, err);
		if (code != CPS_OK)
			return code;
		code = make_parents(path, group, err);
		if (code != CPS_OK)
			return code;
		code = create_new(path, group, migs, nmigs, err);
		if (code != CPS_OK)
			return code;
	}
	return cps_error_set(err, CPS_ERR_IO,
			     _("cannot open the database %s: %s"), path,
			     strerror(ENOENT));
}

/* --- with SQLite --------------------------------------------------------- */

/* Runs a statement that returns one integer (a PRAGMA or a count). */
static int query_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		*out = 0;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Decides from plain reads whether this is a cpsreg database we may use.
 * *version gets its user_version. */
static enum cps_err probe(sqlite3 *db, const char *path, int latest,
			  int *version, struct cps_error *err)
{
	int app = 0, objects = 0, rc;

	rc = query_int(db, "PRAGMA application_id", &app);
	if (rc == SQLITE_OK)
		rc = query_int(db, "PRAGMA user_version", version);
	if (rc == SQLITE_OK)
		rc = query_int(db, "SELECT count(*) FROM sqlite_master", &objects);
	if (rc != SQLITE_OK) {
		if (code_for(rc) == CPS_ERR_CORRUPT)
			return cps_error_set(err, CPS_ERR_CORRUPT,
				_("%s is damaged or not a database (%s). The file was left untouched; restore it from a backup or check the database path in the configuration."),
				path, sqlite3_errmsg(db));
		return fail(db, path, rc, err, _("cannot read the database"));
	}
	if (app != CPS_STORE_APPLICATION_ID && app != 0) {
		char why[128];

		snprintf(why, sizeof(why),
			 _("it is another program's SQLite database, application id 0x%08x"),
			 (unsigned)app);
		return untouched(err, path, why);
	}
	/* cpsreg sets the id in the same transaction as the first version, and
	 * a file without versions has no business holding tables */
	if ((app == 0 && *version != 0) || (*version == 0 && objects != 0))
		return untouched(err, path,
				 _("it is an SQLite database that cpsreg did not create"));
	if (*version < 0)
		return untouched(err, path, _("its schema version is negative"));
	if (*version > latest)
		return too_new(err, path, *version, latest);
	return CPS_OK;
}

static enum cps_err set_pragmas(sqlite3 *db, const char *path,
				struct cps_error *err)
{
	sqlite3_stmt *st = NULL;
	const char *mode;
	int rc, on = 0;
	enum cps_err code = CPS_OK;

	rc = sqlite3_exec(db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return fail(db, path, rc, err, _("cannot set synchronous writes"));
	rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		code = fail(db, path, rc, err, _("cannot switch to the WAL journal"));
	} else {
		mode = (const char *)sqlite3_column_text(st, 0);
		/* a file system without shared memory stays in its old mode */
		if (!mode || strcasecmp(mode, "wal") != 0)
			code = cps_error_set(err, CPS_ERR_STORE,
				_("%s: cannot switch to the WAL journal (the journal stays \"%s\"); put the database on a local file system"),
				path, mode ? mode : "?");
	}
	sqlite3_finalize(st);
	if (code != CPS_OK)
		return code;
	rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = query_int(db, "PRAGMA foreign_keys", &on);
	if (rc != SQLITE_OK)
		return fail(db, path, rc, err, _("cannot turn on foreign keys"));
	if (!on)
		return cps_error_set(err, CPS_ERR_STORE,
			_("%s: this SQLite cannot enforce foreign keys"), path);
	return CPS_OK;
}

/* Fails when the step just run left a row pointing nowhere (foreign keys
 * are off while a step runs, so nothing else would notice). */
static int check_foreign_keys(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st,
				    NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return SQLITE_CONSTRAINT;
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void rollback_db(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

/* Applies the missing steps, each in its own write transaction together
 * with user_version, so a crash leaves the file at a version it really has.
 * The version is read again under the write lock, because another cpsreg
 * may have upgraded the file while we waited. */
static enum cps_err migrate(sqlite3 *db, const char *path,
			    const struct cps_migration *migs, int latest,
			    int *version, struct cps_error *err)
{
	enum cps_err code = CPS_OK;
	int rc;

	if (*version == latest)
		return CPS_OK;
	/* A no-op inside a transaction, so it is set here: rebuilding a
	 * table must not cascade deletes or trip on half-built rows. */
	rc = sqlite3_exec(db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return fail(db, path, rc, err, _("cannot prepare the upgrade"));
	for (;;) {
		char sql[128];
		int v = 0;

		rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			code = fail(db, path, rc, err,
				    _("cannot start the upgrade"));
			break;
		}
		rc = query_int(db, "PRAGMA user_version", &v);
		if (rc != SQLITE_OK) {
			code = fail(db, path, rc, err,
				    _("cannot read the schema version"));
			rollback_db(db);
			break;
		}
		if (v > latest) {
			rollback_db(db);
			code = too_new(err, path, v, latest);
			break;
		}
		if (v == latest) {
			rollback_db(db);
			*version = v;
			break;
		}
		rc = sqlite3_exec(db, migs[v].sql, NULL, NULL, NULL);
		if (rc == SQLITE_OK) {
			rc = check_foreign_keys(db);
			if (rc == SQLITE_CONSTRAINT) {
				rollback_db(db);
				code = cps_error_set(err, CPS_ERR_STORE,
					_("%s: cannot upgrade the database from version %d to %d: rows would point to missing rows; it stays at version %d"),
					path, v, v + 1, v);
				break;
			}
		}
		if (rc == SQLITE_OK) {
			snprintf(sql, sizeof(sql),
				 "PRAGMA user_version = %d; PRAGMA application_id = %d",
				 v + 1, CPS_STORE_APPLICATION_ID);
			rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			code = fail(db, path, rc, err,
				    _("cannot upgrade the database from version %d to %d; it stays at version %d"),
				    v, v + 1, v);
			rollback_db(db);
			break;
		}
		*version = v + 1;
	}
	return code;
}

/* --- the public part ----------------------------------------------------- */

static enum cps_err open_at(struct cps_store **out, const char *path,
			    const char *group, const struct cps_migration *migs,
			    size_t nmigs, struct cps_error *err)
{
	enum cps_err code;
	size_t i;

	if (out)
		*out = NULL;
	if (!out || !path || !*path || !migs || nmigs == 0 || nmigs > INT_MAX)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("cannot open the database: no path or no schema given"));
	for (i = 0; i < nmigs; i++)
		if (migs[i].version != (int)i + 1 || !migs[i].sql)
			return cps_error_set(err, CPS_ERR_INVALID,
				_("schema step %zu is numbered %d; steps must be numbered 1, 2, 3, ... in order"),
				i + 1, migs[i].version);

	code = prepare_file(path, group, migs, nmigs, err);
	if (code != CPS_OK)
		return code;
	return open_file(out, path, migs, nmigs, err);
}

enum cps_err cps_store_open_with(struct cps_store **out, const char *path,
				 const struct cps_migration *migs,
				 size_t nmigs, struct cps_error *err)
{
	return open_at(out, path, NULL, migs, nmigs, err);
}

/* Opens the prepared file at path and brings its schema up to date. */
static enum cps_err open_file(struct cps_store **out, const char *path,
			      const struct cps_migration *migs, size_t nmigs,
			      struct cps_error *err)
{
	struct cps_store *s;
	enum cps_err code;
	int rc;

	/* SQLite is opened with the first database (src/store_sqlite.h) */
	code = cps_sqlite_load(err);
	if (code != CPS_OK)
		return code;
	s = calloc(1, sizeof(*s));
	if (!s)
		return cps_error_set(err, CPS_ERR_NOMEM, _("out of memory"));
	s->path = strdup(path);
	if (!s->path) {
		free(s);
		return cps_error_set(err, CPS_ERR_NOMEM, _("out of memory"));
	}
	/* no count of SQLite's memory (nothing reads it), so no global lock
	 * around each of its allocations; only before SQLite starts, so
	 * later calls fail harmlessly */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* NOMUTEX: a store is used by one thread only (the program has no
	 * other; the sync runs in a process of its own), so SQLite need not
	 * lock a mutex around every call */
	rc = sqlite3_open_v2(path, &s->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		code = s->db ? fail(s->db, path, rc, err, _("cannot open"))
			     : cps_error_set(err, CPS_ERR_NOMEM, _("out of memory"));
		goto out;
	}
	s->busy_seed = (unsigned int)getpid() ^ (unsigned int)time(NULL);
	s->busy_ms = BUSY_TIMEOUT_MS;
	rc = sqlite3_busy_handler(s->db, busy_wait, s);
	if (rc != SQLITE_OK) {
		code = fail(s->db, path, rc, err, _("cannot set the busy timeout"));
		goto out;
	}
	code = probe(s->db, path, (int)nmigs, &s->version, err);
	if (code == CPS_OK)
		code = set_pragmas(s->db, path, err);
	if (code == CPS_OK && s->version < (int)nmigs) {
		code = migrate(s->db, path, migs, (int)nmigs, &s->version, err);
		/* back on whether or not the upgrade worked */
		rc = sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL,
				  NULL);
		if (code == CPS_OK && rc != SQLITE_OK)
			code = fail(s->db, path, rc, err,
				    _("cannot turn on foreign keys"));
	}
out:
	if (code != CPS_OK) {
		cps_store_close(s);
		return code;
	}
	*out = s;
	return CPS_OK;
}

enum cps_err cps_store_open(struct cps_store **out, const char *path,
			    struct cps_error *err)
{
	return cps_store_open_with(out, path, cps_store_migrations,
				   cps_store_nmigrations,
				   err);
}

enum cps_err cps_store_open_shop(struct cps_store **out, const char *path,
				 const char *group, struct cps_error *err)
{
	return open_at(out, path, group, cps_store_migrations,
		       cps_store_nmigrations, err);
}

void cps_store_close(struct cps_store *s)
{
	if (!s)
		return;
	if (s->db) {
		rollback_db(s->db);
		for (size_t i = 0; i < STMT_SLOTS; i++)
			sqlite3_finalize(s->kept[i].st);
		/* _v2: a statement someone forgot does not keep the file open
		 * forever; the close finishes when it is finalized */
		sqlite3_close_v2(s->db);
	}
	free(s->path);
	free(s);
}

enum cps_err cps_store_begin(struct cps_store *s, struct cps_error *err)
{
	int rc;

	if (!s || !s->db)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("no database is open"));
	rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, _("cannot start a change"));
	return CPS_OK;
}

enum cps_err cps_store_begin_read(struct cps_store *s, struct cps_error *err)
{
	int rc;

	if (!s || !s->db)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("no database is open"));
	rc = sqlite3_exec(s->db, "BEGIN DEFERRED", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return cps_store_fail(s, rc, err, _("cannot read the database"));
	return CPS_OK;
}

enum cps_err cps_store_commit(struct cps_store *s, struct cps_error *err)
{
	enum cps_err code;
	int rc;

	if (!s || !s->db)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("no database is open"));
	rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return CPS_OK;
	code = cps_store_fail(s, rc, err, _("cannot save the change"));
	/* a failed COMMIT can leave the transaction open; the promise is that
	 * nothing of it stays */
	rollback_db(s->db);
	return code;
}

void cps_store_rollback(struct cps_store *s)
{
	if (s && s->db)
		rollback_db(s->db);
}

enum cps_err cps_store_meta_get(struct cps_store *s, const char *key,
				char *buf, size_t len, struct cps_error *err)
{
	sqlite3_stmt *st = NULL;
	enum cps_err code = CPS_OK;
	int rc;

	if (buf && len > 0)
		buf[0] = '\0';
	if (!s || !s->db || !key || !buf || len == 0)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("cannot read a setting: bad arguments"));
	rc = cps_store_prepare(s, "SELECT value FROM meta WHERE key = ?1", &st);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);
		size_t n = (size_t)sqlite3_column_bytes(st, 0);

		if (!v && sqlite3_errcode(s->db) == SQLITE_NOMEM)
			code = cps_error_set(err, CPS_ERR_NOMEM,
					     _("out of memory"));
		else if (n >= len)
			code = cps_error_set(err, CPS_ERR_INVALID,
				_("%s: the value of \"%s\" is too long (%zu bytes, room for %zu)"),
				s->path, key, n, len - 1);
		else {
			if (n > 0)
				memcpy(buf, v, n);
			buf[n] = '\0';
		}
	} else if (rc == SQLITE_DONE) {
		code = cps_error_set(err, CPS_ERR_NOT_FOUND,
				     _("%s: no \"%s\" in the meta table"),
				     s->path, key);
	} else {
		code = cps_store_fail(s, rc, err, _("cannot read \"%s\""), key);
	}
	cps_store_release(s, st);
	return code;
}

enum cps_err cps_store_meta_set(struct cps_store *s, const char *key,
				const char *value, struct cps_error *err)
{
	sqlite3_stmt *st = NULL;
	enum cps_err code;
	int rc, own;

	if (!s || !s->db || !key || !*key || !value)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("cannot save a setting: bad arguments"));
	if (strlen(value) >= CPS_STORE_META_MAX)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("the value of \"%s\" is too long (at most %d bytes)"),
			key, CPS_STORE_META_MAX - 1);
	/* inside the caller's transaction the write joins it */
	own = sqlite3_get_autocommit(s->db);
	if (own) {
		code = cps_store_begin(s, err);
		if (code != CPS_OK)
			return code;
	}
	rc = cps_store_prepare(s,
		"INSERT INTO meta (key, value) VALUES (?1, ?2)"
		" ON CONFLICT (key) DO UPDATE SET value = excluded.value", &st);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		code = cps_store_fail(s, rc, err, _("cannot save \"%s\""), key);
		cps_store_release(s, st);
		if (own)
			rollback_db(s->db);
		return code;
	}
	cps_store_release(s, st);
	return own ? cps_store_commit(s, err) : CPS_OK;
}

int cps_store_in_transaction(struct cps_store *s)
{
	return s && s->db && !sqlite3_get_autocommit(s->db);
}

/* --- kept statements ----------------------------------------------------- */

static unsigned long sql_hash(const char *sql)
{
	unsigned long h = 2166136261u; /* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static size_t addr_slot(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	return (size_t)((a >> 3) ^ (a >> 13)) % FAST_SLOTS;
}

/* Notes slot under p's address in map: a hint, checked when used (kept
 * statements stay for the store's life, so an entry is never taken back;
 * a full map only sends lookups the slow way). */
static void note_addr(unsigned short *map, const void *p, size_t slot)
{
	size_t i = addr_slot(p);

	for (size_t probe = 0; probe < FAST_SLOTS; probe++, i = (i + 1) % FAST_SLOTS) {
		if (map[i] == slot + 1)
			return;
		if (!map[i]) {
			map[i] = (unsigned short)(slot + 1);
			return;
		}
	}
}

/* Gives the kept statement of slot to the caller, or 0 when it is in use
 * further up the call chain. */
static int take(struct kept_stmt *k, sqlite3_stmt **st)
{
	if (k->busy)
		return 0;
	k->busy = 1;
	*st = k->st;
	return 1;
}

int cps_store_prepare(struct cps_store *s, const char *sql, sqlite3_stmt **st)
{
	size_t f = addr_slot(sql);
	unsigned long h;
	size_t i;
	int rc;

	*st = NULL;
	/* the fast way: the same text address as last time */
	for (size_t probe = 0; probe < 4 && s->by_text[f]; probe++, f = (f + 1) % FAST_SLOTS) {
		struct kept_stmt *k = &s->kept[s->by_text[f] - 1];

		if (k->text == sql && strcmp(sqlite3_sql(k->st), sql) == 0) {
			if (take(k, st))
				return SQLITE_OK;
			break;
		}
	}
	h = sql_hash(sql);
	i = h % STMT_SLOTS;
	for (size_t probe = 0; probe < STMT_SLOTS; probe++, i = (i + 1) % STMT_SLOTS) {
		struct kept_stmt *k = &s->kept[i];

		if (!k->st) {
			rc = sqlite3_prepare_v3(s->db, sql, -1,
						SQLITE_PREPARE_PERSISTENT, st, NULL);
			if (rc == SQLITE_OK && *st) {
				k->st = *st;
				k->hash = h;
				k->busy = 1;
				k->text = sql;
				note_addr(s->by_text, sql, i);
				note_addr(s->by_stmt, *st, i);
			}
			return rc;
		}
		if (k->hash == h && strcmp(sqlite3_sql(k->st), sql) == 0) {
			if (!take(k, st))
				break; /* in use further up: a private copy */
			if (k->text != sql) {
				k->text = sql;
				note_addr(s->by_text, sql, i);
			}
			return SQLITE_OK;
		}
	}
	return sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
}

void cps_store_release(struct cps_store *s, sqlite3_stmt *st)
{
	size_t f;

	if (!st)
		return;
	f = addr_slot(st);
	for (size_t probe = 0; probe < FAST_SLOTS && s->by_stmt[f]; probe++, f = (f + 1) % FAST_SLOTS) {
		struct kept_stmt *k = &s->kept[s->by_stmt[f] - 1];

		if (k->st == st) {
			/* the next user must find it unbound and idle: a
			 * statement left stepped would hold a read lock */
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			k->busy = 0;
			return;
		}
	}
	sqlite3_finalize(st);
}

/* --- binding ------------------------------------------------------------ */

void cps_bind_int(sqlite3_stmt *st, int i, int v, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_int(st, i, v);
}

void cps_bind_int64(sqlite3_stmt *st, int i, sqlite3_int64 v, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_int64(st, i, v);
}

void cps_bind_null(sqlite3_stmt *st, int i, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_null(st, i);
}

void cps_bind_text(sqlite3_stmt *st, int i, const char *v, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

void cps_bind_text_copy(sqlite3_stmt *st, int i, const char *v, int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

void cps_bind_blob(sqlite3_stmt *st, int i, const void *v, sqlite3_uint64 n,
		   int *rc)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_blob64(st, i, v, n, SQLITE_STATIC);
}

int cps_store_step(sqlite3_stmt *st, int rc)
{
	return rc == SQLITE_OK ? sqlite3_step(st) : rc;
}
