/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * DigestInfo building against OpenSSL's own DER encoder (X509_SIG), and the operation input:
 * host hashing, single- vs multi-part, raw input bounds.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "pkcs11/digest_info.h"
#include "pkcs11/op_input.h"

static const struct {
	enum digest_kind kind;
	int nid;
	CK_MECHANISM_TYPE mech;
} hashes[] = {
    {DIGEST_SHA1, NID_sha1, CKM_SHA1_RSA_PKCS},
    {DIGEST_SHA224, NID_sha224, CKM_SHA224_RSA_PKCS},
    {DIGEST_SHA256, NID_sha256, CKM_SHA256_RSA_PKCS},
    {DIGEST_SHA384, NID_sha384, CKM_SHA384_RSA_PKCS},
    {DIGEST_SHA512, NID_sha512, CKM_SHA512_RSA_PKCS},
};

/* DigestInfo as OpenSSL encodes it (AlgorithmIdentifier with NULL parameters). */
static int openssl_digest_info(int nid, const uint8_t *hash, size_t len, uint8_t **out)
{
	X509_SIG *sig = X509_SIG_new();
	X509_ALGOR *alg;
	ASN1_OCTET_STRING *digest;
	int n;

	X509_SIG_getm(sig, &alg, &digest);
	X509_ALGOR_set0(alg, OBJ_nid2obj(nid), V_ASN1_NULL, NULL);
	ASN1_OCTET_STRING_set(digest, hash, (int)len);
	*out = NULL;
	n = i2d_X509_SIG(sig, out);
	X509_SIG_free(sig);
	return n;
}

START_TEST(test_prefixes_match_openssl)
{
	uint8_t hash[DIGEST_MAX_LEN], out[DIGEST_INFO_MAX_LEN], *ref;
	size_t len = 0, hl = digest_len(hashes[_i].kind);
	int n;

	memset(hash, 0xA5, sizeof(hash));
	ck_assert_uint_eq(hl, (size_t)EVP_MD_get_size(digest_md(hashes[_i].kind)));
	ck_assert(digest_info_build(hashes[_i].kind, hash, hl, out, &len));
	n = openssl_digest_info(hashes[_i].nid, hash, hl, &ref);
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(len, (size_t)n);
	ck_assert_mem_eq(out, ref, len);
	OPENSSL_free(ref);
	ck_assert(!digest_info_build(hashes[_i].kind, hash, hl - 1, out, &len));
}
END_TEST

START_TEST(test_none_has_no_digest_info)
{
	uint8_t out[DIGEST_INFO_MAX_LEN], h[32] = {0};
	size_t len;

	ck_assert_ptr_null(digest_md(DIGEST_NONE));
	ck_assert(!digest_info_build(DIGEST_NONE, h, 0, out, &len));
}
END_TEST

/* The hash mechanisms: multi-part equals single-part equals prefix || SHA-x(message). */
START_TEST(test_hash_input_single_and_multi)
{
	static const char msg[] = "the quick brown fox jumps over the lazy dog";
	const struct mechanism *m = mechanism_find(hashes[_i].mech, false);
	struct op_input a, b;
	uint8_t out_a[OP_INPUT_MAX], out_b[OP_INPUT_MAX], md[EVP_MAX_MD_SIZE], *ref;
	size_t la = 0, lb = 0;
	unsigned int ml = 0;
	int n;

	ck_assert_uint_eq(op_input_init(&a, m), CKR_OK);
	ck_assert_uint_eq(op_input_update(&a, (const uint8_t *)msg, sizeof(msg) - 1), CKR_OK);
	ck_assert_uint_eq(op_input_final(&a, out_a, &la), CKR_OK);
	ck_assert_uint_eq(op_input_init(&b, m), CKR_OK);
	ck_assert_uint_eq(op_input_update(&b, (const uint8_t *)msg, 10), CKR_OK);
	ck_assert_uint_eq(op_input_update(&b, NULL, 0), CKR_OK);
	ck_assert_uint_eq(op_input_update(&b, (const uint8_t *)msg + 10, sizeof(msg) - 11), CKR_OK);
	ck_assert_uint_eq(op_input_final(&b, out_b, &lb), CKR_OK);
	ck_assert_uint_eq(la, lb);
	ck_assert_mem_eq(out_a, out_b, la);
	EVP_Digest(msg, sizeof(msg) - 1, md, &ml, digest_md(hashes[_i].kind), NULL);
	n = openssl_digest_info(hashes[_i].nid, md, ml, &ref);
	ck_assert_uint_eq(la, (size_t)n);
	ck_assert_mem_eq(out_a, ref, la);
	OPENSSL_free(ref);
	op_input_free(&a);
	op_input_free(&b);
}
END_TEST

