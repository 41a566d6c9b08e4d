/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The two-call convention helper. */
#include "config.h"

#include <check.h>

#include "pkcs11/twocall.h"

static const CK_ULONG src[3] = {10, 20, 30};

START_TEST(test_length_query)
{
	CK_ULONG n = 12345;

	ck_assert_uint_eq(twocall_copy(NULL, &n, src, 3, sizeof(src[0])), CKR_OK);
	ck_assert_uint_eq(n, 3);
}
END_TEST

START_TEST(test_short_buffer_reports_length)
{
	CK_ULONG out[3] = {0, 0, 0}, n = 2;

	ck_assert_uint_eq(twocall_copy(out, &n, src, 3, sizeof(src[0])), CKR_BUFFER_TOO_SMALL);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(out[0], 0); /* nothing written */
}
END_TEST

START_TEST(test_exact_and_larger)
{
	CK_ULONG out[5] = {0}, n = 3;

	ck_assert_uint_eq(twocall_copy(out, &n, src, 3, sizeof(src[0])), CKR_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(out[2], 30);
	n = 5;
	ck_assert_uint_eq(twocall_copy(out, &n, src, 2, sizeof(src[0])), CKR_OK);
	ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(test_empty)
{
	CK_ULONG out[1], n = 0;

	ck_assert_uint_eq(twocall_copy(out, &n, src, 0, sizeof(src[0])), CKR_OK);
	ck_assert_uint_eq(n, 0);
	n = 7;
	ck_assert_uint_eq(twocall_copy(NULL, &n, NULL, 0, 1), CKR_OK);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_size_only)
{
	CK_BYTE out[4];
	CK_ULONG n = 99;
	bool fill = true;

	ck_assert_uint_eq(twocall_size(NULL, &n, 256, &fill), CKR_OK);
	ck_assert(!fill);
	ck_assert_uint_eq(n, 256);
	n = sizeof(out);
	ck_assert_uint_eq(twocall_size(out, &n, 256, &fill), CKR_BUFFER_TOO_SMALL);
	ck_assert(!fill);
	ck_assert_uint_eq(n, 256);
	n = 256;
	ck_assert_uint_eq(twocall_size(out, &n, 256, &fill), CKR_OK);
	ck_assert(fill);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("twocall");
	TCase *tc = tcase_create("twocall");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_length_query);
	tcase_add_test(tc, test_short_buffer_reports_length);
	tcase_add_test(tc, test_exact_and_larger);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_size_only);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
