#!/usr/bin/env bats
# Where there is a processor to spare, the record layer parses the CSV on a
# thread of its own, ahead of the command: what a command writes and says,
# in what order, and how it ends, do not depend on it.
load helper

# big.csv: the report fixture's records 500 times (3.8 MB: many of the
# 128 KB blocks the reading thread hands over, every slot used again), with
# a short row, a long row and a row of bad UTF-8 (two problems on one line)
# among them (helper.bash); 500 created_at values that are not times and
# 500 empty ones.
make_big() { big_cases 500 > big.csv; }

# deadline N FILE... > out 2> err: cpldeadline on N threads, status 3 expected
deadline() {
	local n=$1
	shift
	CPL_THREADS=$n cpldeadline --now '2026-11-22 09:00:00' "$@" && fails "exit 0 with bad records" || [ $? -eq 3 ]
}

@test "cpldeadline, one thread and two: the same records, the same messages, in line order" {
	make_big
	deadline 1 big.csv > one.csv 2> one.err
	deadline 2 big.csv > two.csv 2> two.err
	cmp one.csv two.csv
	cmp one.err two.err
	cat big.csv | deadline 2 > pipe.csv 2> pipe.err
	cmp one.csv pipe.csv
	[ "$(sed 's/<stdin>/big.csv/' pipe.err)" = "$(cat one.err)" ]
	[ "$(count_records two.csv)" = "$(count_records big.csv)" ]
	# 500 times not read, 500 empty, and four messages for the three rows put in
	[ "$(grep -c "created_at: cannot read 'not a date' as a time" two.err)" = 500 ]
	[ "$(grep -c "created_at is empty" two.err)" = 500 ]
	[ "$(wc -l < two.err)" = 1004 ]
	# the row's shape first, then its bytes
	grep -A1 "^cpldeadline: big.csv:[0-9]*: 9 fields, the header has" two.err | sed -n 2p |
		grep -q "^cpldeadline: big.csv:[0-9]*: invalid UTF-8 in field 7 at byte 1"
	sed 's/^cpldeadline: big.csv:\([0-9]*\):.*/\1/' two.err > lines.txt
	sort -n -c lines.txt
	[ "$(sed -n "$(grep -m1 'missing fields' two.err | cut -d: -f3)p" big.csv)" = 'S1,2026-11-21 10:00,10086热线' ]
}

@test "two inputs on two threads: each message names its file and line" {
	make_big
	split_at 6000 big.csv
	deadline 1 a.csv b.csv > one.csv 2> one.err
	deadline 2 a.csv b.csv > two.csv 2> two.err
	cmp one.csv two.csv
	cmp one.err two.err
	[ "$(count_records two.csv)" = "$(( $(count_records big.csv) ))" ]
	# the messages of b.csv after those of a.csv, at lines of b.csv
	[ "$(grep -n '^cpldeadline: b.csv' two.err | head -1 | cut -d: -f1)" -gt "$(grep -c '^cpldeadline: a.csv' two.err)" ]
	line=$(grep '^cpldeadline: b.csv' two.err | grep 'not a date' | head -1 | cut -d: -f3)
	[ "$(sed -n "${line}p" b.csv | cut -d, -f2)" = "not a date" ]
}

@test "a later input with another header: the earlier input's messages, then the fatal one, as on one thread" {
	make_big
	printf 'case_id,created_at\nX1,2026-11-21 10:00\n' > other.csv
	for n in 1 2; do
		CPL_THREADS=$n cpldeadline --now '2026-11-22 09:00:00' big.csv other.csv > out$n.csv 2> err$n.txt &&
			fails "exit 0" || [ $? -eq 2 ]
	done
	cmp err1.txt err2.txt
	cmp out1.csv out2.csv
	[ "$(wc -l < err2.txt)" = 1005 ]
	tail -1 err2.txt | grep -q "^cpldeadline: other.csv:1: the header differs from the first input's"
	[ "$(grep -c 'not a date' err2.txt)" = 500 ]
}

@test "a later input that cannot be opened: the earlier input's messages, then the fatal one, as on one thread" {
	make_big
	for n in 1 2; do
		CPL_THREADS=$n cpldeadline --now '2026-11-22 09:00:00' -o out$n.csv big.csv missing.csv 2> err$n.txt &&
			fails "exit 0" || [ $? -eq 4 ]
	done
	cmp err1.txt err2.txt
	tail -1 err2.txt | grep -q "^cpldeadline: cannot open 'missing.csv': No such file or directory$"
	[ "$(wc -l < err2.txt)" = 1005 ]
	# -o is written whole or not at all
	[ ! -e out1.csv ] && [ ! -e out2.csv ]
}

@test "cplphrase, one thread and two: the same records and findings" {
	fix="$FIX/phrase/classified.csv"
	# 3.6 MB: its 12 records 3,000 times, and a short row among them
	awk 'NR == 1 { print; next } { rec[++k] = $0 }
	END {
		for (i = 1; i <= 3000; i++) {
			for (j = 1; j <= k; j++) { r = rec[j]; sub(/^S/, "S" i "x", r); print r }
			if (i == 1700) print "S0,短"
		}
	}' "$fix" > big.csv
	CPL_THREADS=1 cplphrase big.csv > one.csv 2> one.err || [ $? -eq 3 ]
	CPL_THREADS=2 cplphrase big.csv > two.csv 2> two.err || [ $? -eq 3 ]
	cmp one.csv two.csv
	cmp one.err two.err
	[ "$(wc -l < two.err)" = 1 ]
	grep -q "^cplphrase: big.csv:[0-9]*: 2 fields, the header has 8" two.err
	[ "$(count_records two.csv)" = "$(count_records big.csv)" ]
	once=$(cplphrase "$fix" | col /dev/stdin phrase_findings | grep -c .)
	[ "$once" -gt 0 ]
	[ "$(col two.csv phrase_findings | grep -c .)" = $((once * 3000)) ]
}
