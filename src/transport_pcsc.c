/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The PC/SC transport (pcsc-lite). The context is established lazily on first use, so that
 * loading the module (C_Initialize) never talks to pcscd, and again after pcscd went away.
 * Waits run on a context of their own: pcsc-lite holds a context's lock for the whole of
 * SCardGetStatusChange, which would otherwise stall every APDU of the same context.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <PCSC/winscard.h>
#include <PCSC/reader.h>

#include "src/log.h"
#include "src/transport.h"

#define PNP_READER "\\\\?PnP?\\Notification"
/* A wait re-lists the readers this often, which also bounds a cancel racing its start. */
#define WAIT_SLICE_MS 1000
#define MAX_READERS   16

struct jpki_transport {
	pthread_mutex_t lock; /* ctx, have_ctx, wait_ctx, have_wait_ctx */
	SCARDCONTEXT ctx, wait_ctx;
	bool have_ctx, have_wait_ctx;
	pthread_mutex_t wait_lock; /* one wait_change at a time */
	atomic_bool cancelled;
};

struct jpki_connection {
	struct jpki_transport *t;
	SCARDHANDLE h;
	DWORD protocol;
	unsigned depth;
	size_t max_response;
};

/* The one place where SCARD_ codes become jpki_rc. */
static enum jpki_rc map_rv(LONG rv)
{
	switch (rv) {
	case SCARD_S_SUCCESS:
		return JPKI_OK;
	case SCARD_E_NO_SERVICE:
	case SCARD_E_SERVICE_STOPPED:
	case SCARD_E_INVALID_HANDLE: /* e.g. a context from before a pcscd restart */
		return JPKI_ERR_NO_SERVICE;
	case SCARD_E_NO_READERS_AVAILABLE:
	case SCARD_E_UNKNOWN_READER:
	case SCARD_E_READER_UNAVAILABLE:
		return JPKI_ERR_NO_READER;
	case SCARD_E_NO_SMARTCARD:
		return JPKI_ERR_NO_CARD;
	case SCARD_W_REMOVED_CARD:
		return JPKI_ERR_CARD_REMOVED;
	case SCARD_W_RESET_CARD:
		return JPKI_ERR_CARD_RESET;
	case SCARD_E_SHARING_VIOLATION:
		return JPKI_ERR_BUSY;
	case SCARD_E_CANCELLED:
		return JPKI_ERR_CANCELLED;
	case SCARD_E_TIMEOUT:
		return JPKI_ERR_TIMEOUT;
	case SCARD_E_NO_MEMORY:
		return JPKI_ERR_NO_MEMORY;
	case SCARD_E_INSUFFICIENT_BUFFER:
		return JPKI_ERR_BAD_RESPONSE; /* the card answered more than we asked for */
	case SCARD_W_UNRESPONSIVE_CARD:
	case SCARD_W_UNSUPPORTED_CARD:
	case SCARD_E_PROTO_MISMATCH:
		return JPKI_ERR_NOT_JPKI;
	default:
		return JPKI_ERR_TRANSPORT;
	}
}

static enum jpki_rc check_rv(const char *what, LONG rv)
{
	enum jpki_rc rc = map_rv(rv);

	if (rc != JPKI_OK)
		jpki_log(JPKI_LOG_CARD, "%s: %s (0x%08lX)", what, jpki_rc_name(rc),
			 (unsigned long)rv);
	return rc;
}

static enum jpki_rc pcsc_open(void *arg, struct jpki_transport **out)
{
	struct jpki_transport *t;

	if (out == NULL)
		return JPKI_ERR_ARGS;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return JPKI_ERR_NO_MEMORY;
	pthread_mutex_init(&t->lock, NULL);
	pthread_mutex_init(&t->wait_lock, NULL);
	atomic_init(&t->cancelled, false);
	*out = t;
	return JPKI_OK;
}

