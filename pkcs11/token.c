/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "pkcs11/error_map.h"
#include "pkcs11/mechanism.h"
#include "pkcs11/session.h"
#include "pkcs11/slot.h"
#include "pkcs11/text.h"
#include "pkcs11/token.h"
#include "src/log.h"

/*
 * Labels: ASCII (they show in browser choosers and PIN prompts, which often cannot render
 * Japanese) and naming the secret the person will be asked for. Both fit 32 bytes.
 */
static const char *const token_labels[TOKEN_KINDS] = {
    "JPKI Auth (4-digit PIN)",
    "JPKI Sign (6-16 char password)",
};

/* PIN length limits and retry maxima (jpki-card.md §4.1). */
static const CK_ULONG pin_min[TOKEN_KINDS] = {4, 6};
static const CK_ULONG pin_max[TOKEN_KINDS] = {4, 16};
static const int max_tries[TOKEN_KINDS] = {3, 5};

/* Object labels and CKA_IDs: 01/02 key pairs, 03/04 CA certificates (as OpenSC numbers them). */
static const char *const cert_labels[TOKEN_KINDS] = {"JPKI authentication certificate",
						     "JPKI signature certificate"};
static const char *const ca_labels[TOKEN_KINDS] = {"JPKI authentication CA certificate",
						   "JPKI signature CA certificate"};
static const char *const key_labels[TOKEN_KINDS] = {"JPKI authentication key",
						    "JPKI signature key"};
static const char *const profile_labels[TOKEN_KINDS] = {"JPKI authentication token profile",
							"JPKI signature token profile"};
static const uint8_t key_ids[TOKEN_KINDS] = {0x01, 0x02};
static const uint8_t ca_ids[TOKEN_KINDS] = {0x03, 0x04};

int token_max_tries(enum token_kind kind)
{
	return max_tries[kind];
}

enum jpki_pin token_pin(enum token_kind kind)
{
	return kind == TOKEN_AUTH ? JPKI_PIN_AUTH : JPKI_PIN_SIGN;
}

enum jpki_key token_key(enum token_kind kind)
{
	return kind == TOKEN_AUTH ? JPKI_KEY_AUTH : JPKI_KEY_SIGN;
}

static enum jpki_cert cert_which(enum token_kind kind, bool ca)
{
	if (kind == TOKEN_AUTH)
		return ca ? JPKI_CERT_AUTH_CA : JPKI_CERT_AUTH;
	return ca ? JPKI_CERT_SIGN_CA : JPKI_CERT_SIGN;
}

static void token_init(struct token *t)
{
	memset(t, 0, sizeof(*t));
	t->tries_left = -1;
}

static void token_drop(struct token *t)
{
	int i;

	free(t->cert.der);
	free(t->ca.der);
	for (i = 0; i < OBJECT_COUNT; i++)
		object_free(&t->objects[i]);
	token_init(t);
}

void card_init(struct card *c)
{
	int k;

	memset(c, 0, sizeof(*c));
	jpki_pin_guard_init(&c->guard);
	for (k = 0; k < TOKEN_KINDS; k++)
		token_init(&c->tokens[k]);
}

void card_release(struct card *c)
{
	int k;

	if (c->jc != NULL)
		jpki_card_close(c->jc);
	c->jc = NULL;
	for (k = 0; k < TOKEN_KINDS; k++)
		token_drop(&c->tokens[k]);
	jpki_pin_guard_wipe(&c->guard);
}

void card_drop(struct card *c)
{
	unsigned long gen = c->gen;

	card_release(c);
	card_init(c);
	c->gen = gen;
}

void card_sync_inlock(struct module *m, struct reader *r)
{
	unsigned long gen;

	module_lock(m);
	gen = r->gen;
	module_unlock(m);
	if (r->card.gen != gen) {
		card_drop(&r->card);
		r->card.gen = gen;
	}
}

static bool card_gone(enum jpki_rc rc)
{
	return rc == JPKI_ERR_CARD_REMOVED || rc == JPKI_ERR_CARD_RESET || rc == JPKI_ERR_NO_CARD ||
	       rc == JPKI_ERR_NO_READER;
}

CK_RV card_result_inlock(struct module *m, struct reader *r, enum jpki_rc rc, const char *what)
{
	if (card_gone(rc)) {
		module_lock(m);
		slot_card_changed_inlock(r);
		module_unlock(m);
		card_sync_inlock(m, r);
	}
	return error_map(rc, what);
}

