# SPDX-License-Identifier: LGPL-2.1-or-later
# Real browsers on virtual cards behind the real pcscd (doc/guide-firefox.md,
# doc/guide-chromium.md): Firefox ESR headless through Marionette, Chromium on Xvfb; each test
# counts the PIN prompts by token. They skip (77) without root or without the browser.

BROWSER_TESTS = \
	test/e2e/browser-firefox.sh \
	test/e2e/browser-chromium.sh
# A browser does not start with the ASan runtime preloaded (common.sh), so the sanitizer build
# leaves them out; the same NSS flows run there through consumer-nss.sh.
if !SANITIZERS
TESTS += $(BROWSER_TESTS)
endif
NOT_UNDER_SANITIZERS += $(BROWSER_TESTS)
EXTRA_DIST += $(BROWSER_TESTS) \
	test/e2e/browsers/common.sh \
	test/e2e/browsers/marionette.py \
	test/e2e/browsers/firefox-client-auth.py \
	test/e2e/browsers/user.js \
	test/e2e/browsers/cdp.py \
	test/e2e/browsers/chromium-client-auth.py \
	doc/guide-firefox.md \
	doc/guide-chromium.md \
	doc/guide-thunderbird.md
