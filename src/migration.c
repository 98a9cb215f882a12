/* migration.c - MIGRATE PRODUCTS: whether the action is offered (and why
 * not, with the seed's advice), and moving the products of an old CPS
 * account in one transaction (see include/cpsreg/migration.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/ident.h"
#include "cpsreg/text.h"
#include "cpsreg/migration.h"
#include "engine_private.h"
#include "jsonw.h"
#include "migration_items.h"
#include "outbox.h"
#include "store_legacy.h"
#include "store_legacy_remote.h"
#include "store_migration.h"

/* What the engine found out about one account's migration. */
struct plan {
	long long account_id;
	struct cps_application app;
	struct cps_legacy_account old;        /* id 0 when not found */
	struct cps_store_migration_row done;  /* reason DONE */
	enum cps_migration_reason reason;
	struct cps_mitems list;               /* the old products */
	int owners;                           /* list's states say who has each */
	int nomem;
};

/* --- words ------------------------------------------------------------ */

/* Appends a sentence to buf, after a space when buf is not empty.  Text
 * that does not fit is left out whole rather than cut. */
static void append(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t was = strlen(buf), n = was;
	va_list ap;
	int w;

	if (n + 2 >= len)
		return;
	if (n)
		buf[n++] = ' ';
	va_start(ap, fmt);
	w = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= len - n)
		buf[was] = '\0';
}

/* "EOS R5 (serial number 012345678901); ..." for the items in state. */
static size_t list_items(const struct plan *p, enum cps_migration_item_state state,
			 char *out, size_t len)
{
	size_t count = 0, used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < p->list.n; i++) {
		const struct cps_migration_item *it = &p->list.items[i];
		char one[CPS_MODEL_SIZE + 128];
		int w;

		if (it->state != state)
			continue;
		count++;
		snprintf(one, sizeof(one), _("%s (serial number %s)"), it->model, it->serial);
		w = snprintf(out + used, len - used, "%s%s", used ? "; " : "", one);
		if (w < 0 || (size_t)w >= len - used) {
			out[used] = '\0';
			continue;
		}
		used += (size_t)w;
	}
	return count;
}

/* The refusal when old products are registered to other accounts. */
static void conflict_text(const struct cps_engine *e, const struct plan *p,
			  int ran, char *out, size_t len)
{
	char list[CPS_MIGRATION_TEXT_MAX / 2], contact[512];
	size_t n = list_items(p, CPS_MIGRATE_TAKEN, list, sizeof(list));

	cps_config_support_contact(e->cfg, contact, sizeof(contact));
	if (ran)
		snprintf(out, len, dngettext(CPS_TEXTDOMAIN,
			"This product of your old CPS account is already registered to another business account: %s. Therefore no products were moved. If it is yours, please contact %s.",
			"These products of your old CPS account are already registered to another business account: %s. Therefore no products were moved. If they are yours, please contact %s.",
			(unsigned long)n), list, contact);
	else
		snprintf(out, len, dngettext(CPS_TEXTDOMAIN,
			"This product of your old CPS account is already registered to another business account: %s. Until that is sorted out, the products cannot be moved. If it is yours, please contact %s.",
			"These products of your old CPS account are already registered to another business account: %s. Until that is sorted out, the products cannot be moved. If they are yours, please contact %s.",
			(unsigned long)n), list, contact);
}

static void done_text(const struct cps_store_migration_row *d, char *out, size_t len)
{
	char when[64];

	cps_local_time_text(d->migrated_at, CPS_TIME_MINUTE, when, sizeof(when));
	snprintf(out, len, dngettext(CPS_TEXTDOMAIN,
		"The products of your old CPS account were moved on %s (%d product). They are under \"My products\".",
		"The products of your old CPS account were moved on %s (%d products). They are under \"My products\".",
		(unsigned long)d->products), when, d->products);
}

