# SPDX-License-Identifier: LGPL-2.1-or-later
# The pcscd test harness (doc/testing.md): with-cards starts a private pcscd with virtual cards
# in a network and mount namespace; pcsc-wait waits for readers and cards.

noinst_PROGRAMS += test/harness/pcsc-wait
test_harness_pcsc_wait_SOURCES = test/harness/pcsc-wait.c
test_harness_pcsc_wait_CFLAGS = $(AM_CFLAGS) $(PCSC_CFLAGS)
test_harness_pcsc_wait_LDADD = $(PCSC_LIBS)

EXTRA_DIST += test/harness/with-cards
EXTRA_DIST += doc/testing.md

# Preloaded with the ASan runtime into consumers of a sanitizer build (e2e_asan_preload).
check_LTLIBRARIES += test/harness/asan-host.la
test_harness_asan_host_la_SOURCES = test/harness/asan-host.c
test_harness_asan_host_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared -rpath '$(abs_builddir)'
