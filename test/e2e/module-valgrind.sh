#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# jpki-pkcs11 under valgrind memcheck: pkcs11-tool -L, -O (before and after login), login and
# sign with each key, and --test on both tokens, through pcscd and a virtual card. No memcheck
# error and no definitely or indirectly lost block may have a frame in the module; everything
# else valgrind reports (pkcs11-tool's, OpenSSL's and pcsc-lite's own) is listed in
# test/e2e/valgrind.supp with the reason. Not run in the sanitizer build (valgrind cannot run
# an ASan-built module).
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/diff/e2e-lib.sh
. "$top_srcdir/test/diff/e2e-lib.sh"
mod_require valgrind openssl

SUPP=$top_srcdir/test/e2e/valgrind.supp

FAILED=

# vg NAME ARG... — pkcs11-tool ARG... on the module under memcheck (log vg-NAME.log, output
# out-NAME.txt). Failures are collected in FAILED: every run is made, then vg_verdict decides.
vg() {
	local name=$1 rc=0
	shift
	# Preloaded, the module stays mapped after pkcs11-tool's dlclose(): its frames keep their
	# names in the leak report at exit.
	LD_PRELOAD=$MOD valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		--track-origins=yes --num-callers=50 --suppressions="$SUPP" \
		--log-file="vg-$name.log" pkcs11-tool --module "$MOD" "$@" >"out-$name.txt" 2>&1 || rc=$?
	# valgrind writes the command line, --pin included, into its log: the PIN check of the
	# harness (e2e_check_no_pins) is about the module's output, not ours.
	sed -i '/^==[0-9]*== Command: /d' "vg-$name.log"
	# Any reported error or lost block with a frame in the module fails: every path into the
	# module passes through one of its C_ functions. (The only suppression that can match a
	# stack through the module is OpenSSL's shared method cache, see valgrind.supp.)
	if grep -Eq '^==[0-9]+== +(at|by) 0x[0-9A-F]+: (C_[A-Za-z]+ |.*jpki-pkcs11\.so)' "vg-$name.log"; then
		FAILED="$FAILED $name(module)"
	elif [ $rc -eq 99 ] || ! grep -q 'ERROR SUMMARY: 0 errors' "vg-$name.log"; then
		FAILED="$FAILED $name(memcheck)"
	fi
}

vg_verdict() {
	local f
	[ -z "$FAILED" ] && return 0
	for f in $FAILED; do
		echo "=== ${f%%(*}" >&2
		cat "vg-${f%%(*}.log" >&2
	done
	e2e_fail "memcheck reports errors or leaks:$FAILED"
}

phase_memcheck() {
	local k which id pin label
	head -c 3000 /dev/urandom >msg
	vg list -L
	assert_contains "$(cat out-list.txt)" "$MOD_AUTH_LABEL" "-L under valgrind"
	vg objects --token-label "$MOD_AUTH_LABEL" -O
	assert_contains "$(cat out-objects.txt)" "Certificate Object" "-O under valgrind"
	for k in "auth:$MOD_AUTH_ID:$E2E_AUTH_PIN:$MOD_AUTH_LABEL" "sign:$MOD_SIGN_ID:$E2E_SIGN_PIN:$MOD_SIGN_LABEL"; do
		IFS=: read -r which id pin label <<<"$k"
		vg "objects-$which" --token-label "$label" --login --pin "$pin" -O
		assert_contains "$(cat "out-objects-$which.txt")" "Private Key Object" "$which -O after login"
		vg "sign-$which" --token-label "$label" --login --pin "$pin" --sign --id "$id" \
			-m SHA256-RSA-PKCS -i msg -o "sig-$which"
		assert_eq "$(wc -c <"sig-$which")" 256 "$which signature under valgrind"
		vg "test-$which" --token-label "$label" --test --login --pin "$pin"
		assert_contains "$(cat "out-test-$which.txt")" "No errors" "$which --test under valgrind"
	done
	vg wrong-pin --token-label "$MOD_AUTH_LABEL" --login --pin 9999 -O
	assert_contains "$(cat out-wrong-pin.txt)" "CKR_PIN_INCORRECT" "wrong PIN under valgrind"
	vg_verdict
	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 2/5 "tries after the runs"
}

e2e_dispatch "$@"
e2e_phase memcheck --cards 1
