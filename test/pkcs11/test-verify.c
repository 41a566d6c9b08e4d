/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Software verification against signatures OpenSSL made with the matching private key. */
#include "config.h"

#include <check.h>
#include <string.h>

#include <openssl/rsa.h>

#include "pkcs11/verify.h"
#include "test/pkcs11/test-certs.h"

static struct test_cert ca, ee;
static uint8_t *spki;
static size_t spki_len;
static const char msg[] = "document to be signed";

static void setup(void)
{
	unsigned char *p = NULL;

	test_certs_make(&ca, &ee);
	spki_len = (size_t)i2d_PUBKEY(ee.key, &p);
	spki = p;
}

static void teardown(void)
{
	OPENSSL_free(spki);
	test_cert_free(&ca);
	test_cert_free(&ee);
}

/* An ordinary sha*WithRSAEncryption or RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) signature. */
static size_t sign(const EVP_MD *md, bool pss, const void *data, size_t len, uint8_t *sig)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	size_t sig_len = 256;

	ck_assert(EVP_DigestSignInit(ctx, &pctx, md, NULL, ee.key) == 1);
	if (pss) {
		EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
		EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256());
		EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);
	}
	ck_assert(EVP_DigestSign(ctx, sig, &sig_len, data, len) == 1);
	EVP_MD_CTX_free(ctx);
	return sig_len;
}

static CK_RV verify(CK_MECHANISM_TYPE type, const void *data, size_t len, const uint8_t *sig,
		    size_t sig_len)
{
	struct verify_op op;
	CK_RV rv;

	ck_assert_uint_eq(verify_init(&op, mechanism_find(type, true), spki, spki_len), CKR_OK);
	ck_assert(op.active);
	rv = op_input_update(&op.in, data, len);
	if (rv == CKR_OK)
		rv = verify_final(&op, sig, sig_len);
	verify_end(&op);
	ck_assert(!op.active);
	return rv;
}

START_TEST(test_hash_mechanisms)
{
	static const struct {
		CK_MECHANISM_TYPE mech;
		const char *md;
	} t[] = {{CKM_SHA1_RSA_PKCS, "SHA1"},
		 {CKM_SHA224_RSA_PKCS, "SHA224"},
		 {CKM_SHA256_RSA_PKCS, "SHA256"},
		 {CKM_SHA384_RSA_PKCS, "SHA384"},
		 {CKM_SHA512_RSA_PKCS, "SHA512"}};
	uint8_t sig[256];
	size_t n = sign(EVP_get_digestbyname(t[_i].md), false, msg, sizeof(msg), sig);

	ck_assert_uint_eq(verify(t[_i].mech, msg, sizeof(msg), sig, n), CKR_OK);
	ck_assert_uint_eq(verify(t[_i].mech, msg, sizeof(msg) - 1, sig, n), CKR_SIGNATURE_INVALID);
	sig[10] ^= 1;
	ck_assert_uint_eq(verify(t[_i].mech, msg, sizeof(msg), sig, n), CKR_SIGNATURE_INVALID);
	ck_assert_uint_eq(verify(t[_i].mech, msg, sizeof(msg), sig, n - 1),
			  CKR_SIGNATURE_LEN_RANGE);
}
END_TEST

START_TEST(test_raw_pkcs1_on_digest_info)
{
	static const uint8_t prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
					 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
	uint8_t sig[256], di[51];
	unsigned int ml;
	size_t n = sign(EVP_sha256(), false, msg, sizeof(msg), sig);

	memcpy(di, prefix, sizeof(prefix));
	EVP_Digest(msg, sizeof(msg), di + sizeof(prefix), &ml, EVP_sha256(), NULL);
	ck_assert_uint_eq(verify(CKM_RSA_PKCS, di, sizeof(di), sig, n), CKR_OK);
	di[50] ^= 1;
	ck_assert_uint_eq(verify(CKM_RSA_PKCS, di, sizeof(di), sig, n), CKR_SIGNATURE_INVALID);
	ck_assert_uint_eq(verify(CKM_RSA_PKCS, di, 0, sig, n), CKR_DATA_LEN_RANGE);
}
END_TEST

START_TEST(test_pss)
{
	uint8_t sig[256], hash[32];
	unsigned int ml;
	size_t n = sign(EVP_sha256(), true, msg, sizeof(msg), sig);

	ck_assert_uint_eq(verify(CKM_SHA256_RSA_PKCS_PSS, msg, sizeof(msg), sig, n), CKR_OK);
	EVP_Digest(msg, sizeof(msg), hash, &ml, EVP_sha256(), NULL);
	ck_assert_uint_eq(verify(CKM_RSA_PKCS_PSS, hash, sizeof(hash), sig, n), CKR_OK);
	ck_assert_uint_eq(verify(CKM_RSA_PKCS_PSS, hash, 31, sig, n), CKR_DATA_LEN_RANGE);
	/* A PKCS#1 v1.5 signature is not a PSS one. */
	n = sign(EVP_sha256(), false, msg, sizeof(msg), sig);
	ck_assert_uint_eq(verify(CKM_SHA256_RSA_PKCS_PSS, msg, sizeof(msg), sig, n),
			  CKR_SIGNATURE_INVALID);
}
END_TEST

START_TEST(test_bad_key)
{
	struct verify_op op;
	static const uint8_t junk[] = {0x30, 0x00};

	ck_assert_uint_eq(verify_init(&op, mechanism_find(CKM_RSA_PKCS, false), junk, 2),
			  CKR_KEY_HANDLE_INVALID);
	ck_assert(!op.active);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("verify");
	SRunner *sr;
	int failed;

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_hash_mechanisms, 0, 5);
	tcase_add_test(tc, test_raw_pkcs1_on_digest_info);
	tcase_add_test(tc, test_pss);
	tcase_add_test(tc, test_bad_key);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
