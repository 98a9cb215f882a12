/* config.c - reads cps.ini (iniparser), the environment and command-line
 * overrides into struct cps_config, checking every value.
 *
 * One table (keys[]) describes every key: its type, default, range and
 * whether it is a secret.  Parsing, the environment, --set, --check-config
 * and the documentation test all work from it.
 *
 * iniparser 4.1 has pitfalls: it prints errors itself, stops
 * unquoted values at ';' and '#', reads "010" as octal through getint, and
 * getint/getboolean crash on a key that names a section (CVE-2023-33461).
 * So the file is first scanned line by line here (for line numbers, syntax
 * errors and unknown keys), then loaded with iniparser, and every value is
 * read with iniparser_getstring() and converted here. */
#define _DEFAULT_SOURCE 1 /* explicit_bzero */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser/iniparser.h>

#include "buildpaths.h"
#include "cpsreg/config.h"
#include "cpsreg/i18n.h"
#include "cpsreg/text.h"

extern char **environ;

enum ktype { K_STR, K_INT, K_BOOL };

#define KF_SECRET 1u  /* never shown; a file holding it must be private */
#define KF_PATH   2u  /* relative paths in the file are relative to the file */
#define KF_NOT_YET 4u /* read and checked, but no part of cpsreg uses it yet:
		       * setting it gives a warning, not a silent no-op */

typedef int (*check_fn)(const char *value, char *why, size_t len);

struct keydef {
	const char *name;     /* "section.key" */
	enum ktype type;
	size_t off;
	const char *def;
	long min, max;
	unsigned flags;
	check_fn check;       /* extra rule for a string, or NULL */
};

static int check_language(const char *v, char *why, size_t len);
static int check_url(const char *v, char *why, size_t len);
static int check_currency(const char *v, char *why, size_t len);
static int check_percent(const char *v, char *why, size_t len);
static int check_iban(const char *v, char *why, size_t len);
static int check_bic(const char *v, char *why, size_t len);
static int check_pin_hash(const char *v, char *why, size_t len);
static int check_reference(const char *v, char *why, size_t len);
static int check_email(const char *v, char *why, size_t len);
static int check_group(const char *v, char *why, size_t len);

#define OFF(f) offsetof(struct cps_config, f)