static void pcsc_close(struct jpki_transport *t)
{
	if (t == NULL)
		return;
	if (t->have_ctx)
		SCardReleaseContext(t->ctx);
	if (t->have_wait_ctx)
		SCardReleaseContext(t->wait_ctx);
	pthread_mutex_destroy(&t->lock);
	pthread_mutex_destroy(&t->wait_lock);
	free(t);
}

/* Establishes *ctx if needed (lock held). */
static enum jpki_rc ensure_ctx(SCARDCONTEXT *ctx, bool *have)
{
	LONG rv;

	if (*have)
		return JPKI_OK;
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, ctx);
	if (rv != SCARD_S_SUCCESS)
		return check_rv("SCardEstablishContext", rv);
	*have = true;
	return JPKI_OK;
}

/* After pcscd went away: establish a new context next time (lock held). */
static void drop_ctx(SCARDCONTEXT *ctx, bool *have)
{
	if (*have)
		SCardReleaseContext(*ctx);
	*have = false;
}

static enum jpki_rc get_ctx(struct jpki_transport *t, SCARDCONTEXT *ctx)
{
	enum jpki_rc rc;

	pthread_mutex_lock(&t->lock);
	rc = ensure_ctx(&t->ctx, &t->have_ctx);
	*ctx = t->ctx;
	pthread_mutex_unlock(&t->lock);
	return rc;
}

static void service_lost(struct jpki_transport *t, enum jpki_rc rc)
{
	if (rc != JPKI_ERR_NO_SERVICE)
		return;
	pthread_mutex_lock(&t->lock);
	drop_ctx(&t->ctx, &t->have_ctx);
	pthread_mutex_unlock(&t->lock);
}

/* The reader names as a multi-string (caller frees), or NULL with *n = 0 for none. */
static enum jpki_rc list_names(SCARDCONTEXT ctx, char **names, size_t *n)
{
	DWORD len = 0;
	LONG rv;

	*names = NULL;
	*n = 0;
	rv = SCardListReaders(ctx, NULL, NULL, &len);
	if (rv == SCARD_E_NO_READERS_AVAILABLE)
		return JPKI_OK;
	if (rv != SCARD_S_SUCCESS)
		return check_rv("SCardListReaders", rv);
	*names = calloc(1, len + 1);
	if (*names == NULL)
		return JPKI_ERR_NO_MEMORY;
	rv = SCardListReaders(ctx, NULL, *names, &len);
	if (rv == SCARD_E_NO_READERS_AVAILABLE) {
		free(*names);
		*names = NULL;
		return JPKI_OK;
	}
	if (rv != SCARD_S_SUCCESS) {
		free(*names);
		*names = NULL;
		return check_rv("SCardListReaders", rv);
	}
	for (const char *p = *names; *p != '\0' && *n < MAX_READERS; p += strlen(p) + 1)
		(*n)++;
	return JPKI_OK;
}

static void fill_state(struct jpki_reader_state *st, const SCARD_READERSTATE *rs)
{
	size_t atr_len = rs->cbAtr < JPKI_ATR_MAX ? rs->cbAtr : JPKI_ATR_MAX;

	snprintf(st->name, sizeof(st->name), "%s", rs->szReader);
	st->present = (rs->dwEventState & SCARD_STATE_PRESENT) != 0;
	st->exclusive = (rs->dwEventState & SCARD_STATE_EXCLUSIVE) != 0;
	/* pcsc-lite keeps an event counter in the high 16 bits. */
	st->event_count = (unsigned)((rs->dwEventState >> 16) & 0xffff);
	st->atr_len = st->present ? atr_len : 0;
	memcpy(st->atr, rs->rgbAtr, st->atr_len);
}

