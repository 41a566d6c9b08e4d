/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "test/robust/robust.h"

#include <dlfcn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

CK_FUNCTION_LIST_PTR robust_load(const char *path)
{
	CK_C_GetFunctionList get_list;
	CK_FUNCTION_LIST_PTR f = NULL;
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!dl) {
		fprintf(stderr, "cannot load %s: %s\n", path, dlerror());
		exit(99);
	}
	/* POSIX guarantees that dlsym's result converts to a function pointer. */
	*(void **)&get_list = dlsym(dl, "C_GetFunctionList");
	if (!get_list || get_list(&f) != CKR_OK || !f) {
		fprintf(stderr, "%s: no usable C_GetFunctionList\n", path);
		exit(99);
	}
	return f; /* stays loaded for the life of the process */
}

CK_RV robust_initialize(CK_FUNCTION_LIST_PTR f)
{
	CK_C_INITIALIZE_ARGS args = {.flags = CKF_OS_LOCKING_OK};

	return f->C_Initialize(&args);
}

const char *robust_rv_name(CK_RV rv)
{
	static __thread char other[32];

	switch (rv) {
#define N(x)                                                                                       \
	case x:                                                                                    \
		return #x
		N(CKR_OK);
		N(CKR_HOST_MEMORY);
		N(CKR_SLOT_ID_INVALID);
		N(CKR_GENERAL_ERROR);
		N(CKR_FUNCTION_FAILED);
		N(CKR_ARGUMENTS_BAD);
		N(CKR_DEVICE_ERROR);
		N(CKR_DEVICE_MEMORY);
		N(CKR_DEVICE_REMOVED);
		N(CKR_FUNCTION_CANCELED);
		N(CKR_KEY_HANDLE_INVALID);
		N(CKR_OBJECT_HANDLE_INVALID);
		N(CKR_OPERATION_ACTIVE);
		N(CKR_OPERATION_NOT_INITIALIZED);
		N(CKR_PIN_INCORRECT);
		N(CKR_PIN_LEN_RANGE);
		N(CKR_PIN_LOCKED);
		N(CKR_SESSION_CLOSED);
		N(CKR_SESSION_HANDLE_INVALID);
		N(CKR_SESSION_READ_ONLY);
		N(CKR_SIGNATURE_INVALID);
		N(CKR_TOKEN_NOT_PRESENT);
		N(CKR_TOKEN_NOT_RECOGNIZED);
		N(CKR_USER_ALREADY_LOGGED_IN);
		N(CKR_USER_NOT_LOGGED_IN);
		N(CKR_USER_TYPE_INVALID);
		N(CKR_BUFFER_TOO_SMALL);
		N(CKR_CRYPTOKI_NOT_INITIALIZED);
		N(CKR_CRYPTOKI_ALREADY_INITIALIZED);
		N(CKR_MECHANISM_INVALID);
		N(CKR_NO_EVENT);
#undef N
	default:
		snprintf(other, sizeof(other), "CKR_0x%lx", (unsigned long)rv);
		return other;
	}
}

int robust_ctl(const char *ctl, const char *command, char *reply, size_t cap)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = 30};
	size_t len = 0;
	int fd;

	if (strlen(ctl) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, ctl);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    send(fd, command, strlen(command), MSG_NOSIGNAL) < 0 ||
	    send(fd, "\n", 1, MSG_NOSIGNAL) < 0) {
		close(fd);
		return -1;
	}
	shutdown(fd, SHUT_WR);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (len + 1 < cap) {
		ssize_t n = recv(fd, reply + len, cap - 1 - len, 0);

		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	reply[len] = '\0';
	reply[strcspn(reply, "\n")] = '\0';
	return len && strncmp(reply, "error", 5) != 0 ? 0 : -1;
}

int robust_card_status(const char *ctl, unsigned long *apdus, int *auth_tries, bool *present)
{
	char reply[256];
	const char *p;

	if (robust_ctl(ctl, "status", reply, sizeof(reply)) != 0)
		return -1;
	if (present)
		*present = strncmp(reply, "present", 7) == 0;
	if (apdus && (!(p = strstr(reply, "apdus=")) || sscanf(p, "apdus=%lu", apdus) != 1))
		return -1;
	if (auth_tries &&
	    (!(p = strstr(reply, "auth_tries=")) || sscanf(p, "auth_tries=%d", auth_tries) != 1))
		return -1;
	return 0;
}

int robust_card_wait(const char *ctl, bool want, int timeout_ms)
{
	double end = robust_now_ms() + timeout_ms;

	do {
		bool present;

		if (robust_card_status(ctl, NULL, NULL, &present) == 0 && present == want)
			return 0;
		usleep(5000);
	} while (robust_now_ms() < end);
	return -1;
}