void token_pin_status(struct token *t, enum token_kind kind, const struct jpki_pin_status *st)
{
	t->pin_asked = true;
	if (st->locked) {
		t->locked = true;
		t->tries_left = 0;
	} else if (st->verified) {
		/* 9000 on the query: verified in this card session, so the counter is full. */
		t->locked = false;
		t->tries_left = max_tries[kind];
	} else if (st->tries_left >= 0) {
		t->locked = st->tries_left == 0;
		t->tries_left = st->tries_left;
	}
}

static CK_FLAGS pin_flags(const struct token *t, enum token_kind kind)
{
	if (t->locked)
		return CKF_USER_PIN_LOCKED;
	if (t->tries_left == 1)
		return CKF_USER_PIN_FINAL_TRY;
	if (t->tries_left > 1 && t->tries_left < max_tries[kind])
		return CKF_USER_PIN_COUNT_LOW;
	return 0;
}

/* Reads one certificate into the cache; a missing file is remembered, not an error. */
static enum jpki_rc cert_load(struct card *c, struct cert_cache *cc, enum jpki_cert which)
{
	enum jpki_rc rc;

	if (cc->der != NULL)
		return JPKI_OK;
	rc = jpki_card_read_cert(c->jc, which, &cc->der, &cc->len);
	/*
	 * Only certificates of tokens the probe found are read, so "not found" means the card
	 * left the application (a reset nobody reported): an error now, read again next time.
	 */
	if (rc == JPKI_ERR_NOT_FOUND)
		rc = JPKI_ERR_BAD_RESPONSE;
	if (rc != JPKI_OK)
		cc->der = NULL;
	return rc;
}

/*
 * A serial number per token that needs no PIN, is stable for a card and differs between cards
 * and between the two tokens: a hash over the token kind, EF 0006's serial and (where the card
 * has one) the first chunk of the public authentication certificate, which holds the
 * certificate's serial number and issuer. 16 upper-case hex digits.
 */
static void token_serial(struct card *c, enum token_kind kind)
{
	static const char tag[] = "jpki-pkcs11 token serial";
	unsigned char md[EVP_MAX_MD_SIZE], k = (unsigned char)kind;
	unsigned int len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int i;

	if (ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	    EVP_DigestUpdate(ctx, tag, sizeof(tag)) && EVP_DigestUpdate(ctx, &k, 1) &&
	    EVP_DigestUpdate(ctx, c->info.serial, strlen(c->info.serial)) &&
	    EVP_DigestUpdate(ctx, c->info.auth_head, c->info.auth_head_len) &&
	    EVP_DigestFinal_ex(ctx, md, &len)) {
		for (i = 0; i < 8; i++)
			snprintf(&c->tokens[kind].serial[2 * i], 3, "%02X", md[i]);
	} else {
		snprintf(c->tokens[kind].serial, sizeof(c->tokens[kind].serial), "%d", kind + 1);
	}
	EVP_MD_CTX_free(ctx);
}

/*
 * The one decision whether the card's tokens offer RSASSA-PSS: "on" and "off" as set; "auto"
 * asks the card (jpki_card_probe_pss, before any login) and offers it only when the card
 * shows the scheme. An answer that tells nothing keeps PSS off.
 */
static enum jpki_rc pss_decide(const struct module *m, struct card *c)
{
	enum jpki_pss_probe probe;
	enum jpki_rc rc;

	c->pss = m->settings.rsa_pss == JPKI_RSA_PSS_ON;
	if (m->settings.rsa_pss != JPKI_RSA_PSS_AUTO ||
	    (!c->tokens[TOKEN_AUTH].present && !c->tokens[TOKEN_SIGN].present))
		return JPKI_OK;
	rc = jpki_card_probe_pss(
	    c->jc, c->tokens[TOKEN_AUTH].present ? JPKI_KEY_AUTH : JPKI_KEY_SIGN, &probe);
	c->pss = rc == JPKI_OK && probe == JPKI_PSS_PRESENT;
	return rc;
}

