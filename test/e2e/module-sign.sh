#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# jpki-pkcs11 signing through pkcs11-tool with both keys of a virtual card: CKM_RSA_PKCS over a
# SHA-256 DigestInfo and CKM_SHA{1,224,256,384,512}_RSA_PKCS; with "rsa_pss = on",
# CKM_RSA_PKCS_PSS over a SHA-256 hash and CKM_SHA256_RSA_PKCS_PSS; with "rsa_pss = auto", PSS
# only on a card that checks the scheme before the security status (quirk
# scheme-before-security), learnt without a VERIFY or a signature. Every signature is
# verified by OpenSSL against the certificate, and the card's trace shows which scheme (P1 of
# COMPUTE DIGITAL SIGNATURE) it was asked for.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/diff/e2e-lib.sh
. "$top_srcdir/test/diff/e2e-lib.sh"
mod_require openssl

# RFC 8017 §9.2 note 1: DER of DigestInfo{sha256, 32-byte hash}, without the hash.
SHA256_DIGESTINFO_PREFIX='\060\061\060\015\006\011\140\206\110\001\145\003\004\002\001\005\000\004\040'

# The two keys of card 0: token function, CKA_ID, PIN, certificate.
KEYS="auth:$MOD_AUTH_ID:$E2E_AUTH_PIN:auth-cert.der sign:$MOD_SIGN_ID:$E2E_SIGN_PIN:sign-cert.der"

prepare() {
	head -c 5000 /dev/urandom >msg
	openssl dgst -sha256 -binary msg >msg.sha256
	openssl dgst -sha1 -binary msg >msg.sha1
	{
		printf '%b' "$SHA256_DIGESTINFO_PREFIX"
		cat msg.sha256
	} >msg.di
	openssl x509 -inform DER -in "$JPKI_TEST_PKI/identity-0/auth-cert.der" -pubkey -noout >auth.pem
	openssl x509 -inform DER -in "$JPKI_TEST_PKI/identity-0/sign-cert.der" -pubkey -noout >sign.pem
}

# sign_one WHICH ID PIN MECH INPUT SIG P1 [pkcs11-tool options] — one signature; the card must
# have received COMPUTE DIGITAL SIGNATURE with scheme P1.
sign_one() {
	local which=$1 id=$2 pin=$3 mech=$4 in=$5 sig=$6 p1=$7 mark out label
	shift 7
	label=$MOD_AUTH_LABEL
	[ "$which" = sign ] && label=$MOD_SIGN_LABEL
	mark=$(trace_mark 0)
	out=$(p11m --token-label "$label" --login --pin "$pin" --sign --id "$id" -m "$mech" "$@" \
		-i "$in" -o "$sig")
	[ -s "$sig" ] || e2e_fail "$which key, $mech: no signature: $out"
	assert_eq "$(wc -c <"$sig")" 256 "$which key, $mech: signature length"
	trace_since 0 "$mark" | grep -q "> 802A$p1" ||
		e2e_fail "$which key, $mech: no COMPUTE DIGITAL SIGNATURE with P1=$p1 in the trace"
}

phase_pkcs1() {
	local k which id pin bits out
	prepare
	out=$(mod_auth -M)
	assert_not_contains "$out" "PSS" "mechanisms without rsa_pss"
	for k in $KEYS; do
		IFS=: read -r which id pin _ <<<"$k"
		sign_one "$which" "$id" "$pin" RSA-PKCS msg.di "$which.rsa" 00
		openssl dgst -sha256 -verify "$which.pem" -signature "$which.rsa" msg >/dev/null ||
			e2e_fail "$which key, RSA-PKCS: signature does not verify"
		for bits in 1 224 256 384 512; do
			sign_one "$which" "$id" "$pin" "SHA$bits-RSA-PKCS" msg "$which.sha$bits" 00
			openssl dgst "-sha$bits" -verify "$which.pem" -signature "$which.sha$bits" msg \
				>/dev/null || e2e_fail "$which key, SHA$bits-RSA-PKCS: signature does not verify"
		done
	done
	out=$(mod_auth --login --pin "$E2E_AUTH_PIN" --sign --id "$MOD_AUTH_ID" -m RSA-PKCS-PSS \
		--hash-algorithm SHA256 --mgf MGF1-SHA256 -i msg.sha256 -o pss)
	assert_contains "$out" "CKR_MECHANISM_INVALID" "RSA-PKCS-PSS without rsa_pss"
	# PKCS#1 v1.5 is deterministic: the auth and sign keys give different signatures.
	cmp -s auth.sha256 sign.sha256 && e2e_fail "both keys gave the same signature"
	return 0
}

