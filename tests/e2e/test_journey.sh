#!/bin/sh
# test_journey.sh - whole customer journeys on the real binary in a private
# tmux server (80x24, C.UTF-8), each on a database of its own:
#   1. the happy path, from an empty database to an active membership:
#      application (3 screens, review, send, resume code), staff approval
#      from the command line, password, My products, MIGRATE PRODUCTS,
#      points, level, payment by bank transfer; the staff status agrees;
#   2. what survives an interruption: SIGKILL mid-application loses nothing
#      that was saved (every field that was left), the resume code works in
#      lower case with spaces; SIGHUP and SIGTERM save the field being typed
#      and restore the terminal;
#   3. non-ASCII text (æøå, é) typed into the form reaches the database and
#      the review byte for byte.
# Every wait is a poll (lib.sh); nothing sleeps for a fixed time.
. tests/lib.sh
. tests/e2e/lib.sh

if ! command -v tmux >/dev/null 2>&1; then
	not_ok "tmux is installed (make deps-test installs it)"
	finish
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	not_ok "sqlite3 is installed (make deps-test installs it)"
	finish
fi

WELCOME="Welcome to Canon Professional Services (CPS)"

# --- local helpers ---------------------------------------------------------------

# start_on DB: starts the wizard on the database DB (kept across restarts,
# unlike e2e_start's own one: the last --db wins), and points E2E_DB at it.
start_on() {
	e2e_start -- --db "$1" || return 1
	E2E_DB=$1
}

# cps ARGS...: a staff command on the journey's database (output in $OUT).
cps() { run "$CPSREG_BIN" --db "$E2E_DB" "$@"; }

# sql QUERY: prints the answer of the database.
sql() { sqlite3 "$E2E_DB" "$1"; }

# fill TEXT: types TEXT into the focused field and leaves it with Tab.
fill() {
	e2e_type "$1"
	e2e_keys Tab
}

# same NAME GOT WANT: ok when the two strings are equal.
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', wanted '$3'"; fi
}

# matches NAME STRING ERE: ok when STRING matches the extended regex.
matches() {
	if printf '%s\n' "$2" | grep -Eq "$3"; then ok "$1"; else not_ok "$1" "'$2' does not match $3"; fi
}

# resume_code_on_top: the resume code the form shows on its first line.
resume_code_on_top() {
	e2e_screen | sed -n 's/.*Your resume code: \([0-9A-Z-]*\) (write it down.*/\1/p' | head -n 1
}

# resume CODE: from the welcome page, continue with the code.
resume() {
	e2e_keys Tab Enter
	e2e_wait_for "Continue your application" >/dev/null
	e2e_type "$1"
	e2e_keys Enter
}

# ==================================================================================
# 1. The happy path
# ==================================================================================
DB1="$SUITE_DIR/journey.db"
PDF="$SUITE_DIR/certificate.pdf"
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%%%EOF\n' >"$PDF"
EMAIL=post@karifoto.example.no
OLD_EMAIL=kari.nordmann@example.no
PASSWORD="fjord lantern seven"

E2E_DB=$DB1
cps import-legacy assets/legacy-sample.csv
if [ "$RC" -eq 0 ]; then ok "staff import the legacy sample into an empty database"; else not_ok "staff import the legacy sample into an empty database" "exit $RC: $OUT"; fi

start_on "$DB1"
e2e_expect "the wizard starts on the welcome page" "$WELCOME"
e2e_keys Enter
e2e_expect "Start a new application opens the first screen" "1 of 3: Company"

# screen 1: the company
fill "Kari Nordmann Foto AS"
e2e_type "Norw"
e2e_expect "the country field offers Norway for 'Norw'" " Norway"
e2e_keys Tab
fill "Storgata 1"
fill "0155"
fill "Oslo"
e2e_expect "the first field saved makes the draft and shows its resume code" "Your resume code: "
e2e_field_is "the company is kept" "Company legal name" "Kari Nordmann Foto AS"
e2e_field_is "'Norw' becomes Norway" "Country" "Norway"
e2e_field_is "the city is kept" "City" "Oslo"
CODE_TOP=$(resume_code_on_top)
matches "the resume code has the form XXXX-XXXX-XXXX" "$CODE_TOP" '^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$'