static enum jpki_rc pcsc_readers(struct jpki_transport *t, struct jpki_reader_state *states,
				 size_t *count)
{
	SCARD_READERSTATE rs[MAX_READERS];
	SCARDCONTEXT ctx;
	char *names = NULL;
	size_t n = 0, i = 0;
	enum jpki_rc rc;
	LONG rv;

	if (t == NULL || count == NULL || (states == NULL && *count > 0))
		return JPKI_ERR_ARGS;
	rc = get_ctx(t, &ctx);
	if (rc == JPKI_OK)
		rc = list_names(ctx, &names, &n);
	if (rc != JPKI_OK || n == 0) {
		service_lost(t, rc);
		*count = 0;
		return rc;
	}
	memset(rs, 0, sizeof(rs));
	for (const char *p = names; i < n; p += strlen(p) + 1, i++) {
		rs[i].szReader = p;
		rs[i].dwCurrentState = SCARD_STATE_UNAWARE;
	}
	rv = SCardGetStatusChange(ctx, 0, rs, (DWORD)n);
	rc = check_rv("SCardGetStatusChange", rv);
	if (rc == JPKI_OK) {
		for (i = 0; i < n && i < *count; i++)
			fill_state(&states[i], &rs[i]);
		*count = n;
	} else {
		service_lost(t, rc);
		*count = 0;
	}
	free(names);
	return rc;
}