static const struct keydef keys[] = {
	{ "general.language", K_STR, OFF(language), "auto", 0, 0, 0, check_language },
	{ "general.data_dir", K_STR, OFF(data_dir), "", 0, 0, KF_PATH, NULL },
	{ "general.database", K_STR, OFF(database), "", 0, 0, KF_PATH, NULL },
	{ "general.assets_dir", K_STR, OFF(assets_dir), "", 0, 0, KF_PATH, NULL },
	{ "general.iso_codes_dir", K_STR, OFF(iso_codes_dir), "/usr/share/iso-codes/json", 0, 0, KF_PATH, NULL },
	{ "general.group", K_STR, OFF(group), "", 0, 0, 0, check_group },

	{ "kiosk.enabled", K_BOOL, OFF(kiosk_enabled), "no", 0, 1, 0, NULL },
	{ "kiosk.idle_timeout", K_INT, OFF(kiosk_idle_timeout), "180", 5, 3600, 0, NULL },
	{ "kiosk.idle_warning", K_INT, OFF(kiosk_idle_warning), "30", 2, 600, 0, NULL },
	{ "kiosk.document_dir", K_STR, OFF(kiosk_document_dir), "", 0, 0, KF_PATH, NULL },
	{ "kiosk.staff_pin_hash", K_STR, OFF(kiosk_staff_pin_hash), "", 0, 0, KF_SECRET, check_pin_hash },

	{ "remote.url", K_STR, OFF(remote_url), "", 0, 0, 0, check_url },
	{ "remote.token", K_STR, OFF(remote_token), "", 0, 0, KF_SECRET, NULL },
	{ "remote.token_file", K_STR, OFF(remote_token_file), "", 0, 0, KF_PATH, NULL },
	{ "remote.ca_file", K_STR, OFF(remote_ca_file), "", 0, 0, KF_PATH, NULL },
	{ "remote.connect_timeout", K_INT, OFF(remote_connect_timeout), "10", 1, 120, 0, NULL },
	{ "remote.timeout", K_INT, OFF(remote_timeout), "30", 1, 600, 0, NULL },
	{ "remote.low_speed_time", K_INT, OFF(remote_low_speed_time), "15", 1, 600, 0, NULL },
	{ "remote.tries", K_INT, OFF(remote_tries), "5", 1, 1000, 0, NULL },
	{ "remote.backoff_ms", K_INT, OFF(remote_backoff_ms), "500", 1, 60000, 0, NULL },
	{ "remote.backoff_max", K_INT, OFF(remote_backoff_max), "60", 1, 3600, 0, NULL },
	{ "remote.sync_interval", K_INT, OFF(remote_sync_interval), "60", 5, 86400, 0, NULL },

	{ "rules.invite_points", K_INT, OFF(invite_points), "500", 1, 1000000, 0, NULL },
	{ "rules.corporate_above", K_INT, OFF(corporate_above), "2500", 1, 1000000, 0, NULL },
	{ "rules.corporate_products_required", K_BOOL, OFF(corporate_products_required), "no", 0, 1, 0, NULL },
	{ "rules.validation_days", K_INT, OFF(validation_days), "2", 0, 30, 0, NULL },
	{ "rules.invoice_due_days", K_INT, OFF(invoice_due_days), "30", 1, 365, 0, NULL },
	{ "rules.token_hours", K_INT, OFF(token_hours), "48", 1, 720, 0, NULL },
	{ "rules.document_max_mib", K_INT, OFF(document_max_mib), "10", 1, 100, 0, NULL },
	{ "rules.auto_approve_seconds", K_INT, OFF(auto_approve_seconds), "0", 0, 86400, 0, NULL },
	{ "rules.currency", K_STR, OFF(currency), "EUR", 0, 0, 0, check_currency },
	{ "rules.fees_include_vat", K_BOOL, OFF(fees_include_vat), "yes", 0, 1, 0, NULL },
	{ "rules.vat_percent", K_STR, OFF(vat_percent), "25", 0, 0, 0, check_percent },

	{ "payment.bank_name", K_STR, OFF(bank_name), "", 0, 0, 0, NULL },
	{ "payment.account_holder", K_STR, OFF(account_holder), "", 0, 0, 0, NULL },
	{ "payment.iban", K_STR, OFF(iban), "", 0, 0, 0, check_iban },
	{ "payment.bic", K_STR, OFF(bic), "", 0, 0, 0, check_bic },
	{ "payment.reference", K_STR, OFF(reference), "CPS {invoice}", 0, 0, 0, check_reference },

	{ "support.name", K_STR, OFF(support_name), CPS_SUPPORT_NAME_DEFAULT, 0, 0, 0, NULL },
	{ "support.phone", K_STR, OFF(support_phone), "", 0, 0, 0, NULL },
	{ "support.email", K_STR, OFF(support_email), "", 0, 0, 0, check_email },
	{ "support.hours", K_STR, OFF(support_hours), "", 0, 0, KF_NOT_YET, NULL },

	{ "mail.sendmail", K_STR, OFF(mail_sendmail), "", 0, 0, 0, NULL },
	{ "mail.from", K_STR, OFF(mail_from), "", 0, 0, 0, check_email },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const struct cps_level default_levels[] = {
	{ "silver", "Silver", 500, 0, 10000, 0, "", "", "" },
	{ "gold", "Gold", 1000, 0, 20000, 0, "", "", "" },
	{ "platinum", "Platinum", 1600, 0, 35000, 0, "", "", "" },
	{ "corporate_a", "Corporate A", 0, 25, 100000, 1, "", "", "" },
	{ "corporate_b", "Corporate B", 0, 100, 250000, 1, "", "", "" },
	{ "corporate_c", "Corporate C", 0, 250, 500000, 1, "", "", "" },
};

/* What each built-in level gives, in default_levels' order: msgids, so
 * that the level page shows them in the screen's language (a file's
 * levels bring their own lines). */
static const char *const default_benefits[] = {
	N_("Priority repairs, a yearly check and clean"),
	N_("Faster repairs, a loan while yours is away"),
	N_("Fastest repairs, loans, free return post"),
	N_("Platinum service for a team's equipment"),
	N_("Platinum service and an account manager"),
	N_("Platinum service and support on site"),
};

/* ---- small helpers ---------------------------------------------------- */

static void diag(struct cps_diags *d, int is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void diag(struct cps_diags *d, int is_error, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		struct cps_diag *v = realloc(d->v, cap * sizeof(*v));
		if (!v)
			return;
		d->v = v;
		d->cap = cap;
	}
	char raw[sizeof(d->v[d->n].text)];

	d->v[d->n].is_error = is_error;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* a message quotes the file: its keys, sections and values */
	cps_text_quote(raw, d->v[d->n].text, sizeof(d->v[d->n].text), CPS_TEXT_LINE);
	d->n++;
	if (is_error)
		d->nerrors++;
}

void cps_diags_free(struct cps_diags *d)
{
	if (!d)
		return;
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static char **str_field(struct cps_config *cfg, const struct keydef *k)
{
	return (char **)((char *)cfg + k->off);
}

static int *int_field(struct cps_config *cfg, const struct keydef *k)
{
	return (int *)((char *)cfg + k->off);
}

static const struct keydef *find_key(const char *name, size_t *idx)
{
	for (size_t i = 0; i < NKEYS; i++) {
		if (strcmp(keys[i].name, name) == 0) {
			if (idx)
				*idx = i;
			return &keys[i];
		}
	}
	return NULL;
}

static int section_known(const char *sec)
{
	size_t n = strlen(sec);

	for (size_t i = 0; i < NKEYS; i++)
		if (strncmp(keys[i].name, sec, n) == 0 && keys[i].name[n] == '.')
			return 1;
	return 0;
}

/* "remote.ca_file" -> "CPSREG_REMOTE_CA_FILE" */
static void env_name(const char *key, char *out, size_t len)
{
	size_t o = (size_t)snprintf(out, len, "CPSREG_");

	for (const char *p = key; *p && o + 1 < len; p++)
		out[o++] = *p == '.' ? '_' : (char)toupper((unsigned char)*p);
	out[o < len ? o : len - 1] = '\0';
}

static const char *env_get(char **env, const char *name)
{
	size_t n = strlen(name);

	for (char **e = env; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static int parse_long(const char *s, long *out)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);  /* base 10: "010" is ten, not eight */
	if (errno || end == s)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int parse_bool(const char *s, int *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* "100", "100.5", "100.50" -> cents */
static int parse_money(const char *s, long *cents)
{
	long whole = 0, frac = 0;
	int fdigits = 0;
	const char *p = s;

	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > 100000000L)
			return -1;
	}
	if (*p == '.') {
		p++;
		for (; isdigit((unsigned char)*p); p++) {
			if (++fdigits > 2)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		if (fdigits == 0)
			return -1;
		if (fdigits == 1)
			frac *= 10;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return -1;
	*cents = whole * 100 + frac;
	return 0;
}

/* A value for a message, through the engine's one sanitiser: a stray
 * control character or a huge value cannot garble the terminal. */
static const char *shown(const char *v, char *buf, size_t len)
{
	return cps_text_quote(v, buf, len, CPS_TEXT_LINE);
}

/* ---- value checks ------------------------------------------------------ */

static int check_language(const char *v, char *why, size_t len)
{
	static const char *ok[] = { "auto", "en", "nb", "da" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(v, ok[i]) == 0)
			return 0;
	snprintf(why, len, "%s", _("allowed: auto, en, nb, da"));
	return -1;
}

static int is_loopback_host(const char *h, size_t n)
{
	return (n == 9 && strncmp(h, "127.0.0.1", 9) == 0) ||
	       (n == 9 && strncmp(h, "localhost", 9) == 0) ||
	       (n == 5 && strncmp(h, "[::1]", 5) == 0);
}

static int check_url(const char *v, char *why, size_t len)
{
	const char *host;

	if (!*v)
		return 0;
	for (const char *p = v; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			snprintf(why, len, "%s", _("a URL cannot contain spaces or control characters"));
			return -1;
		}
	}
	if (strncmp(v, "https://", 8) == 0) {
		host = v + 8;
	} else if (strncmp(v, "http://", 7) == 0) {
		host = v + 7;
		size_t n = strcspn(host, ":/");
		if (host[0] == '[')
			n = strcspn(host, "]") + 1;
		if (!is_loopback_host(host, n)) {
			snprintf(why, len, "%s", _("use https:// (plain http:// is allowed only for 127.0.0.1, localhost or [::1])"));
			return -1;
		}
	} else {
		snprintf(why, len, "%s", _("the URL must start with https://"));
		return -1;
	}
	if (!*host || *host == '/' || *host == ':') {
		snprintf(why, len, "%s", _("the URL has no host name"));
		return -1;
	}
	return 0;
}

static int check_currency(const char *v, char *why, size_t len)
{
	if (strlen(v) == 3 && isupper((unsigned char)v[0]) &&
	    isupper((unsigned char)v[1]) && isupper((unsigned char)v[2]))
		return 0;
	snprintf(why, len, "%s", _("use a three-letter ISO 4217 code such as EUR, NOK, DKK or SEK"));
	return -1;
}

static int check_percent(const char *v, char *why, size_t len)
{
	long h;

	if (parse_money(v, &h) == 0 && h <= 10000)
		return 0;
	snprintf(why, len, "%s", _("give a percentage from 0 to 100 with at most two decimals, such as 25 or 25.5"));
	return -1;
}

int cps_config_vat_hundredths(const struct cps_config *cfg)
{
	long h = 0;

	if (!cfg || !cfg->vat_percent || parse_money(cfg->vat_percent, &h) != 0 || h > 10000)
		return 0;
	return (int)h;
}

static int check_iban(const char *v, char *why, size_t len)
{
	char s[40];
	size_t n = 0;
	int rem = 0;

	if (!*v)
		return 0;
	for (const char *p = v; *p; p++) {
		if (*p == ' ')
			continue;
		if (!isalnum((unsigned char)*p) || n >= sizeof(s) - 1) {
			snprintf(why, len, "%s", _("an IBAN has 15 to 34 letters and digits"));
			return -1;
		}
		s[n++] = (char)toupper((unsigned char)*p);
	}
	s[n] = '\0';
	if (n < 15 || n > 34 || !isalpha((unsigned char)s[0]) ||
	    !isalpha((unsigned char)s[1]) || !isdigit((unsigned char)s[2]) ||
	    !isdigit((unsigned char)s[3])) {
		snprintf(why, len, "%s", _("an IBAN starts with a country code and two check digits, 15 to 34 characters in all"));
		return -1;
	}
	/* ISO 13616: move the first four to the end, letters to numbers,
	 * the whole must be 1 modulo 97. */
	for (size_t i = 0; i < n; i++) {
		char c = s[(i + 4) % n];
		int d = isdigit((unsigned char)c) ? c - '0' : c - 'A' + 10;
		rem = d >= 10 ? (rem * 100 + d) % 97 : (rem * 10 + d) % 97;
	}
	if (rem != 1) {
		snprintf(why, len, "%s", _("the IBAN's check digits do not match; check it for typos"));
		return -1;
	}
	return 0;
}

static int check_bic(const char *v, char *why, size_t len)
{
	size_t n = strlen(v);

	if (!n)
		return 0;
	if (n == 8 || n == 11) {
		size_t i;
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)v[i];
			if (i < 6 ? !isupper(c) : !(isupper(c) || isdigit(c)))
				break;
		}
		if (i == n)
			return 0;
	}
	snprintf(why, len, "%s", _("a BIC has 8 or 11 characters: 6 capital letters, then letters or digits"));
	return -1;
}

int cps_config_check_iban(const char *v, char *why, size_t len)
{
	return check_iban(v, why, len);
}

int cps_config_check_bic(const char *v, char *why, size_t len)
{
	return check_bic(v, why, len);
}

static int check_pin_hash(const char *v, char *why, size_t len)
{
	int dollars = 0;

	if (!*v)
		return 0;
	for (const char *p = v; *p; p++)
		dollars += *p == '$';
	if (v[0] == '$' && dollars >= 3)
		return 0;
	snprintf(why, len, "%s", _("this looks like a plain PIN, not a hash; make the hash with: cpsreg hash-pin"));
	return -1;
}

static int check_reference(const char *v, char *why, size_t len)
{
	if (strlen(v) > 140) {
		snprintf(why, len, "%s", _("the payment reference may be at most 140 characters"));
		return -1;
	}
	for (const char *p = strchr(v, '{'); p; p = strchr(p + 1, '{')) {
		if (strncmp(p, "{invoice}", 9) != 0) {
			snprintf(why, len, "%s", _("the only placeholder allowed is {invoice}"));
			return -1;
		}
	}
	return 0;
}

static int check_email(const char *v, char *why, size_t len)
{
	const char *at;

	if (!*v)
		return 0;
	at = strchr(v, '@');
	if (at && at != v && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
	    !strpbrk(v, " \t\r\n"))
		return 0;
	snprintf(why, len, "%s", _("expected an e-mail address such as name@example.com"));
	return -1;
}

/* The shop's Unix group: it must exist, or every staff login would fail
 * later with a less helpful message. */
static int check_group(const char *v, char *why, size_t len)
{
	struct group gr, *found = NULL;
	char buf[4096];

	if (!*v)
		return 0;
	if (getgrnam_r(v, &gr, buf, sizeof(buf), &found) == 0 && found)
		return 0;
	snprintf(why, len, _("there is no group %s on this machine (see getent group)"), v);
	return -1;
}

/* ---- setting a value --------------------------------------------------- */

/* Converts and checks value for key k; on success stores it.  On failure
 * fills why with what is wrong and what is allowed. */
static int set_value(struct cps_config *cfg, const struct keydef *k,
		     const char *value, char *why, size_t len)
{
	char buf[128];
	long l;
	int b;

	switch (k->type) {
	case K_INT:
		if (parse_long(value, &l) != 0) {
			snprintf(why, len, _("'%s' is not a whole number (allowed: %ld to %ld)"),
				 shown(value, buf, sizeof(buf)), k->min, k->max);
			return -1;
		}
		if (l < k->min || l > k->max) {
			snprintf(why, len, _("%ld is out of range (allowed: %ld to %ld)"),
				 l, k->min, k->max);
			return -1;
		}
		*int_field(cfg, k) = (int)l;
		return 0;
	case K_BOOL:
		if (parse_bool(value, &b) != 0) {
			snprintf(why, len, _("'%s' is not yes or no (allowed: yes, no, true, false, on, off, 1, 0)"),
				 shown(value, buf, sizeof(buf)));
			return -1;
		}
		*int_field(cfg, k) = b;
		return 0;
	case K_STR:
		for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
			if (*p < 0x20 || *p == 0x7f) {
				snprintf(why, len, "%s", _("the value contains a control character"));
				return -1;
			}
		}
		if (strlen(value) > 4000) {
			snprintf(why, len, "%s", _("the value is too long (at most 4000 characters)"));
			return -1;
		}
		if (k->check && k->check(value, why, len) != 0) {
			if (!(k->flags & KF_SECRET)) {
				char tmp[512];
				snprintf(tmp, sizeof(tmp), "'%s': %s", shown(value, buf, sizeof(buf)), why);
				snprintf(why, len, "%s", tmp);
			}
			return -1;
		}
		char *dup = strdup(value);
		if (!dup) {
			snprintf(why, len, "%s", _("out of memory"));
			return -1;
		}
		free(*str_field(cfg, k));
		*str_field(cfg, k) = dup;
		return 0;
	}
	return -1;
}

