/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DER header parsing, bounded. */
#include "config.h"

#include "src/der.h"

enum jpki_rc jpki_der_total_len(const uint8_t *buf, size_t len, size_t max, size_t *total)
{
	size_t n_len, body = 0, header;

	if (total == NULL || (buf == NULL && len > 0))
		return JPKI_ERR_ARGS;
	if (len < 2)
		return JPKI_ERR_DATA_LENGTH;
	if (buf[0] != JPKI_DER_SEQUENCE)
		return JPKI_ERR_BAD_RESPONSE;
	if (buf[1] < 0x80) {
		header = 2;
		body = buf[1];
	} else {
		/* 80 is the BER indefinite form, 85.. would exceed any sane bound. */
		n_len = buf[1] & 0x7f;
		if (n_len == 0 || n_len > 4)
			return JPKI_ERR_BAD_RESPONSE;
		header = 2 + n_len;
		if (len < header)
			return JPKI_ERR_DATA_LENGTH;
		for (size_t i = 0; i < n_len; i++) {
			body = (body << 8) | buf[2 + i];
			if (body > max)
				return JPKI_ERR_BAD_RESPONSE;
		}
	}
	if (body > max || header + body > max)
		return JPKI_ERR_BAD_RESPONSE;
	*total = header + body;
	return JPKI_OK;
}
