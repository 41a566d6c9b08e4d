#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Signing through OpenSC with both keys of two virtual cards: SHA256-RSA-PKCS (OpenSC hashes)
# and RSA-PKCS over a DigestInfo, each signature verified by OpenSSL against the certificate
# read off the card.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
e2e_require pkcs11-tool openssl

# RFC 8017 §9.2 note 1: DER of DigestInfo{sha256, 32-byte hash}, without the hash.
SHA256_DIGESTINFO_PREFIX='\060\061\060\015\006\011\140\206\110\001\145\003\004\002\001\005\000\004\040'

# pubkey_of SLOT_INDEX ID OUT [login options] — public key (PEM) of the certificate on the card.
pubkey_of() {
	local slot=$1 id=$2 out=$3
	shift 3
	p11 --slot-index "$slot" "$@" --read-object --type cert --id "$id" -o "$out.der" >/dev/null ||
		e2e_fail "cannot read certificate $id from slot index $slot"
	openssl x509 -inform DER -in "$out.der" -pubkey -noout >"$out"
}

verify() {
	openssl dgst -sha256 -verify "$1" -signature "$2" msg >/dev/null 2>&1
}

# sign_and_check K SLOT_INDEX ID PIN KEY_EF — signs with one key, checks the card's side.
sign_and_check() {
	local k=$1 slot=$2 id=$3 pin=$4 ef=$5 pub=pub$1-$3.pem sig=sig$1-$3 raw=raw$1-$3 mark out n
	mark=$(trace_mark "$k")
	out=$(p11 --slot-index "$slot" --login --pin "$pin" --sign -m SHA256-RSA-PKCS --id "$id" \
		-i msg -o "$sig")
	[ -s "$sig" ] || e2e_fail "no signature from card $k key $id: $out"
	verify "$pub" "$sig" || e2e_fail "SHA256-RSA-PKCS signature of card $k key $id does not verify"
	# The card signed with the key of EF $ef after a VERIFY of the right PIN.
	trace_since "$k" "$mark" | awk -v ef="> 00A4020C0200$ef" '$0 ~ ef"$" { s = 1; next } s && $3 ~ /^802A0080/ { f = 1 } $2 == ">" { s = 0 } END { exit !f }' ||
		e2e_fail "card $k: no COMPUTE DIGITAL SIGNATURE right after SELECT $ef"
	n=$(trace_since "$k" "$mark" | verify_sws | grep -c 9000)
	e2e_note "card $k key $id: $n successful VERIFY for one C_Sign"
	if [ "$id" = 02 ]; then
		# The sign key is CKA_ALWAYS_AUTHENTICATE: pkcs11-tool logs in, then passes the PIN again.
		assert_eq "$n" 2 "VERIFY count for the sign key (login + context-specific login)"
	fi

	out=$(p11 --slot-index "$slot" --login --pin "$pin" --sign -m RSA-PKCS --id "$id" \
		-i digestinfo -o "$raw")
	[ -s "$raw" ] || e2e_fail "no RSA-PKCS signature from card $k key $id: $out"
	verify "$pub" "$raw" || e2e_fail "RSA-PKCS signature of card $k key $id does not verify"
	openssl pkeyutl -verifyrecover -pubin -inkey "$pub" -in "$raw" -out "$raw.recovered" 2>/dev/null
	assert_same_file "$raw.recovered" digestinfo "DigestInfo recovered from card $k key $id"
}

phase_sign() {
	local k
	head -c 3000 /dev/urandom >msg
	{
		printf '%b' "$SHA256_DIGESTINFO_PREFIX"
		openssl dgst -sha256 -binary msg
	} >digestinfo
	[ "$(wc -c <digestinfo)" = 51 ] || e2e_fail "DigestInfo is not 51 bytes"

	for k in 0 1; do
		pubkey_of $((2 * k)) 01 pub$k-01.pem
		pubkey_of $((2 * k + 1)) 02 pub$k-02.pem --login --pin "$E2E_SIGN_PIN"
		sign_and_check $k $((2 * k)) 01 "$E2E_AUTH_PIN" 17
		sign_and_check $k $((2 * k + 1)) 02 "$E2E_SIGN_PIN" 1A
	done
	# Four distinct keys: no signature verifies under another card's or another slot's key.
	verify pub0-02.pem sig0-01 && e2e_fail "the auth signature verifies with the sign key"
	verify pub1-01.pem sig0-01 && e2e_fail "card 0's auth signature verifies with card 1's key"
	verify pub0-02.pem sig1-02 && e2e_fail "card 1's sign signature verifies with card 0's key"
	return 0
}

e2e_dispatch "$@"
e2e_phase sign --cards 2