static void probe_inlock(struct module *m, struct reader *r)
{
	struct card *c = &r->card;
	bool present, exclusive;
	struct jpki_transport *t;
	char cache_dir[JPKI_SETTINGS_PATH_LEN];
	struct jpki_card_options opt = {NULL};
	enum jpki_rc rc;
	int k;

	module_lock(m);
	present = r->present;
	exclusive = r->exclusive;
	t = m->transport;
	module_unlock(m);
	if (c->probe != PROBE_NONE || !present || t == NULL)
		return;
	if (exclusive) /* another process holds it: try again next time */
		return;
	if (jpki_settings_cache_dir(&m->settings, cache_dir, sizeof(cache_dir)))
		opt.cache_dir = cache_dir;
	rc = jpki_card_open_with(m->ops, t, r->name, &opt, &c->jc);
	if (rc == JPKI_ERR_BUSY)
		return;
	if (card_gone(rc)) {
		card_result_inlock(m, r, rc, "probe");
		return;
	}
	if (rc != JPKI_OK) {
		/*
		 * Asked again on the next call, a few times: a garbled answer, a reset nobody
		 * reported or a glitch looks like "not JPKI" once. Then cached for this
		 * insertion: no error storm on every C_GetSlotInfo.
		 */
		c->jc = NULL;
		if (++c->probe_failures >= PROBE_TRIES)
			c->probe = PROBE_NEGATIVE;
		jpki_log(rc == JPKI_ERR_NOT_JPKI ? JPKI_LOG_CARD : JPKI_LOG_ERROR,
			 "reader '%s': no JPKI token (%s)", r->name, jpki_rc_name(rc));
		return;
	}
	jpki_card_set_extended_apdu(c->jc, m->settings.extended_apdu);
	c->info = *jpki_card_info(c->jc);
	c->probe = PROBE_JPKI;
	/* The old resident card (住基カード) never had the authentication function. */
	c->tokens[TOKEN_AUTH].present = c->info.has_auth && c->info.kind != JPKI_KIND_JUKI;
	/* No signature certificate (cardholders under 15): no signature token at all. */
	c->tokens[TOKEN_SIGN].present = c->info.has_sign;
	rc = pss_decide(m, c);
	if (card_gone(rc)) {
		card_result_inlock(m, r, rc, "probe");
		return;
	}

	/* Certificates and PIN counters are read when first needed, not here. */
	for (k = 0; k < TOKEN_KINDS; k++)
		if (c->tokens[k].present)
			token_serial(c, (enum token_kind)k);
	jpki_log(JPKI_LOG_CARD, "reader '%s': %s, auth %s, sign %s", r->name, c->info.label,
		 c->tokens[TOKEN_AUTH].present ? "yes" : "no",
		 c->tokens[TOKEN_SIGN].present ? "yes" : "no");
}

bool token_present_inlock(struct module *m, struct reader *r, enum token_kind kind)
{
	probe_inlock(m, r);
	return r->card.probe == PROBE_JPKI && r->card.tokens[kind].present;
}

void token_presence(struct module *m, struct reader *r, bool rescan, bool present[TOKEN_KINDS])
{
	struct card *c = &r->card;
	int k;

	reader_lock(m, r);
	card_sync_inlock(m, r);
	/* One probe for both tokens; a failed one is asked again only on a rescan. */
	if (rescan || c->probe_failures == 0)
		probe_inlock(m, r);
	for (k = 0; k < TOKEN_KINDS; k++)
		present[k] = c->probe == PROBE_JPKI && c->tokens[k].present;
	reader_unlock(m, r);
}

/* The retry counter for the token flags, asked once per card; false when the card went away. */
static bool pin_asked_inlock(struct module *m, struct reader *r, enum token_kind kind)
{
	struct card *c = &r->card;
	struct jpki_pin_status st;
	enum jpki_rc rc;

	if (c->tokens[kind].pin_asked)
		return true;
	rc = jpki_card_pin_status(c->jc, token_pin(kind), &st);
	if (rc == JPKI_OK)
		token_pin_status(&c->tokens[kind], kind, &st);
	else if (card_gone(rc)) {
		card_result_inlock(m, r, rc, "PIN status");
		return false;
	}
	c->tokens[kind].pin_asked = true; /* an odd answer leaves the counter unknown */
	return true;
}

CK_RV token_info_inlock(struct module *m, struct reader *r, enum token_kind kind,
			CK_TOKEN_INFO *info)
{
	const struct card *c = &r->card;
	const struct token *t = &c->tokens[kind];

	if (!pin_asked_inlock(m, r, kind) || !token_present_inlock(m, r, kind))
		return CKR_TOKEN_NOT_PRESENT;
	memset(info, 0, sizeof(*info));
	text_pad(info->label, sizeof(info->label), token_labels[kind]);
	text_pad(info->manufacturerID, sizeof(info->manufacturerID),
		 c->info.manufacturer[0] ? c->info.manufacturer : "J-LIS");
	text_pad(info->model, sizeof(info->model), c->info.model[0] ? c->info.model : "JPKI card");
	text_pad(info->serialNumber, sizeof(info->serialNumber), t->serial);
	/*
	 * Not CKF_WRITE_PROTECTED: the objects are read-only (CKA_MODIFIABLE false), but the flag
	 * would forbid R/W sessions and with them C_SetPIN. Never
	 * CKF_PROTECTED_AUTHENTICATION_PATH.
	 */
	info->flags = CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED |
		      pin_flags(t, kind);
	info->ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
	info->ulMaxRwSessionCount = CK_EFFECTIVELY_INFINITE;
	session_count(m, r, kind, &info->ulSessionCount, &info->ulRwSessionCount);
	info->ulMaxPinLen = pin_max[kind];
	info->ulMinPinLen = pin_min[kind];
	info->ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
	info->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
	info->ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
	info->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
	memset(info->utcTime, ' ', sizeof(info->utcTime));
	return CKR_OK;
}

