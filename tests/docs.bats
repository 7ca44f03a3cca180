#!/usr/bin/env bats
# The documentation agrees with the programs: every flag the option parser
# accepts is in --help and in the man pages, the pages render cleanly, --help
# fits a terminal, make install/uninstall work with DESTDIR, and progress
# shows on a terminal only.
load helper

CMDS="cplclassify cpldeadline cplphrase cplreport"
MANDIR="$ROOT/man"

# table_flags CMD: the long names of the cpl_option options[] table in cmd/CMD.c
table_flags() {
	sed -n '/cpl_option options\[\] = {/,/^};/p' "$ROOT/cmd/$1.c" |
		grep -o '{"[a-z][a-z0-9-]*"' | tr -d '{"' | sort -u
}

# help_flags CMD SECTION: the long names --help lists under "SECTION:"
help_flags() {
	$1 --help | sed -n "/^$2:/,/^\$/p" | grep -o -- '^ *\(-[a-zA-Z], \)\?--[a-z][a-z0-9-]*' |
		sed 's/.*--//' | sort -u
}

# documented PAGE FLAG: the page has an item for --FLAG
documented() {
	grep -qE "^\.It (.* )?Fl -$2([^a-z0-9-]|\$)" "$1"
}

@test "--help lists every flag of the command's option table, and no other" {
	for c in $CMDS; do
		t=$(table_flags $c)
		[ "$(echo "$t" | wc -l)" -ge 5 ] || fails "$c: could not read the option table"
		h=$(help_flags $c Options)
		[ "$t" = "$h" ] || fails "$c: option table and --help differ: $(diff <(echo "$t") <(echo "$h") | grep '^[<>]')"
	done
}

@test "every command flag is an item of the command's man page" {
	for c in $CMDS; do
		for f in $(help_flags $c Options); do
			documented "$MANDIR/$c.1" "$f" || fails "$c: --$f is not in man/$c.1"
		done
	done
}

@test "every shared flag is an item of cpl(7) and the command pages point there" {
	flags=$(help_flags cplclassify 'Shared options')
	[ "$(echo "$flags" | wc -l)" -ge 10 ]
	for f in $flags; do
		documented "$MANDIR/cpl.7" "$f" || fails "--$f is not in man/cpl.7"
	done
	for c in $CMDS; do
		[ "$(help_flags $c 'Shared options')" = "$flags" ] || fails "$c: other shared flags"
		grep -q '^\.Xr cpl 7' "$MANDIR/$c.1" || fails "man/$c.1 does not refer to cpl(7)"
	done
}

@test "every short flag in --help is in the man pages with its long name" {
	for c in $CMDS; do
		$c --help | grep -o -- '^ *-[a-zA-Z], --[a-z-]*' | while read -r s l; do
			s=${s%,}
			grep -qE "^\.It Fl ${s#-} , Fl -${l#--}([^a-z-]|\$)" "$MANDIR/$c.1" "$MANDIR/cpl.7" ||
				fails "$c: $s, $l is not documented"
		done
	done
}

@test "no man page names a flag that no command accepts" {
	all=$(for c in $CMDS; do $c --help | grep -o -- '--[a-z][a-z0-9-]*'; done | sort -u)
	[ "$(echo "$all" | wc -l)" -ge 40 ]
	for p in "$MANDIR"/*.[157]; do
		for f in $(grep -o 'Fl -[a-z][a-z0-9-]*' "$p" | sed 's/^Fl /-/' | sort -u); do
			echo "$all" | grep -qx -- "$f" || fails "${p##*/} names $f, which no command accepts"
		done
	done
}

# man_tables PAGE HEADER-PREFIX: the example tables in PAGE's literal blocks
# whose header starts with HEADER-PREFIX, each into table-N.csv; prints N
man_tables() {
	awk -v pre="$2" '
		/^\.Bd -literal/ { lit = 1; next }
		/^\.Ed/ { lit = 0; in_t = 0; next }
		lit && index($0, pre) == 1 { n++; in_t = 1 }
		lit && in_t && (/^$/ || !/,/) { in_t = 0 }
		lit && in_t { gsub(/\\e/, "\\"); print > ("table-" n ".csv") }
		END { print n + 0 }' "$1"
}

@test "the example tables in the man pages load" {
	printf '工单编号,受理时间,客户级别,投诉内容\nA1,2026-11-20 10:00:00,金卡,5G网速很慢\n' > one.csv
	n=$(man_tables "$MANDIR/cplclassify.1" id,category)
	[ "$n" -ge 1 ]
	for i in $(seq "$n"); do cplclassify --add-rules table-$i.csv one.csv > /dev/null; done
	rm -f table-*.csv
	n=$(man_tables "$MANDIR/cpl-rules.5" id,category)
	[ "$n" -ge 1 ]
	for i in $(seq "$n"); do cplclassify --add-rules table-$i.csv one.csv > /dev/null; done
	rm -f table-*.csv
	n=$(man_tables "$MANDIR/cplphrase.1" id,kind)
	[ "$n" -ge 1 ]
	for i in $(seq "$n"); do cplphrase --add-rules table-$i.csv --list-rules > /dev/null; done
	rm -f table-*.csv
	n=$(man_tables "$MANDIR/cpldeadline.1" policy,)
	[ "$n" -ge 1 ]
	for i in $(seq "$n"); do cpldeadline --policy table-$i.csv --now '2026-11-20 11:00:00' one.csv > /dev/null; done
}

@test "every man page renders without warnings" {
	n=0
	for p in "$MANDIR"/*.[157]; do
		out=$(man --warnings -l "$p" 2>&1 >/dev/null)
		[ -z "$out" ] || fails "$p: $out"
		n=$((n + 1))
	done
	[ "$n" -eq 6 ]
}

@test "every command page has the sections people look for" {
	for c in $CMDS; do
		for s in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
			grep -q "^\.Sh $s\$" "$MANDIR/$c.1" || fails "man/$c.1: no $s section"
		done
	done
	for s in NAME DESCRIPTION FILES EXAMPLES 'SEE ALSO'; do
		grep -q "^\.Sh $s\$" "$MANDIR/cpl-rules.5" || fails "man/cpl-rules.5: no $s"
	done
}

@test "cpl-rules(5) describes every built-in table and every column it has" {
	for f in columns categories cues customer-levels calendar policy phrases phrase-score letter \
		templates report-labels report-status; do
		grep -q "^\.Ss $f\.csv" "$MANDIR/cpl-rules.5" || fails "$f.csv has no section"
		header=$(grep -v '^#' "$ROOT/data/$f.csv" | head -1 | tr -d '\r' | tr ',' '\n')
		sect=$(sed -n "/^\.Ss $f\.csv/,/^\.S[sh] /p" "$MANDIR/cpl-rules.5")
		for col in $header; do
			echo "$sect" | grep -qE "^\.It (Ql|Cm) (.* )?$col( ,|\$)" ||
				fails "$f.csv: column $col is not described"
		done
	done
}

@test "--help fits an 80-column terminal and points to the man page" {
	for c in $CMDS; do
		w=$($c --help | wc -L)
		[ "$w" -le 79 ] || fails "$c --help is $w columns wide"
		$c --help | tail -1 | grep -q "^See $c(1) and cpl(7)\.$" || fails "$c: no pointer to the man page"
	done
}

@test "an unknown flag or a missing argument exits 2 with a hint and no usage dump" {
	for c in $CMDS; do
		run $c --no-such-flag
		[ "$status" -eq 2 ]
		[ "${#lines[@]}" -eq 2 ] || fails "$c: ${#lines[@]} lines"
		[ "${lines[1]}" = "Try '$c --help' for more information." ]
		run $c -o
		[ "$status" -eq 2 ]
		echo "${lines[0]}" | grep -q "^$c: option '-o' needs an argument"
	done
}

# make_vars: build variables naming the private build of this test run,
# relative to the tree as the Makefile wants them.
make_vars() {
	local b=${CPL_BUILD#"$ROOT"/} bin
	bin=$(dirname "$(command -v cplclassify)")
	bin=${bin#"$ROOT"/}
	echo "BUILD=$b BIN=$bin"
}

@test "make install DESTDIR stages programs, pages, tables and completion that work from /" {
	make -s -C "$ROOT" $(make_vars) install DESTDIR="$T/stage" >/dev/null
	s=$T/stage/usr/local
	for c in $CMDS; do
		[ -x "$s/bin/$c" ] || fails "no $c"
		[ -f "$s/share/man/man1/$c.1" ] || fails "no $c.1"
		[ -f "$s/share/bash-completion/completions/$c" ] || fails "no completion for $c"
	done
	[ -f "$s/share/man/man7/cpl.7" ]
	[ -f "$s/share/man/man5/cpl-rules.5" ]
	for f in "$ROOT"/data/*.csv; do
		cmp -s "$f" "$s/share/cpl/${f##*/}" || fails "share/cpl/${f##*/} missing or different"
	done
	[ -f "$s/share/cpl/examples/cases.csv" ]
	# run from the root directory, on the staged example, with nothing on PATH
	run sh -c "cd / && env PATH=/usr/bin:/bin '$s/bin/cplclassify' '$s/share/cpl/examples/cases.csv' 2>/dev/null |
		'$s/bin/cpldeadline' --now '2026-11-22 07:00:00' 2>/dev/null | '$s/bin/cplreport' --now '2026-11-22 07:00:00' --lang en 2>/dev/null"
	[ "$status" -eq 0 ] || [ "$status" -eq 3 ]
	echo "$output" | grep -q '^Complaint report'
	echo "$output" | grep -q 'Received  *240'
	n=$(cd / && "$s/bin/cplclassify" "$s/share/cpl/examples/cases.csv" 2>/dev/null | count_records /dev/stdin)
	[ "$n" -eq 240 ]
	# the staged man page is the one man shows
	man --warnings -l "$s/share/man/man5/cpl-rules.5" >/dev/null
	# an installed table can be copied, edited and given back
	cp "$s/share/cpl/calendar.csv" my-calendar.csv
	printf '2026-11-23,off,local holiday\n' >> my-calendar.csv
	printf '工单编号,受理时间,投诉内容\nA1,2026-11-20 10:00:00,x\n' > one.csv
	"$s/bin/cpldeadline" --calendar my-calendar.csv --now '2026-11-20 11:00:00' one.csv > out.csv
	grep -q 'A1' out.csv
}

