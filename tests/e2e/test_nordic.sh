#!/bin/sh
# test_nordic.sh - the wizard in Norwegian and in Danish on a machine where
# neither locale is generated (only C.UTF-8): LANG alone picks the language;
# countries are named in the screen's language and understood as typed in
# English, Norwegian, Danish or as the ISO code; no English country name
# reaches a Norwegian or Danish screen; and a whole journey in Norwegian:
# the application, staff approving from an English shell (the password
# message is Norwegian), a product with a best-guess date, the levels with
# Norwegian amounts, and the payment with Norwegian dates.
. tests/lib.sh
. tests/e2e/lib.sh

if ! command -v tmux >/dev/null 2>&1; then
	not_ok "tmux is installed (make deps-test installs it)"
	finish
fi

# no_english NAME: e2e_no_english (lib.sh), the countries, support name,
# level lines and document labels in English.
no_english() { e2e_no_english "$1"; }

# clear_field: empties the focused field.
clear_field() {
	e2e_keys C-e
	_i=0
	while [ $_i -lt 24 ]; do e2e_keys BSpace; _i=$((_i + 1)); done
}

# journey LANG LOCALE WELCOME START FIRST COUNTRY_LABEL DK SE NOT_SERVED
journey() {
	_l=$1
	e2e_start LC_ALL= "LANG=$2" || { not_ok "$_l: the wizard starts"; return; }
	e2e_expect "$_l: LANG=$2 alone shows the welcome page in the language" "$3"
	e2e_expect "$_l: the start button is translated" "$4"
	e2e_keys Enter
	e2e_expect "$_l: the first screen is translated" "$5"
	e2e_type "Nordlys Foto"
	e2e_keys Tab
	# the ISO code
	e2e_type "dk"
	e2e_keys Tab
	e2e_field_is "$_l: 'dk' is read as the country in the screen's language" "$6" "$7"
	e2e_keys BTab
	clear_field
	# the English name
	e2e_type "Sweden"
	e2e_keys Tab
	e2e_field_is "$_l: the English name 'Sweden' is understood" "$6" "$8"
	e2e_keys BTab
	clear_field
	# the Norwegian and Danish names
	e2e_type "Danmark"
	e2e_keys Tab
	e2e_field_is "$_l: 'Danmark' is understood" "$6" "$7"
	e2e_keys BTab
	clear_field
	e2e_type "Norge"
	e2e_keys Tab
	e2e_field_is "$_l: 'Norge' is understood" "$6" "Norge"
	e2e_keys BTab
	clear_field
	e2e_type "Sver"
	e2e_expect "$_l: 'Sver' offers Sverige" " Sverige"
	no_english "$_l: no English country name in the suggestions"
	e2e_keys Tab
	# a country CPS does not serve: its name and the list in the language
	e2e_keys BTab
	clear_field
	e2e_type "IS"
	e2e_keys Tab
	e2e_expect "$_l: a country CPS does not serve is named in the language" "$9"
	no_english "$_l: the list of countries CPS serves has no English name"
	e2e_check_widths "$_l: no line wider than 80 columns"
}

journey nb nb_NO.UTF-8 "Velkommen til Canon Professional Services" "Start en ny søknad" \
	"1 av 3: Bedrift" "Land" "Danmark" "Sverige" "i Island"
journey "nb (no_NO)" no_NO.UTF-8 "Velkommen til Canon Professional Services" "Start en ny søknad" \
	"1 av 3: Bedrift" "Land" "Danmark" "Sverige" "i Island"
journey da da_DK.UTF-8 "Velkommen til Canon Professional Services" "Start en ny ansøgning" \
	"1 af 3: Virksomhed" "Land" "Danmark" "Sverige" "i Island"

# ==================================================================================
# The whole journey in Norwegian
# ==================================================================================
DB="$SUITE_DIR/nb.db"
PDF="$SUITE_DIR/attest.pdf"
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%%%EOF\n' >"$PDF"
EMAIL=post@fjordfoto.example.no
PASSWORD="fjord lantern seven"
nb_start() {
	e2e_start LC_ALL= LANG=nb_NO.UTF-8 -- --db "$DB" || return 1
	E2E_DB=$DB
}
# staff work from an English shell
cps() { run env LANGUAGE=en LC_ALL=C.UTF-8 "$CPSREG_BIN" --db "$DB" "$@"; }
fill() { e2e_type "$1"; e2e_keys Tab; }

nb_start
e2e_expect "nb journey: the welcome page" "Start en ny søknad"
e2e_keys Enter
e2e_expect "nb journey: the first screen" "1 av 3: Bedrift"
fill "Fjord Foto AS"
fill "norge"
fill "Strandgata 3"
fill "5013"
fill "Bergen"
e2e_expect "nb journey: 'norge' is Norge" "Land                  Norge"
e2e_keys C-n
e2e_expect "nb journey: the contact person" "2 av 3: Kontaktperson"
e2e_expect "nb journey: the preferred language is the screen's" "(*) Norsk bokmål"
fill "Ingrid"
fill "Fjell"
fill "$EMAIL"
e2e_keys C-n
e2e_expect "nb journey: VAT and the document" "3 av 3: Mva og dokumentasjon"
e2e_keys Space
e2e_keys Tab
fill "988077917"
e2e_keys Space
e2e_keys Tab Tab
fill "$PDF"
e2e_keys Space
e2e_keys C-n
e2e_expect "nb journey: the review" "Sjekk søknaden din, og send den"
e2e_expect "nb journey: the review names the country in Norwegian" "Strandgata 3, 5013 Bergen, Norge"
no_english "nb journey: no English country name on the review"
e2e_keys C-n
e2e_expect "nb journey: sent" "Søknaden din er sendt"
if e2e_screen | grep -Eq '[0-9]{2}\.[0-9]{2}\.20[0-9]{2}'; then
	ok "nb journey: the expected answer is dated dd.mm.yyyy"
