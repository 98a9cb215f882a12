#!/bin/sh
# test_words.sh - the Norwegian and Danish words the README's Languages
# section promises, taken from Canon's own texts: one word for a thing in
# every translated message (customer screens, staff console, messages and
# the command line alike), and none of the words they replaced.
. tests/lib.sh

# the translations only, one message a line, without retired entries
strs() {
	msgattrib --no-obsolete --no-wrap "assets/po/$1.po" | sed -n 's/^msgstr\(\[[0-9]\]\)\{0,1\} "\(.*\)"$/\2/p'
}
NB=$(strs nb)
DA=$(strs da)

# never WORD in LANG's translations: NAME
never() {
	hits=$(printf '%s\n' "$3" | grep -i -- "$2")
	[ -z "$hits" ] && ok "$1: never '$2'" || not_ok "$1: never '$2'" "$(printf '%s\n' "$hits" | head -3)"
}
# at least once
some() {
	printf '%s\n' "$3" | grep -q -- "$2" && ok "$1: '$2' is used" || not_ok "$1: '$2' is used" "not found"
}

never nb "Logg på" "$NB"
never nb "arbeidsdag" "$NB"
never nb "medlemsnummer" "$NB"
never nb "Flytt produkt" "$NB"
some nb "Logg inn" "$NB"
some nb "virkedager" "$NB"
some nb "medlemskapsnummer" "$NB"
some nb "migrer" "$NB"
some nb "Foretaksnavn" "$NB"
some nb "abonnementsgebyr" "$NB"
some nb "Enter åpner det" "$NB"

never da "må ikke læses" "$DA"
never da "Log på" "$DA"
never da "fortsættelseskode" "$DA"
some da "kan ikke læses" "$DA"
some da "Log ind" "$DA"
some da "Opret adgangskode" "$DA"
some da "Bekræft og tilmeld dig" "$DA"
some da "ansøgningskode" "$DA"
some da "ekstragebyrer" "$DA"
# the seed: "faktura, hvor dit CVR-nummer og firmanavn fremgår tydeligt"
some da "hvor dit CVR-nummer og firmanavn fremgår tydeligt" "$DA"
some da "Erhvervsstyrelsen" "$DA"
some da "(valgfrit)" "$DA"
# one phrasing for local bank fees, the seed's
never da "bankgebyr" "$DA"

finish
