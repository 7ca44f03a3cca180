# cpl: four complaint-log commands over one library.
#   make            build lib/libcpl.a and bin/*
#   make check      install missing packages, build, run every test
#   make demo       install missing packages, build, run the pipeline on examples/
#   make SANITIZE=1 the same with AddressSanitizer and UBSan
#   make tsan       the tests of the commands' threads under ThreadSanitizer
include config.mk

CMDS     = cplclassify cpldeadline cplphrase cplreport
LIBSRC   = $(wildcard lib/*.c)
DATA     = $(sort $(wildcard data/*.csv data/*.tsv data/*.txt))
VARIANT  = $(if $(filter 1,$(SANITIZE)),san,$(if $(filter thread,$(SANITIZE)),tsan,plain))
# Where things go; a developer can build a private copy with
# make BUILD=build/mine BIN=build/mine/bin (see tools/devtest.sh).
BUILD    = build
BIN      = bin
OBJDIR   = $(BUILD)/$(VARIANT)
LIBA     = $(if $(filter build,$(BUILD)),lib/libcpl.a,$(BUILD)/libcpl.a)
PROGS    = $(CMDS:%=$(BIN)/%)
LIBOBJ   = $(LIBSRC:lib/%.c=$(OBJDIR)/lib/%.o) $(OBJDIR)/embedded.o \
           $(if $(filter thread,$(SANITIZE)),$(OBJDIR)/tests/tsan/c11threads.o)

# Programs are relinked when the variant changes, so bin/ always holds what was asked for.
$(shell mkdir -p $(BUILD); echo $(VARIANT) | cmp -s - $(BUILD)/variant || echo $(VARIANT) > $(BUILD)/variant)

all: $(PROGS)

$(LIBA): $(LIBOBJ) $(BUILD)/variant
	rm -f $@; $(AR) rcs $@ $(LIBOBJ)

$(BIN)/%: $(OBJDIR)/cmd/%.o $(LIBA)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

$(OBJDIR)/%.o: %.c lib/cpl.h config.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Ilib -c -o $@ $<

# Default tables, calendars and templates are compiled into the library.
$(BUILD)/embed: tools/embed.c
	$(CC) -O2 -o $@ tools/embed.c
$(OBJDIR)/embedded.c: $(BUILD)/embed $(DATA)
	@mkdir -p $(@D)
	$(BUILD)/embed $(DATA) > $@
$(OBJDIR)/embedded.o: $(OBJDIR)/embedded.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/test-unit: $(OBJDIR)/tests/unit.o $(LIBA)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

deps:
	@sh tools/deps.sh build
check-deps:
	@sh tools/deps.sh check

check: check-deps
	$(MAKE) all $(BUILD)/test-unit
	sh tools/runtests.sh

demo: deps
	$(MAKE) all
	sh examples/demo.sh

bench: all
	sh bench/run.sh

# make tsan: the programs built with ThreadSanitizer under $(BUILD)/tsan,
# and the tests that run the commands with one to four threads run with
# them; a race makes a command exit 66, which fails its test.  A fatal
# error read ahead exits with the reading thread ended but not joined,
# which is no fault: thread leaks are not reported.
TSAN_TESTS = tests/cplclassify-pipe.bats tests/readahead.bats tests/cplreport-threads.bats tests/stream.bats
tsan: check-deps
	$(MAKE) SANITIZE=thread BUILD=$(BUILD)/tsan BIN=$(BUILD)/tsan/bin all
	CPL_BIN=$(CURDIR)/$(BUILD)/tsan/bin \
	TSAN_OPTIONS="halt_on_error=1:exitcode=66:report_thread_leaks=0$${TSAN_OPTIONS:+:$$TSAN_OPTIONS}" \
		prove --norc --failures --comments -e 'bats --tap' $(TSAN_TESTS)

# make fuzz [FUZZ_SECONDS=60]: each libFuzzer target of tests/fuzz (record
# layer, time parser, table loaders, normaliser, cpldeadline in-process) for
# FUZZ_SECONDS, built with clang, ASan and UBSan under $(BUILD)/fuzz.
FUZZ_SECONDS = 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=$(BUILD)/fuzz sh tests/fuzz/run.sh

# make install [PREFIX=/usr/local] [DESTDIR=staging]: the programs, the man
# pages, bash completion, and under share/cpl/ the default tables (the
# programs carry them built in; these are to copy, edit and give back with
# --rules, --policy, --calendar ...) and the examples.
EXAMPLES = $(wildcard examples/*.csv examples/*.sh examples/*.md)
COMPDIR  = $(PREFIX)/share/bash-completion/completions
install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(DATADIR)/examples $(DESTDIR)$(COMPDIR)
	cp -f $(PROGS) $(DESTDIR)$(BINDIR)/
	cp -f man/*.1 $(DESTDIR)$(MANDIR)/man1/
	cp -f man/*.5 $(DESTDIR)$(MANDIR)/man5/
	cp -f man/*.7 $(DESTDIR)$(MANDIR)/man7/
	cp -f $(DATA) $(DESTDIR)$(DATADIR)/
	cp -f $(EXAMPLES) $(DESTDIR)$(DATADIR)/examples/
	for c in $(CMDS); do cp -f completion/cpl.bash $(DESTDIR)$(COMPDIR)/$$c; done

uninstall:
	for c in $(CMDS); do rm -f $(DESTDIR)$(BINDIR)/$$c $(DESTDIR)$(MANDIR)/man1/$$c.1 $(DESTDIR)$(COMPDIR)/$$c; done
	for f in man/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$${f#man/}; done
	for f in man/*.7; do rm -f $(DESTDIR)$(MANDIR)/man7/$${f#man/}; done
	for f in $(DATA); do rm -f $(DESTDIR)$(DATADIR)/$${f#data/}; done
	for f in $(EXAMPLES); do rm -f $(DESTDIR)$(DATADIR)/$$f; done
	rmdir $(DESTDIR)$(DATADIR)/examples $(DESTDIR)$(DATADIR) 2>/dev/null || true

clean:
	rm -rf build bin lib/libcpl.a

# cplreport's files share a private header besides cpl.h.
$(patsubst lib/%.c,$(OBJDIR)/lib/%.o,$(wildcard lib/report*.c)) $(OBJDIR)/cmd/cplreport.o: lib/report.h

# make report-screenshot: the HTML report of examples/cases.csv, and a
# screenshot of it taken by headless Chromium (apt-get install -y chromium),
# to see that the charts draw: $(BUILD)/report.html, $(BUILD)/report.png.
REPORT_NOW = 2026-11-22 07:00:00
report-screenshot: all
	@command -v chromium >/dev/null || { echo "report-screenshot: needs chromium (apt-get install -y chromium)" >&2; exit 1; }
	$(BIN)/cplclassify examples/cases.csv | $(BIN)/cpldeadline --now '$(REPORT_NOW)' | $(BIN)/cplphrase | \
		$(BIN)/cplreport --now '$(REPORT_NOW)' --lang zh --format html -o $(BUILD)/report.html; \
		s=$$?; [ $$s = 0 ] || [ $$s = 3 ]
	d=$$(mktemp -d) && chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync --user-data-dir=$$d \
		--screenshot=$(BUILD)/report.png --window-size=1200,2400 file://$(CURDIR)/$(BUILD)/report.html 2>/dev/null; \
		rm -rf $$d; test -s $(BUILD)/report.png
	@echo "report-screenshot: $(BUILD)/report.png"

.PHONY: all deps check-deps check demo bench tsan install uninstall clean report-screenshot
.SECONDARY:
