#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# PINs through jpki-pkcs11 on a virtual card, checked against the card's own state file and
# APDU trace: --change-pin for both tokens (and refusal of malformed new values), wrong PINs
# counting down exactly as the card reports until the PIN locks, the lower-case password, the
# repeated-wrong-PIN guard (one try for the same wrong PIN twice), malformed PINs that cost
# nothing, and "final_try = refuse".
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/diff/e2e-lib.sh
. "$top_srcdir/test/diff/e2e-lib.sh"
mod_require

# login_auth / login_sign PIN — one pkcs11-tool login (listing the objects).
login_auth() {
	mod_auth --login --pin "$1" -O
}

login_sign() {
	mod_sign --login --pin "$1" -O
}

# wrong_try PIN LEFT RV FLAG — a wrong auth PIN: one VERIFY, the card's counter is LEFT, the
# module answers RV and shows FLAG in the token flags.
wrong_try() {
	local mark out
	mark=$(trace_mark 0)
	out=$(login_auth "$1")
	assert_contains "$out" "rv = $3" "auth PIN $1"
	assert_eq "$(verify_count 0 "$mark")" 1 "VERIFY commands for auth PIN $1"
	assert_eq "$(trace_since 0 "$mark" | verify_sws)" "63C$2" "card's answer to auth PIN $1"
	assert_eq "$(state_get 0 auth_tries)" "$2" "auth_tries after $1"
	assert_contains "$(token_flags "$MOD_AUTH_LABEL")" "$4" "auth token flags with $2 tries left"
}

phase_change() {
	local out mark
	out=$(mod_auth --change-pin --pin "$E2E_AUTH_PIN" --new-pin 5678)
	assert_contains "$out" "PIN successfully changed" "auth PIN 1234 -> 5678"
	assert_eq "$(state_get 0 auth_pin)" 5678 "card auth PIN after the change"
	assert_contains "$(login_auth "$E2E_AUTH_PIN")" "CKR_PIN_INCORRECT" "login with the old auth PIN"
	assert_contains "$(login_auth 5678)" "Private Key Object" "login with the new auth PIN"
	assert_eq "$(state_get 0 auth_tries)" 3 "auth_tries after a right PIN"
	out=$(mod_auth --login --pin 5678 --change-pin --new-pin "$E2E_AUTH_PIN")
	assert_contains "$out" "PIN successfully changed" "auth PIN 5678 -> 1234"
	assert_eq "$(state_get 0 auth_pin)" "$E2E_AUTH_PIN" "card auth PIN changed back"

	# The password is upper-cased, the new one as well as the old.
	out=$(mod_sign --change-pin --pin "$E2E_SIGN_PIN" --new-pin newpass99)
	assert_contains "$out" "PIN successfully changed" "sign password -> newpass99"
	assert_eq "$(state_get 0 sign_pin)" NEWPASS99 "card sign password after the change"
	assert_contains "$(login_sign NEWPASS99)" "Private Key Object" "login with the new password"
	out=$(mod_sign --change-pin --pin newpass99 --new-pin "$E2E_SIGN_PIN")
	assert_contains "$out" "PIN successfully changed" "sign password changed back"
	assert_eq "$(state_get 0 sign_pin)" "$E2E_SIGN_PIN" "card sign password changed back"

	# New values the card would not take are refused before anything is sent.
	mark=$(trace_mark 0)
	assert_contains "$(mod_auth --change-pin --pin "$E2E_AUTH_PIN" --new-pin 12345)" \
		CKR_PIN_LEN_RANGE "new auth PIN of 5 digits"
	assert_contains "$(mod_auth --change-pin --pin "$E2E_AUTH_PIN" --new-pin abcd)" \
		CKR_PIN_INVALID "new auth PIN of letters"
	assert_contains "$(mod_sign --change-pin --pin "$E2E_SIGN_PIN" --new-pin PASSWORD)" \
		CKR_PIN_INVALID "new password without a digit"
	assert_eq "$(trace_since 0 "$mark" | grep -c '> 0024')" 0 "CHANGE REFERENCE DATA sent"
	assert_eq "$(state_get 0 auth_pin)/$(state_get 0 sign_pin)" "$E2E_AUTH_PIN/$E2E_SIGN_PIN" \
		"PINs after the refused changes"
}

