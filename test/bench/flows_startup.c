/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Flows A and E: what a browser does when it loads a module, and its token polling. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "test/bench/flows.h"

#define MAX_SLOTS 32

struct startup {
	CK_SLOT_ID slots[MAX_SLOTS], tokens[MAX_SLOTS];
	CK_SESSION_HANDLE sessions[MAX_SLOTS];
	CK_ULONG nslots, ntokens;
	size_t objects, certs, cert_bytes;
};

/* The attributes a browser reads of each class (NSS: certificate list, key lookup). */
static const CK_ATTRIBUTE_TYPE cert_attrs[] = {
    CKA_TOKEN,	 CKA_PRIVATE, CKA_CERTIFICATE_TYPE, CKA_LABEL,	 CKA_ID,
    CKA_SUBJECT, CKA_ISSUER,  CKA_SERIAL_NUMBER,    CKA_TRUSTED, CKA_VALUE,
};
static const CK_ATTRIBUTE_TYPE pubkey_attrs[] = {
    CKA_TOKEN, CKA_PRIVATE, CKA_KEY_TYPE, CKA_LABEL, CKA_ID, CKA_MODULUS, CKA_PUBLIC_EXPONENT,
};
static const CK_ATTRIBUTE_TYPE privkey_attrs[] = {
    CKA_TOKEN,	 CKA_PRIVATE, CKA_KEY_TYPE, CKA_LABEL,
    CKA_ID,	 CKA_SIGN,    CKA_DECRYPT,  CKA_ALWAYS_AUTHENTICATE,
    CKA_MODULUS,
};
static const CK_ATTRIBUTE_TYPE other_attrs[] = {CKA_TOKEN, CKA_PRIVATE, CKA_LABEL};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Reads the attributes one by one, as NSS does. Like a browser, the start-up goes on when a
 * module fails one attribute (OpenSC cannot give the sign public key's modulus before the
 * sign login); such failures are listed on stderr.
 */
static int read_attrs(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h,
		      const CK_ATTRIBUTE_TYPE *types, size_t n, struct startup *st)
{
	for (size_t i = 0; i < n; i++) {
		size_t len;
		CK_RV rv = bench_read_attr(f, s, h, types[i], &len);

		if (rv == CKR_HOST_MEMORY)
			return -1;
		if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID &&
		    rv != CKR_ATTRIBUTE_SENSITIVE)
			fprintf(stderr, "start-up: attribute 0x%lx of object %lu: CKR 0x%08lX\n",
				(unsigned long)types[i], (unsigned long)h, (unsigned long)rv);
		if (types[i] == CKA_VALUE && rv == CKR_OK) {
			st->certs++;
			st->cert_bytes += len;
		}
	}
	return 0;
}

static int read_object(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h,
		       struct startup *st)
{
	CK_OBJECT_CLASS cls;
	CK_ATTRIBUTE a = {CKA_CLASS, &cls, sizeof(cls)};

	if (bench_ok(f->C_GetAttributeValue(s, h, &a, 1), "C_GetAttributeValue(CKA_CLASS)") != 0)
		return -1;
	switch (cls) {
	case CKO_CERTIFICATE:
		return read_attrs(f, s, h, cert_attrs, N(cert_attrs), st);
	case CKO_PUBLIC_KEY:
		return read_attrs(f, s, h, pubkey_attrs, N(pubkey_attrs), st);
	case CKO_PRIVATE_KEY:
		return read_attrs(f, s, h, privkey_attrs, N(privkey_attrs), st);
	default:
		return read_attrs(f, s, h, other_attrs, N(other_attrs), st);
	}
}

