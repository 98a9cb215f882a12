#!/bin/sh
# test_cli.sh - the command line: --help, --version, --check-config,
# configuration errors and precedence, and the database checks at start-up.
. tests/lib.sh

ini="$SUITE_DIR/cps.ini"
db="$SUITE_DIR/data/cpsreg.db"

# --- help and version -----------------------------------------------------
expect_exit 0 "--help exits 0" "$CPSREG_BIN" --help
contains "--help shows the usage" "Usage: cpsreg"
for opt in --config --db --set --check-config --dump-keys --help --version; do
	contains "--help names $opt" "$opt"
done
# staff read it over SSH at 80 columns, in every language
for lang in en nb da; do
	wide=$(LANGUAGE=$lang LC_ALL=C.UTF-8 "$CPSREG_BIN" --help |
		python3 -c 'import sys; [print(l) for l in sys.stdin.read().split("\n") if len(l) > 79]')
	if [ -z "$wide" ]; then ok "--help in $lang fits 79 columns"; else not_ok "--help in $lang fits 79 columns" "$wide"; fi
done
for code in 0 1 2 3 4 5; do
	contains "--help documents exit status $code" "  $code  "
done
help_text=$OUT
for opt in --config --db --set --check-config --dump-keys --help --version; do
	if sed 's/\\//g' assets/cpsreg.1 | grep -q -- "$opt" && grep -q -- "$opt" README.md; then
		ok "man page and README describe $opt"
	else
		not_ok "man page and README describe $opt"
	fi
done
for code in 0 1 2 3 4 5; do
	if grep -q "^\.IP $code\$" assets/cpsreg.1; then ok "man page documents exit status $code"
	else not_ok "man page documents exit status $code"; fi
done

version=$(sed -n 's/^VERSION *:= *//p' Makefile)
expect_exit 0 "--version exits 0" "$CPSREG_BIN" --version
[ "$OUT" = "cpsreg $version" ] && ok "--version prints the Makefile's version" || not_ok "--version" "$OUT"

# output that cannot be written is a failure, not a silent success
if [ -w /dev/full ]; then
	for args in "--help" "--version" "check-id DK 13585628"; do
		# shellcheck disable=SC2086 # the words are the arguments
		OUT=$("$CPSREG_BIN" $args 2>&1 >/dev/full); RC=$?
		[ "$RC" -ne 0 ] && ok "$args to a full disk exits non-zero" || not_ok "$args to a full disk exits non-zero" "exit $RC"
		contains "$args to a full disk says so" "cannot write the output"
	done
fi

expect_exit 2 "an unknown option is a usage error" "$CPSREG_BIN" --frobnicate
contains "the usage error names the option" "cpsreg: unknown option '--frobnicate'"
expect_exit 2 "a missing option value is a usage error" "$CPSREG_BIN" --db
contains "the usage error says a value is needed" "needs a value"
expect_exit 2 "--set without '=' is a usage error" "$CPSREG_BIN" --set rules.invite_points

# --- commands ---------------------------------------------------------------
expect_exit 0 "check-id accepts a valid CVR as people type it" "$CPSREG_BIN" check-id dk "13 58 56 28"
[ "$OUT" = "valid: DK13585628" ] && ok "check-id prints the normalised form" || not_ok "check-id normalised" "$OUT"
expect_exit 1 "check-id refuses a wrong check digit" "$CPSREG_BIN" check-id NO 988077918
contains "check-id says why" "invalid: The check digit does not match"
expect_exit 2 "check-id without a number is a usage error" "$CPSREG_BIN" check-id DK
contains "the usage error shows the usage" "usage: cpsreg check-id COUNTRY NUMBER"
expect_exit 2 "an unknown command is a usage error" "$CPSREG_BIN" frobnicate
contains "the message names the command" "unknown command 'frobnicate'"
cmds=$("$CPSREG_BIN" --help | sed -n '/^Without a COMMAND/,/^$/p' | sed -n 's/^  \([a-z-]*\) .*/\1/p')
[ -n "$cmds" ] && ok "--help lists the commands" || not_ok "--help lists the commands"
for c in $cmds; do
	if sed 's/\\//g' assets/cpsreg.1 | grep -q -- "$c" && grep -q -- "$c" README.md; then
		ok "man page and README describe $c"
	else
		not_ok "man page and README describe $c"
	fi
done