phase_wrong() {
	local mark out
	wrong_try 1111 2 CKR_PIN_INCORRECT "user PIN count low"
	wrong_try 2222 1 CKR_PIN_INCORRECT "final user PIN try"
	wrong_try 3333 0 CKR_PIN_LOCKED "user PIN locked"
	# Locked: even the right PIN is refused, without a VERIFY.
	mark=$(trace_mark 0)
	assert_contains "$(login_auth "$E2E_AUTH_PIN")" "rv = CKR_PIN_LOCKED" "right PIN when locked"
	assert_eq "$(verify_count 0 "$mark")" 0 "VERIFY commands on a locked PIN"
	assert_eq "$(state_get 0 auth_tries)" 0 "auth_tries when locked"
	# The signature password is independent.
	assert_contains "$(login_sign "$E2E_SIGN_PIN")" "Private Key Object" "sign login"
	assert_eq "$(state_get 0 sign_tries)" 5 "sign_tries"
}

phase_policy() {
	local mark out
	# A lower-case password is the password: one VERIFY, accepted.
	mark=$(trace_mark 0)
	assert_contains "$(login_sign pass1234)" "Private Key Object" "login with pass1234"
	assert_eq "$(trace_since 0 "$mark" | verify_sws)" 9000 "card's answer to pass1234"

	# The same wrong PIN twice in one process costs one try; the right one restores the counter.
	mark=$(trace_mark 0)
	out=$("$P11LOGIN" --token-label "$MOD_AUTH_LABEL" "$MOD" 0000 0000)
	assert_eq "$(sed -n 's/^1 //p' <<<"$out")" "CKR_PIN_INCORRECT pin-flags=count-low" "first 0000"
	assert_eq "$(sed -n 's/^2 //p' <<<"$out")" "CKR_PIN_INCORRECT pin-flags=count-low" "second 0000"
	assert_eq "$(verify_count 0 "$mark")" 1 "VERIFY commands for 0000 twice"
	assert_eq "$(state_get 0 auth_tries)" 2 "auth_tries after 0000 twice"
	out=$("$P11LOGIN" --token-label "$MOD_AUTH_LABEL" "$MOD" "$E2E_AUTH_PIN")
	assert_contains "$out" "1 CKR_OK" "right PIN after the guard"
	assert_eq "$(state_get 0 auth_tries)" 3 "auth_tries after the right PIN"

	# Malformed PINs never reach the card.
	mark=$(trace_mark 0)
	assert_contains "$(login_auth 12a4)" "rv = CKR_PIN_INVALID" "auth PIN 12a4"
	assert_contains "$(login_auth 123)" "rv = CKR_PIN_LEN_RANGE" "auth PIN 123"
	assert_contains "$(login_sign PASS)" "rv = CKR_PIN_LEN_RANGE" "password PASS"
	assert_eq "$(verify_count 0 "$mark")" 0 "VERIFY commands for malformed PINs"
	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 3/5 "tries after malformed PINs"
}

phase_final_try() {
	local mark
	mod_conf "final_try = refuse"
	wrong_try 1111 2 CKR_PIN_INCORRECT "user PIN count low"
	wrong_try 2222 1 CKR_PIN_INCORRECT "final user PIN try"
	# One try left: the module will not spend it, not even on the right PIN.
	mark=$(trace_mark 0)
	assert_contains "$(login_auth "$E2E_AUTH_PIN")" "C_Login failed" "login on the final try"
	assert_eq "$(verify_count 0 "$mark")" 0 "VERIFY commands on the final try"
	assert_eq "$(state_get 0 auth_tries)" 1 "auth_tries after the refused login"
	# With the default policy the person may use it.
	unset JPKI_PKCS11_CONF
	assert_contains "$(login_auth "$E2E_AUTH_PIN")" "Private Key Object" "login with final_try = allow"
	assert_eq "$(state_get 0 auth_tries)" 3 "auth_tries after the right PIN"
}

# Changing, counting down and locking on the cards that behave otherwise (e2e-lib.sh): the
# other card answers 6983 to the VERIFY after the last try and 6984 to the retry query.
phase_change_old_card() {
	mod_conf "cert_cache = off"
	phase_change
	mod_old_card_seen 0
}

phase_wrong_other_card() {
	local mark
	mark=$(trace_mark 0)
	phase_wrong
	trace_since 0 "$mark" | awk '$2 == "<" && $3 == "6984" { n++ } END { exit n == 0 }' ||
		e2e_fail "the card never answered a retry query on the blocked PIN with 6984"
}

e2e_dispatch "$@"
e2e_phase change --cards 1
e2e_phase change_old_card --cards 1 --card0 "$MOD_CARD_OLD"
e2e_phase wrong --cards 1
e2e_phase wrong_other_card --cards 1 --card0 "$MOD_CARD_OTHER"
e2e_phase policy --cards 1
e2e_phase final_try --cards 1
