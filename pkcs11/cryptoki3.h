/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The few PKCS#11 3.0 names this v2.40 module uses. p11-kit 0.24's pkcs11.h (Debian 12) is a
 * v2.40 header without them; the values are those of PKCS#11 3.0 (§4.13 profile objects,
 * §6.8 profile identifiers), so a newer header defines the same.
 */
#ifndef JPKI_PKCS11_CRYPTOKI3_H
#define JPKI_PKCS11_CRYPTOKI3_H

#include <p11-kit/pkcs11.h>

#ifndef CKO_PROFILE
#define CKO_PROFILE 0x00000009UL
#endif
#ifndef CKA_PROFILE_ID
#define CKA_PROFILE_ID 0x00000601UL
#endif
#ifndef CKP_PUBLIC_CERTIFICATES_TOKEN
#define CKP_PUBLIC_CERTIFICATES_TOKEN 0x00000004UL
#endif

#endif
