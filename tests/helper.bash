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

# big_cases N: the report fixture's 26 records N times over, each copy's
# case ids its own (C01 becomes C7x01 in copy 7), with a short row after
# copy 40, a long row after copy N/2 and a short row of bad UTF-8 after
# copy N-1: many of the blocks that threads hand each other, with problems
# of the reader's among them.
big_cases() {
	awk -v n="$1" 'NR == 1 { print; next }
	{ rec[++k] = $0 }
	END {
		for (i = 1; i <= n; i++) {
			for (j = 1; j <= k; j++) {
				r = rec[j]
				if (match(r, /^[A-Z]*/))
					r = substr(r, 1, RLENGTH) i "x" substr(r, RLENGTH + 1)
				print r
			}
			if (i == 40)
				print "S1,2026-11-21 10:00,10086热线"
			if (i == int(n / 2)) {
				r = rec[1]
				sub(/^[^,]*,/, "L1,", r)
				print r ",多一,多二"
			}
			if (i == n - 1)
				printf "U1,2026-11-21 10:00,10086热线,13600000001,普通,南京,\377\376坏字节,A1,处理中\n"
		}
	}' "$FIX/report/cases.csv"
}

# split_at N FILE: the header and FILE's next N lines into a.csv, the header
# and the lines after them into b.csv.
split_at() {
	head -1 "$2" > a.csv
	sed -n "2,$(($1 + 1))p" "$2" >> a.csv
	head -1 "$2" > b.csv
	tail -n +$(($1 + 2)) "$2" >> b.csv
}
