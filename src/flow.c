/* flow.c - which registration step is open, which is current, and why a
 * closed one is closed (see include/cpsreg/flow.h).
 *
 * Everything is worked out afresh from the store on each call: the
 * application, the products' totals, the migration and membership rows.
 * Nothing about the flow is stored, so it can never disagree with them. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cpsreg/flow.h"
#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/text.h"
#include "cpsreg/level.h"
#include "cpsreg/product.h"
#include "engine_private.h"
#include "store_flow.h"

static const struct {
	const char *id;
	const char *label;   /* N_(): translated when asked for */
} steps[CPS_STEP_COUNT] = {
	[CPS_STEP_ACCOUNT] = { "account", N_("Account") },
	[CPS_STEP_VALIDATION] = { "validation", N_("Validation") },
	[CPS_STEP_PRODUCTS] = { "products", N_("Products") },
	[CPS_STEP_MIGRATION] = { "migration", N_("Migration") },
	[CPS_STEP_POINTS] = { "points", N_("Points") },
	[CPS_STEP_LEVEL] = { "level", N_("Level") },
	[CPS_STEP_PAYMENT] = { "payment", N_("Payment") },
};

const char *cps_flow_step_id(enum cps_step step)
{
	if ((unsigned)step >= CPS_STEP_COUNT)
		return "";
	return steps[step].id;
}

const char *cps_flow_step_label(enum cps_step step)
{
	if ((unsigned)step >= CPS_STEP_COUNT)
		return "";
	return _(steps[step].label);
}

enum cps_step cps_flow_step_parse(const char *id)
{
	if (!id)
		return CPS_STEP_COUNT;
	for (int i = 0; i < CPS_STEP_COUNT; i++)
		if (strcasecmp(id, steps[i].id) == 0)
			return (enum cps_step)i;
	return CPS_STEP_COUNT;
}

const char *cps_flow_state_label(enum cps_step_state state)
{
	switch (state) {
	case CPS_STEP_CLOSED:
		return _("closed");
	case CPS_STEP_OPEN:
		return _("open");
	case CPS_STEP_DONE:
		return _("done");
	}
	return "";
}

enum cps_step cps_flow_next(const struct cps_flow *flow, enum cps_step from)
{
	if (!flow || (int)from < -1)
		return CPS_STEP_COUNT;
	for (int i = (int)from + 1; i < CPS_STEP_COUNT; i++)
		if (flow->steps[i].state != CPS_STEP_CLOSED)
			return (enum cps_step)i;
	return CPS_STEP_COUNT;
}

/* --- texts ---------------------------------------------------------------- */

/* snprintf that never leaves half a UTF-8 character at a cut. */
static void put(char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		out[0] = '\0';
	} else if ((size_t)n >= len) {
		size_t end = len - 1, i = end;

		/* back to the lead byte of the last character and drop that
		 * character if it does not fit whole */
		while (i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0x80)
			i--;
		if (i > 0 && ((unsigned char)out[i - 1] & 0x80)) {
			unsigned char lead = (unsigned char)out[i - 1];
			size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
			if (end - (i - 1) < need)
				out[i - 1] = '\0';
		}
	}
}

/* The reason as staff typed it, without the full stop the sentence around
 * it adds anyway. */
