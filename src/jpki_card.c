/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening a card: SELECT of the JPKI AID, token information, certificate flags; close, logout. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

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

static enum jpki_rc read_token_info(struct jpki_card *c)
{
	struct jpki_card_info *info = &c->info;
	uint8_t buf[TOKEN_INFO_READ];
	size_t got = 0;
	enum jpki_rc rc;

	rc = read_small(c, JPKI_FID_TOKEN_INFO, sizeof(buf), buf, &got);
	if (rc != JPKI_OK)
		return rc;
	copy_field(info->label, sizeof(info->label), buf, field_len(got, 0, 32));
	copy_field(info->manufacturer, sizeof(info->manufacturer), buf + 32,
		   field_len(got, 32, 32));
	copy_field(info->model, sizeof(info->model), buf + 64, field_len(got, 64, 16));
	copy_field(info->serial, sizeof(info->serial), buf + 80, field_len(got, 80, 16));
	info->kind = JPKI_KIND_UNKNOWN;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(info->label, kinds[i].label) == 0)
			info->kind = kinds[i].kind;
	return JPKI_OK;
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
 * The authentication certificate EF 000A exists on every card kind but the old resident card
 * (whose JPKI predates the authentication certificate, jpki-card.md §10): decided from the
 * label without an APDU; only an unrecognised label costs a SELECT of 000A.
 */
static enum jpki_rc decide_has_auth(struct jpki_card *c)
{
	enum jpki_rc rc;

	switch (c->info.kind) {
	case JPKI_KIND_MYNUMBER:
	case JPKI_KIND_PHONE:
		c->info.has_auth = true;
		return JPKI_OK;
	case JPKI_KIND_JUKI:
		c->info.has_auth = false;
		return JPKI_OK;
	case JPKI_KIND_UNKNOWN:
		break;
	}
	rc = jpki_select_ef(c, JPKI_FID_AUTH_CERT);
	c->info.has_auth = rc == JPKI_OK;
	return rc == JPKI_ERR_NOT_FOUND ? JPKI_OK : rc;
}

static enum jpki_rc probe(struct jpki_card *c)
{
	enum jpki_rc rc;

	rc = jpki_txn_begin(c);
	if (rc != JPKI_OK)
		return rc;
	rc = jpki_select_aid(c);
	if (rc == JPKI_OK)
		rc = read_token_info(c);
	if (rc == JPKI_OK)
		rc = read_cert_flags(c);
	if (rc == JPKI_OK)
		rc = decide_has_auth(c);
	return jpki_txn_end(c, rc);
}

enum jpki_rc jpki_card_open(const struct jpki_transport_ops *ops, struct jpki_transport *t,
			    const char *reader, struct jpki_card **out)
{
	struct jpki_card *c;
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
	rc = ops->connect(t, reader, &c->conn);
	if (rc == JPKI_OK)
		rc = probe(c);
	jpki_log(JPKI_LOG_CARD, "open %s: %s (label \"%s\", auth %d, sign %d, %lu APDUs)", reader,
		 jpki_rc_name(rc), c->info.label, c->info.has_auth, c->info.has_sign, c->apdus);
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
