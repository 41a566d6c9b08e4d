#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# NSS (doc/guide-nss.md) on a virtual card through jpki-pkcs11: the module added to a fresh NSS
# database with modutil; certutil lists the authentication certificate without a PIN;
# tstclnt authenticates to an OpenSSL TLS server with the authentication key — TLS 1.2 with
# PKCS#1 v1.5, TLS 1.3 only with "rsa_pss = on" (without it NSS offers no certificate and the
# server ends the handshake).
#
#  nss           default configuration (public_certificates_token = on): the tokens are
#                "friendly", so NSS's tools never log in by themselves, not even with a
#                password at hand, and the signature certificate stays hidden; after an explicit
#                login (certutil -K, and an NSS application: consumers/nss-login-sign.py) NSS
#                lists the signature key, finds the certificate and signs a CMS message with
#                NSS's CMS library (login plus context-specific login), verified by OpenSSL.
#  not_friendly  public_certificates_token = off: the tools log in as they search, so certutil -L
#                shows the signature certificate after the password and cmsutil -S signs.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/e2e/consumers/lib.sh
. "$top_srcdir/test/e2e/consumers/lib.sh"
PY=${PYTHON3:-python3}
cons_require certutil modutil tstclnt cmsutil openssl "$PY"

# tls PORT [tstclnt options] — one GET through tstclnt with the card's authentication key;
# the page the server sent back (or tstclnt's error) on stdout.
tls() {
	local port=$1
	shift
	tstclnt -4 -h 127.0.0.1 -p "$port" -d sql:db -n "$CONS_AUTH_NICK" -w "$E2E_AUTH_PIN" \
		-A req.txt "$@" 2>&1
}

phase_nss() {
	local out mark
	cons_setup
	cons_server_pki

	# A fresh database; the module and a trust anchor for the test server.
	mkdir db
	certutil -N -d sql:db --empty-password || e2e_fail "certutil -N"
	out=$(modutil -dbdir sql:db -add jpki -libfile "$MOD" -force 2>&1)
	assert_contains "$out" 'Module "jpki" added to database.' "modutil -add"
	out=$(modutil -dbdir sql:db -list 2>&1)
	assert_contains "$out" "token: $CONS_AUTH_TOKEN" "modutil -list"
	assert_contains "$out" "token: $CONS_SIGN_TOKEN" "modutil -list"
	certutil -A -d sql:db -n "Test Server CA" -t "CT,C,C" -a -i ca.pem || e2e_fail "certutil -A"

	# Public objects need no PIN: the authentication certificate is a user certificate (u,u,u:
	# NSS found its private key's ID), the signature certificate stays hidden without login.
	mark=$(trace_mark 0)
	out=$(certutil -L -d sql:db -h all </dev/null 2>&1)
	grep -q "^$CONS_AUTH_NICK  *u,u,u\$" <<<"$out" || {
		printf '%s\n' "$out" >&2
		e2e_fail "certutil -L: the authentication certificate is not a user certificate"
	}
	assert_not_contains "$out" "$CONS_SIGN_NICK" "certutil -L without password"
	assert_eq "$(verify_sws_since "$mark")" "" "VERIFY with data during certutil -L"
	# Friendly tokens: even with the password at hand certutil does not log in, and the card
	# sees no VERIFY.
	printf '%s\n' "$E2E_SIGN_PIN" >sign-pw.txt
	mark=$(trace_mark 0)
	out=$(certutil -L -d sql:db -h all -f sign-pw.txt 2>&1)
	assert_not_contains "$out" "$CONS_SIGN_NICK" "certutil -L -h all -f (friendly tokens)"
	assert_eq "$(verify_sws_since "$mark")" "" "VERIFYs of certutil -L -h all -f"
	# An explicit login: certutil -K logs in to list the private keys.
	out=$(certutil -K -d sql:db -h "$CONS_SIGN_TOKEN" -f sign-pw.txt 2>&1)
	assert_contains "$out" "rsa      02" "certutil -K -h SIGN-TOKEN"
	assert_contains "$out" "JPKI signature key" "certutil -K -h SIGN-TOKEN"
	assert_eq "$(verify_sws_since "$mark" | tr '\n' ' ')" "9000 " "VERIFYs of certutil -K -f"
	printf '%s\n' "$E2E_AUTH_PIN" >auth-pw.txt
	out=$(certutil -K -d sql:db -h "$CONS_AUTH_TOKEN" -f auth-pw.txt 2>&1)
	assert_contains "$out" "JPKI authentication key" "certutil -K"

	# TLS client authentication with the authentication key.
	printf 'GET / HTTP/1.0\r\n\r\n' >req.txt
	cons_s_server tls12 4433 -tls1_2
	cons_s_server tls13 4434 -tls1_3
	cons_expect_page "$(tls 4433)" tls12 TLSv1.2 RSA "tstclnt TLS 1.2"
	# pitfall: TLS 1.3 forbids PKCS#1 v1.5 in CertificateVerify; without PSS on the token NSS
	# sends an empty Certificate message and the server ends the handshake.
	out=$(tls 4434) && e2e_fail "tstclnt TLS 1.3 without rsa_pss succeeded: $out"
	assert_contains "$out" "SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT" "tstclnt TLS 1.3 without PSS"
	grep -q "peer did not return a certificate" tls13.out ||
		e2e_fail "TLS 1.3 without PSS: the server did not report a missing certificate"
	export JPKI_PKCS11_CONF=$PWD/pss-on.conf
	cons_expect_page "$(tls 4434)" tls13 TLSv1.3 RSA-PSS "tstclnt TLS 1.3 with rsa_pss = on"
	cons_expect_page "$(tls 4433)" tls12 TLSv1.2 RSA-PSS "tstclnt TLS 1.2 with rsa_pss = on"
	unset JPKI_PKCS11_CONF

	# An application that logs in to the signature token first (as Thunderbird users do under
	# Security Devices): NSS then finds the certificate and signs; CKA_ALWAYS_AUTHENTICATE
	# makes it answer a context-specific login with the same password.
	printf 'A document signed with the JPKI signature key.\n' >doc.txt
	mark=$(trace_mark 0)
	out=$(timeout -k 5 30 "$PY" "$top_srcdir/test/e2e/consumers/nss-login-sign.py" sql:db \
		"$CONS_SIGN_TOKEN" "$CONS_SIGN_NICK" sign-pw.txt doc.txt doc.p7m 2>&1) ||
		e2e_fail "nss-login-sign.py: $out"
	assert_contains "$out" "after the login: '$CONS_SIGN_NICK' found" "certificate after login"
	assert_eq "$(verify_sws_since "$mark" | tr '\n' ' ')" "9000 9000 " \
		"VERIFYs for one signature (login, context-specific login)"
	cms_verify doc.p7m doc.txt
	e2e_note "after an explicit login NSS found \"$CONS_SIGN_NICK\" and signed (CMS verified)"

	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 3/5 "tries at the end"
}

