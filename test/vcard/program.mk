# SPDX-License-Identifier: LGPL-2.1-or-later
# jpki-vcard: the card model behind pcscd through vsmartcard's vpcd driver (doc/testing.md).

noinst_PROGRAMS += test/vcard/jpki-vcard
test_vcard_jpki_vcard_SOURCES = \
	test/vcard/main.c \
	test/vcard/bridge.c \
	test/vcard/bridge.h \
	test/vcard/vpcd.c \
	test/vcard/vpcd.h \
	test/vcard/trace.c \
	test/vcard/trace.h \
	test/vcard/latency.c \
	test/vcard/latency.h \
	test/vcard/control.c \
	test/vcard/control.h \
	test/vcard/fault.c \
	test/vcard/fault.h
test_vcard_jpki_vcard_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
test_vcard_jpki_vcard_LDADD = test/vcard/libvcard.la $(CRYPTO_LIBS)

# The bridge's fault plan (fault.c), unit-tested on its own.
check_PROGRAMS += test/vcard/test-fault
TESTS += test/vcard/test-fault
test_vcard_test_fault_SOURCES = test/vcard/test-fault.c test/vcard/fault.c test/vcard/fault.h
test_vcard_test_fault_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_vcard_test_fault_LDADD = $(CHECK_LIBS)
