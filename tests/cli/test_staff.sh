#!/bin/sh
# test_staff.sh - the staff commands over a real database: importing the
# catalog and legacy accounts, approving and rejecting, messages, status.
. tests/lib.sh

db="$SUITE_DIR/staff.db"
cps() { "$CPSREG_BIN" --db "$db" "$@"; }

expect_exit 0 "messages on an empty database" cps messages
contains "it says nothing is waiting" "no messages waiting"

# --- catalog ------------------------------------------------------------------
expect_exit 0 "importing the shipped catalog again works" cps import-catalog assets/catalog.csv
contains "nothing changes on a re-import" "0 added, 0 updated"
printf 'model,category,points,release_year,serial_pattern\nEOS Test,body,100,2020,\nEOS Bad,spaceship,100,2020,\n' >"$SUITE_DIR/cat.csv"
expect_exit 1 "a catalog with a bad row is refused" cps import-catalog "$SUITE_DIR/cat.csv"
contains "the error names the file and line" "cat.csv:3:"
contains "it says nothing was imported" "nothing was imported"
run cps import-catalog assets/catalog.csv
contains "the refused import changed nothing" "0 added, 0 updated"

# --- legacy accounts ----------------------------------------------------------
expect_exit 0 "the legacy sample imports" cps import-legacy assets/legacy-sample.csv
contains "it reports what was added" "3 accounts added"
expect_exit 0 "importing it twice works" cps import-legacy assets/legacy-sample.csv
contains "the second import adds nothing" "0 accounts added"
contains "the products are unchanged" "0 products added"
# one of each: the singular, in English and in the session's language
printf 'email,member_number,name,model,serial,purchase_date,purchase_country,dealer\none@example.no,CPS-NO-1,One Foto,EOS R5,999888777666,2021-05-14,NO,Foto\n' >"$SUITE_DIR/one.csv"
expect_exit 0 "a one-account file imports" cps import-legacy "$SUITE_DIR/one.csv"
contains "one account is one account" "from 1 row: 1 account added"
contains "one product is one product" "1 product added,"
lacks "no plural for one" "1 accounts"
# LANG alone, with the locale not generated, picks Norwegian and Danish
expect_exit 1 "a Norwegian session: no application for an old account" env LC_ALL= LANGUAGE= LANG=nb_NO.UTF-8 "$CPSREG_BIN" --db "$db" status one@example.no
contains "the answer is in Norwegian" "ingen søknad"
expect_exit 1 "a Danish session: the same" env LC_ALL= LANGUAGE= LANG=da_DK.UTF-8 "$CPSREG_BIN" --db "$db" status one@example.no
lacks "the answer is not in English" "no application"
printf 'email,member_number,name,model,serial,purchase_date,purchase_country,dealer\nnobody,X1,,EOS R99,,,,\n' >"$SUITE_DIR/bad.csv"
expect_exit 1 "a bad legacy file is refused" cps import-legacy "$SUITE_DIR/bad.csv"
contains "the problem names the line" "bad.csv:2:"
expect_exit 1 "a missing file is refused" cps import-legacy "$SUITE_DIR/missing.csv"
# two rows of one e-mail whose names differ after an "ø" straddling the
# 60-byte cut of a quoted value: this once overflowed a buffer (exit 139)
long="Nordlys Fotografi og Bildebyra Aksjeselskap avdeling Tromsoø"
printf 'email,member_number,name,model,serial,purchase_date,purchase_country,dealer\nn@example.no,N-1,%s Nord,EOS R5,,2021,NO,Foto\nn@example.no,N-1,%s Sør,EOS R6,,2022,NO,Foto\n' \
	"$long" "$long" >"$SUITE_DIR/long.csv"
expect_exit 1 "names cut in a multi-byte character are reported, not a crash" cps import-legacy "$SUITE_DIR/long.csv"
contains "the report names the line and the cut names" "long.csv:3: the name"

# --- approve and reject ---------------------------------------------------------
# Two submitted applications, put in place as the wizard would leave them.
now=$(date +%s)
sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised,
	status, submitted_at, expected_by, created_at, updated_at) VALUES
	('anna@example.dk', 'Foto Anna ApS', 'DK', 'Vestergade 1', '1456', 'København K',
	 'Anna', 'Hansen', 'da', 1, 'DK13585628', 1, 'pending', $now, '2026-12-01', $now, $now),
	('ola@example.no', 'Ola Foto AS', 'NO', 'Storgata 2', '0155', 'Oslo',
	 'Ola', 'Nordmann', 'nb', 1, 'NO988077917MVA', 1, 'pending', $now, '2026-12-01', $now, $now);"