/* Why the action is not offered, in the customer's words. */
static void reason_text(const struct cps_engine *e, const struct plan *p,
			char *out, size_t len)
{
	char contact[512];

	cps_config_support_contact(e->cfg, contact, sizeof(contact));
	out[0] = '\0';
	switch (p->reason) {
	case CPS_MIGRATION_OFFERED:
		break;
	case CPS_MIGRATION_NOT_VALIDATED:
		snprintf(out, len, "%s",
			 _("Your business account is not validated yet. Once it is, you can move the products of your old CPS account here with MIGRATE PRODUCTS."));
		break;
	case CPS_MIGRATION_NO_OLD_EMAIL:
		snprintf(out, len,
			 _("The e-mail address of your old CPS account was not given in your application for the business account; that is why you do not see MIGRATE PRODUCTS. Register your products again, or contact %s."),
			 contact);
		break;
	case CPS_MIGRATION_OLD_NOT_FOUND:
		snprintf(out, len,
			 _("No old CPS account with the e-mail address %s was found, so there are no products to move and you do not see MIGRATE PRODUCTS. Register your products again, or contact %s."),
			 p->app.old_email, contact);
		break;
	case CPS_MIGRATION_NO_PRODUCTS:
		snprintf(out, len,
			 _("Your old CPS account (member number %s) has no registered products, so there is nothing to move. Register your products under \"My products\"."),
			 p->old.member_number);
		break;
	case CPS_MIGRATION_DONE:
		done_text(&p->done, out, len);
		break;
	case CPS_MIGRATION_LOOKING_UP:
		snprintf(out, len,
			 _("Your old CPS account (%s) is being looked up at CPS. Its products are shown here as soon as the answer comes."),
			 p->app.old_email);
		break;
	case CPS_MIGRATION_MOVED_ELSEWHERE:
		snprintf(out, len,
			 _("The products of the old CPS account %s have already been moved to another business account. If that was not you, please contact %s."),
			 p->app.old_email, contact);
		break;
	}
}

/* --- working it out --------------------------------------------------- */

/* Takes an old product into the plan, with who has its model and serial
 * number: nobody (MOVE), this account (YOURS) or another one (TAKEN). */
static int take_item(const struct cps_store_migration_old *o, void *arg)
{
	struct plan *p = arg;
	struct cps_migration_item *it = cps_mitems_add(&p->list, o->catalog_id, o->model,
						       o->serial, o->purchase_date,
						       o->purchase_country, o->dealer);

	if (!it) {
		p->nomem = 1;
		return 1;
	}
	it->legacy_product_id = o->id;
	it->complete = o->serial[0] && o->purchase_date[0] && o->purchase_country[0] &&
		       o->dealer[0];
	it->points = o->points;
	if (!o->owner_product_id) {
		it->state = CPS_MIGRATE_MOVE;
	} else if (o->owner_account_id == p->account_id) {
		it->state = CPS_MIGRATE_YOURS;
		it->product_id = o->owner_product_id;
	} else {
		it->state = CPS_MIGRATE_TAKEN;
	}
	return 0;
}

static void plan_free(struct plan *p)
{
	cps_mitems_free(&p->list);
}

/* Reads the old products of p->old into p->list, with who has each
 * registered already when owners is set (asked in the same pass; without
 * a serial an item cannot clash), else all as to move.  Only reads. */
static enum cps_err read_items(struct cps_engine *e, struct plan *p, int owners,
			       struct cps_error *err)
{
	enum cps_err rc;

	/* the old account was found just now: its count (from the index:
	 * never too small within a transaction; the list grows if it is) is
	 * the room made for them at once */
	plan_free(p);
	cps_mitems_init(&p->list, p->old.products > 0 ? (size_t)p->old.products : 0);
	p->owners = owners;
	p->nomem = 0;
	rc = cps_store_migration_items(e->store, p->old.id, owners, take_item, p, err);
	if (rc == CPS_OK && p->nomem)
		rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	if (rc != CPS_OK)
		plan_free(p);
	return rc;
}

/* Works out why the action is (not) offered; when it is, reads the old
 * products (read_items, with owners or not).  Only reads. */
static enum cps_err plan_make(struct cps_engine *e, long long account_id, int owners,
			      struct plan *p, struct cps_error *err)
{
	struct cps_store_migration_row other;
	struct cps_error quiet = { 0 };
	enum cps_err rc;