@test "make uninstall removes every file make install put there" {
	make -s -C "$ROOT" $(make_vars) install DESTDIR="$T/stage" >/dev/null
	[ "$(find "$T/stage" -type f | wc -l)" -gt 20 ]
	mkdir -p "$T/stage/usr/local/bin" && echo keep > "$T/stage/usr/local/bin/other-program"
	make -s -C "$ROOT" $(make_vars) uninstall DESTDIR="$T/stage" >/dev/null
	left=$(find "$T/stage" -type f)
	[ "$left" = "$T/stage/usr/local/bin/other-program" ] || fails "left: $left"
	[ ! -d "$T/stage/usr/local/share/cpl" ]
}

@test "make install honours PREFIX" {
	make -s -C "$ROOT" $(make_vars) install PREFIX=/opt/cpl DESTDIR="$T/stage" >/dev/null
	[ -x "$T/stage/opt/cpl/bin/cplreport" ]
	[ -f "$T/stage/opt/cpl/share/cpl/policy.csv" ]
	[ -f "$T/stage/opt/cpl/share/man/man1/cplreport.1" ]
	[ ! -e "$T/stage/usr" ]
}

@test "the bash completion offers the flags of the command and the columns of the file" {
	source "$ROOT/completion/cpl.bash"
	printf '工单编号,受理时间,投诉内容\n' > in.csv
	COMP_WORDS=(cpldeadline --cal); COMP_CWORD=1
	_cpl
	[ "${COMPREPLY[*]}" = "--calendar --calendar-add" ] || fails "got ${COMPREPLY[*]}"
	COMP_WORDS=(cplreport in.csv --by 受); COMP_CWORD=3
	_cpl
	[ "${COMPREPLY[*]}" = "受理时间" ] || fails "got ${COMPREPLY[*]}"
	COMP_WORDS=(cplreport --format h); COMP_CWORD=2
	_cpl
	[ "${COMPREPLY[*]}" = "html" ]
}

# big_log N: N plain records, enough for the reader to take a while
big_log() {
	awk -v n="$1" 'BEGIN { print "工单编号,受理时间,渠道,投诉内容";
		for (i = 0; i < n; i++) printf "GD%08d,2026-11-20 10:%02d:00,热线,我的话费被多扣了十元请尽快处理退款谢谢\n", i, i % 60 }'
}

@test "progress shows on a terminal with -o and is cleared at the end" {
	command -v script >/dev/null || skip "no script(1)"
	# CPL_PROGRESS_MS=0: an update every 512 records, however fast they go
	big_log 100000 > big.csv
	CPL_PROGRESS_MS=0 script -qc "cpldeadline --now '2026-11-22 07:00:00' -o out.csv big.csv" /dev/null > tty.txt
	[ "$(count_records out.csv)" -eq 100000 ]
	grep -aq 'cpldeadline: big.csv: .*%' tty.txt || fails "no progress: $(od -c tty.txt | head -3)"
	# the last thing written to the terminal erases the progress line
	[ "$(tail -c 4 tty.txt | od -An -c | tr -d ' ')" = '\r033[K' ] || fails "not cleared"
}

@test "no progress when stderr is not a terminal, nor for a small file without -o" {
	big_log 300000 > big.csv
	cpldeadline --now '2026-11-22 07:00:00' -o out.csv big.csv 2> err.txt
	[ ! -s err.txt ]
	cpldeadline --now '2026-11-22 07:00:00' big.csv 2> err.txt | cat > /dev/null
	[ ! -s err.txt ]
	command -v script >/dev/null || skip "no script(1)"
	script -qc "cpldeadline --now '2026-11-22 07:00:00' big.csv > /dev/null" /dev/null > tty.txt
	[ ! -s tty.txt ] || fails "progress for a $(wc -c < big.csv)-byte file: $(head -c 80 tty.txt)"
}

@test "the files the README and cpl(7) point to exist" {
	for f in $(grep -o '[a-z][a-z-]*\.\(sh\|csv\)' "$ROOT/README.md" "$MANDIR/cpl.7" | cut -d: -f2 | sort -u); do
		case $f in cases.csv|export.csv|big.csv) [ -f "$ROOT/examples/cases.csv" ]; continue ;; esac
		[ -f "$ROOT/examples/$f" ] || [ -f "$ROOT/data/$f" ] || fails "$f does not exist"
	done
	grep -q '^0 7 \* \* \* CPL_BIN=/usr/local/bin /srv/cpl/examples/daily-report.sh -o /srv/reports /srv/exports/cases.csv$' "$ROOT/README.md"
	for m in man/cpl.7 man/cpl-rules.5; do
		grep -qF "$m" "$ROOT/README.md" && [ -f "$ROOT/$m" ] || fails "README: $m"
	done
}
