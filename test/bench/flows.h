/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The flows p11bench measures (doc/performance.md). Each runs in a process of its own, on a
 * module that is loaded but not initialised, and puts what it measured into ctx->meter:
 *
 *   A  start-up as a browser does it, C_Initialize to C_Finalize
 *   B  client authentication: login to the auth token, one signature (whole process)
 *   C  document signing: login to the sign token, read its certificate, one signature
 *   D  ctx->count signatures with the auth key after one login (only the signatures)
 *   E  ctx->count C_GetTokenInfo calls after a start-up (only the calls)
 */
#ifndef JPKI_BENCH_FLOWS_H
#define JPKI_BENCH_FLOWS_H

#include "test/bench/bench_p11.h"
#include "test/bench/meter.h"

struct flow_ctx {
	CK_FUNCTION_LIST_PTR f;
	struct meter meter;
	const char *auth_pin, *sign_pin;
	unsigned count; /* D and E */
};

/* Each returns 0, or -1 after a message on stderr. */
int flow_startup(struct flow_ctx *ctx);
int flow_client_auth(struct flow_ctx *ctx);
int flow_document_sign(struct flow_ctx *ctx);
int flow_sign_many(struct flow_ctx *ctx);
int flow_token_info(struct flow_ctx *ctx);

#endif
