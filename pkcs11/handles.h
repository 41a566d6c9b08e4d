/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A handle table: CK_ULONG handles to pointers. Handles count up from a process-wide counter
 * and are never reused while the process lives, so a stale handle from a closed session (or
 * from before a C_Finalize) can never name a new one.
 */
#ifndef JPKI_PKCS11_HANDLES_H
#define JPKI_PKCS11_HANDLES_H

#include <stddef.h>

#include <p11-kit/pkcs11.h>

struct handle_entry {
	CK_ULONG handle;
	void *ptr;
};

struct handles {
	struct handle_entry *v;
	size_t n, cap;
};

void handles_init(struct handles *t);
/* Frees the table itself, not what the pointers point to. */
void handles_free(struct handles *t);

/* Adds ptr under a fresh handle (never CK_INVALID_HANDLE). CKR_HOST_MEMORY on failure. */
CK_RV handles_add(struct handles *t, void *ptr, CK_ULONG *handle);
/* NULL when the handle is not in the table. */
void *handles_get(const struct handles *t, CK_ULONG handle);
/* Returns the pointer removed, or NULL. */
void *handles_remove(struct handles *t, CK_ULONG handle);

/* Entry i (0 <= i < handles_count) in insertion order, for walks. */
size_t handles_count(const struct handles *t);
void *handles_at(const struct handles *t, size_t i);

#endif
