/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pkcs11/slot.h"
#include "src/log.h"

/*
 * Reader names in order of first sight, kept for the life of the process (also across
 * C_Finalize/C_Initialize) so that slot IDs never change meaning. Only touched under G.
 */
static char registry[MODULE_MAX_READERS][JPKI_READER_NAME_MAX];
static size_t registry_len;

/* How long a waiter sleeps between tries when the service is not there at all. */
#define WAIT_RETRY_MS 200

/* Reader names are bounded by the transport (JPKI_READER_NAME_MAX, NUL included). */
static void copy_name(char *dst, const char *src)
{
	size_t n = strnlen(src, JPKI_READER_NAME_MAX - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool registry_index(const char *name, size_t *index)
{
	size_t i;

	for (i = 0; i < registry_len; i++)
		if (strcmp(registry[i], name) == 0) {
			*index = i;
			return true;
		}
	if (registry_len == MODULE_MAX_READERS)
		return false;
	copy_name(registry[registry_len], name);
	*index = registry_len++;
	return true;
}

CK_SLOT_ID slot_id(const struct reader *r, enum token_kind kind)
{
	return (CK_SLOT_ID)(r->index * TOKEN_KINDS + kind);
}

struct reader *slot_lookup_inlock(struct module *m, CK_SLOT_ID id, enum token_kind *kind)
{
	CK_SLOT_ID index = id / TOKEN_KINDS;

	if (index >= MODULE_MAX_READERS || m->readers[index] == NULL)
		return NULL;
	*kind = (enum token_kind)(id % TOKEN_KINDS);
	return m->readers[index];
}

void slot_card_changed_inlock(struct reader *r)
{
	int k;

	r->gen++;
	for (k = 0; k < TOKEN_KINDS; k++)
		r->event[k] = true;
}

static struct reader *reader_new(struct module *m, size_t index, const char *name)
{
	struct reader *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	if (locking_new(&m->locking, &r->lock) != CKR_OK) {
		free(r);
		return NULL;
	}
	r->index = index;
	copy_name(r->name, name);
	r->gen = 1; /* card.gen starts at 0: the first sync sets up the card state */
	card_init(&r->card);
	m->readers[index] = r;
	return r;
}

static void reader_update(struct module *m, struct reader *r, const struct jpki_reader_state *st)
{
	bool changed;

	if (!r->attached) {
		r->attached = true;
		r->present = false;
	}
	changed = st->present != r->present || (st->present && st->event_count != r->event_count);
	r->present = st->present;
	r->exclusive = st->exclusive;
	r->event_count = st->event_count;
	if (changed) {
		slot_card_changed_inlock(r);
		if (!m->scanned) /* the state at start-up is not an event */
			memset(r->event, 0, sizeof(r->event));
		jpki_log(JPKI_LOG_CARD, "reader '%s': card %s (generation %lu)", r->name,
			 r->present ? "present" : "absent", r->gen);
	}
}

static void reader_detach(struct reader *r)
{
	r->attached = false;
	if (r->present) {
		r->present = false;
		slot_card_changed_inlock(r);
	}
	jpki_log(JPKI_LOG_CARD, "reader '%s' gone", r->name);
}

void slot_refresh_inlock(struct module *m)
{
	struct jpki_reader_state st[MODULE_MAX_READERS];
	bool seen[MODULE_MAX_READERS] = {false};
	size_t n = MODULE_MAX_READERS, i, index;
	enum jpki_rc rc = JPKI_OK;

	if (m->transport == NULL) {
		rc = m->ops->open(m->ops_arg, &m->transport);
		if (rc != JPKI_OK) {
			m->transport = NULL;
			jpki_log(JPKI_LOG_CARD, "transport: %s", jpki_rc_name(rc));
		}
	}
	if (m->transport != NULL)
		rc = m->ops->readers(m->transport, st, &n);
	if (rc != JPKI_OK) {
		/* No service is no readers, not an error: the service may start later. */
		jpki_log(JPKI_LOG_CARD, "readers: %s", jpki_rc_name(rc));
		n = 0;
	}
	if (n > MODULE_MAX_READERS)
		n = MODULE_MAX_READERS;
	memcpy(m->known, st, n * sizeof(st[0]));
	m->n_known = n;

	for (i = 0; i < n; i++) {
		struct reader *r;

		st[i].name[sizeof(st[i].name) - 1] = '\0';
		if (!jpki_settings_reader_allowed(&m->settings, st[i].name) ||
		    !registry_index(st[i].name, &index))
			continue;
		r = m->readers[index];
		if (r == NULL)
			r = reader_new(m, index, st[i].name);
		if (r == NULL)
			continue;
		seen[index] = true;
		reader_update(m, r, &st[i]);
	}
	for (i = 0; i < MODULE_MAX_READERS; i++)
		if (m->readers[i] != NULL && m->readers[i]->attached && !seen[i])
			reader_detach(m->readers[i]);
	if (!m->scanned) {
		m->scanned = true;
		slot_list_update_inlock(m);
	}
}

void slot_list_update_inlock(struct module *m)
{
	size_t i;

	for (i = 0; i < MODULE_MAX_READERS; i++)
		if (m->readers[i] != NULL && m->readers[i]->attached)
			m->readers[i]->listed = true;
}

size_t slot_list(struct module *m, bool rescan, struct reader **out)
{
	size_t i, n = 0;

	module_lock(m);
	if (rescan || !m->scanned) {
		slot_refresh_inlock(m);
		slot_list_update_inlock(m);
	}
	for (i = 0; i < MODULE_MAX_READERS; i++)
		if (m->readers[i] != NULL && m->readers[i]->listed)
			out[n++] = m->readers[i];
	module_unlock(m);
	return n;
}

static bool take_event_inlock(struct module *m, CK_SLOT_ID *slot)
{
	size_t i;
	int k;

	for (i = 0; i < MODULE_MAX_READERS; i++) {
		struct reader *r = m->readers[i];

		for (k = 0; r != NULL && k < TOKEN_KINDS; k++)
			if (r->event[k]) {
				r->event[k] = false;
				*slot = slot_id(r, (enum token_kind)k);
				return true;
			}
	}
	return false;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

CK_RV slot_wait_event(struct module *m, bool dont_block, CK_SLOT_ID *slot)
{
	struct jpki_reader_state known[MODULE_MAX_READERS];
	struct jpki_transport *t;
	size_t n;
	bool found;
	enum jpki_rc rc;

	for (;;) {
		if (atomic_load(&m->finalizing))
			return CKR_CRYPTOKI_NOT_INITIALIZED;
		module_lock(m);
		slot_refresh_inlock(m);
		found = take_event_inlock(m, slot);
		n = m->n_known;
		memcpy(known, m->known, n * sizeof(known[0]));
		t = m->transport;
		module_unlock(m);
		if (found)
			return CKR_OK;
		if (dont_block)
			return CKR_NO_EVENT;
		/* Blocks without any lock; C_Finalize wakes it through cancel_wait. */
		if (t != NULL)
			rc = m->ops->wait_change(t, known, n, -1);
		else
			rc = JPKI_ERR_NO_SERVICE;
		if (atomic_load(&m->finalizing))
			return CKR_CRYPTOKI_NOT_INITIALIZED;
		if (rc != JPKI_OK && rc != JPKI_ERR_TIMEOUT && rc != JPKI_ERR_CANCELLED)
			sleep_ms(WAIT_RETRY_MS); /* no service: poll slowly instead of spinning */
	}
}

void reader_lock(struct module *m, struct reader *r)
{
	locking_lock(&m->locking, r->lock);
}

void reader_unlock(struct module *m, struct reader *r)
{
	locking_unlock(&m->locking, r->lock);
}

void slot_free_all(struct module *m)
{
	size_t i;

	for (i = 0; i < MODULE_MAX_READERS; i++) {
		struct reader *r = m->readers[i];

		if (r == NULL)
			continue;
		card_release(&r->card);
		locking_free(&m->locking, r->lock);
		free(r);
		m->readers[i] = NULL;
	}
}
