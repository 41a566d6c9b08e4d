#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Troubleshooting (doc/troubleshooting.md) on a virtual card: the module's own log,
# JPKI_PKCS11_DEBUG=LEVEL[:FILE] — level 1 names a bad configuration line, 2 adds every entry
# point with its return code, 3 card events and PIN counters, 4 the APDUs with the PIN masked —
# and OpenSC's pkcs11-spy between a consumer and the module (pkcs11-tool, OpenSSL's engine,
# NSS): the calls and mechanisms each consumer uses, and the PIN in clear in the spy's log.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/e2e/consumers/lib.sh
. "$top_srcdir/test/e2e/consumers/lib.sh"
cons_require pkcs11-tool openssl certutil modutil tstclnt
SPY=$(dirname "$OPENSC_PKCS11")/pkcs11/pkcs11-spy.so
[ -f "$SPY" ] || e2e_skip "pkcs11-spy.so not found"
[ -f "$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')/pkcs11.so" ] ||
	e2e_skip "libp11's engine is not installed (libengine-pkcs11-openssl)"

# auth_sign — one signature with the authentication key through pkcs11-tool on $MOD.
auth_sign() {
	pkcs11-tool --module "$MOD" --token-label "$CONS_AUTH_TOKEN" --login --pin "$E2E_AUTH_PIN" \
		--sign --id 01 -m SHA256-RSA-PKCS -i msg -o msg.sig 2>&1
}

phase_debug() {
	local out lines level
	cons_setup
	head -c 1000 /dev/urandom >msg

	# Level 1: errors only. A bad configuration value fails C_Initialize; the log says where.
	printf '%s\n' "# my settings" "rsa_pss = maybe" >bad.conf
	out=$(JPKI_PKCS11_CONF=$PWD/bad.conf JPKI_PKCS11_DEBUG=1 pkcs11-tool --module "$MOD" -L 2>&1) &&
		e2e_fail "C_Initialize with a bad configuration succeeded"
	assert_contains "$out" "C_Initialize failed: rv = CKR_GENERAL_ERROR" "bad configuration"
	assert_contains "$out" "configuration line 2: bad key or value" "level 1 on stderr"

	# Levels 1 to 4 into a file each (appended): what each level adds.
	for level in 1 2 3 4; do
		out=$(JPKI_PKCS11_DEBUG=$level:$PWD/jpki-$level.txt auth_sign) ||
			e2e_fail "level $level: $out"
		lines[level]=$(wc -l <"jpki-$level.txt")
	done
	assert_eq "${lines[1]}" 0 "lines at level 1 for a successful signature"
	out=$(cat jpki-2.txt)
	assert_contains "$out" "C_Login: out CKR_OK" "level 2"
	assert_contains "$out" "C_Sign: out CKR_OK" "level 2"
	assert_not_contains "$out" "apdu:" "level 2"
	out=$(cat jpki-3.txt)
	assert_contains "$out" "reader '$JPKI_CARD0_READER': card present" "level 3"
	assert_contains "$out" "pin 0 status: OK, tries 3" "level 3"
	assert_not_contains "$out" "apdu:" "level 3"
	out=$(cat jpki-4.txt)
	assert_contains "$out" "apdu: >> 00 20 00 80 04 ** ** ** **" "level 4: the VERIFY, masked"
	assert_contains "$out" "apdu: >> 80 2A 00 80" "level 4: COMPUTE DIGITAL SIGNATURE"
	assert_not_contains "$out" "31 32 33 34" "level 4: the PIN"
	if [ "${lines[2]}" -ge "${lines[3]}" ] || [ "${lines[3]}" -ge "${lines[4]}" ]; then
		e2e_fail "levels 2, 3, 4 gave ${lines[2]}, ${lines[3]}, ${lines[4]} lines"
	fi
	# Without a file: stderr. A login the module refuses on its own (a 4-digit PIN for the
	# signature token) shows at level 3, and the card is not asked.
	out=$(JPKI_PKCS11_DEBUG=3 pkcs11-tool --module "$MOD" --token-label "$CONS_SIGN_TOKEN" \
		--login --pin 1234 -O 2>&1) && e2e_fail "a 4-digit signature password was accepted"
	assert_contains "$out" "PIN format: card PIN_LENGTH -> CKR_PIN_LEN_RANGE" "level 3 on stderr"
	assert_eq "$(state_get 0 sign_tries)" 5 "sign tries after a refused password"

	# pkcs11-spy between pkcs11-tool and the module; its log holds the PIN in clear.
	out=$(PKCS11SPY=$MOD PKCS11SPY_OUTPUT=$PWD/spy-tool.txt pkcs11-tool --module "$SPY" \
		--token-label "$CONS_AUTH_TOKEN" --login --pin "$E2E_AUTH_PIN" --sign --id 01 \
		-m SHA256-RSA-PKCS -i msg -o msg.sig 2>&1) || e2e_fail "pkcs11-tool through the spy: $out"
	out=$(cat spy-tool.txt)
	assert_contains "$out" "C_SignInit" "spy log of pkcs11-tool"
	assert_contains "$out" "CKM_SHA256_RSA_PKCS" "spy log of pkcs11-tool"
	assert_contains "$out" "31 32 33 34" "spy log of pkcs11-tool: the PIN"
	# ... between OpenSSL's engine and the module: a CMS signature is CKM_RSA_PKCS on a
	# DigestInfo computed by OpenSSL.
	out=$(PKCS11SPY=$MOD PKCS11SPY_OUTPUT=$PWD/spy-openssl.txt PKCS11_MODULE_PATH=$SPY \
		openssl cms -sign -engine pkcs11 -keyform engine \
		-inkey "$CONS_AUTH_URI;id=%01;type=private;pin-value=$E2E_AUTH_PIN" \
		-signer "$CONS_PKI/auth-cert.pem" -in msg -binary -outform DER -out msg.p7s 2>&1) ||
		e2e_fail "openssl cms through the spy: $out"
	out=$(grep -A3 "C_SignInit" spy-openssl.txt)
	assert_contains "$out" "CKM_RSA_PKCS " "spy log of openssl cms -sign"
	# ... and NSS: tstclnt's TLS 1.3 client signature is CKM_RSA_PKCS_PSS on a SHA-256 hash.
	cons_server_pki
	mkdir db
	certutil -N -d sql:db --empty-password || e2e_fail "certutil -N"
	export PKCS11SPY=$MOD PKCS11SPY_OUTPUT=$PWD/spy-nss.txt
	out=$(modutil -dbdir sql:db -add jpki-spy -libfile "$SPY" -force 2>&1) ||
		e2e_fail "modutil -add the spy: $out"
	certutil -A -d sql:db -n "Test Server CA" -t "CT,C,C" -a -i ca.pem || e2e_fail "certutil -A"
	cons_s_server tls13 4434 -tls1_3
	printf 'GET / HTTP/1.0\r\n\r\n' >req.txt
	out=$(JPKI_PKCS11_CONF=$PWD/pss-on.conf tstclnt -4 -h 127.0.0.1 -p 4434 -d sql:db \
		-n "$CONS_AUTH_NICK" -w "$E2E_AUTH_PIN" -A req.txt 2>&1)
	cons_expect_page "$out" tls13 TLSv1.3 RSA-PSS "tstclnt through the spy"
	out=$(grep -A4 "C_SignInit" spy-nss.txt)
	assert_contains "$out" "CKM_RSA_PKCS_PSS" "spy log of tstclnt TLS 1.3"
	unset PKCS11SPY PKCS11SPY_OUTPUT
}

e2e_dispatch "$@"
e2e_phase debug --cards 1
