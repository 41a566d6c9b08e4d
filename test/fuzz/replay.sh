#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Replays every committed fuzz corpus (seed inputs and the inputs of bugs once found) through
# its target, built without libFuzzer: a regression test for make check and the sanitizer build.
set -eu
: "${top_srcdir:?run me through make check}" "${top_builddir:?}"
status=0
for t in card der settings api; do
	dir=$top_srcdir/test/fuzz/corpus/$t
	[ -d "$dir" ] || { echo "replay: no corpus $dir"; exit 1; }
	"$top_builddir/test/fuzz/replay-$t" "$dir" || { echo "replay: $t failed"; status=1; }
done
exit $status
