/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ISO/IEC 7816-4 APDU encoding and response parsing. */
#include "config.h"

#include <string.h>

#include "src/apdu.h"

static bool needs_extended(const struct jpki_apdu *a)
{
	return a->extended || a->data_len > JPKI_APDU_SHORT_MAX_LC ||
	       a->le > JPKI_APDU_SHORT_MAX_LE;
}

size_t jpki_apdu_size(const struct jpki_apdu *a)
{
	size_t n = 4;

	if (a == NULL || a->data_len > JPKI_APDU_EXT_MAX_LC || a->le > JPKI_APDU_EXT_MAX_LE ||
	    (a->data_len > 0 && a->data == NULL))
		return 0;
	if (!needs_extended(a)) {
		if (a->data_len > 0)
			n += 1 + a->data_len;
		if (a->le > 0)
			n += 1;
		return n;
	}
	/* Extended: one 00 byte, then 2-byte Lc and/or 2-byte Le (Le alone takes 3). */
	if (a->data_len == 0 && a->le == 0)
		return n; /* case 1 has no extended form */
	n += 1;
	if (a->data_len > 0)
		n += 2 + a->data_len;
	if (a->le > 0)
		n += 2;
	return n;
}

enum jpki_rc jpki_apdu_build(const struct jpki_apdu *a, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t n = jpki_apdu_size(a);
	size_t i = 4;

	if (n == 0 || out == NULL || out_len == NULL || cap < n)
		return JPKI_ERR_ARGS;
	out[0] = a->cla;
	out[1] = a->ins;
	out[2] = a->p1;
	out[3] = a->p2;
	if (n == 4) {
		*out_len = n;
		return JPKI_OK;
	}
	if (!needs_extended(a)) {
		if (a->data_len > 0) {
			out[i++] = (uint8_t)a->data_len;
			memcpy(out + i, a->data, a->data_len);
			i += a->data_len;
		}
		if (a->le > 0)
			out[i++] = (uint8_t)(a->le & 0xff); /* 256 -> 00 */
	} else {
		out[i++] = 0x00;
		if (a->data_len > 0) {
			out[i++] = (uint8_t)(a->data_len >> 8);
			out[i++] = (uint8_t)(a->data_len & 0xff);
			memcpy(out + i, a->data, a->data_len);
			i += a->data_len;
		}
		if (a->le > 0) {
			out[i++] = (uint8_t)((a->le >> 8) & 0xff); /* 65536 -> 00 00 */
			out[i++] = (uint8_t)(a->le & 0xff);
		}
	}
	*out_len = i;
	return JPKI_OK;
}

enum jpki_rc jpki_apdu_parse(const uint8_t *resp, size_t len, struct jpki_resp *r)
{
	if (r == NULL)
		return JPKI_ERR_ARGS;
	r->data = NULL;
	r->len = 0;
	r->sw = 0;
	if (resp == NULL || len < 2)
		return JPKI_ERR_BAD_RESPONSE;
	r->data = resp;
	r->len = len - 2;
	r->sw = (uint16_t)((resp[len - 2] << 8) | resp[len - 1]);
	return JPKI_OK;
}
