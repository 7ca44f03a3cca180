#!/usr/bin/env bats
# The flags, messages and exit status every command shares.
load helper
bats_require_minimum_version 1.5.0

CMDS="cplclassify cpldeadline cplphrase cplreport"

@test "every command answers --help and --version with exit 0" {
	for c in $CMDS; do
		run $c --help
		[ "$status" -eq 0 ] || fails "$c --help: $status"
		echo "$output" | grep -q "^usage: $c" || fails "$c --help: no usage line"
		run $c --version
		[ "$status" -eq 0 ]
		echo "$output" | grep -q "^$c (cpl) "
	done
}

@test "an unknown flag exits 2 with a one-line hint" {
	for c in $CMDS; do
		run $c --no-such-flag
		[ "$status" -eq 2 ] || fails "$c: $status"
		echo "$output" | grep -q "^$c: unknown option '--no-such-flag'"
		echo "$output" | grep -q "Try '$c --help'"
	done
}

@test "a missing input file exits 4 naming it" {
	run cplclassify /nonexistent/x.csv
	[ "$status" -eq 4 ]
	echo "$output" | grep -q "cplclassify: cannot open '/nonexistent/x.csv'"
}

@test "-o writes the file atomically and leaves no temporary file" {
	cplclassify -o out.csv "$FIX/edges.csv"
	[ -s out.csv ]
	[ "$(ls -A | grep -c '^\.out\.csv\.')" = 0 ]
}

@test "-o keeps the old file when the command fails" {
	echo old > out.csv
	run cplclassify -o out.csv "$FIX/edges.csv" /nonexistent.csv
	[ "$status" -eq 4 ]
	[ "$(cat out.csv)" = old ]
	[ "$(ls -A | grep -c '^\.out\.csv\.')" = 0 ]
}

@test "a failed write exits 4 with a message" {
	run sh -c 'cplclassify "$1" > /dev/full' sh "$FIX/edges.csv"
	[ "$status" -eq 4 ]
	echo "$output" | grep -q 'write error'
}

@test "cmd | head ends quietly" {
	{ echo "case_id,text"; seq 1 200000 | sed 's/$/,x/'; } > many.csv
	run sh -c 'cplclassify many.csv | head -n 2; echo "rc=$?"'
	[[ "${lines[0]}" == case_id,text,category,*,cpl_problems ]]
	! echo "$output" | grep -q cplclassify:
}

@test "--map names a column the aliases do not know" {
	printf 'ID,Beschwerde,Eingang\n1,x,2026-11-20 10:00\n' > m.csv
	run cpldeadline --map 'case_id=ID,created_at=Eingang' m.csv
	[ "$status" -eq 0 ]
	run cpldeadline m.csv
	[ "$status" -eq 2 ]
	run cplclassify --map 'nonsense' m.csv
	[ "$status" -eq 2 ]
	echo "$output" | grep -q -- "--map: expected canonical=header"
}