/* ---- the file: a line scan for positions and syntax -------------------- */

struct ini_entry {
	char section[128];
	char key[128];
	int line;
	int has_secret_value;
};

struct ini_scan {
	struct ini_entry *v;
	size_t n, cap;
	char (*sections)[128];
	int *section_lines;
	size_t nsec, capsec;
};

static void scan_free(struct ini_scan *s)
{
	free(s->v);
	free(s->sections);
	free(s->section_lines);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int scan_push(struct ini_scan *s, const char *sec, const char *key,
		     int line, int secret)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct ini_entry *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	snprintf(s->v[s->n].section, sizeof(s->v[s->n].section), "%s", sec);
	snprintf(s->v[s->n].key, sizeof(s->v[s->n].key), "%s", key);
	s->v[s->n].line = line;
	s->v[s->n].has_secret_value = secret;
	s->n++;
	return 0;
}

static int scan_push_section(struct ini_scan *s, const char *sec, int line)
{
	if (s->nsec == s->capsec) {
		size_t cap = s->capsec ? s->capsec * 2 : 8;
		char (*v)[128] = realloc(s->sections, cap * sizeof(*v));
		if (!v)
			return -1;
		s->sections = v;
		int *l = realloc(s->section_lines, cap * sizeof(*l));
		if (!l)
			return -1;
		s->section_lines = l;
		s->capsec = cap;
	}
	snprintf(s->sections[s->nsec], sizeof(s->sections[0]), "%s", sec);
	s->section_lines[s->nsec] = line;
	s->nsec++;
	return 0;
}

/* The longest line, continued lines joined, that the pre-scan accepts:
 * below iniparser 4.1's own buffer (1024 bytes with the newline), so that
 * its "input line too long" is never what a person sees. */
#define CFG_LINE_MAX 1000

/* Reads the file the way iniparser 4.1 will, recording where each key is
 * and reporting what iniparser would reject or silently change. */
static int scan_file(FILE *f, const char *path, struct ini_scan *s,
		     struct cps_diags *d)
{
	char raw[1100], joined[4096];
	char section[128] = "";
	int lineno = 0, start = 0, errors = 0;
	size_t jl = 0;

