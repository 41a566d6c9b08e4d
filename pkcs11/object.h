/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The objects of a token, derived from certificate DER with OpenSSL: an X.509 certificate
 * object, and the RSA public and private key objects that go with it; and the profile object
 * that names what the token implements. Nothing here touches the card; the token reads the
 * certificates and passes the bytes in.
 */
#ifndef JPKI_PKCS11_OBJECT_H
#define JPKI_PKCS11_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <p11-kit/pkcs11.h>

#include "pkcs11/attrs.h"
#include "pkcs11/cryptoki3.h"

/* CKA_CERTIFICATE_CATEGORY values (v2.40 §4.6.2). */
#define OBJECT_CATEGORY_TOKEN_USER 1UL
#define OBJECT_CATEGORY_AUTHORITY  2UL

struct object {
	bool present;
	bool private; /* CKA_PRIVATE: visible only while the token is logged in */
	CK_OBJECT_CLASS cls;
	struct attrs attrs;
};

/* What the token decides about an object; the rest comes from the certificate. */
struct object_params {
	const char *label;
	const uint8_t *id; /* certificates and keys */
	size_t id_len;
	bool private;
	bool always_authenticate;	/* private keys */
	const CK_MECHANISM_TYPE *mechs; /* CKA_ALLOWED_MECHANISMS of keys */
	size_t n_mechs;
};

/*
 * A certificate object from der (trailing bytes after the DER object are ignored).
 * issuer_der, when not NULL and the issuer of der, gives CKA_HASH_OF_ISSUER_PUBLIC_KEY
 * (a self-signed certificate is its own issuer). category: OBJECT_CATEGORY_*.
 * CKR_OK, CKR_HOST_MEMORY, or CKR_DEVICE_ERROR when der is not a certificate.
 */
CK_RV object_certificate(struct object *o, const uint8_t *der, size_t len,
			 const uint8_t *issuer_der, size_t issuer_len, CK_ULONG category,
			 const struct object_params *p);

/* The RSA public key of the certificate der. CKR_DEVICE_ERROR when it is not an RSA key. */
CK_RV object_public_key(struct object *o, const uint8_t *der, size_t len,
			const struct object_params *p);

/* The card-resident private key matching the certificate der: sign only, never revealed. */
CK_RV object_private_key(struct object *o, const uint8_t *der, size_t len,
			 const struct object_params *p);

/*
 * A PKCS#11 3.0 profile object (CKO_PROFILE) with CKA_PROFILE_ID profile_id and the storage
 * attributes of p (no CKA_ID: profiles have none). CKR_OK or CKR_HOST_MEMORY.
 */
CK_RV object_profile(struct object *o, CK_ULONG profile_id, const struct object_params *p);

void object_free(struct object *o);

#endif