OUT=$(echo 12345 | "$CPSREG_BIN" hash-pin 2>&1); RC=$?
[ "$RC" -eq 1 ] && ok "hash-pin refuses a PIN that is too short" || not_ok "short PIN" "$RC $OUT"
hash=$(echo 'kiosk-4711' | "$CPSREG_BIN" hash-pin 2>/dev/null)
case $hash in '$y$'*) ok "hash-pin prints a yescrypt hash" ;; *) not_ok "hash-pin prints a yescrypt hash" "$hash" ;; esac
case $hash in *kiosk-4711*) not_ok "the hash does not contain the PIN" ;; *) ok "the hash does not contain the PIN" ;; esac
printf '[kiosk]\nstaff_pin_hash = %s\n' "$hash" >"$ini"
chmod 600 "$ini"
expect_exit 0 "the hash is accepted as kiosk.staff_pin_hash" "$CPSREG_BIN" --check-config "$ini"
lacks "check-config does not show the hash" "$hash"

# --- --check-config -------------------------------------------------------
expect_exit 0 "the example configuration is valid" "$CPSREG_BIN" --check-config cps.ini.example
contains "check-config ends by saying it is valid" "the configuration is valid"
shown=$OUT
# the example leaves the bank and the support contact for the shop to fill
# in: exactly those two warnings, nothing else
contains "check-config warns that bank transfer has no bank details" "payment.iban is not set"
contains "check-config warns that support cannot be reached" "neither support.phone nor support.email is set"
OUT=$(printf '%s\n' "$shown" | grep 'warning:' | grep -v -e "payment.iban is not set" -e "neither support.phone")
lacks "the example gives no other warning" "warning:"
expect_exit 0 "the example with an IBAN and a support e-mail is valid" "$CPSREG_BIN" --set payment.iban=DK5000400440116243 \
	--set support.email=cps@example.dk --check-config cps.ini.example
