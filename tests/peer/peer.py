#!/usr/bin/env python3
"""peer.py - the test peer: a CPS remote as assets/api/openapi.yaml
describes it, for the sync tests (tests/cli/test_sync.sh,
tests/stress/test_sync_faults.sh).

HTTP/1.1 with keep-alive over TLS on 127.0.0.1 (Python's http.server and
ssl: no HTTP parsing of our own).  It keeps an idempotency store (a key
seen before gets the first answer and is applied once), a record of what
was applied in the order it arrived, and faults that a test switches on
through the control paths under /_control (no token needed there):

  POST /_control/faults    {"next": ["500", "hang", ...]}  the next requests, one each
                           {"random": {"rate": 0.3, "kinds": [...], "seed": 7}}
                           {"always": "401"}   every request until switched off
                           {} switches faults off
  POST /_control/decisions {"decisions": [{"account_id": 1, "decision": "validated"}]}
  POST /_control/enrollments {"invoice": "none" | "answer" | "later",
                            "override": {...}, "membership_number": "CPS-..."}
                           how an enrollment is answered: "none" (the default) a
                           receipt only; "answer" the invoice in the answer;
                           "later" the invoice through GET /invoices.  override's
                           keys replace the invoice's (null removes one), to send
                           a wrong one; membership_number is put in the answer
  POST /_control/invoices  {"invoices": [...]}  raw invoices for GET /invoices
  POST /_control/legacy    {"accounts": [{"email": ..., "member_number": ...,
                            "products": [...], "_delay": S, "_migrated": true,
                           "_for": EMAIL}]}
                           old CPS accounts for GET /legacy-accounts?email=, served
                           as given (so a test can send a wrong one) without the
                           "_" keys: _for is the e-mail it answers (its own
                           email when absent), _delay holds the answer S seconds, _migrated
                           says another shop moved it (a POST /migrations of its
                           member number is answered 409 already_migrated, as is
                           one from a second account)
  GET  /_control/records   {"applied": [...], "arrivals": N, "refused": [...],
                            "connections": N, "documents": {sha256: {...}},
                            "lookups": [emails asked]}
                           (every control call is one too)

PUT /v1/documents/{sha256} stores a proof document's file when the content
has that SHA-256 (else 400 sha256_mismatch; 415 for a type other than PDF,
JPEG, PNG); POST /v1/documents of a file not uploaded first is answered 422
document_content_missing.

Faults: 500, 503 and 429 (with Retry-After), 401, 409 (the change is
refused for good, and so answered again for its key), hang (the change is
applied, the answer never comes; a GET or a PUT hangs before anything), reset (applied, then the connection is
reset in the middle of the body), slow (applied, the body comes a byte at
a time), badjson (applied, 200 with a body that is not JSON), ctype
(applied, 200 as text/html).

Usage: peer.py serve CERT KEY TOKEN PORTFILE [RETRY_AFTER] [HANG_SECONDS]
       peer.py ctl PORTFILE CAFILE METHOD PATH [JSON]
       peer.py verify DB PORTFILE CAFILE      prints lost, duplicated, out_of_order
"""
import http.client
import hashlib
import http.server
import json
import urllib.parse
import random
import socket
import sqlite3
import ssl
import struct
import sys
import threading
import time

KINDS = {
    "/v1/applications": "application", "/v1/documents": "document",
    "/v1/decisions": "decision", "/v1/products": "product",
    "/v1/migrations": "migration", "/v1/enrollments": "enrollment",
    "/v1/messages": "message", "/v1/erasures": "erasure",
}


class State:
    """What the peer knows, shared by the handler threads."""

    def __init__(self, token, retry_after, hang):
        self.lock = threading.Lock()
        self.token = token
        self.retry_after = retry_after
        self.hang = hang
        self.answers = {}      # idempotency key -> (status, body)
        self.applied = []      # changes applied, in order
        self.refused = []      # keys refused for good (409)
        self.arrivals = 0      # every POST of a change, replays included
        self.next_faults = []
        self.random = None
        self.rng = random.Random(1)
        self.always = None
        self.decisions = []
        self.invoices = []     # what GET /v1/invoices serves, by position
        self.enroll = {}       # how enrollments are answered (/_control/enrollments)
        self.connections = 0   # TLS connections accepted: keep-alive reuses one
        self.documents = {}    # sha256 -> {"type", "size", "puts"}: PUT /v1/documents/{sha256}
        self.legacy = {}       # old e-mail (lower case) -> LegacyAccount (/_control/legacy)
        self.lookups = []      # the e-mails GET /legacy-accounts was asked for
        self.migrated = {}     # old member number -> the account that moved it

    def fault(self):
        with self.lock:
            if self.always:
                return self.always
            if self.next_faults:
                return self.next_faults.pop(0)
            if self.random and self.rng.random() < self.random["rate"]:
                return self.rng.choice(self.random["kinds"])
            return None


