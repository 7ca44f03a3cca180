#!/usr/bin/env bats
# cplphrase's short cuts (issue 7): a required element is looked for near
# its words first, apology_time's 'unless' is time_commitment's pattern and
# is looked up once, sentences are split skipping plain bytes.  Each must
# give exactly what the plain search gives.
load helper

PH="$BATS_TEST_DIRNAME/fixtures/phrase"

# the phrase_missing (or another column) of one case
field() {
	mlr --icsv --onidx filter "\$case_id==\"$2\"" then cut -f "$3" "$1"
}

@test "a required element late in a long reply is found" {
	cplphrase "$PH/shortcuts.csv" > out.csv
	[[ "$(field out.csv S1 phrase_missing)" != *time_commitment* ]] || fails "S1: $(field out.csv S1 phrase_missing)"
	[[ "$(field out.csv S2 phrase_missing)" != *time_commitment* ]] || fails "S2: $(field out.csv S2 phrase_missing)"
}

@test "a required element's words elsewhere (室内) do not make it found" {
	cplphrase "$PH/shortcuts.csv" > out.csv
	field out.csv S3 phrase_missing | grep -q time_commitment
}

@test "apology_time: a time commitment excuses the apology, with time_commitment on or off" {
	for flags in "" "--disable time_commitment"; do
		cplphrase $flags "$PH/shortcuts.csv" > out.csv
		[ "$(field out.csv S4 phrase_findings)" = "" ] || fails "S4 $flags: $(field out.csv S4 phrase_findings)"
		field out.csv S5 phrase_findings | grep -q apology_time || fails "S5 $flags: no apology_time"
	done
}

@test "apology_time: the same findings as with every pattern run (CPL_PHRASE_NO_PREFILTER)" {
	cplphrase "$PH/shortcuts.csv" > fast.csv
	CPL_PHRASE_NO_PREFILTER=1 cplphrase "$PH/shortcuts.csv" > plain.csv
	diff plain.csv fast.csv
}

@test "sentences end at 。, ！ and …: the greeting counts in the first two only" {
	cplphrase "$PH/shortcuts.csv" > out.csv
	field out.csv S6 phrase_missing | grep -q greeting
	[[ "$(field out.csv S7 phrase_missing)" != *greeting* ]] || fails "S7: $(field out.csv S7 phrase_missing)"
}
