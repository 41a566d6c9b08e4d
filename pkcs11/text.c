/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "pkcs11/text.h"

void text_pad(unsigned char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n > size) {
		n = size;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memset(dst, ' ', size);
	memcpy(dst, src, n);
}
