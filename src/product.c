/* product.c - "My products": cleaning and checking what the customer typed
 * (serial number, purchase date, country, dealer), registering, changing
 * and removing products, completeness and points (see
 * include/cpsreg/product.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cpsreg/i18n.h"
#include "cpsreg/text.h"
#include "cpsreg/product.h"
#include "cpsreg/workdays.h"
#include "engine_private.h"
#include "audit.h"
#include "outbox.h"
#include "store_account.h"
#include "store_catalog.h"
#include "store_product.h"

/* The earliest purchase year the date reader takes at all. */
#define FIRST_YEAR 1900
/* Shorter or longer serials get a warning when the model has no pattern. */
#define SERIAL_USUAL_MIN 5
#define SERIAL_USUAL_MAX 20

/* The engine's one decoder on a NUL-terminated string (see text.h). */
static size_t utf8_char(const unsigned char *s, long *cp)
{
	uint32_t u = 0;
	size_t n = cps_utf8_decode((const char *)s, CPS_UTF8_NUL_TERMINATED, &u);

	*cp = (long)u;
	return n;
}

static int is_blank(long cp)
{
	return cp == ' ' || cp == '\t' || cp == 0xA0;
}

/* Copies text without blanks at either end into out (len bytes). */
static void trim_copy(const char *text, char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	const unsigned char *end;
	long cp;
	size_t k;

	while (*s && (k = utf8_char(s, &cp)) > 0 && is_blank(cp))
		s += k;
	end = s + strlen((const char *)s);
	for (;;) {
		if (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		else if (end - s >= 2 && end[-2] == 0xC2 && end[-1] == 0xA0)
			end -= 2;
		else
			break;
	}
	k = (size_t)(end - s);
	if (len == 0)
		return;
	if (k >= len)
		k = len - 1;
	memcpy(out, s, k);
	out[k] = '\0';
}

/* --- serial numbers ------------------------------------------------- */

enum cps_err cps_serial_normalise(const char *text, char *out, size_t len,
				  struct cps_error *err)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	size_t n = 0;

	if (len < CPS_SERIAL_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("no room for the serial number"));
	out[0] = '\0';
	while (*s) {
		long cp;
		size_t k = utf8_char(s, &cp);

		if (k == 0)
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
				_("The serial number contains a character that cannot be read; type it again with letters and digits only."));
		if (is_blank(cp) || cp == '-' || (cp >= 0x2010 && cp <= 0x2015)) {
			s += k;
			continue;
		}
		if (cp >= 'a' && cp <= 'z')
			cp -= 'a' - 'A';
		if (!((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))) {
			out[0] = '\0';
			if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
				return cps_error_set(err, CPS_ERR_INVALID, "%s",
					_("The serial number contains a control character; use letters and digits only."));
			return cps_error_set(err, CPS_ERR_INVALID,
				_("A serial number has only letters and digits: \"%.*s\" is not allowed."),
				(int)k, (const char *)s);
		}
		if (n == CPS_SERIAL_MAX) {
			out[0] = '\0';
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The serial number is too long: at most %d letters and digits."),
				CPS_SERIAL_MAX);
		}
		out[n++] = (char)cp;
		s += k;
	}
	out[n] = '\0';
	return CPS_OK;
}

/* The warning for a cleaned serial of a model, or "". */
static void serial_warning(const struct cps_catalog_item *item, const char *serial,
			   char *warning)
{
	char shape[256];
	size_t n = strlen(serial);

	warning[0] = '\0';
	if (!*serial)
		return;
	if (item->serial_pattern[0]) {
		if (cps_catalog_pattern_matches(item->serial_pattern, serial))
			return;
		cps_catalog_pattern_describe(item->serial_pattern, shape, sizeof(shape));
		snprintf(warning, CPS_WARNING_MAX,
			 _("Please check the serial number %s: serial numbers of the %s usually have %s."),
			 serial, item->model, shape);
	} else if (n < SERIAL_USUAL_MIN) {
		snprintf(warning, CPS_WARNING_MAX,
			 _("Please check the serial number %s: it is unusually short."), serial);
	} else if (n > SERIAL_USUAL_MAX) {
		snprintf(warning, CPS_WARNING_MAX,
			 _("Please check the serial number %s: it is unusually long."), serial);
	}
}

