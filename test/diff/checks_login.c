/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Login rules and C_SetPIN. A wrong PIN is tried only when --wrong-pin is given (it costs a
 * try on a card), and every such check ends with a correct login, which resets the counter.
 */
#include "config.h"

#include <string.h>

#include "test/diff/checks.h"

static CK_RV login_as(struct diff_ctx *c, CK_SESSION_HANDLE s, CK_USER_TYPE who, const char *pin)
{
	return c->f->C_Login(s, who, (CK_UTF8CHAR_PTR)pin, strlen(pin));
}

static void login_wrong_pin(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	if (!c->wrong_pin) {
		res_na(r, "no-wrong-pin");
		return;
	}
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, login_as(c, s, CKU_USER, c->wrong_pin));
	res_rv(r, ctx_login(c, s));
}

static void login_twice(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	res_rv(r, ctx_login(c, s));
}

static void logout_not_logged_in(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_Logout(s));
}

static void login_logout_login(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	res_rv(r, c->f->C_Logout(s));
	res_rv(r, c->f->C_Logout(s));
	res_rv(r, ctx_login(c, s));
}

static void login_so(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	if (!c->so_pin) {
		res_na(r, "no-so-pin");
		return;
	}
	res_rv(r, ctx_open(c, true, &s));
	res_rv(r, login_as(c, s, CKU_SO, c->so_pin));
	res_rv(r, c->f->C_Logout(s));
}

/* The SO may not log in while a read-only session exists. */
static void login_so_ro_session(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	if (!c->so_pin) {
		res_na(r, "no-so-pin");
		return;
	}
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, login_as(c, s, CKU_SO, c->so_pin));
}

static void login_user_type_invalid(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, login_as(c, s, 7, c->pin));
}

static void login_context_without_op(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	res_rv(r, login_as(c, s, CKU_CONTEXT_SPECIFIC, c->pin));
}

static void login_empty_pin(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, c->f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR) "", 0));
}

/* Longer than any token allows (JPKI: 16; softhsm: 255). */
static void login_long_pin(struct diff_ctx *c, struct result *r)
{
	char pin[300];
	CK_SESSION_HANDLE s;

	memset(pin, '7', sizeof(pin) - 1);
	pin[sizeof(pin) - 1] = '\0';
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, login_as(c, s, CKU_USER, pin));
}

static void setpin_ro_session(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	res_rv(r, ctx_open(c, false, &s));
	res_rv(r, ctx_login(c, s));
	res_rv(r, c->f->C_SetPIN(s, (CK_UTF8CHAR_PTR)c->pin, strlen(c->pin),
				 (CK_UTF8CHAR_PTR)c->pin, strlen(c->pin)));
}

/* PIN -> same PIN, in a R/W public session (allowed by the spec) and logged in. */
static void setpin_same(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	CK_ULONG len = strlen(c->pin);
	res_rv(r, ctx_open(c, true, &s));
	res_rv(r, c->f->C_SetPIN(s, (CK_UTF8CHAR_PTR)c->pin, len, (CK_UTF8CHAR_PTR)c->pin, len));
	res_rv(r, ctx_login(c, s));
	res_rv(r, c->f->C_SetPIN(s, (CK_UTF8CHAR_PTR)c->pin, len, (CK_UTF8CHAR_PTR)c->pin, len));
	res_rv(r, c->f->C_Logout(s));
	res_rv(r, ctx_login(c, s));
}

static void setpin_wrong_old(struct diff_ctx *c, struct result *r)
{
	CK_SESSION_HANDLE s;
	if (!c->wrong_pin) {
		res_na(r, "no-wrong-pin");
		return;
	}
	res_rv(r, ctx_open(c, true, &s));
	res_rv(r, c->f->C_SetPIN(s, (CK_UTF8CHAR_PTR)c->wrong_pin, strlen(c->wrong_pin),
				 (CK_UTF8CHAR_PTR)c->pin, strlen(c->pin)));
	res_rv(r, ctx_login(c, s));
}

const struct check checks_login[] = {
    {"login_wrong_pin", PRE_INIT, login_wrong_pin},
    {"login_twice", PRE_INIT, login_twice},
    {"logout_not_logged_in", PRE_INIT, logout_not_logged_in},
    {"login_logout_login", PRE_INIT, login_logout_login},
    {"login_so", PRE_INIT, login_so},
    {"login_so_ro_session", PRE_INIT, login_so_ro_session},
    {"login_user_type_invalid", PRE_INIT, login_user_type_invalid},
    {"login_context_without_operation", PRE_INIT, login_context_without_op},
    {"login_empty_pin", PRE_INIT, login_empty_pin},
    {"login_long_pin", PRE_INIT, login_long_pin},
    {"setpin_ro_session", PRE_INIT, setpin_ro_session},
    {"setpin_same", PRE_INIT, setpin_same},
    {"setpin_wrong_old", PRE_INIT, setpin_wrong_old},
    {NULL, PRE_INIT, NULL},
};