# screen 2: the contact person
e2e_keys C-n
e2e_expect "Next opens the second screen" "2 of 3: Contact person"
fill "Kari"
fill "Nordmann"
fill "$EMAIL"
fill "+47 22 33 44 55"
e2e_keys Right Tab   # Preferred language: Norsk bokmål
fill "$OLD_EMAIL"
e2e_field_is "the phone number is kept, without its spaces" "Phone (optional)" "+4722334455"
e2e_expect "Right on the language chooses Norsk bokmål" "(*) Norsk bokmål"
e2e_field_is "the old CPS e-mail is kept" "Old CPS e-mail" "$OLD_EMAIL"

# screen 3: VAT and the proof document
e2e_keys C-n
e2e_expect "Next opens the third screen" "3 of 3: VAT and proof document"
e2e_keys Space
e2e_expect "Space answers the VAT question with Yes" "(*) Yes"
e2e_expect "a VAT-registered company is offered the registration certificate" "[ ] VAT registration certificate"
e2e_keys Tab
fill "988077917"
e2e_field_is "the organisasjonsnummer is taken as the VAT number NO...MVA" "Organisation number" "NO988077917MVA"
e2e_keys Space
e2e_expect "Space chooses the registration certificate" "[x] VAT registration certificate"
e2e_keys Tab Tab
fill "$PDF"
e2e_expect "the PDF is attached" "Attached: certificate.pdf (PDF, 1 KiB)"
e2e_keys Space
e2e_expect "Space confirms the authority" "[x] I am authorised to provide this information"

# the review
e2e_keys C-n
e2e_expect "Check and send opens the review" "Check your application, then send it"
e2e_expect "the review shows the company" "Company legal name    Kari Nordmann Foto AS"
e2e_expect "the review shows the address" "Storgata 1, 0155 Oslo, Norway"
e2e_expect "the review shows the contact person" "Contact person        Kari Nordmann"
e2e_expect "the review shows the e-mail" "$EMAIL"
e2e_expect "the review shows the old CPS e-mail" "Old CPS e-mail        $OLD_EMAIL"
e2e_expect "the review shows the VAT number" "NO988077917MVA"
e2e_expect "the review shows the document" "certificate.pdf (VAT registration certificate)"
e2e_expect "the review finds nothing missing" "Everything needed is there."

# send
e2e_keys C-n
e2e_expect "Send application sends it" "Your application has been sent"
e2e_expect "the sent page says when the answer is expected" "the answer is expected by"
EXPECTED=$(e2e_screen | tr -s '\n ' '  ' | sed -n 's/.*the answer is expected by \([0-9-]*\) (up to 2 working days).*/\1/p')
matches "the expected date is a date" "$EXPECTED" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}$'
if [ "$(printf '%s' "${EXPECTED:-0}" | tr -d -)" -gt "$(date -d '+1 day' +%Y%m%d)" ]; then
	ok "the answer is expected 2 working days on, not sooner"
else
	not_ok "the answer is expected 2 working days on, not sooner" "expected by '$EXPECTED'"
fi
e2e_expect "the sent page says where the password code will come from" \
	"you get a code to set your password:"
e2e_expect "the sent page warns not to reset the password before then" \
	"Do not try to reset"
CODE_BOX=$(e2e_screen | sed -n 's/^ *│ *\([0-9A-Z][0-9A-Z -]*[0-9A-Z]\) *│ *$/\1/p' | tr -d ' ' | head -n 1)
same "the sent page shows the resume code of the form" "$CODE_BOX" "$CODE_TOP"
e2e_keys Enter
e2e_expect "Done clears the screen for the next customer" "$WELCOME"
e2e_lacks "nothing of the application stays on the welcome page" "$CODE_TOP"

