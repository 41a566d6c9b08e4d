/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Attribute sets per v2.40 §4: common storage attributes, then the class attributes
 * (certificate: §4.6 + X.509 §4.6.3; keys: §4.7, public §4.8, private §4.9, RSA §2.1.2/2.1.3;
 * profile: PKCS#11 3.0 §4.13).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pkcs11/object.h"

static X509 *parse(const uint8_t *der, size_t len, size_t *used)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);

	if (x != NULL && used != NULL)
		*used = (size_t)(p - der);
	return x;
}

/* i2d of an OpenSSL object into an attribute. */
#define ADD_I2D(a, type, fn, obj)                                                                  \
	do {                                                                                       \
		unsigned char *buf_ = NULL;                                                        \
		int len_ = fn((obj), &buf_);                                                       \
		if (len_ < 0)                                                                      \
			(a)->failed = true;                                                        \
		else                                                                               \
			attrs_add((a), (type), buf_, (CK_ULONG)len_);                              \
		OPENSSL_free(buf_);                                                                \
	} while (0)

static void add_storage(struct object *o, CK_OBJECT_CLASS cls, const struct object_params *p)
{
	o->present = true;
	o->cls = cls;
	o->private = p->private;
	attrs_add_ulong(&o->attrs, CKA_CLASS, cls);
	attrs_add_bool(&o->attrs, CKA_TOKEN, true);
	attrs_add_bool(&o->attrs, CKA_PRIVATE, p->private);
	attrs_add_bool(&o->attrs, CKA_MODIFIABLE, false);
	attrs_add(&o->attrs, CKA_LABEL, p->label, (CK_ULONG)strlen(p->label));
	attrs_add_bool(&o->attrs, CKA_COPYABLE, false);
	attrs_add_bool(&o->attrs, CKA_DESTROYABLE, false);
}

static void add_date(struct attrs *a, CK_ATTRIBUTE_TYPE type, const ASN1_TIME *t)
{
	struct tm tm;
	char buf[16];
	CK_DATE d;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm) ||
	    snprintf(buf, sizeof(buf), "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		     tm.tm_mday) != 8) {
		attrs_add(a, type, NULL, 0);
		return;
	}
	memcpy(d.year, buf, 4);
	memcpy(d.month, buf + 4, 2);
	memcpy(d.day, buf + 6, 2);
	attrs_add(a, type, &d, sizeof(d));
}

static void add_key_hash(struct attrs *a, CK_ATTRIBUTE_TYPE type, const X509 *x)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	/* SHA-1 of the subjectPublicKey BIT STRING value, as in OCSP (CKA_NAME_HASH_ALGORITHM). */
	if (x != NULL && X509_pubkey_digest(x, EVP_sha1(), md, &len))
		attrs_add(a, type, md, len);
	else
		attrs_add(a, type, NULL, 0);
}