enum cps_err cps_serial_check(struct cps_engine *e, long long catalog_id,
			      const char *text, char *out, size_t len,
			      char warning[CPS_WARNING_MAX], struct cps_error *err)
{
	struct cps_catalog_item item;
	char note[CPS_WARNING_MAX];
	enum cps_err rc;

	if (warning)
		warning[0] = '\0';
	rc = cps_serial_normalise(text, out, len, err);
	if (rc == CPS_OK)
		rc = cps_store_catalog_get(e->store, catalog_id, &item, err);
	if (rc != CPS_OK)
		return rc;
	serial_warning(&item, out, note);
	if (warning)
		memcpy(warning, note, CPS_WARNING_MAX);
	return CPS_OK;
}

/* --- purchase dates ------------------------------------------------- */

static enum cps_err date_unreadable(const char *text, struct cps_error *err)
{
	return cps_error_set(err, CPS_ERR_INVALID,
		_("\"%.40s\" is not a date that can be read. Write a year (2021), a month (2021-05 or 05.2021) or a day (2021-05-14 or 14.05.2021)."),
		text);
}

enum cps_err cps_purchase_date_parse(const char *text, char *out, size_t len,
				     enum cps_date_precision *precision,
				     struct cps_error *err)
{
	char t[64];
	long num[3];
	size_t digits[3], ngroups = 0;
	char sep = 0;
	const char *p;

	*precision = CPS_DATE_NONE;
	if (len < CPS_DATE_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID, "%s", _("no room for the date"));
	out[0] = '\0';
	trim_copy(text, t, sizeof(t));
	if (!t[0])
		return CPS_OK;
	if (text && strlen(text) >= sizeof(t))
		return date_unreadable(text, err);

	/* groups of digits, one kind of separator between them (spaces
	 * around a separator are allowed: "14. 05. 2021") */
	for (p = t; *p;) {
		if (ngroups == 3 || *p < '0' || *p > '9')
			return date_unreadable(t, err);
		num[ngroups] = 0;
		digits[ngroups] = 0;
		while (*p >= '0' && *p <= '9') {
			if (digits[ngroups]++ == 4)
				return date_unreadable(t, err);
			num[ngroups] = num[ngroups] * 10 + (*p++ - '0');
		}
		ngroups++;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (*p != '-' && *p != '.' && *p != '/')
			return date_unreadable(t, err);
		if (sep && *p != sep)
			return date_unreadable(t, err);
		sep = *p++;
		while (*p == ' ')
			p++;
		if (!*p)
			return date_unreadable(t, err);
	}

