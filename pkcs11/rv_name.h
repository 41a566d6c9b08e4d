/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* CKR_ names for the logs. */
#ifndef JPKI_PKCS11_RV_NAME_H
#define JPKI_PKCS11_RV_NAME_H

#include <p11-kit/pkcs11.h>

/* "CKR_PIN_LOCKED"; "CKR_?" for a value the table does not know. */
const char *rv_name(CK_RV rv);

#endif