/* The key pair objects: from the token's own certificate alone. */
static CK_RV build_keys(struct module *m, struct token *t, enum token_kind kind, bool pss)
{
	CK_MECHANISM_TYPE mechs[MECHANISM_MAX];
	struct object_params p = {0};
	CK_RV rv;

	if (t->cert.der == NULL || t->objects[OBJECT_PRIVKEY].present)
		return CKR_OK;
	p.id = &key_ids[kind];
	p.id_len = 1;
	/* The signature certificate and its public key need the password (jpki-card.md §4.5). */
	p.private = kind == TOKEN_SIGN;
	p.label = key_labels[kind];
	p.mechs = mechs;
	p.n_mechs = mechanism_types(pss, mechs);
	if (!t->objects[OBJECT_PUBKEY].present) {
		rv = object_public_key(&t->objects[OBJECT_PUBKEY], t->cert.der, t->cert.len, &p);
		if (rv != CKR_OK)
			return rv;
	}
	p.private = true;
	p.always_authenticate = kind == TOKEN_SIGN && m->settings.sign_always_authenticate;
	return object_private_key(&t->objects[OBJECT_PRIVKEY], t->cert.der, t->cert.len, &p);
}

/* The certificate objects: the CA's, and the token's own (its issuer hash needs the CA). */
static CK_RV build_certs(struct token *t, enum token_kind kind)
{
	struct object_params p = {0};
	CK_RV rv;

	if (t->ca.der != NULL && !t->objects[OBJECT_CA].present) {
		p.label = ca_labels[kind];
		p.id = &ca_ids[kind];
		p.id_len = 1;
		rv = object_certificate(&t->objects[OBJECT_CA], t->ca.der, t->ca.len, t->ca.der,
					t->ca.len, OBJECT_CATEGORY_AUTHORITY, &p);
		if (rv != CKR_OK)
			return rv;
	}
	if (t->cert.der == NULL || t->objects[OBJECT_CERT].present)
		return CKR_OK;
	p.id = &key_ids[kind];
	p.id_len = 1;
	p.private = kind == TOKEN_SIGN;
	p.label = cert_labels[kind];
	return object_certificate(&t->objects[OBJECT_CERT], t->cert.der, t->cert.len, t->ca.der,
				  t->ca.len, OBJECT_CATEGORY_TOKEN_USER, &p);
}

/* What a call needs built: each level includes the ones before it. */
enum objects_need {
	NEED_CARD_FREE, /* the profile object: nothing from the card */
	NEED_KEYS,	/* the key pair: the token's own certificate */
	NEED_ALL,	/* the certificate objects too, the CA certificate with them */
};

static CK_RV build_profile(struct module *m, struct token *t, enum token_kind kind)
{
	struct object_params p = {0};

	if (!m->settings.public_certificates_token || t->objects[OBJECT_PROFILE].present)
		return CKR_OK;
	/*
	 * A PKCS#11 3.0 object from a v2.40 module: NSS 3.48+ then treats the token as "friendly"
	 * (its public objects are readable without a login) and logs in to it only when a key
	 * or a private certificate is really needed.
	 */
	p.label = profile_labels[kind];
	return object_profile(&t->objects[OBJECT_PROFILE], CKP_PUBLIC_CERTIFICATES_TOKEN, &p);
}

static CK_RV objects_inlock(struct module *m, struct reader *r, enum token_kind kind,
			    enum objects_need need)
{
	struct card *c = &r->card;
	struct token *t = &c->tokens[kind];
	enum jpki_rc rc = JPKI_OK;
	CK_RV rv;

