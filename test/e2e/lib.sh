# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared part of the end-to-end tests; sourced (bash). A test is one script whose body runs
# in phases, each inside test/harness/with-cards (a private pcscd with virtual cards):
#
#   . "$top_srcdir/test/e2e/lib.sh"
#   e2e_require opensc-tool
#   phase_main() { ...assertions...; }
#   e2e_dispatch "$@"                              # inside the harness: run the phase, exit
#   e2e_phase main --cards 2 --card1 "--atr old"   # outside: run phase_main in the harness
#
# Inside a phase the harness variables (JPKI_WORK, JPKI_CARDk_*) are set; the working
# directory is JPKI_WORK, which is removed after a successful run and kept on failure.

set -u

: "${top_srcdir:?top_srcdir must be set (make check sets it)}"
: "${top_builddir:?top_builddir must be set (make check sets it)}"

E2E_SCRIPT=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
E2E_NAME=$(basename "$0" .sh)
WITH_CARDS=$top_srcdir/test/harness/with-cards
declare -a E2E_STARTED=()

# The PINs of a fresh card; they must never appear in a trace or log.
E2E_AUTH_PIN=1234
E2E_SIGN_PIN=PASS1234

e2e_skip() {
	echo "SKIP: $E2E_NAME: $*" >&2
	exit 77
}

e2e_fail() {
	echo "FAIL: $E2E_NAME: $*" >&2
	exit 1
}

e2e_note() {
	echo "$E2E_NAME: $*"
}

# e2e_require TOOL... — skip unless root and every tool (and the built programs) is there.
e2e_require() {
	local t
	[ "$(id -u)" = 0 ] || e2e_skip "needs root"
	for t in "$@"; do
		command -v "$t" >/dev/null || e2e_skip "$t not installed"
	done
	[ -f "${OPENSC_PKCS11:-}" ] || e2e_skip "OpenSC PKCS#11 module not found"
	[ -x "${JPKI_VCARD:-}" ] || e2e_skip "jpki-vcard not built"
	[ -x "${PCSC_WAIT:-}" ] || e2e_skip "pcsc-wait not built"
}

# e2e_asan_preload MODULE — what a program not built with AddressSanitizer must preload to
# load MODULE when MODULE is built with --enable-sanitizers: the runtime MODULE is linked
# against (GCC's libasan or clang's shared runtime), then test/harness/asan-host.c (see there
# why); empty for a normal build.
e2e_asan_preload() {
	local runtime
	runtime=$(ldd "$1" 2>/dev/null | awk '$1 ~ /^(libasan|libclang_rt\.asan-[^.]*)\.so/ { print $3 }')
	[ -z "$runtime" ] || echo "$runtime:$top_builddir/test/harness/.libs/asan-host.so"
}

# e2e_phase NAME [with-cards options] — runs phase_NAME of this script inside the harness;
# a failing phase ends the test with its status.
e2e_phase() {
	local name=$1 t0 rc
	shift
	t0=$(date +%s%N)
	bash "$WITH_CARDS" "$@" -- bash "$E2E_SCRIPT" --phase "$name"
	rc=$?
	e2e_note "phase $name: status $rc, $((($(date +%s%N) - t0) / 1000000)) ms"
	[ $rc -eq 0 ] || exit $rc
}

# Called at the top of every test, after sourcing: dispatches "--phase NAME" (inside the harness).
e2e_dispatch() {
	if [ "${1:-}" = "--phase" ]; then
		cd "$JPKI_WORK" || exit 99
		trap e2e_stop_started EXIT
		declare -F "phase_$2" >/dev/null || e2e_fail "no phase named $2"
		"phase_$2" || e2e_fail "phase $2 ended with status $?"
		e2e_check_no_pins
		exit 0
	fi
}

# --- assertions -------------------------------------------------------------------------------

# assert_contains TEXT NEEDLE WHAT
assert_contains() {
	case $1 in
	*"$2"*) ;;
	*) printf '%s\n' "$1" >&2; e2e_fail "$3: no \"$2\" in the output above" ;;
	esac
}

assert_not_contains() {
	case $1 in
	*"$2"*) printf '%s\n' "$1" >&2; e2e_fail "$3: unexpected \"$2\" in the output above" ;;
	*) ;;
	esac
}

# assert_eq ACTUAL EXPECTED WHAT
assert_eq() {
	[ "$1" = "$2" ] || e2e_fail "$3: got \"$1\", expected \"$2\""
}

assert_same_file() {
	cmp -s "$1" "$2" || e2e_fail "$3: $1 and $2 differ"
}

