#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# GnuTLS (doc/guide-gnutls.md) on a virtual card through jpki-pkcs11: p11tool lists the two
# tokens and their objects (the signature certificate only after the password), exports the
# certificates as the card holds them, and its --test-sign signs and verifies with both keys
# (the signature key's context-specific login answered from GNUTLS_PIN) and, with
# "rsa_pss = on", with RSA-PSS; gnutls-cli authenticates to an OpenSSL TLS server with key and
# certificate given as pkcs11: URIs — TLS 1.2 with PKCS#1 v1.5, TLS 1.3 only with PSS.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/e2e/consumers/lib.sh
. "$top_srcdir/test/e2e/consumers/lib.sh"
cons_require p11tool gnutls-cli openssl

AUTH_KEY="$CONS_AUTH_URI;id=%01;type=private"
AUTH_CERT="$CONS_AUTH_URI;id=%01;type=cert"
SIGN_KEY="$CONS_SIGN_URI;id=%02;type=private"

# tls PORT [gnutls-cli options] — one GET through gnutls-cli with key and certificate on the
# card (PIN from GNUTLS_PIN); the page the server sent back, or the error.
tls() {
	local port=$1
	shift
	printf 'GET / HTTP/1.0\r\n\r\n' | gnutls-cli --provider "$MOD" --x509cafile ca.pem \
		--x509keyfile "$AUTH_KEY" --x509certfile "$AUTH_CERT" -p "$port" 127.0.0.1 "$@" 2>&1
}

phase_gnutls() {
	local out mark
	cons_setup
	cons_server_pki

	out=$(p11tool --provider "$MOD" --list-tokens 2>&1)
	assert_contains "$out" "URL: pkcs11:model=" "p11tool --list-tokens"
	assert_contains "$out" ";token=JPKI%20Auth%20%284-digit%20PIN%29" "p11tool --list-tokens"
	assert_contains "$out" ";token=JPKI%20Sign%20%286-16%20char%20password%29" \
		"p11tool --list-tokens"
	assert_contains "$out" "Label: $CONS_SIGN_TOKEN" "p11tool --list-tokens"

	# Objects: public ones without a PIN; the signature certificate after the login.
	out=$(p11tool --provider "$MOD" --list-all-certs "$CONS_AUTH_URI" 2>&1)
	assert_contains "$out" "Label: JPKI authentication certificate" "--list-all-certs (auth)"
	assert_contains "$out" "Label: JPKI authentication CA certificate" "--list-all-certs (auth)"
	out=$(p11tool --provider "$MOD" --list-all-certs "$CONS_SIGN_URI" 2>&1)
	assert_contains "$out" "Label: JPKI signature CA certificate" "--list-all-certs (sign)"
	assert_not_contains "$out" "Label: JPKI signature certificate" "--list-all-certs without login"
	out=$(GNUTLS_PIN=$E2E_SIGN_PIN p11tool --provider "$MOD" --login --list-all "$CONS_SIGN_URI" 2>&1)
	assert_contains "$out" "Label: JPKI signature certificate" "--list-all --login (sign)"
	assert_contains "$out" "Flags: CKA_PRIVATE; CKA_ALWAYS_AUTH;" "--list-all --login (sign key)"
	p11tool --provider "$MOD" --export "$AUTH_CERT" >auth-cert.pem 2>export.err ||
		e2e_fail "p11tool --export: $(cat export.err)"
	assert_eq "$(openssl x509 -in auth-cert.pem -outform DER | od -An -tx1 | tr -d ' \n')" \
		"$(od -An -tx1 "$CONS_PKI/auth-cert.der" | tr -d ' \n')" "exported authentication certificate"

	# Signatures, verified by p11tool against the key's parameters and the public key object.
	out=$(GNUTLS_PIN=$E2E_AUTH_PIN p11tool --provider "$MOD" --login --test-sign "$AUTH_KEY" 2>&1)
	assert_contains "$out" "Signing using RSA-SHA256... ok" "--test-sign (auth)"
	assert_contains "$out" "Verifying against public key in the token... ok" "--test-sign (auth)"
	mark=$(trace_mark 0)
	out=$(GNUTLS_PIN=$E2E_SIGN_PIN p11tool --provider "$MOD" --login --test-sign "$SIGN_KEY" 2>&1)
	assert_contains "$out" "Signing using RSA-SHA256... ok" "--test-sign (sign)"
	assert_contains "$out" "Verifying against public key in the token... ok" "--test-sign (sign)"
	assert_eq "$(trace_since 0 "$mark" | verify_sws | tr '\n' ' ')" "9000 9000 " \
		"VERIFYs of --test-sign with the signature key (login, context-specific login)"
	out=$(GNUTLS_PIN=$E2E_AUTH_PIN p11tool --provider "$MOD" --login --test-sign \
		--sign-params rsa-pss "$AUTH_KEY" 2>&1) &&
		e2e_fail "RSA-PSS --test-sign without rsa_pss: $out"
	assert_contains "$out" "The signature algorithm is not supported" "RSA-PSS without rsa_pss"
	out=$(JPKI_PKCS11_CONF=$PWD/pss-on.conf p11tool --provider "$MOD" --list-mechanisms \
		"$CONS_AUTH_URI" 2>&1)
	assert_contains "$out" "CKM_SHA256_RSA_PKCS_PSS keysize range (2048, 2048) hw sign" \
		"--list-mechanisms with rsa_pss = on"
	out=$(JPKI_PKCS11_CONF=$PWD/pss-on.conf GNUTLS_PIN=$E2E_AUTH_PIN p11tool --provider "$MOD" \
		--login --test-sign --sign-params rsa-pss "$AUTH_KEY" 2>&1)
	assert_contains "$out" "Signing using RSA-PSS-SHA256... ok" "--test-sign rsa-pss with rsa_pss = on"
	assert_contains "$out" "Verifying against public key in the token... ok" "--test-sign rsa-pss"

	# TLS client authentication, key and certificate as pkcs11: URIs.
	cons_s_server tls12 4433 -tls1_2
	cons_s_server tls13 4434
	export GNUTLS_PIN=$E2E_AUTH_PIN
	cons_expect_page "$(tls 4433)" tls12 TLSv1.2 RSA "gnutls-cli TLS 1.2"
	out=$(tls 4434) && e2e_fail "gnutls-cli TLS 1.3 without rsa_pss succeeded: $out"
	assert_contains "$out" "Received alert [116]: Certificate is required" \
		"gnutls-cli TLS 1.3 without rsa_pss"
	export JPKI_PKCS11_CONF=$PWD/pss-on.conf
	cons_expect_page "$(tls 4434)" tls13 TLSv1.3 RSA-PSS "gnutls-cli TLS 1.3 with rsa_pss = on"
	cons_expect_page "$(tls 4433)" tls12 TLSv1.2 RSA-PSS "gnutls-cli TLS 1.2 with rsa_pss = on"
	# The PIN in the key URI instead of the environment.
	unset GNUTLS_PIN
	out=$(printf 'GET / HTTP/1.0\r\n\r\n' | gnutls-cli --provider "$MOD" --x509cafile ca.pem \
		--x509keyfile "$AUTH_KEY?pin-value=1234" --x509certfile "$AUTH_CERT" -p 4434 127.0.0.1 2>&1)
	cons_expect_page "$out" tls13 TLSv1.3 RSA-PSS "gnutls-cli with ?pin-value="
	unset JPKI_PKCS11_CONF

	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 3/5 "tries at the end"
}

e2e_dispatch "$@"
e2e_phase gnutls --cards 1
