#!/usr/bin/env bats
# cplreport counts on a second thread while the first reads: the report,
# the messages and their order do not depend on how many threads there are.
load helper
load cplreport-helper

# big.csv: the fixture's 26 records, 300 times (big_cases, helper.bash:
# 7,800 records, several of the 256 KB blocks the reading thread hands
# over, and the slots used again), with a short row, a long row and a short
# row of bad UTF-8 (two problems on one line) put in among them.
received() { grep -m1 '"received"' "$1" | tr -dc 0-9; }

make_big() { big_cases 300 > big.csv; }

@test "one thread, two and four: the same report and the same messages, in line order" {
	make_big
	for n in 1 2 4; do
		CPL_THREADS=$n cplreport -f json --now '2026-11-22 09:00:00' big.csv > r$n.json 2> e$n.txt \
			&& fails "exit 0 with bad records" || [ $? -eq 3 ]
	done
	cmp r1.json r2.json
	cmp r1.json r4.json
	cmp e1.txt e2.txt
	cmp e1.txt e4.txt
	# one unreadable time a copy, and four for the three rows put in
	[ "$(grep -c "created_at 'not a date' is not a time: the case is counted, but in no day or hour" e1.txt)" = 300 ]
	[ "$(wc -l < e1.txt)" = 304 ]
	n=$(head -1 big.csv | awk -F, '{ print NF }')
	last=$(head -1 big.csv | awk -F, '{ print $NF }')
	grep -q "^cplreport: big.csv:[0-9]*: 3 fields, the header has $n: the missing fields are left empty$" e1.txt
	grep -q "^cplreport: big.csv:[0-9]*: $((n + 2)) fields, the header has $n: the extra fields are kept in the last column '$last'$" e1.txt
	# the row's shape first, then its bytes, as for any record
	grep -A1 "^cplreport: big.csv:[0-9]*: 9 fields, the header has $n" e1.txt | tail -1 |
		grep -q "^cplreport: big.csv:[0-9]*: invalid UTF-8 in field 7 at byte 1"
	# each message at the line of its record, and in the order of the input
	sed 's/^cplreport: big.csv:\([0-9]*\):.*/\1/' e1.txt > lines.txt
	sort -n -c lines.txt
	[ "$(sed -n "$(sed -n 1p lines.txt)p" big.csv | cut -d, -f2)" = "not a date" ]
	[ "$(sed -n "$(grep -m1 'missing fields' e1.txt | cut -d: -f3)p" big.csv)" = 'S1,2026-11-21 10:00,10086热线' ]
	# every record counted (the keys of empty values, "", are more than
	# Miller's JSON reader takes: the first "received" is the totals')
	[ "$(received r1.json)" = "$(count_records big.csv)" ]
}

@test "two files on two threads: each message names its file and line, the report is the one file's" {
	make_big
	split_at 4000 big.csv
	CPL_THREADS=2 cplreport -f json --now '2026-11-22 09:00:00' a.csv b.csv > two.json 2> two.txt || [ $? -eq 3 ]
	CPL_THREADS=2 cplreport -f json --now '2026-11-22 09:00:00' big.csv > one.json 2> one.txt || [ $? -eq 3 ]
	[ "$(wc -l < two.txt)" = 304 ]
	grep -q '^cplreport: a.csv:26: ' two.txt
	grep -q '^cplreport: b.csv:[0-9]*: ' two.txt
	# the messages of b.csv come after those of a.csv, at lines of b.csv
	[ "$(grep -n '^cplreport: b.csv' two.txt | head -1 | cut -d: -f1)" -gt "$(grep -c '^cplreport: a.csv' two.txt)" ]
	line=$(grep '^cplreport: b.csv' two.txt | head -1 | cut -d: -f3)
	[ "$(sed -n "${line}p" b.csv | cut -d, -f2)" = "not a date" ]
	[ "$(received two.json)" = "$(received one.json)" ]
	[ "$(received two.json)" = "$(count_records big.csv)" ]
}
