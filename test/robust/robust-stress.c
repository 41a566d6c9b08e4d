/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The module under load, sharing, a pcscd restart and API abuse, next to the real pcscd and
 * one virtual card (inside test/harness/with-cards). Modes:
 *
 *   --mode load [--threads N] [--sessions N] [--count N] [--finalize 0|1]
 *       N threads x sessions x signatures on one token; every signature verifies with OpenSSL;
 *       RSS after a warm-up, half-way and at the end (memory must stay flat); then (unless
 *       --finalize 0) a thread blocked in C_WaitForSlotEvent and threads in the middle of
 *       signatures while C_Finalize runs.
 *   --mode share [--seconds N]
 *       two processes on one card: one logged in and signing in a loop, the other enumerating,
 *       reading certificates and logging in and out (C_Logout re-selects the application and
 *       clears the card's PIN state). Every signature verifies or fails with
 *       CKR_USER_NOT_LOGGED_IN or a device code.
 *   --mode pcscd
 *       pcscd (JPKI_PCSCD_PID) killed during a logged-in session: the module reports the loss,
 *       and after a new pcscd (started and stopped here) works again.
 *   --mode abuse
 *       stale session and object handles (after close, logout, removal), wrong session states,
 *       operations interleaved across sessions: the specification's codes.
 *
 * Prints its figures; exit 0 when every check held.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test/robust/robust.h"
#include "test/under-asan.h"

static CK_FUNCTION_LIST_PTR f;
static unsigned char *cert;
static size_t cert_len;
static atomic_int failures;
static const unsigned char msg[] = "robustness: a message to sign";

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, "FAIL: " __VA_ARGS__);                                             \
		fputc('\n', stderr);                                                               \
		atomic_fetch_add(&failures, 1);                                                    \
	} while (0)

/* Asserts that call returns want. */
#define EXPECT(call, want)                                                                         \
	do {                                                                                       \
		CK_RV rv_ = (call);                                                                \
		if (rv_ != (want))                                                                 \
			FAIL("%s:%d %s: %s, want %s", __FILE__, __LINE__, #call,                   \
			     robust_rv_name(rv_), robust_rv_name(want));                           \
	} while (0)

static void on_alarm(int sig)
{
	static const char text[] = "FAIL: hang (watchdog)\n";

	(void)sig;
	(void)!write(2, text, sizeof(text) - 1);
	_exit(1);
}

static CK_SESSION_HANDLE open_session(bool rw)
{
	CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
	CK_SLOT_ID slot;

	if (robust_token_slot(f, 0, &slot) != 0) {
		FAIL("no auth token");
		return CK_INVALID_HANDLE;
	}
	EXPECT(
	    f->C_OpenSession(slot, CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0), NULL, NULL, &s),
	    CKR_OK);
	return s;
}

static CK_RV login(CK_SESSION_HANDLE s)
{
	return f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)AUTH_PIN, 4);
}

/* One signature; a CKR_OK signature is verified, a wrong one is a failure. */
static CK_RV sign_once(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key)
{
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
	unsigned char sig[512];
	CK_ULONG sig_len = sizeof(sig);
	CK_RV rv = f->C_SignInit(s, &mech, key);

	if (rv == CKR_OK)
		rv = f->C_Sign(s, (CK_BYTE_PTR)msg, sizeof(msg), sig, &sig_len);
	if (rv == CKR_OK && !robust_verify(cert, cert_len, msg, sizeof(msg), sig, sig_len)) {
		FAIL("a CKR_OK signature does not verify");
		rv = CKR_GENERAL_ERROR;
	}
	return rv;
}

static void setup(void)
{
	CK_SESSION_HANDLE s;

	EXPECT(robust_initialize(f), CKR_OK);
	s = open_session(false);
	EXPECT(robust_cert(f, s, 0x01, &cert, &cert_len), CKR_OK);
	f->C_CloseSession(s);
}

/* --- load ----------------------------------------------------------------------------------- */

struct worker {
	pthread_t th;
	int sessions;
	long count, ok;
};

