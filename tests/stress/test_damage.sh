#!/bin/sh
# test_damage.sh - cpsreg given a database it cannot use: truncated, bytes
# flipped, a wrong schema, another program's SQLite file, a read-only file, a
# directory, a fifo, a 0-byte file, a dangling symlink.  README: exit status 4
# ("the database cannot be used"), a message on stderr prefixed "cpsreg: "
# that says what is wrong, and the file byte for byte as it was (nothing
# written next to it either).  Staff commands that read and that write are
# tried, and the wizard itself on two of the files.
. tests/lib.sh
. tests/e2e/lib.sh

: "${STRESS_DRIVER:=./tests/stress/stress_driver}"
case $STRESS_DRIVER in /*) ;; *) STRESS_DRIVER="$PWD/$STRESS_DRIVER" ;; esac

if ! command -v sqlite3 >/dev/null 2>&1; then
	not_ok "sqlite3 is installed (make deps-test installs it)"
	finish
fi

# the driver's names: two validated customers and one pending application
CUSTOMER=writer-dmg-0@stress.example.no
PENDING=staff-dmg-0@stress.example.no

# --- a good database to damage -----------------------------------------------
GOOD="$SUITE_DIR/good.db"
"$STRESS_DRIVER" writer "$GOOD" 40 7 dmg 1 >"$SUITE_DIR/writer.log" 2>&1
run "$CPSREG_BIN" --db "$GOOD" import-legacy assets/legacy-sample.csv
run "$CPSREG_BIN" --db "$GOOD" status "$CUSTOMER"
if [ "$RC" -eq 0 ] && [ ! -e "$GOOD-wal" ]; then
	ok "a good database with customers, products and old accounts is made"
else
	not_ok "a good database with customers, products and old accounts is made" \
		"exit $RC: $OUT $(cat "$SUITE_DIR/writer.log")"
	finish
fi
PAGE=$(sqlite3 "$GOOD" 'PRAGMA page_size')
SIZE=$(wc -c <"$GOOD")

# flip FILE OFFSET COUNT: inverts COUNT bytes from OFFSET, in place.
flip() {
	_tmp="$1.flip"
	{
		head -c "$2" "$1"
		tail -c +"$(($2 + 1))" "$1" | head -c "$3" | od -An -v -tu1 |
			tr -s ' ' '\n' | grep . |
			while read -r b; do printf "\\$(printf %03o $((255 - b)))"; done
		tail -c +"$(($2 + $3 + 1))" "$1"
	} >"$_tmp" && mv "$_tmp" "$1"
}

# snapshot DIR: what is in the folder, and the checksum of each regular file
# (never read a fifo: that would wait for a writer).
snapshot() {
	(
		cd "$1" || exit 1
		ls -lA --time-style=+ | sed 1d
		for f in * .[!.]*; do
			[ -f "$f" ] && [ ! -L "$f" ] && sha256sum "$f"
		done
		# a symlink's target must not appear either
		for f in *; do
			[ -L "$f" ] && printf 'link %s -> %s exists=%s\n' "$f" "$(readlink "$f")" \
				"$([ -e "$f" ] && echo yes || echo no)"
		done
	) 2>&1
}

# case_dir NAME: a fresh folder for one damaged database; sets DB.
case_dir() {
	CASE="$SUITE_DIR/case-$1"
	rm -rf "$CASE"
	mkdir -p "$CASE"
	DB="$CASE/cpsreg.db"
}

# refused NAME TEXT [AS_USER]: every command is refused on $DB with exit 4, a
# "cpsreg: " message holding TEXT (and never "File exists"), and the folder
# is as it was.  AS_USER runs the commands as that user (setpriv).
refused() {
	_name=$1 _text=$2 _as=${3:-}
	_before=$(snapshot "$CASE")
	for _cmd in "status $CUSTOMER" "approve $PENDING" "import-legacy assets/legacy-sample.csv"; do
		# shellcheck disable=SC2086 # _cmd is split into words on purpose
		if [ -n "$_as" ]; then
			run timeout 60 setpriv --reuid="$_as" --regid="$_as" --clear-groups \
				"$CPSREG_BIN" --db "$DB" $_cmd
		else
			run timeout 60 "$CPSREG_BIN" --db "$DB" $_cmd
		fi
		_verb=${_cmd%% *}
		_why=""
		[ "$RC" -eq 4 ] || _why="exit $RC, wanted 4;"
		case $OUT in
		"cpsreg: "*) ;;
		*) _why="$_why the message lacks the 'cpsreg: ' prefix;" ;;
		esac
		case $OUT in
		*"$_text"*) ;;
		*) _why="$_why the message does not say '$_text';" ;;
		esac
		case $OUT in
		*"File exists"*) _why="$_why the message says 'File exists';" ;;
		esac
		if [ -z "$_why" ]; then
			ok "$_name: $_verb is refused with exit 4 and says so"
		else
			not_ok "$_name: $_verb is refused with exit 4 and says so" "$_why
$OUT"
		fi
	done
	_after=$(snapshot "$CASE")
	if [ "$_before" = "$_after" ]; then
		ok "$_name: the file is byte for byte as it was, nothing beside it"
	else
		not_ok "$_name: the file is byte for byte as it was, nothing beside it" \
			"before:
$_before
after:
$_after"
	fi
}

# --- truncated ------------------------------------------------------------------
case_dir truncated-half
head -c $((SIZE / 2)) "$GOOD" >"$DB"
refused "truncated to half" "is damaged"

case_dir truncated-page
head -c "$PAGE" "$GOOD" >"$DB"
refused "truncated to its first page" "is damaged"

case_dir truncated-header
head -c 50 "$GOOD" >"$DB"
refused "truncated inside the SQLite header" "is not a cpsreg database"

# --- flipped bytes ----------------------------------------------------------------
# In the header (format numbers, page counts, the schema cookie area) and in
# the page headers of the schema and of the tables the commands read.
for off in 18 28 96 100; do
	case_dir "flip-$off"
	cp "$GOOD" "$DB"
	flip "$DB" "$off" 8
	refused "8 bytes flipped at offset $off" "is damaged"
done

case_dir flip-version
cp "$GOOD" "$DB"
flip "$DB" 60 4
refused "the schema version's bytes flipped" "is not a cpsreg database"

case_dir flip-appid
cp "$GOOD" "$DB"
flip "$DB" 68 4
refused "the application id's bytes flipped" "another program's SQLite database"

for t in account product; do
	root=$(sqlite3 "$GOOD" "SELECT rootpage FROM sqlite_master WHERE name = '$t'")
	case_dir "flip-$t"
	cp "$GOOD" "$DB"
	flip "$DB" $(((root - 1) * PAGE)) 8
	# only status reads these tables first; the other commands are tried
	# below on damage they meet at once
	_before=$(snapshot "$CASE")
	run timeout 60 "$CPSREG_BIN" --db "$DB" status "$CUSTOMER"
	if [ "$RC" -eq 4 ] && case $OUT in "cpsreg: "*malformed*) true ;; *) false ;; esac; then
		ok "the $t table's page damaged: status exits 4 and says the database is malformed"
	else
		not_ok "the $t table's page damaged: status exits 4 and says the database is malformed" "exit $RC: $OUT"
	fi
	if [ "$_before" = "$(snapshot "$CASE")" ]; then
		ok "the $t table's page damaged: the file is as it was"
	else
		not_ok "the $t table's page damaged: the file is as it was"
	fi
done

# --- a wrong schema ---------------------------------------------------------------
case_dir newer
cp "$GOOD" "$DB"
sqlite3 "$DB" 'PRAGMA user_version = 99'
refused "a database of a newer cpsreg (version 99)" "was written by a newer cpsreg"

case_dir missing-tables
cp "$GOOD" "$DB"
sqlite3 "$DB" 'DROP TABLE membership; DROP TABLE invoice; DROP TABLE outbox'
_before=$(snapshot "$CASE")
run timeout 60 "$CPSREG_BIN" --db "$DB" status "$CUSTOMER"
if [ "$RC" -eq 4 ] && case $OUT in "cpsreg: "*"no such table"*) true ;; *) false ;; esac; then
	ok "tables missing at the current version: status exits 4 and names the missing table"
else
	not_ok "tables missing at the current version: status exits 4 and names the missing table" "exit $RC: $OUT"
fi
run timeout 60 "$CPSREG_BIN" --db "$DB" approve "$PENDING"
if [ "$RC" -eq 4 ]; then
	ok "tables missing at the current version: approve exits 4"
else
	not_ok "tables missing at the current version: approve exits 4" "exit $RC: $OUT"
fi
if [ "$_before" = "$(snapshot "$CASE")" ]; then
	ok "tables missing at the current version: the file is as it was"
else
	not_ok "tables missing at the current version: the file is as it was"
fi

# --- another program's SQLite file --------------------------------------------------
case_dir other-program
sqlite3 "$DB" 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('"'"'keep me'"'"')'
refused "another program's SQLite file" "is not a cpsreg database"

case_dir other-program-id
sqlite3 "$DB" 'PRAGMA application_id = 1179603524; CREATE TABLE t (x)'
refused "another program's SQLite file with its own application id" "another program's SQLite database"

case_dir not-sqlite
head -c 20000 assets/catalog.csv >"$DB"
refused "a text file" "is not a cpsreg database"

# --- a read-only file ---------------------------------------------------------------
case_dir read-only
cp "$GOOD" "$DB"
if [ "$(id -u)" -eq 0 ]; then
	# root writes to any file: play a user who may only read it
	if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
		nobody=$(id -u nobody)
		chown "$nobody" "$DB"
		chmod 400 "$DB"
		chmod 755 "$CASE"
		refused "a read-only file" "Permission denied" "$nobody"
	else
		not_ok "a read-only file can be tried (root needs setpriv and the user nobody)"
	fi
else
	chmod 400 "$DB"
	refused "a read-only file" "Permission denied"
fi

# --- not a file ---------------------------------------------------------------------
case_dir directory
mkdir "$DB"
refused "a directory" "$DB"

case_dir fifo
mkfifo "$DB"
refused "a fifo" "is not a regular file"

# --- empty, and a symlink to nowhere -----------------------------------------------------
# A 0-byte file is what a full disk or a bad restore leaves: it is not made
# into a new, empty database without a word.
case_dir empty
: >"$DB"
refused "a 0-byte file" "$DB"

case_dir dangling
ln -s "$CASE/gone/cpsreg.db" "$DB"
refused "a dangling symlink" "$DB"

# --- the wizard itself ------------------------------------------------------------------
for c in truncated-half newer; do
	DB="$SUITE_DIR/case-$c/cpsreg.db"
	sum=$(sha256sum "$DB")
	e2e_start -- --db "$DB" || continue
	e2e_expect_exit 4 "the wizard on the $c database ends with exit 4 and the terminal restored"
	err=$(e2e_stderr)
	case $err in
	"cpsreg: "*"$DB"*) ok "the wizard on the $c database says what is wrong on stderr" ;;
	*) not_ok "the wizard on the $c database says what is wrong on stderr" "stderr: $err" ;;
	esac
	if [ "$sum" = "$(sha256sum "$DB")" ] && [ ! -e "$DB-wal" ]; then
		ok "the wizard leaves the $c database as it was"
	else
		not_ok "the wizard leaves the $c database as it was"
	fi
done

finish
