#!/usr/bin/env bats
# The record layer: every field comes back byte for byte, every record comes
# out once, and malformed input is stated, never dropped.
load helper
bats_require_minimum_version 1.5.0

@test "a round trip keeps commas, quotes, newlines and spaces byte for byte" {
	cplclassify "$FIX/edges.csv" > out.csv
	mlr --icsv --ojson cut -x -f cpl_problems "$FIX/edges.csv" > want.json
	mlr --icsv --ojson cut -f 工单编号,投诉内容,客户号码 out.csv > got.json
	diff want.json got.json
	grep -q '^E4,  前后空格  ,' out.csv
}

@test "minimal quoting: only fields that need quotes get them" {
	cplclassify "$FIX/edges.csv" > out.csv
	grep -q '^E1,"含逗号,的内容",' out.csv
	grep -q '^E2,"含""引号""的内容",' out.csv
	grep -q '^E5,,,other,' out.csv
}

@test "a UTF-8 BOM is stripped and CRLF input is read" {
	cplclassify "$FIX/bom-crlf.csv" > out.csv
	head -n 1 out.csv | grep -q '^工单编号,投诉内容,'
	! grep -q $'\xef\xbb\xbf' out.csv
	[ "$(count_records out.csv)" = 2 ]
	grep -q $'^"跨\r\n行"' out.csv || grep -q $'"跨\r' out.csv
}

@test "ragged rows and an unterminated quote: all records out, each problem with its line, exit 3" {
	run cplclassify "$FIX/ragged.csv"
	[ "$status" -eq 3 ]
	echo "$output" | grep -q 'ragged.csv:3: 2 fields, the header has 3'
	echo "$output" | grep -q 'ragged.csv:4: 5 fields, the header has 3'
	echo "$output" | grep -q 'ragged.csv:5: unterminated quoted field'
	cplclassify "$FIX/ragged.csv" > out.csv 2>/dev/null || true
	[ "$(count_records out.csv)" = 4 ]
	grep -q '^R3,long,"2,3,4",' out.csv
}

@test "a stray quote that takes the records after it into one field is said, with the lines it took" {
	# the quote after 客户 is stray: the reader takes S2's text on to the
	# quote that ends 热线 in S3's third field
	printf 'case_id,text,channel,reply\nS1,ok,热线,好\nS2,"客户"说"不满,热线,好\nS3,second,"热线",好\nS4,ok,热线,好\n' > stray.csv
	run cplclassify stray.csv
	[ "$status" -eq 3 ]
	echo "$output" | grep -q "^cplclassify: stray.csv:3: 3 fields, the header has 4: the missing fields are left empty (field 'text' runs over lines 3-4: if a quote in it is stray, the records on those lines were read into this one)$" ||
		fails "$output"
	# a short row on one line says nothing more
	cplclassify "$FIX/ragged.csv" 2>&1 >/dev/null | grep -q 'ragged.csv:3: 2 fields, the header has 3: the missing fields are left empty$'
	# closed in the column it opened in: the shape is right, the records inside are said
	printf 'case_id,text,channel,reply\nS1,ok,热线,好\nS2,"客户"说"不满,热线,好\nS3,second,热线,好\nS4,third,热线,好\nS5,"ok",热线,好\n' > same.csv
	for n in 1 2; do
		run env CPL_THREADS=$n cplclassify same.csv
		[ "$status" -eq 3 ]
		[ "$(echo "$output" | grep -c '^cplclassify: ')" = 1 ] || fails "$output"
		echo "$output" | grep -q "^cplclassify: same.csv:3: field 'text' holds 2 lines that read as whole records, from line 4 on: if a quote in it is stray, those records were read into this one$" ||
			fails "$output"
	done
	# a text of several lines with commas in it is not taken for records,
	# even with as many commas as a record has: its first field is not like a case id
	printf 'case_id,text,channel,reply\nT1,"用户反映:\n订单号123, 金额50, 日期11月1日, 状态未到账\n请尽快处理",热线,好\n' > lines.csv
	run cplclassify lines.csv
	[ "$status" -eq 0 ] || fails "$output"
	# the field named is the one with the stray quote, not another of several lines
	printf 'case_id,text,channel,reply\nS1,ok,热线,好\nS2,"a\nb\nc",x,"客户"说"不满\nS3,second,"热线",好\n' > which.csv
	run cplclassify which.csv
	echo "$output" | grep -q "^cplclassify: which.csv:3: 5 fields, the header has 4: the extra fields are kept in the last column 'reply' (field 'reply' runs over lines 5-6: " ||
		fails "$output"
	# a long header is named whole, in UTF-8
	local h=很长的列名很长的列名很长的列名很长的列名很长的列名
	printf 'case_id,%s,channel,reply\nS1,ok,热线,好\nS2,"客户"说"不满,热线,好\nS3,second,"热线",好\n' "$h" > long.csv
	run cplclassify --map "text=$h" long.csv
	echo "$output" | grep -q "(field '$h' runs over lines 3-4: " || fails "$output"
	echo "$output" | iconv -f UTF-8 -t UTF-8 > /dev/null
}