static void *sign_worker(void *arg)
{
	struct worker *w = arg;
	CK_SESSION_HANDLE s[8];
	CK_OBJECT_HANDLE key;

	for (int i = 0; i < w->sessions; i++)
		s[i] = open_session(false);
	if (robust_find(f, s[0], CKO_PRIVATE_KEY, 0x01, &key) != CKR_OK) {
		FAIL("worker: no private key");
		return NULL;
	}
	for (long n = 0; n < w->count; n++) {
		CK_RV rv = sign_once(s[n % w->sessions], key);

		if (rv == CKR_OK)
			w->ok++;
		else
			FAIL("worker signature %ld: %s", n, robust_rv_name(rv));
	}
	for (int i = 0; i < w->sessions; i++)
		f->C_CloseSession(s[i]);
	return NULL;
}

static double run_workers(int threads, int sessions, long count, long *ok)
{
	struct worker w[64] = {{0}};
	double t0 = robust_now_ms();

	*ok = 0;
	for (int i = 0; i < threads; i++) {
		w[i].sessions = sessions;
		w[i].count = count;
		pthread_create(&w[i].th, NULL, sign_worker, &w[i]);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(w[i].th, NULL);
		*ok += w[i].ok;
	}
	return robust_now_ms() - t0;
}

static atomic_int waiter_done;
static CK_RV waiter_rv;

static void *slot_waiter(void *arg)
{
	CK_SLOT_ID slot;

	(void)arg;
	waiter_rv = f->C_WaitForSlotEvent(0, &slot, NULL);
	atomic_store(&waiter_done, 1);
	return NULL;
}

static atomic_int stop_inflight;

static void *inflight_worker(void *arg)
{
	CK_SESSION_HANDLE s = *(CK_SESSION_HANDLE *)arg;
	CK_OBJECT_HANDLE key;
	CK_TOKEN_INFO ti;

	robust_find(f, s, CKO_PRIVATE_KEY, 0x01, &key);
	while (!atomic_load(&stop_inflight)) {
		CK_RV rv = sign_once(s, key);

		if (rv != CKR_OK && rv != CKR_CRYPTOKI_NOT_INITIALIZED &&
		    rv != CKR_SESSION_HANDLE_INVALID && rv != CKR_OPERATION_NOT_INITIALIZED &&
		    rv != CKR_SESSION_CLOSED && rv != CKR_KEY_HANDLE_INVALID)
			FAIL("in-flight signature across C_Finalize: %s", robust_rv_name(rv));
		if (f->C_GetTokenInfo(0, &ti) == CKR_CRYPTOKI_NOT_INITIALIZED)
			break;
	}
	return NULL;
}

static void finalize_scenarios(void)
{
	pthread_t th[4];
	CK_SESSION_HANDLE s[4];
	double t0;

	/* A thread blocked in C_WaitForSlotEvent: C_Finalize wakes it. */
	EXPECT(robust_initialize(f), CKR_OK);
	atomic_store(&waiter_done, 0);
	pthread_create(&th[0], NULL, slot_waiter, NULL);
	usleep(200000);
	t0 = robust_now_ms();
	EXPECT(f->C_Finalize(NULL), CKR_OK);
	while (!atomic_load(&waiter_done) && robust_now_ms() - t0 < 5000)
		usleep(1000);
	if (!atomic_load(&waiter_done))
		FAIL("C_WaitForSlotEvent still blocked 5 s after C_Finalize");
	pthread_join(th[0], NULL);
	if (waiter_rv != CKR_CRYPTOKI_NOT_INITIALIZED)
		FAIL("C_WaitForSlotEvent across C_Finalize: %s", robust_rv_name(waiter_rv));
	printf("finalize: blocked C_WaitForSlotEvent returned %s %.0f ms after C_Finalize\n",
	       robust_rv_name(waiter_rv), robust_now_ms() - t0);

	/* Threads in the middle of signatures while C_Finalize runs. */
	EXPECT(robust_initialize(f), CKR_OK);
	for (int i = 0; i < 4; i++)
		s[i] = open_session(false);
	EXPECT(login(s[0]), CKR_OK);
	atomic_store(&stop_inflight, 0);
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, inflight_worker, &s[i]);
	usleep(300000);
	EXPECT(f->C_Finalize(NULL), CKR_OK);
	usleep(100000);
	atomic_store(&stop_inflight, 1);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	printf("finalize: 4 threads signing across C_Finalize: no crash\n");
}