expect_exit 1 "approving an unknown e-mail fails" cps approve nobody@example.com
contains "it names the e-mail" "nobody@example.com"
expect_exit 0 "approving a pending application works" cps approve anna@example.dk --staff Kim
contains "it confirms the approval" "approved: anna@example.dk"
expect_exit 1 "approving twice is refused" cps approve anna@example.dk
[ "$(sqlite3 "$db" "SELECT decided_by FROM account WHERE email='anna@example.dk'")" = Kim ] \
	&& ok "the approval records who" || not_ok "the approval records who"

expect_exit 0 "messages lists the password code" cps messages anna@example.dk
contains "the message is to the applicant" "To: anna@example.dk"
code=$(printf '%s\n' "$OUT" | grep -Eo '\b[a-z2-7]{32}\b' | head -n 1)
[ -n "$code" ] && ok "the message holds the code" || not_ok "the message holds the code" "$OUT"
hash=$(sqlite3 "$db" "SELECT token_hash FROM password_token")
case $hash in *"$code"*) not_ok "the code is stored hashed" ;; *) ok "the code is stored hashed" ;; esac

expect_exit 2 "reject without a reason is a usage error" cps reject ola@example.no
contains "it asks for the reason" "--reason"
expect_exit 0 "rejecting with a reason works" cps reject ola@example.no --reason "The invoice does not show the VAT number"
contains "it says the customer can correct it" "rejected: ola@example.no"
[ "$(sqlite3 "$db" "SELECT status || '|' || reject_reason || '|' || company FROM account WHERE email='ola@example.no'")" = \
	"rejected|The invoice does not show the VAT number|Ola Foto AS" ] \
	&& ok "the rejection keeps every field and the reason" || not_ok "rejection stored"
run cps messages ola@example.no
contains "the rejection message carries the reason" "The invoice does not show the VAT number"

expect_exit 0 "status shows a customer" cps status ola@example.no
contains "status shows the company" "Ola Foto AS"
contains "status shows the points" "points: 0"
contains "status shows the invitation" "500 more points"
contains "status marks the current step" "> Account"
contains "status shows the rejection reason" "The invoice does not show the VAT number"
expect_exit 0 "status of the approved customer" cps status anna@example.dk
contains "the approved customer waits for a password" "> Validation"
expect_exit 1 "status of an unknown e-mail fails" cps status nobody@example.com

# text from the store never reaches the terminal raw
sqlite3 "$db" "UPDATE message SET subject = 'Hi' || char(27) || '[2J' WHERE recipient = 'ola@example.no'"
run cps messages ola@example.no
case $OUT in *"$(printf '\033')"*) not_ok "escape sequences are removed from messages" ;; *) ok "escape sequences are removed from messages" ;; esac

# --- handed over, accept-id, audit ---------------------------------------------
expect_exit 0 "the audit lists the approval and the rejection" cps audit
contains "the approval is audited with the staff name" "approve"
contains "the audit names who" "Kim (Unix user"
contains "the rejection is audited" "reject"
mid=$(sqlite3 "$db" "SELECT id FROM message WHERE recipient = 'anna@example.dk' AND kind = 'password_set'")
expect_exit 2 "handed-over needs a message number" cps handed-over abc
expect_exit 1 "handed-over of an unknown message fails" cps handed-over 9999
expect_exit 0 "a message is marked handed over" cps handed-over "$mid" --staff Kim
body=$(sqlite3 "$db" "SELECT body FROM message WHERE id = $mid")
case $body in *"$code"*) not_ok "the code is wiped from the stored body" "$body" ;;
	*"[code removed]"*) ok "the code is wiped from the stored body" ;;
	*) not_ok "the code is wiped from the stored body" "$body" ;; esac
payload=$(sqlite3 "$db" "SELECT group_concat(payload) FROM outbox WHERE kind = 'message'")
case $payload in *"$code"*) not_ok "the outbox's copy loses the code too" ;; *) ok "the outbox's copy loses the code too" ;; esac
[ "$(sqlite3 "$db" "SELECT delivered_via FROM message WHERE id = $mid")" = staff ] \
	&& ok "the message keeps that it was sent" || not_ok "the message keeps that it was sent"
run cps messages anna@example.dk
contains "a handed-over message is no longer listed" "no messages waiting"
expect_exit 1 "handing it over twice fails" cps handed-over "$mid"

sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised,
	status, submitted_at, expected_by, created_at, updated_at) VALUES
	('sven@example.ch', 'Sven Foto AG', 'CH', 'Bahnhofstrasse 1', '8001', 'Zürich',
	 'Sven', 'Meier', 'en', 1, '', 1, 'pending', $now, '2026-12-01', $now, $now);"
expect_exit 1 "check-id refuses a Swiss number with a bad check digit" cps check-id CH 'CHE-123.456.789'
expect_exit 0 "staff accept it" cps accept-id sven@example.ch '123.456.789 MWST' --staff Kim
contains "the accepted number is in the normal form of a valid one" "accepted: CHE123456789 for sven@example.ch"
[ "$(sqlite3 "$db" "SELECT vat_number || '|' || id_override_by FROM account WHERE email='sven@example.ch'")" = \
	"CHE123456789|Kim" ] && ok "the number is kept with who accepted it" || not_ok "accepted number stored"
