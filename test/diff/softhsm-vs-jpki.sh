#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Differential test: p11diff runs the same API checks against softhsm2 (the reference) and
# against jpki-pkcs11 on a virtual card, for both tokens: the authentication token against a
# softhsm token with a public key pair, the signature token against one whose key pair and
# certificate are private and whose key has CKA_ALWAYS_AUTHENTICATE. Results must be equal
# except where test/diff/expected-differences justifies the difference; an unlisted
# difference, or a listed one that no longer occurs, fails.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/diff/e2e-lib.sh
. "$top_srcdir/test/diff/e2e-lib.sh"

P11DIFF=$top_builddir/test/diff/p11diff
EXPECTED=$top_srcdir/test/diff/expected-differences
COMPARE=$top_srcdir/test/diff/compare.awk

# Our module, through the harness; the outputs go to $DIFF_OUT (outside the harness's work dir).
phase_jpki() {
	mod_conf "rsa_pss = on"
	"$P11DIFF" --token-label "$MOD_AUTH_LABEL" --pin "$E2E_AUTH_PIN" --wrong-pin 0000 \
		--so-pin 12345678 --allow-destroy "$MOD" >"$DIFF_OUT/jpki-auth.out" ||
		e2e_fail "p11diff failed on the authentication token"
	"$P11DIFF" --token-label "$MOD_SIGN_LABEL" --pin "$E2E_SIGN_PIN" --wrong-pin PASS0000 \
		--so-pin 12345678 --allow-destroy "$MOD" >"$DIFF_OUT/jpki-sign.out" ||
		e2e_fail "p11diff failed on the signature token"
	# Every wrong PIN was followed by a right one: the card's counters are full again.
	assert_eq "$(state_get 0 auth_tries)" 3 "auth_tries after the checks"
	assert_eq "$(state_get 0 sign_tries)" 5 "sign_tries after the checks"
	assert_eq "$(state_get 0 auth_pin)" "$E2E_AUTH_PIN" "auth PIN after the checks"
	assert_eq "$(state_get 0 sign_pin)" "$E2E_SIGN_PIN" "sign password after the checks"
}

# softhsm_token LABEL PIN ID CA_ID [pkcs11-tool key options] — the shape of one of our tokens:
# an RSA-2048 key pair generated on a new token, a certificate for it from the test CA with
# the same CKA_ID, and the CA certificate with CA_ID.
softhsm_token() {
	local label=$1 pin=$2 id=$3 ca_id=$4 p11s
	shift 4
	p11s=(pkcs11-tool --module "$SOFTHSM" --token-label "$label" --login --pin "$pin")
	softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin 12345678 \
		>/dev/null || e2e_fail "softhsm2-util --init-token $label"
	"${p11s[@]}" --keypairgen --key-type rsa:2048 --id "$id" --label "$label key" \
		--usage-sign "$@" >/dev/null 2>&1 || e2e_fail "keypairgen on $label"
	"${p11s[@]}" --read-object --type pubkey --id "$id" -o "$label.pub.der" >/dev/null 2>&1 ||
		e2e_fail "reading the public key of $label"
	openssl pkey -pubin -inform DER -in "$label.pub.der" -out "$label.pub.pem" &&
		openssl x509 -new -subj "/CN=$label/O=JPKI-TEST" -force_pubkey "$label.pub.pem" \
			-CA ca.pem -CAkey ca.key -days 30 -outform DER -out "$label.crt.der" ||
		e2e_fail "certificate for $label"
	# A private certificate (as on the signature token) needs p11tool: pkcs11-tool 0.23
	# ignores --private for certificates.
	case " $* " in
	*" --private "*)
		openssl x509 -inform DER -in "$label.crt.der" -out "$label.crt.pem" &&
			GNUTLS_PIN=$pin p11tool --provider "$SOFTHSM" --login --mark-private \
				--write "pkcs11:token=$label" --load-certificate "$label.crt.pem" \
				--label "$label cert" --id "$id" >/dev/null 2>&1
		;;
	*)
		"${p11s[@]}" --write-object "$label.crt.der" --type cert --id "$id" \
			--label "$label cert" >/dev/null 2>&1
		;;
	esac || e2e_fail "writing the certificate of $label"
	"${p11s[@]}" --write-object ca.der --type cert --id "$ca_id" --label "$label CA" >/dev/null 2>&1 ||
		e2e_fail "writing the CA certificate of $label"
}

