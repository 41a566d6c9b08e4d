# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash disable=SC2034 # the MOD_ names are used by the scripts that source this
# Helpers of the tests that drive jpki-pkcs11.so itself (test/e2e/module-*.sh and
# test/diff/softhsm-vs-jpki.sh); sourced after test/e2e/lib.sh, whose phases and assertions
# they use.

# The module as libtool builds it (not installed); make check names it.
MOD=${JPKI_MODULE:?JPKI_MODULE must be set (make check sets it)}
P11LOGIN=$top_builddir/test/diff/p11login
# A module built with --enable-sanitizers needs the ASan runtime loaded first by any program
# that is not itself built with it (pkcs11-tool). Leak checking stays off there: it would
# report pkcs11-tool's own leaks and exit without flushing its output. (p11diff and p11login
# are built with the sanitizers and check the module's leaks.)
MOD_PRELOAD=$(e2e_asan_preload "$MOD")

# The token labels of a card's two tokens, the CKA_ID of each token's key pair (certificate,
# public and private key) and of its CA certificate.
MOD_AUTH_LABEL="JPKI Auth (4-digit PIN)"
MOD_SIGN_LABEL="JPKI Sign (6-16 char password)"
MOD_AUTH_ID=01
MOD_SIGN_ID=02
MOD_AUTH_CA_ID=03
MOD_SIGN_CA_ID=04

# Cards that behave otherwise than jpki-vcard's defaults, as the card reference allows
# (doc/vcard.md lists the quirks), for the with-cards --cardK option: an older contact card
# with the old ATR, 6F00 to its first command, 6282 at the end of a file, no extended APDUs,
# no GET CHALLENGE, zero filler after the certificates; and a contactless one that answers
# the retry query with 9000 once verified and with 6984 when blocked, 6983 to a VERIFY on a
# blocked PIN, and forgets the PINs on a warm reset. The module's flows must not care.
MOD_CARD_OLD="--atr old --quirk first-command-6f00=on --quirk read-short-6282=on
	--quirk extended-apdu=off --quirk get-challenge=off --filler 00 --cert-ef-size 1600"
MOD_CARD_OTHER="--atr contactless --quirk verified-query-9000=on --quirk blocked-query-6984=on
	--quirk blocked-verify-6983=on --quirk warm-reset-keeps-security=off"

# mod_old_card_seen K — card K, an MOD_CARD_OLD card, answered its first command with 6F00:
# its quirks were in play. (The module reads a certificate to its DER length, so it meets the
# end of a file, and 6282, only in the unit tests' EFs; with the disk cache off,
# mod_conf "cert_cache = off", the certificates come from the card with its filler.)
mod_old_card_seen() {
	assert_eq "$(awk '$2 == "<" { print $3; exit }' "$(card_var "$1" TRACE)")" 6F00 \
		"card $1's first answer"
}

# mod_require TOOL... — skip unless root, the tools, the module and the harness programs exist.
mod_require() {
	local t
	[ "$(id -u)" = 0 ] || e2e_skip "needs root"
	for t in pkcs11-tool "$@"; do
		command -v "$t" >/dev/null || e2e_skip "$t not installed"
	done
	[ -f "$MOD" ] || e2e_skip "module not built ($MOD)"
	[ -x "$P11LOGIN" ] || e2e_skip "p11login not built"
	[ -x "${JPKI_VCARD:-}" ] || e2e_skip "jpki-vcard not built"
	[ -x "${PCSC_WAIT:-}" ] || e2e_skip "pcsc-wait not built"
}

# p11m ARG... — pkcs11-tool on our module; output and errors together.
p11m() {
	if [ -n "$MOD_PRELOAD" ]; then
		LD_PRELOAD=$MOD_PRELOAD ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			pkcs11-tool --module "$MOD" "$@" 2>&1
	else
		pkcs11-tool --module "$MOD" "$@" 2>&1
	fi
}

# mod_auth / mod_sign ARG... — pkcs11-tool on card 0's authentication / signature token.
mod_auth() {
	p11m --token-label "$MOD_AUTH_LABEL" "$@"
}

mod_sign() {
	p11m --token-label "$MOD_SIGN_LABEL" "$@"
}

# mod_conf LINE... — writes a module configuration file in the working directory and points
# JPKI_PKCS11_CONF at it.
mod_conf() {
	printf '%s\n' "$@" >"$PWD/jpki-pkcs11.conf"
	export JPKI_PKCS11_CONF=$PWD/jpki-pkcs11.conf
}

# verify_count K MARK — the number of VERIFY commands with data in card K's trace since MARK.
verify_count() {
	trace_since "$1" "$2" | awk '$2 == ">" && $3 ~ /^0020....[0-9A-F][0-9A-F]\*/' | wc -l
}

# token_flags LABEL — the "token flags" line pkcs11-tool -L prints for the first token LABEL.
token_flags() {
	p11m -L | awk -v want="$1" 'index($0, "token label") && index($0, ": " want) { f = 1 }
		f && /token flags/ { print; exit }'
}
