# SPDX-License-Identifier: LGPL-2.1-or-later
# Fuzz targets (doc/testing.md, "Fuzzing"). Each target is one LLVMFuzzerTestOneInput:
#  - configured with --enable-fuzzing (CC=clang): `make fuzz` links them with libFuzzer as
#    test/fuzz/fuzz-TARGET; test/fuzz/run-fuzz.sh runs each for a bounded time;
#  - otherwise (gcc, the default and the sanitizer build) they are linked with replay.c as
#    test/fuzz/replay-TARGET, and make check replays the committed corpora (seeds and every
#    input that once found a bug) through them.
FUZZ_NAMES = card der settings api
FUZZ_COMMON = test/fuzz/fuzz.h test/fuzz/fuzz-common.c
FUZZ_CPPFLAGS = $(AM_CPPFLAGS) $(P11KIT_CFLAGS) $(CRYPTO_CFLAGS)
FUZZ_LDADD = pkcs11/libjpki-front.la src/libjpki.la test/api/libtransport-vcard.la \
	test/vcard/libvcard.la $(CRYPTO_LIBS) $(PCSC_LIBS) -lpthread

FUZZ_TARGETS = test/fuzz/fuzz-card test/fuzz/fuzz-der test/fuzz/fuzz-settings \
	test/fuzz/fuzz-api
REPLAY_TARGETS = test/fuzz/replay-card test/fuzz/replay-der test/fuzz/replay-settings \
	test/fuzz/replay-api

if FUZZING
EXTRA_PROGRAMS = $(FUZZ_TARGETS)
FUZZ_LINK_FLAGS = -fsanitize=fuzzer
fuzz: $(FUZZ_TARGETS)
else
check_PROGRAMS += $(REPLAY_TARGETS)
TESTS += test/fuzz/replay.sh
fuzz:
	@echo "make fuzz: configure with CC=clang --enable-fuzzing" >&2; exit 1
endif
.PHONY: fuzz
CLEANFILES += $(FUZZ_TARGETS)

test_fuzz_fuzz_card_SOURCES = test/fuzz/fuzz-card.c $(FUZZ_COMMON)
test_fuzz_fuzz_card_CPPFLAGS = $(FUZZ_CPPFLAGS)
test_fuzz_fuzz_card_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
test_fuzz_fuzz_card_LDADD = $(FUZZ_LDADD)
test_fuzz_fuzz_der_SOURCES = test/fuzz/fuzz-der.c $(FUZZ_COMMON)
test_fuzz_fuzz_der_CPPFLAGS = $(FUZZ_CPPFLAGS)
test_fuzz_fuzz_der_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
test_fuzz_fuzz_der_LDADD = $(FUZZ_LDADD)
test_fuzz_fuzz_settings_SOURCES = test/fuzz/fuzz-settings.c $(FUZZ_COMMON)
test_fuzz_fuzz_settings_CPPFLAGS = $(FUZZ_CPPFLAGS)
test_fuzz_fuzz_settings_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
test_fuzz_fuzz_settings_LDADD = $(FUZZ_LDADD)
test_fuzz_fuzz_api_SOURCES = test/fuzz/fuzz-api.c $(FUZZ_COMMON)
test_fuzz_fuzz_api_CPPFLAGS = $(FUZZ_CPPFLAGS)
test_fuzz_fuzz_api_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LINK_FLAGS)
test_fuzz_fuzz_api_LDADD = $(FUZZ_LDADD)

test_fuzz_replay_card_SOURCES = test/fuzz/fuzz-card.c test/fuzz/replay.c $(FUZZ_COMMON)
test_fuzz_replay_card_CPPFLAGS = $(FUZZ_CPPFLAGS)
test_fuzz_replay_card_LDADD = $(FUZZ_LDADD)
test_fuzz_replay_der_SOURCES = test/fuzz/fuzz-der.c test/fuzz/replay.c $(FUZZ_COMMON)
test_fuzz_replay_der_CPPFLAGS = $(FUZZ_CPPFLAGS)
test_fuzz_replay_der_LDADD = $(FUZZ_LDADD)
test_fuzz_replay_settings_SOURCES = test/fuzz/fuzz-settings.c test/fuzz/replay.c $(FUZZ_COMMON)
test_fuzz_replay_settings_CPPFLAGS = $(FUZZ_CPPFLAGS)
test_fuzz_replay_settings_LDADD = $(FUZZ_LDADD)
test_fuzz_replay_api_SOURCES = test/fuzz/fuzz-api.c test/fuzz/replay.c $(FUZZ_COMMON)
test_fuzz_replay_api_CPPFLAGS = $(FUZZ_CPPFLAGS)
test_fuzz_replay_api_LDADD = $(FUZZ_LDADD)

EXTRA_DIST += test/fuzz/replay.sh test/fuzz/run-fuzz.sh test/fuzz/corpus
