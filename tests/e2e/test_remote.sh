#!/bin/sh
# test_remote.sh - the remote's sync inside the wizard, against the test peer
# (tests/peer/peer.py, TLS on 127.0.0.1 with a certificate made here): a
# customer applies at a kiosk and waits on the validation page; the peer
# validates; the page shows it without a key pressed, and the status line
# shows the remote without its token.  With the peer hanging every request,
# the wizard still answers keys at once and quits cleanly.  The sync runs
# in a child process ("cpsreg sync --watch"): it has no terminal, the
# wizard's own process holds no connection, and no child is left running
# after the wizard quits, is hung up on or is killed with SIGKILL; a child
# that ends by itself is reaped (no zombie) and started again.
. tests/lib.sh
. tests/e2e/lib.sh
. tests/peer/peer.sh

need_tools tmux

# the peer holds a hanging request far longer than the test runs
peer_begin 1 120
trap 'peer_stop; e2e_stop' EXIT
token=$(cat "$SUITE_DIR/token")
PIN=246813
HASH=$(echo "$PIN" | "$CPSREG_BIN" hash-pin)
PDF="$SUITE_DIR/certificate.pdf"
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%%%EOF\n' >"$PDF"
EMAIL=post@fjordfoto.example.no
REMOTE="--set remote.url=$PEER_URL --set remote.token_file=$SUITE_DIR/token
	--set remote.ca_file=$SUITE_DIR/peer.pem --set remote.sync_interval=5"

fill() {
	e2e_type "$1"
	e2e_keys Tab
}

# The pids of the running sync children of the wizard started last: the
# child is "cpsreg ... --set general.database=DB sync --watch ...", the
# wizard itself has --db DB (SYNC_DB when the wizard was given another
# --db).  A zombie's command line is empty: not counted.  "[.]" keeps
# grep's own command line from matching.
sync_children() {
	grep -lzx -- "general[.]database=${SYNC_DB:-$E2E_DB}" /proc/[0-9]*/cmdline 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/cmdline$|\1|p'
}

# wait_children present|gone: polls until a child runs, or none does.
wait_children() {
	_end=$(($(date +%s) + E2E_TIMEOUT * E2E_SCALE))
	while :; do
		_kids=$(sync_children)
		case $1/$_kids in
		present/?*|gone/) return 0 ;;
		esac
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.1
	done
}

# The wizard's children that are zombies (ended, not reaped).
zombies_of() {
	for _st in /proc/[0-9]*/stat; do
		# pid (comm) state ppid ...: comm is "cpsreg", without spaces
		read -r _p _c _s _pp _rest 2>/dev/null <"$_st" || continue
		[ "$_pp" = "$1" ] && [ "$_s" = Z ] && echo "$_p"
	done
	return 0
}

# expect_no_children NAME: no sync child is left running.
expect_no_children() {
	if wait_children gone; then
		ok "$1"
	else
		not_ok "$1" "still running: $(sync_children | while read -r p; do tr '\0' ' ' </proc/"$p"/cmdline; echo; done)"
	fi
}

# --- a customer applies at a kiosk, the peer validates ---------------------------
# shellcheck disable=SC2086 # the options are words
e2e_start -- $REMOTE --set kiosk.enabled=yes --set "kiosk.staff_pin_hash=$HASH" \
	--set "kiosk.document_dir=$SUITE_DIR"
e2e_expect "the kiosk starts on the welcome page" "Start a new application"
e2e_expect "the status line says the remote is online" "Remote: online" 20
child=$(sync_children)
case $child in
?*[!0-9]*|'') not_ok "one sync child runs" "children: '$child'" ;;
*) ok "one sync child runs (pid $child)" ;;
esac
ppid=$(cut -d' ' -f4 "/proc/${child:-0}/stat" 2>/dev/null)
[ "$ppid" = "$E2E_PID" ] && ok "it is the wizard's child" || not_ok "it is the wizard's child" "ppid '$ppid', wizard $E2E_PID"
std=$(readlink "/proc/${child:-0}/fd/0" "/proc/${child:-0}/fd/1" "/proc/${child:-0}/fd/2" 2>&1 | tr '\n' ' ')
[ "$std" = "/dev/null /dev/null /dev/null " ] && ok "the child has no terminal (stdin, stdout, stderr /dev/null)" ||
	not_ok "the child has no terminal (stdin, stdout, stderr /dev/null)" "$std"
