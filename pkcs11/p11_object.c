/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Object entry points (v2.40 §5.7). The objects come from the card (and the profile object
 * from the settings) and are read-only: CKA_MODIFIABLE, CKA_COPYABLE and CKA_DESTROYABLE are
 * false. A search for, or a look at, the profile object reads nothing from the card.
 */
#include "config.h"

#include <string.h>

#include "pkcs11/call.h"

/* The visible object h of the call's token (objects built on first need). */
static CK_RV lookup_inlock(struct call *c, CK_OBJECT_HANDLE h, struct object **o)
{
	CK_RV rv = token_objects_for_handle_inlock(c->m, c->r, c->kind, h);

	if (rv != CKR_OK)
		return rv;
	*o = token_object_inlock(c->r, c->kind, c->slot, h);
	return *o != NULL ? CKR_OK : CKR_OBJECT_HANDLE_INVALID;
}

static bool template_token(const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
	CK_ULONG i;

	for (i = 0; i < count; i++)
		if (tmpl[i].type == CKA_TOKEN && tmpl[i].pValue != NULL &&
		    tmpl[i].ulValueLen == sizeof(CK_BBOOL) && *(CK_BBOOL *)tmpl[i].pValue)
			return true;
	return false;
}

/* Any session: this token stores nothing new, token or session object. */
CK_RV C_CreateObject(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
		     CK_OBJECT_HANDLE_PTR phObject)
{
	struct call c;
	CK_RV rv = call_enter_session(
	    &c, __func__, (pTemplate != NULL || ulCount == 0) && phObject != NULL, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	if (template_token(pTemplate, ulCount) && !(c.s->flags & CKF_RW_SESSION))
		rv = CKR_SESSION_READ_ONLY;
	else
		rv = CKR_TOKEN_WRITE_PROTECTED;
out:
	return call_leave(&c, rv);
}

/* Any session. */
CK_RV C_CopyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
		   CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phNewObject)
{
	struct object *o;
	struct call c;
	CK_RV rv = call_enter_session(
	    &c, __func__, (pTemplate != NULL || ulCount == 0) && phNewObject != NULL, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	rv = lookup_inlock(&c, hObject, &o);
	if (rv == CKR_OK)
		rv = CKR_ACTION_PROHIBITED; /* CKA_COPYABLE is false */
out:
	return call_leave(&c, rv);
}

/* R/W session for token objects. */
CK_RV C_DestroyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject)
{
	struct object *o;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, true, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	rv = lookup_inlock(&c, hObject, &o);
	if (rv != CKR_OK)
		goto out;
	if (!(c.s->flags & CKF_RW_SESSION))
		rv = CKR_SESSION_READ_ONLY;
	else
		rv = CKR_ACTION_PROHIBITED; /* CKA_DESTROYABLE is false */
out:
	return call_leave(&c, rv);
}

/* Any session. */
CK_RV C_GetObjectSize(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ULONG_PTR pulSize)
{
	struct object *o;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pulSize != NULL, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	rv = lookup_inlock(&c, hObject, &o);
	if (rv == CKR_OK)
		*pulSize = CK_UNAVAILABLE_INFORMATION; /* objects take no token memory */
out:
	return call_leave(&c, rv);
}

/* Any session; private objects only while logged in. */
CK_RV C_GetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
			  CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
	struct object *o;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pTemplate != NULL || ulCount == 0, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	rv = lookup_inlock(&c, hObject, &o);
	if (rv == CKR_OK)
		rv = attrs_get(&o->attrs, pTemplate, ulCount);
out:
	return call_leave(&c, rv);
}

/* R/W session for token objects. */
CK_RV C_SetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
			  CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
	struct object *o;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pTemplate != NULL || ulCount == 0, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	rv = lookup_inlock(&c, hObject, &o);
	if (rv != CKR_OK)
		goto out;
	if (!(c.s->flags & CKF_RW_SESSION))
		rv = CKR_SESSION_READ_ONLY;
	else
		rv = CKR_ACTION_PROHIBITED; /* CKA_MODIFIABLE is false */
out:
	return call_leave(&c, rv);
}

/* Any session; finds private objects only while logged in. */
CK_RV C_FindObjectsInit(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
	struct find_op *find;
	struct token *t;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, pTemplate != NULL || ulCount == 0, hSession,
				      CALL_REFRESH);
	int i;

	if (rv != CKR_OK)
		goto out;
	find = &c.s->find;
	if (find->active) {
		rv = CKR_OPERATION_ACTIVE;
		goto out;
	}
	rv = token_objects_for_template_inlock(c.m, c.r, c.kind, pTemplate, ulCount);
	if (rv != CKR_OK)
		goto out;
	t = &c.r->card.tokens[c.kind];
	find->n = find->pos = 0;
	for (i = 0; i < OBJECT_COUNT; i++)
		if (token_object_visible(t, &t->objects[i]) &&
		    attrs_match(&t->objects[i].attrs, pTemplate, ulCount))
			find->found[find->n++] = token_object_handle(c.slot, (enum object_index)i);
	find->active = true;
out:
	return call_leave(&c, rv);
}

/* Any session with a search. */
CK_RV C_FindObjects(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR phObject,
		    CK_ULONG ulMaxObjectCount, CK_ULONG_PTR pulObjectCount)
{
	struct find_op *find;
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, phObject != NULL && pulObjectCount != NULL,
				      hSession, 0);
	CK_ULONG n = 0;

	if (rv != CKR_OK)
		goto out;
	find = &c.s->find;
	if (!find->active) {
		rv = CKR_OPERATION_NOT_INITIALIZED;
		goto out;
	}
	while (n < ulMaxObjectCount && find->pos < find->n)
		phObject[n++] = find->found[find->pos++];
	*pulObjectCount = n;
out:
	return call_leave(&c, rv);
}

/* Any session with a search. */
CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE hSession)
{
	struct call c;
	CK_RV rv = call_enter_session(&c, __func__, true, hSession, 0);

	if (rv != CKR_OK)
		goto out;
	if (!c.s->find.active)
		rv = CKR_OPERATION_NOT_INITIALIZED;
	c.s->find.active = false;
out:
	return call_leave(&c, rv);
}
