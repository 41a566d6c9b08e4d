/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The total length of a DER object from its first bytes: how much of a certificate EF to read. */
#ifndef JPKI_DER_H
#define JPKI_DER_H

#include <stddef.h>
#include <stdint.h>

#include "src/jpki_error.h"

/* Certificates larger than this are refused as absurd (real ones are about 1.5-2 KiB). */
#define JPKI_DER_MAX	  16384
#define JPKI_DER_SEQUENCE 0x30

/*
 * Reads the header of the SEQUENCE at buf (len bytes available) and sets *total to the length
 * of the whole object, header included. Short form and long forms 81..84 are accepted.
 * JPKI_ERR_DATA_LENGTH: too few bytes to know yet (read more). JPKI_ERR_BAD_RESPONSE: not a
 * SEQUENCE, indefinite or over-long length form, or a total above max.
 */
enum jpki_rc jpki_der_total_len(const uint8_t *buf, size_t len, size_t max, size_t *total);

#endif
