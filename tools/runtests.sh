#!/bin/sh
# runtests.sh: every bats file under prove, whose last lines are the summary
# CI reads ("Result: PASS" or "Result: FAIL").  A failing test is shown with
# bats's account of it (the line that failed, its output), so that a
# failure seen once in a CI log can be read there.
cd "$(dirname "$0")/.." || exit 1
exec prove --norc --failures --comments -e 'bats --tap' tests/*.bats
