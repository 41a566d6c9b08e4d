# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash disable=SC2034,SC2154 # BR_* are for the callers; lib.sh checks top_*
# Helpers of the browser tests (test/e2e/browser-*.sh); sourced after test/e2e/lib.sh.
#
# The module under test is $JPKI_MODULE (make check: our jpki-pkcs11.so). It may also be
# OpenSC's module ($OPENSC_PKCS11) on the same virtual card: the token labels follow.
# Everything runs inside with-cards' network namespace: the TLS servers listen on 127.0.0.1
# and the browsers have nowhere else to go.

BR_DIR=$top_srcdir/test/e2e/browsers
BR_PYTHON=${PYTHON3:-python3}
# The helpers import each other from the source tree, which must stay clean (and may be
# read-only, as in make distcheck).
export PYTHONDONTWRITEBYTECODE=1
BR_TLS12_PORT=8443
BR_TLS13_PORT=8444
declare -a BR_STARTED=()

# br_require TOOL... — skip unless root, the tools, the harness and a loadable module exist.
# Sets BR_MODULE, BR_AUTH_LABEL, BR_SIGN_LABEL, BR_OURS (true for jpki-pkcs11).
br_require() {
	e2e_require openssl certutil modutil timeout "$BR_PYTHON" "$@"
	BR_MODULE=${JPKI_MODULE:-}
	# libtool leaves the module in .libs of the directory whose fragment builds it.
	[ -f "$BR_MODULE" ] || BR_MODULE=$top_builddir/.libs/jpki-pkcs11.so
	[ -f "$BR_MODULE" ] || e2e_skip "module not built (JPKI_MODULE=${JPKI_MODULE:-})"
	# A module built with the sanitizers needs their runtime preloaded, and a browser does
	# not start with it (Firefox crashes at once, Chromium hangs).
	if [ -n "$(e2e_asan_preload "$BR_MODULE")" ]; then
		e2e_skip "$BR_MODULE is built with sanitizers; browsers cannot load it"
	fi
	if [ "$BR_MODULE" -ef "${OPENSC_PKCS11:-}" ]; then
		BR_OURS=false
		BR_AUTH_LABEL="JPKI (User Authentication PIN)"
		BR_SIGN_LABEL="JPKI (Digital Signature PIN)"
	else
		BR_OURS=true
		BR_AUTH_LABEL="JPKI Auth (4-digit PIN)"
		BR_SIGN_LABEL="JPKI Sign (6-16 char password)"
	fi
	export BR_MODULE BR_AUTH_LABEL BR_SIGN_LABEL BR_OURS
}

# br_friendly DIR — makes the tokens "friendly" to NSS (public certificates readable without a
# login, so that a client-auth handshake asks for one PIN only). Our module needs nothing: with
# public_certificates_token = on (the default) each token holds a CKO_PROFILE object with
# CKP_PUBLIC_CERTIFICATES_TOKEN. Another module (OpenSC, as a cross-check) gets the slot flag
# from NSS itself (modutil's FRIENDLY = slotFlags=PublicCerts in pkcs11.txt), and the log says so.
br_friendly() {
	! $BR_OURS || return 0
	e2e_note "tokens of $BR_MODULE marked friendly by NSS (modutil -mechanisms FRIENDLY)"
	modutil -dbdir "sql:$1" -default "JPKI My Number card" -mechanisms FRIENDLY -force \
		>/dev/null || e2e_fail "modutil -default -mechanisms FRIENDLY"
}

# prompts FILE [ACTION [TOKEN]] — how many prompts in a .prompts file match.
prompts() {
	awk -F '\t' -v a="${2:-}" -v t="${3:-}" \
		'(a == "" || $2 == a) && (t == "" || $3 == t) { n++ } END { print n + 0 }' "$1"
}

