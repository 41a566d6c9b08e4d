/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one jpki_rc -> CKR_ mapping, and CKR_ names for the logs. */
#include "config.h"

#include <check.h>
#include <string.h>

#include "pkcs11/error_map.h"
#include "pkcs11/rv_name.h"

static const struct {
	enum jpki_rc rc;
	CK_RV rv;
} table[] = {
    {JPKI_OK, CKR_OK},
    {JPKI_ERR_ARGS, CKR_ARGUMENTS_BAD},
    {JPKI_ERR_NO_MEMORY, CKR_HOST_MEMORY},
    {JPKI_ERR_NO_SERVICE, CKR_DEVICE_ERROR},
    {JPKI_ERR_NO_READER, CKR_DEVICE_REMOVED},
    {JPKI_ERR_NO_CARD, CKR_TOKEN_NOT_PRESENT},
    {JPKI_ERR_CARD_REMOVED, CKR_DEVICE_REMOVED},
    {JPKI_ERR_CARD_RESET, CKR_DEVICE_REMOVED},
    {JPKI_ERR_NOT_JPKI, CKR_TOKEN_NOT_RECOGNIZED},
    {JPKI_ERR_NOT_FOUND, CKR_DEVICE_ERROR},
    {JPKI_ERR_SECURITY, CKR_USER_NOT_LOGGED_IN},
    {JPKI_ERR_PIN_INCORRECT, CKR_PIN_INCORRECT},
    {JPKI_ERR_PIN_LOCKED, CKR_PIN_LOCKED},
    {JPKI_ERR_PIN_FORMAT, CKR_PIN_INVALID},
    {JPKI_ERR_PIN_LENGTH, CKR_PIN_LEN_RANGE},
    {JPKI_ERR_DATA_LENGTH, CKR_DATA_LEN_RANGE},
    {JPKI_ERR_NOT_SUPPORTED, CKR_FUNCTION_NOT_SUPPORTED},
    {JPKI_ERR_BAD_RESPONSE, CKR_DEVICE_ERROR},
    {JPKI_ERR_TRANSPORT, CKR_DEVICE_ERROR},
    {JPKI_ERR_BUSY, CKR_FUNCTION_FAILED},
    {JPKI_ERR_CANCELLED, CKR_FUNCTION_CANCELED},
    {JPKI_ERR_TIMEOUT, CKR_DEVICE_ERROR},
    {JPKI_ERR_CONFIG, CKR_GENERAL_ERROR},
    {JPKI_ERR_INTERNAL, CKR_GENERAL_ERROR},
};

START_TEST(test_every_code)
{
	ck_assert_uint_eq(error_map(table[_i].rc, "test"), table[_i].rv);
}
END_TEST

START_TEST(test_table_is_complete)
{
	/* One row per code of jpki_error.h, which ends with JPKI_ERR_INTERNAL. */
	ck_assert_uint_eq(sizeof(table) / sizeof(table[0]), JPKI_ERR_INTERNAL + 1);
	ck_assert_uint_eq(error_map((enum jpki_rc)(JPKI_ERR_INTERNAL + 7), "test"),
			  CKR_GENERAL_ERROR);
}
END_TEST

START_TEST(test_rv_names)
{
	ck_assert_str_eq(rv_name(CKR_OK), "CKR_OK");
	ck_assert_str_eq(rv_name(CKR_PIN_LOCKED), "CKR_PIN_LOCKED");
	ck_assert_str_eq(rv_name(CKR_BUFFER_TOO_SMALL), "CKR_BUFFER_TOO_SMALL");
	ck_assert_str_eq(rv_name(CKR_CRYPTOKI_NOT_INITIALIZED), "CKR_CRYPTOKI_NOT_INITIALIZED");
	ck_assert_str_eq(rv_name(CKR_VENDOR_DEFINED | 5), "CKR_VENDOR_DEFINED");
	ck_assert_str_eq(rv_name(0x4242), "CKR_?");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("error_map");
	TCase *tc = tcase_create("error_map");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_every_code, 0, (int)(sizeof(table) / sizeof(table[0])));
	tcase_add_test(tc, test_table_is_complete);
	tcase_add_test(tc, test_rv_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
