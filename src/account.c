/* account.c - the business account application, its proof document, the
 * staff decision, the password and the login (README, rules 2 and 3; see
 * include/cpsreg/account.h).  The SQL is in src/store_account.c. */
#define _DEFAULT_SOURCE 1 /* explicit_bzero */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cpsreg/account.h"
#include "cpsreg/i18n.h"
#include "cpsreg/postcode.h"
#include "cpsreg/lang.h"
#include "cpsreg/text.h"
#include "cpsreg/secret.h"
#include "cpsreg/workdays.h"
#include "engine_private.h"
#include "limit_private.h"
#include "cpsreg/migration.h"
#include "audit.h"
#include "outbox.h"
#include "store_account.h"

#define PROGRAMME "Canon Professional Services (CPS)"
/* Who approved an application that rules.auto_approve_seconds approved. */
#define AUTO_APPROVER "automatic approval (demo)"

/* A yescrypt hash of a password nobody has: verifying against it when the
 * e-mail is unknown costs the same time as a real check, so the time a
 * login takes does not tell which addresses have accounts. */
static const char dummy_hash[] =
	"$y$j9T$VwKharMkO4J/w8MM6aSU.1$klL2493wNiRdwmfcuVdPr18pwyN4Uxnnlg66mzMd609";

/* --- names -------------------------------------------------------------- */

static const char *const field_labels[CPS_FIELD_COUNT] = {
	[CPS_FIELD_COMPANY] = N_("Company legal name"),
	[CPS_FIELD_COUNTRY] = N_("Country"),
	[CPS_FIELD_STREET] = N_("Street address"),
	[CPS_FIELD_POSTCODE] = N_("Postcode"),
	[CPS_FIELD_CITY] = N_("City"),
	[CPS_FIELD_FIRST_NAME] = N_("Contact person's first name"),
	[CPS_FIELD_LAST_NAME] = N_("Contact person's last name"),
	[CPS_FIELD_EMAIL] = N_("E-mail address"),
	[CPS_FIELD_PHONE] = N_("Phone"),
	[CPS_FIELD_LANGUAGE] = N_("Preferred language"),
	[CPS_FIELD_VAT_REGISTERED] = N_("Registered for VAT"),
	[CPS_FIELD_VAT_NUMBER] = N_("VAT number"),
	[CPS_FIELD_DOCUMENT] = N_("Proof document"),
	[CPS_FIELD_AUTHORISED] = N_("I am authorised to provide this information"),
	[CPS_FIELD_OLD_EMAIL] = N_("Old CPS e-mail address"),
};

/* What to say when a required field is left empty. */
static const char *const field_empty[CPS_FIELD_COUNT] = {
	[CPS_FIELD_COMPANY] = N_("Please enter the company's legal name, as it is registered."),
	[CPS_FIELD_COUNTRY] = N_("Please choose the country where the company is registered."),
	[CPS_FIELD_STREET] = N_("Please enter the street address."),
	[CPS_FIELD_POSTCODE] = N_("Please enter the postcode."),
	[CPS_FIELD_CITY] = N_("Please enter the city."),
	[CPS_FIELD_FIRST_NAME] = N_("Please enter the contact person's first name."),
	[CPS_FIELD_LAST_NAME] = N_("Please enter the contact person's last name."),
	[CPS_FIELD_EMAIL] = N_("Please enter an e-mail address: the answer to the application is sent there."),
	[CPS_FIELD_LANGUAGE] = N_("Please choose the language for e-mails: English, Norsk bokmål or Dansk."),
	[CPS_FIELD_VAT_REGISTERED] = N_("Please say whether the company is registered for VAT."),
	[CPS_FIELD_DOCUMENT] = N_("Please attach the proof document (a PDF, JPEG or PNG file), or show the paper to staff."),
	[CPS_FIELD_AUTHORISED] = N_("Please confirm that you are authorised to provide this information on behalf of the company."),
};

static const char *const status_ids[] = {
	[CPS_APP_DRAFT] = "draft",
	[CPS_APP_PENDING] = "pending",
	[CPS_APP_VALIDATED] = "validated",
	[CPS_APP_REJECTED] = "rejected",
};

static const struct {
	const char *id;
	const char *label;
	int vat;        /* the VAT answer the type fits */
} doc_types[CPS_DOC_COUNT] = {
	[CPS_DOC_NONE] = { "", "", CPS_VAT_UNANSWERED },
	[CPS_DOC_REGISTRATION_CERTIFICATE] = { "registration_certificate",
		N_("VAT registration certificate"), CPS_VAT_YES },
	[CPS_DOC_VAT_INVOICE] = { "vat_invoice",
		N_("Invoice showing the VAT number"), CPS_VAT_YES },
	[CPS_DOC_BUSINESS_INVOICE] = { "business_invoice",
		N_("Business invoice"), CPS_VAT_NO },
	[CPS_DOC_TRADE_LICENCE] = { "trade_licence",
		N_("Business or trade licence"), CPS_VAT_NO },
	[CPS_DOC_INCORPORATION_EXTRACT] = { "incorporation_extract",
		N_("Extract of the incorporation document"), CPS_VAT_NO },
};

const char *cps_app_field_label(enum cps_app_field field)
{
	if ((unsigned)field >= CPS_FIELD_COUNT)
		return "";
	return _(field_labels[field]);
}

const char *cps_app_status_id(enum cps_app_status status)
{
	if ((unsigned)status > CPS_APP_REJECTED)
		return "draft";
	return status_ids[status];
}

const char *cps_app_status_label(enum cps_app_status status)
{
	switch (status) {
	case CPS_APP_DRAFT:
		return _("Draft: not submitted yet");
	case CPS_APP_PENDING:
		return _("Submitted: waiting for validation");
	case CPS_APP_VALIDATED:
		return _("Validated");
	case CPS_APP_REJECTED:
		return _("Not accepted: please correct it and submit it again");
	}
	return "";
}

const char *cps_doc_type_id(enum cps_doc_type type)
{
	if ((unsigned)type >= CPS_DOC_COUNT)
		return "";
	return doc_types[type].id;
}

const char *cps_doc_type_label(enum cps_doc_type type)
{
	if (type <= CPS_DOC_NONE || type >= CPS_DOC_COUNT)
		return "";
	return _(doc_types[type].label);
}

enum cps_doc_type cps_doc_type_parse(const char *id)
{
	for (int i = CPS_DOC_NONE + 1; id && i < CPS_DOC_COUNT; i++)
		if (strcasecmp(id, doc_types[i].id) == 0)
			return (enum cps_doc_type)i;
	return CPS_DOC_NONE;
}

int cps_doc_type_fits(enum cps_doc_type type, int vat_registered)
{
	if (type <= CPS_DOC_NONE || type >= CPS_DOC_COUNT)
		return 0;
	if (vat_registered != CPS_VAT_YES && vat_registered != CPS_VAT_NO)
		return 0;
	return doc_types[type].vat == vat_registered;
}

/* --- text --------------------------------------------------------------- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

/* Checks a free-text value: trims white space at both ends; then it must
 * be valid UTF-8 without control characters and at most maxchars
 * characters.  empty_msg: the message for an empty value (NULL: empty is
 * fine).  out (may be NULL) gets the trimmed text. */
static enum cps_err check_text_body(const char *b, size_t n, size_t maxchars,
				    char *out, size_t outlen, struct cps_error *err);

static enum cps_err check_text(const char *value, size_t maxchars,
			       const char *empty_msg, char *out, size_t outlen,
			       struct cps_error *err)
{
	const char *b = value ? value : "";
	const char *end;
	size_t n;

	if (out && outlen)
		out[0] = '\0';
	while (is_space(*b))
		b++;
	end = b + strlen(b);
	while (end > b && is_space(end[-1]))
		end--;
	n = (size_t)(end - b);
	if (n == 0) {
		if (empty_msg)
			return cps_error_set(err, CPS_ERR_INVALID, "%s", empty_msg);
		return CPS_OK;
	}
	/* stored composed (README, rules 2.1): "e" and a combining acute is
	 * the one letter "é", as typed on another keyboard */
	char *nfc = n <= (SIZE_MAX - 1) / 3 ? malloc(CPS_TEXT_NFC_SIZE(n)) : NULL;
	if (!nfc)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("Out of memory."));
	n = cps_text_nfc(b, n, nfc);
	b = nfc;
	enum cps_err rc = check_text_body(b, n, maxchars, out, outlen, err);
	free(nfc);
	return rc;
}

/* The checks of check_text on the n bytes at b (trimmed, composed). */
static enum cps_err check_text_body(const char *b, size_t n, size_t maxchars,
				    char *out, size_t outlen, struct cps_error *err)
{
	size_t chars = 0;

	uint32_t bad = 0;

	/* the engine's one policy: C0, DEL, C1 and the bidi controls that can
	 * make a name display as something else are refused, never stored */
	if (cps_text_find_control(b, n, &bad) < n) {
		if (bad == 0xfffd && !cps_utf8_valid(b, n))
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
					     _("This contains characters that are not valid text; please type it again."));
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("This contains an invisible control character (U+%04X); please type it again."),
				     (unsigned)bad);
	}
	for (size_t i = 0; i < n; ) {
		size_t k = cps_utf8_decode(b + i, n - i, NULL);
		i += k;
		chars++;
	}
	if (chars > maxchars)
		return cps_error_set(err, CPS_ERR_INVALID,
				     dngettext(CPS_TEXTDOMAIN,
					       "This is too long: at most %d character is possible.",
					       "This is too long: at most %d characters are possible.",
					       (unsigned long)maxchars),
				     (int)maxchars);
	if (out) {
		if (n >= outlen)
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
					     _("Internal error: no room for the value."));
		memcpy(out, b, n);
		out[n] = '\0';
	}
	return CPS_OK;
}

