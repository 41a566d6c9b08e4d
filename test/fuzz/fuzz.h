/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared pieces of the fuzz targets (test/fuzz/fuzz-*.c): a reader over the fuzz input, and
 * a world of one virtual reader with a virtual card (test/api/transport_vcard.h) that the
 * module is pointed at. Each target defines LLVMFuzzerTestOneInput; built with
 * --enable-fuzzing it is linked with libFuzzer, otherwise with replay.c, which runs the corpus
 * once as a regression test.
 */
#ifndef JPKI_TEST_FUZZ_H
#define JPKI_TEST_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <p11-kit/pkcs11.h>

#include "test/api/transport_vcard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The fuzz input, consumed front to back; reads past its end give zeros. */
struct fz {
	const uint8_t *p;
	size_t n;
};

static inline bool fz_empty(const struct fz *f)
{
	return f->n == 0;
}

static inline uint8_t fz_u8(struct fz *f)
{
	uint8_t b = 0;

	if (f->n > 0) {
		b = *f->p++;
		f->n--;
	}
	return b;
}

static inline uint16_t fz_u16(struct fz *f)
{
	uint16_t hi = fz_u8(f);

	return (uint16_t)(hi << 8 | fz_u8(f));
}

static inline uint32_t fz_u32(struct fz *f)
{
	uint32_t hi = fz_u16(f);

	return hi << 16 | fz_u16(f);
}

/* Up to len bytes into out (what is left of the input when shorter); returns the count. */
size_t fz_bytes(struct fz *f, uint8_t *out, size_t len);

/*
 * A world with one reader "Fuzz Reader 0" holding a My Number card (profile from the
 * argument, default PINs 1234 / PASS1234), the module's transport set to it. The test PKI is
 * loaded once ($JPKI_TEST_PKI, generated on first use), the configuration is empty.
 */
struct fuzz_world {
	struct vt *vt;
	struct vcard_config cfg;
	struct vcard_identity id;
	struct vcard_pins pins;
};
void fuzz_setup_env(void);
void fuzz_world_new(struct fuzz_world *w, enum vcard_profile profile);
/* Takes the card out and puts a fresh one (same profile, same PIN state) in. */
void fuzz_world_reinsert(struct fuzz_world *w);
void fuzz_world_free(struct fuzz_world *w);

/* The module's function list. */
CK_FUNCTION_LIST_PTR fuzz_module(void);

#endif
