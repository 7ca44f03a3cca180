#!/bin/sh
# deps.sh build|check|bench: install, through apt-get, what the build, the
# tests or the benchmarks need and this machine lacks.  Does nothing when all
# is there; names what is missing when it cannot install (not root).
set -u
mode=${1:-build}
need=""
have_cmd() { command -v "$1" >/dev/null 2>&1; }
want() { need="$need $1"; }

have_cmd cc || want gcc
have_cmd make || want make
have_cmd pkg-config || want pkg-config
[ -f /usr/include/csv.h ] || want libcsv-dev
[ -f /usr/include/pcre2.h ] || want libpcre2-dev
[ -d /usr/share/zoneinfo/Asia ] || want tzdata
if [ "$mode" = check ] || [ "$mode" = bench ]; then
	have_cmd bats || want bats
	have_cmd prove || want perl
	have_cmd mlr || want miller
	have_cmd parallel || want parallel
	have_cmd iconv || want libc-bin
fi
if [ "$mode" = bench ]; then
	have_cmd python3 || want python3
	have_cmd hyperfine || want hyperfine
fi
[ -n "$need" ] || exit 0
if [ "$(id -u)" != 0 ]; then
	echo "cpl: missing packages:$need (run as root, or: apt-get install$need)" >&2
	exit 1
fi
echo "cpl: installing$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $need >/dev/null || {
	echo "cpl: apt-get install$need failed" >&2
	exit 1
}