/* Every object of the session (no template: all classes), then each one's attributes. */
static int read_objects(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, struct startup *st)
{
	CK_OBJECT_HANDLE *hs = NULL;
	size_t n = 0, cap = 0;
	int rc = -1;

	if (bench_ok(f->C_FindObjectsInit(s, NULL, 0), "C_FindObjectsInit") != 0)
		return -1;
	for (;;) {
		CK_ULONG got = 0;

		if (n + 16 > cap) {
			CK_OBJECT_HANDLE *more = realloc(hs, (cap + 64) * sizeof(*hs));

			if (!more)
				goto out;
			hs = more;
			cap += 64;
		}
		if (bench_ok(f->C_FindObjects(s, hs + n, 16, &got), "C_FindObjects") != 0)
			goto out;
		if (got == 0)
			break;
		n += got;
	}
	if (bench_ok(f->C_FindObjectsFinal(s), "C_FindObjectsFinal") != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (read_object(f, s, hs[i], st) != 0)
			goto out;
	st->objects += n;
	rc = 0;
out:
	free(hs);
	return rc;
}

static int slot_list(CK_FUNCTION_LIST_PTR f, CK_BBOOL present, CK_SLOT_ID *ids, CK_ULONG *n)
{
	CK_ULONG count = 0;

	if (bench_ok(f->C_GetSlotList(present, NULL, &count), "C_GetSlotList") != 0)
		return -1;
	if (count > MAX_SLOTS) {
		fprintf(stderr, "%lu slots, at most %d expected\n", (unsigned long)count,
			MAX_SLOTS);
		return -1;
	}
	*n = count;
	return bench_ok(f->C_GetSlotList(present, ids, n), "C_GetSlotList");
}

static int open_token(CK_FUNCTION_LIST_PTR f, CK_SLOT_ID slot, struct startup *st)
{
	CK_TOKEN_INFO ti;
	CK_MECHANISM_TYPE mechs[64];
	CK_ULONG nmechs = 0;
	CK_SESSION_HANDLE s;

	if (bench_ok(f->C_GetTokenInfo(slot, &ti), "C_GetTokenInfo") != 0 ||
	    bench_ok(f->C_GetMechanismList(slot, NULL, &nmechs), "C_GetMechanismList") != 0)
		return -1;
	if (nmechs > N(mechs)) {
		fprintf(stderr, "%lu mechanisms, at most %zu expected\n", (unsigned long)nmechs,
			N(mechs));
		return -1;
	}
	if (bench_ok(f->C_GetMechanismList(slot, mechs, &nmechs), "C_GetMechanismList") != 0 ||
	    bench_ok(f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s), "C_OpenSession") !=
		0)
		return -1;
	st->tokens[st->ntokens] = slot;
	st->sessions[st->ntokens++] = s;
	return read_objects(f, s, st);
}

/* Everything of flow A but C_Finalize; the sessions stay open. */
static int startup(CK_FUNCTION_LIST_PTR f, struct startup *st)
{
	CK_INFO info;
	CK_SLOT_ID present[MAX_SLOTS];
	CK_ULONG npresent;

	if (bench_initialize(f) != 0 || bench_ok(f->C_GetInfo(&info), "C_GetInfo") != 0 ||
	    slot_list(f, CK_FALSE, st->slots, &st->nslots) != 0 ||
	    slot_list(f, CK_TRUE, present, &npresent) != 0)
		return -1;
	for (CK_ULONG i = 0; i < st->nslots; i++) {
		CK_SLOT_INFO si;

		if (bench_ok(f->C_GetSlotInfo(st->slots[i], &si), "C_GetSlotInfo") != 0)
			return -1;
		if ((si.flags & CKF_TOKEN_PRESENT) && open_token(f, st->slots[i], st) != 0)
			return -1;
	}
	if (st->ntokens == 0 || st->certs == 0) {
		fprintf(stderr, "start-up found %lu tokens and %zu certificates\n",
			(unsigned long)st->ntokens, st->certs);
		return -1;
	}
	return 0;
}

static int shut_down(CK_FUNCTION_LIST_PTR f, const struct startup *st)
{
	for (CK_ULONG i = 0; i < st->ntokens; i++)
		if (bench_ok(f->C_CloseSession(st->sessions[i]), "C_CloseSession") != 0)
			return -1;
	return bench_ok(f->C_Finalize(NULL), "C_Finalize");
}

int flow_startup(struct flow_ctx *ctx)
{
	struct startup st = {0};

	if (meter_start(&ctx->meter) != 0 || startup(ctx->f, &st) != 0 ||
	    shut_down(ctx->f, &st) != 0 || meter_stop(&ctx->meter) != 0)
		return -1;
	fprintf(stderr,
		"start-up: %lu slots, %lu tokens, %zu objects, %zu certificates (%zu bytes)\n",
		(unsigned long)st.nslots, (unsigned long)st.ntokens, st.objects, st.certs,
		st.cert_bytes);
	return 0;
}

/* Browsers poll every token; the calls go round the tokens. */
int flow_token_info(struct flow_ctx *ctx)
{
	struct startup st = {0};
	CK_TOKEN_INFO ti;

	if (startup(ctx->f, &st) != 0 || meter_start(&ctx->meter) != 0)
		return -1;
	for (unsigned i = 0; i < ctx->count; i++)
		if (bench_ok(ctx->f->C_GetTokenInfo(st.tokens[i % st.ntokens], &ti),
			     "C_GetTokenInfo") != 0)
			return -1;
	if (meter_stop(&ctx->meter) != 0)
		return -1;
	return shut_down(ctx->f, &st);
}
