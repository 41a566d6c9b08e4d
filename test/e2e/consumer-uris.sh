#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# RFC 7512 pkcs11: URIs (doc/guide-p11-kit.md) with jpki-pkcs11 and two virtual cards, whose
# tokens carry the same labels and differ in their serial numbers: GnuTLS lists a URI for each
# token and object; every such URI picks the same object, of the right card, in GnuTLS
# (p11tool --export, --test-sign), in libp11 (OpenSSL engine: signature with the private key,
# public key load) and, for tokens, in "p11-kit server"; short forms (serial + id, or label +
# serial + object name with unencoded parentheses) work the same. A URI that matches a token
# on each card is refused by libp11, which must end cleanly.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/e2e/consumers/lib.sh
. "$top_srcdir/test/e2e/consumers/lib.sh"
cons_require p11tool p11-kit pkcs11-tool pkg-config openssl
CLIENT=$(pkg-config --variable=p11_module_path p11-kit-1)/p11-kit-client.so
[ -f "$CLIENT" ] || e2e_skip "p11-kit-client.so not found"
[ -f "$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')/pkcs11.so" ] ||
	e2e_skip "libp11's engine is not installed (libengine-pkcs11-openssl)"

# hex_of FILE — the hex of a DER file, or of the PEM certificate or public key in FILE.
hex_of() {
	case $(head -c 11 "$1") in
	"-----BEGIN "*) sed '/^-----/d' "$1" | base64 -d | od -An -tx1 | tr -d ' \n' ;;
	*) od -An -tx1 "$1" | tr -d ' \n' ;;
	esac
}

# identity_of CERT_PEM KIND — which identity of the test PKI owns the certificate (0 or 1).
identity_of() {
	local k
	for k in 0 1; do
		if [ "$(hex_of "$1")" = "$(hex_of "$JPKI_TEST_PKI/identity-$k/$2-cert.der")" ]; then
			echo "$k"
			return
		fi
	done
	e2e_fail "the exported $2 certificate belongs to no identity"
}

# pick URIS PATTERN — the one URI in URIS matching PATTERN.
pick() {
	local found
	found=$(grep -e "$2" <<<"$1")
	if [ -z "$found" ] || [ "$(wc -l <<<"$found")" != 1 ]; then
		printf '%s\n' "$1" >&2
		e2e_fail "not exactly one object URI matches $2"
	fi
	printf '%s\n' "$found"
}

# libp11_sign KEY_URI IDENTITY KIND WHAT — signs with the key through libp11 and checks the
# signature against the certificate of IDENTITY.
libp11_sign() {
	local key=$1 k=$2 kind=$3 what=$4 out
	rm -f msg.sig
	out=$(openssl dgst -sha256 -engine pkcs11 -keyform engine -sign "$key" -out msg.sig msg 2>&1) ||
		e2e_fail "$what: $out"
	openssl x509 -in "$JPKI_TEST_PKI/identity-$k/$kind-cert.pem" -pubkey -noout >want.pem
	openssl dgst -sha256 -verify want.pem -signature msg.sig msg >/dev/null ||
		e2e_fail "$what: not signed by identity $k's $kind key"
}

