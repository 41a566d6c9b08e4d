/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fault injection through the virtual card: each flow (probe, certificate read, login,
 * signature, PIN change) is first run clean to count its APDUs; then, for every APDU index
 * in turn, the card is removed after / instead of answering it, reset before it, or answers
 * it with garbage or a wrong status word. For every fault point:
 *
 *   - the flow ends in bounded time (a watchdog fails a hang) with CKR_OK and a correct
 *     result (the certificate byte for byte, a signature that verifies), or one of the codes
 *     the specification gives for the situation (allowed[] below); nothing else;
 *   - the faulted run sent no more PIN-carrying commands than the flow's own explicit ones,
 *     and the card's auth PIN counter (its own state) is still full;
 *   - the module recovers: once the card is good (and back), the flow succeeds again in the
 *     same C_Initialize.
 *
 * Prints the fault points exercised and survived per kind and the PIN tries consumed by
 * faults. Usage (inside with-cards, one card):
 *   robust-faults --module PATH [--flows probe,cert,login,sign,setpin] [--kinds LIST]
 *                 [--every N]
 * LIST is a subset of remove-after,remove-during,reset,garbage,sw; --every N takes every
 * N-th index only (default 1: all). ROBUST_VERBOSE=1 prints every fault point.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test/robust/robust.h"

enum flow { PROBE, CERT, LOGIN, SIGN, SETPIN, FLOWS };
enum kind { REMOVE_AFTER, REMOVE_DURING, RESET, GARBAGE, WRONG_SW, KINDS };

static const char *const flow_names[FLOWS] = {"probe", "cert", "login", "sign", "setpin"};
static const char *const kind_names[KINDS] = {"remove-after", "remove-during", "reset", "garbage",
					      "sw"};
static const char *const kind_commands[KINDS] = {"remove-after", "remove-during", "reset-at",
						 "garbage-at", "sw-at"};
/* Rotated over the indices for the wrong-SW fault: errors a card really sends. */
static const char *const wrong_sws[] = {"6F00", "6982", "6A82", "6700", "6581",
					"63C1", "6984", "6D00", "6A86", "6B00"};

/* The PIN-carrying commands (VERIFY, CHANGE REFERENCE DATA with data) each flow may send. */
static const int flow_pin_commands[FLOWS] = {0, 0, 1, 1, 2};

/* "Flow ended without the token": the probe found no token (not a CKR_ code of the module). */
#define RV_NO_TOKEN ((CK_RV)0x80000001UL)
/* A CKR_OK with a wrong result: always a failure. */
#define RV_WRONG_RESULT ((CK_RV)0x80000002UL)

/* Codes the specification gives when the card goes away, resets or misbehaves mid-call. */
static const CK_RV allowed_common[] = {
    CKR_OK,
    CKR_DEVICE_ERROR,
    CKR_DEVICE_REMOVED,
    CKR_TOKEN_NOT_PRESENT,
    CKR_SESSION_CLOSED,
    CKR_SESSION_HANDLE_INVALID,
    RV_NO_TOKEN,
};
/* A reset or a wrong SW can also look like a lost login or a PIN verdict of the card. */
static const CK_RV allowed_card_said[] = {
    CKR_USER_NOT_LOGGED_IN, CKR_PIN_INCORRECT,	      CKR_PIN_LOCKED,
    CKR_FUNCTION_FAILED,    CKR_TOKEN_NOT_RECOGNIZED,
};

struct ctx {
	CK_FUNCTION_LIST_PTR f;
	const char *ctl, *trace, *pcsc_wait;
	unsigned char *cert;
	size_t cert_len;
};

struct tally {
	unsigned points, survived;
	unsigned rv_count[8];
	CK_RV rv_seen[8];
};

static int failures;
static bool verbose;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, "FAIL: " __VA_ARGS__);                                             \
		fputc('\n', stderr);                                                               \
		failures++;                                                                        \
	} while (0)

static void on_alarm(int sig)
{
	static const char msg[] = "FAIL: a flow hung (watchdog)\n";

	(void)sig;
	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(1);
}

static CK_RV flow_probe(struct ctx *c)
{
	CK_SLOT_ID auth, sign;

	if (robust_token_slot(c->f, 0, &auth) != 0 || robust_token_slot(c->f, 1, &sign) != 0)
		return RV_NO_TOKEN;
	return CKR_OK;
}

