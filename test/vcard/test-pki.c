/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The test PKI: shapes of the CA and card certificates (jpki-card.md §3.4), chains, generation. */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "test/vcard/test-util.h"

static X509 *parse(const uint8_t *der, size_t len)
{
	const uint8_t *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);

	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_eq(p, der + len); /* the DER is exactly one certificate */
	return x;
}

/* The name's entries in DER order, as "SN=value" joined by ", ". */
static void name_text(const X509_NAME *name, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; i < X509_NAME_entry_count(name); i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
		const ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));

		n += (size_t)snprintf(out + n, cap - n, "%s%s=%.*s", i ? ", " : "", OBJ_nid2sn(nid),
				      ASN1_STRING_length(v), ASN1_STRING_get0_data(v));
		ck_assert_uint_lt(n, cap);
	}
}

static void check_rsa2048(X509 *x)
{
	EVP_PKEY *key = X509_get0_pubkey(x);
	BIGNUM *e = NULL;

	ck_assert_int_eq(EVP_PKEY_get_base_id(key), EVP_PKEY_RSA);
	ck_assert_int_eq(EVP_PKEY_get_bits(key), 2048);
	ck_assert_int_eq(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e), 1);
	ck_assert(BN_is_word(e, 65537));
	BN_free(e);
	ck_assert_int_eq(X509_get_signature_nid(x), NID_sha256WithRSAEncryption);
}

static void check_validity(X509 *x, int min_days)
{
	time_t later = time(NULL) + (time_t)min_days * 86400;

	ck_assert_int_lt(X509_cmp_current_time(X509_get0_notBefore(x)), 0);
	ck_assert_int_gt(X509_cmp_current_time(X509_get0_notAfter(x)), 0);
	ck_assert_int_gt(X509_cmp_time(X509_get0_notAfter(x), &later), 0);
}

static bool chain_ok(const uint8_t *ca_der, size_t ca_len, const uint8_t *der, size_t len)
{
	X509 *ca = parse(ca_der, ca_len), *x = parse(der, len);
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int rc;

	ck_assert_int_eq(X509_STORE_add_cert(store, ca), 1);
	ck_assert_int_eq(X509_STORE_CTX_init(ctx, store, x, NULL), 1);
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_X509_STRICT);
	rc = X509_verify_cert(ctx);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(ca);
	X509_free(x);
	return rc == 1;
}

START_TEST(test_identities_distinct)
{
	const struct vcard_pki *a = &tu_pki[0], *b = &tu_pki[1];

	ck_assert_uint_eq(strlen(a->token_serial), 16);
	ck_assert_uint_eq(strlen(b->token_serial), 16);
	ck_assert_str_ne(a->token_serial, b->token_serial);
	ck_assert(a->auth_cert_len != b->auth_cert_len ||
		  memcmp(a->auth_cert, b->auth_cert, a->auth_cert_len) != 0);
	ck_assert(a->sign_cert_len != b->sign_cert_len ||
		  memcmp(a->sign_cert, b->sign_cert, a->sign_cert_len) != 0);
	ck_assert_int_ne(EVP_PKEY_eq(a->auth_key, b->auth_key), 1);
	ck_assert_int_ne(EVP_PKEY_eq(a->sign_key, b->sign_key), 1);
	ck_assert_int_ne(EVP_PKEY_eq(a->auth_key, a->sign_key), 1);
	/* Both cards share the CAs. */
	ck_assert_uint_eq(a->auth_ca_len, b->auth_ca_len);
	ck_assert_mem_eq(a->auth_ca, b->auth_ca, a->auth_ca_len);
	ck_assert_mem_eq(a->sign_ca, b->sign_ca, a->sign_ca_len);
}
END_TEST

START_TEST(test_keys_match_certs)
{
	for (unsigned i = 0; i < VCARD_PKI_IDENTITIES; i++) {
		const struct vcard_pki *p = &tu_pki[i];
		X509 *auth = parse(p->auth_cert, p->auth_cert_len);
		X509 *sign = parse(p->sign_cert, p->sign_cert_len);

		ck_assert_int_eq(X509_check_private_key(auth, p->auth_key), 1);
		ck_assert_int_eq(X509_check_private_key(sign, p->sign_key), 1);
		ck_assert_int_ne(X509_check_private_key(auth, p->sign_key), 1);
		X509_free(auth);
		X509_free(sign);
	}
}
END_TEST

