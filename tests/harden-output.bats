#!/usr/bin/env bats
# Output safety in every command: a full disk (/dev/full) ends with status 4
# and a message; -o FILE never leaves a partial or temporary file, also when
# the run fails half-way; a closed pipe (| head) ends quietly; SIGINT and
# SIGTERM during -o FILE leave no temporary file behind.
load helper

H='工单编号,受理时间,受理渠道,客户号码,客户级别,地市,投诉内容,回复内容,首次回复时间,归档时间,工单状态'
NOW=2026-11-22T07:00:00
# every command, in the modes that write differently
CMDS=("cplclassify" "cpldeadline --now $NOW" "cplphrase" "cplphrase --lint" "cplreport"
	"cplreport --format html" "cplreport --format json" "cplreport --format md" "cplreport --by 地市 --format csv")

setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	# a clean log, big enough that no pipe or buffer holds all the output
	{ echo "$H"
	  seq 1 60000 | awk '{ printf "G%d,2026-09-%02d 09:40:11,热线,138%08d,普通,南京,客户反映宽带无法上网已经三天了,您好，已为您处理，给您带来不便非常抱歉,2026-09-%02d 10:00:00,,处理中\n", $1, $1 % 28 + 1, $1, $1 % 28 + 1 }'
	} > big.csv
	{ echo "$H"; sed -n 2,4p big.csv; } > small.csv
	echo 'other,columns' > other.csv
	echo 'x,y' >> other.csv
}

setup() {
	T="$BATS_TEST_TMPDIR"
	D="$BATS_FILE_TMPDIR"
	cd "$T" || return 1
}

@test "a full disk: every command exits 4 and says write error" {
	local c st
	for c in "${CMDS[@]}"; do
		$c "$D/small.csv" > /dev/full 2> err && st=0 || st=$?
		[ "$st" = 4 ] || fails "$c: exit $st"
		grep -q "^${c%% *}: write error: <stdout>: No space left on device$" err || fails "$c: $(cat err)"
	done
	echo '您搞错了' | cplphrase --text > /dev/full 2> err && st=0 || st=$?
	[ "$st" = 4 ] && grep -q 'No space left on device' err
}

@test "a full disk with a big input: exit 4, one message, nothing else on stderr" {
	local c st
	for c in cplclassify "cpldeadline --now $NOW" cplphrase; do
		$c "$D/big.csv" > /dev/full 2> err && st=0 || st=$?
		[ "$st" = 4 ] || fails "$c: exit $st"
		[ "$(wc -l < err)" = 1 ] || fails "$c: $(cat err)"
	done
}

@test "-o FILE: written whole, and no temporary file left beside it" {
	local c i=0
	for c in "${CMDS[@]}"; do
		$c -o "out$i" "$D/small.csv"
		[ -s "out$i" ] || fails "$c: no output"
		i=$((i + 1))
	done
	[ "$(ls -A | grep -c '^\.')" = 0 ] || fails "left: $(ls -A)"
}

@test "-o FILE: a run that fails half-way leaves neither FILE nor a temporary file, and an old FILE stands" {
	local c st
	for c in "${CMDS[@]}"; do
		rm -f out
		# the second input's header differs: refused after the first's records
		$c -o out "$D/big.csv" "$D/other.csv" 2> err && st=0 || st=$?
		[ "$st" = 2 ] || fails "$c: exit $st: $(cat err)"
		grep -q "other.csv:1: the header differs" err || fails "$c: $(cat err)"
		[ "$(ls -A)" = err ] || fails "$c: left: $(ls -A)"
		echo old > out
		$c -o out "$D/big.csv" "$D/other.csv" 2> err && st=0 || st=$?
		[ "$st" = 2 ] && [ "$(cat out)" = old ] || fails "$c: the old file was touched"
	done
}

@test "-o FILE in a directory that does not exist: exit 4 with a message, no output" {
	run cplclassify -o nodir/out "$D/small.csv"
	[ "$status" -eq 4 ]
	[[ "$output" == *"cannot create a temporary file beside 'nodir/out'"* ]]
	[ "$(ls -A)" = "" ]
}

@test "a closed pipe (| head): every command ends quietly, nothing on stderr" {
	local c
	for c in "${CMDS[@]}"; do
		bash -c "$c \"\$1\" 2> err | head -n 1 > /dev/null" _ "$D/big.csv"
		[ ! -s err ] || fails "$c: $(cat err)"
	done
}

# killed SIG CMD...: start CMD -o out on the big input, wait for its
# temporary file, send SIG, and check that nothing is left.
killed() {
	local sig=$1
	shift
	"$@" -o out "$D/big.csv" 2> err &
	local pid=$! n=0
	while [ -z "$(ls -A | grep '^\.out\.')" ] && [ $n -lt 200 ] && kill -0 $pid 2>/dev/null; do
		sleep 0.02
		n=$((n + 1))
	done
	[ -n "$(ls -A | grep '^\.out\.')" ] || skip "$* finished before its temporary file was seen"
	if ! kill -s "$sig" $pid 2>/dev/null; then
		# it finished between the look and the signal (cplreport writes its
		# temporary file only at the end): then it must have renamed it
		wait $pid || true
		[ -z "$(ls -A | grep '^\.out\.')" ] || fails "$*: finished and left $(ls -A)"
		skip "$* finished before the signal reached it"
	fi
	wait $pid && st=0 || st=$?
	if [ "$st" = 0 ]; then
		# the signal reached it after it had renamed its output into place
		# and was on its way out: a finished run, as above
		[ -z "$(ls -A | grep '^\.out\.')" ] || fails "$*: finished and left $(ls -A)"
		skip "$* finished before the signal reached it"
	fi
	[ "$st" -gt 128 ] || fails "$*: exit $st: it was not killed"
	# the signal can also land after the whole output was renamed into
	# place, while the process is still exiting (LeakSanitizer's look at
	# exit makes that window wide): then out must be the whole output, a
	# whole report (which says when it was made) or what a run gives
	if [ -e out ]; then
		if [ "$(tail -c 8 out)" = "</html>" ]; then
			rm out
		elif "$@" -o whole "$D/big.csv" 2>/dev/null && cmp -s whole out; then
			rm out whole
		fi
	fi
	[ "$(ls -A)" = err ] || fails "$* after SIG$sig: left $(ls -A)"
	[ ! -s err ] || fails "$*: $(cat err)"
}

@test "SIGTERM during -o FILE: no temporary file left (cplclassify)" { killed TERM cplclassify; }
@test "SIGTERM during -o FILE: no temporary file left (cpldeadline)" { killed TERM cpldeadline --now $NOW; }
@test "SIGTERM during -o FILE: no temporary file left (cplphrase)" { killed TERM cplphrase; }
@test "SIGTERM during -o FILE: no temporary file left (cplreport)" { killed TERM cplreport --format html; }
@test "SIGINT during -o FILE: no temporary file left (cplclassify)" { killed INT cplclassify; }
@test "SIGINT during -o FILE: no temporary file left (cpldeadline)" { killed INT cpldeadline --now $NOW; }
@test "SIGINT during -o FILE: no temporary file left (cplphrase)" { killed INT cplphrase; }
@test "SIGINT during -o FILE: no temporary file left (cplreport)" { killed INT cplreport --format html; }
@test "SIGHUP during -o FILE: no temporary file left (cpldeadline)" { killed HUP cpldeadline --now $NOW; }
