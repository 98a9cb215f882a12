#!/bin/sh
# test_staff_paper.sh - a customer without a file shows the paper at the
# counter (README, "The staff console"): staff find the draft, open its
# proof document and record the paper as seen in person, audited; once the
# application is submitted the paper can no longer be recorded.
. tests/lib.sh
. tests/e2e/lib.sh

db="$SUITE_DIR/paper.db"
"$CPSREG_BIN" --db "$db" messages >/dev/null
now=$(date +%s)
sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised,
	status, created_at, updated_at) VALUES
	('paper@example.dk', 'Papir Foto ApS', 'DK', 'Vestergade 1', '1456', 'Kobenhavn K',
	 'Per', 'Hansen', 'da', 1, 'DK13585628', 1, 'draft', $now, $now);"

e2e_start -- --db "$db" staff
e2e_expect "the console opens" "Find a customer"
e2e_keys Tab Enter
e2e_expect "the find page opens" "Find "
e2e_type "paper@"
e2e_keys Tab Enter
e2e_expect "the draft is found" "paper@example.dk"
e2e_keys Enter C-n
e2e_expect "the customer page opens" "Old CPS e-mail"
e2e_keys Tab Tab Enter
e2e_expect "the document page opens" "has no proof document yet"
e2e_expect "the papers that fit a VAT-registered company are offered" "< Invoice showing the VAT number >"
e2e_lacks "a paper that does not fit is not offered" "trade licence"
e2e_keys Tab Enter
e2e_expect "the paper is recorded" "Recorded: Invoice showing the VAT number, seen in person."
e2e_expect "the page shows who saw it" "a paper seen in person by"
[ "$(sqlite3 "$db" "SELECT d.doc_type || '|' || (d.seen_by <> '') || '|' || (d.content IS NULL) FROM document d JOIN account a ON a.id = d.account_id WHERE a.email = 'paper@example.dk'")" = "vat_invoice|1|1" ] &&
	ok "the store holds the paper's kind and who saw it, no file" || not_ok "the store holds the paper's kind and who saw it, no file"
[ "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE action = 'seen_in_person'")" = 1 ] &&
	ok "the audit has a line for seen_in_person" || not_ok "the audit has a line for seen_in_person"

# a submitted application's document cannot change: nothing is offered
e2e_keys C-q y
e2e_expect_exit 0 "the console ends normally"
sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised,
	status, submitted_at, expected_by, created_at, updated_at) VALUES
	('sent@example.dk', 'Sendt Foto ApS', 'DK', 'Vestergade 2', '1456', 'Kobenhavn K',
	 'Sif', 'Hansen', 'da', 1, 'DK13585628', 1, 'pending', $now, '2026-12-09', $now, $now);"
e2e_start -- --db "$db" staff
e2e_expect "the submitted one is in the queue" "sent@example.dk"
e2e_keys Enter C-n
e2e_expect "its customer page opens" "Old CPS e-mail"
e2e_keys Tab Tab Enter
e2e_expect "its document page opens" "has no proof document yet"
e2e_lacks "no paper is offered once submitted" "seen in person"
e2e_keys C-q y
e2e_expect_exit 0 "the console ends normally again"
finish
