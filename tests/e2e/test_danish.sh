#!/bin/sh
# test_danish.sh - the whole journey in Danish at 80x24, on a machine where
# only C.UTF-8 is generated (LANG alone picks Danish): a customer of an old
# CPS account applies (country typed as "danmark", the CVR number, the
# seed's proof-document labels, "(valgfrit)"), staff approve from an English
# shell (the password message is Danish), a product with a best-guess date
# bought in "Sverige", OVERFØR PRODUKTER, a product that is someone's
# already (the support contact in Danish), the levels with Danish amounts,
# VAT and what each level gives, and the payment by bank transfer: the
# invoice and its e-mail in Danish, the old membership number named as
# changed.  No English country, support name or level line on any page.
. tests/lib.sh
. tests/e2e/lib.sh

if ! command -v tmux >/dev/null 2>&1; then
	not_ok "tmux is installed (make deps-test installs it)"
	finish
fi

DB="$SUITE_DIR/da.db"
PDF="$SUITE_DIR/bevis.pdf"
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%%%EOF\n' >"$PDF"
EMAIL=post@hansen-foto.example.dk
OLD_EMAIL=jens.hansen@example.dk
PASSWORD="fjord lanterne syv"
da_start() {
	e2e_start LC_ALL= LANG=da_DK.UTF-8 -- --db "$DB" || return 1
	E2E_DB=$DB
}
# staff work from an English shell
cps() { run env LANGUAGE=en LC_ALL=C.UTF-8 "$CPSREG_BIN" --db "$DB" "$@"; }
fill() { e2e_type "$1"; e2e_keys Tab; }
# on_screen NAME REGEX: ok when a line of the screen matches REGEX.
on_screen() {
	if e2e_screen | grep -Eq "$2"; then ok "$1"; else not_ok "$1" "no line matches '$2':
$(e2e_screen)"; fi
}

cps import-legacy assets/legacy-sample.csv
if [ "$RC" -eq 0 ]; then ok "da: staff import the old CPS accounts"; else not_ok "da: staff import the old CPS accounts" "exit $RC: $OUT"; fi

# ---------------------------------------------------------------- applying
da_start
e2e_expect "da: LANG=da_DK.UTF-8 alone shows Danish" "Start en ny ansøgning"
e2e_expect_row "da: ^T (language) is on the key bar" 24 "^T sprog"
e2e_keys Enter
e2e_expect "da: the first screen" "1 af 3: Virksomhed"
fill "Hansen Foto ApS"
fill "danmark"
fill "Vestergade 12"
fill "8000"
fill "Aarhus"
e2e_field_is "da: 'danmark' is Danmark" "Land" "Danmark"
e2e_expect "da: the code to come back with, in a plain word" "Ansøgningskode: "
e2e_keys C-n
e2e_expect "da: the contact person" "2 af 3: Kontaktperson"
e2e_expect "da: the preferred language is the screen's" "(*) Dansk"
e2e_expect "da: the old CPS e-mail says it is optional" "(valgfrit)"
fill "Jens"
fill "Hansen"
fill "$EMAIL"
fill "+45 12 34 56 78"
e2e_keys Tab   # the preferred language stays Dansk
fill "$OLD_EMAIL"
e2e_field_is "da: the old CPS e-mail is kept" "Gammel CPS-e-mail" "$OLD_EMAIL"
e2e_keys C-n
e2e_expect "da: VAT and the document" "3 af 3: Moms og dokumentation"
e2e_keys Space
e2e_expect "da: the seed's words for the invoice with the CVR number" \
	"Faktura, hvor dit CVR-nummer og firmanavn fremgår"
e2e_expect "da: the words that do not fit the row go on under it" \
	"                            tydeligt"
e2e_keys Tab
fill "13585628"
e2e_keys Space
e2e_keys Tab Tab
fill "$PDF"
e2e_keys Space
e2e_check_widths "da: the third screen fits in 80 columns"
e2e_keys C-n
e2e_expect "da: the review names the country in Danish" "Vestergade 12, 8000 Aarhus, Danmark"
e2e_expect "da: the review shows the CVR number" "DK13585628"
e2e_no_english "da: no English word from the data on the review"
e2e_keys C-n
e2e_expect "da: sent" "Din ansøgning er sendt"
on_screen "da: the expected answer is dated dd.mm.yyyy" '[0-9]{2}\.[0-9]{2}\.20[0-9]{2}'
e2e_keys C-q y
e2e_wait_exit >/dev/null

