#!/bin/sh
# test_staff_actions.sh - the staff console's actions for one customer at
# 80x24: the old CPS e-mail corrected (with the migration check), the
# proof document's facts and its file written out, a new resume code, a
# new password code, the JSON export to a file, the erasure (refused once,
# then confirmed) with nothing left in the journal, the waits lifted, more
# than five messages, one handed over and sent again, the imports with
# every problem listed; an audit line for each action on a customer.
. tests/lib.sh
. tests/e2e/lib.sh

db="$SUITE_DIR/console.db"
"$CPSREG_BIN" --db "$db" import-legacy assets/legacy-sample.csv >/dev/null
now=$(date +%s)
# a tiny PDF as the proof document, stored as the wizard stores it
pdf="$SUITE_DIR/cvr.pdf"
printf '%%PDF-1.4\n%% proof of registration for the test\n%%%%EOF\n' >"$pdf"
size=$(wc -c <"$pdf" | tr -d ' ')
sum=$(sha256sum "$pdf" | cut -d' ' -f1)
sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised,
	status, submitted_at, expected_by, created_at, updated_at) VALUES
	('anna@example.dk', 'Foto Anna ApS', 'DK', 'Vestergade 1', '1456', 'Kobenhavn K',
	 'Anna', 'Hansen', 'da', 1, 'DK13585628', 1, 'pending', $((now - 7200)), '2026-12-09', $now, $now),
	('ola@example.no', 'Ola Foto AS', 'NO', 'Storgata 2', '0155', 'Oslo',
	 'Ola', 'Nordmann', 'nb', 1, 'NO988077917MVA', 1, 'validated', $now, '2026-12-10', $now, $now);
	INSERT INTO document (account_id, doc_type, filename, mime, size, sha256, content, created_at)
	 SELECT id, 'registration_certificate', 'cvr.pdf', 'application/pdf', $size, '$sum',
	  readfile('$pdf'), $now FROM account WHERE email = 'anna@example.dk';
	INSERT INTO attempt_limit (scope, key, failures, last_failed_at) VALUES ('terminal', 'tty7', 6, $now);"
resume_before=$(sqlite3 "$db" "SELECT resume_hash FROM account WHERE email = 'anna@example.dk'")

# expect_joined NAME TEXT: TEXT on the screen, compared without spaces and
# row ends: where a message naming a path breaks into rows depends on how
# deep the test folder is
expect_joined() {
	_want=$(printf '%s' "$2" | tr -d ' \n')
	_i=0
	while :; do
		case $(e2e_screen | tr -d ' \n') in
		*"$_want"*) ok "$1"; return 0 ;;
		esac
		_i=$((_i + 1))
		if [ $_i -ge $((E2E_TIMEOUT * E2E_SCALE * 10)) ]; then
			not_ok "$1" "$(e2e_screen)"
			return 0
		fi
		sleep 0.1
	done
}

e2e_start -- --db "$db" staff
e2e_expect "the console opens on the queue" "anna@example.dk"
e2e_keys Enter
e2e_expect "the application opens" "Vestergade 1"
e2e_expect "the document's SHA-256 is shown whole" "SHA-256   $sum"
e2e_expect "Next leads to the customer's actions" "< Customer actions >"
e2e_keys C-n
e2e_expect "the customer page opens" "Old CPS e-mail"

# --- the old CPS e-mail, and the migration check again ------------------------
e2e_type "kari.nordmann@example.no"
e2e_keys Tab Enter
e2e_expect "the correction is confirmed" "The old CPS e-mail is corrected"
e2e_expect "the migration check is shown again" "not validated yet"
[ "$(sqlite3 "$db" "SELECT old_email FROM account WHERE email = 'anna@example.dk'")" = "kari.nordmann@example.no" ] &&
	ok "the corrected old e-mail is stored" || not_ok "the corrected old e-mail is stored"

# --- the proof document ----------------------------------------------------------
e2e_keys Tab Enter
e2e_expect "the document page opens" "Proof document of anna@example.dk"
e2e_expect "its SHA-256 is shown" "$sum"
e2e_expect "its size is shown" "$size bytes"
e2e_expect "its file name is shown" "cvr.pdf"
e2e_type "$SUITE_DIR/out.pdf"
e2e_keys Tab Enter
e2e_expect "the file is written" "The document is written to"
cmp -s "$pdf" "$SUITE_DIR/out.pdf" && ok "the written file is the document, byte for byte" ||
	not_ok "the written file is the document, byte for byte"
