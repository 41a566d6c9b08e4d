/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fault plan of jpki-vcard (fault.c): count-downs fire exactly once on the armed APDU,
 * independently per kind; garbage answers are 1-64 bytes and never look like success; a wrong
 * SW keeps the data.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "test/vcard/fault.h"

START_TEST(test_fires_once_on_the_nth_apdu)
{
	struct fault_plan p;

	fault_plan_init(&p);
	ck_assert_uint_eq(fault_step(&p), 0); /* nothing armed */
	fault_arm(&p, FAULT_RESET, 3);
	fault_arm(&p, FAULT_GARBAGE, 1);
	fault_arm(&p, FAULT_SW, 3);
	ck_assert_uint_eq(fault_step(&p), 1u << FAULT_GARBAGE);
	ck_assert_uint_eq(fault_step(&p), 0);
	ck_assert_uint_eq(fault_step(&p), (1u << FAULT_RESET) | (1u << FAULT_SW));
	for (int i = 0; i < 100; i++)
		ck_assert_uint_eq(fault_step(&p), 0);
	fault_arm(&p, FAULT_SW, 2);
	fault_arm(&p, FAULT_SW, 0); /* disarmed again */
	for (int i = 0; i < 5; i++)
		ck_assert_uint_eq(fault_step(&p), 0);
}
END_TEST

START_TEST(test_garbage_never_looks_good)
{
	struct fault_plan p;
	uint8_t resp[64];
	int lengths[65] = {0};

	fault_plan_init(&p);
	for (int i = 0; i < 20000; i++) {
		size_t len = fault_garbage(&p, resp);

		ck_assert_uint_ge(len, 1);
		ck_assert_uint_le(len, 64);
		lengths[len]++;
		if (len >= 2) {
			uint8_t sw1 = resp[len - 2];

			ck_assert(sw1 != 0x90 && sw1 != 0x61 && sw1 != 0x62 && sw1 != 0x63);
		}
	}
	/* every length turns up, the 1-byte answer (no room for an SW) included */
	for (int len = 1; len <= 64; len++)
		ck_assert_msg(lengths[len] > 0, "length %d never produced", len);
}
END_TEST

START_TEST(test_garbage_reproducible)
{
	struct fault_plan a, b;
	uint8_t ra[64], rb[64];

	fault_plan_init(&a);
	fault_plan_init(&b);
	for (int i = 0; i < 50; i++) {
		size_t la = fault_garbage(&a, ra), lb = fault_garbage(&b, rb);

		ck_assert_uint_eq(la, lb);
		ck_assert_mem_eq(ra, rb, la);
	}
}
END_TEST

START_TEST(test_wrong_sw_keeps_data)
{
	uint8_t resp[] = {0x01, 0x02, 0x03, 0x90, 0x00};

	fault_wrong_sw(resp, sizeof(resp), 0x6982);
	ck_assert_uint_eq(resp[0], 0x01);
	ck_assert_uint_eq(resp[2], 0x03);
	ck_assert_uint_eq(resp[3], 0x69);
	ck_assert_uint_eq(resp[4], 0x82);
}
END_TEST

START_TEST(test_default_sw)
{
	struct fault_plan p;

	fault_plan_init(&p);
	ck_assert_uint_eq(p.sw, FAULT_DEFAULT_SW);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vcard-fault");
	TCase *tc = tcase_create("fault");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_fires_once_on_the_nth_apdu);
	tcase_add_test(tc, test_garbage_never_looks_good);
	tcase_add_test(tc, test_garbage_reproducible);
	tcase_add_test(tc, test_wrong_sw_keeps_data);
	tcase_add_test(tc, test_default_sw);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
