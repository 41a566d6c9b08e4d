/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Diagnostics, off by default. JPKI_PKCS11_DEBUG=LEVEL[:FILE] with LEVEL 1 (errors),
 * 2 (+ entry points and return codes), 3 (+ card operations), 4 (+ APDU traces, PIN bytes
 * masked); output to stderr or FILE (appended). Never pass a PIN to these functions.
 * Thread-safe: one line per call, written under a lock.
 */
#ifndef JPKI_LOG_H
#define JPKI_LOG_H

#include <stddef.h>
#include <stdint.h>

#define JPKI_LOG_ENV "JPKI_PKCS11_DEBUG"

enum jpki_log_level {
	JPKI_LOG_OFF = 0,
	JPKI_LOG_ERROR = 1,
	JPKI_LOG_CALLS = 2,
	JPKI_LOG_CARD = 3,
	JPKI_LOG_APDU = 4,
};

/* Reads the environment variable; called from C_Initialize. Idempotent. */
void jpki_log_init(void);
void jpki_log_close(void);
int jpki_log_level(void);

void jpki_log_at(int level, const char *file, int line, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * Logs a command or response APDU in hex at JPKI_LOG_APDU. For VERIFY and CHANGE REFERENCE
 * DATA commands the data field is replaced by "**" per byte.
 */
void jpki_log_apdu(const char *dir, const uint8_t *apdu, size_t len);

/*
 * The text jpki_log_apdu writes: dir, then the bytes in hex (the first JPKI_LOG_APDU_SHOWN,
 * then the total). dir starting with '<' is a response; anything else is a command and gets
 * its VERIFY / CHANGE REFERENCE DATA data masked. Always NUL-terminates (cap > 0).
 */
#define JPKI_LOG_APDU_SHOWN 256
void jpki_log_format_apdu(char *out, size_t cap, const char *dir, const uint8_t *apdu, size_t len);

#define jpki_log(level, ...)                                                                       \
	do {                                                                                       \
		if (jpki_log_level() >= (level))                                                   \
			jpki_log_at((level), __FILE__, __LINE__, __func__, __VA_ARGS__);           \
	} while (0)

#endif
