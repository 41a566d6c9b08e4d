#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs each libFuzzer target for a bounded time and reports executions and coverage.
#   test/fuzz/run-fuzz.sh [-t SECONDS] [-k DIR] BUILDDIR [TARGET...]
# BUILDDIR is a build configured with CC=clang --enable-fuzzing after `make fuzz`; TARGET is
# card, der, settings or api (default: all). -t: seconds per target (default $FUZZ_SECONDS or
# 30); -k: keep each target's grown corpus in DIR/TARGET. Starts from the committed seeds in
# test/fuzz/corpus/TARGET (and, for der, the certificates of the test PKI). A crash, leak or
# timeout leaves its input in BUILDDIR/test/fuzz/artifacts/ and makes the script fail; the
# input belongs in test/fuzz/corpus/TARGET once the bug is fixed.
set -eu

seconds=${FUZZ_SECONDS:-30}
keep=
while getopts t:k: opt; do
	case $opt in
	t) seconds=$OPTARG ;;
	k) keep=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-t SECONDS] [-k DIR] BUILDDIR [TARGET...]" >&2; exit 2; }
build=$(cd "$1" && pwd)
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
targets=${*:-card der settings api}

# The virtual card's test PKI (generated on first use by the targets that need it).
JPKI_TEST_PKI=${JPKI_TEST_PKI:-$build/test/pki}
export JPKI_TEST_PKI
artifacts=$build/test/fuzz/artifacts
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
for t in $targets; do
	bin=$build/test/fuzz/fuzz-$t
	[ -x "$bin" ] || { echo "run-fuzz: $bin missing (make fuzz)" >&2; exit 1; }
	corpus=${keep:+$keep/$t}
	corpus=${corpus:-$work/$t}
	mkdir -p "$corpus" "$work/$t-extra"
	if [ "$t" = der ] && [ -d "$JPKI_TEST_PKI/identity-0" ]; then
		for c in "$JPKI_TEST_PKI"/identity-0/*.der; do
			{ printf '\001'; cat "$c"; } >"$work/$t-extra/$(basename "$c")"
		done
	fi
	log=$work/$t.log
	rc=0
	"$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -max_len=8192 \
		-print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
		"$corpus" "$src/test/fuzz/corpus/$t" "$work/$t-extra" >"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	units=$(find "$corpus" -type f | wc -l)
	printf 'run-fuzz: %-9s %5ss %10s execs  cov %5s  ft %6s  corpus %5s  %s\n' "$t" \
		"$seconds" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$units" \
		"$([ $rc -eq 0 ] && echo ok || echo FAILED)"
	if [ $rc -ne 0 ]; then
		status=1
		grep -E -A30 '^==[0-9]+==ERROR|runtime error|^SUMMARY|Test unit written' "$log" | head -60
	fi
done
exit $status
