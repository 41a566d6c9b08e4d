# SPDX-License-Identifier: LGPL-2.1-or-later
# Check unit tests of the card side (src/); the driver tests run on the in-process transport.
UNIT_TESTS = \
	test/unit/test-apdu \
	test/unit/test-der \
	test/unit/test-sw \
	test/unit/test-pin-policy \
	test/unit/test-settings \
	test/unit/test-log \
	test/unit/test-transport-pcsc \
	test/unit/test-transport-vcard \
	test/unit/test-jpki-driver
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

UNIT_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) $(PCSC_CFLAGS) $(CHECK_CFLAGS)
UNIT_LDADD = src/libjpki.la $(CHECK_LIBS)

test_unit_test_apdu_SOURCES = test/unit/test-apdu.c
test_unit_test_apdu_CFLAGS = $(UNIT_CFLAGS)
test_unit_test_apdu_LDADD = $(UNIT_LDADD)

test_unit_test_der_SOURCES = test/unit/test-der.c
test_unit_test_der_CFLAGS = $(UNIT_CFLAGS)
test_unit_test_der_LDADD = $(UNIT_LDADD)

test_unit_test_sw_SOURCES = test/unit/test-sw.c
test_unit_test_sw_CFLAGS = $(UNIT_CFLAGS)
test_unit_test_sw_LDADD = $(UNIT_LDADD)

test_unit_test_pin_policy_SOURCES = test/unit/test-pin-policy.c
test_unit_test_pin_policy_CFLAGS = $(UNIT_CFLAGS)
test_unit_test_pin_policy_LDADD = $(UNIT_LDADD)

test_unit_test_settings_SOURCES = test/unit/test-settings.c
test_unit_test_settings_CFLAGS = $(UNIT_CFLAGS)
test_unit_test_settings_LDADD = $(UNIT_LDADD)

test_unit_test_log_SOURCES = test/unit/test-log.c
test_unit_test_log_CFLAGS = $(UNIT_CFLAGS)
test_unit_test_log_LDADD = $(UNIT_LDADD)

test_unit_test_transport_pcsc_SOURCES = test/unit/test-transport-pcsc.c
test_unit_test_transport_pcsc_CFLAGS = $(UNIT_CFLAGS)
test_unit_test_transport_pcsc_LDADD = $(UNIT_LDADD)

test_unit_test_jpki_driver_SOURCES = test/unit/test-jpki-driver.c
test_unit_test_jpki_driver_CFLAGS = $(UNIT_CFLAGS)
test_unit_test_jpki_driver_LDADD = src/libjpki.la test/api/libtransport-vcard.la \
	test/vcard/libvcard.la $(CRYPTO_LIBS) $(CHECK_LIBS)

test_unit_test_transport_vcard_SOURCES = test/unit/test-transport-vcard.c
test_unit_test_transport_vcard_CFLAGS = $(UNIT_CFLAGS)
test_unit_test_transport_vcard_LDADD = test/api/libtransport-vcard.la test/vcard/libvcard.la \
	$(CRYPTO_LIBS) $(CHECK_LIBS)
