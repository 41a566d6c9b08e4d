/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mechanism table and the validation of a caller's CK_MECHANISM. */
#include "config.h"

#include <check.h>

#include "pkcs11/mechanism.h"

START_TEST(test_list_without_pss)
{
	CK_MECHANISM_TYPE t[MECHANISM_MAX];
	size_t n = mechanism_types(false, t);

	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(t[0], CKM_RSA_PKCS);
	ck_assert_uint_eq(t[1], CKM_SHA1_RSA_PKCS);
	ck_assert_uint_eq(t[2], CKM_SHA224_RSA_PKCS);
	ck_assert_uint_eq(t[3], CKM_SHA256_RSA_PKCS);
	ck_assert_uint_eq(t[4], CKM_SHA384_RSA_PKCS);
	ck_assert_uint_eq(t[5], CKM_SHA512_RSA_PKCS);
	ck_assert_ptr_null(mechanism_find(CKM_RSA_PKCS_PSS, false));
	ck_assert_ptr_null(mechanism_find(CKM_SHA256_RSA_PKCS_PSS, false));
	ck_assert_ptr_null(mechanism_find(CKM_RSA_X_509, true));
	ck_assert_ptr_null(mechanism_find(CKM_SHA1_RSA_PKCS_PSS, true));
}
END_TEST

START_TEST(test_list_with_pss)
{
	CK_MECHANISM_TYPE t[MECHANISM_MAX];
	size_t n = mechanism_types(true, t);
	const struct mechanism *m;

	ck_assert_uint_eq(n, 8);
	ck_assert_uint_eq(t[6], CKM_RSA_PKCS_PSS);
	ck_assert_uint_eq(t[7], CKM_SHA256_RSA_PKCS_PSS);
	m = mechanism_find(CKM_SHA256_RSA_PKCS_PSS, true);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->scheme, JPKI_SCHEME_PSS_SHA256);
	ck_assert_int_eq(m->digest, DIGEST_SHA256);
	m = mechanism_find(CKM_RSA_PKCS_PSS, true);
	ck_assert_uint_eq(m->raw_min, 32);
	ck_assert_uint_eq(m->raw_max, 32);
	m = mechanism_find(CKM_RSA_PKCS, true);
	ck_assert_int_eq(m->scheme, JPKI_SCHEME_PKCS1);
	ck_assert_uint_eq(m->raw_min, 1);
	ck_assert_uint_eq(m->raw_max, 245);
}
END_TEST

START_TEST(test_info)
{
	CK_MECHANISM_INFO info;

	mechanism_info(mechanism_find(CKM_SHA384_RSA_PKCS, false), &info);
	ck_assert_uint_eq(info.ulMinKeySize, 2048);
	ck_assert_uint_eq(info.ulMaxKeySize, 2048);
	ck_assert_uint_eq(info.flags, CKF_HW | CKF_SIGN | CKF_VERIFY);
	ck_assert(!(info.flags & (CKF_DECRYPT | CKF_ENCRYPT | CKF_SIGN_RECOVER)));
}
END_TEST

static CK_RV check(CK_MECHANISM_TYPE type, void *param, CK_ULONG len, bool pss)
{
	CK_MECHANISM mech = {type, param, len};
	const struct mechanism *m = NULL;
	CK_RV rv = mechanism_check(&mech, pss, &m);

	ck_assert(rv != CKR_OK || (m != NULL && m->type == type));
	return rv;
}

START_TEST(test_pkcs1_params)
{
	CK_BYTE junk[4] = {0};

	ck_assert_uint_eq(check(CKM_RSA_PKCS, NULL, 0, false), CKR_OK);
	ck_assert_uint_eq(check(CKM_SHA256_RSA_PKCS, NULL, 0, false), CKR_OK);
	ck_assert_uint_eq(check(CKM_SHA256_RSA_PKCS, junk, sizeof(junk), false),
			  CKR_MECHANISM_PARAM_INVALID);
	ck_assert_uint_eq(check(CKM_MD5_RSA_PKCS, NULL, 0, true), CKR_MECHANISM_INVALID);
	ck_assert_uint_eq(check(CKM_RSA_PKCS_OAEP, NULL, 0, true), CKR_MECHANISM_INVALID);
}
END_TEST

START_TEST(test_pss_params)
{
	CK_RSA_PKCS_PSS_PARAMS ok = {CKM_SHA256, CKG_MGF1_SHA256, 32};
	CK_RSA_PKCS_PSS_PARAMS p;

	ck_assert_uint_eq(check(CKM_RSA_PKCS_PSS, &ok, sizeof(ok), true), CKR_OK);
	ck_assert_uint_eq(check(CKM_SHA256_RSA_PKCS_PSS, &ok, sizeof(ok), true), CKR_OK);
	/* Not advertised unless configured. */
	ck_assert_uint_eq(check(CKM_RSA_PKCS_PSS, &ok, sizeof(ok), false), CKR_MECHANISM_INVALID);
	ck_assert_uint_eq(check(CKM_RSA_PKCS_PSS, NULL, 0, true), CKR_MECHANISM_PARAM_INVALID);
	ck_assert_uint_eq(check(CKM_RSA_PKCS_PSS, &ok, sizeof(ok) - 1, true),
			  CKR_MECHANISM_PARAM_INVALID);
	p = ok;
	p.hashAlg = CKM_SHA_1;
	ck_assert_uint_eq(check(CKM_RSA_PKCS_PSS, &p, sizeof(p), true),
			  CKR_MECHANISM_PARAM_INVALID);
	p = ok;
	p.mgf = CKG_MGF1_SHA1;
	ck_assert_uint_eq(check(CKM_SHA256_RSA_PKCS_PSS, &p, sizeof(p), true),
			  CKR_MECHANISM_PARAM_INVALID);
	p = ok;
	p.sLen = 20;
	ck_assert_uint_eq(check(CKM_RSA_PKCS_PSS, &p, sizeof(p), true),
			  CKR_MECHANISM_PARAM_INVALID);
	p.sLen = 0;
	ck_assert_uint_eq(check(CKM_SHA256_RSA_PKCS_PSS, &p, sizeof(p), true),
			  CKR_MECHANISM_PARAM_INVALID);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mechanism");
	TCase *tc = tcase_create("mechanism");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_list_without_pss);
	tcase_add_test(tc, test_list_with_pss);
	tcase_add_test(tc, test_info);
	tcase_add_test(tc, test_pkcs1_params);
	tcase_add_test(tc, test_pss_params);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
