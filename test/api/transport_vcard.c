/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The in-process transport: struct jpki_transport_ops over the virtual card model. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test/api/transport_vcard.h"

struct vt_record {
	uint8_t *cmd, *resp;
	size_t cmd_len, resp_len;
};

struct vt_slot {
	bool used;
	char name[JPKI_READER_NAME_MAX];
	struct vcard *card;
	unsigned gen;	 /* bumps on every insertion: connections to an older card are stale */
	unsigned resets; /* bumps on every reset: connections see it once */
	unsigned event_count;
	size_t max_response;
	struct jpki_connection *txn_owner;
	struct vt_counters counters;
	unsigned long index;
	struct vt_record *log;
	size_t log_len, log_cap;
};

struct vt {
	pthread_mutex_t lock;
	pthread_cond_t changed; /* reader states or transaction owners changed */
	struct vt_slot slots[VT_MAX_READERS];
	vt_hook_fn hook;
	void *hook_arg;
	uint8_t resp[VCARD_RESP_MAX];
};

struct jpki_transport {
	struct vt *vt;
	bool cancelled;
};

struct jpki_connection {
	struct jpki_transport *t;
	unsigned reader, gen, resets;
	unsigned depth;
};

struct vt *vt_new(void)
{
	struct vt *vt = calloc(1, sizeof(*vt));
	pthread_condattr_t attr;

	if (vt == NULL)
		return NULL;
	pthread_mutex_init(&vt->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&vt->changed, &attr);
	pthread_condattr_destroy(&attr);
	return vt;
}

static void clear_log(struct vt_slot *s)
{
	for (size_t i = 0; i < s->log_len; i++) {
		free(s->log[i].cmd);
		free(s->log[i].resp);
	}
	s->log_len = 0;
}

static void drop_card(struct vt_slot *s)
{
	vcard_free(s->card);
	s->card = NULL;
	s->txn_owner = NULL;
}

void vt_free(struct vt *vt)
{
	if (vt == NULL)
		return;
	for (unsigned i = 0; i < VT_MAX_READERS; i++) {
		drop_card(&vt->slots[i]);
		clear_log(&vt->slots[i]);
		free(vt->slots[i].log);
	}
	pthread_cond_destroy(&vt->changed);
	pthread_mutex_destroy(&vt->lock);
	free(vt);
}

static struct vt_slot *slot_of(struct vt *vt, unsigned reader)
{
	return reader < VT_MAX_READERS && vt->slots[reader].used ? &vt->slots[reader] : NULL;
}

int vt_add_reader(struct vt *vt, const char *name)
{
	int idx = -1;

	pthread_mutex_lock(&vt->lock);
	for (unsigned i = 0; i < VT_MAX_READERS && idx < 0; i++) {
		struct vt_slot *s = &vt->slots[i];

		if (s->used || strlen(name) >= sizeof(s->name))
			continue;
		clear_log(s);
		free(s->log);
		memset(s, 0, sizeof(*s));
		s->used = true;
		snprintf(s->name, sizeof(s->name), "%s", name);
		s->max_response = 256;
		idx = (int)i;
	}
	pthread_cond_broadcast(&vt->changed);
	pthread_mutex_unlock(&vt->lock);
	return idx;
}

void vt_unplug_reader(struct vt *vt, unsigned reader)
{
	struct vt_slot *s;

	pthread_mutex_lock(&vt->lock);
	s = slot_of(vt, reader);
	if (s != NULL) {
		drop_card(s);
		s->gen++;
		s->used = false;
	}
	pthread_cond_broadcast(&vt->changed);
	pthread_mutex_unlock(&vt->lock);
}

int vt_insert(struct vt *vt, unsigned reader, const struct vcard_config *cfg,
	      const struct vcard_identity *id, struct vcard_pins *pins)
{
	struct vt_slot *s;
	int ret = -1;

	pthread_mutex_lock(&vt->lock);
	s = slot_of(vt, reader);
	if (s != NULL) {
		drop_card(s);
		s->card = vcard_new(cfg, id, pins);
		s->gen++;
		s->event_count++;
		memset(&s->counters, 0, sizeof(s->counters));
		s->index = 0;
		clear_log(s);
		if (s->card != NULL) {
			vcard_power_on(s->card);
			ret = 0;
		}
	}
	pthread_cond_broadcast(&vt->changed);
	pthread_mutex_unlock(&vt->lock);
	return ret;
}