# cms_verify CMS CONTENT — OpenSSL verifies the DER CMS SignedData (content inside) against
# the signature CA; its content is CONTENT and its signer the card's signature certificate.
cms_verify() {
	openssl cms -verify -inform DER -in "$1" -CAfile "$JPKI_TEST_PKI/sign-ca.pem" \
		-purpose any -out cms.out 2>cms.err || e2e_fail "openssl cms -verify $1: $(cat cms.err)"
	assert_same_file cms.out "$2" "content of the verified CMS $1"
	assert_contains "$(openssl cms -cmsout -print -inform DER -in "$1")" "$CONS_CN_SIGN" \
		"signer certificate in $1"
}

# nss_db — a fresh database in db/ with the module.
nss_db() {
	mkdir db
	certutil -N -d sql:db --empty-password || e2e_fail "certutil -N"
	modutil -dbdir sql:db -add jpki -libfile "$MOD" -force >/dev/null 2>&1 ||
		e2e_fail "modutil -add"
}

# Tokens that are not friendly: NSS's tools log in as they search, and cmsutil signs.
phase_not_friendly() {
	local out mark
	cons_setup
	printf '%s\n' "public_certificates_token = off" >conf
	export JPKI_PKCS11_CONF=$PWD/conf
	nss_db
	printf '%s\n' "$E2E_SIGN_PIN" >sign-pw.txt
	mark=$(trace_mark 0)
	out=$(certutil -L -d sql:db -h all </dev/null 2>&1)
	assert_not_contains "$out" "$CONS_SIGN_NICK" "certutil -L without password"
	assert_eq "$(verify_sws_since "$mark")" "" "VERIFY with data during certutil -L"
	out=$(certutil -L -d sql:db -h "$CONS_SIGN_TOKEN" -f sign-pw.txt 2>&1)
	grep -q "^$CONS_SIGN_NICK  *u,u,u\$" <<<"$out" || {
		printf '%s\n' "$out" >&2
		e2e_fail "certutil -L -h SIGN-TOKEN: no signature certificate after login"
	}
	# -h all offers the password to the authentication token too: the module refuses it there
	# (wrong length) without asking the card.
	mark=$(trace_mark 0)
	out=$(certutil -L -d sql:db -h all -f sign-pw.txt 2>&1)
	assert_contains "$out" "$CONS_SIGN_NICK" "certutil -L -h all -f"
	assert_eq "$(verify_sws_since "$mark" | tr '\n' ' ')" "9000 " "VERIFYs of certutil -L -h all -f"

	# CMS signature with the signature key (CKA_ALWAYS_AUTHENTICATE: NSS logs in, then answers
	# the context-specific login with the same password). -Y NONE: the certificate is not
	# fit for encryption, and cmsutil would otherwise look for a second one.
	printf 'A document signed with the JPKI signature key.\n' >doc.txt
	mark=$(trace_mark 0)
	out=$(cmsutil -S -d sql:db -N "$CONS_SIGN_NICK" -Y NONE -H SHA256 -T -i doc.txt -o doc.p7s \
		-p "$E2E_SIGN_PIN" 2>&1) || e2e_fail "cmsutil -S: $out"
	assert_eq "$(verify_sws_since "$mark" | tr '\n' ' ')" "9000 9000 " \
		"VERIFYs for one cmsutil signature (login, context-specific login)"
	openssl cms -verify -inform DER -in doc.p7s -content doc.txt -binary \
		-CAfile "$JPKI_TEST_PKI/sign-ca.pem" -purpose any -out doc.out 2>cms.err ||
		e2e_fail "openssl cms -verify: $(cat cms.err)"
	assert_same_file doc.out doc.txt "content of the verified CMS"
	out=$(openssl cms -cmsout -print -inform DER -in doc.p7s)
	assert_contains "$out" "$CONS_CN_SIGN" "signer certificate in the CMS"
	# The same with the password in a file, the content inside (no -T) and a signing time.
	cmsutil -S -d sql:db -N "$CONS_SIGN_NICK" -Y NONE -H SHA256 -G -i doc.txt -o doc.p7m \
		-f sign-pw.txt >/dev/null 2>&1 || e2e_fail "cmsutil -S -f"
	cms_verify doc.p7m doc.txt
	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 3/5 "tries at the end"
}

# verify_sws_since MARK — the status words of card 0's VERIFYs with data since MARK.
verify_sws_since() {
	trace_since 0 "$1" | verify_sws
}

e2e_dispatch "$@"
e2e_phase nss --cards 1
e2e_phase not_friendly --cards 1