/* True when the reader list is not the one the caller knows. */
static bool readers_differ(const char *names, size_t n, const struct jpki_reader_state *known,
			   size_t count)
{
	if (n != count)
		return true;
	for (size_t i = 0; i < count; i++) {
		bool found = false;

		for (const char *p = names; *p != '\0' && !found; p += strlen(p) + 1)
			found = strcmp(p, known[i].name) == 0;
		if (!found)
			return true;
	}
	return false;
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* One slice of waiting: JPKI_OK on a change, JPKI_ERR_TIMEOUT when the slice passed. */
static enum jpki_rc wait_slice(SCARDCONTEXT ctx, const struct jpki_reader_state *known,
			       size_t count, DWORD slice_ms)
{
	SCARD_READERSTATE rs[MAX_READERS + 1];
	char *names = NULL;
	size_t n = 0;
	enum jpki_rc rc;
	LONG rv;

	rc = list_names(ctx, &names, &n);
	if (rc != JPKI_OK)
		return rc;
	if (readers_differ(names, n, known, count)) {
		free(names);
		return JPKI_OK;
	}
	free(names);
	memset(rs, 0, sizeof(rs));
	for (size_t i = 0; i < count; i++) {
		rs[i].szReader = known[i].name;
		rs[i].dwCurrentState = ((DWORD)(known[i].event_count & 0xffff) << 16) |
				       (known[i].present ? SCARD_STATE_PRESENT : SCARD_STATE_EMPTY);
	}
	/* Reader arrival during the call; a zero high word asks for no counter comparison. */
	rs[count].szReader = PNP_READER;
	rs[count].dwCurrentState = 0;
	rv = SCardGetStatusChange(ctx, slice_ms, rs, (DWORD)(count + 1));
	if (rv == SCARD_E_UNKNOWN_READER)
		return JPKI_OK; /* a known reader went away */
	return check_rv("SCardGetStatusChange(wait)", rv);
}

static enum jpki_rc pcsc_wait_change(struct jpki_transport *t,
				     const struct jpki_reader_state *known, size_t count,
				     int timeout_ms)
{
	struct timespec start;
	SCARDCONTEXT ctx;
	enum jpki_rc rc;

	if (t == NULL || (known == NULL && count > 0) || count > MAX_READERS)
		return JPKI_ERR_ARGS;
	clock_gettime(CLOCK_MONOTONIC, &start);
	pthread_mutex_lock(&t->wait_lock);
	for (;;) {
		long left = timeout_ms < 0 ? WAIT_SLICE_MS : timeout_ms - elapsed_ms(&start);
		DWORD slice = (DWORD)(left < 0 ? 0 : left < WAIT_SLICE_MS ? left : WAIT_SLICE_MS);

		if (atomic_load(&t->cancelled)) {
			rc = JPKI_ERR_CANCELLED;
			break;
		}
		pthread_mutex_lock(&t->lock);
		rc = ensure_ctx(&t->wait_ctx, &t->have_wait_ctx);
		ctx = t->wait_ctx;
		pthread_mutex_unlock(&t->lock);
		if (rc == JPKI_OK)
			rc = wait_slice(ctx, known, count, slice);
		if (rc == JPKI_ERR_NO_SERVICE) {
			pthread_mutex_lock(&t->lock);
			drop_ctx(&t->wait_ctx, &t->have_wait_ctx);
			pthread_mutex_unlock(&t->lock);
		}
		if (rc != JPKI_ERR_TIMEOUT || (timeout_ms >= 0 && elapsed_ms(&start) >= timeout_ms))
			break;
	}
	pthread_mutex_unlock(&t->wait_lock);
	if (rc == JPKI_ERR_CANCELLED)
		atomic_store(&t->cancelled, true);
	return rc;
}

static void pcsc_cancel_wait(struct jpki_transport *t)
{
	if (t == NULL)
		return;
	atomic_store(&t->cancelled, true);
	pthread_mutex_lock(&t->lock);
	if (t->have_wait_ctx)
		SCardCancel(t->wait_ctx);
	pthread_mutex_unlock(&t->lock);
}

/*
 * The largest response the reader passes. pcsc-lite tells through the driver, if at all:
 * SCARD_ATTR_MAXINPUT (CCID) or the PC/SC v2 part 10 property dwMaxAPDUDataSize. Debian's
 * vpcd (vsmartcard 0.8) answers neither, so 256 (short APDUs) is assumed for it.
 */
static size_t query_max_response(SCARDHANDLE h)
{
	uint8_t buf[256];
	DWORD len = sizeof(buf);
	uint32_t ctl = 0;

	if (SCardGetAttrib(h, SCARD_ATTR_MAXINPUT, buf, &len) == SCARD_S_SUCCESS && len == 4) {
		uint32_t v = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 |
			     (uint32_t)buf[3] << 24;
		/* 256 data bytes + SW (and some framing) fit a short APDU; more means extended. */
		if (v > 258 + 10)
			return v - 2 < 65536 ? v - 2 : 65536;
	}
	len = 0;
	if (SCardControl(h, CM_IOCTL_GET_FEATURE_REQUEST, NULL, 0, buf, sizeof(buf), &len) !=
	    SCARD_S_SUCCESS)
		return 256;
	for (DWORD i = 0; i + 6 <= len; i += 6)
		if (buf[i] == FEATURE_GET_TLV_PROPERTIES && buf[i + 1] == 4)
			ctl = (uint32_t)buf[i + 2] << 24 | (uint32_t)buf[i + 3] << 16 |
			      (uint32_t)buf[i + 4] << 8 | buf[i + 5];
	len = 0;
	if (ctl == 0 || SCardControl(h, ctl, NULL, 0, buf, sizeof(buf), &len) != SCARD_S_SUCCESS)
		return 256;
	for (DWORD i = 0; i + 2 <= len && i + 2 + buf[i + 1] <= len; i += 2 + buf[i + 1]) {
		if (buf[i] == PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize && buf[i + 1] == 4) {
			uint32_t v = (uint32_t)buf[i + 2] | (uint32_t)buf[i + 3] << 8 |
				     (uint32_t)buf[i + 4] << 16 | (uint32_t)buf[i + 5] << 24;
			return v > 256 ? (v < 65536 ? v : 65536) : 256;
		}
	}
	return 256;
}

static enum jpki_rc pcsc_connect(struct jpki_transport *t, const char *reader,
				 struct jpki_connection **out)
{
	struct jpki_connection *c;
	SCARDCONTEXT ctx;
	enum jpki_rc rc;
	LONG rv;

	if (t == NULL || reader == NULL || out == NULL)
		return JPKI_ERR_ARGS;
	*out = NULL;
	rc = get_ctx(t, &ctx);
	if (rc != JPKI_OK)
		return rc;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return JPKI_ERR_NO_MEMORY;
	c->t = t;
	rv = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
			  &c->h, &c->protocol);
	rc = check_rv("SCardConnect", rv);
	if (rc != JPKI_OK) {
		service_lost(t, rc);
		free(c);
		return rc;
	}
	c->max_response = query_max_response(c->h);
	jpki_log(JPKI_LOG_CARD, "connected to %s, T=%d, max response %zu", reader,
		 c->protocol == SCARD_PROTOCOL_T0 ? 0 : 1, c->max_response);
	*out = c;
	return JPKI_OK;
}

