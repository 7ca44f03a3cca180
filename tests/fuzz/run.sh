#!/bin/sh
# run.sh [TARGET...]: build the libFuzzer harnesses of tests/fuzz with clang
# (ASan + UBSan) under $FUZZ_BUILD (default build/fuzz) and run each for
# $FUZZ_SECONDS (default 60) from its seed corpus tests/fuzz/corpus/TARGET.
# New inputs go to $FUZZ_BUILD/corpus/TARGET; crashes to $FUZZ_BUILD/crash-*.
# FUZZ_BUILD_ONLY=1 builds and runs each target over its seeds only.
set -e
cd "$(dirname "$0")/../.."
B=${FUZZ_BUILD:-build/fuzz}
SECS=${FUZZ_SECONDS:-60}
CC=${FUZZ_CC:-clang}
command -v "$CC" >/dev/null || { echo "fuzz: needs clang (apt-get install -y clang)" >&2; exit 2; }
mkdir -p "$B/obj" "$B/corpus"
FLAGS="-g -O1 -std=c11 -D_GNU_SOURCE -Ilib -fsanitize=address,undefined -fno-sanitize-recover=undefined $(pkg-config --cflags libpcre2-8)"
LIBS="-lcsv $(pkg-config --libs libpcre2-8) -lm"

# the library, once, instrumented for coverage
[ -x "$B/embed" ] || cc -O2 -o "$B/embed" tools/embed.c
"$B/embed" $(ls data/*.csv data/*.tsv data/*.txt 2>/dev/null | sort) > "$B/embedded.c"
objs=
for c in lib/*.c "$B/embedded.c"; do
	o=$B/obj/$(basename "$c" .c).o
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ lib/cpl.h -nt "$o" ]; then
		$CC $FLAGS -fsanitize=fuzzer-no-link -c -o "$o" "$c"
	fi
	objs="$objs $o"
done
$CC $FLAGS -fsanitize=fuzzer-no-link -Dmain=cmd_main -c -o "$B/obj/cmd-cpldeadline.o" cmd/cpldeadline.c

targets=${*:-record time table norm cmd}
asan0=$ASAN_OPTIONS
for t in $targets; do
	extra=
	[ "$t" = cmd ] && extra="$B/obj/cmd-cpldeadline.o"
	$CC $FLAGS -fsanitize=fuzzer -o "$B/fuzz-$t" "tests/fuzz/$t.c" $extra $objs $LIBS
done
for t in $targets; do
	mkdir -p "$B/corpus/$t"
	opts="-max_len=65536 -timeout=10 -rss_limit_mb=3072 -close_fd_mask=3 -print_final_stats=1"
	lsan=1
	# a refused table or input leaves what it built unfreed (the process
	# would end there): fork mode runs short jobs, so that memory comes back
	case $t in table|cmd) opts="$opts -detect_leaks=0 -fork=1 -ignore_ooms=0"; lsan=0 ;; esac
	export ASAN_OPTIONS="${asan0:+$asan0:}detect_leaks=$lsan"
	if [ -n "$FUZZ_BUILD_ONLY" ]; then
		"$B/fuzz-$t" $opts -runs=0 -artifact_prefix="$B/crash-$t-" "tests/fuzz/corpus/$t"
	else
		echo "fuzz: $t for ${SECS}s"
		"$B/fuzz-$t" $opts -max_total_time="$SECS" -artifact_prefix="$B/crash-$t-" \
			"$B/corpus/$t" "tests/fuzz/corpus/$t"
	fi
done