START_TEST(test_chains)
{
	for (unsigned i = 0; i < VCARD_PKI_IDENTITIES; i++) {
		const struct vcard_pki *p = &tu_pki[i];

		ck_assert(chain_ok(p->auth_ca, p->auth_ca_len, p->auth_cert, p->auth_cert_len));
		ck_assert(chain_ok(p->sign_ca, p->sign_ca_len, p->sign_cert, p->sign_cert_len));
		ck_assert(!chain_ok(p->auth_ca, p->auth_ca_len, p->sign_cert, p->sign_cert_len));
		ck_assert(!chain_ok(p->sign_ca, p->sign_ca_len, p->auth_cert, p->auth_cert_len));
		ck_assert(chain_ok(p->auth_ca, p->auth_ca_len, p->auth_ca, p->auth_ca_len));
	}
}
END_TEST

static void check_ca(const uint8_t *der, size_t len, const char *want_subject)
{
	X509 *ca = parse(der, len);
	char subject[512];

	name_text(X509_get_subject_name(ca), subject, sizeof(subject));
	ck_assert_str_eq(subject, want_subject);
	ck_assert_int_eq(X509_check_issued(ca, ca), X509_V_OK);
	ck_assert(X509_get_extension_flags(ca) & EXFLAG_CA);
	ck_assert_uint_eq(X509_get_key_usage(ca), KU_KEY_CERT_SIGN | KU_CRL_SIGN);
	ck_assert_ptr_nonnull(X509_get0_subject_key_id(ca));
	ck_assert_ptr_nonnull(X509_get0_authority_key_id(ca));
	check_rsa2048(ca);
	check_validity(ca, 5 * 365);
	X509_free(ca);
}

START_TEST(test_ca_certificates)
{
	check_ca(tu_pki[0].auth_ca, tu_pki[0].auth_ca_len,
		 "C=JP, O=JPKI-TEST, OU=JPKI for user authentication, "
		 "OU=Japan Agency for Local Authority Information Systems");
	check_ca(tu_pki[0].sign_ca, tu_pki[0].sign_ca_len,
		 "C=JP, O=JPKI-TEST, OU=JPKI for digital signature, "
		 "OU=Japan Agency for Local Authority Information Systems");
}
END_TEST

START_TEST(test_auth_certificate)
{
	for (unsigned i = 0; i < VCARD_PKI_IDENTITIES; i++) {
		const struct vcard_pki *p = &tu_pki[i];
		X509 *x = parse(p->auth_cert, p->auth_cert_len);
		X509 *ca = parse(p->auth_ca, p->auth_ca_len);
		char subject[256], want[64];

		name_text(X509_get_subject_name(x), subject, sizeof(subject));
		snprintf(want, sizeof(want), "C=JP, CN=%sAUTH", p->token_serial);
		ck_assert_str_eq(subject, want);
		ck_assert_uint_eq(strlen(subject) - strlen("C=JP, CN="), 20);
		ck_assert_int_eq(X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(ca)),
				 0);
		ck_assert_uint_eq(X509_get_key_usage(x), KU_DIGITAL_SIGNATURE);
		ck_assert_uint_eq(X509_get_extended_key_usage(x), XKU_SSL_CLIENT);
		ck_assert(!(X509_get_extension_flags(x) & EXFLAG_CA));
		ck_assert_ptr_nonnull(X509_get0_authority_key_id(x));
		check_rsa2048(x);
		check_validity(x, 4 * 365);
		/* Near the 1583 bytes of a real one (§3.3), header 30 82 hi lo. */
		ck_assert_uint_ge(p->auth_cert_len, 1300);
		ck_assert_uint_le(p->auth_cert_len, 1800);
		ck_assert_uint_eq(p->auth_cert[1], 0x82);
		X509_free(x);
		X509_free(ca);
	}
}
END_TEST

