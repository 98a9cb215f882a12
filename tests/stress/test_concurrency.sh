#!/bin/sh
# test_concurrency.sh - four processes on one database at once:
#   - two wizards, each in its own tmux server (80x24), each a customer who
#     applies (3 screens and send), waits for staff, sets the password and
#     registers products;
#   - staff commands in a loop: approve every application that waits (the
#     driver's and the wizards'), status and messages;
#   - stress_driver writer: engine writes and reads (products added,
#     changed, deleted; wizard steps; the flow).
# Then: no "busy" or "locked" on any screen or in any output, no operation
# failed, and no update lost, checked by counting rows against what each
# process says it did (every product change leaves one outbox row).
#
# Short form (make test): 300 driver operations, 12 applications for staff,
# one product per wizard.  STRESS_LONG=1 (make stress): 10,000 operations in
# all, mostly the driver's (a wizard is driven key by key through tmux, so it
# does a slice: an application and 5 products each).
. tests/lib.sh

: "${STRESS_DRIVER:=./tests/stress/stress_driver}"
case $STRESS_DRIVER in /*) ;; *) STRESS_DRIVER="$PWD/$STRESS_DRIVER" ;; esac

if [ "${STRESS_LONG:-0}" = 1 ]; then
	WRITER_OPS=9600 PENDING=200 PRODUCTS=5
else
	WRITER_OPS=300 PENDING=12 PRODUCTS=1
fi
TIMEOUT=${STRESS_TIMEOUT:-30}
case $CPSREG_BIN in *-asan) TIMEOUT=$((TIMEOUT * 3)) ;; esac
export LC_ALL=C.UTF-8
unset TMUX TMUX_PANE

for t in tmux sqlite3; do
	if ! command -v $t >/dev/null 2>&1; then
		not_ok "$t is installed (make deps-test installs it)"
		finish
	fi
done

DB="$SUITE_DIR/shared.db"
PDF="$SUITE_DIR/certificate.pdf"
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%%%EOF\n' >"$PDF"
BUSY_WORDS='in use by another program|database is locked|busy|try again in a moment'

run "$CPSREG_BIN" --db "$DB" import-legacy assets/legacy-sample.csv
if [ "$RC" -eq 0 ]; then ok "the shared database is made"; else not_ok "the shared database is made" "$OUT"; finish; fi

sql() { sqlite3 -cmd '.timeout 10000' "$DB" "$1"; }

# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_until() {
	_end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.1
	done
	return 0
}

# --- a wizard in its own tmux server ----------------------------------------------------
# Run in a subshell with W (a letter) set; prints ok / not ok lines and
# "wizard-ops N" at the end.
W_OPS=0
wt() { tmux -L "cpsreg-stress-$$-$W" -f /dev/null "$@"; }
w_screen() { wt capture-pane -p -t w 2>/dev/null; }
w_keys() { wt send-keys -t w "$@"; W_OPS=$((W_OPS + 1)); }
w_type() { wt send-keys -t w -l -- "$1"; }
w_fill() { w_type "$1"; w_keys Tab; }
# w_wait NAME TEXT: ok when TEXT shows up; a busy word on the screen fails.
w_wait() {
	_end=$(($(date +%s) + TIMEOUT))
	while :; do
		_s=$(w_screen)
		if printf '%s\n' "$_s" | grep -Eiq "$BUSY_WORDS"; then
			not_ok "wizard $W: $1" "a busy message on the screen:
$_s"
			return 1
		fi
		case $_s in *"$2"*) ok "wizard $W: $1"; return 0 ;; esac
		if [ "$(date +%s)" -ge "$_end" ]; then
			not_ok "wizard $W: $1" "gave up waiting for '$2':
$_s"
			return 1
		fi
		sleep 0.1
	done
}
w_start() {
	wt kill-server >/dev/null 2>&1
	# the program's stderr goes to a file, as in tests/e2e/lib.sh, with its
	# suppressions of what ncurses never frees; the pane stays when it ends
	wt start-server \; set-option -g exit-empty off \; set-option -g remain-on-exit on
	wt new-session -d -s w -x 80 -y 24 -c "$PWD" -- \
		sh -c 'f=$1; shift; exec "$@" 2>>"$f"' sh "$SUITE_DIR/wizard-$W.err" \
		env -u LANGUAGE -u LANG -u NO_COLOR LC_ALL=C.UTF-8 \
		"LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$PWD/tests/e2e/lsan.supp:print_suppressions=0" \
		"$CPSREG_BIN" --db "$DB"
}
# w_ended: the program in the pane has ended.
w_ended() { [ "$(wt display-message -p -t w '#{pane_dead}' 2>/dev/null)" = 1 ]; }

wizard() {
	email="wizard-$W@stress.example.no"
	w_start
	w_wait "starts" "Welcome to Canon Professional Services" || return 1
	w_keys Enter
	w_wait "opens the application" "1 of 3: Company" || return 1
	w_fill "Wizard $W Foto AS"
	w_type "Norw"
	w_wait "offers Norway" " Norway" || return 1
	w_keys Tab
	w_fill "Storgata $W"
	w_fill "0155"
	w_fill "Oslo"
	w_wait "saves the draft" "Your resume code: " || return 1
	w_keys C-n
	w_wait "opens the contact screen" "2 of 3: Contact person" || return 1
	w_fill "Kari"
	w_fill "Nordmann"
	w_fill "$email"
	w_fill "+47 22 33 44 55"
	w_keys C-n
	w_wait "opens the VAT screen" "3 of 3: VAT and proof document" || return 1
	w_keys Space
	w_wait "VAT yes" "(*) Yes" || return 1
	w_keys Tab
	w_fill "988077917"
	w_keys Space
	w_wait "chooses the certificate" "[x] VAT registration certificate" || return 1
	w_keys Tab Tab
	w_fill "$PDF"
	w_wait "attaches the PDF" "Attached: certificate.pdf" || return 1
	w_keys Space
	w_wait "confirms the authority" "[x] I am authorised" || return 1
	w_keys C-n
	w_wait "reviews" "Everything needed is there." || return 1
	w_keys C-n
	w_wait "sends the application" "Your application has been sent" || return 1
	w_keys Enter
	w_wait "is back on the welcome page" "Welcome to Canon Professional Services" || return 1
	# staff approve it (the staff loop looks for it)
	if wait_until $((TIMEOUT * 3)) sh -c "[ \"\$(sqlite3 -cmd '.timeout 10000' '$DB' \"SELECT status FROM account WHERE email = '$email'\")\" = validated ]"; then
		ok "wizard $W: staff approved the application"
	else
		not_ok "wizard $W: staff approved the application"
		return 1
	fi
	token=$("$CPSREG_BIN" --db "$DB" messages "$email" 2>&1 | grep -Eo '\b[a-z2-7]{32}\b' | head -n 1)
	w_keys Tab Tab Enter
	w_wait "opens the password page" "Code from the e-mail" || return 1
	w_fill "$email"
	w_fill "$token"
	w_fill "lantern over the fjord"
	w_fill "lantern over the fjord"
	w_keys Enter
	w_wait "sets the password" "You have not registered any products yet." || return 1
	i=0
	while [ "$i" -lt "$PRODUCTS" ]; do
		i=$((i + 1))
		[ "$i" -gt 1 ] && w_keys Tab   # from the last product's row to Add
		w_keys Enter
		w_wait "opens product $i" "Add a product" || return 1
		w_type "r6 mark ii"
		w_wait "suggests the model for product $i" " EOS R6 Mark II" || return 1
		w_keys Down Enter Tab
		w_fill "$(printf '%s%011d' "$(printf '%s' "$W" | tr AB 12)" "$i")"
		w_fill "05.2024"
		w_keys C-u
		w_fill "NO"
		w_fill "Japan Photo $i"
		w_keys Enter
		w_wait "saves product $i with its green tick" "Saved. The product has its green tick." || return 1
		w_keys C-b
		w_wait "lists product $i" "With the green tick: $i of $i product" || return 1
	done
	w_keys C-q y
	if wait_until "$TIMEOUT" w_ended; then
		ok "wizard $W: quits"
	else
		not_ok "wizard $W: quits" "$(w_screen)"
	fi
	wt kill-server >/dev/null 2>&1
	echo "wizard-ops $W_OPS"
}

# --- staff at the counter ----------------------------------------------------------------
# Approves what waits, looks at status and messages, until told to stop.
staff() {
	n=0 bad=0 approved=0
	while :; do
		stop=0
		[ -e "$SUITE_DIR/stop-staff" ] && stop=1
		# the driver approves its own writer-w-* customers itself: leave them
		# to it; the customers standing at the wizards are served first, a
		# few at a time, so one who just sent is never behind a long queue
		emails=$(sql "SELECT email FROM account WHERE status = 'pending' AND email NOT LIKE 'writer-w-%' ORDER BY email NOT LIKE 'wizard-%', id LIMIT 5")
		for email in $emails; do
			for cmd in approve status; do
				out=$("$CPSREG_BIN" --db "$DB" $cmd "$email" 2>&1)
				rc=$?
				n=$((n + 1))
				if [ "$rc" -ne 0 ] || printf '%s\n' "$out" | grep -Eiq "$BUSY_WORDS"; then
					bad=$((bad + 1))
					echo "# staff $cmd $email: exit $rc: $out"
				fi
			done
			approved=$((approved + 1))
		done
		out=$("$CPSREG_BIN" --db "$DB" messages 2>&1)
		rc=$?
		n=$((n + 1))
		if [ "$rc" -ne 0 ] || printf '%s\n' "$out" | grep -Eiq "$BUSY_WORDS"; then
			bad=$((bad + 1))
			echo "# staff messages: exit $rc: $(printf '%s' "$out" | head -n 3)"
		fi
		# once told to stop, the queue is still worked off
		[ "$stop" = 1 ] && [ -z "$emails" ] && break
	done
	echo "staff commands=$n failed=$bad approved=$approved"
}

# --- run them together -----------------------------------------------------------------------
rm -f "$SUITE_DIR/stop-staff"
"$STRESS_DRIVER" writer "$DB" "$WRITER_OPS" "$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')" w "$PENDING" \
	>"$SUITE_DIR/writer.log" 2>&1 &
writer_pid=$!
staff >"$SUITE_DIR/staff.log" 2>&1 &
staff_pid=$!
(W=A; wizard) >"$SUITE_DIR/wizard-A.log" 2>&1 &
wa=$!
(W=B; wizard) >"$SUITE_DIR/wizard-B.log" 2>&1 &
wb=$!

wait "$writer_pid"
writer_rc=$?
wait "$wa"
wait "$wb"
touch "$SUITE_DIR/stop-staff"
wait "$staff_pid"
for W in A B; do wt kill-server >/dev/null 2>&1; done

# the wizards' lines count as this suite's
for W in A B; do
	log="$SUITE_DIR/wizard-$W.log"
	grep -v '^wizard-ops' "$log"
	_pass=$((_pass + $(grep -c '^ok ' "$log")))
	_fail=$((_fail + $(grep -c '^not ok ' "$log")))
	if [ -s "$SUITE_DIR/wizard-$W.err" ]; then
		not_ok "wizard $W wrote nothing on stderr" "$(cat "$SUITE_DIR/wizard-$W.err")"
	fi
done

# --- what each process says it did ------------------------------------------------------
wline=$(grep '^writer ops=' "$SUITE_DIR/writer.log")
grep '^# op' "$SUITE_DIR/writer.log" | head -n 20
val() { printf '%s\n' "$wline" | sed -n "s/.* $1=\([0-9,]*\).*/\1/p"; }
w_ops=$(printf '%s\n' "$wline" | sed -n 's/^writer ops=\([0-9]*\).*/\1/p')
if [ "$writer_rc" -eq 0 ] && [ "${w_ops:-0}" -eq "$WRITER_OPS" ]; then
	ok "the driver ran $WRITER_OPS engine operations, none failed"