	memset(p, 0, sizeof(*p));
	p->account_id = account_id;
	rc = cps_application_load(e, account_id, &p->app, err);
	if (rc != CPS_OK)
		return rc;
	if (p->app.status != CPS_APP_VALIDATED) {
		p->reason = CPS_MIGRATION_NOT_VALIDATED;
		return CPS_OK;
	}
	rc = cps_store_migration_get(e->store, account_id, &p->done, err);
	if (rc == CPS_OK) {
		p->reason = CPS_MIGRATION_DONE;
		rc = cps_store_legacy_account_by_id(e->store, p->done.legacy_account_id,
						    &p->old, &quiet);
		if (rc == CPS_ERR_NOT_FOUND)
			return CPS_OK;
		if (rc != CPS_OK && err)
			*err = quiet;
		return rc;
	}
	if (rc != CPS_ERR_NOT_FOUND)
		return rc;
	if (!p->app.old_email[0]) {
		p->reason = CPS_MIGRATION_NO_OLD_EMAIL;
		return CPS_OK;
	}
	/* an address the lookup cannot even read has no old account either */
	char email[CPS_EMAIL_MAX];
	rc = cps_ident_email(p->app.old_email, email, sizeof(email), &quiet);
	if (rc == CPS_OK)
		rc = cps_store_migration_old_account(e->store, email, &p->old, &quiet);
	if (rc == CPS_ERR_NOT_FOUND || rc == CPS_ERR_INVALID) {
		memset(&p->old, 0, sizeof(p->old));
		p->reason = CPS_MIGRATION_OLD_NOT_FOUND;
		/* with a remote, the sync asks it for the old account: until it
		 * answers, the account may still come */
		if (rc == CPS_ERR_NOT_FOUND && e->cfg->remote_url && *e->cfg->remote_url) {
			int none = 0;
			rc = cps_store_legacy_not_found_has(e->store, p->app.old_email, &none, err);
			if (rc != CPS_OK)
				return rc;
			if (!none)
				p->reason = CPS_MIGRATION_LOOKING_UP;
		}
		return CPS_OK;
	}
	if (rc != CPS_OK) {
		if (err)
			*err = quiet;
		return rc;
	}
	rc = cps_store_migration_by_legacy(e->store, p->old.id, &other, err);
	if (rc == CPS_OK) {
		p->reason = CPS_MIGRATION_MOVED_ELSEWHERE;
		return CPS_OK;
	}
	if (rc != CPS_ERR_NOT_FOUND)
		return rc;
	rc = read_items(e, p, owners, err);
	if (rc != CPS_OK)
		return rc;
	p->reason = p->list.n ? CPS_MIGRATION_OFFERED : CPS_MIGRATION_NO_PRODUCTS;
	return CPS_OK;
}

/* The item of the old product with this id: the items are in the order
 * of the old products' ids. */
static struct cps_migration_item *item_of(struct plan *p, long long legacy_product_id)
{
	size_t lo = 0, hi = p->list.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->list.items[mid].legacy_product_id < legacy_product_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->list.n && p->list.items[lo].legacy_product_id == legacy_product_id
		? &p->list.items[lo] : NULL;
}

/* --- checking --------------------------------------------------------- */

enum cps_err cps_migration_check(struct cps_engine *e, long long account_id,
				 struct cps_migration_info *info,
				 struct cps_error *err)
{
	struct plan p;
	enum cps_err rc;

	memset(info, 0, sizeof(*info));
	rc = plan_make(e, account_id, 1, &p, err);
	if (rc != CPS_OK)
		return rc;
	info->reason = p.reason;
	snprintf(info->old_email, sizeof(info->old_email), "%s", p.app.old_email);
	snprintf(info->member_number, sizeof(info->member_number), "%s", p.old.member_number);
	if (p.reason == CPS_MIGRATION_DONE) {
		info->migrated_at = p.done.migrated_at;
		info->migrated_count = p.done.products;
	}
	if (p.reason != CPS_MIGRATION_OFFERED) {
		reason_text(e, &p, info->text, sizeof(info->text));
		plan_free(&p);
		return CPS_OK;
	}
	for (size_t i = 0; i < p.list.n; i++) {
		struct cps_migration_item *it = &p.list.items[i];

		switch (it->state) {
		case CPS_MIGRATE_MOVE:
			info->to_move++;
			if (it->complete) {
				info->complete++;
				info->points += it->points;
			}
			break;
		case CPS_MIGRATE_YOURS:
			info->already_yours++;
			break;
		case CPS_MIGRATE_TAKEN:
			info->conflicts++;
			break;
		}
	}
	info->offered = 1;
	snprintf(info->text, sizeof(info->text), dngettext(CPS_TEXTDOMAIN,
		"%d product of your old CPS account (member number %s) can be moved to this account with MIGRATE PRODUCTS.",
		"%d products of your old CPS account (member number %s) can be moved to this account with MIGRATE PRODUCTS.",
		(unsigned long)info->to_move), info->to_move, p.old.member_number);
	if (info->to_move > info->complete) {
		int k = info->to_move - info->complete;
		append(info->text, sizeof(info->text), dngettext(CPS_TEXTDOMAIN,
			"%d of them lacks details: it moves without a green tick until you complete it.",
			"%d of them lack details: they move without a green tick until you complete them.",
			(unsigned long)k), k);
	}
	if (info->already_yours)
		append(info->text, sizeof(info->text), dngettext(CPS_TEXTDOMAIN,
			"%d product is already registered on this account and will be left as it is.",
			"%d products are already registered on this account and will be left as they are.",
			(unsigned long)info->already_yours), info->already_yours);
	if (info->conflicts) {
		char c[CPS_MIGRATION_TEXT_MAX];
		conflict_text(e, &p, 0, c, sizeof(c));
		append(info->text, sizeof(info->text), "%s", c);
	}
	info->items = p.list.items;
	info->nitems = p.list.n;
	return CPS_OK;
}