e2e_keys Enter
expect_joined "the same path again is refused" "out.pdf exists already"
# a message longer than the message line is shown whole, over the page's
# last rows, until the next key (a path is as long as the folder is deep)
long="$SUITE_DIR/a-rather-long-name-for-the-written-proof-document-of-this-customer.pdf"
: >"$long"
e2e_keys BTab C-u
e2e_type "$long"
e2e_keys Tab Enter
expect_joined "a long message is shown to its end" \
	"-of-this-customer.pdf exists already; choose a new file name."
e2e_lacks "and not cut" "…"
e2e_lacks "it lies over the page's last row" "< Back >"
e2e_keys Tab
e2e_expect "the next key takes it away and the page is whole again" "< Back >"
e2e_lacks "nothing of it stays" "choose a new file name"
e2e_keys C-b
e2e_expect "Back returns to the customer" "Old CPS e-mail"

# --- a new resume code -------------------------------------------------------------
e2e_keys Tab Tab Tab Enter
e2e_expect "a new resume code is shown once" "New resume code: "
resume_after=$(sqlite3 "$db" "SELECT resume_hash FROM account WHERE email = 'anna@example.dk'")
[ -n "$resume_after" ] && [ "$resume_after" != "$resume_before" ] &&
	ok "the old resume code is replaced in the store" || not_ok "the old resume code is replaced in the store"

# --- the export -------------------------------------------------------------------
e2e_keys Tab
e2e_type "$SUITE_DIR/anna.json"
e2e_keys Tab Enter
e2e_expect "the export is confirmed" "Everything stored about the customer is in"
grep -q '"anna@example.dk"' "$SUITE_DIR/anna.json" && ok "the export holds the customer's data" ||
	not_ok "the export holds the customer's data"
[ "$(stat -c %a "$SUITE_DIR/anna.json")" = 600 ] && ok "the export is readable by its owner only" ||
	not_ok "the export is readable by its owner only"

# --- the erasure: asked first ----------------------------------------------------------
e2e_keys Tab Enter
e2e_expect "erasing asks first" "Erase everything stored"
e2e_keys Enter
e2e_expect "the safe answer has the focus: nothing is erased" "Nothing was erased."
[ "$(sqlite3 "$db" "SELECT count(*) FROM account WHERE email = 'anna@example.dk'")" = 1 ] &&
	ok "the customer is still there" || not_ok "the customer is still there"
e2e_keys Enter
e2e_expect "asked again" "Erase everything stored"
e2e_keys C-b
e2e_expect "Back answers no" "Nothing was erased."
e2e_keys Enter
e2e_wait_for "Erase everything stored" >/dev/null
e2e_keys Tab Enter
e2e_expect "the erasure is confirmed on the queue" "is erased; the audit log keeps only the number"
[ "$(sqlite3 "$db" "SELECT count(*) FROM account WHERE email = 'anna@example.dk'")" = 0 ] &&
	ok "the customer is gone" || not_ok "the customer is gone"
if grep -q "anna@example.dk" "$db-wal" 2>/dev/null; then
	not_ok "the journal no longer holds the erased customer"
else
	ok "the journal no longer holds the erased customer"
fi

# --- the waits ---------------------------------------------------------------------------
e2e_keys Tab Tab Tab Enter
e2e_expect "the waits page lists the terminal" "tty7"
e2e_keys Enter
e2e_expect "lifting is confirmed" "Lifted: the next try may come at once."
e2e_expect "the list is empty" "Nothing is held up."
[ "$(sqlite3 "$db" "SELECT count(*) FROM attempt_limit")" = 0 ] &&
	ok "the wait is gone from the store" || not_ok "the wait is gone from the store"

# --- a new password code for a validated customer ----------------------------------------
e2e_keys C-b
e2e_wait_for "Applications waiting for validation" >/dev/null
e2e_keys Tab Enter
e2e_expect "the find page opens" "Find a customer"
e2e_type "ola@"
e2e_keys Tab Enter
e2e_expect "the validated customer is found" "ola@example.no"
e2e_keys Enter
e2e_wait_for "Storgata 2" >/dev/null
e2e_keys C-n
e2e_expect "a validated customer is given a password code" "< New password code >"
e2e_lacks "and no resume code" "New resume code"
e2e_keys Tab Tab Tab Enter
e2e_expect "the code waits under Messages" "A new password code waits under Messages."

# --- more than five messages -------------------------------------------------------------
for i in 1 2 3 4 5 6 7; do
	sqlite3 "$db" "INSERT INTO message (kind, recipient, subject, body, created_at)
		VALUES ('rejection', 'm$i@example.com', 'Subject $i', 'Body $i', $((now + i)));"
done
e2e_keys C-n
e2e_expect "the messages page counts them" "1-5 of 8"
e2e_lacks "the sixth is not on the first five" "m5@example.com"
e2e_keys Tab Tab Tab Tab Tab Enter
e2e_expect "More shows the next ones" "6-8 of 8"
e2e_expect "the last message is listed" "m7@example.com"
e2e_expect "and Earlier is offered" "< Earlier >"

