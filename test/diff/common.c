/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Result formatting and the session/login/key helpers the checks share. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/diff/checks.h"

static void res_append(struct result *r, const char *s)
{
	int n = snprintf(r->text + r->len, sizeof(r->text) - r->len, "%s", s);
	if (n > 0)
		r->len +=
		    (size_t)n < sizeof(r->text) - r->len ? (size_t)n : sizeof(r->text) - r->len - 1;
}

void res_rv(struct result *r, CK_RV rv)
{
	if (r->len)
		res_append(r, "/");
	res_append(r, p11_rv_name(rv));
}

void res_fact(struct result *r, const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	res_append(r, ":");
	res_append(r, buf);
}

void res_na(struct result *r, const char *why)
{
	r->len = 0;
	r->text[0] = '\0';
	res_append(r, "n/a:");
	res_append(r, why);
}

CK_RV ctx_initialize(struct diff_ctx *c, CK_VOID_PTR args)
{
	CK_RV rv = c->f->C_Initialize(args);
	if (rv == CKR_OK)
		c->initialised = true;
	return rv;
}

CK_RV ctx_finalize(struct diff_ctx *c)
{
	CK_RV rv = c->f->C_Finalize(NULL);
	if (rv == CKR_OK || rv == CKR_CRYPTOKI_NOT_INITIALIZED)
		c->initialised = false;
	return rv;
}

CK_RV ctx_open(struct diff_ctx *c, bool rw, CK_SESSION_HANDLE *s)
{
	CK_FLAGS flags = CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0);
	return c->f->C_OpenSession(c->slot, flags, NULL, NULL, s);
}

CK_RV ctx_login(struct diff_ctx *c, CK_SESSION_HANDLE s)
{
	return c->f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)c->pin, strlen(c->pin));
}

CK_RV ctx_user_session(struct diff_ctx *c, bool rw, CK_SESSION_HANDLE *s, CK_OBJECT_HANDLE *key)
{
	CK_RV rv = ctx_open(c, rw, s);
	if (rv == CKR_OK)
		rv = ctx_login(c, *s);
	if (rv == CKR_OK) {
		*key = ctx_find(c, *s, CKO_PRIVATE_KEY);
		if (*key == CK_INVALID_HANDLE)
			rv = CKR_KEY_HANDLE_INVALID;
	}
	return rv;
}

CK_OBJECT_HANDLE ctx_find(struct diff_ctx *c, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls)
{
	CK_ATTRIBUTE tmpl[] = {
	    {CKA_CLASS, &cls, sizeof(cls)},
	    {CKA_ID, c->key_id, c->key_id_len},
	};
	CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
	CK_ULONG n = 0;

	if (c->f->C_FindObjectsInit(s, tmpl, 2) != CKR_OK)
		return CK_INVALID_HANDLE;
	if (c->f->C_FindObjects(s, &h, 1, &n) != CKR_OK || n != 1)
		h = CK_INVALID_HANDLE;
	c->f->C_FindObjectsFinal(s);
	return h;
}

CK_RV ctx_sign_init(struct diff_ctx *c, CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE key)
{
	CK_RV rv = c->f->C_SignInit(s, m, key);
	if (rv == CKR_OK && c->always_auth)
		rv =
		    c->f->C_Login(s, CKU_CONTEXT_SPECIFIC, (CK_UTF8CHAR_PTR)c->pin, strlen(c->pin));
	return rv;
}

bool ctx_has_mech(struct diff_ctx *c, CK_MECHANISM_TYPE type)
{
	CK_MECHANISM_INFO info;
	return c->f->C_GetMechanismInfo(c->slot, type, &info) == CKR_OK;
}
