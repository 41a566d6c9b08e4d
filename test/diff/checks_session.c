/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sessions: flags, states, closing, and invalid handles given to every session function. */
#include "config.h"

#include <string.h>

#include "test/diff/checks.h"

static const char *state_name(CK_STATE st)
{
	switch (st) {
	case CKS_RO_PUBLIC_SESSION:
		return "ro-public";
	case CKS_RO_USER_FUNCTIONS:
		return "ro-user";
	case CKS_RW_PUBLIC_SESSION:
		return "rw-public";
	case CKS_RW_USER_FUNCTIONS:
		return "rw-user";
	case CKS_RW_SO_FUNCTIONS:
		return "rw-so";
	default:
		return "unknown";
	}
}

/* Appends the session's state and flags as facts. */
static void session_facts(struct diff_ctx *c, struct result *r, CK_SESSION_HANDLE s)
{
	CK_SESSION_INFO si;
	CK_RV rv = c->f->C_GetSessionInfo(s, &si);
	if (rv != CKR_OK) {
		res_rv(r, rv);
		return;
	}
	res_fact(r, "%s", state_name(si.state));
	res_fact(r, "serial=%d:rw=%d:slot-ok=%d", !!(si.flags & CKF_SERIAL_SESSION),
		 !!(si.flags & CKF_RW_SESSION), si.slotID == c->slot);
}

static void opensession_no_serial(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, c->f->C_OpenSession(c->slot, 0, NULL, NULL, &s));
	res_rv(r, c->f->C_OpenSession(c->slot, CKF_RW_SESSION, NULL, NULL, &s));
}

static void session_ro_state(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	session_facts(c, r, s);
	res_rv(r, ctx_login(c, s));
	session_facts(c, r, s);
}

static void session_rw_state(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, true, &s));
	session_facts(c, r, s);
	res_rv(r, ctx_login(c, s));
	session_facts(c, r, s);
}

/* Login is per application and token: a session opened later is logged in too. */
static void session_login_shared(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s1, s2;
	res_rv(r, ctx_open(c, false, &s1));
	res_rv(r, ctx_login(c, s1));
	res_rv(r, ctx_open(c, true, &s2));
	session_facts(c, r, s2);
}

static void session_logout_state(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s1, s2;
	res_rv(r, ctx_open(c, false, &s1));
	res_rv(r, ctx_open(c, true, &s2));
	res_rv(r, ctx_login(c, s1));
	res_rv(r, c->f->C_Logout(s2));
	session_facts(c, r, s1);
}

static void closesession_twice(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_CloseSession(s));
	res_rv(r, c->f->C_CloseSession(s));
}

static void closed_handle_use(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_SESSION_INFO si;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_CloseSession(s));
	res_rv(r, c->f->C_GetSessionInfo(s, &si));
	res_rv(r, c->f->C_FindObjectsInit(s, NULL, 0));
}

static void closeallsessions(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s1, s2;
	CK_SESSION_INFO si;
	res_rv(r, ctx_open(c, false, &s1));
	res_rv(r, ctx_open(c, true, &s2));
	res_rv(r, s1 != s2 ? CKR_OK : CKR_GENERAL_ERROR);
	res_rv(r, c->f->C_CloseAllSessions(c->slot));
	res_rv(r, c->f->C_GetSessionInfo(s1, &si));
	res_rv(r, c->f->C_GetSessionInfo(s2, &si));
}

/* Closing the last session of a token logs the user out. */
static void close_last_logs_out(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	res_rv(r, c->f->C_CloseSession(s));
	res_rv(r, ctx_open(c, false, &s));
	session_facts(c, r, s);
}