CK_RV object_certificate(struct object *o, const uint8_t *der, size_t len,
			 const uint8_t *issuer_der, size_t issuer_len, CK_ULONG category,
			 const struct object_params *p)
{
	struct attrs *a = &o->attrs;
	X509 *x, *issuer = NULL;
	size_t used = 0;
	unsigned char sha1[20];
	CK_RV rv = CKR_OK;

	attrs_init(a);
	x = parse(der, len, &used);
	if (x == NULL)
		return CKR_DEVICE_ERROR;
	if (issuer_der != NULL)
		issuer = parse(issuer_der, issuer_len, NULL);
	if (issuer != NULL && X509_check_issued(issuer, x) != X509_V_OK) {
		X509_free(issuer);
		issuer = NULL;
	}
	if (issuer == NULL && X509_check_issued(x, x) == X509_V_OK)
		issuer = X509_dup(x);

	add_storage(o, CKO_CERTIFICATE, p);
	attrs_add(a, CKA_ID, p->id, (CK_ULONG)p->id_len);
	attrs_add_ulong(a, CKA_CERTIFICATE_TYPE, CKC_X_509);
	attrs_add_bool(a, CKA_TRUSTED, false);
	attrs_add_ulong(a, CKA_CERTIFICATE_CATEGORY, category);
	/* The first three bytes of the SHA-1 of CKA_VALUE (v2.40 §4.6.3). */
	if (EVP_Digest(der, used, sha1, NULL, EVP_sha1(), NULL))
		attrs_add(a, CKA_CHECK_VALUE, sha1, 3);
	else
		a->failed = true;
	add_date(a, CKA_START_DATE, X509_get0_notBefore(x));
	add_date(a, CKA_END_DATE, X509_get0_notAfter(x));
	ADD_I2D(a, CKA_PUBLIC_KEY_INFO, i2d_X509_PUBKEY, X509_get_X509_PUBKEY(x));

	ADD_I2D(a, CKA_SUBJECT, i2d_X509_NAME, X509_get_subject_name(x));
	ADD_I2D(a, CKA_ISSUER, i2d_X509_NAME, X509_get_issuer_name(x));
	ADD_I2D(a, CKA_SERIAL_NUMBER, i2d_ASN1_INTEGER, X509_get0_serialNumber(x));
	attrs_add(a, CKA_VALUE, der, (CK_ULONG)used);
	attrs_add(a, CKA_URL, NULL, 0);
	add_key_hash(a, CKA_HASH_OF_SUBJECT_PUBLIC_KEY, x);
	add_key_hash(a, CKA_HASH_OF_ISSUER_PUBLIC_KEY, issuer);
	attrs_add_ulong(a, CKA_JAVA_MIDP_SECURITY_DOMAIN, 0); /* unspecified */
	attrs_add_ulong(a, CKA_NAME_HASH_ALGORITHM, CKM_SHA_1);

	if (a->failed)
		rv = CKR_HOST_MEMORY;
	X509_free(issuer);
	X509_free(x);
	if (rv != CKR_OK)
		object_free(o);
	return rv;
}

static void add_bn(struct attrs *a, CK_ATTRIBUTE_TYPE type, const EVP_PKEY *pkey, const char *name)
{
	BIGNUM *bn = NULL;
	unsigned char buf[1024];
	int n;

	if (!EVP_PKEY_get_bn_param(pkey, name, &bn) || BN_num_bytes(bn) > (int)sizeof(buf)) {
		a->failed = true;
	} else {
		n = BN_bn2bin(bn, buf);
		attrs_add(a, type, buf, (CK_ULONG)n);
	}
	BN_free(bn);
}

/* The key attributes public and private keys share (§4.7 and RSA). */
static CK_RV add_key(struct object *o, CK_OBJECT_CLASS cls, const uint8_t *der, size_t len,
		     const struct object_params *p)
{
	struct attrs *a = &o->attrs;
	X509 *x = parse(der, len, NULL);
	EVP_PKEY *pkey = x != NULL ? X509_get0_pubkey(x) : NULL;

	attrs_init(a);
	if (pkey == NULL || !EVP_PKEY_is_a(pkey, "RSA")) {
		X509_free(x);
		return CKR_DEVICE_ERROR;
	}
	add_storage(o, cls, p);
	attrs_add(a, CKA_ID, p->id, (CK_ULONG)p->id_len);
	attrs_add_ulong(a, CKA_KEY_TYPE, CKK_RSA);
	attrs_add(a, CKA_START_DATE, NULL, 0);
	attrs_add(a, CKA_END_DATE, NULL, 0);
	attrs_add_bool(a, CKA_DERIVE, false);
	attrs_add_bool(a, CKA_LOCAL, false); /* generated at issuance, not by this module */
	attrs_add_ulong(a, CKA_KEY_GEN_MECHANISM, CK_UNAVAILABLE_INFORMATION);
	attrs_add(a, CKA_ALLOWED_MECHANISMS, p->mechs,
		  (CK_ULONG)(p->n_mechs * sizeof(CK_MECHANISM_TYPE)));
	ADD_I2D(a, CKA_SUBJECT, i2d_X509_NAME, X509_get_subject_name(x));
	ADD_I2D(a, CKA_PUBLIC_KEY_INFO, i2d_PUBKEY, pkey);
	add_bn(a, CKA_MODULUS, pkey, OSSL_PKEY_PARAM_RSA_N);
	add_bn(a, CKA_PUBLIC_EXPONENT, pkey, OSSL_PKEY_PARAM_RSA_E);
	attrs_add_ulong(a, CKA_MODULUS_BITS, (CK_ULONG)EVP_PKEY_get_bits(pkey));
	X509_free(x);
	return CKR_OK;
}