/* Copies src into out (len bytes) or fails when it does not fit. */
static enum cps_err put_norm(const char *src, char *out, size_t len,
			     struct cps_error *err)
{
	if (!out)
		return CPS_OK;
	if (strlen(src) >= len) {
		if (len)
			out[0] = '\0';
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Internal error: no room for the value."));
	}
	memcpy(out, src, strlen(src) + 1);
	return CPS_OK;
}

/* A yes/no answer as the UI passes it: 1, 0, or -1 for anything else. */
static int parse_yes_no(const char *v)
{
	char t[8];

	if (check_text(v, 5, NULL, t, sizeof(t), NULL) != CPS_OK)
		return -1;
	if (!strcasecmp(t, "yes") || !strcmp(t, "1") || !strcasecmp(t, "true"))
		return 1;
	if (!strcasecmp(t, "no") || !strcmp(t, "0") || !strcasecmp(t, "false"))
		return 0;
	return -1;
}

/* The country prefix of VAT numbers (Greece uses EL). */
static void vat_prefix(const char *country, char out[3])
{
	out[0] = (char)(country[0] & ~0x20);
	out[1] = country[0] ? (char)(country[1] & ~0x20) : '\0';
	out[2] = '\0';
	if (!strcmp(out, "GR"))
		memcpy(out, "EL", 3);
}


/* A number as staff accept it: letters and digits in upper case with the
 * country's VAT prefix, separators dropped.  0 when it has other
 * characters, no digit, or does not fit. */
static int vat_loose(const char *country, const char *in, char *out, size_t len)
{
	char body[64], pfx[3];
	size_t n = 0;
	int digits = 0;

	for (const char *p = in ? in : ""; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '.' || c == '-' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return 0;
		if (c >= '0' && c <= '9')
			digits++;
		if (n + 1 >= sizeof(body))
			return 0;
		body[n++] = c;
	}
	body[n] = '\0';
	if (!digits || !country || strlen(country) != 2)
		return 0;
	vat_prefix(country, pfx);
	/* the prefixes cps_ident_check keeps: CHE for Switzerland's UID, XI
	 * for Northern Ireland */
	if (!strcmp(pfx, "CH") && strncmp(body, "CHE", 3) != 0)
		n = (size_t)snprintf(out, len, "CHE%s", strncmp(body, "CH", 2) ? body : body + 2);
	else if (!strcmp(pfx, "GB") && strncmp(body, "XI", 2) == 0)
		n = (size_t)snprintf(out, len, "%s", body);
	else if (strncmp(body, pfx, 2) == 0)
		n = (size_t)snprintf(out, len, "%s", body);
	else
		n = (size_t)snprintf(out, len, "%s%s", pfx, body);
	return n < len;
}

/* The form an accepted number is stored and compared in: the normal form
 * of cps_ident_check when the number's format is right (only its check
 * digit fails), else vat_loose.  0 when neither can read it. */
static int override_form(const char *country, const char *in, char *out, size_t len)
{
	if (cps_ident_format(country, in, out, len, NULL) == CPS_OK)
		return 1;
	return vat_loose(country, in, out, len);
}

/* --- the fields ------------------------------------------------------- */

static const char *field_value(const struct cps_application *a,
			       enum cps_app_field f)
{
	switch (f) {
	case CPS_FIELD_COMPANY: return a->company;
	case CPS_FIELD_COUNTRY: return a->country;
	case CPS_FIELD_STREET: return a->street;
	case CPS_FIELD_POSTCODE: return a->postcode;
	case CPS_FIELD_CITY: return a->city;
	case CPS_FIELD_FIRST_NAME: return a->first_name;
	case CPS_FIELD_LAST_NAME: return a->last_name;
	case CPS_FIELD_EMAIL: return a->email;
	case CPS_FIELD_PHONE: return a->phone;
	case CPS_FIELD_LANGUAGE: return a->language;
	case CPS_FIELD_VAT_NUMBER: return a->vat_number;
	case CPS_FIELD_OLD_EMAIL: return a->old_email;
	case CPS_FIELD_DOCUMENT: return cps_doc_type_id(a->doc.type);
	case CPS_FIELD_VAT_REGISTERED:
		return a->vat_registered == CPS_VAT_YES ? "yes"
			: a->vat_registered == CPS_VAT_NO ? "no" : "";
	case CPS_FIELD_AUTHORISED: return a->authorised ? "yes" : "";
	case CPS_FIELD_COUNT: break;
	}
	return "";
}

char *cps_app_field_text(struct cps_application *a, enum cps_app_field f, size_t *size)
{
#define B(m) do { *size = sizeof(a->m); return a->m; } while (0)
	switch (f) {
	case CPS_FIELD_COMPANY: B(company);
	case CPS_FIELD_COUNTRY: B(country);
	case CPS_FIELD_STREET: B(street);
	case CPS_FIELD_POSTCODE: B(postcode);
	case CPS_FIELD_CITY: B(city);
	case CPS_FIELD_FIRST_NAME: B(first_name);
	case CPS_FIELD_LAST_NAME: B(last_name);
	case CPS_FIELD_EMAIL: B(email);
	case CPS_FIELD_PHONE: B(phone);
	case CPS_FIELD_LANGUAGE: B(language);
	case CPS_FIELD_VAT_NUMBER: B(vat_number);
	case CPS_FIELD_OLD_EMAIL: B(old_email);
	default: break;
	}
#undef B
	*size = 0;
	return NULL;
}

/* The writable buffer of a text field the customer types (NULL for the
 * others: language, yes/no answers, the document). */
static char *typed_field(struct cps_application *a, enum cps_app_field f, size_t *size)
{
	if (f == CPS_FIELD_LANGUAGE) {
		*size = 0;
		return NULL;
	}
	return cps_app_field_text(a, f, size);
}

/* The fields of a that hold a value, as a mask of 1 << field: a value
 * saved there replaces what was kept as typed. */
static unsigned filled_mask(struct cps_application *a)
{
	unsigned m = 0;

	for (int f = 0; f < CPS_FIELD_COUNT; f++) {
		size_t size;
		const char *v = typed_field(a, (enum cps_app_field)f, &size);
		if (v && v[0])
			m |= 1u << f;
	}
	return m;
}

static enum cps_err doc_fit_error(int vat, const char *country,
				  enum cps_doc_type type, struct cps_error *err)
{
	if (vat == CPS_VAT_YES)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("\"%s\" does not fit a VAT-registered company. Please attach the VAT registration certificate, or an invoice on which the %s and the company name are clearly visible."),
				     cps_doc_type_label(type), cps_ident_name(country));
	if (vat == CPS_VAT_NO)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("\"%s\" does not fit a company that is not registered for VAT. Please attach one of: a business invoice, a business or trade licence, or an extract of the incorporation document, showing the company's name and address."),
				     cps_doc_type_label(type));
	return cps_error_set(err, CPS_ERR_INVALID, "%s",
			     _("Please say first whether the company is registered for VAT: which proof documents fit depends on it."));
}

static enum cps_err check_country(struct cps_engine *e, const char *value,
				  char *norm, size_t normlen,
				  struct cps_error *err)
{
	char code[8];
	enum cps_err rc = check_text(value, 2 + 4, _(field_empty[CPS_FIELD_COUNTRY]),
				     code, sizeof(code), err);
	const struct cps_country *c;

	if (rc != CPS_OK)
		return rc;
	c = strlen(code) == 2 ? cps_country_find(e, code) : NULL;
	if (!c)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("\"%s\" is not a country this program knows; please choose the country from the list."),
				     code);
	if (!c->cps) {
		/* the list comes from countries.csv, like the rule itself */
		char served[600];
		size_t o = 0;

		served[0] = '\0';
		for (size_t i = 0; i < cps_country_count(e) && o < sizeof(served); i++) {
			const struct cps_country *k = cps_country_at(e, i);
			if (k->cps)
				o += (size_t)snprintf(served + o, sizeof(served) - o, "%s%s",
						      o ? ", " : "", cps_country_name(k));
		}
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("CPS Europe does not take business accounts in %s, so the application cannot go on. It takes them in: %s. Please contact your local Canon office."),
				     cps_country_name(c), served);
	}
	return put_norm(c->code, norm, normlen, err);
}

static enum cps_err check_vat_number(const struct cps_application *ctx,
				     const char *value, char *norm,
				     size_t normlen, struct cps_error *err)
{
	const char *country = ctx ? ctx->country : "";
	char loose[CPS_IDENT_MAX], v[64];
	struct cps_error e1 = { 0 };
	enum cps_err rc;

	rc = check_text(value, 40, NULL, v, sizeof(v), err);
	if (rc != CPS_OK)
		return rc;
	if (!*v) {
		if (ctx && ctx->vat_registered != CPS_VAT_YES)
			return put_norm("", norm, normlen, err);
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("Please enter the company's %s: it is required for a VAT-registered company."),
				     cps_ident_name(country));
	}
	if (!country[0])
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please choose the country first: the number is checked against it."));
	/* staff accepted exactly this number for this application */
	if (ctx && ctx->id_override_by[0] && ctx->vat_number[0] &&
	    override_form(country, v, loose, sizeof(loose)) &&
	    strcmp(loose, ctx->vat_number) == 0)
		return put_norm(ctx->vat_number, norm, normlen, err);
	rc = cps_ident_check(country, v, loose, sizeof(loose), &e1);
	if (rc != CPS_OK) {
		if (norm && normlen)
			norm[0] = '\0';
		return cps_error_set(err, rc, _("%s If you are sure the number is right, staff can accept it."),
				     e1.msg);
	}
	return put_norm(loose, norm, normlen, err);
}

/* By the format of the application's country (postcode.h): "12345" in
 * Sweden is stored "123 45"; without a country, only its characters. */
