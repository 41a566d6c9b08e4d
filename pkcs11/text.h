/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PKCS#11's fixed-size, blank-padded, unterminated UTF-8 string fields. */
#ifndef JPKI_PKCS11_TEXT_H
#define JPKI_PKCS11_TEXT_H

#include <stddef.h>

/* Copies src into dst (size bytes), cut at a UTF-8 character boundary, padded with blanks. */
void text_pad(unsigned char *dst, size_t size, const char *src);

#endif
