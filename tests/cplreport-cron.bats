#!/usr/bin/env bats
# examples/daily-report.sh, the cron job: yesterday's HTML and text reports,
# written atomically, and a non-zero exit when something went wrong.
load helper
load cplreport-helper

DAILY="$ROOT/examples/daily-report.sh"
EXPORT="$BATS_TEST_DIRNAME/fixtures/report/export.csv"

no_temp_left() { [ "$(ls -A "$1" | grep -c '^\.daily-report\.')" = 0 ] || fails "a temporary directory is left in $1"; }

@test "daily-report.sh writes yesterday's HTML and text reports, named by the day" {
	mkdir out
	run sh "$DAILY" -o out -n '2026-11-22 07:00:00' "$EXPORT"
	[ "$status" -eq 0 ] || fails "exit $status: $output"
	[ -s out/report-2026-11-21.html ]
	[ -s out/report-2026-11-21.txt ]
	[ "$(ls out | wc -l)" = 2 ]
	no_temp_left out
	grep -q '^统计日期：2026-11-21 · 截至 2026-11-22 07:00:00$' out/report-2026-11-21.txt
	grep -q '^  受理  *3$' out/report-2026-11-21.txt
	grep -q '<svg class="chart"' out/report-2026-11-21.html
	# the same as running the pipeline by hand
	cplclassify "$EXPORT" | cpldeadline --now '2026-11-22 07:00:00' | cplphrase |
		cplreport --day 2026-11-21 --now '2026-11-22 07:00:00' --lang zh > byhand.txt
	cmp byhand.txt out/report-2026-11-21.txt
}

@test "daily-report.sh: yesterday is the local day before NOW, whatever zone the machine has" {
	mkdir out
	run env -u TZ sh "$DAILY" -o out -n '2026-11-22 00:30:00' -l en "$EXPORT"
	[ "$status" -eq 0 ]
	[ -s out/report-2026-11-21.txt ]
	grep -q '^Day: 2026-11-21' out/report-2026-11-21.txt
}

@test "daily-report.sh: a failing step exits non-zero and leaves the old reports alone" {
	mkdir out
	echo old > out/report-2026-11-21.html
	echo old > out/report-2026-11-21.txt
	run sh "$DAILY" -o out -n '2026-11-22 07:00:00' -e no-such-encoding "$EXPORT"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q 'cplclassify failed (exit 2): no report written'
	[ "$(cat out/report-2026-11-21.html)" = old ]
	[ "$(cat out/report-2026-11-21.txt)" = old ]
	no_temp_left out
}

@test "daily-report.sh: a missing export, a bad call or an unwritable directory is an error" {
	mkdir out
	run sh "$DAILY" -o out -n '2026-11-22 07:00:00' /nonexistent/export.csv
	[ "$status" -eq 4 ]
	echo "$output" | grep -q "cannot read '/nonexistent/export.csv'"
	run sh "$DAILY" -o out
	[ "$status" -eq 2 ]
	run sh "$DAILY" -o /nonexistent/dir "$EXPORT"
	[ "$status" -eq 4 ]
	run sh "$DAILY" -o out -n 'not a time' "$EXPORT"
	[ "$status" -eq 2 ]
	[ "$(ls -A out | wc -l)" = 0 ]
}

@test "daily-report.sh: records with problems give exit 3, with the reports written" {
	mkdir out
	{ cat "$EXPORT"; echo 'R99,2026-02-30 10:00,10086热线,13812349999,普通,南京,坏时间,1001,,,,处理中,网络部'; } > bad.csv
	run sh "$DAILY" -o out -n '2026-11-22 07:00:00' bad.csv
	[ "$status" -eq 3 ]
	echo "$output" | grep -q 'bad.csv:7'
	[ -s out/report-2026-11-21.html ]
	[ -s out/report-2026-11-21.txt ]
	no_temp_left out
	# the checked records are kept, and the later steps' messages name them
	# at the record's line, not a temporary file gone by the time mail is read
	echo "$output" | grep -q "^cpldeadline: out/checked-2026-11-21.csv:7: " || fails "$output"
	! echo "$output" | grep -q '\.daily-report\.' || fails "$output"
	sed -n 7p out/checked-2026-11-21.csv | grep -q '^R99,.*cplclassify: created_at'
	# with two bad records, each record's messages (one a step) come together
	{ cat bad.csv; echo 'R98,2026-13-01 10:00,10086热线,13812349998,普通,南京,坏时间,1001,,,,处理中,网络部'; } > bad2.csv
	run sh "$DAILY" -o out -n '2026-11-22 07:00:00' bad2.csv
	[ "$status" -eq 3 ]
	[ "$(echo "$output" | sed -n 's/^\([a-z]*\): [^:]*:\([0-9]*\): .*/\1 \2/p' | tr '\n' ' ')" = \
		"cplclassify 7 cpldeadline 7 cplreport 7 cplclassify 8 cpldeadline 8 cplreport 8 " ] || fails "$output"
	# a later run with nothing wrong takes the kept file away
	run sh "$DAILY" -o out -n '2026-11-22 07:00:00' "$EXPORT"
	[ "$status" -eq 0 ]
	[ ! -e out/checked-2026-11-21.csv ]
}

