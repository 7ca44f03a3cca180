#!/usr/bin/env bats
# Hostile input through every command: whatever a file holds, no command
# crashes, hangs or drops a record.  For each input: the exit status is the
# documented one (0 clean, 3 some records had problems, 2 the input cannot
# be used at all), each problem is stated as FILE:LINE, and the records out
# are counted against the records in (cplreport: records read, and in the
# period plus skipped, from its JSON).  The big inputs are made once per file.
# HOSTILE_TABLE=FILE appends "input command status in out" lines to FILE.
load helper

H='工单编号,受理时间,受理渠道,客户号码,客户级别,地市,投诉内容,回复内容,首次回复时间,归档时间,工单状态'
R1='G1,2026-09-03 09:40:11,热线,13800000001,普通,南京,客户反映宽带无法上网,您好，已为您处理，给您带来不便非常抱歉,2026-09-03 10:00:00,2026-09-04 10:00:00,已归档'
R3='G3,2026-09-05 08:00:00,在线客服,13800000003,银卡,苏州,话费多扣了二十元要求退还,您好，已为您退费,2026-09-05 09:00:00,,处理中'
NOW=2026-11-22T07:00:00

# nbytes N CHAR: N copies of an ASCII character, no newline
nbytes() { head -c "$1" /dev/zero | tr '\0' "$2"; }

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	{ echo "$H"; echo "$R1"; printf 'G2,2026-09-04 11:00:00,热线,13800000002,普通,南京,宽带\0断网,您好,,,处理中\n'; echo "$R3"; } > nul.csv
	{ echo "$H"; echo "$R1"; printf 'G2,2026-09-04 11:00:00,热线,13800000002,普通,南京,宽带\xff\xfe断网,您好,,,处理中\n'; echo "$R3"; } > badutf8.csv
	{ echo "$H"; echo "$R1"; echo "$R3"; } | iconv -f UTF-8 -t GB18030 > gb18030.csv
	{ echo 'case_id,created_at,channel,customer_id,customer_level,region,text,reply,first_reply_at,closed_at,status'
	  echo "$R1"; echo "$R3"; } | iconv -f UTF-8 -t GB18030 > gb18030-body.csv
	{ printf '\xef\xbb\xbf'; { echo "$H"; echo "$R1"; echo "$R3"; } | sed 's/$/\r/'; } > bom-crlf.csv
	{ echo "$H"; echo "$R1"; echo "$R3"; printf 'G4,2026-09-06 08:00:00,热线,13800000004,普通,南京,"宽带断网\n还没修好,您好,,,处理中\n'; } > unterminated.csv
	{ echo "$H"; echo "$R1"; printf 'G2,2026-09-04 11:00:00,热线,13800000002,普通,南京,'; nbytes 10000000 a; printf ',您好,,,处理中'; } > longline.csv
	{ echo "$H"; echo "$R1"; printf 'G2,2026-09-04 11:00:00,热线,13800000002,普通,南京,"'
	  for i in 1 2 3 4 5; do nbytes 9999999 b; echo; done; printf '",您好,,,处理中\n'; echo "$R3"; } > bigfield.csv
	local extra
	extra=$(seq 1 19989 | sed 's/^/x/' | paste -sd, -)
	{ echo "$H,$extra"; echo "$R1,$extra"; echo "$R3,$extra"; } > wide.csv
	{ echo "$H,投诉内容,工单编号"; echo "$R1,第二份内容,G1b"; echo "$R3,另一份,G3b"; } > duplicate.csv
	: > empty.csv
	echo "$H" > header-only.csv
	{ echo "$H"; echo "$R1"; echo 'G2,2026-09-04 11:00:00,热线'; echo "$R3,extra1,extra2"; echo; echo "$R1"; } > ragged.csv
	{ echo "$H"; echo "${R1/2026-09-03 09:40:11/2026-02-30 25:61:00}"; echo "${R3/2026-09-05 08:00:00/9999-12-31 23:59:59}"
	  echo "${R1/2026-09-03 09:40:11/99999-01-01 00:00:00}"; echo "${R3/2026-09-05 08:00:00/2199-12-31 12:00:00}"; } > times.csv
	local a
	a=$(nbytes 30000 a)
	{ echo "$H"; echo "G1,2026-09-03 09:40:11,热线,13800000001,普通,南京,$a!,$a!,,,处理中"; echo "$R3"; } > catastrophic.csv
	printf 'id,category,subcategory,cause,weight,pattern\nevil,network,network.evil,service,1,(a+)+$\n' > evil-rules.csv
	printf 'id,kind,pattern,message\nevil,forbidden,(a+)+$,evil\n' > evil-phrases.csv
}

