/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Small helpers shared by the test programs that drive a PKCS#11 module through its function
 * list: loading a module by path, naming return codes, finding a token by its label.
 */
#ifndef JPKI_TEST_P11UTIL_H
#define JPKI_TEST_P11UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <p11-kit/pkcs11.h>

struct p11_module {
	void *dl;
	CK_C_GetFunctionList get_function_list;
	CK_FUNCTION_LIST_PTR f;
};

/* dlopens path and fetches its function list. Returns 0, or -1 with a message on stderr. */
int p11_module_load(const char *path, struct p11_module *m);
void p11_module_unload(struct p11_module *m);

/* "CKR_PIN_INCORRECT"; an unknown value as "CKR_0x...". The result of an unknown value is
 * valid until the next call. */
const char *p11_rv_name(CK_RV rv);

/*
 * The slot whose token label (blank-padded in CK_TOKEN_INFO) equals label. The module must be
 * initialised. CKR_TOKEN_NOT_PRESENT, with the labels seen listed on stderr, when none does.
 */
CK_RV p11_slot_by_label(CK_FUNCTION_LIST_PTR f, const char *label, CK_SLOT_ID *slot);

/* Decodes an even-length hex string into out. Returns the byte count, or -1. */
long p11_hex_decode(const char *hex, CK_BYTE *out, size_t cap);

#endif
