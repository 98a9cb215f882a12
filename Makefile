# Makefile - builds cpsreg (GNU make, no generator).
#
#   make            build ./cpsreg
#   make run        install missing packages, build, start the wizard
#   make test       install missing packages, build, run every test
#   make SANITIZE=1 test   the same with AddressSanitizer + UBSan (or: make asan)
#   make bench      benchmarks (figures, not assertions)
#   make stress     long crash, concurrency and damage tests; unit tests under valgrind
#   make fuzz       libFuzzer targets for FUZZ_SECONDS each (default 60)
#   make install / make uninstall   honour PREFIX and DESTDIR
#   make clean
#
# A sanitizer build writes its own files (cpsreg-asan, *-asan.o), so it can
# live beside the normal build.

PROG       := cpsreg
VERSION    := 0.1.0

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATAROOT   ?= $(PREFIX)/share
MANDIR     ?= $(DATAROOT)/man
LOCALEDIR  ?= $(DATAROOT)/locale
PKGDATADIR ?= $(DATAROOT)/cpsreg
SYSCONFDIR ?= /etc

CC         ?= cc
CFLAGS     ?= -O2 -g
# a library the program does not call is not loaded at start-up
LDFLAGS    += -Wl,--as-needed
WARNINGS   := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
              -Wmissing-prototypes -Wwrite-strings -Wformat=2
ifeq ($(WERROR),1)
WARNINGS   += -Werror
endif

ifeq ($(SANITIZE),1)
SFX        := -asan
SANFLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined
else
SFX        :=
SANFLAGS   :=
endif

