#!/bin/sh
# test_nordic.sh - the wizard in Norwegian and in Danish on a machine where
# neither locale is generated (only C.UTF-8): LANG alone picks the language;
# countries are named in the screen's language and understood as typed in
# English, Norwegian, Danish or as the ISO code; no English country name
# reaches a Norwegian or Danish screen.
. tests/lib.sh
. tests/e2e/lib.sh

if ! command -v tmux >/dev/null 2>&1; then
	not_ok "tmux is installed (make deps-test installs it)"
	finish
fi

# field_value LABEL: what the field beside the label shows (column 24).
field_value() {
	e2e_screen | grep -m 1 "^  $1 " | cut -c25- | sed 's/ *$//'
}
_field_shows() {
	_v=$(field_value "$1")
	[ "$_v" = "$2" ]
}
field_is() {
	if e2e_until "" _field_shows "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1" "the field '$2' shows '$_v', wanted '$3'
$(e2e_screen)"
	fi
}

# no_english NAME: ok when no English name of a country CPS serves (nor
# Iceland's) is on the screen.
no_english() {
	_hit=$(e2e_screen | grep -Eo 'Denmark|Norway|Sweden|Germany|Netherlands|United Kingdom|Austria|Belgium|Switzerland|Iceland|Czechia|Hungary|Ireland|Italy|Poland|Spain' | head -n 1)
	if [ -z "$_hit" ]; then ok "$1"; else not_ok "$1" "'$_hit' on the screen:
$(e2e_screen)"; fi
}

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
	field_is "$_l: 'dk' is read as the country in the screen's language" "$6" "$7"
	e2e_keys BTab
	clear_field
	# the English name
	e2e_type "Sweden"
	e2e_keys Tab
	field_is "$_l: the English name 'Sweden' is understood" "$6" "$8"
	e2e_keys BTab
	clear_field
	# the Norwegian and Danish names
	e2e_type "Danmark"
	e2e_keys Tab
	field_is "$_l: 'Danmark' is understood" "$6" "$7"
	e2e_keys BTab
	clear_field
	e2e_type "Norge"
	e2e_keys Tab
	field_is "$_l: 'Norge' is understood" "$6" "Norge"
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

e2e_stop
finish
