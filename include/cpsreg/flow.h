/* flow.h - where a customer is in the registration: which steps are open,
 * which one is current, and for a closed step why (README, rules 1).
 *
 * The wizard asks the engine with cps_flow_get() each time it draws the
 * step strip or decides which page to show; the UI decides nothing about
 * the rules.  The steps, in order:
 *
 *   ACCOUNT     open while a draft or rejected; done once submitted
 *   VALIDATION  closed before submission; closed (but current) while
 *               pending, with the dates and the advice; open once validated
 *               until the password is set; then done
 *   PRODUCTS    closed until validated with a password; done with at least
 *               one complete product (green tick)
 *   MIGRATION   optional: never blocks later steps.  Closed until validated
 *               with a password, and closed for good when no old CPS e-mail
 *               was given (why says what to do instead); else open, done
 *               once the products were migrated
 *   POINTS      closed until validated with a password; done when invited
 *               (points >= rules.invite_points)
 *   LEVEL       closed until invited; done once a membership exists
 *   PAYMENT     closed until invited; done once a membership exists
 *
 * current is the first step that is neither done nor an optional closed
 * step; an optional step the customer has gone past (a later step is done)
 * is passed over.  When every step that counts is done, current is PAYMENT
 * and complete is 1.
 *
 * The texts are translated and may quote what the customer or staff typed
 * (a rejection's reason, an e-mail address): sanitise them before showing
 * them, as everything from the store. */
#ifndef CPSREG_FLOW_H
#define CPSREG_FLOW_H

#include <stddef.h>
#include <time.h>

#include "cpsreg/account.h"
#include "cpsreg/config.h"
#include "cpsreg/engine.h"
#include "cpsreg/err.h"
#include "cpsreg/membership.h"

enum cps_step {
	CPS_STEP_ACCOUNT = 0,
	CPS_STEP_VALIDATION,
	CPS_STEP_PRODUCTS,
	CPS_STEP_MIGRATION,
	CPS_STEP_POINTS,
	CPS_STEP_LEVEL,
	CPS_STEP_PAYMENT,
	CPS_STEP_COUNT
};

enum cps_step_state {
	CPS_STEP_CLOSED = 0,   /* nothing to do here yet (or ever): see why */
	CPS_STEP_OPEN,         /* the customer can act on it now */
	CPS_STEP_DONE
};

/* Room for a why text: a rejection's reason and the words around it. */
#define CPS_FLOW_WHY_SIZE (CPS_APP_REASON_SIZE + 1024)
#define CPS_FLOW_STATUS_SIZE 256
#define CPS_FLOW_OLD_NUMBER_SIZE 64

struct cps_flow_step {
	enum cps_step step;
	enum cps_step_state state;
	int optional;        /* never blocks the steps after it */
	/* CLOSED: why, and what to do.  OPEN: what still stands in the way
	 * when there is something (a rejection, the points missing); else "". */
	char why[CPS_FLOW_WHY_SIZE];
	/* a short line for the step strip or a summary, e.g. "499 of 500
	 * points"; may be "" */
	char status[CPS_FLOW_STATUS_SIZE];
};

struct cps_flow {
	long long account_id;            /* 0: nobody yet */
	enum cps_app_status app_status;  /* CPS_APP_DRAFT when nobody yet */
	int has_password;
	int ready;                       /* validated and a password set */

	struct cps_flow_step steps[CPS_STEP_COUNT]; /* indexed by enum cps_step */
	enum cps_step current;
	int complete;                    /* every step that counts is done */

	/* products and points */
	int products_registered;
	int products_complete;           /* with the green tick */
	long points;                     /* of the complete products */
	int invite_points;               /* rules.invite_points */
	int points_missing;              /* to the invitation; 0 once invited */
	int invited;
	int levels_open;                 /* levels the customer may choose now */

	/* migration */
	int old_email_given;
	int migrated;
	int migrated_products;

	/* membership */
	int member;
	char membership_number[CPS_MEMBERSHIP_NUMBER_SIZE];
	char old_membership_number[CPS_FLOW_OLD_NUMBER_SIZE]; /* "" when none */
	char level_name[CPS_LEVEL_NAME_MAX];
};

/* Works out the flow of account_id (0: nobody has applied yet, so only
 * ACCOUNT is open and current) into *flow, by the engine's clock, in local
 * time.  CPS_ERR_NOT_FOUND when there is no such account; a store error
 * otherwise.  *flow is always filled (as for nobody on failure). */
enum cps_err cps_flow_get(struct cps_engine *e, long long account_id,
			  struct cps_flow *flow, struct cps_error *err);

/* The flow of nobody yet (account 0) under cfg, as cps_flow_get gives
 * it, from the configuration alone: for a screen shown before the
 * database is open. */
void cps_flow_nobody(const struct cps_config *cfg, struct cps_flow *flow);

/* The step's stable id: "account", "validation", "products", "migration",
 * "points", "level", "payment"; "" for anything else. */
const char *cps_flow_step_id(enum cps_step step);

/* The step's short translated label for the step strip ("Account", ...). */
const char *cps_flow_step_label(enum cps_step step);

/* The step with this id (any case), or CPS_STEP_COUNT when none has it
 * (for the wizard_step kept with an application). */
enum cps_step cps_flow_step_parse(const char *id);

/* The state in a translated word ("done", "open", "closed"), so that the
 * strip does not rely on colour alone. */
const char *cps_flow_state_label(enum cps_step_state state);

/* The first step after `from` that is not closed, or CPS_STEP_COUNT when
 * there is none (for a "next" key). */
enum cps_step cps_flow_next(const struct cps_flow *flow, enum cps_step from);

#endif
