#!/usr/bin/env bats
# cplphrase --letter: seed 001's apology letter (致歉信格式), six parts in order.
load helper

PH="$BATS_TEST_DIRNAME/fixtures/phrase"
PARTS="letter_salutation letter_apology letter_measures letter_compensation letter_objection letter_renewed_apology"

# without N: the complete letter without its Nth paragraph
without() { awk -v skip="$1" 'BEGIN { RS = ""; ORS = "\n\n" } NR != skip' "$PH/letter-complete.txt"; }

@test "a complete letter has all six parts in order: no finding, exit 0" {
	run cplphrase --text --letter "$PH/letter-complete.txt"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "a letter missing any one part: that part, and only that one, is reported missing" {
	n=0
	for part in $PARTS; do
		n=$((n + 1))
		without $n > letter.txt
		run cplphrase --text --letter letter.txt
		[ "$status" -eq 0 ] || fails "part $n: status $status"
		[ "${#lines[@]}" -eq 1 ] || fails "part $n: $output"
		echo "$output" | grep -q "^letter.txt:[0-9]*:[0-9]*: warning $part: missing: 第" || fails "part $n: $output"
	done
}

@test "a part in the wrong place is reported out of order" {
	awk 'BEGIN { RS = ""; ORS = "\n\n" } { p[NR] = $0 } END { t = p[3]; p[3] = p[4]; p[4] = t; for (i = 1; i <= NR; i++) print p[i] }' \
		"$PH/letter-complete.txt" > swapped.txt
	run cplphrase --text --letter swapped.txt
	[ "$output" = 'swapped.txt:6:18: warning letter_compensation: out of order: 第四段:对顾客的补偿: "补偿" (为表歉意,我们将为您……)' ]
}

@test "an empty letter misses all six parts; a reply-style letter is not checked for greetings" {
	echo "谢谢。" > short.txt
	run cplphrase --text --letter short.txt
	[ "$(echo "$output" | grep -c ': missing: ')" = 6 ]
	! echo "$output" | grep -q 'greeting\|closing\|empathy'
}

@test "--letter in a pipe: the letter parts missing are in phrase_missing, the score counts them" {
	{ echo case_id,reply; printf 'full,"%s"\n' "$(cat "$PH/letter-complete.txt")"; printf 'half,"%s"\n' "$(without 2 | awk 'BEGIN{RS="";ORS="\n\n"} NR!=4')"; } > in.csv
	cplphrase --letter in.csv > out.csv
	[ "$(mlr --icsv --onidx filter '$case_id=="full"' then cut -o -f phrase_score,phrase_missing out.csv)" = "100 " ]
	[ "$(mlr --icsv --onidx filter '$case_id=="half"' then cut -f phrase_missing out.csv)" = "letter_apology;letter_objection" ]
	[ "$(mlr --icsv --onidx filter '$case_id=="half"' then cut -f phrase_score out.csv)" = 85 ]
}

@test "a letter is still checked for forbidden phrases" {
	{ cat "$PH/letter-complete.txt"; echo "公司的规定就是这样,我们也没有办法。"; } > rude.txt
	run cplphrase --text --letter rude.txt
	[ "$status" -eq 1 ]
	echo "$output" | grep -q 'error company_rule'
}

@test "--letter-parts replaces the parts; a bad parts table is refused with its line" {
	printf 'id,pattern,message\nhello,您好,问候\nbye,再见,道别\n' > parts.csv
	printf '再见。您好。\n' > l.txt
	run cplphrase --text --letter --letter-parts parts.csv l.txt
	[ "$output" = 'l.txt:1:1: warning bye: out of order: 道别: "再见"' ]
	printf 'id,pattern,level\nhello,您好,error\n' > bad.csv
	run cplphrase --text --letter --letter-parts bad.csv l.txt
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "bad.csv:2: rule 'hello': a letter element is never error level"
	run cplphrase --letter-parts parts.csv l.txt
	[ "$status" -eq 2 ]
}