else
	not_ok "the driver ran $WRITER_OPS engine operations, none failed" "exit $writer_rc: $(tail -n 5 "$SUITE_DIR/writer.log")"
fi
if [ "$(val busy)" = 0 ]; then
	ok "the driver met no busy database"
else
	not_ok "the driver met no busy database" "$wline"
fi

sline=$(grep '^staff commands=' "$SUITE_DIR/staff.log")
grep '^#' "$SUITE_DIR/staff.log" | head -n 20
s_n=$(printf '%s\n' "$sline" | sed -n 's/.*commands=\([0-9]*\).*/\1/p')
s_bad=$(printf '%s\n' "$sline" | sed -n 's/.*failed=\([0-9]*\).*/\1/p')
s_app=$(printf '%s\n' "$sline" | sed -n 's/.*approved=\([0-9]*\).*/\1/p')
if [ "${s_bad:-1}" -eq 0 ] && [ "${s_n:-0}" -gt 0 ]; then
	ok "staff ran $s_n commands: every one worked, no busy message"
else
	not_ok "staff ran $s_n commands: every one worked, no busy message" "$sline"
fi

# --- counting: nothing lost ----------------------------------------------------------------
ids=$(val accounts)
adds=$(val adds) changes=$(val changes) deletes=$(val deletes)
got=$(sql "SELECT count(*) FROM product WHERE account_id IN ($ids)")
if [ "$got" = $((adds - deletes)) ]; then
	ok "the driver's products: $adds added - $deletes deleted = $got in the database"
