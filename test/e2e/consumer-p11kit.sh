#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# p11-kit (doc/guide-p11-kit.md) with jpki-pkcs11 on a virtual card: registration through a
# .module file in the system directory (a tmpfs over it in the harness's mount namespace, so
# the system's registrations are hidden and nothing changes outside) and in a non-root user's
# ~/.config/pkcs11/modules (which p11-kit ignores for root); p11-kit list-modules shows the
# module and its two tokens; GnuTLS and libp11 find it without being told the path;
# p11-kit-proxy.so serves both tokens and signs; "p11-kit server" exposes only the
# authentication token on a unix socket and another process signs through p11-kit-client.so.
# Every signature is verified by OpenSSL against the card's certificate.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/e2e/consumers/lib.sh
. "$top_srcdir/test/e2e/consumers/lib.sh"
cons_require p11-kit p11tool pkcs11-tool pkg-config setpriv openssl
PROXY=$(pkg-config --variable=proxy_module p11-kit-1)
CLIENT=$(pkg-config --variable=p11_module_path p11-kit-1)/p11-kit-client.so
SYSTEM_MODULES=$(pkg-config --variable=p11_module_configs p11-kit-1)
for f in "$PROXY" "$CLIENT"; do
	[ -f "$f" ] || e2e_skip "$f not found"
done
[ -d "$SYSTEM_MODULES" ] || e2e_skip "no p11-kit module directory"
getent passwd nobody >/dev/null || e2e_skip "no user nobody"

AUTH_KEY_ID=01

# sign_check MODULE WHAT [pkcs11-tool options] — signs msg with the authentication key
# through MODULE and verifies the signature against the certificate.
sign_check() {
	local module=$1 what=$2 out
	shift 2
	rm -f msg.sig
	out=$(pkcs11-tool --module "$module" "$@" --login --pin "$E2E_AUTH_PIN" --sign \
		--id "$AUTH_KEY_ID" -m SHA256-RSA-PKCS -i msg -o msg.sig 2>&1) || e2e_fail "$what: $out"
	openssl dgst -sha256 -verify auth-pub.pem -signature msg.sig msg >/dev/null ||
		e2e_fail "$what: the signature does not verify"
}

# as_nobody COMMAND... — COMMAND as user nobody, with HOME=$U.
as_nobody() {
	setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups env HOME="$U" "$@" 2>&1
}

