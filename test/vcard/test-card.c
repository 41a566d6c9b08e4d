/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Card model, APDU in and APDU out: power and ATR, class and instruction errors, APDU cases,
 * SELECT, READ BINARY, the data EFs and the profiles (jpki-card.md §1-§3, §8, §14).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test/vcard/test-util.h"

static uint8_t buf[VCARD_RESP_MAX + 16];

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

/* ---- configuration, ATR, power ---- */

START_TEST(test_defaults)
{
	struct vcard_config c = config();

	ck_assert_int_eq(c.profile, VCARD_PROFILE_MYNUMBER);
	ck_assert_int_eq(c.atr, VCARD_ATR_CONTACT);
	ck_assert(!c.quirks.first_command_6f00);
	ck_assert(c.quirks.warm_reset_keeps_security);
	ck_assert(c.quirks.blocked_verify_6984);
	ck_assert(!c.quirks.blocked_query_6984);
	ck_assert(!c.quirks.verified_query_9000);
	ck_assert(!c.quirks.read_short_6282);
	ck_assert(c.quirks.extended_apdu);
	ck_assert(c.quirks.get_challenge);
	ck_assert(c.quirks.read_by_sfi);
	ck_assert(c.quirks.verify_by_sfi);
	ck_assert(c.quirks.sign_key_by_sfi);
	ck_assert(c.quirks.sign_schemes);
	ck_assert(c.quirks.sign_pss);
	ck_assert(!c.quirks.scheme_before_security);
	ck_assert_uint_eq(c.quirks.cert_filler, 0xFF);
	ck_assert_uint_eq(c.quirks.cert_ef_size, 0);
}
END_TEST

static void check_atr(enum vcard_atr_kind kind, const uint8_t *want, size_t want_len, bool tck)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;
	uint8_t atr[VCARD_ATR_MAX], x = 0;

	cfg.atr = kind;
	tc = tu_card_new(&cfg);
	ck_assert_uint_eq(vcard_atr(tc->card, atr, sizeof(atr)), want_len);
	ck_assert_mem_eq(atr, want, want_len);
	for (size_t i = 1; tck && i < want_len; i++)
		x ^= atr[i];
	ck_assert_uint_eq(x, 0); /* TCK: XOR of T0..TCK is 0 */
	tu_card_free(tc);
}

START_TEST(test_atr)
{
	static const uint8_t contact[] = {0x3B, 0xDA, 0x13, 0xFF, 0x81, 0x31, 0xFB,
					  0x46, 0x80, 0x12, 0x39, 0x2F, 0x31, 0xC1,
					  0x73, 0xC6, 0x01, 0xC0, 0x3B};
	static const uint8_t contactless[] = {0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x05,
					      0xE0, 0xB3, 0x81, 0xA1, 0x00, 0x7F};
	static const uint8_t old[] = {0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};

	check_atr(VCARD_ATR_CONTACT, contact, sizeof(contact), true);
	check_atr(VCARD_ATR_CONTACTLESS, contactless, sizeof(contactless), true);
	check_atr(VCARD_ATR_OLD, old, sizeof(old), false);
}
END_TEST

START_TEST(test_power_off_answers_6f00)
{
	struct tu_card *tc = tu_card_new(NULL);

	vcard_power_off(tc->card);
	ck_assert_uint_eq(tu_sendf(tc, TU_SELECT_JPKI), 0x6F00);
	ck_assert_uint_eq(tu_sendf(tc, "00"), 0x6F00);
	vcard_power_on(tc->card);
	ck_assert_uint_eq(tu_sendf(tc, TU_SELECT_JPKI), 0x9000);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_new_card_is_unpowered)
{
	struct vcard_config cfg = config();
	struct vcard_identity id;
	struct vcard_pins pins;
	struct vcard *card;
	uint8_t resp[VCARD_RESP_MAX];
	static const uint8_t select_mf[] = {0x00, 0xA4, 0x00, 0x00};

	vcard_pki_identity(&tu_pki[0], cfg.profile, &id);
	vcard_state_defaults(&pins);
	card = vcard_new(&cfg, &id, &pins);
	ck_assert_ptr_nonnull(card);
	ck_assert_uint_eq(vcard_process(card, select_mf, sizeof(select_mf), resp), 2);
	ck_assert_uint_eq(resp[0] << 8 | resp[1], 0x6F00);
	vcard_free(card);
	ck_assert_ptr_null(vcard_new(&cfg, NULL, &pins));
}
END_TEST

