/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Status-word interpretation per command, and the error-code names. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "src/sw.h"

START_TEST(select_sws)
{
	ck_assert_int_eq(jpki_sw_select_aid(0x9000), JPKI_OK);
	ck_assert_int_eq(jpki_sw_select_aid(0x6A82), JPKI_ERR_NOT_JPKI);
	ck_assert_int_eq(jpki_sw_select_aid(0x6F00), JPKI_ERR_NOT_JPKI);
	ck_assert_int_eq(jpki_sw_select_aid(0x6D00), JPKI_ERR_NOT_JPKI);
	ck_assert_int_eq(jpki_sw_select_ef(0x9000), JPKI_OK);
	ck_assert_int_eq(jpki_sw_select_ef(0x6A82), JPKI_ERR_NOT_FOUND);
	ck_assert_int_eq(jpki_sw_select_ef(0x6986), JPKI_ERR_BAD_RESPONSE);
}
END_TEST

START_TEST(read_sws)
{
	ck_assert_int_eq(jpki_sw_read(0x9000), JPKI_OK);
	ck_assert_int_eq(jpki_sw_read(0x6282), JPKI_OK);
	ck_assert_int_eq(jpki_sw_read(0x6982), JPKI_ERR_SECURITY);
	ck_assert_int_eq(jpki_sw_read(0x6B00), JPKI_ERR_NOT_FOUND);
	ck_assert_int_eq(jpki_sw_read(0x6981), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(jpki_sw_read(0x6100), JPKI_ERR_BAD_RESPONSE);
	ck_assert(jpki_sw_extended_refused(0x6700));
	ck_assert(jpki_sw_extended_refused(0x6D00));
	ck_assert(jpki_sw_extended_refused(0x6C10));
	ck_assert(!jpki_sw_extended_refused(0x6982));
	ck_assert(!jpki_sw_extended_refused(0x9000));
	ck_assert(!jpki_sw_extended_refused(0x6B00));
}
END_TEST

START_TEST(pin_status)
{
	struct jpki_pin_status st;

	ck_assert_int_eq(jpki_sw_pin_status(0x63C3, &st), JPKI_OK);
	ck_assert_int_eq(st.tries_left, 3);
	ck_assert(!st.locked && !st.verified);
	ck_assert_int_eq(jpki_sw_pin_status(0x63C1, &st), JPKI_OK);
	ck_assert_int_eq(st.tries_left, 1);
	ck_assert_int_eq(jpki_sw_pin_status(0x63C0, &st), JPKI_OK);
	ck_assert(st.locked);
	ck_assert_int_eq(st.tries_left, 0);
	ck_assert_int_eq(jpki_sw_pin_status(0x6984, &st), JPKI_OK);
	ck_assert(st.locked);
	ck_assert_int_eq(jpki_sw_pin_status(0x6983, &st), JPKI_OK);
	ck_assert(st.locked);
	ck_assert_int_eq(jpki_sw_pin_status(0x9000, &st), JPKI_OK);
	ck_assert(st.verified && !st.locked);
	ck_assert_int_eq(st.tries_left, -1);
	ck_assert_int_eq(jpki_sw_pin_status(0x6700, &st), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(jpki_sw_pin_status(0x6300, &st), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(jpki_sw_pin_status(0x6A82, &st), JPKI_ERR_BAD_RESPONSE);
}
END_TEST

START_TEST(verify)
{
	struct jpki_pin_status st;

	ck_assert_int_eq(jpki_sw_verify(0x9000, 5, &st), JPKI_OK);
	ck_assert_int_eq(st.tries_left, 5);
	ck_assert(st.verified);
	ck_assert_int_eq(jpki_sw_verify(0x63C2, 3, &st), JPKI_ERR_PIN_INCORRECT);
	ck_assert_int_eq(st.tries_left, 2);
	ck_assert(!st.locked && !st.verified);
	ck_assert_int_eq(jpki_sw_verify(0x63C0, 3, &st), JPKI_ERR_PIN_LOCKED);
	ck_assert(st.locked);
	ck_assert_int_eq(st.tries_left, 0);
	ck_assert_int_eq(jpki_sw_verify(0x6984, 3, &st), JPKI_ERR_PIN_LOCKED);
	ck_assert_int_eq(jpki_sw_verify(0x6983, 3, &st), JPKI_ERR_PIN_LOCKED);
	ck_assert_int_eq(jpki_sw_verify(0x6700, 3, &st), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(jpki_sw_verify(0x6982, 3, &st), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(jpki_sw_verify(0x6300, 3, &st), JPKI_ERR_BAD_RESPONSE);
}
END_TEST

START_TEST(change_and_sign)
{
	ck_assert_int_eq(jpki_sw_change(0x9000), JPKI_OK);
	ck_assert_int_eq(jpki_sw_change(0x6982), JPKI_ERR_SECURITY);
	ck_assert_int_eq(jpki_sw_change(0x6984), JPKI_ERR_PIN_LOCKED);
	ck_assert_int_eq(jpki_sw_change(0x6A80), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(jpki_sw_sign(0x9000), JPKI_OK);
	ck_assert_int_eq(jpki_sw_sign(0x6982), JPKI_ERR_SECURITY);
	ck_assert_int_eq(jpki_sw_sign(0x6A86), JPKI_ERR_NOT_SUPPORTED);
	ck_assert_int_eq(jpki_sw_sign(0x6985), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(jpki_sw_sign(0x6700), JPKI_ERR_BAD_RESPONSE);
}
END_TEST

START_TEST(rc_names)
{
	ck_assert_str_eq(jpki_rc_name(JPKI_OK), "OK");
	ck_assert_str_eq(jpki_rc_name(JPKI_ERR_PIN_LOCKED), "PIN_LOCKED");
	ck_assert_str_eq(jpki_rc_name((enum jpki_rc)999), "UNKNOWN");
	for (int a = JPKI_OK; a <= JPKI_ERR_INTERNAL; a++) {
		ck_assert_str_ne(jpki_rc_name((enum jpki_rc)a), "UNKNOWN");
		for (int b = a + 1; b <= JPKI_ERR_INTERNAL; b++)
			ck_assert_str_ne(jpki_rc_name((enum jpki_rc)a),
					 jpki_rc_name((enum jpki_rc)b));
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sw");
	TCase *tc = tcase_create("status words");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, select_sws);
	tcase_add_test(tc, read_sws);
	tcase_add_test(tc, pin_status);
	tcase_add_test(tc, verify);
	tcase_add_test(tc, change_and_sign);
	tcase_add_test(tc, rc_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
