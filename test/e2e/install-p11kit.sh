#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# "make install" and the registration with p11-kit (doc/guide-p11-kit.md, README "Using the
# module"): the build is installed with DESTDIR into a temporary directory; exactly the module,
# its .module file and the configuration file land there, in the directories configure chose
# (p11-kit's, from pkg-config, unless overridden as "make distcheck" does). Inside the
# harness's mount namespace the installed directories are mounted where p11-kit looks, so that
# p11-kit finds the module through the installed .module file alone: p11-kit list-modules and
# p11-kit-proxy.so show both tokens of the virtual card, and a signature through the proxy
# verifies. The same .module file in a non-root user's ~/.config/pkcs11/modules registers the
# module for that user only. "make uninstall" removes every installed file.
# shellcheck source=test/e2e/lib.sh
. "${top_srcdir:?run me through make check}/test/e2e/lib.sh"
# shellcheck source=test/e2e/consumers/lib.sh
. "$top_srcdir/test/e2e/consumers/lib.sh"
cons_require p11-kit pkcs11-tool pkg-config setpriv openssl mount umount
: "${JPKI_MODULE_DIR:?}" "${JPKI_P11KIT_CONFIG_DIR:?}" "${JPKI_SYSCONFDIR:?}" "${JPKI_P11KIT_DIRS:?}"
P11KIT_MODULES=$(pkg-config --variable=p11_module_path p11-kit-1)
P11KIT_CONFIGS=$(pkg-config --variable=p11_module_configs p11-kit-1)
PROXY=$(pkg-config --variable=proxy_module p11-kit-1)
[ -f "$PROXY" ] || e2e_skip "$PROXY not found"
[ -d "$P11KIT_CONFIGS" ] || e2e_skip "no p11-kit module configuration directory"
[ "$JPKI_P11KIT_CONFIG_DIR" != no ] || e2e_skip "configured --without-p11-kit-config-dir"
getent passwd nobody >/dev/null || e2e_skip "no user nobody"

declare -a MOUNTS=()

# make_in_build TARGET... — make in the build directory, as its own top-level make (not a
# sub-make of "make check": no jobserver, no command-line variables of the outer make).
make_in_build() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" -C "$top_builddir" "$@" \
		>>make.out 2>&1 || {
		cat make.out >&2
		e2e_fail "make $*"
	}
}

# installed_files DIR — every file and link under DIR, relative to DIR, sorted.
installed_files() {
	(cd "$1" && find . \( -type f -o -type l \) | sed 's|^\.||' | LC_ALL=C sort)
}

# mount_at SRC DIR — SRC's contents seen at DIR, in this mount namespace only. A DIR that does
# not exist (the distcheck prefix) is made in an overlay of its nearest existing parent.
mount_at() {
	local src=$1 dir=$2 up=$2
	if [ ! -d "$dir" ]; then
		while [ ! -d "$up" ]; do up=$(dirname "$up"); done
		[ "$up" != / ] || e2e_fail "will not overlay / to make $dir"
		cons_mktemp
		mkdir "$CONS_TMP/upper" "$CONS_TMP/work"
		mount -t overlay overlay \
			-o "lowerdir=$up,upperdir=$CONS_TMP/upper,workdir=$CONS_TMP/work" "$up" ||
			e2e_fail "cannot overlay $up"
		MOUNTS=("$up" "${MOUNTS[@]}")
		mkdir -p "$dir" || e2e_fail "mkdir $dir"
	fi
	mount --bind "$src" "$dir" || e2e_fail "cannot bind $src to $dir"
	MOUNTS=("$dir" "${MOUNTS[@]}")
}

# unmount_all — undoes every mount_at (innermost first), before the temporary dirs go.
unmount_all() {
	local m
	for m in "${MOUNTS[@]}"; do
		umount "$m" || e2e_fail "umount $m"
	done
	MOUNTS=()
}

# as_nobody COMMAND... — COMMAND as user nobody with HOME=$U, within the time limit.
as_nobody() {
	timeout -k 5 30 setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups \
		env HOME="$U" XDG_CONFIG_HOME="$U/.config" "$@" 2>&1
}

