/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Objects derived from a certificate: every v2.40 attribute of an X.509 certificate, an RSA
 * public key and an RSA private key, compared with what OpenSSL says about the certificate;
 * and the PKCS#11 3.0 profile object, which has exactly the storage attributes and its ID.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>

#include "pkcs11/object.h"
#include "test/pkcs11/test-certs.h"

static struct test_cert ca, ee;
static const uint8_t id1[] = {0x01};
static const CK_MECHANISM_TYPE mechs[] = {CKM_RSA_PKCS, CKM_SHA256_RSA_PKCS};

static void make_certs(void)
{
	test_certs_make(&ca, &ee);
}

static void free_certs(void)
{
	test_cert_free(&ca);
	test_cert_free(&ee);
}

static struct object_params params(const char *label, bool private)
{
	struct object_params p = {label, id1, sizeof(id1), private, true, mechs, 2};

	return p;
}

/* The bytes of an attribute (must be present and not sensitive). */
static const struct attr *get(const struct object *o, CK_ATTRIBUTE_TYPE type)
{
	const struct attr *a = attrs_find(&o->attrs, type);

	ck_assert_msg(a != NULL, "attribute 0x%lx missing", type);
	ck_assert(!a->sensitive);
	return a;
}

static void assert_bytes(const struct object *o, CK_ATTRIBUTE_TYPE type, const void *v, size_t len)
{
	const struct attr *a = get(o, type);

	ck_assert_uint_eq(a->len, len);
	if (len > 0)
		ck_assert_mem_eq(a->value, v, len);
}

static void assert_bool(const struct object *o, CK_ATTRIBUTE_TYPE type, bool want)
{
	bool v = !want;

	ck_assert_msg(attrs_get_bool(&o->attrs, type, &v), "attribute 0x%lx not a bool", type);
	ck_assert_msg(v == want, "attribute 0x%lx is %d", type, v);
}

static void assert_ulong(const struct object *o, CK_ATTRIBUTE_TYPE type, CK_ULONG want)
{
	const struct attr *a = get(o, type);
	CK_ULONG v;

	ck_assert_uint_eq(a->len, sizeof(v));
	memcpy(&v, a->value, sizeof(v));
	ck_assert_uint_eq(v, want);
}

/* Every attribute the class must have answers C_GetAttributeValue with CKR_OK. */
static void assert_complete(const struct object *o, const CK_ATTRIBUTE_TYPE *types, size_t n)
{
	CK_ATTRIBUTE t[64];
	size_t i;

	ck_assert_uint_le(n, 64);
	for (i = 0; i < n; i++) {
		t[i].type = types[i];
		t[i].pValue = NULL;
		t[i].ulValueLen = 0;
	}
	ck_assert_uint_eq(attrs_get(&o->attrs, t, (CK_ULONG)n), CKR_OK);
}

static const CK_ATTRIBUTE_TYPE storage[] = {CKA_CLASS, CKA_TOKEN,    CKA_PRIVATE,    CKA_MODIFIABLE,
					    CKA_LABEL, CKA_COPYABLE, CKA_DESTROYABLE};
static const CK_ATTRIBUTE_TYPE cert_attrs[] = {
    CKA_CERTIFICATE_TYPE,
    CKA_TRUSTED,
    CKA_CERTIFICATE_CATEGORY,
    CKA_CHECK_VALUE,
    CKA_START_DATE,
    CKA_END_DATE,
    CKA_PUBLIC_KEY_INFO,
    CKA_SUBJECT,
    CKA_ID,
    CKA_ISSUER,
    CKA_SERIAL_NUMBER,
    CKA_VALUE,
    CKA_URL,
    CKA_HASH_OF_SUBJECT_PUBLIC_KEY,
    CKA_HASH_OF_ISSUER_PUBLIC_KEY,
    CKA_JAVA_MIDP_SECURITY_DOMAIN,
    CKA_NAME_HASH_ALGORITHM,
};
static const CK_ATTRIBUTE_TYPE key_attrs[] = {
    CKA_KEY_TYPE,     CKA_ID,	   CKA_START_DATE,	  CKA_END_DATE,
    CKA_DERIVE,	      CKA_LOCAL,   CKA_KEY_GEN_MECHANISM, CKA_ALLOWED_MECHANISMS,
    CKA_SUBJECT,      CKA_MODULUS, CKA_PUBLIC_EXPONENT,	  CKA_PUBLIC_KEY_INFO,
    CKA_MODULUS_BITS,
};
static const CK_ATTRIBUTE_TYPE pub_attrs[] = {CKA_ENCRYPT, CKA_VERIFY,	CKA_VERIFY_RECOVER,
					      CKA_WRAP,	   CKA_TRUSTED, CKA_WRAP_TEMPLATE};
