#!/bin/sh
# test_libsqlite.sh - SQLite is opened with the first database, not at
# exec: the program is not linked against libsqlite3 (the dynamic loader
# lists no libsqlite3 for it), "--version" runs without it, and the
# wizard maps it once its database is open.
# Without SQLite (a folder on LD_LIBRARY_PATH whose libsqlite3.so.0
# cannot be loaded, or lacks a function) a command and the wizard exit 4
# naming the package, the terminal given back and no database made.
. tests/lib.sh
. tests/e2e/lib.sh

need_tools tmux cc

trap 'e2e_stop' EXIT

# maps PID: the shared objects the process has mapped, one a line
maps() { awk '$6 ~ /\.so/ { print $6 }' "/proc/$1/maps" 2>/dev/null | sort -u; }

# A folder that shadows libsqlite3: the dynamic loader finds it first and
# cannot load it (an empty file is no library), as if none were installed;
# and one whose libsqlite3 is a library without SQLite's functions.
nosql="$SUITE_DIR/nosql"
mkdir -p "$nosql"
: >"$nosql/libsqlite3.so.0"
oldsql="$SUITE_DIR/oldsql"
mkdir -p "$oldsql"
printf 'int sqlite3_libversion_number(void);\nint sqlite3_libversion_number(void) { return 3007000; }\n' \
	>"$oldsql/stub.c"
cc -shared -fPIC -o "$oldsql/libsqlite3.so.0" "$oldsql/stub.c" ||
	not_ok "a stub library is built" "cc failed"

# --- not linked against it -------------------------------------------------------
# the loader's own list of what it would load at exec (nothing is run)
linked=$(LD_TRACE_LOADED_OBJECTS=1 "$CPSREG_BIN" 2>&1)
case $linked in
*libsqlite3*) not_ok "the program is not linked against libsqlite3" "$linked" ;;
*libformw*) ok "the program is not linked against libsqlite3" ;;
*) not_ok "the loader lists the program's libraries" "$linked" ;;
esac
expect_exit 0 "--version runs without SQLite" env LD_LIBRARY_PATH="$nosql" "$CPSREG_BIN" --version

# --- a command without SQLite ----------------------------------------------------
db="$SUITE_DIR/cmd.db"
expect_exit 4 "a command without SQLite exits 4" env LD_LIBRARY_PATH="$nosql" \
	"$CPSREG_BIN" --db "$db" messages
contains "the message says SQLite is not installed" "SQLite is not installed"
contains "and names the package" "apt-get install libsqlite3-0"
check "no database is made" test ! -e "$db"
expect_exit 4 "a command with a libsqlite3 that lacks a function exits 4" \
	env LD_LIBRARY_PATH="$oldsql" "$CPSREG_BIN" --db "$db" messages
contains "the message names the function" "lacks sqlite3_"
contains "and the package" "apt-get install libsqlite3-0"
check "no database is made" test ! -e "$db"
expect_exit 0 "with SQLite the same command works" "$CPSREG_BIN" --db "$db" messages

# --- the wizard ------------------------------------------------------------------
e2e_start
e2e_expect "the wizard starts on the welcome page" "Start a new application"
case $(maps "$E2E_PID") in
*libsqlite3*) ok "once the database is open the wizard's process maps libsqlite3" ;;
*) not_ok "once the database is open the wizard's process maps libsqlite3" "pid '$E2E_PID': $(maps "$E2E_PID")" ;;
esac
e2e_keys Enter
e2e_expect "keys are answered" "1 of 3: Company"
e2e_quit

e2e_start LD_LIBRARY_PATH="$nosql"
e2e_expect_exit 4 "the wizard without SQLite: exit 4 and the terminal given back"
case $(e2e_stderr) in
*"SQLite is not installed: apt-get install libsqlite3-0"*) ok "its message is on stderr, naming the package" ;;
*) not_ok "its message is on stderr, naming the package" "stderr: $(e2e_stderr)" ;;
esac
check "the wizard made no database" test ! -e "$E2E_DB"

finish
