/* import.c - writing an import in short transactions, all or nothing
 * (see import.h).
 *
 * Why: an import of 100,000 rows written in one transaction holds the
 * database's write lock for about half a second, and longer on a busy
 * machine or with more rows; a customer's save at a kiosk waits behind
 * it.  Written in batches of at most BATCH_ROWS rows or BATCH_MS, with a
 * pause between them in which a waiting save takes the lock, no save
 * waits longer than one batch.  The rows stay unseen until the import's
 * generation is published, so a reader never sees half an import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "claim.h"
#include "engine_private.h"
#include "import.h"
#include "store_import.h"

/* A batch is bound by its time: each batch ends with a commit and a
 * pause, and at 5,000 rows a 100,000-row file took twenty of them, a
 * tenth of its run, for batches of about 15 ms.  The row bound only caps
 * what one batch holds in memory on a fast machine. */
#define BATCH_ROWS 20000     /* rows in one transaction at most */
#define BATCH_MS 40          /* ... and about this long at most */
#define PAUSE_US 2000        /* between two batches: a waiting writer's turn */
#define DROP_ROWS 5000       /* rows of an unfinished import dropped at a time */
#define CLAIM_KEY "import_running"
#define WAIT_STEP_MS 50      /* how often a waiting import looks again */

static const char *gen_key(int legacy)
{
	return legacy ? "legacy_generation" : "catalog_generation";
}

static long ms_since(const struct timespec *a)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - a->tv_sec) * 1000 + (now.tv_nsec - a->tv_nsec) / 1000000;
}

static enum cps_err read_gen(struct cps_store *s, int legacy, long long *out,
			     struct cps_error *err)
{
	char v[CPS_STORE_META_MAX];
	enum cps_err rc = cps_store_meta_get(s, gen_key(legacy), v, sizeof(v), err);

	*out = 0;
	if (rc == CPS_ERR_NOT_FOUND)
		return CPS_OK;
	if (rc == CPS_OK)
		*out = strtoll(v, NULL, 10);
	return rc;
}

/* One try at the claim: CPS_ERR_BUSY (with the holder in holder) when a
 * live process has it. */
static enum cps_err try_claim(struct cps_import_run *run, long *holder,
			      struct cps_error *err)
{
	struct cps_store *s = run->e->store;
	enum cps_err rc = cps_store_begin(s, err);

	if (rc != CPS_OK)
		return rc;
	rc = cps_claim_take(s, CLAIM_KEY, holder, err);
	if (rc == CPS_ERR_BUSY) {
		cps_store_rollback(s);
		return rc;
	}
	if (rc == CPS_OK)
		rc = read_gen(s, run->legacy, &run->shown, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(s, err);
	else
		cps_store_rollback(s);
	return rc;
}

static void pause_between(void)
{
	struct timespec t = { 0, PAUSE_US * 1000L };

	nanosleep(&t, NULL);
}

/* Drops every row of the kind (legacy or not) above shown, a batch per
 * transaction. */
static enum cps_err drop_unpublished(struct cps_import_run *run, int legacy, long long shown,
				     struct cps_error *err)
{
	struct cps_store *s = run->e->store;
	enum cps_err rc;
	int dropped;

	do {
		rc = cps_store_begin(s, err);
		if (rc != CPS_OK)
			return rc;
		rc = cps_store_import_drop(s, legacy, shown, DROP_ROWS, &dropped, err);
		if (rc == CPS_OK)
			rc = cps_store_commit(s, err);
		else
			cps_store_rollback(s);
		if (rc == CPS_OK && dropped > 0)
			pause_between();
	} while (rc == CPS_OK && dropped > 0);
	return rc;
}

static void release_claim(struct cps_import_run *run)
{
	struct cps_store *s = run->e->store;
	struct cps_error ignored;

	if (!run->claimed)
		return;
	/* a claim left behind is taken over by the next import, which sees
	 * that this process has ended */
	cps_claim_drop(s, CLAIM_KEY, &ignored);
	run->claimed = 0;
}

/* Commits wait for the disk again (the last transaction, or the end). */
static void synced_again(struct cps_import_run *run)
{
	if (!run->unsynced)
		return;
	cps_store_import_unsynced(run->e->store, 0, run->sync_level);
	run->unsynced = 0;
}

enum cps_err cps_import_start(struct cps_engine *e, struct cps_import_run *run,
			      int legacy, int wait_ms, struct cps_error *err)
{
	long holder = 0;
	struct timespec since;
	long long other;
	enum cps_err rc;

	memset(run, 0, sizeof(*run));
	run->e = e;
	run->legacy = legacy != 0;
	/* from the claim on, nothing waits for the disk until the last
	 * transaction: a claim or a drop lost in a power cut only leaves
	 * what the next import takes over or drops again */
	run->sync_level = cps_store_import_unsynced(e->store, 1, -1);
	run->unsynced = 1;
	clock_gettime(CLOCK_MONOTONIC, &since);
	while ((rc = try_claim(run, &holder, err)) == CPS_ERR_BUSY &&
	       ms_since(&since) < wait_ms) {
		struct timespec t = { 0, WAIT_STEP_MS * 1000000L };
		nanosleep(&t, NULL);
	}
	if (rc == CPS_ERR_BUSY)
		rc = cps_error_set(err, CPS_ERR_BUSY,
			_("another import is running (process %ld); try again when it has finished"),
			holder);
	if (rc != CPS_OK) {
		synced_again(run);
		return rc;
	}
	run->claimed = 1;
	run->gen = run->shown + 1;
	/* what a killed import of either kind left */
	rc = drop_unpublished(run, run->legacy, run->shown, err);
	if (rc == CPS_OK)
		rc = read_gen(e->store, !run->legacy, &other, err);
	if (rc == CPS_OK)
		rc = drop_unpublished(run, !run->legacy, other, err);
	if (rc != CPS_OK) {
		synced_again(run);
		release_claim(run);
		return rc;
	}
	cps_store_set_insert_gen(e->store, run->gen);
	return CPS_OK;
}

static enum cps_err end_batch(struct cps_import_run *run, struct cps_error *err)
{
	enum cps_err rc = cps_store_commit(run->e->store, err);
	struct cps_engine *e = run->e;

