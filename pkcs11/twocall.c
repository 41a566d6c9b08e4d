/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "pkcs11/twocall.h"

CK_RV twocall_size(const void *out, CK_ULONG_PTR io_count, CK_ULONG needed, bool *fill)
{
	*fill = false;
	if (out == NULL) {
		*io_count = needed;
		return CKR_OK;
	}
	if (*io_count < needed) {
		*io_count = needed;
		return CKR_BUFFER_TOO_SMALL;
	}
	*fill = true;
	return CKR_OK;
}

CK_RV twocall_copy(void *out, CK_ULONG_PTR io_count, const void *src, CK_ULONG count,
		   size_t elem_size)
{
	bool fill;
	CK_RV rv = twocall_size(out, io_count, count, &fill);

	if (fill) {
		if (count > 0)
			memcpy(out, src, (size_t)count * elem_size);
		*io_count = count;
	}
	return rv;
}
