/* legacy_remote.c - an old CPS account sent by the remote: read strictly,
 * field by field, and stored as an import of the export would store it
 * (see include/cpsreg/legacy_remote.h).  The rules of a value are the
 * import's (the product rules, the member number's form), so that what
 * one accepts the other does. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/i18n.h"
#include "cpsreg/ident.h"
#include "cpsreg/legacy.h"
#include "cpsreg/product.h"
#include "cpsreg/text.h"
#include "engine_private.h"
#include "legacy_remote_private.h"
#include "store_legacy.h"
#include "store_legacy_remote.h"

#define WHERE "GET /v1/legacy-accounts"

/* One product of the answer, as it will be stored (NULL: missing). */
struct lr_product {
	long long catalog_id;
	char *model;      /* the answer's, for messages */
	char *serial;
	char *date;
	char *country;
	char *dealer;
};

struct lr_account {
	char email[CPS_EMAIL_MAX];
	char member[CPS_LEGACY_MEMBER_MAX + 1];
	char *name;
	struct lr_product *p;
	size_t n;
};

static void account_free(struct lr_account *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->p[i].model);
		free(a->p[i].serial);
		free(a->p[i].date);
		free(a->p[i].country);
		free(a->p[i].dealer);
	}
	free(a->p);
	free(a->name);
	memset(a, 0, sizeof(*a));
}

