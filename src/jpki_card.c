/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening a card: SELECT of the JPKI AID, token information, certificate flags; close, logout. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "src/der.h"
#include "src/jpki_internal.h"
#include "src/log.h"
#include "src/sw.h"

/* EF 0006 fields (jpki-card.md §3.2): label, manufacturerID, model, serialNumber. */
#define TOKEN_INFO_READ	  96
#define CERT_FLAGS_LEN	  3
#define CERT_FLAG_PRESENT 0x8F

static const struct {
	const char *label;
	enum jpki_token_kind kind;
} kinds[] = {
    {"JPKIAPICCTOKEN2", JPKI_KIND_MYNUMBER},
    {"JPKIAPICCTOKEN", JPKI_KIND_JUKI},
    {"JPKIAPGPSETOKEN", JPKI_KIND_PHONE},
    {"JPKIAPIOSTOKEN", JPKI_KIND_PHONE},
};

/*
 * Copies a fixed-width field without its trailing spaces and NULs. A field that is not
 * printable ASCII is left empty: apart from the label its layout is single-source.
 */
static void copy_field(char *out, size_t out_size, const uint8_t *in, size_t in_len)
{
	size_t n = in_len < out_size - 1 ? in_len : out_size - 1;

	while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\0'))
		n--;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (in[i] < 0x20 || in[i] > 0x7e)
			return;
	memcpy(out, in, n);
	out[n] = '\0';
}

/* The part of field [off, off + len) that the card returned. */
static size_t field_len(size_t got, size_t off, size_t len)
{
	if (got <= off)
		return 0;
	return got - off < len ? got - off : len;
}

static enum jpki_rc read_small(struct jpki_card *c, int fid, size_t le, uint8_t *buf, size_t *got)
{
	const struct jpki_apdu a = {0x00, 0xB0, 0x00, 0x00, NULL, 0, le, false};
	uint8_t resp[2 + JPKI_APDU_SHORT_MAX_LE];
	struct jpki_resp r;
	enum jpki_rc rc;

	rc = jpki_select_ef(c, fid);
	if (rc == JPKI_ERR_NOT_FOUND)
		return JPKI_ERR_NOT_JPKI; /* the JPKI AID answered but its files are not there */
	if (rc != JPKI_OK)
		return rc;
	rc = jpki_xfer(c, &a, resp, sizeof(resp), &r);
	if (rc != JPKI_OK)
		return rc;
	rc = jpki_sw_read(r.sw);
	if (rc != JPKI_OK)
		return rc == JPKI_ERR_NOT_FOUND ? JPKI_ERR_BAD_RESPONSE : rc;
	if (r.len > le || r.len == 0)
		return JPKI_ERR_BAD_RESPONSE;
	memcpy(buf, r.data, r.len);
	*got = r.len;
	return JPKI_OK;
}

static void parse_token_info(struct jpki_card_info *info, const uint8_t *buf, size_t got)
{
	copy_field(info->label, sizeof(info->label), buf, field_len(got, 0, 32));
	copy_field(info->manufacturer, sizeof(info->manufacturer), buf + 32,
		   field_len(got, 32, 32));
	copy_field(info->model, sizeof(info->model), buf + 64, field_len(got, 64, 16));
	copy_field(info->serial, sizeof(info->serial), buf + 80, field_len(got, 80, 16));
	info->kind = JPKI_KIND_UNKNOWN;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(info->label, kinds[i].label) == 0)
			info->kind = kinds[i].kind;
}

static enum jpki_rc read_token_info(struct jpki_card *c)
{
	struct jpki_cache_entry *e = &c->entry;
	enum jpki_rc rc;

	_Static_assert(sizeof(e->token_info) == TOKEN_INFO_READ, "EF 0006 read size");
	rc = read_small(c, JPKI_FID_TOKEN_INFO, TOKEN_INFO_READ, e->token_info, &e->token_info_len);
	if (rc == JPKI_OK)
		parse_token_info(&c->info, e->token_info, e->token_info_len);
	return rc;
}

