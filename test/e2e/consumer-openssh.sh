#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# OpenSSH (doc/guide-openssh.md) on a virtual card through jpki-pkcs11: ssh-keygen -D prints
# the authentication public key, equal to the key of the authentication certificate (and never
# the signature key); an sshd started here on 127.0.0.1 with that key in its authorized_keys
# accepts "ssh -I MODULE" with the PIN given through SSH_ASKPASS, and the remote command runs;
# the same with PKCS11Provider in a client configuration file, and through ssh-agent after
# "ssh-add -s MODULE", which spends one VERIFY (it also offers the PIN to the signature token,
# where the module refuses it without asking the card).
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/e2e/consumers/lib.sh
. "$top_srcdir/test/e2e/consumers/lib.sh"
cons_require ssh ssh-keygen ssh-add ssh-agent openssl
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$SSHD" ] || e2e_skip "sshd not installed (openssh-server)"
getent passwd sshd >/dev/null || e2e_skip "no sshd privilege separation user"

PORT=2222

# sshd needs its privilege separation directory /run/sshd. Inside the harness's mount
# namespace a fresh tmpfs on /run provides it without touching the system's /run; the
# private pcscd's socket directory moves along.
private_run() {
	mkdir pcscd-run
	mount --move /run/pcscd "$PWD/pcscd-run" || e2e_fail "cannot move /run/pcscd"
	mount -t tmpfs -o mode=0755 tmpfs /run || e2e_fail "cannot mount a tmpfs on /run"
	mkdir -m 0755 /run/pcscd /run/sshd
	mount --move "$PWD/pcscd-run" /run/pcscd || e2e_fail "cannot move /run/pcscd back"
}

# ssh_run COMMAND [ssh options] — runs COMMAND on the test sshd as root; output and errors.
ssh_run() {
	local cmd=$1
	shift
	ssh -F /dev/null -o UserKnownHostsFile="$PWD/known_hosts" -o StrictHostKeyChecking=yes \
		-p "$PORT" "$@" root@127.0.0.1 "$cmd" </dev/null 2>&1
}

phase_openssh() {
	local out mark want n
	cons_setup
	private_run

	# The authentication key as OpenSSH sees it, from the certificate and from the card.
	openssl x509 -in "$CONS_PKI/auth-cert.pem" -pubkey -noout >auth-pub.pem
	ssh-keygen -i -m PKCS8 -f auth-pub.pem >auth.pub || e2e_fail "ssh-keygen -i"
	want=$(cut -d' ' -f1,2 auth.pub)
	ssh-keygen -D "$MOD" >card-keys.pub 2>keygen.err || e2e_fail "ssh-keygen -D: $(cat keygen.err)"
	assert_eq "$(awk '/ JPKI authentication key$/ { print $1, $2 }' card-keys.pub)" "$want" \
		"ssh-keygen -D: the authentication key"
	openssl x509 -in "$CONS_PKI/sign-cert.pem" -pubkey -noout >sign-pub.pem
	assert_not_contains "$(cat card-keys.pub)" \
		"$(ssh-keygen -i -m PKCS8 -f sign-pub.pem | cut -d' ' -f2)" "ssh-keygen -D without login"

	# A server of our own, on loopback, with only its own files.
	mkdir sshd
	ssh-keygen -q -t ed25519 -N '' -f sshd/host_key || e2e_fail "host key"
	printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 sshd/host_key.pub)" >known_hosts
	cp auth.pub sshd/authorized_keys
	cat >sshd/sshd_config <<EOF
ListenAddress 127.0.0.1
Port $PORT
HostKey $PWD/sshd/host_key
AuthorizedKeysFile $PWD/sshd/authorized_keys
PidFile none
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
EOF
	cons_start sshd env -u LD_PRELOAD "$SSHD" -f "$PWD/sshd/sshd_config" -D -e
	cons_wait_port "$PORT"

	# The PIN through SSH_ASKPASS (no terminal); the helper records what it was asked.
	cat >askpass <<EOF