lacks "with an IBAN and a support e-mail, no warning" "warning:"
# every key the program knows is documented in the example, in its section
for key in $(printf '%s\n' "$shown" | sed -n 's/^\([a-z_]*\.[a-z_]*\) *=.*/\1/p'); do
	sec=${key%%.*} k=${key#*.}
	if awk -v s="[$sec]" -v k="$k" '
		/^\[/ { insec = ($0 == s) }
		insec && $1 == k && $2 == "=" { found = 1 }
		END { exit !found }' cps.ini.example; then
		ok "cps.ini.example documents $key"
	else
		not_ok "cps.ini.example documents $key"
	fi
done

mkdir -p "$SUITE_DIR/empty"
expect_exit 0 "no file at all is fine" env -C "$SUITE_DIR/empty" "$CPSREG_BIN" --check-config
contains "without a file the defaults are used" "none (built-in defaults)"

printf '[rules]\ninvite_points = 500\nthis line is broken\n' >"$ini"
expect_exit 3 "a broken ini is refused" "$CPSREG_BIN" --check-config "$ini"
contains "the message names the file and line" "cps.ini:3:"
contains "the message says what was expected" "key = value"

printf '[rules]\nvalidation_days = 45\n' >"$ini"
expect_exit 3 "a value out of range is refused" "$CPSREG_BIN" --config "$ini" --check-config
contains "the message names section.key and the range" "rules.validation_days: 45 is out of range (allowed: 0 to 30)"

printf '[rules]\nvalidaton_days = 3\n' >"$ini"
expect_exit 0 "an unknown key is only a warning" "$CPSREG_BIN" --check-config "$ini"
contains "the warning names the key and line" "cpsreg: warning: $ini:2: unknown key rules.validaton_days"

printf '[remote]\nurl = https://cps.example.com\ntoken = hunter2hunter2\n' >"$ini"
chmod 644 "$ini"
expect_exit 3 "a secret in a readable file is refused" "$CPSREG_BIN" --check-config "$ini"
contains "the message says how to fix it" "chmod 600 $ini"
lacks "the message does not show the secret" "hunter2"
chmod 600 "$ini"
expect_exit 0 "the same file made private is accepted" "$CPSREG_BIN" --check-config "$ini"
lacks "check-config hides the token" "hunter2"
contains "check-config says the token is set" "(set, hidden)"

# a message that quotes the file never carries its control bytes
printf '[general]\nx\033]0;PWNED\a = 1\n' >"$ini"
expect_exit 0 "a key with control bytes is only a warning" "$CPSREG_BIN" --check-config "$ini"
contains "the warning shows the key with its controls neutralised" "unknown key general.x?]0;pwned?"
if printf '%s' "$OUT" | tr -d '\n' | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')"; then
	not_ok "no control byte reaches the terminal" "$(printf '%s' "$OUT" | od -c | head -5)"
else
	ok "no control byte reaches the terminal"
fi

# one line limit, said with file:line, whatever the length past it
for n in 1000 1001 1050 1098 1099 4000; do
	{ echo '[support]'; printf 'name = "%s"\n' "$(head -c $((n - 9)) /dev/zero | tr '\0' a)"; } >"$ini"
	if [ "$n" -le 1000 ]; then
		expect_exit 0 "a $n-byte line is taken" "$CPSREG_BIN" --check-config "$ini"
	else
		expect_exit 3 "a $n-byte line is refused" "$CPSREG_BIN" --check-config "$ini"
		contains "the $n-byte line is named with file:line and the limit" "cps.ini:2: the line is too long (at most 1000 bytes)"
		lacks "iniparser's own message is not shown for $n bytes" "iniparser"
	fi
done

# precedence: command line > environment > file > default
printf '[rules]\nvalidation_days = 3\n' >"$ini"
run "$CPSREG_BIN" --check-config "$ini"
contains "the file's value is used" "rules.validation_days        = 3 "
contains "its source is the file's line" "cps.ini:2"
OUT=$(CPSREG_RULES_VALIDATION_DAYS=4 "$CPSREG_BIN" --check-config "$ini" 2>&1)
contains "the environment beats the file" "rules.validation_days        = 4 "
contains "its source is the variable" "environment CPSREG_RULES_VALIDATION_DAYS"
OUT=$(CPSREG_RULES_VALIDATION_DAYS=4 "$CPSREG_BIN" --set rules.validation_days=5 --check-config "$ini" 2>&1)
contains "the command line beats the environment" "rules.validation_days        = 5 "
contains "its source is the command line" "command line"
OUT=$(CPSREG_CONFIG="$ini" "$CPSREG_BIN" --check-config 2>&1)
contains "CPSREG_CONFIG names the file to read" "rules.validation_days        = 3 "
run "$CPSREG_BIN" --db "$SUITE_DIR/x.db" --check-config "$ini"
contains "--db sets general.database" "general.database             = $SUITE_DIR/x.db"

# --- the database at start-up ----------------------------------------------
expect_exit 5 "without a terminal the wizard says so" "$CPSREG_BIN" --db "$db"
contains "the message says a terminal is needed" "needs a terminal"
[ -f "$db" ] && ok "the database was created (with its folder)" || not_ok "the database was created"
mode=$(stat -c %a "$db" 2>/dev/null)
[ "$mode" = 600 ] && ok "the database is private (600)" || not_ok "the database is private" "mode $mode"
[ "$(sqlite3 "$db" 'PRAGMA application_id;')" = 1129337682 ] && ok "the database carries cpsreg's application id" \
	|| not_ok "application id"

sqlite3 "$db" 'PRAGMA user_version = 999;'
sum=$(md5sum <"$db")
expect_exit 4 "a database from a newer cpsreg is refused" "$CPSREG_BIN" --db "$db"
contains "the message says it is newer" "999"
[ "$(md5sum <"$db")" = "$sum" ] && ok "the newer database is left untouched" || not_ok "newer database untouched"

printf 'these are not the bytes of a database\n%.0s' 1 2 3 4 5 6 7 8 9 10 >"$SUITE_DIR/junk.db"
sum=$(md5sum <"$SUITE_DIR/junk.db")
expect_exit 4 "a file that is not a database is refused" "$CPSREG_BIN" --db "$SUITE_DIR/junk.db"
contains "the message names the file" "junk.db"
[ "$(md5sum <"$SUITE_DIR/junk.db")" = "$sum" ] && ok "the damaged file is left untouched" || not_ok "junk untouched"

# an empty file is what a full disk or a bad restore leaves: refused
: >"$SUITE_DIR/empty.db"
touch -d '1 hour ago' "$SUITE_DIR/empty.db"
expect_exit 4 "an empty database file is refused" "$CPSREG_BIN" --db "$SUITE_DIR/empty.db" status anna@example.dk
contains "the message says it is empty and what to do" "is empty (0 bytes)"
[ ! -s "$SUITE_DIR/empty.db" ] && [ ! -e "$SUITE_DIR/empty.db-wal" ] && ok "the empty file is left as it was" \
	|| not_ok "the empty file is left as it was"

ln -s "$SUITE_DIR/no-such-folder/cps.db" "$SUITE_DIR/dangling.db"
expect_exit 4 "a symbolic link to nothing is refused" "$CPSREG_BIN" --db "$SUITE_DIR/dangling.db" status anna@example.dk
contains "the message says it is a link to a missing file" "is a symbolic link to $SUITE_DIR/no-such-folder/cps.db, which does not exist"
lacks "the message is not a bare 'File exists'" "File exists"

finish
