#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Chromium on a private X server (Xvfb; headless Chromium cannot show its PIN dialog) logs in
# to a page on 127.0.0.1 that demands a client certificate. The module is in the NSS database
# of a private HOME ($HOME/.pki/nssdb); the certificate is picked by the
# AutoSelectCertificateForUrls policy, written to a tmpfs over /etc/chromium that exists only
# in with-cards' private mount namespace. The PIN is typed into "Unlock Security Device" with
# xdotool; every dialog is counted by the token it names (read through Chromium's UI DevTools).
#
#  tls           default configuration (public_certificates_token = on: the tokens are
#                "friendly" to NSS): exactly ONE dialog, for the authentication token;
#                TLS 1.2 shows the card's certificate (Chromium signs PKCS#1 v1.5 on TLS 1.2);
#                TLS 1.3 fails with ERR_SSL_CLIENT_AUTH_NO_COMMON_ALGORITHMS (no RSA-PSS).
#  pss           rsa_pss = on: TLS 1.3 works with RSA-PSS, TLS 1.2 still with PKCS#1 v1.5.
#  not_friendly  public_certificates_token = off: the old behaviour, a dialog for the signature
#                token as well, which the test cancels; the dialogs and the outcome of the page
#                are reported.
#
# With JPKI_MODULE set to OpenSC's module (a cross-check) the one-dialog phases mark its
# tokens friendly through NSS instead (br_friendly).
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/e2e/browsers/common.sh
. "$top_srcdir/test/e2e/browsers/common.sh"
br_require chromium Xvfb xdotool
[ -d /etc/chromium ] || e2e_skip "no /etc/chromium (Chromium's policy directory)"

# The policy of guide-chromium.md: pick, without asking, a certificate issued by a JPKI user
# authentication CA (each rule is a JSON object inside a JSON string).
chromium_policy() {
	"$BR_PYTHON" -c '
import json
rule = {"pattern": "https://127.0.0.1",
        "filter": {"ISSUER": {"OU": "JPKI for user authentication"}}}
print(json.dumps({"AutoSelectCertificateForUrls": [json.dumps(rule)]}, indent=1))'
}

# chromium_setup [friendly] — the NSS database in the private HOME and the policy; "friendly":
# for another module than ours, see br_friendly.
chromium_setup() {
	br_nssdb "$HOME/.pki/nssdb"
	[ "${1:-}" != friendly ] || br_friendly "$HOME/.pki/nssdb"
	br_private_dir /etc/chromium
	mkdir -p /etc/chromium/policies/managed
	chromium_policy >/etc/chromium/policies/managed/jpki-test.json
}

# chromium_run OUT URL... — Chromium loads the pages; the authentication PIN is the only answer.
chromium_run() {
	local out=$1 rc
	shift
	br_answers answers.json "$BR_AUTH_LABEL" "$E2E_AUTH_PIN"
	timeout 90 "$BR_PYTHON" "$BR_DIR/chromium-client-auth.py" --answers answers.json \
		--out "$out" "$@"
	rc=$?
	[ $rc -eq 0 ] || e2e_fail "Chromium run $out failed (status $rc; see $out.chromium.log)"
	# A PIN dialog whose field did not take the PIN was cancelled rather than submitted.
	assert_eq "$(prompts "$out.prompts" lost)" 0 "dialogs where typing the PIN failed"
}

phase_tls() {
	local mark
	br_phase_setup
	br_conf
	chromium_setup friendly
	br_server $BR_TLS12_PORT -tls1_2
	br_server $BR_TLS13_PORT -tls1_3
	mark=$(trace_mark 0)
	chromium_run ch https://127.0.0.1:$BR_TLS12_PORT/ https://127.0.0.1:$BR_TLS13_PORT/
	br_check_page ch.page0.txt TLSv1.2 RSA
	assert_contains "$(cat ch.page1.txt)" "ERROR: net::ERR_SSL_CLIENT_AUTH_NO_COMMON_ALGORITHMS" \
		"TLS 1.3 without RSA-PSS"
	br_check_one_prompt ch.prompts
	br_check_card "$mark"
}

phase_pss() {
	local mark
	br_phase_setup
	br_conf "rsa_pss = on"
	chromium_setup friendly
	br_server $BR_TLS12_PORT -tls1_2
	br_server $BR_TLS13_PORT -tls1_3
	mark=$(trace_mark 0)
	chromium_run ch https://127.0.0.1:$BR_TLS13_PORT/ https://127.0.0.1:$BR_TLS12_PORT/
	br_check_page ch.page0.txt TLSv1.3 RSA-PSS
	# Chromium prefers PKCS#1 v1.5 on TLS 1.2 even with PSS on offer.
	br_check_page ch.page1.txt TLSv1.2 RSA
	br_check_one_prompt ch.prompts
	br_check_card "$mark"
}

phase_not_friendly() {
	local mark n sign outcome
	br_phase_setup
	br_conf "public_certificates_token = off"
	chromium_setup
	br_server $BR_TLS12_PORT -tls1_2
	mark=$(trace_mark 0)
	chromium_run ch https://127.0.0.1:$BR_TLS12_PORT/
	n=$(prompts ch.prompts)
	sign=$(prompts ch.prompts cancel "$BR_SIGN_LABEL")
	[ "$n" -gt 1 ] || e2e_fail "tokens not friendly, yet only $n dialog(s)"
	[ "$sign" -ge 1 ] || e2e_fail "no dialog for \"$BR_SIGN_LABEL\" among $n"
	[ "$(prompts ch.prompts accept "$BR_AUTH_LABEL")" -ge 1 ] ||
		e2e_fail "no dialog for \"$BR_AUTH_LABEL\" among $n"
	assert_eq "$(prompts ch.prompts accept "$BR_AUTH_LABEL")" "$((n - sign))" \
		"dialogs for anything else"
	# Chromium (NSS 3.87): once a dialog of the certificate search is cancelled, the PIN typed
	# into a later one of the same search is dropped (no login at all), and the page fails.
	if grep -q '^ERROR: net::ERR_BAD_SSL_CLIENT_AUTH_CERT$' ch.page0.txt; then
		outcome="page failed: ERR_BAD_SSL_CLIENT_AUTH_CERT"
		assert_eq "$(card_verifies 0 "$mark" | wc -l)" 0 "PIN checks on the card"
	else
		br_check_page ch.page0.txt TLSv1.2 RSA
		br_check_card "$mark"
		outcome="page loaded"
	fi
	grep -q '^001B' <(card_verifies 0 "$mark") && e2e_fail "the signature password was checked"
	e2e_note "tokens not friendly: $n dialogs for one page:" \
		"$((n - sign)) \"$BR_AUTH_LABEL\" (answered), $sign \"$BR_SIGN_LABEL\"" \
		"(cancelled); $outcome"
}

e2e_dispatch "$@"
e2e_phase tls --cards 1
if $BR_OURS; then
	e2e_phase pss --cards 1
else
	e2e_note "pss: skipped, $BR_MODULE offers no RSA-PSS for this card"
fi
e2e_phase not_friendly --cards 1