static CK_RV open_session(struct ctx *c, bool rw, CK_SESSION_HANDLE *s)
{
	CK_SLOT_ID slot;

	if (robust_token_slot(c->f, 0, &slot) != 0)
		return RV_NO_TOKEN;
	return c->f->C_OpenSession(slot, CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0), NULL, NULL,
				   s);
}

static CK_RV flow_cert(struct ctx *c, CK_SESSION_HANDLE s)
{
	unsigned char *der;
	size_t len;
	CK_RV rv = robust_cert(c->f, s, 0x01, &der, &len);

	if (rv != CKR_OK)
		return rv;
	if (c->cert && (len != c->cert_len || memcmp(der, c->cert, len) != 0)) {
		FAIL("cert: CKR_OK with a certificate that differs from the card's");
		rv = RV_WRONG_RESULT;
	}
	if (!c->cert) {
		c->cert = der;
		c->cert_len = len;
	} else {
		free(der);
	}
	return rv;
}

static CK_RV login(struct ctx *c, CK_SESSION_HANDLE s)
{
	return c->f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)AUTH_PIN, 4);
}

static CK_RV flow_sign(struct ctx *c, CK_SESSION_HANDLE s)
{
	static const unsigned char msg[] = "fault injection: one signature";
	CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
	unsigned char sig[512];
	CK_ULONG sig_len = sizeof(sig);
	CK_OBJECT_HANDLE key;
	CK_RV rv = login(c, s);

	if (rv == CKR_OK)
		rv = robust_find(c->f, s, CKO_PRIVATE_KEY, 0x01, &key);
	if (rv == CKR_OK)
		rv = c->f->C_SignInit(s, &mech, key);
	if (rv == CKR_OK)
		rv = c->f->C_Sign(s, (CK_BYTE_PTR)msg, sizeof(msg), sig, &sig_len);
	if (rv == CKR_OK && !robust_verify(c->cert, c->cert_len, msg, sizeof(msg), sig, sig_len)) {
		FAIL("sign: CKR_OK with a signature that does not verify");
		rv = RV_WRONG_RESULT;
	}
	return rv;
}

/* Runs one flow; the session (if any) is closed whatever happened. */
static CK_RV run_flow(struct ctx *c, enum flow flow)
{
	CK_SESSION_HANDLE s;
	CK_RV rv;

	if (flow == PROBE)
		return flow_probe(c);
	rv = open_session(c, flow == SETPIN, &s);
	if (rv != CKR_OK)
		return rv;
	switch (flow) {
	case CERT:
		rv = flow_cert(c, s);
		break;
	case LOGIN:
		rv = login(c, s);
		if (rv == CKR_OK)
			rv = c->f->C_Logout(s);
		break;
	case SIGN:
		rv = flow_sign(c, s);
		break;
	case SETPIN:
		rv = c->f->C_SetPIN(s, (CK_UTF8CHAR_PTR)AUTH_PIN, 4, (CK_UTF8CHAR_PTR)AUTH_PIN, 4);
		break;
	default:
		break;
	}
	c->f->C_CloseSession(s);
	return rv;
}

static bool in(CK_RV rv, const CK_RV *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == rv)
			return true;
	return false;
}

static bool allowed(enum kind kind, CK_RV rv)
{
	if (in(rv, allowed_common, sizeof(allowed_common) / sizeof(allowed_common[0])))
		return true;
	return (kind == RESET || kind == WRONG_SW || kind == GARBAGE) &&
	       in(rv, allowed_card_said, sizeof(allowed_card_said) / sizeof(allowed_card_said[0]));
}

static void tally_rv(struct tally *t, CK_RV rv)
{
	for (int i = 0; i < 8; i++) {
		if (t->rv_count[i] && t->rv_seen[i] == rv) {
			t->rv_count[i]++;
			return;
		}
		if (!t->rv_count[i]) {
			t->rv_seen[i] = rv;
			t->rv_count[i] = 1;
			return;
		}
	}
}

static const char *outcome_name(CK_RV rv)
{
	return rv == RV_NO_TOKEN ? "no-token" : robust_rv_name(rv);
}

static void must(CK_RV rv, const char *what)
{
	if (rv != CKR_OK) {
		fprintf(stderr, "FAIL: %s: %s\n", what, outcome_name(rv));
		exit(1);
	}
}