START_TEST(test_pss_hash_input)
{
	struct op_input in;
	uint8_t out[OP_INPUT_MAX], md[32];
	size_t len = 0;
	unsigned int ml = 0;

	ck_assert_uint_eq(op_input_init(&in, mechanism_find(CKM_SHA256_RSA_PKCS_PSS, true)),
			  CKR_OK);
	ck_assert_uint_eq(op_input_update(&in, (const uint8_t *)"abc", 3), CKR_OK);
	ck_assert_uint_eq(op_input_final(&in, out, &len), CKR_OK);
	EVP_Digest("abc", 3, md, &ml, EVP_sha256(), NULL);
	ck_assert_uint_eq(len, 32);
	ck_assert_mem_eq(out, md, 32); /* the bare hash: the card does the PSS encoding */
	op_input_free(&in);
}
END_TEST

START_TEST(test_raw_bounds)
{
	const struct mechanism *pkcs = mechanism_find(CKM_RSA_PKCS, true);
	const struct mechanism *pss = mechanism_find(CKM_RSA_PKCS_PSS, true);
	uint8_t data[300] = {0}, out[OP_INPUT_MAX];
	struct op_input in;
	size_t len;

	/* Empty input: the card takes 1-245 bytes. */
	ck_assert_uint_eq(op_input_init(&in, pkcs), CKR_OK);
	ck_assert_uint_eq(op_input_final(&in, out, &len), CKR_DATA_LEN_RANGE);
	op_input_free(&in);
	/* 245 in two parts is fine, one more byte is not. */
	ck_assert_uint_eq(op_input_init(&in, pkcs), CKR_OK);
	ck_assert_uint_eq(op_input_update(&in, data, 200), CKR_OK);
	ck_assert_uint_eq(op_input_update(&in, data, 45), CKR_OK);
	ck_assert_uint_eq(op_input_update(&in, data, 1), CKR_DATA_LEN_RANGE);
	ck_assert_uint_eq(op_input_final(&in, out, &len), CKR_OK);
	ck_assert_uint_eq(len, 245);
	op_input_free(&in);
	ck_assert_uint_eq(op_input_init(&in, pkcs), CKR_OK);
	ck_assert_uint_eq(op_input_update(&in, data, 300), CKR_DATA_LEN_RANGE);
	op_input_free(&in);
	/* PSS on a hash: exactly 32 bytes. */
	ck_assert_uint_eq(op_input_init(&in, pss), CKR_OK);
	ck_assert_uint_eq(op_input_update(&in, data, 31), CKR_OK);
	ck_assert_uint_eq(op_input_final(&in, out, &len), CKR_DATA_LEN_RANGE);
	op_input_free(&in);
	ck_assert_uint_eq(op_input_init(&in, pss), CKR_OK);
	ck_assert_uint_eq(op_input_update(&in, data, 33), CKR_DATA_LEN_RANGE);
	op_input_free(&in);
	ck_assert_uint_eq(op_input_init(&in, pss), CKR_OK);
	ck_assert_uint_eq(op_input_update(&in, data, 32), CKR_OK);
	ck_assert_uint_eq(op_input_final(&in, out, &len), CKR_OK);
	ck_assert_uint_eq(len, 32);
	op_input_free(&in);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("digest_info");
	TCase *tc = tcase_create("digest_info");
	SRunner *sr;
	int failed, n = (int)(sizeof(hashes) / sizeof(hashes[0]));

	tcase_add_loop_test(tc, test_prefixes_match_openssl, 0, n);
	tcase_add_test(tc, test_none_has_no_digest_info);
	tcase_add_loop_test(tc, test_hash_input_single_and_multi, 0, n);
	tcase_add_test(tc, test_pss_hash_input);
	tcase_add_test(tc, test_raw_bounds);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