else
	not_ok "the driver's products: $adds added - $deletes deleted = $got in the database" "$wline"
fi
got=$(sql "SELECT count(*) FROM outbox WHERE kind = 'product' AND account_id IN ($ids)")
if [ "$got" = $((adds + changes + deletes)) ]; then
	ok "every change of the driver is recorded once: $got outbox rows"
else
	not_ok "every change of the driver is recorded once: $got outbox rows" "wanted $((adds + changes + deletes)): $wline"
fi
got=$(sql "SELECT count(*) FROM account WHERE email LIKE 'staff-w-%' AND status = 'validated'")
if [ "$got" = "$PENDING" ]; then
	ok "all $PENDING applications the driver left are validated"
else
	not_ok "all $PENDING applications the driver left are validated" "$got validated"
fi
got=$(sql "SELECT count(*) FROM message m JOIN account a ON a.id = m.account_id WHERE a.email LIKE 'staff-w-%' AND m.kind = 'password_set'")
if [ "$got" = "$PENDING" ]; then
	ok "each of them has one password message"
else
	not_ok "each of them has one password message" "$got messages"
fi
for W in A B; do
	email="wizard-$W@stress.example.no"
	got=$(sql "SELECT a.status || ' ' || (a.password_hash IS NOT NULL) || ' ' || (SELECT count(*) FROM product p WHERE p.account_id = a.id AND p.completed_at IS NOT NULL) FROM account a WHERE a.email = '$email'")
	if [ "$got" = "validated 1 $PRODUCTS" ]; then
		ok "wizard $W's customer is validated with a password and $PRODUCTS complete products"
	else
		not_ok "wizard $W's customer is validated with a password and $PRODUCTS complete products" "status, password, products: $got"
	fi
done
ic=$(sql 'PRAGMA integrity_check')
if [ "$ic" = ok ]; then ok "integrity_check is ok after it all"; else not_ok "integrity_check is ok after it all" "$ic"; fi

wiz_ops=$(($(sed -n 's/^wizard-ops //p' "$SUITE_DIR/wizard-A.log" "$SUITE_DIR/wizard-B.log" | paste -sd+ - | sed 's/^$/0/')))
all_ops=$((${w_ops:-0} + ${s_n:-0} + wiz_ops))
echo "# operations: driver ${w_ops:-0}, staff ${s_n:-0} commands ($s_app approvals), wizards $wiz_ops key actions; in all $all_ops"
if [ "${STRESS_LONG:-0}" = 1 ]; then
	if [ "$all_ops" -ge 10000 ]; then
		ok "the long form ran at least 10,000 operations ($all_ops)"
	else
		not_ok "the long form ran at least 10,000 operations" "$all_ops"
	fi
fi

finish
