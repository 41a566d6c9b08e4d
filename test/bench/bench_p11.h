/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The PKCS#11 side of p11bench: a module loaded by path, and the few calls the flows share
 * (finding a token by its label, an object by class and CKA_ID, reading attributes the
 * two-call way, one signature with the context-specific login where the key wants it).
 * Every helper returns 0, or -1 after printing the failed call and its CKR_ value.
 */
#ifndef JPKI_BENCH_P11_H
#define JPKI_BENCH_P11_H

#include <p11-kit/pkcs11.h>
#include <stdbool.h>
#include <stddef.h>

struct bench_module {
	void *dl;
	CK_FUNCTION_LIST_PTR f;
};

int bench_module_load(const char *path, struct bench_module *m);
void bench_module_unload(struct bench_module *m);

/* -1 and a message when rv is not CKR_OK. */
int bench_ok(CK_RV rv, const char *call);

/* C_Initialize as a browser calls it: native locking, no callbacks. */
int bench_initialize(CK_FUNCTION_LIST_PTR f);

/* The first slot whose token label contains needle. */
int bench_token_slot(CK_FUNCTION_LIST_PTR f, const char *needle, CK_SLOT_ID *slot);

/* The one object of class cls with CKA_ID = { id }. */
int bench_find_one(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, CK_BYTE id,
		   CK_OBJECT_HANDLE *h);

/*
 * Reads one attribute of h as browsers do: its length, then its value. *len (may be NULL) gets
 * the length, 0 when the module has no value. Returns the module's CKR_ value.
 */
CK_RV bench_read_attr(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h,
		      CK_ATTRIBUTE_TYPE type, size_t *len);

/* CKA_ALWAYS_AUTHENTICATE of a private key (false when the module does not know it). */
int bench_always_authenticate(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key,
			      bool *always);

/* One CKM_RSA_PKCS signature over a SHA-256 DigestInfo; pin for the context-specific login. */
int bench_sign(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, bool always,
	       const char *pin);

/* C_Login as CKU_USER. */
int bench_login(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, const char *pin);

#endif
