# SPDX-License-Identifier: LGPL-2.1-or-later
# The in-process transport into the virtual card model, for unit, API and fuzz tests.
noinst_LTLIBRARIES += test/api/libtransport-vcard.la
test_api_libtransport_vcard_la_SOURCES = \
	test/api/transport_vcard.c test/api/transport_vcard.h
test_api_libtransport_vcard_la_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
test_api_libtransport_vcard_la_LIBADD = test/vcard/libvcard.la $(CRYPTO_LIBS)
