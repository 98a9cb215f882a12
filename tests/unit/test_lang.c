/* test_lang.c - the customer's language: which language a session means,
 * country names in English, Norwegian and Danish from iso-codes (and
 * English when iso-codes is missing), and messages written in the
 * customer's preferred language whoever triggers them. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "cpsreg/account.h"
#include "cpsreg/engine.h"
#include "cpsreg/i18n.h"
#include "cpsreg/lang.h"
#include "cpsreg/level.h"
#include "cpsreg/payment.h"
#include "cpsreg/product.h"
#include "cpsreg/text.h"
#include "testutil.h"

#define PASSWORD "Correct horse 42"

/* A shell in English with the C locale: the staff member's. */
static void english_shell(void)
{
	setlocale(LC_ALL, "C");
	setenv("LANGUAGE", "en", 1);
	textdomain(textdomain(NULL));
}

static int restore(void **state)
{
	unsetenv("LANGUAGE");
	setlocale(LC_ALL, "C");
	textdomain(textdomain(NULL));
	return tu_cleanup(state);
}

static void test_lang_index(void **state)
{
	(void)state;
	assert_int_equal(cps_lang_index("nb_NO.UTF-8"), CPS_LANG_NB);
	assert_int_equal(cps_lang_index("no_NO.UTF-8"), CPS_LANG_NB);
	assert_int_equal(cps_lang_index("nb"), CPS_LANG_NB);
	assert_int_equal(cps_lang_index("da_DK.UTF-8"), CPS_LANG_DA);
	assert_int_equal(cps_lang_index("da:nb"), CPS_LANG_DA);
	assert_int_equal(cps_lang_index("en_GB.UTF-8"), CPS_LANG_EN);
	assert_int_equal(cps_lang_index("C.UTF-8"), -1);
	assert_int_equal(cps_lang_index("fr_FR"), -1);
	assert_int_equal(cps_lang_index(""), -1);
	assert_int_equal(cps_lang_index(NULL), -1);

	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "da_DK.UTF-8", 1);
	assert_int_equal(cps_lang_current(), CPS_LANG_DA);
	setenv("LANGUAGE", "no", 1);
	assert_int_equal(cps_lang_current(), CPS_LANG_NB);
	unsetenv("LANGUAGE");
	setenv("LANG", "C.UTF-8", 1);
	assert_int_equal(cps_lang_current(), CPS_LANG_EN);
	unsetenv("LANG");
}

/* push/pop: a Danish text from an English C-locale shell, and the shell's
 * language back afterwards. */
static void test_push_pop(void **state)
{
	struct cps_lang_saved ls;
	const char *id = "%s: your application needs a correction";

	(void)state;
	english_shell();
	assert_string_equal(_(id), id);
	cps_lang_push("da", &ls);
	assert_string_equal(_(id), "%s: din ans\xc3\xb8gning skal rettes");
	cps_lang_pop(&ls);
	assert_string_equal(_(id), id);
	assert_string_equal(getenv("LANGUAGE"), "en");
	assert_string_equal(setlocale(LC_MESSAGES, NULL), "C");
	/* an unknown language changes nothing */
	cps_lang_push("fr", &ls);
	assert_string_equal(_(id), id);
	cps_lang_pop(&ls);
}

