#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# OpenSSL 3 with libp11's pkcs11 engine (doc/guide-openssl.md) on a virtual card through
# jpki-pkcs11: dgst and CMS signatures with both keys, verified by OpenSSL. The signature key is
# CKA_ALWAYS_AUTHENTICATE, and libp11 asks for its context-specific login on the terminal (never
# with the PIN it already has): without a terminal the signature fails before the card is
# asked; on a terminal (script(1) here) the answered prompt signs; "sign_always_authenticate =
# off" makes batch signing work. TLS client authentication with the authentication key through
# s_client and curl: with PKCS#1 v1.5 only (no "rsa_pss"), OpenSSL's default choice of RSA-PSS
# fails and the client signature algorithms must be pinned to RSA+SHA*; with "rsa_pss = on"
# TLS 1.2 and 1.3 both work with RSA-PSS.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/e2e/consumers/lib.sh
. "$top_srcdir/test/e2e/consumers/lib.sh"
cons_require openssl curl script
[ -f "$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')/pkcs11.so" ] ||
	e2e_skip "libp11's engine is not installed (libengine-pkcs11-openssl)"

AUTH_KEY="$CONS_AUTH_URI;id=%01;type=private;pin-value=$E2E_AUTH_PIN"
SIGN_KEY="$CONS_SIGN_URI;object=JPKI%20signature%20key;type=private"

# with_tty ANSWER COMMAND... — runs COMMAND on a pseudo-terminal (script(1)) and types ANSWER
# once it asks for a "PIN for"; its terminal output goes to tty.out.
# shellcheck disable=SC2094 # the answer waits for the prompt in the output
with_tty() {
	local answer=$1 i
	shift
	printf '%q ' "$@" >tty-cmd.sh
	: >tty.out
	{
		for ((i = 0; i < 250; i++)); do
			grep -q "PIN for" tty.out && break
			sleep 0.02
		done
		printf '%s\n' "$answer"
	} | script -q -e -c "bash tty-cmd.sh" /dev/null >tty.out
}

# cms_check FILE WHAT — FILE is a detached CMS signature of doc.txt by the card's sign key.
cms_check() {
	openssl cms -verify -inform DER -in "$1" -content doc.txt -binary \
		-CAfile "$JPKI_TEST_PKI/sign-ca.pem" -purpose any -out doc.out 2>cms.err ||
		e2e_fail "$2: openssl cms -verify: $(cat cms.err)"
	assert_same_file doc.out doc.txt "$2: verified content"
	assert_contains "$(openssl cms -cmsout -print -inform DER -in "$1")" "$CONS_CN_SIGN" \
		"$2: signer certificate"
}

# verifies_since MARK — the status words of card 0's VERIFYs with data since MARK, on one line.
verifies_since() {
	trace_since 0 "$1" | verify_sws | tr '\n' ' '
}

# get PORT [s_client options] — one GET through s_client with the authentication key.
get() {
	local port=$1
	shift
	printf 'GET / HTTP/1.0\r\n\r\n' | openssl s_client -connect "127.0.0.1:$port" -quiet \
		-engine pkcs11 -keyform engine -key "$AUTH_KEY" -cert "$CONS_PKI/auth-cert.pem" \
		-CAfile ca.pem "$@" 2>&1
}

# get_curl PORT [curl options]
get_curl() {
	local port=$1
	shift
	curl -sS --cacert ca.pem --engine pkcs11 --key-type ENG --key "$AUTH_KEY" \
		--cert "$CONS_PKI/auth-cert.pem" "$@" "https://127.0.0.1:$port/" 2>&1
}

# engine_conf [LINE] — an OpenSSL configuration that binds libp11's engine to the module; LINE
# goes into the openssl_init section.
engine_conf() {
	cat <<EOF
openssl_conf = openssl_init

[openssl_init]
engines = engine_section
${1:-}

[engine_section]
pkcs11 = pkcs11_section

[pkcs11_section]
engine_id = pkcs11
MODULE_PATH = $MOD
init = 0
EOF
}

