#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The jpki-vcard bridge itself, driven through pcscd with raw APDUs (opensc-tool with the
# "default" driver sends exactly the APDUs given): PIN masking in the trace, state
# persistence, start removed + insert, remove-after, remove-during (the answer is lost but the
# card counted the try), the latency model, and the command line.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
e2e_require opensc-tool

SELECT_JPKI=00A4040C0AD392F000260100000001
SELECT_AUTH_PIN=00A4020C020018

# apdus K APDU... — sends the APDUs to card K in one connection; prints opensc-tool's output.
apdus() {
	local k=$1 a args=()
	shift
	for a in "$@"; do args+=(-s "$a"); done
	opensc-tool -r "$k" -c default "${args[@]}" 2>&1
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

phase_bridge() {
	local out mark t0 t1 v

	# The command line.
	out=$("$JPKI_VCARD" --help)
	for v in first-command-6f00 sign-pss --latency --remove-during --ctl; do
		assert_contains "$out" "$v" "--help"
	done
	"$JPKI_VCARD" --quirk no-such-quirk=on 2>/dev/null && e2e_fail "unknown quirk accepted"
	"$JPKI_VCARD" --latency 1,2 2>/dev/null && e2e_fail "bad latency accepted"
	out=$("$JPKI_VCARD" --init-state --state init.state --auth-pin 4321 --reset-counters)
	assert_eq "$out" "auth_tries=3 sign_tries=5" "--init-state"
	assert_eq "$(sed -n 's/^auth_pin=//p' init.state)" 4321 "PIN written by --init-state"
	out=$(card_ctl 0 bogus) && e2e_fail "bogus control command accepted"
	assert_contains "$out" "error:" "reply to a bogus command"

	# Card 1 started removed; insert it.
	assert_contains "$(card_ctl 1 status)" "absent power=off apdus=0" "card 1 at start"
	card_ctl 1 insert >/dev/null
	pcsc_wait 1 P
	# Not "power=on": pcscd powers an idle card down again after a short grace period.
	assert_contains "$(card_ctl 1 status)" "present" "card 1 after insert"

	# Latency model of card 1 (50 ms per APDU, 1 ms per byte): two APDUs of 17 and 9 bytes.
	t0=$(now_ms)
	out=$(apdus 1 "$SELECT_JPKI" "$SELECT_AUTH_PIN")
	t1=$(now_ms)
	assert_eq "$(grep -c 'SW1=0x90, SW2=0x00' <<<"$out")" 2 "two APDUs to card 1"
	e2e_note "two APDUs with latency 50000,1000,0: $((t1 - t0)) ms (model: 126 ms)"
	[ $((t1 - t0)) -ge 126 ] || e2e_fail "latency model: two APDUs took $((t1 - t0)) ms"

	# PINs are masked in the trace, the changed PIN is persisted.
	mark=$(trace_mark 0)
	out=$(apdus 0 "$SELECT_JPKI" "$SELECT_AUTH_PIN" 002000800431323334 002401800435363738)
	assert_eq "$(grep -c 'SW1=0x90, SW2=0x00' <<<"$out")" 4 "VERIFY and CHANGE REFERENCE DATA"
	out=$(trace_since 0 "$mark")
	assert_contains "$out" "> 0020008004********"$'\n' "masked VERIFY"
	assert_contains "$out" "> 0024018004********"$'\n' "masked CHANGE REFERENCE DATA"
	assert_not_contains "$out" "35363738" "the new PIN in the trace"
	assert_eq "$(state_get 0 auth_pin)" 5678 "changed PIN in the state file"

	# remove-after: the second APDU is answered, then the card leaves the reader.
	card_ctl 0 remove-after 2 >/dev/null
	mark=$(trace_mark 0)
	out=$(apdus 0 "$SELECT_JPKI" "$SELECT_AUTH_PIN" "$SELECT_AUTH_PIN")
	assert_eq "$(grep -c 'SW1=0x90, SW2=0x00' <<<"$out")" 2 "APDUs answered before the removal"
	# pcscd may power an idle card off and on again at any time: leave those events out.
	assert_eq "$(trace_since 0 "$mark" | cut -d' ' -f2- | grep -v '^\* power-' | tr '\n' ' ')" \
		"> $SELECT_JPKI < 9000 > $SELECT_AUTH_PIN < 9000 * remove " "trace of remove-after"
	pcsc_wait 0 A
	assert_contains "$(card_ctl 0 status)" "absent" "status after remove-after"
	card_ctl 0 insert >/dev/null
	pcsc_wait 0 P

	# remove-during: the wrong VERIFY is processed and counted, its answer never arrives.
	assert_eq "$(state_get 0 auth_tries)" 3 "auth_tries before"
	card_ctl 0 remove-during 3 >/dev/null
	mark=$(trace_mark 0)
	out=$(apdus 0 "$SELECT_JPKI" "$SELECT_AUTH_PIN" 002000800430303030)
	assert_eq "$(grep -c 'SW1=0x90, SW2=0x00' <<<"$out")" 2 "APDUs answered before the drop"
	assert_not_contains "$out" "SW1=0x63" "answer of the dropped VERIFY"
	assert_eq "$(trace_since 0 "$mark" | cut -d' ' -f2- | tail -n 2 | tr '\n' ' ')" \
		"> 0020008004******** * remove (response dropped) " "trace of remove-during"
	assert_eq "$(state_get 0 auth_tries)" 2 "auth_tries after the lost answer"
	pcsc_wait 0 A
	card_ctl 0 insert >/dev/null
	pcsc_wait 0 P
	# The retry counter query tells the client what happened.
	out=$(apdus 0 "$SELECT_JPKI" "$SELECT_AUTH_PIN" 00200080)
	assert_contains "$out" "SW1=0x63, SW2=0xC2" "retry counter after the lost answer"
}

e2e_dispatch "$@"
e2e_phase bridge --cards 2 --card1 "--removed --latency 50000,1000,0"
