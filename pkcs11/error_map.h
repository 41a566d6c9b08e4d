/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one place where card-side codes become CKR_ codes. */
#ifndef JPKI_PKCS11_ERROR_MAP_H
#define JPKI_PKCS11_ERROR_MAP_H

#include <p11-kit/pkcs11.h>

#include "src/jpki_error.h"

/*
 * Maps rc to a CKR_ code and logs the card code (level 1 for failures the user should see,
 * level 3 otherwise). `what` names the card operation for the log ("VERIFY", "read cert").
 */
CK_RV error_map(enum jpki_rc rc, const char *what);

#endif
