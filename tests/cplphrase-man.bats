#!/usr/bin/env bats
# cplphrase(1): renders cleanly and documents every flag and column.
load helper

MAN="$BATS_TEST_DIRNAME/../man/cplphrase.1"

@test "the man page renders without warnings" {
	run sh -c "man --warnings -l '$MAN' 2>&1 >/dev/null"
	[ -z "$output" ]
}

@test "every flag of --help is in the man page" {
	flags=$(cplphrase --help | sed -n '/^Options:/,/^$/p' | grep -o -- '--[a-z-]*' | sort -u)
	[ -n "$flags" ]
	for f in $flags; do
		grep -q "^\.It Fl -${f#--}\b" "$MAN" || fails "$f is not documented"
	done
}

@test "every column cplphrase adds is in the man page" {
	for c in phrase_score phrase_errors phrase_warnings phrase_findings phrase_missing technique suggested_reply; do
		grep -q "$c" "$MAN" || fails "$c is not documented"
	done
}

@test "every built-in rule is in the man page" {
	for id in $(cplphrase --list-rules | mlr --icsv --onidx cut -f id); do
		grep -q "^\.It $id$" "$MAN" || fails "rule $id is not documented"
	done
}