static void test_country_names(void **state)
{
	struct tu_engine t;

	(void)state;
	english_shell();
	tu_engine_new(&t, 0);
	assert_null(cps_engine_warning(t.e));
	const struct cps_country *dk = cps_country_find(t.e, "DK");
	const struct cps_country *no = cps_country_find(t.e, "NO");
	const struct cps_country *se = cps_country_find(t.e, "SE");
	const struct cps_country *nl = cps_country_find(t.e, "NL");
	assert_non_null(dk);
	assert_non_null(no);
	assert_non_null(se);
	assert_non_null(nl);
	assert_string_equal(dk->names[CPS_LANG_EN], "Denmark");
	assert_string_equal(dk->names[CPS_LANG_NB], "Danmark");
	assert_string_equal(dk->names[CPS_LANG_DA], "Danmark");
	assert_string_equal(no->names[CPS_LANG_NB], "Norge");
	assert_string_equal(se->names[CPS_LANG_DA], "Sverige");
	assert_string_equal(nl->names[CPS_LANG_NB], "Nederland");
	/* the name follows the screen's language */
	assert_string_equal(cps_country_name(no), "Norway");
	setenv("LANGUAGE", "nb", 1);
	assert_string_equal(cps_country_name(no), "Norge");
	setenv("LANGUAGE", "da", 1);
	assert_string_equal(cps_country_name(se), "Sverige");
	/* and loading them left the shell's language as it was */
	setenv("LANGUAGE", "en", 1);
	assert_string_equal(setlocale(LC_MESSAGES, NULL), "C");
	/* every country has a name in every language */
	for (size_t i = 0; i < cps_country_count(t.e); i++)
		for (int l = 0; l < CPS_LANGS; l++)
			assert_true(cps_country_at(t.e, i)->names[l][0] != '\0');
	tu_engine_free(&t);
}

/* Every country's English name is the one iso-codes' file gives it read
 * whole with jansson (its everyday name where it has one): with the
 * installed file, and with the same data laid out otherwise (no spaces,
 * keys sorted, a brace inside a string of a country of ours, a name
 * changed), which the engine's quick reading of the file must read
 * right or leave to a whole parse. */
static void expect_iso_names(struct tu_engine *t, json_t *list)
{
	for (size_t i = 0; i < cps_country_count(t->e); i++) {
		const struct cps_country *c = cps_country_at(t->e, i);
		const char *want = NULL;
		size_t k;
		json_t *o;

		json_array_foreach(list, k, o) {
			const char *a2 = json_string_value(json_object_get(o, "alpha_2"));
			if (a2 && strcmp(a2, c->code) == 0) {
				want = json_string_value(json_object_get(o, "common_name"));
				if (!want)
					want = json_string_value(json_object_get(o, "name"));
			}
		}
		assert_non_null(want);
		assert_string_equal(c->names[CPS_LANG_EN], want);
	}
}

/* Sets key of the country a2 in iso-codes' list to value. */
static void set_in_list(json_t *list, const char *a2, const char *key, json_t *value)
{
	size_t k;
	json_t *o;

	json_array_foreach(list, k, o) {
		const char *code = json_string_value(json_object_get(o, "alpha_2"));
		if (code && strcmp(code, a2) == 0) {
			json_object_set(o, key, value);
			break;
		}
	}
	json_decref(value);
}

/* Writes root as iso-codes' file into the folder name under the test's
 * own (with jansson's flags) and opens the engine again on it. */
static void reopen_with_iso(struct tu_engine *t, json_t *root, const char *name, size_t flags)
{
	char dir[600], path[700];

	snprintf(dir, sizeof(dir), "%s/%s", t->dir, name);
	tu_mkdirs(dir);
	snprintf(path, sizeof(path), "%s/iso_3166-1.json", dir);
	assert_int_equal(json_dump_file(root, path, flags), 0);
	if (strcmp(t->cfg->iso_codes_dir, dir) != 0) {
		free(t->cfg->iso_codes_dir);
		t->cfg->iso_codes_dir = strdup(dir);
		assert_non_null(t->cfg->iso_codes_dir);
	}
	tu_engine_reopen(t);
	assert_null(cps_engine_warning(t->e));
}

static void test_country_names_as_iso_codes_has_them(void **state)
{
	struct tu_engine t;
	char path[700];
	json_error_t jerr;

	(void)state;
	english_shell();
	tu_engine_new(&t, 0);
	snprintf(path, sizeof(path), "%s/iso_3166-1.json", t.cfg->iso_codes_dir);
	json_t *root = json_load_file(path, 0, &jerr);
	json_t *list = json_object_get(root, "3166-1");
	assert_true(json_is_array(list));
	assert_null(cps_engine_warning(t.e));
	expect_iso_names(&t, list);

	/* the same, laid out otherwise */
	set_in_list(list, "NO", "name", json_string("Norway {as a test}"));
	set_in_list(list, "NO", "zz_note", json_string("a } and a { in a string"));
	reopen_with_iso(&t, root, "other-iso-codes", JSON_COMPACT | JSON_SORT_KEYS);
	expect_iso_names(&t, list);
	assert_string_equal(cps_country_find(t.e, "NO")->names[CPS_LANG_EN], "Norway {as a test}");
	json_decref(root);
	tu_engine_free(&t);
}

