#!/usr/bin/env bats
# Encodings: GB18030 and GBK exports converted with --encoding; invalid UTF-8
# without the flag kept, stated, with a hint.
load helper

@test "the same export in UTF-8 and in GB18030 gives identical output" {
	iconv -f UTF-8 -t GB18030 "$FIX/edges.csv" > gb.csv
	cplclassify "$FIX/edges.csv" > utf8.out
	cplclassify --encoding gb18030 gb.csv > gb.out
	cmp utf8.out gb.out
}

@test "gbk is accepted as a name for the same conversion" {
	iconv -f UTF-8 -t GBK "$FIX/edges.csv" > gbk.csv
	cplclassify --encoding gbk gbk.csv > gbk.out
	cplclassify "$FIX/edges.csv" > utf8.out
	cmp utf8.out gbk.out
}

@test "GB18030 without the flag: the record is kept, the line named, the flag suggested, exit 3" {
	printf 'case_id,text\nG1,ok\n' > mixed.csv
	printf 'G2,手机没有信号\n' | iconv -f UTF-8 -t GB18030 >> mixed.csv
	run cplclassify mixed.csv
	[ "$status" -eq 3 ]
	echo "$output" | grep -q 'mixed.csv:3: invalid UTF-8 in field 2 .*try --encoding gb18030'
	cplclassify mixed.csv > out.csv 2>/dev/null || true
	[ "$(grep -c '^G' out.csv)" = 2 ]
}

@test "a Chinese header in GB18030 without the flag: the missing column's error shows the header readable" {
	printf '工单编号,受理时间,投诉内容\nG1,2026-11-20 10:00,手机没有信号\n' | iconv -f UTF-8 -t GB18030 > gbh.csv
	run cplclassify gbh.csv
	[ "$status" -eq 2 ]
	[ "$output" = "cplclassify: gbh.csv:1: header: invalid UTF-8 in field 1 at byte 1 (it reads as GB18030: try --encoding gb18030)
cplclassify: gbh.csv:1: no 'text' column (the header read as GB18030: 工单编号,受理时间,投诉内容)" ] || fails "$output"
}

@test "UTF-16 without the flag: the header's problem says to try it" {
	printf 'case_id,text\nU1,手机没有信号\n' | iconv -f UTF-8 -t UTF-16 > u16.csv
	run cplclassify u16.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -aq '^cplclassify: u16.csv:1: header: .*(it reads as UTF-16: try --encoding utf-16)' || fails "$output"
	# with the flag it reads
	cplclassify --encoding utf-16 u16.csv | grep -q '^U1,手机没有信号,network,'
	# UTF-16 without a byte order mark, the tab-separated kind
	printf 'case_id\ttext\nU1\tok\n' | iconv -f UTF-8 -t UTF-16LE > u16le.tsv
	run cplclassify -t u16le.tsv
	echo "$output" | grep -aq 'NUL byte in field 1 (it reads as UTF-16: try --encoding utf-16)' || fails "$output"
}

@test "a GB18030 character cut across the read buffer is decoded whole" {
	{ echo "case_id,text"; for i in $(seq 1 30000); do echo "C$i,中文内容测试"; done; } > big.csv
	iconv -f UTF-8 -t GB18030 big.csv > big-gb.csv
	cplclassify --encoding gb18030 big-gb.csv > a.out
	cplclassify big.csv > b.out
	cmp a.out b.out
}

@test "an unknown encoding is a usage error" {
	run cplclassify --encoding klingon "$FIX/edges.csv"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "unknown encoding 'klingon'"
}

@test "NUL bytes are kept and stated" {
	printf 'case_id,text\nN1,a\0b\nN2,ok\n' > nul.csv
	run cplclassify nul.csv
	[ "$status" -eq 3 ]
	echo "$output" | grep -q 'nul.csv:2: NUL byte in field 2'
}