phase_pss() {
	local k which id pin out
	prepare
	mod_conf "rsa_pss = on"
	out=$(mod_auth -M)
	assert_contains "$out" "RSA-PKCS-PSS" "mechanisms with rsa_pss = on"
	assert_contains "$out" "SHA256-RSA-PKCS-PSS" "mechanisms with rsa_pss = on"
	for k in $KEYS; do
		IFS=: read -r which id pin _ <<<"$k"
		sign_one "$which" "$id" "$pin" RSA-PKCS-PSS msg.sha256 "$which.pss" 04 \
			--hash-algorithm SHA256 --mgf MGF1-SHA256 --salt-len 32
		openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
			-verify "$which.pem" -signature "$which.pss" msg >/dev/null ||
			e2e_fail "$which key, RSA-PKCS-PSS: signature does not verify"
		openssl pkeyutl -verify -pubin -inkey "$which.pem" -in msg.sha256 -sigfile "$which.pss" \
			-pkeyopt digest:sha256 -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:32 \
			>/dev/null || e2e_fail "$which key, RSA-PKCS-PSS: pkeyutl does not verify"
		sign_one "$which" "$id" "$pin" SHA256-RSA-PKCS-PSS msg "$which.sha256pss" 04 \
			--mgf MGF1-SHA256 --salt-len 32
		openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
			-verify "$which.pem" -signature "$which.sha256pss" msg >/dev/null ||
			e2e_fail "$which key, SHA256-RSA-PKCS-PSS: signature does not verify"
	done
	# Any other PSS parameters are refused before the card is asked.
	out=$(mod_auth --login --pin "$E2E_AUTH_PIN" --sign --id "$MOD_AUTH_ID" -m RSA-PKCS-PSS \
		--hash-algorithm SHA-1 --mgf MGF1-SHA1 -i msg.sha1 -o bad.pss)
	assert_contains "$out" "CKR_MECHANISM_PARAM_INVALID" "RSA-PKCS-PSS with SHA-1 parameters"
	return 0
}

# rsa_pss = auto; $1 = yes when the card is expected to show the scheme.
pss_auto() {
	local out
	prepare
	mod_conf "rsa_pss = auto"
	out=$(mod_auth -M)
	# The probe: the undefined scheme first; no VERIFY with data, no signature answered.
	trace_since 0 0 | grep -q "> 802AFF80" || e2e_fail "no PSS probe in the trace"
	assert_eq "$(trace_since 0 0 | verify_sws | wc -l)" 0 "VERIFY commands during the probe"
	trace_since 0 0 | awk '$2 == ">" { s = ($3 ~ /^802A/) } $2 == "<" && s && length($3) > 4' |
		grep -q . && e2e_fail "the card answered the probe with a signature"
	if [ "$1" = yes ]; then
		assert_contains "$out" "RSA-PKCS-PSS" "mechanisms with rsa_pss = auto"
		sign_one auth "$MOD_AUTH_ID" "$E2E_AUTH_PIN" SHA256-RSA-PKCS-PSS msg auth.sha256pss 04 \
			--mgf MGF1-SHA256 --salt-len 32
		openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
			-verify auth.pem -signature auth.sha256pss msg >/dev/null ||
			e2e_fail "SHA256-RSA-PKCS-PSS with rsa_pss = auto: signature does not verify"
	else
		assert_not_contains "$out" "PSS" "mechanisms with rsa_pss = auto, no answer"
	fi
	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 3/5 "tries at the end"
}

phase_pss_auto_found() {
	pss_auto yes
}

phase_pss_auto_unknown() {
	pss_auto no
}

# PKCS#1 signing with both keys on the cards that behave otherwise (e2e-lib.sh).
phase_pkcs1_old_card() {
	mod_conf "cert_cache = off"
	phase_pkcs1
	mod_old_card_seen 0
}

phase_pkcs1_other_card() {
	phase_pkcs1
}

e2e_dispatch "$@"
e2e_phase pkcs1 --cards 1
e2e_phase pkcs1_old_card --cards 1 --card0 "$MOD_CARD_OLD"
e2e_phase pkcs1_other_card --cards 1 --card0 "$MOD_CARD_OTHER"
e2e_phase pss --cards 1
e2e_phase pss_auto_found --cards 1 --card0 "--quirk scheme-before-security=on"
e2e_phase pss_auto_unknown --cards 1
