#!/bin/sh
# test_staff.sh - the staff console at 80x24: the queue, one application in
# full, accepting a number whose check digit fails, approve, reject with a
# reason, a message shown and marked handed over (its code wiped), and an
# audit line for each.
. tests/lib.sh
. tests/e2e/lib.sh

db="$SUITE_DIR/console.db"
"$CPSREG_BIN" --db "$db" messages >/dev/null
now=$(date +%s)
# two submitted applications as the wizard leaves them; Anna's CVR has a
# wrong check digit, and she has waited longer
sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised,
	status, submitted_at, expected_by, created_at, updated_at) VALUES
	('anna@example.dk', 'Foto Anna ApS', 'DK', 'Vestergade 1', '1456', 'Kobenhavn K',
	 'Anna', 'Hansen', 'da', 1, 'DK13585627', 1, 'pending', $((now - 7200)), '2026-12-09', $now, $now),
	('ola@example.no', 'Ola Foto AS', 'NO', 'Storgata 2', '0155', 'Oslo',
	 'Ola', 'Nordmann', 'nb', 1, 'NO988077917MVA', 1, 'pending', $now, '2026-12-10', $now, $now);"

# the last --db wins: the console works on the database made above
e2e_start -- --db "$db" staff
e2e_expect "the console opens on the queue" "Applications waiting for validation"
e2e_expect_row "the oldest application is first, with its age" 7 "2h 2026-12-09  anna@example.dk"
e2e_expect_row "the newer one follows" 8 "ola@example.no"

e2e_keys Enter
e2e_expect "the application opens in full" "Vestergade 1"
e2e_expect "the check's answer is shown" "The check digit does not match"
e2e_expect "the document is shown" "Document"
e2e_keys Tab Tab Tab Tab Enter
e2e_expect "staff accept the number" "The number is accepted"
e2e_expect "who accepted it is shown" "accepted by"
e2e_keys Enter
e2e_expect "the approval is confirmed" "Approved: the password-set code waits"
[ "$(sqlite3 "$db" "SELECT status || '|' || vat_number FROM account WHERE email = 'anna@example.dk'")" = "validated|DK13585627" ] \
	&& ok "the approval and the accepted number are stored" || not_ok "the approval and the accepted number are stored"

e2e_keys C-b
e2e_expect "Back returns to the queue" "Applications waiting for validation"
e2e_wait_gone "anna@example.dk" >/dev/null
e2e_lacks "the approved application has left the queue" "anna@example.dk"
e2e_keys Enter
e2e_expect "the next application opens" "Storgata 2"
e2e_expect "a valid number says so" "the check digits are right"
e2e_keys Tab
e2e_type "The invoice is blurred"
e2e_keys Tab Enter
e2e_expect "the rejection is confirmed" "Rejected: the reason waits"
[ "$(sqlite3 "$db" "SELECT status || '|' || reject_reason FROM account WHERE email = 'ola@example.no'")" = "rejected|The invoice is blurred" ] \
	&& ok "the rejection and its reason are stored" || not_ok "the rejection and its reason are stored"

e2e_keys C-b
e2e_wait_for "Applications waiting for validation" >/dev/null
e2e_keys C-n
e2e_expect "the messages page lists the password code" "password_set"
e2e_expect "and the rejection" "rejection"
e2e_keys Enter
# the message is written in the customer's language (Anna prefers Danish)
e2e_expect "Enter shows the message, in Danish" "Din kode til at angive adgangskoden"
code=$(e2e_screen | grep -Eo '\b[a-z2-7]{32}\b' | head -n 1)
[ -n "$code" ] && ok "the code is on screen to hand over" || not_ok "the code is on screen to hand over"
e2e_keys Enter
e2e_expect "the message is marked handed over" "handed over; its code is wiped"
body=$(sqlite3 "$db" "SELECT body FROM message WHERE kind = 'password_set'")
case $body in
*"[code removed]"*) case $body in *"$code"*) not_ok "the code is wiped from the stored body" ;;
	*) ok "the code is wiped from the stored body" ;; esac ;;
*) not_ok "the code is wiped from the stored body" "$body" ;;
esac
e2e_lacks "the handed-over message has left the list" "password_set"

# find a customer and see their state
e2e_keys C-b
e2e_expect "Back returns to the queue" "Find a customer"
e2e_keys Tab Enter
e2e_expect "the find page opens" "Find a customer"
e2e_type "13585627"
e2e_keys Tab Enter
e2e_expect "the customer is found by the CVR number" "validated  anna@example.dk"
e2e_keys Enter
e2e_expect "the customer opens with the state of every step" "Validation"
e2e_expect "the points are shown" "0 points from 0 of 0 products"
e2e_lacks "a decided application offers no approval" "< Approve >"

e2e_keys C-q y
e2e_expect_exit 0 "the console ends normally"

run "$CPSREG_BIN" --db "$db" audit
for action in accept_id approve reject handed_over; do
	contains "the audit has a line for $action" "$action"
done
contains "the audit names the Unix user" "(Unix user $(id -un))"
finish