void cps_migration_info_free(struct cps_migration_info *info)
{
	if (!info)
		return;
	free(info->items);
	info->items = NULL;
	info->nitems = 0;
}

/* --- moving ----------------------------------------------------------- */

/* Old products per outbox row: a migration of thousands of products
 * becomes several rows, each of a size one request to the remote carries
 * well, instead of one row of megabytes. */
#define PAYLOAD_ITEMS 500

/* The old products from..to-1 that went (moved 1) or stayed (0). */
static void payload_items(struct cps_jw *w, const struct plan *p, size_t from,
			  size_t to, int moved)
{
	int first = 1;

	cps_jw_lit(w, "[");
	for (size_t i = from; i < to; i++) {
		const struct cps_migration_item *it = &p->list.items[i];

		if ((it->state == CPS_MIGRATE_MOVE) != moved)
			continue;
		if (!first)
			cps_jw_lit(w, ",");
		first = 0;
		cps_jw_lit(w, "{\"catalog_id\":");
		cps_jw_int(w, it->catalog_id);
		if (moved) {
			cps_jw_lit(w, ",\"complete\":");
			cps_jw_bool(w, it->complete);
			cps_jw_lit(w, ",\"dealer\":");
			cps_jw_opt_str(w, it->dealer);
		}
		cps_jw_lit(w, ",\"legacy_product_id\":");
		cps_jw_int(w, it->legacy_product_id);
		cps_jw_lit(w, ",\"model\":");
		cps_jw_str(w, it->model);
		if (moved) {
			cps_jw_lit(w, ",\"points\":");
			cps_jw_int(w, it->complete ? it->points : 0);
		}
		cps_jw_lit(w, ",\"product_id\":");
		cps_jw_int(w, it->product_id);
		if (moved) {
			cps_jw_lit(w, ",\"purchase_country\":");
			cps_jw_opt_str(w, it->purchase_country);
			cps_jw_lit(w, ",\"purchase_date\":");
			cps_jw_opt_str(w, it->purchase_date);
		}
		cps_jw_lit(w, ",\"serial\":");
		cps_jw_opt_str(w, it->serial);
		cps_jw_lit(w, "}");
	}
	cps_jw_lit(w, "]");
}

/* The migration as the remote hears of it: the old products from..to-1
 * and what became of them, as part (0-based) of parts.  Each part names
 * the old account and the whole count, so it stands on its own.  Written
 * as JSON text directly (keys in sorted order), the same bytes jansson
 * would dump: building thousands of objects first cost a third of the
 * migration. */
static void payload(struct cps_jw *w, const struct plan *p, int moved, size_t from,
		    size_t to, size_t part, size_t parts)
{
	cps_jw_reset(w);
	cps_jw_lit(w, "{\"count\":");
	cps_jw_int(w, moved);
	cps_jw_lit(w, ",\"legacy_account_id\":");
	cps_jw_int(w, p->old.id);
	cps_jw_lit(w, ",\"member_number\":");
	cps_jw_str(w, p->old.member_number);
	cps_jw_lit(w, ",\"moved\":");
	payload_items(w, p, from, to, 1);
	cps_jw_lit(w, ",\"old_email\":");
	cps_jw_str(w, p->old.email);
	cps_jw_lit(w, ",\"part\":");
	cps_jw_int(w, (long long)part + 1);
	cps_jw_lit(w, ",\"parts\":");
	cps_jw_int(w, (long long)parts);
	cps_jw_lit(w, ",\"skipped\":");
	payload_items(w, p, from, to, 0);
	cps_jw_lit(w, "}");
}