e2e_keys Enter
e2e_expect "the application opens" "1 of 3: Company"
fill "Fjord Foto AS"
e2e_type "Norw"
e2e_expect "the country field offers Norway" " Norway"
e2e_keys Tab
fill "Storgata 1"
fill "0155"
fill "Oslo"
e2e_keys C-n
e2e_expect "the second screen" "2 of 3: Contact person"
fill "Kari"
fill "Nordmann"
fill "$EMAIL"
e2e_keys C-n
e2e_expect "the third screen" "3 of 3: VAT and proof document"
e2e_keys Space
e2e_expect "VAT registered" "(*) Yes"
e2e_keys Tab
fill "988077917"
e2e_keys Space Tab Tab
fill certificate.pdf   # from kiosk.document_dir
e2e_expect "the PDF is attached" "Attached: certificate.pdf"
e2e_keys Space
e2e_expect "the authority is confirmed" "[x] I am authorised"
code=$(e2e_screen | sed -n 's/.*Your resume code: \([0-9A-Z-]*\) (write it down.*/\1/p' | head -n 1)
e2e_keys C-n
e2e_expect "the review finds nothing missing" "Everything needed is there."
e2e_keys C-n
e2e_expect "the application is sent" "Your application has been sent"
e2e_keys Enter
e2e_expect "the kiosk clears the screen for the next customer" "Start a new application"
e2e_keys Tab Enter
e2e_expect "the customer comes back with the resume code" "Continue your application"
e2e_type "$code"
e2e_keys Enter
e2e_expect "the validation page waits for the answer" "Your application is being validated"
e2e_lacks "the token is not on the screen" "$token"
id=$(sqlite3 "$E2E_DB" "SELECT id FROM account WHERE email = '$EMAIL'")
peer_ctl POST /_control/decisions "{\"decisions\": [
	{\"account_id\": ${id:-0}, \"decision\": \"validated\", \"by\": \"CPS Europe\"}]}" >/dev/null
e2e_expect "the peer's decision shows without a key pressed" "Your account has been validated." 30
e2e_expect "the page offers the password" "< Set my password >"
e2e_expect "the step strip ticks the account" "✓Account"
status=$("$CPSREG_BIN" --db "$E2E_DB" status "$EMAIL" 2>&1)
case $status in
*validated*) ok "the store holds the decision" ;;
*) not_ok "the store holds the decision" "$status" ;;
esac
e2e_keys C-q
e2e_expect "^Q at the kiosk asks for the staff PIN" "Staff only"
e2e_type "$PIN"
e2e_keys Enter
e2e_expect_exit 0 "the kiosk ends with the sync child stopped"
expect_no_children "no sync child is left after the kiosk quits"
# the application, its document, and what the decision queued went with
# the sync that pulled it
unsent=$(sqlite3 "$E2E_DB" "SELECT count(*) FROM outbox WHERE sent_at IS NULL")
sent=$(sqlite3 "$E2E_DB" "SELECT group_concat(kind, ' ') FROM outbox WHERE sent_at IS NOT NULL")
case "$unsent/$sent" in
"0/application document"*) ok "the worker sent the application to the peer ($sent)" ;;
*) not_ok "the worker sent the application to the peer" "unsent $unsent, sent: $sent" ;;
esac
# the proof document's file went before its facts (PUT /documents/{sha256})
sha=$(sha256sum "$PDF" | cut -d' ' -f1)
docs=$(peer_ctl GET /_control/records | python3 -c 'import json, sys
print(" ".join("%s:%s:%d" % (k, v["type"], v["size"]) for k, v in json.load(sys.stdin)["documents"].items()))')
case $docs in
"$sha:application/pdf:$(wc -c <"$PDF")") ok "the peer holds the PDF itself, checked by its SHA-256" ;;
*) not_ok "the peer holds the PDF itself, checked by its SHA-256" "peer: '$docs', want $sha" ;;
esac

# --- the child ends by itself: reaped, shown, started again ------------------------
# shellcheck disable=SC2086
e2e_start -- $REMOTE
e2e_expect "a new wizard is online" "Remote: online" 20
first=$(sync_children)
[ -n "$first" ] && kill -TERM "$first"
e2e_expect "the status line says the sync stopped" "the sync stopped" 20
z=$(zombies_of "$E2E_PID")
[ -z "$z" ] && ok "the ended child is reaped (no zombie)" || not_ok "the ended child is reaped (no zombie)" "zombies: $z"
e2e_expect "after the sync interval a new child is online" "Remote: online" 30
second=$(sync_children)
[ -n "$second" ] && [ "$second" != "$first" ] && ok "a new child runs ($first, then $second)" ||
	not_ok "a new child runs" "before '$first', now '$second'"
