# SPDX-License-Identifier: LGPL-2.1-or-later
# The benchmark (doc/performance.md): the same PKCS#11 flows against our module and OpenSC's
# on the same virtual card. `make bench` runs it; it is not part of `make check`, which only
# runs a smoke test of the program against our module.

noinst_PROGRAMS += test/bench/p11bench
test_bench_p11bench_SOURCES = \
	test/bench/p11bench.c \
	test/bench/flows.h \
	test/bench/flows_startup.c \
	test/bench/flows_sign.c \
	test/bench/bench_p11.h \
	test/bench/bench_p11.c \
	test/bench/meter.h \
	test/bench/meter.c
test_bench_p11bench_CFLAGS = $(AM_CFLAGS) $(P11KIT_CFLAGS)
test_bench_p11bench_LDADD = -ldl

TESTS += test/bench/bench-smoke.sh
EXTRA_DIST += test/bench/bench-smoke.sh test/bench/run-bench.sh test/bench/table.awk \
	doc/performance.md
CLEANFILES += test/bench/results.txt test/bench/results.md test/bench/results.log \
	test/bench/trace-*.txt

# BENCH_ARGS: options of run-bench.sh, e.g. "--repeat 9 --count 300".
BENCH_ARGS =
bench: all
	@$(AM_TESTS_ENVIRONMENT) P11BENCH='$(abs_top_builddir)/test/bench/p11bench'; \
		export P11BENCH; bash $(top_srcdir)/test/bench/run-bench.sh $(BENCH_ARGS)
.PHONY: bench
