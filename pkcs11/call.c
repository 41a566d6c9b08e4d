/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "pkcs11/call.h"
#include "pkcs11/rv_name.h"
#include "src/log.h"

CK_RV call_enter(struct call *c, const char *name, bool args_ok)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	jpki_log(JPKI_LOG_CALLS, "%s: in", name);
	c->m = module_enter();
	c->entered = true;
	if (c->m == NULL)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	return args_ok ? CKR_OK : CKR_ARGUMENTS_BAD;
}

CK_RV call_enter_global(struct call *c, const char *name, bool args_ok)
{
	CK_RV rv = call_enter(c, name, args_ok);

	if (rv == CKR_OK) {
		module_lock(c->m);
		c->global = true;
	}
	return rv;
}

/* Step 5 shared by slots and sessions (R held). */
static CK_RV authorise_inlock(struct call *c, unsigned flags)
{
	struct token *t;

	if ((flags & CALL_TOKEN) && !token_present_inlock(c->m, c->r, c->kind))
		return CKR_TOKEN_NOT_PRESENT;
	t = &c->r->card.tokens[c->kind];
	if ((flags & CALL_USER) && !t->logged_in)
		return CKR_USER_NOT_LOGGED_IN;
	if ((flags & CALL_RW) && c->s != NULL && !(c->s->flags & CKF_RW_SESSION))
		return CKR_SESSION_READ_ONLY;
	return CKR_OK;
}

CK_RV call_enter_slot(struct call *c, const char *name, bool args_ok, CK_SLOT_ID slot,
		      unsigned flags)
{
	CK_RV rv = call_enter(c, name, args_ok);
	struct reader *r;

	if (rv != CKR_OK)
		return rv;
	module_lock(c->m);
	if ((flags & CALL_REFRESH) || !c->m->scanned)
		slot_refresh_inlock(c->m);
	r = slot_lookup_inlock(c->m, slot, &c->kind);
	module_unlock(c->m);
	if (r == NULL)
		return CKR_SLOT_ID_INVALID;
	reader_lock(c->m, r);
	c->r = r;
	c->slot = slot;
	card_sync_inlock(c->m, r);
	return authorise_inlock(c, flags);
}

/*
 * CALL_REFRESH for a session (R held): with the card open, one cheap status call on our own
 * connection tells a removal or reset (a new card is a removal of the old one); only without
 * a connection is the service asked about all its readers.
 */
static void refresh_reader_inlock(struct module *m, struct reader *r)
{
	enum jpki_rc rc;
	bool current;

	module_lock(m);
	current = r->card.gen == r->gen && r->card.jc != NULL;
	if (!current)
		slot_refresh_inlock(m);
	module_unlock(m);
	if (!current)
		return;
	rc = jpki_card_check(r->card.jc);
	if (rc != JPKI_OK)
		card_result_inlock(m, r, rc, "card status");
}

CK_RV call_enter_session(struct call *c, const char *name, bool args_ok, CK_SESSION_HANDLE h,
			 unsigned flags)
{
	CK_RV rv = call_enter(c, name, args_ok);
	struct session *s;
	struct reader *r;
	bool dead;

	if (rv != CKR_OK)
		return rv;
	module_lock(c->m);
	s = handles_get(&c->m->sessions, h);
	r = s != NULL ? s->reader : NULL;
	module_unlock(c->m);
	if (s == NULL)
		return CKR_SESSION_HANDLE_INVALID;

	/* R first, then G again: the session may have been closed while neither was held. */
	reader_lock(c->m, r);
	c->r = r;
	if (flags & CALL_REFRESH)
		refresh_reader_inlock(c->m, r);
	module_lock(c->m);
	s = handles_get(&c->m->sessions, h);
	dead = s != NULL && s->gen != r->gen;
	if (dead) /* its card was removed or reset: the session ended with it */
		handles_remove(&c->m->sessions, h);
	module_unlock(c->m);
	card_sync_inlock(c->m, r);
	if (dead)
		session_free(s);
	if (s == NULL || dead)
		return CKR_SESSION_HANDLE_INVALID;
	c->s = s;
	c->slot = s->slot;
	c->kind = s->kind;
	return authorise_inlock(c, flags);
}

CK_RV call_leave(struct call *c, CK_RV rv)
{
	if (c->r != NULL)
		reader_unlock(c->m, c->r);
	if (c->global)
		module_unlock(c->m);
	if (c->entered)
		module_leave();
	jpki_log(JPKI_LOG_CALLS, "%s: out %s", c->name, rv_name(rv));
	return rv;
}
