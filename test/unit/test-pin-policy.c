/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PIN policy: every format rule, upper-casing, the new-password rule, the rejected-PIN guard. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "src/pin_policy.h"

static enum jpki_rc norm(enum jpki_pin pin, const char *in, char *out, size_t *out_len)
{
	return jpki_pin_normalise(pin, (const uint8_t *)in, strlen(in), out, out_len);
}

START_TEST(auth_pin)
{
	char out[JPKI_PIN_MAX_LEN];
	size_t len = 0;

	ck_assert_int_eq(norm(JPKI_PIN_AUTH, "1234", out, &len), JPKI_OK);
	ck_assert_uint_eq(len, 4);
	ck_assert_mem_eq(out, "1234", 4);
	ck_assert_int_eq(norm(JPKI_PIN_AUTH, "123", out, &len), JPKI_ERR_PIN_LENGTH);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(norm(JPKI_PIN_AUTH, "12345", out, &len), JPKI_ERR_PIN_LENGTH);
	ck_assert_int_eq(norm(JPKI_PIN_AUTH, "", out, &len), JPKI_ERR_PIN_LENGTH);
	ck_assert_int_eq(norm(JPKI_PIN_AUTH, "12a4", out, &len), JPKI_ERR_PIN_FORMAT);
	ck_assert_int_eq(norm(JPKI_PIN_AUTH, "１２", out, &len), JPKI_ERR_PIN_LENGTH);
	ck_assert_int_eq(norm(JPKI_PIN_AUTH, "12 4", out, &len), JPKI_ERR_PIN_FORMAT);
	ck_assert_int_eq(jpki_pin_normalise(JPKI_PIN_AUTH, NULL, 4, out, &len), JPKI_ERR_ARGS);
	ck_assert_int_eq(jpki_pin_normalise(JPKI_PIN_AUTH, (const uint8_t *)"1234", 4, NULL, &len),
			 JPKI_ERR_ARGS);
	ck_assert_int_eq(
	    jpki_pin_normalise((enum jpki_pin)7, (const uint8_t *)"1234", 4, out, &len),
	    JPKI_ERR_ARGS);
}
END_TEST