static void remove_locked(struct vt *vt, struct vt_slot *s)
{
	if (s->card == NULL)
		return;
	drop_card(s);
	s->event_count++;
	pthread_cond_broadcast(&vt->changed);
}

static void reset_locked(struct vt *vt, struct vt_slot *s)
{
	if (s->card == NULL)
		return;
	vcard_reset(s->card);
	s->resets++;
	s->event_count++;
	s->txn_owner = NULL;
	pthread_cond_broadcast(&vt->changed);
}

void vt_remove(struct vt *vt, unsigned reader)
{
	struct vt_slot *s;

	pthread_mutex_lock(&vt->lock);
	s = slot_of(vt, reader);
	if (s != NULL)
		remove_locked(vt, s);
	pthread_mutex_unlock(&vt->lock);
}

void vt_reset(struct vt *vt, unsigned reader)
{
	struct vt_slot *s;

	pthread_mutex_lock(&vt->lock);
	s = slot_of(vt, reader);
	if (s != NULL)
		reset_locked(vt, s);
	pthread_mutex_unlock(&vt->lock);
}

void vt_set_max_response(struct vt *vt, unsigned reader, size_t max)
{
	struct vt_slot *s;

	pthread_mutex_lock(&vt->lock);
	s = slot_of(vt, reader);
	if (s != NULL)
		s->max_response = max;
	pthread_mutex_unlock(&vt->lock);
}

struct vcard *vt_card(struct vt *vt, unsigned reader)
{
	struct vt_slot *s;
	struct vcard *card;

	pthread_mutex_lock(&vt->lock);
	s = slot_of(vt, reader);
	card = s != NULL ? s->card : NULL;
	pthread_mutex_unlock(&vt->lock);
	return card;
}

void vt_counters(struct vt *vt, unsigned reader, struct vt_counters *out)
{
	struct vt_slot *s;

	pthread_mutex_lock(&vt->lock);
	s = slot_of(vt, reader);
	if (s != NULL)
		*out = s->counters;
	else
		memset(out, 0, sizeof(*out));
	pthread_mutex_unlock(&vt->lock);
}

size_t vt_traffic_count(struct vt *vt, unsigned reader)
{
	struct vt_slot *s;
	size_t n;

	pthread_mutex_lock(&vt->lock);
	s = slot_of(vt, reader);
	n = s != NULL ? s->log_len : 0;
	pthread_mutex_unlock(&vt->lock);
	return n;
}

bool vt_traffic_get(struct vt *vt, unsigned reader, size_t i, uint8_t *cmd, size_t *cmd_len,
		    uint8_t *resp, size_t *resp_len)
{
	struct vt_slot *s;
	bool ok = false;

	pthread_mutex_lock(&vt->lock);
	s = slot_of(vt, reader);
	if (s != NULL && i < s->log_len) {
		const struct vt_record *r = &s->log[i];

		if (cmd != NULL && r->cmd_len > 0)
			memcpy(cmd, r->cmd, r->cmd_len);
		if (resp != NULL && r->resp_len > 0)
			memcpy(resp, r->resp, r->resp_len);
		*cmd_len = r->cmd_len;
		*resp_len = r->resp_len;
		ok = true;
	}
	pthread_mutex_unlock(&vt->lock);
	return ok;
}

void vt_traffic_clear(struct vt *vt, unsigned reader)
{
	struct vt_slot *s;

	pthread_mutex_lock(&vt->lock);
	s = slot_of(vt, reader);
	if (s != NULL)
		clear_log(s);
	pthread_mutex_unlock(&vt->lock);
}

void vt_set_hook(struct vt *vt, vt_hook_fn hook, void *arg)
{
	pthread_mutex_lock(&vt->lock);
	vt->hook = hook;
	vt->hook_arg = arg;
	pthread_mutex_unlock(&vt->lock);
}

static uint8_t *dup_bytes(const uint8_t *p, size_t len)
{
	uint8_t *d = malloc(len > 0 ? len : 1);

	if (d != NULL && len > 0)
		memcpy(d, p, len);
	return d;
}

