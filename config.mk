# cpl build configuration: edit here, or override on the make command line.
VERSION   = 0.1.0
PREFIX    = /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
DATADIR   = $(PREFIX)/share/cpl

CC        ?= cc
PKGS      = libpcre2-8
CPPFLAGS  += -D_GNU_SOURCE -DCPL_VERSION=\"$(VERSION)\"
CFLAGS    ?= -O2 -g
CFLAGS    += -std=c11 -Wall -Wextra -Wno-unused-parameter $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS    += -lcsv $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcre2-8) -lm

# make SANITIZE=1: the same programs with AddressSanitizer and UBSan
ifeq ($(SANITIZE),1)
CFLAGS    += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
endif
# make SANITIZE=thread (make tsan): ThreadSanitizer; C11 threads are taken
# through pthreads so that it sees them (tests/tsan/c11threads.c)
ifeq ($(SANITIZE),thread)
CFLAGS    += -O1 -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS   += -fsanitize=thread
endif