	joined[0] = '\0';
	while (fgets(raw, sizeof(raw), f)) {
		size_t n = strlen(raw);
		lineno++;
		if (n == sizeof(raw) - 1 && raw[n - 1] != '\n') {
			diag(d, 1, _("%s:%d: the line is too long (at most %d bytes)"), path, lineno, CFG_LINE_MAX);
			errors++;
			int c;
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		if (n - (n && raw[n - 1] == '\n') > CFG_LINE_MAX) {
			diag(d, 1, _("%s:%d: the line is too long (at most %d bytes)"), path, lineno, CFG_LINE_MAX);
			errors++;
			continue;
		}
		if (memchr(raw, '\0', n) != NULL || (n && raw[n - 1] != '\n' && !feof(f))) {
			diag(d, 1, _("%s:%d: the line contains a NUL byte"), path, lineno);
			errors++;
			continue;
		}
		while (n && (raw[n - 1] == '\n' || raw[n - 1] == '\r' ||
			     raw[n - 1] == ' ' || raw[n - 1] == '\t'))
			raw[--n] = '\0';
		if (!jl)
			start = lineno;
		/* a trailing backslash continues the value on the next line */
		int cont = n && raw[n - 1] == '\\';
		if (cont)
			raw[--n] = '\0';
		if (jl + n > CFG_LINE_MAX) {
			diag(d, 1, _("%s:%d: the value is too long (at most %d bytes, continued lines included)"),
			     path, start, CFG_LINE_MAX);
			errors++;
			jl = 0;
			continue;
		}
		memcpy(joined + jl, raw, n + 1);
		jl += n;
		if (cont)
			continue;
		jl = 0;

		char *line = trim(joined);
		size_t len = strlen(line);
		if (!len || line[0] == '#' || line[0] == ';')
			continue;
		if (line[0] == '[') {
			if (line[len - 1] != ']') {
				diag(d, 1, _("%s:%d: a section name must end with ']'"), path, start);
				errors++;
				continue;
			}
			line[len - 1] = '\0';
			snprintf(section, sizeof(section), "%s", trim(line + 1));
			lower(section);
			if (!section[0]) {
				diag(d, 1, _("%s:%d: the section has no name"), path, start);
				errors++;
			} else if (strchr(section, ':')) {
				/* iniparser joins section and key with ':', so
				 * [a:b] would hide the key b of [a] */
				diag(d, 1, _("%s:%d: a section name cannot contain ':'"), path, start);
				errors++;
			}
			scan_push_section(s, section, start);
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq) {
			diag(d, 1, _("%s:%d: expected 'key = value', a [section] or a comment"), path, start);
			errors++;
			continue;
		}
		*eq = '\0';
		char *key = trim(line);
		char *val = trim(eq + 1);
		if (!*key) {
			diag(d, 1, _("%s:%d: the line has a value but no key before '='"), path, start);
			errors++;
			continue;
		}
		lower(key);
		if (!section[0]) {
			diag(d, 1, _("%s:%d: '%s' is outside any section; put it under its [section]"),
			     path, start, key);
			errors++;
			continue;
		}
		int quoted = val[0] == '"' || val[0] == '\'';
		if (quoted) {
			char *close = strchr(val + 1, val[0]);
			if (!close) {
				diag(d, 1, _("%s:%d: the quoted value has no closing quote"), path, start);
				errors++;
				continue;
			}
		} else {
			char *cut = strpbrk(val, ";#");
			if (cut && cut != val)
				diag(d, 0, _("%s:%d: the value of '%s' stops at '%c'; put the whole value in double quotes to keep it"),
				     path, start, key, *cut);
		}
		/* a secret given an empty value is no secret */
		int secret = *val && !(quoted && val[1] == val[0]) &&
			     !(val[0] == ';' || val[0] == '#');
		for (size_t i = 0; i < s->n; i++) {
			if (strcmp(s->v[i].section, section) == 0 &&
			    strcmp(s->v[i].key, key) == 0) {
				diag(d, 0, _("%s:%d: %s.%s is set again (first on line %d); the last one counts"),
				     path, start, section, key, s->v[i].line);
				s->v[i].line = start;
				s->v[i].has_secret_value = secret;
				goto next;
			}
		}
		if (scan_push(s, section, key, start, secret) != 0)
			return -1;
next:;
	}
	if (jl) {
		diag(d, 1, _("%s:%d: the last line ends with '\\' but nothing follows"), path, start);
		errors++;
	}
	if (ferror(f)) {
		diag(d, 1, _("%s: read error"), path);
		errors++;
	}
	return errors;
}

/* iniparser reports through a callback with no context pointer; the config
 * is loaded once at start-up, so a static buffer is enough. */
static char ini_errbuf[512];

/* printf-like: the format comes from iniparser, checked at its calls */
__attribute__((format(printf, 1, 2)))
static int ini_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ini_errbuf, sizeof(ini_errbuf), fmt, ap);
	va_end(ap);
	for (char *p = ini_errbuf; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return 0;
}

/* ---- levels ------------------------------------------------------------ */

static int level_key_line(const struct ini_scan *s, const char *sec,
			  const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].section, sec) == 0 && strcmp(s->v[i].key, key) == 0)
			return s->v[i].line;
	return 0;
}

static int read_levels(struct cps_config *cfg, dictionary *ini,
		       const struct ini_scan *s, const char *path,
		       struct cps_diags *d)
{
	struct cps_level lv[CPS_MAX_LEVELS];
	int lines[CPS_MAX_LEVELS];
	int n = 0, errors = 0;
	char k[300], buf[128];

