# SPDX-License-Identifier: LGPL-2.1-or-later
# End-to-end tests of the consumers of jpki-pkcs11 (NSS, OpenSSL + libp11, GnuTLS, OpenSSH,
# p11-kit, RFC 7512 URIs, the debug log and pkcs11-spy) on virtual cards behind the real pcscd;
# the guides in doc/ show the commands these tests run.

CONSUMER_TESTS = \
	test/e2e/consumer-nss.sh \
	test/e2e/consumer-debug.sh \
	test/e2e/consumer-openssl.sh \
	test/e2e/consumer-gnutls.sh \
	test/e2e/consumer-openssh.sh \
	test/e2e/consumer-p11kit.sh \
	test/e2e/consumer-uris.sh
TESTS += $(CONSUMER_TESTS)

EXTRA_DIST += $(CONSUMER_TESTS) test/e2e/consumers/lib.sh \
	test/e2e/consumers/nss-login-sign.py \
	doc/guide-nss.md \
	doc/guide-openssl.md \
	doc/guide-gnutls.md \
	doc/guide-openssh.md \
	doc/guide-p11-kit.md \
	doc/guide-libreoffice-pdf.md \
	doc/troubleshooting.md
