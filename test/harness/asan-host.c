/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Preloaded after the AddressSanitizer runtime into a program that is not built with it (the
 * consumers that load an --enable-sanitizers module). Libraries' constructors run before a
 * preloaded runtime's, so the runtime initialises itself lazily, inside the first malloc. When
 * that malloc comes from newlocale() in libp11-kit's constructor (GnuTLS, curl, p11tool,
 * p11-kit), glibc's locale lock is write-held, and the runtime's look-up of the optional
 * Swift demangler fails; reading that failure with dlerror() translates the message through
 * gettext, which read-locks the same lock: the lock's count is left broken and the next
 * setlocale() waits for ever. Defining the symbol makes the look-up succeed.
 */
#include <stddef.h>
#include <stdint.h>

char *swift_demangle(const char *mangled, size_t mangled_len, char *out, size_t *out_len,
		     uint32_t flags);

/* No symbol is a Swift symbol: the runtime then prints names as they are. */
char *swift_demangle(const char *mangled, size_t mangled_len, char *out, size_t *out_len,
		     uint32_t flags)
{
	(void)mangled;
	(void)mangled_len;
	(void)out;
	(void)out_len;
	(void)flags;
	return NULL;
}
