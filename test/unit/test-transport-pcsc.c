/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The PC/SC transport without a pcscd: opening never talks to the service, a missing service
 * is JPKI_ERR_NO_SERVICE on every call (and retried each time), a cancelled wait returns.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "src/transport.h"

START_TEST(no_service)
{
	struct jpki_transport *t = NULL;
	struct jpki_connection *c = NULL;
	struct jpki_reader_state st[2];
	size_t n = 2;

	ck_assert_int_eq(jpki_transport_pcsc.open(NULL, &t), JPKI_OK);
	ck_assert_int_eq(jpki_transport_pcsc.readers(t, st, &n), JPKI_ERR_NO_SERVICE);
	ck_assert_uint_eq(n, 0);
	n = 2;
	ck_assert_int_eq(jpki_transport_pcsc.readers(t, st, &n), JPKI_ERR_NO_SERVICE);
	ck_assert_int_eq(jpki_transport_pcsc.connect(t, "Virtual PCD 00 00", &c),
			 JPKI_ERR_NO_SERVICE);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(jpki_transport_pcsc.wait_change(t, NULL, 0, 0), JPKI_ERR_NO_SERVICE);
	jpki_transport_pcsc.cancel_wait(t);
	ck_assert_int_eq(jpki_transport_pcsc.wait_change(t, NULL, 0, -1), JPKI_ERR_CANCELLED);
	ck_assert_int_eq(jpki_transport_pcsc.readers(t, NULL, NULL), JPKI_ERR_ARGS);
	jpki_transport_pcsc.close(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("transport_pcsc");
	TCase *tc = tcase_create("no service");
	SRunner *sr;
	char sock[] = "/tmp/jpki-nopcscd-XXXXXX";
	char path[64];
	int failed;

	/* pcsc-lite's client reads the socket path once: point it at nothing before any call. */
	if (mkdtemp(sock) == NULL)
		return EXIT_FAILURE;
	snprintf(path, sizeof(path), "%s/pcscd.comm", sock);
	setenv("PCSCLITE_CSOCK_NAME", path, 1);
	tcase_add_test(tc, no_service);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rmdir(sock);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