@test "daily-report.sh: an empty export is a failed export; one without replies still gets its report" {
	mkdir out
	: > empty.csv
	run sh "$DAILY" -o out -n '2026-11-22 07:00:00' empty.csv
	[ "$status" -eq 4 ]
	[ "$output" = "daily-report.sh: 'empty.csv' is empty (not even a header): no report written" ] || fails "$output"
	[ "$(ls -A out | wc -l)" = 0 ]
	# no reply column (an export taken before agents answer): cplphrase passes the records through
	mlr --icsv --ocsv cut -x -f 回复内容 "$EXPORT" > noreply.csv
	run sh "$DAILY" -o out -n '2026-11-22 07:00:00' noreply.csv
	[ "$status" -eq 0 ] || fails "$output"
	[ -s out/report-2026-11-21.html ] && [ -s out/report-2026-11-21.txt ]
	echo "$output" | grep -q "^cplphrase: noreply.csv:1: no 'reply' column (header: .*): the records pass through without the phrase columns" ||
		fails "$output"
	no_temp_left out
}

@test "daily-report.sh: messages name the kept file whatever characters the directory's name has" {
	mkdir 'out(1)+x'
	{ cat "$EXPORT"; echo 'R99,2026-02-30 10:00,10086热线,13812349999,普通,南京,坏时间,1001,,,,处理中,网络部'; } > bad.csv
	run sh "$DAILY" -o 'out(1)+x' -n '2026-11-22 07:00:00' bad.csv
	[ "$status" -eq 3 ]
	echo "$output" | grep -qF "cpldeadline: out(1)+x/checked-2026-11-21.csv:7: " || fails "$output"
	! echo "$output" | grep -q '\.daily-report\.' || fails "$output"
}

@test "daily-report.sh: a step that fails keeps the records it read, and its messages name them" {
	mkdir out bin
	# the real commands, but a cplreport that fails as a full disk would
	for c in cplclassify cpldeadline cplphrase; do ln -s "$(command -v $c)" bin/$c; done
	printf '#!/bin/sh\necho "cplreport: write error: No space left on device" >&2\nexit 4\n' > bin/cplreport
	chmod +x bin/cplreport
	# two exports: a record's line in the kept file is not its line in the first export
	{ cat "$EXPORT"; echo 'R99,2026-11-21 10:00,10086热线,13812349999,普通,南京,信号差,1001,,soon,,处理中,网络部'; } > e2.csv
	run env CPL_BIN="$PWD/bin" sh "$DAILY" -o out -n '2026-11-22 07:00:00' "$EXPORT" e2.csv
	[ "$status" -eq 4 ]
	n=$(( $(wc -l < "$EXPORT") + $(wc -l < e2.csv) - 1 ))
	echo "$output" | grep -q "^cpldeadline: out/checked-2026-11-21.csv:$n: 首次回复时间: cannot read 'soon'" || fails "$output"
	echo "$output" | grep -q "cplreport failed (exit 4): no report written; the records it read are in out/checked-2026-11-21.csv" ||
		fails "$output"
	sed -n "${n}p" out/checked-2026-11-21.csv | grep -q '^R99,'
	[ ! -e out/report-2026-11-21.html ]
	no_temp_left out
}

@test "daily-report.sh: the messages are said when the reports cannot be moved into place; a pipe is an export" {
	mkdir -p out/report-2026-11-21.html/taken
	{ cat "$EXPORT"; echo 'R99,2026-02-30 10:00,10086热线,13812349999,普通,南京,坏时间,1001,,,,处理中,网络部'; } > bad.csv
	run sh "$DAILY" -o out -n '2026-11-22 07:00:00' bad.csv
	[ "$status" -eq 4 ]
	echo "$output" | grep -q "^cplclassify: bad.csv:7: created_at" || fails "$output"
	echo "$output" | grep -q "cannot move the reports into 'out'" || fails "$output"
	rm -r out/report-2026-11-21.html
	run sh -c "cat '$EXPORT' | sh '$DAILY' -o out -n '2026-11-22 07:00:00' /dev/stdin"
	[ "$status" -eq 0 ] || fails "$output"
	[ -s out/report-2026-11-21.txt ]
}
