/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading certificates: DER length from the header, then READ BINARY in chunks. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "src/der.h"
#include "src/jpki_internal.h"
#include "src/log.h"
#include "src/sw.h"

/* Short READ BINARY offsets are 15 bits (P1 bit 8 = 0): every offset below the bound fits. */
_Static_assert(JPKI_DER_MAX <= 0x7FFF, "READ BINARY offsets must fit in P1-P2");

struct reader {
	struct jpki_card *c;
	uint8_t *buf; /* JPKI_DER_MAX bytes */
	size_t got;
	size_t total; /* 0 while the DER header is incomplete */
	bool extended;
	size_t chunk;
	uint8_t *resp; /* chunk + 2 bytes */
};

static int cert_fid(enum jpki_cert which)
{
	switch (which) {
	case JPKI_CERT_AUTH:
		return JPKI_FID_AUTH_CERT;
	case JPKI_CERT_AUTH_CA:
		return JPKI_FID_AUTH_CA;
	case JPKI_CERT_SIGN:
		return JPKI_FID_SIGN_CERT;
	case JPKI_CERT_SIGN_CA:
		return JPKI_FID_SIGN_CA;
	}
	return -1;
}

/* Extended READ BINARY only when the caller allows it, the reader passes it, and the card
 * has not refused it before. */
static size_t chunk_size(struct jpki_card *c, bool *extended)
{
	size_t max = c->ops->max_response(c->conn);

	*extended = c->allow_extended && !c->extended_failed && max > JPKI_APDU_SHORT_MAX_LE;
	if (!*extended)
		return JPKI_APDU_SHORT_MAX_LE;
	return max < JPKI_DER_MAX ? max : JPKI_DER_MAX;
}

/* One READ BINARY at offset rd->got; appends what came back. Sets *sw. */
static enum jpki_rc read_chunk(struct reader *rd, size_t le, uint16_t *sw)
{
	const struct jpki_apdu a = {
	    0x00, 0xB0, (uint8_t)(rd->got >> 8), (uint8_t)rd->got, NULL, 0, le, rd->extended};
	struct jpki_resp r;
	enum jpki_rc rc;

	rc = jpki_xfer(rd->c, &a, rd->resp, rd->chunk + 2, &r);
	if (rc != JPKI_OK)
		return rc;
	*sw = r.sw;
	if (rd->extended && jpki_sw_extended_refused(r.sw)) {
		jpki_log(JPKI_LOG_CARD, "extended READ BINARY refused (%04X): short from now on",
			 r.sw);
		rd->c->extended_failed = true;
		rd->extended = false;
		rd->chunk = JPKI_APDU_SHORT_MAX_LE;
		return JPKI_OK; /* nothing appended; the caller asks again */
	}
	rc = jpki_sw_read(r.sw);
	if (rc == JPKI_ERR_NOT_FOUND)
		/* 6B00: the EF ends before the DER object does (or is empty). */
		return rd->got == 0 ? JPKI_ERR_NOT_FOUND : JPKI_ERR_BAD_RESPONSE;
	if (rc != JPKI_OK)
		return rc;
	/* Never trust the card's length: no more than asked, and some progress. */
	if (r.len > le || r.len == 0)
		return JPKI_ERR_BAD_RESPONSE;
	memcpy(rd->buf + rd->got, r.data, r.len);
	rd->got += r.len;
	return JPKI_OK;
}

static enum jpki_rc read_object(struct reader *rd)
{
	enum jpki_rc rc;
	uint16_t sw = 0;

	while (rd->total == 0 || rd->got < rd->total) {
		size_t want = rd->total != 0 ? rd->total - rd->got : JPKI_DER_MAX - rd->got;
		size_t le = want < rd->chunk ? want : rd->chunk;

		if (le == 0)
			return JPKI_ERR_BAD_RESPONSE;
		rc = read_chunk(rd, le, &sw);
		if (rc != JPKI_OK)
			return rc;
		if (rd->total == 0) {
			rc = jpki_der_total_len(rd->buf, rd->got, JPKI_DER_MAX, &rd->total);
			if (rc == JPKI_ERR_DATA_LENGTH)
				rd->total = 0; /* header incomplete: read on */
			else if (rc != JPKI_OK)
				return JPKI_ERR_BAD_RESPONSE;
		}
		/* 6282: the card says the EF ended; fine only when the object is complete. */
		if (sw == JPKI_SW_EOF && (rd->total == 0 || rd->got < rd->total))
			return JPKI_ERR_BAD_RESPONSE;
	}
	return JPKI_OK;
}

