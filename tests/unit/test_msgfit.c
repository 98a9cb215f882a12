/* test_msgfit.c - messages that fit at 80 columns.  Every text of the
 * screens that is one line in English (a hint or a message for the message
 * line, at most 78 columns) is one line in Norwegian and Danish too.  And
 * every message of the application's field checks fits
 * where the form shows it whole: "Field: message" wrapped to the body's
 * text width (76 columns, the message line's 78 less the margin) in at most
 * the three rows of the smallest box below the fields, in English,
 * Norwegian and Danish.  The messages are made by the engine itself, for
 * every field and every country CPS serves, from a list of bad values;
 * a message that needs more rows fails with its text.  Needs the compiled
 * catalogues of the source tree ("make" builds them). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libintl.h>

#include "cpsreg/account.h"
#include "cpsreg/postcode.h"
#include "cpsreg/product.h"
#include "testutil.h"
#include "text.h"

#define BOX_WIDTH 76
#define BOX_ROWS 3

static const char *const countries[] = {
	"", "AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "HU", "IE", "IT",
	"LU", "NL", "NO", "PL", "PT", "SE", "SK", "BG", "XX",
};

static const char *bad_values(size_t i)
{
	static char longer[200], digits[40];
	static const char *const fixed[] = {
		"", " ", "1", "12", "123", "12#4", "abc", "O150", "not-an-email", "a@b",
		"a@@b.com", "ola@exa\x01mple.com", "a\x1b[2J", "Foto \xe2\x80\xae" "SpA",
		"\xff\xfe", "fr", "maybe", "DK 24 25 67 91", "13585627", "+47 1234",
		"2021-13", "SW1A", "1012", "999 999 999 MVA", "FI1234567", "GB123",
	};
	size_t n = sizeof(fixed) / sizeof(fixed[0]);

	if (i < n)
		return fixed[i];
	if (i == n) {
		memset(longer, 'x', sizeof(longer) - 1);
		return longer;
	}
	if (i == n + 1) {
		memset(digits, '7', sizeof(digits) - 1);
		return digits;
	}
	return NULL;
}

static int checked, failed;

/* One message as the box shows it, wrapped; a fail when it needs more
 * rows than the box has. */
static void fits(const char *lang, const char *label, const char *msg)
{
	char line[CPS_ERROR_MAX + 256];

	if (!msg[0])
		return;
	snprintf(line, sizeof(line), "%s: %s", label, msg);
	checked++;
	int rows = text_wrap(line, BOX_WIDTH, NULL, 0);
	if (rows > BOX_ROWS) {
		failed++;
		print_message("%s: %d rows: %s\n", lang, rows, line);
	}
}

static void test_field_messages_fit(void **state)
{
	static const char *const langs[] = { "en", "nb", "da" };
	struct tu_engine t;

	(void)state;
	for (int l = 1; l < 3; l++) {
		char mo[64];
		snprintf(mo, sizeof(mo), "assets/locale/%s/LC_MESSAGES/cpsreg.mo", langs[l]);
		if (access(mo, R_OK) != 0)
			skip();
	}
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
	bindtextdomain("cpsreg", "assets/locale");
	bind_textdomain_codeset("cpsreg", "UTF-8");
	tu_engine_new(&t, 0);
	for (int l = 0; l < 3; l++) {
		setenv("LANGUAGE", langs[l], 1);
		textdomain(textdomain(NULL));   /* gettext hears LANGUAGE anew */
		for (size_t c = 0; c < sizeof(countries) / sizeof(countries[0]); c++) {
			struct cps_application ctx;
			memset(&ctx, 0, sizeof(ctx));
			ctx.vat_registered = CPS_VAT_YES;
			snprintf(ctx.country, sizeof(ctx.country), "%s", countries[c]);
			for (int f = 0; f < CPS_FIELD_COUNT; f++) {
				const char *v;
				for (size_t i = 0; (v = bad_values(i)) != NULL; i++) {
					struct cps_error err = { 0 };
					if (cps_application_check_field(t.e, &ctx, (enum cps_app_field)f,
									v, NULL, 0, &err) != CPS_OK)
						fits(langs[l], cps_app_field_label((enum cps_app_field)f),
						     err.msg);
				}
			}
		}
		/* the product's details, under their fields and in the page's note */
		const char *v;
		for (size_t i = 0; (v = bad_values(i)) != NULL; i++) {
			struct cps_error err = { 0 };
			char out[64];
			enum cps_date_precision prec;
			if (cps_serial_normalise(v, out, sizeof(out), &err) != CPS_OK)
				fits(langs[l], dgettext("cpsreg", "Serial number"), err.msg);
			if (cps_purchase_date_parse(v, out, sizeof(out), &prec, &err) != CPS_OK)
				fits(langs[l], dgettext("cpsreg", "Purchase date"), err.msg);
			if (cps_dealer_normalise(v, out, sizeof(out), &err) != CPS_OK)
				fits(langs[l], dgettext("cpsreg", "Dealer"), err.msg);
		}
	}
	tu_engine_free(&t);
	print_message("%d messages checked, %d too long\n", checked, failed);
	assert_true(checked > 1000);
	assert_int_equal(failed, 0);
}