# br_conf LINE... — the module configuration of the following browser runs (our module only;
# OpenSC ignores it). No line: the defaults.
br_conf() {
	printf '%s\n' "# browser test configuration" "$@" >"$JPKI_WORK/jpki-pkcs11.conf"
	export JPKI_PKCS11_CONF=$JPKI_WORK/jpki-pkcs11.conf
}

# br_home — a private HOME (browsers write caches and settings there) and a clean session
# environment. No D-Bus: the browsers log harmless errors about it.
br_home() {
	export HOME=$JPKI_WORK/home XDG_CONFIG_HOME=$JPKI_WORK/home/.config
	export XDG_CACHE_HOME=$JPKI_WORK/home/.cache XDG_RUNTIME_DIR=$JPKI_WORK/home/run
	mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
	chmod 700 "$XDG_RUNTIME_DIR"
	unset DBUS_SESSION_BUS_ADDRESS
}

# br_server_pki — a throw-away CA and a server certificate for 127.0.0.1 in the work directory
# (server-ca.pem, server.pem, server.key). The client side trusts the card's auth CA.
br_server_pki() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=jpki-pkcs11 test server CA" -keyout server-ca.key -out server-ca.pem \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null ||
		e2e_fail "cannot make the server CA"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=127.0.0.1" -CA server-ca.pem -CAkey server-ca.key \
		-keyout server.key -out server.pem \
		-addext "basicConstraints=critical,CA:FALSE" \
		-addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=serverAuth" \
		-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null ||
		e2e_fail "cannot make the server certificate"
}

# br_server PORT -tls1_2|-tls1_3 — an HTTPS server on 127.0.0.1:PORT that demands a client
# certificate from the card's authentication CA and answers every GET with a page describing
# the session: protocol, the client's signature scheme ("Peer signature type") and the client
# certificate (openssl s_server -www).
br_server() {
	local port=$1 version=$2 i
	openssl s_server -accept "127.0.0.1:$port" "$version" -cert server.pem -key server.key \
		-CAfile "$JPKI_TEST_PKI/auth-ca.pem" -Verify 1 -www \
		>"server-$port.log" 2>&1 </dev/null &
	BR_STARTED+=($!)
	for ((i = 0; i < 100; i++)); do
		grep -q '^ACCEPT' "server-$port.log" && return 0
		sleep 0.05
	done
	e2e_fail "s_server on port $port did not start"
}

# Stops what the browser helpers started (servers, Xvfb), then runs lib.sh's own cleanup.
br_stop_started() {
	local rc=$? pid
	for pid in "${BR_STARTED[@]}"; do
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	BR_STARTED=()
	(exit $rc)
	e2e_stop_started
}

# br_phase_setup — at the start of every phase: the cleanup trap, HOME, the server PKI.
br_phase_setup() {
	trap br_stop_started EXIT
	br_home
	br_server_pki
}

# br_nssdb DIR — an NSS database (empty password) that loads the module under test and trusts
# the test server CA: a Firefox profile or Chromium's ~/.pki/nssdb.
br_nssdb() {
	local dir=$1 out
	mkdir -p "$dir"
	certutil -N -d "sql:$dir" --empty-password || e2e_fail "certutil -N $dir"
	# -force: no "is a browser running?" question.
	out=$(modutil -dbdir "sql:$dir" -add "JPKI My Number card" -libfile "$BR_MODULE" -force 2>&1) ||
		e2e_fail "modutil -add: $out"
	certutil -A -d "sql:$dir" -n "test server CA" -t "C,," -a -i server-ca.pem ||
		e2e_fail "certutil -A server CA"
}

# br_private_dir DIR — puts a writable copy of the system directory DIR in its place, on a
# tmpfs that exists only in with-cards' private mount namespace (for policy files): nothing
# is written to the real DIR.
br_private_dir() {
	local dir copy
	dir=$(readlink -f "$1")
	[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] ||
		e2e_fail "not in a private mount namespace; will not mount over $dir"
	copy=$JPKI_WORK/private-$(printf '%s' "$dir" | tr / _)
	cp -a "$dir" "$copy" || e2e_fail "cannot copy $dir"
	mount -t tmpfs -o mode=0755 tmpfs "$dir" || e2e_fail "cannot mount a tmpfs over $dir"
	cp -a "$copy/." "$dir/" || e2e_fail "cannot fill the tmpfs over $dir"
}

