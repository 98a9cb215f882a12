/* privacy.c - export and erasure of one customer's data (see
 * include/cpsreg/privacy.h). */
#include <stdlib.h>

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

enum cps_err cps_customer_export(struct cps_engine *e, long long id,
				 const char *staff_name, char **json,
				 struct cps_error *err)
{
	json_t *o = NULL;
	enum cps_err rc = need_staff(staff_name, err);

	*json = NULL;
	if (rc != CPS_OK)
		return rc;
	/* one transaction: the export is one moment's data, and its audit
	 * line is there exactly when the export was made */
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_audit_add(e, staff_name, "export", id, 0, err);
	if (rc == CPS_OK)
		rc = cps_store_customer_json(e->store, id, &o, err);
	if (rc == CPS_OK) {
		*json = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (!*json)
			rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
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
				const char *staff_name, struct cps_error *err)
{
	struct cps_application *a;
	enum cps_err rc = need_staff(staff_name, err);

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
	return rc;
}
