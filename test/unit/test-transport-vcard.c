/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The in-process transport itself: reader states and event counts, wait_change on insertion,
 * removal, reset and reader arrival, cancel_wait from another thread, transactions between
 * two connections, the fault hook, and the short-APDU reader limit.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test/api/transport_vcard.h"
#include "test/vcard/pki.h"
#include "test/vcard/state.h"

static const struct jpki_transport_ops *ops = &vt_transport_ops;
static struct vcard_pki pki;
static struct vcard_identity id;
static struct vcard_pins pins;
static struct vcard_config cfg;
static struct vt *vt;
static struct jpki_transport *t;

static void setup(void)
{
	vcard_config_defaults(&cfg);
	vcard_pki_identity(&pki, VCARD_PROFILE_MYNUMBER, &id);
	vcard_state_defaults(&pins);
	vt = vt_new();
	ck_assert_ptr_nonnull(vt);
	ck_assert_int_eq(vt_add_reader(vt, "Reader A"), 0);
	ck_assert_int_eq(vt_add_reader(vt, "Reader B"), 1);
	ck_assert_int_eq(ops->open(vt, &t), JPKI_OK);
}

static void teardown(void)
{
	ops->close(t);
	vt_free(vt);
}

static size_t snapshot(struct jpki_reader_state *st)
{
	size_t n = VT_MAX_READERS;

	ck_assert_int_eq(ops->readers(t, st, &n), JPKI_OK);
	return n;
}

START_TEST(reader_states)
{
	struct jpki_reader_state st[VT_MAX_READERS];
	size_t n = 1;

	ck_assert_int_eq(ops->readers(t, st, &n), JPKI_OK);
	ck_assert_uint_eq(n, 2); /* the count even when only one fits */
	ck_assert_str_eq(st[0].name, "Reader A");
	n = snapshot(st);
	ck_assert(!st[0].present && !st[1].present);
	ck_assert_int_eq(vt_insert(vt, 1, &cfg, &id, &pins), 0);
	n = snapshot(st);
	ck_assert(st[1].present);
	ck_assert_uint_eq(st[1].atr_len, 19);
	ck_assert_uint_eq(st[1].atr[0], 0x3B);
	ck_assert_uint_eq(st[1].event_count, 1);
	vt_reset(vt, 1);
	vt_remove(vt, 1);
	n = snapshot(st);
	ck_assert(!st[1].present);
	ck_assert_uint_eq(st[1].event_count, 3);
	ck_assert_uint_eq(n, 2);
}
END_TEST

struct later {
	int what; /* 0 insert, 1 add a reader, 2 cancel, 3 reset */
};

static void *do_later(void *arg)
{
	const struct later *l = arg;

	usleep(100000);
	switch (l->what) {
	case 0:
		vt_insert(vt, 0, &cfg, &id, &pins);
		break;
	case 1:
		vt_add_reader(vt, "Reader C");
		break;
	case 2:
		ops->cancel_wait(t);
		break;
	default:
		vt_reset(vt, 0);
		break;
	}
	return NULL;
}

START_TEST(wait_change)
{
	struct jpki_reader_state st[VT_MAX_READERS];
	struct later l = {_i};
	pthread_t th;
	size_t n;

	if (l.what == 3)
		vt_insert(vt, 0, &cfg, &id, &pins);
	n = snapshot(st);
	ck_assert_int_eq(ops->wait_change(t, st, n, 0), JPKI_ERR_TIMEOUT);
	ck_assert_int_eq(ops->wait_change(t, st, n, 50), JPKI_ERR_TIMEOUT);
	pthread_create(&th, NULL, do_later, &l);
	ck_assert_int_eq(ops->wait_change(t, st, n, -1),
			 l.what == 2 ? JPKI_ERR_CANCELLED : JPKI_OK);
	pthread_join(th, NULL);
	if (l.what == 2) /* sticky */
		ck_assert_int_eq(ops->wait_change(t, st, n, -1), JPKI_ERR_CANCELLED);
	else /* the change is still there for a caller with the old snapshot */
		ck_assert_int_eq(ops->wait_change(t, st, n, 0), JPKI_OK);
}
END_TEST

