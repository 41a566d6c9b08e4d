/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The driver's APDU exchange: logging, counting, the 6F00 quirk, selection and transactions. */
#include "config.h"

#include "src/jpki_internal.h"
#include "src/log.h"
#include "src/pin_policy.h"
#include "src/sw.h"

/* Our largest command: COMPUTE DIGITAL SIGNATURE with 245 bytes (5 + 245 + 1). */
#define JPKI_CMD_BUF 261

static const uint8_t jpki_aid[] = {0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};

void jpki_forget(struct jpki_card *c, enum jpki_rc rc)
{
	c->selected = JPKI_SEL_UNKNOWN;
	if (rc == JPKI_ERR_CARD_RESET) {
		/* The card is back at MF level and may answer 6F00 once more. */
		c->need_aid = true;
		c->fresh = true;
	}
}

static enum jpki_rc transmit_once(struct jpki_card *c, const uint8_t *cmd, size_t cmd_len,
				  uint8_t *resp, size_t cap, struct jpki_resp *r)
{
	size_t resp_len = 0;
	enum jpki_rc rc;

	jpki_log_apdu(">>", cmd, cmd_len);
	rc = c->ops->transmit(c->conn, cmd, cmd_len, resp, cap, &resp_len);
	c->apdus++;
	c->bytes += cmd_len;
	if (rc != JPKI_OK) {
		jpki_log(JPKI_LOG_CARD, "transmit: %s", jpki_rc_name(rc));
		jpki_forget(c, rc);
		return rc;
	}
	if (resp_len > cap)
		resp_len = cap; /* a transport must not claim more than it was given room for */
	c->bytes += resp_len;
	jpki_log_apdu("<<", resp, resp_len);
	rc = jpki_apdu_parse(resp, resp_len, r);
	if (rc != JPKI_OK)
		jpki_forget(c, rc);
	return rc;
}

enum jpki_rc jpki_xfer(struct jpki_card *c, const struct jpki_apdu *a, uint8_t *resp, size_t cap,
		       struct jpki_resp *r)
{
	uint8_t cmd[JPKI_CMD_BUF];
	size_t cmd_len = 0;
	enum jpki_rc rc;

	rc = jpki_apdu_build(a, cmd, sizeof(cmd), &cmd_len);
	if (rc != JPKI_OK)
		return JPKI_ERR_INTERNAL;
	rc = transmit_once(c, cmd, cmd_len, resp, cap, r);
	/*
	 * Some cards answer the first command after power-up 6F00 (jpki-card.md §1.5): repeat it
	 * once. Never a VERIFY or CHANGE REFERENCE DATA: a PIN is sent at most once.
	 */
	if (rc == JPKI_OK && c->fresh && r->sw == JPKI_SW_NO_DIAGNOSIS && a->ins != 0x20 &&
	    a->ins != 0x24) {
		jpki_log(JPKI_LOG_CARD, "6F00 on the first command: repeating it once");
		c->fresh = false;
		rc = transmit_once(c, cmd, cmd_len, resp, cap, r);
	}
	if (rc == JPKI_OK)
		c->fresh = false;
	jpki_wipe(cmd, sizeof(cmd));
	return rc;
}

enum jpki_rc jpki_select_aid(struct jpki_card *c)
{
	const struct jpki_apdu a = {0x00, 0xA4, 0x04, 0x0C, jpki_aid, sizeof(jpki_aid), 0, false};
	uint8_t resp[2 + JPKI_APDU_SHORT_MAX_LE];
	struct jpki_resp r;
	enum jpki_rc rc;

	c->selected = JPKI_SEL_UNKNOWN;
	rc = jpki_xfer(c, &a, resp, sizeof(resp), &r);
	if (rc != JPKI_OK)
		return rc;
	rc = jpki_sw_select_aid(r.sw);
	if (rc == JPKI_OK) {
		c->selected = JPKI_SEL_DF;
		c->need_aid = false;
	}
	return rc;
}

static bool ef_always_there(int fid)
{
	return fid == JPKI_FID_AUTH_KEY || fid == JPKI_FID_AUTH_PIN || fid == JPKI_FID_SIGN_KEY ||
	       fid == JPKI_FID_SIGN_PIN;
}

enum jpki_rc jpki_select_ef(struct jpki_card *c, int fid)
{
	uint8_t fid_bytes[2] = {(uint8_t)(fid >> 8), (uint8_t)fid};
	const struct jpki_apdu a = {0x00, 0xA4, 0x02, 0x0C, fid_bytes, 2, 0, false};
	uint8_t resp[2 + JPKI_APDU_SHORT_MAX_LE];
	struct jpki_resp r;
	enum jpki_rc rc;

	if (c->need_aid) {
		rc = jpki_select_aid(c);
		if (rc != JPKI_OK)
			return rc;
	}
	if (c->depth > 0 && c->selected == fid)
		return JPKI_OK;
	c->selected = JPKI_SEL_UNKNOWN;
	rc = jpki_xfer(c, &a, resp, sizeof(resp), &r);
	if (rc != JPKI_OK)
		return rc;
	rc = jpki_sw_select_ef(r.sw);
	if (rc == JPKI_OK)
		c->selected = fid;
	else if (rc == JPKI_ERR_NOT_FOUND && ef_always_there(fid)) {
		/*
		 * The driver asks for a PIN or key EF only of a token the card has: "not found"
		 * means the card left the application (a reset nobody reported). The next
		 * transaction selects it again.
		 */
		c->need_aid = true;
		rc = JPKI_ERR_BAD_RESPONSE;
	}
	return rc;
}

enum jpki_rc jpki_txn_begin(struct jpki_card *c)
{
	enum jpki_rc rc;

	if (c->depth == 0) {
		/* Another process may have used the card since our last transaction. */
		c->selected = JPKI_SEL_UNKNOWN;
		rc = c->ops->begin(c->conn);
		if (rc != JPKI_OK) {
			jpki_forget(c, rc);
			return rc;
		}
	}
	c->depth++;
	return JPKI_OK;
}

enum jpki_rc jpki_txn_end(struct jpki_card *c, enum jpki_rc rc)
{
	if (rc != JPKI_OK)
		c->selected = JPKI_SEL_UNKNOWN;
	/*
	 * A garbled answer or a lost exchange leaves the card's state unknown (it may have been
	 * reset without anyone telling us): the next transaction selects the application again.
	 */
	if (rc == JPKI_ERR_BAD_RESPONSE || rc == JPKI_ERR_TRANSPORT)
		c->need_aid = true;
	if (c->depth == 0)
		return rc;
	c->depth--;
	if (c->depth == 0) {
		c->selected = JPKI_SEL_UNKNOWN;
		c->ops->end(c->conn);
	}
	return rc;
}