	long y = 0, m = 0, d = 0;
	if (ngroups == 1 && digits[0] == 4) {
		y = num[0];
	} else if (ngroups == 2 && digits[0] == 4 && digits[1] <= 2) {
		y = num[0];
		m = num[1];
	} else if (ngroups == 2 && digits[0] <= 2 && digits[1] == 4) {
		m = num[0];
		y = num[1];
	} else if (ngroups == 3 && digits[0] == 4 && digits[1] <= 2 && digits[2] <= 2) {
		y = num[0];
		m = num[1];
		d = num[2];
	} else if (ngroups == 3 && digits[0] <= 2 && digits[1] <= 2 && digits[2] == 4) {
		d = num[0];
		m = num[1];
		y = num[2];
	} else if (digits[ngroups - 1] == 2 && ngroups >= 2) {
		return cps_error_set(err, CPS_ERR_INVALID,
			_("\"%s\": please write the year with four digits (e.g. 05.2021 or 14.05.2021)."),
			t);
	} else {
		return date_unreadable(t, err);
	}
	if (y < FIRST_YEAR)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("\"%s\" is not a purchase date: the year %ld is too early."), t, y);
	if (ngroups >= 2 && (m < 1 || m > 12))
		return cps_error_set(err, CPS_ERR_INVALID,
			_("\"%s\" is not a real date: there is no month %ld."), t, m);
	if (ngroups == 3) {
		struct cps_ymd v = { (int)y, (int)m, (int)d };
		if (!cps_ymd_valid(v))
			return cps_error_set(err, CPS_ERR_INVALID,
				_("\"%s\" is not a real date: %04ld-%02ld has no day %ld."),
				t, y, m, d);
		snprintf(out, len, "%04ld-%02ld-%02ld", y, m, d);
		*precision = CPS_DATE_DAY;
	} else if (ngroups == 2) {
		snprintf(out, len, "%04ld-%02ld", y, m);
		*precision = CPS_DATE_MONTH;
	} else {
		snprintf(out, len, "%04ld", y);
		*precision = CPS_DATE_YEAR;
	}
	return CPS_OK;
}

/* The rules on a parsed date (stored form in date). */
static enum cps_err date_rules(struct cps_engine *e, int release_year,
			       const char *typed, const char *date,
			       enum cps_date_precision prec, struct cps_error *err)
{
	struct cps_ymd today, d = { 0, 1, 1 };
	int future;

	if (prec == CPS_DATE_NONE)
		return CPS_OK;
	if (cps_engine_today(e, &today) != CPS_OK)
		return cps_error_set(err, CPS_ERR_INVALID, "%s", _("the clock of this computer is wrong"));
	/* the stored form: YYYY, YYYY-MM or YYYY-MM-DD (no sscanf: this runs
	 * for every row of an import) */
	d.y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
	if (date[4] == '-') {
		d.m = (date[5] - '0') * 10 + (date[6] - '0');
		if (date[7] == '-')
			d.d = (date[8] - '0') * 10 + (date[9] - '0');
	}
	switch (prec) {
	case CPS_DATE_YEAR:
		future = d.y > today.y;
		break;
	case CPS_DATE_MONTH:
		future = d.y * 12 + d.m > today.y * 12 + today.m;
		break;
	default:
		future = cps_ymd_cmp(d, today) > 0;
		break;
	}
	if (future)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The purchase date \"%.40s\" is in the future; give the date on the receipt, or your best guess."),
			typed);
	if (release_year > 0 && d.y < release_year)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The purchase date \"%.40s\" is before this model came out (%d); check the date and the model."),
			typed, release_year);
	return CPS_OK;
}

enum cps_err cps_purchase_date_check(struct cps_engine *e, int release_year,
				     const char *text, char *out, size_t len,
				     enum cps_date_precision *precision,
				     struct cps_error *err)
{
	char typed[64];
	enum cps_err rc = cps_purchase_date_parse(text, out, len, precision, err);

	if (rc != CPS_OK)
		return rc;
	trim_copy(text, typed, sizeof(typed));
	rc = date_rules(e, release_year, typed, out, *precision, err);
	if (rc != CPS_OK) {
		out[0] = '\0';
		*precision = CPS_DATE_NONE;
	}
	return rc;
}

/* --- country and dealer --------------------------------------------- */

enum cps_err cps_purchase_country_check(struct cps_engine *e, const char *text,
					char out[3], struct cps_error *err)
{
	char t[16];
	const struct cps_country *c;

	out[0] = '\0';
	trim_copy(text, t, sizeof(t));
	if (!t[0])
		return CPS_OK;
	c = strlen(t) == 2 ? cps_country_find(e, t) : NULL;
	if (!c)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("\"%.20s\" is not a country in the list; choose the country where the product was bought (a two-letter code such as DK)."),
			t);
	memcpy(out, c->code, 3);
	return CPS_OK;
}

