#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# OpenSC (written against real cards) must find the virtual card whatever its ATR: the JPKI
# driver identifies the card by SELECT of the JPKI AID. Three cards with the contact, the
# contactless and the old ATR, plus an empty fourth reader.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
e2e_require opensc-tool pkcs15-tool pkcs11-tool

ATR_CONTACT=3b:da:13:ff:81:31:fb:46:80:12:39:2f:31:c1:73:c6:01:c0:3b
ATR_CONTACTLESS=3b:88:80:01:00:00:05:e0:b3:81:a1:00:7f
ATR_OLD=3b:e0:00:ff:81:31:fe:45:14

# reader_index NAME — OpenSC's index of the reader called NAME.
reader_index() {
	opensc-tool -l | awk -v name="$1" 'substr($0, index($0, "Virtual")) == name { print $1 }'
}

phase_atrs() {
	local out k r atr
	out=$(opensc-tool -l)
	for k in 0 1 2; do
		assert_contains "$out" "Yes             $(card_var $k READER)" "card $k listed"
	done
	assert_contains "$out" "No              Virtual PCD 1 00 01" "fourth reader empty"

	for k in 0 1 2; do
		case $k in
		0) atr=$ATR_CONTACT ;;
		1) atr=$ATR_CONTACTLESS ;;
		2) atr=$ATR_OLD ;;
		esac
		r=$(reader_index "$(card_var $k READER)")
		[ -n "$r" ] || e2e_fail "no OpenSC reader for card $k"
		assert_eq "$(opensc-tool -r "$r" -a)" "$atr" "ATR of card $k"
		out=$(opensc-tool -r "$r" -n)
		assert_eq "${out^^}" "JPKI" "card name of card $k"
		# PKCS#15 emulation: the two PINs with their retry counters read from the card
		out=$(pkcs15-tool -r "$r" --list-pins)
		assert_contains "$out" "PIN [User Authentication PIN]" "auth PIN of card $k"
		assert_contains "$out" "PIN [Digital Signature PIN]" "sign PIN of card $k"
		[ "$(grep -c 'Tries left     : 3' <<<"$out")" = 1 ] || e2e_fail "auth tries of card $k: $out"
		[ "$(grep -c 'Tries left     : 5' <<<"$out")" = 1 ] || e2e_fail "sign tries of card $k: $out"
	done

	# Two PKCS#11 tokens per card, none for the empty reader.
	out=$(p11 -L)
	assert_eq "$(grep -c 'token label        : JPKI (User Authentication PIN)' <<<"$out")" 3 "auth tokens"
	assert_eq "$(grep -c 'token label        : JPKI (Digital Signature PIN)' <<<"$out")" 3 "sign tokens"
	assert_contains "$out" $'Virtual PCD 1 00 01\n  (empty)' "the empty reader's slot"
}

e2e_dispatch "$@"
e2e_phase atrs --cards 3 --card1 "--atr contactless" --card2 "--atr old"
