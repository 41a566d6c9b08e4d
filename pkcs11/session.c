/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdlib.h>

#include "pkcs11/module.h"
#include "pkcs11/session.h"
#include "pkcs11/slot.h"
#include "src/log.h"

CK_RV session_open_inlock(struct module *m, struct reader *r, enum token_kind kind, CK_FLAGS flags,
			  CK_SESSION_HANDLE *handle)
{
	struct session *s = calloc(1, sizeof(*s));
	CK_RV rv;

	if (s == NULL)
		return CKR_HOST_MEMORY;
	s->reader = r;
	s->kind = kind;
	s->slot = slot_id(r, kind);
	s->flags = flags & (CKF_SERIAL_SESSION | CKF_RW_SESSION);
	module_lock(m);
	s->gen = r->gen;
	rv = handles_add(&m->sessions, s, &s->handle);
	module_unlock(m);
	if (rv != CKR_OK) {
		free(s);
		return rv;
	}
	*handle = s->handle;
	return CKR_OK;
}

void session_free(struct session *s)
{
	sign_end(&s->sign);
	verify_end(&s->verify);
	free(s);
}

void session_count(struct module *m, struct reader *r, enum token_kind kind, CK_ULONG *all,
		   CK_ULONG *rw)
{
	size_t i;

	*all = 0;
	*rw = 0;
	module_lock(m);
	for (i = 0; i < handles_count(&m->sessions); i++) {
		const struct session *s = handles_at(&m->sessions, i);

		if (s->reader == r && s->kind == kind && s->gen == r->gen) {
			(*all)++;
			if (s->flags & CKF_RW_SESSION)
				(*rw)++;
		}
	}
	module_unlock(m);
}

/* The token's last session went away: its login ends. */
static void token_idle_inlock(struct module *m, struct reader *r, enum token_kind kind)
{
	struct card *c = &r->card;
	CK_ULONG all, rw;
	enum jpki_rc rc;

	session_count(m, r, kind, &all, &rw);
	if (all > 0 || !c->tokens[kind].logged_in)
		return;
	c->tokens[kind].logged_in = false;
	if (c->jc == NULL || c->tokens[token_other(kind)].logged_in)
		return; /* a re-SELECT would log the other token out too */
	rc = jpki_card_logout(c->jc);
	if (rc != JPKI_OK)
		card_result_inlock(m, r, rc, "logout");
}

void session_close_inlock(struct module *m, struct session *s)
{
	struct reader *r = s->reader;
	enum token_kind kind = s->kind;
	bool live;

	module_lock(m);
	handles_remove(&m->sessions, s->handle);
	live = s->gen == r->gen;
	module_unlock(m);
	session_free(s);
	if (live)
		token_idle_inlock(m, r, kind);
}

void session_close_all_inlock(struct module *m, struct reader *r, enum token_kind kind)
{
	struct session *s;
	size_t i;

	do {
		s = NULL;
		module_lock(m);
		for (i = 0; i < handles_count(&m->sessions) && s == NULL; i++) {
			struct session *c = handles_at(&m->sessions, i);

			if (c->reader == r && c->kind == kind)
				s = handles_remove(&m->sessions, c->handle);
		}
		module_unlock(m);
		if (s != NULL)
			session_free(s);
	} while (s != NULL);
	token_idle_inlock(m, r, kind);
}

CK_STATE session_state(const struct session *s)
{
	bool rw = (s->flags & CKF_RW_SESSION) != 0;

	if (s->reader->card.tokens[s->kind].logged_in)
		return rw ? CKS_RW_USER_FUNCTIONS : CKS_RO_USER_FUNCTIONS;
	return rw ? CKS_RW_PUBLIC_SESSION : CKS_RO_PUBLIC_SESSION;
}