@test "problems are stated in the cpl_problems column too" {
	cplclassify "$FIX/ragged.csv" > out.csv 2>/dev/null || true
	[ "$(mlr --icsv --onidx filter '$case_id=="R2"' then cut -f cpl_problems out.csv)" = "cplclassify: 2 fields, the header has 3: the missing fields are left empty" ]
}

@test "running a command on its own output replaces its columns instead of adding them" {
	cplclassify "$FIX/edges.csv" > once.csv
	cplclassify once.csv > twice.csv
	cmp once.csv twice.csv
}

@test "a later command keeps an earlier command's problems and replaces only its own" {
	cplclassify "$FIX/ragged.csv" 2>/dev/null > a.csv || true
	cpldeadline --map created_at=extra a.csv 2>/dev/null > b.csv || true
	grep -q 'cplclassify: 2 fields' b.csv
}

@test "a 50 MB field passes through whole" {
	{ echo "case_id,text"; printf 'BIG,"'; head -c 52428800 /dev/zero | tr '\0' 'x'; printf '"\nNEXT,y\n'; } > big.csv
	cplclassify big.csv > out.csv
	[ "$(count_records out.csv)" = 2 ]
	[ "$(wc -c < out.csv)" -gt 52428800 ]
	tail -n 1 out.csv | grep -q '^NEXT,y,'
}

@test "a 1 MB record between small ones comes back whole from the two passes' temporary file" {
	{ echo "case_id,created_at,text"; echo "A,2026-11-01 09:00,a"
	  printf 'BIG,2026-11-01 09:01,'; head -c 1048576 /dev/zero | tr '\0' 'x'
	  printf '\nC,2026-11-01 09:02,"含逗号,的内容"\nD,2026-11-01 09:03,d\n'; } > big.csv
	cplclassify big.csv > out.csv
	[ "$(count_records out.csv)" = 4 ]
	mlr --icsv --ojson cut -o -f case_id,created_at,text big.csv > want.json
	mlr --icsv --ojson cut -o -f case_id,created_at,text out.csv > got.json
	diff want.json got.json
	grep -q '^C,2026-11-01 09:02,"含逗号,的内容",' out.csv
}

@test "an empty input gives an empty output and exit 0" {
	: > empty.csv
	run cplclassify empty.csv
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "a header-only input gives the header with the added columns" {
	echo "case_id,text" > h.csv
	run cplclassify h.csv
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == case_id,text,*,cpl_problems ]]
}

@test "several input files are read one after another" {
	cplclassify "$FIX/edges.csv" "$FIX/edges.csv" > out.csv
	[ "$(count_records out.csv)" = 10 ]
}

@test "input files with different columns are refused with a usage error" {
	run cplclassify "$FIX/edges.csv" "$FIX/ragged.csv"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q 'ragged.csv:1: the header differs'
}