	for (size_t i = 0; i < s->nsec; i++) {
		const char *sec = s->sections[i];
		int sline = s->section_lines[i];
		if (strncmp(sec, "level.", 6) != 0)
			continue;
		const char *id = sec + 6;
		size_t idlen = strlen(id);
		int dup = 0;
		for (int j = 0; j < n; j++)
			dup |= strcmp(lv[j].id, id) == 0;
		if (dup)
			continue;  /* iniparser merges a repeated section */
		if (idlen == 0 || idlen >= CPS_LEVEL_ID_MAX ||
		    strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_-") != idlen) {
			diag(d, 1, _("%s:%d: [%s]: a level id may use a-z, 0-9, '_' and '-' (at most %d characters)"),
			     path, sline, sec, CPS_LEVEL_ID_MAX - 1);
			errors++;
			continue;
		}
		if (n == CPS_MAX_LEVELS) {
			diag(d, 1, _("%s:%d: too many levels (at most %d)"), path, sline, CPS_MAX_LEVELS);
			errors++;
			break;
		}
		struct cps_level *l = &lv[n];
		memset(l, 0, sizeof(*l));
		snprintf(l->id, sizeof(l->id), "%s", id);
		lines[n] = sline;

		snprintf(k, sizeof(k), "%s:corporate", sec);
		const char *v = iniparser_getstring(ini, k, NULL);
		if (v && parse_bool(v, &l->corporate) != 0) {
			diag(d, 1, _("%s:%d: %s.corporate: '%s' is not yes or no"),
			     path, level_key_line(s, sec, "corporate"), sec, shown(v, buf, sizeof(buf)));
			errors++;
		}
		snprintf(k, sizeof(k), "%s:name", sec);
		v = iniparser_getstring(ini, k, NULL);
		if (v && *v && strlen(v) < sizeof(l->name) && !strpbrk(v, "\t\r\n")) {
			snprintf(l->name, sizeof(l->name), "%s", v);
		} else if (v) {
			diag(d, 1, _("%s:%d: %s.name: give a name of 1 to %d characters"),
			     path, level_key_line(s, sec, "name"), sec, (int)sizeof(l->name) - 1);
			errors++;
		} else {
			snprintf(l->name, sizeof(l->name), "%s", id);
			l->name[0] = (char)toupper((unsigned char)l->name[0]);
		}

		static const char *const ints[] = { "points", "products" };
		for (size_t j = 0; j < 2; j++) {
			snprintf(k, sizeof(k), "%s:%s", sec, ints[j]);
			v = iniparser_getstring(ini, k, NULL);
			long x = 0;
			int line = level_key_line(s, sec, ints[j]);
			if (!v) {
				if (j == 0 && !l->corporate) {
					diag(d, 1, _("%s:%d: [%s] needs 'points' (the points at which it opens)"),
					     path, sline, sec);
					errors++;
				}
				continue;
			}
			if (parse_long(v, &x) != 0 || x < 0 || x > 1000000) {
				diag(d, 1, _("%s:%d: %s.%s: '%s' is not a whole number from 0 to 1000000"),
				     path, line, sec, ints[j], shown(v, buf, sizeof(buf)));
				errors++;
				continue;
			}
			if (j == 0 && l->corporate)
				diag(d, 0, _("%s:%d: %s.points is ignored: Corporate levels open above rules.corporate_above"),
				     path, line, sec);
			if (j == 0)
				l->points = (int)x;
			else
				l->products = (int)x;
		}
		snprintf(k, sizeof(k), "%s:fee", sec);
		v = iniparser_getstring(ini, k, NULL);
		if (!v) {
			diag(d, 1, _("%s:%d: [%s] needs 'fee' (the annual fee, e.g. 100 or 99.50)"),
			     path, sline, sec);
			errors++;
		} else if (parse_money(v, &l->fee_cents) != 0) {
			diag(d, 1, _("%s:%d: %s.fee: '%s' is not an amount (e.g. 100 or 99.50)"),
			     path, level_key_line(s, sec, "fee"), sec, shown(v, buf, sizeof(buf)));
			errors++;
		}
		static const char *const texts[] = { "benefits", "benefits_nb", "benefits_da" };
		char *const dst[] = { l->benefits, l->benefits_nb, l->benefits_da };
		for (size_t j = 0; j < 3; j++) {
			snprintf(k, sizeof(k), "%s:%s", sec, texts[j]);
			v = iniparser_getstring(ini, k, NULL);
			if (!v)
				continue;
			if (strlen(v) < CPS_LEVEL_BENEFITS_MAX && !strpbrk(v, "\t\r\n")) {
				snprintf(dst[j], CPS_LEVEL_BENEFITS_MAX, "%s", v);
			} else {
				diag(d, 1, _("%s:%d: %s.%s: give one line of at most %d bytes"),
				     path, level_key_line(s, sec, texts[j]), sec, texts[j],
				     CPS_LEVEL_BENEFITS_MAX - 1);
				errors++;
			}
		}
		for (size_t e = 0; e < s->n; e++) {
			static const char *const known = " name points products fee corporate benefits benefits_nb benefits_da ";
			char pat[140];
			if (strcmp(s->v[e].section, sec) != 0)
				continue;
			snprintf(pat, sizeof(pat), " %s ", s->v[e].key);
			if (!strstr(known, pat))
				diag(d, 0, _("%s:%d: unknown key %s.%s (ignored; a level has name, points, products, fee, corporate, benefits, benefits_nb, benefits_da)"),
				     path, s->v[e].line, sec, s->v[e].key);
		}
		n++;
	}
	if (n == 0 || errors)
		return errors;

	/* The table must read from the lowest level to the highest. */
	const struct cps_level *prev_reg = NULL, *prev_corp = NULL;
	for (int i = 0; i < n; i++) {
		struct cps_level *l = &lv[i];
		if (!l->corporate) {
			if (l->points < cfg->invite_points) {
				diag(d, 1, _("%s:%d: level.%s opens at %d points, below the invitation at rules.invite_points = %d"),
				     path, lines[i], l->id, l->points, cfg->invite_points);
				errors++;
			}
			if (prev_reg && l->points <= prev_reg->points) {
				diag(d, 1, _("%s:%d: level.%s (%d points) is not above level.%s before it (%d points): list the levels from the lowest to the highest"),
				     path, lines[i], l->id, l->points, prev_reg->id, prev_reg->points);
				errors++;
			}
			prev_reg = l;
		} else {
			if (prev_corp && l->products <= prev_corp->products) {
				diag(d, 1, _("%s:%d: level.%s (%d products) is not above level.%s before it (%d products): list the Corporate levels from the lowest to the highest"),
				     path, lines[i], l->id, l->products, prev_corp->id, prev_corp->products);
				errors++;
			}
			prev_corp = l;
		}
	}
	if (!errors) {
		memcpy(cfg->levels, lv, (size_t)n * sizeof(lv[0]));
		cfg->nlevels = n;
		cfg->levels_source = CPS_SRC_FILE;
	}
	return errors;
}

/* ---- paths ------------------------------------------------------------- */

static char *join_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s%s", dir, (*dir && dir[strlen(dir) - 1] == '/') ? "" : "/", name);
	return p;
}

static int file_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Replaces *field by dir/ *field when it is relative. */
static int make_relative_to(char **field, const char *dir)
{
	if (!*field || !**field || (*field)[0] == '/' || !dir)
		return 0;
	char *p = join_path(dir, *field);
	if (!p)
		return -1;
	free(*field);
	*field = p;
	return 0;
}

static int set_path_default(char **field, char *value)
{
	if (!value)
		return -1;
	free(*field);
	*field = value;
	return 0;
}

/* Fills in data_dir, database and assets_dir when they were left empty. */
static int resolve_paths(struct cps_config *cfg, const struct cps_config_opts *o,
			 char **env)
{
	if (!*cfg->data_dir) {
		char *p;
		const char *xdg = env_get(env, "XDG_DATA_HOME");
		const char *home = env_get(env, "HOME");
		if (o && o->tree_dir)
			p = join_path(o->tree_dir, "var");
		else if (xdg && xdg[0] == '/')
			p = join_path(xdg, "cpsreg");
		else if (home && *home) {
			char *base = join_path(home, ".local/share");
			p = base ? join_path(base, "cpsreg") : NULL;
			free(base);
		} else
			p = strdup("./var");
		if (set_path_default(&cfg->data_dir, p) != 0)
			return -1;
	}
	if (!*cfg->database &&
	    set_path_default(&cfg->database, join_path(cfg->data_dir, "cpsreg.db")) != 0)
		return -1;
	if (!*cfg->assets_dir &&
	    set_path_default(&cfg->assets_dir, o && o->tree_dir ? join_path(o->tree_dir, "assets")
						  : strdup(CPS_PKGDATADIR)) != 0)
		return -1;
	return 0;
}

/* ---- the token file ---------------------------------------------------- */

static int private_mode(mode_t m)
{
	return (m & (S_IRWXG | S_IRWXO)) == 0;
}

