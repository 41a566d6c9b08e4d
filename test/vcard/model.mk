# SPDX-License-Identifier: LGPL-2.1-or-later
# The virtual card model (APDU in, APDU out), its test PKI and its PIN state file, built once
# as a convenience library for the jpki-vcard bridge (program.mk) and for in-process tests.

noinst_LTLIBRARIES += test/vcard/libvcard.la
test_vcard_libvcard_la_SOURCES = \
	test/vcard/card.c \
	test/vcard/card.h \
	test/vcard/card_internal.h \
	test/vcard/card_apdu.c \
	test/vcard/card_fs.c \
	test/vcard/card_pin.c \
	test/vcard/card_read.c \
	test/vcard/card_select.c \
	test/vcard/card_sign.c \
	test/vcard/pki.c \
	test/vcard/pki.h \
	test/vcard/state.c \
	test/vcard/state.h
test_vcard_libvcard_la_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
test_vcard_libvcard_la_LIBADD = $(CRYPTO_LIBS)

# Check unit tests of the model: APDU in, APDU out.
VCARD_UNIT_TESTS = \
	test/vcard/test-card \
	test/vcard/test-card-pin \
	test/vcard/test-card-sign \
	test/vcard/test-card-robust \
	test/vcard/test-pki \
	test/vcard/test-state
check_PROGRAMS += $(VCARD_UNIT_TESTS)
TESTS += $(VCARD_UNIT_TESTS)

VCARD_TEST_UTIL = test/vcard/test-util.c test/vcard/test-util.h
VCARD_TEST_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) $(CHECK_CFLAGS)
VCARD_TEST_LDADD = test/vcard/libvcard.la $(CRYPTO_LIBS) $(CHECK_LIBS)

test_vcard_test_card_SOURCES = test/vcard/test-card.c $(VCARD_TEST_UTIL)
test_vcard_test_card_CFLAGS = $(VCARD_TEST_CFLAGS)
test_vcard_test_card_LDADD = $(VCARD_TEST_LDADD)

test_vcard_test_card_pin_SOURCES = test/vcard/test-card-pin.c $(VCARD_TEST_UTIL)
test_vcard_test_card_pin_CFLAGS = $(VCARD_TEST_CFLAGS)
test_vcard_test_card_pin_LDADD = $(VCARD_TEST_LDADD)

test_vcard_test_card_sign_SOURCES = test/vcard/test-card-sign.c $(VCARD_TEST_UTIL)
test_vcard_test_card_sign_CFLAGS = $(VCARD_TEST_CFLAGS)
test_vcard_test_card_sign_LDADD = $(VCARD_TEST_LDADD)

test_vcard_test_card_robust_SOURCES = test/vcard/test-card-robust.c $(VCARD_TEST_UTIL)
test_vcard_test_card_robust_CFLAGS = $(VCARD_TEST_CFLAGS)
test_vcard_test_card_robust_LDADD = $(VCARD_TEST_LDADD)

test_vcard_test_pki_SOURCES = test/vcard/test-pki.c $(VCARD_TEST_UTIL)
test_vcard_test_pki_CFLAGS = $(VCARD_TEST_CFLAGS)
test_vcard_test_pki_LDADD = $(VCARD_TEST_LDADD)

test_vcard_test_state_SOURCES = test/vcard/test-state.c $(VCARD_TEST_UTIL)
test_vcard_test_state_CFLAGS = $(VCARD_TEST_CFLAGS)
test_vcard_test_state_LDADD = $(VCARD_TEST_LDADD)

EXTRA_DIST += doc/vcard.md