enum cps_err cps_dealer_normalise(const char *text, char *out, size_t len,
				  struct cps_error *err)
{
	char raw[CPS_DEALER_SIZE + 8], t[CPS_TEXT_NFC_SIZE(sizeof(raw))];
	size_t chars = 0;

	if (len < CPS_DEALER_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID, "%s", _("no room for the dealer"));
	out[0] = '\0';
	if (text && strlen(text) > CPS_DEALER_SIZE + 4)
		return cps_error_set(err, CPS_ERR_INVALID,
			_("The dealer name is longer than %d characters."), CPS_DEALER_MAX);
	trim_copy(text, raw, sizeof(raw));
	/* stored in NFC, as every text (README, rules 2.1); at most
	 * CPS_DEALER_MAX characters of it, so it fits out */
	cps_text_nfc(raw, strlen(raw), t);
	for (const unsigned char *s = (const unsigned char *)t; *s;) {
		long cp;
		size_t k = utf8_char(s, &cp);

		if (k == 0)
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
				_("The dealer name contains a character that cannot be read; type it again."));
		if (cps_text_is_control((uint32_t)cp))
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
				_("The dealer name contains a control character; use ordinary text."));
		if (++chars > CPS_DEALER_MAX)
			return cps_error_set(err, CPS_ERR_INVALID,
				_("The dealer name is longer than %d characters."), CPS_DEALER_MAX);
		s += k;
	}
	snprintf(out, len, "%s", t);
	return CPS_OK;
}

enum cps_err cps_product_default_country(struct cps_engine *e,
					 long long account_id, char out[3],
					 struct cps_error *err)
{
	enum cps_err rc = cps_store_account_country(e->store, account_id, out, err);
	const struct cps_country *c;

	if (rc != CPS_OK)
		return rc;
	c = cps_country_find(e, out);
	if (c)
		memcpy(out, c->code, 3);
	else
		out[0] = '\0';
	return CPS_OK;
}

struct suggest {
	char (*results)[CPS_DEALER_SIZE];
	size_t max, n;
};

static int take_dealer(const char *dealer, void *arg)
{
	struct suggest *s = arg;

	snprintf(s->results[s->n++], CPS_DEALER_SIZE, "%s", dealer);
	return s->n == s->max;
}

enum cps_err cps_dealer_suggest(struct cps_engine *e, const char *prefix,
				char (*results)[CPS_DEALER_SIZE], size_t max,
				size_t *n, struct cps_error *err)
{
	char t[CPS_DEALER_SIZE], like[2 * CPS_DEALER_SIZE + 2];
	char nfc[CPS_TEXT_NFC_SIZE(CPS_DEALER_SIZE)];
	struct suggest s = { results, max, 0 };
	size_t k = 0;
	enum cps_err rc;

	*n = 0;
	if (max == 0)
		return CPS_OK;
	trim_copy(prefix, t, sizeof(t));
	/* the dealers are stored in NFC, so the prefix is matched in NFC (one
	 * longer than t matches nothing anyway) */
	if (cps_text_nfc(t, strlen(t), nfc) < sizeof(t))
		memcpy(t, nfc, strlen(nfc) + 1);
	for (const char *p = t; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			like[k++] = '\\';
		like[k++] = *p;
	}
	like[k++] = '%';
	like[k] = '\0';
	rc = cps_store_dealer_suggest(e->store, like, max, take_dealer, &s, err);
	*n = s.n;
	return rc;
}

/* --- products ------------------------------------------------------- */

/* The details of a draft, cleaned and checked against the model. */
static enum cps_err clean_draft(struct cps_engine *e, const struct cps_product_draft *d,
				const struct cps_catalog_item *item,
				struct cps_product *p, struct cps_error *err)
{
	enum cps_date_precision prec;
	enum cps_err rc;