static void reason_text(const char *reason, char *out, size_t len)
{
	size_t n;

	put(out, len, "%s", reason);
	n = strlen(out);
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t' || out[n - 1] == '\n'))
		out[--n] = '\0';
	if (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
}

/* --- the steps ------------------------------------------------------------- */

/* What the flow works from. */
struct facts {
	const struct cps_config *cfg;
	int have;                        /* an account exists */
	struct cps_application app;
	struct cps_store_flow_facts rows;
};

static struct cps_flow_step *set(struct cps_flow *f, enum cps_step s,
				 enum cps_step_state state)
{
	f->steps[s].state = state;
	return &f->steps[s];
}

/* Why a step that needs a validated account with a password is closed. */
static void not_ready(const struct facts *x, char *out, size_t len)
{
	if (x->have && x->app.status == CPS_APP_VALIDATED)
		put(out, len, "%s", _("Available when your password is set."));
	else
		put(out, len, "%s", _("Available when your account is validated."));
}

static void step_account(struct cps_flow *f, const struct facts *x)
{
	struct cps_flow_step *s;
	char when[64], reason[CPS_APP_REASON_SIZE];

	if (!x->have) {
		s = set(f, CPS_STEP_ACCOUNT, CPS_STEP_OPEN);
		put(s->status, sizeof(s->status), "%s", _("Apply for a Canon business account"));
		return;
	}
	switch (x->app.status) {
	case CPS_APP_DRAFT:
		s = set(f, CPS_STEP_ACCOUNT, CPS_STEP_OPEN);
		put(s->status, sizeof(s->status), "%s", cps_app_status_label(CPS_APP_DRAFT));
		break;
	case CPS_APP_REJECTED:
		s = set(f, CPS_STEP_ACCOUNT, CPS_STEP_OPEN);
		put(s->status, sizeof(s->status), "%s", cps_app_status_label(CPS_APP_REJECTED));
		reason_text(x->app.reject_reason, reason, sizeof(reason));
		if (reason[0])
			put(s->why, sizeof(s->why),
			    _("Your application was rejected: %s. Correct it and send it again."),
			    reason);
		else
			put(s->why, sizeof(s->why), "%s",
			    _("Your application was rejected. Correct it and send it again."));
		break;
	case CPS_APP_PENDING:
	case CPS_APP_VALIDATED:
		s = set(f, CPS_STEP_ACCOUNT, CPS_STEP_DONE);
		cps_local_time_text(x->app.submitted_at, CPS_TIME_MINUTE, when, sizeof(when));
		put(s->status, sizeof(s->status), _("Sent on %s"), when);
		break;
	}
}

static void step_validation(struct cps_flow *f, const struct facts *x)
{
	struct cps_flow_step *s;
	char when[64];
	int days = x->cfg->validation_days;

	if (!x->have || x->app.status == CPS_APP_DRAFT) {
		s = set(f, CPS_STEP_VALIDATION, CPS_STEP_CLOSED);
		put(s->why, sizeof(s->why), "%s",
		    _("Send your application first: it is validated after that."));
		return;
	}
	switch (x->app.status) {
	case CPS_APP_DRAFT: /* above */
		break;
	case CPS_APP_REJECTED:
		s = set(f, CPS_STEP_VALIDATION, CPS_STEP_CLOSED);
		put(s->why, sizeof(s->why), "%s",
		    _("Correct your application and send it again: it is validated after that."));
		break;
	case CPS_APP_PENDING:
		s = set(f, CPS_STEP_VALIDATION, CPS_STEP_CLOSED);
		cps_local_time_text(x->app.submitted_at, CPS_TIME_MINUTE, when, sizeof(when));
		put(s->why, sizeof(s->why),
		    dngettext(CPS_TEXTDOMAIN,
			      "Waiting for validation since %s, expected by %s (up to %d working day). You will get a code to set your password (by e-mail, or from staff); do not try to reset the password before then.",
			      "Waiting for validation since %s, expected by %s (up to %d working days). You will get a code to set your password (by e-mail, or from staff); do not try to reset the password before then.",
			      (unsigned long)(days > 0 ? days : 0)),
		    when, x->app.expected_by, days);
		put(s->status, sizeof(s->status), "%s", _("Waiting for validation"));
		break;
	case CPS_APP_VALIDATED:
		if (!x->app.has_password) {
			s = set(f, CPS_STEP_VALIDATION, CPS_STEP_OPEN);
			put(s->why, sizeof(s->why),
			    _("Your account is validated. Set your password with the code you were given for %s (by e-mail, or from staff)."),
			    x->app.email);
			put(s->status, sizeof(s->status), "%s", _("Validated: set your password"));
		} else {
			s = set(f, CPS_STEP_VALIDATION, CPS_STEP_DONE);
			if (x->app.decided_at) {
				cps_local_time_text(x->app.decided_at, CPS_TIME_MINUTE, when, sizeof(when));
				put(s->status, sizeof(s->status), _("Validated on %s"), when);
			} else {
				put(s->status, sizeof(s->status), "%s", _("Validated"));
			}
		}
		break;
	}
}

static void step_products(struct cps_flow *f, const struct facts *x)
{
	char num[32];
	struct cps_flow_step *s;

	if (!f->ready) {
		s = set(f, CPS_STEP_PRODUCTS, CPS_STEP_CLOSED);
		not_ready(x, s->why, sizeof(s->why));
		return;
	}
	s = set(f, CPS_STEP_PRODUCTS,
		f->products_complete > 0 ? CPS_STEP_DONE : CPS_STEP_OPEN);
	put(s->status, sizeof(s->status),
	    _("%d registered, %d with a green tick, %s points"),
	    f->products_registered, f->products_complete,
	    cps_points_text(f->points, num, sizeof(num)));
	if (f->products_registered > 0 && f->products_complete == 0)
		put(s->why, sizeof(s->why), "%s",
		    _("None of your products has a green tick yet: give the serial number, purchase date, country of purchase and dealer of each."));
}

static void step_migration(struct cps_flow *f, const struct facts *x)
{
	struct cps_flow_step *s = &f->steps[CPS_STEP_MIGRATION];
	char contact[512];
	int final = x->have && (x->app.status == CPS_APP_PENDING ||
				x->app.status == CPS_APP_VALIDATED);

	s->optional = 1;
	if (!f->old_email_given && (f->ready || final)) {
		/* the application can no longer change: say what to do instead */
		set(f, CPS_STEP_MIGRATION, CPS_STEP_CLOSED);
		cps_config_support_contact(x->cfg, contact, sizeof(contact));
		put(s->why, sizeof(s->why),
		    _("No old CPS e-mail was given in your application, so there is nothing to migrate: register your products again, or contact %s."),
		    contact);
		return;
	}
	if (!f->ready) {
		set(f, CPS_STEP_MIGRATION, CPS_STEP_CLOSED);
		if (f->old_email_given)
			not_ready(x, s->why, sizeof(s->why));
		else
			put(s->why, sizeof(s->why), "%s",
			    _("Available when your account is validated. If you had a CPS account before, give its e-mail in the application, so that your products can be transferred."));
		return;
	}
	if (f->migrated) {
		set(f, CPS_STEP_MIGRATION, CPS_STEP_DONE);
		put(s->status, sizeof(s->status),
		    dngettext(CPS_TEXTDOMAIN,
			      "%d product moved from your old CPS account",
			      "%d products moved from your old CPS account",
			      (unsigned long)(f->migrated_products > 0 ? f->migrated_products : 0)),
		    f->migrated_products);
		return;
	}
	set(f, CPS_STEP_MIGRATION, CPS_STEP_OPEN);
	put(s->status, sizeof(s->status), _("Old CPS e-mail: %s"), x->app.old_email);
}

/* Why LEVEL and PAYMENT are closed. */
static void not_invited(const struct cps_flow *f, char *out, size_t len)
{
	if (!f->ready) {
		put(out, len,
		    _("Available after your account is validated, from %d points (the invitation to join CPS)."),
		    f->invite_points);
		return;
	}
	put(out, len,
	    dngettext(CPS_TEXTDOMAIN,
		      "%d more point needed for the invitation to join CPS (at %d points).",
		      "%d more points needed for the invitation to join CPS (at %d points).",
		      (unsigned long)f->points_missing),
	    f->points_missing, f->invite_points);
}

static void step_points(struct cps_flow *f, const struct facts *x)
{
	char num[32];
	struct cps_flow_step *s;

	if (!f->ready) {
		s = set(f, CPS_STEP_POINTS, CPS_STEP_CLOSED);
		not_ready(x, s->why, sizeof(s->why));
		return;
	}
	if (f->invited || f->member) {
		/* a member stays done even if products were removed since */
		s = set(f, CPS_STEP_POINTS, CPS_STEP_DONE);
		put(s->status, sizeof(s->status),
		    f->invited ? _("%s points: invited to join CPS")
			       : _("%s points"), cps_points_text(f->points, num, sizeof(num)));
		return;
	}
	s = set(f, CPS_STEP_POINTS, CPS_STEP_OPEN);
	put(s->status, sizeof(s->status), _("%s of %d points"),
	    cps_points_text(f->points, num, sizeof(num)), f->invite_points);
	put(s->why, sizeof(s->why),
	    dngettext(CPS_TEXTDOMAIN,
		      "You have %s points; %d more point is needed for the invitation to join CPS. Register more products, or complete the ones without a green tick.",
		      "You have %s points; %d more points are needed for the invitation to join CPS. Register more products, or complete the ones without a green tick.",
		      (unsigned long)f->points_missing),
	    cps_points_text(f->points, num, sizeof(num)), f->points_missing);
}

static void step_level(struct cps_flow *f)
{
	struct cps_flow_step *s;

	if (f->member) {
		s = set(f, CPS_STEP_LEVEL, CPS_STEP_DONE);
		put(s->status, sizeof(s->status), _("Level: %s"), f->level_name);
		return;
	}
	if (!f->invited) {
		s = set(f, CPS_STEP_LEVEL, CPS_STEP_CLOSED);
		not_invited(f, s->why, sizeof(s->why));
		return;
	}
	s = set(f, CPS_STEP_LEVEL, CPS_STEP_OPEN);
	put(s->status, sizeof(s->status),
	    dngettext(CPS_TEXTDOMAIN, "%d level open to you", "%d levels open to you",
		      (unsigned long)f->levels_open),
	    f->levels_open);
}

static void step_payment(struct cps_flow *f)
{
	struct cps_flow_step *s;

	if (f->member) {
		s = set(f, CPS_STEP_PAYMENT, CPS_STEP_DONE);
		put(s->status, sizeof(s->status), _("Membership %s, active"),
		    f->membership_number);
		return;
	}
	if (!f->invited) {
		s = set(f, CPS_STEP_PAYMENT, CPS_STEP_CLOSED);
		not_invited(f, s->why, sizeof(s->why));
		return;
	}
	s = set(f, CPS_STEP_PAYMENT, CPS_STEP_OPEN);
	put(s->status, sizeof(s->status), "%s", _("Pay by card or bank transfer"));
}

/* The first step that is not done; an optional step only while it is open
 * and the customer has not gone past it. */
static void pick_current(struct cps_flow *f)
{
	for (int i = 0; i < CPS_STEP_COUNT; i++) {
		const struct cps_flow_step *s = &f->steps[i];
		int passed = 0;

		if (s->state == CPS_STEP_DONE)
			continue;
		if (s->optional) {
			if (s->state == CPS_STEP_CLOSED)
				continue;
			for (int j = i + 1; j < CPS_STEP_COUNT; j++)
				if (f->steps[j].state == CPS_STEP_DONE)
					passed = 1;
			if (passed)
				continue;
		}
		f->current = (enum cps_step)i;
		f->complete = 0;
		return;
	}
	f->current = CPS_STEP_PAYMENT;
	f->complete = 1;
}

static void fill(struct cps_flow *f, const struct facts *x)
{
	step_account(f, x);
	step_validation(f, x);
	step_products(f, x);
	step_migration(f, x);
	step_points(f, x);
	step_level(f);
	step_payment(f);
	pick_current(f);
}

static void reset(struct cps_flow *f, const struct cps_config *cfg)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < CPS_STEP_COUNT; i++)
		f->steps[i].step = (enum cps_step)i;
	f->app_status = CPS_APP_DRAFT;
	f->invite_points = cfg->invite_points;
	f->points_missing = cfg->invite_points > 0 ? cfg->invite_points : 0;
}

