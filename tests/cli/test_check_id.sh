#!/bin/sh
# test_check_id.sh - "cpsreg check-id" on the real binary: for every CPS
# country a published number that passes and the same number one digit off
# that fails; the countries checked by the format only; Swedish sole
# traders, Northern Ireland, pasted input; the messages in English,
# Norwegian and Danish; and that the README and the man page list the same
# countries as assets/countries.csv.
. tests/lib.sh

tab=$(printf '\t')
nl='
'

# --- every CPS country: valid, and one digit off ---------------------------
# COUNTRY VALID NORMALISED ONE-DIGIT-OFF
table="AT ATU10223006 ATU10223006 ATU10223007
BE 0417497106 BE0417497106 0417497107
CH CHE-116.281.710-MWST CHE116281710 CHE-116.281.711-MWST
CZ CZ00177041 CZ00177041 CZ00177042
DE DE136695976 DE136695976 DE136695977
DK 13585628 DK13585628 13585627
ES ESA28015865 ESA28015865 ESA28015866
FI 2077474-0 FI20774740 2077474-1
FR FR40303265045 FR40303265045 FR41303265045
GB 980780684 GB980780684 980780685
HU HU10773381 HU10773381 HU10773382
IE IE6388047V IE6388047V IE6388048V
IT IT00159560366 IT00159560366 IT00159560367
LU LU20260743 LU20260743 LU20260744
NL NL004495445B01 NL004495445B01 NL004495446B01
NO 988077917 NO988077917MVA 988077918
PL PL7740001454 PL7740001454 PL7740001455
PT PT501964843 PT501964843 PT501964844
SE 5560360793 SE556036079301 5560360794
SK SK2022749619 SK2022749619 SK2022749618"

printf '%s\n' "$table" >"$SUITE_DIR/table"
while read -r cc good norm bad; do
	expect_exit 0 "$cc: $good passes" "$CPSREG_BIN" check-id "$cc" "$good"
	[ "$OUT" = "valid: $norm" ] && ok "$cc: normalised to $norm" ||
		not_ok "$cc: normalised to $norm" "$OUT"
	expect_exit 1 "$cc: $bad (one digit off) is refused" "$CPSREG_BIN" check-id "$cc" "$bad"
	contains "$cc: the refusal says why" "invalid: "
done <"$SUITE_DIR/table"

cps=$(sed -n 's/^\([A-Z][A-Z]\),[^,]*,1$/\1/p' assets/countries.csv | sort | tr '\n' ' ')
tested=$(cut -d ' ' -f 1 "$SUITE_DIR/table" | sort | tr '\n' ' ')
[ -n "$cps" ] && [ "$cps" = "$tested" ] && ok "every CPS country of countries.csv is tested" ||
	not_ok "every CPS country of countries.csv is tested" "cps: $cps${nl}tested: $tested"

# --- the README and the man page say the same -----------------------------
words() { tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' '; }
readme=$(sed -n 's/^| \([A-Z ]*\) (every CPS country) |.*/\1/p' README.md | words)
man=$(tr '\n' ' ' <assets/cpsreg.1 | sed -n 's/.*every CPS country: \([A-Z ]*\), each.*/\1/p' | words)
[ "$readme" = "$cps" ] && ok "the README lists the CPS countries as getting check digits" ||
	not_ok "README: check digits" "README: $readme${nl}countries.csv: $cps"
[ "$man" = "$cps" ] && ok "the man page lists the CPS countries as getting check digits" ||
	not_ok "man page: check digits" "man: $man${nl}countries.csv: $cps"
readme_fmt=$(sed -n 's/^| \([A-Z ()]*\) (the other EU countries) |.*/\1/p' README.md | sed 's/([A-Z]*)//g' | words)
man_fmt=$(tr '\n' ' ' <assets/cpsreg.1 | sed -n 's/.*the other EU countries: \([A-Z ]*\) (the VIES format).*/\1/p' | words)
[ -n "$readme_fmt" ] && [ "$readme_fmt" = "$man_fmt" ] && ok "README and man page list the same format-only countries" ||
	not_ok "format-only countries" "README: $readme_fmt${nl}man: $man_fmt"

