/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A PIN detector for test-api-secrets: free() and realloc() of this program are wrapped (in
 * the sanitizer build, ASan's free hook is used) so that every heap block released while the
 * scanner is armed is searched (its whole usable size, malloc_usable_size) for the registered
 * byte strings before it is released; and the dead part of the stack below the caller can be
 * searched after a call returned.
 */
#ifndef JPKI_TEST_PIN_SCAN_H
#define JPKI_TEST_PIN_SCAN_H

#include <stddef.h>

/* Registers a needle (kept by pointer, at least 4 bytes). */
void pin_scan_needle(const char *needle);
/* Counts hits in freed blocks from now on (armed) or not. */
void pin_scan_arm(int on);
/* Hits in freed blocks since the last reset, and the index of the last needle found. */
unsigned long pin_scan_heap_hits(int *which);
/* Blocks scanned since the last reset (to show the scan ran). */
unsigned long pin_scan_blocks(void);
void pin_scan_reset(void);
/* Searches the stack below the caller (what callees left there); returns hits. */
unsigned long pin_scan_stack(int *which);
/* Searches len bytes at p; returns hits. */
unsigned long pin_scan_bytes(const void *p, size_t len, int *which);

#endif
