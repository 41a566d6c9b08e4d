#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The module under load, shared between two processes, across a pcscd restart, and under API
# abuse (robust-stress.c), next to the real pcscd. ROBUST_COUNT sets the signatures per thread
# of the load phase (16 threads; make check: 20 each; `make robust`: 625, i.e. 10 000);
# ROBUST_HELGRIND=1 also runs a small load under valgrind's helgrind (without the C_Finalize
# scenarios: C_Finalize waits for calls in flight through a C11 atomic counter, an ordering
# helgrind does not see).
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"

ROBUST_STRESS=$top_builddir/test/robust/robust-stress

stress() {
	local out
	out=$("$ROBUST_STRESS" --module "$JPKI_MODULE" "$@" 2>&1) ||
		{ printf '%s\n' "$out"; e2e_fail "robust-stress $* failed"; }
	printf '%s\n' "$out"
}

phase_load() {
	stress --mode load --threads 16 --sessions 2 --count "${ROBUST_COUNT:-20}"
	assert_eq "$(state_get 0 auth_tries)" 3 "auth PIN tries"
}

phase_helgrind() {
	local out
	out=$(valgrind --tool=helgrind --error-exitcode=3 -q "$ROBUST_STRESS" \
		--module "$JPKI_MODULE" --mode load --threads 4 --sessions 2 --count 3 --finalize 0 \
		2>&1) ||
		{ printf '%s\n' "$out"; e2e_fail "helgrind reported errors"; }
	printf '%s\n' "$out"
}

phase_share() {
	stress --mode share --seconds 4
	assert_eq "$(state_get 0 auth_tries)" 3 "auth PIN tries"
}

phase_pcscd() { stress --mode pcscd; }
phase_abuse() { stress --mode abuse; }

e2e_dispatch "$@"
[ "$(id -u)" = 0 ] || e2e_skip "needs root"
[ -x "$ROBUST_STRESS" ] || e2e_skip "robust-stress not built"
[ -f "${JPKI_MODULE:-}" ] || e2e_skip "our module not built (JPKI_MODULE)"
e2e_phase load --cards 1
e2e_phase share --cards 1
e2e_phase pcscd --cards 1
e2e_phase abuse --cards 1
if [ -n "${ROBUST_HELGRIND:-}" ]; then
	e2e_phase helgrind --cards 1
fi
