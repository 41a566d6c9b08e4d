/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Readers and slots. Each PC/SC reader gives two slots, authentication (ID 2i) and signature
 * (ID 2i + 1), where i is the reader's position in a process-wide list of reader names: a
 * reader keeps its slot IDs when it is removed and plugged in again, a new reader gets new ones.
 * Card events are seen as changes of the reader's presence or event counter; each bumps the
 * reader's generation, which ends the sessions and the cached card state of the old one.
 */
#ifndef JPKI_PKCS11_SLOT_H
#define JPKI_PKCS11_SLOT_H

#include <stdbool.h>

#include <p11-kit/pkcs11.h>

#include "pkcs11/module.h"
#include "pkcs11/token.h"
#include "src/transport.h"

struct reader {
	size_t index;
	char name[JPKI_READER_NAME_MAX];
	void *lock; /* R: card I/O and `card` */

	/* Under G. */
	bool attached;	/* the service lists it now */
	bool listed;	/* shown by C_GetSlotList (updated when the application rescans) */
	bool present;	/* a card is in it */
	bool exclusive; /* another process holds the card exclusively */
	unsigned event_count;
	unsigned long gen;
	bool event[TOKEN_KINDS]; /* pending for C_WaitForSlotEvent */

	/* Under R. */
	struct card card;
};

CK_SLOT_ID slot_id(const struct reader *r, enum token_kind kind);

/* The reader of a slot ID in the table, or NULL (G). */
struct reader *slot_lookup_inlock(struct module *m, CK_SLOT_ID id, enum token_kind *kind);

/* Asks the service for its readers (opening the transport on first use) and notes changes (G). */
void slot_refresh_inlock(struct module *m);

/* Marks the slot list the application sees: every attached reader (G). */
void slot_list_update_inlock(struct module *m);

/*
 * The readers C_GetSlotList shows, in slot order, into out (MODULE_MAX_READERS entries).
 * rescan: ask the service first and show readers that appeared since (C_GetSlotList(NULL)).
 */
size_t slot_list(struct module *m, bool rescan, struct reader **out);

/* The card of r changed under us (reset, removal): new generation, events (G). */
void slot_card_changed_inlock(struct reader *r);

/*
 * C_WaitForSlotEvent: the next slot with an event, waiting through the transport unless
 * dont_block. CKR_NO_EVENT, or CKR_CRYPTOKI_NOT_INITIALIZED when C_Finalize interrupts.
 */
CK_RV slot_wait_event(struct module *m, bool dont_block, CK_SLOT_ID *slot);

void reader_lock(struct module *m, struct reader *r);
void reader_unlock(struct module *m, struct reader *r);

/* C_Finalize: frees every reader (no call is inside any more). */
void slot_free_all(struct module *m);

#endif