phase_openssl() {
	local out mark
	cons_setup
	cons_server_pki
	cons_s_server tls12 4433 -tls1_2
	cons_s_server tls13 4434
	printf 'A document signed with a My Number card.\n' >doc.txt
	openssl x509 -in "$CONS_PKI/auth-cert.pem" -pubkey -noout >auth-pub.pem

	# The engine, bound to the module by a configuration file; PIN in the URI.
	engine_conf >openssl-pkcs11.cnf
	export OPENSSL_CONF=$PWD/openssl-pkcs11.cnf
	openssl dgst -sha256 -engine pkcs11 -keyform engine -sign "$AUTH_KEY" \
		-out doc.sig doc.txt 2>dgst.err || e2e_fail "dgst -sign: $(cat dgst.err)"
	openssl dgst -sha256 -verify auth-pub.pem -signature doc.sig doc.txt >/dev/null ||
		e2e_fail "the dgst signature of the authentication key does not verify"
	openssl cms -sign -engine pkcs11 -keyform engine -inkey "$AUTH_KEY" \
		-signer "$CONS_PKI/auth-cert.pem" -in doc.txt -binary -md sha256 -outform DER \
		-out auth.p7s 2>cms.err || e2e_fail "cms -sign with the auth key: $(cat cms.err)"
	openssl cms -verify -inform DER -in auth.p7s -content doc.txt -binary \
		-CAfile "$JPKI_TEST_PKI/auth-ca.pem" -purpose any -out /dev/null 2>cms.err ||
		e2e_fail "CMS of the authentication key: $(cat cms.err)"

	# The signature key. No terminal: libp11 cannot ask for the context-specific login, and
	# the signature fails before any second VERIFY (no try is spent).
	mark=$(trace_mark 0)
	out=$(openssl cms -sign -engine pkcs11 -keyform engine -inkey "$SIGN_KEY;pin-value=$E2E_SIGN_PIN" \
		-signer "$CONS_PKI/sign-cert.pem" -in doc.txt -binary -md sha256 -outform DER \
		-out none.p7s </dev/null 2>&1) && e2e_fail "cms -sign without a terminal succeeded"
	assert_contains "$out" "Enter PKCS#11 key PIN for JPKI signature key:" "libp11's prompt"
	assert_contains "$out" "UI_process:processing error" "cms -sign without a terminal"
	assert_eq "$(verifies_since "$mark")" "9000 " "VERIFYs of cms -sign without a terminal"
	# On a terminal: the login takes the PIN from the URI, the prompt the password again.
	mark=$(trace_mark 0)
	with_tty "$E2E_SIGN_PIN" openssl cms -sign -engine pkcs11 -keyform engine \
		-inkey "$SIGN_KEY;pin-value=$E2E_SIGN_PIN" -signer "$CONS_PKI/sign-cert.pem" -in doc.txt \
		-binary -md sha256 -outform DER -out tty.p7s ||
		e2e_fail "cms -sign on a terminal: $(cat tty.out)"
	assert_contains "$(cat tty.out)" "Enter PKCS#11 key PIN for JPKI signature key:" \
		"the prompt on the terminal"
	assert_eq "$(verifies_since "$mark")" "9000 9000 " \
		"VERIFYs of cms -sign on a terminal (login, context-specific login)"
	cms_check tty.p7s "cms -sign on a terminal"
	# Batch: without CKA_ALWAYS_AUTHENTICATE the login alone authorises the signature.
	printf '%s\n' "sign_always_authenticate = off" >no-always-auth.conf
	mark=$(trace_mark 0)
	JPKI_PKCS11_CONF=$PWD/no-always-auth.conf openssl cms -sign -engine pkcs11 -keyform engine \
		-inkey "$SIGN_KEY;pin-value=$E2E_SIGN_PIN" -signer "$CONS_PKI/sign-cert.pem" -in doc.txt \
		-binary -md sha256 -outform DER -out batch.p7s 2>cms.err </dev/null ||
		e2e_fail "cms -sign with sign_always_authenticate = off: $(cat cms.err)"
	assert_eq "$(verifies_since "$mark")" "9000 " "VERIFYs with sign_always_authenticate = off"
	cms_check batch.p7s "cms -sign with sign_always_authenticate = off"

	# TLS client authentication, PKCS#1 v1.5 only. OpenSSL prefers RSA-PSS, which the token
	# lacks (CKM_RSA_PKCS_PSS and raw RSA are both missing): libp11 fails.
	out=$(get 4433) && e2e_fail "s_client with default signature algorithms succeeded: $out"
	assert_contains "$out" "Mechanism invalid" "s_client TLS 1.2 with RSA-PSS on a PKCS#1 token"
	out=$(get 4433 -client_sigalgs RSA+SHA256:RSA+SHA384:RSA+SHA512)
	cons_expect_page "$out" tls12 TLSv1.2 RSA "s_client TLS 1.2 -client_sigalgs RSA+SHA256"
	# curl has no such option; the OpenSSL configuration gives every client the same list.
	out=$(get_curl 4433) && e2e_fail "curl with default signature algorithms succeeded: $out"
	assert_contains "$out" "Mechanism invalid" "curl TLS 1.2 with RSA-PSS on a PKCS#1 token"
	engine_conf "ssl_conf = ssl_section" >openssl-pkcs1.cnf
	cat >>openssl-pkcs1.cnf <<'EOF'

[ssl_section]
system_default = tls_defaults

[tls_defaults]
ClientSignatureAlgorithms = RSA+SHA256:RSA+SHA384:RSA+SHA512
EOF
	out=$(OPENSSL_CONF=$PWD/openssl-pkcs1.cnf get_curl 4433)
	cons_expect_page "$out" tls12 TLSv1.2 RSA "curl TLS 1.2 with ClientSignatureAlgorithms"

	# With rsa_pss = on: RSA-PSS on TLS 1.2 and 1.3; curl also takes the certificate from the card.
	export JPKI_PKCS11_CONF=$PWD/pss-on.conf
	cons_expect_page "$(get 4433)" tls12 TLSv1.2 RSA-PSS "s_client TLS 1.2 with rsa_pss = on"
	cons_expect_page "$(get 4434)" tls13 TLSv1.3 RSA-PSS "s_client TLS 1.3 with rsa_pss = on"
	cons_expect_page "$(get_curl 4434)" tls13 TLSv1.3 RSA-PSS "curl TLS 1.3 with rsa_pss = on"
	out=$(curl -sS --cacert ca.pem --engine pkcs11 --key-type ENG --key "$AUTH_KEY" \
		--cert-type ENG --cert "$CONS_AUTH_URI;id=%01;type=cert" https://127.0.0.1:4434/ 2>&1)
	cons_expect_page "$out" tls13 TLSv1.3 RSA-PSS "curl with key and certificate on the card"
	unset JPKI_PKCS11_CONF

	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 3/5 "tries at the end"
}

e2e_dispatch "$@"
e2e_phase openssl --cards 1
