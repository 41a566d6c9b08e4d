# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash disable=SC2034 # the CONS_ names are used by the scripts that source this
# Shared part of the consumer tests (test/e2e/consumer-*.sh): NSS, OpenSSL, GnuTLS, OpenSSH and
# p11-kit drive jpki-pkcs11.so through the real pcscd. Sourced after test/e2e/lib.sh, whose
# phases and assertions it uses. The module under test is $JPKI_MODULE ("make check" sets it).

# The module: $JPKI_MODULE; libtool puts the uninstalled module in $top_builddir/.libs.
MOD=${JPKI_MODULE:-}
[ -f "$MOD" ] || MOD=${top_builddir:?}/.libs/jpki-pkcs11.so

# What the module shows of card 0 (identity 0 of the test PKI).
CONS_AUTH_TOKEN="JPKI Auth (4-digit PIN)"
CONS_SIGN_TOKEN="JPKI Sign (6-16 char password)"
# RFC 7512 percent-encodes the parentheses of the labels or not; both forms must work.
CONS_AUTH_URI='pkcs11:token=JPKI%20Auth%20%284-digit%20PIN%29'
CONS_SIGN_URI='pkcs11:token=JPKI%20Sign%20%286-16%20char%20password%29'
CONS_AUTH_NICK="$CONS_AUTH_TOKEN:JPKI authentication certificate"
CONS_SIGN_NICK="$CONS_SIGN_TOKEN:JPKI signature certificate"
CONS_PKI=${JPKI_TEST_PKI:-}/identity-0

declare -a CONS_PIDS=() CONS_TMPDIRS=()
declare -A CONS_SEEN=()

# cons_require TOOL... — skip unless root, the tools, the module and the harness programs exist.
cons_require() {
	e2e_require "$@"
	[ -f "$MOD" ] || e2e_skip "module not built ($MOD)"
	command -v ss >/dev/null || e2e_skip "ss (iproute2) not installed"
}

# cons_cn FILE — the commonName of a PEM certificate.
cons_cn() {
	openssl x509 -in "$1" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= //p'
}

# Called first in every phase: the client environment and the clean-up of started servers.
# A module built with --enable-sanitizers needs the ASan runtime loaded first into every
# program that loads it; leak checking stays off (it would report the consumers' own leaks).
cons_setup() {
	local asan
	asan=$(e2e_asan_preload "$MOD")
	if [ -n "$asan" ]; then
		export LD_PRELOAD=$asan
		export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	fi
	unset JPKI_PKCS11_CONF PKCS11_MODULE_PATH OPENSSL_CONF GNUTLS_PIN
	trap cons_exit EXIT
	cons_time_limit
	CONS_CN_AUTH=$(cons_cn "$CONS_PKI/auth-cert.pem")
	CONS_CN_SIGN=$(cons_cn "$CONS_PKI/sign-cert.pem")
	printf '%s\n' "rsa_pss = on" >pss-on.conf
}

# A hung consumer must fail the test, not block "make check": inside a phase the consumers
# run under timeout(1), which also ends their helpers (ssh-pkcs11-helper, ...). Servers started
# with cons_start through env(1) are not limited.
CONS_CLIENTS="certutil cmsutil curl gnutls-cli modutil openssl p11-kit p11tool pkcs11-tool
	script ssh ssh-add ssh-keygen tstclnt"
cons_time_limit() {
	local c
	for c in $CONS_CLIENTS; do
		eval "$c() { timeout -k 5 ${CONS_TIMEOUT:-30} $c \"\$@\"; }"
	done
}

