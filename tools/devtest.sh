#!/bin/sh
# devtest.sh NAME [BATS-FILE...]: build a private copy under build/dev-NAME
# (so several people can build at once in one tree) and run the given test
# files against it, or all of them.
set -e
name=$1; shift
cd "$(dirname "$0")/.."
b=build/dev-$name
make -s BUILD=$b BIN=$b/bin all $b/test-unit
[ $# -gt 0 ] || set -- tests/*.bats
CPL_BIN=$PWD/$b/bin CPL_BUILD=$PWD/$b prove --norc --failures --comments -e 'bats --tap' "$@"
