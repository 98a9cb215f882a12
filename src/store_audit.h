/* store_audit.h - SQL for the audit log (src/ only). */
#ifndef CPSREG_STORE_AUDIT_H
#define CPSREG_STORE_AUDIT_H

#include <time.h>

#include "cpsreg/audit.h"
#include "cpsreg/store.h"

enum cps_err cps_store_audit_insert(struct cps_store *s, time_t at,
				    const char *actor, const char *os_user,
				    const char *action, long long account_id,
				    long long ref, struct cps_error *err);
enum cps_err cps_store_audit_list(struct cps_store *s, long long account_id,
				  int (*fn)(const struct cps_audit_line *l, void *arg),
				  void *arg, struct cps_error *err);

#endif