static enum cps_err check_postcode(struct cps_engine *e, const char *country,
				   const char *value, char *norm, size_t normlen,
				   struct cps_error *err)
{
	char v[CPS_APP_POSTCODE_SIZE], pc[CPS_POSTCODE_MAX];
	enum cps_err rc = check_text(value, CPS_APP_POSTCODE_CHARS,
				     _(field_empty[CPS_FIELD_POSTCODE]), v, sizeof(v), err);
	const struct cps_country *c = country && country[0] ? cps_country_find(e, country) : NULL;

	if (rc != CPS_OK)
		return rc;
	rc = cps_postcode_check(country, c ? cps_country_name(c) : NULL, v, pc, sizeof(pc), err);
	if (rc != CPS_OK)
		return rc;
	return put_norm(pc, norm, normlen, err);
}

static enum cps_err check_language(const char *value, char *norm, size_t normlen,
				   struct cps_error *err)
{
	static const char *const langs[] = { "en", "nb", "da" };
	char v[8];
	enum cps_err rc = check_text(value, 5, _(field_empty[CPS_FIELD_LANGUAGE]),
				     v, sizeof(v), err);

	if (rc != CPS_OK)
		return rc;
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (strcasecmp(v, langs[i]) == 0)
			return put_norm(langs[i], norm, normlen, err);
	return cps_error_set(err, CPS_ERR_INVALID, "%s",
			     _("E-mails can be in English (en), Norsk bokmål (nb) or Dansk (da); please choose one of them."));
}

static enum cps_err check_email(const char *value, int required, char *norm,
				size_t normlen, struct cps_error *err)
{
	char v[CPS_EMAIL_MAX];
	const char *p = value ? value : "";

	while (is_space(*p))
		p++;
	if (!*p) {
		if (required)
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
					     _(field_empty[CPS_FIELD_EMAIL]));
		return put_norm("", norm, normlen, err);
	}
	enum cps_err rc = cps_ident_email(value, v, sizeof(v), err);
	if (rc != CPS_OK)
		return rc;
	return put_norm(v, norm, normlen, err);
}

enum cps_err cps_application_check_field(struct cps_engine *e,
					 const struct cps_application *app,
					 enum cps_app_field field,
					 const char *value, char *norm,
					 size_t normlen, struct cps_error *err)
{
	char buf[CPS_APP_NAME_SIZE];
	enum cps_err rc;
	int yn;

	if (norm && normlen)
		norm[0] = '\0';
	switch (field) {
	case CPS_FIELD_COMPANY:
	case CPS_FIELD_STREET:
		rc = check_text(value, CPS_APP_NAME_CHARS, _(field_empty[field]),
				buf, sizeof(buf), err);
		return rc != CPS_OK ? rc : put_norm(buf, norm, normlen, err);
	case CPS_FIELD_CITY:
	case CPS_FIELD_FIRST_NAME:
	case CPS_FIELD_LAST_NAME:
		rc = check_text(value, CPS_APP_SHORT_CHARS, _(field_empty[field]),
				buf, sizeof(buf), err);
		return rc != CPS_OK ? rc : put_norm(buf, norm, normlen, err);
	case CPS_FIELD_COUNTRY:
		return check_country(e, value, norm, normlen, err);
	case CPS_FIELD_POSTCODE:
		return check_postcode(e, app ? app->country : NULL, value, norm, normlen, err);
	case CPS_FIELD_EMAIL:
		return check_email(value, 1, norm, normlen, err);
	case CPS_FIELD_OLD_EMAIL:
		return check_email(value, 0, norm, normlen, err);
	case CPS_FIELD_PHONE: {
		char ph[CPS_PHONE_MAX];
		rc = cps_ident_phone(value ? value : "", ph, sizeof(ph), err);
		return rc != CPS_OK ? rc : put_norm(ph, norm, normlen, err);
	}
	case CPS_FIELD_LANGUAGE:
		return check_language(value, norm, normlen, err);
	case CPS_FIELD_VAT_REGISTERED:
		yn = parse_yes_no(value);
		if (yn < 0)
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
					     _(field_empty[field]));
		return put_norm(yn ? "yes" : "no", norm, normlen, err);
	case CPS_FIELD_VAT_NUMBER:
		return check_vat_number(app, value, norm, normlen, err);
	case CPS_FIELD_DOCUMENT: {
		enum cps_doc_type t = cps_doc_type_parse(value);
		if (t == CPS_DOC_NONE)
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
					     _(field_empty[field]));
		if (!cps_doc_type_fits(t, app ? app->vat_registered : CPS_VAT_UNANSWERED))
			return doc_fit_error(app ? app->vat_registered : CPS_VAT_UNANSWERED,
					     app ? app->country : "", t, err);
		return put_norm(cps_doc_type_id(t), norm, normlen, err);
	}
	case CPS_FIELD_AUTHORISED:
		if (parse_yes_no(value) != 1)
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
					     _(field_empty[field]));
		return put_norm("yes", norm, normlen, err);
	case CPS_FIELD_COUNT:
		break;
	}
	return cps_error_set(err, CPS_ERR_INVALID, "%s", _("Internal error: no such field."));
}

/* Builds out from the customer's fields of in, each filled-in field
 * checked and normalised; stored (NULL for a new draft) gives the staff
 * override.  *keep_override says whether that override still applies.
 * The message of a refusal starts with the field's label. */
static enum cps_err normalise_fields(struct cps_engine *e,
				     const struct cps_application *in,
				     const struct cps_application *stored,
				     struct cps_application *out,
				     int *keep_override, struct cps_error *err)
{
	static const struct {
		enum cps_app_field f;
		size_t off;
		size_t size;
	} text[] = {
#define F(field, member) { field, offsetof(struct cps_application, member), \
			   sizeof(((struct cps_application *)0)->member) }
		F(CPS_FIELD_COUNTRY, country), /* first: the VAT number needs it */
		F(CPS_FIELD_COMPANY, company),
		F(CPS_FIELD_STREET, street),
		F(CPS_FIELD_POSTCODE, postcode),
		F(CPS_FIELD_CITY, city),
		F(CPS_FIELD_FIRST_NAME, first_name),
		F(CPS_FIELD_LAST_NAME, last_name),
		F(CPS_FIELD_EMAIL, email),
		F(CPS_FIELD_PHONE, phone),
		F(CPS_FIELD_LANGUAGE, language),
		F(CPS_FIELD_VAT_NUMBER, vat_number),
		F(CPS_FIELD_OLD_EMAIL, old_email),
#undef F
	};
	struct cps_application ctx;
	enum cps_err rc;

	memset(out, 0, sizeof(*out));
	out->id = in->id;
	if (in->vat_registered != CPS_VAT_UNANSWERED && in->vat_registered != CPS_VAT_NO &&
	    in->vat_registered != CPS_VAT_YES) {
		rc = cps_error_set(err, CPS_ERR_INVALID, "%s", _(field_empty[CPS_FIELD_VAT_REGISTERED]));
		cps_error_prefix(err, "%s", cps_app_field_label(CPS_FIELD_VAT_REGISTERED));
		return rc;
	}
	out->vat_registered = in->vat_registered;
	out->authorised = in->authorised ? 1 : 0;
	for (const char *p = in->wizard_step; *p; p++)
		if (*p < 0x20 || *p > 0x7E || (size_t)(p - in->wizard_step) >= sizeof(out->wizard_step) - 1)
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
					     _("Internal error: the wizard step must be short printable ASCII text."));
	memcpy(out->wizard_step, in->wizard_step, sizeof(out->wizard_step));
	out->wizard_step[sizeof(out->wizard_step) - 1] = '\0';

	memset(&ctx, 0, sizeof(ctx));
	ctx.vat_registered = in->vat_registered;
	if (stored) {
		memcpy(ctx.id_override_by, stored->id_override_by, sizeof(ctx.id_override_by));
		memcpy(ctx.vat_number, stored->vat_number, sizeof(ctx.vat_number));
	}
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		const char *v = (const char *)in + text[i].off;
		char *o = (char *)out + text[i].off;
		const char *p = v;

		/* a field left empty is fine in a draft */
		while (is_space(*p))
			p++;
		if (!*p)
			continue;
		rc = cps_application_check_field(e, &ctx, text[i].f, v, o, text[i].size, err);
		if (rc != CPS_OK) {
			cps_error_prefix(err, "%s", cps_app_field_label(text[i].f));
			return rc;
		}
		if (text[i].f == CPS_FIELD_COUNTRY)
			memcpy(ctx.country, out->country, sizeof(ctx.country));
	}
	*keep_override = stored && stored->id_override_by[0] &&
			 strcmp(stored->vat_number, out->vat_number) == 0;
	return CPS_OK;
}

/* --- loading and saving --------------------------------------------------- */

static enum cps_err load_app(struct cps_engine *e, long long id,
			     struct cps_application *app, struct cps_error *err)
{
	enum cps_err rc = cps_store_account_load(e->store, id, app, err);

	if (rc == CPS_ERR_NOT_FOUND)
		return cps_error_set(err, rc, _("There is no application number %lld."), id);
	return rc;
}

static enum cps_err fail(struct cps_engine *e, enum cps_err rc)
{
	cps_store_rollback(e->store);
	return rc;
}

static enum cps_err email_free(struct cps_engine *e, const char *email,
			       long long except_id, struct cps_error *err)
{
	int taken = 0;
	enum cps_err rc;

	if (!*email)
		return CPS_OK;
	rc = cps_store_account_email_taken(e->store, email, except_id, &taken, err);
	if (rc != CPS_OK)
		return rc;
	if (taken) {
		rc = cps_error_set(err, CPS_ERR_EXISTS, "%s",
				   _("An application with this e-mail address exists already. To go on with it, use its resume code; once it is validated, log in with the e-mail address and password."));
		cps_error_prefix(err, "%s", cps_app_field_label(CPS_FIELD_EMAIL));
	}
	return rc;
}