/* A copy of a certificate the disk cache entry holds; false when it has none. */
static bool from_cache(struct jpki_card *card, enum jpki_cert which, uint8_t **der, size_t *der_len)
{
	const struct jpki_cache_entry *e = &card->entry;

	if (card->cache_dir == NULL || !jpki_cache_cert_allowed(which) || e->cert[which] == NULL)
		return false;
	*der = malloc(e->cert_len[which]);
	if (*der == NULL)
		return false;
	memcpy(*der, e->cert[which], e->cert_len[which]);
	*der_len = e->cert_len[which];
	return true;
}

/* Adds a public certificate just read from the card to the disk cache entry. */
static void to_cache(struct jpki_card *card, enum jpki_cert which, const uint8_t *der,
		     size_t der_len)
{
	struct jpki_cache_entry *e = &card->entry;

	if (card->cache_dir == NULL || !jpki_cache_cert_allowed(which) || e->head_len == 0 ||
	    e->cert[which] != NULL)
		return;
	e->cert[which] = malloc(der_len);
	if (e->cert[which] == NULL)
		return;
	memcpy(e->cert[which], der, der_len);
	e->cert_len[which] = der_len;
	jpki_cache_store(card->cache_dir, e);
}

/* The authentication certificate starts with the chunk the probe read: read on after it. */
static void start_from_head(struct jpki_card *card, struct reader *rd)
{
	const struct jpki_card_info *info = &card->info;

	if (info->auth_head_len == 0)
		return;
	memcpy(rd->buf, info->auth_head, info->auth_head_len);
	rd->got = info->auth_head_len;
	if (jpki_der_total_len(rd->buf, rd->got, JPKI_DER_MAX, &rd->total) != JPKI_OK)
		rd->total = 0;
}

static bool cert_expected(const struct jpki_card *card, enum jpki_cert which)
{
	if (which == JPKI_CERT_AUTH || which == JPKI_CERT_AUTH_CA)
		return card->info.has_auth;
	return card->info.has_sign;
}

enum jpki_rc jpki_card_read_cert(struct jpki_card *card, enum jpki_cert which, uint8_t **der,
				 size_t *der_len)
{
	struct reader rd = {0};
	int fid = cert_fid(which);
	enum jpki_rc rc;

	if (card == NULL || der == NULL || der_len == NULL || fid < 0)
		return JPKI_ERR_ARGS;
	*der = NULL;
	*der_len = 0;
	if (from_cache(card, which, der, der_len)) {
		jpki_log(JPKI_LOG_CARD, "read cert %04X: from the disk cache, %zu bytes",
			 (unsigned)fid, *der_len);
		return JPKI_OK;
	}
	rd.c = card;
	rd.chunk = chunk_size(card, &rd.extended);
	rd.buf = malloc(JPKI_DER_MAX);
	rd.resp = malloc(rd.chunk + 2);
	if (rd.buf == NULL || rd.resp == NULL) {
		rc = JPKI_ERR_NO_MEMORY;
		goto out;
	}
	if (which == JPKI_CERT_AUTH)
		start_from_head(card, &rd);
	if (rd.total != 0 && rd.got >= rd.total) {
		rc = JPKI_OK; /* the head held all of it */
	} else {
		rc = jpki_txn_begin(card);
		if (rc != JPKI_OK)
			goto out;
		rc = jpki_select_ef(card, fid);
		/*
		 * The probe found this certificate's token: "not found" means the card left the
		 * application (a reset nobody reported), and jpki_txn_end selects it again.
		 */
		if (rc == JPKI_ERR_NOT_FOUND && cert_expected(card, which))
			rc = JPKI_ERR_BAD_RESPONSE;
		if (rc == JPKI_OK)
			rc = read_object(&rd);
		rc = jpki_txn_end(card, rc);
	}
	if (rc != JPKI_OK)
		goto out;
	*der = malloc(rd.total);
	if (*der == NULL) {
		rc = JPKI_ERR_NO_MEMORY;
		goto out;
	}
	/* The last chunk may carry filler past the object: only total bytes are kept. */
	memcpy(*der, rd.buf, rd.total);
	*der_len = rd.total;
	to_cache(card, which, *der, *der_len);
out:
	jpki_log(JPKI_LOG_CARD, "read cert %04X: %s, %zu bytes", (unsigned)fid, jpki_rc_name(rc),
		 *der_len);
	free(rd.buf);
	free(rd.resp);
	return rc;
}
