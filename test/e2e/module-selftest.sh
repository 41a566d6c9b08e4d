#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# OpenSC's built-in module test, pkcs11-tool --test --login, on both tokens of a virtual card:
# it signs with every key and mechanism it knows (C_Sign, C_SignUpdate/C_SignFinal, the
# buffer-too-small cases), verifies with OpenSSL and C_Verify, and must end in "No errors".
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/diff/e2e-lib.sh
. "$top_srcdir/test/diff/e2e-lib.sh"
mod_require

phase_selftest() {
	local out
	out=$(mod_auth --test --login --pin "$E2E_AUTH_PIN")
	assert_contains "$out" "testing key 0 (JPKI authentication key)" "auth token --test"
	assert_contains "$out" "SHA256-RSA-PKCS: OK" "auth token --test"
	assert_contains "$out" "No errors" "auth token --test"
	out=$(mod_sign --test --login --pin "$E2E_SIGN_PIN")
	assert_contains "$out" "testing key 0 (JPKI signature key)" "sign token --test"
	assert_contains "$out" "SHA256-RSA-PKCS: OK" "sign token --test"
	assert_contains "$out" "No errors" "sign token --test"
	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 3/5 "tries after --test"
}

e2e_dispatch "$@"
e2e_phase selftest --cards 1