else
	not_ok "nb journey: the expected answer is dated dd.mm.yyyy" "$(e2e_screen)"
fi
e2e_keys C-q y
e2e_wait_exit >/dev/null

cps approve "$EMAIL"
if [ "$RC" -eq 0 ]; then ok "nb journey: staff approve from an English shell"; else not_ok "nb journey: staff approve from an English shell" "exit $RC: $OUT"; fi
cps messages "$EMAIL"
contains "nb journey: the password message is in Norwegian" "bedriftskontoen din er validert"
lacks "nb journey: and not in English" "Hello"
TOKEN=$(printf '%s\n' "$OUT" | grep -Eo '\b[a-z2-7]{32}\b' | head -n 1)

nb_start
e2e_expect "nb journey: the wizard again" "Start en ny søknad"
e2e_keys Tab Tab Enter
e2e_expect "nb journey: the password page" "Kode fra e-posten"
fill "$EMAIL"
fill "$TOKEN"
fill "$PASSWORD"
fill "$PASSWORD"
e2e_keys Enter
e2e_expect "nb journey: My products" "Du har ikke registrert noen produkter ennå."
e2e_keys Enter
e2e_expect "nb journey: add a product" "Legg til et produkt"
e2e_type "r6 mark ii"
e2e_expect "nb journey: the model is suggested" " EOS R6 Mark II"
e2e_keys Down Enter Tab
fill "0330 2100 5678"
fill "05.2024"
e2e_keys C-u
fill "Sverige"
fill "Foto Bergen"
e2e_expect "nb journey: the month typed 05.2024 comes back as typed" "Kjøpsdato             05.2024"
e2e_expect "nb journey: Sverige is Sweden, shown in Norwegian" "Kjøpsland             Sverige (SE)"
e2e_keys Enter
e2e_expect "nb journey: saved with the green tick" "Lagret. Produktet har grønn hake."
e2e_keys C-b
e2e_keys C-n
e2e_expect "nb journey: the points" "Poengene dine"
e2e_expect "nb journey: no old e-mail: why there is no migration, on the way forward" "ingenting å migrere"
e2e_expect "nb journey: the support contact in the seed's Norwegian" "prioritert CPS-støtte"
no_english "nb journey: the support name is not the English one"
e2e_keys C-n
e2e_expect "nb journey: the levels" "Tilgjengelige CPS-nivåer"
e2e_expect "nb journey: points as the seed writes them (2000 poeng)" "trenger 1951 poeng til"
e2e_expect "nb journey: an amount in Norwegian" "1 000,00 EUR"
e2e_expect "nb journey: Corporate guidance beside the level" "omtrent 25 produkter"
e2e_expect "nb journey: the fees say they hold VAT" "Priser inkl. 25 % mva."
e2e_expect "nb journey: each fee without VAT too" "ekskl. mva."
e2e_expect "nb journey: what a level gives, in Norwegian" "Prioriterte reparasjoner, årlig sjekk og rens"
no_english "nb journey: no English level line on the levels"
e2e_check_widths "nb journey: the levels fit in 80 columns"
e2e_keys Enter
e2e_expect "nb journey: the payment page" "Bli med i CPS: slik betaler du"
e2e_expect "nb journey: the fee in Norwegian, with and without VAT" "100,00 EUR inkl. 25 % mva. (80,00 EUR ekskl. mva.)"
e2e_keys Right Right
e2e_keys C-n
e2e_expect "nb journey: a member" "Velkommen til CPS: du er nå medlem"
if e2e_screen | grep -q "Forfallsdato  *[0-9][0-9]\.[0-9][0-9]\.20[0-9][0-9]"; then
	ok "nb journey: the due date is dd.mm.yyyy"
else
	not_ok "nb journey: the due date is dd.mm.yyyy" "$(e2e_screen)"
fi
if e2e_screen | grep -q "Herav mva\.  *20,00 EUR (25 %)"; then
	ok "nb journey: the VAT of the invoice"
else
	not_ok "nb journey: the VAT of the invoice" "$(e2e_screen)"
fi
no_english "nb journey: no English country name at the end"
e2e_check_widths "nb journey: no line wider than 80 columns"
cps messages "$EMAIL"
contains "nb journey: the invoice is in Norwegian" "faktura"
contains "nb journey: with the Norwegian amount" "100,00 EUR"
contains "nb journey: the invoice's VAT in Norwegian" "herav mva. (25 %): 20,00 EUR"
lacks "nb journey: no English invoice" "Invoice number"

e2e_stop
finish
