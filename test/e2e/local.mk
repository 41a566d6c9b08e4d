# SPDX-License-Identifier: LGPL-2.1-or-later
# End-to-end tests through pcscd (doc/testing.md): each script runs its body inside
# test/harness/with-cards. The OpenSC cross-checks make sure that a client written against real
# cards accepts the virtual card.

E2E_TESTS = \
	test/e2e/opensc-detect.sh \
	test/e2e/opensc-objects.sh \
	test/e2e/opensc-sign.sh \
	test/e2e/opensc-pin-lock.sh \
	test/e2e/vcard-bridge.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) test/e2e/lib.sh

# The module under valgrind memcheck (pkcs11-tool flows). valgrind cannot run an ASan-built
# module, so the sanitizer build leaves it out.
VALGRIND_TESTS = test/e2e/module-valgrind.sh
if !SANITIZERS
TESTS += $(VALGRIND_TESTS)
endif
NOT_UNDER_SANITIZERS += $(VALGRIND_TESTS)
EXTRA_DIST += $(VALGRIND_TESTS) test/e2e/valgrind.supp
