#!/usr/bin/env bats
# cplclassify in a pipeline: its columns, every record out once in input
# order, the same answer from a pipe as from a file (it reads twice), a
# re-run on its own output changes nothing.
load helper
bats_require_minimum_version 1.5.0

R="$FIX/classify/rules.csv"
C="$FIX/classify/cases.csv"

@test "adds its thirteen columns after the input's" {
	run -3 cplclassify --rules "$R" "$C"
	echo "$output" | grep -v '^cplclassify: ' > out.csv
	[ "$(head -1 out.csv | cut -d, -f12-)" = "category,subcategory,cause,urgency,urgent_types,priority,complainant_type,emotion,harassment,issue_key,batch_id,repeat_of,class_rules,cpl_problems" ]
	[ "$(count_records out.csv)" -eq "$(count_records "$C")" ]
	[ "$(col out.csv 工单编号)" = "$(col "$C" 工单编号)" ]
}

@test "a re-run on its own output replaces its columns and changes nothing" {
	cplclassify --rules "$R" "$C" > once.csv || [ $? -eq 3 ]
	cplclassify --rules "$R" once.csv > twice.csv || [ $? -eq 3 ]
	cmp once.csv twice.csv
}

@test "a pipe on stdin gives what the file gives" {
	cplclassify --rules "$R" "$C" > file.csv 2>/dev/null || true
	cat "$C" | cplclassify --rules "$R" > pipe.csv 2>/dev/null || true
	cplclassify --rules "$R" < "$C" > redirect.csv 2>/dev/null || true
	cmp file.csv pipe.csv
	cmp file.csv redirect.csv
	grep -q B2026 file.csv
}

@test "messages about stdin name <stdin>, once" {
	run --separate-stderr sh -c 'cat "$1" | cplclassify --rules "$2"' sh "$C" "$R"
	[ "$status" -eq 3 ]
	[ "$(echo "$stderr" | grep -c "^cplclassify: <stdin>:")" -eq "$(echo "$stderr" | grep -c .)" ]
	[ "$(echo "$stderr" | grep -c "created_at 'not a date'")" -eq 1 ]
}

@test "several input files are one log: a batch may span them" {
	{ head -1 "$C"; sed -n 2,4p "$C"; } > a.csv
	{ head -1 "$C"; sed -n '5,$p' "$C"; } > b.csv
	cplclassify --rules "$R" "$C" > one.csv 2>/dev/null || true
	cplclassify --rules "$R" a.csv b.csv > two.csv 2>/dev/null || true
	[ "$(col one.csv batch_id)" = "$(col two.csv batch_id)" ]
	[ "$(col one.csv repeat_of)" = "$(col two.csv repeat_of)" ]
}

@test "GB18030 input with --encoding takes both passes" {
	iconv -f UTF-8 -t GB18030 "$C" > gb.csv
	cplclassify --rules "$R" "$C" > utf.csv 2>/dev/null || true
	cplclassify --rules "$R" --encoding gb18030 gb.csv > out.csv 2>/dev/null || true
	cmp utf.csv out.csv
	cat gb.csv | cplclassify --rules "$R" --encoding gb18030 > pipe.csv 2>/dev/null || true
	cmp utf.csv pipe.csv
}

@test "malformed rows still come out, once each, in order" {
	{ cat "$C"; printf 'BAD1,2026-11-22 10:00\nBAD2,"unterminated\n'; } > m.csv
	run --separate-stderr cplclassify --rules "$R" m.csv
	[ "$status" -eq 3 ]
	echo "$output" > out.csv
	[ "$(count_records out.csv)" -eq "$(( $(count_records "$C") + 2 ))" ]
	[ "$(col out.csv 工单编号 | tail -2 | head -1)" = "BAD1" ]
}

@test "without created_at there are no batches or repeats, and no second pass" {
	mlr --icsv --ocsv cut -x -f 受理时间 "$C" > n.csv
	run --separate-stderr cplclassify --rules "$R" n.csv
	[ "$status" -eq 0 ]
	echo "$output" > out.csv
	[ -z "$(col out.csv batch_id | sort -u)" ]
	[ -z "$(col out.csv repeat_of | sort -u)" ]
	run --separate-stderr cplclassify --rules "$R" --history "$C" n.csv
	echo "$stderr" | grep -q "no created_at column: --history is not used"
}

