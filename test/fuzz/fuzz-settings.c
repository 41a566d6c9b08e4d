/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The configuration file parser (src/settings.c) on arbitrary text, and the reader filters it
 * yields.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "src/settings.h"
#include "test/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const readers[] = {"", "Virtual PCD 00 00", "SCM SCR 3310 [CCID]",
					      "ACS ACR1252 Dual Reader [ACR1252 Dual Reader PICC]"};
	struct jpki_settings s;

	if (jpki_settings_parse((const char *)data, size, &s) != JPKI_OK)
		return 0;
	if (s.n_include > JPKI_SETTINGS_MAX_FILTERS || s.n_exclude > JPKI_SETTINGS_MAX_FILTERS)
		abort();
	for (size_t i = 0; i < s.n_include; i++)
		if (memchr(s.reader_include[i], '\0', JPKI_SETTINGS_FILTER_LEN) == NULL)
			abort();
	for (size_t i = 0; i < s.n_exclude; i++)
		if (memchr(s.reader_exclude[i], '\0', JPKI_SETTINGS_FILTER_LEN) == NULL)
			abort();
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		jpki_settings_reader_allowed(&s, readers[i]);
	return 0;
}