STATE = None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # an answer is not held back 40 ms

    def log_message(self, fmt, *args):  # quiet: the tests read the records
        pass

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass

    def send_json(self, status, obj, extra=None, ctype="application/json", raw=None):
        body = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, code, message, extra=None):
        self.send_json(status, {"code": code, "message": message}, extra)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    # --- control ---------------------------------------------------------
    def control(self, method):
        s = STATE
        if method == "GET" and self.path == "/_control/records":
            with s.lock:
                out = {"applied": s.applied, "arrivals": s.arrivals, "refused": s.refused,
                       "connections": s.connections, "documents": s.documents,
                       "lookups": s.lookups}
            return self.send_json(200, out)
        body = json.loads(self.read_body() or b"{}")
        with s.lock:
            if self.path == "/_control/faults":
                s.next_faults = list(body.get("next", []))
                s.random = body.get("random")
                if s.random:
                    s.rng = random.Random(s.random.get("seed", 1))
                s.always = body.get("always")
            elif self.path == "/_control/decisions":
                s.decisions.extend(body.get("decisions", []))
            elif self.path == "/_control/enrollments":
                s.enroll = body
            elif self.path == "/_control/invoices":
                s.invoices.extend(body.get("invoices", []))
            elif self.path == "/_control/legacy":
                for acc in body.get("accounts", []):
                    s.legacy[str(acc.get("_for", acc.get("email", ""))).lower()] = acc
            else:
                return self.error(404, "not_found", "no such control path")
        self.send_json(200, {"ok": True})

    # --- the API ---------------------------------------------------------
    def authorised(self):
        return self.headers.get("Authorization") == "Bearer " + STATE.token

    def hang(self):
        """The answer never comes: the connection is held, then closed."""
        time.sleep(STATE.hang)
        self.close_connection = True

    def do_GET(self):
        if self.path.startswith("/_control/"):
            return self.control("GET")
        f = STATE.fault()
        if f in ("500", "503", "429", "401"):
            return self.plain_fault(f)
        if f == "hang":
            return self.hang()
        if not self.authorised():
            return self.error(401, "unauthorized", "the token is not valid")
        if self.path.startswith("/v1/decisions"):
            after = 0
            if "after=" in self.path:
                after = int(self.path.split("after=", 1)[1].split("&", 1)[0] or 0)
            with STATE.lock:
                page = STATE.decisions[after:after + 100]
            return self.send_json(200, {"decisions": page, "next": str(after + len(page))})
        if self.path.startswith("/v1/invoices"):
            after = 0
            if "after=" in self.path:
                after = int(self.path.split("after=", 1)[1].split("&", 1)[0] or 0)
            with STATE.lock:
                page = STATE.invoices[after:after + 100]
            return self.send_json(200, {"invoices": page, "next": str(after + len(page))})
        if self.path.startswith("/v1/legacy-accounts?"):
            return self.legacy_account()
        self.error(404, "not_found", "no such path")

    def legacy_account(self):
        """GET /v1/legacy-accounts?email=: the old account seeded for it."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        email = (query.get("email") or [""])[0]
        with STATE.lock:
            STATE.lookups.append(email)
            acc = STATE.legacy.get(email.lower())
        if acc is None:
            return self.error(404, "not_found", "no old CPS account has this e-mail")
        if acc.get("_delay"):
            time.sleep(float(acc["_delay"]))
        self.send_json(200, {k: v for k, v in acc.items() if not k.startswith("_")})

    def plain_fault(self, f):
        ra = {"Retry-After": str(STATE.retry_after)}
        if f == "500":
            self.error(500, "internal", "the remote failed")
        elif f == "503":
            self.error(503, "unavailable", "down for maintenance", ra)
        elif f == "429":
            self.error(429, "rate_limited", "too many requests", ra)
        elif f == "401":
            self.error(401, "unauthorized", "the token is not valid")

    def do_PUT(self):
        """A proof document's file: stored under its SHA-256, checked."""
        s = STATE
        raw = self.read_body()
        prefix = "/v1/documents/"
        if not self.path.startswith(prefix):
            return self.error(404, "not_found", "no such path")
        sha = self.path[len(prefix):]
        f = s.fault()
        if f in ("500", "503", "429", "401"):
            return self.plain_fault(f)
        if f == "hang":
            return self.hang()
        if not self.authorised():
            return self.error(401, "unauthorized", "the token is not valid")
        ctype = self.headers.get("Content-Type", "").split(";")[0]
        if ctype not in ("application/pdf", "image/jpeg", "image/png"):
            return self.error(415, "invalid", "a document is PDF, JPEG or PNG")
        if hashlib.sha256(raw).hexdigest() != sha:
            return self.error(400, "sha256_mismatch", "the content does not have this SHA-256")
        with s.lock:
            d = s.documents.setdefault(sha, {"type": ctype, "size": len(raw), "puts": 0})
            d["puts"] += 1
        self.send_json(200, {"sha256": sha, "stored": True})

    def do_POST(self):
        if self.path.startswith("/_control/"):
            return self.control("POST")
        s = STATE
        raw = self.read_body()
        kind = KINDS.get(self.path)
        if kind is None:
            return self.error(404, "not_found", "no such path")
        f = s.fault()
        if f in ("500", "503", "429", "401"):
            return self.plain_fault(f)
        if not self.authorised():
            return self.error(401, "unauthorized", "the token is not valid")
        key = self.headers.get("Idempotency-Key")
        if self.headers.get("Content-Type", "").split(";")[0] != "application/json":
            return self.error(415, "invalid", "the body must be application/json")
        try:
            change = json.loads(raw)
        except ValueError:
            return self.error(400, "invalid", "the body is not JSON")
        if not key or change.get("idempotency_key") != key or change.get("kind") != kind:
            return self.error(400, "invalid", "Idempotency-Key, the body's key and the path must agree")
        if kind == "document":
            sha = (change.get("data") or {}).get("sha256")
            with s.lock:
                missing = sha and sha not in s.documents
            if missing:
                # the file goes first (PUT /v1/documents/{sha256})
                return self.error(422, "document_content_missing",
                                  "the document's file was not uploaded")
        with s.lock:
            s.arrivals += 1
            answer = s.answers.get(key)
            if answer is None:
                moved = kind == "migration" and migrated_before(s, change)
                if f == "409" or moved:
                    answer = (409, {"code": "already_migrated",
                                    "message": "This old CPS account was migrated before."} if moved
                              else {"code": "serial_registered_elsewhere",
                                    "message": "This serial number is registered to another customer."})
                    s.refused.append(key)
                else:
                    answer = (201, {"idempotency_key": key, "id": str(len(s.applied) + 1)})
                    if kind == "enrollment":
                        enrolled(s, change, answer[1])
                    s.applied.append({"key": key, "kind": kind,
                                      "account_id": change.get("account_id"),
                                      "at": change.get("at")})
                s.answers[key] = answer
        status, obj = answer
        if f == "hang":
            return self.hang()
        if f == "reset":
            body = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) + 100))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            # linger 0: close() sends a reset, not an orderly end
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.request.close()
            self.close_connection = True
            return
        if f == "slow":
            body = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                time.sleep(0.005)
            return
        if f == "badjson":
            return self.send_json(200, None, raw=b'{"idempotency_key": "')
        if f == "ctype":
            return self.send_json(200, None, ctype="text/html",
                                  raw=b"<html><body>Welcome to the hotel network</body></html>")
        if status >= 400:
            return self.error(status, obj["code"], obj["message"])
        self.send_json(status, obj)