long robust_trace_size(const char *trace)
{
	FILE *fp = fopen(trace, "r");
	long size;

	if (!fp)
		return -1;
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fclose(fp);
	return size;
}

int robust_trace_pin_commands(const char *trace, long offset)
{
	char line[1024], time[32], dir[4], apdu[900];
	FILE *fp = fopen(trace, "r");
	int n = 0;

	if (!fp)
		return -1;
	fseek(fp, offset, SEEK_SET);
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%31s %3s %899s", time, dir, apdu) != 3 || strcmp(dir, ">") != 0)
			continue;
		/* VERIFY / CHANGE REFERENCE DATA with data; the empty VERIFY is the retry query */
		if ((strncmp(apdu + 2, "20", 2) == 0 || strncmp(apdu + 2, "24", 2) == 0) &&
		    strlen(apdu) > 8)
			n++;
	}
	fclose(fp);
	return n;
}

int robust_token_slot(CK_FUNCTION_LIST_PTR f, int kind, CK_SLOT_ID *slot)
{
	CK_SLOT_ID slots[16];
	CK_ULONG n = 16;
	const char *want = kind == 0 ? "JPKI Auth" : "JPKI Sign";

	/* Two calls, as applications make them: the length query is what rescans the readers. */
	if (f->C_GetSlotList(CK_TRUE, NULL, &n) != CKR_OK || n > 16 ||
	    f->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK)
		return -1;
	for (CK_ULONG i = 0; i < n; i++) {
		CK_TOKEN_INFO ti;

		if (f->C_GetTokenInfo(slots[i], &ti) == CKR_OK &&
		    memcmp(ti.label, want, strlen(want)) == 0) {
			*slot = slots[i];
			return 0;
		}
	}
	return -1;
}

CK_RV robust_find(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls,
		  unsigned char id, CK_OBJECT_HANDLE *h)
{
	CK_ATTRIBUTE tmpl[] = {
	    {CKA_CLASS, &cls, sizeof(cls)},
	    {CKA_ID, &id, 1},
	};
	CK_ULONG n = 0;
	CK_RV rv = f->C_FindObjectsInit(s, tmpl, 2);

	if (rv != CKR_OK)
		return rv;
	rv = f->C_FindObjects(s, h, 1, &n);
	if (rv != CKR_OK) {
		f->C_FindObjectsFinal(s);
		return rv;
	}
	rv = f->C_FindObjectsFinal(s);
	if (rv == CKR_OK && n != 1)
		rv = CKR_OBJECT_HANDLE_INVALID; /* the object is not there: a test failure */
	return rv;
}

CK_RV robust_cert(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, unsigned char id,
		  unsigned char **der, size_t *len)
{
	CK_OBJECT_HANDLE h;
	CK_ATTRIBUTE a = {CKA_VALUE, NULL, 0};
	CK_RV rv = robust_find(f, s, CKO_CERTIFICATE, id, &h);

	*der = NULL;
	if (rv == CKR_OK)
		rv = f->C_GetAttributeValue(s, h, &a, 1);
	if (rv != CKR_OK)
		return rv;
	a.pValue = *der = malloc(a.ulValueLen);
	if (!a.pValue)
		return CKR_HOST_MEMORY;
	rv = f->C_GetAttributeValue(s, h, &a, 1);
	*len = a.ulValueLen;
	if (rv != CKR_OK) {
		free(*der);
		*der = NULL;
	}
	return rv;
}

bool robust_verify(const unsigned char *der, size_t der_len, const unsigned char *msg,
		   size_t msg_len, const unsigned char *sig, size_t sig_len)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)der_len);
	EVP_PKEY *pk = x ? X509_get0_pubkey(x) : NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = pk && ctx && EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pk) == 1 &&
		  EVP_DigestVerify(ctx, sig, sig_len, msg, msg_len) == 1;

	EVP_MD_CTX_free(ctx);
	X509_free(x);
	return ok;
}

void robust_rss(long *now_kib, long *peak_kib)
{
	struct rusage ru;
	char line[256];
	FILE *fp = fopen("/proc/self/status", "r");

	*now_kib = -1;
	while (fp && fgets(line, sizeof(line), fp))
		if (sscanf(line, "VmRSS: %ld", now_kib) == 1)
			break;
	if (fp)
		fclose(fp);
	getrusage(RUSAGE_SELF, &ru);
	*peak_kib = ru.ru_maxrss;
}

double robust_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
