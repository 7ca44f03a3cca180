#!/usr/bin/env bats
# cplphrase --lint and --text: one finding a line (or CSV, or JSON), columns
# in characters of the original text, exit 1 when an error was seen.
load helper

PH="$BATS_TEST_DIRNAME/fixtures/phrase"

@test "--lint: CASE_ID:COL: LEVEL RULE: message (suggestion), COL in characters of the original text" {
	printf 'case_id,reply\nA,您好！我是客服代表１０２４。這不是我們的事！\n' > in.csv
	run cplphrase --lint --disable required in.csv
	[ "$status" -eq 1 ]
	[ "$output" = 'A:15: error not_our_business: 禁言:推卸责任(这不是我们的事): "這不是我們的事" (我来帮您联系相关部门处理,并在24小时内给您回复)' ]
}

@test "--lint: a missing element is reported where its scope starts" {
	printf 'case_id,reply\nA,您好。已为您处理。请稍候。再见。\n' > in.csv
	cplphrase --lint in.csv > out.txt
	grep -q '^A:1: warning self_intro: missing in the first 3 sentences: ' out.txt
	grep -q '^A:1: warning empathy: missing: ' out.txt
	! grep -q closing out.txt
}

@test "--lint without a case_id column names the record by file and line" {
	printf 'reply\n您好\n这不是我们的事\n' > in.csv
	run cplphrase --lint --disable required in.csv
	[ "$output" = 'in.csv:3:1: error not_our_business: 禁言:推卸责任(这不是我们的事): "这不是我们的事" (我来帮您联系相关部门处理,并在24小时内给您回复)' ]
}

@test "--lint exits 0 when only warnings were seen, 1 when an error was" {
	printf 'case_id,reply\nA,您好\n' > warn.csv
	run cplphrase --lint warn.csv
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	printf 'case_id,reply\nA,我不知道\n' > err.csv
	run cplphrase --lint err.csv
	[ "$status" -eq 1 ]
}

@test "--format csv: one finding a row with id, line, col, level, rule, kind, message, text, suggestion" {
	printf 'case_id,reply\nA,"您好,您搞错了"\n' > in.csv
	cplphrase --lint --format csv --disable required in.csv > out.csv
	[ "$(head -n 1 out.csv)" = "id,line,col,level,rule,kind,message,text,suggestion" ]
	[ "$(sed -n 2p out.csv)" = "A,2,4,warning,you_are_wrong,substitution,指责客户(您搞错了),您搞错了,我觉得我们的沟通存在误解" ]
}

@test "--format json is one valid JSON array, text with quotes and newlines escaped" {
	printf 'case_id,reply\n"A""1","他说:""这不是我们的事""\n您搞错了"\n' > in.csv
	cplphrase --lint --format json in.csv > out.json || true
	python3 -m json.tool out.json > /dev/null
	[ "$(mlr --ijson --onidx filter '$rule=="not_our_business"' then cut -f id,col,level out.json)" = 'A"1 5 error' ]
	[ "$(mlr --ijson --onidx count out.json)" -ge 8 ]
	printf 'case_id,reply\nA,\n' > empty.csv
	cplphrase --lint --format json empty.csv > none.json
	python3 -m json.tool none.json > /dev/null
	[ "$(tr -d '\n' < none.json)" = "[]" ]
}

@test "--format is refused without --lint or --text, and an unknown format is refused" {
	printf 'case_id,reply\nA,x\n' > in.csv
	run cplphrase --format json in.csv
	[ "$status" -eq 2 ]
	run cplphrase --lint --format xml in.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "expected line, csv or json, got 'xml'"
	run cplphrase --lint --text in.csv
	[ "$status" -eq 2 ]
}

@test "--text lints plain files: FILE:LINE:COL, each file one document" {
	printf '您好,我是客服代表1024。\n这个不清楚,\n您搞错了。\n' > draft.txt
	run cplphrase --text --disable required,conditional draft.txt "$PH/seed004-bad-call.txt"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = 'draft.txt:2:1: error dont_know: 禁言:以“不知道”“不清楚”作答: "这个不清楚" (查找资料或请示上级后答复;暂时无法答复时说明何时答复)' ]
	[ "${lines[1]}" = 'draft.txt:3:1: warning you_are_wrong: 指责客户(您搞错了): "您搞错了" (我觉得我们的沟通存在误解)' ]
	echo "${lines[2]}" | grep -q "seed004-bad-call.txt:1:8: warning defensive_denial: "
	echo "${lines[3]}" | grep -q "seed004-bad-call.txt:2:4: warning push_back: "
}

@test "--text reads stdin when no file is named, with no CSV header needed" {
	run sh -c 'echo "这不是我们的事" | cplphrase --text --disable required'
	[ "$status" -eq 1 ]
	echo "$output" | grep -q '^<stdin>:1:1: error not_our_business'
	run sh -c 'printf "" | cplphrase --text'
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "--text: a good draft exits 0; seed 004's good call has no error" {
	run cplphrase --text "$PH/seed004-good-call.txt"
	[ "$status" -eq 0 ]
	! echo "$output" | grep -q ' error '
}

@test "--text: a missing file exits 4 naming it" {
	run cplphrase --text /nonexistent/draft.txt
	[ "$status" -eq 4 ]
	echo "$output" | grep -q "cplphrase: cannot open '/nonexistent/draft.txt'"
}

@test "--text: GB18030 drafts with --encoding; without it, the bad UTF-8 is said and exit 3" {
	printf '这不是我们的事\n' | iconv -f UTF-8 -t GB18030 > gb.txt
	run cplphrase --text --encoding gb18030 --disable required gb.txt
	[ "$status" -eq 1 ]
	echo "$output" | grep -q '^gb.txt:1:1: error not_our_business'
	run cplphrase --text gb.txt
	[ "$status" -eq 3 ]
	echo "$output" | grep -q "gb.txt: invalid UTF-8 at byte 0 (it looks like GB18030: try --encoding gb18030)"
}

@test "-o writes the findings to a file" {
	echo "我不知道" > d.txt
	run cplphrase --text -o found.txt d.txt
	[ "$status" -eq 1 ]
	grep -q 'dont_know' found.txt
	[ "$(ls -A | grep -c '^\.found')" = 0 ]
}