static void record(struct vt_slot *s, const uint8_t *cmd, size_t cmd_len, const uint8_t *resp,
		   size_t resp_len)
{
	struct vt_record *r;

	if (s->log_len == s->log_cap) {
		size_t cap = s->log_cap ? s->log_cap * 2 : 64;
		struct vt_record *log = realloc(s->log, cap * sizeof(*log));

		if (log == NULL)
			return;
		s->log = log;
		s->log_cap = cap;
	}
	r = &s->log[s->log_len++];
	r->cmd = dup_bytes(cmd, cmd_len);
	r->resp = dup_bytes(resp, resp_len);
	r->cmd_len = r->cmd != NULL ? cmd_len : 0;
	r->resp_len = r->resp != NULL ? resp_len : 0;
}

/* ---- the ops ---- */

static enum jpki_rc vt_open(void *arg, struct jpki_transport **out)
{
	struct jpki_transport *t;

	if (arg == NULL || out == NULL)
		return JPKI_ERR_ARGS;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return JPKI_ERR_NO_MEMORY;
	t->vt = arg;
	*out = t;
	return JPKI_OK;
}

static void vt_close(struct jpki_transport *t)
{
	free(t);
}

static void state_of(const struct vt_slot *s, struct jpki_reader_state *st)
{
	memset(st, 0, sizeof(*st));
	snprintf(st->name, sizeof(st->name), "%s", s->name);
	st->present = s->card != NULL;
	st->event_count = s->event_count;
	if (s->card != NULL)
		st->atr_len = vcard_atr(s->card, st->atr, sizeof(st->atr));
}

static size_t states_locked(struct vt *vt, struct jpki_reader_state *states, size_t cap)
{
	size_t n = 0;

	for (unsigned i = 0; i < VT_MAX_READERS; i++) {
		if (!vt->slots[i].used)
			continue;
		if (n < cap)
			state_of(&vt->slots[i], &states[n]);
		n++;
	}
	return n;
}

static enum jpki_rc vt_readers(struct jpki_transport *t, struct jpki_reader_state *states,
			       size_t *count)
{
	if (t == NULL || count == NULL || (states == NULL && *count > 0))
		return JPKI_ERR_ARGS;
	pthread_mutex_lock(&t->vt->lock);
	*count = states_locked(t->vt, states, *count);
	pthread_mutex_unlock(&t->vt->lock);
	return JPKI_OK;
}

static bool differs_locked(struct vt *vt, const struct jpki_reader_state *known, size_t count)
{
	struct jpki_reader_state now[VT_MAX_READERS];
	size_t n = states_locked(vt, now, VT_MAX_READERS);

	if (n != count)
		return true;
	for (size_t i = 0; i < n; i++)
		if (strcmp(now[i].name, known[i].name) != 0 || now[i].present != known[i].present ||
		    now[i].event_count != known[i].event_count)
			return true;
	return false;
}

static enum jpki_rc vt_wait_change(struct jpki_transport *t, const struct jpki_reader_state *known,
				   size_t count, int timeout_ms)
{
	struct vt *vt;
	struct timespec deadline;
	enum jpki_rc rc = JPKI_OK;

	if (t == NULL || (known == NULL && count > 0))
		return JPKI_ERR_ARGS;
	vt = t->vt;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	if (timeout_ms > 0) {
		deadline.tv_sec += timeout_ms / 1000;
		deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&vt->lock);
	for (;;) {
		if (t->cancelled) {
			rc = JPKI_ERR_CANCELLED;
			break;
		}
		if (differs_locked(vt, known, count)) {
			rc = JPKI_OK;
			break;
		}
		if (timeout_ms == 0) {
			rc = JPKI_ERR_TIMEOUT;
			break;
		}
		if (timeout_ms < 0) {
			pthread_cond_wait(&vt->changed, &vt->lock);
		} else if (pthread_cond_timedwait(&vt->changed, &vt->lock, &deadline) ==
			   ETIMEDOUT) {
			rc = differs_locked(vt, known, count) ? JPKI_OK : JPKI_ERR_TIMEOUT;
			break;
		}
	}
	pthread_mutex_unlock(&vt->lock);
	return rc;
}

static void vt_cancel_wait(struct jpki_transport *t)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&t->vt->lock);
	t->cancelled = true;
	pthread_cond_broadcast(&t->vt->changed);
	pthread_mutex_unlock(&t->vt->lock);
}

