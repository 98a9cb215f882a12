#!/bin/sh
# test_libcurl.sh - libcurl is loaded only by a process that syncs: the
# wizard's own process never maps it (with or without a remote), nor
# OpenSSL's libcrypto (SHA-256 is the engine's own); its sync child does
# and reaches the test peer; without libcurl (a folder on
# LD_LIBRARY_PATH whose libcurl.so.4 cannot be loaded, or lacks a
# function) "cpsreg sync" exits 7 and names the package, the changes
# wait, and the wizard still starts and works, its status line saying
# what to install.
. tests/lib.sh
. tests/e2e/lib.sh
. tests/peer/peer.sh

need_tools tmux cc

peer_begin 1 3
trap 'peer_stop; e2e_stop' EXIT
REMOTE="--set remote.url=$PEER_URL --set remote.token_file=$SUITE_DIR/token
	--set remote.ca_file=$SUITE_DIR/peer.pem --set remote.sync_interval=5"

# maps PID: the shared objects the process has mapped, one a line
maps() { awk '$6 ~ /\.so/ { print $6 }' "/proc/$1/maps" 2>/dev/null | sort -u; }

# the sync child of the wizard on database $1 (as in test_remote.sh)
sync_child() {
	grep -lzx -- "general[.]database=$1" /proc/[0-9]*/cmdline 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/cmdline$|\1|p' | head -n 1
}

# A folder that shadows libcurl: the dynamic loader finds these first and
# cannot load them (an empty file is no library), as if none were
# installed.  Both names: the engine also tries libcurl-gnutls.
nocurl="$SUITE_DIR/nocurl"
mkdir -p "$nocurl"
: >"$nocurl/libcurl.so.4"
: >"$nocurl/libcurl-gnutls.so.4"
# and one whose libcurl is a library without curl's functions
oldcurl="$SUITE_DIR/oldcurl"
mkdir -p "$oldcurl"
printf 'int curl_global_init(long flags);\nint curl_global_init(long flags) { return (int)(flags & 0); }\n' \
	>"$oldcurl/stub.c"
cc -shared -fPIC -o "$oldcurl/libcurl.so.4" "$oldcurl/stub.c" &&
	cp "$oldcurl/libcurl.so.4" "$oldcurl/libcurl-gnutls.so.4" ||
	not_ok "a stub library is built" "cc failed"

# --- the wizard without a remote ----------------------------------------------------
e2e_start
e2e_expect "the wizard starts on the welcome page" "Start a new application"
m=$(maps "$E2E_PID")
case $m in
*libcurl*|*libssl*|*libnghttp2*|*libssh2*|*libldap*|*libgssapi*)
	not_ok "the wizard's process maps neither libcurl nor its libraries" "$m" ;;
*libsqlite3*) ok "the wizard's process maps neither libcurl nor its libraries" ;;
*) not_ok "the maps of the wizard's process are read" "pid '$E2E_PID': $m" ;;
esac
case $m in
*libcrypto*) not_ok "nor libcrypto" "$m" ;;
*) ok "nor libcrypto" ;;
esac
e2e_quit

# --- the wizard with a remote: only its sync child loads libcurl -------------------
# shellcheck disable=SC2086 # the options are words
e2e_start -- $REMOTE
e2e_expect "the status line says the remote is online" "Remote: online" 20
child=$(sync_child "$E2E_DB")
case $(maps "${child:-0}") in
*libcurl*) ok "the sync child maps libcurl (pid $child)" ;;
*) not_ok "the sync child maps libcurl" "child '$child': $(maps "${child:-0}")" ;;
esac
case $(maps "$E2E_PID") in
*libcurl*) not_ok "the wizard's own process still does not" "$(maps "$E2E_PID")" ;;
*libsqlite3*) ok "the wizard's own process still does not" ;;
*) not_ok "the maps of the wizard's process are read" "pid '$E2E_PID'" ;;
esac
e2e_quit

# --- no libcurl ---------------------------------------------------------------------
db="$SUITE_DIR/sync.db"
"$CPSREG_BIN" --db "$db" outbox >/dev/null
outbox_fill "$db" 3 1 nocurl
unsent() { sqlite3 "$db" "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND parked_at IS NULL"; }
# shellcheck disable=SC2086
expect_exit 7 "sync without libcurl exits 7" env LD_LIBRARY_PATH="$nocurl" \
	"$CPSREG_BIN" --db "$db" $REMOTE sync --once
contains "the message says libcurl is not installed" "libcurl is not installed"
contains "and names the package" "apt-get install libcurl4"
check "the changes wait" test "$(unsent)" -eq 3
# shellcheck disable=SC2086
expect_exit 7 "sync with a libcurl that lacks a function exits 7" env LD_LIBRARY_PATH="$oldcurl" \
	"$CPSREG_BIN" --db "$db" $REMOTE sync --once
contains "the message names the function" "lacks curl_"
contains "and the package" "apt-get install libcurl4"
expect_exit 0 "commands without a remote work without libcurl" env LD_LIBRARY_PATH="$nocurl" \
	"$CPSREG_BIN" --db "$db" check-id DK 13585628
# shellcheck disable=SC2086
expect_exit 0 "with libcurl the same sync sends the changes" "$CPSREG_BIN" --db "$db" $REMOTE sync --once
contains "it reports them sent" "3 sent"

# the wizard with a remote but no libcurl: it works, and says what to install
# shellcheck disable=SC2086
e2e_start LD_LIBRARY_PATH="$nocurl" -- $REMOTE
e2e_expect "the wizard starts without libcurl" "Start a new application"
e2e_expect "the status line says the remote is offline and why" "libcurl is not installed" 20
e2e_keys Enter
e2e_expect "keys are answered" "1 of 3: Company"
e2e_quit

finish
