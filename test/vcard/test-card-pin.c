/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Card model: VERIFY (retry query, check, blocking), CHANGE REFERENCE DATA, the lifetime of the
 * security status, and the persistence contract of struct vcard_pins (jpki-card.md §4).
 */
#include "config.h"

#include <string.h>

#include "test/vcard/test-util.h"

static struct vcard_config config(void)
{
	struct vcard_config cfg;

	vcard_config_defaults(&cfg);
	return cfg;
}

static struct tu_card *jpki_card(const struct vcard_config *cfg)
{
	struct tu_card *tc = tu_card_new(cfg);

	tu_select_jpki(tc);
	return tc;
}

/* VERIFY P2 80 on the current EF with an ASCII PIN. */
static uint16_t verify(struct tu_card *tc, uint8_t p2, const char *pin)
{
	uint8_t cmd[64];

	return tu_send(
	    tc, cmd,
	    tu_build(cmd, 0x00, 0x20, 0x00, p2, (const uint8_t *)pin, strlen(pin), 0, false));
}

static uint16_t change(struct tu_card *tc, uint8_t p2, const char *pin)
{
	uint8_t cmd[64];

	return tu_send(
	    tc, cmd,
	    tu_build(cmd, 0x00, 0x24, 0x01, p2, (const uint8_t *)pin, strlen(pin), 0, false));
}

/* Whether the sign password is verified, seen through the sign certificate EF. */
static bool sign_verified(struct tu_card *tc)
{
	uint16_t sw = tu_sendf(tc, "00 B0 81 00 01");

	ck_assert(sw == 0x9000 || sw == 0x6982);
	return sw == 0x9000;
}

/* Whether the auth PIN is verified, seen through the retry query with verified_query_9000. */
static bool auth_verified(struct tu_card *tc)
{
	uint16_t sw;

	ck_assert(tc->cfg.quirks.verified_query_9000);
	sw = tu_sendf(tc, "00 20 00 98");
	ck_assert(sw == 0x9000 || (sw & 0xFFF0) == 0x63C0);
	return sw == 0x9000;
}

