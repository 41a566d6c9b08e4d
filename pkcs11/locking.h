/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Mutexes as C_Initialize asks for them: the application's callbacks, or the OS's (pthread).
 */
#ifndef JPKI_PKCS11_LOCKING_H
#define JPKI_PKCS11_LOCKING_H

#include <stdbool.h>

#include <p11-kit/pkcs11.h>

struct locking {
	CK_CREATEMUTEX create;
	CK_DESTROYMUTEX destroy;
	CK_LOCKMUTEX lock;
	CK_UNLOCKMUTEX unlock;
	bool os; /* pthread */
};

/*
 * Reads C_Initialize's argument (NULL allowed) per v2.40 §5.4: pReserved set or only some of
 * the four callbacks -> CKR_ARGUMENTS_BAD; CKF_OS_LOCKING_OK (or no callbacks) -> pthread;
 * callbacks without CKF_OS_LOCKING_OK -> the callbacks.
 */
CK_RV locking_setup(const CK_C_INITIALIZE_ARGS *args, struct locking *out);

CK_RV locking_new(const struct locking *l, void **mutex);
void locking_free(const struct locking *l, void *mutex);
void locking_lock(const struct locking *l, void *mutex);
void locking_unlock(const struct locking *l, void *mutex);

#endif