static enum jpki_rc read_cert_flags(struct jpki_card *c)
{
	uint8_t buf[CERT_FLAGS_LEN];
	size_t got = 0;
	enum jpki_rc rc;

	rc = read_small(c, JPKI_FID_CERT_FLAGS, sizeof(buf), buf, &got);
	if (rc != JPKI_OK)
		return rc;
	c->info.has_sign = buf[0] == CERT_FLAG_PRESENT;
	return JPKI_OK;
}

/*
 * The first 256 bytes of EF 000A: the certificate's serial number and issuer, which tell one
 * card from another without a PIN, and the start of the certificate (read on from there).
 * A card without the EF, or refusing to give it, simply has no head.
 */
static enum jpki_rc read_auth_head(struct jpki_card *c)
{
	const struct jpki_apdu a = {0x00, 0xB0, 0x00, 0x00, NULL, 0, JPKI_APDU_SHORT_MAX_LE, false};
	uint8_t resp[2 + JPKI_APDU_SHORT_MAX_LE];
	struct jpki_card_info *info = &c->info;
	struct jpki_resp r;
	size_t total = 0;
	enum jpki_rc rc;

	rc = jpki_select_ef(c, JPKI_FID_AUTH_CERT);
	if (rc == JPKI_ERR_NOT_FOUND)
		return JPKI_OK;
	if (rc != JPKI_OK)
		return rc;
	c->auth_ef = true;
	rc = jpki_xfer(c, &a, resp, sizeof(resp), &r);
	if (rc != JPKI_OK)
		return rc;
	if (jpki_sw_read(r.sw) != JPKI_OK || r.len == 0 || r.len > sizeof(info->auth_head))
		return JPKI_OK;
	rc = jpki_der_total_len(r.data, r.len, JPKI_DER_MAX, &total);
	if (rc == JPKI_ERR_BAD_RESPONSE)
		return JPKI_OK; /* not a certificate: no identity from it */
	info->auth_head_len = rc == JPKI_OK && total < r.len ? total : r.len;
	memcpy(info->auth_head, r.data, info->auth_head_len);
	return JPKI_OK;
}

/*
 * The authentication certificate EF 000A exists on every card kind but the old resident card
 * (whose JPKI predates the authentication certificate, jpki-card.md §10): decided from the
 * label; an unrecognised label goes by the SELECT of 000A in read_auth_head.
 */
static void decide_has_auth(struct jpki_card *c)
{
	switch (c->info.kind) {
	case JPKI_KIND_MYNUMBER:
	case JPKI_KIND_PHONE:
		c->info.has_auth = true;
		return;
	case JPKI_KIND_JUKI:
		c->info.has_auth = false;
		return;
	case JPKI_KIND_UNKNOWN:
		break;
	}
	c->info.has_auth = c->auth_ef;
}

/* EF 0006 from the disk cache entry of this card's head, if there is one. */
static bool probe_cached(struct jpki_card *c)
{
	struct jpki_cache_entry *e = &c->entry;

	if (c->cache_dir == NULL || c->info.auth_head_len == 0)
		return false;
	memcpy(e->head, c->info.auth_head, c->info.auth_head_len);
	e->head_len = c->info.auth_head_len;
	if (jpki_cache_load(c->cache_dir, e) != JPKI_OK)
		return false;
	parse_token_info(&c->info, e->token_info, e->token_info_len);
	jpki_log(JPKI_LOG_CARD, "cache: this card's entry found");
	return true;
}

static enum jpki_rc probe(struct jpki_card *c)
{
	enum jpki_rc rc;

	rc = jpki_txn_begin(c);
	if (rc != JPKI_OK)
		return rc;
	rc = jpki_select_aid(c);
	if (rc == JPKI_OK)
		rc = read_auth_head(c);
	if (rc == JPKI_OK)
		c->cache_hit = probe_cached(c);
	if (rc == JPKI_OK && !c->cache_hit)
		rc = read_token_info(c);
	if (rc == JPKI_OK)
		rc = read_cert_flags(c);
	if (rc == JPKI_OK)
		decide_has_auth(c);
	rc = jpki_txn_end(c, rc);
	if (rc == JPKI_OK && !c->cache_hit && c->cache_dir != NULL && c->info.auth_head_len > 0) {
		memcpy(c->entry.head, c->info.auth_head, c->info.auth_head_len);
		c->entry.head_len = c->info.auth_head_len;
		jpki_cache_store(c->cache_dir, &c->entry);
	}
	return rc;
}

