#!/bin/sh
# test_staff_migrate.sh - a customer gave a wrong old CPS e-mail (a typo):
# the wizard cannot offer MIGRATE PRODUCTS.  Staff correct it in the
# console after approving; the migration check then finds the old account;
# the customer sets the password and moves the old products in the wizard,
# all at 80x24.  The audit has the correction.
. tests/lib.sh
. tests/e2e/lib.sh

db="$SUITE_DIR/shop.db"
"$CPSREG_BIN" --db "$db" import-legacy assets/legacy-sample.csv >/dev/null
now=$(date +%s)
PASSWORD="quiet harbour lamp 42"
# submitted as the wizard leaves it, with "nordman" for "nordmann"
sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised, old_email,
	status, submitted_at, expected_by, created_at, updated_at) VALUES
	('kari@nordfoto.no', 'Kari Nordmann Foto AS', 'NO', 'Storgata 2', '0155', 'Oslo',
	 'Kari', 'Nordmann', 'en', 1, 'NO988077917MVA', 1, 'kari.nordman@example.no',
	 'pending', $now, '2026-12-10', $now, $now);"

# --- staff: approve, then the old e-mail is corrected ------------------------------
e2e_start -- --db "$db" staff
e2e_expect "the console opens on the queue" "kari@nordfoto.no"
e2e_keys Enter
e2e_expect "the application opens" "Storgata 2"
e2e_expect "the mistyped old e-mail is shown" "kari.nordman@example.no"
e2e_lacks "no check digit to accept" "< Accept number >"
e2e_keys Enter
e2e_expect "approved" "Approved: the password-set code waits"
e2e_keys C-n
e2e_expect "the customer page opens" "Old CPS e-mail"
e2e_expect "the old e-mail field holds the typo" "Old CPS e-mail        kari.nordman@example.no "
e2e_keys C-u
e2e_type "kari.nordmann@example.no"
e2e_keys Tab Enter
e2e_expect "the correction is confirmed" "The old CPS e-mail is corrected"
e2e_expect "the migration check now finds the old account's products" "4 products"
e2e_keys C-q y
e2e_expect_exit 0 "the console ends normally"
[ "$(sqlite3 "$db" "SELECT old_email FROM account WHERE email = 'kari@nordfoto.no'")" = kari.nordmann@example.no ] &&
	ok "the corrected e-mail is stored" || not_ok "the corrected e-mail is stored"
sqlite3 "$db" "SELECT action FROM audit" | grep -qx correct_old_email &&
	ok "the audit has the correction" || not_ok "the audit has the correction" "$(sqlite3 "$db" "SELECT action FROM audit")"

# --- the customer: password, then MIGRATE PRODUCTS ------------------------------
code=$("$CPSREG_BIN" --db "$db" messages kari@nordfoto.no | grep -Eo '\b[a-z2-7]{32}\b' | head -n 1)
[ -n "$code" ] && ok "the password code waits for the customer" || not_ok "the password code waits for the customer"
e2e_start -- --db "$db"
e2e_expect "the wizard opens" "< Set my password >"
e2e_keys Tab Tab Enter
e2e_expect "the password page opens" "Code from the e-mail"
e2e_type "kari@nordfoto.no"
e2e_keys Tab
e2e_type "$code"
e2e_keys Tab
e2e_type "$PASSWORD"
e2e_keys Tab
e2e_type "$PASSWORD"
e2e_keys C-n
e2e_expect "the password is set: My products" "< Add a product >"
e2e_keys C-n
e2e_expect "Next opens the migration" "Move the products of your old CPS account"
e2e_expect "the corrected old account is named" "Old CPS account: kari.nordmann@example.no, member number CPS-NO-104233"
e2e_expect "MIGRATE PRODUCTS is offered" "< MIGRATE PRODUCTS >"
e2e_keys Enter
e2e_expect "the products move" "Moved: 4"
e2e_expect "their points are added" "Points added: 1750"
e2e_keys C-q y
e2e_expect_exit 0 "the wizard ends normally"
[ "$(sqlite3 "$db" "SELECT count(*) FROM product p JOIN account a ON a.id = p.account_id WHERE a.email = 'kari@nordfoto.no'")" = 4 ] &&
	ok "the four products are the customer's in the store" ||
	not_ok "the four products are the customer's in the store"

e2e_check_widths "no line of any capture is wider than 80 columns" 80
finish