enum cps_err cps_application_new_draft(struct cps_engine *e,
				       struct cps_application *app,
				       char *code_out, size_t len,
				       struct cps_error *err)
{
	struct cps_application n;
	char code[CPS_RESUME_CODE_SIZE], norm[CPS_RESUME_CODE_SIZE];
	char hash[CPS_SHA256_HEX_SIZE];
	long long id = 0;
	int keep = 0;
	enum cps_err rc;

	if (code_out && len)
		code_out[0] = '\0';
	if (!app)
		return cps_error_set(err, CPS_ERR_INVALID, "%s", _("Internal error: no application given."));
	if (!code_out || len < CPS_RESUME_CODE_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Internal error: no room for the resume code."));
	rc = normalise_fields(e, app, NULL, &n, &keep, err);
	if (rc != CPS_OK)
		return rc;
	/* the preferred language starts as the screen's: the customer reads
	 * it, and may change it */
	if (!n.language[0])
		snprintf(n.language, sizeof(n.language), "%s", cps_lang_code(cps_lang_current()));
	rc = cps_resume_code_new(code, sizeof(code), err);
	if (rc == CPS_OK)
		rc = cps_resume_code_normalise(code, norm, sizeof(norm), err);
	if (rc == CPS_OK)
		rc = cps_secret_digest(norm, hash);
	if (rc != CPS_OK)
		return rc;

	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = email_free(e, n.email, 0, err);
	if (rc == CPS_OK)
		rc = cps_store_account_insert(e->store, &n, hash, cps_engine_now(e), &id, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	rc = cps_store_commit(e->store, err);
	if (rc != CPS_OK)
		return rc;
	memcpy(code_out, code, sizeof(code));
	return load_app(e, id, app, err);
}

static enum cps_err may_change(const struct cps_application *a,
			       struct cps_error *err)
{
	if (a->status == CPS_APP_PENDING)
		return cps_error_set(err, CPS_ERR_STATE,
				     _("The application was submitted and waits for validation (the answer is expected by %s); it cannot be changed now."),
				     a->expected_by);
	if (a->status == CPS_APP_VALIDATED)
		return cps_error_set(err, CPS_ERR_STATE, "%s",
				     _("The account has been validated; the application cannot be changed any more."));
	return CPS_OK;
}

enum cps_err cps_application_save_draft(struct cps_engine *e,
					struct cps_application *app,
					struct cps_error *err)
{
	struct cps_application stored, n;
	int keep = 0;
	enum cps_err rc;

	if (!app || app->id <= 0)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Internal error: the application has not been saved for the first time yet."));
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = load_app(e, app->id, &stored, err);
	if (rc == CPS_OK)
		rc = may_change(&stored, err);
	if (rc == CPS_OK && app->version && app->version != stored.version)
		rc = cps_error_set(err, CPS_ERR_CONFLICT, "%s",
				   _("This application was changed in another session meanwhile."));
	if (rc == CPS_OK)
		rc = normalise_fields(e, app, &stored, &n, &keep, err);
	if (rc == CPS_OK)
		rc = email_free(e, n.email, n.id, err);
	if (rc == CPS_OK)
		rc = cps_store_account_update_fields(e->store, &n, keep, cps_engine_now(e), err);
	if (rc == CPS_OK)   /* a value accepted now replaces the one kept as typed */
		rc = cps_store_typed_clear(e->store, n.id, filled_mask(&n), err);
	if (rc != CPS_OK)
		return fail(e, rc);
	rc = cps_store_commit(e->store, err);
	if (rc != CPS_OK)
		return rc;
	return load_app(e, n.id, app, err);
}

enum cps_err cps_application_keep_typed(struct cps_engine *e, long long id,
					enum cps_app_field field,
					const char *text,
					struct cps_error *err)
{
	struct cps_application stored;
	char nfc[CPS_TEXT_NFC_SIZE(CPS_APP_TYPED_SIZE)];
	size_t size;
	enum cps_err rc;

	if (!typed_field(&stored, field, &size))
		return cps_error_set(err, CPS_ERR_INVALID, "%s", _("Internal error: no such field."));
	/* kept as typed, in NFC as every stored text (README, rules 2.1):
	 * the same text, and bytes that are not UTF-8 stay as they are */
	if (text && (strlen(text) >= CPS_APP_TYPED_SIZE ||
		     cps_text_nfc(text, strlen(text), nfc) >= CPS_APP_TYPED_SIZE))
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("This is too long to keep: at most %d bytes."),
				     CPS_APP_TYPED_SIZE - 1);
	if (text)
		text = nfc;
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = load_app(e, id, &stored, err);
	if (rc == CPS_OK)
		rc = may_change(&stored, err);
	if (rc == CPS_OK) {
		/* the field's older value must not stand in for what was typed */
		typed_field(&stored, field, &size)[0] = '\0';
		rc = cps_store_account_update_fields(e->store, &stored,
						     field != CPS_FIELD_VAT_NUMBER && stored.id_override_by[0],
						     cps_engine_now(e), err);
	}
	if (rc == CPS_OK)
		rc = cps_store_typed_put(e->store, id, (int)field, text ? text : "",
					 cps_engine_now(e), err);
	if (rc != CPS_OK)
		return fail(e, rc);
	return cps_store_commit(e->store, err);
}

enum cps_err cps_application_typed(struct cps_engine *e, long long id,
				   struct cps_app_typed *out,
				   struct cps_error *err)
{
	return cps_store_typed_get(e->store, id, out->text, CPS_FIELD_COUNT, err);
}

enum cps_err cps_application_set_step(struct cps_engine *e, long long id,
				      const char *step, struct cps_error *err)
{
	enum cps_err rc;
	size_t n = step ? strlen(step) : 0;

	if (n >= CPS_APP_STEP_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Internal error: the wizard step must be short printable ASCII text."));
	for (size_t i = 0; i < n; i++)
		if (step[i] < 0x20 || step[i] > 0x7E)
			return cps_error_set(err, CPS_ERR_INVALID, "%s",
					     _("Internal error: the wizard step must be short printable ASCII text."));
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_account_set_step(e->store, id, n ? step : "", cps_engine_now(e), err);
	if (rc == CPS_ERR_NOT_FOUND)
		rc = cps_error_set(err, rc, _("There is no application number %lld."), id);
	if (rc != CPS_OK)
		return fail(e, rc);
	return cps_store_commit(e->store, err);
}

/* rules.auto_approve_seconds (README, rules 3.1), a demo setting: with no
 * remote, an application pending longer than that is approved the next
 * time it is read -- by the wizard's pages or "cpsreg status" -- outside a
 * transaction (a reader inside one takes it as it is). */
static enum cps_err auto_approve(struct cps_engine *e,
				 struct cps_application *a,
				 struct cps_error *err)
{
	const struct cps_config *c = e->cfg;
	enum cps_err rc;

	if (c->auto_approve_seconds <= 0 || a->status != CPS_APP_PENDING ||
	    (c->remote_url && *c->remote_url) || cps_store_in_transaction(e->store) ||
	    cps_engine_now(e) - a->submitted_at < c->auto_approve_seconds)
		return CPS_OK;
	rc = cps_application_approve(e, a->id, AUTO_APPROVER, NULL, 0, err);
	if (rc != CPS_OK)
		return rc;
	return load_app(e, a->id, a, err);
}

enum cps_err cps_application_load(struct cps_engine *e, long long id,
				  struct cps_application *app,
				  struct cps_error *err)
{
	enum cps_err rc = load_app(e, id, app, err);

	return rc == CPS_OK ? auto_approve(e, app, err) : rc;
}

enum cps_err cps_application_find_by_email(struct cps_engine *e,
					   const char *email,
					   struct cps_application *app,
					   struct cps_error *err)
{
	char norm[CPS_EMAIL_MAX];
	enum cps_err rc = check_email(email, 1, norm, sizeof(norm), err);

	if (rc != CPS_OK)
		return rc;
	rc = cps_store_account_find_email(e->store, norm, app, err);
	if (rc == CPS_ERR_NOT_FOUND)
		return cps_error_set(err, rc, _("There is no application with the e-mail address %s."), norm);
	return rc == CPS_OK ? auto_approve(e, app, err) : rc;
}

enum cps_err cps_application_resume(struct cps_engine *e, const char *code,
				    struct cps_application *app,
				    struct cps_error *err)
{
	char norm[CPS_RESUME_CODE_SIZE], hash[CPS_SHA256_HEX_SIZE];
	char code_key[CPS_LIMIT_CODE_KEY_SIZE];
	struct cps_application a;
	struct cps_error e1 = { 0 };
	enum cps_err rc = cps_resume_code_normalise(code, norm, sizeof(norm), err);

	if (rc != CPS_OK)
		return rc;
	/* wrong codes in a row at this terminal, or of this code, wait */
	cps_limit_code_key(norm, code_key);
	rc = cps_limit_check(e, code_key, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_secret_digest(norm, hash);
	if (rc != CPS_OK)
		return cps_error_set(err, rc, "%s", _("Internal error: the resume code could not be checked."));
	rc = cps_store_account_find_resume(e->store, hash, &a, err);
	if (rc == CPS_ERR_NOT_FOUND) {
		rc = cps_limit_failed(e, code_key, &e1);
		if (rc != CPS_OK)
			return cps_error_set(err, rc, "%s", e1.msg);
		return cps_error_set(err, CPS_ERR_AUTH, "%s",
				     _("This resume code does not belong to any application. Please check the code you noted when the application was saved and type it again; if it is lost, ask staff for help."));
	}
	if (rc != CPS_OK)
		return rc;
	rc = cps_limit_succeeded(e, code_key, err);
	if (rc != CPS_OK)
		return rc;
	if (a.status == CPS_APP_VALIDATED)
		return cps_error_set(err, CPS_ERR_STATE, "%s",
				     _("Your account has been validated, so the resume code is no longer used: log in with your e-mail address and password instead. If you have not set a password yet, choose \"Set my password\" with the code you were given (by e-mail, or from staff)."));
	*app = a;
	return CPS_OK;
}

/* --- validation and submission ------------------------------------------- */

static void add_problem(struct cps_app_problems *p, enum cps_app_field f,
			const char *msg)
{
	if (p->n >= CPS_FIELD_COUNT)
		return;
	p->v[p->n].field = f;
	snprintf(p->v[p->n].msg, sizeof(p->v[p->n].msg), "%s", msg);
	p->n++;
}

enum cps_err cps_application_validate(struct cps_engine *e,
				      const struct cps_application *app,
				      struct cps_app_problems *problems,
				      struct cps_error *err)
{
	struct cps_app_problems local;
	struct cps_app_problems *p = problems ? problems : &local;
	struct cps_error e1;

	memset(p, 0, sizeof(*p));
	if (!app)
		return cps_error_set(err, CPS_ERR_INVALID, "%s", _("Internal error: no application given."));
	struct cps_app_typed *typed = app->id > 0 ? calloc(1, sizeof(*typed)) : NULL;
	if (app->id > 0) {
		enum cps_err rc = typed ? cps_application_typed(e, app->id, typed, err)
				  : cps_error_set(err, CPS_ERR_NOMEM, "%s", _("Out of memory."));
		if (rc != CPS_OK) {
			free(typed);
			return rc;
		}
	}
	for (int i = 0; i < CPS_FIELD_COUNT; i++) {
		enum cps_app_field f = (enum cps_app_field)i;

		cps_error_clear(&e1);
		if (typed && typed->text[i][0] &&
		    (f != CPS_FIELD_VAT_NUMBER || app->vat_registered == CPS_VAT_YES)) {
			/* refused and kept as typed: the reason it was refused */
			if (cps_application_check_field(e, app, f, typed->text[i], NULL, 0, &e1) != CPS_OK)
				add_problem(p, f, e1.msg);
			else
				add_problem(p, f, _("This was not saved yet: go to the field and leave it again."));
			continue;
		}
		switch (f) {
		case CPS_FIELD_VAT_NUMBER:
			if (app->vat_registered != CPS_VAT_YES)
				continue;
			break;
		case CPS_FIELD_DOCUMENT:
			if (app->doc.type == CPS_DOC_NONE) {
				add_problem(p, f, _(field_empty[f]));
				continue;
			}
			/* an unanswered VAT question is its own problem */
			if (app->vat_registered == CPS_VAT_UNANSWERED)
				continue;
			break;
		default:
			break;
		}
		if (cps_application_check_field(e, app, f, field_value(app, f), NULL, 0, &e1) != CPS_OK)
			add_problem(p, f, e1.msg);
	}
	free(typed);
	if (p->n == 0)
		return CPS_OK;

	char msg[CPS_ERROR_MAX];
	size_t used = (size_t)snprintf(msg, sizeof(msg),
		dngettext(CPS_TEXTDOMAIN,
			  "The application is not complete: %d thing needs attention.",
			  "The application is not complete: %d things need attention.",
			  (unsigned long)p->n), (int)p->n);
	for (size_t i = 0; i < p->n && used < sizeof(msg) - 1; i++)
		used += (size_t)snprintf(msg + used, sizeof(msg) - used, " %s: %s",
					 cps_app_field_label(p->v[i].field), p->v[i].msg);
	return cps_error_set(err, CPS_ERR_INVALID, "%s", msg);
}

static void set_str(json_t *o, const char *key, const char *value, int *ok)
{
	cps_json_set(o, key, json_string(value ? value : ""), ok);
}

static json_t *application_payload(const struct cps_application *a, int again)
{
	json_t *o = json_object();

	int ok = 1;

	if (!o)
		return NULL;
	set_str(o, "company", a->company, &ok);
	set_str(o, "country", a->country, &ok);
	set_str(o, "street", a->street, &ok);
	set_str(o, "postcode", a->postcode, &ok);
	set_str(o, "city", a->city, &ok);
	set_str(o, "first_name", a->first_name, &ok);
	set_str(o, "last_name", a->last_name, &ok);
	set_str(o, "email", a->email, &ok);
	set_str(o, "phone", a->phone, &ok);
	set_str(o, "language", a->language, &ok);
	cps_json_set(o, "vat_registered", json_boolean(a->vat_registered == CPS_VAT_YES), &ok);
	if (a->vat_registered == CPS_VAT_YES) {
		set_str(o, "vat_number", a->vat_number, &ok);
		if (a->id_override_by[0]) {
			set_str(o, "id_override_by", a->id_override_by, &ok);
			cps_json_set(o, "id_override_at", json_integer((json_int_t)a->id_override_at), &ok);
		}
	}
	cps_json_set(o, "authorised", json_boolean(a->authorised), &ok);
	set_str(o, "old_email", a->old_email, &ok);
	cps_json_set(o, "submitted_at", json_integer((json_int_t)a->submitted_at), &ok);
	set_str(o, "expected_by", a->expected_by, &ok);
	cps_json_set(o, "resubmission", json_boolean(again), &ok);
	return cps_json_done(o, ok);
}

static json_t *document_payload(const struct cps_application *a)
{
	json_t *o = json_object();

	int ok = 1;

	if (!o)
		return NULL;
	set_str(o, "type", cps_doc_type_id(a->doc.type), &ok);
	if (a->doc.seen_by[0]) {
		set_str(o, "seen_by", a->doc.seen_by, &ok);
	} else {
		set_str(o, "filename", a->doc.filename, &ok);
		set_str(o, "mime", a->doc.mime, &ok);
		cps_json_set(o, "size", json_integer((json_int_t)a->doc.size), &ok);
		set_str(o, "sha256", a->doc.sha256, &ok);
	}
	return cps_json_done(o, ok);
}

static enum cps_err outbox(struct cps_engine *e, const char *kind, long long id,
			   json_t *payload, struct cps_error *err)
{
	if (!payload)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	return cps_outbox_add(e, kind, id, payload, err);
}

enum cps_err cps_application_submit(struct cps_engine *e, long long id,
				    struct cps_error *err)
{
	struct cps_application a;
	struct cps_ymd today, by;
	char by_text[CPS_YMD_SIZE];
	time_t now = cps_engine_now(e);
	int again;
	enum cps_err rc = cps_store_begin(e->store, err);

	if (rc != CPS_OK)
		return rc;
	rc = load_app(e, id, &a, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	if (a.status == CPS_APP_PENDING)
		return fail(e, cps_error_set(err, CPS_ERR_STATE,
			_("The application has been submitted already; the answer is expected by %s."),
			a.expected_by));
	if (a.status == CPS_APP_VALIDATED)
		return fail(e, cps_error_set(err, CPS_ERR_STATE, "%s",
			_("The account has been validated already; there is nothing to submit.")));
	again = a.status == CPS_APP_REJECTED;
	rc = cps_application_validate(e, &a, NULL, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	if (cps_ymd_from_time(now, &today) != CPS_OK ||
	    cps_workdays_add_ymd(today, e->cfg->validation_days, a.country,
				 e->holidays, &by) != CPS_OK)
		return fail(e, cps_error_set(err, CPS_ERR_INVALID, "%s",
			_("The expected answer date could not be computed; check the clock and rules.validation_days.")));
	cps_ymd_format(by, by_text);
	rc = cps_store_account_submit(e->store, id, now, by_text, err);
	if (rc == CPS_OK) {
		a.status = CPS_APP_PENDING;
		a.submitted_at = now;
		memcpy(a.expected_by, by_text, sizeof(a.expected_by));
		rc = outbox(e, "application", id, application_payload(&a, again), err);
	}
	if (rc == CPS_OK)
		rc = outbox(e, "document", id, document_payload(&a), err);
	if (rc != CPS_OK)
		return fail(e, rc);
	return cps_store_commit(e->store, err);
}

/* --- the proof document ------------------------------------------------- */

static enum cps_err doc_allowed(const struct cps_application *a,
				enum cps_doc_type type, struct cps_error *err)
{
	if (a->status == CPS_APP_PENDING)
		return cps_error_set(err, CPS_ERR_STATE, "%s",
				     _("The application was submitted; the proof document cannot be changed while it waits for validation."));
	if (a->status == CPS_APP_VALIDATED)
		return cps_error_set(err, CPS_ERR_STATE, "%s",
				     _("The account has been validated; the proof document cannot be changed any more."));
	if (type <= CPS_DOC_NONE || type >= CPS_DOC_COUNT)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please choose which kind of proof document it is."));
	if (!cps_doc_type_fits(type, a->vat_registered))
		return doc_fit_error(a->vat_registered, a->country, type, err);
	return CPS_OK;
}

/* The kind of file its name claims to be, or NULL. */
static const char *name_claims(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot)
		return NULL;
	if (!strcasecmp(dot, ".pdf"))
		return "PDF";
	if (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg"))
		return "JPEG";
	if (!strcasecmp(dot, ".png"))
		return "PNG";
	return NULL;
}

static const char *sniff_mime(const unsigned char *b, size_t n)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

	if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
		return "image/jpeg";
	if (n >= sizeof(png) && memcmp(b, png, sizeof(png)) == 0)
		return "image/png";
	return NULL;
}

/* The last part of path, made safe to show: valid UTF-8 without control
 * characters (others become '?'), cut at a character boundary. */
static void display_name(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	const unsigned char *p = (const unsigned char *)(slash ? slash + 1 : path);
	size_t o = 0;

	while (*p && o + 1 < len) {
		uint32_t cp;
		size_t k = cps_utf8_decode((const char *)p, CPS_UTF8_NUL_TERMINATED, &cp);
		if (k == 0 || cps_text_is_control(cp)) {
			out[o++] = '?';
			p += k ? k : 1;
			continue;
		}
		if (o + k >= len)
			break;
		memcpy(out + o, p, k);
		o += k;
		p += k;
	}
	out[o] = '\0';
}

/* Reads the whole file at path (at most max bytes) into *buf. */
static enum cps_err read_document(const char *path, long long max,
				  unsigned char **buf, size_t *len,
				  struct cps_error *err)
{
	struct stat st;
	unsigned char *b;
	size_t n = 0, want;
	int fd, en;

	*buf = NULL;
	*len = 0;
	if (!path || !*path)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please choose the file of the proof document."));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		en = errno;
		if (en == ENOENT || en == ENOTDIR)
			return cps_error_set(err, CPS_ERR_IO,
					     _("There is no file %s. Please check the name and the folder."), path);
		if (en == EACCES || en == EPERM)
			return cps_error_set(err, CPS_ERR_PERM,
					     _("The file %s may not be read (no permission). Please save a copy that can be read."), path);
		return cps_error_set(err, CPS_ERR_IO, _("The file %s cannot be opened: %s."),
				     path, strerror(en));
	}
	if (fstat(fd, &st) != 0) {
		en = errno;
		close(fd);
		return cps_error_set(err, CPS_ERR_IO, _("The file %s cannot be read: %s."),
				     path, strerror(en));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("%s is a folder, not a file. Please choose the document file itself."), path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("%s is not an ordinary file. Please choose the scanned or saved document."), path);
	}
	if (st.st_size == 0) {
		close(fd);
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("The file %s is empty. Please choose the scanned or saved document."), path);
	}
	if ((long long)st.st_size > max) {
		char mib[32];

		close(fd);
		cps_number_text((double)st.st_size / (1024.0 * 1024.0), 1, mib, sizeof(mib));
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("The file %s is too big (%s MiB); at most %lld MiB is accepted. Please scan at a lower resolution or save a smaller PDF."),
				     path, mib, max / (1024 * 1024));
	}
	/* one byte more than expected tells a file that grows while read */
	want = (size_t)st.st_size + 1;
	b = malloc(want);
	if (!b) {
		close(fd);
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	while (n < want) {
		ssize_t r = read(fd, b + n, want - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			en = errno;
			close(fd);
			free(b);
			return cps_error_set(err, CPS_ERR_IO, _("The file %s cannot be read: %s."),
					     path, strerror(en));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n == 0 || n == want || (long long)n > max) {
		free(b);
		return cps_error_set(err, CPS_ERR_IO,
				     _("The file %s changed while it was being read. Please try again once it is saved."), path);
	}
	*buf = b;
	*len = n;
	return CPS_OK;
}

enum cps_err cps_document_attach(struct cps_engine *e, long long account_id,
				 enum cps_doc_type type, const char *path,
				 struct cps_error *err)
{
	struct cps_application a;
	struct cps_store_document d = { 0 };
	char name[CPS_APP_FILENAME_SIZE], sha[CPS_SHA256_HEX_SIZE];
	unsigned char *buf;
	size_t len;
	const char *mime;
	long long max = (long long)(e->cfg->document_max_mib > 0 ? e->cfg->document_max_mib : 10)
			* 1024 * 1024;
	enum cps_err rc;

	/* cheap refusals first, before the file is read */
	rc = load_app(e, account_id, &a, err);
	if (rc == CPS_OK)
		rc = doc_allowed(&a, type, err);
	if (rc == CPS_OK)
		rc = read_document(path, max, &buf, &len, err);
	if (rc != CPS_OK)
		return rc;
	display_name(path, name, sizeof(name));
	mime = sniff_mime(buf, len);
	if (!mime) {
		const char *claim = name_claims(name);
		free(buf);
		if (claim)
			return cps_error_set(err, CPS_ERR_INVALID,
					     _("The file %s is named like a %s file, but its content is not a PDF, JPEG or PNG document. Please scan or save the document again as PDF, JPEG or PNG."),
					     path, claim);
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("The file %s is not a PDF, JPEG or PNG document (this is checked by its content, not its name). Please scan or save the document as PDF, JPEG or PNG."),
				     path);
	}
	rc = cps_sha256_buf(buf, len, sha, err);
	if (rc != CPS_OK) {
		free(buf);
		return rc;
	}
	d.type_id = cps_doc_type_id(type);
	d.filename = name;
	d.mime = mime;
	d.size = (long long)len;
	d.sha256 = sha;
	d.content = buf;
	d.content_len = len;

	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK) {
		free(buf);
		return rc;
	}
	rc = load_app(e, account_id, &a, err);
	if (rc == CPS_OK)
		rc = doc_allowed(&a, type, err);
	if (rc == CPS_OK)
		rc = cps_store_document_put(e->store, account_id, &d, cps_engine_now(e), err);
	if (rc == CPS_OK)
		rc = cps_store_commit(e->store, err);
	else
		cps_store_rollback(e->store);
	free(buf);
	return rc;
}

