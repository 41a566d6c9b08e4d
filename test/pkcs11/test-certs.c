/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <check.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/rsa.h>

#include "test/pkcs11/test-certs.h"

static X509 *make(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
		  const char *serial_hex)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	BIGNUM *bn = NULL;

	ck_assert_ptr_nonnull(x);
	X509_set_version(x, 2);
	ck_assert(BN_hex2bn(&bn, serial_hex));
	BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
	BN_free(bn);
	X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"JP", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"JPKI-TEST", -1,
				   -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) : name);
	X509_NAME_free(name);
	ck_assert(ASN1_TIME_set_string(X509_getm_notBefore(x), "20240102030405Z"));
	ck_assert(ASN1_TIME_set_string(X509_getm_notAfter(x), "20290304050607Z"));
	X509_set_pubkey(x, key);
	ck_assert(X509_sign(x, issuer_key != NULL ? issuer_key : key, EVP_sha256()) > 0);
	return x;
}

static void fill(struct test_cert *c)
{
	unsigned char *p = NULL;
	int n = i2d_X509(c->x509, &p);

	ck_assert_int_gt(n, 0);
	c->der = p;
	c->len = (size_t)n;
}

void test_certs_make(struct test_cert *ca, struct test_cert *ee)
{
	memset(ca, 0, sizeof(*ca));
	memset(ee, 0, sizeof(*ee));
	ca->key = EVP_RSA_gen(2048);
	ee->key = EVP_RSA_gen(2048);
	ck_assert_ptr_nonnull(ca->key);
	ck_assert_ptr_nonnull(ee->key);
	ca->x509 = make(ca->key, "Test CA", NULL, NULL, "01");
	ee->x509 = make(ee->key, "Test holder", ca->x509, ca->key, "0123456789");
	fill(ca);
	fill(ee);
}

void test_cert_free(struct test_cert *c)
{
	EVP_PKEY_free(c->key);
	X509_free(c->x509);
	OPENSSL_free(c->der);
	memset(c, 0, sizeof(*c));
}
