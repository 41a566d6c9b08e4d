/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The module instance created by C_Initialize: configuration, the transport, the reader and
 * session tables, and the global lock G that guards those tables. Card I/O happens under a
 * per-reader lock R (slot.h). Lock order: R may be held while G is taken, never the reverse,
 * so G is only ever held for short table work.
 */
#ifndef JPKI_PKCS11_MODULE_H
#define JPKI_PKCS11_MODULE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <p11-kit/pkcs11.h>

#include "pkcs11/handles.h"
#include "pkcs11/locking.h"
#include "src/settings.h"
#include "src/transport.h"

#define MODULE_MAX_READERS 32

struct reader;

struct module {
	pid_t pid; /* a forked child sees a different pid: not initialised there */
	struct locking locking;
	void *lock; /* G */
	struct jpki_settings settings;
	const struct jpki_transport_ops *ops;
	void *ops_arg;
	atomic_bool finalizing;

	/* Under G. */
	struct jpki_transport *transport; /* opened on first need: no I/O in C_Initialize */
	bool scanned;			  /* the first reader scan is the baseline, not an event */
	struct reader *readers[MODULE_MAX_READERS];	    /* by slot index (slot.c) */
	struct jpki_reader_state known[MODULE_MAX_READERS]; /* the service's last answer */
	size_t n_known;
	struct handles sessions;
};

/*
 * Every entry point runs between module_enter and module_leave. module_enter returns NULL
 * when the module is not initialised in this process; C_Finalize waits until no call is
 * inside (waking C_WaitForSlotEvent through the transport) before it frees anything.
 */
struct module *module_enter(void);
void module_leave(void);

void module_lock(struct module *m);
void module_unlock(struct module *m);

/*
 * Test hook, not exported from the shared object: the transport the next C_Initialize uses
 * (default: PC/SC). arg is passed to ops->open.
 */
void jpki_module_use_transport(const struct jpki_transport_ops *ops, void *arg);

#endif
