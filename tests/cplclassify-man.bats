#!/usr/bin/env bats
# cplclassify(1): renders cleanly and documents every flag and column.
load helper

MAN="$BATS_TEST_DIRNAME/../man/cplclassify.1"

@test "the man page renders without warnings" {
	run sh -c "man --warnings -l '$MAN' 2>&1 >/dev/null"
	[ -z "$output" ]
}

@test "every flag of --help is in the man page" {
	flags=$(cplclassify --help | sed -n '/^Options:/,/^$/p' | grep -o -- '--[a-z-]*' | sort -u)
	[ "$(echo "$flags" | wc -l)" -ge 16 ]
	for f in $flags; do
		grep -q "^\.It Fl -${f#--}\b" "$MAN" || fails "$f is not documented"
	done
}

@test "every column cplclassify adds is in the man page" {
	printf 'text\nx\n' > c.csv
	cols=$(cplclassify c.csv | head -1 | tr ',' '\n' | grep -v -e '^text$' -e '^cpl_problems$')
	[ "$(echo "$cols" | wc -l)" -eq 13 ]
	for c in $cols; do
		grep -q "^\.It Ql $c$" "$MAN" || fails "$c is not documented"
	done
}

@test "every urgent type and category is in the man page" {
	for t in major over_level batch repeat escalated cross_region important_customer sensitive_customer \
		network billing service business_handling service_use info_security marketing unauthorized_subscription other; do
		grep -q "^\.It Ql $t$" "$MAN" || fails "$t is not documented"
	done
}
