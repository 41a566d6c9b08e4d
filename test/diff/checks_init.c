/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* C_Initialize / C_Finalize rules and calls made outside an initialised module. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>

#include "test/diff/checks.h"

static void before_init_getinfo(struct diff_ctx *c, struct result *r)
{
	CK_INFO info;
	res_rv(r, c->f->C_GetInfo(&info));
}

static void before_init_getslotlist(struct diff_ctx *c, struct result *r)
{
	CK_ULONG n = 0;
	res_rv(r, c->f->C_GetSlotList(CK_FALSE, NULL, &n));
}

static void before_init_opensession(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, c->f->C_OpenSession(c->slot, CKF_SERIAL_SESSION, NULL, NULL, &s));
}

static void before_init_finalize(struct diff_ctx *c, struct result *r)
{
	res_rv(r, ctx_finalize(c));
}

static void before_init_sign(struct diff_ctx *c, struct result *r)
{
	CK_BYTE sig[512];
	CK_ULONG len = sizeof(sig);
	res_rv(r, c->f->C_Sign(1, (CK_BYTE_PTR)diff_message, diff_message_len, sig, &len));
}

static void init_reserved(struct diff_ctx *c, struct result *r)
{
	CK_C_INITIALIZE_ARGS args = {.pReserved = &args};
	res_rv(r, ctx_initialize(c, &args));
}

static CK_RV create_mutex(CK_VOID_PTR_PTR m)
{
	pthread_mutex_t *p = malloc(sizeof(*p));
	if (!p)
		return CKR_HOST_MEMORY;
	pthread_mutex_init(p, NULL);
	*m = p;
	return CKR_OK;
}

static CK_RV destroy_mutex(CK_VOID_PTR m)
{
	pthread_mutex_destroy(m);
	free(m);
	return CKR_OK;
}

static CK_RV lock_mutex(CK_VOID_PTR m)
{
	return pthread_mutex_lock(m) ? CKR_MUTEX_BAD : CKR_OK;
}

static CK_RV unlock_mutex(CK_VOID_PTR m)
{
	return pthread_mutex_unlock(m) ? CKR_MUTEX_NOT_LOCKED : CKR_OK;
}

static void init_partial_mutex(struct diff_ctx *c, struct result *r)
{
	CK_C_INITIALIZE_ARGS args = {.CreateMutex = create_mutex, .LockMutex = lock_mutex};
	res_rv(r, ctx_initialize(c, &args));
}

/* Spec: with callbacks and no CKF_OS_LOCKING_OK, a module uses them or answers CKR_CANT_LOCK. */
static void init_app_mutex(struct diff_ctx *c, struct result *r)
{
	CK_C_INITIALIZE_ARGS args = {
	    .CreateMutex = create_mutex,
	    .DestroyMutex = destroy_mutex,
	    .LockMutex = lock_mutex,
	    .UnlockMutex = unlock_mutex,
	};
	CK_RV rv = ctx_initialize(c, &args);
	res_rv(r, rv);
	if (rv == CKR_OK) {
		CK_SESSION_HANDLE s;
		res_rv(r, ctx_open(c, false, &s));
	}
}

static void init_os_locking(struct diff_ctx *c, struct result *r)
{
	CK_C_INITIALIZE_ARGS args = {.flags = CKF_OS_LOCKING_OK};
	res_rv(r, ctx_initialize(c, &args));
}

static void init_no_threads(struct diff_ctx *c, struct result *r)
{
	CK_C_INITIALIZE_ARGS args = {.flags = CKF_LIBRARY_CANT_CREATE_OS_THREADS};
	res_rv(r, ctx_initialize(c, &args));
}

static void init_twice(struct diff_ctx *c, struct result *r)
{
	res_rv(r, ctx_initialize(c, NULL));
	res_rv(r, ctx_initialize(c, NULL));
}

static void finalize_reserved(struct diff_ctx *c, struct result *r)
{
	int reserved = 0;

	res_rv(r, ctx_initialize(c, NULL));
	CK_RV rv = c->f->C_Finalize(&reserved);
	if (rv == CKR_OK)
		c->initialised = false;
	res_rv(r, rv);
}

static void after_finalize(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
	CK_SESSION_INFO si;
	CK_INFO info;

	res_rv(r, ctx_initialize(c, NULL));
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_finalize(c));
	res_rv(r, c->f->C_GetInfo(&info));
	res_rv(r, c->f->C_GetSessionInfo(s, &si));
	res_rv(r, c->f->C_CloseSession(s));
	res_rv(r, ctx_finalize(c));
}

static void reinit_drops_sessions(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
	CK_SESSION_INFO si;

	res_rv(r, ctx_initialize(c, NULL));
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_finalize(c));
	res_rv(r, ctx_initialize(c, NULL));
	res_rv(r, c->f->C_GetSessionInfo(s, &si));
}

static void getfunctionlist_null(struct diff_ctx *c, struct result *r)
{
	res_rv(r, c->get_function_list(NULL));
}

static void getinfo_version(struct diff_ctx *c, struct result *r)
{
	CK_INFO info;
	CK_RV rv = c->f->C_GetInfo(&info);
	res_rv(r, rv);
	if (rv == CKR_OK)
		res_fact(r, "cryptoki=%u.%u", info.cryptokiVersion.major,
			 info.cryptokiVersion.minor);
}

const struct check checks_init[] = {
    {"before_init_getinfo", PRE_FINALIZED, before_init_getinfo},
    {"before_init_getslotlist", PRE_FINALIZED, before_init_getslotlist},
    {"before_init_opensession", PRE_FINALIZED, before_init_opensession},
    {"before_init_finalize", PRE_FINALIZED, before_init_finalize},
    {"before_init_sign", PRE_FINALIZED, before_init_sign},
    {"init_reserved_nonnull", PRE_FINALIZED, init_reserved},
    {"init_partial_mutex", PRE_FINALIZED, init_partial_mutex},
    {"init_app_mutex", PRE_FINALIZED, init_app_mutex},
    {"init_os_locking", PRE_FINALIZED, init_os_locking},
    {"init_cant_create_threads", PRE_FINALIZED, init_no_threads},
    {"init_twice", PRE_FINALIZED, init_twice},
    {"finalize_reserved_nonnull", PRE_FINALIZED, finalize_reserved},
    {"after_finalize", PRE_FINALIZED, after_finalize},
    {"reinit_drops_sessions", PRE_FINALIZED, reinit_drops_sessions},
    {"getfunctionlist_null", PRE_FINALIZED, getfunctionlist_null},
    {"getinfo_version", PRE_INIT, getinfo_version},
    {NULL, PRE_INIT, NULL},
};
