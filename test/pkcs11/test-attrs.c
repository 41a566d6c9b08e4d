/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Attribute lists: C_GetAttributeValue's template walk and C_FindObjectsInit's matching. */
#include "config.h"

#include <check.h>
#include <string.h>

#include "pkcs11/attrs.h"

static struct attrs a;

static bool get_ulong(const struct attrs *l, CK_ATTRIBUTE_TYPE type, CK_ULONG *v)
{
	const struct attr *at = attrs_find(l, type);

	if (at == NULL || at->sensitive || at->len != sizeof(*v))
		return false;
	memcpy(v, at->value, sizeof(*v));
	return true;
}

static void setup(void)
{
	attrs_init(&a);
	attrs_add_ulong(&a, CKA_CLASS, CKO_CERTIFICATE);
	attrs_add_bool(&a, CKA_TOKEN, true);
	attrs_add(&a, CKA_LABEL, "label", 5);
	attrs_add(&a, CKA_URL, NULL, 0);
	attrs_add_sensitive(&a, CKA_PRIVATE_EXPONENT);
	ck_assert(!a.failed);
}

static void teardown(void)
{
	attrs_free(&a);
}

START_TEST(test_length_query_and_copy)
{
	CK_BYTE label[16];
	CK_ULONG cls = 0;
	CK_ATTRIBUTE t[] = {
	    {CKA_LABEL, NULL, 0},
	    {CKA_CLASS, &cls, sizeof(cls)},
	    {CKA_URL, label, sizeof(label)},
	};

	ck_assert_uint_eq(attrs_get(&a, t, 3), CKR_OK);
	ck_assert_uint_eq(t[0].ulValueLen, 5);
	ck_assert_uint_eq(cls, CKO_CERTIFICATE);
	ck_assert_uint_eq(t[1].ulValueLen, sizeof(CK_ULONG));
	ck_assert_uint_eq(t[2].ulValueLen, 0);

	t[0].pValue = label;
	t[0].ulValueLen = sizeof(label); /* larger than needed: length becomes exact */
	ck_assert_uint_eq(attrs_get(&a, t, 1), CKR_OK);
	ck_assert_uint_eq(t[0].ulValueLen, 5);
	ck_assert_mem_eq(label, "label", 5);
}
END_TEST