static enum jpki_rc vt_connect(struct jpki_transport *t, const char *reader,
			       struct jpki_connection **out)
{
	struct vt *vt;
	enum jpki_rc rc = JPKI_ERR_NO_READER;

	if (t == NULL || reader == NULL || out == NULL)
		return JPKI_ERR_ARGS;
	vt = t->vt;
	*out = NULL;
	pthread_mutex_lock(&vt->lock);
	for (unsigned i = 0; i < VT_MAX_READERS; i++) {
		struct vt_slot *s = &vt->slots[i];

		if (!s->used || strcmp(s->name, reader) != 0)
			continue;
		if (s->card == NULL) {
			rc = JPKI_ERR_NO_CARD;
			break;
		}
		*out = calloc(1, sizeof(**out));
		if (*out == NULL) {
			rc = JPKI_ERR_NO_MEMORY;
			break;
		}
		(*out)->t = t;
		(*out)->reader = i;
		(*out)->gen = s->gen;
		(*out)->resets = s->resets;
		rc = JPKI_OK;
		break;
	}
	pthread_mutex_unlock(&vt->lock);
	return rc;
}

/* The slot of a live connection, or an error: removed, or reset (reported once). */
static enum jpki_rc live_locked(struct jpki_connection *c, struct vt_slot **out)
{
	struct vt_slot *s = slot_of(c->t->vt, c->reader);

	*out = s;
	if (s == NULL)
		return JPKI_ERR_NO_READER;
	if (s->card == NULL || s->gen != c->gen)
		return JPKI_ERR_CARD_REMOVED;
	if (s->resets != c->resets) {
		c->resets = s->resets;
		c->depth = 0;
		return JPKI_ERR_CARD_RESET;
	}
	return JPKI_OK;
}

static void release_locked(struct jpki_connection *c)
{
	struct vt_slot *s = slot_of(c->t->vt, c->reader);

	if (s != NULL && s->txn_owner == c) {
		s->txn_owner = NULL;
		pthread_cond_broadcast(&c->t->vt->changed);
	}
	c->depth = 0;
}

static void vt_disconnect(struct jpki_connection *c, bool reset)
{
	struct vt *vt;
	struct vt_slot *s;

	if (c == NULL)
		return;
	vt = c->t->vt;
	pthread_mutex_lock(&vt->lock);
	release_locked(c);
	if (reset && live_locked(c, &s) == JPKI_OK)
		reset_locked(vt, s);
	pthread_mutex_unlock(&vt->lock);
	free(c);
}

static enum jpki_rc vt_begin(struct jpki_connection *c)
{
	struct vt *vt = c->t->vt;
	struct vt_slot *s;
	enum jpki_rc rc;

	pthread_mutex_lock(&vt->lock);
	for (;;) {
		rc = live_locked(c, &s);
		if (rc != JPKI_OK || c->depth > 0 || s->txn_owner == NULL || s->txn_owner == c)
			break;
		pthread_cond_wait(&vt->changed, &vt->lock); /* another connection's transaction */
	}
	if (rc == JPKI_OK) {
		if (c->depth == 0) {
			s->txn_owner = c;
			s->counters.transactions++;
		}
		c->depth++;
	}
	pthread_mutex_unlock(&vt->lock);
	return rc;
}

static void vt_end(struct jpki_connection *c)
{
	struct vt *vt = c->t->vt;

	pthread_mutex_lock(&vt->lock);
	if (c->depth > 0 && --c->depth == 0)
		release_locked(c);
	pthread_mutex_unlock(&vt->lock);
}

static bool is_extended(const uint8_t *cmd, size_t len)
{
	return len >= 7 && cmd[4] == 0x00;
}

static enum jpki_rc verdict_rc(struct vt *vt, struct vt_slot *s, enum vt_verdict v)
{
	switch (v) {
	case VT_FAIL:
		return JPKI_ERR_TRANSPORT;
	case VT_RESET:
		reset_locked(vt, s);
		return JPKI_ERR_CARD_RESET;
	case VT_REMOVE:
		remove_locked(vt, s);
		return JPKI_ERR_CARD_REMOVED;
	case VT_PASS:
	case VT_ANSWER:
		break;
	}
	return JPKI_OK;
}

