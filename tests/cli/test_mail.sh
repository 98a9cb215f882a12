#!/bin/sh
# test_mail.sh - messages delivered by mail.sendmail (cpsreg sync): a fake
# sendmail records what it is given; each message is a well-formed RFC 5322
# message (read back with Python's email parser: the subject's MIME
# encoded-words, the quoted-printable UTF-8 body, the customer's language),
# is marked delivered only after the command succeeded, and goes once.
. tests/lib.sh

if ! command -v python3 >/dev/null 2>&1; then
	not_ok "python3 is installed (make deps-test installs it)"
	finish
fi

db="$SUITE_DIR/mail.db"
spool="$SUITE_DIR/spool"
mkdir -p "$spool"
fake="$SUITE_DIR/fake-sendmail"
# records its arguments and standard input; fails while $SUITE_DIR/fail exists
cat >"$fake" <<EOS
#!/bin/sh
if [ -f "$SUITE_DIR/fail" ]; then
	cat >/dev/null
	echo "fake-sendmail: queue directory not writable" >&2
	exit 75
fi
n=\$(ls "$spool" | wc -l)
printf '%s\n' "\$*" >"$spool/args.\$n"
cat >"$spool/mail.\$n.eml"
EOS
chmod 755 "$fake"
cps() { "$CPSREG_BIN" --db "$db" --set mail.sendmail="$fake -t -i" --set mail.from=cps@shop.example "$@"; }

now=$(date +%s)
"$CPSREG_BIN" --db "$db" messages >/dev/null
sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
	first_name, last_name, language, vat_registered, vat_number, authorised,
	status, submitted_at, expected_by, created_at, updated_at) VALUES
	('soren@example.dk', 'Foto Søren ApS', 'DK', 'Vestergade 1', '1456', 'København K',
	 'Søren', 'Ærø', 'da', 1, 'DK13585628', 1, 'pending', $now, '2026-12-01', $now, $now),
	('ola@example.no', 'Ola Foto AS', 'NO', 'Storgata 2', '0155', 'Oslo',
	 'Ola', 'Nordmann', 'nb', 1, 'NO988077917MVA', 1, 'pending', $now, '2026-12-01', $now, $now);"
expect_exit 0 "an approval queues a message" cps approve soren@example.dk --staff Kim
expect_exit 0 "a rejection queues one" cps reject ola@example.no --reason "Bildet av attesten er uleselig – send en ny." --staff Kim

# --- sendmail fails: nothing is marked sent ----------------------------------------
touch "$SUITE_DIR/fail"
expect_exit 1 "a failing sendmail makes sync fail" cps sync --once
contains "the error gives its status" "status 75"
contains "and what it said" "queue directory not writable"
expect_exit 0 "the messages still wait" cps messages
contains "the Danish one" "soren@example.dk"
contains "the Norwegian one" "ola@example.no"
rm -f "$SUITE_DIR/fail"

# --- sendmail works ----------------------------------------------------------------
expect_exit 0 "sync delivers the messages by sendmail" cps sync --once
contains "it says how many" "2 messages sent by sendmail"
expect_exit 0 "nothing waits any more" cps messages
contains "the list is empty" "no messages waiting"
check "sendmail got two messages" test "$(ls "$spool"/mail.*.eml 2>/dev/null | wc -l)" -eq 2
check "the command ran as configured, without a shell" grep -qx -- "-t -i" "$spool/args.0"
expect_exit 0 "a second sync sends nothing twice" cps sync --once
contains "nothing sent" "0 messages sent by sendmail"
check "still two messages" test "$(ls "$spool"/mail.*.eml | wc -l)" -eq 2

# read each back as a mail program would, and compare with the database
run python3 - "$spool" "$db" <<'EOS'
import email, email.policy, glob, sqlite3, sys
spool, db = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
rows = con.execute("SELECT m.recipient, m.subject, a.language, m.delivered_via, m.kind"
                   " FROM message m JOIN account a ON a.id = m.account_id").fetchall()
