/* test_membership.c - membership numbers (the Damm check digit catches
 * every single-digit error and adjacent swap), their generation, invoice
 * numbers per year, and the bank transfer details. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpsreg/membership.h"
#include "cpsreg/secret.h"
#include "cpsreg/store.h"
#include "../../src/engine_private.h"
#include "../../src/store_legacy.h"
#include "../../src/store_membership.h"
#include "testutil.h"

#define RANDOM_NUMBERS 20000

/* --- the check digit ------------------------------------------------------ */

static void test_damm_known_values(void **state)
{
	(void)state;
	/* the worked example of Damm's algorithm */
	assert_int_equal(cps_membership_check_digit("572"), 4);
	assert_int_equal(cps_membership_check_digit("5724"), 0);
	assert_int_equal(cps_membership_check_digit("12345678"), 6);
	assert_int_equal(cps_membership_check_digit("0"), 0);
	assert_int_equal(cps_membership_check_digit(""), -1);
	assert_int_equal(cps_membership_check_digit(NULL), -1);
	assert_int_equal(cps_membership_check_digit("12a4"), -1);
	assert_int_equal(cps_membership_check_digit("12 4"), -1);
}

/* The three properties that make the guarantees: read off the function
 * itself, for every pair of digits after every interim digit. */
static void test_damm_table_properties(void **state)
{
	char s[4];

	(void)state;
	s[3] = '\0';
	for (int c = 0; c < 10; c++) {
		for (int x = 0; x < 10; x++) {
			for (int y = 0; y < 10; y++) {
				if (x == y)
					continue;
				/* reach interim c: the digit string "d" with check c
				 * is "d" itself for one digit: find one */
				int d;
				for (d = 0; d < 10; d++) {
					char one[2] = { (char)('0' + d), 0 };
					if (cps_membership_check_digit(one) == c)
						break;
				}
				assert_true(d < 10);
				s[0] = (char)('0' + d);
				/* a different digit in the same place: a different result */
				char a[3] = { s[0], (char)('0' + x), 0 };
				char b[3] = { s[0], (char)('0' + y), 0 };
				assert_int_not_equal(cps_membership_check_digit(a),
						     cps_membership_check_digit(b));
				/* swapped neighbours: a different result */
				s[1] = (char)('0' + x);
				s[2] = (char)('0' + y);
				int xy = cps_membership_check_digit(s);
				s[1] = (char)('0' + y);
				s[2] = (char)('0' + x);
				assert_int_not_equal(xy, cps_membership_check_digit(s));
			}
		}
		/* zero diagonal: a digit string followed by its check is 0 */
		char w[3] = { (char)('0' + c), 0, 0 };
		w[1] = (char)('0' + cps_membership_check_digit(w));
		assert_int_equal(cps_membership_check_digit(w), 0);
	}
}

static void random_body(char digits[CPS_MEMBERSHIP_DIGITS + 1])
{
	unsigned char r[CPS_MEMBERSHIP_DIGITS];

	assert_int_equal(cps_secret_random(r, sizeof(r), NULL), CPS_OK);
	for (int i = 0; i < CPS_MEMBERSHIP_DIGITS - 1; i++)
		digits[i] = (char)('0' + r[i] % 10);
	digits[CPS_MEMBERSHIP_DIGITS - 1] = '\0';
	digits[CPS_MEMBERSHIP_DIGITS - 1] = (char)('0' + cps_membership_check_digit(digits));
	digits[CPS_MEMBERSHIP_DIGITS] = '\0';
}

static int valid_digits(const char *d)
{
	char s[32];

	snprintf(s, sizeof(s), "CPS-%s", d);
	return cps_membership_number_valid(s);
}

static void test_every_single_error_caught(void **state)
{
	char d[CPS_MEMBERSHIP_DIGITS + 1];
	long tried = 0;

	(void)state;
	for (int n = 0; n < RANDOM_NUMBERS; n++) {
		random_body(d);
		assert_true(valid_digits(d));
		for (int i = 0; i < CPS_MEMBERSHIP_DIGITS; i++) {
			char keep = d[i];
			for (char c = '0'; c <= '9'; c++) {
				if (c == keep)
					continue;
				d[i] = c;
				if (valid_digits(d))
					fail_msg("CPS-%s accepted: digit %d changed", d, i + 1);
				tried++;
			}
			d[i] = keep;
		}
	}
	assert_int_equal(tried, (long)RANDOM_NUMBERS * CPS_MEMBERSHIP_DIGITS * 9);
}