# br_answers FILE LABEL PIN ... — the PIN answers for the prompt handlers (JSON object).
br_answers() {
	local file=$1
	shift
	"$BR_PYTHON" -c '
import json, sys
pairs = sys.argv[2:]
with open(sys.argv[1], "w") as f:
    json.dump(dict(zip(pairs[::2], pairs[1::2])), f)' "$file" "$@"
}

# card_verifies K MARK — one line per VERIFY with data on card K since MARK: the PIN EF
# selected before it (0018 auth PIN, 001B sign password) and the card's status word.
card_verifies() {
	trace_since "$1" "$2" | awk '
		$2 == ">" && $3 ~ /^00A4020C02/ { ef = substr($3, 11, 4) }
		$2 == ">" { v = ($3 ~ /^0020....[0-9A-F][0-9A-F]\*/) ; next }
		$2 == "<" && v { print ef, substr($3, length($3) - 3); v = 0 }'
}

# card_signatures K MARK — one line per COMPUTE DIGITAL SIGNATURE on card K since MARK: the
# key EF selected before it (0017 auth key, 001A sign key) and the status word.
card_signatures() {
	trace_since "$1" "$2" | awk '
		$2 == ">" && $3 ~ /^00A4020C02/ { ef = substr($3, 11, 4) }
		$2 == ">" { s = ($3 ~ /^802A/); next }
		$2 == "<" && s { print ef, substr($3, length($3) - 3); s = 0 }'
}

# page_line FILE KEY — the value of "KEY: value" / "KEY  : value" on an s_server page.
page_line() {
	sed -n "s/^ *$2 *: *//p" "$1" | head -n 1
}

# br_check_page FILE PROTOCOL SIGNATURE — the s_server page (FILE, as the browser showed it)
# saw card 0's authentication certificate, verified against the auth CA, over PROTOCOL, with a
# client signature of type SIGNATURE (RSA: PKCS#1 v1.5; RSA-PSS).
br_check_page() {
	local page=$1 cn
	cn=$(openssl x509 -in "$JPKI_TEST_PKI/identity-0/auth-cert.pem" -noout -subject \
		-nameopt multiline | sed -n 's/^ *commonName *= //p')
	grep -q "^ *Subject: .*CN=$cn" "$page" || e2e_fail "$page: no client certificate CN=$cn"
	assert_eq "$(page_line "$page" Protocol)" "$2" "$page: protocol"
	assert_eq "$(page_line "$page" 'Peer signature type')" "$3" "$page: client signature"
	assert_eq "$(page_line "$page" 'Verify return code')" "0 (ok)" "$page: verification"
	e2e_note "$page: $2, client signature $3, CN=$cn"
}

# br_check_one_prompt FILE — exactly one PIN prompt, for the authentication token, answered.
br_check_one_prompt() {
	assert_eq "$(prompts "$1")" 1 "prompts in $1"
	assert_eq "$(prompts "$1" accept "$BR_AUTH_LABEL")" 1 "answered authentication prompts"
	e2e_note "PIN prompts: 1, for \"$BR_AUTH_LABEL\""
}

# br_check_card MARK — since MARK card 0 checked the auth PIN once (right), never the
# signature password, and signed only with the authentication key.
br_check_card() {
	assert_eq "$(card_verifies 0 "$1" | tr '\n' ' ')" "0018 9000 " "PIN checks on the card"
	[ "$(card_signatures 0 "$1" | grep -vc '^0017 9000$')" = 0 ] ||
		e2e_fail "a signature other than with the authentication key: $(card_signatures 0 "$1")"
	[ "$(card_signatures 0 "$1" | wc -l)" -ge 1 ] || e2e_fail "the card made no signature"
}
