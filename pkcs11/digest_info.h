/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Host-side hashing for the CKM_SHAx_RSA_PKCS(_PSS) mechanisms and the DER DigestInfo the card
 * signs under PKCS#1 v1.5 (the card pads whatever it is given, jpki-card.md §5.1).
 */
#ifndef JPKI_PKCS11_DIGEST_INFO_H
#define JPKI_PKCS11_DIGEST_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

enum digest_kind {
	DIGEST_NONE, /* the caller hashed (CKM_RSA_PKCS, CKM_RSA_PKCS_PSS) */
	DIGEST_SHA1,
	DIGEST_SHA224,
	DIGEST_SHA256,
	DIGEST_SHA384,
	DIGEST_SHA512,
};

#define DIGEST_MAX_LEN 64
/* The longest DigestInfo: SHA-512's 19-byte prefix and 64-byte hash. */
#define DIGEST_INFO_MAX_LEN 83

/* NULL for DIGEST_NONE. */
const EVP_MD *digest_md(enum digest_kind kind);
size_t digest_len(enum digest_kind kind);

/*
 * Writes prefix || hash to out (DIGEST_INFO_MAX_LEN bytes). False when kind is DIGEST_NONE or
 * hash_len is not the hash's length.
 */
bool digest_info_build(enum digest_kind kind, const uint8_t *hash, size_t hash_len, uint8_t *out,
		       size_t *out_len);

#endif
