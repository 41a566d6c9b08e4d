#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Firefox ESR, headless and driven through Marionette, logs in to a page on 127.0.0.1 that
# demands a client certificate, with the module loaded into a fresh profile's NSS database
# (modutil; nothing outside the work directory is touched). Firefox's own PIN prompt is
# answered from inside the browser; every prompt is counted by token.
#
#  tls         default configuration (public_certificates_token = on: each token holds a
#              CKP_PUBLIC_CERTIFICATES_TOKEN profile, NSS treats it as "friendly"): TLS 1.2
#              shows the card's authentication certificate (PKCS#1 v1.5 signature), after
#              exactly ONE prompt, for the authentication token; TLS 1.3 fails (no RSA-PSS:
#              Firefox sends no certificate).
#  pss         rsa_pss = on: TLS 1.3 and TLS 1.2 both work, with RSA-PSS; still one prompt.
#  not_friendly  public_certificates_token = off: the old behaviour, more than one prompt:
#              Firefox also asks for the signature password (cancelled by the test, never
#              typed); the page still loads; the prompts are counted and reported.
#  policy      the enterprise policy: SecurityDevices loads the module into a profile without
#              it, Preferences locks the automatic certificate choice; policies.json lives on
#              a tmpfs over Firefox's distribution directory in the private mount namespace.
#  sign_login  Security Devices → Log In, as Thunderbird users do for S/MIME: NSS shows the
#              signature certificate only after an explicit login to the signature token.
#  nss_sign    NSS tools on tokens that are not friendly (public_certificates_token = off;
#              they log in by themselves only then): the signature certificate is invisible
#              before the login; with it, certutil lists the key and cmsutil signs (verified
#              by OpenSSL). consumer-nss.sh does the same with friendly tokens.
#
# With JPKI_MODULE set to OpenSC's module (a cross-check) the one-prompt phases mark its
# tokens friendly through NSS instead (br_friendly).
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/e2e/browsers/common.sh
. "$top_srcdir/test/e2e/browsers/common.sh"
br_require firefox-esr cmsutil

# The PIN prompts the test answers (label, PIN, ...); any other prompt is cancelled.
ANSWERS=("$BR_AUTH_LABEL" "$E2E_AUTH_PIN")

# firefox_run OUT [OPTION]... URL... — Firefox loads the pages in the profile (options of
# browsers/firefox-client-auth.py). Prompts in OUT.prompts, pages in OUT.pageN.txt.
firefox_run() {
	local out=$1 rc
	shift
	br_answers answers.json "${ANSWERS[@]}"
	timeout 90 "$BR_PYTHON" "$BR_DIR/firefox-client-auth.py" --profile "$JPKI_WORK/profile" \
		--answers answers.json --out "$out" "$@"
	rc=$?
	[ $rc -eq 0 ] || e2e_fail "Firefox run $out failed (status $rc; see $out.firefox.log)"
}

# firefox_profile [friendly] — the profile: module, server CA, user.js; "friendly": for another
# module than ours, see br_friendly.
firefox_profile() {
	br_nssdb "$JPKI_WORK/profile"
	cat "$BR_DIR/user.js" >"$JPKI_WORK/profile/user.js" # a writable copy
	[ "${1:-}" != friendly ] || br_friendly "$JPKI_WORK/profile"
}

phase_tls() {
	local mark
	br_phase_setup
	br_conf
	firefox_profile friendly
	br_server $BR_TLS12_PORT -tls1_2
	br_server $BR_TLS13_PORT -tls1_3
	mark=$(trace_mark 0)
	firefox_run ff https://127.0.0.1:$BR_TLS12_PORT/ https://127.0.0.1:$BR_TLS13_PORT/
	br_check_page ff.page0.txt TLSv1.2 RSA
	# TLS 1.3 needs RSA-PSS: without it Firefox answers the request with no certificate.
	assert_contains "$(cat ff.page1.txt)" "ERROR: SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT" \
		"TLS 1.3 without RSA-PSS"
	assert_contains "$(cat "server-$BR_TLS13_PORT.log")" "peer did not return a certificate" \
		"TLS 1.3 server without RSA-PSS"
	br_check_one_prompt ff.prompts
	br_check_card "$mark"
}