/* A secret may also be read by the shop's group (general.group) and no
 * one else: the file belongs to that group, others have no bits, and the
 * group may only read it (README, "Running a shop"). */
static int group_mode_ok(const struct stat *st, const char *group)
{
	struct group gr, *found = NULL;
	char buf[4096];

	if (!group || !*group || (st->st_mode & (S_IRWXO | S_IWGRP | S_IXGRP)))
		return 0;
	return getgrnam_r(group, &gr, buf, sizeof(buf), &found) == 0 && found &&
	       found->gr_gid == st->st_gid;
}

/* The group a file names for itself (general.group), read only when its
 * mode is not private; "" when it names none.  The value is copied into
 * out because the dictionary is freed here. */
static void file_group(const char *path, char *out, size_t len)
{
	dictionary *ini;
	const char *v;

	out[0] = '\0';
	iniparser_set_error_callback(ini_error);
	ini = iniparser_load(path);
	if (!ini)
		return;
	v = iniparser_getstring(ini, "general:group", NULL);
	if (v)
		snprintf(out, len, "%s", v);
	iniparser_freedict(ini);
}

static enum cps_err read_token_file(struct cps_config *cfg, struct cps_diags *d,
				    struct cps_error *err)
{
	const char *path = cfg->remote_token_file;
	struct stat st;
	char buf[4096];
	FILE *f;

	if (stat(path, &st) != 0 || !(f = fopen(path, "r"))) {
		diag(d, 1, _("remote.token_file: cannot read %s: %s"), path, strerror(errno));
		return CPS_ERR_INVALID;
	}
	if (!private_mode(st.st_mode) && !group_mode_ok(&st, cfg->group)) {
		fclose(f);
		return cps_error_set(err, CPS_ERR_PERM,
				     _("%s holds the API token but other users can read it (mode %04o); make it private: chmod 600 %s (or, for the shop's group in general.group, chgrp that group and chmod 640)"),
				     path, (unsigned)(st.st_mode & 07777), path);
	}
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		explicit_bzero(buf, sizeof(buf));
		diag(d, 1, _("remote.token_file: %s: read error"), path);
		return CPS_ERR_INVALID;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	char *t = trim(buf);
	if (!*t) {
		diag(d, 1, _("remote.token_file: %s is empty; put the API token on its first line"), path);
		return CPS_ERR_INVALID;
	}
	char *dup = strdup(t);
	explicit_bzero(buf, sizeof(buf));
	if (!dup)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	free(cfg->remote_token);
	cfg->remote_token = dup;
	return CPS_OK;
}

/* ---- loading ----------------------------------------------------------- */

static struct cps_config *config_new(void)
{
	struct cps_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	cfg->sources = calloc(NKEYS, sizeof(*cfg->sources));
	cfg->lines = calloc(NKEYS, sizeof(*cfg->lines));
	if (!cfg->sources || !cfg->lines) {
		cps_config_free(cfg);
		return NULL;
	}
	for (size_t i = 0; i < NKEYS; i++) {
		char why[256];
		if (set_value(cfg, &keys[i], keys[i].def, why, sizeof(why)) != 0) {
			cps_config_free(cfg);
			return NULL;
		}
	}
	memcpy(cfg->levels, default_levels, sizeof(default_levels));
	cfg->nlevels = (int)(sizeof(default_levels) / sizeof(default_levels[0]));
	for (int i = 0; i < cfg->nlevels; i++)
		snprintf(cfg->levels[i].benefits, sizeof(cfg->levels[i].benefits), "%s",
			 default_benefits[i]);
	return cfg;
}

void cps_config_free(struct cps_config *cfg)
{
	if (!cfg)
		return;
	if (cfg->sources) {
		for (size_t i = 0; i < NKEYS; i++) {
			if (keys[i].type != K_STR)
				continue;
			char *s = *str_field(cfg, &keys[i]);
			if (s && (keys[i].flags & KF_SECRET))
				explicit_bzero(s, strlen(s));
			free(s);
		}
	}
	free(cfg->file);
	free(cfg->sources);
	free(cfg->lines);
	free(cfg);
}

/* Which file to read when --config was not given; NULL if none exists. */
static char *find_config(char **env, struct cps_diags *d, int *explicit_missing)
{
	const char *e = env_get(env, "CPSREG_CONFIG");
	const char *xdg = env_get(env, "XDG_CONFIG_HOME");
	const char *home = env_get(env, "HOME");
	char *p;

	*explicit_missing = 0;
	if (e && *e) {
		if (!file_exists(e)) {
			diag(d, 1, _("CPSREG_CONFIG names %s, which does not exist"), e);
			*explicit_missing = 1;
			return NULL;
		}
		return strdup(e);
	}
	if (file_exists("cps.ini"))
		return strdup("cps.ini");
	if (xdg && xdg[0] == '/')
		p = join_path(xdg, "cpsreg/cps.ini");
	else if (home && *home)
		p = join_path(home, ".config/cpsreg/cps.ini");
	else
		p = NULL;
	if (p && file_exists(p))
		return p;
	free(p);
	p = strdup(CPS_SYSCONFDIR "/cpsreg/cps.ini");
	if (p && file_exists(p))
		return p;
	free(p);
	return NULL;
}

static enum cps_err load_file(struct cps_config *cfg, const char *path,
			      struct cps_diags *d, struct cps_error *err)
{
	struct ini_scan s = { 0 };
	struct stat st;
	enum cps_err rc = CPS_OK;
	FILE *f;
	char buf[128];

	f = fopen(path, "r");
	if (!f)
		return cps_error_set(err, CPS_ERR_IO, _("cannot read the configuration %s: %s"),
				     path, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return cps_error_set(err, CPS_ERR_IO, _("the configuration %s is not a regular file"), path);
	}
	int errors = scan_file(f, path, &s, d);
	fclose(f);
	if (errors < 0) {
		scan_free(&s);
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}

	/* A file that holds a secret must not be readable by others. */
	char group[256] = "";
	if (!private_mode(st.st_mode))
		file_group(path, group, sizeof(group));
	for (size_t i = 0; i < s.n; i++) {
		char name[260];
		snprintf(name, sizeof(name), "%s.%s", s.v[i].section, s.v[i].key);
		const struct keydef *k = find_key(name, NULL);
		if (k && (k->flags & KF_SECRET) && s.v[i].has_secret_value &&
		    !private_mode(st.st_mode) && !group_mode_ok(&st, group)) {
			rc = cps_error_set(err, CPS_ERR_PERM,
					   _("%s holds a secret (%s, line %d) but other users can read it (mode %04o); make it private: chmod 600 %s (or, for the shop's group in general.group, chgrp that group and chmod 640)"),
					   path, name, s.v[i].line, (unsigned)(st.st_mode & 07777), path);
			scan_free(&s);
			return rc;
		}
	}
	if (errors) {
		scan_free(&s);
		return CPS_ERR_INVALID;
	}

	ini_errbuf[0] = '\0';
	iniparser_set_error_callback(ini_error);
	dictionary *ini = iniparser_load(path);
	if (!ini) {
		diag(d, 1, _("%s: the file could not be parsed: %s"), path,
		     ini_errbuf[0] ? ini_errbuf : _("unknown reason"));
		scan_free(&s);
		return CPS_ERR_INVALID;
	}