# the resume code opens the application, now waiting for validation
resume "$CODE_TOP"
e2e_expect "the resume code opens the pending application" "Your application is being validated"

# staff approve while the customer waits; the code comes from the outbox
cps approve "$EMAIL"
if [ "$RC" -eq 0 ]; then ok "staff approve the application from the command line"; else not_ok "staff approve the application from the command line" "exit $RC: $OUT"; fi
cps messages "$EMAIL"
TOKEN=$(printf '%s\n' "$OUT" | grep -Eo '\b[a-z2-7]{32}\b' | head -n 1)
matches "messages shows the password-set code" "$TOKEN" '^[a-z2-7]{32}$'
MSGID=$(printf '%s\n' "$OUT" | sed -n 's/^--- message \([0-9]*\) (password_set).*/\1/p' | head -n 1)
# Refresh: the page says what really happened to the code (no remote, no
# sendmail: it waits for staff), then, once handed over, where it went
e2e_keys Enter
e2e_expect "Refresh shows the validation" "Your account is validated"
e2e_expect "the code waits with staff, and the page says so" \
	"Your code to set the password is ready: staff will hand it to you."
e2e_lacks "nothing claims it was sent" "was sent to"
cps handed-over "$MSGID"
e2e_keys C-l
e2e_expect "once handed over the page says where it went" \
	"The code to set your password was sent to $EMAIL."
e2e_lacks "and no longer that staff have it" "staff will hand it to you"
e2e_keys C-q y
e2e_expect_exit 0 "the customer quits once validated"

# the customer comes back: sets the password and is logged in
start_on "$DB1"
e2e_expect "the wizard starts again on the welcome page" "$WELCOME"
e2e_keys Tab Tab Enter
e2e_expect "Set my password opens the password page" "Code from the e-mail"
fill "$EMAIL"
fill "$TOKEN"
fill "$PASSWORD"
fill "$PASSWORD"
e2e_lacks "the password is not shown" "$PASSWORD"
e2e_keys Enter   # Set password
e2e_expect "the password is set and the customer lands in My products" \
	"You have not registered any products yet."
e2e_expect_row "the header names My products" 1 "My products"
e2e_expect_row "the step strip ticks Account and Validation" 2 "✓Account › ✓Validation"

# My products: one product with every detail
e2e_keys Enter
e2e_expect "Add a product opens an empty product" "Add a product"
e2e_type "r6 mark ii"
e2e_expect "the model field suggests EOS R6 Mark II" " EOS R6 Mark II"
e2e_keys Down Enter
e2e_field_is "Down and Enter pick the model" "Model" "EOS R6 Mark II"
e2e_expect "the page says what the model counts" "The EOS R6 Mark II counts 550 points"
e2e_keys Tab
fill "0330 2100 5678"
fill "05.2024"
e2e_keys C-u
fill "NO"
fill "Japan Photo Oslo"
e2e_field_is "the serial number loses its spaces" "Serial number" "033021005678"
e2e_field_is "the month 05.2024 is kept as 2024-05" "Purchase date" "2024-05"
e2e_field_is "NO is the country Norway (NO)" "Country of purchase" "Norway (NO)"
e2e_field_is "the dealer is kept" "Dealer" "Japan Photo Oslo"
e2e_keys Enter   # Save
e2e_expect "Save keeps the product with its green tick" "Saved. The product has its green tick."
e2e_expect "the product page shows the green tick" "✓ Green tick: every detail is given. It counts 550 points."
e2e_keys C-b
e2e_expect "Back lists the product with the green tick" "✓  < EOS R6 Mark II"
e2e_expect "the list shows the serial number" "033021005678"
e2e_expect "the list counts the points" "Total: 550 points. With the green tick: 1 of 1 product."

# Migration
e2e_keys C-n
e2e_expect "Next opens the migration" "Move the products of your old CPS account"
e2e_expect "the old account and its member number are named" \
	"Old CPS account: $OLD_EMAIL, member number CPS-NO-104233"
