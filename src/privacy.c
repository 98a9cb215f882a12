/* privacy.c - export and erasure of one customer's data (see
 * include/cpsreg/privacy.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/privacy.h"
#include "audit.h"
#include "outbox.h"
#include "store_account.h"
#include "store_privacy.h"

static enum cps_err need_staff(const char *staff, struct cps_error *err)
{
	if (!staff || !*staff)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please enter the name of the staff member."));
	return CPS_OK;
}

/* The export's JSON text and its audit line, inside a transaction the
 * caller opened and ends. */
static enum cps_err export_in_tx(struct cps_engine *e, long long id,
				 const char *staff_name, char **json,
				 struct cps_error *err)
{
	json_t *o = NULL;
	enum cps_err rc = cps_audit_add(e, staff_name, "export", id, 0, err);

	if (rc == CPS_OK)
		rc = cps_store_customer_json(e->store, id, &o, err);
	if (rc == CPS_OK) {
		*json = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (!*json)
			rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	return rc;
}

enum cps_err cps_customer_export(struct cps_engine *e, long long id,
				 const char *staff_name, char **json,
				 struct cps_error *err)
{
	enum cps_err rc = need_staff(staff_name, err);

	*json = NULL;
	if (rc != CPS_OK)
		return rc;
	/* one transaction: the export is one moment's data, and its audit
	 * line is there exactly when the export was made */
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = export_in_tx(e, id, staff_name, json, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	else
		cps_store_rollback(e->store);
	if (rc != CPS_OK) {
		free(*json);
		*json = NULL;
	}
	return rc;
}

enum cps_err cps_customer_erase(struct cps_engine *e, long long id,
				const char *staff_name, int *journal_kept,
				struct cps_error *err)
{
	struct cps_application *a;
	enum cps_err rc = need_staff(staff_name, err);

	if (journal_kept)
		*journal_kept = 0;
	if (rc != CPS_OK)
		return rc;
	a = malloc(sizeof(*a));
	if (!a)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	rc = cps_store_begin(e->store, err);
	if (rc == CPS_OK) {
		rc = cps_store_account_load(e->store, id, a, err);
		if (rc == CPS_OK)
			rc = cps_store_customer_erase(e->store, id, a->old_email, err);
		/* after the erasure, so that the remote's row survives it */
		if (rc == CPS_OK)
			rc = cps_outbox_add(e, "erasure", id, NULL, err);
		if (rc == CPS_OK)
			rc = cps_audit_add(e, staff_name, "erase", id, 0, err);
		if (rc == CPS_OK)
			rc = cps_store_commit(e->store, err);
		else
			cps_store_rollback(e->store);
	}
	free(a);
	/* the erased rows would otherwise stay readable in the journal until
	 * SQLite happens to checkpoint it; the erasure stands either way, but
	 * whoever asked for it must know when the journal still holds them */
	if (rc == CPS_OK) {
		struct cps_error e1 = { 0 };
		int busy = 0;

		if (cps_store_checkpoint_truncate(e->store, &busy, &e1) != CPS_OK)
			busy = 1;
		if (journal_kept)
			*journal_kept = busy;
	}
	return rc;
}

/* Writes len bytes to a new file at path, readable by its owner only; an
 * existing file is never replaced (staff type the path). */
static enum cps_err write_new_file(const char *path, const void *buf, size_t len,
				   struct cps_error *err)
{
	const char *p = buf;
	int fd;

	if (!path || !*path)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please enter the path of the file to write."));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return cps_error_set(err, CPS_ERR_EXISTS,
					     _("%s exists already; choose a new file name."), path);
		return cps_error_set(err, CPS_ERR_IO, _("cannot write %s: %s"), path,
				     strerror(errno));
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			close(fd);
			unlink(path);
			return cps_error_set(err, CPS_ERR_IO, _("cannot write %s: %s"), path,
					     strerror(e));
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		int e = errno;

		unlink(path);
		return cps_error_set(err, CPS_ERR_IO, _("cannot write %s: %s"), path, strerror(e));
	}
	return CPS_OK;
}

enum cps_err cps_customer_export_file(struct cps_engine *e, long long id,
				      const char *staff_name, const char *path,
				      struct cps_error *err)
{
	char *json = NULL;
	enum cps_err rc = need_staff(staff_name, err);

	if (rc != CPS_OK)
		return rc;
	if (!path || !*path)
		return write_new_file(path, "", 0, err);
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = export_in_tx(e, id, staff_name, &json, err);
	/* the audit line stands only when the file was written: a refused
	 * path (it exists, no such folder, disk full) leaves no "export" */
	if (rc == CPS_OK)
		rc = write_new_file(path, json, strlen(json), err);
	if (rc == CPS_OK) {
		rc = cps_store_commit(e->store, err);
		if (rc != CPS_OK)
			unlink(path);
	} else {
		cps_store_rollback(e->store);
	}
	free(json);
	return rc;
}

enum cps_err cps_document_export(struct cps_engine *e, long long id,
				 const char *staff_name, const char *path,
				 struct cps_error *err)
{
	void *buf = NULL;
	size_t len = 0;
	enum cps_err rc = need_staff(staff_name, err);

	if (rc != CPS_OK)
		return rc;
	if (!path || !*path)
		return write_new_file(path, "", 0, err);
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_document_content(e->store, id, &buf, &len, err);
	if (rc == CPS_OK && !buf)
		rc = cps_error_set(err, CPS_ERR_NOT_FOUND, "%s",
				   _("The document was seen in person: there is no file to export."));
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff_name, "export_document", id, 0, err);
	/* the audit line stands only when the file was written */
	if (rc == CPS_OK)
		rc = write_new_file(path, buf, len, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	else
		cps_store_rollback(e->store);
	free(buf);
	return rc;
}