	if (c->probe != PROBE_JPKI || !t->present)
		return CKR_TOKEN_NOT_PRESENT;
	rv = build_profile(m, t, kind);
	if (rv != CKR_OK || need == NEED_CARD_FREE)
		return rv;
	if (need == NEED_ALL)
		rc = cert_load(c, &t->ca, cert_which(kind, true));
	if (rc == JPKI_OK && (kind == TOKEN_AUTH || t->logged_in))
		rc = cert_load(c, &t->cert, cert_which(kind, false));
	if (rc == JPKI_ERR_SECURITY && kind == TOKEN_SIGN) {
		/* Someone re-selected the application: our login is gone. */
		jpki_log(JPKI_LOG_ERROR, "certificate refused: login state lost");
		t->logged_in = false;
		rc = JPKI_OK;
	}
	if (rc != JPKI_OK)
		return card_result_inlock(m, r, rc, "read certificate");
	rv = build_keys(m, t, kind, c->pss);
	if (rv == CKR_OK && need == NEED_ALL)
		rv = build_certs(t, kind);
	return rv;
}

CK_RV token_objects_inlock(struct module *m, struct reader *r, enum token_kind kind)
{
	return objects_inlock(m, r, kind, NEED_ALL);
}

static enum objects_need need_of_index(CK_ULONG i)
{
	if (i == OBJECT_PROFILE)
		return NEED_CARD_FREE;
	return i == OBJECT_PUBKEY || i == OBJECT_PRIVKEY ? NEED_KEYS : NEED_ALL;
}

/* A template's CKA_CLASS tells which objects it can match; without one, all of them. */
CK_RV token_objects_for_template_inlock(struct module *m, struct reader *r, enum token_kind kind,
					const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
	CK_OBJECT_CLASS cls;

	for (CK_ULONG i = 0; i < count; i++)
		if (tmpl[i].type == CKA_CLASS && tmpl[i].pValue != NULL &&
		    tmpl[i].ulValueLen == sizeof(cls)) {
			memcpy(&cls, tmpl[i].pValue, sizeof(cls));
			if (cls == CKO_PROFILE)
				return objects_inlock(m, r, kind, NEED_CARD_FREE);
			if (cls == CKO_PUBLIC_KEY || cls == CKO_PRIVATE_KEY)
				return objects_inlock(m, r, kind, NEED_KEYS);
			break;
		}
	return objects_inlock(m, r, kind, NEED_ALL);
}

CK_RV token_objects_for_handle_inlock(struct module *m, struct reader *r, enum token_kind kind,
				      CK_OBJECT_HANDLE h)
{
	return objects_inlock(m, r, kind, need_of_index((h & 0xF) - 1));
}

CK_OBJECT_HANDLE token_object_handle(CK_SLOT_ID slot, enum object_index i)
{
	return (CK_OBJECT_HANDLE)((slot + 1) << 4 | (CK_ULONG)(i + 1));
}

bool token_object_visible(const struct token *t, const struct object *o)
{
	return o->present && (!o->private || t->logged_in);
}

struct object *token_object_any_inlock(struct reader *r, enum token_kind kind, CK_SLOT_ID slot,
				       CK_OBJECT_HANDLE h)
{
	struct token *t = &r->card.tokens[kind];
	CK_ULONG i = (h & 0xF) - 1;

	if (h == CK_INVALID_HANDLE || (h >> 4) != slot + 1 || i >= OBJECT_COUNT ||
	    !t->objects[i].present)
		return NULL;
	return &t->objects[i];
}

struct object *token_object_inlock(struct reader *r, enum token_kind kind, CK_SLOT_ID slot,
				   CK_OBJECT_HANDLE h)
{
	struct object *o = token_object_any_inlock(r, kind, slot, h);

	return o != NULL && token_object_visible(&r->card.tokens[kind], o) ? o : NULL;
}

CK_RV token_key_inlock(struct module *m, struct reader *r, enum token_kind kind, CK_SLOT_ID slot,
		       CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE usage, struct object **key)
{
	CK_RV rv = token_objects_for_handle_inlock(m, r, kind, h);
	struct object *o;
	bool allowed = false;

	if (rv != CKR_OK)
		return rv;
	o = token_object_any_inlock(r, kind, slot, h);
	if (o == NULL || (o->cls != CKO_PUBLIC_KEY && o->cls != CKO_PRIVATE_KEY))
		return CKR_KEY_HANDLE_INVALID;
	if (!token_object_visible(&r->card.tokens[kind], o))
		return CKR_USER_NOT_LOGGED_IN;
	if (!attrs_get_bool(&o->attrs, usage, &allowed) || !allowed)
		return CKR_KEY_FUNCTION_NOT_PERMITTED;
	*key = o;
	return CKR_OK;
}