# ------------------------------------------------------------- validation
cps approve "$EMAIL"
if [ "$RC" -eq 0 ]; then ok "da: staff approve from an English shell"; else not_ok "da: staff approve from an English shell" "exit $RC: $OUT"; fi
cps messages "$EMAIL"
contains "da: the password message is in Danish" "virksomhedskonto"
lacks "da: and not in English" "Hello"
TOKEN=$(printf '%s\n' "$OUT" | grep -Eo '\b[a-z2-7]{32}\b' | head -n 1)

# --------------------------------------------------------------- products
da_start
e2e_expect "da: the wizard again" "Start en ny ansøgning"
e2e_keys Tab Tab Enter
e2e_expect "da: the password page" "Kode fra e-mailen"
fill "$EMAIL"
fill "$TOKEN"
fill "$PASSWORD"
fill "$PASSWORD"
e2e_keys Enter
e2e_expect "da: My products" "Du har ikke registreret nogen produkter endnu."
e2e_keys Enter
e2e_expect "da: add a product" "Tilføj et produkt"
e2e_type "r6 mark ii"
e2e_expect "da: the model is suggested" " EOS R6 Mark II"
e2e_keys Down Enter Tab
fill "0330 2100 5678"
fill "05.2024"
e2e_keys C-u
fill "Sverige"
fill "Fotoudstyr Aarhus"
e2e_expect "da: the month typed 05.2024 comes back as typed" "Købsdato              05.2024"
e2e_expect "da: Sverige is Sweden, shown in Danish" "Købsland              Sverige (SE)"
e2e_no_english "da: no English country on the product"
e2e_keys Enter
e2e_expect "da: saved with the green tick" "Gemt. Produktet har grønt flueben."
e2e_keys C-b

# -------------------------------------------------------------- migration
e2e_keys C-n
e2e_expect "da: the migration, in the seed's words" "Overfør produkterne fra din gamle CPS-konto"
e2e_expect "da: OVERFØR PRODUKTER is offered" "< OVERFØR PRODUKTER >"
e2e_keys Enter
e2e_expect "da: the old products are moved" "Produkter overført fra din gamle CPS-konto"
e2e_expect "da: both of them" "Overført: 2"

# an old product registered again: the customer hears it is theirs already
e2e_keys C-b
e2e_expect "da: back to My products" "Mine produkter"
e2e_expect "da: a product with the green tick opens with Enter" "Enter åbner det."
e2e_keys Tab Tab Tab Enter
e2e_expect "da: add a product again" "Tilføj et produkt"
e2e_type "5d mark iv"
e2e_expect "da: the old model is suggested" " EOS 5D Mark IV"
e2e_keys Down Enter Tab
fill "033021001234"
fill "2017"
e2e_keys C-u
fill "DK"
fill "Fotoudstyr Aarhus"
e2e_keys Enter
e2e_expect "da: the serial is the customer's already, in Danish" \
	"Du har allerede registreret denne EOS 5D Mark IV"
e2e_keys C-b C-b
e2e_expect "da: My products once more" "Mine produkter"

# ----------------------------------------------------------- points, level
e2e_keys C-n
e2e_keys C-n
e2e_expect "da: the points" "Dine point"
e2e_no_english "da: no English word from the data on the points"
e2e_keys C-n
e2e_expect "da: the levels" "Tilgængelige CPS-niveauer"
e2e_expect "da: an amount in Danish" "1.000,00 EUR"
e2e_expect "da: points as the seed writes them (2.000 point)" "Du har 1.250 point"
e2e_expect "da: the points a level needs, grouped too" "kræver 1.251 point mere"
e2e_expect "da: the fees say they hold VAT" "Priser inkl. 25 % moms."
e2e_expect "da: each fee without VAT too" "ekskl. moms"
e2e_expect "da: what a level gives, in Danish" "Prioriterede reparationer, årligt eftersyn og rens"
e2e_no_english "da: no English level line or country on the levels"
e2e_check_widths "da: the levels fit in 80 columns"
e2e_keys Enter
e2e_expect "da: the payment page" "Tilmeld dig CPS: sådan betaler du"
e2e_expect "da: the fee with and without VAT" "100,00 EUR inkl. 25 % moms (80,00 EUR ekskl. moms)"
e2e_expect "da: the seed's button" "Bekræft og tilmeld dig"
e2e_keys Right Right
e2e_expect "da: bank transfer chosen" "(*) Bankoverførsel"
e2e_keys C-n
e2e_expect "da: a member" "Velkommen til CPS: du er nu medlem"
e2e_expect "da: the old membership number is named" "CPS-DK-88120"
on_screen "da: the due date is dd.mm.yyyy" 'Forfaldsdato  *[0-9]{2}\.[0-9]{2}\.20[0-9]{2}'
on_screen "da: the VAT of the invoice" 'Heraf moms  *20,00 EUR \(25 %\)'
e2e_no_english "da: no English word from the data at the end"
e2e_check_widths "da: the membership fits in 80 columns"

