#!/usr/bin/env bats
# Input that arrives bit by bit (tail -f, a slow pipe, a terminal): the
# records read so far are written as soon as the input pauses, not when
# 256 KB of output have piled up or the input ends.
load helper

# paused WANT FIRST REST CMD...: CMD reads FIRST through a pipe that stays
# open; once CMD has written WANT lines, or 10 s (TICKS twentieths of a
# second) have gone by, the number
# of lines it has written goes to before.txt; then REST follows, the pipe
# is closed, and CMD's status goes to status.txt.  out.csv, err.txt: CMD's.
paused() {
	local want=$1 first=$2 rest=$3 i=0 ticks=${TICKS:-200}
	shift 3
	rm -f go in
	mkfifo in
	{ cat "$first"; while [ ! -e go ]; do sleep 0.05; done; cat "$rest"; } > in &
	local feeder=$!
	# out.csv exists before the loop reads it: the command's shell opens the
	# FIFO first and creates out.csv only then
	: > out.csv
	"$@" < in > out.csv 2> err.txt &
	local pid=$!
	while [ $i -lt "$ticks" ] && [ "$(wc -l < out.csv)" -lt "$want" ]; do
		sleep 0.05
		i=$((i + 1))
	done
	wc -l < out.csv > before.txt
	touch go
	wait $feeder
	local st=0
	wait $pid || st=$?
	echo $st > status.txt
}

# Three cases; the input pauses after the header and the first two.
cases() {
	printf 'case_id,created_at,channel,text,reply\n' > first.csv
	printf 'A1,2026-11-20 10:00:00,10086热线,营业厅乱收费,您好\n' >> first.csv
	printf 'A2,2026-11-20 11:00:00,10086热线,"信号差\n打不了电话",您好\n' >> first.csv
	printf 'A3,2026-11-20 12:00:00,10086热线,又扣费了,您好\n' > rest.csv
}

@test "cpldeadline, one thread and two: the records before a pause are written during it" {
	cases
	for n in 1 2; do
		paused 4 first.csv rest.csv env CPL_THREADS=$n cpldeadline --now '2026-11-22 09:00:00'
		# the header and two records, one of them on two lines
		[ "$(cat before.txt)" = 4 ] || fails "$n thread(s): $(cat before.txt) lines before the input went on"
		[ "$(cat status.txt)" = 0 ]
		[ "$(count_records out.csv)" = 3 ]
		cat first.csv rest.csv | CPL_THREADS=$n cpldeadline --now '2026-11-22 09:00:00' | cmp - out.csv
	done
}

@test "cplphrase and cplclassify (no created_at: one pass) write during a pause too" {
	cases
	paused 4 first.csv rest.csv cplphrase
	[ "$(cat before.txt)" = 4 ]
	cat first.csv rest.csv | cplphrase | cmp - out.csv
	mlr --csv cut -x -f created_at first.csv > first2.csv
	printf 'A3,10086热线,又扣费了,您好\n' > rest2.csv
	paused 4 first2.csv rest2.csv cplclassify
	[ "$(cat before.txt)" = 4 ]
	cat first2.csv rest2.csv | cplclassify | cmp - out.csv
}

@test "a pause inside a record: the records before it are written, that one when it is whole" {
	cases
	# the pause falls just after the line break inside the second record's text
	head -n 3 first.csv > part1.csv
	{ tail -n +4 first.csv; cat rest.csv; } > rest3.csv
	for n in 1 2; do
		paused 2 part1.csv rest3.csv env CPL_THREADS=$n cpldeadline --now '2026-11-22 09:00:00'
		[ "$(cat before.txt)" = 2 ]
		[ "$(count_records out.csv)" = 3 ]
	done
}

@test "cplclassify with created_at needs all the input first: nothing before the end, all after" {
	cases
	TICKS=20 paused 1 first.csv rest.csv cplclassify
	[ "$(cat before.txt)" = 0 ]
	[ "$(count_records out.csv)" = 3 ]
}