enum jpki_rc jpki_card_open(const struct jpki_transport_ops *ops, struct jpki_transport *t,
			    const char *reader, struct jpki_card **out)
{
	return jpki_card_open_with(ops, t, reader, NULL, out);
}

enum jpki_rc jpki_card_open_with(const struct jpki_transport_ops *ops, struct jpki_transport *t,
				 const char *reader, const struct jpki_card_options *opt,
				 struct jpki_card **out)
{
	struct jpki_card *c;
	const char *cache;
	enum jpki_rc rc;

	if (ops == NULL || t == NULL || reader == NULL || out == NULL)
		return JPKI_ERR_ARGS;
	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return JPKI_ERR_NO_MEMORY;
	c->ops = ops;
	c->allow_extended = true;
	c->selected = JPKI_SEL_UNKNOWN;
	c->fresh = true;
	if (opt != NULL && opt->cache_dir != NULL && opt->cache_dir[0] != '\0') {
		c->cache_dir = strdup(opt->cache_dir);
		if (c->cache_dir == NULL) {
			free(c);
			return JPKI_ERR_NO_MEMORY;
		}
	}
	rc = ops->connect(t, reader, &c->conn);
	if (rc == JPKI_OK)
		rc = probe(c);
	cache = c->cache_dir == NULL ? "off" : c->cache_hit ? "hit" : "miss";
	jpki_log(JPKI_LOG_CARD, "open %s: %s (label \"%s\", auth %d, sign %d, cache %s, %lu APDUs)",
		 reader, jpki_rc_name(rc), c->info.label, c->info.has_auth, c->info.has_sign, cache,
		 c->apdus);
	if (rc != JPKI_OK) {
		jpki_card_close(c);
		return rc;
	}
	*out = c;
	return JPKI_OK;
}

void jpki_card_close(struct jpki_card *card)
{
	if (card == NULL)
		return;
	while (card->depth > 0)
		jpki_txn_end(card, JPKI_OK);
	if (card->conn != NULL)
		card->ops->disconnect(card->conn, false);
	jpki_cache_entry_clear(&card->entry);
	free(card->cache_dir);
	free(card);
}

const struct jpki_card_info *jpki_card_info(const struct jpki_card *card)
{
	return card != NULL ? &card->info : NULL;
}

void jpki_card_set_extended_apdu(struct jpki_card *card, bool allow)
{
	if (card != NULL)
		card->allow_extended = allow;
}

enum jpki_rc jpki_card_begin(struct jpki_card *card)
{
	if (card == NULL)
		return JPKI_ERR_ARGS;
	return jpki_txn_begin(card);
}

void jpki_card_end(struct jpki_card *card)
{
	if (card != NULL)
		jpki_txn_end(card, JPKI_OK);
}

enum jpki_rc jpki_card_logout(struct jpki_card *card)
{
	enum jpki_rc rc;

	if (card == NULL)
		return JPKI_ERR_ARGS;
	rc = jpki_txn_begin(card);
	if (rc != JPKI_OK)
		return rc;
	return jpki_txn_end(card, jpki_select_aid(card));
}

enum jpki_rc jpki_card_check(struct jpki_card *card)
{
	enum jpki_rc rc;

	if (card == NULL)
		return JPKI_ERR_ARGS;
	if (card->ops->status == NULL)
		return JPKI_OK;
	rc = card->ops->status(card->conn);
	if (rc != JPKI_OK)
		jpki_forget(card, rc);
	return rc;
}

void jpki_card_counters(const struct jpki_card *card, unsigned long *apdus, unsigned long *bytes)
{
	if (apdus != NULL)
		*apdus = card != NULL ? card->apdus : 0;
	if (bytes != NULL)
		*bytes = card != NULL ? card->bytes : 0;
}
