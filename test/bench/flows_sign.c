/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Flows B, C and D: login and signatures, each in a fresh process as a client would do them. */
#include "config.h"

#include <stdio.h>

#include "test/bench/flows.h"

/*
 * Token labels are matched by substring: "Auth" is in ours ("JPKI Auth (4-digit PIN)") and in
 * OpenSC's ("JPKI (User Authentication PIN)"), "Sign" likewise ("JPKI Sign (...)", "JPKI
 * (Digital Signature PIN)").
 */
#define AUTH_TOKEN "Auth"
#define SIGN_TOKEN "Sign"
#define AUTH_ID	   0x01
#define SIGN_ID	   0x02

struct signer {
	CK_SESSION_HANDLE session;
	CK_OBJECT_HANDLE key;
	bool always;
};

/* C_Initialize, the token, a session, C_Login. */
static int log_in(CK_FUNCTION_LIST_PTR f, const char *token, const char *pin, struct signer *sg)
{
	CK_SLOT_ID slot;

	if (bench_initialize(f) != 0 || bench_token_slot(f, token, &slot) != 0 ||
	    bench_ok(f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &sg->session),
		     "C_OpenSession") != 0)
		return -1;
	return bench_login(f, sg->session, pin);
}

static int find_key(CK_FUNCTION_LIST_PTR f, CK_BYTE id, struct signer *sg)
{
	if (bench_find_one(f, sg->session, CKO_PRIVATE_KEY, id, &sg->key) != 0)
		return -1;
	return bench_always_authenticate(f, sg->session, sg->key, &sg->always);
}

static int log_out(CK_FUNCTION_LIST_PTR f, const struct signer *sg)
{
	if (bench_ok(f->C_Logout(sg->session), "C_Logout") != 0 ||
	    bench_ok(f->C_CloseSession(sg->session), "C_CloseSession") != 0)
		return -1;
	return bench_ok(f->C_Finalize(NULL), "C_Finalize");
}

int flow_client_auth(struct flow_ctx *ctx)
{
	struct signer sg;

	if (meter_start(&ctx->meter) != 0 || log_in(ctx->f, AUTH_TOKEN, ctx->auth_pin, &sg) != 0 ||
	    find_key(ctx->f, AUTH_ID, &sg) != 0 ||
	    bench_sign(ctx->f, sg.session, sg.key, sg.always, ctx->auth_pin) != 0 ||
	    log_out(ctx->f, &sg) != 0)
		return -1;
	return meter_stop(&ctx->meter);
}

int flow_document_sign(struct flow_ctx *ctx)
{
	struct signer sg;
	CK_OBJECT_HANDLE cert;
	size_t cert_len;

	if (meter_start(&ctx->meter) != 0 || log_in(ctx->f, SIGN_TOKEN, ctx->sign_pin, &sg) != 0 ||
	    bench_find_one(ctx->f, sg.session, CKO_CERTIFICATE, SIGN_ID, &cert) != 0 ||
	    bench_ok(bench_read_attr(ctx->f, sg.session, cert, CKA_VALUE, &cert_len),
		     "C_GetAttributeValue(CKA_VALUE)") != 0 ||
	    find_key(ctx->f, SIGN_ID, &sg) != 0 ||
	    bench_sign(ctx->f, sg.session, sg.key, sg.always, ctx->sign_pin) != 0 ||
	    log_out(ctx->f, &sg) != 0 || meter_stop(&ctx->meter) != 0)
		return -1;
	fprintf(stderr, "document signing: certificate %zu bytes, key %s\n", cert_len,
		sg.always ? "always-authenticate" : "not always-authenticate");
	return 0;
}

/* Only the signatures are measured: the login and the key lookup are flow B's business. */
int flow_sign_many(struct flow_ctx *ctx)
{
	struct signer sg;

	if (log_in(ctx->f, AUTH_TOKEN, ctx->auth_pin, &sg) != 0 ||
	    find_key(ctx->f, AUTH_ID, &sg) != 0 || meter_start(&ctx->meter) != 0)
		return -1;
	for (unsigned i = 0; i < ctx->count; i++)
		if (bench_sign(ctx->f, sg.session, sg.key, sg.always, ctx->auth_pin) != 0)
			return -1;
	if (meter_stop(&ctx->meter) != 0)
		return -1;
	return log_out(ctx->f, &sg);
}
