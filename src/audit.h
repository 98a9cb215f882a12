/* audit.h - writing the audit log (src/ only; reading it is
 * include/cpsreg/audit.h). */
#ifndef CPSREG_AUDIT_PRIVATE_H
#define CPSREG_AUDIT_PRIVATE_H

#include "cpsreg/audit.h"
#include "engine_private.h"

/* Appends one line: actor did action on account_id (0: none), ref (0:
 * none).  Inside the transaction of the action itself, so that there is
 * no action without its line and no line without its action. */
enum cps_err cps_audit_add(struct cps_engine *e, const char *actor,
			   const char *action, long long account_id,
			   long long ref, struct cps_error *err);

/* CPS_ERR_INVALID (asking for the name) when staff is NULL or empty: an
 * audited action needs someone to name. */
enum cps_err cps_audit_need_staff(const char *staff, struct cps_error *err);

#endif