/* The names come out the same when iso-codes' file writes them with
 * escapes (every non-ASCII character as \\u, the flags as surrogate
 * pairs, a quote and a backslash in a name), and when a country of ours
 * has a value that is not a string (which the quick reading leaves to a
 * whole parse). */
static void test_country_names_with_escapes(void **state)
{
	struct tu_engine t;
	char path[700];
	json_error_t jerr;

	(void)state;
	english_shell();
	tu_engine_new(&t, 0);
	snprintf(path, sizeof(path), "%s/iso_3166-1.json", t.cfg->iso_codes_dir);
	json_t *root = json_load_file(path, 0, &jerr);
	json_t *list = json_object_get(root, "3166-1");
	assert_true(json_is_array(list));
	set_in_list(list, "DK", "common_name",
		    json_string("Dan\"mark\\ \xc3\xa6\xc3\xb8\xc3\xa5 \xf0\x9f\x87\xa9\xf0\x9f\x87\xb0"));
	reopen_with_iso(&t, root, "ascii-iso-codes", JSON_INDENT(2) | JSON_ENSURE_ASCII);
	expect_iso_names(&t, list);
	assert_string_equal(cps_country_find(t.e, "DK")->names[CPS_LANG_EN],
			    "Dan\"mark\\ \xc3\xa6\xc3\xb8\xc3\xa5 \xf0\x9f\x87\xa9\xf0\x9f\x87\xb0");

	/* a number among Sweden's strings */
	set_in_list(list, "SE", "numeric", json_integer(752));
	reopen_with_iso(&t, root, "ascii-iso-codes", JSON_INDENT(2));
	expect_iso_names(&t, list);
	json_decref(root);
	tu_engine_free(&t);
}

/* Without iso-codes: English names from the CSV, a warning, no failure. */
static void test_country_names_without_iso_codes(void **state)
{
	struct tu_engine t;
	char dir[600];

	(void)state;
	english_shell();
	tu_engine_new(&t, 0);
	snprintf(dir, sizeof(dir), "%s/no-iso-codes", t.dir);
	free(t.cfg->iso_codes_dir);
	t.cfg->iso_codes_dir = strdup(dir);
	assert_non_null(t.cfg->iso_codes_dir);
	tu_engine_reopen(&t);
	assert_non_null(cps_engine_warning(t.e));
	assert_non_null(strstr(cps_engine_warning(t.e), "iso-codes"));
	const struct cps_country *dk = cps_country_find(t.e, "DK");
	assert_non_null(dk);
	setenv("LANGUAGE", "da", 1);
	assert_string_equal(cps_country_name(dk), "Denmark");
	/* a damaged file is the same */
	tu_mkdirs(dir);
	char path[700];
	snprintf(path, sizeof(path), "%s/iso_3166-1.json", dir);
	tu_write_file(path, "{\"3166-1\": ", 11);
	tu_engine_reopen(&t);
	assert_non_null(cps_engine_warning(t.e));
	assert_string_equal(cps_country_name(cps_country_find(t.e, "NO")), "Norway");
	tu_engine_free(&t);
}

/* The staff member approves and rejects from an English C shell: the
 * Danish customer's messages are Danish, the Norwegian's Norwegian. */