START_TEST(connections)
{
	struct jpki_connection *c = NULL;
	uint8_t resp[300];
	size_t len = 0;
	const uint8_t select_aid[] = {0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0,
				      0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
	const uint8_t select_ef[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A};
	const uint8_t ext_read[] = {0x00, 0xB0, 0x00, 0x00, 0x00, 0x01, 0x00};
	struct vt_counters k;

	ck_assert_int_eq(ops->connect(t, "Reader A", &c), JPKI_ERR_NO_CARD);
	ck_assert_int_eq(ops->connect(t, "Nowhere", &c), JPKI_ERR_NO_READER);
	vt_insert(vt, 0, &cfg, &id, &pins);
	ck_assert_int_eq(ops->connect(t, "Reader A", &c), JPKI_OK);
	ck_assert_uint_eq(ops->max_response(c), 256);
	ck_assert_int_eq(ops->transmit(c, select_aid, sizeof(select_aid), resp, sizeof(resp), &len),
			 JPKI_OK);
	ck_assert_uint_eq(len, 2);
	ck_assert_uint_eq(resp[0], 0x90);
	ck_assert_int_eq(ops->transmit(c, select_ef, sizeof(select_ef), resp, sizeof(resp), &len),
			 JPKI_OK);
	/* A short-only reader cannot carry an extended command. */
	ck_assert_int_eq(ops->transmit(c, ext_read, sizeof(ext_read), resp, sizeof(resp), &len),
			 JPKI_ERR_TRANSPORT);
	vt_set_max_response(vt, 0, 65536);
	ck_assert_uint_eq(ops->max_response(c), 65536);
	/* A response larger than the caller's buffer is refused, not truncated. */
	ck_assert_int_eq(ops->transmit(c, ext_read, sizeof(ext_read), resp, 100, &len),
			 JPKI_ERR_BAD_RESPONSE);
	vt_counters(vt, 0, &k);
	ck_assert_uint_eq(k.apdus, 4);
	ck_assert_uint_eq(k.extended, 2);
	ck_assert_uint_eq(vt_traffic_count(vt, 0), 4);
	ck_assert_ptr_nonnull(vt_card(vt, 0));
	ck_assert_int_eq(ops->status(c), JPKI_OK);
	vt_reset(vt, 0);
	ck_assert_int_eq(ops->status(c), JPKI_ERR_CARD_RESET);
	ck_assert_int_eq(ops->status(c), JPKI_OK);
	vt_unplug_reader(vt, 0);
	ck_assert_int_eq(ops->status(c), JPKI_ERR_CARD_REMOVED);
	ck_assert_int_eq(ops->transmit(c, select_aid, sizeof(select_aid), resp, sizeof(resp), &len),
			 JPKI_ERR_NO_READER);
	ops->disconnect(c, false);
}
END_TEST

static struct jpki_connection *second;
static volatile int second_done;

static void *second_transaction(void *arg)
{
	ck_assert_int_eq(ops->begin(second), JPKI_OK);
	second_done = 1;
	ops->end(second);
	return NULL;
}

START_TEST(transactions_exclude)
{
	struct jpki_connection *first = NULL;
	struct vt_counters k;
	pthread_t th;

	vt_insert(vt, 0, &cfg, &id, &pins);
	ck_assert_int_eq(ops->connect(t, "Reader A", &first), JPKI_OK);
	ck_assert_int_eq(ops->connect(t, "Reader A", &second), JPKI_OK);
	ck_assert_int_eq(ops->begin(first), JPKI_OK);
	ck_assert_int_eq(ops->begin(first), JPKI_OK); /* nested */
	second_done = 0;
	pthread_create(&th, NULL, second_transaction, NULL);
	usleep(100000);
	ck_assert_int_eq(second_done, 0); /* blocked by the first connection's transaction */
	ops->end(first);
	usleep(50000);
	ck_assert_int_eq(second_done, 0); /* still nested */
	ops->end(first);
	pthread_join(th, NULL);
	ck_assert_int_eq(second_done, 1);
	vt_counters(vt, 0, &k);
	ck_assert_uint_eq(k.transactions, 2);
	ops->disconnect(first, false);
	/* A disconnect with reset is a reset for the others. */
	ck_assert_int_eq(ops->status(second), JPKI_OK);
	ck_assert_int_eq(ops->connect(t, "Reader A", &first), JPKI_OK);
	ops->disconnect(first, true);
	ck_assert_int_eq(ops->status(second), JPKI_ERR_CARD_RESET);
	ops->disconnect(second, false);
}
END_TEST

static enum vt_verdict verdict_for_index;

static enum vt_verdict at_index_1(void *arg, enum vt_stage stage, unsigned reader,
				  unsigned long index, const uint8_t *cmd, size_t cmd_len,
				  uint8_t *resp, size_t *resp_len)
{
	if (stage == VT_BEFORE && index == 1) {
		resp[0] = 0x6A;
		resp[1] = 0x82;
		*resp_len = 2;
		return verdict_for_index;
	}
	return VT_PASS;
}

START_TEST(hook_verdicts)
{
	static const enum jpki_rc want[] = {JPKI_OK, JPKI_OK, JPKI_ERR_TRANSPORT,
					    JPKI_ERR_CARD_RESET, JPKI_ERR_CARD_REMOVED};
	const uint8_t select_aid[] = {0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0,
				      0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
	struct jpki_connection *c = NULL;
	uint8_t resp[300];
	size_t len = 0;

	verdict_for_index = (enum vt_verdict)_i;
	vt_insert(vt, 0, &cfg, &id, &pins);
	vt_set_hook(vt, at_index_1, NULL);
	ck_assert_int_eq(ops->connect(t, "Reader A", &c), JPKI_OK);
	ck_assert_int_eq(ops->transmit(c, select_aid, sizeof(select_aid), resp, sizeof(resp), &len),
			 JPKI_OK);
	ck_assert_int_eq(ops->transmit(c, select_aid, sizeof(select_aid), resp, sizeof(resp), &len),
			 want[_i]);
	if (want[_i] == JPKI_OK)
		ck_assert_uint_eq(resp[0], verdict_for_index == VT_ANSWER ? 0x6A : 0x90);
	ops->disconnect(c, false);
}
END_TEST

int main(void)
{
	const char *dir = getenv("JPKI_TEST_PKI");
	Suite *s = suite_create("transport_vcard");
	TCase *tc = tcase_create("in-process transport");
	SRunner *sr;
	int failed;

	if (vcard_pki_load(dir != NULL ? dir : "test/pki", 0, &pki) != 0)
		return EXIT_FAILURE;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reader_states);
	tcase_add_loop_test(tc, wait_change, 0, 4);
	tcase_add_test(tc, connections);
	tcase_add_test(tc, transactions_exclude);
	tcase_add_loop_test(tc, hook_verdicts, VT_PASS, VT_REMOVE + 1);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	vcard_pki_free(&pki);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