START_TEST(test_retry_query)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x0018);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x63C3);
	tu_select_ef(tc, 0x001B);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x63C5);
	/* The query spends nothing. */
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x63C5);
	ck_assert_int_eq(tc->pins.sign_tries, 5);
	ck_assert(!vcard_take_pins_dirty(tc->card));
	/* Case 2 (a trailing 00) is refused (§1.3), as is any Le. */
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80 00"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80 08 50 41 53 53 31 32 33 34 00"), 0x6700);
	ck_assert_int_eq(tc->pins.sign_tries, 5);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_verify_by_sfi)
{
	struct tu_card *tc = jpki_card(NULL);

	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 98"), 0x63C3);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 9B"), 0x63C5);
	ck_assert_uint_eq(verify(tc, 0x9B, "PASS1234"), 0x9000);
	ck_assert(sign_verified(tc));
	ck_assert_uint_eq(verify(tc, 0x98, "1234"), 0x9000);
	ck_assert_uint_eq(verify(tc, 0x98, "1235"), 0x63C2);
	ck_assert_int_eq(tc->pins.auth_tries, 2);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_verify_by_sfi_disabled)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.quirks.verify_by_sfi = false;
	tc = jpki_card(&cfg);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 98"), 0x6A86);
	ck_assert_uint_eq(verify(tc, 0x9B, "PASS1234"), 0x6A86);
	ck_assert_uint_eq(change(tc, 0x9B, "NEWPASS1"), 0x6A86);
	ck_assert_int_eq(tc->pins.sign_tries, 5);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_verify_reference_errors)
{
	struct tu_card *tc = tu_card_new(NULL);

	/* MF level: no current EF, no PIN behind an SFI. */
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x6986);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 98"), 0x6A82);
	tu_select_jpki(tc);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x6986);
	ck_assert_uint_eq(verify(tc, 0x80, "1234"), 0x6986);
	/* A current EF that is no PIN. */
	tu_select_ef(tc, 0x0006);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x6986);
	tu_select_ef(tc, 0x0017);
	ck_assert_uint_eq(verify(tc, 0x80, "1234"), 0x6986);
	/* Other P1/P2. */
	tu_select_ef(tc, 0x0018);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 01 80"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 00"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 81"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 97"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 18"), 0x6A86);
	ck_assert_uint_eq(verify(tc, 0x01, "1234"), 0x6A86);
	ck_assert_int_eq(tc->pins.auth_tries, 3);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_verify_length)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x001B);
	/* 16 bytes is the limit; 17 is a wrong length and costs nothing. */
	ck_assert_uint_eq(verify(tc, 0x80, "ABCDEFGHIJKLMNOPQ"), 0x6700);
	ck_assert_int_eq(tc->pins.sign_tries, 5);
	ck_assert_uint_eq(verify(tc, 0x80, "ABCDEFGHIJKLMNOP"), 0x63C4);
	/* Extended form of a good VERIFY. */
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80 00 00 08 50 41 53 53 31 32 33 34"), 0x9000);
	ck_assert_int_eq(tc->pins.sign_tries, 5);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_verify_wrong_and_right)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x0018);
	ck_assert_uint_eq(verify(tc, 0x80, "0000"), 0x63C2);
	/* In struct vcard_pins and dirty before the answer is used. */
	ck_assert_int_eq(tc->pins.auth_tries, 2);
	ck_assert(vcard_take_pins_dirty(tc->card));
	ck_assert(!vcard_take_pins_dirty(tc->card));
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x63C2);
	/* A prefix or an extension of the PIN is wrong too. */
	ck_assert_uint_eq(verify(tc, 0x80, "123"), 0x63C1);
	ck_assert_int_eq(tc->pins.auth_tries, 1);
	ck_assert(vcard_take_pins_dirty(tc->card));
	ck_assert_uint_eq(verify(tc, 0x80, "1234"), 0x9000);
	ck_assert_int_eq(tc->pins.auth_tries, 3);
	ck_assert(vcard_take_pins_dirty(tc->card));
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x63C3);
	/* A right PIN on a full counter changes nothing persistent. */
	ck_assert_uint_eq(verify(tc, 0x80, "1234"), 0x9000);
	ck_assert(!vcard_take_pins_dirty(tc->card));
	ck_assert_uint_eq(verify(tc, 0x80, "12345"), 0x63C2);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_verify_blocks)
{
	static const uint16_t want[] = {0x63C4, 0x63C3, 0x63C2, 0x63C1, 0x63C0};
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x001B);
	for (size_t i = 0; i < 5; i++) {
		ck_assert_uint_eq(verify(tc, 0x80, "WRONG1"), want[i]);
		ck_assert_int_eq(tc->pins.sign_tries, (int)(4 - i));
	}
	ck_assert(vcard_take_pins_dirty(tc->card));
	/* Blocked: 6984 without comparing, even for the right password. */
	ck_assert_uint_eq(verify(tc, 0x80, "PASS1234"), 0x6984);
	ck_assert_uint_eq(verify(tc, 0x80, "WRONG1"), 0x6984);
	ck_assert_int_eq(tc->pins.sign_tries, 0);
	ck_assert(!vcard_take_pins_dirty(tc->card));
	ck_assert(!sign_verified(tc));
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 9B"), 0x63C0);
	/* The other PIN is independent. */
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 98"), 0x63C3);
	ck_assert_uint_eq(verify(tc, 0x98, "1234"), 0x9000);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_blocked_answers_configurable)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.quirks.blocked_query_6984 = true;
	cfg.quirks.blocked_verify_6984 = false;
	tc = jpki_card(&cfg);
	tc->pins.auth_tries = 0; /* as loaded from a state file */
	tu_select_ef(tc, 0x0018);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x6984);
	ck_assert_uint_eq(verify(tc, 0x80, "1234"), 0x63C0);
	ck_assert_int_eq(tc->pins.auth_tries, 0);
	tu_card_free(tc);

	/* ISO's "authentication method blocked", which some clients check for. */
	cfg.quirks.blocked_verify_6983 = true;
	tc = jpki_card(&cfg);
	tc->pins.auth_tries = 0;
	tu_select_ef(tc, 0x0018);
	ck_assert_uint_eq(verify(tc, 0x80, "1234"), 0x6983);
	ck_assert_int_eq(tc->pins.auth_tries, 0);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_verified_query_9000)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	/* Default: the query answers 63Cx also when verified, and does not end the status. */
	tc = jpki_card(NULL);
	tu_select_ef(tc, 0x001B);
	ck_assert_uint_eq(verify(tc, 0x80, "PASS1234"), 0x9000);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x63C5);
	ck_assert(sign_verified(tc));
	tu_card_free(tc);

	cfg.quirks.verified_query_9000 = true;
	tc = jpki_card(&cfg);
	ck_assert(!auth_verified(tc));
	ck_assert_uint_eq(verify(tc, 0x98, "1234"), 0x9000);
	ck_assert(auth_verified(tc));
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 9B"), 0x63C5);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_wrong_pin_ends_verified_state)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.quirks.verified_query_9000 = true;
	tc = jpki_card(&cfg);
	ck_assert_uint_eq(verify(tc, 0x9B, "PASS1234"), 0x9000);
	ck_assert_uint_eq(verify(tc, 0x98, "1234"), 0x9000);
	ck_assert_uint_eq(verify(tc, 0x9B, "PASS12345"), 0x63C4);
	ck_assert(!sign_verified(tc));
	/* Only that PIN's. */
	ck_assert(auth_verified(tc));
	tu_card_free(tc);
}
END_TEST

