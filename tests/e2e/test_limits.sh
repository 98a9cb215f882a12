#!/bin/sh
# test_limits.sh - wrong resume codes at the wizard are rate-limited per
# terminal; staff see the limit with "cpsreg limits" and lift it with
# "cpsreg unlock".
. tests/lib.sh
. tests/e2e/lib.sh

staff() { "$CPSREG_BIN" --db "$E2E_DB" "$@"; }

e2e_start
e2e_expect "the welcome page is shown" "Continue with a resume code"
e2e_keys Down Enter
e2e_expect "the resume page opens" "Continue your application"
for i in 2 3 4 5 6; do
	e2e_keys C-u
	e2e_type "AAAA-BBBB-CCC$i"
	e2e_keys Enter
	e2e_expect "wrong code $i: refused" "does not belong to any application"
	if [ "$i" = 2 ]; then
		e2e_expect_row "the message line points to the reason on the page" 23 \
			"The code was not taken: the reason is shown above."
		n=$(e2e_screen | grep -c "does not belong to any")
		[ "$n" = 1 ] && ok "the reason is said once" || not_ok "the reason is said once" "$(e2e_screen)"
	fi
	e2e_keys C-l
done
e2e_keys C-u
e2e_type "AAAA-BBBB-CCC7"
e2e_keys Enter
e2e_expect "the sixth wrong code in a row waits" "Too many wrong tries here"
e2e_lacks "the code typed is not echoed in the message" "CCC7 "

run staff limits
case "$OUT" in
*terminal*pts/*"5 wrong in a row"*) ok "cpsreg limits shows the terminal with 5 wrong tries" ;;
*) not_ok "cpsreg limits shows the terminal with 5 wrong tries" "$OUT" ;;
esac
case "$OUT" in
*AAAA*) not_ok "cpsreg limits never shows a code" "$OUT" ;;
*) ok "cpsreg limits never shows a code" ;;
esac
expect_exit 2 "unlock with an unknown scope is a usage error" staff unlock everything x
expect_exit 2 "unlock all takes no key" staff unlock all x
expect_exit 0 "cpsreg unlock all lifts it" staff unlock all
expect_exit 1 "nothing left to unlock" staff unlock all
run staff limits
[ "$OUT" = "no wrong tries recorded" ] && ok "cpsreg limits: nothing left" || not_ok "cpsreg limits: nothing left" "$OUT"

e2e_keys C-u
e2e_type "AAAA-BBBB-CCC8"
e2e_keys Enter
e2e_expect "after the unlock a code is checked again" "does not belong to any application"
e2e_keys C-q y
e2e_expect_exit 0 "the program ends normally"
finish