	char *dir = strdup(path);
	if (!dir) {
		iniparser_freedict(ini);
		scan_free(&s);
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		dir[0] = '\0';

	for (size_t i = 0; i < s.nsec; i++) {
		if (strncmp(s.sections[i], "level.", 6) != 0 && !section_known(s.sections[i]))
			diag(d, 0, _("%s:%d: unknown section [%s] (ignored)"), path,
			     s.section_lines[i], s.sections[i]);
	}
	for (size_t i = 0; i < s.n; i++) {
		char name[260], ikey[260], why[512];
		size_t idx;
		if (strncmp(s.v[i].section, "level.", 6) == 0)
			continue;
		snprintf(name, sizeof(name), "%s.%s", s.v[i].section, s.v[i].key);
		const struct keydef *k = find_key(name, &idx);
		if (!k) {
			if (section_known(s.v[i].section))
				diag(d, 0, _("%s:%d: unknown key %s (ignored)"), path, s.v[i].line, name);
			continue;
		}
		snprintf(ikey, sizeof(ikey), "%s:%s", s.v[i].section, s.v[i].key);
		const char *v = iniparser_getstring(ini, ikey, NULL);
		if (!v)
			v = "";
		if (set_value(cfg, k, v, why, sizeof(why)) != 0) {
			diag(d, 1, "%s:%d: %s: %s", path, s.v[i].line, name, why);
			continue;
		}
		if ((k->flags & KF_PATH) && *dir)
			make_relative_to(str_field(cfg, k), dir);
		cfg->sources[idx] = CPS_SRC_FILE;
		cfg->lines[idx] = s.v[i].line;
	}
	/* levels are checked against rules.invite_points, so after the keys */
	read_levels(cfg, ini, &s, path, d);
	(void)buf;
	free(dir);
	iniparser_freedict(ini);
	scan_free(&s);
	return d && d->nerrors ? CPS_ERR_INVALID : CPS_OK;
}

static void load_env(struct cps_config *cfg, char **env, struct cps_diags *d)
{
	char name[96], why[512];
	char **e = env;

	/* most sessions set none: one look at the environment, not one per
	 * setting (a search of the whole environment each) */
	while (e && *e && strncmp(*e, "CPSREG_", 7) != 0)
		e++;
	if (!e || !*e)
		return;
	for (size_t i = 0; i < NKEYS; i++) {
		env_name(keys[i].name, name, sizeof(name));
		const char *v = env_get(env, name);
		if (!v)
			continue;
		if (set_value(cfg, &keys[i], v, why, sizeof(why)) != 0) {
			diag(d, 1, _("environment %s: %s"), name, why);
			continue;
		}
		cfg->sources[i] = CPS_SRC_ENV;
		cfg->lines[i] = 0;
	}
	/* a misspelt variable would otherwise be ignored in silence */
	for (e = env; *e; e++) {
		if (strncmp(*e, "CPSREG_", 7) != 0)
			continue;
		size_t n = strcspn(*e, "=");
		int known = 0;
		for (size_t i = 0; i < NKEYS && !known; i++) {
			env_name(keys[i].name, name, sizeof(name));
			known = strlen(name) == n && strncmp(*e, name, n) == 0;
		}
		for (size_t i = 0; i < NKEYS && !known; i++) {
			const char *dot = strchr(keys[i].name, '.');
			char sec[64];
			env_name(keys[i].name, name, sizeof(name));
			snprintf(sec, sizeof(sec), "%.*s_", (int)(dot - keys[i].name + 7), name);
			if (strncmp(*e, sec, strlen(sec)) == 0) {
				diag(d, 0, _("environment %.*s: no such setting (ignored)"), (int)n, *e);
				known = 1;
			}
		}
	}
}

static void load_overrides(struct cps_config *cfg, const struct cps_config_opts *o,
			   struct cps_diags *d)
{
	char why[512];

	for (size_t j = 0; o && j < o->noverrides; j++) {
		size_t idx;
		const struct keydef *k = find_key(o->overrides[j].name, &idx);
		if (!k) {
			diag(d, 1, _("--set %s: no such setting (cpsreg --check-config lists them)"),
			     o->overrides[j].name);
			continue;
		}
		if (set_value(cfg, k, o->overrides[j].value, why, sizeof(why)) != 0) {
			diag(d, 1, _("command line %s: %s"), k->name, why);
			continue;
		}
		cfg->sources[idx] = CPS_SRC_CMDLINE;
		cfg->lines[idx] = 0;
	}
}

/* Where a key's value came from, for a message and --check-config:
 * "default", "cps.ini:12", "environment CPSREG_...", "command line". */
static void key_origin(const struct cps_config *cfg, size_t i, char *out,
		       size_t len)
{
	char env[96];

	switch (cfg->sources[i]) {
	case CPS_SRC_DEFAULT:
		snprintf(out, len, "%s", _("default"));
		break;
	case CPS_SRC_FILE:
		/* line 0: remote.token, read from remote.token_file */
		if (cfg->lines[i])
			snprintf(out, len, "%s:%d", cfg->file, cfg->lines[i]);
		else
			snprintf(out, len, "%s", cfg->remote_token_file);
		break;
	case CPS_SRC_ENV:
		env_name(keys[i].name, env, sizeof(env));
		snprintf(out, len, _("environment %s"), env);
		break;
	case CPS_SRC_CMDLINE:
		snprintf(out, len, "%s", _("command line"));
		break;
	}
}

/* 1 if the key holds its built-in value (written out in the file, say). */
static int is_default(struct cps_config *cfg, const struct keydef *k)
{
	long l = 0;

	if (k->type == K_STR) {
		const char *v = *str_field(cfg, k);
		return strcmp(v ? v : "", k->def) == 0;
	}
	if (k->type == K_BOOL) {
		int b = 0;
		return parse_bool(k->def, &b) == 0 && *int_field(cfg, k) == b;
	}
	return parse_long(k->def, &l) == 0 && *int_field(cfg, k) == l;
}

/* A warning for each key that is set to something other than its default
 * but that nothing uses yet (support hours): the value is checked and kept, but has
 * no effect. */
static void not_yet(struct cps_config *cfg, struct cps_diags *d)
{
	char where[700];

	for (size_t i = 0; i < NKEYS; i++) {
		if (!(keys[i].flags & KF_NOT_YET) || cfg->sources[i] == CPS_SRC_DEFAULT ||
		    is_default(cfg, &keys[i]))
			continue;
		key_origin(cfg, i, where, sizeof(where));
		diag(d, 0, _("%s: %s is set, but this version of cpsreg does not use it yet; it has no effect"),
		     where, keys[i].name);
	}
}

/* Rules that tie keys together, checked once every source is applied. */
static void check_together(struct cps_config *cfg, struct cps_diags *d)
{
	if (cfg->corporate_above < cfg->invite_points)
		diag(d, 1, _("rules.corporate_above (%d) must not be below rules.invite_points (%d)"),
		     cfg->corporate_above, cfg->invite_points);
	if (cfg->levels_source == CPS_SRC_DEFAULT) {
		for (int i = 0; i < cfg->nlevels; i++)
			if (!cfg->levels[i].corporate && cfg->levels[i].points < cfg->invite_points)
				diag(d, 1, _("rules.invite_points (%d) is above the built-in level %s (%d points); define the levels in the file too"),
				     cfg->invite_points, cfg->levels[i].name, cfg->levels[i].points);
	}
	if (*cfg->remote_url && !*cfg->remote_token && !*cfg->remote_token_file)
		diag(d, 0, "%s", _("remote.url is set but neither remote.token nor remote.token_file: the remote may refuse requests"));
	/* a kiosk is left only with the staff PIN: without one only a signal
	 * from outside (systemctl stop) ends it */
	if (cfg->kiosk_enabled && !*cfg->kiosk_staff_pin_hash)
		diag(d, 0, "%s", _("kiosk.enabled is yes but kiosk.staff_pin_hash is empty: the kiosk cannot be left from the screen (make a hash with: cpsreg hash-pin)"));
	not_yet(cfg, d);
}

static enum cps_err finish(struct cps_config *cfg, const struct cps_config_opts *o,
			   char **env, struct cps_diags *d, struct cps_error *err)
{
	size_t it = 0, itf = 0;

	find_key("remote.token", &it);
	find_key("remote.token_file", &itf);
	if (*cfg->remote_token_file) {
		if (*cfg->remote_token && cfg->sources[it] == cfg->sources[itf]) {
			diag(d, 1, "%s", _("set either remote.token or remote.token_file, not both"));
		} else if (!*cfg->remote_token || cfg->sources[itf] > cfg->sources[it]) {
			enum cps_err rc = read_token_file(cfg, d, err);
			if (rc == CPS_ERR_PERM || rc == CPS_ERR_NOMEM)
				return rc;
			cfg->sources[it] = cfg->sources[itf];
		}
	}
	check_together(cfg, d);
	if (resolve_paths(cfg, o, env) != 0)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	if (d && d->nerrors)
		return cps_error_set(err, CPS_ERR_INVALID,
				     _("the configuration has %zu error(s)"), d->nerrors);
	return CPS_OK;
}

enum cps_err cps_config_load(struct cps_config **out,
			     const struct cps_config_opts *opts,
			     struct cps_diags *diags, struct cps_error *err)
{
	struct cps_diags local = { 0 };
	struct cps_diags *d = diags ? diags : &local;
	char **env = opts && opts->env ? opts->env : environ;
	enum cps_err rc = CPS_OK;
	char *path = NULL;
	int missing = 0;