static const CK_ATTRIBUTE_TYPE priv_attrs[] = {
    CKA_SENSITIVE,
    CKA_DECRYPT,
    CKA_SIGN,
    CKA_SIGN_RECOVER,
    CKA_UNWRAP,
    CKA_EXTRACTABLE,
    CKA_ALWAYS_SENSITIVE,
    CKA_NEVER_EXTRACTABLE,
    CKA_WRAP_WITH_TRUSTED,
    CKA_UNWRAP_TEMPLATE,
    CKA_ALWAYS_AUTHENTICATE,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_i2d_name(const struct object *o, CK_ATTRIBUTE_TYPE type, const X509_NAME *n)
{
	unsigned char *buf = NULL;
	int len = i2d_X509_NAME(n, &buf);

	assert_bytes(o, type, buf, (size_t)len);
	OPENSSL_free(buf);
}

START_TEST(test_certificate)
{
	struct object_params p = params("JPKI signature certificate", true);
	struct object o;
	unsigned char md[EVP_MAX_MD_SIZE], *buf = NULL;
	unsigned int mdlen = 0;
	CK_DATE start, end;
	int len;

	ck_assert_uint_eq(
	    object_certificate(&o, ee.der, ee.len, ca.der, ca.len, OBJECT_CATEGORY_TOKEN_USER, &p),
	    CKR_OK);
	ck_assert(o.present);
	ck_assert(o.private);
	ck_assert_uint_eq(o.cls, CKO_CERTIFICATE);
	assert_complete(&o, storage, N(storage));
	assert_complete(&o, cert_attrs, N(cert_attrs));
	assert_ulong(&o, CKA_CLASS, CKO_CERTIFICATE);
	assert_bool(&o, CKA_TOKEN, true);
	assert_bool(&o, CKA_PRIVATE, true);
	assert_bool(&o, CKA_MODIFIABLE, false);
	assert_bool(&o, CKA_COPYABLE, false);
	assert_bool(&o, CKA_DESTROYABLE, false);
	assert_bool(&o, CKA_TRUSTED, false);
	assert_bytes(&o, CKA_LABEL, p.label, strlen(p.label));
	assert_bytes(&o, CKA_ID, id1, 1);
	assert_ulong(&o, CKA_CERTIFICATE_TYPE, CKC_X_509);
	assert_ulong(&o, CKA_CERTIFICATE_CATEGORY, OBJECT_CATEGORY_TOKEN_USER);
	assert_ulong(&o, CKA_JAVA_MIDP_SECURITY_DOMAIN, 0);
	assert_ulong(&o, CKA_NAME_HASH_ALGORITHM, CKM_SHA_1);
	assert_bytes(&o, CKA_VALUE, ee.der, ee.len);
	assert_bytes(&o, CKA_URL, NULL, 0);
	EVP_Digest(ee.der, ee.len, md, &mdlen, EVP_sha1(), NULL);
	assert_bytes(&o, CKA_CHECK_VALUE, md, 3);
	memcpy(start.year, "2024", 4);
	memcpy(start.month, "01", 2);
	memcpy(start.day, "02", 2);
	memcpy(end.year, "2029", 4);
	memcpy(end.month, "03", 2);
	memcpy(end.day, "04", 2);
	assert_bytes(&o, CKA_START_DATE, &start, sizeof(start));
	assert_bytes(&o, CKA_END_DATE, &end, sizeof(end));
	assert_i2d_name(&o, CKA_SUBJECT, X509_get_subject_name(ee.x509));
	assert_i2d_name(&o, CKA_ISSUER, X509_get_subject_name(ca.x509));
	len = i2d_ASN1_INTEGER(X509_get0_serialNumber(ee.x509), &buf);
	assert_bytes(&o, CKA_SERIAL_NUMBER, buf, (size_t)len);
	ck_assert_uint_eq(buf[0], 0x02); /* the DER INTEGER, tag included */
	OPENSSL_free(buf);
	buf = NULL;
	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(ee.x509), &buf);
	assert_bytes(&o, CKA_PUBLIC_KEY_INFO, buf, (size_t)len);
	OPENSSL_free(buf);
	X509_pubkey_digest(ee.x509, EVP_sha1(), md, &mdlen);
	assert_bytes(&o, CKA_HASH_OF_SUBJECT_PUBLIC_KEY, md, mdlen);
	X509_pubkey_digest(ca.x509, EVP_sha1(), md, &mdlen);
	assert_bytes(&o, CKA_HASH_OF_ISSUER_PUBLIC_KEY, md, mdlen);
	object_free(&o);
	ck_assert(!o.present);
}
END_TEST

