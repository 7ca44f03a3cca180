#!/usr/bin/env bats
# The five formats, the two languages, sections left out for absent columns,
# --top, determinism, -o, and the man page.
load helper
load cplreport-helper

report() { cplreport --day 2026-11-21 "$@" "$RFIX/cases.csv" 2>/dev/null || [ $? -eq 3 ]; }

@test "text: a title, sections, and columns aligned by display width (CJK counts two)" {
	report --lang zh > out.txt
	[ "$(sed -n 1p out.txt)" = 投诉日报 ]
	[ "$(sed -n 2p out.txt)" = ======== ]
	[ "$(sed -n 3p out.txt)" = '统计日期：2026-11-21' ]
	grep -q '^  受理          16$' out.txt
	# the count column of the region table ends in the same column on every row
	sed -n '/^地市$/,/^$/p' out.txt | sed '1d;$d' > regions
	[ "$(awk '{ print length($0) }' regions | sort -u | wc -l)" -ge 1 ]
	grep -q '^  南京                          8  50.0%$' out.txt
	grep -q '^  镇江                          1   6.3%$' out.txt
}

@test "md: headings and GitHub tables with right-aligned numbers" {
	report --lang en -f md > out.md
	[ "$(head -n 1 out.md)" = '# Daily complaint report' ]
	grep -q '^## Deadlines$' out.md
	grep -q '^| Measure | Value |$' out.md
	grep -q '^|---|---:|$' out.md
	grep -q '^| Received | 16 |$' out.md
	grep -q '^| Reply | 6 | 1 | 4 | 1 | 4 | 54.5% |$' out.md
}

@test "html: one self-contained page with SVG charts, nothing fetched, nothing run" {
	report --lang zh -f html > out.html
	[ "$(head -n 1 out.html)" = '<!DOCTYPE html>' ]
	grep -q '<html lang="zh-CN">' out.html
	[ "$(grep -c '<svg class="chart"' out.html)" -ge 8 ]
	grep -q '<rect class="c0"' out.html # the stacked deadline bar
	grep -q '@media print' out.html
	! grep -Eiq '<script|<link|<img|<iframe|src=|href=|url\(|@import' out.html
	[ "$(grep -c '</html>' out.html)" = 1 ]
	[ "$(grep -o '<section' out.html | wc -l)" = "$(grep -o '</section>' out.html | wc -l)" ]
}

@test "every format is text: valid UTF-8, no NUL byte" {
	local f
	for f in text md html json csv; do
		report --lang zh -f "$f" > "out.$f"
		[ -s "out.$f" ] || fails "$f: empty"
		[ "$(tr -cd '\000' < "out.$f" | wc -c)" = 0 ] || fails "$f: a NUL byte"
		iconv -f UTF-8 -t UTF-8 "out.$f" > /dev/null || fails "$f: not UTF-8"
	done
}

@test "json: parses, and holds the keys the documented shape promises" {
	report -f json > r.json
	flat r.json
	local k
	for k in period.from period.to totals.received totals.closed totals.open by_category.network \
		by_subcategory.network.coverage urgent_by_type.batch sla.reply.met sla.reply.on_time_rate \
		sla.resolve.overdue batches.1.batch_id repeats.count repeats.rate phrase.mean_score \
		phrase.errors_by_rule.forbidden.not_our_business phrase.agents.1.agent_id; do
		[ "$(val "$k")" != '(none)' ] || fails "no $k"
	done
}

@test "csv: one figure a row, readable by Miller" {
	report -f csv > out.csv
	[ "$(head -n 1 out.csv)" = section,table,key,label,metric,value ]
	[ "$(mlr --icsv --onidx filter '$table == "by_category" && $key == "network" && $metric == "count"' then cut -f value out.csv)" = 6 ]
	[ "$(mlr --icsv --onidx filter '$table == "sla" && $key == "reply" && $metric == "on_time_rate"' then cut -f value out.csv)" = 54.5% ]
	cplreport --day 2026-11-21 -f csv --excel "$RFIX/cases.csv" 2>/dev/null > excel.csv || true
	head -c 3 excel.csv | od -An -tx1 | grep -q 'ef bb bf'
	grep -q $'\r$' excel.csv
}