	*out = NULL;
	struct cps_config *cfg = config_new();
	if (!cfg)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));

	if (opts && opts->config_path) {
		path = strdup(opts->config_path);
		if (!path)
			rc = cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	} else {
		path = find_config(env, d, &missing);
	}
	if (missing)
		rc = cps_error_set(err, CPS_ERR_IO, "%s", d->v[d->n - 1].text);
	if (rc == CPS_OK && path) {
		cfg->file = path;
		path = NULL;
		rc = load_file(cfg, cfg->file, d, err);
	}
	free(path);
	if (rc == CPS_OK || rc == CPS_ERR_INVALID) {
		load_env(cfg, env, d);
		load_overrides(cfg, opts, d);
		enum cps_err rc2 = finish(cfg, opts, env, d, err);
		if (rc == CPS_OK)
			rc = rc2;
	}
	if (rc == CPS_ERR_INVALID && d->nerrors)
		cps_error_set(err, CPS_ERR_INVALID, _("the configuration has %zu error(s)"), d->nerrors);
	if (d == &local)
		cps_diags_free(&local);
	if (rc != CPS_OK) {
		cps_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return CPS_OK;
}

enum cps_err cps_config_defaults(struct cps_config **out,
				 const struct cps_config_opts *opts,
				 struct cps_error *err)
{
	struct cps_config *cfg = config_new();

	*out = NULL;
	if (!cfg)
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	if (resolve_paths(cfg, opts, opts && opts->env ? opts->env : environ) != 0) {
		cps_config_free(cfg);
		return cps_error_set(err, CPS_ERR_NOMEM, "%s", _("out of memory"));
	}
	*out = cfg;
	return CPS_OK;
}

/* ---- showing the configuration ---------------------------------------- */

void cps_config_support_contact(const struct cps_config *c, char *out,
				size_t len)
{
	const char *name = c->support_name ? c->support_name : "";
	const char *phone = c->support_phone ? c->support_phone : "";
	const char *mail = c->support_email ? c->support_email : "";

	if (!out || len == 0)
		return;
	/* the literal is CPS_SUPPORT_NAME_DEFAULT, written out so that
	 * xgettext finds it (test_config checks that they agree) */
	if (!*name || strcmp(name, CPS_SUPPORT_NAME_DEFAULT) == 0)
		name = _("CPS Priority support");
	if (*phone || *mail)
		snprintf(out, len, "%s (%s%s%s)", name, phone,
			 *phone && *mail ? ", " : "", mail);
	else
		snprintf(out, len, "%s", name);
}

size_t cps_config_nkeys(void)
{
	return NKEYS;
}

void cps_config_key_view(const struct cps_config *cfg, size_t i,
			 struct cps_key_view *v)
{
	const struct keydef *k = &keys[i];

	memset(v, 0, sizeof(*v));
	v->name = k->name;
	v->secret = (k->flags & KF_SECRET) != 0;
	switch (k->type) {
	case K_INT:
		snprintf(v->value, sizeof(v->value), "%d",
			 *(const int *)((const char *)cfg + k->off));
		break;
	case K_BOOL:
		snprintf(v->value, sizeof(v->value), "%s",
			 *(const int *)((const char *)cfg + k->off) ? "yes" : "no");
		break;
	case K_STR: {
		const char *s = *(char *const *)((const char *)cfg + k->off);
		if (v->secret && s && *s)
			snprintf(v->value, sizeof(v->value), "%s", _("(set, hidden)"));
		else
			shown(s ? s : "", v->value, sizeof(v->value));
		break;
	}
	}
	key_origin(cfg, i, v->source, sizeof(v->source));
}

size_t cps_config_levels_text(const struct cps_config *cfg, char *buf, size_t len)
{
	size_t o = 0;

	if (len)
		buf[0] = '\0';
	for (int i = 0; i < cfg->nlevels && o < len; i++) {
		const struct cps_level *l = &cfg->levels[i];
		int n;
		if (l->corporate)
			n = snprintf(buf + o, len - o,
				     "level.%s: name=%s corporate=yes products=%d fee=%ld.%02ld\n",
				     l->id, l->name, l->products, l->fee_cents / 100, l->fee_cents % 100);
		else
			n = snprintf(buf + o, len - o,
				     "level.%s: name=%s points=%d products=%d fee=%ld.%02ld\n",
				     l->id, l->name, l->points, l->products, l->fee_cents / 100,
				     l->fee_cents % 100);
		if (n < 0)
			break;
		o += (size_t)n;
		/* what it gives, each language on a line of its own */
		const char *const key[] = { "benefits", "benefits_nb", "benefits_da" };
		const char *const text[] = { l->benefits, l->benefits_nb, l->benefits_da };
		for (size_t j = 0; j < 3 && o < len; j++) {
			if (!text[j][0])
				continue;
			n = snprintf(buf + o, len - o, "level.%s: %s=%s\n", l->id, key[j], text[j]);
			if (n < 0)
				return o;
			o += (size_t)n;
		}
	}
	return o < len ? o : len;
}

const struct cps_level *cps_config_level(const struct cps_config *cfg, const char *id)
{
	for (int i = 0; i < cfg->nlevels; i++)
		if (strcmp(cfg->levels[i].id, id) == 0)
			return &cfg->levels[i];
	return NULL;
}