static int mode_load(int threads, int sessions, long count, bool finalize)
{
	CK_SESSION_HANDLE s;
	long rss1, peak1, rss2, peak2, rss3, peak3, ok, ok2;
	long warm = count / 10 > 0 ? count / 10 : 1, half = count / 2;
	double ms;

	setup();
	s = open_session(false);
	EXPECT(login(s), CKR_OK);
	run_workers(threads, sessions, warm, &ok);
	robust_rss(&rss1, &peak1);
	ms = run_workers(threads, sessions, half, &ok);
	robust_rss(&rss2, &peak2);
	ms += run_workers(threads, sessions, count - half, &ok2);
	robust_rss(&rss3, &peak3);
	ok += ok2;
	printf("load: %d threads x %d sessions x %ld signatures = %ld verified of %ld in %.1f s "
	       "(%.0f/s)\n",
	       threads, sessions, count, ok, (long)threads * count, ms / 1000, ok * 1000.0 / ms);
	printf("load: RSS %ld KiB after warm-up (%ld signatures), %ld KiB after half, %ld KiB at "
	       "the end (first half %+ld KiB, second half %+ld KiB); peak %ld -> %ld KiB\n",
	       rss1, (long)threads * warm, rss2, rss3, rss2 - rss1, rss3 - rss2, peak1, peak3);
	if (ok != (long)threads * count)
		FAIL("only %ld of %ld signatures succeeded", ok, (long)threads * count);
	/*
	 * Flat: the second half must not grow (a leak of 100 bytes a signature would show).
	 * Not under AddressSanitizer, whose quarantine holds freed memory (LeakSanitizer checks
	 * leaks there instead).
	 */
	if (count >= 10 && !UNDER_ASAN && rss3 - rss2 > 2048)
		FAIL("RSS grew by %ld KiB over the second half", rss3 - rss2);
	f->C_CloseSession(s);
	EXPECT(f->C_Finalize(NULL), CKR_OK);
	if (finalize)
		finalize_scenarios();
	return 0;
}

/* --- share ---------------------------------------------------------------------------------- */

static void share_other(double seconds)
{
	double end = robust_now_ms() + seconds * 1000;
	long loops = 0, logouts = 0, errors = 0;

	EXPECT(robust_initialize(f), CKR_OK);
	while (robust_now_ms() < end) {
		CK_SESSION_HANDLE s = open_session(false);
		unsigned char *der;
		size_t len;
		CK_RV rv = robust_cert(f, s, 0x01, &der, &len);

		if (rv == CKR_OK) {
			if (len != cert_len || memcmp(der, cert, len) != 0)
				FAIL("other process: wrong certificate");
			free(der);
		} else {
			errors++;
		}
		if (loops % 3 == 0 && login(s) == CKR_OK) {
			EXPECT(f->C_Logout(s), CKR_OK);
			logouts++;
		}
		f->C_CloseSession(s);
		loops++;
	}
	f->C_Finalize(NULL);
	printf("share: other process: %ld enumerations and certificate reads (%ld errors), "
	       "%ld logins with C_Logout\n",
	       loops, errors, logouts);
	exit(atomic_load(&failures) ? 1 : 0);
}

static int mode_share(double seconds)
{
	long ok = 0, not_logged_in = 0, device = 0, relogins = 0;
	double end;
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	pid_t pid;
	int status;

	setup();
	EXPECT(f->C_Finalize(NULL), CKR_OK);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		share_other(seconds);
	EXPECT(robust_initialize(f), CKR_OK);
	s = open_session(false);
	EXPECT(login(s), CKR_OK);
	EXPECT(robust_find(f, s, CKO_PRIVATE_KEY, 0x01, &key), CKR_OK);
	end = robust_now_ms() + seconds * 1000;
	while (robust_now_ms() < end) {
		CK_RV rv = sign_once(s, key);

		if (rv == CKR_OK) {
			ok++;
		} else if (rv == CKR_USER_NOT_LOGGED_IN) {
			not_logged_in++;
			/* The module must know it too: a new login is accepted. */
			rv = login(s);
			if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
				FAIL("login after CKR_USER_NOT_LOGGED_IN: %s", robust_rv_name(rv));
			relogins++;
		} else if (rv == CKR_DEVICE_ERROR || rv == CKR_DEVICE_REMOVED ||
			   rv == CKR_FUNCTION_FAILED) {
			device++;
		} else {
			FAIL("shared signature: %s", robust_rv_name(rv));
		}
	}
	f->C_CloseSession(s);
	EXPECT(f->C_Finalize(NULL), CKR_OK);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("the other process failed");
	printf("share: signer: %ld verified signatures, %ld CKR_USER_NOT_LOGGED_IN (then %ld "
	       "logins), %ld device errors, 0 wrong\n",
	       ok, not_logged_in, relogins, device);
	if (ok == 0)
		FAIL("no signature succeeded");
	return 0;
}