static void test_messages_in_customer_language(void **state)
{
	struct tu_engine t;
	struct cps_application a, b;
	struct tu_message m;
	struct cps_error err = { 0 };

	(void)state;
	english_shell();
	tu_engine_new(&t, 0);
	tu_fill_dk(&a);
	assert_string_equal(a.language, "da");
	tu_account(&t, &a, 1, NULL);
	tu_last_message(&t, &m);
	assert_string_equal(m.kind, "password_set");
	assert_non_null(strstr(m.subject, "din virksomhedskonto er valideret"));
	assert_null(strstr(m.body, "Hello"));
	/* the shell is still English */
	assert_string_equal(_("%s: your application needs a correction"),
			    "%s: your application needs a correction");

	tu_fill_no(&b);
	assert_string_equal(b.language, "nb");
	tu_account(&t, &b, 0, NULL);
	assert_int_equal(cps_application_reject(t.e, b.id, "Anna Berg", "The certificate is unreadable.", &err), CPS_OK);
	tu_last_message(&t, &m);
	assert_string_equal(m.kind, "rejection");
	assert_non_null(strstr(m.subject, "s\xc3\xb8knaden din m\xc3\xa5 rettes"));
	assert_non_null(strstr(m.body, "The certificate is unreadable."));
	tu_engine_free(&t);
}

/* The invoice in Danish, bank details' labels included, from an English
 * shell. */
static void test_invoice_in_customer_language(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct tu_message m;
	struct cps_enrollment r;
	struct cps_error err = { 0 };

	(void)state;
	english_shell();
	tu_engine_new(&t, 0);
	tu_fill_dk(&a);
	long long id = tu_account(&t, &a, 2, PASSWORD);
	struct cps_product_draft d = {
		.catalog_id = tu_model(&t, "RF 800mm F5.6L IS USM"), .serial = "1234567890",
		.purchase_date = "2024-03", .purchase_country = "DK", .dealer = "Foto Rasmussen",
	};
	if (cps_product_add(t.e, id, &d, NULL, NULL, &err) != CPS_OK)
		fail_msg("add: %s", err.msg);
	if (cps_enroll(t.e, id, "silver", CPS_PAY_BANK, &r, &err) != CPS_OK)
		fail_msg("enroll: %s", err.msg);
	/* the screen's text stays English */
	assert_non_null(strstr(r.payment_note, "You pay by bank transfer"));
	tu_last_message(&t, &m);
	assert_string_equal(m.kind, "invoice");
	assert_non_null(strstr(m.subject, "for dit medlemskab"));
	assert_null(strstr(m.body, "Invoice number"));
	/* the amount as Danes write it */
	assert_non_null(strstr(m.body, "100,00 EUR"));
	assert_null(strstr(m.body, "Hello"));
	tu_engine_free(&t);
}