@test "--no-header with --map works in both passes" {
	tail -n +2 "$C" > nh.csv
	cplclassify --rules "$R" "$C" > with.csv 2>/dev/null || true
	cplclassify --rules "$R" --no-header --map case_id=1,created_at=2,channel=3,customer_id=4,customer_level=5,region=6,issue_region=7,text=8,closed_at=9,status=10,escalated=11 nh.csv > without.csv 2>/dev/null || true
	[ "$(col with.csv batch_id)" = "$(col without.csv batch_id)" ]
	[ "$(col with.csv urgent_types)" = "$(col without.csv urgent_types)" ]
}

@test "no text column is a usage error naming the header seen" {
	printf 'case_id,created_at\n1,2026-11-22\n' > x.csv
	run cplclassify x.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "no 'text' column (header: case_id,created_at)"
}

@test "an empty input and a header alone give a header alone" {
	: > empty.csv
	run cplclassify --rules "$R" empty.csv
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	head -1 "$C" > h.csv
	run cplclassify --rules "$R" h.csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
}

@test "one thread, two, three and four give the same records, problems and messages, over many blocks" {
	# 24 copies of the example log (2.6 MB: ten of the 256 KB blocks the
	# reading thread hands over, more than the eight slots three classifying
	# threads have, so slots are used again), case ids made unique per copy
	head -1 "$ROOT/examples/cases.csv" > big.csv
	for i in $(seq 1 24); do
		tail -n +2 "$ROOT/examples/cases.csv" | sed "s/^GD2026/GX${i}X2026/" >> big.csv
	done
	[ "$(wc -c < big.csv)" -gt 2600000 ]
	CPL_THREADS=1 cplclassify big.csv > one.csv 2> one.err || [ $? -eq 3 ]
	CPL_THREADS=2 cplclassify big.csv > two.csv 2> two.err || [ $? -eq 3 ]
	CPL_THREADS=3 cplclassify big.csv > three.csv 2> three.err || [ $? -eq 3 ]
	CPL_THREADS=4 cplclassify big.csv > four.csv 2> four.err || [ $? -eq 3 ]
	cat big.csv | CPL_THREADS=2 cplclassify > pipe.csv 2> pipe.err || [ $? -eq 3 ]
	[ "$(count_records one.csv)" -eq "$(count_records big.csv)" ]
	cmp one.csv two.csv
	cmp one.csv three.csv
	cmp one.csv four.csv
	cmp one.csv pipe.csv
	cmp one.err two.err
	cmp one.err three.err
	cmp one.err four.err
	col one.csv urgent_types | grep -q batch
	col one.csv repeat_of | grep -q .
}

@test "the second pass on every processor writes what one thread writes: -D, --excel, -o, two inputs, --explain" {
	# the second pass is shared out by blocks too: each worker writes its
	# block's rows and warnings, and they go out in input order
	head -1 "$ROOT/examples/cases.csv" > big.csv
	for i in $(seq 1 24); do
		tail -n +2 "$ROOT/examples/cases.csv" | sed "s/^GD2026/GX${i}X2026/" >> big.csv
	done
	printf 'GZ1,2026-13-40 08:00,热线,13800000000,普通,苏州,苏州,"网速慢;""很慢""\n第二行",1,,,,否\n' >> big.csv
	head -3000 big.csv > tail.csv
	for opts in "" "-D ;" "--excel"; do
		CPL_THREADS=1 cplclassify $opts big.csv > one.csv 2> one.err || [ $? -eq 3 ]
		CPL_THREADS=2 cplclassify $opts big.csv > two.csv 2> two.err || [ $? -eq 3 ]
		[ -s one.err ] # warnings to keep in order
		cmp one.csv two.csv
		cmp one.err two.err
	done
	grep -q "created_at .2026-13-40 08:00. is not a time" one.err
	CPL_THREADS=1 cplclassify big.csv tail.csv > one.csv 2> one.err || [ $? -eq 3 ]
	CPL_THREADS=3 cplclassify -o three.csv big.csv tail.csv 2> three.err || [ $? -eq 3 ]
	cmp one.csv three.csv
	cmp one.err three.err
	CPL_THREADS=1 cplclassify --explain=why1.txt big.csv > one.csv 2>/dev/null || [ $? -eq 3 ]
	CPL_THREADS=2 cplclassify --explain=why2.txt big.csv > two.csv 2>/dev/null || [ $? -eq 3 ]
	cmp one.csv two.csv
	cmp why1.txt why2.txt
	[ -s why1.txt ]
}