START_TEST(test_ca_certificate_and_filler)
{
	struct object_params p = params("JPKI signature CA certificate", false);
	uint8_t *padded = malloc(ca.len + 100);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	struct object o;

	/* The card's EF is longer than the certificate: the filler is not part of CKA_VALUE. */
	memcpy(padded, ca.der, ca.len);
	memset(padded + ca.len, 0xFF, 100);
	ck_assert_uint_eq(object_certificate(&o, padded, ca.len + 100, padded, ca.len + 100,
					     OBJECT_CATEGORY_AUTHORITY, &p),
			  CKR_OK);
	assert_bytes(&o, CKA_VALUE, ca.der, ca.len);
	assert_ulong(&o, CKA_CERTIFICATE_CATEGORY, OBJECT_CATEGORY_AUTHORITY);
	assert_bool(&o, CKA_PRIVATE, false);
	assert_bool(&o, CKA_TRUSTED, false);
	/* Self-signed: the issuer's key is its own. */
	X509_pubkey_digest(ca.x509, EVP_sha1(), md, &mdlen);
	assert_bytes(&o, CKA_HASH_OF_ISSUER_PUBLIC_KEY, md, mdlen);
	object_free(&o);
	free(padded);
}
END_TEST

START_TEST(test_unknown_issuer)
{
	struct object_params p = params("x", false);
	struct object o;

	/* No issuer, or one that did not issue it: the hash is left empty (allowed). */
	ck_assert_uint_eq(
	    object_certificate(&o, ee.der, ee.len, NULL, 0, OBJECT_CATEGORY_TOKEN_USER, &p),
	    CKR_OK);
	assert_bytes(&o, CKA_HASH_OF_ISSUER_PUBLIC_KEY, NULL, 0);
	object_free(&o);
	ck_assert_uint_eq(
	    object_certificate(&o, ee.der, ee.len, ee.der, ee.len, OBJECT_CATEGORY_TOKEN_USER, &p),
	    CKR_OK);
	assert_bytes(&o, CKA_HASH_OF_ISSUER_PUBLIC_KEY, NULL, 0);
	object_free(&o);
}
END_TEST

START_TEST(test_not_a_certificate)
{
	static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
	struct object_params p = params("x", false);
	struct object o;

	ck_assert_uint_eq(object_certificate(&o, junk, sizeof(junk), NULL, 0, 1, &p),
			  CKR_DEVICE_ERROR);
	ck_assert_uint_eq(object_public_key(&o, junk, sizeof(junk), &p), CKR_DEVICE_ERROR);
	ck_assert_uint_eq(object_private_key(&o, junk, sizeof(junk), &p), CKR_DEVICE_ERROR);
	ck_assert_uint_eq(object_private_key(&o, ee.der, 10, &p), CKR_DEVICE_ERROR);
}
END_TEST

static void assert_bn(const struct object *o, CK_ATTRIBUTE_TYPE type, const char *param)
{
	BIGNUM *bn = NULL;
	unsigned char buf[512];
	int n;

	ck_assert(EVP_PKEY_get_bn_param(ee.key, param, &bn));
	n = BN_bn2bin(bn, buf);
	assert_bytes(o, type, buf, (size_t)n);
	BN_free(bn);
}