/* The otherName entry with this OID in the SAN, or NULL. */
static const ASN1_TYPE *san_other_name(const GENERAL_NAMES *san, const char *oid)
{
	for (int i = 0; i < sk_GENERAL_NAME_num(san); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(san, i);
		ASN1_OBJECT *type;
		ASN1_TYPE *value;
		char text[64];

		if (!GENERAL_NAME_get0_otherName(g, &type, &value))
			continue;
		OBJ_obj2txt(text, sizeof(text), type, 1);
		if (strcmp(text, oid) == 0)
			return value;
	}
	return NULL;
}

START_TEST(test_sign_certificate)
{
	for (unsigned i = 0; i < VCARD_PKI_IDENTITIES; i++) {
		const struct vcard_pki *p = &tu_pki[i];
		X509 *x = parse(p->sign_cert, p->sign_cert_len);
		GENERAL_NAMES *san = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
		const ASN1_TYPE *v;
		char subject[256], want[96];

		name_text(X509_get_subject_name(x), subject, sizeof(subject));
		snprintf(want, sizeof(want), "C=JP, L=Tokyo-to, L=Chiyoda-ku, CN=%sSIGN",
			 p->token_serial);
		ck_assert_str_eq(subject, want);
		ck_assert_uint_eq(X509_get_key_usage(x), KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION);
		ck_assert(!(X509_get_extension_flags(x) & EXFLAG_XKUSAGE)); /* no EKU at all */
		ck_assert_ptr_nonnull(san);
		v = san_other_name(san, "1.2.392.200149.8.5.5.1");
		ck_assert_ptr_nonnull(v);
		ck_assert_int_eq(v->type, V_ASN1_UTF8STRING);
		ck_assert_str_eq((const char *)ASN1_STRING_get0_data(v->value.utf8string),
				 i == 0 ? "公的 太郎" : "公的 花子");
		v = san_other_name(san, "1.2.392.200149.8.5.5.3");
		ck_assert_ptr_nonnull(v);
		ck_assert_str_eq((const char *)ASN1_STRING_get0_data(v->value.asn1_string), "1");
		v = san_other_name(san, "1.2.392.200149.8.5.5.4");
		ck_assert_ptr_nonnull(v);
		ck_assert_uint_eq(ASN1_STRING_length(v->value.asn1_string), 8);
		ck_assert_mem_eq(ASN1_STRING_get0_data(v->value.asn1_string), "1980021", 7);
		v = san_other_name(san, "1.2.392.200149.8.5.5.5");
		ck_assert_ptr_nonnull(v);
		ck_assert_int_eq(v->type, V_ASN1_UTF8STRING);
		GENERAL_NAMES_free(san);
		check_rsa2048(x);
		check_validity(x, 4 * 365);
		ck_assert_uint_gt(p->sign_cert_len, 255);
		ck_assert_uint_lt(p->sign_cert_len, 2560);
		X509_free(x);
	}
}
END_TEST

START_TEST(test_identity_per_profile)
{
	const struct vcard_pki *p = &tu_pki[1];
	struct vcard_identity id;

	vcard_pki_identity(p, VCARD_PROFILE_MYNUMBER, &id);
	ck_assert_ptr_eq(id.auth_key, p->auth_key);
	ck_assert_ptr_eq(id.sign_key, p->sign_key);
	ck_assert_ptr_eq(id.auth_cert, p->auth_cert);
	ck_assert_uint_eq(id.auth_cert_len, p->auth_cert_len);
	ck_assert_ptr_eq(id.sign_cert, p->sign_cert);
	ck_assert_ptr_eq(id.auth_ca, p->auth_ca);
	ck_assert_ptr_eq(id.sign_ca, p->sign_ca);
	ck_assert_str_eq(id.token_serial, p->token_serial);

	vcard_pki_identity(p, VCARD_PROFILE_JUKI, &id);
	ck_assert_ptr_null(id.auth_key);
	ck_assert_ptr_null(id.auth_cert);
	ck_assert_ptr_null(id.auth_ca);
	ck_assert_ptr_eq(id.sign_key, p->sign_key);
	ck_assert_ptr_eq(id.sign_cert, p->sign_cert);

	vcard_pki_identity(p, VCARD_PROFILE_MINOR, &id);
	ck_assert_ptr_null(id.sign_key);
	ck_assert_ptr_null(id.sign_cert);
	ck_assert_ptr_eq(id.sign_ca, p->sign_ca);
	ck_assert_ptr_eq(id.auth_key, p->auth_key);
}
END_TEST