phase_pss() {
	local mark
	br_phase_setup
	br_conf "rsa_pss = on"
	firefox_profile friendly
	br_server $BR_TLS12_PORT -tls1_2
	br_server $BR_TLS13_PORT -tls1_3
	mark=$(trace_mark 0)
	firefox_run ff https://127.0.0.1:$BR_TLS13_PORT/ https://127.0.0.1:$BR_TLS12_PORT/
	br_check_page ff.page0.txt TLSv1.3 RSA-PSS
	# With PSS on offer Firefox uses it on TLS 1.2 too.
	br_check_page ff.page1.txt TLSv1.2 RSA-PSS
	br_check_one_prompt ff.prompts
	br_check_card "$mark"
}

phase_not_friendly() {
	local mark n sign
	br_phase_setup
	br_conf "public_certificates_token = off"
	firefox_profile
	br_server $BR_TLS12_PORT -tls1_2
	mark=$(trace_mark 0)
	firefox_run ff https://127.0.0.1:$BR_TLS12_PORT/
	br_check_page ff.page0.txt TLSv1.2 RSA
	n=$(prompts ff.prompts)
	sign=$(prompts ff.prompts cancel "$BR_SIGN_LABEL")
	[ "$n" -gt 1 ] || e2e_fail "tokens not friendly, yet only $n prompt(s)"
	assert_eq "$(prompts ff.prompts accept "$BR_AUTH_LABEL")" 1 "accepted authentication prompts"
	[ "$sign" -ge 1 ] || e2e_fail "no prompt for \"$BR_SIGN_LABEL\" among $n"
	assert_eq "$((n - 1 - sign))" 0 "prompts for anything else"
	e2e_note "tokens not friendly: $n prompts for one page:" \
		"1 \"$BR_AUTH_LABEL\" (answered), $sign \"$BR_SIGN_LABEL\" (cancelled)"
	# Cancelling costs nothing: the card saw the auth PIN only.
	br_check_card "$mark"
}

# The policy of guide-firefox.md, with the module under test.
firefox_policy() {
	cat <<EOF
{ "policies": {
    "SecurityDevices": { "Add": { "JPKI My Number card": "$BR_MODULE" } },
    "Preferences": {
      "security.default_personal_cert": { "Value": "Select Automatically", "Status": "locked" }
    }
} }
EOF
}

phase_policy() {
	local dist mark n
	dist=$(dirname "$(readlink -f "$(command -v firefox-esr)")")/distribution
	br_phase_setup
	br_conf
	br_private_dir "$dist"
	firefox_policy >"$dist/policies.json"
	# The profile trusts the test server's CA and has no module; user.js does not choose the
	# certificate (the policy does).
	mkdir -p "$JPKI_WORK/profile"
	certutil -N -d "sql:$JPKI_WORK/profile" --empty-password
	certutil -A -d "sql:$JPKI_WORK/profile" -n "test server CA" -t "C,," -a -i server-ca.pem
	grep -v default_personal_cert "$BR_DIR/user.js" >"$JPKI_WORK/profile/user.js"
	br_server $BR_TLS12_PORT -tls1_2
	mark=$(trace_mark 0)
	firefox_run ff --wait-token "$BR_AUTH_LABEL" https://127.0.0.1:$BR_TLS12_PORT/
	br_check_page ff.page0.txt TLSv1.2 RSA
	grep -qF "library=$BR_MODULE" "$JPKI_WORK/profile/pkcs11.txt" ||
		e2e_fail "the policy did not add the module to the profile"
	assert_eq "$(prompts ff.prompts accept "$BR_AUTH_LABEL")" 1 "accepted authentication prompts"
	if $BR_OURS; then
		br_check_one_prompt ff.prompts
	else
		e2e_note "policy, tokens as $BR_MODULE makes them: $(prompts ff.prompts) prompts"
	fi
	br_check_card "$mark"
}

phase_sign_login() {
	local mark der
	br_phase_setup
	br_conf
	firefox_profile friendly
	ANSWERS=("$BR_SIGN_LABEL" "$E2E_SIGN_PIN")
	mark=$(trace_mark 0)
	firefox_run ff --login-token "$BR_SIGN_LABEL"
	der=$(base64 -w0 "$JPKI_TEST_PKI/identity-0/sign-cert.der")
	grep -qx "$der" ff.certs-before && e2e_fail "the signature certificate is visible before the login"
	grep -qx "$der" ff.certs-after || e2e_fail "no signature certificate after the login"
	assert_eq "$(prompts ff.prompts)/$(prompts ff.prompts accept "$BR_SIGN_LABEL")" 1/1 \
		"prompts for the explicit login"
	assert_eq "$(card_verifies 0 "$mark" | tr '\n' ' ')" "001B 9000 " "PIN checks on the card"
	e2e_note "explicit login to \"$BR_SIGN_LABEL\": the signature certificate appears" \
		"($(wc -l <ff.certs-before) -> $(wc -l <ff.certs-after) certificates)"
}