/* Reads what the flow needs of an existing account into x and f. */
static enum cps_err gather(struct cps_engine *e, long long account_id,
			   struct cps_flow *f, struct facts *x,
			   struct cps_error *err)
{
	struct cps_level_status lv[CPS_MAX_LEVELS];
	struct cps_invitation inv;
	long points = 0;
	int complete = 0, registered = 0, nlv = 0;
	enum cps_err rc;

	rc = cps_application_load(e, account_id, &x->app, err);
	if (rc == CPS_OK)
		rc = cps_product_totals(e, account_id, &points, &complete,
					&registered, err);
	if (rc == CPS_OK)
		rc = cps_store_flow_facts(e->store, account_id, &x->rows, err);
	if (rc != CPS_OK)
		return rc;
	x->have = 1;

	f->account_id = account_id;
	f->app_status = x->app.status;
	f->has_password = x->app.has_password;
	f->ready = x->app.status == CPS_APP_VALIDATED && x->app.has_password;
	f->products_registered = registered;
	f->products_complete = complete;
	f->points = points;
	cps_level_evaluate(x->cfg, points > INT_MAX ? INT_MAX : (int)points,
			   registered, lv, &nlv, &inv);
	f->invited = f->ready && inv.invited;
	f->points_missing = inv.points_missing;
	for (int i = 0; i < nlv; i++)
		if (lv[i].open)
			f->levels_open++;
	if (!f->ready)
		f->levels_open = 0;
	f->old_email_given = x->app.old_email[0] != '\0';
	f->migrated = x->rows.migrated;
	f->migrated_products = x->rows.migrated_products;
	f->member = x->rows.member;
	if (f->member) {
		put(f->membership_number, sizeof(f->membership_number), "%s", x->rows.number);
		put(f->old_membership_number, sizeof(f->old_membership_number), "%s",
		    x->rows.old_number);
		put(f->level_name, sizeof(f->level_name), "%s", x->rows.level_name);
	}
	return CPS_OK;
}

