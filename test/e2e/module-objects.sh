#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# jpki-pkcs11 through pkcs11-tool, two virtual cards: two tokens per card with their labels,
# PIN lengths and serial numbers; the objects visible before and after login; certificates read off
# the tokens byte-identical to the test PKI's, public keys equal to the certificates' keys.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/diff/e2e-lib.sh
. "$top_srcdir/test/diff/e2e-lib.sh"
mod_require openssl

# count_objects OUTPUT — "certs pubs privs" in a pkcs11-tool -O listing.
count_objects() {
	printf '%s %s %s' "$(grep -c '^Certificate Object' <<<"$1")" \
		"$(grep -c '^Public Key Object' <<<"$1")" "$(grep -c '^Private Key Object' <<<"$1")"
}

# read_cert SLOT_INDEX ID EXPECTED_DER WHAT [login options]
read_cert() {
	local slot=$1 id=$2 want=$3 what=$4 out
	shift 4
	out=$(p11m --slot-index "$slot" "$@" --read-object --type cert --id "$id" -o "cert-$slot-$id.der")
	[ -s "cert-$slot-$id.der" ] || e2e_fail "$what: cannot read certificate $id: $out"
	assert_same_file "cert-$slot-$id.der" "$want" "$what"
}

# check_pubkey SLOT_INDEX ID CERT_DER WHAT [login options] — the public key object is the
# certificate's key (both as DER SubjectPublicKeyInfo).
check_pubkey() {
	local slot=$1 id=$2 cert=$3 what=$4
	shift 4
	p11m --slot-index "$slot" "$@" --read-object --type pubkey --id "$id" \
		-o "pub-$slot-$id.der" >/dev/null
	[ -s "pub-$slot-$id.der" ] || e2e_fail "$what: cannot read public key $id"
	openssl x509 -inform DER -in "$cert" -pubkey -noout | openssl pkey -pubin -outform DER \
		-out "pub-$slot-$id.want" || e2e_fail "$what: public key of $cert"
	assert_same_file "pub-$slot-$id.der" "pub-$slot-$id.want" "$what"
}

phase_objects() {
	local out k auth sign dir
	out=$(p11m -L)
	e2e_note "$(grep -c 'token label' <<<"$out") tokens listed"
	assert_eq "$(grep -c "token label *: $MOD_AUTH_LABEL\$" <<<"$out")" 2 "authentication tokens"
	assert_eq "$(grep -c "token label *: $MOD_SIGN_LABEL\$" <<<"$out")" 2 "signature tokens"
	assert_eq "$(grep -c 'token label' <<<"$out")" 4 "tokens in all"
	assert_eq "$(grep -c 'pin min/max *: 4/4$' <<<"$out")" 2 "auth PIN length 4/4"
	assert_eq "$(grep -c 'pin min/max *: 6/16$' <<<"$out")" 2 "sign password length 6/16"
	# Four tokens, four serial numbers (each token of each card is told apart by it).
	assert_eq "$(grep -o 'serial num *: [0-9A-F]\{16\}$' <<<"$out" | sort -u | wc -l)" 4 \
		"distinct token serial numbers"

	for k in 0 1; do
		auth=$((2 * k))
		sign=$((2 * k + 1))
		dir=$JPKI_TEST_PKI/identity-$k
		# slot order: the card in reader k gives slot indices 2k (auth) and 2k+1 (sign)
		out=$(p11m --slot-index $auth -T)
		assert_contains "$out" "$MOD_AUTH_LABEL" "token of slot index $auth"
		out=$(p11m --slot-index $sign -T)
		assert_contains "$out" "$MOD_SIGN_LABEL" "token of slot index $sign"

		# Before login: the authentication certificate, its CA and public key; of the
		# signature token only the CA certificate. The private keys are private objects.
		out=$(p11m --slot-index $auth -O)
		assert_eq "$(count_objects "$out")" "2 1 0" "card $k auth objects before login"
		out=$(p11m --slot-index $sign -O)
		assert_eq "$(count_objects "$out")" "1 0 0" "card $k sign objects before login"
		assert_not_contains "$out" "ID:         $MOD_SIGN_ID" "card $k sign objects before login"
		out=$(p11m --slot-index $auth --login --pin "$E2E_AUTH_PIN" -O)
		assert_eq "$(count_objects "$out")" "2 1 1" "card $k auth objects after login"
		out=$(p11m --slot-index $sign --login --pin "$E2E_SIGN_PIN" -O)
		assert_eq "$(count_objects "$out")" "2 1 1" "card $k sign objects after login"
		assert_contains "$out" "always authenticate" "card $k sign key access flags"

		read_cert $auth $MOD_AUTH_ID "$dir/auth-cert.der" "card $k auth certificate"
		read_cert $auth $MOD_AUTH_CA_ID "$JPKI_TEST_PKI/auth-ca.der" "card $k auth CA"
		read_cert $sign $MOD_SIGN_CA_ID "$JPKI_TEST_PKI/sign-ca.der" "card $k sign CA"
		out=$(p11m --slot-index $sign --read-object --type cert --id $MOD_SIGN_ID -o nope.der)
		[ ! -s nope.der ] || e2e_fail "card $k: sign certificate readable without login"
		read_cert $sign $MOD_SIGN_ID "$dir/sign-cert.der" "card $k sign certificate" \
			--login --pin "$E2E_SIGN_PIN"
		check_pubkey $auth $MOD_AUTH_ID "$dir/auth-cert.der" "card $k auth public key"
		check_pubkey $sign $MOD_SIGN_ID "$dir/sign-cert.der" "card $k sign public key" \
			--login --pin "$E2E_SIGN_PIN"
	done
	# The two cards carry different identities.
	cmp -s cert-0-01.der cert-2-01.der && e2e_fail "both cards show the same certificate"

	# By token label, pkcs11-tool takes the first token of that name: card 0's.
	assert_eq "$(count_objects "$(mod_auth -O)")" "2 1 0" "auth objects by label"
	mod_auth --read-object --type cert --id "$MOD_AUTH_ID" -o auth-cert.der >/dev/null
	assert_same_file auth-cert.der "$JPKI_TEST_PKI/identity-0/auth-cert.der" "auth cert by label"
	mod_sign --login --pin "$E2E_SIGN_PIN" --read-object --type cert --id "$MOD_SIGN_ID" \
		-o sign-cert.der >/dev/null
	assert_same_file sign-cert.der "$JPKI_TEST_PKI/identity-0/sign-cert.der" "sign cert by label"
	mod_auth --read-object --type pubkey --id "$MOD_AUTH_ID" -o auth-pub.der >/dev/null
	assert_same_file auth-pub.der pub-0-01.der "auth public key by label"
}

# The same on the two cards that behave otherwise (e2e-lib.sh), every certificate from the card.
phase_objects_other_cards() {
	mod_conf "cert_cache = off"
	phase_objects
	mod_old_card_seen 0
}

e2e_dispatch "$@"
e2e_phase objects --cards 2
e2e_phase objects_other_cards --cards 2 --card0 "$MOD_CARD_OLD" --card1 "$MOD_CARD_OTHER"