@test "the header again inside a file (exports joined) is read as a header, in its order" {
	printf '工单编号,受理时间,投诉内容,客户级别\nD1,2026-11-03 08:00,信号差,普通\n' > a.csv
	printf '受理时间,工单编号,客户级别,投诉内容\n2026-11-03 09:00,D2,金卡,话费乱扣费\n' > b.csv
	cat a.csv b.csv a.csv > joined.csv
	for threads in 1 2; do
		run --separate-stderr env CPL_THREADS=$threads cplclassify joined.csv
		[ "$status" -eq 0 ] || fails "$stderr"
		[ "$stderr" = "cplclassify: joined.csv:3: the header again, its columns in another order (exports joined?): read as a header, and the records after it in its order
cplclassify: joined.csv:5: the header again (exports joined?): read as a header, not as a case" ] || fails "$stderr"
		echo "$output" | mlr --icsv --onidx --ofs , cut -o -f 工单编号,投诉内容,客户级别,category > got.csv
		printf 'D1,信号差,普通,network\nD2,话费乱扣费,金卡,billing\nD1,信号差,普通,network\n' | diff - got.csv
	done
	run --separate-stderr cpldeadline --now '2026-11-04 00:00' joined.csv
	[ "$(echo "$output" | mlr --icsv --onidx --ofs , cut -o -f 工单编号,受理时间)" = "D1,2026-11-03 08:00
D2,2026-11-03 09:00
D1,2026-11-03 08:00" ]
	run --separate-stderr cplreport --format json --day 2026-11-03 joined.csv
	echo "$output" | grep -A1 '"totals"' | grep -q '"received": 3' || fails "$output"
	# Excel's CSV UTF-8 starts with a byte order mark, which cat keeps mid-file
	{ printf '\xef\xbb\xbf'; cat a.csv; printf '\xef\xbb\xbf'; cat a.csv; } > bom.csv
	run --separate-stderr cplclassify bom.csv
	[ "$stderr" = "cplclassify: bom.csv:3: the header again (exports joined?): read as a header, not as a case" ] || fails "$stderr"
	[ "$(echo "$output" | wc -l)" = 3 ]
	# the same files given one by one: the second's columns put in the first's order, nothing to say
	run --separate-stderr cplclassify a.csv b.csv
	[ "$status" -eq 0 ] && [ -z "$stderr" ] || fails "$stderr"
	echo "$output" | mlr --icsv --onidx --ofs , cut -o -f 工单编号,投诉内容,客户级别,category > got.csv
	printf 'D1,信号差,普通,network\nD2,话费乱扣费,金卡,billing\n' | diff - got.csv
	# a record that only shares names with the header is a record
	printf 'a,b\nb,x\nb,a\n' > names.csv
	run --separate-stderr cplphrase --column a names.csv
	[ "$(echo "$output" | wc -l)" = 3 ] && [ -z "$stderr" ] || fails "$stderr"
}

@test "tab-separated input with -t and another output delimiter with -D" {
	printf 'case_id\ttext\nT1\ta,b\n' > t.tsv
	cplclassify -t -D ';' t.tsv > out.csv
	grep -q '^T1;a,b;other;' out.csv
	printf 'case_id\ttext\nT2\ta;b\n' > t2.tsv
	cplclassify -t -D ';' t2.tsv > out.csv
	grep -q '^T2;"a;b";other;' out.csv
}

@test "--no-header names the columns 1, 2, ... and keeps the first row" {
	printf 'N1,x\nN2,y\n' > n.csv
	cplclassify --no-header --map text=2 n.csv > out.csv
	head -n 1 out.csv | grep -q '^1,2,'
	[ "$(count_records out.csv)" = 2 ]
}

@test "--excel writes a BOM and CRLF" {
	cplclassify --excel "$FIX/edges.csv" > out.csv
	head -c 3 out.csv | od -An -tx1 | grep -q 'ef bb bf'
	head -n 1 out.csv | grep -q $'\r$'
}

@test "a command writing into a pipe makes it hold 1 MB (Linux), and the records arrive whole" {
	[ "$(uname -s)" = Linux ] || skip "F_SETPIPE_SZ is Linux's"
	[ "$(cat /proc/sys/fs/pipe-max-size)" -ge 1048576 ] || skip "pipes are limited below 1 MB here"
	# the reading end asks the pipe's size once the writer is done
	# (F_GETPIPE_SZ is 1032)
	size=$(cplclassify "$FIX/edges.csv" 2>/dev/null |
		python3 -c 'import sys, fcntl; d = sys.stdin.buffer.read(); print(fcntl.fcntl(0, 1032), len(d))')
	[ "${size% *}" -eq 1048576 ]
	[ "${size#* }" -eq "$(cplclassify "$FIX/edges.csv" 2>/dev/null | wc -c)" ]
}