START_TEST(test_first_command_6f00)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.quirks.first_command_6f00 = true;
	tc = tu_card_new(&cfg);
	ck_assert_uint_eq(tu_sendf(tc, TU_SELECT_JPKI), 0x6F00);
	ck_assert_uint_eq(tu_sendf(tc, TU_SELECT_JPKI), 0x9000);
	ck_assert_uint_eq(tu_sendf(tc, TU_SELECT_JPKI), 0x9000);
	/* Again after a power cycle, also for a command too short to parse. */
	vcard_power_off(tc->card);
	vcard_power_on(tc->card);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4"), 0x6F00);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 00 00"), 0x6A86);
	/* A warm reset is no power-up. */
	vcard_reset(tc->card);
	ck_assert_uint_eq(tu_sendf(tc, TU_SELECT_JPKI), 0x9000);
	tu_card_free(tc);

	tc = tu_card_new(NULL); /* default: off */
	ck_assert_uint_eq(tu_sendf(tc, TU_SELECT_JPKI), 0x9000);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_power_cycle_clears_state)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	vcard_power_off(tc->card);
	vcard_power_on(tc->card);
	/* MF level again: no EF, SELECT MF refused, EFs not found. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x6986);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 00 00"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 01"), 0x6A82);
	tu_select_jpki(tc);
	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x6982);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_warm_reset_keeps_security)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	tu_select_ef(tc, 0x0001);
	vcard_reset(tc->card);
	/* Verified state, DF and current EF all survive. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	tu_select_ef(tc, 0x0006);
	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_warm_reset_clears_when_configured)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.quirks.warm_reset_keeps_security = false;
	tc = jpki_card(&cfg);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	tu_select_ef(tc, 0x0001);
	vcard_reset(tc->card);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x6986);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 01"), 0x6A82);
	tu_select_jpki(tc);
	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x6982);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_reset_powers_an_unpowered_card)
{
	struct tu_card *tc = tu_card_new(NULL);

	vcard_power_off(tc->card);
	vcard_reset(tc->card);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 00 00"), 0x6A86);
	tu_select_jpki(tc);
	tu_card_free(tc);
}
END_TEST

/* ---- class, instruction, length errors (§1.4, §8) ---- */

