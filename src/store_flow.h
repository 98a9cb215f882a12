/* store_flow.h - what the flow reads of the store that no other public
 * call gives it: whether the account's products were migrated and whether
 * it has a membership (src/ only).  The rows themselves are written by the
 * migration and payment modules; the flow only reads them. */
#ifndef CPSREG_STORE_FLOW_H
#define CPSREG_STORE_FLOW_H

#include <time.h>

#include "cpsreg/config.h"
#include "cpsreg/membership.h"
#include "cpsreg/store.h"

#define CPS_STORE_FLOW_OLD_NUMBER_SIZE 64

/* The migration and membership rows of one account. */
struct cps_store_flow_facts {
	int migrated;                    /* a migration row exists */
	int migrated_products;           /* how many products it moved */
	time_t migrated_at;

	int member;                      /* a membership row exists */
	char number[CPS_MEMBERSHIP_NUMBER_SIZE];
	char old_number[CPS_STORE_FLOW_OLD_NUMBER_SIZE]; /* "" when none */
	char level_id[CPS_LEVEL_ID_MAX];
	char level_name[CPS_LEVEL_NAME_MAX];
	time_t active_from;
};

/* Fills f for account_id (zeros when there are no such rows). */
enum cps_err cps_store_flow_facts(struct cps_store *s, long long account_id,
				  struct cps_store_flow_facts *f,
				  struct cps_error *err);

/* A read transaction, so that everything the flow reads comes from the same
 * moment even while another kiosk writes.  When the caller is inside a
 * transaction already, nothing is started and *started is 0.  End it with
 * cps_store_flow_read_end(s, *started). */
enum cps_err cps_store_flow_read_begin(struct cps_store *s, int *started,
				       struct cps_error *err);
void cps_store_flow_read_end(struct cps_store *s, int started);

#endif