CK_RV object_public_key(struct object *o, const uint8_t *der, size_t len,
			const struct object_params *p)
{
	struct attrs *a = &o->attrs;
	CK_RV rv = add_key(o, CKO_PUBLIC_KEY, der, len, p);

	if (rv != CKR_OK)
		return rv;
	attrs_add_bool(a, CKA_ENCRYPT, false);
	attrs_add_bool(a, CKA_VERIFY, true);
	attrs_add_bool(a, CKA_VERIFY_RECOVER, false);
	attrs_add_bool(a, CKA_WRAP, false);
	attrs_add_bool(a, CKA_TRUSTED, false);
	attrs_add(a, CKA_WRAP_TEMPLATE, NULL, 0);
	if (a->failed) {
		object_free(o);
		return CKR_HOST_MEMORY;
	}
	return CKR_OK;
}

CK_RV object_private_key(struct object *o, const uint8_t *der, size_t len,
			 const struct object_params *p)
{
	static const CK_ATTRIBUTE_TYPE secret[] = {CKA_PRIVATE_EXPONENT, CKA_PRIME_1,
						   CKA_PRIME_2,		 CKA_EXPONENT_1,
						   CKA_EXPONENT_2,	 CKA_COEFFICIENT};
	struct attrs *a = &o->attrs;
	CK_RV rv = add_key(o, CKO_PRIVATE_KEY, der, len, p);
	size_t i;

	if (rv != CKR_OK)
		return rv;
	attrs_add_bool(a, CKA_SENSITIVE, true);
	attrs_add_bool(a, CKA_DECRYPT, false);
	attrs_add_bool(a, CKA_SIGN, true);
	attrs_add_bool(a, CKA_SIGN_RECOVER, false);
	attrs_add_bool(a, CKA_UNWRAP, false);
	attrs_add_bool(a, CKA_EXTRACTABLE, false);
	attrs_add_bool(a, CKA_ALWAYS_SENSITIVE, true);
	attrs_add_bool(a, CKA_NEVER_EXTRACTABLE, true);
	attrs_add_bool(a, CKA_WRAP_WITH_TRUSTED, false);
	attrs_add(a, CKA_UNWRAP_TEMPLATE, NULL, 0);
	attrs_add_bool(a, CKA_ALWAYS_AUTHENTICATE, p->always_authenticate);
	for (i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
		attrs_add_sensitive(a, secret[i]);
	if (a->failed) {
		object_free(o);
		return CKR_HOST_MEMORY;
	}
	return CKR_OK;
}

CK_RV object_profile(struct object *o, CK_ULONG profile_id, const struct object_params *p)
{
	attrs_init(&o->attrs);
	add_storage(o, CKO_PROFILE, p);
	attrs_add_ulong(&o->attrs, CKA_PROFILE_ID, profile_id);
	if (o->attrs.failed) {
		object_free(o);
		return CKR_HOST_MEMORY;
	}
	return CKR_OK;
}

void object_free(struct object *o)
{
	attrs_free(&o->attrs);
	memset(o, 0, sizeof(*o));
}
