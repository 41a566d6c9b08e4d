# SPDX-License-Identifier: LGPL-2.1-or-later
# The card side: PC/SC transport, APDU codec, DER, JPKI driver, settings, logging, PIN policy.
noinst_LTLIBRARIES += src/libjpki.la

src_libjpki_la_SOURCES = \
	src/apdu.c src/apdu.h \
	src/der.c src/der.h \
	src/jpki.h \
	src/jpki_cache.c src/jpki_cache.h \
	src/jpki_card.c \
	src/jpki_error.c src/jpki_error.h \
	src/jpki_files.c \
	src/jpki_internal.h \
	src/jpki_io.c \
	src/jpki_pin.c \
	src/jpki_sign.c \
	src/log.c src/log.h \
	src/pin_policy.c src/pin_policy.h \
	src/settings.c src/settings.h \
	src/sw.c src/sw.h \
	src/transport.h \
	src/transport_pcsc.c
src_libjpki_la_CPPFLAGS = $(AM_CPPFLAGS) $(PCSC_CFLAGS) $(CRYPTO_CFLAGS) \
	-DJPKI_SYSCONFDIR='"$(sysconfdir)"'
src_libjpki_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
src_libjpki_la_LIBADD = $(PCSC_LIBS) $(CRYPTO_LIBS)

# The configuration file, installed with every key commented out at its default
# (JPKI_PKCS11_CONF points elsewhere), and the driver's APDU-level description.
dist_sysconf_DATA = conf/jpki-pkcs11.conf
EXTRA_DIST += doc/card-driver.md