static enum cps_err check_staff(const char *staff, char *out, size_t len,
				struct cps_error *err)
{
	return check_text(staff, CPS_APP_SHORT_CHARS,
			  _("Please enter the name of the staff member."), out, len, err);
}

enum cps_err cps_document_seen_in_person(struct cps_engine *e,
					 long long account_id,
					 enum cps_doc_type type,
					 const char *staff_name,
					 struct cps_error *err)
{
	struct cps_application a;
	struct cps_store_document d = { 0 };
	char staff[CPS_APP_SHORT_SIZE];
	enum cps_err rc = check_staff(staff_name, staff, sizeof(staff), err);

	if (rc != CPS_OK)
		return rc;
	d.type_id = cps_doc_type_id(type);
	d.seen_by = staff;
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = load_app(e, account_id, &a, err);
	if (rc == CPS_OK)
		rc = doc_allowed(&a, type, err);
	if (rc == CPS_OK)
		rc = cps_store_document_put(e->store, account_id, &d, cps_engine_now(e), err);
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff, "seen_in_person", account_id, 0, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	return cps_store_commit(e->store, err);
}

/* --- staff decisions ------------------------------------------------------ */

enum cps_err cps_application_override_id(struct cps_engine *e, long long id,
					 const char *vat_number,
					 const char *staff_name,
					 struct cps_error *err)
{
	struct cps_application a;
	char staff[CPS_APP_SHORT_SIZE], number[CPS_IDENT_MAX];
	enum cps_err rc = check_staff(staff_name, staff, sizeof(staff), err);

