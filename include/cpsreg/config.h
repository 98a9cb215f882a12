/* config.h - the effective configuration and where each value came from.
 *
 * Precedence, highest first: command line (--set section.key=value, --db),
 * environment (CPSREG_SECTION_KEY), the ini file, built-in defaults.
 * Every key is described in one table in src/config.c and documented in
 * cps.ini.example; --check-config prints them with their source. */
#ifndef CPSREG_CONFIG_H
#define CPSREG_CONFIG_H

#include <stddef.h>

#include "cpsreg/err.h"

#define CPS_MAX_LEVELS 16
#define CPS_LEVEL_ID_MAX 32
#define CPS_LEVEL_NAME_MAX 64
#define CPS_LEVEL_BENEFITS_MAX 160

/* support.name when the configuration does not give one. */
#define CPS_SUPPORT_NAME_DEFAULT "CPS Priority support"

enum cps_source {
	CPS_SRC_DEFAULT = 0,
	CPS_SRC_FILE,
	CPS_SRC_ENV,
	CPS_SRC_CMDLINE
};

/* A membership level.  A regular level opens at `points`; a Corporate level
 * opens above rules.corporate_above; `products` is the number of registered
 * products it suits (guidance, or a condition with
 * rules.corporate_products_required). */
struct cps_level {
	char id[CPS_LEVEL_ID_MAX];     /* from the section name: [level.<id>] */
	char name[CPS_LEVEL_NAME_MAX]; /* shown to the customer */
	int points;
	int products;
	long fee_cents;
	int corporate;
	/* what the level gives, one short line: in English (or the shop's
	 * own language), and in Norwegian and Danish; "" when not set.  The
	 * built-in levels' lines are msgids (translated when shown). */
	char benefits[CPS_LEVEL_BENEFITS_MAX];
	char benefits_nb[CPS_LEVEL_BENEFITS_MAX];
	char benefits_da[CPS_LEVEL_BENEFITS_MAX];
};

struct cps_config {
	/* [general] */
	char *language;        /* auto, en, nb, da */
	char *data_dir;        /* resolved: never empty after loading */
	char *database;        /* resolved: never empty after loading */
	char *assets_dir;      /* resolved: never empty after loading */
	char *iso_codes_dir;   /* Debian iso-codes' JSON: country names */
	char *group;           /* the shop's Unix group sharing the data; "" none */
	/* [kiosk] */
	int kiosk_enabled;
	int kiosk_idle_timeout;        /* seconds */
	int kiosk_idle_warning;        /* seconds of "Still there?" before that */
	char *kiosk_document_dir;      /* the only folder documents come from */
	char *kiosk_staff_pin_hash;    /* secret */
	/* [remote] */
	char *remote_url;              /* empty: no remote */
	char *remote_token;            /* secret; from token or token_file */
	char *remote_token_file;
	char *remote_ca_file;
	int remote_connect_timeout;    /* seconds */
	int remote_timeout;            /* seconds */
	int remote_low_speed_time;     /* seconds below 1 byte/s before giving up */
	int remote_tries;              /* tries of one request in one sync */
	int remote_backoff_ms;         /* the first retry's longest wait */
	int remote_backoff_max;        /* seconds: the longest wait between tries */
	int remote_sync_interval;      /* seconds */
	/* [rules] */
	int invite_points;
	int corporate_above;
	int corporate_products_required; /* product counts a condition, not guidance */
	int validation_days;           /* working days */
	int invoice_due_days;
	int token_hours;               /* password-set token lifetime */
	int document_max_mib;
	int auto_approve_seconds;      /* demo only; 0 = off */
	char *currency;
	int fees_include_vat;          /* a level's fee is with VAT already */
	char *vat_percent;             /* the VAT rate: "25", "25.5"; "0": none */
	struct cps_level levels[CPS_MAX_LEVELS];
	int nlevels;
	enum cps_source levels_source;
	/* [payment] */
	char *bank_name;
	char *account_holder;
	char *iban;
	char *bic;
	char *reference;               /* may hold {invoice} */
	/* [support] */
	char *support_name;
	char *support_phone;
	char *support_email;
	char *support_hours;
	/* [mail] */
	char *mail_sendmail;
	char *mail_from;

	/* provenance: the file read (NULL if none) and each key's source */
	char *file;
	enum cps_source *sources;      /* one per key of the key table */
	int *lines;                    /* line in the file, 0 if not from it */
};

/* A diagnostic about the configuration: an error (the config is refused)
 * or a warning (it is used, but something looks wrong). */
struct cps_diag {
	int is_error;
	char text[512];
};

struct cps_diags {
	struct cps_diag *v;
	size_t n, cap;
	size_t nerrors;
};

/* One command-line override. */
struct cps_setting {
	const char *name;   /* "section.key" */
	const char *value;
};

struct cps_config_opts {
	const char *config_path;   /* --config; NULL: search (see README) */
	char **env;                /* NULL: the process environment */
	const struct cps_setting *overrides;
	size_t noverrides;
	const char *tree_dir;      /* the source tree the binary runs from, or NULL */
};

/* Loads the configuration.  Returns CPS_OK when it can be used (warnings
 * may be in diags), CPS_ERR_INVALID when any diagnostic is an error,
 * CPS_ERR_PERM when a file holding a secret is readable by others,
 * CPS_ERR_IO when a named file cannot be read.  *out is set only on CPS_OK. */
enum cps_err cps_config_load(struct cps_config **out,
			     const struct cps_config_opts *opts,
			     struct cps_diags *diags, struct cps_error *err);

/* A configuration of built-in defaults only (paths resolved from opts). */
enum cps_err cps_config_defaults(struct cps_config **out,
				 const struct cps_config_opts *opts,
				 struct cps_error *err);

void cps_config_free(struct cps_config *cfg);

void cps_diags_free(struct cps_diags *d);

/* Whom a customer should contact, for messages: "support.name (phone,
 * e-mail)", or the name alone when neither is set.  An empty name, or the
 * built-in one, is the built-in name in the customer's language. */
void cps_config_support_contact(const struct cps_config *cfg, char *out,
				size_t len);

/* The key table, for --check-config and the documentation tests. */
size_t cps_config_nkeys(void);

struct cps_key_view {
	const char *name;    /* "section.key" */
	char value[512];     /* as text; secrets masked */
	char source[256];    /* "default", "cps.ini:12", "env CPSREG_...", "command line" */
	int secret;
};

/* Fills view for key i (0 <= i < cps_config_nkeys()). */
void cps_config_key_view(const struct cps_config *cfg, size_t i,
			 struct cps_key_view *view);

/* Writes the level table as "level.<id>.<key> = value" lines into buf. */
size_t cps_config_levels_text(const struct cps_config *cfg, char *buf,
			      size_t len);

/* rules.vat_percent in hundredths of a percent (2500 for 25 %). */
int cps_config_vat_hundredths(const struct cps_config *cfg);

/* The checks of payment.iban and payment.bic, for the same values from
 * elsewhere (a remote's invoice): 0 when v is empty or valid, else -1
 * with why (len bytes) saying what is wrong. */
int cps_config_check_iban(const char *v, char *why, size_t len);
int cps_config_check_bic(const char *v, char *why, size_t len);

/* The level with this id, or NULL. */
const struct cps_level *cps_config_level(const struct cps_config *cfg,
					 const char *id);

#endif