static void result_text(const struct cps_migration_result *r, char *out, size_t len)
{
	snprintf(out, len, dngettext(CPS_TEXTDOMAIN,
		"%d product was moved from your old CPS account (member number %s).",
		"%d products were moved from your old CPS account (member number %s).",
		(unsigned long)r->moved), r->moved, r->member_number);
	if (r->complete)
		append(out, len, dngettext(CPS_TEXTDOMAIN,
			"%d of them has its green tick and adds its points.",
			"%d of them have their green tick and add their points.",
			(unsigned long)r->complete), r->complete);
	if (r->incomplete)
		append(out, len, dngettext(CPS_TEXTDOMAIN,
			"%d of them has no green tick yet: open it with \"View product\" and add the missing details to earn its points.",
			"%d of them have no green tick yet: open them with \"View product\" and add the missing details to earn their points.",
			(unsigned long)r->incomplete), r->incomplete);
	if (r->skipped)
		append(out, len, dngettext(CPS_TEXTDOMAIN,
			"%d product was already registered on this account and was left as it is.",
			"%d products were already registered on this account and were left as they are.",
			(unsigned long)r->skipped), r->skipped);
}

static void note_copy(long long legacy_product_id, long long product_id, void *arg)
{
	struct cps_migration_item *it = item_of(arg, legacy_product_id);

	if (it && it->state == CPS_MIGRATE_MOVE)
		it->product_id = product_id;
}

/* The items to move, one after the other, as the copy takes them. */
struct to_copy {
	const struct plan *p;
	size_t i;
};

static int next_to_copy(void *arg, struct cps_store_migration_new *row)
{
	struct to_copy *c = arg;

	while (c->i < c->p->list.n) {
		const struct cps_migration_item *it = &c->p->list.items[c->i++];

		if (it->state != CPS_MIGRATE_MOVE)
			continue;
		*row = (struct cps_store_migration_new){
			.legacy_product_id = it->legacy_product_id,
			.catalog_id = it->catalog_id,
			.serial = it->serial,
			.purchase_date = it->purchase_date,
			.purchase_country = it->purchase_country,
			.dealer = it->dealer,
			.points = it->complete ? it->points : 0,
		};
		return 1;
	}
	return 0;
}

/* Moves the items of an offered plan inside the open transaction, in one
 * statement.  A product registered to another account stops it before
 * anything is moved, and the message names every such product.  A plan
 * read without owners moves all or, when the copy finds one registered,
 * reads them and starts again. */
static enum cps_err move_all(struct cps_engine *e, long long account_id,
			     struct plan *p, struct cps_migration_result *r,
			     struct cps_error *err)
{
	time_t now = cps_engine_now(e);
	int conflicts = 0, copied = 0;
	long long first_id = 0;
	enum cps_err rc;