# shellcheck disable=SC2317 # the EXIT trap
cons_exit() {
	local rc=$?
	cons_stop_all
	[ ${#CONS_TMPDIRS[@]} -eq 0 ] || rm -rf "${CONS_TMPDIRS[@]}"
	(exit $rc)
	e2e_stop_started
}

# cons_mktemp — a new directory outside the work directory, readable by every user (the work
# directory is not), removed at the end of the phase; its path in CONS_TMP.
cons_mktemp() {
	CONS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/jpki-consumer.XXXXXX") || e2e_fail "mktemp"
	CONS_TMPDIRS+=("$CONS_TMP")
	chmod 0755 "$CONS_TMP"
}

# cons_start NAME COMMAND... — starts a server in the background (stdout and stderr in
# NAME.out) and records its PID in CONS_PID. Servers that do not load the module are better
# started with "env -u LD_PRELOAD".
cons_start() {
	local name=$1
	shift
	command "$@" >"$name.out" 2>&1 &
	CONS_PID=$!
	CONS_PIDS+=("$CONS_PID")
}

# cons_stop PID — stops one server started by cons_start.
cons_stop() {
	local i
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	for i in "${!CONS_PIDS[@]}"; do
		[ "${CONS_PIDS[i]}" = "$1" ] && unset 'CONS_PIDS[i]'
	done
	return 0
}

cons_stop_all() {
	local pid
	for pid in "${CONS_PIDS[@]}"; do
		cons_stop "$pid"
	done
}

# cons_wait_port PORT — waits until something listens on 127.0.0.1:PORT (TCP).
cons_wait_port() {
	local i
	for ((i = 0; i < 250; i++)); do
		[ -n "$(ss -Hltn "sport = :$1")" ] && return 0
		kill -0 "$CONS_PID" 2>/dev/null || break
		sleep 0.02
	done
	cat ./*.out >&2
	e2e_fail "nothing listens on 127.0.0.1:$1"
}

# cons_server_pki — a throw-away CA (ca.pem) and a server certificate for 127.0.0.1 and
# localhost (srv.pem, srv.key) in the working directory.
cons_server_pki() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
		-subj "/CN=Consumer Test Server CA" -addext basicConstraints=critical,CA:TRUE \
		2>/dev/null || e2e_fail "cannot make the server CA"
	openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj "/CN=localhost" \
		2>/dev/null || e2e_fail "cannot make the server key"
	printf '%s\n' "subjectAltName = DNS:localhost,IP:127.0.0.1" \
		"extendedKeyUsage = serverAuth" >srv.ext
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-extfile srv.ext -out srv.pem 2>/dev/null || e2e_fail "cannot make the server cert"
}

# cons_s_server NAME PORT [s_server options] — an OpenSSL TLS server on 127.0.0.1:PORT that
# requires a client certificate from the authentication CA and answers every GET with a page
# describing the connection (-www); waits until it listens. Its PID is in CONS_PID.
cons_s_server() {
	local name=$1 port=$2
	shift 2
	cons_start "$name" env -u LD_PRELOAD openssl s_server -accept "127.0.0.1:$port" \
		-cert srv.pem -key srv.key -CAfile "$JPKI_TEST_PKI/auth-ca.pem" -Verify 1 -www "$@"
	cons_wait_port "$port"
}

# cons_expect_page PAGE SERVER PROTOCOL SIGTYPE WHAT — PAGE is what a client received from
# cons_s_server SERVER: the handshake used PROTOCOL (TLSv1.2, TLSv1.3), the client signed its
# CertificateVerify with SIGTYPE (RSA = PKCS#1 v1.5, RSA-PSS), the server verified the card's
# authentication certificate (page and server output both name its subject; the server's
# count of verified client certificates went up since the last call).
cons_expect_page() {
	local page=$1 server=$2 proto=$3 sig=$4 what=$5 seen
	grep -q "^ *Protocol  : $proto\$" <<<"$page" || {
		printf '%s\n' "$page" >&2
		e2e_fail "$what: no $proto"
	}
	grep -q "^Peer signature type: $sig\$" <<<"$page" || {
		printf '%s\n' "$page" >&2
		e2e_fail "$what: the client did not sign with $sig"
	}
	assert_contains "$page" "Verify return code: 0 (ok)" "$what"
	assert_contains "$page" "Subject: C=JP, CN=$CONS_CN_AUTH" "$what: client certificate"
	seen=$(grep -c "^depth=0 C = JP, CN = $CONS_CN_AUTH\$" "$server.out")
	[ "$seen" -gt "${CONS_SEEN[$server]:-0}" ] ||
		e2e_fail "$what: the server log does not show the card's certificate"
	CONS_SEEN[$server]=$seen
}
