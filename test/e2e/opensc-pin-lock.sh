#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Retry counters through OpenSC: wrong PINs count down exactly (card state file and trace),
# a correct PIN restores the counter, the last wrong try blocks the PIN, and the block
# survives removal/insertion and a restart of the card process.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
e2e_require pkcs11-tool

# login K SLOT_INDEX PIN — one C_Login; prints pkcs11-tool's output.
login() {
	p11 --slot-index "$2" --login --pin "$3" -O
}

# wrong_try K SLOT_INDEX PIN KEY LEFT — a wrong PIN; the card answers 63C<LEFT> and stores LEFT.
wrong_try() {
	local k=$1 slot=$2 pin=$3 key=$4 left=$5 mark out
	mark=$(trace_mark "$k")
	out=$(login "$k" "$slot" "$pin")
	assert_contains "$out" "CKR_PIN_INCORRECT" "wrong $key on card $k"
	assert_eq "$(trace_since "$k" "$mark" | verify_sws)" "63C$left" "card $k answer to a wrong $key"
	assert_eq "$(state_get "$k" "${key}_tries")" "$left" "card $k ${key}_tries"
}

# blocked_try K SLOT_INDEX PIN KEY [SW] — even the right PIN is refused now: VERIFY answers SW
# (default 6984, the card's confirmed answer).
blocked_try() {
	local k=$1 slot=$2 pin=$3 key=$4 sw=${5:-6984} mark out
	mark=$(trace_mark "$k")
	out=$(login "$k" "$slot" "$pin")
	assert_contains "$out" "C_Login failed" "login with a blocked $key on card $k"
	e2e_note "card $k, blocked $key: $(grep -o 'rv = CKR_[A-Z_]*' <<<"$out")"
	assert_eq "$(trace_since "$k" "$mark" | verify_sws)" "$sw" "card $k answer to VERIFY on a blocked $key"
	assert_eq "$(state_get "$k" "${key}_tries")" 0 "card $k ${key}_tries"
	out=$(p11 -L | grep -A4 "^Slot $slot ")
	assert_contains "$out" "user PIN locked" "token flags of slot index $slot"
}

phase_lock() {
	local out
	# Card 0: the auth PIN (3 tries).
	assert_eq "$(state_get 0 auth_tries)" 3 "initial auth_tries"
	wrong_try 0 0 9999 auth 2
	wrong_try 0 0 9999 auth 1
	wrong_try 0 0 9999 auth 0
	blocked_try 0 0 "$E2E_AUTH_PIN" auth

	card_ctl 0 remove >/dev/null || e2e_fail "remove card 0"
	pcsc_wait 0 A
	assert_contains "$(card_ctl 0 status)" "absent power=off" "status of the removed card"
	card_ctl 0 insert >/dev/null || e2e_fail "insert card 0"
	pcsc_wait 0 P
	blocked_try 0 0 "$E2E_AUTH_PIN" auth

	card_restart 0
	assert_contains "$(card_ctl 0 status)" "auth_tries=0 sign_tries=5" "status after restart"
	blocked_try 0 0 "$E2E_AUTH_PIN" auth
	# The sign password of the same card is independent.
	out=$(login 0 1 "$E2E_SIGN_PIN")
	assert_contains "$out" "Digital Signature Certificate" "sign login on card 0"

	# Card 1: the sign password (5 tries); a right one in between restores the counter.
	assert_eq "$(state_get 1 sign_tries)" 5 "initial sign_tries"
	wrong_try 1 3 WRONG123 sign 4
	wrong_try 1 3 WRONG123 sign 3
	out=$(login 1 3 "$E2E_SIGN_PIN")
	assert_contains "$out" "Digital Signature Certificate" "sign login on card 1"
	assert_eq "$(state_get 1 sign_tries)" 5 "sign_tries after a right password"
	for left in 4 3 2 1 0; do
		wrong_try 1 3 WRONG123 sign $left
	done
	blocked_try 1 3 "$E2E_SIGN_PIN" sign
	card_restart 1
	blocked_try 1 3 "$E2E_SIGN_PIN" sign
	out=$(login 1 2 "$E2E_AUTH_PIN")
	assert_contains "$out" "User Authentication Certificate" "auth login on card 1"
	assert_eq "$(state_get 1 auth_tries)" 3 "card 1 auth_tries"
}

# OpenSC turns the card's 6984 into CKR_GENERAL_ERROR; ISO's 6983 (an option of the virtual
# card, unconfirmed on real ones) is the answer it maps to CKR_PIN_LOCKED.
phase_iso_lock() {
	local out
	wrong_try 0 0 0000 auth 2
	wrong_try 0 0 0000 auth 1
	wrong_try 0 0 0000 auth 0
	blocked_try 0 0 "$E2E_AUTH_PIN" auth 6983
	out=$(login 0 0 "$E2E_AUTH_PIN")
	assert_contains "$out" "CKR_PIN_LOCKED" "OpenSC's answer to 6983"
}

e2e_dispatch "$@"
e2e_phase lock --cards 2
e2e_phase iso_lock --cards 1 --card0 "--quirk blocked-verify-6983=on"