want = {r[0]: r for r in rows}
for path in sorted(glob.glob(spool + "/mail.*.eml")):
    raw = open(path, "rb").read()
    for line in raw.split(b"\n"):
        if len(line) > 78:
            print("line longer than 78:", path, line[:40]); sys.exit(1)
    if any(b > 127 for b in raw):
        print("8-bit byte in", path); sys.exit(1)
    m = email.message_from_bytes(raw, policy=email.policy.default)
    to = str(m["To"])
    r = want[to]
    if str(m["Subject"]) != r[1]:
        print("subject", repr(str(m["Subject"])), "!=", repr(r[1])); sys.exit(1)
    if m["Content-Language"] != r[2]:
        print("language", m["Content-Language"], "!=", r[2]); sys.exit(1)
    if m["From"] != "cps@shop.example" or not m["Message-ID"] or not m["Date"].datetime:
        print("headers", m["From"], m["Message-ID"], m["Date"]); sys.exit(1)
    if m.get_content_type() != "text/plain" or m.get_content_charset() != "utf-8":
        print("type", m.get_content_type(), m.get_content_charset()); sys.exit(1)
    body = m.get_content()
    if r[4] == "rejection" and "uleselig – send en ny" not in body:
        print("body", body); sys.exit(1)
    if r[4] == "password_set" and "Søren Ærø" not in body:
        print("body", body); sys.exit(1)
    if r[3] != "sendmail":
        print("delivered via", r[3]); sys.exit(1)
    print("ok", to, r[4], r[2])
EOS
if [ "$RC" -eq 0 ]; then ok "both mails are well-formed RFC 5322 in the customer's language"; else not_ok "both mails are well-formed RFC 5322 in the customer's language" "$OUT"; fi
contains "the Danish subject came back through its encoded-words" "soren@example.dk password_set da"
contains "the Norwegian rejection too" "ola@example.no rejection nb"

# --- two syncs at once (every kiosk's wizard runs one): each message goes once ------
slow="$SUITE_DIR/slow-sendmail"
spool2="$SUITE_DIR/spool2"
mkdir -p "$spool2"
cat >"$slow" <<EOS
#!/bin/sh
sleep 1
cat >"$spool2/mail.\$\$.eml"
EOS
chmod 755 "$slow"
slowcps() { "$CPSREG_BIN" --db "$db" --set mail.sendmail="$slow" --set mail.from=cps@shop.example "$@"; }
for n in 1 2 3; do
	sqlite3 "$db" "INSERT INTO account (email, company, country, street, postcode, city,
		first_name, last_name, language, vat_registered, vat_number, authorised,
		status, submitted_at, expected_by, created_at, updated_at) VALUES
		('kunde$n@example.dk', 'Foto $n ApS', 'DK', 'Vestergade 1', '1456', 'København K',
		 'Kunde', 'Nummer $n', 'da', 1, 'DK13585628', 1, 'pending', $now, '2026-12-01', $now, $now)"
	cps approve "kunde$n@example.dk" --staff Kim >/dev/null 2>&1
done
waiting=$(sqlite3 "$db" "SELECT count(*) FROM message WHERE delivered_at IS NULL")
check "three messages wait for the two syncs" test "$waiting" -eq 3
slowcps sync --once >"$SUITE_DIR/sync1.out" 2>&1 &
first=$!
sleep 0.5
run slowcps sync --once
wait "$first"
contains "the second sync leaves them to the first" "being sent by another sync"
check "the second sync still ends well" test "$RC" -eq 0
check "each waiting message was mailed once ($waiting)" \
	test "$(ls "$spool2"/mail.*.eml 2>/dev/null | wc -l)" -eq "$waiting"
check "none waits any more" test "$(sqlite3 "$db" "SELECT count(*) FROM message WHERE delivered_at IS NULL")" -eq 0

# a claim left by a process that has ended (killed mid-round) stops nobody
sh -c 'exit 0' &
dead=$!
wait "$dead"
sqlite3 "$db" "UPDATE meta SET value = '$dead 1' WHERE key = 'mail_running'"
expect_exit 0 "a sync after one that was killed sends" cps sync --once
contains "and says how many" "messages sent by sendmail"

expect_exit 3 "sync with neither a remote nor sendmail says what to set" "$CPSREG_BIN" --db "$db" sync --once
finish
