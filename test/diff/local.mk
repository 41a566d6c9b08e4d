# SPDX-License-Identifier: LGPL-2.1-or-later
# Differential API test against softhsm2 (p11diff runs the same checks against both modules;
# every difference must be justified in expected-differences), and the pkcs11-tool end-to-end
# tests of jpki-pkcs11.so through pcscd and the virtual card.

P11DIFF_UTIL = test/diff/p11util.h test/diff/p11util.c test/diff/rv_name.c

check_PROGRAMS += test/diff/p11diff test/diff/p11login
test_diff_p11diff_SOURCES = \
	test/diff/p11diff.c \
	test/diff/checks.h \
	test/diff/common.c \
	test/diff/ossl.c \
	test/diff/checks_init.c \
	test/diff/checks_args.c \
	test/diff/checks_slot.c \
	test/diff/checks_session.c \
	test/diff/checks_login.c \
	test/diff/checks_object.c \
	test/diff/checks_sign.c \
	test/diff/checks_misc.c \
	$(P11DIFF_UTIL)
test_diff_p11diff_CFLAGS = $(AM_CFLAGS) $(P11KIT_CFLAGS) $(CRYPTO_CFLAGS)
test_diff_p11diff_LDADD = $(CRYPTO_LIBS)
test_diff_p11login_SOURCES = test/diff/p11login.c $(P11DIFF_UTIL)
test_diff_p11login_CFLAGS = $(AM_CFLAGS) $(P11KIT_CFLAGS)

MODULE_TESTS = \
	test/e2e/module-objects.sh \
	test/e2e/module-sign.sh \
	test/e2e/module-pin.sh \
	test/e2e/module-selftest.sh \
	test/diff/softhsm-vs-jpki.sh
TESTS += $(MODULE_TESTS)
EXTRA_DIST += $(MODULE_TESTS) test/diff/expected-differences test/diff/compare.awk \
	test/diff/e2e-lib.sh doc/guide-pkcs11-tool.md
