#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Fault injection through the virtual card (robust-faults.c): every APDU index of the probe,
# certificate read, login, signature and PIN change, with the card removed, reset, or
# answering garbage or a wrong status word there. Prints the fault points exercised and
# survived and the PIN tries consumed by faults (must be 0).
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"

ROBUST_FAULTS=$top_builddir/test/robust/robust-faults

phase_faults() {
	local out
	# Without the certificate cache every probe is the full one that the clean run counted.
	printf 'cert_cache = off\n' >faults.conf
	out=$(JPKI_PKCS11_CONF=$PWD/faults.conf "$ROBUST_FAULTS" --module "$JPKI_MODULE" --kinds "$1") ||
		{ printf '%s\n' "$out"; e2e_fail "fault injection ($1) failed"; }
	printf '%s\n' "$out"
	assert_contains "$out" "PIN tries consumed by faults: 0 " "PIN tries"
	assert_eq "$(state_get 0 auth_tries)" 3 "auth PIN tries in the card's state file"
}

phase_card_faults() { phase_faults reset,garbage,sw; }
phase_removal() { phase_faults remove-after,remove-during; }

e2e_dispatch "$@"
[ "$(id -u)" = 0 ] || e2e_skip "needs root"
[ -x "$ROBUST_FAULTS" ] || e2e_skip "robust-faults not built"
[ -f "${JPKI_MODULE:-}" ] || e2e_skip "our module not built (JPKI_MODULE)"
e2e_phase card_faults --cards 1
e2e_phase removal --cards 1