reference() {
	# The package's own file list names the module; SOFTHSM2_MODULE overrides it.
	SOFTHSM=${SOFTHSM2_MODULE:-$(dpkg -L libsofthsm2 2>/dev/null | grep -m 1 '/libsofthsm2\.so$')}
	[ -f "$SOFTHSM" ] || e2e_skip "softhsm2 module not found (set SOFTHSM2_MODULE)"
	mkdir -p tokens
	printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
		"$PWD/tokens" >softhsm2.conf
	export SOFTHSM2_CONF=$PWD/softhsm2.conf
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -subj "/CN=Test CA/O=JPKI-TEST" \
		-days 30 -out ca.pem 2>/dev/null && openssl x509 -in ca.pem -outform DER -out ca.der ||
		e2e_fail "test CA"
	softhsm_token ref-auth "$E2E_AUTH_PIN" "$MOD_AUTH_ID" "$MOD_AUTH_CA_ID"
	softhsm_token ref-sign "$E2E_SIGN_PIN" "$MOD_SIGN_ID" "$MOD_SIGN_CA_ID" --private --always-auth
	"$P11DIFF" --token-label ref-auth --pin "$E2E_AUTH_PIN" --wrong-pin 0000 \
		--so-pin 12345678 --allow-destroy "$SOFTHSM" >softhsm-auth.out ||
		e2e_fail "p11diff failed on softhsm2 (ref-auth)"
	"$P11DIFF" --token-label ref-sign --pin "$E2E_SIGN_PIN" --wrong-pin PASS0000 \
		--so-pin 12345678 --allow-destroy "$SOFTHSM" >softhsm-sign.out ||
		e2e_fail "p11diff failed on softhsm2 (ref-sign)"
	if grep 'n/a:setup-failed' softhsm-*.out; then
		e2e_fail "p11diff could not set up some checks on softhsm2"
	fi
	e2e_note "softhsm2: $(wc -l <softhsm-auth.out) checks per token ran"
}

e2e_dispatch "$@"

[ "$(id -u)" = 0 ] || e2e_skip "needs root"
for t in softhsm2-util pkcs11-tool p11tool openssl; do
	command -v $t >/dev/null || e2e_skip "$t not installed"
done
[ -x "$P11DIFF" ] || e2e_skip "p11diff not built"
mkdir -p "$top_builddir/test/tmp"
DIFF_OUT=$(mktemp -d "$top_builddir/test/tmp/p11diff.XXXXXX") || exit 99
export DIFF_OUT
# Kept when the test fails, for the outputs; removed otherwise (a skip included).
cleanup() {
	local rc=$?
	cd / || exit 99
	if [ $rc -eq 0 ] || [ $rc -eq 77 ]; then
		rm -rf "$DIFF_OUT"
	else
		echo "outputs kept in $DIFF_OUT" >&2
	fi
	exit $rc
}
trap cleanup EXIT
cd "$DIFF_OUT" || exit 99

reference
[ -f "$MOD" ] || e2e_skip "module not built ($MOD); p11diff ran clean on softhsm2 only"
t0=$(date +%s%N)
e2e_phase jpki --cards 1
rc=0
for pair in auth sign; do
	awk -v pair=$pair -f "$COMPARE" "$EXPECTED" softhsm-$pair.out jpki-$pair.out || rc=1
done
e2e_note "our module: $((($(date +%s%N) - t0) / 1000000)) ms"
exit $rc