phase_p11kit() {
	local out n
	cons_setup
	head -c 3000 /dev/urandom >msg
	openssl x509 -in "$CONS_PKI/auth-cert.pem" -pubkey -noout >auth-pub.pem

	# System registration. The tmpfs hides the packages' .module files (OpenSC would claim
	# the card as well) in this namespace only.
	mount -t tmpfs -o mode=0755 tmpfs "$SYSTEM_MODULES" || e2e_fail "cannot mount a tmpfs"
	printf 'module: %s\n' "$MOD" >"$SYSTEM_MODULES/jpki-pkcs11.module"
	out=$(p11-kit list-modules 2>&1)
	assert_contains "$out" "jpki-pkcs11: $MOD" "p11-kit list-modules"
	assert_contains "$out" "library-description: JPKI My Number card PKCS#11" "p11-kit list-modules"
	assert_contains "$out" "token: $CONS_AUTH_TOKEN" "p11-kit list-modules"
	assert_contains "$out" "token: $CONS_SIGN_TOKEN" "p11-kit list-modules"
	# GnuTLS and libp11 (whose default module is p11-kit-proxy) find the tokens by themselves.
	out=$(p11tool --list-tokens 2>&1)
	assert_contains "$out" "Label: $CONS_AUTH_TOKEN" "p11tool --list-tokens (registered)"
	out=$(openssl dgst -sha256 -engine pkcs11 -keyform engine -sign \
		"$CONS_AUTH_URI;id=%01;type=private;pin-value=1234" -out dgst.sig msg 2>&1) ||
		e2e_fail "libp11 through p11-kit-proxy: $out"
	openssl dgst -sha256 -verify auth-pub.pem -signature dgst.sig msg >/dev/null ||
		e2e_fail "libp11 through p11-kit-proxy: the signature does not verify"

	# p11-kit-proxy.so: one module for everything registered.
	out=$(pkcs11-tool --module "$PROXY" -L 2>&1)
	assert_contains "$out" "token label        : $CONS_AUTH_TOKEN" "pkcs11-tool on p11-kit-proxy.so"
	assert_contains "$out" "token label        : $CONS_SIGN_TOKEN" "pkcs11-tool on p11-kit-proxy.so"
	sign_check "$PROXY" "signature through p11-kit-proxy.so" --token-label "$CONS_AUTH_TOKEN"

	# Per-user registration: ~/.config/pkcs11/modules. p11-kit skips it for root.
	cons_mktemp
	U=$CONS_TMP
	rm "$SYSTEM_MODULES/jpki-pkcs11.module"
	# the module is copied where nobody can read it (the build tree may not be readable)
	cp "$MOD" "$U/jpki-pkcs11.so"
	mkdir -p "$U/.config/pkcs11/modules"
	printf 'module: %s\n' "$U/jpki-pkcs11.so" >"$U/.config/pkcs11/modules/jpki-pkcs11.module"
	out=$(HOME=$U p11-kit list-modules 2>&1)
	assert_not_contains "$out" "jpki-pkcs11" "p11-kit list-modules as root with a user config"
	out=$(as_nobody p11-kit list-modules)
	assert_contains "$out" "jpki-pkcs11: $U/jpki-pkcs11.so" "p11-kit list-modules as a user"
	assert_contains "$out" "token: $CONS_SIGN_TOKEN" "p11-kit list-modules as a user"
	out=$(as_nobody p11tool --list-all-certs "$CONS_AUTH_URI")
	assert_contains "$out" "Label: JPKI authentication certificate" "p11tool as a user"
	# A user file named like a system one overrides it: OpenSC disabled for this user.
	printf 'module: %s\n' "$OPENSC_PKCS11" >"$SYSTEM_MODULES/opensc-pkcs11.module"
	assert_contains "$(as_nobody p11-kit list-modules)" "opensc-pkcs11: $OPENSC_PKCS11" \
		"p11-kit list-modules with OpenSC registered"
	printf 'enable-in: nothing\n' >"$U/.config/pkcs11/modules/opensc-pkcs11.module"
	out=$(as_nobody p11-kit list-modules)
	assert_not_contains "$out" "opensc-pkcs11" "p11-kit list-modules with OpenSC disabled"
	assert_contains "$out" "jpki-pkcs11: $U/jpki-pkcs11.so" "p11-kit list-modules, OpenSC disabled"

	# Remoting: the server process loads the module and exposes one token.
	cons_start p11-kit-server p11-kit server -f -p "$MOD" -n "$PWD/p11.sock" "$CONS_AUTH_URI"
	for ((n = 0; n < 250; n++)); do
		[ -S p11.sock ] && break
		sleep 0.02
	done
	assert_contains "$(cat p11-kit-server.out)" "P11_KIT_SERVER_ADDRESS=unix:path=$PWD/p11.sock" \
		"p11-kit server"
	export P11_KIT_SERVER_ADDRESS=unix:path=$PWD/p11.sock
	out=$(pkcs11-tool --module "$CLIENT" -L 2>&1)
	assert_contains "$out" "token label        : $CONS_AUTH_TOKEN" "pkcs11-tool on p11-kit-client.so"
	assert_not_contains "$out" "$CONS_SIGN_TOKEN" "pkcs11-tool on p11-kit-client.so"
	sign_check "$CLIENT" "signature through p11-kit-client.so"
	unset P11_KIT_SERVER_ADDRESS
	cons_stop "$CONS_PID"

	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 3/5 "tries at the end"
}

e2e_dispatch "$@"
e2e_phase p11kit --cards 1