e2e_expect "MIGRATE PRODUCTS is offered" "< MIGRATE PRODUCTS >"
e2e_keys Enter
e2e_expect "MIGRATE PRODUCTS moves the products" "Products moved from your old CPS account"
e2e_expect "all four old products moved" "Moved: 4"
e2e_expect "three of them with a green tick" "With a green tick: 3"
e2e_expect "their points are added" "Points added: 1750"
e2e_lacks "the action is gone once it ran" "< MIGRATE PRODUCTS >"
e2e_expect "the result sends the customer to View product" 'open it with "View product"'
e2e_expect "and View product is there" "< View product >"
e2e_keys Tab Enter
e2e_expect "View product opens the product without a green tick" "View product"
e2e_field_is "it is the moved Speedlite" "Model" "Speedlite EL-1"
e2e_expect "it says what is missing" "serial number"
e2e_keys C-b
e2e_expect "Back lists the products" "< Speedlite EL-1  "
e2e_keys C-n
e2e_expect "Next from the products opens the migration again" "Move the products of your old CPS account"

# Points
e2e_keys C-n
e2e_expect "Next opens the points" "Your points"
e2e_expect "the points add up" "Total: 2300 points"
e2e_expect "the customer is invited" "You are invited to join CPS."
e2e_expect "the product without a green tick is listed" "< Speedlite EL-1 >"

# Level
e2e_keys C-n
e2e_expect "Next opens the levels" "Available CPS levels"
e2e_expect "Silver is open" "< Silver >"
e2e_expect "Gold is open" "< Gold >"
e2e_expect "Corporate stays closed below its threshold" "needs 201 more points"
e2e_keys Tab Enter   # from Silver to Gold: any open level, not only the highest
e2e_expect "choosing Gold opens the payment" "Join CPS: how to pay"
e2e_expect "the payment page shows the level" "Membership level       Gold"
e2e_expect "the payment page shows the fee" "200.00 EUR"

# Payment
e2e_keys Right Right
e2e_expect "the arrows choose bank transfer" "(*) Bank transfer"
e2e_expect "bank transfer warns of local bank charges" "bank charges may apply."
DAY0=$(date +%Y-%m-%d)
e2e_keys C-n   # Confirm and join
e2e_expect "Confirm and join makes a member" "Welcome to CPS: you are a member now"
e2e_expect "an invoice number is shown" "Invoice                INV-"
e2e_expect "the new membership number is shown" "New membership number  CPS-"
e2e_expect "the old membership number is shown as changed" "(your old number was CPS-NO-104233)"
e2e_expect "it says the number has changed" "Your CPS membership number has changed"
e2e_expect "it says the membership can be used now" "Your CPS membership can be used now."
e2e_expect "the method is bank transfer" "Payment method         Bank transfer"
SCREEN=$(e2e_screen | tr '\n' ' ')
NUMBER=$(printf '%s' "$SCREEN" | sed -n 's/.*New membership number  *\(CPS-[0-9A-Z-]*\).*/\1/p')
INVOICE=$(printf '%s' "$SCREEN" | sed -n 's/.*Invoice  *\(INV-[0-9A-Z-]*\).*/\1/p')
ISSUED=$(printf '%s' "$SCREEN" | sed -n 's/.*Issue date  *\([0-9-]\{10\}\).*/\1/p')
DUE=$(printf '%s' "$SCREEN" | sed -n 's/.*Due date  *\([0-9-]\{10\}\).*/\1/p')
matches "the invoice number reads INV-..." "$INVOICE" '^INV-[0-9A-Z-]+$'
matches "the new membership number reads CPS-..." "$NUMBER" '^CPS-[0-9A-Z-]+$'
case $ISSUED in
"$DAY0" | "$(date +%Y-%m-%d)") ok "the issue date is today" ;;
*) not_ok "the issue date is today" "issued '$ISSUED'" ;;
esac
same "the due date is 30 days after the issue date" "$DUE" "$(date -d "$ISSUED + 30 days" +%Y-%m-%d 2>/dev/null)"
e2e_expect "the payment reference names the invoice" "CPS $INVOICE"
e2e_expect_row "the step strip ticks Payment" 2 "✓Payment"