/* --- pcscd restart ---------------------------------------------------------------------------- */

static int mode_pcscd(void)
{
	const char *pid_s = getenv("JPKI_PCSCD_PID"), *conf = getenv("JPKI_PCSCD_CONF");
	const char *pcscd = getenv("PCSCD"), *log = getenv("JPKI_PCSCD_LOG");
	pid_t old, ours;
	CK_SESSION_HANDLE s;
	CK_OBJECT_HANDLE key;
	CK_SLOT_ID slot;
	CK_ULONG n = 0;
	CK_RV rv;
	double t0;
	int status, i;

	if (!pid_s || !conf || !pcscd) {
		FAIL("JPKI_PCSCD_PID, JPKI_PCSCD_CONF or PCSCD not set");
		return 1;
	}
	old = (pid_t)atol(pid_s);
	setup();
	s = open_session(false);
	EXPECT(login(s), CKR_OK);
	EXPECT(robust_find(f, s, CKO_PRIVATE_KEY, 0x01, &key), CKR_OK);
	EXPECT(sign_once(s, key), CKR_OK);

	if (kill(old, SIGTERM) != 0) {
		FAIL("cannot stop pcscd %d: %s", (int)old, strerror(errno));
		return 1;
	}
	for (i = 0; i < 500 && kill(old, 0) == 0; i++)
		usleep(10000);
	rv = sign_once(s, key);
	printf("pcscd: signature after pcscd stopped: %s\n", robust_rv_name(rv));
	if (rv != CKR_DEVICE_REMOVED && rv != CKR_DEVICE_ERROR && rv != CKR_TOKEN_NOT_PRESENT &&
	    rv != CKR_SESSION_HANDLE_INVALID && rv != CKR_SESSION_CLOSED)
		FAIL("signature without pcscd: %s", robust_rv_name(rv));
	EXPECT(f->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
	printf("pcscd: tokens without pcscd: %lu\n", n);
	if (n != 0)
		FAIL("%lu tokens listed without pcscd", n);
	EXPECT(f->C_GetSessionInfo(s, &(CK_SESSION_INFO){0}), CKR_SESSION_HANDLE_INVALID);

	fflush(stdout);
	ours = fork();
	if (ours == 0) {
		if (log)
			freopen(log, "a", stdout);
		dup2(1, 2);
		execl(pcscd, pcscd, "--foreground", "-c", conf, (char *)NULL);
		_exit(127);
	}
	t0 = robust_now_ms();
	while (robust_token_slot(f, 0, &slot) != 0 && robust_now_ms() - t0 < 15000)
		usleep(50000);
	printf("pcscd: token back %.0f ms after the new pcscd started\n", robust_now_ms() - t0);
	s = open_session(false);
	EXPECT(login(s), CKR_OK);
	EXPECT(robust_find(f, s, CKO_PRIVATE_KEY, 0x01, &key), CKR_OK);
	EXPECT(sign_once(s, key), CKR_OK);
	f->C_CloseSession(s);
	EXPECT(f->C_Finalize(NULL), CKR_OK);
	kill(ours, SIGTERM);
	waitpid(ours, &status, 0);
	return 0;
}

/* --- API abuse ------------------------------------------------------------------------------ */

static int mode_abuse(void)
{
	const char *ctl = getenv("JPKI_CARD0_CTL");
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
	CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
	CK_ATTRIBUTE tmpl = {CKA_CLASS, &cls, sizeof(cls)};
	CK_SESSION_HANDLE s1, s2, ro;
	CK_OBJECT_HANDLE key, certh, found[4];
	CK_SESSION_INFO si;
	CK_ULONG n, sig_len;
	unsigned char sig[512];
	char reply[64];
	int checks = atomic_load(&failures);

	setup();
	/* Stale session handle after C_CloseSession, double close. */
	s1 = open_session(false);
	EXPECT(f->C_CloseSession(s1), CKR_OK);
	EXPECT(f->C_CloseSession(s1), CKR_SESSION_HANDLE_INVALID);
	EXPECT(f->C_GetSessionInfo(s1, &si), CKR_SESSION_HANDLE_INVALID);
	EXPECT(f->C_Login(s1, CKU_USER, (CK_UTF8CHAR_PTR)AUTH_PIN, 4), CKR_SESSION_HANDLE_INVALID);

	/* Wrong session states. */
	s1 = open_session(false);
	s2 = open_session(true);
	EXPECT(f->C_Logout(s1), CKR_USER_NOT_LOGGED_IN);
	EXPECT(f->C_SetPIN(s1, (CK_UTF8CHAR_PTR)AUTH_PIN, 4, (CK_UTF8CHAR_PTR)AUTH_PIN, 4),
	       CKR_SESSION_READ_ONLY);
	EXPECT(f->C_Sign(s1, (CK_BYTE_PTR)msg, sizeof(msg), sig, &sig_len),
	       CKR_OPERATION_NOT_INITIALIZED);
	EXPECT(f->C_FindObjects(s1, found, 4, &n), CKR_OPERATION_NOT_INITIALIZED);
	EXPECT(login(s1), CKR_OK);
	EXPECT(login(s2), CKR_USER_ALREADY_LOGGED_IN);

	/* Interleaved across sessions: a search in one, a signature in the other. */
	EXPECT(robust_find(f, s1, CKO_PRIVATE_KEY, 0x01, &key), CKR_OK);
	EXPECT(f->C_SignInit(s1, &mech, key), CKR_OK);
	EXPECT(f->C_SignInit(s1, &mech, key), CKR_OPERATION_ACTIVE);
	EXPECT(f->C_FindObjectsInit(s2, &tmpl, 1), CKR_OK);
	EXPECT(f->C_FindObjectsInit(s2, &tmpl, 1), CKR_OPERATION_ACTIVE);
	EXPECT(f->C_Sign(s2, (CK_BYTE_PTR)msg, sizeof(msg), sig, &sig_len),
	       CKR_OPERATION_NOT_INITIALIZED);
	n = 0;
	EXPECT(f->C_FindObjects(s2, found, 4, &n), CKR_OK);
	if (n < 1)
		FAIL("interleaved search found nothing");
	sig_len = sizeof(sig);
	EXPECT(f->C_Sign(s1, (CK_BYTE_PTR)msg, sizeof(msg), sig, &sig_len), CKR_OK);
	if (!robust_verify(cert, cert_len, msg, sizeof(msg), sig, sig_len))
		FAIL("interleaved signature does not verify");
	EXPECT(f->C_FindObjectsFinal(s2), CKR_OK);
	EXPECT(f->C_FindObjectsFinal(s2), CKR_OPERATION_NOT_INITIALIZED);
	/* The signature ended the operation. */
	EXPECT(f->C_Sign(s1, (CK_BYTE_PTR)msg, sizeof(msg), sig, &sig_len),
	       CKR_OPERATION_NOT_INITIALIZED);

	/* Stale object handles: the private key after C_Logout, objects of a closed session. */
	EXPECT(f->C_SignInit(s2, &mech, key), CKR_OK);
	EXPECT(f->C_Logout(s1), CKR_OK);
	{
		/* v2.40 5.6: an operation may or may not survive C_Logout; it must not sign. */
		CK_RV rv = f->C_Sign(s2, (CK_BYTE_PTR)msg, sizeof(msg), sig, &sig_len);

		if (rv != CKR_USER_NOT_LOGGED_IN && rv != CKR_OPERATION_NOT_INITIALIZED)
			FAIL("signature of an operation from before C_Logout: %s",
			     robust_rv_name(rv));
		rv = f->C_SignInit(s1, &mech, key);
		if (rv != CKR_USER_NOT_LOGGED_IN && rv != CKR_KEY_HANDLE_INVALID)
			FAIL("C_SignInit with the private key after C_Logout: %s",
			     robust_rv_name(rv));
	}
	EXPECT(robust_find(f, s1, CKO_CERTIFICATE, 0x01, &certh), CKR_OK);
	f->C_CloseSession(s1);
	f->C_CloseSession(s2);

	/* Stale handles after a removal: the sessions are gone, a new one works after insert. */
	s1 = open_session(false);
	ro = s1;
	robust_ctl(ctl, "remove", reply, sizeof(reply));
	{
		double t0 = robust_now_ms();
		CK_ULONG cnt = 0;

		/* the module learns of the removal at its next look at the reader */
		do {
			usleep(20000);
			f->C_GetSlotList(CK_TRUE, NULL, &cnt);
		} while (cnt != 0 && robust_now_ms() - t0 < 5000);
	}
	EXPECT(f->C_GetSessionInfo(ro, &si), CKR_SESSION_HANDLE_INVALID);
	EXPECT(f->C_FindObjectsInit(ro, &tmpl, 1), CKR_SESSION_HANDLE_INVALID);
	robust_ctl(ctl, "insert", reply, sizeof(reply));
	robust_card_wait(ctl, true, 5000);
	{
		double t0 = robust_now_ms();
		CK_SLOT_ID slot;

		while (robust_token_slot(f, 0, &slot) != 0 && robust_now_ms() - t0 < 5000)
			usleep(20000);
	}
	s1 = open_session(false);
	EXPECT(f->C_GetSessionInfo(ro, &si), CKR_SESSION_HANDLE_INVALID);
	{
		/*
		 * An object handle from before the removal: invalid, or (the same card is back)
		 * still the same certificate, never another object.
		 */
		unsigned char der[4096];
		CK_ATTRIBUTE value = {CKA_VALUE, der, sizeof(der)};
		CK_RV rv = f->C_GetAttributeValue(s1, certh, &value, 1);

		if (rv == CKR_OK && (value.ulValueLen != cert_len || memcmp(der, cert, cert_len)))
			FAIL("object handle from before the removal names another object");
		else if (rv != CKR_OK && rv != CKR_OBJECT_HANDLE_INVALID)
			FAIL("object handle from before the removal: %s", robust_rv_name(rv));
		printf("abuse: certificate handle after remove/insert of the same card: %s\n",
		       robust_rv_name(rv));
	}
	f->C_CloseSession(s1);
	EXPECT(f->C_Finalize(NULL), CKR_OK);
	/* Everything after C_Finalize. */
	EXPECT(f->C_GetSessionInfo(s1, &si), CKR_CRYPTOKI_NOT_INITIALIZED);
	EXPECT(f->C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
	printf("abuse: stale, interleaved and wrong-state calls: %d failures\n",
	       atomic_load(&failures) - checks);
	return 0;
}

int main(int argc, char **argv)
{
	const char *module = NULL, *mode = NULL;
	int threads = 16, sessions = 2;
	bool finalize = true;
	long count = 20;
	double seconds = 5;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--module") == 0)
			module = argv[i + 1];
		else if (strcmp(argv[i], "--mode") == 0)
			mode = argv[i + 1];
		else if (strcmp(argv[i], "--threads") == 0)
			threads = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--sessions") == 0)
			sessions = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--count") == 0)
			count = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--finalize") == 0)
			finalize = atoi(argv[i + 1]) != 0;
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[i + 1]);
	}
	if (!module || !mode || threads < 1 || threads > 64 || sessions < 1 || sessions > 8) {
		fprintf(stderr,
			"usage: robust-stress --module PATH --mode load|share|pcscd|abuse\n");
		return 99;
	}
	signal(SIGALRM, on_alarm);
	alarm(600);
	f = robust_load(module);
	if (strcmp(mode, "load") == 0)
		mode_load(threads, sessions, count, finalize);
	else if (strcmp(mode, "share") == 0)
		mode_share(seconds);
	else if (strcmp(mode, "pcscd") == 0)
		mode_pcscd();
	else if (strcmp(mode, "abuse") == 0)
		mode_abuse();
	else
		return 99;
	free(cert);
	printf("%s: failures %d\n", mode, atomic_load(&failures));
	return atomic_load(&failures) ? 1 : 0;
}