START_TEST(test_short_commands)
{
	struct tu_card *tc = tu_card_new(NULL);

	ck_assert_uint_eq(tu_send(tc, buf, 0), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04"), 0x6700);
	ck_assert_uint_eq(tu_data_len(tc), 0);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_logical_channels)
{
	static const char *const cmds[] = {
	    "01 A4 04 0C 0A " TU_JPKI_AID,
	    "02 A4 04 0C 0A " TU_JPKI_AID,
	    "03 B0 00 00 00",
	    "41 A4 04 0C 0A " TU_JPKI_AID,
	    "60 B0 00 00 00",
	    "7F 20 00 80",
	    "81 2A 00 80 01 00 00",
	    "83 AE 00 00",
	    "0B B0 00 00 00",
	};
	struct tu_card *tc = jpki_card(NULL);

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		ck_assert_msg(tu_sendf(tc, "%s", cmds[i]) == 0x6881, "%s", cmds[i]);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_secure_messaging_class)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x000A);
	ck_assert_uint_eq(tu_sendf(tc, "08 B0 00 00 04"), 0x69FC);
	ck_assert_uint_eq(tu_sendf(tc, "0C B0 00 00 04"), 0x69FC);
	ck_assert_uint_eq(tu_sendf(tc, "08 20 00 98"), 0x69FC);
	ck_assert_uint_eq(tu_sendf(tc, "0C 20 00 98 04 31 32 33 34"), 0x69FC);
	ck_assert_uint_eq(tu_sendf(tc, "08 A4 04 0C 0A " TU_JPKI_AID), 0x6882);
	ck_assert_uint_eq(tu_sendf(tc, "0C A4 02 0C 02 00 0A"), 0x6882);
	ck_assert_uint_eq(tu_sendf(tc, "0C 84 00 00 08"), 0x6E00);
	/* The refused commands changed nothing: the auth PIN still has 3 tries. */
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 98"), 0x63C3);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_unsupported_class)
{
	static const char *const cmds[] = {
	    "10 A4 04 0C 0A " TU_JPKI_AID, /* command chaining */
	    "04 B0 00 00 00",		   /* proprietary SM */
	    "20 B0 00 00 00",
	    "3C B0 00 00 00",
	    "84 2A 00 80 01 00 00",
	    "88 2A 00 80 01 00 00",
	    "90 2A 00 80 01 00 00",
	    "A0 A4 00 00",
	    "C0 B0 00 00 00",
	    "FF A4 00 00",
	    "80 A4 04 0C 0A " TU_JPKI_AID, /* ISO instruction, proprietary class */
	    "80 B0 00 00 00",
	    "80 20 00 98",
	    "80 24 01 98 04 31 32 33 34",
	    "80 84 00 00 08",
	    "00 2A 00 80 01 00 00", /* proprietary instruction, ISO class */
	    "00 AE 00 00",
	};
	struct tu_card *tc = jpki_card(NULL);

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		ck_assert_msg(tu_sendf(tc, "%s", cmds[i]) == 0x6E00, "%s", cmds[i]);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_unknown_instruction)
{
	static const char *const cmds[] = {
	    "00 CA 5F 51 00", "00 B2 01 0C 00",	   "00 C0 00 00 00", "00 88 00 97 01 00 00",
	    "00 0E 00 00",    "00 D6 00 00 01 00", "00 70 00 00 01", "80 32 00 80 04 31 32 33 34",
	    "80 A2 00 00",    "80 CA 00 00 00",	   "00 00 00 00",    "80 00 00 00",
	};
	struct tu_card *tc = jpki_card(NULL);

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		ck_assert_msg(tu_sendf(tc, "%s", cmds[i]) == 0x6D00, "%s", cmds[i]);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_set_session_key_and_last_command)
{
	struct tu_card *tc = jpki_card(NULL);

	ck_assert_uint_eq(tu_sendf(tc, "80 AE 00 00"), 0x6982);
	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	/* Refused even with both PINs verified (§1.4). */
	ck_assert_uint_eq(
	    tu_send(tc, buf, tu_build(buf, 0x80, 0xAE, 0, 0, buf + 1000, 256, 0, true)), 0x6982);
	ck_assert_uint_eq(tu_sendf(tc, "80 FC 00 00"), 0x6700);
	tu_card_free(tc);
}
END_TEST

/* ---- APDU cases (§1.3) ---- */

START_TEST(test_malformed_lengths)
{
	static const char *const cmds[] = {
	    "00 A4 04 0C 0B " TU_JPKI_AID,	       /* Lc one more than the data */
	    "00 A4 04 0C 0A " TU_JPKI_AID " 00 00",    /* two bytes after the data */
	    "00 B0 00 00 00 00",		       /* 6 bytes: extended marker, no length */
	    "00 A4 04 0C 00 00 00",		       /* extended Lc 0 */
	    "00 A4 04 0C 00 00 0A " TU_JPKI_AID " 00", /* extended body, 1-byte Le */
	    "00 A4 04 0C 00 00 0B " TU_JPKI_AID,       /* extended Lc too long */
	};
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x0006);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		ck_assert_msg(tu_sendf(tc, "%s", cmds[i]) == 0x6700, "%s", cmds[i]);
	/* None of them selected anything: EF 0006 is still current. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	ck_assert_mem_eq(tc->resp, "JPKI", 4);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_extended_cases)
{
	struct tu_card *tc = tu_card_new(NULL);

	/* Case 3E SELECT, case 2E READ BINARY, case 4E SELECT with FCI. */
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04 0C 00 00 0A " TU_JPKI_AID), 0x9000);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 00 00 02 00 06"), 0x9000);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 00 00 20"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 32);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04 00 00 00 0A " TU_JPKI_AID " 00 00"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 14);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_extended_disabled)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.quirks.extended_apdu = false;
	tc = tu_card_new(&cfg);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04 0C 00 00 0A " TU_JPKI_AID), 0x6700);
	tu_select_jpki(tc);
	tu_select_ef(tc, 0x000A);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 00 00 00"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 00"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 256);
	tu_card_free(tc);
}
END_TEST

/* ---- SELECT (§1.5, §2, §3.1) ---- */

START_TEST(test_select_aid)
{
	struct tu_card *tc = tu_card_new(NULL);

	ck_assert_uint_eq(tu_sendf(tc, TU_SELECT_JPKI), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 0);
	/* P2 0C with a Le: still no data. */
	ck_assert_uint_eq(tu_sendf(tc, TU_SELECT_JPKI " 00"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 0);
	/* P2 00 without Le: no data either. */
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04 00 0A " TU_JPKI_AID), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 0);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_select_aid_fci)
{
	static const uint8_t fci[] = {0x6F, 0x0C, 0x84, 0x0A, 0xD3, 0x92, 0xF0,
				      0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
	struct tu_card *tc = tu_card_new(NULL);

	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04 00 0A " TU_JPKI_AID " 00"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), sizeof(fci));
	ck_assert_mem_eq(tc->resp, fci, sizeof(fci));
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04 00 0A " TU_JPKI_AID " 04"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 4);
	ck_assert_mem_eq(tc->resp, fci, 4);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_select_unknown_aid)
{
	static const char *const aids[] = {
	    "D3 92 10 00 31 00 01 01 04 08", /* text AP: not modelled */
	    "D3 92 10 00 31 00 01 01 04 02", /* surface AP */
	    "D3 92 10 00 31 00 01 01 04 01", /* Juki AP */
	    "D3 92 10 00 31 00 01 01 01 00", /* common AP */
	    "D3 92 F0 00 26 01 00 00 00",    /* JPKI prefix: no partial match */
	    "D3 92 F0 00 26 01 00 00 00 01 00", "A0 00 00 00 03",
	};
	struct tu_card *tc = tu_card_new(NULL);

	for (size_t i = 0; i < sizeof(aids) / sizeof(aids[0]); i++) {
		size_t len = (strlen(aids[i]) + 1) / 3;

		ck_assert_msg(tu_sendf(tc, "00 A4 04 0C %02zX %s", len, aids[i]) == 0x6A82, "%s",
			      aids[i]);
	}
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04 0C"), 0x6700);
	ck_assert_uint_eq(
	    tu_sendf(tc, "00 A4 04 0C 11 %s", "00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 00"),
	    0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04 04 0A " TU_JPKI_AID), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04 02 0A " TU_JPKI_AID), 0x6A86);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_select_aid_clears_ef_and_security)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x0006);
	tu_select_jpki(tc);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x6986);

	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	tu_select_jpki(tc); /* the same AID again */
	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x6982);

	/* A SELECT of an AID this model lacks ends the security status too, keeps the DF. */
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x6986);
	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x6982);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_select_isd)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 04 0C 07 A0 00 00 01 51 00 00"), 0x9000);
	/* MF level, as after power-up. */
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 06"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 00 00"), 0x6A86);
	tu_select_jpki(tc);
	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x6982);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_select_mf)
{
	struct tu_card *tc = tu_card_new(NULL);

	ck_assert_uint_eq(tu_sendf(tc, "00 A4 00 00"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 00 0C"), 0x6A86);
	tu_select_jpki(tc);
	tu_select_ef(tc, 0x0006);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 00 00"), 0x9000);
	/* No change: the JPKI AP and its current EF are still there. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	tu_select_ef(tc, 0x000A);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 00 00 02 3F 00"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 00 04"), 0x6A86);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_select_ef)
{
	static const uint16_t present[] = {0x0001, 0x0002, 0x0006, 0x0008, 0x0009, 0x000A,
					   0x000B, 0x0016, 0x0017, 0x0018, 0x001A, 0x001B};
	static const uint16_t absent[] = {0x0000, 0x0003, 0x0005, 0x0010, 0x0019,
					  0x001C, 0x001E, 0x3F00, 0x2F10, 0xFFFF};
	struct tu_card *tc = tu_card_new(NULL);

	/* No application selected: nothing is found. */
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 06"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 1E"), 0x6A82);
	tu_select_jpki(tc);
	for (size_t i = 0; i < sizeof(present) / sizeof(present[0]); i++)
		ck_assert_msg(tu_sendf(tc, "00 A4 02 0C 02 %04X", present[i]) == 0x9000, "%04X",
			      present[i]);
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		ck_assert_msg(tu_sendf(tc, "00 A4 02 0C 02 %04X", absent[i]) == 0x6A82, "%04X",
			      absent[i]);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_select_ef_errors)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x0006);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 01 06"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 03 00 00 06"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 00 02 00 0A 00"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 04 02 00 0A"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 01 0C 02 00 0A"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 03 0C"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 08 0C 02 00 0A"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 09 0C 02 00 0A"), 0x6A86);
	/* A failed SELECT keeps the current EF. */
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 03"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	ck_assert_mem_eq(tc->resp, "JPKI", 4);
	tu_card_free(tc);
}
END_TEST

/* ---- READ BINARY and the data EFs (§3) ---- */

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* EF 0006 as §3.2 lays it out, written here independently of the model. */
static void expected_token_info(uint8_t *t, const char *label, const char *serial)
{
	memset(t, ' ', 160);
	memcpy(t, label, strlen(label));
	memcpy(t + 32, "00000000000000000000000000000001", 32);
	memcpy(t + 64, "E16R01NJ", 8);
	memcpy(t + 80, serial, 16);
	put_be32(t + 96, 0x0000040D);
	put_be32(t + 100, 1);
	put_be32(t + 104, 0);
	put_be32(t + 108, 1);
	put_be32(t + 112, 0);
	put_be32(t + 116, 16);
	put_be32(t + 120, 6);
	memset(t + 124, 0xFF, 16);
	memcpy(t + 140, "0301", 4);
	memset(t + 144, '0', 16);
}

static void check_token_info(enum vcard_profile profile, unsigned identity, const char *label)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;
	uint8_t want[160];

	cfg.profile = profile;
	tc = tu_card_new_identity(&cfg, identity);
	tu_select_jpki(tc);
	tu_select_ef(tc, 0x0006);
	expected_token_info(want, label, tu_pki[identity].token_serial);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 00"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 160);
	ck_assert_mem_eq(tc->resp, want, 160);
	/* The label probe clients send. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 20"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 32);
	ck_assert_mem_eq(tc->resp, want, 32);
	tu_card_free(tc);
}

START_TEST(test_token_info)
{
	check_token_info(VCARD_PROFILE_MYNUMBER, 0, "JPKIAPICCTOKEN2");
	check_token_info(VCARD_PROFILE_MYNUMBER, 1, "JPKIAPICCTOKEN2");
	check_token_info(VCARD_PROFILE_MINOR, 0, "JPKIAPICCTOKEN2");
	check_token_info(VCARD_PROFILE_JUKI, 0, "JPKIAPICCTOKEN");
	ck_assert_str_ne(tu_pki[0].token_serial, tu_pki[1].token_serial);
}
END_TEST

static void check_cert_map(enum vcard_profile profile, const uint8_t *want)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.profile = profile;
	tc = jpki_card(&cfg);
	tu_select_ef(tc, 0x0008);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 00"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 3);
	ck_assert_mem_eq(tc->resp, want, 3);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 03 01"), 0x6B00);
	tu_card_free(tc);
}

START_TEST(test_cert_map)
{
	check_cert_map(VCARD_PROFILE_MYNUMBER, (const uint8_t *)"\x8F\x8F\x00");
	check_cert_map(VCARD_PROFILE_MINOR, (const uint8_t *)"\x00\x8F\x00");
	check_cert_map(VCARD_PROFILE_JUKI, (const uint8_t *)"\x8F\x00\x00");
}
END_TEST

START_TEST(test_read_offsets)
{
	struct tu_card *tc = jpki_card(NULL);
	uint8_t all[160];

	tu_select_ef(tc, 0x0006);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 00"), 0x9000);
	memcpy(all, tc->resp, 160);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 50 10"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 16);
	ck_assert_mem_eq(tc->resp, all + 80, 16);
	ck_assert_mem_eq(tc->resp, tu_pki[0].token_serial, 16);
	/* min(Le, remaining) with 9000 */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 96 20"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 10);
	ck_assert_mem_eq(tc->resp, all + 150, 10);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 9F 00"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 1);
	/* offset at or past the end */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 A0 01"), 0x6B00);
	ck_assert_uint_eq(tu_data_len(tc), 0);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 01 00 01"), 0x6B00);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 7F FF 00"), 0x6B00);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_read_short_6282)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.quirks.read_short_6282 = true;
	tc = jpki_card(&cfg);
	tu_select_ef(tc, 0x0006);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 96 20"), 0x6282);
	ck_assert_uint_eq(tu_data_len(tc), 10);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 96 0A"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 10);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 00"), 0x6282);
	ck_assert_uint_eq(tu_data_len(tc), 160);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_read_case_errors)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x0006);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 01 00"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 01 00 00"), 0x6700);
	tu_card_free(tc);
}
END_TEST

static size_t auto_ef_size(size_t der_len)
{
	return (der_len + 255) / 256 * 256 + 256;
}

/* Reads a certificate EF whole and checks DER + filler. */
static void check_cert_ef(struct tu_card *tc, uint16_t fid, const uint8_t *der, size_t der_len,
			  size_t ef_size, uint8_t filler)
{
	static uint8_t ef[65536];
	size_t n;

	tu_select_ef(tc, fid);
	n = tu_read_all(tc, ef, sizeof(ef));
	ck_assert_uint_eq(n, ef_size);
	ck_assert_mem_eq(ef, der, der_len);
	for (size_t i = der_len; i < n; i++)
		ck_assert_uint_eq(ef[i], filler);
	/* The 4-byte header probe of §3.3 gives the DER length. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	ck_assert_uint_eq(tc->resp[0], 0x30);
	ck_assert_uint_eq(tc->resp[1], 0x82);
	ck_assert_uint_eq((size_t)(tc->resp[2] << 8 | tc->resp[3]) + 4, der_len);
}

START_TEST(test_cert_efs)
{
	const struct vcard_pki *p = &tu_pki[0];
	struct tu_card *tc = jpki_card(NULL);

	check_cert_ef(tc, 0x000A, p->auth_cert, p->auth_cert_len, auto_ef_size(p->auth_cert_len),
		      0xFF);
	check_cert_ef(tc, 0x000B, p->auth_ca, p->auth_ca_len, auto_ef_size(p->auth_ca_len), 0xFF);
	check_cert_ef(tc, 0x0002, p->sign_ca, p->sign_ca_len, auto_ef_size(p->sign_ca_len), 0xFF);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	check_cert_ef(tc, 0x0001, p->sign_cert, p->sign_cert_len, auto_ef_size(p->sign_cert_len),
		      0xFF);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_cert_ef_size_and_filler)
{
	const struct vcard_pki *p = &tu_pki[0];
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.quirks.cert_ef_size = 4000;
	cfg.quirks.cert_filler = 0x00;
	tc = jpki_card(&cfg);
	check_cert_ef(tc, 0x000A, p->auth_cert, p->auth_cert_len, 4000, 0x00);
	tu_card_free(tc);

	/* Exactly the DER: no filler at all. */
	cfg.quirks.cert_ef_size = p->auth_cert_len;
	tc = jpki_card(&cfg);
	check_cert_ef(tc, 0x000A, p->auth_cert, p->auth_cert_len, p->auth_cert_len, 0x00);
	tu_card_free(tc);

	/* Smaller than the certificate: the automatic size. */
	cfg.quirks.cert_ef_size = 100;
	tc = jpki_card(&cfg);
	check_cert_ef(tc, 0x000A, p->auth_cert, p->auth_cert_len, auto_ef_size(p->auth_cert_len),
		      0x00);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_read_extended)
{
	const struct vcard_pki *p = &tu_pki[0];
	size_t size = auto_ef_size(p->auth_cert_len);
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x000A);
	/* Le 0000 = 65536: the whole EF in one answer. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 00 00 00"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), size);
	ck_assert_mem_eq(tc->resp, p->auth_cert, p->auth_cert_len);
	/* The rest after a 4-byte probe, as [TEX-code] does. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 04 00 %04zX", p->auth_cert_len - 4), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), p->auth_cert_len - 4);
	ck_assert_mem_eq(tc->resp, p->auth_cert + 4, p->auth_cert_len - 4);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 00 01 2C"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 300);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_read_by_sfi)
{
	const struct vcard_pki *p = &tu_pki[0];
	struct tu_card *tc = jpki_card(NULL);

	ck_assert_uint_eq(tu_sendf(tc, "00 B0 8A 00 00"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 256);
	ck_assert_mem_eq(tc->resp, p->auth_cert, 256);
	/* 000A is now the current EF. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 01 00 10"), 0x9000);
	ck_assert_mem_eq(tc->resp, p->auth_cert + 256, 16);
	/* P2 is the offset. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 86 50 10"), 0x9000);
	ck_assert_mem_eq(tc->resp, tu_pki[0].token_serial, 16);
	/* Extended Le with SFI reads the whole file ([AOKI]). */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 8B 00 00 00 00"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), auto_ef_size(p->auth_ca_len));
	ck_assert_mem_eq(tc->resp, p->auth_ca, p->auth_ca_len);
	/* The sign certificate needs the password, by SFI too. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 81 00 00"), 0x6982);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 9B 00 00"), 0x6981);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 97 00 00"), 0x6981);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 83 00 00"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 80 00 00"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 9F 00 00"), 0x6A82);
	/* P1 bits 7-6 must be 0 with an SFI. */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 A6 00 00"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 C6 00 00"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 86 A0 01"), 0x6B00);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 81 00 00"), 0x9000);
	ck_assert_mem_eq(tc->resp, p->sign_cert, 256);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_read_by_sfi_disabled)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.quirks.read_by_sfi = false;
	tc = jpki_card(&cfg);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 8A 00 00"), 0x6A86);
	tu_card_free(tc);

	tc = tu_card_new(NULL); /* MF level: no file behind any SFI (§1.5) */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 8A 00 00"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 9E 00 00"), 0x6A82);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_read_no_current_ef)
{
	struct tu_card *tc = tu_card_new(NULL);

	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 00"), 0x6986);
	tu_select_jpki(tc);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 00"), 0x6986);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_read_internal_efs)
{
	static const uint16_t internal[] = {0x0009, 0x0016, 0x0017, 0x0018, 0x001A, 0x001B};
	struct tu_card *tc = jpki_card(NULL);

	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++) {
		tu_select_ef(tc, internal[i]);
		ck_assert_msg(tu_sendf(tc, "00 B0 00 00 00") == 0x6981, "%04X", internal[i]);
		ck_assert_uint_eq(tu_data_len(tc), 0);
		ck_assert_msg(tu_sendf(tc, "00 B0 %02X 00 00", 0x80 | internal[i]) == 0x6981,
			      "%04X", internal[i]);
	}
	tu_card_free(tc);
}
END_TEST

START_TEST(test_sign_cert_needs_password)
{
	struct tu_card *tc = jpki_card(NULL);

	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x6982);
	ck_assert_uint_eq(tu_data_len(tc), 0);
	/* The auth PIN does not open it. */
	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x6982);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	ck_assert_mem_eq(tc->resp, tu_pki[0].sign_cert, 4);
	tu_card_free(tc);
}
END_TEST

/* ---- profiles ---- */

START_TEST(test_profile_juki)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.profile = VCARD_PROFILE_JUKI;
	tc = jpki_card(&cfg);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 0A"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 0B"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 17"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 18"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 8A 00 00"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 98"), 0x6A82);
	tu_select_ef(tc, 0x0002);
	tu_select_ef(tc, 0x001A);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	tu_select_ef(tc, 0x0001);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	ck_assert_mem_eq(tc->resp, tu_pki[0].sign_cert, 4);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_profile_minor)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.profile = VCARD_PROFILE_MINOR;
	tc = jpki_card(&cfg);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 01"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 1A"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 1B"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 81 00 00"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 9B"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 9B 08 50 41 53 53 31 32 33 34"), 0x6A82);
	tu_select_ef(tc, 0x0002); /* the sign CA certificate stays */
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	tu_select_ef(tc, 0x000A);
	ck_assert_uint_eq(tu_sendf(tc, "00 B0 00 00 04"), 0x9000);
	tu_verify(tc, 0x0018, VCARD_DEFAULT_AUTH_PIN);
	tu_card_free(tc);

	/* minor_sign_pin keeps only the password EF: no certificate, no key. */
	cfg.quirks.minor_sign_pin = true;
	tc = jpki_card(&cfg);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 01"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 A4 02 0C 02 00 1A"), 0x6A82);
	ck_assert_uint_eq(tu_sendf(tc, "00 20 00 9B"), 0x63C5);
	tu_verify(tc, 0x001B, VCARD_DEFAULT_SIGN_PIN);
	tu_card_free(tc);
}
END_TEST

/* ---- GET CHALLENGE (§1.3) ---- */

START_TEST(test_get_challenge)
{
	struct tu_card *tc = tu_card_new(NULL);
	uint8_t first[8];

	ck_assert_uint_eq(tu_sendf(tc, "00 84 00 00 08"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 8);
	memcpy(first, tc->resp, 8);
	ck_assert_uint_eq(tu_sendf(tc, "00 84 00 00 08"), 0x9000);
	ck_assert_mem_ne(tc->resp, first, 8);
	ck_assert_uint_eq(tu_sendf(tc, "00 84 00 00 01"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 1);
	ck_assert_uint_eq(tu_sendf(tc, "00 84 00 00 00"), 0x9000);
	ck_assert_uint_eq(tu_data_len(tc), 256);
	ck_assert_uint_eq(tu_sendf(tc, "00 84 00 00 00 00 08"), 0x6985);
	ck_assert_uint_eq(tu_sendf(tc, "00 84 00 00"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 84 00 00 01 00"), 0x6700);
	ck_assert_uint_eq(tu_sendf(tc, "00 84 01 00 08"), 0x6A86);
	ck_assert_uint_eq(tu_sendf(tc, "00 84 00 01 08"), 0x6A86);
	tu_card_free(tc);
}
END_TEST

START_TEST(test_get_challenge_disabled)
{
	struct vcard_config cfg = config();
	struct tu_card *tc;

	cfg.quirks.get_challenge = false;
	tc = tu_card_new(&cfg);
	ck_assert_uint_eq(tu_sendf(tc, "00 84 00 00 08"), 0x6D00);
	tu_card_free(tc);
}
END_TEST

static Suite *card_suite(void)
{
	Suite *s = suite_create("vcard");
	TCase *tc;

	tc = tcase_create("power");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_atr);
	tcase_add_test(tc, test_power_off_answers_6f00);
	tcase_add_test(tc, test_new_card_is_unpowered);
	tcase_add_test(tc, test_first_command_6f00);
	tcase_add_test(tc, test_power_cycle_clears_state);
	tcase_add_test(tc, test_warm_reset_keeps_security);
	tcase_add_test(tc, test_warm_reset_clears_when_configured);
	tcase_add_test(tc, test_reset_powers_an_unpowered_card);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_short_commands);
	tcase_add_test(tc, test_logical_channels);
	tcase_add_test(tc, test_secure_messaging_class);
	tcase_add_test(tc, test_unsupported_class);
	tcase_add_test(tc, test_unknown_instruction);
	tcase_add_test(tc, test_set_session_key_and_last_command);
	tcase_add_test(tc, test_malformed_lengths);
	tcase_add_test(tc, test_extended_cases);
	tcase_add_test(tc, test_extended_disabled);
	suite_add_tcase(s, tc);

	tc = tcase_create("select");
	tcase_add_test(tc, test_select_aid);
	tcase_add_test(tc, test_select_aid_fci);
	tcase_add_test(tc, test_select_unknown_aid);
	tcase_add_test(tc, test_select_aid_clears_ef_and_security);
	tcase_add_test(tc, test_select_isd);
	tcase_add_test(tc, test_select_mf);
	tcase_add_test(tc, test_select_ef);
	tcase_add_test(tc, test_select_ef_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("read");
	tcase_add_test(tc, test_token_info);
	tcase_add_test(tc, test_cert_map);
	tcase_add_test(tc, test_read_offsets);
	tcase_add_test(tc, test_read_short_6282);
	tcase_add_test(tc, test_read_case_errors);
	tcase_add_test(tc, test_cert_efs);
	tcase_add_test(tc, test_cert_ef_size_and_filler);
	tcase_add_test(tc, test_read_extended);
	tcase_add_test(tc, test_read_by_sfi);
	tcase_add_test(tc, test_read_by_sfi_disabled);
	tcase_add_test(tc, test_read_no_current_ef);
	tcase_add_test(tc, test_read_internal_efs);
	tcase_add_test(tc, test_sign_cert_needs_password);
	suite_add_tcase(s, tc);

	tc = tcase_create("profiles");
	tcase_add_test(tc, test_profile_juki);
	tcase_add_test(tc, test_profile_minor);
	suite_add_tcase(s, tc);

	tc = tcase_create("challenge");
	tcase_add_test(tc, test_get_challenge);
	tcase_add_test(tc, test_get_challenge_disabled);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int rc;

	tu_pki_init();
	rc = tu_run(card_suite());
	tu_pki_cleanup();
	return rc;
}