# --- a message handed over, sent again --------------------------------------------------
e2e_keys Enter
e2e_expect "Enter shows the message" "Body 5"
e2e_keys Enter
e2e_expect "it is handed over" "handed over; its code is wiped"
e2e_keys BTab BTab Enter
e2e_expect "Sent lists the messages handed over" "Messages handed over, newest first"
e2e_expect "the one just handed over is listed" "m5@example.com"
e2e_keys Enter
e2e_expect "Enter shows it" "Body 5"
e2e_keys Enter
e2e_expect "Resend queues a copy" "waits to be handed over."
[ "$(sqlite3 "$db" "SELECT count(*) FROM message WHERE recipient = 'm5@example.com' AND delivered_at IS NULL")" = 1 ] &&
	ok "the copy waits in the store" || not_ok "the copy waits in the store"

# --- the imports on screen -----------------------------------------------------------------
(printf 'model,category,points,release_year,serial_pattern\n'
 for i in 1 2 3 4 5 6 7; do printf 'EOS Bad%d,spaceship,100,2020,\n' "$i"; done) >"$SUITE_DIR/cat.csv"
models=$(sqlite3 "$db" "SELECT count(*) FROM catalog")
e2e_keys C-b
e2e_wait_for "Applications waiting for validation" >/dev/null
e2e_keys Tab Tab Tab Tab Enter
e2e_expect "the imports page opens" "Import a catalog or old CPS accounts"
e2e_type "$SUITE_DIR/cat.csv"
e2e_keys Tab Enter
e2e_expect "a bad catalog is refused with the count" "7 problems; nothing was imported"
e2e_expect "each problem names its line" "cat.csv:2: \"spaceship\" is"
e2e_lacks "five at a time" "cat.csv:7:"
e2e_keys Enter
e2e_expect "More shows the rest" "cat.csv:8:"
[ "$(sqlite3 "$db" "SELECT count(*) FROM catalog")" = "$models" ] &&
	ok "the refused catalog changed nothing" || not_ok "the refused catalog changed nothing"
# More's last page has no More: the focus is back on the file
e2e_keys C-u
e2e_type "assets/legacy-sample.csv"
e2e_keys Tab Tab Enter
# the erasure took the old account of the erased customer's old e-mail
e2e_expect "the old accounts import, the erased one's again" "Old CPS accounts imported: 1 added, 0 updated, 2 unchanged"
e2e_expect "the products are counted too" "4 products"

e2e_keys C-q y
e2e_expect_exit 0 "the console ends normally"

run "$CPSREG_BIN" --db "$db" audit
for action in correct_old_email export_document reissue_resume_code export erase unlock reissue_password_code handed_over resend; do
	contains "the audit has a line for $action" " $action "
done

# --- a document type longer than its column, in Danish -------------------------------
# "Faktura, hvor dit CVR-nummer og firmanavn fremgår tydeligt" is wrapped
# onto a second row, and the rows below it move down
sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised,
	status, submitted_at, expected_by, created_at, updated_at) VALUES
	('mette@example.dk', 'Foto Mette ApS', 'DK', 'Nørregade 3', '1165', 'Kobenhavn K',
	 'Mette', 'Jensen', 'da', 1, 'DK13585628', 1, 'pending', $now, '2026-12-09', $now, $now);
	INSERT INTO document (account_id, doc_type, filename, mime, size, sha256, content, created_at)
	 SELECT id, 'vat_invoice', 'faktura.pdf', 'application/pdf', $size, '$sum',
	  readfile('$pdf'), $now FROM account WHERE email = 'mette@example.dk';"
e2e_start LANGUAGE=da -- --db "$db" staff
e2e_expect "the Danish console opens on the queue" "mette@example.dk"
e2e_keys Enter
e2e_expect "the application opens" "Nørregade 3"
e2e_keys C-n
e2e_expect "the customer page opens" "Gammel CPS-e-mail"
e2e_keys Tab Tab Enter
e2e_expect "the document page opens" "Dokumentation for mette@example.dk"
e2e_expect_row "the type's first row" 6 "Type                  Faktura, hvor dit CVR-nummer og firmanavn fremgår"
e2e_expect_row "the rest of it on the next row" 7 "                        tydeligt"
e2e_expect_row "the date received below it" 8 "Modtaget"
e2e_expect_row "the SHA-256 still whole, a row lower" 13 "$sum"
e2e_lacks "nothing is cut" "…"
e2e_keys C-q y
e2e_expect_exit 0 "the Danish console ends normally"
finish