START_TEST(test_walk_continues_after_every_error)
{
	CK_BYTE small[2], bool_buf = 0xEE;
	CK_BYTE big[8];
	CK_ATTRIBUTE t[] = {
	    {CKA_LABEL, small, sizeof(small)},	      /* too small */
	    {CKA_VALUE, big, sizeof(big)},	      /* not on this object */
	    {CKA_PRIVATE_EXPONENT, big, sizeof(big)}, /* sensitive */
	    {CKA_TOKEN, &bool_buf, sizeof(bool_buf)}, /* fine, after the errors */
	};
	CK_RV rv = attrs_get(&a, t, 4);

	ck_assert_uint_eq(t[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
	ck_assert_uint_eq(t[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
	ck_assert_uint_eq(t[2].ulValueLen, CK_UNAVAILABLE_INFORMATION);
	ck_assert_uint_eq(t[3].ulValueLen, 1);
	ck_assert_uint_eq(bool_buf, CK_TRUE);
	/* Several errors: the documented precedence. */
	ck_assert_uint_eq(rv, CKR_ATTRIBUTE_SENSITIVE);
	ck_assert_uint_eq(attrs_get(&a, t + 1, 1), CKR_ATTRIBUTE_TYPE_INVALID);
	t[0].ulValueLen = sizeof(small);
	ck_assert_uint_eq(attrs_get(&a, t, 2), CKR_ATTRIBUTE_TYPE_INVALID);
	t[0].ulValueLen = sizeof(small);
	ck_assert_uint_eq(attrs_get(&a, t, 1), CKR_BUFFER_TOO_SMALL);
}
END_TEST

START_TEST(test_sensitive_length_query)
{
	CK_ATTRIBUTE t = {CKA_PRIVATE_EXPONENT, NULL, 0};

	ck_assert_uint_eq(attrs_get(&a, &t, 1), CKR_ATTRIBUTE_SENSITIVE);
	ck_assert_uint_eq(t.ulValueLen, CK_UNAVAILABLE_INFORMATION);
}
END_TEST

START_TEST(test_empty_template)
{
	ck_assert_uint_eq(attrs_get(&a, NULL, 0), CKR_OK);
	ck_assert(attrs_match(&a, NULL, 0));
}
END_TEST

START_TEST(test_replace_keeps_last)
{
	bool b = true;
	CK_ULONG v = 0;

	attrs_add_bool(&a, CKA_TOKEN, false);
	attrs_add(&a, CKA_LABEL, "x", 1);
	ck_assert(attrs_get_bool(&a, CKA_TOKEN, &b));
	ck_assert(!b);
	ck_assert_uint_eq(attrs_find(&a, CKA_LABEL)->len, 1);
	ck_assert_uint_eq(a.n, 5);
	ck_assert(get_ulong(&a, CKA_CLASS, &v));
	ck_assert_uint_eq(v, CKO_CERTIFICATE);
	ck_assert(!get_ulong(&a, CKA_TOKEN, &v)); /* wrong size */
	ck_assert(!attrs_get_bool(&a, CKA_PRIVATE_EXPONENT, &b));
	ck_assert(!attrs_get_bool(&a, CKA_SIGN, &b));
}
END_TEST

START_TEST(test_match)
{
	CK_ULONG cls = CKO_CERTIFICATE, other = CKO_PRIVATE_KEY;
	CK_BBOOL t = CK_TRUE, f = CK_FALSE;
	CK_ATTRIBUTE yes[] = {{CKA_CLASS, &cls, sizeof(cls)},
			      {CKA_TOKEN, &t, 1},
			      {CKA_LABEL, "label", 5},
			      {CKA_URL, NULL, 0}};
	CK_ATTRIBUTE wrong_value[] = {{CKA_CLASS, &other, sizeof(other)}};
	CK_ATTRIBUTE wrong_bool[] = {{CKA_TOKEN, &f, 1}};
	CK_ATTRIBUTE wrong_len[] = {{CKA_LABEL, "lab", 3}};
	CK_ATTRIBUTE missing[] = {{CKA_ID, "\x01", 1}};
	CK_ATTRIBUTE sensitive[] = {{CKA_PRIVATE_EXPONENT, NULL, 0}};

	ck_assert(attrs_match(&a, yes, 4));
	ck_assert(!attrs_match(&a, wrong_value, 1));
	ck_assert(!attrs_match(&a, wrong_bool, 1));
	ck_assert(!attrs_match(&a, wrong_len, 1));
	ck_assert(!attrs_match(&a, missing, 1));
	ck_assert(!attrs_match(&a, sensitive, 1));
}
END_TEST

START_TEST(test_many_attributes_grow)
{
	struct attrs b;
	CK_ULONG i, v;

	attrs_init(&b);
	for (i = 0; i < 100; i++)
		attrs_add_ulong(&b, CKA_VENDOR_DEFINED + i, i * 3);
	ck_assert(!b.failed);
	ck_assert_uint_eq(b.n, 100);
	for (i = 0; i < 100; i++) {
		ck_assert(get_ulong(&b, CKA_VENDOR_DEFINED + i, &v));
		ck_assert_uint_eq(v, i * 3);
	}
	attrs_free(&b);
	ck_assert_uint_eq(b.n, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("attrs");
	TCase *tc = tcase_create("attrs");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_length_query_and_copy);
	tcase_add_test(tc, test_walk_continues_after_every_error);
	tcase_add_test(tc, test_sensitive_length_query);
	tcase_add_test(tc, test_empty_template);
	tcase_add_test(tc, test_replace_keeps_last);
	tcase_add_test(tc, test_match);
	tcase_add_test(tc, test_many_attributes_grow);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
