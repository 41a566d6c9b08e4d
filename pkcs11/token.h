/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the module knows about the card in one reader and the two tokens it gives: the probe
 * result (cached per card insertion), the login state and PIN counters of each token, and the
 * certificates and objects, read lazily and kept while the card stays. Everything here runs
 * with the reader's lock R held (the `_inlock` functions) and reaches the card only through
 * src/jpki.h.
 */
#ifndef JPKI_PKCS11_TOKEN_H
#define JPKI_PKCS11_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <p11-kit/pkcs11.h>

#include "pkcs11/object.h"
#include "src/jpki.h"
#include "src/pin_policy.h"

struct module;
struct reader;

enum token_kind {
	TOKEN_AUTH, /* 利用者証明用: authentication key, 4-digit PIN */
	TOKEN_SIGN, /* 署名用: signature key, 6-16 character password */
	TOKEN_KINDS,
};

static inline enum token_kind token_other(enum token_kind kind)
{
	return kind == TOKEN_AUTH ? TOKEN_SIGN : TOKEN_AUTH;
}

enum object_index {
	OBJECT_CERT,
	OBJECT_CA,
	OBJECT_PUBKEY,
	OBJECT_PRIVKEY,
	OBJECT_PROFILE, /* CKO_PROFILE, with public_certificates_token = on */
	OBJECT_COUNT,
};

struct cert_cache {
	uint8_t *der;
	size_t len;
};

struct token {
	bool present;
	bool logged_in; /* per token, shared by all its sessions */
	int tries_left; /* last known; -1 unknown */
	bool locked;
	bool pin_asked; /* the card was asked for the retry counter (lazily, for the flags) */
	char serial[17];
	struct cert_cache cert, ca;
	struct object objects[OBJECT_COUNT];
};

enum probe_state {
	PROBE_NONE,	/* not asked yet for this card */
	PROBE_JPKI,	/* a JPKI card: jc is open */
	PROBE_NEGATIVE, /* not a JPKI card or unusable: cached until the card changes */
};

/* Probes of one insertion before a failure is cached: a glitch must not hide the token. */
#define PROBE_TRIES 3

struct card {
	unsigned long gen; /* the reader generation this state belongs to */
	enum probe_state probe;
	unsigned probe_failures; /* failed probes of this insertion */
	struct jpki_card *jc;
	struct jpki_card_info info;
	struct jpki_pin_guard guard;
	struct token tokens[TOKEN_KINDS];
	bool pss; /* RSASSA-PSS offered (settings rsa_pss; "auto": the card's answer) */
};

void card_init(struct card *c);
/* Frees what the card state holds without preparing it for reuse (module teardown:
 * card_init would draw a new guard key, and OpenSSL may already be shut down). */
void card_release(struct card *c);
/* Closes the card and forgets everything learnt from it (nothing is sent to it). */
void card_drop(struct card *c);

/* Drops the state when the reader's generation moved on (card removed, reset, swapped). */
void card_sync_inlock(struct module *m, struct reader *r);

/*
 * Handles a card-side result: a removed or reset card starts a new generation (sessions of
 * the old one die, the login is gone); then the one jpki_rc -> CKR_ mapping.
 */
CK_RV card_result_inlock(struct module *m, struct reader *r, enum jpki_rc rc, const char *what);

/* Probes the card if needed (SELECT AID, head of EF 000A, EF 0006/0008); true if token exists. */
bool token_present_inlock(struct module *m, struct reader *r, enum token_kind kind);

/*
 * Which tokens the card in r gives (takes R itself; probes if needed). Without rescan, a
 * probe that failed is not asked again, so that the answer stays what the length query saw.
 */
void token_presence(struct module *m, struct reader *r, bool rescan, bool present[TOKEN_KINDS]);

/*
 * CK_TOKEN_INFO from cached state; the token must be present. The PIN counter behind the
 * flags is asked once per card (2 APDUs), on the first call for this token.
 * CKR_TOKEN_NOT_PRESENT when the card went away meanwhile.
 */
CK_RV token_info_inlock(struct module *m, struct reader *r, enum token_kind kind,
			CK_TOKEN_INFO *info);

/* Records a PIN status the card reported (flags COUNT_LOW / FINAL_TRY / LOCKED). */
void token_pin_status(struct token *t, enum token_kind kind, const struct jpki_pin_status *st);
/* The retry counter of a fresh or just-verified PIN. */
int token_max_tries(enum token_kind kind);
enum jpki_pin token_pin(enum token_kind kind);
enum jpki_key token_key(enum token_kind kind);

/*
 * Reads what is readable now (CA certificate; own certificate when public or logged in) and
 * builds all objects. A card refusing the private certificate means the login is gone.
 */
CK_RV token_objects_inlock(struct module *m, struct reader *r, enum token_kind kind);
/*
 * Only what a search with this template, or a use of handle h, needs: the profile object
 * (public_certificates_token) needs nothing from the card, as NSS looks for it when it first
 * meets the token; key objects come from the token's own certificate alone, so the CA
 * certificate is not read for them.
 */
CK_RV token_objects_for_template_inlock(struct module *m, struct reader *r, enum token_kind kind,
					const CK_ATTRIBUTE *tmpl, CK_ULONG count);
CK_RV token_objects_for_handle_inlock(struct module *m, struct reader *r, enum token_kind kind,
				      CK_OBJECT_HANDLE h);

/* Object handles encode slot and index: stable for a token, no table needed. */
CK_OBJECT_HANDLE token_object_handle(CK_SLOT_ID slot, enum object_index i);
/* The visible object named by h in this slot's token, or NULL. */
struct object *token_object_inlock(struct reader *r, enum token_kind kind, CK_SLOT_ID slot,
				   CK_OBJECT_HANDLE h);
/* Like token_object_inlock, but also finds private objects while logged out (for codes). */
struct object *token_object_any_inlock(struct reader *r, enum token_kind kind, CK_SLOT_ID slot,
				       CK_OBJECT_HANDLE h);
/*
 * The key h for an operation needing `usage` (CKA_SIGN, CKA_VERIFY): CKR_KEY_HANDLE_INVALID
 * when h is no key of this token, CKR_USER_NOT_LOGGED_IN when it is private and the token is
 * logged out, CKR_KEY_FUNCTION_NOT_PERMITTED when the key does not allow `usage`.
 */
CK_RV token_key_inlock(struct module *m, struct reader *r, enum token_kind kind, CK_SLOT_ID slot,
		       CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE usage, struct object **key);
bool token_object_visible(const struct token *t, const struct object *o);

#endif
