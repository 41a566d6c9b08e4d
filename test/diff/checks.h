/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The checks of p11diff: API-level probes run in a fixed order against any PKCS#11 module,
 * each reducing what it observed to one word (CKR names joined by '/', then ':'-separated
 * facts), so that two modules can be compared line by line.
 */
#ifndef JPKI_TEST_CHECKS_H
#define JPKI_TEST_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#include "test/diff/p11util.h"

/* An object handle, slot ID and session handle that no module hands out in a short run. */
#define DIFF_BOGUS_HANDLE ((CK_ULONG)0x7ffffff0UL)
/* An attribute type and a mechanism no module defines (vendor range). */
#define DIFF_BOGUS_ATTRIBUTE ((CK_ATTRIBUTE_TYPE)(CKA_VENDOR_DEFINED | 0x4a504bUL))
#define DIFF_BOGUS_MECHANISM ((CK_MECHANISM_TYPE)(CKM_VENDOR_DEFINED | 0x4a504bUL))

struct diff_ctx {
	CK_FUNCTION_LIST_PTR f;
	CK_C_GetFunctionList get_function_list;
	const char *token_label; /* NULL when the slot was given by number */
	CK_SLOT_ID slot;
	CK_SLOT_ID bad_slot;		      /* not in the slot list */
	const char *pin, *wrong_pin, *so_pin; /* wrong_pin, so_pin may be NULL: checks n/a */
	bool allow_destroy;
	bool initialised;
	/* The key pair under test, found once at start: */
	CK_BYTE key_id[128];
	CK_ULONG key_id_len;
	bool always_auth; /* the private key has CKA_ALWAYS_AUTHENTICATE */
	CK_BYTE *cert;	  /* DER of the certificate with the same CKA_ID */
	CK_ULONG cert_len;
};

struct result {
	char text[512];
	size_t len;
};

/* Appends a return code name, '/'-separated from the previous one. */
void res_rv(struct result *r, CK_RV rv);
/* Appends ":" and a formatted fact. */
void res_fact(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Marks the check not applicable to this module: "n/a:why" (never compared). */
void res_na(struct result *r, const char *why);

typedef void check_fn(struct diff_ctx *c, struct result *r);

enum check_pre {
	PRE_INIT,      /* module initialised, no session open */
	PRE_FINALIZED, /* module not initialised */
};

struct check {
	const char *name;
	enum check_pre pre;
	check_fn *fn;
};

/* The tables, each ending with a NULL name, run in this order. */
extern const struct check checks_init[];
extern const struct check checks_args[];
extern const struct check checks_slot[];
extern const struct check checks_session[];
extern const struct check checks_login[];
extern const struct check checks_object[];
extern const struct check checks_sign[];
extern const struct check checks_misc[];
extern const struct check checks_destroy[];

/* Wrappers that keep c->initialised right. */
CK_RV ctx_initialize(struct diff_ctx *c, CK_VOID_PTR args);
CK_RV ctx_finalize(struct diff_ctx *c);

CK_RV ctx_open(struct diff_ctx *c, bool rw, CK_SESSION_HANDLE *s);
CK_RV ctx_login(struct diff_ctx *c, CK_SESSION_HANDLE s);
/* Opens a session, logs in and finds the private key: the usual start of a signing check. */
CK_RV ctx_user_session(struct diff_ctx *c, bool rw, CK_SESSION_HANDLE *s, CK_OBJECT_HANDLE *key);
/* The first object of class cls with the key pair's CKA_ID, or CK_INVALID_HANDLE. */
CK_OBJECT_HANDLE ctx_find(struct diff_ctx *c, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls);
/* C_SignInit, then the context-specific login an always-authenticate key needs. */
CK_RV ctx_sign_init(struct diff_ctx *c, CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE key);
bool ctx_has_mech(struct diff_ctx *c, CK_MECHANISM_TYPE type);

/* The test message, and its SHA-256 DigestInfo (the input of CKM_RSA_PKCS). */
extern const CK_BYTE diff_message[];
extern const size_t diff_message_len;
/* Fills out (51 bytes) with DigestInfo(SHA-256(diff_message)); returns 51. */
size_t diff_digest_info(CK_BYTE *out);
/* Fills out (32 bytes) with SHA-256(diff_message). */
void diff_sha256(CK_BYTE *out);

/*
 * Verifies sig with the public key of c->cert (OpenSSL). mech names the scheme: CKM_RSA_PKCS
 * (data = DigestInfo), CKM_RSA_PKCS_PSS (data = SHA-256 hash, MGF1-SHA-256, salt 32), or a
 * CKM_SHAx_RSA_PKCS / CKM_SHA256_RSA_PKCS_PSS (data = message).
 */
bool diff_verify(const struct diff_ctx *c, CK_MECHANISM_TYPE mech, const CK_BYTE *data,
		 size_t data_len, const CK_BYTE *sig, size_t sig_len);

#endif