@test "--lang picks the labels; the default comes from LC_ALL, LC_MESSAGES, LANG" {
	report --lang en | grep -q '^Daily complaint report$'
	report --lang zh | grep -q '^投诉日报$'
	LC_ALL= LANG=zh_CN.UTF-8 cplreport --day 2026-11-21 "$RFIX/cases.csv" 2>/dev/null | grep -q '^投诉日报$'
	LC_ALL=C.UTF-8 LANG=zh_CN.UTF-8 cplreport --day 2026-11-21 "$RFIX/cases.csv" 2>/dev/null | grep -q '^投诉日报$'
	LC_ALL=en_US.UTF-8 LANG=zh_CN.UTF-8 cplreport --day 2026-11-21 "$RFIX/cases.csv" 2>/dev/null | grep -q '^Daily complaint report$'
	LC_ALL= LANG= cplreport --day 2026-11-21 "$RFIX/cases.csv" 2>/dev/null | grep -q '^Daily complaint report$'
	run cplreport --lang fr "$RFIX/cases.csv"
	[ "$status" -eq 2 ]
}

@test "--labels replaces labels of the built-in table; a bad table is refused with its line" {
	printf 'code,zh,en\ntitle.day,日报,Daily\nsec.totals,合计,Sum\ncategory.network,网络,Net\n' > labels.csv
	report --lang zh --labels labels.csv > out.txt
	[ "$(head -n 1 out.txt)" = 日报 ]
	grep -q '^合计$' out.txt
	grep -q '^  网络  *6  37.5%$' out.txt
	grep -q '^  受理  *16$' out.txt
	printf 'code,zh,en\ntitle.day,a,b\ntitle.day,c,d\n' > dup.csv
	run cplreport --labels dup.csv "$RFIX/cases.csv"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "dup.csv:3: code 'title.day' appears twice"
	# refused before the input is read: nothing is said of its records
	printf 'case_id,created_at\nX1,昨天\n' > bad.csv
	run cplreport --labels dup.csv bad.csv
	[ "$status" -eq 2 ]
	[ "$output" = "cplreport: dup.csv:3: code 'title.day' appears twice" ] || fails "$output"
}

@test "sections whose columns are absent are left out, not faked" {
	printf 'case_id,created_at,category\nA,2026-11-21 09:00,network\nB,2026-11-21 10:00,billing\n' > few.csv
	cplreport --lang en few.csv > out.txt
	grep -q '^Categories$' out.txt
	! grep -Eq 'Deadlines|Batch|Repeat|Script quality|Urgent|Closed' out.txt
	cplreport -f json few.csv > r.json
	flat r.json
	is totals.received 2
	is totals.closed '(none)'
	is sla.reply.met '(none)'
	is by_category.network 1
	! grep -q '^phrase\.' flat.txt
}

@test "an empty input gives an empty report, not an error" {
	: > empty.csv
	run cplreport -f json empty.csv
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '"received": 0'
	printf 'case_id,created_at\n' > header.csv
	run cplreport --day 2026-11-21 header.csv
	[ "$status" -eq 0 ]
}

@test "--top cuts ranked tables and sums the rest in one row" {
	report --lang en --top 3 > out.txt
	sed -n '/^By subcategory$/,/^$/p' out.txt > sub
	[ "$(wc -l < sub)" = 7 ] # title, header, 3 rows, the rest, blank
	grep -q '^  8 more  *8  50.0%$' sub
	run cplreport --top 0 "$RFIX/cases.csv"
	[ "$status" -eq 2 ]
}

@test "the same input gives the same bytes, whatever the clock says" {
	local f
	for f in text md html json csv; do
		report -f "$f" > a.$f
	done
	sleep 1
	for f in text md html json csv; do
		report -f "$f" | cmp - a.$f
	done
	# the clock's own date and minute are nowhere (unless the input has them:
	# a bare HH:MM matched the input's 09:00 when the test ran at 09:00)
	local now
	now=$(date '+%Y-%m-%d %H:%M')
	grep -q "$now" "$RFIX/cases.csv" || ! grep -q "$now" a.text a.html a.json
	report --now '2026-11-22 07:00:00' --lang en | grep -q 'as of 2026-11-22 07:00:00'
}

@test "-o writes the report atomically; a failed run leaves the old file alone" {
	report -f html -o daily.html
	[ -s daily.html ]
	[ "$(ls -A | grep -c '^\.daily')" = 0 ]
	echo old > daily.html
	run cplreport --merge -f html -o daily.html "$RFIX/cases.csv"
	[ "$status" -eq 2 ]
	[ "$(cat daily.html)" = old ]
	[ "$(ls -A | grep -c '^\.daily')" = 0 ]
	run sh -c 'cplreport "$1" > /dev/full' sh "$RFIX/cases.csv"
	[ "$status" -eq 4 ]
}

@test "man page: renders without warnings and documents every flag of --help" {
	run man --warnings -l "$ROOT/man/cplreport.1"
	[ "$status" -eq 0 ]
	man --warnings -l "$ROOT/man/cplreport.1" 2>&1 >/dev/null | { ! grep .; }
	for flag in $(cplreport --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "Fl ${flag#-}\( \|$\)" "$ROOT/man/cplreport.1" || fails "the man page lacks $flag"
	done
}
