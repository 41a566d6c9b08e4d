# SPDX-License-Identifier: LGPL-2.1-or-later
# Robustness under faults, sharing, load and API abuse (doc/robustness.md): C programs that
# load the module through dlopen and drive it next to the real pcscd and the virtual card.

ROBUST_COMMON = test/robust/robust.c test/robust/robust.h
ROBUST_CFLAGS = $(AM_CFLAGS) $(P11KIT_CFLAGS) $(CRYPTO_CFLAGS)
ROBUST_LDADD = $(CRYPTO_LIBS) -ldl -lpthread

check_PROGRAMS += test/robust/robust-faults
test_robust_robust_faults_SOURCES = test/robust/robust-faults.c $(ROBUST_COMMON)
test_robust_robust_faults_CFLAGS = $(ROBUST_CFLAGS)
test_robust_robust_faults_LDADD = $(ROBUST_LDADD)

TESTS += test/robust/faults.sh
EXTRA_DIST += test/robust/faults.sh doc/robustness.md

check_PROGRAMS += test/robust/robust-stress
test_robust_robust_stress_SOURCES = test/robust/robust-stress.c test/under-asan.h $(ROBUST_COMMON)
test_robust_robust_stress_CFLAGS = $(ROBUST_CFLAGS)
test_robust_robust_stress_LDADD = $(ROBUST_LDADD)

TESTS += test/robust/stress.sh
EXTRA_DIST += test/robust/stress.sh

# `make robust`: the full load figures (10 000 signatures) and the load under helgrind.
ROBUST_COUNT = 625
robust: all $(check_PROGRAMS)
	@$(AM_TESTS_ENVIRONMENT) ROBUST_COUNT=$(ROBUST_COUNT) ROBUST_HELGRIND=1; \
		export ROBUST_COUNT ROBUST_HELGRIND; bash $(top_srcdir)/test/robust/stress.sh
.PHONY: robust