/* Waits for pcscd itself to see the reader empty (the module must get its own news). */
static void pcscd_sees_removal(struct ctx *c)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "'%s' --quiet --timeout 5 A", c->pcsc_wait);
	if (system(cmd) != 0)
		FAIL("pcscd did not see the removal");
}

/* Runs the flow until it succeeds, for at most 10 s; returns the attempts, 0 on failure. */
static int recover(struct ctx *c, enum flow flow, int *pin_cmds)
{
	double end = robust_now_ms() + 10000;
	int attempts = 0;
	long mark = robust_trace_size(c->trace);

	*pin_cmds = 0;
	while (robust_now_ms() < end) {
		CK_RV rv = run_flow(c, flow);

		attempts++;
		if (verbose && attempts % 50 == 1)
			printf("  recovery attempt %d: %s\n", attempts, outcome_name(rv));
		if (rv == CKR_OK) {
			*pin_cmds = robust_trace_pin_commands(c->trace, mark);
			return attempts;
		}
		usleep(20000);
	}
	return 0;
}

static bool fault_still_armed(struct ctx *c)
{
	char reply[256];
	const char *p;
	unsigned armed = 0;

	if (robust_ctl(c->ctl, "status", reply, sizeof(reply)) != 0 ||
	    !(p = strstr(reply, "armed=")) || sscanf(p, "armed=%u", &armed) != 1)
		return true;
	return armed != 0;
}

/* One fault point: kind at the index-th APDU of the flow. */
static void fault_point(struct ctx *c, enum flow flow, enum kind kind, unsigned long index,
			struct tally *t)
{
	char cmd[64], reply[128];
	unsigned long apdus;
	int tries, pin_cmds, attempts, rec_pin;
	long mark;
	CK_RV rv;
	bool ok = true;
	double t0 = robust_now_ms();

	if (kind == WRONG_SW)
		snprintf(cmd, sizeof(cmd), "sw-at %lu %s", index,
			 wrong_sws[index % (sizeof(wrong_sws) / sizeof(wrong_sws[0]))]);
	else
		snprintf(cmd, sizeof(cmd), "%s %lu", kind_commands[kind], index);

	if (flow != PROBE)
		must(robust_initialize(c->f), "C_Initialize");
	if (flow != PROBE)
		must(flow_probe(c), "probe before the fault");
	mark = robust_trace_size(c->trace);
	if (robust_ctl(c->ctl, cmd, reply, sizeof(reply)) != 0) {
		fprintf(stderr, "FAIL: card control '%s': %s\n", cmd, reply);
		exit(1);
	}
	if (flow == PROBE)
		must(robust_initialize(c->f), "C_Initialize");

	alarm(30);
	rv = run_flow(c, flow);
	alarm(0);
	t->points++;
	tally_rv(t, rv);
	if (!allowed(kind, rv)) {
		FAIL("%s, %s at APDU %lu: %s", flow_names[flow], cmd, index, outcome_name(rv));
		ok = false;
	}
	/* A fault that never fired proves nothing (a shorter flow than the clean run). */
	if ((kind == RESET || kind == GARBAGE || kind == WRONG_SW) && fault_still_armed(c)) {
		FAIL("%s, %s: the fault never fired", flow_names[flow], cmd);
		ok = false;
	}
	pin_cmds = robust_trace_pin_commands(c->trace, mark);
	if (pin_cmds > flow_pin_commands[flow]) {
		FAIL("%s, %s: %d PIN commands sent, the flow has %d", flow_names[flow], cmd,
		     pin_cmds, flow_pin_commands[flow]);
		ok = false;
	}

	if (kind == REMOVE_AFTER || kind == REMOVE_DURING) {
		pcscd_sees_removal(c);
		robust_ctl(c->ctl, "insert", reply, sizeof(reply));
	}
	alarm(30);
	attempts = recover(c, flow, &rec_pin);
	alarm(0);
	if (!attempts) {
		FAIL("%s, %s: no recovery within 10 s", flow_names[flow], cmd);
		ok = false;
	} else if (rec_pin > flow_pin_commands[flow] * attempts) {
		FAIL("%s, %s: recovery sent %d PIN commands in %d attempts", flow_names[flow], cmd,
		     rec_pin, attempts);
		ok = false;
	}
	if (robust_card_status(c->ctl, &apdus, &tries, NULL) != 0 || tries != 3) {
		FAIL("%s, %s: the card's auth PIN counter is %d, not 3", flow_names[flow], cmd,
		     tries);
		ok = false;
	}
	must(c->f->C_Finalize(NULL), "C_Finalize");
	if (ok)
		t->survived++;
	if (verbose)
		printf("  %s, %s: %s, recovered after %d attempt(s), %.0f ms\n", flow_names[flow],
		       cmd, outcome_name(rv), attempts, robust_now_ms() - t0);
}