setup() {
	T="$BATS_TEST_TMPDIR"
	D="$BATS_FILE_TMPDIR"
	cd "$T" || return 1
}

# through INPUT N_IN STATUSES [LINE...]: run the four commands over $D/INPUT
# (STATUSES: four exit statuses, for cplclassify, cpldeadline, cplphrase and
# cplreport, "-" for 0 or 3 to be checked by the caller); every command with
# status 3 names INPUT:LINE for each LINE; records out must be N_IN (0 when
# the command refused the input with status 2).
through() {
	local input=$1 n=$2 statuses=($3) i=0 c st out
	shift 3
	for c in cplclassify "cpldeadline --now $NOW" cplphrase "cplreport --format json"; do
		$c $EXTRA "$D/$input" > out 2> err && st=0 || st=$?
		[ "$st" = "${statuses[$i]}" ] || fails "$input: $c: exit $st, expected ${statuses[$i]}: $(head -c 300 err)"
		if [ "$st" = 3 ]; then
			local line
			for line in "$@"; do
				grep -q "^${c%% *}: $D/$input:$line: " err || fails "$input: $c: no message naming $input:$line: $(head -c 300 err)"
			done
		fi
		if [ "$st" = 2 ]; then
			out=0
			[ ! -s out ] || fails "$input: $c: refused, yet wrote output"
			grep -q "^${c%% *}: $D/$input:[0-9]*: " err || fails "$input: $c: the refusal names no FILE:LINE: $(head -c 300 err)"
		elif [ "${c%% *}" = cplreport ]; then
			local read inp skip
			read=$(sed -n 's/^ *"read": \([0-9]*\).*/\1/p' out)
			inp=$(sed -n 's/^ *"in_period": \([0-9]*\).*/\1/p' out)
			skip=$(sed -n 's/^ *"skipped": \([0-9]*\).*/\1/p' out)
			[ "$((inp + skip))" = "$read" ] || fails "$input: cplreport: in period $inp + skipped $skip != read $read"
			out=$read
		else
			out=$(count_records out)
		fi
		[ "$out" = "$n" ] || [ "$st" = 2 ] || fails "$input: $c: $n records in, $out out"
		[ -z "$HOSTILE_TABLE" ] || echo "$input ${c%% *} $st $n $out" >> "$HOSTILE_TABLE"
		i=$((i + 1))
	done
}

@test "NUL bytes: the record is kept, with the problem stated at its line" {
	through nul.csv 3 "3 3 3 3" 3
}

@test "invalid UTF-8: the record is kept, with the problem stated at its line" {
	through badutf8.csv 3 "3 3 3 3" 3
}

@test "GB18030 without --encoding: a Chinese header cannot be read: refused with the hint at line 1" {
	through gb18030.csv 2 "2 2 2 3" 2 3
	cplclassify "$D/gb18030.csv" 2>&1 >/dev/null | grep -q "gb18030.csv:1: header: .*try --encoding gb18030"
}

@test "GB18030 without --encoding: with a canonical header every record is kept and stated" {
	through gb18030-body.csv 2 "3 3 3 3" 2 3
}

@test "GB18030 with --encoding gb18030: clean" {
	EXTRA="--encoding gb18030" through gb18030.csv 2 "0 0 0 0"
	EXTRA="--encoding gb18030" through gb18030-body.csv 2 "0 0 0 0"
}

@test "a UTF-8 BOM and CRLF line ends: clean, the header found" {
	through bom-crlf.csv 2 "0 0 0 0"
	cplclassify "$D/bom-crlf.csv" | head -n 1 | grep -q '^工单编号,'
}

@test "an unterminated quote at the end of the file: the record is kept and stated" {
	through unterminated.csv 3 "3 3 3 3" 4
	cplclassify "$D/unterminated.csv" 2>&1 >/dev/null | grep -q 'unterminated.csv:4: unterminated quoted field'
}

