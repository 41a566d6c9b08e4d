/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Card model robustness: random, truncated, extended and mutated commands of every length from
 * 0 to 65544 bytes. Each is passed in a buffer of exactly its length (tu_send copies it), so a
 * sanitizer build catches any over-read. Every answer must be well formed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test/vcard/test-util.h"

#define CMD_MAX 65544

static uint8_t cmd[CMD_MAX];
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
	/* xorshift64*: reproducible across runs and platforms */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Du;
}

static void random_bytes(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rng();
}

/* Data only with a success (9000, 6282); no response longer than the largest Le. */
static void send_checked(struct tu_card *tc, const uint8_t *c, size_t len)
{
	uint16_t sw = tu_send(tc, c, len);

	if (tu_data_len(tc) > 0)
		ck_assert_msg(sw == 0x9000 || sw == 0x6282, "data with SW %04X", sw);
	ck_assert_uint_le(tu_data_len(tc), 65536);
	ck_assert_msg((sw >> 8) == 0x90 || (sw >> 8) == 0x62 || (sw >> 8) == 0x63 ||
			  (sw >> 8) == 0x67 || (sw >> 8) == 0x68 || (sw >> 8) == 0x69 ||
			  (sw >> 8) == 0x6A || (sw >> 8) == 0x6B || (sw >> 8) == 0x6D ||
			  (sw >> 8) == 0x6E || (sw >> 8) == 0x6F,
		      "unexpected SW %04X", sw);
}

/* Commands a client sends, as the seeds for truncation and mutation. */
static const char *const seeds[] = {
    TU_SELECT_JPKI,
    "00 A4 04 00 0A " TU_JPKI_AID " 00",
    "00 A4 02 0C 02 00 0A",
    "00 A4 02 0C 02 00 01",
    "00 A4 02 0C 02 00 1B",
    "00 B0 00 00 00",
    "00 B0 8A 00 00 00 00",
    "00 B0 00 04 00 06 00",
    "00 20 00 80",
    "00 20 00 98 04 31 32 33 34",
    "00 20 00 9B 08 50 41 53 53 31 32 33 34",
    "00 24 01 98 04 31 32 33 34",
    "80 2A 00 97 13 30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20 00",
    "00 84 00 00 08",
};

static size_t parse_hex(const char *hex, uint8_t *out)
{
	size_t n = 0;

	for (const char *p = hex; p[0] && p[1]; p++) {
		if (*p == ' ')
			continue;
		out[n++] = (uint8_t)strtoul((char[]){p[0], p[1], 0}, NULL, 16);
		p++;
	}
	return n;
}

START_TEST(test_random_short)
{
	struct tu_card *tc = tu_card_new(NULL);

	for (unsigned i = 0; i < 3000; i++) {
		size_t len = rng() % 300;

		random_bytes(cmd, len);
		if (i % 3 == 0 && len >= 2) /* the classes and instructions the card knows */
			cmd[0] = (uint8_t[]){0x00, 0x80, 0x0C, 0x01}[rng() % 4];
		if (i % 3 == 0 && len >= 2)
			cmd[1] = (uint8_t[]){0xA4, 0xB0, 0x20, 0x24, 0x2A, 0x84, 0xAE}[rng() % 7];
		send_checked(tc, cmd, len);
		if (i % 97 == 0)
			tu_select_jpki(tc);
		if (i % 501 == 0)
			vcard_reset(tc->card);
	}
	tu_card_free(tc);
}
END_TEST

START_TEST(test_truncated_and_extended_seeds)
{
	struct tu_card *tc = tu_card_new(NULL);
	uint8_t seed[300];

	for (size_t s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		size_t n = parse_hex(seeds[s], seed);

		/* every prefix, then the full command with 1..3 extra bytes */
		for (size_t len = 0; len <= n + 3; len++) {
			memcpy(cmd, seed, n);
			memset(cmd + n, 0x00, 3);
			tu_select_jpki(tc);
			send_checked(tc, cmd, len);
		}
	}
	tu_card_free(tc);
}
END_TEST

START_TEST(test_mutated_seeds)
{
	struct tu_card *tc = tu_card_new(NULL);
	uint8_t seed[300];

	tu_select_jpki(tc);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	for (unsigned i = 0; i < 3000; i++) {
		size_t s = rng() % (sizeof(seeds) / sizeof(seeds[0]));
		size_t n = parse_hex(seeds[s], seed);
		unsigned flips = 1 + rng() % 3;

		memcpy(cmd, seed, n);
		for (unsigned f = 0; f < flips; f++)
			cmd[rng() % n] = (uint8_t)rng();
		send_checked(tc, cmd, n);
	}
	tu_card_free(tc);
}
END_TEST

START_TEST(test_long_commands)
{
	struct tu_card *tc = tu_card_new(NULL);
	static const size_t lens[] = {65535, 65536, 65537, 65538, 65539, 65540,
				      65541, 65542, 65543, 65544, 4096,	 262};

	tu_select_jpki(tc);
	tu_select_ef(tc, 0x000A);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t len = lens[i];

		/* Extended header claiming the longest Lc; body cut to len. */
		random_bytes(cmd, len);
		memcpy(cmd, (const uint8_t[]){0x00, 0xB0, 0x00, 0x00, 0x00, 0xFF, 0xFF}, 7);
		send_checked(tc, cmd, len);
		cmd[1] = 0xA4;
		send_checked(tc, cmd, len);
		cmd[0] = 0x80;
		cmd[1] = 0x2A;
		send_checked(tc, cmd, len);
		random_bytes(cmd, len);
		send_checked(tc, cmd, len);
	}
	/* The largest well-formed command: case 4E, Lc 65535, Le 65536. */
	cmd[0] = 0x00;
	cmd[1] = 0xA4;
	cmd[2] = 0x04;
	cmd[3] = 0x00;
	cmd[4] = 0x00;
	cmd[5] = 0xFF;
	cmd[6] = 0xFF;
	cmd[CMD_MAX - 2] = 0;
	cmd[CMD_MAX - 1] = 0;
	ck_assert_uint_eq(tu_send(tc, cmd, CMD_MAX), 0x6700);
	/* And the card still answers normally. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 8A 00 00 00 00"), 0x9000);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_power_interleaved)
{
	struct tu_card *tc = tu_card_new(NULL);

	for (unsigned i = 0; i < 500; i++) {
		size_t len = 4 + rng() % 20;

		switch (rng() % 8) {
		case 0:
			vcard_power_off(tc->card);
			break;
		case 1:
			vcard_power_on(tc->card);
			break;
		case 2:
			vcard_reset(tc->card);
			break;
		default:
			break;
		}
		random_bytes(cmd, len);
		cmd[0] = 0x00;
		send_checked(tc, cmd, len);
	}
	tu_card_free(tc);
}
END_TEST

static Suite *robust_suite(void)
{
	Suite *s = suite_create("vcard-robust");
	TCase *tc = tcase_create("robust");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_random_short);
	tcase_add_test(tc, test_truncated_and_extended_seeds);
	tcase_add_test(tc, test_mutated_seeds);
	tcase_add_test(tc, test_long_commands);
	tcase_add_test(tc, test_power_interleaved);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int rc;

	tu_pki_init();
	rc = tu_run(robust_suite());
	tu_pki_cleanup();
	return rc;
}
