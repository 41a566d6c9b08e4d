/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helper: an RSA-2048 CA and an end-entity certificate issued by it, made with OpenSSL. */
#ifndef JPKI_TEST_PKCS11_CERTS_H
#define JPKI_TEST_PKCS11_CERTS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

struct test_cert {
	EVP_PKEY *key;
	X509 *x509;
	uint8_t *der;
	size_t len;
};

/* Validity of both: 2024-01-02 to 2029-03-04. ee serial 0x0123456789. */
void test_certs_make(struct test_cert *ca, struct test_cert *ee);
void test_cert_free(struct test_cert *c);

#endif