/* --- the message line: one line of 78 columns ------------------------- */

/* The text of a PO string that starts at p (after the keyword): its quoted
 * pieces joined, the escapes \n, \t, \" and \\ read.  Returns the
 * text's end in the file. */
static const char *po_string(const char *p, char *out, size_t len)
{
	size_t n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p != '"')
			break;
		for (p++; *p && *p != '"'; p++) {
			char c = *p;
			if (c == '\\' && p[1]) {
				p++;
				c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
			}
			if (n + 1 < len)
				out[n++] = c;
		}
		if (*p == '"')
			p++;
	}
	out[n] = '\0';
	return p;
}

/* Every msgid of the screens (a reference into ui/pages or ui/kit) that is
 * one line in English (at most 78 columns, no line break: a hint or a
 * message for the message line) is one line in the translation too. */
static void line_fits(const char *lang)
{
	char path[64], id[4096], str[4096];
	size_t len;

	snprintf(path, sizeof(path), "assets/po/%s.po", lang);
	char *po = tu_read_file(path, &len);
	assert_non_null(po);
	for (const char *p = po; (p = strstr(p, "\n#: ")) != NULL; ) {
		const char *end = strstr(p + 1, "\n\n");
		const char *refs_end = strstr(p + 1, "\nmsgid ");
		if (!refs_end)
			break;
		int screen = 0;
		for (const char *r = p; r < refs_end; r++)
			if (strncmp(r, "ui/pages/", 9) == 0 || strncmp(r, "ui/kit/", 7) == 0)
				screen = 1;
		const char *q = po_string(refs_end + 7, id, sizeof(id));
		p = end ? end : q;
		if (!screen || strncmp(q, "msgstr ", 7) != 0)
			continue;   /* a plural: counted words, not lines */
		po_string(q + 7, str, sizeof(str));
		if (strchr(id, '\n') || text_width(id) > 78 || !str[0])
			continue;
		checked++;
		if (text_width(str) > 78) {
			failed++;
			print_message("%s: %d columns: %s\n", lang, text_width(str), str);
		}
	}
	free(po);
}

static void test_line_messages_fit(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
	checked = failed = 0;
	line_fits("nb");
	line_fits("da");
	print_message("%d one-line texts checked, %d too long\n", checked, failed);
	assert_true(checked > 100);
	assert_int_equal(failed, 0);
}

/* Back to English for anything that follows, even after a failure. */
static int english_again(void **state)
{
	(void)state;
	unsetenv("LANGUAGE");
	setlocale(LC_ALL, "C");
	textdomain(textdomain(NULL));
	return tu_cleanup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_field_messages_fit, english_again),
		cmocka_unit_test_teardown(test_line_messages_fit, english_again),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