	rc = cps_serial_normalise(d->serial, p->serial, sizeof(p->serial), err);
	if (rc == CPS_OK)
		rc = cps_purchase_date_check(e, item->release_year, d->purchase_date,
					     p->purchase_date, sizeof(p->purchase_date),
					     &prec, err);
	if (rc == CPS_OK) {
		p->date_precision = prec;
		rc = cps_purchase_country_check(e, d->purchase_country,
						p->purchase_country, err);
	}
	if (rc == CPS_OK)
		rc = cps_dealer_normalise(d->dealer, p->dealer, sizeof(p->dealer), err);
	if (rc != CPS_OK)
		return rc;
	p->catalog_id = item->id;
	snprintf(p->model, sizeof(p->model), "%s", item->model);
	p->category = item->category;
	p->model_active = item->active;
	/* "123" for an EOS R5: no tick and no points until staff confirm it */
	p->serial_unusual = p->serial[0] && item->serial_pattern[0] &&
			    !cps_catalog_pattern_matches(item->serial_pattern, p->serial);
	p->complete = cps_product_is_complete(p);
	return CPS_OK;
}

/* Refuses a serial of this model that another product already has. */
static enum cps_err check_duplicate(struct cps_engine *e, const struct cps_product *p,
				    long long exclude_id, struct cps_error *err)
{
	long long owner;
	char contact[512];
	enum cps_err rc;

	if (!p->serial[0])
		return CPS_OK;
	rc = cps_store_product_find_serial(e->store, p->catalog_id, p->serial,
					   exclude_id, &owner, err);
	if (rc == CPS_ERR_NOT_FOUND)
		return CPS_OK;
	if (rc != CPS_OK)
		return rc;
	if (owner == p->account_id)
		return cps_error_set(err, CPS_ERR_EXISTS,
			_("You have already registered this %s with serial number %s."),
			p->model, p->serial);
	cps_config_support_contact(e->cfg, contact, sizeof(contact));
	return cps_error_set(err, CPS_ERR_EXISTS,
		_("The %s with serial number %s is already registered. If this product is yours, please contact %s."),
		p->model, p->serial, contact);
}

/* The change as the remote hears of it. */
static json_t *payload(const char *action, const struct cps_product *p)
{
	json_t *o = json_object();
	int ok = 1;

	if (!o)
		return NULL;
	cps_json_set(o, "action", json_string(action), &ok);
	cps_json_set(o, "product_id", json_integer(p->id), &ok);
	cps_json_set(o, "catalog_id", json_integer(p->catalog_id), &ok);
	cps_json_set(o, "model", json_string(p->model), &ok);
	cps_json_set(o, "serial", p->serial[0] ? json_string(p->serial) : json_null(), &ok);
	cps_json_set(o, "purchase_date",
			    p->purchase_date[0] ? json_string(p->purchase_date) : json_null(), &ok);
	cps_json_set(o, "purchase_country",
			    p->purchase_country[0] ? json_string(p->purchase_country) : json_null(), &ok);
	cps_json_set(o, "dealer", p->dealer[0] ? json_string(p->dealer) : json_null(), &ok);
	cps_json_set(o, "complete", json_boolean(p->complete), &ok);
	cps_json_set(o, "points", json_integer(p->complete ? p->points : 0), &ok);
	cps_json_set(o, "origin", json_string(p->origin == CPS_ORIGIN_MIGRATED
						     ? "migrated" : "registered"), &ok);
	return cps_json_done(o, ok);
}

static enum cps_err record(struct cps_engine *e, const char *action,
			   const struct cps_product *p, struct cps_error *err)
{
	json_t *o = payload(action, p);

	if (!o)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	return cps_outbox_add(e, "product", p->account_id, o, err);
}

/* Fixes the points the first time the product is complete. */
static void earn(struct cps_engine *e, struct cps_product *p,
		 const struct cps_catalog_item *item)
{
	if (p->complete && p->points <= 0) {
		p->points = item->points;
		p->completed_at = cps_engine_now(e);
	}
	p->worth = p->points > 0 ? p->points : item->points;
}

static enum cps_err fail(struct cps_engine *e, enum cps_err rc, char *warning)
{
	cps_store_rollback(e->store);
	if (warning)
		warning[0] = '\0';
	return rc;
}

enum cps_err cps_product_add(struct cps_engine *e, long long account_id,
			     const struct cps_product_draft *draft,
			     long long *id, char warning[CPS_WARNING_MAX],
			     struct cps_error *err)
{
	struct cps_catalog_item item;
	struct cps_product p;
	char country[3];
	enum cps_err rc;

	if (warning)
		warning[0] = '\0';
	if (!draft)
		return cps_error_set(err, CPS_ERR_INVALID, "%s", _("no product given"));
	memset(&p, 0, sizeof(p));
	p.account_id = account_id;
	p.origin = CPS_ORIGIN_REGISTERED;
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_account_country(e->store, account_id, country, err);
	if (rc == CPS_OK)
		rc = cps_store_catalog_get(e->store, draft->catalog_id, &item, err);
	if (rc == CPS_ERR_NOT_FOUND && draft->catalog_id <= 0)
		rc = cps_error_set(err, CPS_ERR_INVALID, "%s", _("Choose the product from the catalog."));
	if (rc == CPS_OK && !item.active)
		rc = cps_error_set(err, CPS_ERR_STATE,
			_("The %s is no longer in the catalog, so it cannot be registered as a new product."),
			item.model);
	if (rc == CPS_OK)
		rc = clean_draft(e, draft, &item, &p, err);
	if (rc == CPS_OK)
		rc = check_duplicate(e, &p, 0, err);
	if (rc == CPS_OK) {
		earn(e, &p, &item);
		rc = cps_store_product_insert(e->store, &p, cps_engine_now(e), &p.id, err);
	}
	if (rc == CPS_OK)
		rc = record(e, "add", &p, err);
	if (rc != CPS_OK)
		return fail(e, rc, warning);
	rc = cps_store_commit(e->store, err);
	if (rc != CPS_OK)
		return fail(e, rc, warning);
	if (id)
		*id = p.id;
	if (warning)
		serial_warning(&item, p.serial, warning);
	return CPS_OK;
}

int cps_product_is_complete(const struct cps_product *p)
{
	return p->serial[0] && p->purchase_date[0] && p->purchase_country[0] && p->dealer[0] &&
	       (!p->serial_unusual || p->serial_confirmed_by[0]);
}

static int same_product(const struct cps_product *a, const struct cps_product *b)
{
	return a->catalog_id == b->catalog_id && strcmp(a->serial, b->serial) == 0 &&
	       a->serial_unusual == b->serial_unusual &&
	       strcmp(a->purchase_date, b->purchase_date) == 0 &&
	       strcmp(a->purchase_country, b->purchase_country) == 0 &&
	       strcmp(a->dealer, b->dealer) == 0 && a->points == b->points &&
	       a->completed_at == b->completed_at;
}

enum cps_err cps_product_update(struct cps_engine *e, long long id,
				const struct cps_product_draft *draft,
				char warning[CPS_WARNING_MAX],
				struct cps_error *err)
{
	struct cps_catalog_item item;
	struct cps_product old, p;
	enum cps_err rc;

	if (warning)
		warning[0] = '\0';
	if (!draft)
		return cps_error_set(err, CPS_ERR_INVALID, "%s", _("no product given"));
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_product_get(e->store, id, &old, err);
	if (rc == CPS_OK) {
		long long cat = draft->catalog_id > 0 ? draft->catalog_id : old.catalog_id;
		rc = cps_store_catalog_get(e->store, cat, &item, err);
	}
	if (rc == CPS_OK && item.id != old.catalog_id && !item.active)
		rc = cps_error_set(err, CPS_ERR_STATE,
			_("The %s is no longer in the catalog, so a product cannot be changed to it."),
			item.model);
	if (rc == CPS_OK) {
		p = old;
		rc = clean_draft(e, draft, &item, &p, err);
	}
	if (rc == CPS_OK && strcmp(p.serial, old.serial) != 0) {
		/* staff confirmed the old serial, not this one */
		p.serial_confirmed_by[0] = '\0';
		p.serial_confirmed_at = 0;
		p.complete = cps_product_is_complete(&p);
	}
	if (rc == CPS_OK)
		rc = check_duplicate(e, &p, id, err);
	if (rc != CPS_OK)
		return fail(e, rc, warning);
	if (item.id != old.catalog_id) {
		/* another model: what the old one earned does not carry over */
		p.points = 0;
		p.completed_at = 0;
	}
	earn(e, &p, &item);
	if (same_product(&old, &p)) {
		cps_store_rollback(e->store);
		if (warning)
			serial_warning(&item, p.serial, warning);
		return CPS_OK;
	}
	rc = cps_store_product_update(e->store, &p, cps_engine_now(e), err);
	if (rc == CPS_OK)
		rc = record(e, "update", &p, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	if (rc != CPS_OK)
		return fail(e, rc, warning);
	if (warning)
		serial_warning(&item, p.serial, warning);
	return CPS_OK;
}

enum cps_err cps_product_get(struct cps_engine *e, long long id,
			     struct cps_product *out, struct cps_error *err)
{
	return cps_store_product_get(e->store, id, out, err);
}

enum cps_err cps_product_delete(struct cps_engine *e, long long id,
				struct cps_error *err)
{
	struct cps_product p;
	enum cps_err rc = cps_store_begin(e->store, err);

	if (rc != CPS_OK)
		return rc;
	rc = cps_store_product_get(e->store, id, &p, err);
	if (rc == CPS_OK)
		rc = cps_store_product_delete(e->store, id, err);
	if (rc == CPS_OK)
		rc = record(e, "delete", &p, err);
	if (rc == CPS_OK)
		return cps_store_commit(e->store, err);
	cps_store_rollback(e->store);
	return rc;
}

struct serial_hunt {
	const char *serial;
	struct cps_product found;
	int have;
};

static int take_serial(const struct cps_product *p, void *arg)
{
	struct serial_hunt *h = arg;

	if (strcmp(p->serial, h->serial) != 0)
		return 0;
	h->found = *p;
	h->have = 1;
	return 1;
}

enum cps_err cps_product_confirm_serial(struct cps_engine *e, long long account_id,
					const char *serial, const char *staff,
					struct cps_product *out, struct cps_error *err)
{
	char clean[CPS_SERIAL_SIZE];
	struct serial_hunt h = { .serial = clean };
	struct cps_catalog_item item;
	enum cps_err rc = cps_serial_normalise(serial, clean, sizeof(clean), err);

	if (rc != CPS_OK)
		return rc;
	if (!clean[0])
		return cps_error_set(err, CPS_ERR_INVALID, "%s", _("Give the serial number to confirm."));
	if (!staff || !staff[0])
		return cps_error_set(err, CPS_ERR_INVALID, "%s", _("Give the staff name (--staff NAME)."));
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_product_list(e->store, account_id, 0, take_serial, &h, err);
	if (rc == CPS_OK && !h.have)
		rc = cps_error_set(err, CPS_ERR_NOT_FOUND,
				   _("The customer has no product with the serial number %s."), clean);
	if (rc == CPS_OK && !h.found.serial_unusual)
		rc = cps_error_set(err, CPS_ERR_STATE,
				   _("The serial number %s fits the %s's usual form: there is nothing to confirm."),
				   clean, h.found.model);
	if (rc == CPS_OK && h.found.serial_confirmed_by[0])
		rc = cps_error_set(err, CPS_ERR_STATE,
				   _("The serial number %s was confirmed already."), clean);
	if (rc == CPS_OK)
		rc = cps_store_catalog_get(e->store, h.found.catalog_id, &item, err);
	if (rc != CPS_OK)
		return fail(e, rc, NULL);
	struct cps_product p = h.found;
	time_t now = cps_engine_now(e);
	snprintf(p.serial_confirmed_by, sizeof(p.serial_confirmed_by), "%s", staff);
	p.serial_confirmed_at = now;
	p.complete = cps_product_is_complete(&p);
	earn(e, &p, &item);
	rc = cps_store_product_confirm_serial(e->store, p.id, p.serial, staff, now, err);
	if (rc == CPS_OK)
		rc = cps_store_product_update(e->store, &p, now, err);
	if (rc == CPS_OK)
		rc = record(e, "update", &p, err);
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff, "confirm_serial", account_id, 0, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	if (rc != CPS_OK)
		return fail(e, rc, NULL);
	if (out)
		*out = p;
	return CPS_OK;
}

struct list {
	struct cps_product *v;
	size_t n, cap;
	int nomem;
};

static int take_product(const struct cps_product *p, void *arg)
{
	struct list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct cps_product *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			l->nomem = 1;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *p;
	return 0;
}

static enum cps_err list(struct cps_engine *e, long long account_id, int incomplete,
			 struct cps_product **out, size_t *n, struct cps_error *err)
{
	struct list l = { 0 };
	enum cps_err rc = cps_store_product_list(e->store, account_id, incomplete,
						 take_product, &l, err);

	if (rc == CPS_OK && l.nomem)
		rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	if (rc != CPS_OK) {
		free(l.v);
		l.v = NULL;
		l.n = 0;
	}
	*out = l.v;
	*n = l.n;
	return rc;
}

enum cps_err cps_product_list(struct cps_engine *e, long long account_id,
			      struct cps_product **out, size_t *n,
			      struct cps_error *err)
{
	return list(e, account_id, 0, out, n, err);
}

enum cps_err cps_product_list_incomplete(struct cps_engine *e,
					 long long account_id,
					 struct cps_product **out, size_t *n,
					 struct cps_error *err)
{
	return list(e, account_id, 1, out, n, err);
}

void cps_product_list_free(struct cps_product *l)
{
	free(l);
}

unsigned cps_product_missing(const struct cps_product *p, char *text, size_t len)
{
	const char *names[5];
	unsigned flags = 0;
	size_t k = 0;

	if (!p->serial[0]) {
		flags |= CPS_MISSING_SERIAL;
		names[k++] = _("serial number");
	}
	if (!p->purchase_date[0]) {
		flags |= CPS_MISSING_DATE;
		names[k++] = _("purchase date");
	}
	if (!p->purchase_country[0]) {
		flags |= CPS_MISSING_COUNTRY;
		names[k++] = _("country of purchase");
	}
	if (!p->dealer[0]) {
		flags |= CPS_MISSING_DEALER;
		names[k++] = _("dealer");
	}
	if (p->serial[0] && p->serial_unusual && !p->serial_confirmed_by[0]) {
		flags |= CPS_MISSING_SERIAL_CHECK;
		names[k++] = _("staff to confirm the unusual serial number");
	}
	if (text && len > 0) {
		char joined[256] = "";
		size_t used = 0;
		for (size_t i = 0; i < k; i++) {
			int w = snprintf(joined + used, sizeof(joined) - used, "%s%s",
					 i ? ", " : "", names[i]);
			if (w > 0 && (size_t)w < sizeof(joined) - used)
				used += (size_t)w;
		}
		if (k)
			snprintf(text, len, _("missing: %s"), joined);
		else
			text[0] = '\0';
	}
	return flags;
}

enum cps_err cps_product_totals(struct cps_engine *e, long long account_id,
				long *points, int *complete_count,
				int *registered_count, struct cps_error *err)
{
	long pts = 0;
	int complete = 0, registered = 0;
	enum cps_err rc = cps_store_product_totals(e->store, account_id, &pts,
						   &complete, &registered, err);

	if (points)
		*points = pts;
	if (complete_count)
		*complete_count = complete;
	if (registered_count)
		*registered_count = registered;
	return rc;
}
