#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# OpenSC's PKCS#11 view of two virtual cards (identities 0 and 1): the tokens, the public
# objects, the certificates read off the card byte for byte equal to the test PKI's, and the
# sign certificate hidden until the sign password is verified.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
e2e_require pkcs11-tool openssl

# cn FILE.der — the subject CN of a DER certificate.
cn() {
	openssl x509 -inform DER -in "$1" -noout -subject -nameopt RFC2253 | sed -n 's/^subject=CN=\([^,]*\),.*/\1/p'
}

# read_cert SLOT_INDEX ID OUT [login options]
read_cert() {
	local slot=$1 id=$2 out=$3
	shift 3
	p11 --slot-index "$slot" "$@" --read-object --type cert --id "$id" -o "$out" >/dev/null ||
		e2e_fail "cannot read certificate $id from slot index $slot"
}

phase_objects() {
	local k auth sign dir out mark n
	cmp -s "$JPKI_TEST_PKI/identity-0/auth-cert.der" "$JPKI_TEST_PKI/identity-1/auth-cert.der" &&
		e2e_fail "the two identities share an auth certificate"

	# The APDUs of a plain listing (OpenSC probes other card types first).
	mark=$(trace_mark 0)
	out=$(p11 -L -O)
	n=$(trace_since 0 "$mark" | grep -c ' > ')
	e2e_note "pkcs11-tool -L -O: $n APDUs to card 0"
	assert_contains "$out" "User Authentication Certificate" "listing"

	for k in 0 1; do
		auth=$((2 * k))
		sign=$((2 * k + 1))
		dir=$JPKI_TEST_PKI/identity-$k

		out=$(p11 --slot-index $auth -O)
		assert_contains "$out" "label:      User Authentication Certificate"$'\n'"  subject:    DN: C=JP, CN=$(cn "$dir/auth-cert.der")" "auth certificate of card $k"
		assert_contains "$out" "label:      User Authentication Public Key"$'\n'"  ID:         01" "auth public key of card $k"
		assert_contains "$out" "label:      User Authentication Certificate CA"$'\n'"  subject:    DN: C=JP, O=JPKI-TEST" "auth CA of card $k"
		assert_contains "$out" "label:      Digital Signature Certificate CA"$'\n'"  subject:    DN: C=JP, O=JPKI-TEST" "sign CA of card $k"

		read_cert $auth 01 auth$k.der
		assert_same_file auth$k.der "$dir/auth-cert.der" "auth certificate of card $k"
		read_cert $auth 03 authca$k.der
		assert_same_file authca$k.der "$JPKI_TEST_PKI/auth-ca.der" "auth CA certificate of card $k"
		read_cert $auth 04 signca$k.der
		assert_same_file signca$k.der "$JPKI_TEST_PKI/sign-ca.der" "sign CA certificate of card $k"
		p11 --slot-index $auth --read-object --type pubkey --id 01 -o authpub$k.der >/dev/null ||
			e2e_fail "cannot read the auth public key of card $k"
		openssl x509 -inform DER -in "$dir/auth-cert.der" -pubkey -noout |
			openssl pkey -pubin -outform DER -out authpub$k.ref
		assert_same_file authpub$k.der authpub$k.ref "auth public key of card $k"

		# The sign certificate: the card refuses to read EF 0001 before the password...
		mark=$(trace_mark $k)
		out=$(p11 --slot-index $sign -O)
		assert_not_contains "$out" "label:      Digital Signature Certificate"$'\n' "sign certificate before login, card $k"
		trace_since $k "$mark" | grep -A2 -q '> 00A4020C020001$' || e2e_fail "OpenSC did not try EF 0001"
		trace_since $k "$mark" | awk '/> 00A4020C020001$/ { s = 1; next } s && /> 00B0/ { r = 1; next } r && /< 6982$/ { f = 1 } END { exit !f }' ||
			e2e_fail "card $k did not refuse READ BINARY of the sign certificate with 6982"
		# ...and shows it after.
		out=$(p11 --slot-index $sign --login --pin "$E2E_SIGN_PIN" -O)
		assert_contains "$out" "label:      Digital Signature Certificate"$'\n'"  subject:    DN: C=JP, L=" "sign certificate after login, card $k"
		assert_contains "$out" "CN=$(cn "$dir/sign-cert.der")"$'\n' "sign certificate subject, card $k"
		assert_contains "$out" "label:      Digital Signature Key"$'\n'"  ID:         02" "sign key, card $k"
		read_cert $sign 02 sign$k.der --login --pin "$E2E_SIGN_PIN"
		assert_same_file sign$k.der "$dir/sign-cert.der" "sign certificate of card $k"
	done
}

e2e_dispatch "$@"
e2e_phase objects --cards 2