/* Calls session function `which` with handle s; returns its rv. */
static CK_RV call_with_session(struct diff_ctx *c, int which, CK_SESSION_HANDLE s)
{
	CK_SESSION_INFO si;
	CK_OBJECT_HANDLE h;
	CK_ULONG n, len = 512;
	CK_ATTRIBUTE a = {CKA_CLASS, NULL, 0};
	CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
	CK_BYTE buf[512] = {0};
	CK_UTF8CHAR_PTR pin = (CK_UTF8CHAR_PTR)c->pin;
	CK_ULONG pin_len = strlen(c->pin);

	switch (which) {
	case 0:
		return c->f->C_GetSessionInfo(s, &si);
	case 1:
		return c->f->C_CloseSession(s);
	case 2:
		return c->f->C_Login(s, CKU_USER, pin, pin_len);
	case 3:
		return c->f->C_Logout(s);
	case 4:
		return c->f->C_FindObjectsInit(s, NULL, 0);
	case 5:
		return c->f->C_FindObjects(s, &h, 1, &n);
	case 6:
		return c->f->C_FindObjectsFinal(s);
	case 7:
		return c->f->C_GetAttributeValue(s, 1, &a, 1);
	case 8:
		return c->f->C_SignInit(s, &m, 1);
	case 9:
		return c->f->C_Sign(s, buf, 35, buf, &len);
	case 10:
		return c->f->C_SetPIN(s, pin, pin_len, pin, pin_len);
	case 11:
		return c->f->C_VerifyInit(s, &m, 1);
	default:
		return c->f->C_Verify(s, buf, 35, buf, 256);
	}
}

#define SESSION_FUNCTIONS 13

static void bad_session(struct diff_ctx *c, struct result *r, int which)
{
	res_rv(r, call_with_session(c, which, DIFF_BOGUS_HANDLE));
}

/* Handle 0 (CK_INVALID_HANDLE) everywhere: the distinct codes seen, in order. */
static void bad_session_zero(struct diff_ctx *c, struct result *r)
{
	CK_RV seen[SESSION_FUNCTIONS];
	size_t n = 0;

	for (int i = 0; i < SESSION_FUNCTIONS; i++) {
		CK_RV rv = call_with_session(c, i, CK_INVALID_HANDLE);
		bool known = false;
		for (size_t j = 0; j < n; j++)
			known = known || seen[j] == rv;
		if (!known) {
			seen[n++] = rv;
			res_rv(r, rv);
		}
	}
}

#define BAD_SESSION(name, which)                                                                   \
	static void bad_session_##name(struct diff_ctx *c, struct result *r)                       \
	{                                                                                          \
		bad_session(c, r, which);                                                          \
	}
BAD_SESSION(getsessioninfo, 0)
BAD_SESSION(closesession, 1)
BAD_SESSION(login, 2)
BAD_SESSION(logout, 3)
BAD_SESSION(findobjectsinit, 4)
BAD_SESSION(findobjects, 5)
BAD_SESSION(findobjectsfinal, 6)
BAD_SESSION(getattributevalue, 7)
BAD_SESSION(signinit, 8)
BAD_SESSION(sign, 9)
BAD_SESSION(setpin, 10)
BAD_SESSION(verifyinit, 11)
BAD_SESSION(verify, 12)

const struct check checks_session[] = {
    {"opensession_no_serial", PRE_INIT, opensession_no_serial},
    {"session_ro_state", PRE_INIT, session_ro_state},
    {"session_rw_state", PRE_INIT, session_rw_state},
    {"session_login_shared", PRE_INIT, session_login_shared},
    {"session_logout_state", PRE_INIT, session_logout_state},
    {"closesession_twice", PRE_INIT, closesession_twice},
    {"closed_handle_use", PRE_INIT, closed_handle_use},
    {"closeallsessions", PRE_INIT, closeallsessions},
    {"close_last_logs_out", PRE_INIT, close_last_logs_out},
    {"bad_session_zero", PRE_INIT, bad_session_zero},
    {"bad_session_getsessioninfo", PRE_INIT, bad_session_getsessioninfo},
    {"bad_session_closesession", PRE_INIT, bad_session_closesession},
    {"bad_session_login", PRE_INIT, bad_session_login},
    {"bad_session_logout", PRE_INIT, bad_session_logout},
    {"bad_session_findobjectsinit", PRE_INIT, bad_session_findobjectsinit},
    {"bad_session_findobjects", PRE_INIT, bad_session_findobjects},
    {"bad_session_findobjectsfinal", PRE_INIT, bad_session_findobjectsfinal},
    {"bad_session_getattributevalue", PRE_INIT, bad_session_getattributevalue},
    {"bad_session_signinit", PRE_INIT, bad_session_signinit},
    {"bad_session_sign", PRE_INIT, bad_session_sign},
    {"bad_session_setpin", PRE_INIT, bad_session_setpin},
    {"bad_session_verifyinit", PRE_INIT, bad_session_verifyinit},
    {"bad_session_verify", PRE_INIT, bad_session_verify},
    {NULL, PRE_INIT, NULL},
};