	for (size_t i = 0; i < p->list.n; i++) {
		if (p->list.items[i].state == CPS_MIGRATE_TAKEN)
			conflicts++;
		if (p->list.items[i].state == CPS_MIGRATE_YOURS)
			r->skipped++;
	}
	if (conflicts) {
		char text[CPS_MIGRATION_TEXT_MAX];
		conflict_text(e, p, 1, text, sizeof(text));
		return cps_error_set(err, CPS_ERR_EXISTS, "%s", text);
	}
	struct to_copy c = { .p = p };
	rc = cps_store_migration_copy_all(e->store, account_id, p->old.id, now, next_to_copy,
					  &c, &first_id, note_copy, p, &copied, err);
	if (rc == CPS_ERR_EXISTS && !p->owners) {
		/* some are registered already (the copy was undone): read
		 * whose, then refuse or move the others.  Asking it of every
		 * old product beforehand cost a sixth of the plan's read for
		 * what is rare */
		cps_error_clear(err);
		rc = read_items(e, p, 1, err);
		return rc == CPS_OK ? move_all(e, account_id, p, r, err) : rc;
	}
	if (rc != CPS_OK)
		return rc;
	for (size_t i = 0; i < p->list.n; i++) {
		struct cps_migration_item *it = &p->list.items[i];

		if (it->state != CPS_MIGRATE_MOVE)
			continue;
		/* the new products' ids follow each other, in this order */
		if (first_id && r->moved < copied)
			it->product_id = first_id + r->moved;
		if (!it->product_id)
			break;
		r->moved++;
		if (it->complete) {
			r->complete++;
			r->points += it->points;
		} else {
			r->incomplete++;
		}
	}
	/* the plan was read in this transaction: anything else is a bug */
	if (r->moved != copied || (size_t)(r->moved + r->skipped) != p->list.n)
		return cps_error_set(err, CPS_ERR_NOT_FOUND, "%s",
				     _("An old product to be moved was not found."));
	rc = cps_store_migration_insert(e->store, account_id, p->old.id, r->moved, now, err);
	size_t parts = (p->list.n + PAYLOAD_ITEMS - 1) / PAYLOAD_ITEMS;
	struct cps_jw w;
	cps_jw_init(&w);
	for (size_t part = 0; rc == CPS_OK && part < parts; part++) {
		size_t from = part * PAYLOAD_ITEMS;
		size_t to = from + PAYLOAD_ITEMS < p->list.n ? from + PAYLOAD_ITEMS : p->list.n;
		payload(&w, p, r->moved, from, to, part, parts);
		rc = cps_jw_ok(&w) ? cps_outbox_add_text(e, "migration", account_id, w.buf, w.len, err)
		       : cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	cps_jw_free(&w);
	return rc;
}

/* Leaves result as after a refusal: nothing moved. */
static void result_clear(struct cps_migration_result *r)
{
	free(r->items);
	memset(r, 0, sizeof(*r));
}

static enum cps_err run(struct cps_engine *e, long long account_id,
			struct cps_migration_result *result,
			struct cps_error *err)
{
	struct plan p;
	enum cps_err rc;

	memset(result, 0, sizeof(*result));
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	/* the plan is made inside the write transaction, so that nobody
	 * registers or migrates in between; who has an old product's model
	 * and serial number registered already is left to the copy (see
	 * move_all) */
	rc = plan_make(e, account_id, 0, &p, err);
	if (rc != CPS_OK) {
		cps_store_rollback(e->store);
		return rc;
	}
	if (p.reason == CPS_MIGRATION_DONE) {
		cps_store_rollback(e->store);
		result->already = 1;
		result->moved = p.done.products;
		result->migrated_at = p.done.migrated_at;
		snprintf(result->member_number, sizeof(result->member_number), "%s",
			 p.old.member_number);
		done_text(&p.done, result->text, sizeof(result->text));
		plan_free(&p);
		return CPS_OK;
	}
	if (p.reason != CPS_MIGRATION_OFFERED) {
		char text[CPS_MIGRATION_TEXT_MAX];
		cps_store_rollback(e->store);
		reason_text(e, &p, text, sizeof(text));
		plan_free(&p);
		return cps_error_set(err, CPS_ERR_STATE, "%s", text);
	}
	snprintf(result->member_number, sizeof(result->member_number), "%s",
		 p.old.member_number);
	rc = move_all(e, account_id, &p, result, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	else
		cps_store_rollback(e->store);
	if (rc != CPS_OK) {
		plan_free(&p);
		result_clear(result);
		return rc;
	}
	result->migrated_at = cps_engine_now(e);
	result->items = p.list.items;
	result->nitems = p.list.n;
	result_text(result, result->text, sizeof(result->text));
	return CPS_OK;
}

enum cps_err cps_migration_run(struct cps_engine *e, long long account_id,
			       struct cps_migration_result *result,
			       struct cps_error *err)
{
	/* every new product's parents were read in the transaction (the
	 * account, each model found in the catalog, the old product), so
	 * the transaction skips checking them again, and its
	 * new pages go to the log as they are made; the connection is as
	 * before for everything after it */
	cps_store_migration_mode(e->store, 1);
	enum cps_err rc = run(e, account_id, result, err);
	cps_store_migration_mode(e->store, 0);
	return rc;
}

void cps_migration_result_free(struct cps_migration_result *result)
{
	if (!result)
		return;
	free(result->items);
	result->items = NULL;
	result->nitems = 0;
}
