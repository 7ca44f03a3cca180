# cpl: four complaint-log commands over one library.
#   make            build lib/libcpl.a and bin/*
#   make check      install missing packages, build, run every test
#   make demo       install missing packages, build, run the pipeline on examples/
#   make SANITIZE=1 the same with AddressSanitizer and UBSan
include config.mk

CMDS     = cplclassify cpldeadline cplphrase cplreport
PROGS    = $(CMDS:%=bin/%)
LIBSRC   = $(wildcard lib/*.c)
DATA     = $(sort $(wildcard data/*.csv data/*.tsv data/*.txt))
VARIANT  = $(if $(filter 1,$(SANITIZE)),san,plain)
OBJDIR   = build/$(VARIANT)
LIBOBJ   = $(LIBSRC:lib/%.c=$(OBJDIR)/lib/%.o) $(OBJDIR)/embedded.o

# Programs are relinked when the variant changes, so bin/ always holds what was asked for.
$(shell mkdir -p build; echo $(VARIANT) | cmp -s - build/variant || echo $(VARIANT) > build/variant)

all: $(PROGS)

lib/libcpl.a: $(LIBOBJ) build/variant
	rm -f $@; $(AR) rcs $@ $(LIBOBJ)

bin/%: $(OBJDIR)/cmd/%.o lib/libcpl.a
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $< lib/libcpl.a $(LDLIBS)

$(OBJDIR)/%.o: %.c lib/cpl.h config.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Ilib -c -o $@ $<

# Default tables, calendars and templates are compiled into the library.
build/embed: tools/embed.c
	$(CC) -O2 -o $@ tools/embed.c
$(OBJDIR)/embedded.c: build/embed $(DATA)
	@mkdir -p $(@D)
	build/embed $(DATA) > $@
$(OBJDIR)/embedded.o: $(OBJDIR)/embedded.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build/test-unit: $(OBJDIR)/tests/unit.o lib/libcpl.a
	$(CC) $(LDFLAGS) -o $@ $< lib/libcpl.a $(LDLIBS)

deps:
	@sh tools/deps.sh build
check-deps:
	@sh tools/deps.sh check

check: check-deps
	$(MAKE) all build/test-unit
	sh tools/runtests.sh

demo: deps
	$(MAKE) all
	sh examples/demo.sh

bench: all
	sh bench/run.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR)
	cp -f $(PROGS) $(DESTDIR)$(BINDIR)/
	cp -f man/*.1 $(DESTDIR)$(MANDIR)/man1/
	for f in man/*.5; do [ -f "$$f" ] && cp -f "$$f" $(DESTDIR)$(MANDIR)/man5/ || true; done
	for f in man/*.7; do [ -f "$$f" ] && cp -f "$$f" $(DESTDIR)$(MANDIR)/man7/ || true; done
	cp -f $(DATA) $(DESTDIR)$(DATADIR)/

uninstall:
	for c in $(CMDS); do rm -f $(DESTDIR)$(BINDIR)/$$c $(DESTDIR)$(MANDIR)/man1/$$c.1; done
	rm -f $(DESTDIR)$(MANDIR)/man5/cpl-rules.5 $(DESTDIR)$(MANDIR)/man7/cpl.7
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build bin lib/libcpl.a

.PHONY: all deps check-deps check demo bench install uninstall clean
.SECONDARY:
