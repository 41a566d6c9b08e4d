/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* APDU codec: every case, short and extended, and malformed responses. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "src/apdu.h"

static uint8_t out[JPKI_APDU_CMD_MAX];
static uint8_t data[JPKI_APDU_EXT_MAX_LC + 1];

static size_t build(const struct jpki_apdu *a)
{
	size_t len = 0;

	ck_assert_int_eq(jpki_apdu_build(a, out, sizeof(out), &len), JPKI_OK);
	ck_assert_uint_eq(len, jpki_apdu_size(a));
	return len;
}

START_TEST(case1_is_four_bytes)
{
	const struct jpki_apdu a = {0x00, 0x20, 0x00, 0x80, NULL, 0, 0, false};
	const uint8_t want[] = {0x00, 0x20, 0x00, 0x80};

	ck_assert_uint_eq(build(&a), 4);
	ck_assert_mem_eq(out, want, 4);
	/* There is no extended case 1: the flag changes nothing. */
	const struct jpki_apdu e = {0x00, 0x20, 0x00, 0x80, NULL, 0, 0, true};
	ck_assert_uint_eq(build(&e), 4);
}
END_TEST

START_TEST(case2_short)
{
	const struct jpki_apdu a256 = {0x00, 0xB0, 0x01, 0x04, NULL, 0, 256, false};
	const struct jpki_apdu a43 = {0x00, 0xB0, 0x06, 0x04, NULL, 0, 0x2B, false};
	const uint8_t w256[] = {0x00, 0xB0, 0x01, 0x04, 0x00};
	const uint8_t w43[] = {0x00, 0xB0, 0x06, 0x04, 0x2B};

	ck_assert_uint_eq(build(&a256), 5);
	ck_assert_mem_eq(out, w256, 5);
	ck_assert_uint_eq(build(&a43), 5);
	ck_assert_mem_eq(out, w43, 5);
}
END_TEST

START_TEST(case3_short_select_aid)
{
	const uint8_t aid[] = {0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
	const struct jpki_apdu a = {0x00, 0xA4, 0x04, 0x0C, aid, sizeof(aid), 0, false};
	const uint8_t want[] = {0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0,
				0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};

	ck_assert_uint_eq(build(&a), sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
}
END_TEST

START_TEST(case4_short_sign)
{
	const struct jpki_apdu a = {0x80, 0x2A, 0x00, 0x80, data, 245, 256, false};
	size_t len;

	memset(data, 0x5A, 245);
	len = build(&a);
	ck_assert_uint_eq(len, 4 + 1 + 245 + 1);
	ck_assert_uint_eq(out[4], 245);
	ck_assert_uint_eq(out[5], 0x5A);
	ck_assert_uint_eq(out[len - 1], 0x00);
}
END_TEST

START_TEST(case2_extended)
{
	const struct jpki_apdu full = {0x00, 0xB0, 0x00, 0x00, NULL, 0, 65536, false};
	const struct jpki_apdu mid = {0x00, 0xB0, 0x00, 0x00, NULL, 0, 1000, false};
	const struct jpki_apdu forced = {0x00, 0xB0, 0x00, 0x00, NULL, 0, 5, true};
	const uint8_t wfull[] = {0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00};
	const uint8_t wmid[] = {0x00, 0xB0, 0x00, 0x00, 0x00, 0x03, 0xE8};
	const uint8_t wforced[] = {0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x05};

	ck_assert_uint_eq(build(&full), 7);
	ck_assert_mem_eq(out, wfull, 7);
	ck_assert_uint_eq(build(&mid), 7);
	ck_assert_mem_eq(out, wmid, 7);
	ck_assert_uint_eq(build(&forced), 7);
	ck_assert_mem_eq(out, wforced, 7);
}
END_TEST

START_TEST(case3_and_case4_extended)
{
	const struct jpki_apdu c3 = {0x80, 0xA2, 0x00, 0x00, data, 300, 0, false};
	const struct jpki_apdu c4 = {0x80, 0xAE, 0x00, 0x00, data, 300, 65536, false};
	const struct jpki_apdu c4max = {0x00, 0xD6, 0x00, 0x00, data, 65535, 256, true};
	size_t len;

	len = build(&c3);
	ck_assert_uint_eq(len, 4 + 3 + 300);
	ck_assert_uint_eq(out[4], 0x00);
	ck_assert_uint_eq(out[5], 0x01);
	ck_assert_uint_eq(out[6], 0x2C);
	len = build(&c4);
	ck_assert_uint_eq(len, 4 + 3 + 300 + 2);
	ck_assert_uint_eq(out[len - 2], 0x00);
	ck_assert_uint_eq(out[len - 1], 0x00);
	len = build(&c4max);
	ck_assert_uint_eq(len, 4 + 3 + 65535 + 2);
	ck_assert_uint_eq(out[5], 0xFF);
	ck_assert_uint_eq(out[6], 0xFF);
	ck_assert_uint_eq(out[len - 2], 0x01);
	ck_assert_uint_eq(out[len - 1], 0x00);
}
END_TEST

START_TEST(unencodable)
{
	const struct jpki_apdu too_much = {0x00, 0xD6, 0x00, 0x00, data, 65536, 0, false};
	const struct jpki_apdu le_too_big = {0x00, 0xB0, 0x00, 0x00, NULL, 0, 65537, false};
	const struct jpki_apdu no_data = {0x00, 0xA4, 0x02, 0x0C, NULL, 2, 0, false};
	const struct jpki_apdu ok = {0x00, 0xA4, 0x02, 0x0C, data, 2, 0, false};
	size_t len = 99;

	ck_assert_uint_eq(jpki_apdu_size(&too_much), 0);
	ck_assert_int_eq(jpki_apdu_build(&too_much, out, sizeof(out), &len), JPKI_ERR_ARGS);
	ck_assert_int_eq(jpki_apdu_build(&le_too_big, out, sizeof(out), &len), JPKI_ERR_ARGS);
	ck_assert_int_eq(jpki_apdu_build(&no_data, out, sizeof(out), &len), JPKI_ERR_ARGS);
	ck_assert_int_eq(jpki_apdu_build(NULL, out, sizeof(out), &len), JPKI_ERR_ARGS);
	ck_assert_int_eq(jpki_apdu_build(&ok, NULL, sizeof(out), &len), JPKI_ERR_ARGS);
	ck_assert_int_eq(jpki_apdu_build(&ok, out, sizeof(out), NULL), JPKI_ERR_ARGS);
	/* One byte short of room: refused, nothing written past cap. */
	out[6] = 0xEE;
	ck_assert_int_eq(jpki_apdu_build(&ok, out, 6, &len), JPKI_ERR_ARGS);
	ck_assert_uint_eq(out[6], 0xEE);
	ck_assert_uint_eq(len, 99);
}
END_TEST

START_TEST(parse_responses)
{
	const uint8_t sw_only[] = {0x90, 0x00};
	const uint8_t one[] = {0x90};
	uint8_t big[258];
	struct jpki_resp r;

	ck_assert_int_eq(jpki_apdu_parse(sw_only, 2, &r), JPKI_OK);
	ck_assert_uint_eq(r.len, 0);
	ck_assert_uint_eq(r.sw, 0x9000);
	ck_assert_int_eq(jpki_apdu_parse(one, 1, &r), JPKI_ERR_BAD_RESPONSE);
	ck_assert_uint_eq(r.len, 0);
	ck_assert_ptr_null(r.data);
	ck_assert_int_eq(jpki_apdu_parse(one, 0, &r), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(jpki_apdu_parse(NULL, 2, &r), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(jpki_apdu_parse(sw_only, 2, NULL), JPKI_ERR_ARGS);
	memset(big, 0x11, sizeof(big));
	big[256] = 0x62;
	big[257] = 0x82;
	ck_assert_int_eq(jpki_apdu_parse(big, sizeof(big), &r), JPKI_OK);
	ck_assert_uint_eq(r.len, 256);
	ck_assert_ptr_eq(r.data, big);
	ck_assert_uint_eq(r.sw, 0x6282);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("apdu");
	TCase *tc = tcase_create("codec");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, case1_is_four_bytes);
	tcase_add_test(tc, case2_short);
	tcase_add_test(tc, case3_short_select_aid);
	tcase_add_test(tc, case4_short_sign);
	tcase_add_test(tc, case2_extended);
	tcase_add_test(tc, case3_and_case4_extended);
	tcase_add_test(tc, unencodable);
	tcase_add_test(tc, parse_responses);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
