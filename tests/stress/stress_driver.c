/* stress_driver.c - the engine side of the crash and concurrency tests
 * (tests/stress/test_crash.sh, tests/stress/test_concurrency.sh).
 *
 *   stress_driver crash DIR TRIALS SEED
 *	Builds one database per operation (submit, product save, MIGRATE
 *	PRODUCTS, enrollment, schema upgrade) in DIR, then runs TRIALS
 *	trials: a child process copies the database, starts the operation and
 *	is killed with SIGKILL by itself just before its Nth write, sync,
 *	truncate or delete of a database file (N random within the
 *	operation).  The parent then checks the file: integrity_check, no
 *	foreign key pointing nowhere, the rows that belong together all there
 *	or none, and that the customer resumes through the engine.  Prints
 *	"ok - ..." / "not ok - ..." lines (see tests/lib.sh).
 *
 *   stress_driver writer DB OPS SEED TAG PENDING
 *	One of the processes of the concurrency test: makes two validated
 *	customers and PENDING applications that staff are to approve (their
 *	e-mails go to stdout as "pending EMAIL"), then runs OPS engine writes
 *	and reads on DB (product add, change, delete; wizard step; flow).
 *	Ends with "writer ops=N busy=N errors=N adds=N changes=N deletes=N
 *	accounts=ID,ID": what the shell compares with the database.
 *
 *   stress_driver member DB EMAIL METHOD REMOTE_URL
 *	A Norwegian customer who joins CPS at Silver paying by METHOD (card
 *	or bank) at a shop whose remote.url is REMOTE_URL ("": none):
 *	validated, password set, one product with enough points.  Prints
 *	"member ACCOUNT NUMBER" (tests/cli/test_invoice_sync.sh).
 *
 * Killing at a write is how the "random points" are reached: an SQLite
 * transaction is over in microseconds, so a kill from outside after a
 * random delay lands almost always before or after it.  The counting is a
 * pass-through SQLite VFS registered as the default in the child only. */
#define _DEFAULT_SOURCE 1 /* explicit_bzero */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cpsreg/account.h"
#include "cpsreg/catalog.h"
#include "cpsreg/config.h"
#include "cpsreg/engine.h"
#include "cpsreg/flow.h"
#include "cpsreg/legacy.h"
#include "cpsreg/message.h"
#include "cpsreg/migration.h"
#include "cpsreg/payment.h"
#include "cpsreg/product.h"
#include "cpsreg/store.h"
#include "store_private.h" /* the schema steps, to make an older database */

#define PASSWORD "stress test passphrase"
#define OLD_EMAIL "kari.nordmann@example.no"

/* --- a VFS that counts writes and can kill the process --------------------- */

static sqlite3_vfs *real_vfs;
static sqlite3_vfs count_vfs;
static long io_count;
static long kill_at;    /* 0: never */
static int counting;

struct count_file {
	sqlite3_file base;
	sqlite3_file *real;   /* right behind this struct */
};

static void io_point(void)
{
	if (!counting)
		return;
	io_count++;
	if (kill_at > 0 && io_count == kill_at)
		kill(getpid(), SIGKILL);
}

#define REAL(f) (((struct count_file *)(f))->real)

static int c_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}
static int c_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}
static int c_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
	io_point();
	return REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}
static int c_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	io_point();
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int c_sync(sqlite3_file *f, int flags)
{
	io_point();
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int c_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int c_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int c_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int c_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int c_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int c_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int c_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int c_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, pp);
}
static int c_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void c_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int c_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int c_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int c_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods count_methods = {
	3, c_close, c_read, c_write, c_truncate, c_sync, c_size, c_lock,
	c_unlock, c_reserved, c_control, c_sector, c_device, c_shm_map,
	c_shm_lock, c_shm_barrier, c_shm_unmap, c_fetch, c_unfetch
};

static int c_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
		  int flags, int *out_flags)
{
	struct count_file *cf = (struct count_file *)f;
	int rc;

	(void)vfs;
	cf->real = (sqlite3_file *)(cf + 1);
	rc = real_vfs->xOpen(real_vfs, name, cf->real, flags, out_flags);
	/* SQLite calls xClose only when pMethods is set */
	cf->base.pMethods = cf->real->pMethods ? &count_methods : NULL;
	return rc;
}

static int c_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	io_point();
	return real_vfs->xDelete(real_vfs, name, sync_dir);
}