/* Every refusal reads as the invoices' do: where in the answer, and what. */
static enum cps_err refuse(struct cps_error *err, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum cps_err refuse(struct cps_error *err, const char *field, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return cps_error_set(err, CPS_ERR_INVALID,
			     _("the remote's answer is refused and nothing of it is stored: %s%s%s: %s"),
			     WHERE, *field ? " " : "", field, why);
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int ascii_caseeq(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = ascii_lower((unsigned char)*a), cb = ascii_lower((unsigned char)*b);
		if (ca != cb)
			return 0;
		if (!ca)
			return 1;
	}
}

/* A string member: 0 and *out when it is a string, 1 when absent or
 * null, -1 (refused) when of another type. */
static int get_string(json_t *o, const char *key, const char *at, const char **out,
		      enum cps_err *rc, struct cps_error *err)
{
	json_t *v = json_object_get(o, key);
	char field[96];

	*out = NULL;
	if (!v || json_is_null(v))
		return 1;
	if (!json_is_string(v)) {
		snprintf(field, sizeof(field), "%s%s%s", at, *at ? "." : "", key);
		*rc = refuse(err, field, "%s", _("not a string"));
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* A copy in NFC with runs of white space made one space and none at
 * either end (as the import reads a cell); NULL when out of memory. */
static char *clean_copy(const char *s)
{
	size_t n = strlen(s);
	char *t = malloc(CPS_TEXT_NFC_SIZE(n)), *o;

	if (!t)
		return NULL;
	cps_text_nfc(s, n, t);
	o = t;
	for (const char *p = t; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			if (o > t && o[-1] != ' ')
				*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	if (o > t && o[-1] == ' ')
		o--;
	*o = '\0';
	return t;
}

/* Valid UTF-8 without a control character (the engine's one policy). */
static int plain(const char *s)
{
	size_t n = strlen(s);

	return cps_utf8_valid(s, n) && cps_text_find_control(s, n, NULL) == n;
}

static int member_ok(const char *m)
{
	size_t n = strlen(m);

	if (n == 0 || n > CPS_LEGACY_MEMBER_MAX)
		return 0;
	for (; *m; m++)
		if (!((*m >= 'A' && *m <= 'Z') || (*m >= 'a' && *m <= 'z') ||
		      (*m >= '0' && *m <= '9') || *m == '-' || *m == '.' || *m == '/'))
			return 0;
	return 1;
}

/* The rule's own message, made safe to show (it may quote the value). */
static enum cps_err refuse_rule(struct cps_error *err, const char *field,
				const struct cps_error *why)
{
	char msg[CPS_ERROR_MAX];

	cps_text_quote(why->msg, msg, sizeof(msg), CPS_TEXT_LINE);
	return refuse(err, field, "%s", msg);
}

/* Text that fits max bytes once clean, or a refusal; *out NULL when the
 * value is missing or empty. */
static enum cps_err read_text(json_t *o, const char *key, const char *at, size_t max,
			      char **out, struct cps_error *err)
{
	enum cps_err rc = CPS_OK;
	const char *v;
	char field[96];
	int r = get_string(o, key, at, &v, &rc, err);

	*out = NULL;
	if (r < 0)
		return rc;
	if (r == 1)
		return CPS_OK;
	snprintf(field, sizeof(field), "%s%s%s", at, *at ? "." : "", key);
	if (!plain(v))
		return refuse(err, field, "%s", _("not UTF-8, or holds a control character"));
	*out = clean_copy(v);
	if (!*out)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	if (strlen(*out) > max) {
		free(*out);
		*out = NULL;
		return refuse(err, field, _("longer than %d bytes"), (int)max);
	}
	if (!**out) {
		free(*out);
		*out = NULL;
	}
	return CPS_OK;
}

static enum cps_err read_product(struct cps_engine *e, json_t *j, size_t i,
				 struct lr_product *p, struct cps_error *err)
{
	char at[48], field[96];
	char tmp[CPS_SERIAL_SIZE > CPS_DATE_SIZE ? CPS_SERIAL_SIZE : CPS_DATE_SIZE];
	struct cps_error why = { 0 };
	enum cps_date_precision prec;
	int release_year = 0;
	enum cps_err rc;

	snprintf(at, sizeof(at), "products[%zu]", i);
	if (!json_is_object(j))
		return refuse(err, at, "%s", _("not an object"));
	snprintf(field, sizeof(field), "%s.model", at);
	rc = read_text(j, "model", at, CPS_MODEL_SIZE - 1, &p->model, err);
	if (rc != CPS_OK)
		return rc;
	if (!p->model)
		return refuse(err, field, "%s", _("missing"));
	rc = cps_store_legacy_model(e->store, p->model, &p->catalog_id, &release_year, err);
	if (rc != CPS_OK)
		return rc;
	if (!p->catalog_id) {
		char shown[CPS_MODEL_SIZE + 8];
		return refuse(err, field,
			      _("\"%s\" is not in this shop's product catalog; staff can import a newer catalog (import-catalog), and the next sync asks again"),
			      cps_text_quote(p->model, shown, sizeof(shown), CPS_TEXT_LINE));
	}

	rc = read_text(j, "serial", at, 256, &p->serial, err);
	if (rc != CPS_OK)
		return rc;
	if (p->serial) {
		snprintf(field, sizeof(field), "%s.serial", at);
		if (cps_serial_normalise(p->serial, tmp, sizeof(tmp), &why) != CPS_OK)
			return refuse_rule(err, field, &why);
		free(p->serial);
		p->serial = *tmp ? strdup(tmp) : NULL;
		if (*tmp && !p->serial)
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}

	rc = read_text(j, "purchase_date", at, 64, &p->date, err);
	if (rc != CPS_OK)
		return rc;
	if (p->date) {
		snprintf(field, sizeof(field), "%s.purchase_date", at);
		if (cps_purchase_date_check(e, release_year, p->date, tmp, sizeof(tmp), &prec,
					    &why) != CPS_OK)
			return refuse_rule(err, field, &why);
		free(p->date);
		p->date = strdup(tmp);
		if (!p->date)
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}

	const char *c;
	int r = get_string(j, "purchase_country", at, &c, &rc, err);
	if (r < 0)
		return rc;
	snprintf(field, sizeof(field), "%s.purchase_country", at);
	if (r == 0 && *c) {
		if (strlen(c) != 2 || ascii_lower((unsigned char)c[0]) < 'a' ||
		    ascii_lower((unsigned char)c[0]) > 'z' || ascii_lower((unsigned char)c[1]) < 'a' ||
		    ascii_lower((unsigned char)c[1]) > 'z')
			return refuse(err, field, "%s",
				      _("not a two-letter country code such as DK or NO"));
		p->country = malloc(3);
		if (!p->country)
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
		p->country[0] = (char)(ascii_lower((unsigned char)c[0]) - ('a' - 'A'));
		p->country[1] = (char)(ascii_lower((unsigned char)c[1]) - ('a' - 'A'));
		p->country[2] = '\0';
	}

	return read_text(j, "dealer", at, CPS_LEGACY_DEALER_MAX, &p->dealer, err);
}

/* Reads and checks the whole answer (the catalog is read; nothing is
 * written). */
static enum cps_err read_account(struct cps_engine *e, const char *asked, json_t *j,
				 struct lr_account *a, struct cps_error *err)
{
	enum cps_err rc = CPS_OK;
	struct cps_error why = { 0 };
	const char *email, *member;
	char shown[80];
	json_t *list, *item;
	size_t i;
	int r;

	if (!json_is_object(j))
		return refuse(err, "", "%s", _("not an object"));
	if ((r = get_string(j, "email", "", &email, &rc, err)) < 0)
		return rc;
	if (r == 1)
		return refuse(err, "email", "%s", _("missing"));
	if (cps_ident_email(email, a->email, sizeof(a->email), &why) != CPS_OK)
		return refuse_rule(err, "email", &why);
	if (!ascii_caseeq(a->email, asked))
		return refuse(err, "email", _("%s, but %s was asked for"),
			      cps_text_quote(a->email, shown, sizeof(shown), CPS_TEXT_LINE), asked);

	if ((r = get_string(j, "member_number", "", &member, &rc, err)) < 0)
		return rc;
	if (r == 1)
		return refuse(err, "member_number", "%s", _("missing"));
	if (!member_ok(member))
		return refuse(err, "member_number",
			      _("not a member number (1 to %d letters, digits and - . /)"),
			      CPS_LEGACY_MEMBER_MAX);
	snprintf(a->member, sizeof(a->member), "%s", member);

	rc = read_text(j, "name", "", CPS_LEGACY_NAME_MAX, &a->name, err);
	if (rc != CPS_OK)
		return rc;

	list = json_object_get(j, "products");
	if (!list)
		return refuse(err, "products", "%s", _("missing"));
	if (!json_is_array(list))
		return refuse(err, "products", "%s", _("not an array"));
	if (json_array_size(list) > CPS_LEGACY_REMOTE_PRODUCTS_MAX)
		return refuse(err, "products", _("more than %d products"),
			      CPS_LEGACY_REMOTE_PRODUCTS_MAX);
	if (json_array_size(list) > 0) {
		a->p = calloc(json_array_size(list), sizeof(*a->p));
		if (!a->p)
			return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	json_array_foreach(list, i, item) {
		a->n = i + 1;
		rc = read_product(e, item, i, &a->p[i], err);
		if (rc != CPS_OK)
			return rc;
		/* one product per model and serial, as in the import; the
		 * answers are small, so a look back is enough */
		for (size_t k = 0; a->p[i].serial && k < i; k++)
			if (a->p[k].serial && a->p[k].catalog_id == a->p[i].catalog_id &&
			    strcmp(a->p[k].serial, a->p[i].serial) == 0) {
				char field[48];
				snprintf(field, sizeof(field), "products[%zu].serial", i);
				return refuse(err, field, _("%s is also products[%zu]; a product can be registered once only"),
					      a->p[i].serial, k);
			}
	}
	return CPS_OK;
}

/* Stores a checked answer inside the caller's transaction. */
static enum cps_err store(struct cps_engine *e, const struct lr_account *a, int *stored,
			  struct cps_error *err)
{
	struct cps_store *s = e->store;
	struct cps_legacy_account old;
	struct cps_error quiet = { 0 };
	long long id = 0;
	enum cps_err rc;

	rc = cps_store_legacy_account_by_email(s, a->email, &old, &quiet);
	if (rc == CPS_OK)
		return CPS_OK;   /* imported meanwhile: the shop's own wins */
	if (rc != CPS_ERR_NOT_FOUND)
		goto fail;
	rc = cps_store_legacy_account_by_number(s, a->member, &old, &quiet);
	if (rc == CPS_OK)
		return refuse(err, "member_number",
			      _("%s is the member number of another old CPS account at this shop (%s)"),
			      a->member, old.email);
	if (rc != CPS_ERR_NOT_FOUND)
		goto fail;
	for (size_t i = 0; i < a->n; i++) {
		const struct lr_product *p = &a->p[i];
		long long pid, owner;
		int same;

		if (!p->serial)
			continue;
		rc = cps_store_legacy_product_by_serial(s, p->catalog_id, p->serial, p->date,
							p->country, p->dealer, &pid, &owner,
							&same, err);
		if (rc != CPS_OK)
			return rc;
		if (pid) {
			char field[48];
			rc = cps_store_legacy_account_by_id(s, owner, &old, err);
			if (rc != CPS_OK)
				return rc;
			snprintf(field, sizeof(field), "products[%zu].serial", i);
			return refuse(err, field,
				      _("%s with the serial number %s is a product of another old CPS account at this shop (%s)"),
				      p->model, p->serial, old.email);
		}
	}
	rc = cps_store_legacy_account_insert(s, a->email, a->member, a->name,
					     cps_engine_now(e), &id, err);
	for (size_t i = 0; rc == CPS_OK && i < a->n; i++) {
		const struct lr_product *p = &a->p[i];
		rc = cps_store_legacy_product_insert(s, id, p->catalog_id, p->serial, p->date,
						     p->country, p->dealer, err);
	}
	if (rc == CPS_OK)
		*stored = 1;
	return rc;
fail:
	if (err)
		*err = quiet;
	return rc;
}

enum cps_err cps_legacy_remote_receive_json(struct cps_engine *e, const char *asked_email,
					    json_t *answer, int *stored,
					    struct cps_error *err)
{
	struct lr_account a;
	enum cps_err rc;

	*stored = 0;
	memset(&a, 0, sizeof(a));
	rc = read_account(e, asked_email, answer, &a, err);
	if (rc == CPS_OK)
		rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK) {
		account_free(&a);
		return rc;
	}
	rc = store(e, &a, stored, err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	if (rc != CPS_OK) {
		cps_store_rollback(e->store);
		*stored = 0;
	}
	account_free(&a);
	return rc;
}

enum cps_err cps_legacy_remote_receive(struct cps_engine *e, const char *asked_email,
				       const char *text, size_t len, int *stored,
				       struct cps_error *err)
{
	json_error_t je;
	json_t *j = json_loadb(text ? text : "", text ? len : 0, 0, &je);
	enum cps_err rc;

	*stored = 0;
	if (!j) {
		char what[200];
		cps_text_quote(je.text, what, sizeof(what), CPS_TEXT_LINE);
		return refuse(err, "", _("not JSON (line %d, column %d: %s)"), je.line, je.column,
			      what);
	}
	rc = cps_legacy_remote_receive_json(e, asked_email, j, stored, err);
	json_decref(j);
	return rc;
}

enum cps_err cps_legacy_remote_none(struct cps_engine *e, const char *email,
				    struct cps_error *err)
{
	enum cps_err rc = cps_store_begin(e->store, err);

	if (rc != CPS_OK)
		return rc;
	rc = cps_store_legacy_not_found_add(e->store, email, cps_engine_now(e), err);
	if (rc == CPS_OK)
		return cps_store_commit(e->store, err);
	cps_store_rollback(e->store);
	return rc;
}

enum cps_err cps_legacy_remote_to_ask(struct cps_engine *e, int max,
				      int (*fn)(const char *email, void *arg), void *arg,
				      struct cps_error *err)
{
	return cps_store_legacy_to_ask(e->store, max, fn, arg, err);
}
