/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared helpers of the robustness programs (faults, sharing, load): the module loaded by
 * path through dlopen, the virtual card's control socket and trace, and the checks every
 * program makes of a result (a certificate read off the card, a signature verified with
 * OpenSSL against it). They run inside test/harness/with-cards, next to the real pcscd.
 */
#ifndef JPKI_ROBUST_H
#define JPKI_ROBUST_H

#include <p11-kit/pkcs11.h>
#include <stdbool.h>
#include <stddef.h>

#define AUTH_PIN "1234"

/* Loads the module at path and returns its function list; exits on failure. */
CK_FUNCTION_LIST_PTR robust_load(const char *path);

/* C_Initialize with native locking (CKF_OS_LOCKING_OK), as browsers call it. */
CK_RV robust_initialize(CK_FUNCTION_LIST_PTR f);

/* The CKR_ name of rv ("CKR_0x..." for an unknown one; a static buffer for those). */
const char *robust_rv_name(CK_RV rv);

/* Sends a command line to the card's control socket; the reply goes to reply. -1: no card. */
int robust_ctl(const char *ctl, const char *command, char *reply, size_t cap);

/* The card's status: APDUs answered so far and the auth PIN's tries left (-1 on error). */
int robust_card_status(const char *ctl, unsigned long *apdus, int *auth_tries, bool *present);

/* Waits up to timeout_ms for the card to be present (want) or absent; 0 when it is. */
int robust_card_wait(const char *ctl, bool want, int timeout_ms);

/* The trace's current size, and the PIN-carrying commands (VERIFY, CHANGE) after offset. */
long robust_trace_size(const char *trace);
int robust_trace_pin_commands(const char *trace, long offset);

/* The slot of the auth (kind 0) or sign (kind 1) token among slots with a token; -1: none. */
int robust_token_slot(CK_FUNCTION_LIST_PTR f, int kind, CK_SLOT_ID *slot);

/* The one object of class cls with CKA_ID {id}; CKR_ of the failing call, or CKR_OK. */
CK_RV robust_find(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls,
		  unsigned char id, CK_OBJECT_HANDLE *h);

/* CKA_VALUE of a certificate, two-call; *der is malloc'd. */
CK_RV robust_cert(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, unsigned char id,
		  unsigned char **der, size_t *len);

/* Verifies sig (CKM_SHA256_RSA_PKCS over msg) with the certificate's public key. */
bool robust_verify(const unsigned char *der, size_t der_len, const unsigned char *msg,
		   size_t msg_len, const unsigned char *sig, size_t sig_len);

/* Resident set size now and its peak, in KiB (from /proc/self/status and getrusage). */
void robust_rss(long *now_kib, long *peak_kib);

/* Monotonic milliseconds. */
double robust_now_ms(void);

#endif
