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