cps status "$EMAIL"
contains "status: the membership is active" "membership: $NUMBER (Gold), active"
contains "status: the old number is named as changed" "old membership number: CPS-NO-104233 (it has changed)"
contains "status: the points agree" "points: 2300"
e2e_keys C-n
e2e_expect "Done logs out to the welcome page" "$WELCOME"
e2e_keys C-q y
e2e_expect_exit 0 "the journey ends with status 0 and the terminal restored"

# ==================================================================================
# 2. Interruptions: SIGKILL, SIGHUP, SIGTERM mid-application
# ==================================================================================
DB2="$SUITE_DIR/interrupted.db"
start_on "$DB2"
e2e_expect "a second customer starts" "$WELCOME"
e2e_keys Enter
e2e_expect "the form opens" "1 of 3: Company"
fill "Ola Foto AS"
fill "Norway"
fill "Storgata 2"
fill "0155"
fill "Oslo"
e2e_keys C-n
e2e_expect "the second screen opens" "2 of 3: Contact person"
fill "Ola"
fill "Nordmann"
fill "ola@example.no"
e2e_type "+47 99"   # typed, not left: the moment of the kill
e2e_expect "the phone is being typed" "+47 99"
CODE=$(resume_code_on_top)
matches "the resume code is on the screen" "$CODE" '^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$'
e2e_signal KILL
if e2e_wait_exit && [ "$E2E_EXIT" = 137 ]; then
	ok "SIGKILL ends the program at once"
else
	not_ok "SIGKILL ends the program at once" "exit '$E2E_EXIT'"
fi

# the code as someone writes it down: lower case, spaces for the dashes
TYPED=$(printf '%s' "$CODE" | tr 'A-Z-' 'a-z ')
start_on "$DB2"
e2e_expect "the wizard starts after the kill" "$WELCOME"
resume "$TYPED"
e2e_expect "the code in lower case with spaces opens the application" "2 of 3: Contact person"
e2e_expect "the code is shown in its own form" "Your resume code: $CODE"
e2e_field_is "after the kill: the first name is intact" "First name" "Ola"
e2e_field_is "after the kill: the last name is intact" "Last name" "Nordmann"
e2e_field_is "after the kill: the e-mail is intact" "E-mail address" "ola@example.no"
e2e_keys C-b
e2e_expect "Back opens the first screen" "1 of 3: Company"
e2e_field_is "after the kill: the company is intact" "Company legal name" "Ola Foto AS"
e2e_field_is "after the kill: the country is intact" "Country" "Norway"
e2e_field_is "after the kill: the street is intact" "Street address" "Storgata 2"
e2e_field_is "after the kill: the postcode is intact" "Postcode" "0155"
e2e_field_is "after the kill: the city is intact" "City" "Oslo"

# SIGHUP while the phone is typed (not left)
e2e_keys C-n
e2e_expect "Next opens the second screen again" "2 of 3: Contact person"
e2e_keys Tab Tab Tab
e2e_expect_row "Tab reaches the phone" 23 "Optional: a phone number"
e2e_type "+47 98 76 54 32"
e2e_expect "the phone is being typed" "+47 98 76 54 32"
e2e_signal HUP
e2e_expect_exit 0 "SIGHUP mid-form ends with status 0 and the terminal restored"
same "SIGHUP saved the field being typed" "$(sql "SELECT phone FROM account")" "+4798765432"

start_on "$DB2"
e2e_expect "the wizard starts after SIGHUP" "$WELCOME"
resume "$TYPED"
e2e_expect "the application opens after SIGHUP" "2 of 3: Contact person"
e2e_field_is "after SIGHUP: the phone is on the screen" "Phone (optional)" "+4798765432"
e2e_field_is "after SIGHUP: the e-mail is still there" "E-mail address" "ola@example.no"

# SIGTERM while the old CPS e-mail is typed (not left)
e2e_keys Tab Tab Tab Tab Tab
e2e_expect_row "Tab reaches the old CPS e-mail" 23 "so that your previously registered products"
e2e_type "ola.old@example.no"
e2e_expect "the old CPS e-mail is being typed" "ola.old@example.no"
e2e_signal TERM
e2e_expect_exit 0 "SIGTERM mid-form ends with status 0 and the terminal restored"
same "SIGTERM saved the field being typed" "$(sql "SELECT old_email FROM account")" "ola.old@example.no"

start_on "$DB2"
e2e_expect "the wizard starts after SIGTERM" "$WELCOME"
resume "$TYPED"
e2e_expect "the application opens after SIGTERM" "2 of 3: Contact person"
e2e_field_is "after SIGTERM: the old CPS e-mail is on the screen" "Old CPS e-mail" "ola.old@example.no"
e2e_field_is "after SIGTERM: the phone is still there" "Phone (optional)" "+4798765432"
same "one application, not a new one per restart" "$(sql "SELECT count(*) FROM account")" 1
e2e_keys C-q y
e2e_expect_exit 0 "the resumed application quits normally"

# ==================================================================================
# 3. Non-ASCII text
# ==================================================================================
DB3="$SUITE_DIR/utf8.db"
COMPANY="Fotografi Ærø & Søn Å/S"
STREET="Allé Café 3"
CITY="Tórshavn"
FIRST="Åse"
LAST="Ødegård"
start_on "$DB3"
e2e_expect "a third customer starts" "$WELCOME"
e2e_keys Enter
e2e_expect "the form opens for UTF-8 text" "1 of 3: Company"
fill "$COMPANY"
fill "Denmark"
fill "$STREET"
fill "1456"
fill "$CITY"
e2e_field_is "the company with æøå shows as typed" "Company legal name" "$COMPANY"
e2e_field_is "the street with é shows as typed" "Street address" "$STREET"
e2e_field_is "the city with ó shows as typed" "City" "$CITY"
e2e_keys C-n
e2e_expect "the second screen opens for UTF-8 text" "2 of 3: Contact person"
fill "$FIRST"
fill "$LAST"
e2e_field_is "the first name with Å shows as typed" "First name" "$FIRST"
e2e_field_is "the last name with Ø and å shows as typed" "Last name" "$LAST"
e2e_expect_row "Tab has left the last name (it is saved)" 23 "The answer, and later the e-mail"
same "the database holds the company's UTF-8 exactly" "$(sql "SELECT company FROM account")" "$COMPANY"
same "the company's bytes are UTF-8 (Æ is C3 86)" "$(sql "SELECT hex(company) FROM account")" \
	"$(printf '%s' "$COMPANY" | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F')"
same "the database holds the street exactly" "$(sql "SELECT street FROM account")" "$STREET"
same "the database holds the city exactly" "$(sql "SELECT city FROM account")" "$CITY"
same "the database holds the contact's names exactly" \
	"$(sql "SELECT first_name || '|' || last_name FROM account")" "$FIRST|$LAST"
e2e_keys C-n
e2e_expect "the third screen opens" "3 of 3: VAT and proof document"
e2e_keys C-n
e2e_expect "the review opens with UTF-8 text" "Check your application, then send it"
e2e_expect "the review shows the company with æøå" "Company legal name    $COMPANY"
e2e_expect "the review shows the address with é and ó" "Address               $STREET, 1456 $CITY, Denmark"
e2e_expect "the review shows the contact person with Å and Ø" "Contact person        $FIRST $LAST"
e2e_keys C-q y
e2e_expect_exit 0 "it quits normally after UTF-8 input"

e2e_check_widths "no line of any capture is wider than 80 columns" 80

finish
