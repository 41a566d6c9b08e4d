# SPDX-License-Identifier: LGPL-2.1-or-later
# Check unit tests of pure front-end code (pkcs11/): no card, no transport.
PKCS11_UNIT_TESTS = \
	test/pkcs11/test-attrs \
	test/pkcs11/test-handles \
	test/pkcs11/test-twocall \
	test/pkcs11/test-mechanism \
	test/pkcs11/test-digest-info \
	test/pkcs11/test-object \
	test/pkcs11/test-verify \
	test/pkcs11/test-error-map \
	test/pkcs11/test-locking
check_PROGRAMS += $(PKCS11_UNIT_TESTS)
TESTS += $(PKCS11_UNIT_TESTS)

PKCS11_UNIT_CPPFLAGS = $(AM_CPPFLAGS) $(P11KIT_CFLAGS) $(CRYPTO_CFLAGS) $(CHECK_CFLAGS)
PKCS11_UNIT_LDADD = pkcs11/libjpki-front.la src/libjpki.la $(CRYPTO_LIBS) $(PCSC_LIBS) \
	$(CHECK_LIBS) -lpthread
PKCS11_UNIT_CERTS = test/pkcs11/test-certs.c test/pkcs11/test-certs.h

test_pkcs11_test_attrs_SOURCES = test/pkcs11/test-attrs.c
test_pkcs11_test_attrs_CPPFLAGS = $(PKCS11_UNIT_CPPFLAGS)
test_pkcs11_test_attrs_LDADD = $(PKCS11_UNIT_LDADD)

test_pkcs11_test_handles_SOURCES = test/pkcs11/test-handles.c
test_pkcs11_test_handles_CPPFLAGS = $(PKCS11_UNIT_CPPFLAGS)
test_pkcs11_test_handles_LDADD = $(PKCS11_UNIT_LDADD)

test_pkcs11_test_twocall_SOURCES = test/pkcs11/test-twocall.c
test_pkcs11_test_twocall_CPPFLAGS = $(PKCS11_UNIT_CPPFLAGS)
test_pkcs11_test_twocall_LDADD = $(PKCS11_UNIT_LDADD)

test_pkcs11_test_mechanism_SOURCES = test/pkcs11/test-mechanism.c
test_pkcs11_test_mechanism_CPPFLAGS = $(PKCS11_UNIT_CPPFLAGS)
test_pkcs11_test_mechanism_LDADD = $(PKCS11_UNIT_LDADD)

test_pkcs11_test_digest_info_SOURCES = test/pkcs11/test-digest-info.c
test_pkcs11_test_digest_info_CPPFLAGS = $(PKCS11_UNIT_CPPFLAGS)
test_pkcs11_test_digest_info_LDADD = $(PKCS11_UNIT_LDADD)

test_pkcs11_test_object_SOURCES = test/pkcs11/test-object.c $(PKCS11_UNIT_CERTS)
test_pkcs11_test_object_CPPFLAGS = $(PKCS11_UNIT_CPPFLAGS)
test_pkcs11_test_object_LDADD = $(PKCS11_UNIT_LDADD)

test_pkcs11_test_verify_SOURCES = test/pkcs11/test-verify.c $(PKCS11_UNIT_CERTS)
test_pkcs11_test_verify_CPPFLAGS = $(PKCS11_UNIT_CPPFLAGS)
test_pkcs11_test_verify_LDADD = $(PKCS11_UNIT_LDADD)

test_pkcs11_test_error_map_SOURCES = test/pkcs11/test-error-map.c
test_pkcs11_test_error_map_CPPFLAGS = $(PKCS11_UNIT_CPPFLAGS)
test_pkcs11_test_error_map_LDADD = $(PKCS11_UNIT_LDADD)

test_pkcs11_test_locking_SOURCES = test/pkcs11/test-locking.c
test_pkcs11_test_locking_CPPFLAGS = $(PKCS11_UNIT_CPPFLAGS)
test_pkcs11_test_locking_LDADD = $(PKCS11_UNIT_LDADD)
