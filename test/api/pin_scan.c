/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dlfcn.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test/api/pin_scan.h"
#include "test/under-asan.h"

#define MAX_NEEDLES 16
/* How far below the caller's frame the dead stack is searched. */
#define STACK_SCAN 65536

static const char *needles[MAX_NEEDLES];
static size_t n_needles;
static atomic_int armed;
static atomic_ulong heap_hits, blocks;
static atomic_int last_which = -1;
static uintptr_t stack_floor; /* found before any scan: finding it uses the stack */

unsigned long pin_scan_bytes(const void *p, size_t len, int *which)
{
	unsigned long hits = 0;

	for (size_t i = 0; i < n_needles; i++)
		if (memmem(p, len, needles[i], strlen(needles[i])) != NULL) {
			hits++;
			if (which != NULL)
				*which = (int)i;
		}
	return hits;
}

static void scan_block(void *p)
{
	unsigned long hits;
	int which = -1;

	if (p == NULL || !atomic_load(&armed))
		return;
	atomic_fetch_add(&blocks, 1);
	hits = pin_scan_bytes(p, malloc_usable_size(p), &which);
	if (hits > 0) {
		atomic_fetch_add(&heap_hits, hits);
		atomic_store(&last_which, which);
	}
}

#if UNDER_ASAN
/* ASan owns free() and realloc(); it calls this hook with every block it is about to release,
 * realloc's old block included, while the block is still readable. */
void __sanitizer_free_hook(const volatile void *p);

void __sanitizer_free_hook(const volatile void *p)
{
	scan_block((void *)p);
}
#else
static void (*real_free)(void *);
static void *(*real_realloc)(void *, size_t);
static atomic_int resolving;

static void resolve(void)
{
	/* dlsym may allocate and free; a free before resolution is leaked, not scanned. */
	if (atomic_exchange(&resolving, 1))
		return;
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	atomic_store(&resolving, 0);
}

void free(void *p)
{
	if (real_free == NULL)
		resolve();
	if (real_free == NULL)
		return;
	scan_block(p);
	real_free(p);
}

void *realloc(void *p, size_t size)
{
	if (real_realloc == NULL)
		resolve();
	if (real_realloc == NULL)
		return NULL;
	/* The old block may be released inside: search it first. */
	scan_block(p);
	return real_realloc(p, size);
}
#endif

static uintptr_t stack_low(void);

void pin_scan_needle(const char *needle)
{
	if (stack_floor == 0)
		stack_floor = stack_low();
	if (n_needles < MAX_NEEDLES && strlen(needle) >= 4)
		needles[n_needles++] = needle;
}

void pin_scan_arm(int on)
{
	atomic_store(&armed, on);
}

unsigned long pin_scan_heap_hits(int *which)
{
	if (which != NULL)
		*which = atomic_load(&last_which);
	return atomic_load(&heap_hits);
}

unsigned long pin_scan_blocks(void)
{
	return atomic_load(&blocks);
}

void pin_scan_reset(void)
{
	atomic_store(&heap_hits, 0);
	atomic_store(&blocks, 0);
	atomic_store(&last_which, -1);
}

/* The lowest address of the main thread's stack mapping, from /proc/self/maps. */
static uintptr_t stack_low(void)
{
	FILE *fp = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long lo = 0, hi;

	if (fp == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strstr(line, "[stack]") != NULL && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			break;
	fclose(fp);
	return lo;
}

/* pin_scan_bytes for the dead stack, byte by byte and not checked by ASan: the frames that
 * were there may have left poisoned redzones behind. */
__attribute__((no_sanitize_address)) static unsigned long scan_raw(const unsigned char *p,
								   size_t len, int *which)
{
	unsigned long hits = 0;

	for (size_t i = 0; i < n_needles; i++) {
		size_t n = strlen(needles[i]), j, k;

		for (j = 0; j + n <= len; j++) {
			for (k = 0; k < n && p[j + k] == (unsigned char)needles[i][k]; k++)
				;
			if (k == n)
				break;
		}
		if (j + n <= len) {
			hits++;
			if (which != NULL)
				*which = (int)i;
		}
	}
	return hits;
}

__attribute__((noinline)) unsigned long pin_scan_stack(int *which)
{
	volatile char here = 0;
	uintptr_t top = (uintptr_t)&here - 1024; /* below this function's own frame */
	uintptr_t low = top - STACK_SCAN, floor = stack_floor;

	if (floor == 0 || top <= floor)
		return 0;
	if (low < floor)
		low = floor;
	return scan_raw((const unsigned char *)low, top - low, which);
}
