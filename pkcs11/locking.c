/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>

#include "pkcs11/locking.h"
#include "pkcs11/rv_name.h"
#include "src/log.h"

static CK_RV os_create(void **mutex)
{
	pthread_mutex_t *m = malloc(sizeof(*m));

	if (m == NULL)
		return CKR_HOST_MEMORY;
	if (pthread_mutex_init(m, NULL) != 0) {
		free(m);
		return CKR_CANT_LOCK;
	}
	*mutex = m;
	return CKR_OK;
}

static CK_RV os_destroy(void *mutex)
{
	pthread_mutex_destroy(mutex);
	free(mutex);
	return CKR_OK;
}

static CK_RV os_lock(void *mutex)
{
	return pthread_mutex_lock(mutex) == 0 ? CKR_OK : CKR_MUTEX_BAD;
}

static CK_RV os_unlock(void *mutex)
{
	return pthread_mutex_unlock(mutex) == 0 ? CKR_OK : CKR_MUTEX_NOT_LOCKED;
}

CK_RV locking_setup(const CK_C_INITIALIZE_ARGS *args, struct locking *out)
{
	int given;

	out->create = os_create;
	out->destroy = os_destroy;
	out->lock = os_lock;
	out->unlock = os_unlock;
	out->os = true;
	if (args == NULL)
		return CKR_OK;
	if (args->pReserved != NULL)
		return CKR_ARGUMENTS_BAD;
	given = (args->CreateMutex != NULL) + (args->DestroyMutex != NULL) +
		(args->LockMutex != NULL) + (args->UnlockMutex != NULL);
	if (given != 0 && given != 4)
		return CKR_ARGUMENTS_BAD;
	if (given == 4 && !(args->flags & CKF_OS_LOCKING_OK)) {
		out->create = args->CreateMutex;
		out->destroy = args->DestroyMutex;
		out->lock = args->LockMutex;
		out->unlock = args->UnlockMutex;
		out->os = false;
	}
	/* We never create threads, so CKF_LIBRARY_CANT_CREATE_OS_THREADS changes nothing. */
	return CKR_OK;
}

CK_RV locking_new(const struct locking *l, void **mutex)
{
	*mutex = NULL;
	return l->create(mutex);
}

void locking_free(const struct locking *l, void *mutex)
{
	if (mutex != NULL)
		l->destroy(mutex);
}

void locking_lock(const struct locking *l, void *mutex)
{
	CK_RV rv = l->lock(mutex);

	if (rv != CKR_OK)
		jpki_log(JPKI_LOG_ERROR, "LockMutex: %s", rv_name(rv));
}

void locking_unlock(const struct locking *l, void *mutex)
{
	CK_RV rv = l->unlock(mutex);

	if (rv != CKR_OK)
		jpki_log(JPKI_LOG_ERROR, "UnlockMutex: %s", rv_name(rv));
}
