#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# run-bench.sh [--repeat N] [--count N] — `make bench` (doc/performance.md).
#
# Runs the flows of p11bench against our module (JPKI_MODULE) and OpenSC's (OPENSC_PKCS11) on
# one virtual card, each run in a harness of its own (test/harness/with-cards):
#   - N times (default 5) with a zero-latency card, the modules taking turns: CPU time of the
#     process (the least of the N runs);
#   - once with the card's `--latency contact` model: the wall times.
# In each harness the flows run in this order, each in a new process: A, F (A again, warm),
# B, C, D, E. APDUs and bytes come from the card's counters; the table takes them from the
# contact run and notes any run that counted differently.
#
# Output: the table and the targets on stdout; in $top_builddir/test/bench: results.txt (one
# line per flow and run), results.md (the table), results.log (what p11bench said), and
# trace-MODULE-FLOW.txt (the card's trace of each flow of the first zero-latency run).
# Exit status: 0, or 1 when a flow failed (the targets never fail the run), 77 when the
# harness cannot run here.
#
# Environment: what `make check` exports (AM_TESTS_ENVIRONMENT) and P11BENCH (p11bench).

set -u

: "${top_srcdir:?run me through make bench}" "${top_builddir:?run me through make bench}"
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
WITH_CARDS=$top_srcdir/test/harness/with-cards
P11BENCH=${P11BENCH:-$top_builddir/test/bench/p11bench}
OUT=$top_builddir/test/bench
FLOWS="A F B C D E"

# --- inside the harness: run-bench.sh --inside NAME MODULE LATENCY RUN COUNT --------------------
# Prints one result line per flow; p11bench's messages go to results.log.
inside() {
	local name=$1 module=$2 latency=$3 run=$4 count=$5 flow mark line prog
	# A fresh home: a module that caches in the user's directory starts cold at A and warm
	# at F, and nothing from an earlier run leaks in.
	export HOME=$JPKI_WORK/home XDG_CACHE_HOME=$JPKI_WORK/home/.cache
	mkdir -p "$XDG_CACHE_HOME"
	# Our module with its defaults, whatever is installed in its sysconfdir.
	export JPKI_PKCS11_CONF=${JPKI_PKCS11_CONF:-/dev/null}
	for flow in $FLOWS; do
		prog=$flow
		[ "$flow" = F ] && prog=A
		mark=$(wc -l <"$JPKI_CARD0_TRACE")
		echo "--- $name latency=$latency run=$run flow=$flow" >>"$OUT/results.log"
		if line=$("$P11BENCH" --module "$module" --ctl "$JPKI_CARD0_CTL" --flow "$prog" \
			--count "$count" 2>>"$OUT/results.log"); then
			echo "module=$name latency=$latency run=$run ${line/flow=$prog/flow=$flow}"
		else
			echo "module=$name latency=$latency run=$run flow=$flow status=fail"
		fi
		if [ "$latency" = none ] && [ "$run" = 1 ]; then
			tail -n +$((mark + 1)) "$JPKI_CARD0_TRACE" >"$OUT/trace-$name-$flow.txt"
		fi
	done
}

if [ "${1:-}" = "--inside" ]; then
	shift
	inside "$@"
	exit 0
fi

# --- outside: one harness per module and run ---------------------------------------------------
repeat=5
count=100
while [ $# -gt 0 ]; do
	case $1 in
	--repeat) repeat=${2:?}; shift 2 ;;
	--count) count=${2:?}; shift 2 ;;
	-h | --help) sed -n '3,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "run-bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

[ "$(id -u)" = 0 ] || { echo "run-bench.sh: needs root (the harness), skipping" >&2; exit 77; }
[ -x "$P11BENCH" ] || { echo "run-bench.sh: $P11BENCH not built" >&2; exit 1; }

declare -a names=() modules=()
for pair in "ours=${JPKI_MODULE:-}" "opensc=${OPENSC_PKCS11:-}"; do
	if [ -f "${pair#*=}" ]; then
		names+=("${pair%%=*}")
		modules+=("${pair#*=}")
	else
		echo "run-bench.sh: ${pair%%=*}: module \"${pair#*=}\" not found, left out" >&2
	fi
done
[ ${#names[@]} -gt 0 ] || { echo "run-bench.sh: no module to measure" >&2; exit 1; }

mkdir -p "$OUT"
rm -f "$OUT"/results.txt "$OUT"/results.md "$OUT"/results.log "$OUT"/trace-*.txt
t_start=$(date +%s%N)

# harness NAME MODULE LATENCY RUN — one harness, its lines appended to results.txt.
harness() {
	local t0 rc
	t0=$(date +%s%N)
	bash "$WITH_CARDS" --cards 1 --card0 "--latency $3" -- \
		bash "$SELF" --inside "$1" "$2" "$3" "$4" "$count" >>"$OUT/results.txt"
	rc=$?
	echo "bench: $1, latency $3, run $4: $((($(date +%s%N) - t0) / 1000000)) ms" >&2
	[ $rc -eq 0 ] || { echo "run-bench.sh: the harness failed (status $rc)" >&2; exit $rc; }
}

# The modules take turns, so that both see the same load from the rest of the machine.
for ((r = 1; r <= repeat; r++)); do
	for i in "${!names[@]}"; do
		harness "${names[i]}" "${modules[i]}" none "$r"
	done
done
for i in "${!names[@]}"; do
	harness "${names[i]}" "${modules[i]}" contact 1
done

awk -v count="$count" -f "$top_srcdir/test/bench/table.awk" "$OUT/results.txt" |
	tee "$OUT/results.md"
echo "bench: $((($(date +%s%N) - t_start) / 1000000000)) s in all; details in $OUT/results.*" >&2

if grep -q "status=fail" "$OUT/results.txt"; then
	echo "run-bench.sh: some flows failed (see $OUT/results.log)" >&2
	exit 1
fi
exit 0