/* The rest goes straight to the real VFS. */
static int c_access(sqlite3_vfs *v, const char *n, int f, int *o) { (void)v; return real_vfs->xAccess(real_vfs, n, f, o); }
static int c_full(sqlite3_vfs *v, const char *n, int sz, char *o) { (void)v; return real_vfs->xFullPathname(real_vfs, n, sz, o); }
static void *c_dlopen(sqlite3_vfs *v, const char *n) { (void)v; return real_vfs->xDlOpen(real_vfs, n); }
static void c_dlerror(sqlite3_vfs *v, int n, char *o) { (void)v; real_vfs->xDlError(real_vfs, n, o); }
static void (*c_dlsym(sqlite3_vfs *v, void *h, const char *s))(void) { (void)v; return real_vfs->xDlSym(real_vfs, h, s); }
static void c_dlclose(sqlite3_vfs *v, void *h) { (void)v; real_vfs->xDlClose(real_vfs, h); }
static int c_random(sqlite3_vfs *v, int n, char *o) { (void)v; return real_vfs->xRandomness(real_vfs, n, o); }
static int c_sleep(sqlite3_vfs *v, int us) { (void)v; return real_vfs->xSleep(real_vfs, us); }
static int c_time(sqlite3_vfs *v, double *o) { (void)v; return real_vfs->xCurrentTime(real_vfs, o); }
static int c_lasterr(sqlite3_vfs *v, int n, char *o) { (void)v; return real_vfs->xGetLastError(real_vfs, n, o); }
static int c_time64(sqlite3_vfs *v, sqlite3_int64 *o) { (void)v; return real_vfs->xCurrentTimeInt64(real_vfs, o); }

static void counting_vfs_install(void)
{
	real_vfs = sqlite3_vfs_find(NULL);
	count_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(struct count_file) + real_vfs->szOsFile,
		.mxPathname = real_vfs->mxPathname,
		.zName = "stress-count",
		.xOpen = c_open, .xDelete = c_delete, .xAccess = c_access,
		.xFullPathname = c_full, .xDlOpen = c_dlopen,
		.xDlError = c_dlerror, .xDlSym = c_dlsym, .xDlClose = c_dlclose,
		.xRandomness = c_random, .xSleep = c_sleep,
		.xCurrentTime = c_time, .xGetLastError = c_lasterr,
		.xCurrentTimeInt64 = c_time64,
	};
	sqlite3_vfs_register(&count_vfs, 1);
}

/* --- small helpers ----------------------------------------------------------- */

static unsigned long long rng_state;

