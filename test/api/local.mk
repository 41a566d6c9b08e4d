# SPDX-License-Identifier: LGPL-2.1-or-later
# API tests: the module's function list driven in-process over the virtual card model.
API_TESTS = \
	test/api/test-api-general \
	test/api/test-api-slots \
	test/api/test-api-objects \
	test/api/test-api-login \
	test/api/test-api-sign \
	test/api/test-api-threads \
	test/api/test-api-cache
check_PROGRAMS += $(API_TESTS)
TESTS += $(API_TESTS)

API_CPPFLAGS = $(AM_CPPFLAGS) $(P11KIT_CFLAGS) $(CRYPTO_CFLAGS) $(CHECK_CFLAGS)
API_LDADD = pkcs11/libjpki-front.la src/libjpki.la test/api/libtransport-vcard.la \
	test/vcard/libvcard.la $(CRYPTO_LIBS) $(PCSC_LIBS) $(CHECK_LIBS) -lpthread
API_COMMON = test/api/test-api.c test/api/test-api.h

test_api_test_api_general_SOURCES = test/api/test-api-general.c $(API_COMMON)
test_api_test_api_general_CPPFLAGS = $(API_CPPFLAGS)
test_api_test_api_general_LDADD = $(API_LDADD)

test_api_test_api_slots_SOURCES = test/api/test-api-slots.c $(API_COMMON)
test_api_test_api_slots_CPPFLAGS = $(API_CPPFLAGS)
test_api_test_api_slots_LDADD = $(API_LDADD)

test_api_test_api_objects_SOURCES = test/api/test-api-objects.c $(API_COMMON)
test_api_test_api_objects_CPPFLAGS = $(API_CPPFLAGS)
test_api_test_api_objects_LDADD = $(API_LDADD)

test_api_test_api_login_SOURCES = test/api/test-api-login.c $(API_COMMON)
test_api_test_api_login_CPPFLAGS = $(API_CPPFLAGS)
test_api_test_api_login_LDADD = $(API_LDADD)

test_api_test_api_sign_SOURCES = test/api/test-api-sign.c $(API_COMMON)
test_api_test_api_sign_CPPFLAGS = $(API_CPPFLAGS)
test_api_test_api_sign_LDADD = $(API_LDADD)

test_api_test_api_threads_SOURCES = test/api/test-api-threads.c $(API_COMMON)
test_api_test_api_threads_CPPFLAGS = $(API_CPPFLAGS)
test_api_test_api_threads_LDADD = $(API_LDADD)

test_api_test_api_cache_SOURCES = test/api/test-api-cache.c $(API_COMMON)
test_api_test_api_cache_CPPFLAGS = $(API_CPPFLAGS)
test_api_test_api_cache_LDADD = $(API_LDADD)
# No PIN in freed memory, on the dead stack or in the debug log.
SECRETS_TESTS = test/api/test-api-secrets
check_PROGRAMS += $(SECRETS_TESTS)
TESTS += $(SECRETS_TESTS)
test_api_test_api_secrets_SOURCES = test/api/test-api-secrets.c test/api/pin_scan.c \
	test/api/pin_scan.h test/under-asan.h $(API_COMMON)
test_api_test_api_secrets_CPPFLAGS = $(API_CPPFLAGS)
test_api_test_api_secrets_LDADD = $(API_LDADD) -ldl