# --- the format only: any number of the right form passes ------------------
for pair in BG:123456789 CY:12345678X EE:123456789 EL:123456789 HR:12345678901 \
	    LT:123456789 LV:12345678901 MT:12345678 RO:18 SI:12345678; do
	cc=${pair%%:*} num=${pair#*:}
	case " $man_fmt " in
	*" $cc "*) ok "$cc is listed as format only" ;;
	*) not_ok "$cc is listed as format only" "$man_fmt" ;;
	esac
	expect_exit 0 "$cc: the format is enough" "$CPSREG_BIN" check-id "$cc" "$num"
done

# --- Swedish sole traders ---------------------------------------------------
expect_exit 0 "a sole trader's personnummer is their organisation number" \
	"$CPSREG_BIN" check-id SE 811218-9876
[ "$OUT" = "valid: SE811218987601" ] && ok "a sole trader's VAT number is SE, the personnummer and 01" ||
	not_ok "sole trader's VAT form" "$OUT"
expect_exit 0 "the 12-digit form with the century" "$CPSREG_BIN" check-id SE 19811218-9876
[ "$OUT" = "valid: SE811218987601" ] && ok "the century is dropped" || not_ok "the century is dropped" "$OUT"
expect_exit 1 "a personnummer that fails Luhn is refused" "$CPSREG_BIN" check-id SE 811218-9877
contains "the refusal names the check digit" "check digit does not match"
expect_exit 1 "a number that is neither company nor person is refused" "$CPSREG_BIN" check-id SE 811318-0007
contains "the refusal explains the sole trader's number" "sole trader, whose number is their personnummer"

# --- Northern Ireland --------------------------------------------------------
expect_exit 0 "XI in front of a UK number is accepted" "$CPSREG_BIN" check-id GB "XI 980 7806 84"
[ "$OUT" = "valid: XI980780684" ] && ok "XI is kept" || not_ok "XI is kept" "$OUT"
expect_exit 1 "XI with a wrong check digit is refused" "$CPSREG_BIN" check-id GB XI980780685
lacks "XI is not called another country's prefix" "another country"

# --- pasted input -------------------------------------------------------------
expect_exit 0 "a line end pasted with the number is white space" "$CPSREG_BIN" check-id DK "13585628$nl"
expect_exit 0 "so is a CR" "$CPSREG_BIN" check-id DK "$(printf '13585628\r')"
expect_exit 0 "and a tab" "$CPSREG_BIN" check-id DK "${tab}13585628"
expect_exit 0 "full-width digits fold to ASCII" "$CPSREG_BIN" check-id DK \
	"$(printf '\357\274\221\357\274\223\357\274\225\357\274\230\357\274\225\357\274\226\357\274\222\357\274\230')"
[ "$OUT" = "valid: DK13585628" ] && ok "full-width digits give the ASCII form" || not_ok "full-width" "$OUT"
expect_exit 1 "'/' is not a separator" "$CPSREG_BIN" check-id DK 13/58/56/28
contains "the refusal names the /" 'cannot contain "/"'
expect_exit 1 "',' is not a separator" "$CPSREG_BIN" check-id DE "136,695,976"
contains "the refusal names the ," 'cannot contain ","'

# --- the country's own word, in three languages ----------------------------
lang() { # lang LANGUAGE COUNTRY NUMBER: runs check-id in that language
	_l=$1
	shift
	run env LC_ALL=C.UTF-8 LANGUAGE="$_l" "$CPSREG_BIN" check-id "$@"
}
lang en AT ATU1022300
contains "en: the Austrian number is the UID" "invalid: The VAT number (UID) should be"
lang nb AT ATU1022300
contains "nb: the Austrian number is the UID" "ugyldig: Et mva-nummer (UID) består av"
lang da AT ATU1022300
contains "da: the Austrian number is the UID" "ugyldig: Et momsnummer (UID) består af"
lang en ES ""
contains "en: the Spanish number is the NIF" "Please enter the VAT number (NIF)."
lang nb ES ""
contains "nb: the Spanish number is the NIF" "mva-nummer (NIF)"
lang da ES ""
contains "da: the Spanish number is the NIF" "momsnummer (NIF)"
lang en CH CHE-116.281.71
contains "en: the Swiss number is the UID" "The UID number should be"
lang nb CH CHE-116.281.71
contains "nb: the Swiss number is the UID" "UID-nummer"
lang nb SE 811318-0007
contains "nb: the sole trader's number is explained" "enkeltpersonforetak"
lang da SE 811318-0007
contains "da: the sole trader's number is explained" "enkeltmandsvirksomhed"
lang da DK 13585627
contains "da: the check digit, in Danish" "Kontrolcifferet passer ikke"

finish