/* Dates and numbers in the screen's language, with no locale generated. */
static void test_dates_and_numbers(void **state)
{
	char buf[64];

	(void)state;
	english_shell();
	assert_string_equal(cps_date_shown("2026-12-05", buf, sizeof(buf)), "2026-12-05");
	assert_string_equal(cps_number_text(10.5, 1, buf, sizeof(buf)), "10.5");
	setenv("LANGUAGE", "nb", 1);
	assert_string_equal(cps_date_shown("2026-12-05", buf, sizeof(buf)), "05.12.2026");
	/* the best guess comes back as typed */
	assert_string_equal(cps_date_shown("2021-05", buf, sizeof(buf)), "05.2021");
	assert_string_equal(cps_date_shown("2021", buf, sizeof(buf)), "2021");
	assert_string_equal(cps_date_shown("", buf, sizeof(buf)), "");
	assert_string_equal(cps_date_shown("2021-5-1", buf, sizeof(buf)), "2021-5-1");
	assert_string_equal(cps_number_text(10.5, 1, buf, sizeof(buf)), "10,5");
	setenv("LANGUAGE", "da", 1);
	assert_string_equal(cps_date_shown("2026-01-31", buf, sizeof(buf)), "31.01.2026");
	assert_string_equal(cps_number_text(0.25, 2, buf, sizeof(buf)), "0,25");
	/* a time: day first in nb/da */
	setenv("TZ", "UTC", 1);
	tzset();
	cps_local_time_text(1796428800, CPS_TIME_DATE, buf, sizeof(buf)); /* 2026-12-05 */
	assert_string_equal(buf, "05.12.2026");
	setenv("LANGUAGE", "en", 1);
	cps_local_time_text(1796428800, CPS_TIME_DATE, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-05");
}

/* Points as Canon's own texts write them: Danish "2.000 point", Norwegian
 * "2000 poeng", English 2000; the engine's level messages use it. */
static void test_points_as_the_seeds_write_them(void **state)
{
	struct tu_engine t;
	struct cps_lang_saved saved;
	struct cps_error err = { 0 };
	char buf[32];

	(void)state;
	english_shell();
	assert_string_equal(cps_points_text(2000, buf, sizeof(buf)), "2000");
	setenv("LANGUAGE", "nb", 1);
	assert_string_equal(cps_points_text(2500, buf, sizeof(buf)), "2500");
	setenv("LANGUAGE", "da", 1);
	assert_string_equal(cps_points_text(2000, buf, sizeof(buf)), "2.000");
	assert_string_equal(cps_points_text(2501, buf, sizeof(buf)), "2.501");
	assert_string_equal(cps_points_text(999, buf, sizeof(buf)), "999");
	assert_string_equal(cps_points_text(0, buf, sizeof(buf)), "0");
	assert_string_equal(cps_points_text(1234567, buf, sizeof(buf)), "1.234.567");
	assert_string_equal(cps_points_text(-1000, buf, sizeof(buf)), "-1.000");
	/* a short buffer is cut, never overrun */
	assert_string_equal(cps_points_text(123456, buf, 5), "123");

	english_shell();
	tu_engine_new(&t, 0);
	cps_lang_push("da", &saved);
	assert_int_equal(cps_level_can_choose(t.cfg, "platinum", 500, 0, &err), CPS_ERR_STATE);
	cps_lang_pop(&saved);
	if (!strstr(err.msg, "1.600 point") || !strstr(err.msg, "1.100 point"))
		fail_msg("not as the Danish seed writes points: \"%s\"", err.msg);
	cps_lang_push("da", &saved);
	assert_int_equal(cps_level_can_choose(t.cfg, "corporate_a", 1000, 0, &err), CPS_ERR_STATE);
	cps_lang_pop(&saved);
	if (!strstr(err.msg, "2.500 point") || !strstr(err.msg, "1.501 point"))
		fail_msg("not as the Danish seed writes points: \"%s\"", err.msg);
	tu_engine_free(&t);
}

/* The preferred language of a new application is the screen's. */
static void test_draft_language_is_the_screens(void **state)
{
	struct tu_engine t;
	struct cps_application a;
	struct cps_error err = { 0 };

	(void)state;
	english_shell();
	tu_engine_new(&t, 0);
	setenv("LANGUAGE", "da", 1);
	long long id = tu_account_draft(&t, "mette@hansen-foto.dk", "DK");
	assert_int_equal(cps_application_load(t.e, id, &a, &err), CPS_OK);
	assert_string_equal(a.language, "da");
	/* LANG alone, as in a session where LC_ALL is not set */
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "nb_NO.UTF-8", 1);
	id = tu_account_draft(&t, "ola@nordlys.no", "NO");
	assert_int_equal(cps_application_load(t.e, id, &a, &err), CPS_OK);
	assert_string_equal(a.language, "nb");
	unsetenv("LANG");
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lang_index, restore),
		cmocka_unit_test_teardown(test_push_pop, restore),
		cmocka_unit_test_teardown(test_country_names, restore),
		cmocka_unit_test_teardown(test_country_names_without_iso_codes, restore),
		cmocka_unit_test_teardown(test_country_names_as_iso_codes_has_them, restore),
		cmocka_unit_test_teardown(test_country_names_with_escapes, restore),
		cmocka_unit_test_teardown(test_messages_in_customer_language, restore),
		cmocka_unit_test_teardown(test_invoice_in_customer_language, restore),
		cmocka_unit_test_teardown(test_dates_and_numbers, restore),
		cmocka_unit_test_teardown(test_points_as_the_seeds_write_them, restore),
		cmocka_unit_test_teardown(test_draft_language_is_the_screens, restore),
	};

	bindtextdomain(CPS_TEXTDOMAIN, "assets/locale");
	bind_textdomain_codeset(CPS_TEXTDOMAIN, "UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
