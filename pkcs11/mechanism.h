/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The mechanisms the tokens offer (all sign/verify with the card's RSA-2048 keys) and the
 * checks of a CK_MECHANISM a caller passes.
 */
#ifndef JPKI_PKCS11_MECHANISM_H
#define JPKI_PKCS11_MECHANISM_H

#include <stdbool.h>
#include <stddef.h>

#include <p11-kit/pkcs11.h>

#include "pkcs11/digest_info.h"
#include "src/jpki.h"

#define MECHANISM_KEY_BITS 2048
#define MECHANISM_MAX	   8

struct mechanism {
	CK_MECHANISM_TYPE type;
	enum digest_kind digest; /* hashed on the host; DIGEST_NONE: the input is signed as given */
	enum jpki_scheme scheme; /* what the card is asked to do */
	bool pss;		 /* advertised only when the configuration enables RSA-PSS */
	size_t raw_min, raw_max; /* input bounds when digest is DIGEST_NONE */
};

/* The mechanism of that type when offered (PSS only if pss_enabled), else NULL. */
const struct mechanism *mechanism_find(CK_MECHANISM_TYPE type, bool pss_enabled);

/* The offered types in table order into out (MECHANISM_MAX entries); returns the count. */
size_t mechanism_types(bool pss_enabled, CK_MECHANISM_TYPE *out);

void mechanism_info(const struct mechanism *m, CK_MECHANISM_INFO *info);

/*
 * Validates a caller's CK_MECHANISM: CKR_MECHANISM_INVALID when not offered,
 * CKR_MECHANISM_PARAM_INVALID when its parameters are not exactly what the card does
 * (none for PKCS#1 v1.5; SHA-256, MGF1-SHA-256, salt 32 for PSS).
 */
CK_RV mechanism_check(const CK_MECHANISM *mech, bool pss_enabled, const struct mechanism **out);

#endif