# nss_cert_is DIR NICK FILE — the DER of the signature token's certificate NICK (read after
# a login) equals FILE.
nss_cert_is() {
	certutil -L -d "sql:$1" -h "$BR_SIGN_LABEL" -n "$2" -r -f pw.txt 2>/dev/null | cmp -s - "$3"
}

phase_nss_sign() {
	local db=$JPKI_WORK/nssdb mark nick n found out
	br_phase_setup
	# NSS's command-line tools have no "log in" step: they log in to a token as they search
	# it, and only when it is not friendly.
	br_conf "public_certificates_token = off"
	br_nssdb "$db"
	certutil -A -d "sql:$db" -n "sign CA" -t ",C," -a -i "$JPKI_TEST_PKI/sign-ca.pem" ||
		e2e_fail "certutil -A sign CA"
	# NSS password files may name the token ("TOKEN:password"); no other token gets it.
	printf '%s:%s\n' "$BR_SIGN_LABEL" "$E2E_SIGN_PIN" >pw.txt
	mark=$(trace_mark 0)
	# Before the login: the signature token shows no certificate of the person.
	out=$(certutil -L -d "sql:$db" -h "$BR_SIGN_LABEL" </dev/null 2>&1)
	assert_contains "$out" "Trust Attributes" "certutil -L before the sign login"
	assert_not_contains "$out" "u,u,u" "user certificates before the sign login"
	assert_eq "$(card_verifies 0 "$mark" | wc -l)" 0 "PIN checks without a password"

	# The explicit login (-f) makes the certificate and the key appear.
	out=$(certutil -K -d "sql:$db" -h "$BR_SIGN_LABEL" -f pw.txt 2>&1)
	assert_contains "$out" "rsa      02" "the signature key after the login (certutil -K)"
	found=
	while IFS= read -r nick; do
		nss_cert_is "$db" "$nick" "$JPKI_TEST_PKI/identity-0/sign-cert.der" && found=$nick
	done < <(certutil -L -d "sql:$db" -h "$BR_SIGN_LABEL" -f pw.txt |
		sed -n 's/^\(.*[^ ]\) \{2,\}u,u,u$/\1/p')
	[ -n "$found" ] || e2e_fail "no user certificate equal to the card's signature certificate"
	e2e_note "signature certificate after the login: \"$found\""

	# CMS signature through NSS (-Y NONE: no encryption-key-preference certificate).
	head -c 2000 /dev/urandom >doc.bin
	mark=$(trace_mark 0)
	cmsutil -S -d "sql:$db" -N "$found" -Y NONE -H SHA256 -f pw.txt -i doc.bin -o doc.p7m ||
		e2e_fail "cmsutil -S with \"$found\""
	out=$(openssl cms -verify -inform DER -in doc.p7m -CAfile "$JPKI_TEST_PKI/sign-ca.pem" \
		-binary -out doc.out 2>&1)
	assert_contains "$out" "Verification successful" "openssl cms -verify of NSS's signature"
	assert_same_file doc.out doc.bin "signed content"
	# The card: the signature password only (login, plus the context-specific login of the
	# always-authenticate key), and one signature with the signature key.
	n=$(card_verifies 0 "$mark" | grep -c .)
	[ "$(card_verifies 0 "$mark" | grep -vc '^001B 9000$')" = 0 ] ||
		e2e_fail "unexpected PIN checks: $(card_verifies 0 "$mark")"
	assert_eq "$(card_signatures 0 "$mark" | tr '\n' ' ')" "001A 9000 " "signatures by the card"
	e2e_note "cmsutil -S: $n signature password checks, one signature, verified by OpenSSL"
}

e2e_dispatch "$@"
e2e_phase tls --cards 1
if $BR_OURS; then
	e2e_phase pss --cards 1
else
	e2e_note "pss: skipped, $BR_MODULE offers no RSA-PSS for this card"
fi
e2e_phase not_friendly --cards 1
if [ -e /etc/firefox/policies/policies.json ]; then
	e2e_note "policy: skipped, /etc/firefox/policies/policies.json would take precedence"
else
	e2e_phase policy --cards 1
fi
e2e_phase sign_login --cards 1
e2e_phase nss_sign --cards 1
