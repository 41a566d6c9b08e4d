/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "pkcs11/handles.h"

/* Process-wide so that handles stay unique across C_Finalize/C_Initialize. */
static atomic_ulong next_handle = 1;

void handles_init(struct handles *t)
{
	memset(t, 0, sizeof(*t));
}

void handles_free(struct handles *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

CK_RV handles_add(struct handles *t, void *ptr, CK_ULONG *handle)
{
	CK_ULONG h;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct handle_entry *v = realloc(t->v, cap * sizeof(*v));

		if (v == NULL)
			return CKR_HOST_MEMORY;
		t->v = v;
		t->cap = cap;
	}
	do
		h = atomic_fetch_add(&next_handle, 1);
	while (h == CK_INVALID_HANDLE);
	t->v[t->n].handle = h;
	t->v[t->n].ptr = ptr;
	t->n++;
	*handle = h;
	return CKR_OK;
}

static size_t find(const struct handles *t, CK_ULONG handle)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].handle == handle)
			return i;
	return t->n;
}

void *handles_get(const struct handles *t, CK_ULONG handle)
{
	size_t i = find(t, handle);

	return i < t->n ? t->v[i].ptr : NULL;
}

void *handles_remove(struct handles *t, CK_ULONG handle)
{
	size_t i = find(t, handle);
	void *ptr;

	if (i == t->n)
		return NULL;
	ptr = t->v[i].ptr;
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(t->v[0]));
	t->n--;
	return ptr;
}

size_t handles_count(const struct handles *t)
{
	return t->n;
}

void *handles_at(const struct handles *t, size_t i)
{
	return i < t->n ? t->v[i].ptr : NULL;
}