# --- the tools ----------------------------------------------------------------------------------

p11() {
	pkcs11-tool --module "$OPENSC_PKCS11" "$@" 2>&1
}

# state_get K KEY — a value from card K's state file (auth_tries, sign_tries, ...).
state_get() {
	local file
	file=$(card_var "$1" STATE)
	sed -n "s/^$2=//p" "$file"
}

card_var() {
	local v="JPKI_CARD${1}_$2"
	printf '%s' "${!v}"
}

# trace_mark K — the current length of card K's trace; trace_since K MARK — the lines after it.
trace_mark() {
	wc -l <"$(card_var "$1" TRACE)"
}

trace_since() {
	tail -n +$(($2 + 1)) "$(card_var "$1" TRACE)"
}

# The status words of the VERIFY commands with data (real PIN checks) among trace lines on stdin.
verify_sws() {
	awk '$2 == ">" { v = ($3 ~ /^0020....[0-9A-F][0-9A-F]\*/) } $2 == "<" && v { print substr($3, length($3) - 3); v = 0 }'
}

# pcsc_wait K A|P — waits until reader K is empty (A) or holds a card (P).
pcsc_wait() {
	local states="" i
	for ((i = 0; i < ${JPKI_CARDS:?}; i++)); do
		if [ $i -eq "$1" ]; then states="$states$2"; else states="$states-"; fi
	done
	"$PCSC_WAIT" --quiet --timeout 10 -- "$states" || e2e_fail "reader $1 did not become $2"
}

# card_ctl K COMMAND... — remote control of card K (remove, insert, status, ...).
card_ctl() {
	local k=$1
	shift
	"$JPKI_VCARD" --ctl "$(card_var "$k" CTL)" "$@"
}

# card_restart K — stops card K's process (it saves its state) and starts a new one with the
# same options; waits until pcscd has seen the removal and the new insertion.
card_restart() {
	local k=$1 pid ctl i
	pid=$(card_var "$k" PID)
	ctl=$(card_var "$k" CTL)
	kill -TERM "$pid" || e2e_fail "card $k (pid $pid) is not running"
	# The card removes its control socket last, after saving its state.
	for ((i = 0; i < 500; i++)); do
		[ -S "$ctl" ] || break
		sleep 0.02
	done
	[ ! -S "$ctl" ] || e2e_fail "card $k did not stop"
	pcsc_wait "$k" A
	# shellcheck disable=SC2046 # the options are a word list
	"$JPKI_VCARD" $(card_var "$k" ARGS) >>"$(card_var "$k" LOG)" 2>&1 &
	E2E_STARTED+=($!)
	export "JPKI_CARD${k}_PID=$!"
	pcsc_wait "$k" P
}

# Stops the cards this test started itself (the harness stops its own); an unclean exit fails.
e2e_stop_started() {
	local rc=$? pid st
	trap - EXIT
	for pid in "${E2E_STARTED[@]}"; do
		kill -TERM "$pid" 2>/dev/null
		wait "$pid"
		st=$?
		if [ $st -ne 0 ]; then
			echo "FAIL: $E2E_NAME: a restarted card exited with status $st" >&2
			[ $rc -ne 0 ] || rc=1
		fi
	done
	exit $rc
}

# No PIN may reach a trace or a log in clear: the commands (">" lines) are checked for the hex
# of the test PINs; responses may hold anything (certificate dates can contain "1234").
e2e_check_no_pins() {
	local f pin hex
	for f in "$JPKI_WORK"/card*.trace; do
		[ -f "$f" ] || continue
		for pin in "$E2E_AUTH_PIN" "$E2E_SIGN_PIN"; do
			hex=$(printf '%s' "$pin" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
			if awk '$2 == ">"' "$f" | grep -q "$hex"; then
				e2e_fail "$f holds PIN $pin in clear"
			fi
		done
		if awk '$2 == ">" && $3 ~ /^00(20|24)..../ && length($3) > 10 && $3 !~ /^00(20|24)......\*/' "$f" | grep -q .; then
			e2e_fail "$f holds an unmasked VERIFY or CHANGE REFERENCE DATA"
		fi
	done
	# pcscd --apdu would log "31 32 33 34"; plain "1234" occurs in pcscd's time stamps.
	for f in "$JPKI_WORK"/*.log; do
		if grep -q -e "31 32 33 34" -e "$E2E_SIGN_PIN" "$f"; then
			e2e_fail "$f mentions a PIN"
		fi
	done
}