	if (rc != CPS_OK)
		return rc;
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = load_app(e, id, &a, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	if (a.status == CPS_APP_VALIDATED)
		return fail(e, cps_error_set(err, CPS_ERR_STATE, "%s",
			_("The account has been validated; its VAT number cannot be changed here any more.")));
	if (!a.country[0])
		return fail(e, cps_error_set(err, CPS_ERR_INVALID, "%s",
			_("The application has no country yet; the country is needed to accept a VAT number.")));
	if (!override_form(a.country, vat_number, number, sizeof(number)))
		return fail(e, cps_error_set(err, CPS_ERR_INVALID, "%s",
			_("A VAT number to accept can contain only letters, digits, spaces, dots and dashes, with at least one digit, and at most 19 letters and digits.")));
	rc = cps_store_account_override(e->store, id, number, staff, cps_engine_now(e), err);
	if (rc == CPS_OK)
		rc = outbox(e, "decision", id,
			    json_pack("{s:s, s:s, s:s}", "decision", "id_override",
				      "vat_number", number, "by", staff), err);
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff, "accept_id", id, 0, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	return cps_store_commit(e->store, err);
}

/* Writes a new password code for the account and queues the message with
 * it, in the language the screen shows.  Inside a transaction. */
static enum cps_err compose_password_code(struct cps_engine *e,
				       const struct cps_application *a,
				       const char *purpose, char *token,
				       size_t token_len, struct cps_error *err)
{
	char hash[CPS_SHA256_HEX_SIZE], until[64], subject[256], body[2048];
	time_t now = cps_engine_now(e);
	time_t expires = now + (time_t)e->cfg->token_hours * 3600;
	int reset = strcmp(purpose, "reset") == 0;
	enum cps_err rc = cps_token_new(token, token_len, err);

	if (rc != CPS_OK)
		return rc;
	rc = cps_secret_digest(token, hash);
	if (rc != CPS_OK)
		return cps_error_set(err, rc, "%s", _("Internal error: the password code could not be made."));
	rc = cps_store_token_insert(e->store, a->id, hash, purpose, now, expires, err);
	if (rc != CPS_OK)
		return rc;
	cps_local_time_text(expires, CPS_TIME_MINUTE, until, sizeof(until));
	if (reset) {
		snprintf(subject, sizeof(subject), _("%s: your code to reset the password"), PROGRAMME);
		snprintf(body, sizeof(body),
			 _("Hello %s %s,\n\n"
			   "you asked to reset the password of your %s business account.\n\n"
			   "Your code: %s\n\n"
			   "The code can be used once and is valid until %s. In cpsreg, choose \"Set my password\", enter your e-mail address and this code, and choose a new password.\n\n"
			   "If you did not ask for this, ignore this message: your password stays as it is."),
			 a->first_name, a->last_name, PROGRAMME, token, until);
	} else {
		snprintf(subject, sizeof(subject), _("%s: your business account is validated"), PROGRAMME);
		snprintf(body, sizeof(body),
			 _("Hello %s %s,\n\n"
			   "your business account for %s has been validated.\n\n"
			   "Your code to set the password: %s\n\n"
			   "The code can be used once and is valid until %s. In cpsreg, choose \"Set my password\", enter your e-mail address and this code, and choose a password.\n\n"
			   "If the code has expired, ask staff for a new one."),
			 a->first_name, a->last_name, PROGRAMME, token, until);
	}
	return cps_message_queue_code(e, a->id, reset ? "password_reset" : "password_set",
				      a->email, subject, body, token, expires, err);
}

/* The same, written in the customer's preferred language whoever asks for
 * it (staff approve from a shell in another language). */
static enum cps_err send_password_code(struct cps_engine *e,
				       const struct cps_application *a,
				       const char *purpose, char *token,
				       size_t token_len, struct cps_error *err)
{
	struct cps_lang_saved ls;
	enum cps_err rc;

	cps_lang_push(a->language, &ls);
	rc = compose_password_code(e, a, purpose, token, token_len, err);
	cps_lang_pop(&ls);
	return rc;
}

static enum cps_err decision_state(const struct cps_application *a, int approve,
				   struct cps_error *err)
{
	char when[64];

