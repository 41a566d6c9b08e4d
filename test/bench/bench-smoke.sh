#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Smoke test of the benchmark program (make bench, doc/performance.md): flows A and B once
# against our module on a zero-latency card. The numbers must be sane — APDUs counted, and as
# many as the card's trace shows for the flow — but nothing is timed.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"

P11BENCH=$top_builddir/test/bench/p11bench

# bench_flow X — runs flow X, checks its line against the card's trace, prints the line.
bench_flow() {
	local flow=$1 mark line apdus bytes commands
	mark=$(trace_mark 0)
	line=$("$P11BENCH" --module "$JPKI_MODULE" --ctl "$JPKI_CARD0_CTL" --flow "$flow") ||
		e2e_fail "p11bench flow $flow failed"
	e2e_note "$line"
	[[ $line =~ ^flow=$flow\ apdus=([0-9]+)\ bytes=([0-9]+)\ wall_us=[0-9]+\ cpu_us=[0-9]+\ ops=1$ ]] ||
		e2e_fail "flow $flow: unexpected output \"$line\""
	apdus=${BASH_REMATCH[1]}
	bytes=${BASH_REMATCH[2]}
	[ "$apdus" -gt 0 ] || e2e_fail "flow $flow: no APDU counted"
	# Every exchange is at least a 4-byte command and a status word.
	[ "$bytes" -ge $((6 * apdus)) ] || e2e_fail "flow $flow: $bytes bytes for $apdus APDUs"
	commands=$(trace_since 0 "$mark" | awk '$2 == ">"' | wc -l)
	assert_eq "$apdus" "$commands" "flow $flow: APDUs counted vs commands in the trace"
}

phase_smoke() {
	bench_flow A
	bench_flow B
	# B logged in with the auth PIN: the card's counter is back at 3.
	assert_eq "$(state_get 0 auth_tries)" 3 "auth PIN tries after flow B"
}

e2e_dispatch "$@"
[ "$(id -u)" = 0 ] || e2e_skip "needs root"
[ -x "$P11BENCH" ] || e2e_skip "p11bench not built"
[ -f "${JPKI_MODULE:-}" ] || e2e_skip "our module not built (JPKI_MODULE)"
[ -x "${JPKI_VCARD:-}" ] || e2e_skip "jpki-vcard not built"
e2e_phase smoke --cards 1