def migrated_before(s, change):
    """Whether the old account of a migration was moved before: by another
    shop (seeded _migrated) or by another account (under s.lock)."""
    data = change.get("data") or {}
    member = data.get("member_number")
    if not member:
        return False
    for acc in s.legacy.values():
        if acc.get("member_number") == member and acc.get("_migrated"):
            return True
    by = s.migrated.setdefault(member, change.get("account_id"))
    return by != change.get("account_id")


def enrolled(s, change, answer):
    """The remote's invoice for an enrollment, as s.enroll asks (under s.lock)."""
    mode = s.enroll.get("invoice", "none")
    if s.enroll.get("membership_number"):
        answer["membership_number"] = s.enroll["membership_number"]
    if mode == "none":
        return
    data = change.get("data") or {}
    n = len(s.invoices) + len(s.applied) + 1
    number = "CPS-INV-%06d" % n
    inv = {"account_id": change.get("account_id"), "number": number,
           "amount_cents": data.get("amount_cents"), "currency": data.get("currency"),
           "issued_on": data.get("issued_on"), "due_on": data.get("due_on")}
    if data.get("method") == "card":
        inv["payment_link"] = "https://pay.cps.example.com/i/" + number
    else:
        inv["bank"] = {"account_holder": "Canon Europa N.V.", "iban": "NL91ABNA0417164300",
                       "bic": "ABNANL2A", "reference": "CPS " + number}
    for k, v in (s.enroll.get("override") or {}).items():
        if v is None:
            inv.pop(k, None)
        else:
            inv[k] = v
    if mode == "answer":
        answer["invoice"] = inv
    else:
        s.invoices.append(inv)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, ctx):
        self.ctx = ctx
        super().__init__(("127.0.0.1", 0), Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        with STATE.lock:
            STATE.connections += 1
        # the handshake happens in the handler's thread, so that a client
        # stuck in it holds up no other
        return self.ctx.wrap_socket(sock, server_side=True,
                                    do_handshake_on_connect=False), addr

    def handle_error(self, request, client_address):
        pass  # a client that went away mid-request is what the tests do


def serve(cert, key, token, portfile, retry_after="1", hang="3"):
    global STATE
    STATE = State(token, int(retry_after), float(hang))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv = Server(ctx)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as fh:
        fh.write("%d\n" % srv.server_address[1])
    import os
    os.rename(tmp, portfile)
    srv.serve_forever()


def ctl(portfile, cafile, method, path, body=None):
    port = int(open(portfile).read())
    ctx = ssl.create_default_context(cafile=cafile)
    c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=30)
    c.request(method, path, body=body, headers={"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read().decode()
    if r.status != 200:
        raise SystemExit("peer ctl: %d %s" % (r.status, data))
    return data


def verify(db, portfile, cafile):
    """Compares the database's outbox with what the peer applied."""
    rec = json.loads(ctl(portfile, cafile, "GET", "/_control/records"))
    con = sqlite3.connect(db)
    rows = con.execute("SELECT idem_key, coalesce(account_id, 0), id FROM outbox"
                       " ORDER BY id").fetchall()
    keys = [k for k, _, _ in rows]
    applied = [a["key"] for a in rec["applied"]]
    seen = {}
    for k in applied:
        seen[k] = seen.get(k, 0) + 1
    lost = sum(1 for k in keys if k not in seen and k not in rec["refused"])
    dup = sum(n - 1 for n in seen.values())
    # per account, the peer must have applied them in the outbox's order
    rowid = {k: i for k, _, i in rows}
    last = {}
    out_of_order = 0
    for a in rec["applied"]:
        acc = a["account_id"] or 0
        i = rowid.get(a["key"], -1)
        if acc and i < last.get(acc, -1):
            out_of_order += 1
        last[acc] = max(i, last.get(acc, -1))
    unsent = con.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]
    print("rows=%d applied=%d lost=%d duplicated=%d out_of_order=%d unsent=%d arrivals=%d"
          " connections=%d" % (len(keys), len(applied), lost, dup, out_of_order, unsent,
                               rec["arrivals"], rec["connections"]))


def main(argv):
    if len(argv) >= 5 and argv[1] == "serve":
        serve(*argv[2:])
    elif len(argv) >= 6 and argv[1] == "ctl":
        print(ctl(argv[2], argv[3], argv[4], argv[5], argv[6] if len(argv) > 6 else None))
    elif len(argv) == 5 and argv[1] == "verify":
        verify(argv[2], argv[3], argv[4])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