# a closed terminal window: SIGHUP
e2e_signal HUP
e2e_wait_exit
[ "$E2E_EXIT" = 0 ] && ok "SIGHUP ends the wizard" || not_ok "SIGHUP ends the wizard" "exit '$E2E_EXIT'"
expect_no_children "no sync child is left after SIGHUP"

# --- the peer hangs: keys are still answered at once -----------------------------
# two changes to send: the first request hangs
DB2="$SUITE_DIR/hang.db"
"$CPSREG_BIN" --db "$DB2" outbox >/dev/null
outbox_fill "$DB2" 2 1 hang
peer_ctl POST /_control/faults '{"always": "hang"}' >/dev/null
SYNC_DB=$DB2
# shellcheck disable=SC2086
e2e_start -- $REMOTE --set remote.timeout=600 --set remote.low_speed_time=600 --db "$DB2"
e2e_expect "the wizard starts while the peer hangs" "Start a new application"
e2e_expect "the status line says the first sync has not answered" "Remote: connecting"
e2e_keys Enter
e2e_expect "a key opens the application" "1 of 3: Company"
e2e_type "Hanging Foto AS"
e2e_expect "what is typed is on the screen" "Hanging Foto AS"
e2e_expect "the first sync is still waiting on the peer" "Remote: connecting"
child=$(sync_children)
socks=$(ls -l "/proc/${child:-0}/fd" 2>/dev/null | grep -c 'socket:')
mine=$(ls -l "/proc/$E2E_PID/fd" 2>/dev/null | grep -c 'socket:')
if [ "${socks:-0}" -gt 0 ] && [ "$mine" -eq 0 ]; then
	ok "the child holds the connection, the wizard's own process none"
else
	not_ok "the child holds the connection, the wizard's own process none" "child $socks, wizard $mine"
fi
e2e_keys C-q y
e2e_expect_exit 0 "quitting stops the child in the middle of a request"
expect_no_children "no sync child is left after quitting"

# the wizard killed outright (SIGKILL) while its child waits on the peer
# shellcheck disable=SC2086
e2e_start -- $REMOTE --set remote.timeout=600 --set remote.low_speed_time=600 --db "$DB2"
e2e_expect "another wizard starts while the peer hangs" "Remote: connecting"
if wait_children present; then ok "its child runs"; else not_ok "its child runs" "none"; fi
e2e_signal KILL
e2e_wait_exit
expect_no_children "no sync child is left after SIGKILL of the wizard"
SYNC_DB=""
peer_ctl POST /_control/faults '{}' >/dev/null

# --- the remote cannot be reached: offline, and why -------------------------------
# At 80 columns the reason does not fit the header's rule: the state and
# the changes waiting are whole, the reason is cut, and the help shows it
# whole.
peer_stop
DB3="$SUITE_DIR/offline.db"
"$CPSREG_BIN" --db "$DB3" outbox >/dev/null
outbox_fill "$DB3" 2 1 offline
# the reason as the sync gives it; its end (after the last ": ") is the
# part that never fits ("after 0 ms" before it may vary)
# shellcheck disable=SC2086
why=$("$CPSREG_BIN" --db "$DB3" $REMOTE --set remote.tries=1 sync --once 2>&1 >/dev/null)
tail=${why##*: }
SYNC_DB=$DB3
# shellcheck disable=SC2086
e2e_start -- $REMOTE --set remote.tries=1 --db "$DB3"
e2e_expect_row "the status line says offline, with the changes waiting" 3 \
	"Remote: offline, 2 changes waiting - cannot reach the remote" 20
e2e_expect_row "a reason cut short says where it is whole" 3 "… (more: ^G) ──"
row=$(e2e_row 3)
case $row in
*"$tail"*) not_ok "the reason is cut on the status line (80 columns)" "$row" ;;
*) ok "the reason is cut on the status line (80 columns)" ;;
esac
e2e_lacks "without the token" "$token"
e2e_keys C-g
e2e_expect "^G opens the help" "Press any other key to go back to the page."
# joined: the screen's text without spaces and row ends (the help wraps it)
joined() { e2e_screen | tr -d ' \n'; }
for part in "Remote: offline, 2 changes waiting - cannot reach the remote:" "$tail"; do
	want=$(printf '%s' "$part" | tr -d ' \n')
	case $(joined) in
	*"$want"*) ok "the help shows the whole status: '$part'" ;;
	*) not_ok "the help shows the whole status: '$part'" "$(e2e_screen)" ;;
	esac
done
e2e_keys Escape
e2e_expect_gone "a key goes back to the page" "Press any other key to go back to the page."
SYNC_DB=""
e2e_keys C-q y
e2e_expect_exit 0 "the wizard quits"
e2e_check_widths "no line is wider than 80 columns"
finish