START_TEST(sign_password)
{
	char out[JPKI_PIN_MAX_LEN];
	size_t len = 0;

	ck_assert_int_eq(norm(JPKI_PIN_SIGN, "pass1234", out, &len), JPKI_OK);
	ck_assert_uint_eq(len, 8);
	ck_assert_mem_eq(out, "PASS1234", 8);
	ck_assert_int_eq(norm(JPKI_PIN_SIGN, "AbC123", out, &len), JPKI_OK);
	ck_assert_mem_eq(out, "ABC123", 6);
	ck_assert_int_eq(norm(JPKI_PIN_SIGN, "ABCDEFGHIJ123456", out, &len), JPKI_OK);
	ck_assert_uint_eq(len, 16);
	/* Letters only or digits only are still accepted for login: the card decides. */
	ck_assert_int_eq(norm(JPKI_PIN_SIGN, "ABCDEF", out, &len), JPKI_OK);
	ck_assert_int_eq(norm(JPKI_PIN_SIGN, "ABC12", out, &len), JPKI_ERR_PIN_LENGTH);
	ck_assert_int_eq(norm(JPKI_PIN_SIGN, "ABCDEFGHIJ1234567", out, &len), JPKI_ERR_PIN_LENGTH);
	ck_assert_int_eq(norm(JPKI_PIN_SIGN, "PASS-123", out, &len), JPKI_ERR_PIN_FORMAT);
	ck_assert_int_eq(norm(JPKI_PIN_SIGN, "PASS 123", out, &len), JPKI_ERR_PIN_FORMAT);
	ck_assert_int_eq(norm(JPKI_PIN_SIGN, "PASSé123", out, &len), JPKI_ERR_PIN_FORMAT);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(new_values)
{
	ck_assert_int_eq(jpki_pin_check_new(JPKI_PIN_SIGN, "ABC123", 6), JPKI_OK);
	ck_assert_int_eq(jpki_pin_check_new(JPKI_PIN_SIGN, "abc123", 6), JPKI_OK);
	ck_assert_int_eq(jpki_pin_check_new(JPKI_PIN_SIGN, "ABCDEFG", 7), JPKI_ERR_PIN_FORMAT);
	ck_assert_int_eq(jpki_pin_check_new(JPKI_PIN_SIGN, "1234567", 7), JPKI_ERR_PIN_FORMAT);
	ck_assert_int_eq(jpki_pin_check_new(JPKI_PIN_SIGN, "AB12", 4), JPKI_ERR_PIN_LENGTH);
	ck_assert_int_eq(jpki_pin_check_new(JPKI_PIN_SIGN, "AB_123", 6), JPKI_ERR_PIN_FORMAT);
	ck_assert_int_eq(jpki_pin_check_new(JPKI_PIN_AUTH, "9876", 4), JPKI_OK);
	ck_assert_int_eq(jpki_pin_check_new(JPKI_PIN_AUTH, "98a6", 4), JPKI_ERR_PIN_FORMAT);
	ck_assert_int_eq(jpki_pin_check_new(JPKI_PIN_AUTH, "98765", 5), JPKI_ERR_PIN_LENGTH);
}
END_TEST

START_TEST(guard)
{
	struct jpki_pin_guard g;

	jpki_pin_guard_init(&g);
	ck_assert(g.keyed);
	ck_assert(!jpki_pin_guard_blocks(&g, JPKI_PIN_AUTH, "1111", 4, 2));
	jpki_pin_guard_rejected(&g, JPKI_PIN_AUTH, "1111", 4, 2);
	ck_assert(jpki_pin_guard_blocks(&g, JPKI_PIN_AUTH, "1111", 4, 2));
	/* Another value, another counter, or the other PIN: let the card decide. */
	ck_assert(!jpki_pin_guard_blocks(&g, JPKI_PIN_AUTH, "1112", 4, 2));
	ck_assert(!jpki_pin_guard_blocks(&g, JPKI_PIN_AUTH, "111", 3, 2));
	ck_assert(!jpki_pin_guard_blocks(&g, JPKI_PIN_AUTH, "1111", 4, 3));
	ck_assert(!jpki_pin_guard_blocks(&g, JPKI_PIN_AUTH, "1111", 4, 1));
	ck_assert(!jpki_pin_guard_blocks(&g, JPKI_PIN_SIGN, "1111", 4, 2));
	/* The memory is a keyed hash: never the PIN itself. */
	ck_assert(memmem(&g, sizeof(g), "1111", 4) == NULL);
	/* A later rejection replaces the memory. */
	jpki_pin_guard_rejected(&g, JPKI_PIN_AUTH, "2222", 4, 1);
	ck_assert(!jpki_pin_guard_blocks(&g, JPKI_PIN_AUTH, "1111", 4, 2));
	ck_assert(jpki_pin_guard_blocks(&g, JPKI_PIN_AUTH, "2222", 4, 1));
	jpki_pin_guard_rejected(&g, JPKI_PIN_SIGN, "PASS0000", 8, 4);
	jpki_pin_guard_clear(&g, JPKI_PIN_AUTH);
	ck_assert(!jpki_pin_guard_blocks(&g, JPKI_PIN_AUTH, "2222", 4, 1));
	ck_assert(jpki_pin_guard_blocks(&g, JPKI_PIN_SIGN, "PASS0000", 8, 4));
	jpki_pin_guard_wipe(&g);
	ck_assert(!jpki_pin_guard_blocks(&g, JPKI_PIN_SIGN, "PASS0000", 8, 4));
}
END_TEST

START_TEST(guard_keys_differ)
{
	struct jpki_pin_guard a, b;

	jpki_pin_guard_init(&a);
	jpki_pin_guard_init(&b);
	ck_assert_mem_ne(a.key, b.key, sizeof(a.key));
	jpki_pin_guard_rejected(&a, JPKI_PIN_AUTH, "1234", 4, 2);
	jpki_pin_guard_rejected(&b, JPKI_PIN_AUTH, "1234", 4, 2);
	ck_assert_mem_ne(a.mac[JPKI_PIN_AUTH], b.mac[JPKI_PIN_AUTH], 32);
	/* Without a key the guard never blocks. */
	b.keyed = false;
	jpki_pin_guard_rejected(&b, JPKI_PIN_AUTH, "1234", 4, 2);
	ck_assert(!jpki_pin_guard_blocks(&b, JPKI_PIN_AUTH, "1234", 4, 2));
	jpki_pin_guard_wipe(&a);
	jpki_pin_guard_wipe(&b);
}
END_TEST

START_TEST(wipe)
{
	uint8_t buf[16];
	static const uint8_t zero[16];

	memset(buf, 0xA5, sizeof(buf));
	jpki_wipe(buf, sizeof(buf));
	ck_assert_mem_eq(buf, zero, sizeof(buf));
	jpki_wipe(NULL, 4); /* tolerated */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pin_policy");
	TCase *tc = tcase_create("rules");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, auth_pin);
	tcase_add_test(tc, sign_password);
	tcase_add_test(tc, new_values);
	tcase_add_test(tc, guard);
	tcase_add_test(tc, guard_keys_differ);
	tcase_add_test(tc, wipe);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
