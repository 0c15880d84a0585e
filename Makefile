# mimecompose: plain GNU make.  See README.md.

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes
# cmocka's tests and libFuzzer's entry point take arguments they need not
# use.
TEST_WARN = $(WARN) -Wno-unused-parameter
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Isrc/lib \
	-DMC_TOOL_VERSION='"$(VERSION)"' $(CPPFLAGS)
# libb64 is linked statically: the shared one costs a call per character.
# The tools are static PIEs: no dynamic loader at start-up, a tenth of the
# time of a 1 MiB compose (bench/README.md).  make STATIC= links them
# dynamically; the sanitizer builds always are.
STATIC ?= -static-pie
B64LIB = $(firstword $(wildcard /usr/lib/*/libb64.a /usr/lib/libb64.a) -lb64)
# libidn2 (IDNA 2008 domains in addresses); a static link also needs
# libunistring's archive, from libunistring-dev.
IDN_LIBS = -lidn2 -lunistring

# SPEC 3's composers, then SPEC 6's tools (each with its block below).
TOOLS = mime-text mime-html mime-attach mime-multipart mime-message \
	mime-compose mime-dkim mime-check mime-sign mime-encrypt
LIB_SRCS = $(sort $(wildcard src/lib/*.c))
TOOL_COMMON = src/tools/tool.c
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNITS = $(patsubst tests/unit/%.c,%,$(UNIT_SRCS))

# Two builds: build/ (optimised, installed, used for memory tests) and
# build/san/ (AddressSanitizer + UndefinedBehaviorSanitizer, used by check).
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

O = build
S = build/san

LIB_OBJS = $(patsubst src/lib/%.c,$(O)/lib/%.o,$(LIB_SRCS))
LIB_PIC_OBJS = $(patsubst src/lib/%.c,$(O)/pic/%.o,$(LIB_SRCS))
SAN_OBJS = $(patsubst src/lib/%.c,$(S)/lib/%.o,$(LIB_SRCS))

all: deps-build $(O)/libmimecompose.a $(O)/libmimecompose.so \
	$(addprefix $(O)/bin/,$(TOOLS))

# make demo: the main job (see README.md).
demo: all
	@bash scripts/demo.sh

# make deps: install the Debian packages building and testing need.  Each
# job checks its own (scripts/deps.sh): make those building needs; check,
# bench, fuzz and valgrind theirs too, and, run as root, install them.
DEPS = sh scripts/deps.sh $$(test "$$(id -u)" -eq 0 && echo install || echo check)
deps:
	@sh scripts/deps.sh install
deps-build:
	@sh scripts/deps.sh check build
deps-test:
	@$(DEPS) build test
deps-bench:
	@$(DEPS) build bench
deps-fuzz:
	@$(DEPS) fuzz
deps-valgrind:
	@$(DEPS) build test valgrind

$(O)/lib/%.o: src/lib/%.c src/lib/mc.h include/mimecompose.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -fvisibility=hidden -c -o $@ $<
$(O)/pic/%.o: src/lib/%.c src/lib/mc.h include/mimecompose.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -fvisibility=hidden -fPIC -c -o $@ $<
$(S)/lib/%.o: src/lib/%.c src/lib/mc.h src/lib/hooks.h include/mimecompose.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(SANFLAGS) -DMC_TEST_HOOKS \
		-c -o $@ $<
# The test hooks (src/lib/hooks.h: forcing a codec) are built into the
# sanitizer and fuzzing libraries, which are never installed, and into
# this object, which the plain test and benchmark programs link before
# libmimecompose.a so that its codec.o is not taken.
HOOKS = $(O)/hooks/codec.o
$(HOOKS): src/lib/codec.c src/lib/mc.h src/lib/hooks.h include/mimecompose.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -DMC_TEST_HOOKS -c -o $@ $<

$(O)/libmimecompose.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^
$(S)/libmimecompose.a: $(SAN_OBJS)
	rm -f $@
	ar rcs $@ $^
# --exclude-libs: libb64's archive is inside, but only mc_* is exported.
$(O)/libmimecompose.so: $(LIB_PIC_OBJS)
	$(CC) -shared -Wl,-soname,libmimecompose.so.0 -Wl,--exclude-libs,ALL \
		$(LDFLAGS) -o $@ $^ $(B64LIB) $(IDN_LIBS)

# A tool that needs a crypto engine (SPEC 6) names its own sources and
# libraries as target-specific EXTRA_SRCS and EXTRA_LIBS (and STATIC =, as
# those engines are linked dynamically), so the other tools stay small and
# static and libmimecompose links nothing but libb64.
$(O)/bin/%: src/tools/%.c $(TOOL_COMMON) src/tools/tool.h $(O)/libmimecompose.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(STATIC) $(LDFLAGS) -o $@ $< \
		$(EXTRA_SRCS) $(TOOL_COMMON) $(O)/libmimecompose.a $(B64LIB) $(IDN_LIBS) \
		$(EXTRA_LIBS)
$(S)/bin/%: src/tools/%.c $(TOOL_COMMON) src/tools/tool.h $(S)/libmimecompose.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $< \
		$(EXTRA_SRCS) $(TOOL_COMMON) $(S)/libmimecompose.a $(B64LIB) $(IDN_LIBS) \
		$(EXTRA_LIBS)

# mime-html.c is mime-text.c with another name and subtype.
$(O)/bin/mime-html $(S)/bin/mime-html: src/tools/mime-text.c

$(S)/tests/%: tests/unit/%.c tests/unit/unit.h $(S)/libmimecompose.a | deps-test
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -Itests/unit $(TEST_WARN) -Wno-missing-prototypes $(CFLAGS) \
		$(SANFLAGS) -o $@ $< $(EXTRA_SRCS) $(S)/libmimecompose.a $(B64LIB) $(IDN_LIBS) \
		$(EXTRA_LIBS) -lcmocka
# Plain builds of the unit tests, for valgrind.
$(O)/tests/%: tests/unit/%.c tests/unit/unit.h $(HOOKS) $(O)/libmimecompose.a \
	| deps-test
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -Itests/unit $(TEST_WARN) -Wno-missing-prototypes $(CFLAGS) \
		-o $@ $< $(EXTRA_SRCS) $(HOOKS) $(O)/libmimecompose.a $(B64LIB) $(IDN_LIBS) \
		$(EXTRA_LIBS) -lcmocka
$(O)/tests/bigwrite: tests/bigwrite.c $(O)/libmimecompose.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -o $@ $< $(O)/libmimecompose.a $(B64LIB) $(IDN_LIBS)

# tests/interop: GMime 3 reads every message of the interop corpus.
$(O)/tests/gmime-tree: tests/interop/gmime-tree.c | deps-test
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $$(pkg-config --cflags gmime-3.0) -o $@ $< \
		$$(pkg-config --libs gmime-3.0)

UNIT_BINS = $(addprefix $(S)/tests/,$(UNITS))
SAN_TOOLS = $(addprefix $(S)/bin/,$(TOOLS))

# ASAN_OPTIONS: tools exit through exit(3) with a status; leaks fail too.
SANENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98

check: deps-test all $(UNIT_BINS) $(SAN_TOOLS) $(O)/tests/bigwrite $(O)/tests/gmime-tree
	@sh tests/run-unit.sh $(UNIT_BINS)
	@env $(SANENV) MC_BIN=$(CURDIR)/$(S)/bin MC_FAST_BIN=$(CURDIR)/$(O)/bin \
		MC_TESTBIN=$(CURDIR)/$(O)/tests sh tests/run-e2e.sh
	@env $(SANENV) MC_BIN=$(CURDIR)/$(S)/bin MC_FAST_BIN=$(CURDIR)/$(O)/bin \
		MC_TESTBIN=$(CURDIR)/$(O)/tests sh tests/interop/run.sh

# make bench: the peers (not part of make deps), then the side-by-side
# benchmark; bench/README.md says how to read it.
BENCH_BINS = $(O)/bench/lib_small $(O)/bench/gmime_compose $(O)/bench/timecmd \
	$(O)/bench/codec_compose
bench: deps-bench all
	@$(MAKE) --no-print-directory $(BENCH_BINS)
	@python3 bench/bench.py --bin $(CURDIR)/$(O)/bin \
		--bench-bin $(CURDIR)/$(O)/bench

$(O)/bench/lib_small: bench/lib_small.c include/mimecompose.h $(O)/libmimecompose.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< \
		$(O)/libmimecompose.a $(B64LIB) $(IDN_LIBS)
# mime-compose with its main renamed, behind one that forces a codec.
$(O)/bench/codec_compose: bench/codec_compose.c src/tools/mime-compose.c \
	$(TOOL_COMMON) src/tools/tool.h $(HOOKS) $(O)/libmimecompose.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -c -o $@-main.o \
		-Dmain=tool_main -Wno-missing-prototypes src/tools/mime-compose.c
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(STATIC) $(LDFLAGS) -o $@ $< \
		$@-main.o $(TOOL_COMMON) $(HOOKS) $(O)/libmimecompose.a $(B64LIB) $(IDN_LIBS)
$(O)/bench/timecmd: bench/timecmd.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $<
$(O)/bench/gmime_compose: bench/gmime_compose.c | deps-bench
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $$(pkg-config --cflags gmime-3.0) $(LDFLAGS) -o $@ $< \
		$$(pkg-config --libs gmime-3.0)

VALGRIND_BINS = $(addprefix $(O)/tests/,$(UNITS))
valgrind: deps-valgrind $(VALGRIND_BINS)
	@for t in $(VALGRIND_BINS); do \
		valgrind -q --leak-check=full --error-exitcode=1 $$t >/dev/null || exit 1; \
	done; echo "valgrind: $(words $(VALGRIND_BINS)) suites clean"

# make fuzz: each libFuzzer harness in fuzz/ runs FUZZ_SECONDS under
# AddressSanitizer and UndefinedBehaviorSanitizer, FUZZ_JOBS at a time,
# from the seeds in fixtures/fuzz/HARNESS/ (see fuzz/run.sh).  Needs clang;
# not part of check.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 2
FUZZERS = reader addr rfc2047 rfc2231 qp b64 draft utf8 dkim check signsafe
FUZZFLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
F = build/fuzz
FUZZ_OBJS = $(patsubst src/lib/%.c,$(F)/lib/%.o,$(LIB_SRCS))

$(F)/lib/%.o: src/lib/%.c src/lib/mc.h src/lib/hooks.h include/mimecompose.h \
	| deps-fuzz
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(WARN) $(FUZZFLAGS) -DMC_TEST_HOOKS \
		-fsanitize=fuzzer-no-link -c -o $@ $<
$(F)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(TEST_WARN) $(FUZZFLAGS) -fsanitize=fuzzer \
		-o $@ $< $(FUZZ_OBJS) $(B64LIB) $(IDN_LIBS)

fuzz: deps-fuzz $(addprefix $(F)/fuzz_,$(FUZZERS))
	@sh fuzz/run.sh $(F) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZERS)

# mime-dkim (SPEC 6): the signer in src/crypto/ on OpenSSL's libcrypto,
# linked into the tool and its unit test only; the canonicalizers are the
# library's (src/lib/dkim.c).
DKIM_SRCS = src/crypto/dkim.c
$(O)/bin/mime-dkim $(S)/bin/mime-dkim $(S)/tests/test_dkim_sign \
    $(O)/tests/test_dkim_sign: $(DKIM_SRCS) src/crypto/dkim.h
$(O)/bin/mime-dkim $(S)/bin/mime-dkim $(S)/tests/test_dkim_sign \
    $(O)/tests/test_dkim_sign: EXTRA_SRCS = $(DKIM_SRCS)
$(O)/bin/mime-dkim $(S)/bin/mime-dkim $(S)/tests/test_dkim_sign \
    $(O)/tests/test_dkim_sign: EXTRA_LIBS = -lcrypto
$(O)/bin/mime-dkim $(S)/bin/mime-dkim: STATIC =

# mime-check (issue 16): the linter; its library files share a private
# header, check.h.
CHECK_OBJS = $(patsubst %,%/check.o,$(O)/lib $(O)/pic $(S)/lib $(F)/lib) \
	$(patsubst %,%/checkhdr.o,$(O)/lib $(O)/pic $(S)/lib $(F)/lib) \
	$(patsubst %,%/checkparam.o,$(O)/lib $(O)/pic $(S)/lib $(F)/lib) \
	$(patsubst %,%/checkword.o,$(O)/lib $(O)/pic $(S)/lib $(F)/lib) \
	$(patsubst %,%/checkbody.o,$(O)/lib $(O)/pic $(S)/lib $(F)/lib)
$(CHECK_OBJS): src/lib/check.h
BENCH_BINS += $(O)/bench/gmime_parse
$(O)/bench/gmime_parse: bench/gmime_parse.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $$(pkg-config --cflags gmime-3.0) $(LDFLAGS) -o $@ $< \
		$$(pkg-config --libs gmime-3.0)

# mime-encrypt (SPEC 6): GPGME and libcrypto, linked into it alone.
# S/MIME --sign signs with mime-sign's engine (signed.c, sign_smime.c).
ENCRYPT_SRCS = src/crypto/pgp.c src/crypto/smime.c src/crypto/envelope.c \
	src/crypto/signed.c src/crypto/sign_smime.c
$(O)/bin/mime-encrypt $(S)/bin/mime-encrypt: EXTRA_SRCS = $(ENCRYPT_SRCS)
$(O)/bin/mime-encrypt $(S)/bin/mime-encrypt: EXTRA_LIBS = \
	$$(pkg-config --libs gpgme 2>/dev/null || gpgme-config --libs) \
	-lcrypto -lpthread
$(O)/bin/mime-encrypt $(S)/bin/mime-encrypt: STATIC =
$(O)/bin/mime-encrypt $(S)/bin/mime-encrypt: $(ENCRYPT_SRCS) \
	src/crypto/encrypt.h src/crypto/sign.h
check: $(O)/tests/gmime-decrypt
# tests/e2e/encrypt.sh: GMime 3 decrypts what mime-encrypt wrote.
$(O)/tests/gmime-decrypt: tests/interop/gmime-decrypt.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $$(pkg-config --cflags gmime-3.0) -o $@ $< \
		$$(pkg-config --libs gmime-3.0)

# mime-sign (SPEC 6): GPGME and libcrypto, linked into it alone.
SIGN_SRCS = src/crypto/signed.c src/crypto/sign_pgp.c \
	src/crypto/sign_smime.c src/crypto/envelope.c
$(O)/bin/mime-sign $(S)/bin/mime-sign: EXTRA_SRCS = $(SIGN_SRCS)
$(O)/bin/mime-sign $(S)/bin/mime-sign: EXTRA_LIBS = \
	$$(pkg-config --libs gpgme 2>/dev/null || gpgme-config --libs) \
	-lcrypto -lpthread
$(O)/bin/mime-sign $(S)/bin/mime-sign: STATIC =
$(O)/bin/mime-sign $(S)/bin/mime-sign: $(SIGN_SRCS) src/crypto/sign.h \
	src/crypto/encrypt.h
check: $(O)/tests/gmime-verify
$(O)/tests/gmime-verify: tests/interop/gmime-verify.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $$(pkg-config --cflags gmime-3.0) -o $@ $< \
		$$(pkg-config --libs gmime-3.0)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(addprefix $(O)/bin/,$(TOOLS)) $(DESTDIR)$(BINDIR)
	install -m 644 $(O)/libmimecompose.a $(DESTDIR)$(LIBDIR)
	install -m 755 $(O)/libmimecompose.so $(DESTDIR)$(LIBDIR)/libmimecompose.so.0
	ln -sf libmimecompose.so.0 $(DESTDIR)$(LIBDIR)/libmimecompose.so
	install -m 644 include/mimecompose.h $(DESTDIR)$(INCLUDEDIR)
	install -m 644 $(addprefix man/,$(addsuffix .1,$(TOOLS))) $(DESTDIR)$(MANDIR)/man1
	sed -e 's|@PREFIX@|$(PREFIX)|' \
		-e 's|@LIBDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))|' \
		-e 's|@INCLUDEDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|' \
		-e 's|@VERSION@|$(VERSION)|' \
		mimecompose.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/mimecompose.pc

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS)) \
		$(DESTDIR)$(LIBDIR)/libmimecompose.a \
		$(DESTDIR)$(LIBDIR)/libmimecompose.so \
		$(DESTDIR)$(LIBDIR)/libmimecompose.so.0 \
		$(DESTDIR)$(INCLUDEDIR)/mimecompose.h \
		$(addprefix $(DESTDIR)$(MANDIR)/man1/,$(addsuffix .1,$(TOOLS))) \
		$(DESTDIR)$(PKGCONFIGDIR)/mimecompose.pc

clean:
	rm -rf build

.PHONY: all demo deps deps-build deps-test deps-bench deps-fuzz deps-valgrind \
	check valgrind fuzz bench install uninstall \
	clean
.SECONDARY:
