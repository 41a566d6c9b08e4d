/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DER length: short and long forms, truncated headers, absurd and malformed lengths. */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "src/der.h"

static enum jpki_rc total_of(const uint8_t *b, size_t len, size_t *total)
{
	*total = 0;
	return jpki_der_total_len(b, len, JPKI_DER_MAX, total);
}

START_TEST(short_form)
{
	const uint8_t b[] = {0x30, 0x05};
	const uint8_t zero[] = {0x30, 0x00};
	size_t t;

	ck_assert_int_eq(total_of(b, sizeof(b), &t), JPKI_OK);
	ck_assert_uint_eq(t, 7);
	ck_assert_int_eq(total_of(zero, sizeof(zero), &t), JPKI_OK);
	ck_assert_uint_eq(t, 2);
}
END_TEST

START_TEST(long_forms)
{
	const uint8_t l81[] = {0x30, 0x81, 0x80};
	const uint8_t l82[] = {0x30, 0x82, 0x06, 0x2B, 0x30};
	const uint8_t l83[] = {0x30, 0x83, 0x00, 0x10, 0x00};
	const uint8_t l84[] = {0x30, 0x84, 0x00, 0x00, 0x3F, 0xFA};
	size_t t;

	ck_assert_int_eq(total_of(l81, sizeof(l81), &t), JPKI_OK);
	ck_assert_uint_eq(t, 3 + 128);
	ck_assert_int_eq(total_of(l82, sizeof(l82), &t), JPKI_OK);
	ck_assert_uint_eq(t, 4 + 0x062B); /* the example auth certificate: 1583 bytes */
	ck_assert_int_eq(total_of(l83, sizeof(l83), &t), JPKI_OK);
	ck_assert_uint_eq(t, 5 + 0x1000);
	ck_assert_int_eq(total_of(l84, sizeof(l84), &t), JPKI_OK);
	ck_assert_uint_eq(t, JPKI_DER_MAX);
}
END_TEST

START_TEST(truncated)
{
	const uint8_t b[] = {0x30, 0x82, 0x06, 0x2B};
	size_t t;

	ck_assert_int_eq(total_of(b, 0, &t), JPKI_ERR_DATA_LENGTH);
	ck_assert_int_eq(total_of(b, 1, &t), JPKI_ERR_DATA_LENGTH);
	ck_assert_int_eq(total_of(b, 2, &t), JPKI_ERR_DATA_LENGTH);
	ck_assert_int_eq(total_of(b, 3, &t), JPKI_ERR_DATA_LENGTH);
	ck_assert_uint_eq(t, 0);
	ck_assert_int_eq(total_of(b, 4, &t), JPKI_OK);
}
END_TEST

START_TEST(absurd_and_malformed)
{
	const uint8_t too_big[] = {0x30, 0x82, 0x3F, 0xFD}; /* one byte over 16 KiB */
	const uint8_t at_max[] = {0x30, 0x82, 0x3F, 0xFC};
	const uint8_t huge[] = {0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF};
	const uint8_t indefinite[] = {0x30, 0x80, 0x00, 0x00};
	const uint8_t five[] = {0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x10};
	const uint8_t set[] = {0x31, 0x05};
	const uint8_t erased[] = {0xFF, 0xFF, 0xFF, 0xFF};
	size_t t;

	ck_assert_int_eq(total_of(too_big, 4, &t), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(total_of(at_max, 4, &t), JPKI_OK);
	ck_assert_uint_eq(t, JPKI_DER_MAX);
	ck_assert_int_eq(total_of(huge, 6, &t), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(total_of(indefinite, 4, &t), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(total_of(five, 7, &t), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(total_of(set, 2, &t), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(total_of(erased, 4, &t), JPKI_ERR_BAD_RESPONSE);
	/* A caller's own bound applies too. */
	ck_assert_int_eq(jpki_der_total_len(at_max, 4, 100, &t), JPKI_ERR_BAD_RESPONSE);
	ck_assert_int_eq(jpki_der_total_len(NULL, 4, 100, &t), JPKI_ERR_ARGS);
	ck_assert_int_eq(jpki_der_total_len(at_max, 4, 100, NULL), JPKI_ERR_ARGS);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("der");
	TCase *tc = tcase_create("length");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, short_form);
	tcase_add_test(tc, long_forms);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, absurd_and_malformed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
