/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * UNDER_ASAN is 1 when the including file is compiled with AddressSanitizer (GCC says so with
 * __SANITIZE_ADDRESS__, clang through __has_feature), else 0.
 */
#ifndef JPKI_TEST_UNDER_ASAN_H
#define JPKI_TEST_UNDER_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#endif