START_TEST(test_files)
{
	static const char *const files[] = {
	    "ready",
	    "auth-ca.pem",
	    "auth-ca.der",
	    "sign-ca.pem",
	    "sign-ca.der",
	    "identity-0/auth-cert.pem",
	    "identity-0/auth-cert.der",
	    "identity-0/sign-cert.pem",
	    "identity-1/sign-cert.der",
	    "identity-1/token-serial",
	};
	static const char *const keys[] = {"auth-ca-key.pem", "sign-ca-key.pem",
					   "identity-0/auth-key.pem", "identity-1/sign-key.pem"};
	char path[4400];
	struct stat st;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tu_pki_dir(), files[i]);
		ck_assert_msg(stat(path, &st) == 0, "%s", path);
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tu_pki_dir(), keys[i]);
		ck_assert_msg(stat(path, &st) == 0, "%s", path);
		ck_assert_uint_eq(st.st_mode & 0777, 0600);
	}
}
END_TEST

START_TEST(test_load_errors)
{
	struct vcard_pki p;

	ck_assert_int_eq(vcard_pki_load(tu_pki_dir(), VCARD_PKI_IDENTITIES, &p), -1);
	ck_assert_int_eq(vcard_pki_load("/dev/null/pki", 0, &p), -1);
	ck_assert_ptr_null(p.auth_key);
}
END_TEST

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

/* Three processes race to create one PKI: all must load the same one, in well under 10 s. */
START_TEST(test_concurrent_generation)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	uint8_t digests[3][SHA256_DIGEST_LENGTH];
	struct timespec t0, t1;
	int fds[3][2];
	pid_t pids[3];

	snprintf(dir, sizeof(dir), "%s/vcard-pki-race.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	strcat(dir, "/sub/pki"); /* also creates missing parents */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(pipe(fds[i]), 0);
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			struct vcard_pki p;
			uint8_t d[SHA256_DIGEST_LENGTH];

			if (vcard_pki_load(dir, (unsigned)i % 2, &p) != 0)
				_exit(1);
			SHA256(p.sign_ca, p.sign_ca_len, d);
			if (write(fds[i][1], d, sizeof(d)) != (ssize_t)sizeof(d))
				_exit(1);
			vcard_pki_free(&p);
			_exit(0);
		}
		close(fds[i][1]);
	}
	for (int i = 0; i < 3; i++) {
		int status;

		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		ck_assert_int_eq(read(fds[i][0], digests[i], sizeof(digests[i])),
				 (ssize_t)sizeof(digests[i]));
		close(fds[i][0]);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_mem_eq(digests[0], digests[1], SHA256_DIGEST_LENGTH);
	ck_assert_mem_eq(digests[0], digests[2], SHA256_DIGEST_LENGTH);
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 10);
	*strrchr(dir, '/') = '\0';
	*strrchr(dir, '/') = '\0';
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
END_TEST

static Suite *pki_suite(void)
{
	Suite *s = suite_create("vcard-pki");
	TCase *tc = tcase_create("certificates");

	tcase_add_test(tc, test_identities_distinct);
	tcase_add_test(tc, test_keys_match_certs);
	tcase_add_test(tc, test_chains);
	tcase_add_test(tc, test_ca_certificates);
	tcase_add_test(tc, test_auth_certificate);
	tcase_add_test(tc, test_sign_certificate);
	tcase_add_test(tc, test_identity_per_profile);
	tcase_add_test(tc, test_files);
	tcase_add_test(tc, test_load_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("generation");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_concurrent_generation);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int rc;

	tu_pki_init();
	rc = tu_run(pki_suite());
	tu_pki_cleanup();
	return rc;
}
