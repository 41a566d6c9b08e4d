/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pkcs11/attrs.h"

void attrs_init(struct attrs *a)
{
	memset(a, 0, sizeof(*a));
}

void attrs_free(struct attrs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i].value);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static struct attr *slot_for(struct attrs *a, CK_ATTRIBUTE_TYPE type)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->v[i].type == type) {
			free(a->v[i].value);
			memset(&a->v[i], 0, sizeof(a->v[i]));
			a->v[i].type = type;
			return &a->v[i];
		}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		struct attr *v = realloc(a->v, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		a->v = v;
		a->cap = cap;
	}
	memset(&a->v[a->n], 0, sizeof(a->v[0]));
	a->v[a->n].type = type;
	return &a->v[a->n++];
}

void attrs_add(struct attrs *a, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len)
{
	struct attr *at = slot_for(a, type);

	if (at == NULL) {
		a->failed = true;
		return;
	}
	if (len == 0)
		return;
	at->value = malloc(len);
	if (at->value == NULL) {
		a->failed = true;
		return;
	}
	memcpy(at->value, value, len);
	at->len = len;
}

void attrs_add_bool(struct attrs *a, CK_ATTRIBUTE_TYPE type, bool value)
{
	CK_BBOOL b = value ? CK_TRUE : CK_FALSE;

	attrs_add(a, type, &b, sizeof(b));
}

void attrs_add_ulong(struct attrs *a, CK_ATTRIBUTE_TYPE type, CK_ULONG value)
{
	attrs_add(a, type, &value, sizeof(value));
}

void attrs_add_sensitive(struct attrs *a, CK_ATTRIBUTE_TYPE type)
{
	struct attr *at = slot_for(a, type);

	if (at == NULL)
		a->failed = true;
	else
		at->sensitive = true;
}

const struct attr *attrs_find(const struct attrs *a, CK_ATTRIBUTE_TYPE type)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->v[i].type == type)
			return &a->v[i];
	return NULL;
}

bool attrs_get_bool(const struct attrs *a, CK_ATTRIBUTE_TYPE type, bool *value)
{
	const struct attr *at = attrs_find(a, type);

	if (at == NULL || at->sensitive || at->len != sizeof(CK_BBOOL))
		return false;
	*value = *(const CK_BBOOL *)at->value != CK_FALSE;
	return true;
}

CK_RV attrs_get(const struct attrs *a, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count)
{
	bool sensitive = false, invalid = false, too_small = false;
	CK_ULONG i;

	for (i = 0; i < count; i++) {
		const struct attr *at = attrs_find(a, tmpl[i].type);

		if (at == NULL) {
			tmpl[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
			invalid = true;
		} else if (at->sensitive) {
			tmpl[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
			sensitive = true;
		} else if (tmpl[i].pValue == NULL) {
			tmpl[i].ulValueLen = at->len;
		} else if (tmpl[i].ulValueLen >= at->len) {
			if (at->len > 0)
				memcpy(tmpl[i].pValue, at->value, at->len);
			tmpl[i].ulValueLen = at->len;
		} else {
			tmpl[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
			too_small = true;
		}
	}
	if (sensitive)
		return CKR_ATTRIBUTE_SENSITIVE;
	if (invalid)
		return CKR_ATTRIBUTE_TYPE_INVALID;
	if (too_small)
		return CKR_BUFFER_TOO_SMALL;
	return CKR_OK;
}

bool attrs_match(const struct attrs *a, const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
	CK_ULONG i;

	for (i = 0; i < count; i++) {
		const struct attr *at = attrs_find(a, tmpl[i].type);

		if (at == NULL || at->sensitive || at->len != tmpl[i].ulValueLen)
			return false;
		if (at->len > 0 &&
		    (tmpl[i].pValue == NULL || memcmp(at->value, tmpl[i].pValue, at->len) != 0))
			return false;
	}
	return true;
}