void cps_flow_nobody(const struct cps_config *cfg, struct cps_flow *flow)
{
	struct facts x;

	memset(&x, 0, sizeof(x));
	x.cfg = cfg;
	reset(flow, cfg);
	fill(flow, &x);
}

enum cps_err cps_flow_get(struct cps_engine *e, long long account_id,
			  struct cps_flow *flow, struct cps_error *err)
{
	struct facts x;
	enum cps_err rc = CPS_OK;
	int started = 0;

	if (!e || !flow)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("internal error: no engine or no place for the flow"));
	memset(&x, 0, sizeof(x));
	x.cfg = e->cfg;
	reset(flow, e->cfg);
	if (account_id < 0)
		return cps_error_set(err, CPS_ERR_NOT_FOUND, "%s",
				     _("No such application was found."));
	if (account_id > 0) {
		/* one snapshot: a kiosk next door may be writing meanwhile */
		rc = cps_store_flow_read_begin(e->store, &started, err);
		if (rc == CPS_OK)
			rc = gather(e, account_id, flow, &x, err);
		cps_store_flow_read_end(e->store, started);
		if (rc != CPS_OK) {
			memset(&x, 0, sizeof(x));
			x.cfg = e->cfg;
			reset(flow, e->cfg);
		}
	}
	fill(flow, &x);
	return rc;
}