static void test_every_adjacent_swap_caught(void **state)
{
	char d[CPS_MEMBERSHIP_DIGITS + 1];
	long tried = 0;

	(void)state;
	for (int n = 0; n < RANDOM_NUMBERS; n++) {
		random_body(d);
		/* the check digit's neighbour too */
		for (int i = 0; i + 1 < CPS_MEMBERSHIP_DIGITS; i++) {
			if (d[i] == d[i + 1])
				continue;
			char t = d[i];
			d[i] = d[i + 1];
			d[i + 1] = t;
			if (valid_digits(d))
				fail_msg("CPS-%s accepted: digits %d and %d swapped", d, i + 1, i + 2);
			tried++;
			d[i + 1] = d[i];
			d[i] = t;
		}
	}
	assert_true(tried > (long)RANDOM_NUMBERS * 6);
	/* the case Luhn misses */
	assert_int_not_equal(cps_membership_check_digit("09"),
			     cps_membership_check_digit("90"));
	assert_int_not_equal(cps_membership_check_digit("1234509"),
			     cps_membership_check_digit("1234590"));
}

static void test_normalise_forms(void **state)
{
	char out[CPS_MEMBERSHIP_NUMBER_SIZE];
	struct cps_error err = { 0 };

	(void)state;
	assert_int_equal(cps_membership_number_normalise("CPS-123456786", out, sizeof(out), &err), CPS_OK);
	assert_string_equal(out, "CPS-123456786");
	assert_int_equal(cps_membership_number_normalise("  cps 1234 5678 6 ", out, sizeof(out), &err), CPS_OK);
	assert_string_equal(out, "CPS-123456786");
	assert_int_equal(cps_membership_number_normalise("123-456-786", out, sizeof(out), &err), CPS_OK);
	assert_string_equal(out, "CPS-123456786");
	assert_int_equal(cps_membership_number_normalise("Cps123456786", out, sizeof(out), NULL), CPS_OK);
	assert_true(cps_membership_number_valid("cps-123456786"));

	assert_int_equal(cps_membership_number_normalise("CPS-123456789", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_string_equal(out, "");
	assert_non_null(strstr(err.msg, "swapped"));
	assert_int_equal(cps_membership_number_normalise("CPS-213456786", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_int_equal(cps_membership_number_normalise("CPS-12345678", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "9 digits"));
	assert_int_equal(cps_membership_number_normalise("CPS-1234567860", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_int_equal(cps_membership_number_normalise("ABC-123456786", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_int_equal(cps_membership_number_normalise("CPS-12345678O", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_int_equal(cps_membership_number_normalise("", out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_non_null(strstr(err.msg, "enter"));
	assert_int_equal(cps_membership_number_normalise(NULL, out, sizeof(out), &err), CPS_ERR_INVALID);
	assert_int_equal(cps_membership_number_normalise("CPS-123456786", out, 5, &err), CPS_ERR_INVALID);
	assert_int_equal(cps_membership_number_normalise("CPS-123456786", NULL, 0, &err), CPS_ERR_INVALID);
	/* a very long input is not read past the buffer */
	char lng[200];
	memset(lng, '1', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	assert_false(cps_membership_number_valid(lng));
	assert_false(cps_membership_number_valid(NULL));
}

/* --- new numbers ------------------------------------------------------- */

/* Stores an invoice numbered invoice_number for account (a bare draft from
 * tu_account_draft, made outside any open transaction) and, when
 * member_number is not NULL, a membership with that number. */
static void add_invoice(struct cps_store *s, long long account,
			const char *invoice_number, const char *member_number)
{
	struct cps_error err = { 0 };
	long long invoice;
	const struct cps_store_invoice inv = {
		.number = invoice_number, .level_id = "silver", .level_name = "Silver",
		.amount_cents = 10000, .currency = "EUR", .method = "bank",
		.reference = "", .issued_on = "2026-01-01", .due_on = "2026-01-31",
	};

	if (cps_store_invoice_insert(s, account, &inv, 0, &invoice, &err) != CPS_OK)
		fail_msg("test invoice %s: %s", invoice_number, err.msg);
	if (member_number &&
	    cps_store_membership_insert(s, account, member_number, NULL, "silver", "Silver",
					invoice, 0, &err) != CPS_OK)
		fail_msg("test membership %s: %s", member_number, err.msg);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_new_numbers(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	static char nums[500][CPS_MEMBERSHIP_NUMBER_SIZE];
	char small[8];

	(void)state;
	tu_engine_new(&t, 1790000000);
	for (int i = 0; i < 500; i++) {
		assert_int_equal(cps_membership_number_new(t.e, nums[i], sizeof(nums[i]), &err), CPS_OK);
		assert_int_equal(strlen(nums[i]), CPS_MEMBERSHIP_NUMBER_LEN);
		assert_memory_equal(nums[i], "CPS-", 4);
		assert_true(nums[i][4] >= '1' && nums[i][4] <= '9');
		assert_true(cps_membership_number_valid(nums[i]));
	}
	qsort(nums, 500, sizeof(nums[0]), cmp_str);
	for (int i = 1; i < 500; i++)
		assert_string_not_equal(nums[i - 1], nums[i]);
	assert_int_equal(cps_membership_number_new(t.e, small, sizeof(small), &err), CPS_ERR_INVALID);
	tu_engine_free(&t);
}

static void test_number_taken(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	long long id;
	int taken = -1;

	(void)state;
	tu_engine_new(&t, 1790000000);
	struct cps_store *s = t.e->store;
	long long account = tu_account_draft(&t, NULL, "DK");
	assert_int_equal(cps_store_membership_number_taken(s, "CPS-123456786", "123456786", &taken, &err), CPS_OK);
	assert_false(taken);

	/* a membership has it */
	add_invoice(s, account, "INV-2026-000001", "CPS-123456786");
	assert_int_equal(cps_store_membership_number_taken(s, "CPS-123456786", "123456786", &taken, &err), CPS_OK);
	assert_true(taken);

	/* an old CPS account has it, with or without the prefix */
	assert_int_equal(cps_store_membership_number_taken(s, "CPS-572000007", "572000007", &taken, &err), CPS_OK);
	assert_false(taken);
	assert_int_equal(cps_store_legacy_account_insert(s, "old@example.com", "572000007", "", 0, &id, &err), CPS_OK);
	assert_int_equal(cps_store_membership_number_taken(s, "CPS-572000007", "572000007", &taken, &err), CPS_OK);
	assert_true(taken);
	assert_int_equal(cps_store_legacy_account_insert(s, "old2@example.com", "cps-200000004", "", 0, &id, &err), CPS_OK);
	assert_int_equal(cps_store_membership_number_taken(s, "CPS-200000004", "200000004", &taken, &err), CPS_OK);
	assert_true(taken);
	tu_engine_free(&t);
}

/* --- invoice numbers --------------------------------------------------- */

static void test_invoice_numbers(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	char num[CPS_INVOICE_NUMBER_SIZE];

	(void)state;
	tu_engine_new(&t, 1790000000);
	struct cps_store *s = t.e->store;
	/* one account owns every invoice: an account is made in a transaction
	 * of its own, which cannot start inside the one held below */
	long long account = tu_account_draft(&t, NULL, "DK");

	/* only inside the transaction that stores the invoice */
	assert_int_equal(cps_invoice_number_next(t.e, 2026, num, sizeof(num), &err), CPS_ERR_STATE);
	assert_string_equal(num, "");

	assert_int_equal(cps_store_begin(s, &err), CPS_OK);
	assert_int_equal(cps_invoice_number_next(t.e, 2026, num, sizeof(num), &err), CPS_OK);
	assert_string_equal(num, "INV-2026-000001");
	assert_true(cps_invoice_number_valid(num));
	/* the number is taken when the invoice is stored */
	add_invoice(s, account, num, NULL);
	assert_int_equal(cps_invoice_number_next(t.e, 2026, num, sizeof(num), &err), CPS_OK);
	assert_string_equal(num, "INV-2026-000002");
	add_invoice(s, account, num, NULL);
	assert_int_equal(cps_store_commit(s, &err), CPS_OK);

	/* per year */
	assert_int_equal(cps_store_begin(s, &err), CPS_OK);
	assert_int_equal(cps_invoice_number_next(t.e, 2027, num, sizeof(num), &err), CPS_OK);
	assert_string_equal(num, "INV-2027-000001");
	assert_int_equal(cps_invoice_number_next(t.e, 2026, num, sizeof(num), &err), CPS_OK);
	assert_string_equal(num, "INV-2026-000003");
	/* sequential by number, not by text or insertion order; invoices
	 * from the remote in other forms do not count */
	add_invoice(s, account, "INV-2026-000010", NULL);
	add_invoice(s, account, "INV-2026-000009", NULL);
	add_invoice(s, account, "INV-2026-9999999", NULL);
	add_invoice(s, account, "R-2026-77", NULL);
	assert_int_equal(cps_invoice_number_next(t.e, 2026, num, sizeof(num), &err), CPS_OK);
	assert_string_equal(num, "INV-2026-000011");

	/* used up */
	add_invoice(s, account, "INV-2028-999999", NULL);
	assert_int_equal(cps_invoice_number_next(t.e, 2028, num, sizeof(num), &err), CPS_ERR_STATE);
	assert_non_null(strstr(err.msg, "2028"));
	assert_int_equal(cps_invoice_number_next(t.e, 99, num, sizeof(num), &err), CPS_ERR_INVALID);
	assert_int_equal(cps_invoice_number_next(t.e, 2026, num, 10, &err), CPS_ERR_INVALID);
	cps_store_rollback(s);

	/* the rolled-back numbers are free again */
	assert_int_equal(cps_store_begin(s, &err), CPS_OK);
	assert_int_equal(cps_invoice_number_next(t.e, 2026, num, sizeof(num), &err), CPS_OK);
	assert_string_equal(num, "INV-2026-000003");
	cps_store_rollback(s);
	tu_engine_free(&t);
}

static void test_invoice_number_valid(void **state)
{
	(void)state;
	assert_true(cps_invoice_number_valid("INV-2026-000001"));
	assert_true(cps_invoice_number_valid("INV-1999-999999"));
	assert_false(cps_invoice_number_valid("INV-2026-000000"));
	assert_false(cps_invoice_number_valid("INV-0999-000001"));
	assert_false(cps_invoice_number_valid("INV-2026-00001"));
	assert_false(cps_invoice_number_valid("INV-2026-0000011"));
	assert_false(cps_invoice_number_valid("inv-2026-000001"));
	assert_false(cps_invoice_number_valid("INV-2026_000001"));
	assert_false(cps_invoice_number_valid("INV-20x6-000001"));
	assert_false(cps_invoice_number_valid(""));
	assert_false(cps_invoice_number_valid(NULL));
}

/* --- bank details ------------------------------------------------------ */

static void set(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	assert_non_null(*field);
}

static void test_bank_details_configured(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_bank_details bd;

	(void)state;
	tu_engine_new(&t, 0);
	set(&t.cfg->bank_name, "DNB Bank ASA");
	set(&t.cfg->account_holder, "Canon Europa N.V.");
	set(&t.cfg->iban, "no9386011117947");
	set(&t.cfg->bic, "dnbanokk");
	set(&t.cfg->reference, "CPS {invoice} / {invoice}");
	assert_int_equal(cps_payment_bank_details(t.cfg, "INV-2026-000042", &bd, &err), CPS_OK);
	assert_true(bd.configured);
	assert_string_equal(bd.bank_name, "DNB Bank ASA");
	assert_string_equal(bd.account_holder, "Canon Europa N.V.");
	assert_string_equal(bd.iban, "NO93 8601 1117 947");
	assert_string_equal(bd.bic, "DNBANOKK");
	assert_string_equal(bd.reference, "CPS INV-2026-000042 / INV-2026-000042");
	assert_string_equal(bd.text,
		"Bank: DNB Bank ASA\n"
		"Account holder: Canon Europa N.V.\n"
		"IBAN: NO93 8601 1117 947\n"
		"BIC: DNBANOKK\n"
		"Payment reference: CPS INV-2026-000042 / INV-2026-000042\n");

	/* a long IBAN, already grouped in the config; no bank name or BIC */
	set(&t.cfg->bank_name, "");
	set(&t.cfg->bic, "");
	set(&t.cfg->iban, "MT84 MALT 0110 0001 2345 MTLC AST0 01S");
	set(&t.cfg->reference, "{invoice}");
	assert_int_equal(cps_payment_bank_details(t.cfg, "INV-2026-000001", &bd, &err), CPS_OK);
	assert_string_equal(bd.iban, "MT84 MALT 0110 0001 2345 MTLC AST0 01S");
	assert_string_equal(bd.text,
		"Account holder: Canon Europa N.V.\n"
		"IBAN: MT84 MALT 0110 0001 2345 MTLC AST0 01S\n"
		"Payment reference: INV-2026-000001\n");
	tu_engine_free(&t);
}

static void test_bank_details_not_configured(void **state)
{
	struct tu_engine t;
	struct cps_error err = { 0 };
	struct cps_bank_details bd;

	(void)state;
	tu_engine_new(&t, 0);
	/* the defaults: no bank details, reference "CPS {invoice}" */
	assert_int_equal(cps_payment_bank_details(t.cfg, "INV-2026-000007", &bd, &err), CPS_OK);
	assert_false(bd.configured);
	assert_string_equal(bd.iban, "");
	assert_string_equal(bd.reference, "CPS INV-2026-000007");
	assert_string_equal(bd.text,
		"The bank details are not set up here yet: please ask staff for them.\n"
		"Payment reference: CPS INV-2026-000007\n");
	set(&t.cfg->reference, "");
	assert_int_equal(cps_payment_bank_details(t.cfg, "INV-2026-000007", &bd, &err), CPS_OK);
	assert_string_equal(bd.text, "The bank details are not set up here yet: please ask staff for them.\n");

	/* a bank name alone is not enough to pay */
	set(&t.cfg->bank_name, "Some Bank");
	assert_int_equal(cps_payment_bank_details(t.cfg, "INV-2026-000007", &bd, &err), CPS_OK);
	assert_false(bd.configured);

	assert_int_equal(cps_payment_bank_details(t.cfg, "", &bd, &err), CPS_ERR_INVALID);
	assert_int_equal(cps_payment_bank_details(t.cfg, NULL, &bd, &err), CPS_ERR_INVALID);
	assert_int_equal(cps_payment_bank_details(t.cfg, "INV\n1", &bd, &err), CPS_ERR_INVALID);

	/* too long to show: refused, not cut */
	char lng[200];
	memset(lng, 'x', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	set(&t.cfg->bank_name, lng);
	assert_int_equal(cps_payment_bank_details(t.cfg, "INV-2026-000007", &bd, &err), CPS_ERR_INVALID);
	assert_string_equal(bd.text, "");
	set(&t.cfg->bank_name, "");
	char ref[141] = "";
	for (int i = 0; i < 15; i++)
		strcat(ref, "{invoice}");
	set(&t.cfg->reference, ref);
	assert_int_equal(cps_payment_bank_details(t.cfg, "INV-2026-000007-WITH-A-LONG-TAIL", &bd, &err), CPS_ERR_INVALID);
	tu_engine_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_damm_known_values, tu_cleanup),
		cmocka_unit_test_teardown(test_damm_table_properties, tu_cleanup),
		cmocka_unit_test_teardown(test_every_single_error_caught, tu_cleanup),
		cmocka_unit_test_teardown(test_every_adjacent_swap_caught, tu_cleanup),
		cmocka_unit_test_teardown(test_normalise_forms, tu_cleanup),
		cmocka_unit_test_teardown(test_new_numbers, tu_cleanup),
		cmocka_unit_test_teardown(test_number_taken, tu_cleanup),
		cmocka_unit_test_teardown(test_invoice_numbers, tu_cleanup),
		cmocka_unit_test_teardown(test_invoice_number_valid, tu_cleanup),
		cmocka_unit_test_teardown(test_bank_details_configured, tu_cleanup),
		cmocka_unit_test_teardown(test_bank_details_not_configured, tu_cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