# check_auth_token TOKEN_URI — the objects of one authentication token, through their URIs.
check_auth_token() {
	local t=$1 objs cert ca pub key k serial out short
	objs=$(p11tool --provider "$MOD" --list-all --only-urls "$t" 2>&1)
	assert_eq "$(wc -l <<<"$objs")" 4 "objects of $t without login"
	# The profile object (public_certificates_token = on): no RFC 7512 type, no id.
	pick "$objs" ";token=JPKI%20Auth%20%284-digit%20PIN%29;object=JPKI%20authentication%20token%20profile$" \
		>/dev/null
	cert=$(pick "$objs" ";id=%01;object=JPKI%20authentication%20certificate;type=cert$")
	ca=$(pick "$objs" ";id=%03;object=JPKI%20authentication%20CA%20certificate;type=cert$")
	pub=$(pick "$objs" ";id=%01;object=JPKI%20authentication%20key;type=public$")
	key="${pub%;type=public};type=private"
	p11tool --provider "$MOD" --export "$cert" >cert.pem 2>&1 || e2e_fail "export $cert"
	k=$(identity_of cert.pem auth)
	seen="$seen$k"
	p11tool --provider "$MOD" --export "$ca" >ca.pem 2>&1 || e2e_fail "export $ca"
	assert_eq "$(hex_of ca.pem)" "$(hex_of "$JPKI_TEST_PKI/auth-ca.der")" "CA certificate of $ca"
	p11tool --provider "$MOD" --export "$pub" >pub.pem 2>&1 || e2e_fail "export $pub"
	openssl x509 -in cert.pem -pubkey -noout >cert-pub.pem
	assert_eq "$(hex_of pub.pem)" "$(hex_of cert-pub.pem)" "public key of $pub"

	out=$(GNUTLS_PIN=$E2E_AUTH_PIN p11tool --provider "$MOD" --login --test-sign "$key" 2>&1)
	assert_contains "$out" "Verifying against public key in the token... ok" "--test-sign $key"
	libp11_sign "$key;pin-value=$E2E_AUTH_PIN" "$k" auth "libp11 with $key"
	openssl pkey -engine pkcs11 -inform engine -pubin -in "$pub" -pubout -out libp11-pub.pem \
		2>/dev/null || e2e_fail "libp11 cannot load $pub"
	assert_eq "$(hex_of libp11-pub.pem)" "$(hex_of cert-pub.pem)" "libp11's public key of $pub"

	# Short forms: the serial alone tells the cards apart; RFC 7512 lets "(" and ")" unencoded.
	serial=$(sed -n 's/.*;serial=\([^;]*\);.*/\1/p' <<<"$t")
	p11tool --provider "$MOD" --export "pkcs11:serial=$serial;id=%01;type=cert" >short.pem 2>&1 ||
		e2e_fail "export pkcs11:serial=$serial;id=%01;type=cert"
	assert_eq "$(hex_of short.pem)" "$(hex_of cert.pem)" "certificate by serial and id"
	short="pkcs11:token=JPKI%20Auth%20(4-digit%20PIN);serial=$serial;object=JPKI%20authentication"
	libp11_sign "$short%20key;type=private;pin-value=$E2E_AUTH_PIN" "$k" auth \
		"libp11 with label, serial and object name"
	p11tool --provider "$MOD" --export "$short%20certificate;type=cert" >short.pem 2>&1 ||
		e2e_fail "export with label, serial and object name"
	assert_eq "$(hex_of short.pem)" "$(hex_of cert.pem)" "certificate by label, serial and object name"
	AUTH_TOKEN_OF[k]=$t
}

# check_sign_token TOKEN_URI — the same for a signature token (its objects need the password).
check_sign_token() {
	local t=$1 objs cert key k
	objs=$(p11tool --provider "$MOD" --list-all --only-urls "$t" 2>&1)
	assert_not_contains "$objs" "type=private" "objects of $t without login"
	assert_not_contains "$objs" "JPKI%20signature%20certificate" "objects of $t without login"
	objs=$(GNUTLS_PIN=$E2E_SIGN_PIN p11tool --provider "$MOD" --login --list-all --only-urls "$t" 2>&1)
	assert_eq "$(wc -l <<<"$objs")" 5 "objects of $t after login (with the profile object)"
	cert=$(pick "$objs" ";id=%02;object=JPKI%20signature%20certificate;type=cert$")
	key=$(pick "$objs" ";id=%02;object=JPKI%20signature%20key;type=private$")
	pick "$objs" ";id=%04;object=JPKI%20signature%20CA%20certificate;type=cert$" >/dev/null
	GNUTLS_PIN=$E2E_SIGN_PIN p11tool --provider "$MOD" --login --export "$cert" >cert.pem 2>&1 ||
		e2e_fail "export $cert"
	k=$(identity_of cert.pem sign)
	seen="$seen$k"
	# libp11 would ask for the context-specific login on a terminal (doc/guide-openssl.md).
	JPKI_PKCS11_CONF=$PWD/no-always-auth.conf libp11_sign "$key;pin-value=$E2E_SIGN_PIN" "$k" \
		sign "libp11 with $key"
}