static void assert_key_common(const struct object *o)
{
	static const uint8_t e65537[] = {0x01, 0x00, 0x01};
	const struct attr *spki;
	const unsigned char *p;
	EVP_PKEY *k;

	assert_complete(o, storage, N(storage));
	assert_complete(o, key_attrs, N(key_attrs));
	assert_ulong(o, CKA_KEY_TYPE, CKK_RSA);
	assert_bytes(o, CKA_ID, id1, 1);
	assert_bytes(o, CKA_START_DATE, NULL, 0);
	assert_bytes(o, CKA_END_DATE, NULL, 0);
	assert_bool(o, CKA_DERIVE, false);
	assert_bool(o, CKA_LOCAL, false);
	assert_ulong(o, CKA_KEY_GEN_MECHANISM, CK_UNAVAILABLE_INFORMATION);
	assert_bytes(o, CKA_ALLOWED_MECHANISMS, mechs, sizeof(mechs));
	assert_i2d_name(o, CKA_SUBJECT, X509_get_subject_name(ee.x509));
	assert_bn(o, CKA_MODULUS, OSSL_PKEY_PARAM_RSA_N);
	assert_bytes(o, CKA_PUBLIC_EXPONENT, e65537, 3);
	assert_ulong(o, CKA_MODULUS_BITS, 2048);
	assert_bool(o, CKA_TOKEN, true);
	assert_bool(o, CKA_MODIFIABLE, false);
	assert_bool(o, CKA_COPYABLE, false);
	assert_bool(o, CKA_DESTROYABLE, false);
	spki = get(o, CKA_PUBLIC_KEY_INFO);
	p = spki->value;
	k = d2i_PUBKEY(NULL, &p, (long)spki->len);
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(EVP_PKEY_eq(k, ee.key), 1);
	EVP_PKEY_free(k);
}

START_TEST(test_public_key)
{
	struct object_params p = params("JPKI authentication key", false);
	struct object o;

	ck_assert_uint_eq(object_public_key(&o, ee.der, ee.len, &p), CKR_OK);
	ck_assert_uint_eq(o.cls, CKO_PUBLIC_KEY);
	ck_assert(!o.private);
	assert_key_common(&o);
	assert_complete(&o, pub_attrs, N(pub_attrs));
	assert_ulong(&o, CKA_CLASS, CKO_PUBLIC_KEY);
	assert_bool(&o, CKA_PRIVATE, false);
	assert_bool(&o, CKA_VERIFY, true);
	assert_bool(&o, CKA_ENCRYPT, false);
	assert_bool(&o, CKA_VERIFY_RECOVER, false);
	assert_bool(&o, CKA_WRAP, false);
	assert_bool(&o, CKA_TRUSTED, false);
	assert_bytes(&o, CKA_WRAP_TEMPLATE, NULL, 0);
	ck_assert_ptr_null(attrs_find(&o.attrs, CKA_SIGN));
	object_free(&o);
}
END_TEST