static void pcsc_disconnect(struct jpki_connection *c, bool reset)
{
	if (c == NULL)
		return;
	if (c->depth > 0)
		SCardEndTransaction(c->h, SCARD_LEAVE_CARD);
	SCardDisconnect(c->h, reset ? SCARD_RESET_CARD : SCARD_LEAVE_CARD);
	free(c);
}

/*
 * A failed call on a connection. Someone reset the card: reconnect (leaving the card as it
 * is) so that the handle works again, and report the reset once so that the caller drops
 * what it knew.
 */
static enum jpki_rc after_error(struct jpki_connection *c, const char *what, LONG rv)
{
	enum jpki_rc rc = check_rv(what, rv);

	if (rc == JPKI_ERR_CARD_RESET) {
		rv = SCardReconnect(c->h, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
				    SCARD_LEAVE_CARD, &c->protocol);
		if (rv != SCARD_S_SUCCESS)
			rc = check_rv("SCardReconnect", rv);
		c->depth = 0;
	}
	/* For a connection, a card or reader that went away is a removal. */
	if (rc == JPKI_ERR_NO_CARD || rc == JPKI_ERR_NO_READER)
		rc = JPKI_ERR_CARD_REMOVED;
	service_lost(c->t, rc);
	return rc;
}

static enum jpki_rc pcsc_begin(struct jpki_connection *c)
{
	LONG rv;

	if (c->depth == 0) {
		rv = SCardBeginTransaction(c->h);
		if (rv != SCARD_S_SUCCESS)
			return after_error(c, "SCardBeginTransaction", rv);
	}
	c->depth++;
	return JPKI_OK;
}

static void pcsc_end(struct jpki_connection *c)
{
	if (c->depth == 0)
		return;
	c->depth--;
	if (c->depth == 0)
		SCardEndTransaction(c->h, SCARD_LEAVE_CARD);
}

static enum jpki_rc pcsc_transmit(struct jpki_connection *c, const uint8_t *cmd, size_t cmd_len,
				  uint8_t *resp, size_t cap, size_t *resp_len)
{
	const SCARD_IO_REQUEST *pci =
	    c->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
	DWORD len = (DWORD)cap;
	LONG rv;

	*resp_len = 0;
	rv = SCardTransmit(c->h, pci, cmd, (DWORD)cmd_len, NULL, resp, &len);
	if (rv != SCARD_S_SUCCESS)
		return after_error(c, "SCardTransmit", rv);
	*resp_len = len <= cap ? len : cap;
	return JPKI_OK;
}

static size_t pcsc_max_response(struct jpki_connection *c)
{
	return c->max_response;
}

static enum jpki_rc pcsc_status(struct jpki_connection *c)
{
	uint8_t atr[JPKI_ATR_MAX];
	DWORD atr_len = sizeof(atr), state = 0, protocol = 0;
	LONG rv;

	rv = SCardStatus(c->h, NULL, NULL, &state, &protocol, atr, &atr_len);
	if (rv != SCARD_S_SUCCESS)
		return after_error(c, "SCardStatus", rv);
	return JPKI_OK;
}

const struct jpki_transport_ops jpki_transport_pcsc = {
    .open = pcsc_open,
    .close = pcsc_close,
    .readers = pcsc_readers,
    .wait_change = pcsc_wait_change,
    .cancel_wait = pcsc_cancel_wait,
    .connect = pcsc_connect,
    .disconnect = pcsc_disconnect,
    .begin = pcsc_begin,
    .end = pcsc_end,
    .transmit = pcsc_transmit,
    .max_response = pcsc_max_response,
    .status = pcsc_status,
};
