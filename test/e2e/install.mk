# SPDX-License-Identifier: LGPL-2.1-or-later
# "make install" and the registration with p11-kit, tested from the build directory: the test
# runs "make install DESTDIR=..." itself and needs the directories configure chose.
INSTALL_TESTS = test/e2e/install-p11kit.sh
TESTS += $(INSTALL_TESTS)
EXTRA_DIST += $(INSTALL_TESTS)

AM_TESTS_ENVIRONMENT += \
	MAKE='$(MAKE)'; export MAKE; \
	JPKI_MODULE_DIR='$(pkcs11moduledir)'; export JPKI_MODULE_DIR; \
	JPKI_P11KIT_CONFIG_DIR='$(p11kitconfigdir)'; export JPKI_P11KIT_CONFIG_DIR; \
	JPKI_SYSCONFDIR='$(sysconfdir)'; export JPKI_SYSCONFDIR; \
	JPKI_P11KIT_DIRS='$(p11kit_dirs)'; export JPKI_P11KIT_DIRS;
