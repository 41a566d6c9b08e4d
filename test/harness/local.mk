# SPDX-License-Identifier: LGPL-2.1-or-later
# The pcscd test harness (doc/testing.md): with-cards starts a private pcscd with virtual cards
# in a network and mount namespace; pcsc-wait waits for readers and cards.

noinst_PROGRAMS += test/harness/pcsc-wait
test_harness_pcsc_wait_SOURCES = test/harness/pcsc-wait.c
test_harness_pcsc_wait_CFLAGS = $(AM_CFLAGS) $(PCSC_CFLAGS)
test_harness_pcsc_wait_LDADD = $(PCSC_LIBS)

EXTRA_DIST += test/harness/with-cards
EXTRA_DIST += doc/testing.md