expect_exit 1 "accept-id for an unknown e-mail fails" cps accept-id nobody@example.com 123
expect_exit 1 "a number with a slash is refused" cps accept-id sven@example.ch '123/456'
run cps audit sven@example.ch
contains "accept-id is audited" "accept_id"
lacks "the audit of one customer shows only theirs" "anna@example.dk"

run sqlite3 "$db" "UPDATE audit SET actor = 'nobody'"
contains "the database refuses to change an audit line" "append-only"
run sqlite3 "$db" "DELETE FROM audit"
contains "the database refuses to delete an audit line" "append-only"
[ "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE actor = 'Kim'")" = 3 ] \
	&& ok "every audit line is still there" || not_ok "every audit line is still there"

# --- confirm-serial: an unusual serial earns the tick only once staff confirm it ---
sid=$(sqlite3 "$db" "SELECT id FROM account WHERE email = 'sven@example.ch'")
r5=$(sqlite3 "$db" "SELECT id FROM catalog WHERE model = 'EOS R5'")
sqlite3 "$db" "INSERT INTO product (account_id, catalog_id, serial, purchase_date, purchase_country,
	dealer, origin, created_at, updated_at, serial_unusual)
	VALUES ($sid, $r5, '123', '2021', 'CH', 'Foto Zürich', 'registered', $now, $now, 1)"
run cps status sven@example.ch
contains "before: the status counts no points for it" "0 points"
expect_exit 1 "confirm-serial of a serial the customer has not is refused" cps confirm-serial sven@example.ch 999
expect_exit 0 "staff confirm the unusual serial" cps confirm-serial sven@example.ch 123 --staff Kim
contains "it now has the tick and its points" "confirmed: EOS R5 123; it has the green tick and counts 700 points"
[ "$(sqlite3 "$db" "SELECT serial_confirmed || '|' || serial_confirmed_by || '|' || points FROM product WHERE account_id = $sid")" = \
	"123|Kim|700" ] && ok "the confirmation is kept with who" || not_ok "the confirmation is kept with who"
expect_exit 1 "confirming it twice is refused" cps confirm-serial sven@example.ch 123
run cps audit sven@example.ch
contains "confirm-serial is audited" "confirm_serial"

# --- correcting the old CPS e-mail ----------------------------------------------
expect_exit 0 "staff correct the old CPS e-mail of a validated customer" \
	cps correct-old-email anna@example.dk kari.nordmann@example.no --staff Kim
contains "it names the new old e-mail" "old CPS e-mail corrected: kari.nordmann@example.no"
contains "the migration check runs again and offers the old products" "MIGRATE PRODUCTS"
expect_exit 1 "a malformed old e-mail is refused" cps correct-old-email anna@example.dk not-an-email
[ "$(sqlite3 "$db" "SELECT old_email FROM account WHERE email='anna@example.dk'")" = kari.nordmann@example.no ] \
	&& ok "the refusal changed nothing" || not_ok "the refusal changed nothing"
run cps audit anna@example.dk
contains "the correction is audited" "correct_old_email"

# --- GDPR: export and erase ---------------------------------------------------------
expect_exit 0 "export prints a customer's data" cps export ola@example.no --staff Kim
contains "the export is JSON with the account" '"email": "ola@example.no"'
contains "the export has the messages" '"message": ['
lacks "the export holds no secret's hash" "_hash"
printf '%s\n' "$OUT" | python3 -m json.tool >/dev/null 2>&1 && ok "the export is valid JSON" || not_ok "the export is valid JSON"
expect_exit 1 "export of an unknown e-mail fails" cps export nobody@example.com
expect_exit 2 "erase without --yes is refused" cps erase ola@example.no
contains "it says what would happen" "--yes"
[ "$(sqlite3 "$db" "SELECT count(*) FROM account WHERE email='ola@example.no'")" = 1 ] \
	&& ok "nothing was erased without --yes" || not_ok "nothing was erased without --yes"
ola=$(sqlite3 "$db" "SELECT id FROM account WHERE email='ola@example.no'")
expect_exit 0 "erase --yes erases" cps erase ola@example.no --yes --staff Kim
[ "$(sqlite3 "$db" "SELECT (SELECT count(*) FROM account WHERE id = $ola) + (SELECT count(*) FROM message WHERE account_id = $ola)")" = 0 ] \
	&& ok "the account and its messages are gone" || not_ok "the account and its messages are gone"
run cps audit
contains "the audit keeps the erased customer's lines by number" "account $ola (erased)"
contains "the erasure itself is audited" "erase "
lacks "the audit names the erased customer nowhere" "ola@example.no"
expect_exit 1 "status of the erased customer fails" cps status ola@example.no

finish
