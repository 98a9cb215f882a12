#!/usr/bin/env python3
"""bench.py - "make bench": each figure of cpsreg beside its anchor, both
measured in this run on this machine, over several rounds (min and median)
and their ratio.  Prints the table and writes it to the file named by
BENCH_OUT (default bench.txt).  Figures only: nothing passes or fails.

Arguments choose the parts: "store" (imports, lock, migration, typeahead,
accounts, each also alone) and "terminal"; none means both.

The data is generated here (catalogs, legacy exports); nothing large is
kept in git.  Anchors: sqlite3's .import of the same file in one
transaction, one INSERT ... SELECT, the plain SQL query, dialog and
whiptail in the same pseudo-terminal.  A missing anchor program is
reported as missing, not guessed.
"""
import os
import platform
import pty
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

CPSREG = os.path.abspath(os.environ.get("CPSREG_BIN", "./cpsreg"))
FIGURES = os.path.abspath(os.environ.get("BENCH_FIGURES", "./tests/bench/bench_figures"))
# the first screen's driver (tests/bench/bench_pty.c); without it, Python's
PTY_DRIVER = os.path.abspath(os.environ.get("BENCH_PTY", "./tests/bench/bench_pty"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
# the start to the first screen is a few milliseconds of the program's own
# beside the pseudo-terminal's and the fork's, which vary as much from start
# to start: four times the rounds (each is a fraction of a second)
SCREEN_ROUNDS = int(os.environ.get("BENCH_SCREEN_ROUNDS", str(4 * ROUNDS)))
# MIGRATE PRODUCTS is some 30 ms of work beside a process start and a copy
# of the database, and one slow moment of the machine's moves its min:
# three times the rounds (each is a fraction of a second)
MIGRATE_ROUNDS = int(os.environ.get("BENCH_MIGRATE_ROUNDS", str(3 * ROUNDS)))
OUT = os.environ.get("BENCH_OUT", "bench.txt")
SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
ENV = dict(os.environ, LC_ALL="C.UTF-8", NO_COLOR="")
ENV.pop("NO_COLOR")

rows = []  # (figure, unit, cpsreg values, anchor name, anchor values)


def note(*a):
    print(*a, file=sys.stderr, flush=True)


def run_timed(argv, **kw):
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=ENV, **kw)
    return (time.perf_counter() - t0) * 1000.0


def record(figure, unit, ours, anchor, theirs):
    rows.append((figure, unit, ours, anchor, theirs))
    note("  %-44s %s" % (figure, fmt_pair(ours, theirs)))


def fmt(v):
    if v is None:
        return "-"
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def fmt_pair(ours, theirs):
    if not ours:
        return "-"
    s = "%s / %s" % (fmt(min(ours)), fmt(statistics.median(ours)))
    if theirs:
        s += "  vs  %s / %s" % (fmt(min(theirs)), fmt(statistics.median(theirs)))
    return s


# --- data ---------------------------------------------------------------

WORDS = ["EOS", "RF", "EF", "Speedlite", "PowerShot", "imagePROGRAF", "Cinema",
         "XF", "Mark", "Pro", "Zoom", "Macro", "Tele", "Wide"]


def catalog_csv(path, n):
    cats = ["body", "lens", "cinema", "flash", "printer", "other"]
    with open(path, "w") as f:
        f.write("model,category,points,release_year,serial_pattern\n")
        for i in range(n):
            f.write("%s %s %d-%d,%s,%d,%d,\n" % (
                WORDS[i % len(WORDS)], WORDS[(i // 7) % len(WORDS)], i % 997, i,
                cats[i % len(cats)], 1 + i % 900, 2000 + i % 25))


def legacy_csv(path, n, per_account=4, models=("EOS R5", "EOS R6", "RF 24-70mm F2.8L IS USM",
                                               "EF 70-200mm f/2.8L IS III USM")):
    with open(path, "w") as f:
        f.write("email,member_number,name,model,serial,purchase_date,purchase_country,dealer\n")
        for i in range(n):
            a = i // per_account
            f.write("user%d@example.com,OLD-%07d,User %d,%s,%012d,2021-05,NO,Dealer %d\n" % (
                a, a, a, models[i % len(models)], 10 ** 9 + i, a % 50))


def fresh_db(tmp, name):
    """A database as cpsreg makes it (schema, default catalog)."""
    db = os.path.join(tmp, name)
    subprocess.run([CPSREG, "--db", db, "limits"], env=ENV, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return db


def copy_db(src, dst):
    for sfx in ("", "-wal", "-shm"):
        if os.path.exists(dst + sfx):
            os.remove(dst + sfx)
        if os.path.exists(src + sfx):
            shutil.copyfile(src + sfx, dst + sfx)
    return dst


def sqlite_import(tmp, csv, columns):
    """sqlite3's .import of csv into a new table, one transaction, WAL and
    synchronous FULL like cpsreg's store."""
    db = os.path.join(tmp, "anchor.db")
    for sfx in ("", "-wal", "-shm"):
        if os.path.exists(db + sfx):
            os.remove(db + sfx)
    script = ("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n"
              "CREATE TABLE t (%s);\nBEGIN;\n.import --csv --skip 1 %s t\nCOMMIT;\n"
              % (", ".join(columns), csv))
    t0 = time.perf_counter()
    subprocess.run(["sqlite3", db], input=script.encode(), check=True,
                   stdout=subprocess.DEVNULL, env=ENV)
    return (time.perf_counter() - t0) * 1000.0


def bench_imports(tmp):
    have_sqlite = shutil.which("sqlite3")
    template = fresh_db(tmp, "template.db")
    for n in SIZES:
        csv = os.path.join(tmp, "catalog-%d.csv" % n)
        catalog_csv(csv, n)
        ours, theirs = [], []
        for _ in range(ROUNDS if n < 100000 else max(2, ROUNDS // 2)):
            db = copy_db(template, os.path.join(tmp, "run.db"))
            ours.append(run_timed([CPSREG, "--db", db, "import-catalog", csv]))
            if have_sqlite:
                theirs.append(sqlite_import(tmp, csv, ["model", "category", "points",
                                                       "release_year", "serial_pattern"]))
        record("import-catalog, %d models" % n, "ms", ours, "sqlite3 .import", theirs)

    for n in SIZES:
        csv = os.path.join(tmp, "legacy-%d.csv" % n)
        legacy_csv(csv, n)
        ours, theirs = [], []
        for _ in range(ROUNDS if n < 100000 else max(2, ROUNDS // 2)):
            db = copy_db(template, os.path.join(tmp, "run.db"))
            ours.append(run_timed([CPSREG, "--db", db, "import-legacy", csv]))
            if have_sqlite:
                theirs.append(sqlite_import(tmp, csv, ["email", "member_number", "name", "model",
                                                       "serial", "purchase_date",
                                                       "purchase_country", "dealer"]))
        record("import-legacy, %d rows" % n, "ms", ours, "sqlite3 .import", theirs)


def longest_lock(db, command):
    """Runs command while another connection tries to take the write lock
    every 2 ms (never waiting); returns the longest time it was refused,
    in ms: how long a customer's save would wait behind the command."""
    import sqlite3
    import threading
    state = {"stop": False, "longest": 0.0, "since": None}

    def probe():
        c = sqlite3.connect(db, timeout=0, isolation_level=None)
        while not state["stop"]:
            try:
                c.execute("BEGIN IMMEDIATE")
                c.execute("COMMIT")
                if state["since"] is not None:
                    state["longest"] = max(state["longest"],
                                           time.perf_counter() - state["since"])
                    state["since"] = None
            except sqlite3.OperationalError:
                if state["since"] is None:
                    state["since"] = time.perf_counter()
            time.sleep(0.002)
        c.close()

    t = threading.Thread(target=probe)
    t.start()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENV)
    time.sleep(0.02)
    state["stop"] = True
    t.join()
    return state["longest"] * 1000.0


def bench_lock(tmp):
    """The write lock an import holds, beside sqlite3's own .import of the
    same rows in one transaction (which holds it throughout)."""
    have_sqlite = shutil.which("sqlite3")
    template = fresh_db(tmp, "template.db")
    n = max(SIZES)
    for kind, columns in (("catalog", ["model", "category", "points", "release_year",
                                      "serial_pattern"]),
                          ("legacy", ["email", "member_number", "name", "model", "serial",
                                      "purchase_date", "purchase_country", "dealer"])):
        csv = os.path.join(tmp, "%s-%d.csv" % (kind, n))
        if not os.path.exists(csv):
            (catalog_csv if kind == "catalog" else legacy_csv)(csv, n)
        ours, theirs = [], []
        for _ in range(max(2, ROUNDS // 2)):
            db = copy_db(template, os.path.join(tmp, "run.db"))
            ours.append(longest_lock(db, [CPSREG, "--db", db, "import-" + kind, csv]))
            if have_sqlite:
                theirs.append(sqlite_import(tmp, csv, columns))
        record("write lock held, import-%s %d rows" % (kind, n), "ms", ours,
               "sqlite3 .import", theirs)


def bench_migration(tmp):
    template = fresh_db(tmp, "template.db")
    csv = os.path.join(tmp, "legacy-one.csv")
    legacy_csv(csv, 10000, per_account=10000)
    subprocess.run([CPSREG, "--db", template, "import-legacy", csv], check=True,
                   stdout=subprocess.DEVNULL, env=ENV)
    ours, theirs = [], []
    # each in a process of its own on a fresh copy, taking turns to go first
    for i in range(MIGRATE_ROUNDS):
        for which in (("migrate", "migrate-anchor") if i % 2 == 0
                      else ("migrate-anchor", "migrate")):
            db = copy_db(template, os.path.join(tmp, "run.db"))
            out = subprocess.run([FIGURES, which, db, "user0@example.com"], check=True,
                                 capture_output=True, text=True, env=ENV).stdout.split()
            (ours if which == "migrate" else theirs).append(float(out[1]))
    record("MIGRATE PRODUCTS, 10000 products", "ms", ours, "INSERT ... SELECT", theirs)


def bench_typeahead(tmp):
    for n in [0] + [s for s in SIZES if s >= 10000]:
        db = fresh_db(tmp, "typeahead-%d.db" % n)
        label = "240 models (the shipped catalog)"
        if n:
            csv = os.path.join(tmp, "catalog-%d.csv" % n)
            catalog_csv(csv, n)
            subprocess.run([CPSREG, "--db", db, "import-catalog", csv], check=True,
                           stdout=subprocess.DEVNULL, env=ENV)
            label = "%d models" % n
        ours, theirs = [], []
        for _ in range(ROUNDS):
            out = subprocess.run([FIGURES, "typeahead", db], check=True, capture_output=True,
                                 text=True, env=ENV).stdout.split()
            ours.append(float(out[1]))
            theirs.append(float(out[3]))
        record("type-ahead per key, %s" % label, "us", ours, "SQL LIKE, sorted, first 6",
               theirs)


def bench_accounts(tmp):
    """status and messages on 20,000 accounts, each with its message."""
    db = fresh_db(tmp, "accounts.db")
    email = subprocess.run([FIGURES, "populate", db, "20000"], check=True, capture_output=True,
                           text=True, env=ENV).stdout.strip()
    queries = {
        "status": ([CPSREG, "--db", db, "status", email],
                   "SELECT * FROM account WHERE email = '%s';"
                   "SELECT count(*), sum(points) FROM product WHERE account_id ="
                   " (SELECT id FROM account WHERE email = '%s');" % (email, email)),
        "messages": ([CPSREG, "--db", db, "messages"],
                     "SELECT id, account_id, kind, recipient, subject, body FROM message"
                     " WHERE delivered_at IS NULL ORDER BY id;"),
    }
    have_sqlite = shutil.which("sqlite3")
    for name, (argv, sql) in queries.items():
        ours, theirs = [], []
        for _ in range(ROUNDS):
            ours.append(run_timed(argv))
            if have_sqlite:
                theirs.append(run_timed(["sqlite3", db, sql]))
        record("%s, 20000 accounts" % name, "ms", ours, "the same query in sqlite3", theirs)


# --- the terminal ---------------------------------------------------------

def pty_session(argv, keys=b"", settle=0.25, term="xterm-256color", timeout=5.0, final_wait=0.0):
    """Runs argv in a new 80x24 pseudo-terminal; returns (ms to the first
    quiet screen, bytes of it, bytes after each key, peak RSS KiB).  With
    final_wait, the screen is then given that long to become quiet before
    the program is ended (a program under valgrind is slow to answer)."""
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(ENV, TERM=term, LINES="24", COLUMNS="80")
        os.execvpe(argv[0], argv, env)
    import fcntl
    import struct
    import termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    t0 = time.perf_counter()

    def read_until_quiet(limit):
        got = b""
        first = None
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            r, _, _ = select.select([fd], [], [], settle)
            if not r:
                if got:
                    break
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            if first is None:
                first = time.perf_counter()
            got += chunk
            last = time.perf_counter()
        return got, (last if got else time.perf_counter())

    screen, t_last = read_until_quiet(timeout)
    first_ms = (t_last - t0) * 1000.0
    per_key = []
    for k in keys:
        os.write(fd, bytes([k]))
        out, _ = read_until_quiet(1.0)
        per_key.append(len(out))
    if final_wait:
        read_until_quiet(final_wait)
    # the peak of the program itself (VmHWM starts again at exec; the
    # rusage of wait4 would count the forked Python before it)
    hwm = 0
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    os.kill(pid, signal.SIGTERM)
    try:
        while True:
            r, _, _ = select.select([fd], [], [], 0.2)
            if not r or not os.read(fd, 65536):
                break
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    return first_ms, len(screen), per_key, hwm


def first_screen(argv, term):
    """(ms from the fork to the last byte of the first quiet screen, its
    bytes), from the C driver when it is built: a small process forks in
    well under a millisecond, Python's fork of itself took about 3 ms that
    varied as much as the programs measured."""
    if os.access(PTY_DRIVER, os.X_OK):
        out = subprocess.run([PTY_DRIVER, term] + argv, env=ENV, capture_output=True,
                             text=True, check=True).stdout.split()
        return float(out[0]), int(out[1])
    t, b, _, _ = pty_session(argv, term=term)
    return t, b


def dialog_form(prog):
    return [prog, "--form", "Application", "20", "70", "5",
            "Company", "1", "1", "", "1", "20", "40", "0",
            "Street", "2", "1", "", "2", "20", "40", "0",
            "Postcode", "3", "1", "", "3", "20", "10", "0",
            "City", "4", "1", "", "4", "20", "40", "0",
            "E-mail", "5", "1", "", "5", "20", "40", "0"]


def bench_terminal(tmp):
    db = fresh_db(tmp, "ui.db")
    wizard = [CPSREG, "--db", db]
    have_dialog = shutil.which("dialog")
    have_whiptail = shutil.which("whiptail")
    # the wizard's first screen (the welcome page) vs dialog's form
    for term in ("xterm-256color", "vt100"):
        ours_t, ours_b, theirs_t, theirs_b = [], [], [], []
        # taking turns to go first, as the other figures do
        for i in range(SCREEN_ROUNDS):
            for which in ((0, 1) if i % 2 == 0 else (1, 0)):
                if which == 0:
                    t, b = first_screen(wizard, term)
                    ours_t.append(t)
                    ours_b.append(b)
                elif have_dialog:
                    t, b = first_screen(dialog_form("dialog"), term)
                    theirs_t.append(t)
                    theirs_b.append(b)
        record("start to first screen, %s" % term, "ms",
               ours_t, "dialog --form, 5 fields", theirs_t)
        record("first screen bytes, %s" % term, "B", ours_b, "dialog --form, 5 fields",
               theirs_b)
    # bytes per typed character in a text field: the wizard's first field
    # is reached with Enter from the welcome page (its default button)
    typed = b"abcdefghij"
    ours, dl, wt, rss_ours, rss_dialog = [], [], [], [], []
    for _ in range(ROUNDS):
        _, _, per, rss = pty_session(wizard, keys=b"\r" + typed)
        ours.append(statistics.mean(per[1:]))
        rss_ours.append(rss / 1024.0)
        if have_dialog:
            _, _, per, rss = pty_session(["dialog", "--inputbox", "Company", "8", "60"],
                                         keys=typed)
            dl.append(statistics.mean(per))
            rss_dialog.append(rss / 1024.0)
        if have_whiptail:
            _, _, per, _ = pty_session(["whiptail", "--inputbox", "Company", "8", "60", ""],
                                       keys=typed)
            wt.append(statistics.mean(per))
    record("bytes per typed character", "B", ours, "dialog --inputbox", dl)
    if wt:
        record("bytes per typed character (vs whiptail)", "B", ours, "whiptail --inputbox", wt)
    record("peak RSS, short session (MiB)", "MiB", rss_ours, "dialog --inputbox", rss_dialog)


def bench_callgrind(tmp):
    """Instructions per typed character, when valgrind is there: a session
    with 50 keys minus one with none, divided by 50."""
    if not shutil.which("valgrind"):
        note("  (valgrind missing: no instruction counts)")
        return
    db = fresh_db(tmp, "cg.db")

    def instructions(argv, keys):
        out = os.path.join(tmp, "cg.out")
        # quiet: valgrind's own lines on the terminal would pass for the
        # first screen; each session is let finish all its keys (both
        # sessions must do the same work but the typing, or the difference
        # counts the start-up the shorter one did not finish)
        cmd = ["valgrind", "-q", "--tool=callgrind", "--callgrind-out-file=" + out] + argv
        pty_session(cmd, keys=keys, settle=1.0, timeout=30.0, final_wait=10.0)
        total = 0
        with open(out) as f:
            for line in f:
                if line.startswith("summary:") or line.startswith("totals:"):
                    total = int(line.split()[1])
        return total

    typed = b"abcdefghij" * 5
    ours = (instructions([CPSREG, "--db", db], b"\r" + typed) -
            instructions([CPSREG, "--db", db], b"\r")) / len(typed)
    theirs = None
    if shutil.which("dialog"):
        d = ["dialog", "--inputbox", "Company", "8", "60"]
        theirs = (instructions(d, typed) - instructions(d, b"")) / len(typed)
    record("instructions per typed character (callgrind)", "instr", [ours],
           "dialog --inputbox", [theirs] if theirs else [])


def machine():
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d CPUs, %s %s" % (cpu, os.cpu_count() or 0, platform.system(), platform.release())


def table():
    lines = ["machine: " + machine(),
             "rounds: %d (%d for the start to the first screen, %d for MIGRATE PRODUCTS);"
             " each figure min / median; ratio = cpsreg / anchor, of the mins and of the medians"
             % (ROUNDS, SCREEN_ROUNDS, MIGRATE_ROUNDS),
             "",
             "| figure | cpsreg min / median | anchor | anchor min / median | ratio min / median |",
             "|---|---|---|---|---|"]
    for figure, unit, ours, anchor, theirs in rows:
        o = "%s / %s %s" % (fmt(min(ours)), fmt(statistics.median(ours)), unit) if ours else "-"
        if theirs:
            a = "%s / %s %s" % (fmt(min(theirs)), fmt(statistics.median(theirs)), unit)
            lo, mt = min(theirs), statistics.median(theirs)
            ratio = "%s / %s" % ("%.2f" % (min(ours) / lo) if lo else "-",
                                 "%.2f" % (statistics.median(ours) / mt) if mt else "-")
        else:
            a, ratio = "(not installed)", "-"
        lines.append("| %s | %s | %s | %s | %s |" % (figure, o, anchor, a, ratio))
    return "\n".join(lines) + "\n"


def main():
    parts = sys.argv[1:] or ["store", "terminal"]
    with tempfile.TemporaryDirectory(prefix="cpsreg-bench.") as tmp:
        # "store" is all of these; each may also be named alone
        for name, what, fn in (("imports", "imports", bench_imports),
                               ("lock", "write lock during imports", bench_lock),
                               ("migration", "migration", bench_migration),
                               ("typeahead", "type-ahead", bench_typeahead),
                               ("accounts", "status and messages", bench_accounts)):
            if "store" in parts or name in parts:
                note(what + " ...")
                fn(tmp)
        if "terminal" in parts:
            note("terminal ...")
            bench_terminal(tmp)
            bench_callgrind(tmp)
    text = table()
    sys.stdout.write(text)
    with open(OUT, "w") as f:
        f.write(text)
    note("written to " + OUT)


if __name__ == "__main__":
    main()