/* The flow's APDUs on a good card (from the card's own count). */
static unsigned long clean_count(struct ctx *c, enum flow flow)
{
	unsigned long before, after;
	int tries;

	if (flow != PROBE) {
		must(robust_initialize(c->f), "C_Initialize");
		must(flow_probe(c), "probe");
	}
	robust_card_status(c->ctl, &before, &tries, NULL);
	if (flow == PROBE)
		must(robust_initialize(c->f), "C_Initialize");
	must(run_flow(c, flow), flow_names[flow]);
	robust_card_status(c->ctl, &after, &tries, NULL);
	must(c->f->C_Finalize(NULL), "C_Finalize");
	return after - before;
}

static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	const char *module = NULL, *flows = "probe,cert,login,sign,setpin";
	const char *kinds = "remove-after,remove-during,reset,garbage,sw";
	struct ctx c = {0};
	struct tally total[KINDS] = {0};
	unsigned long every = 1, count[FLOWS];
	double t0 = robust_now_ms();
	int tries_before = -1, tries_after = -1;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--module") == 0)
			module = argv[i + 1];
		else if (strcmp(argv[i], "--flows") == 0)
			flows = argv[i + 1];
		else if (strcmp(argv[i], "--kinds") == 0)
			kinds = argv[i + 1];
		else if (strcmp(argv[i], "--every") == 0)
			every = strtoul(argv[i + 1], NULL, 10);
	}
	verbose = getenv("ROBUST_VERBOSE") != NULL;
	c.ctl = getenv("JPKI_CARD0_CTL");
	c.trace = getenv("JPKI_CARD0_TRACE");
	c.pcsc_wait = getenv("PCSC_WAIT");
	if (!module || !c.ctl || !c.trace || !c.pcsc_wait || every == 0) {
		fprintf(stderr, "usage: robust-faults --module PATH (inside with-cards)\n");
		return 99;
	}
	signal(SIGALRM, on_alarm);
	c.f = robust_load(module);
	robust_card_status(c.ctl, NULL, &tries_before, NULL);

	/* The clean runs: APDU counts, and the certificate every later read must equal. */
	for (int fl = 0; fl < FLOWS; fl++)
		if (fl == CERT || listed(flows, flow_names[fl]))
			count[fl] = clean_count(&c, (enum flow)fl);
	for (int fl = 0; fl < FLOWS; fl++) {
		if (!listed(flows, flow_names[fl]))
			continue;
		printf("flow %-6s %2lu APDUs:", flow_names[fl], count[fl]);
		for (int k = 0; k < KINDS; k++) {
			struct tally t = {0};

			if (!listed(kinds, kind_names[k]))
				continue;
			for (unsigned long i = 1; i <= count[fl]; i += every)
				fault_point(&c, (enum flow)fl, (enum kind)k, i, &t);
			printf(" %s %u/%u", kind_names[k], t.survived, t.points);
			total[k].points += t.points;
			total[k].survived += t.survived;
			for (int j = 0; j < 8 && t.rv_count[j]; j++)
				for (unsigned n = 0; n < t.rv_count[j]; n++)
					tally_rv(&total[k], t.rv_seen[j]);
		}
		printf("\n");
		fflush(stdout);
	}
	robust_card_status(c.ctl, NULL, &tries_after, NULL);
	for (int k = 0; k < KINDS; k++) {
		if (!total[k].points)
			continue;
		printf("%-13s fault points %3u, survived %3u; outcomes:", kind_names[k],
		       total[k].points, total[k].survived);
		for (int j = 0; j < 8 && total[k].rv_count[j]; j++)
			printf(" %s=%u", outcome_name(total[k].rv_seen[j]), total[k].rv_count[j]);
		printf("\n");
	}
	printf("PIN tries consumed by faults: %d (auth counter %d before, %d after)\n",
	       tries_before - tries_after, tries_before, tries_after);
	printf("time %.1f s, failures %d\n", (robust_now_ms() - t0) / 1000, failures);
	free(c.cert);
	return failures || tries_after != tries_before ? 1 : 0;
}