/* One APDU through the hook and the card (lock held). */
static enum jpki_rc exchange_locked(struct jpki_connection *c, struct vt_slot *s,
				    const uint8_t *cmd, size_t cmd_len, size_t *resp_len)
{
	struct vt *vt = c->t->vt;
	unsigned long index = s->index++;
	enum vt_verdict v = VT_PASS;
	enum jpki_rc rc;

	*resp_len = 0;
	if (vt->hook != NULL)
		v = vt->hook(vt->hook_arg, VT_BEFORE, c->reader, index, cmd, cmd_len, vt->resp,
			     resp_len);
	rc = verdict_rc(vt, s, v);
	if (rc != JPKI_OK)
		return rc;
	if (v != VT_ANSWER) {
		/* A reader limited to short APDUs cannot carry an extended one. */
		if (is_extended(cmd, cmd_len) && s->max_response <= 256)
			return JPKI_ERR_TRANSPORT;
		*resp_len = vcard_process(s->card, cmd, cmd_len, vt->resp);
		if (vt->hook != NULL) {
			v = vt->hook(vt->hook_arg, VT_AFTER, c->reader, index, cmd, cmd_len,
				     vt->resp, resp_len);
			rc = verdict_rc(vt, s, v);
		}
	}
	if (*resp_len > VCARD_RESP_MAX)
		*resp_len = VCARD_RESP_MAX;
	return rc;
}

static enum jpki_rc vt_transmit(struct jpki_connection *c, const uint8_t *cmd, size_t cmd_len,
				uint8_t *resp, size_t cap, size_t *resp_len)
{
	struct vt *vt = c->t->vt;
	struct vt_slot *s;
	size_t len = 0;
	enum jpki_rc rc;

	*resp_len = 0;
	pthread_mutex_lock(&vt->lock);
	for (;;) {
		rc = live_locked(c, &s);
		if (rc != JPKI_OK || s->txn_owner == NULL || s->txn_owner == c)
			break;
		pthread_cond_wait(&vt->changed, &vt->lock); /* another connection's transaction */
	}
	if (rc == JPKI_OK) {
		s->counters.apdus++;
		s->counters.bytes_out += cmd_len;
		if (is_extended(cmd, cmd_len))
			s->counters.extended++;
		rc = exchange_locked(c, s, cmd, cmd_len, &len);
		record(s, cmd, cmd_len, vt->resp, rc == JPKI_OK ? len : 0);
	}
	if (rc == JPKI_OK) {
		s->counters.bytes_in += len;
		/* As SCARD_E_INSUFFICIENT_BUFFER: the answer does not fit the caller's buffer. */
		if (len > cap)
			rc = JPKI_ERR_BAD_RESPONSE;
		else
			memcpy(resp, vt->resp, len);
		*resp_len = rc == JPKI_OK ? len : 0;
	}
	pthread_mutex_unlock(&vt->lock);
	return rc;
}

static size_t vt_max_response(struct jpki_connection *c)
{
	struct vt *vt = c->t->vt;
	struct vt_slot *s;
	size_t max;

	pthread_mutex_lock(&vt->lock);
	s = slot_of(vt, c->reader);
	max = s != NULL ? s->max_response : 256;
	pthread_mutex_unlock(&vt->lock);
	return max;
}

static enum jpki_rc vt_status(struct jpki_connection *c)
{
	struct vt *vt = c->t->vt;
	struct vt_slot *s;
	enum jpki_rc rc;

	pthread_mutex_lock(&vt->lock);
	rc = live_locked(c, &s);
	if (rc == JPKI_ERR_NO_READER)
		rc = JPKI_ERR_CARD_REMOVED;
	pthread_mutex_unlock(&vt->lock);
	return rc;
}

const struct jpki_transport_ops vt_transport_ops = {
    .open = vt_open,
    .close = vt_close,
    .readers = vt_readers,
    .wait_change = vt_wait_change,
    .cancel_wait = vt_cancel_wait,
    .connect = vt_connect,
    .disconnect = vt_disconnect,
    .begin = vt_begin,
    .end = vt_end,
    .transmit = vt_transmit,
    .max_response = vt_max_response,
    .status = vt_status,
};
