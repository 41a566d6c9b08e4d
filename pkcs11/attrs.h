/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An object's attributes: a small list of (type, value) pairs, plus the attributes that are
 * valid for the object's class but never revealed (a private key's CKA_PRIVATE_EXPONENT).
 * attrs_get implements C_GetAttributeValue's walk over a whole template; attrs_match is the
 * C_FindObjectsInit comparison.
 */
#ifndef JPKI_PKCS11_ATTRS_H
#define JPKI_PKCS11_ATTRS_H

#include <stdbool.h>
#include <stddef.h>

#include <p11-kit/pkcs11.h>

struct attr {
	CK_ATTRIBUTE_TYPE type;
	bool sensitive;
	CK_ULONG len;
	void *value; /* NULL when len is 0 or the attribute is sensitive */
};

struct attrs {
	struct attr *v;
	size_t n, cap;
	bool failed; /* an allocation failed while building */
};

void attrs_init(struct attrs *a);
void attrs_free(struct attrs *a);

/* Builders: a type given twice keeps the last value. Failures are collected in a->failed. */
void attrs_add(struct attrs *a, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len);
void attrs_add_bool(struct attrs *a, CK_ATTRIBUTE_TYPE type, bool value);
void attrs_add_ulong(struct attrs *a, CK_ATTRIBUTE_TYPE type, CK_ULONG value);
void attrs_add_sensitive(struct attrs *a, CK_ATTRIBUTE_TYPE type);

const struct attr *attrs_find(const struct attrs *a, CK_ATTRIBUTE_TYPE type);
/* True and *value set when the attribute is a CK_BBOOL present in a. */
bool attrs_get_bool(const struct attrs *a, CK_ATTRIBUTE_TYPE type, bool *value);

/*
 * C_GetAttributeValue over the whole template: each entry gets its value, its length (pValue
 * NULL) or CK_UNAVAILABLE_INFORMATION, and the walk always continues. Result: CKR_OK, or
 * CKR_ATTRIBUTE_SENSITIVE, CKR_ATTRIBUTE_TYPE_INVALID, CKR_BUFFER_TOO_SMALL (in this order of
 * precedence when several apply).
 */
CK_RV attrs_get(const struct attrs *a, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count);

/* True when every template entry is present in a with the same bytes (no sensitive ones). */
bool attrs_match(const struct attrs *a, const CK_ATTRIBUTE *tmpl, CK_ULONG count);

#endif