phase_install() {
	local d out expect_module module_line
	cons_setup

	# --- make install into DESTDIR ---------------------------------------------------------
	cons_mktemp
	d=$CONS_TMP
	make_in_build install DESTDIR="$d"
	assert_eq "$(installed_files "$d")" "$(printf '%s\n' \
		"$JPKI_MODULE_DIR/jpki-pkcs11.so" \
		"$JPKI_P11KIT_CONFIG_DIR/jpki-pkcs11.module" \
		"$JPKI_SYSCONFDIR/jpki-pkcs11.conf" | LC_ALL=C sort)" "files installed by make install"
	if [ "$JPKI_P11KIT_DIRS" = pkg-config ]; then
		assert_eq "$JPKI_MODULE_DIR" "$P11KIT_MODULES" "module directory (pkg-config p11-kit-1)"
		assert_eq "$JPKI_P11KIT_CONFIG_DIR" "$P11KIT_CONFIGS" \
			"p11-kit config directory (pkg-config p11-kit-1)"
	fi
	assert_same_file "$d$JPKI_MODULE_DIR/jpki-pkcs11.so" "$MOD" "installed module"
	# In p11-kit's own module directory the bare name suffices; elsewhere the full path.
	if [ "$JPKI_MODULE_DIR" = "$P11KIT_MODULES" ]; then
		expect_module=jpki-pkcs11.so
	else
		expect_module=$JPKI_MODULE_DIR/jpki-pkcs11.so
	fi
	module_line=$(grep '^module:' "$d$JPKI_P11KIT_CONFIG_DIR/jpki-pkcs11.module")
	assert_eq "$module_line" "module: $expect_module" "jpki-pkcs11.module"

	# --- system registration: the installed dirs where p11-kit looks -----------------------
	# Only the installed .module file is registered (the packages' ones are hidden).
	mount_at "$d$JPKI_P11KIT_CONFIG_DIR" "$P11KIT_CONFIGS"
	mount_at "$d$JPKI_MODULE_DIR" "$JPKI_MODULE_DIR"
	head -c 3000 /dev/urandom >msg
	openssl x509 -in "$CONS_PKI/auth-cert.pem" -pubkey -noout >auth-pub.pem
	out=$(p11-kit list-modules 2>&1)
	assert_contains "$out" "jpki-pkcs11: $expect_module" "p11-kit list-modules"
	assert_contains "$out" "library-description: JPKI My Number card PKCS#11" "p11-kit list-modules"
	assert_contains "$out" "token: $CONS_AUTH_TOKEN" "p11-kit list-modules"
	assert_contains "$out" "token: $CONS_SIGN_TOKEN" "p11-kit list-modules"
	out=$(pkcs11-tool --module "$PROXY" -L 2>&1)
	assert_contains "$out" "token label        : $CONS_AUTH_TOKEN" "pkcs11-tool on p11-kit-proxy.so"
	assert_contains "$out" "token label        : $CONS_SIGN_TOKEN" "pkcs11-tool on p11-kit-proxy.so"
	out=$(pkcs11-tool --module "$PROXY" --token-label "$CONS_AUTH_TOKEN" --login \
		--pin "$E2E_AUTH_PIN" --sign --id 01 -m SHA256-RSA-PKCS -i msg -o msg.sig 2>&1) ||
		e2e_fail "signature through p11-kit-proxy.so: $out"
	openssl dgst -sha256 -verify auth-pub.pem -signature msg.sig msg >/dev/null ||
		e2e_fail "the signature through p11-kit-proxy.so does not verify"

	# --- per-user registration: the installed .module in ~/.config/pkcs11/modules ----------
	# An empty system directory now; p11-kit reads the user's directory for non-root users.
	mount -t tmpfs -o mode=0755 tmpfs "$P11KIT_CONFIGS" || e2e_fail "cannot mount a tmpfs"
	MOUNTS=("$P11KIT_CONFIGS" "${MOUNTS[@]}")
	out=$(p11-kit list-modules 2>&1)
	assert_not_contains "$out" "jpki-pkcs11" "p11-kit list-modules, nothing registered"
	cons_mktemp
	U=$CONS_TMP
	mkdir -p "$U/.config/pkcs11/modules"
	cp "$d$JPKI_P11KIT_CONFIG_DIR/jpki-pkcs11.module" "$U/.config/pkcs11/modules/"
	chown -R nobody "$U/.config"
	out=$(HOME=$U XDG_CONFIG_HOME=$U/.config p11-kit list-modules 2>&1)
	assert_not_contains "$out" "jpki-pkcs11" "p11-kit list-modules as root with a user config"
	out=$(as_nobody p11-kit list-modules)
	assert_contains "$out" "jpki-pkcs11: $expect_module" "p11-kit list-modules as user nobody"
	assert_contains "$out" "token: $CONS_AUTH_TOKEN" "p11-kit list-modules as user nobody"
	assert_contains "$out" "token: $CONS_SIGN_TOKEN" "p11-kit list-modules as user nobody"
	unmount_all

	# --- make uninstall ----------------------------------------------------------------------
	make_in_build uninstall DESTDIR="$d"
	assert_eq "$(installed_files "$d")" "" "files left by make uninstall"

	assert_eq "$(state_get 0 auth_tries)/$(state_get 0 sign_tries)" 3/5 "tries at the end"
}

e2e_dispatch "$@"
e2e_phase install --cards 1