static unsigned long long rng(void)
{
	/* xorshift64*: enough for picking kill points, and reproducible */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static int tests_run, tests_failed;

static void ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void not_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void ok(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("ok - ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	tests_run++;
	fflush(stdout);
}

static void not_ok(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("not ok - ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	tests_run++;
	tests_failed++;
	fflush(stdout);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("not ok - stress_driver: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	exit(1);
}

static void set_str(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	if (!*field)
		die("out of memory");
}

static struct cps_config *config_for(const char *db)
{
	struct cps_config_opts o = { 0 };
	char *env[] = { NULL };
	struct cps_config *cfg = NULL;
	const char *assets = getenv("CPSREG_ASSETS");
	struct cps_error err = { 0 };
	char dir[1024], *slash;

	o.env = env;
	if (cps_config_defaults(&cfg, &o, &err) != CPS_OK)
		die("config: %s", err.msg);
	snprintf(dir, sizeof(dir), "%s", db);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	set_str(&cfg->database, db);
	set_str(&cfg->data_dir, slash ? dir : ".");
	set_str(&cfg->assets_dir, assets && *assets ? assets : "assets");
	return cfg;
}

struct eng {
	struct cps_config *cfg;
	struct cps_engine *e;
};

static enum cps_err eng_open(struct eng *g, const char *db, struct cps_error *err)
{
	g->cfg = config_for(db);
	g->e = NULL;
	return cps_engine_open(&g->e, g->cfg, err);
}

static void eng_close(struct eng *g)
{
	cps_engine_close(g->e);
	cps_config_free(g->cfg);
	g->e = NULL;
	g->cfg = NULL;
}

static long long model_id(struct cps_engine *e, const char *name)
{
	struct cps_catalog_item it;
	struct cps_error err = { 0 };

	if (cps_catalog_get_model(e, name, &it, &err) != CPS_OK)
		die("model %s: %s", name, err.msg);
	return it.id;
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out;
	size_t n;
	int rc = 0;

	if (!in)
		return errno == ENOENT ? 1 : -1;
	out = fopen(to, "wb");
	if (!out) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (ferror(in))
		rc = -1;
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	return rc;
}

/* Copies a closed database (and a WAL, if one was left) to a fresh path. */
static void copy_db(const char *from, const char *to)
{
	char a[1100], b[1100];
	const char *sfx[] = { "-wal", "-shm", "-journal" };

	if (copy_file(from, to) != 0)
		die("cannot copy %s to %s", from, to);
	for (size_t i = 0; i < 3; i++) {
		snprintf(a, sizeof(a), "%s%s", from, sfx[i]);
		snprintf(b, sizeof(b), "%s%s", to, sfx[i]);
		unlink(b);
		if (copy_file(a, b) < 0)
			die("cannot copy %s", a);
	}
}

/* A complete application; the caller submits it or not. */
static long long make_application(struct cps_engine *e, const char *email,
				  const char *old_email, const char *pdf,
				  char *code, size_t codelen)
{
	struct cps_application a;
	struct cps_error err = { 0 };
	char scratch[CPS_RESUME_CODE_SIZE];

	memset(&a, 0, sizeof(a));
	snprintf(a.company, sizeof(a.company), "Stress Foto AS");
	snprintf(a.country, sizeof(a.country), "NO");
	snprintf(a.street, sizeof(a.street), "Storgata 1");
	snprintf(a.postcode, sizeof(a.postcode), "0155");
	snprintf(a.city, sizeof(a.city), "Oslo");
	snprintf(a.first_name, sizeof(a.first_name), "Kari");
	snprintf(a.last_name, sizeof(a.last_name), "Nordmann");
	snprintf(a.email, sizeof(a.email), "%s", email);
	snprintf(a.language, sizeof(a.language), "nb");
	a.vat_registered = CPS_VAT_YES;
	snprintf(a.vat_number, sizeof(a.vat_number), "NO988077917MVA");
	a.authorised = 1;
	if (old_email)
		snprintf(a.old_email, sizeof(a.old_email), "%s", old_email);
	if (!code) {
		code = scratch;
		codelen = sizeof(scratch);
	}
	if (cps_application_new_draft(e, &a, code, codelen, &err) != CPS_OK)
		die("new draft %s: %s", email, err.msg);
	if (pdf) {
		if (cps_document_attach(e, a.id, CPS_DOC_REGISTRATION_CERTIFICATE, pdf, &err) != CPS_OK)
			die("attach: %s", err.msg);
	} else if (cps_document_seen_in_person(e, a.id, CPS_DOC_REGISTRATION_CERTIFICATE,
					       "Stress", &err) != CPS_OK) {
		die("seen in person: %s", err.msg);
	}
	return a.id;
}

/* An application submitted, approved and with its password set. */
static long long make_customer(struct cps_engine *e, const char *email,
			       const char *old_email)
{
	struct cps_error err = { 0 };
	char token[CPS_TOKEN_SIZE];
	long long id = make_application(e, email, old_email, NULL, NULL, 0);

	if (cps_application_submit(e, id, &err) != CPS_OK)
		die("submit %s: %s", email, err.msg);
	if (cps_application_approve(e, id, "Stress", token, sizeof(token), &err) != CPS_OK)
		die("approve %s: %s", email, err.msg);
	if (cps_password_set_with_token(e, email, token, PASSWORD, &err) != CPS_OK)
		die("password %s: %s", email, err.msg);
	explicit_bzero(token, sizeof(token));
	return id;
}

/* --- the crash test ------------------------------------------------------- */

enum kind { K_SUBMIT, K_PRODUCT, K_MIGRATION, K_ENROLL, K_UPGRADE, K_COUNT };
static const char *const kind_name[K_COUNT] = {
	"submit", "product save", "migration", "enrollment", "schema upgrade"
};

#define E_SUBMIT "submit@stress.example.no"
#define E_PRODUCT "product@stress.example.no"
#define E_MIGRATE "migrate@stress.example.no"
#define E_ENROLL "enroll@stress.example.no"
#define UPGRADE_FROM 2

struct crash_ctx {
	char dir[900];
	char tmpl[K_COUNT][1000];
	char code[CPS_RESUME_CODE_SIZE];  /* of the submit template */
	int legacy_products;              /* of OLD_EMAIL */
};

static void import_legacy(struct cps_engine *e, struct crash_ctx *c)
{
	struct cps_legacy_report rep;
	struct cps_legacy_account la;
	struct cps_error err = { 0 };
	char path[1100];

	const char *assets = getenv("CPSREG_ASSETS"); /* as config_for */

	snprintf(path, sizeof(path), "%s/legacy-sample.csv", assets && *assets ? assets : "assets");
	if (cps_legacy_import(e, path, &rep, &err) != CPS_OK)
		die("legacy import: %s", err.msg);
	cps_legacy_report_free(&rep);
	if (cps_legacy_find(e, OLD_EMAIL, &la, &err) != CPS_OK)
		die("legacy find: %s", err.msg);
	c->legacy_products = la.products;
}

static void prepare(struct crash_ctx *c)
{
	struct eng g;
	struct cps_error err = { 0 };
	char base[1000], pdf[1000], warning[CPS_WARNING_MAX];
	struct cps_migration_result mr;

	snprintf(base, sizeof(base), "%s/base.db", c->dir);
	snprintf(pdf, sizeof(pdf), "%s/certificate.pdf", c->dir);
	{
		static const char doc[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";
		FILE *f = fopen(pdf, "wb");

		if (!f || fwrite(doc, 1, sizeof(doc) - 1, f) != sizeof(doc) - 1 || fclose(f) != 0)
			die("cannot write %s", pdf);
	}
	for (int k = 0; k < K_COUNT; k++)
		snprintf(c->tmpl[k], sizeof(c->tmpl[k]), "%s/template-%d.db", c->dir, k);

	/* one database with everything, copied at each stage */
	if (eng_open(&g, base, &err) != CPS_OK)
		die("engine: %s", err.msg);
	import_legacy(g.e, c);
	long long sub = make_application(g.e, E_SUBMIT, NULL, pdf, c->code, sizeof(c->code));
	(void)sub;
	make_customer(g.e, E_PRODUCT, NULL);
	make_customer(g.e, E_MIGRATE, OLD_EMAIL);
	long long en = make_customer(g.e, E_ENROLL, NULL);
	struct cps_product_draft d = {
		.catalog_id = model_id(g.e, "EOS R6 Mark II"), .serial = "7000000001",
		.purchase_date = "2024-05", .purchase_country = "NO", .dealer = "Japan Photo",
	};
	if (cps_product_add(g.e, en, &d, NULL, warning, &err) != CPS_OK)
		die("product: %s", err.msg);
	long points = 0;
	if (cps_product_totals(g.e, en, &points, NULL, NULL, &err) != CPS_OK || points < 500)
		die("the enrollment customer has %ld points (%s)", points, err.msg);
	(void)mr;
	eng_close(&g);
	for (int k = 0; k < K_UPGRADE; k++)
		copy_db(base, c->tmpl[k]);

	/* an older database: the first schema steps only */
	struct cps_store *s = NULL;
	unlink(c->tmpl[K_UPGRADE]);
	if (cps_store_open_with(&s, c->tmpl[K_UPGRADE], cps_store_migrations,
				UPGRADE_FROM, &err) != CPS_OK)
		die("old schema: %s", err.msg);
	cps_store_close(s);
}

static long long account_of(struct cps_engine *e, const char *email)
{
	struct cps_application a;
	struct cps_error err = { 0 };

	if (cps_application_find_by_email(e, email, &a, &err) != CPS_OK)
		return 0;
	return a.id;
}

/* The operation of a kind, as the wizard would run it.  0 when it
 * succeeded. */
static int run_op(enum kind k, struct cps_engine *e, char *why, size_t len)
{
	struct cps_error err = { 0 };
	char warning[CPS_WARNING_MAX];
	long long id = 0;
	enum cps_err rc = CPS_OK;

	switch (k) {
	case K_SUBMIT:
		rc = cps_application_submit(e, account_of(e, E_SUBMIT), &err);
		break;
	case K_PRODUCT: {
		long long acc = account_of(e, E_PRODUCT);
		struct cps_product_draft d = {
			.catalog_id = model_id(e, "EOS R6 Mark II"), .serial = "7100000001",
			.purchase_date = "2024-05", .purchase_country = "NO",
		};
		rc = cps_product_add(e, acc, &d, &id, warning, &err);
		if (rc == CPS_OK) {
			d.dealer = "Japan Photo Oslo";
			rc = cps_product_update(e, id, &d, warning, &err);
		}
		if (rc == CPS_OK) {
			struct cps_product_draft d2 = {
				.catalog_id = model_id(e, "EOS R5"), .serial = "7200000002",
				.purchase_date = "2023", .purchase_country = "DK",
				.dealer = "Foto Hansen",
			};
			rc = cps_product_add(e, acc, &d2, NULL, warning, &err);
		}
		break;
	}
	case K_MIGRATION: {
		struct cps_migration_result mr;

		rc = cps_migration_run(e, account_of(e, E_MIGRATE), &mr, &err);
		if (rc == CPS_OK)
			cps_migration_result_free(&mr);
		break;
	}
	case K_ENROLL: {
		struct cps_enrollment en;

		rc = cps_enroll(e, account_of(e, E_ENROLL), "silver", CPS_PAY_BANK, &en, &err);
		break;
	}
	case K_UPGRADE:
	case K_COUNT:
		break;
	}
	if (rc != CPS_OK)
		snprintf(why, len, "%s: %s", kind_name[k], err.msg);
	return rc != CPS_OK;
}

/* The child: opens the engine, runs the operation with the counter on,
 * closes (a checkpoint may run then: part of the operation too).  Sends
 * the number of counted points through fd. */
static void child(enum kind k, const char *db, long at, int fd)
{
	struct eng g;
	struct cps_error err = { 0 };
	char why[CPS_ERROR_MAX + 64] = "";
	int failed;

	counting_vfs_install();
	kill_at = at;
	io_count = 0;
	counting = (k == K_UPGRADE);
	if (eng_open(&g, db, &err) != CPS_OK) {
		dprintf(fd, "-1 open: %s\n", err.msg);
		_exit(2);
	}
	counting = 1;
	failed = run_op(k, g.e, why, sizeof(why));
	eng_close(&g);
	counting = 0;
	dprintf(fd, "%ld %s\n", io_count, why);
	_exit(failed ? 3 : 0);
}

/* Runs the child; *killed is set when SIGKILL ended it.  Returns the
 * number of points it counted when it finished (else -1) and fills why on
 * anything unexpected. */
static long run_child(enum kind k, const char *db, long at, int *killed,
		      char *why, size_t len)
{
	int p[2], st;
	pid_t pid;
	char buf[2048] = "";
	ssize_t n, got = 0;
	long count = -1;

	*killed = 0;
	why[0] = '\0';
	fflush(stdout);
	if (pipe(p) != 0)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(p[0]);
		child(k, db, at, p[1]);
	}
	close(p[1]);
	while ((n = read(p[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	buf[got] = '\0';
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
		*killed = 1;
		return -1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		count = strtol(buf, NULL, 10);
		return count;
	}
	snprintf(why, len, "the operation failed (status 0x%x): %s", st, buf);
	return -1;
}

/* --- checking a database after a kill ------------------------------------------------ */

static int q_int(sqlite3 *db, const char *sql, long long *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int q_text(sqlite3 *db, const char *sql, char *out, size_t len)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	out[0] = '\0';
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		snprintf(out, len, "%s", t ? (const char *)t : "");
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The counts that must move together for each kind, as one string. */
static int state_of(sqlite3 *db, enum kind k, char *out, size_t len)
{
	static const char *const sql[K_COUNT] = {
		[K_SUBMIT] =
		"SELECT a.status || ' submitted=' || (a.submitted_at IS NOT NULL)"
		" || ' expected=' || (a.expected_by IS NOT NULL)"
		" || ' outbox=' || (SELECT count(*) FROM outbox o WHERE o.account_id = a.id)"
		" FROM account a WHERE a.email = '" E_SUBMIT "'",
		[K_PRODUCT] =
		"SELECT 'products=' || (SELECT count(*) FROM product p WHERE p.account_id = a.id)"
		" || ' complete=' || (SELECT count(*) FROM product p WHERE p.account_id = a.id AND p.completed_at IS NOT NULL)"
		" || ' outbox=' || (SELECT count(*) FROM outbox o WHERE o.account_id = a.id AND o.kind = 'product')"
		" FROM account a WHERE a.email = '" E_PRODUCT "'",
		[K_MIGRATION] =
		"SELECT 'migrated=' || (SELECT count(*) FROM product p WHERE p.account_id = a.id AND p.origin = 'migrated')"
		" || ' record=' || (SELECT count(*) FROM migration m WHERE m.account_id = a.id)"
		" || ' outbox=' || (SELECT count(*) FROM outbox o WHERE o.account_id = a.id AND o.kind = 'migration')"
		" FROM account a WHERE a.email = '" E_MIGRATE "'",
		[K_ENROLL] =
		"SELECT 'invoices=' || (SELECT count(*) FROM invoice i WHERE i.account_id = a.id)"
		" || ' memberships=' || (SELECT count(*) FROM membership m WHERE m.account_id = a.id)"
		" || ' mails=' || (SELECT count(*) FROM message g WHERE g.account_id = a.id AND g.kind = 'invoice')"
		" || ' outbox=' || (SELECT count(*) FROM outbox o WHERE o.account_id = a.id AND o.kind = 'enrollment')"
		" FROM account a WHERE a.email = '" E_ENROLL "'",
		[K_UPGRADE] =
		"SELECT 'version=' || (SELECT user_version FROM pragma_user_version)"
		" || ' tables=' || (SELECT count(*) FROM sqlite_master WHERE type = 'table')",
	};
	return q_text(db, sql[k], out, len);
}

/* The states allowed after a kill: before the operation and after each
 * transaction of it (learnt from a run that was not killed, see main). */
/* Room for every schema version's state (one more each step) and some. */
#define ALLOWED_MAX 64

struct allowed {
	char v[ALLOWED_MAX][256];
	int n;
};

/* Adds a state; a list that is full is the driver's own fault, said as
 * such rather than written past its end. */
static void allow(struct allowed *al, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void allow(struct allowed *al, const char *fmt, ...)
{
	va_list ap;

	if (al->n >= ALLOWED_MAX)
		die("more than %d allowed states: raise ALLOWED_MAX", ALLOWED_MAX);
	va_start(ap, fmt);
	vsnprintf(al->v[al->n++], sizeof(al->v[0]), fmt, ap);
	va_end(ap);
}

static int is_allowed(const struct allowed *a, const char *s)
{
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->v[i], s) == 0)
			return 1;
	return 0;
}

/* integrity_check, foreign keys and the state, read with a plain SQLite
 * connection (which also recovers the WAL as the next cpsreg would). */
static int inspect(const char *path, enum kind k, char *state, size_t slen,
		   char *why, size_t wlen)
{
	sqlite3 *db = NULL;
	char ic[512];
	long long fk = 0;
	int bad = 1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(why, wlen, "cannot open: %s", db ? sqlite3_errmsg(db) : "?");
		goto out;
	}
	if (q_text(db, "PRAGMA integrity_check", ic, sizeof(ic)) != SQLITE_OK ||
	    strcmp(ic, "ok") != 0) {
		snprintf(why, wlen, "integrity_check: %s (%s)", ic, sqlite3_errmsg(db));
		goto out;
	}
	if (q_int(db, "SELECT count(*) FROM pragma_foreign_key_check", &fk) != SQLITE_OK || fk != 0) {
		snprintf(why, wlen, "%lld rows point to missing rows (%s)", fk, sqlite3_errmsg(db));
		goto out;
	}
	if (state_of(db, k, state, slen) != SQLITE_OK) {
		snprintf(why, wlen, "cannot read the state: %s", sqlite3_errmsg(db));
		goto out;
	}
	bad = 0;
out:
	sqlite3_close(db);
	return bad;
}

/* The customer comes back and finishes: 0 when it worked. */
static int resume(enum kind k, const char *path, const struct crash_ctx *c,
		  char *why, size_t len)
{
	struct eng g;
	struct cps_error err = { 0 };
	struct cps_application a;
	int bad = 1;

	if (eng_open(&g, path, &err) != CPS_OK) {
		snprintf(why, len, "the engine cannot open it: %s", err.msg);
		cps_config_free(g.cfg);
		return 1;
	}
	switch (k) {
	case K_SUBMIT:
		if (cps_application_resume(g.e, c->code, &a, &err) != CPS_OK) {
			snprintf(why, len, "the resume code: %s", err.msg);
			break;
		}
		if (a.status == CPS_APP_DRAFT &&
		    cps_application_submit(g.e, a.id, &err) != CPS_OK) {
			snprintf(why, len, "submitting again: %s", err.msg);
			break;
		}
		if (cps_application_load(g.e, a.id, &a, &err) != CPS_OK ||
		    a.status != CPS_APP_PENDING) {
			snprintf(why, len, "not pending after resuming (%s)", err.msg);
			break;
		}
		bad = 0;
		break;
	case K_PRODUCT:
	case K_MIGRATION:
	case K_ENROLL: {
		const char *email = k == K_PRODUCT ? E_PRODUCT : k == K_MIGRATION ? E_MIGRATE : E_ENROLL;
		struct cps_product *list = NULL;
		size_t n = 0;
		char w[CPS_WARNING_MAX];

		if (cps_login(g.e, email, PASSWORD, &a, &err) != CPS_OK) {
			snprintf(why, len, "login: %s", err.msg);
			break;
		}
		if (cps_product_list(g.e, a.id, &list, &n, &err) != CPS_OK) {
			snprintf(why, len, "My products: %s", err.msg);
			break;
		}
		cps_product_list_free(list);
		if (k == K_PRODUCT) {
			/* what was not saved is typed again */
			struct cps_product_draft d = {
				.catalog_id = model_id(g.e, "EOS R5"), .serial = "7200000002",
				.purchase_date = "2023", .purchase_country = "DK",
				.dealer = "Foto Hansen",
			};
			enum cps_err rc = cps_product_add(g.e, a.id, &d, NULL, w, &err);

			if (rc != CPS_OK && rc != CPS_ERR_EXISTS) {
				snprintf(why, len, "adding a product again: %s", err.msg);
				break;
			}
		} else if (k == K_MIGRATION) {
			struct cps_migration_result mr;

			if (cps_migration_run(g.e, a.id, &mr, &err) != CPS_OK) {
				snprintf(why, len, "MIGRATE PRODUCTS again: %s", err.msg);
				break;
			}
			int total = mr.already ? mr.moved : mr.moved + mr.skipped;
			cps_migration_result_free(&mr);
			if (total != c->legacy_products) {
				snprintf(why, len, "%d products moved in all, the old account has %d",
					 total, c->legacy_products);
				break;
			}
		} else {
			struct cps_enrollment en;
			struct cps_membership m;
			enum cps_err rc = cps_enroll(g.e, a.id, "silver", CPS_PAY_BANK, &en, &err);

			if (rc != CPS_OK && rc != CPS_ERR_STATE) {
				snprintf(why, len, "enrolling again: %s", err.msg);
				break;
			}
			if (cps_membership_get(g.e, a.id, &m, &err) != CPS_OK) {
				snprintf(why, len, "no membership after resuming: %s", err.msg);
				break;
			}
		}
		bad = 0;
		break;
	}
	case K_UPGRADE: {
		struct cps_flow f;

		if (cps_flow_get(g.e, 0, &f, &err) != CPS_OK) {
			snprintf(why, len, "the upgraded database: %s", err.msg);
			break;
		}
		bad = 0;
		break;
	}
	case K_COUNT:
		break;
	}
	eng_close(&g);
	return bad;
}

/* Learns the states a kill may leave: the template's, then the state
 * after each counted point of a run that is stopped there (a kill at
 * point N + 1 leaves what the first N points wrote).  Also gives the
 * number of points of the operation. */
static long learn(struct crash_ctx *c, enum kind k, struct allowed *al)
{
	char path[1100], state[256], why[2048];
	int killed;
	long total;

	snprintf(path, sizeof(path), "%s/learn.db", c->dir);
	copy_db(c->tmpl[k], path);
	total = run_child(k, path, 0, &killed, why, sizeof(why));
	if (total <= 0)
		die("%s: a run without a kill failed: %s", kind_name[k], why);
	al->n = 0;
	/* before and after, from two clean runs */
	copy_db(c->tmpl[k], path);
	if (inspect(path, k, state, sizeof(state), why, sizeof(why)))
		die("%s: the template: %s", kind_name[k], why);
	allow(al, "%s", state);
	run_child(k, path, 0, &killed, why, sizeof(why));
	if (inspect(path, k, state, sizeof(state), why, sizeof(why)))
		die("%s: after a clean run: %s", kind_name[k], why);
	if (!is_allowed(al, state))
		allow(al, "%s", state);
	return total;
}

/* The states between the first and the last: known per kind (a product
 * save is three transactions; each other operation is one). */
static void add_middle_states(const char *dir, enum kind k, struct allowed *al)
{
	if (k == K_PRODUCT) {
		allow(al, "products=1 complete=0 outbox=1");
		allow(al, "products=1 complete=1 outbox=2");
	}
	if (k != K_UPGRADE)
		return;
	/* each schema step commits on its own: every version between is a
	 * whole state, with the tables a database of that version has */
	for (int v = UPGRADE_FROM + 1; v < (int)cps_store_nmigrations; v++) {
		struct cps_store *s = NULL;
		struct cps_error err = { 0 };
		sqlite3_stmt *st = NULL;
		char path[1100];
		int tables = -1;

		snprintf(path, sizeof(path), "%s/middle-%d.db", dir, v);
		unlink(path);
		if (cps_store_open_with(&s, path, cps_store_migrations, (size_t)v, &err) != CPS_OK)
			die("a database of version %d: %s", v, err.msg);
		if (sqlite3_prepare_v2(cps_store_db(s),
				       "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
				       -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			tables = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		cps_store_close(s);
		allow(al, "version=%d tables=%d", v, tables);
	}
}

static int cmd_crash(const char *dir, int trials, unsigned long long seed)
{
	struct crash_ctx c;
	static struct allowed al[K_COUNT]; /* 80 KB: not on the stack */
	long points[K_COUNT];
	char path[1100], state[256], why[2048];

	memset(&c, 0, sizeof(c));
	snprintf(c.dir, sizeof(c.dir), "%s", dir);
	mkdir(dir, 0700);
	rng_state = seed ? seed : 0x9e3779b97f4a7c15ULL;
	printf("# crash trials: %d, seed %llu (stress_driver crash DIR %d %llu repeats them)\n",
	       trials, seed, trials, seed);
	prepare(&c);
	for (int k = 0; k < K_COUNT; k++) {
		points[k] = learn(&c, k, &al[k]);
		add_middle_states(dir, k, &al[k]);
		printf("# %s: %ld write points; allowed states:", kind_name[k], points[k]);
		for (int i = 0; i < al[k].n; i++)
			printf(" [%s]", al[k].v[i]);
		printf("\n");
	}
	for (int t = 1; t <= trials; t++) {
		enum kind k = (enum kind)((t - 1) % K_COUNT);
		long at = 1 + (long)(rng() % (unsigned long long)(points[k] + 1));
		int killed;

		snprintf(path, sizeof(path), "%s/trial.db", c.dir);
		copy_db(c.tmpl[k], path);
		run_child(k, path, at, &killed, why, sizeof(why));
		if (!killed && why[0]) {
			not_ok("trial %d, %s, kill at point %ld of %ld: %s", t, kind_name[k], at, points[k], why);
			continue;
		}
		if (inspect(path, k, state, sizeof(state), why, sizeof(why))) {
			not_ok("trial %d, %s, killed at point %ld of %ld: %s", t, kind_name[k], at, points[k], why);
			continue;
		}
		if (!is_allowed(&al[k], state)) {
			not_ok("trial %d, %s, killed at point %ld of %ld: a partial change is left: %s",
			       t, kind_name[k], at, points[k], state);
			continue;
		}
		if (resume(k, path, &c, why, sizeof(why))) {
			not_ok("trial %d, %s, killed at point %ld of %ld (%s): the customer cannot resume: %s",
			       t, kind_name[k], at, points[k], state, why);
			continue;
		}
		ok("trial %d, %s, %s at point %ld of %ld: integrity ok, [%s], resumed",
		   t, kind_name[k], killed ? "killed" : "not killed", at, points[k], state);
	}
	printf("# %d trials, %d failed\n", tests_run, tests_failed);
	return tests_failed != 0;
}

/* --- the concurrency writer ----------------------------------------------------- */

static int cmd_writer(const char *db, long ops, unsigned long long seed,
		      const char *tag, int pending)
{
	struct eng g;
	struct cps_error err = { 0 };
	long long acc[2], mine[4096];
	size_t nmine = 0;
	long done = 0, busy = 0, errors = 0, adds = 0, changes = 0, deletes = 0;
	long long models[3];
	char email[CPS_EMAIL_MAX], serial[64], dealer[64], w[CPS_WARNING_MAX];

	rng_state = seed ? seed : 1;
	if (eng_open(&g, db, &err) != CPS_OK) {
		printf("writer: cannot open: %s\n", err.msg);
		return 4;
	}
	for (int i = 0; i < 2; i++) {
		snprintf(email, sizeof(email), "writer-%s-%d@stress.example.no", tag, i);
		acc[i] = make_customer(g.e, email, NULL);
	}
	for (int i = 0; i < pending; i++) {
		struct cps_error e2 = { 0 };

		snprintf(email, sizeof(email), "staff-%s-%d@stress.example.no", tag, i);
		long long id = make_application(g.e, email, NULL, NULL, NULL, 0);
		if (cps_application_submit(g.e, id, &e2) != CPS_OK)
			die("submit %s: %s", email, e2.msg);
		printf("pending %s\n", email);
	}
	fflush(stdout);
	models[0] = model_id(g.e, "EOS R6 Mark II");
	models[1] = model_id(g.e, "EOS R5");
	models[2] = model_id(g.e, "EOS R8");
	for (long i = 0; i < ops; i++) {
		unsigned r = (unsigned)(rng() % 100);
		long long a = acc[rng() % 2];
		enum cps_err rc;

		err.msg[0] = '\0';
		if (r < 40 || nmine == 0) {
			snprintf(serial, sizeof(serial), "W%s%06ld", tag, i);
			struct cps_product_draft d = {
				.catalog_id = models[rng() % 3], .serial = serial,
				.purchase_date = "2024", .purchase_country = "NO",
				.dealer = (rng() % 2) ? "Japan Photo" : NULL,
			};
			long long id = 0;

			rc = cps_product_add(g.e, a, &d, &id, w, &err);
			if (rc == CPS_OK) {
				adds++;
				if (nmine < sizeof(mine) / sizeof(mine[0]))
					mine[nmine++] = id;
			}
		} else if (r < 70) {
			size_t j = (size_t)(rng() % nmine);
			struct cps_product p;

			rc = cps_product_get(g.e, mine[j], &p, &err);
			if (rc == CPS_OK) {
				snprintf(dealer, sizeof(dealer), "Dealer %ld", i);
				struct cps_product_draft d = {
					.catalog_id = p.catalog_id, .serial = p.serial,
					.purchase_date = p.purchase_date,
					.purchase_country = p.purchase_country, .dealer = dealer,
				};
				rc = cps_product_update(g.e, mine[j], &d, w, &err);
				if (rc == CPS_OK)
					changes++;
			}
		} else if (r < 78) {
			size_t j = (size_t)(rng() % nmine);

			rc = cps_product_delete(g.e, mine[j], &err);
			if (rc == CPS_OK) {
				deletes++;
				mine[j] = mine[--nmine];
			}
		} else if (r < 88) {
			rc = cps_application_set_step(g.e, a, (rng() % 2) ? "products" : "points", &err);
		} else {
			struct cps_flow f;

			rc = cps_flow_get(g.e, a, &f, &err);
		}
		done++;
		if (rc == CPS_ERR_BUSY)
			busy++;
		if (rc != CPS_OK) {
			errors++;
			printf("# op %ld: error %d (%s)\n", i, (int)rc, err.msg);
		}
	}
	printf("writer ops=%ld busy=%ld errors=%ld adds=%ld changes=%ld deletes=%ld accounts=%lld,%lld\n",
	       done, busy, errors, adds, changes, deletes, acc[0], acc[1]);
	eng_close(&g);
	return errors != 0;
}

static int cmd_member(const char *db, const char *email, const char *method,
		      const char *url)
{
	struct eng g;
	struct cps_error err = { 0 };
	struct cps_enrollment en;
	enum cps_payment_method m;
	char warning[CPS_WARNING_MAX], serial[32];

	if (cps_payment_method_parse(method, &m) != CPS_OK)
		die("no payment method %s", method);
	if (eng_open(&g, db, &err) != CPS_OK)
		die("engine: %s", err.msg);
	set_str(&g.cfg->remote_url, url);
	long long id = make_customer(g.e, email, NULL);
	snprintf(serial, sizeof(serial), "71%08lld", id % 100000000);
	struct cps_product_draft d = {
		.catalog_id = model_id(g.e, "EOS R6 Mark II"), .serial = serial,
		.purchase_date = "2024-05", .purchase_country = "NO", .dealer = "Japan Photo",
	};
	if (cps_product_add(g.e, id, &d, NULL, warning, &err) != CPS_OK)
		die("product: %s", err.msg);
	if (cps_enroll(g.e, id, "silver", m, &en, &err) != CPS_OK)
		die("enroll: %s", err.msg);
	printf("member %lld %s\n", id, en.number);
	eng_close(&g);
	return 0;
}

/* MIGRATE PRODUCTS for the customer with this e-mail, as the wizard's
 * button does (tests/cli/test_legacy_sync.sh: its row for the remote). */
static int cmd_migrate(const char *db, const char *email, const char *url)
{
	struct eng g;
	struct cps_error err = { 0 };
	struct cps_application app;
	struct cps_migration_result res;

	if (eng_open(&g, db, &err) != CPS_OK)
		die("engine: %s", err.msg);
	set_str(&g.cfg->remote_url, url);
	if (cps_application_find_by_email(g.e, email, &app, &err) != CPS_OK)
		die("find %s: %s", email, err.msg);
	if (cps_migration_run(g.e, app.id, &res, &err) != CPS_OK)
		die("migrate: %s", err.msg);
	printf("migrated %d\n", res.moved);
	cps_migration_result_free(&res);
	eng_close(&g);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && strcmp(argv[1], "crash") == 0)
		return cmd_crash(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 10));
	if (argc == 7 && strcmp(argv[1], "writer") == 0)
		return cmd_writer(argv[2], atol(argv[3]), strtoull(argv[4], NULL, 10),
				  argv[5], atoi(argv[6]));
	if (argc == 6 && strcmp(argv[1], "member") == 0)
		return cmd_member(argv[2], argv[3], argv[4], argv[5]);
	if (argc == 5 && strcmp(argv[1], "migrate") == 0)
		return cmd_migrate(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: stress_driver crash DIR TRIALS SEED\n"
			"       stress_driver member DB EMAIL METHOD REMOTE_URL\n"
			"       stress_driver migrate DB EMAIL REMOTE_URL\n"
			"       stress_driver writer DB OPS SEED TAG PENDING\n");
	return 2;
}