#!/bin/sh
printf '%s\n' "\$1" >>"$PWD/askpass.prompts"
echo $E2E_AUTH_PIN
EOF
	chmod +x askpass
	export SSH_ASKPASS=$PWD/askpass SSH_ASKPASS_REQUIRE=force DISPLAY=:0

	mark=$(trace_mark 0)
	# shellcheck disable=SC2016 # expanded by the remote shell
	out=$(ssh_run 'echo "remote command ran as $(id -un)"' -I "$MOD" -o IdentitiesOnly=yes -i auth.pub)
	assert_contains "$out" "remote command ran as root" "ssh -I"
	assert_eq "$(cat askpass.prompts)" "Enter PIN for '$CONS_AUTH_TOKEN': " "the PIN prompt of ssh -I"
	assert_eq "$(trace_since 0 "$mark" | verify_sws | tr '\n' ' ')" "9000 " "VERIFYs of ssh -I"
	# (sshd -e ends its log lines in CR LF)
	n=$(ssh-keygen -l -f auth.pub | cut -d' ' -f2)
	tr -d '\r' <sshd.out | grep -q "^Accepted publickey for root from 127.0.0.1 .* RSA $n\$" ||
		e2e_fail "sshd did not log the card's key ($n)"

	# IdentitiesOnly without an IdentityFile: ssh offers none of the card's keys.
	out=$(ssh_run true -I "$MOD" -o IdentitiesOnly=yes -o BatchMode=yes)
	assert_contains "$out" "Permission denied (publickey)" "ssh -I with IdentitiesOnly and no -i"

	# The same from a client configuration file.
	cat >ssh_config <<EOF
Host card-test
	HostName 127.0.0.1
	Port $PORT
	User root
	UserKnownHostsFile $PWD/known_hosts
	PKCS11Provider $MOD
	IdentityFile $PWD/auth.pub
	IdentitiesOnly yes
EOF
	rm askpass.prompts
	out=$(ssh -F ssh_config card-test 'echo "config login ran"' </dev/null 2>&1)
	assert_contains "$out" "config login ran" "ssh with PKCS11Provider in the configuration"
	assert_eq "$(cat askpass.prompts)" "Enter PIN for '$CONS_AUTH_TOKEN': " "the PIN prompt of ssh -F"

	# Through ssh-agent. Its default allow-list (-P) covers /usr/lib*/* and /usr/local/lib*/*;
	# the module in the build directory has to be allowed by name.
	rm askpass.prompts
	if [ -n "${LD_PRELOAD:-}" ]; then
		# A sanitizer build: ssh-agent is setgid, so the loader drops LD_PRELOAD from its
		# environment; the helper that loads the module gets it back through a wrapper.
		printf '#!/bin/sh\nLD_PRELOAD=%s exec %s "$@"\n' "$LD_PRELOAD" \
			/usr/lib/openssh/ssh-pkcs11-helper >pkcs11-helper
		chmod +x pkcs11-helper
		export SSH_PKCS11_HELPER=$PWD/pkcs11-helper
	fi
	cons_start agent ssh-agent -D -a "$PWD/agent.sock" -P "$MOD"
	for ((n = 0; n < 250; n++)); do
		[ -S agent.sock ] && break
		sleep 0.02
	done
	export SSH_AUTH_SOCK=$PWD/agent.sock
	mark=$(trace_mark 0)
	out=$(ssh-add -s "$MOD" </dev/null 2>&1)
	assert_contains "$out" "Card added: $MOD" "ssh-add -s"
	assert_eq "$(cat askpass.prompts)" "Enter passphrase for PKCS#11: " "the PIN prompt of ssh-add -s"
	assert_contains "$(ssh-add -L)" "$want JPKI authentication key" "ssh-add -L"
	out=$(ssh_run 'echo "agent login ran"')
	assert_contains "$out" "agent login ran" "ssh through ssh-agent"
	assert_eq "$(trace_since 0 "$mark" | verify_sws | tr '\n' ' ')" "9000 " \
		"VERIFYs of ssh-add -s and one ssh login"
	out=$(ssh-add -e "$MOD" 2>&1)
	assert_contains "$out" "Card removed: $MOD" "ssh-add -e"
	unset SSH_AUTH_SOCK

	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 3/5 "tries at the end"
}

e2e_dispatch "$@"
e2e_phase openssh --cards 1
