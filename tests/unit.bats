#!/usr/bin/env bats
# C unit tests of the library (tests/unit.c), one bats test each.
load helper

unit() { "$CPL_BUILD/test-unit" "$1"; }

@test "time: every documented timestamp shape parses" { unit time_shapes; }
@test "time: impossible dates are refused, not wrapped" { unit time_impossible; }
@test "time: zones, offsets and weekdays" { unit time_zones; }
@test "time: durations like 60m, 2h, 3mo" { unit durations; }
@test "text: traditional, full-width and whitespace normalised, positions mapped back" { unit normalize; }
@test "text: the normaliser's runs and growing buffer agree with a character-by-character reading" { unit normalize_reference; }
@test "utf8: validation refuses overlongs, surrogates and cut sequences" { unit utf8; }
@test "csv and utf8: the word-at-a-time fast paths agree with the byte rules at every edge" { unit fast_paths; }
@test "regex: a catastrophic pattern hits the match limit instead of hanging" { unit regex_limit; }
@test "columns: Chinese headers map to canonical names" { unit columns; }
@test "tables: the embedded column table loads" { unit table_embedded; }
@test "extsort: records come back in order across many runs on disk" { unit extsort; }
@test "hmap: removal keeps every other key findable" { unit hmap; }
@test "literals: an alternative is sure only when its strings alone make a match" { unit literals_sure; }
@test "literals: \\xhh takes two hex digits, and the letters after it are literals" { unit literals_escapes; }
@test "litindex: may and sure, astral and U+017F, patterns added after a scan, and the last place of an id's strings" { unit litindex; }
@test "litindex: a long bucket searched by third character finds every string where it is, long ones by their middle too, and no later than its last place" { unit litindex_long_bucket; }
@test "prefilter: the patterns that may match are listed in ascending order" { unit prefilter_list; }
@test "literals and litindex: each top-level alternative where it is in the pattern, apart only when none reaches into another, found only when its strings all are" { unit alternatives_apart; }
@test "prefilter: a rule run only between its literals' first and last places, or by its alternatives found, finds what a run over the whole text finds" { unit prefilter_bounds; }
@test "messages: a thread's messages handed over as the lines stderr would get, long ones cut" { unit divert; }
@test "unit: every C test is listed in this file" {
	for t in $("$CPL_BUILD/test-unit"); do
		grep -q "unit $t;" "$BATS_TEST_FILENAME" || fails "unit test $t is not run by unit.bats"
	done
}
