#!/usr/bin/env bats
# cplphrase in a pipe: the score columns added to every record, in order,
# replaced in place on a re-run; seed 004's calls.
load helper
bats_require_minimum_version 1.5.0

PH="$BATS_TEST_DIRNAME/fixtures/phrase"
GOOD='您好,我是客服代表1024,很高兴为您服务。我非常理解您的心情,给您带来不便非常抱歉。已为您提交退费申请,预计48小时内给您答复。这样处理您还满意吗?感谢您的来电,祝您生活愉快,再见!'

# as_csv ID FILE...: one CSV record per text file (line breaks kept in the field)
as_csv() {
	echo case_id,reply
	for f in "$@"; do printf '%s,"%s"\n' "$(basename "$f" .txt)" "$(cat "$f")"; done
}

@test "pipe mode adds phrase_score, phrase_errors, phrase_warnings, phrase_findings, phrase_missing" {
	printf 'case_id,reply,x\nA,"%s",1\nB,这不是我们的事!您搞错了。,2\n' "$GOOD" > in.csv
	cplphrase in.csv > out.csv
	[ "$(head -n 1 out.csv)" = "case_id,reply,x,phrase_score,phrase_errors,phrase_warnings,phrase_findings,phrase_missing,cpl_problems" ]
	[ "$(mlr --icsv --ocsv --headerless-csv-output cut -o -f case_id,phrase_score,phrase_errors,phrase_warnings,phrase_findings,phrase_missing out.csv)" = "$(printf 'A,100,0,0,,\nB,35,1,8,not_our_business;you_are_wrong,greeting;self_intro;empathy;apology;time_commitment;satisfaction;closing')" ]
}

@test "the score: 40 + 15 points for no forbidden and no substitution, the rest earned by elements" {
	printf 'case_id,reply\nfull,"%s"\n' "$GOOD" > in.csv
	printf 'no_check,"%s"\n' "${GOOD/这样处理您还满意吗?/}" >> in.csv
	printf 'one_forbidden,"%s"\n' "${GOOD/已为您提交/这不是我们的事,已为您提交}" >> in.csv
	printf 'two_forbidden,"%s"\n' "${GOOD/已为您提交/这不是我们的事,我不懂怎么处理,已为您提交}" >> in.csv
	printf 'nothing,好的\n' >> in.csv
	cplphrase in.csv > out.csv
	[ "$(col out.csv phrase_score | paste -sd' ')" = "100 96 80 60 60" ]
}

@test "every record comes out once, in order; an empty reply gets empty columns" {
	{ echo 'case_id,reply'; for i in $(seq 1 500); do echo "C$i,您好"; done; echo 'E,'; echo 'F,"  "'; } > in.csv
	cplphrase in.csv > out.csv
	[ "$(count_records out.csv)" = 502 ]
	[ "$(col out.csv case_id | head -n 3 | paste -sd' ')" = "C1 C2 C3" ]
	[ "$(mlr --icsv --onidx filter '$case_id=="E"' then cut -o -f phrase_score,phrase_missing out.csv)" = " " ]
	[ "$(mlr --icsv --onidx filter '$case_id=="F"' then cut -f phrase_score out.csv)" = "" ]
}

@test "running cplphrase on its own output replaces its columns in place" {
	printf 'case_id,reply\nA,这不是我们的事\n' > in.csv
	cplphrase in.csv > once.csv
	cplphrase once.csv > twice.csv
	cmp once.csv twice.csv
}

@test "Chinese headers: 回复内容 is the reply column" {
	printf '工单编号,回复内容\nA,这不是我们的事\n' > in.csv
	cplphrase in.csv > out.csv
	[ "$(col out.csv phrase_findings)" = not_our_business ]
}

@test "--column checks another column, by canonical name or header" {
	printf 'case_id,reply,备注\nA,您好,这不是我们的事\n' > in.csv
	cplphrase --column 备注 in.csv > out.csv
	[ "$(col out.csv phrase_findings)" = not_our_business ]
	run cplphrase --column 没有 in.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -qx "cplphrase: in.csv:1: --column: no '没有' column (header: case_id,reply,备注)"
}

@test "no reply column: the records pass through, and that is said; --lint has nothing to do: exit 2" {
	printf 'case_id,text\nA,x\n' > in.csv
	run --separate-stderr cplphrase in.csv
	[ "$status" -eq 0 ]
	[ "$output" = "case_id,text,cpl_problems
A,x," ] || fails "$output"
	[ "$stderr" = "cplphrase: in.csv:1: no 'reply' column (header: case_id,text): the records pass through without the phrase columns; name it with --map reply=HEADER" ] ||
		fails "$stderr"
	# a --map with a slip is said once, where the column is missed
	run --separate-stderr cplphrase --map rply=text in.csv
	[ "$stderr" = "cplphrase: in.csv:1: no 'reply' column (header: case_id,text): the records pass through without the phrase columns; --map names 'rply', not 'reply'" ] ||
		fails "$stderr"
	run --separate-stderr cplphrase --lint in.csv
	[ "$status" -eq 2 ]
	[ "$stderr" = "cplphrase: in.csv:1: no 'reply' column (header: case_id,text); name it with --map reply=HEADER" ] || fails "$stderr"
}

@test "seed 004: the badly handled call gets findings, the good call no error" {
	as_csv "$PH/seed004-bad-call.txt" "$PH/seed004-good-call.txt" > in.csv
	cplphrase in.csv > out.csv
	[ "$(mlr --icsv --onidx filter '$case_id=="seed004-bad-call"' then cut -f phrase_findings out.csv)" = "defensive_denial;push_back" ]
	[ "$(mlr --icsv --onidx filter '$case_id=="seed004-good-call"' then cut -o -f phrase_errors,phrase_findings out.csv)" = "0 " ]
	bad=$(mlr --icsv --onidx filter '$case_id=="seed004-bad-call"' then cut -f phrase_score out.csv)
	good=$(mlr --icsv --onidx filter '$case_id=="seed004-good-call"' then cut -f phrase_score out.csv)
	[ "$bad" -lt "$good" ]
}

@test "a record with a broken field is still written, its problem stated" {
	printf 'case_id,reply\nA,"这不是我们的事\n' > in.csv
	run cplphrase in.csv
	[ "$status" -eq 3 ]
	cplphrase in.csv 2>/dev/null > out.csv || true
	[ "$(count_records out.csv)" = 1 ]
}
