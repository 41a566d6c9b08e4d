/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An in-process transport into the virtual card model: N virtual readers, each with or
 * without a card of a chosen configuration, identity and PIN state. Tests insert, remove and
 * reset cards, count and record APDUs, and inject faults through a hook; the driver and the
 * front end above run unchanged (struct jpki_transport_ops).
 *
 * Usage: vt = vt_new(); vt_add_reader(vt, "Virtual 0"); vt_insert(vt, 0, &cfg, &id, &pins);
 * then ops = &vt_transport_ops with arg = vt for ops->open(). The world (vt) outlives every
 * transport opened on it. All functions are thread-safe.
 */
#ifndef JPKI_TEST_TRANSPORT_VCARD_H
#define JPKI_TEST_TRANSPORT_VCARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/transport.h"
#include "test/vcard/card.h"

#define VT_MAX_READERS 8

extern const struct jpki_transport_ops vt_transport_ops;

struct vt;

struct vt *vt_new(void);
void vt_free(struct vt *vt);

/* Adds a reader without a card; returns its index, or -1. */
int vt_add_reader(struct vt *vt, const char *name);
/* Unplugs the reader (it disappears from the list; its card goes with it). */
void vt_unplug_reader(struct vt *vt, unsigned reader);

/*
 * Inserts a powered card made from cfg, id and pins (id and pins are kept by pointer and
 * must outlive the card; pins is updated in place). Returns 0, or -1.
 */
int vt_insert(struct vt *vt, unsigned reader, const struct vcard_config *cfg,
	      const struct vcard_identity *id, struct vcard_pins *pins);
void vt_remove(struct vt *vt, unsigned reader);
/* A warm reset by someone else: connections see JPKI_ERR_CARD_RESET once. */
void vt_reset(struct vt *vt, unsigned reader);

/* What the reader reports as max_response (default 256). */
void vt_set_max_response(struct vt *vt, unsigned reader, size_t max);

/* The model itself (NULL without a card), e.g. to send a command as another application. */
struct vcard *vt_card(struct vt *vt, unsigned reader);

/* APDUs exchanged with the card since it was inserted (hook answers included). */
struct vt_counters {
	unsigned long apdus;
	unsigned long bytes_out; /* command bytes */
	unsigned long bytes_in;	 /* response bytes */
	unsigned long extended;	 /* extended-length commands seen */
	unsigned long transactions;
};
void vt_counters(struct vt *vt, unsigned reader, struct vt_counters *out);

/* The recorded traffic since insertion or vt_traffic_clear(), one entry per APDU. */
size_t vt_traffic_count(struct vt *vt, unsigned reader);
/* Copies entry i; returns false past the end. Lengths may be 0 (a failed transmit). */
bool vt_traffic_get(struct vt *vt, unsigned reader, size_t i, uint8_t *cmd, size_t *cmd_len,
		    uint8_t *resp, size_t *resp_len);
void vt_traffic_clear(struct vt *vt, unsigned reader);

/*
 * The fault hook, called for every APDU (index counts from 0 at insertion) twice: before the
 * card sees it and after it answered (resp/resp_len hold the card's answer; resp has room for
 * VCARD_RESP_MAX bytes and may be rewritten).
 */
enum vt_stage { VT_BEFORE, VT_AFTER };
enum vt_verdict {
	VT_PASS,   /* carry on */
	VT_ANSWER, /* before: the hook's resp is the answer and the card never sees the command */
	VT_FAIL,   /* the transmit fails (JPKI_ERR_TRANSPORT); after: the card did process it */
	VT_RESET,  /* the card is reset; the transmit reports JPKI_ERR_CARD_RESET */
	VT_REMOVE, /* the card is pulled; the transmit reports JPKI_ERR_CARD_REMOVED */
};
typedef enum vt_verdict (*vt_hook_fn)(void *arg, enum vt_stage stage, unsigned reader,
				      unsigned long index, const uint8_t *cmd, size_t cmd_len,
				      uint8_t *resp, size_t *resp_len);
/* The hook runs under the world's lock: it must not call vt_ functions. NULL removes it. */
void vt_set_hook(struct vt *vt, vt_hook_fn hook, void *arg);

#endif
