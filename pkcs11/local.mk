# SPDX-License-Identifier: LGPL-2.1-or-later
# The Cryptoki front end: all of it in one convenience library (shared by the module and the
# API tests), and the module jpki-pkcs11.so that links it with the card side.
noinst_LTLIBRARIES += pkcs11/libjpki-front.la

pkcs11_libjpki_front_la_SOURCES = \
	pkcs11/attrs.c pkcs11/attrs.h \
	pkcs11/call.c pkcs11/call.h \
	pkcs11/cryptoki3.h \
	pkcs11/digest_info.c pkcs11/digest_info.h \
	pkcs11/error_map.c pkcs11/error_map.h \
	pkcs11/handles.c pkcs11/handles.h \
	pkcs11/locking.c pkcs11/locking.h \
	pkcs11/login.c pkcs11/login.h \
	pkcs11/mechanism.c pkcs11/mechanism.h \
	pkcs11/module.c pkcs11/module.h \
	pkcs11/object.c pkcs11/object.h \
	pkcs11/op_input.c pkcs11/op_input.h \
	pkcs11/p11_object.c \
	pkcs11/p11_session.c \
	pkcs11/p11_sign.c \
	pkcs11/p11_slot.c \
	pkcs11/p11_unsupported.c \
	pkcs11/p11_verify.c \
	pkcs11/rv_name.c pkcs11/rv_name.h \
	pkcs11/session.c pkcs11/session.h \
	pkcs11/sign.c pkcs11/sign.h \
	pkcs11/slot.c pkcs11/slot.h \
	pkcs11/text.c pkcs11/text.h \
	pkcs11/token.c pkcs11/token.h \
	pkcs11/twocall.c pkcs11/twocall.h \
	pkcs11/verify.c pkcs11/verify.h
pkcs11_libjpki_front_la_CPPFLAGS = $(AM_CPPFLAGS) $(P11KIT_CFLAGS) $(CRYPTO_CFLAGS)
pkcs11_libjpki_front_la_CFLAGS = $(AM_CFLAGS)

# The module. Only C_* leave it (version script); everything else stays internal.
pkcs11module_LTLIBRARIES = jpki-pkcs11.la
jpki_pkcs11_la_SOURCES =
jpki_pkcs11_la_LIBADD = pkcs11/libjpki-front.la src/libjpki.la \
	$(PCSC_LIBS) $(CRYPTO_LIBS) -lpthread
jpki_pkcs11_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -no-undefined -shared \
	-Wl,--version-script=$(srcdir)/pkcs11/jpki-pkcs11.map
jpki_pkcs11_la_DEPENDENCIES = pkcs11/libjpki-front.la src/libjpki.la pkcs11/jpki-pkcs11.map
# No sources of its own: tell automake to link with the C compiler.
nodist_EXTRA_jpki_pkcs11_la_SOURCES = pkcs11/dummy.c

EXTRA_DIST += pkcs11/jpki-pkcs11.map doc/architecture.md

# libtool's .la file is of no use in a directory of PKCS#11 modules: it is not installed, so
# the module itself has to be removed by name on uninstall.
install-data-hook:
	rm -f '$(DESTDIR)$(pkcs11moduledir)/jpki-pkcs11.la'
uninstall-hook:
	rm -f '$(DESTDIR)$(pkcs11moduledir)/jpki-pkcs11.so'
