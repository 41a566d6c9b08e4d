/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The test PKI of the virtual card: an authentication CA and a signature CA shaped like
 * J-LIS's (O=JPKI-TEST), and per card identity an auth and a sign key pair with certificates.
 * Generated with OpenSSL on first use into a directory; never committed.
 */
#ifndef JPKI_VCARD_PKI_H
#define JPKI_VCARD_PKI_H

#include "test/vcard/card.h"

/* Two distinct card identities exist, for tests with two cards. */
#define VCARD_PKI_IDENTITIES 2

struct vcard_pki {
	EVP_PKEY *auth_key, *sign_key;
	uint8_t *auth_cert, *auth_ca, *sign_cert, *sign_ca; /* DER */
	size_t auth_cert_len, auth_ca_len, sign_cert_len, sign_ca_len;
	char token_serial[17];
};

/*
 * Loads identity `index` (0 or 1) from dir, generating the whole PKI there first if it is
 * missing (safe when several processes race: the first generates under a lock). Returns 0,
 * or -1 with a message on stderr.
 */
int vcard_pki_load(const char *dir, unsigned index, struct vcard_pki *pki);
void vcard_pki_free(struct vcard_pki *pki);

/* Fills id from pki for the profile (the juki profile has no auth key, minor no sign key). */
void vcard_pki_identity(const struct vcard_pki *pki, enum vcard_profile profile,
			struct vcard_identity *id);

#endif