START_TEST(test_private_key)
{
	static const CK_ATTRIBUTE_TYPE secret[] = {CKA_PRIVATE_EXPONENT, CKA_PRIME_1,
						   CKA_PRIME_2,		 CKA_EXPONENT_1,
						   CKA_EXPONENT_2,	 CKA_COEFFICIENT};
	struct object_params p = params("JPKI signature key", true);
	CK_BYTE buf[512];
	CK_ATTRIBUTE t[2] = {{CKA_PRIVATE_EXPONENT, buf, sizeof(buf)}, {CKA_VALUE, NULL, 0}};
	struct object o;
	size_t i;

	ck_assert_uint_eq(object_private_key(&o, ee.der, ee.len, &p), CKR_OK);
	ck_assert_uint_eq(o.cls, CKO_PRIVATE_KEY);
	ck_assert(o.private);
	assert_key_common(&o);
	assert_complete(&o, priv_attrs, N(priv_attrs));
	assert_bool(&o, CKA_PRIVATE, true);
	assert_bool(&o, CKA_SIGN, true);
	assert_bool(&o, CKA_SENSITIVE, true);
	assert_bool(&o, CKA_DECRYPT, false);
	assert_bool(&o, CKA_SIGN_RECOVER, false);
	assert_bool(&o, CKA_UNWRAP, false);
	assert_bool(&o, CKA_EXTRACTABLE, false);
	assert_bool(&o, CKA_ALWAYS_SENSITIVE, true);
	assert_bool(&o, CKA_NEVER_EXTRACTABLE, true);
	assert_bool(&o, CKA_WRAP_WITH_TRUSTED, false);
	assert_bool(&o, CKA_ALWAYS_AUTHENTICATE, true);
	assert_bytes(&o, CKA_UNWRAP_TEMPLATE, NULL, 0);
	for (i = 0; i < N(secret); i++)
		ck_assert(attrs_find(&o.attrs, secret[i])->sensitive);
	ck_assert_uint_eq(attrs_get(&o.attrs, t, 2), CKR_ATTRIBUTE_SENSITIVE);
	ck_assert_uint_eq(t[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
	ck_assert_uint_eq(t[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
	object_free(&o);

	p.always_authenticate = false;
	ck_assert_uint_eq(object_private_key(&o, ee.der, ee.len, &p), CKR_OK);
	assert_bool(&o, CKA_ALWAYS_AUTHENTICATE, false);
	object_free(&o);
}
END_TEST

START_TEST(test_profile)
{
	struct object_params p = params("JPKI signature token profile", true);
	CK_ATTRIBUTE t[N(storage) + 1];
	CK_ULONG profile = 0;
	struct object o;
	size_t i;

	p.private = false;
	ck_assert_uint_eq(object_profile(&o, CKP_PUBLIC_CERTIFICATES_TOKEN, &p), CKR_OK);
	ck_assert(o.present && !o.private);
	ck_assert_uint_eq(o.cls, CKO_PROFILE);
	assert_complete(&o, storage, N(storage));
	assert_ulong(&o, CKA_CLASS, CKO_PROFILE);
	assert_ulong(&o, CKA_PROFILE_ID, CKP_PUBLIC_CERTIFICATES_TOKEN);
	assert_bool(&o, CKA_TOKEN, true);
	assert_bool(&o, CKA_PRIVATE, false);
	assert_bool(&o, CKA_MODIFIABLE, false);
	assert_bool(&o, CKA_COPYABLE, false);
	assert_bool(&o, CKA_DESTROYABLE, false);
	assert_bytes(&o, CKA_LABEL, "JPKI signature token profile", 28);
	/* Nothing else: no CKA_ID (p has one), no key or certificate attribute. */
	ck_assert_uint_eq(o.attrs.n, N(storage) + 1);
	ck_assert_ptr_null(attrs_find(&o.attrs, CKA_ID));
	for (i = 0; i < N(storage); i++)
		t[i] = (CK_ATTRIBUTE){storage[i], NULL, 0};
	t[i] = (CK_ATTRIBUTE){CKA_PROFILE_ID, &profile, sizeof(profile)};
	ck_assert_uint_eq(attrs_get(&o.attrs, t, N(t)), CKR_OK);
	ck_assert_uint_eq(profile, CKP_PUBLIC_CERTIFICATES_TOKEN);
	t[0] = (CK_ATTRIBUTE){CKA_VALUE, NULL, 0};
	ck_assert_uint_eq(attrs_get(&o.attrs, t, 1), CKR_ATTRIBUTE_TYPE_INVALID);
	object_free(&o);
	ck_assert(!o.present);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("object");
	TCase *tc = tcase_create("object");
	SRunner *sr;
	int failed;

	tcase_add_unchecked_fixture(tc, make_certs, free_certs);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_certificate);
	tcase_add_test(tc, test_ca_certificate_and_filler);
	tcase_add_test(tc, test_unknown_issuer);
	tcase_add_test(tc, test_not_a_certificate);
	tcase_add_test(tc, test_public_key);
	tcase_add_test(tc, test_private_key);
	tcase_add_test(tc, test_profile);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