	run->in_tx = 0;
	run->batch = 0;
	if (rc != CPS_OK)
		return rc;
	if (e->import_batch_done && e->import_batch_done(e->import_batch_arg, run->written))
		return cps_error_set(err, CPS_ERR_STATE, "%s", _("the import was stopped"));
	pause_between();
	return CPS_OK;
}

void cps_import_expect(struct cps_import_run *run, size_t rows)
{
	run->expected = rows;
}

static size_t batch_rows(const struct cps_import_run *run)
{
	return run->e->import_batch_rows ? run->e->import_batch_rows : BATCH_ROWS;
}

static enum cps_err open_tx(struct cps_import_run *run, struct cps_error *err)
{
	enum cps_err rc;

	/* the rows left fit in this batch: it may become the last
	 * transaction, which waits for the disk (a connection cannot change
	 * that inside a transaction) */
	if (run->expected && run->expected - run->written <= batch_rows(run))
		synced_again(run);
	rc = cps_store_begin(run->e->store, err);

	if (rc == CPS_OK) {
		run->in_tx = 1;
		clock_gettime(CLOCK_MONOTONIC, &run->started);
	}
	return rc;
}

/* The open transaction has had its rows or its time. */
static int batch_full(struct cps_import_run *run)
{
	size_t most = batch_rows(run);

	return run->batch >= most || ms_since(&run->started) >= BATCH_MS;
}

enum cps_err cps_import_row(struct cps_import_run *run, struct cps_error *err)
{
	size_t taken;

	return cps_import_rows(run, 1, &taken, err);
}

int cps_import_more(struct cps_import_run *run)
{
	if (!run->in_tx || batch_full(run))
		return 0;
	run->batch++;
	run->written++;
	return 1;
}

enum cps_err cps_import_rows(struct cps_import_run *run, size_t n, size_t *taken,
			     struct cps_error *err)
{
	size_t most = batch_rows(run);
	enum cps_err rc;

	*taken = 0;
	if (run->in_tx && batch_full(run)) {
		rc = end_batch(run, err);
		if (rc != CPS_OK)
			return rc;
	}
	if (!run->in_tx) {
		rc = open_tx(run, err);
		if (rc != CPS_OK)
			return rc;
	}
	/* never more than a batch holds: the rows are counted as one by one */
	*taken = n < most - run->batch ? n : most - run->batch;
	run->batch += *taken;
	run->written += *taken;
	return CPS_OK;
}

enum cps_err cps_import_last(struct cps_import_run *run, struct cps_error *err)
{
	/* the rows of a full batch are committed first, so that the last
	 * transaction holds only the changes and the publishing; a batch
	 * with time and room left that waits for the disk already (see
	 * cps_import_expect) becomes the last transaction itself: no commit
	 * and pause that only make the lock change hands to take it back (a
	 * file written in one batch has none at all) */
	if (run->in_tx && run->batch > 0 && (run->unsynced || batch_full(run))) {
		enum cps_err rc = end_batch(run, err);
		if (rc != CPS_OK)
			return rc;
	}
	synced_again(run);
	return run->in_tx ? CPS_OK : open_tx(run, err);
}

enum cps_err cps_import_publish(struct cps_import_run *run, struct cps_error *err)
{
	struct cps_store *s = run->e->store;
	char v[32];
	enum cps_err rc = cps_import_last(run, err);

	snprintf(v, sizeof(v), "%lld", run->gen);
	if (rc == CPS_OK)
		rc = cps_store_meta_set(s, gen_key(run->legacy), v, err);
	if (rc == CPS_OK)
		rc = cps_claim_drop(s, CLAIM_KEY, err);
	if (rc == CPS_OK) {
		run->in_tx = 0;
		rc = cps_store_commit(s, err);
		if (rc == CPS_OK) {
			run->claimed = 0;
			run->written = 0;
		}
	}
	cps_store_set_insert_gen(s, 0);
	return rc;
}

void cps_import_abort(struct cps_import_run *run)
{
	struct cps_error ignored;

	if (!run->e)
		return;
	if (run->in_tx)
		cps_store_rollback(run->e->store);
	run->in_tx = 0;
	synced_again(run);
	cps_store_set_insert_gen(run->e->store, 0);
	/* what cannot be dropped now is dropped by the next import */
	if (run->claimed && run->written > 0)
		drop_unpublished(run, run->legacy, run->shown, &ignored);
	release_claim(run);
}