phase_uris() {
	local tokens t seen out n list
	declare -a AUTH_TOKEN_OF=()
	cons_setup
	export PKCS11_MODULE_PATH=$MOD
	head -c 2000 /dev/urandom >msg
	printf '%s\n' "sign_always_authenticate = off" >no-always-auth.conf

	tokens=$(p11tool --provider "$MOD" --list-token-urls 2>&1)
	n=$(grep -c "^pkcs11:model=.*;serial=.*;${CONS_AUTH_URI#pkcs11:}$" <<<"$tokens")
	assert_eq "$n" 2 "authentication token URIs"
	n=$(grep -c "^pkcs11:model=.*;serial=.*;${CONS_SIGN_URI#pkcs11:}$" <<<"$tokens")
	assert_eq "$n" 2 "signature token URIs"
	seen=
	mapfile -t list < <(grep "token=JPKI%20Auth" <<<"$tokens")
	for t in "${list[@]}"; do
		check_auth_token "$t"
	done
	assert_eq "$(fold -w1 <<<"$seen" | sort | tr -d '\n')" 01 \
		"identities behind the authentication tokens"
	seen=
	mapfile -t list < <(grep "token=JPKI%20Sign" <<<"$tokens")
	for t in "${list[@]}"; do
		check_sign_token "$t"
	done
	assert_eq "$(fold -w1 <<<"$seen" | sort | tr -d '\n')" 01 "identities behind the signature tokens"

	# p11-kit server with a token URI: only that card's authentication token is exported.
	cons_start p11-kit-server p11-kit server -f -p "$MOD" -n "$PWD/p11.sock" "${AUTH_TOKEN_OF[1]}"
	for ((n = 0; n < 250; n++)); do
		[ -S p11.sock ] && break
		sleep 0.02
	done
	export P11_KIT_SERVER_ADDRESS=unix:path=$PWD/p11.sock
	out=$(pkcs11-tool --module "$CLIENT" -L 2>&1)
	assert_eq "$(grep -c 'token label' <<<"$out")" 1 "tokens behind p11-kit server"
	n=$(sed -n 's/.*;serial=\([^;]*\);.*/\1/p' <<<"${AUTH_TOKEN_OF[1]}")
	assert_contains "$out" "serial num         : $n" "the token behind p11-kit server"
	PKCS11_MODULE_PATH=$CLIENT libp11_sign "pkcs11:id=%01;type=private;pin-value=$E2E_AUTH_PIN" 1 auth \
		"libp11 through p11-kit-client.so"
	unset P11_KIT_SERVER_ADDRESS
	cons_stop "$CONS_PID"

	# The same label on two cards: GnuTLS takes the first token (card 0's) ...
	p11tool --provider "$MOD" --export "$CONS_AUTH_URI;id=%01;type=cert" >first.pem 2>&1 ||
		e2e_fail "export with a URI that matches both cards"
	assert_eq "$(identity_of first.pem auth)" 0 "GnuTLS with a URI that matches both cards"
	# ... libp11 will not guess, and fails cleanly.
	out=$(openssl dgst -sha256 -engine pkcs11 -keyform engine -sign \
		"$CONS_AUTH_URI;id=%01;type=private;pin-value=$E2E_AUTH_PIN" -out none.sig msg 2>&1)
	assert_eq "$?" 1 "libp11 with a URI that matches both cards (exit status)"
	assert_contains "$out" "Multiple matching slots (2); will not try to login" \
		"libp11 with a URI that matches both cards"

	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 3/5 "tries of card 0"
	assert_eq "$(state_get 1 auth_tries)/$(state_get 1 sign_tries)" 3/5 "tries of card 1"
}

e2e_dispatch "$@"
e2e_phase uris --cards 2