	switch (a->status) {
	case CPS_APP_PENDING:
		return CPS_OK;
	case CPS_APP_DRAFT:
		return cps_error_set(err, CPS_ERR_STATE, "%s", approve
			? _("This application has not been submitted yet; only a submitted application can be approved.")
			: _("This application has not been submitted yet; only a submitted application can be rejected."));
	case CPS_APP_VALIDATED:
		cps_local_time_text(a->decided_at, CPS_TIME_MINUTE, when, sizeof(when));
		return cps_error_set(err, CPS_ERR_STATE, approve
			? _("This application was approved already (by %s, %s).")
			: _("This application was approved already (by %s, %s); a validated account cannot be rejected."),
			a->decided_by, when);
	case CPS_APP_REJECTED:
		cps_local_time_text(a->decided_at, CPS_TIME_MINUTE, when, sizeof(when));
		return cps_error_set(err, CPS_ERR_STATE, approve
			? _("This application was rejected (by %s, %s); it can be approved once the customer has corrected and submitted it again.")
			: _("This application was rejected already (by %s, %s)."),
			a->decided_by, when);
	}
	return cps_error_set(err, CPS_ERR_STATE, "%s", _("Internal error: unknown status."));
}

enum cps_err cps_application_approve(struct cps_engine *e, long long id,
				     const char *staff_name, char *token_out,
				     size_t token_len, struct cps_error *err)
{
	struct cps_application a;
	char staff[CPS_APP_SHORT_SIZE], token[CPS_TOKEN_SIZE];
	enum cps_err rc;

	if (token_out && token_len)
		token_out[0] = '\0';
	if (token_out && token_len < CPS_TOKEN_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Internal error: no room for the password code."));
	rc = check_staff(staff_name, staff, sizeof(staff), err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = load_app(e, id, &a, err);
	if (rc == CPS_OK)
		rc = decision_state(&a, 1, err);
	if (rc == CPS_OK)
		rc = cps_store_account_decide(e->store, id, CPS_APP_VALIDATED, staff, NULL,
					      cps_engine_now(e), err);
	if (rc == CPS_OK)
		rc = send_password_code(e, &a, "set", token, sizeof(token), err);
	if (rc == CPS_OK)
		rc = outbox(e, "decision", id,
			    json_pack("{s:s, s:s}", "decision", "validated", "by", staff), err);
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff, "approve", id, 0, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	rc = cps_store_commit(e->store, err);
	if (rc == CPS_OK && token_out)
		memcpy(token_out, token, sizeof(token));
	return rc;
}

enum cps_err cps_application_reject(struct cps_engine *e, long long id,
				    const char *staff_name, const char *reason,
				    struct cps_error *err)
{
	struct cps_application a;
	char staff[CPS_APP_SHORT_SIZE], why[CPS_APP_REASON_SIZE];
	char subject[256], body[4096];
	enum cps_err rc;

	rc = check_staff(staff_name, staff, sizeof(staff), err);
	if (rc != CPS_OK)
		return rc;
	rc = check_text(reason, CPS_APP_REASON_CHARS,
			_("Please give the reason for the rejection: the customer needs it to correct the application."),
			why, sizeof(why), err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = load_app(e, id, &a, err);
	if (rc == CPS_OK)
		rc = decision_state(&a, 0, err);
	if (rc == CPS_OK)
		rc = cps_store_account_decide(e->store, id, CPS_APP_REJECTED, staff, why,
					      cps_engine_now(e), err);
	if (rc == CPS_OK) {
		/* in the customer's language, not the staff member's */
		struct cps_lang_saved ls;

		cps_lang_push(a.language, &ls);
		snprintf(subject, sizeof(subject),
			 _("%s: your application needs a correction"), PROGRAMME);
		snprintf(body, sizeof(body),
			 _("Hello %s %s,\n\n"
			   "your application for a %s business account could not be validated.\n\n"
			   "Reason: %s\n\n"
			   "Everything you entered is kept. In cpsreg, continue the application with your resume code, correct it and submit it again."),
			 a.first_name, a.last_name, PROGRAMME, why);
		cps_lang_pop(&ls);
		rc = cps_message_queue(e, id, "rejection", a.email, subject, body, err);
	}
	if (rc == CPS_OK)
		rc = outbox(e, "decision", id,
			    json_pack("{s:s, s:s, s:s}", "decision", "rejected", "by", staff,
				      "reason", why), err);
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff, "reject", id, 0, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	return cps_store_commit(e->store, err);
}

/* --- password and login -------------------------------------------------- */

/* The advice for anyone who wants a password before validation. */
static enum cps_err not_validated(const struct cps_application *a,
				  struct cps_error *err)
{
	if (a->status == CPS_APP_PENDING)
		return cps_error_set(err, CPS_ERR_STATE,
				     _("Your account is still being validated (the answer is expected by %s). Wait for the e-mail with the code to set your password; do not try to reset the password before then."),
				     a->expected_by);
	return cps_error_set(err, CPS_ERR_STATE, "%s",
			     _("Your account is not validated yet: submit the application, then wait for the e-mail with the code to set your password; do not try to reset the password before then."));
}

/* A code as typed: separators dropped, lower case. */
static void token_normalise(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (const char *p = in ? in : ""; *p && o + 1 < len; p++) {
		if (*p == ' ' || *p == '-' || *p == '\t' || *p == '\r' || *p == '\n')
			continue;
		out[o++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
	}
	out[o] = '\0';
}

enum cps_err cps_password_set_with_token(struct cps_engine *e,
					 const char *email, const char *token,
					 const char *password,
					 struct cps_error *err)
{
	struct cps_application a;
	struct cps_store_token t;
	char addr[CPS_EMAIL_MAX], code[64], hash[CPS_SHA256_HEX_SIZE];
	char pw[CPS_PASSWORD_HASH_SIZE], until[64];
	time_t now = cps_engine_now(e);
	const char *wrong = _("This code is not valid for this e-mail address. Please check the e-mail address and copy the code from the e-mail exactly.");
	enum cps_err rc = check_email(email, 1, addr, sizeof(addr), err);

	if (rc != CPS_OK)
		return rc;
	token_normalise(token, code, sizeof(code));
	if (!code[0])
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please enter the code from the e-mail."));
	if (cps_secret_digest(code, hash) != CPS_OK)
		return cps_error_set(err, CPS_ERR_IO, "%s", _("Internal error: the code could not be checked."));
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_account_find_email(e->store, addr, &a, err);
	if (rc == CPS_ERR_NOT_FOUND)
		return fail(e, cps_error_set(err, CPS_ERR_AUTH, "%s", wrong));
	if (rc != CPS_OK)
		return fail(e, rc);
	if (a.status != CPS_APP_VALIDATED)
		return fail(e, not_validated(&a, err));
	rc = cps_store_token_find(e->store, a.id, hash, &t, err);
	if (rc == CPS_ERR_NOT_FOUND)
		return fail(e, cps_error_set(err, CPS_ERR_AUTH, "%s", wrong));
	if (rc != CPS_OK)
		return fail(e, rc);
	if (t.used_at) {
		cps_local_time_text(t.used_at, CPS_TIME_MINUTE, until, sizeof(until));
		return fail(e, cps_error_set(err, CPS_ERR_AUTH,
			_("This code was used already (%s); each code works once. Ask staff for a new code, or choose \"Reset password\" to get one by e-mail."),
			until));
	}
	if (now >= t.expires_at) {
		cps_local_time_text(t.expires_at, CPS_TIME_MINUTE, until, sizeof(until));
		return fail(e, cps_error_set(err, CPS_ERR_AUTH,
			_("This code expired on %s. Ask staff for a new code, or choose \"Reset password\" to get one by e-mail."),
			until));
	}
	rc = cps_password_policy(password, addr, err);
	if (rc == CPS_OK)
		rc = cps_password_hash(password, pw, sizeof(pw), err);
	if (rc == CPS_OK)
		rc = cps_store_account_set_password(e->store, a.id, pw, now, err);
	if (rc == CPS_OK)
		rc = cps_store_token_use_all(e->store, a.id, now, err);
	if (rc == CPS_OK)
		rc = cps_message_codes_used(e, a.id, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	return cps_store_commit(e->store, err);
}

enum cps_err cps_password_reset_request(struct cps_engine *e,
					const char *email,
					struct cps_error *err)
{
	struct cps_application a;
	char addr[CPS_EMAIL_MAX], token[CPS_TOKEN_SIZE];
	enum cps_err rc = check_email(email, 1, addr, sizeof(addr), err);

	if (rc != CPS_OK)
		return rc;
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = cps_store_account_find_email(e->store, addr, &a, err);
	if (rc == CPS_ERR_NOT_FOUND) {
		cps_store_rollback(e->store);
		cps_error_clear(err);
		return CPS_OK;
	}
	if (rc != CPS_OK)
		return fail(e, rc);
	if (a.status != CPS_APP_VALIDATED)
		return fail(e, not_validated(&a, err));
	rc = send_password_code(e, &a, "reset", token, sizeof(token), err);
	if (rc != CPS_OK)
		return fail(e, rc);
	return cps_store_commit(e->store, err);
}

/* --- staff reissue a lost code ------------------------------------------- */

enum cps_err cps_application_reissue_resume(struct cps_engine *e, long long id,
					    const char *staff_name, char *code_out,
					    size_t len, struct cps_error *err)
{
	struct cps_application a;
	char code[CPS_RESUME_CODE_SIZE], norm[CPS_RESUME_CODE_SIZE];
	char hash[CPS_SHA256_HEX_SIZE];
	enum cps_err rc;

	if (code_out && len)
		code_out[0] = '\0';
	if (!code_out || len < CPS_RESUME_CODE_SIZE)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Internal error: no room for the resume code."));
	if (!staff_name || !*staff_name)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please enter the name of the staff member."));
	rc = cps_resume_code_new(code, sizeof(code), err);
	if (rc == CPS_OK)
		rc = cps_resume_code_normalise(code, norm, sizeof(norm), err);
	if (rc == CPS_OK)
		rc = cps_secret_digest(norm, hash);
	if (rc == CPS_OK)
		rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = load_app(e, id, &a, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	/* after validation the customer logs in: a resume code would be a
	 * second way in that nobody expects */
	if (a.status == CPS_APP_VALIDATED)
		return fail(e, cps_error_set(err, CPS_ERR_STATE, "%s",
			_("This account is validated: the customer logs in with the e-mail address and password. Give a new password code instead.")));
	rc = cps_store_account_set_resume_hash(e->store, id, hash, cps_engine_now(e), err);
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff_name, "reissue_resume_code", id, 0, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	rc = cps_store_commit(e->store, err);
	if (rc == CPS_OK)
		memcpy(code_out, code, sizeof(code));
	explicit_bzero(code, sizeof(code));
	explicit_bzero(norm, sizeof(norm));
	return rc;
}

enum cps_err cps_password_code_reissue(struct cps_engine *e, long long id,
				       const char *staff_name, struct cps_error *err)
{
	struct cps_application a;
	char token[CPS_TOKEN_SIZE];
	enum cps_err rc;

	if (!staff_name || !*staff_name)
		return cps_error_set(err, CPS_ERR_INVALID, "%s",
				     _("Please enter the name of the staff member."));
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = load_app(e, id, &a, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	if (a.status != CPS_APP_VALIDATED)
		return fail(e, cps_error_set(err, CPS_ERR_STATE, "%s",
			_("This account is not validated yet, so it has no password to set: give a new resume code instead.")));
	rc = send_password_code(e, &a, "reset", token, sizeof(token), err);
	explicit_bzero(token, sizeof(token));
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff_name, "reissue_password_code", id, 0, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	return cps_store_commit(e->store, err);
}

/* Seconds to wait after failed wrong passwords in a row: none for the
 * first CPS_LOGIN_FREE_TRIES, then 1, 2, 4, ... up to the cap. */
long cps_login_delay(int failed)
{
	long d = 1;

	if (failed < CPS_LOGIN_FREE_TRIES)
		return 0;
	for (int n = failed - CPS_LOGIN_FREE_TRIES; n > 0 && d < CPS_LOGIN_MAX_DELAY; n--)
		d *= 2;
	return d > CPS_LOGIN_MAX_DELAY ? CPS_LOGIN_MAX_DELAY : d;
}

enum cps_err cps_login(struct cps_engine *e, const char *email,
		       const char *password, struct cps_application *app_out,
		       struct cps_error *err)
{
	struct cps_store_login l;
	struct cps_error e1 = { 0 };
	char addr[CPS_EMAIL_MAX];
	time_t now = cps_engine_now(e);
	const char *wrong = _("The e-mail address or the password is wrong. (Before your account is validated there is no password yet: continue with your resume code instead.)");
	enum cps_err rc;

	/* wrong logins at this terminal wait, whichever addresses they tried */
	rc = cps_limit_check(e, NULL, err);
	if (rc != CPS_OK)
		return rc;
	if (check_email(email, 1, addr, sizeof(addr), &e1) != CPS_OK) {
		(void)cps_password_verify(password ? password : "", dummy_hash);
		(void)cps_limit_failed(e, NULL, &e1);
		return cps_error_set(err, CPS_ERR_AUTH, "%s", wrong);
	}
	rc = cps_store_account_login_get(e->store, addr, &l, &e1);
	if (rc == CPS_ERR_NOT_FOUND) {
		(void)cps_password_verify(password ? password : "", dummy_hash);
		(void)cps_limit_failed(e, NULL, &e1);
		return cps_error_set(err, CPS_ERR_AUTH, "%s", wrong);
	}
	if (rc != CPS_OK)
		return cps_error_set(err, rc, "%s", e1.msg);
	long delay = cps_login_delay(l.failed_logins);
	if (delay > 0 && now < l.last_failed_at + delay) {
		long wait = (long)(l.last_failed_at + delay - now);
		return cps_error_set(err, CPS_ERR_BUSY,
				     dngettext(CPS_TEXTDOMAIN,
					       "Too many wrong passwords in a row. Please wait %ld second and try again.",
					       "Too many wrong passwords in a row. Please wait %ld seconds and try again.",
					       (unsigned long)wait),
				     wait);
	}
	int ok = l.password_hash[0] && password &&
		 cps_password_verify(password, l.password_hash);
	if (!l.password_hash[0])
		(void)cps_password_verify(password ? password : "", dummy_hash);
	if (!ok || l.failed_logins > 0) {
		rc = cps_store_begin(e->store, err);
		if (rc != CPS_OK)
			return rc;
		rc = ok ? cps_store_account_login_reset(e->store, l.id, err)
			: cps_store_account_login_failed(e->store, l.id, now, err);
		if (rc != CPS_OK)
			return fail(e, rc);
		rc = cps_store_commit(e->store, err);
		if (rc != CPS_OK)
			return rc;
	}
	rc = ok ? cps_limit_succeeded(e, NULL, &e1) : cps_limit_failed(e, NULL, &e1);
	if (rc != CPS_OK)
		return cps_error_set(err, rc, "%s", e1.msg);
	if (!ok)
		return cps_error_set(err, CPS_ERR_AUTH, "%s", wrong);
	if (app_out)
		return load_app(e, l.id, app_out, err);
	return CPS_OK;
}

enum cps_err cps_applications_pending(struct cps_engine *e,
				      int (*fn)(const struct cps_application *a, void *arg),
				      void *arg, struct cps_error *err)
{
	return cps_store_account_pending(e->store, fn, arg, err);
}

enum cps_err cps_application_correct_old_email(struct cps_engine *e, long long id,
					       const char *old_email,
					       const char *staff_name,
					       struct cps_error *err)
{
	struct cps_application a;
	struct cps_migration_info info;
	char staff[CPS_APP_SHORT_SIZE], addr[CPS_EMAIL_MAX];
	enum cps_err rc = check_staff(staff_name, staff, sizeof(staff), err);

	if (rc == CPS_OK)
		rc = check_email(old_email, 0, addr, sizeof(addr), err);
	if (rc != CPS_OK)
		return rc;
	/* after a migration the products have moved: another old e-mail
	 * would change nothing but the record of where they came from */
	rc = cps_migration_check(e, id, &info, err);
	cps_migration_info_free(&info);
	if (rc != CPS_OK)
		return rc;
	if (info.reason == CPS_MIGRATION_DONE)
		return cps_error_set(err, CPS_ERR_STATE, "%s",
			_("The products of the old account have been migrated already; the old CPS e-mail cannot be changed any more."));
	rc = cps_store_begin(e->store, err);
	if (rc != CPS_OK)
		return rc;
	rc = load_app(e, id, &a, err);
	if (rc == CPS_OK && a.status == CPS_APP_DRAFT)
		rc = cps_error_set(err, CPS_ERR_STATE, "%s",
			_("This application has not been submitted yet: the customer corrects the old CPS e-mail in the form."));
	if (rc == CPS_OK)
		rc = cps_store_account_set_old_email(e->store, id, addr, cps_engine_now(e), err);
	if (rc == CPS_OK)
		rc = outbox(e, "application", id,
			    json_pack("{s:s, s:s, s:s}", "change", "old_email", "old_email", addr,
				      "by", staff), err);
	if (rc == CPS_OK)
		rc = cps_audit_add(e, staff, "correct_old_email", id, 0, err);
	if (rc != CPS_OK)
		return fail(e, rc);
	return cps_store_commit(e->store, err);
}

enum cps_err cps_customers_find(struct cps_engine *e, const char *query,
				int (*fn)(const struct cps_application *a, void *arg),
				void *arg, struct cps_error *err)
{
	char q[CPS_APP_NAME_SIZE], pattern[2 * CPS_APP_NAME_SIZE + 3];
	size_t n = 0;
	enum cps_err rc = check_text(query, CPS_APP_NAME_CHARS,
				     _("Please type part of an e-mail, company, VAT number or membership number."),
				     q, sizeof(q), err);

	if (rc != CPS_OK)
		return rc;
	/* typed text is matched as text: % and _ are no wildcards */
	pattern[n++] = '%';
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			pattern[n++] = '\\';
		pattern[n++] = *p;
	}
	pattern[n++] = '%';
	pattern[n] = '\0';
	return cps_store_account_search(e->store, pattern, fn, arg, err);
}
