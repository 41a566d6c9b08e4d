/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The handle table: fresh handles, lookups, removal, growth. */
#include "config.h"

#include <check.h>

#include "pkcs11/handles.h"

START_TEST(test_add_get_remove)
{
	struct handles t;
	int a = 1, b = 2;
	CK_ULONG ha, hb;

	handles_init(&t);
	ck_assert_uint_eq(handles_add(&t, &a, &ha), CKR_OK);
	ck_assert_uint_eq(handles_add(&t, &b, &hb), CKR_OK);
	ck_assert_uint_ne(ha, CK_INVALID_HANDLE);
	ck_assert_uint_ne(ha, hb);
	ck_assert_ptr_eq(handles_get(&t, ha), &a);
	ck_assert_ptr_eq(handles_get(&t, hb), &b);
	ck_assert_ptr_null(handles_get(&t, CK_INVALID_HANDLE));
	ck_assert_uint_eq(handles_count(&t), 2);
	ck_assert_ptr_eq(handles_remove(&t, ha), &a);
	ck_assert_ptr_null(handles_remove(&t, ha));
	ck_assert_ptr_null(handles_get(&t, ha));
	ck_assert_ptr_eq(handles_get(&t, hb), &b);
	ck_assert_uint_eq(handles_count(&t), 1);
	ck_assert_ptr_eq(handles_at(&t, 0), &b);
	ck_assert_ptr_null(handles_at(&t, 1));
	handles_free(&t);
}
END_TEST

START_TEST(test_never_reused)
{
	struct handles t, u;
	int x;
	CK_ULONG h1, h2, h3;

	handles_init(&t);
	ck_assert_uint_eq(handles_add(&t, &x, &h1), CKR_OK);
	handles_remove(&t, h1);
	ck_assert_uint_eq(handles_add(&t, &x, &h2), CKR_OK);
	ck_assert_uint_ne(h1, h2);
	handles_free(&t);
	/* A new table (a new C_Initialize) continues the sequence. */
	handles_init(&u);
	ck_assert_uint_eq(handles_add(&u, &x, &h3), CKR_OK);
	ck_assert_uint_ne(h3, h1);
	ck_assert_uint_ne(h3, h2);
	ck_assert_ptr_null(handles_get(&u, h2));
	handles_free(&u);
}
END_TEST

START_TEST(test_growth_and_order)
{
	static int v[100];
	CK_ULONG h[100];
	struct handles t;
	size_t i;

	handles_init(&t);
	for (i = 0; i < 100; i++)
		ck_assert_uint_eq(handles_add(&t, &v[i], &h[i]), CKR_OK);
	for (i = 0; i < 100; i += 2)
		ck_assert_ptr_eq(handles_remove(&t, h[i]), &v[i]);
	ck_assert_uint_eq(handles_count(&t), 50);
	for (i = 0; i < 50; i++)
		ck_assert_ptr_eq(handles_at(&t, i), &v[2 * i + 1]);
	for (i = 1; i < 100; i += 2)
		ck_assert_ptr_eq(handles_get(&t, h[i]), &v[i]);
	handles_free(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("handles");
	TCase *tc = tcase_create("handles");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_add_get_remove);
	tcase_add_test(tc, test_never_reused);
	tcase_add_test(tc, test_growth_and_order);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
