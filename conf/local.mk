# SPDX-License-Identifier: LGPL-2.1-or-later
# Registration with p11-kit: jpki-pkcs11.module names the installed module by its bare file
# name when it is installed into p11-kit's own module directory, else by its full path.
if P11KIT_REGISTER
p11kitconfig_DATA = conf/jpki-pkcs11.module
endif
CLEANFILES += conf/jpki-pkcs11.module
EXTRA_DIST += conf/jpki-pkcs11.module.in

conf/jpki-pkcs11.module: conf/jpki-pkcs11.module.in Makefile
	$(AM_V_GEN)$(MKDIR_P) conf && \
	if test '$(pkcs11moduledir)' = '$(P11KIT_MODULE_PATH)'; then \
		m=jpki-pkcs11.so; \
	else \
		m='$(pkcs11moduledir)/jpki-pkcs11.so'; \
	fi && \
	sed "s|@MODULE@|$$m|" $(srcdir)/conf/jpki-pkcs11.module.in >$@.tmp && mv $@.tmp $@