# Libraries come from pkg-config, except iniparser (Debian ships no .pc)
# and libcrypt (yescrypt).  Evaluated once; before the
# packages are installed they are empty, which only matters to targets that
# compile, and those run after 'deps' in a sub-make.
ENGINE_PKGS := jansson
# SQLite: its headers only, as libcurl's.  The store opens the library with
# the first database (src/store_sqlite.c), so the wizard draws its first
# page before loading it; SQLITE_LIBS links the tests and benches that
# call SQLite themselves.
SQLITE_PKGS := sqlite3
# libcurl: its headers only.  The engine opens the library when a sync
# starts (src/curl_load.c), so the program is not linked against it and
# the wizard never loads it nor its ~30 dependencies; CURL_LIBS links
# the bench's bare libcurl loop.
NET_PKGS    := libcurl
UI_PKGS     := formw ncursesw
TEST_PKGS   := cmocka
# ncursesw.pc asks for _XOPEN_SOURCE=600; the house uses 700 (set below).
PKG_CFLAGS  := $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE,$(shell pkg-config --cflags $(ENGINE_PKGS) $(SQLITE_PKGS) $(NET_PKGS) $(UI_PKGS) 2>/dev/null))
# -ldl: dlopen is in libc from glibc 2.34; older ones need it
ENGINE_LIBS := $(shell pkg-config --libs $(ENGINE_PKGS) 2>/dev/null) -liniparser -lcrypt -ldl
CURL_LIBS   := $(shell pkg-config --libs $(NET_PKGS) 2>/dev/null)
SQLITE_LIBS := $(shell pkg-config --libs $(SQLITE_PKGS) 2>/dev/null)
UI_LIBS     := $(shell pkg-config --libs $(UI_PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null) $(SQLITE_LIBS)

ALL_CPPFLAGS = -Iinclude -Isrc -D_XOPEN_SOURCE=700 $(CPPFLAGS)
ALL_CFLAGS   = -std=c11 $(WARNINGS) $(SANFLAGS) $(PKG_CFLAGS) $(CFLAGS)
DEPFLAGS     = -MMD -MP

ENGINE_SRCS := $(sort $(wildcard src/*.c))
UI_SRCS     := $(sort $(wildcard ui/*/*.c))
# the screen kit, the wizard's pages, the command line (see the README)
UI_DIRS     := ui/kit ui/pages ui/cli ui/staff
UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))
UNITLIB_SRCS := $(filter-out $(UNIT_SRCS),$(sort $(wildcard tests/unit/*.c)))
BENCH_SRCS  := $(sort $(wildcard tests/bench/*.c))

ENGINE_OBJS := $(ENGINE_SRCS:.c=$(SFX).o)
UI_OBJS     := $(UI_SRCS:.c=$(SFX).o)
UNITLIB_OBJS := $(UNITLIB_SRCS:.c=$(SFX).o)
UNIT_BINS   := $(UNIT_SRCS:.c=$(SFX))
BENCH_BINS  := $(BENCH_SRCS:.c=$(SFX))
LIB         := libcpsreg$(SFX).a
BIN         := $(PROG)$(SFX)

LANGS       := nb da
MO_FILES    := $(LANGS:%=assets/locale/%/LC_MESSAGES/cpsreg.mo)
DATA_FILES  := $(sort $(wildcard assets/*.csv))

# Debian packages: what building and running need, and what the tests add
# (python3 and openssl: the remote's test peer and its certificate;
# libssl-dev: OpenSSL's SHA-256, which the engine's own is checked against).
# libcurl4 and libsqlite3-0 are named although their -dev packages bring
# them: the program opens libcurl when it syncs and libsqlite3 with the
# first database, so the linker no longer asks for either.
RUN_DEBS  := gcc make pkg-config libncurses-dev libsqlite3-dev libsqlite3-0 libcurl4-openssl-dev libcurl4 \
             libiniparser-dev libjansson-dev libcrypt-dev gettext iso-codes
TEST_DEBS := $(RUN_DEBS) libcmocka-dev libssl-dev tmux sqlite3 python3 openssl

.PHONY: all run test check bench deps-bench asan install uninstall clean deps deps-test pot FORCE \
        stress stress-bins deps-stress
# keep the objects of the test programs between runs
.SECONDARY:

all: $(BIN) $(MO_FILES)

# --- the build ----------------------------------------------------------

# Install paths compiled into the program; rewritten only when they change,
# so a different PREFIX rebuilds what depends on it and nothing else.
src/buildpaths.h: FORCE
	@printf '%s\n' '/* generated by the Makefile: install paths */' \
	  '#define CPS_VERSION "$(VERSION)"' \
	  '#define CPS_PKGDATADIR "$(PKGDATADIR)"' \
	  '#define CPS_LOCALEDIR "$(LOCALEDIR)"' \
	  '#define CPS_SYSCONFDIR "$(SYSCONFDIR)"' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

%$(SFX).o: %.c src/buildpaths.h
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

tests/unit/%$(SFX).o: tests/unit/%.c src/buildpaths.h
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(TEST_CFLAGS) $(DEPFLAGS) -c -o $@ $<

# the UI's headers are found in its folders; the engine never sees them
$(UI_OBJS): ALL_CPPFLAGS += $(UI_DIRS:%=-I%)

$(LIB): $(ENGINE_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(UI_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UI_OBJS) $(LIB) $(UI_LIBS) $(ENGINE_LIBS)

# the engine's SHA-256 (src/sha256.c) is checked against OpenSSL's
tests/unit/test_secret$(SFX): TEST_LIBS += -lcrypto
tests/unit/test_%$(SFX): tests/unit/test_%$(SFX).o $(UNITLIB_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(UNITLIB_OBJS) $(LIB) $(ENGINE_LIBS) $(TEST_LIBS)

# The kit's text layer has no curses, so its unit test links it alone.
UITEXT_OBJS := ui/kit/text$(SFX).o ui/kit/sanitize$(SFX).o
tests/unit/test_uitext$(SFX).o: ALL_CPPFLAGS += -Iui/kit
tests/unit/test_uitext$(SFX): tests/unit/test_uitext$(SFX).o $(UITEXT_OBJS) $(UNITLIB_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(UITEXT_OBJS) $(UNITLIB_OBJS) $(LIB) $(ENGINE_LIBS) $(TEST_LIBS)

# The fit of the messages measures them with the kit's text layer too.
tests/unit/test_msgfit$(SFX).o: ALL_CPPFLAGS += -Iui/kit
tests/unit/test_msgfit$(SFX): tests/unit/test_msgfit$(SFX).o $(UITEXT_OBJS) $(UNITLIB_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(UITEXT_OBJS) $(UNITLIB_OBJS) $(LIB) $(ENGINE_LIBS) $(TEST_LIBS)

tests/bench/%$(SFX): tests/bench/%$(SFX).o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(ENGINE_LIBS) $(SQLITE_LIBS)

# its anchor calls libcurl itself
tests/bench/bench_sync$(SFX): tests/bench/bench_sync$(SFX).o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(ENGINE_LIBS) $(SQLITE_LIBS) $(CURL_LIBS)

assets/locale/%/LC_MESSAGES/cpsreg.mo: assets/po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

-include $(ENGINE_OBJS:.o=.d) $(UI_OBJS:.o=.d) $(UNITLIB_OBJS:.o=.d) \
         $(UNIT_SRCS:.c=$(SFX).d) $(BENCH_SRCS:.c=$(SFX).d)

# --- the two commands ---------------------------------------------------

run: deps
	@$(MAKE) --no-print-directory all
	./$(BIN)

test: deps-test
	@$(MAKE) --no-print-directory check

check: all $(UNIT_BINS)
	@$(MAKE) --no-print-directory stress-bins
	@CPSREG_BIN=./$(BIN) STRESS_DRIVER=./$(STRESS_DRIVER) UNIT_BINS="$(UNIT_BINS)" sh tests/run.sh

asan:
	@$(MAKE) --no-print-directory SANITIZE=1 all

# tests/bench/bench.py measures each figure beside its anchor (sqlite3,
# dialog, whiptail, callgrind) in the same run and writes the table to
# bench.txt; bench_figures is its in-process helper, bench_pty its
# pseudo-terminal driver for the start to the first screen.
BENCH_DEBS := $(RUN_DEBS) sqlite3 dialog whiptail valgrind python3 openssl
bench: deps-bench
	@$(MAKE) --no-print-directory $(BENCH_BINS) all
	@for b in $(filter-out %/bench_figures$(SFX) %/bench_pty$(SFX),$(BENCH_BINS)); do ./$$b || exit 1; done
	@CPSREG_BIN=./$(BIN) BENCH_FIGURES=./tests/bench/bench_figures$(SFX) \
	  BENCH_PTY=./tests/bench/bench_pty$(SFX) python3 tests/bench/bench.py

deps-bench:
	@$(call install_debs,$(BENCH_DEBS))

# Installs the Debian packages that are missing: as root with apt-get, or
# tells a non-root user the exact command and stops.
deps:
	@$(call install_debs,$(RUN_DEBS))
deps-test:
	@$(call install_debs,$(TEST_DEBS))

define install_debs
missing=""; \
if command -v dpkg-query >/dev/null 2>&1; then \
  for p in $(1); do \
    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
  done; \
else \
  pkg-config --exists $(ENGINE_PKGS) $(NET_PKGS) $(UI_PKGS) 2>/dev/null || { \
    echo "cpsreg: not a Debian system; install the development files of: $(1)" >&2; exit 1; }; \
fi; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "cpsreg: installing missing packages:$$missing"; \
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing || exit 1; \
  else \
    echo "cpsreg: missing packages:$$missing" >&2; \
    echo "cpsreg: run as root:  apt-get update && apt-get install -y$$missing" >&2; \
    exit 1; \
  fi; \
fi
endef

# --- stress -------------------------------------------------------------
# Crash, concurrency and damage tests (tests/stress/).  'make test' runs their
# short forms through tests/run.sh; 'make stress' runs the long forms (200
# kill -9 trials, 10,000 operations by 4 processes) and every unit test under
# valgrind (0 errors, 0 definite leaks).  STRESS_SEED repeats a crash run.

STRESS_SRCS   := $(sort $(wildcard tests/stress/*.c))
STRESS_BINS   := $(STRESS_SRCS:.c=$(SFX))
STRESS_DRIVER := tests/stress/stress_driver$(SFX)
STRESS_DEBS   := $(TEST_DEBS) valgrind
VALGRIND      := valgrind -q --error-exitcode=99 --leak-check=full \
                 --errors-for-leak-kinds=definite --show-leak-kinds=definite

tests/stress/%$(SFX): tests/stress/%$(SFX).o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(ENGINE_LIBS) $(SQLITE_LIBS)

-include $(STRESS_SRCS:.c=$(SFX).d)

# 'check' builds them in a sub-make, since this section comes after it.
stress-bins: $(STRESS_BINS)

stress: deps-stress
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(STRESS_BINS)
	@CPSREG_BIN=./$(BIN) STRESS_DRIVER=./$(STRESS_DRIVER) UNIT_BINS="$(UNIT_BINS)" \
	  VALGRIND="$(VALGRIND)" STRESS_SEED="$(STRESS_SEED)" sh tests/stress/run_stress.sh

deps-stress:
	@$(call install_debs,$(STRESS_DEBS))

# --- fuzzing ------------------------------------------------------------
#
# libFuzzer targets, one tests/fuzz/fuzz_<name>.c each.  "make fuzz" builds
# them with clang (-fsanitize=fuzzer,address,undefined) against engine
# objects of their own (*-fuzz.o, libcpsreg-fuzz.a, beside the normal and
# -asan builds), runs each for FUZZ_SECONDS on a scratch copy of its seed
# corpus, and saves a minimised crash as tests/fuzz/regress/<name>/.
# "make check" links the same targets with tests/fuzz/replay.c using the
# normal compiler (replay_<name>, or replay_<name>-asan under SANITIZE=1)
# and replays every seed and every saved crash: no clang needed.

FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 8192
FUZZ_CC      ?= clang
FUZZ_CFLAGS  ?= -O1 -g
FUZZ_DEBS    := $(TEST_DEBS) clang libclang-rt-dev
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_ALL_CFLAGS = -std=c11 $(WARNINGS) $(FUZZ_SAN) $(PKG_CFLAGS) $(FUZZ_CFLAGS)

FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES   := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
# the screen-text sanitiser links ui/kit/sanitize and the engine's text.c, no fixture
FUZZ_ENGINE_NAMES := $(filter-out sanitize,$(FUZZ_NAMES))
FUZZ_BINS    := $(FUZZ_NAMES:%=tests/fuzz/fuzz_%)
REPLAY_BINS  := $(FUZZ_NAMES:%=tests/fuzz/replay_%$(SFX))
FUZZ_LIB     := libcpsreg-fuzz.a

.PHONY: fuzz fuzz-build deps-fuzz

%-fuzz.o: %.c src/buildpaths.h
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_ALL_CFLAGS) -fsanitize=fuzzer-no-link $(DEPFLAGS) -c -o $@ $<

$(FUZZ_LIB): $(ENGINE_SRCS:.c=-fuzz.o)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_ENGINE_NAMES:%=tests/fuzz/fuzz_%): tests/fuzz/fuzz_%: tests/fuzz/fuzz_%-fuzz.o \
		tests/fuzz/fz_util-fuzz.o tests/fuzz/fz_engine-fuzz.o $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(ENGINE_LIBS)

tests/fuzz/fuzz_sanitize-fuzz.o tests/fuzz/fuzz_sanitize$(SFX).o: ALL_CPPFLAGS += -Iui/kit
tests/fuzz/fuzz_sanitize: tests/fuzz/fuzz_sanitize-fuzz.o tests/fuzz/fz_util-fuzz.o ui/kit/sanitize-fuzz.o \
		$(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_ALL_CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(ENGINE_LIBS)

$(FUZZ_ENGINE_NAMES:%=tests/fuzz/replay_%$(SFX)): tests/fuzz/replay_%$(SFX): \
		tests/fuzz/fuzz_%$(SFX).o tests/fuzz/replay$(SFX).o \
		tests/fuzz/fz_util$(SFX).o tests/fuzz/fz_engine$(SFX).o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(ENGINE_LIBS)

tests/fuzz/replay_sanitize$(SFX): tests/fuzz/fuzz_sanitize$(SFX).o tests/fuzz/replay$(SFX).o \
		tests/fuzz/fz_util$(SFX).o ui/kit/sanitize$(SFX).o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(ENGINE_LIBS)

# make check replays the corpora and the saved crashes (tests/fuzz/test_replay.sh)
check: $(REPLAY_BINS)
check: export FUZZ_REPLAY_BINS := $(REPLAY_BINS)

-include $(wildcard tests/fuzz/*.d src/*-fuzz.d ui/kit/*-fuzz.d)

deps-fuzz:
	@$(call install_debs,$(FUZZ_DEBS))

fuzz-build: $(FUZZ_BINS)

fuzz: deps-fuzz
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_MAX_LEN=$(FUZZ_MAX_LEN) \
	  sh tests/fuzz/fuzz.sh $(FUZZ_NAMES)

# --- translations -------------------------------------------------------

pot:
	xgettext --from-code=UTF-8 -k_ -kN_ --package-name=cpsreg \
	  --package-version=$(VERSION) -o assets/po/cpsreg.pot $(ENGINE_SRCS) $(UI_SRCS) ui/cli/commands.h
	for l in $(LANGS); do msgmerge -q -U --backup=none assets/po/$$l.po assets/po/cpsreg.pot; done

# --- install ------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PKGDATADIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/$(PROG)
	install -m 644 assets/cpsreg.1 $(DESTDIR)$(MANDIR)/man1/cpsreg.1
	install -m 644 cps.ini.example $(DATA_FILES) $(DESTDIR)$(PKGDATADIR)/
	for l in $(LANGS); do \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	  install -m 644 assets/locale/$$l/LC_MESSAGES/cpsreg.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/cpsreg.mo || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/$(PROG) $(DESTDIR)$(MANDIR)/man1/cpsreg.1
	rm -f $(DESTDIR)$(PKGDATADIR)/cps.ini.example $(addprefix $(DESTDIR)$(PKGDATADIR)/,$(notdir $(DATA_FILES)))
	-rmdir $(DESTDIR)$(PKGDATADIR) 2>/dev/null
	for l in $(LANGS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/cpsreg.mo; done

clean:
	rm -f $(PROG) $(PROG)-asan libcpsreg.a libcpsreg-asan.a src/buildpaths.h src/buildpaths.h.tmp
	rm -f src/*.o src/*.d ui/*/*.o ui/*/*.d tests/unit/*.o tests/unit/*.d tests/bench/*.o tests/bench/*.d
	rm -f $(UNIT_SRCS:.c=) $(UNIT_SRCS:.c=-asan) $(BENCH_SRCS:.c=) $(BENCH_SRCS:.c=-asan)
	rm -f tests/stress/*.o tests/stress/*.d $(STRESS_SRCS:.c=) $(STRESS_SRCS:.c=-asan)
	rm -f libcpsreg-fuzz.a tests/fuzz/*.o tests/fuzz/*.d $(FUZZ_BINS) tests/fuzz/replay_*
	rm -rf assets/locale tests/tmp bench.txt
