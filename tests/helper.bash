# helper.bash: loaded by every test file.  Puts bin/ first on PATH, gives each
# test a scratch directory, and a few checks that read like sentences.
ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
PATH="${CPL_BIN:-$ROOT/bin}:$PATH"
CPL_BUILD="${CPL_BUILD:-$ROOT/build}"
FIX="$BATS_TEST_DIRNAME/fixtures"
export TZ=Asia/Shanghai LC_ALL=C.UTF-8

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
}

# count_records FILE: data records of a CSV (embedded newlines understood).
count_records() {
	mlr --icsv --allow-ragged-csv-input --onidx count "$1"
}

# col FILE NAME: the values of one column, one a line (via Miller).
col() {
	mlr --icsv --onidx --ofs tab cut -f "$2" "$1"
}

# fails "message": print a message and fail
fails() { echo "$*" >&2; return 1; }