cps messages "$EMAIL"
contains "da: the invoice e-mail is in Danish" "Fakturanummer"
contains "da: with the Danish amount" "100,00 EUR"
contains "da: and its VAT" "heraf moms (25 %): 20,00 EUR"
contains "da: the old number, named as changed" "CPS-DK-88120"
lacks "da: no English invoice" "Invoice number"

e2e_keys C-n
e2e_expect "da: Done goes back to the welcome page" "Start en ny ansøgning"
e2e_keys C-q y
e2e_wait_exit >/dev/null

# ------------------------------------- a customer without an old CPS e-mail
# The seed: no OVERFØR PRODUKTER without the old e-mail: register the
# products again or contact CPS Priority-support -- named in Danish, with
# the configured way to reach it.
EMAIL2=kontakt@lys-foto.example.dk
e2e_start LC_ALL= LANG=da_DK.UTF-8 -- --db "$DB" --set support.phone=+4570000000 || true
E2E_DB=$DB
e2e_expect "da, no old e-mail: the welcome page" "Start en ny ansøgning"
e2e_keys Enter
e2e_expect "da, no old e-mail: the first screen" "1 af 3: Virksomhed"
fill "Lys Foto ApS"
fill "DK"
fill "Nørregade 3"
fill "5000"
fill "Odense"
e2e_keys C-n
e2e_expect "da, no old e-mail: the contact person" "2 af 3: Kontaktperson"
fill "Lise"
fill "Lys"
fill "$EMAIL2"
e2e_keys C-n
e2e_expect "da, no old e-mail: VAT and the document" "3 af 3: Moms og dokumentation"
e2e_keys Space Tab
fill "13585628"
e2e_keys Space Tab Tab
fill "$PDF"
e2e_keys Space C-n
e2e_expect "da, no old e-mail: the review" "Nørregade 3, 5000 Odense, Danmark"
e2e_keys C-n
e2e_expect "da, no old e-mail: sent" "Din ansøgning er sendt"
e2e_keys C-q y
e2e_wait_exit >/dev/null
cps approve "$EMAIL2"
cps messages "$EMAIL2"
TOKEN2=$(printf '%s\n' "$OUT" | grep -Eo '\b[a-z2-7]{32}\b' | head -n 1)
e2e_start LC_ALL= LANG=da_DK.UTF-8 -- --db "$DB" --set support.phone=+4570000000 || true
E2E_DB=$DB
e2e_expect "da, no old e-mail: the wizard again" "Start en ny ansøgning"
e2e_keys Tab Tab Enter
e2e_expect "da, no old e-mail: the password page" "Kode fra e-mailen"
fill "$EMAIL2"
fill "$TOKEN2"
fill "$PASSWORD"
fill "$PASSWORD"
e2e_keys Enter
e2e_expect "da, no old e-mail: My products" "Du har ikke registreret nogen produkter endnu."
e2e_keys C-n
e2e_expect "da, no old e-mail: the points" "Dine point"
e2e_expect "da, no old e-mail: the support contact in the seed's Danish, with its phone" \
	"Priority-support (+4570000000)"
e2e_no_english "da, no old e-mail: the support name is not the English one"
e2e_check_widths "da: every screen fits in 80 columns"
e2e_keys C-q y
e2e_wait_exit >/dev/null
e2e_stop
finish