START_TEST(test_security_survives_ef_selection)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	tu_select_ef(tc, 0x0006);
	tu_select_ef(tc, 0x0002);
	tu_select_ef(tc, 0x0018);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 80"), 0x63C3);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 05"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 00 00"), 0x9000);
	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_security_cleared_by_select_and_power)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	ck_assert(sign_verified(tc));
	tu_select_jpki(tc);
	ck_assert(!sign_verified(tc));

	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	vcard_power_off(tc->card);
	vcard_power_on(tc->card);
	tu_select_jpki(tc);
	ck_assert(!sign_verified(tc));
	/* The counters are persistent, not volatile. */
	ck_assert_uint_eq(verify(tc, 0x9B, "BAD123"), 0x63C4);
	vcard_power_off(tc->card);
	vcard_power_on(tc->card);
	tu_select_jpki(tc);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 9B"), 0x63C4);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_change_auth_pin)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x0018);
	ck_assert_uint_eq(change(tc, 0x80, "5678"), 0x6982);
	ck_assert_uint_eq(verify(tc, 0x80, "1234"), 0x9000);
	ck_assert(!vcard_take_pins_dirty(tc->card));
	ck_assert_uint_eq(change(tc, 0x80, "12345"), 0x6A80);
	ck_assert_uint_eq(change(tc, 0x80, "123"), 0x6A80);
	ck_assert_uint_eq(change(tc, 0x80, "12A4"), 0x6A80);
	ck_assert_str_eq(tc->pins.auth_pin, "1234");
	ck_assert(!vcard_take_pins_dirty(tc->card));
	ck_assert_uint_eq(change(tc, 0x80, "5678"), 0x9000);
	ck_assert_str_eq(tc->pins.auth_pin, "5678");
	ck_assert(vcard_take_pins_dirty(tc->card));
	/* Still verified: change again without a VERIFY. */
	ck_assert_uint_eq(change(tc, 0x98, "4321"), 0x9000);
	ck_assert_str_eq(tc->pins.auth_pin, "4321");
	ck_assert_uint_eq(verify(tc, 0x80, "1234"), 0x63C2);
	ck_assert_uint_eq(verify(tc, 0x80, "4321"), 0x9000);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_change_sign_password)
{
	struct tu_card *tc = jpki_card(NULL);

	ck_assert_uint_eq(change(tc, 0x9B, "NEWPASS1"), 0x6982);
	ck_assert_uint_eq(verify(tc, 0x9B, "PASS1234"), 0x9000);
	ck_assert_uint_eq(change(tc, 0x9B, "abc123"), 0x6A80);		  /* lower case */
	ck_assert_uint_eq(change(tc, 0x9B, "ABC12"), 0x6A80);		  /* too short */
	ck_assert_uint_eq(change(tc, 0x9B, "ABC-123"), 0x6A80);		  /* charset */
	ck_assert_uint_eq(change(tc, 0x9B, "ABCDEFGH12345678X"), 0x6700); /* 17 */
	ck_assert_str_eq(tc->pins.sign_pin, "PASS1234");
	ck_assert_uint_eq(change(tc, 0x9B, "ABCDEFGH12345678"), 0x9000);
	ck_assert_str_eq(tc->pins.sign_pin, "ABCDEFGH12345678");
	/* The letters-and-digits mixing rule is not enforced. */
	ck_assert_uint_eq(change(tc, 0x9B, "ABCDEF"), 0x9000);
	ck_assert_uint_eq(change(tc, 0x9B, "123456"), 0x9000);
	ck_assert_str_eq(tc->pins.sign_pin, "123456");
	ck_assert(vcard_take_pins_dirty(tc->card));
	ck_assert(sign_verified(tc));
	tu_select_jpki(tc);
	ck_assert_uint_eq(verify(tc, 0x9B, "PASS1234"), 0x63C4);
	ck_assert_uint_eq(verify(tc, 0x9B, "123456"), 0x9000);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_change_errors)
{
	struct tu_card *tc = jpki_card(NULL);

	ck_assert_uint_eq(verify(tc, 0x98, "1234"), 0x9000);
	tu_select_ef(tc, 0x0018);
	ck_assert_uint_eq(tu_sendf(tc, "00 24 00 80 04 35 36 37 38"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 24 02 80 04 35 36 37 38"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 24 01 81 04 35 36 37 38"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 24 01 80"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 24 01 80 00"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 24 01 80 04 35 36 37 38 00"), 0x6700);
	tu_select_ef(tc, 0x000A);
	ck_assert_uint_eq(tu_sendf(tc, "00 24 01 80 04 35 36 37 38"), 0x6986);
	ck_assert_str_eq(tc->pins.auth_pin, "1234");
	/* Blocked wins over not verified. */
	tc->pins.sign_tries = 0;
	ck_assert_uint_eq(change(tc, 0x9B, "NEWPASS1"), 0x6984);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_pins_loaded_state)
{
	struct tu_card *tc = jpki_card(NULL);

	/* The card works on the caller's struct: a loaded state is what it sees. */
	strcpy(tc->pins.sign_pin, "SECRET99");
	tc->pins.sign_tries = 2;
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 9B"), 0x63C2);
	ck_assert_uint_eq(verify(tc, 0x9B, "PASS1234"), 0x63C1);
	ck_assert_uint_eq(verify(tc, 0x9B, "SECRET99"), 0x9000);
	ck_assert_int_eq(tc->pins.sign_tries, 5);
	tu_card_free(tc);
}
END_TEST

static Suite *pin_suite(void)
{
	Suite *s = suite_create("vcard-pin");
	TCase *tc;

	tc = tcase_create("verify");
	tcase_add_test(tc, test_retry_query);
	tcase_add_test(tc, test_verify_by_sfi);
	tcase_add_test(tc, test_verify_by_sfi_disabled);
	tcase_add_test(tc, test_verify_reference_errors);
	tcase_add_test(tc, test_verify_length);
	tcase_add_test(tc, test_verify_wrong_and_right);
	tcase_add_test(tc, test_verify_blocks);
	tcase_add_test(tc, test_blocked_answers_configurable);
	tcase_add_test(tc, test_verified_query_9000);
	tcase_add_test(tc, test_wrong_pin_ends_verified_state);
	tcase_add_test(tc, test_pins_loaded_state);
	suite_add_tcase(s, tc);

	tc = tcase_create("lifetime");
	tcase_add_test(tc, test_security_survives_ef_selection);
	tcase_add_test(tc, test_security_cleared_by_select_and_power);
	suite_add_tcase(s, tc);

	tc = tcase_create("change");
	tcase_add_test(tc, test_change_auth_pin);
	tcase_add_test(tc, test_change_sign_password);
	tcase_add_test(tc, test_change_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int rc;

	tu_pki_init();
	rc = tu_run(pin_suite());
	tu_pki_cleanup();
	return rc;
}