@test "a --map name with a slip in it is said, not taken silently" {
	printf 'ID,Time,Inhalt,回复内容\nA1,2026-11-20 10:00,手机没有信号,您好\n' > m.csv
	# a column the command needs: its error names the --map that was meant
	run --separate-stderr cpldeadline --map 'case_id=ID,creatd_at=Time' m.csv
	[ "$status" -eq 2 ]
	[ "$stderr" = "cpldeadline: m.csv:1: no 'created_at' column (header: ID,Time,Inhalt,回复内容); --map names 'creatd_at', not 'created_at'" ] ||
		fails "$stderr"
	# a header name written where the canonical name goes
	run --separate-stderr cpldeadline --map '受理时间=Time' m.csv
	[ "$stderr" = "cpldeadline: m.csv:1: no 'created_at' column (header: ID,Time,Inhalt,回复内容); --map names '受理时间', not 'created_at'" ] ||
		fails "$stderr"
	# a column the command can do without: a warning, and the records go on
	printf 'ID,Time,Inhalt,Antwort\nA1,2026-11-20 10:00,手机没有信号,2026-11-20 10:30\n' > r.csv
	run --separate-stderr cpldeadline --now '2026-11-21 10:00' --map 'created_at=Time,frist_reply_at=Antwort' r.csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "cpldeadline: --map frist_reply_at: cpldeadline reads no column 'frist_reply_at': did you mean 'first_reply_at'?" ] ||
		fails "$stderr"
	[ "$(echo "$output" | mlr --icsv --onidx cut -f reply_status)" = at_risk ]
	run --separate-stderr cpldeadline --now '2026-11-21 10:00' --map 'created_at=Time,首次回复时间=Antwort' r.csv
	[ "$stderr" = "cpldeadline: --map 首次回复时间: that is a header of the column 'first_reply_at': write --map first_reply_at=HEADER" ] ||
		fails "$stderr"
	run --separate-stderr cpldeadline --now '2026-11-21 10:00' --map 'created_at=Time,first_reply_at=Antwort' r.csv
	[ -z "$stderr" ] || fails "$stderr"
	[ "$(echo "$output" | mlr --icsv --onidx cut -f reply_status)" = met ]
	# right names are quiet, those another command reads too: one --map for a whole pipeline
	run --separate-stderr cplclassify --map 'created_at=Time,text=Inhalt,first_reply_at=回复时间,closed_at=结案' m.csv
	[ -z "$stderr" ] || fails "$stderr"
	[ "$(echo "$output" | mlr --icsv --onidx cut -f category)" = network ]
	# a slip from a name found is another name (for cplreport --by regions, later in the pipeline)
	printf 'ID,Time,Inhalt,地市\nA1,2026-11-20 10:00,手机没有信号,南京\n' > k.csv
	run --separate-stderr cplclassify --map 'created_at=Time,text=Inhalt,regions=地市' k.csv
	[ "$status" -eq 0 ] && [ -z "$stderr" ] || fails "$stderr"
	# a name the command asks for by option: cplreport --by
	run --separate-stderr cplreport --map 'created_at=Time,biz=Inhalt' --by biz --format csv m.csv
	[ "$status" -eq 0 ] && [ -z "$stderr" ] || fails "$stderr"
	run --separate-stderr cplreport --by regoin m.csv
	[ "$status" -eq 2 ]
	echo "$stderr" | grep -q "no 'regoin' column (header: ID,Time,Inhalt,回复内容): did you mean 'region'?" || fails "$stderr"
}

@test "two headers that are both aliases of one column: the first is read, and that is said" {
	printf '工单编号,受理时间,投诉内容,问题描述\nX1,2026-11-20 10:00,,手机没有信号\n' > two.csv
	run --separate-stderr cplclassify two.csv
	[ "$status" -eq 0 ]
	[ "$stderr" = "cplclassify: two.csv:1: columns '投诉内容' and '问题描述' are both 'text': '投诉内容' is read; --map text='问题描述' reads the other" ] ||
		fails "$stderr"
	[ "$(echo "$output" | mlr --icsv --onidx cut -f category)" = other ]
	run --separate-stderr cplclassify --map text=问题描述 two.csv
	[ -z "$stderr" ]
	[ "$(echo "$output" | mlr --icsv --onidx cut -f category)" = network ]
	# two headers of one name: no --map tells them apart
	printf '工单编号,投诉内容,投诉内容\nX1,,信号差\n' > same.csv
	run --separate-stderr cplclassify same.csv
	[ "$stderr" = "cplclassify: same.csv:1: two columns are named '投诉内容' ('text'): the first is read" ] || fails "$stderr"
	# a header named as the column itself decides: nothing to say
	printf 'case_id,text,投诉内容\nX1,信号差,\n' > own.csv
	run --separate-stderr cplclassify own.csv
	[ -z "$stderr" ]
}

@test "a bad delimiter is a usage error" {
	run cplclassify -d ab "$FIX/edges.csv"
	[ "$status" -eq 2 ]
}

@test "an unknown time zone is a usage error" {
	run cplclassify --tz Mars/Olympus "$FIX/edges.csv"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "unknown time zone 'Mars/Olympus'"
}

@test "a message longer than 4 KB reaches stderr whole, on one line" {
	x=$(head -c 6000 /dev/zero | tr '\0' x)
	run cpldeadline --now "$x" /dev/null
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "cpldeadline: "*"$x"* ]]
}