@test "a 10 MB line with no newline at the end: clean, the last record kept whole" {
	through longline.csv 2 "0 0 0 0"
	[ "$(cpldeadline --now $NOW "$D/longline.csv" | tail -n 1 | wc -c)" -gt 10000000 ]
}

@test "a 50 MB field: clean, every byte kept" {
	through bigfield.csv 3 "0 0 0 0"
	[ "$(cpldeadline --now $NOW "$D/bigfield.csv" | wc -c)" -gt 50000000 ]
}

@test "20,000 columns: clean, every column kept" {
	through wide.csv 2 "0 0 0 0"
	[ "$(cplphrase "$D/wide.csv" | head -n 1 | tr ',' '\n' | wc -l)" -ge 20000 ]
}

@test "duplicate header names: clean, the first of a name is used, both kept" {
	through duplicate.csv 2 "0 0 0 0"
	cplclassify "$D/duplicate.csv" | head -n 1 | grep -q '投诉内容,工单编号,'
}

@test "an empty file: no records, status 0" {
	through empty.csv 0 "0 0 0 0"
}

@test "a header and no records: no records, status 0" {
	through header-only.csv 0 "0 0 0 0"
}

@test "ragged rows: short ones padded, long ones kept in the last column, each stated" {
	through ragged.csv 4 "3 3 3 3" 3 4
}

@test "impossible and far-future timestamps: every record kept, each unreadable one stated" {
	# cplphrase reads no times
	through times.csv 4 "3 3 0 3" 2 4
	cpldeadline --now $NOW "$D/times.csv" 2>&1 >/dev/null | grep -q 'times.csv:3: reply due time: beyond the year 9999'
}

@test "a catastrophic user pattern hits the match limit, is reported, and does not hang" {
	local c st
	for c in "cplclassify --add-rules $D/evil-rules.csv" "cplclassify --rules $D/evil-rules.csv" \
		"cplphrase --add-rules $D/evil-phrases.csv"; do
		timeout 60 $c "$D/catastrophic.csv" > out 2> err && st=0 || st=$?
		[ "$st" = 3 ] || fails "$c: exit $st: $(head -c 300 err)"
		grep -q "catastrophic.csv:2: rule 'evil'.* match limit" err || fails "$c: $(head -c 300 err)"
		[ "$(count_records out)" = 2 ] || fails "$c: records lost"
		[ "$HOSTILE_TABLE" = "" ] || echo "catastrophic.csv ${c% *} $st 2 $(count_records out)" >> "$HOSTILE_TABLE"
	done
	# through cplphrase --text too
	printf '%s!\n' "$(nbytes 30000 a)" > draft.txt
	timeout 60 cplphrase --add-rules "$D/evil-phrases.csv" --text draft.txt > out 2> err && st=0 || st=$?
	[ "$st" = 3 ] || fails "--text: exit $st: $(cat err)"
	grep -q "draft.txt: rule 'evil': the pattern hit the match limit" err
}

@test "a reply of 64,000 forbidden phrases: every one found, in time linear in the reply (no hang)" {
	# each finding was checked against all the ones before it, and located
	# from the start of the reply: minutes for this, and a 7 MB reply never ended
	local st
	{ echo case_id,reply; printf 'A1,'; for i in $(seq 64000); do printf '这不是我们的事'; done; echo; } > many.csv
	timeout 60 cplphrase --lint many.csv > out 2> err && st=0 || st=$?
	[ "$st" = 1 ] || fails "exit $st: $(head -c 300 err)"
	[ "$(grep -c ' error not_our_business: ' out)" = 64000 ]
	# the last one: at character 7 * 63999 + 1 of the reply
	grep ' error ' out | tail -1 | grep -q '^A1:447994: error ' || fails "$(grep ' error ' out | tail -1 | head -c 200)"
	timeout 60 cplphrase many.csv > out 2> err && st=0 || st=$?
	[ "$st" = 0 ] || fails "exit $st: $(head -c 300 err)"
	[ "$(mlr --icsv --onidx cut -f phrase_findings out)" = "not_our_business" ] || fails "$(head -c 300 out)"
}
