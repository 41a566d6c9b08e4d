/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The two-call convention of PKCS#11, in one place: a NULL output buffer asks for the length
 * (CKR_OK), a short one gets CKR_BUFFER_TOO_SMALL with the length; neither ends an operation.
 */
#ifndef JPKI_PKCS11_TWOCALL_H
#define JPKI_PKCS11_TWOCALL_H

#include <stdbool.h>
#include <stddef.h>

#include <p11-kit/pkcs11.h>

/*
 * For outputs whose size is known before they are computed: `needed` elements. Sets *fill
 * when the caller should now produce the output into out (then set *io_count itself);
 * otherwise *io_count = needed and the return value is the call's result.
 */
CK_RV twocall_size(const void *out, CK_ULONG_PTR io_count, CK_ULONG needed, bool *fill);

/* Copies count elements of elem_size bytes from src to out under the convention. */
CK_RV twocall_copy(void *out, CK_ULONG_PTR io_count, const void *src, CK_ULONG count,
		   size_t elem_size);

#endif
