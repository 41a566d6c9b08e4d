/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The test PKI (jpki-card.md §3.4): two self-signed CAs under O=JPKI-TEST and, per identity,
 * an auth and a sign RSA-2048 key with certificates. Layout of the directory:
 *
 *   auth-ca.{pem,der} auth-ca-key.pem sign-ca.{pem,der} sign-ca-key.pem
 *   identity-N/{auth,sign}-key.pem identity-N/{auth,sign}-cert.{pem,der} identity-N/token-serial
 *   ready          written last: the PKI is complete
 *
 * Generators serialise on flock(.lock); every file is written to a temporary name, synced and
 * renamed, so a reader that sees "ready" sees complete files.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "test/vcard/pki.h"

#define READY_FILE "ready"
#define FILE_MAX   (1024 * 1024)
#define CA_DAYS	   (20 * 366)
#define EE_DAYS	   (5 * 365)

/* Certificate extensions, as an OpenSSL config (the holder data of the SAN: load_conf()). */
static const char extensions_conf[] =
    "[ca]\n"
    "basicConstraints = critical,CA:TRUE\n"
    "keyUsage = critical,keyCertSign,cRLSign\n"
    "subjectKeyIdentifier = hash\n"
    "authorityKeyIdentifier = keyid:always\n"
    "[auth]\n"
    "keyUsage = critical,digitalSignature\n"
    "extendedKeyUsage = clientAuth\n"
    "subjectKeyIdentifier = hash\n"
    "authorityKeyIdentifier = keyid:always\n"
    "certificatePolicies = @auth_policy\n"
    "crlDistributionPoints = URI:http://jpki-test.invalid/crl/auth.crl,"
    "URI:ldap://jpki-test.invalid/auth-crl?certificateRevocationList\n"
    "authorityInfoAccess = OCSP;URI:http://jpki-test.invalid/ocsp/auth\n"
    "issuerAltName = dirName:auth_issuer\n"
    "[auth_issuer]\n"
    "C = JP\n"
    "O = JPKI-TEST\n"
    "OU = JPKI for user authentication (test)\n"
    "[auth_policy]\n"
    "policyIdentifier = 1.3.6.1.4.1.32473.1.1\n"
    "CPS.1 = http://jpki-test.invalid/cps/auth\n"
    "userNotice.1 = @auth_notice\n"
    "[auth_notice]\n"
    "explicitText = \"JPKI-TEST user authentication certificate for software tests only; "
    "not issued by J-LIS and not valid for any public service.\"\n"
    "[sign]\n"
    "keyUsage = critical,digitalSignature,nonRepudiation\n"
    "subjectKeyIdentifier = hash\n"
    "authorityKeyIdentifier = keyid:always\n"
    "subjectAltName = @sign_san\n"
    "certificatePolicies = @sign_policy\n"
    "crlDistributionPoints = URI:http://jpki-test.invalid/crl/sign.crl,"
    "URI:ldap://jpki-test.invalid/sign-crl?certificateRevocationList\n"
    "authorityInfoAccess = OCSP;URI:http://jpki-test.invalid/ocsp/sign\n"
    "issuerAltName = dirName:sign_issuer\n"
    "[sign_issuer]\n"
    "C = JP\n"
    "O = JPKI-TEST\n"
    "OU = JPKI for digital signature (test)\n"
    "[sign_policy]\n"
    "policyIdentifier = 1.3.6.1.4.1.32473.1.2\n"
    "CPS.1 = http://jpki-test.invalid/cps/sign\n";

static const char *const given_names[VCARD_PKI_IDENTITIES] = {"太郎", "花子"};
static const char *const given_names_kana[VCARD_PKI_IDENTITIES] = {"タロウ", "ハナコ"};
static const char *const addresses[VCARD_PKI_IDENTITIES] = {"東京都千代田区霞が関二丁目1番地",
							    "東京都千代田区霞が関二丁目2番地"};

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "jpki-vcard: test PKI: %s%s%s\n", what, path ? ": " : "", path ? path : "");
	ERR_print_errors_fp(stderr);
	return -1;
}

static int mkdir_p(const char *dir)
{
	char path[PATH_MAX];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(path))
		return fail("bad directory name", dir);
	memcpy(path, dir, len + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return fail(strerror(errno), path);
		*p = '/';
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return fail(strerror(errno), path);
	return 0;
}

static int write_atomic(const char *dir, const char *name, const void *data, size_t len,
			mode_t mode)
{
	char path[PATH_MAX], tmp[PATH_MAX + 32];
	const char *p = data;
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return fail(strerror(errno), tmp);
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		len -= (size_t)n;
	}
	ok = len == 0 && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		fail(strerror(errno), path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int write_bio(const char *dir, const char *name, BIO *bio, mode_t mode)
{
	char *data;
	long len = BIO_get_mem_data(bio, &data);

	return write_atomic(dir, name, data, (size_t)len, mode);
}

static int write_key(const char *dir, const char *name, EVP_PKEY *key)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int rc = -1;

	if (bio && PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) == 1)
		rc = write_bio(dir, name, bio, 0600);
	BIO_free(bio);
	return rc;
}

static int write_cert(const char *dir, const char *base, X509 *cert)
{
	char name[64];
	BIO *bio = BIO_new(BIO_s_mem());
	int rc = -1;

	snprintf(name, sizeof(name), "%s.pem", base);
	if (bio && PEM_write_bio_X509(bio, cert) == 1 && write_bio(dir, name, bio, 0644) == 0) {
		(void)BIO_reset(bio);
		snprintf(name, sizeof(name), "%s.der", base);
		if (i2d_X509_bio(bio, cert) == 1)
			rc = write_bio(dir, name, bio, 0644);
	}
	BIO_free(bio);
	return rc;
}

/* Builds a name from {field, value} pairs ending with NULL, in DER order. */
static X509_NAME *make_name(const char *const *pairs)
{
	X509_NAME *name = X509_NAME_new();

	for (; name && pairs[0]; pairs += 2)
		if (!X509_NAME_add_entry_by_txt(name, pairs[0], MBSTRING_UTF8,
						(const unsigned char *)pairs[1], -1, -1, 0)) {
			X509_NAME_free(name);
			return NULL;
		}
	return name;
}

static int random_serial(X509 *cert)
{
	BIGNUM *bn = BN_new();
	ASN1_INTEGER *serial = NULL;
	int ok;

	ok = bn && BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
	     (serial = BN_to_ASN1_INTEGER(bn, NULL)) != NULL &&
	     X509_set_serialNumber(cert, serial) == 1;
	ASN1_INTEGER_free(serial);
	BN_free(bn);
	return ok ? 0 : -1;
}

/* Issues a certificate for key; issuer NULL means self-signed by key. */
static X509 *issue(EVP_PKEY *key, const char *const *subject, X509 *issuer, EVP_PKEY *issuer_key,
		   long days, CONF *conf, const char *section)
{
	X509 *cert = X509_new();
	X509_NAME *name = make_name(subject);
	X509V3_CTX ctx;
	int ok;

	ok = cert && name && X509_set_version(cert, 2) == 1 && random_serial(cert) == 0 &&
	     X509_set_subject_name(cert, name) == 1 &&
	     X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name) == 1 &&
	     X509_gmtime_adj(X509_getm_notBefore(cert), -86400) &&
	     X509_time_adj_ex(X509_getm_notAfter(cert), (int)days, 0, NULL) &&
	     X509_set_pubkey(cert, key) == 1;
	if (ok) {
		X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, NULL, NULL, 0);
		X509V3_set_nconf(&ctx, conf);
		ok = X509V3_EXT_add_nconf(conf, &ctx, section, cert) == 1 &&
		     X509_sign(cert, issuer_key ? issuer_key : key, EVP_sha256()) > 0;
	}
	X509_NAME_free(name);
	if (!ok) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

struct ca {
	EVP_PKEY *key;
	X509 *cert;
};

static int make_ca(const char *dir, const char *base, const char *ou, CONF *conf, struct ca *ca)
{
	const char *const subject[] = {
	    "C",  "JP", "O",  "JPKI-TEST",
	    "OU", ou,	"OU", "Japan Agency for Local Authority Information Systems",
	    NULL,
	};
	char name[64];

	ca->key = EVP_RSA_gen(2048);
	ca->cert = ca->key ? issue(ca->key, subject, NULL, NULL, CA_DAYS, conf, "ca") : NULL;
	if (ca->cert == NULL)
		return fail("cannot create CA", base);
	snprintf(name, sizeof(name), "%s-key.pem", base);
	if (write_key(dir, name, ca->key) || write_cert(dir, base, ca->cert))
		return -1;
	return 0;
}

static int make_ee(const char *dir, const char *base, const char *const *subject,
		   const struct ca *ca, CONF *conf)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509 *cert = key ? issue(key, subject, ca->cert, ca->key, EE_DAYS, conf, base) : NULL;
	char name[64];
	int rc = -1;

	snprintf(name, sizeof(name), "%s-key.pem", base);
	if (cert == NULL)
		fail("cannot create certificate", base);
	else if (write_key(dir, name, key) == 0) {
		snprintf(name, sizeof(name), "%s-cert", base);
		rc = write_cert(dir, name, cert);
	}
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

static void token_serial(unsigned index, char serial[17])
{
	snprintf(serial, 17, "00000000205%05u", index + 3);
}

/* The extension sections, with the holder data of an identity in the sign SAN ([MYNA-go]). */
static CONF *load_conf(unsigned index)
{
	char text[sizeof(extensions_conf) + 1024];
	CONF *conf = NCONF_new(NULL);
	BIO *bio;
	long line;

	snprintf(text, sizeof(text),
		 "%s[sign_san]\n"
		 "otherName.1 = 1.2.392.200149.8.5.5.1;FORMAT:UTF8,UTF8:公的 %s\n"     /* name */
		 "otherName.2 = 1.2.392.200149.8.5.5.2;FORMAT:UTF8,UTF8:コウテキ %s\n" /* alt. */
		 "otherName.3 = 1.2.392.200149.8.5.5.3;PRINTABLESTRING:1\n"	       /* sex */
		 "otherName.4 = 1.2.392.200149.8.5.5.4;PRINTABLESTRING:1980021%u\n"    /* birth */
		 "otherName.5 = 1.2.392.200149.8.5.5.5;FORMAT:UTF8,UTF8:%s\n"	       /* address */
		 "otherName.6 = 1.2.392.200149.8.5.5.6;FORMAT:UTF8,UTF8:%s (試験用)\n", /* alt. */
		 extensions_conf, given_names[index], given_names_kana[index], index + 7,
		 addresses[index], addresses[index]);
	bio = BIO_new_mem_buf(text, -1);
	if (conf == NULL || bio == NULL || NCONF_load_bio(conf, bio, &line) != 1) {
		NCONF_free(conf);
		conf = NULL;
		fail("bad extension configuration", NULL);
	}
	BIO_free(bio);
	return conf;
}

static int make_identity(const char *dir, unsigned index, const struct ca *auth_ca,
			 const struct ca *sign_ca)
{
	char idir[PATH_MAX], serial[17], auth_cn[21], sign_cn[21];
	const char *const auth_subject[] = {"C", "JP", "CN", auth_cn, NULL};
	const char *const sign_subject[] = {"C",	  "JP", "L",	 "Tokyo-to", "L",
					    "Chiyoda-ku", "CN", sign_cn, NULL};
	CONF *conf = load_conf(index);
	int rc = -1;

	snprintf(idir, sizeof(idir), "%s/identity-%u", dir, index);
	token_serial(index, serial);
	snprintf(auth_cn, sizeof(auth_cn), "%sAUTH", serial);
	snprintf(sign_cn, sizeof(sign_cn), "%sSIGN", serial);
	if (conf != NULL && mkdir_p(idir) == 0 &&
	    make_ee(idir, "auth", auth_subject, auth_ca, conf) == 0 &&
	    make_ee(idir, "sign", sign_subject, sign_ca, conf) == 0)
		rc = write_atomic(idir, "token-serial", serial, strlen(serial), 0644);
	NCONF_free(conf);
	return rc;
}

static int generate(const char *dir)
{
	struct ca auth_ca = {0}, sign_ca = {0};
	CONF *conf = load_conf(0);
	int rc = -1;

	if (conf != NULL &&
	    make_ca(dir, "auth-ca", "JPKI for user authentication", conf, &auth_ca) == 0 &&
	    make_ca(dir, "sign-ca", "JPKI for digital signature", conf, &sign_ca) == 0) {
		rc = 0;
		for (unsigned i = 0; rc == 0 && i < VCARD_PKI_IDENTITIES; i++)
			rc = make_identity(dir, i, &auth_ca, &sign_ca);
		if (rc == 0)
			rc = write_atomic(dir, READY_FILE, "", 0, 0644);
	}
	EVP_PKEY_free(auth_ca.key);
	EVP_PKEY_free(sign_ca.key);
	X509_free(auth_ca.cert);
	X509_free(sign_ca.cert);
	NCONF_free(conf);
	return rc;
}

static bool ready(const char *dir)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, READY_FILE);
	return access(path, F_OK) == 0;
}

/* Generates the PKI unless it is complete; the first of several racing processes does it. */
static int ensure(const char *dir)
{
	char path[PATH_MAX];
	int fd, rc = 0;

	if (ready(dir))
		return 0;
	if (mkdir_p(dir) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail(strerror(errno), path);
	while (flock(fd, LOCK_EX) != 0)
		if (errno != EINTR) {
			close(fd);
			return fail(strerror(errno), path);
		}
	if (!ready(dir))
		rc = generate(dir);
	close(fd); /* releases the lock */
	return rc;
}

static int read_file(const char *dir, const char *name, uint8_t **data, size_t *len)
{
	char path[PATH_MAX];
	FILE *f;
	long size;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	*data = NULL;
	f = fopen(path, "rbe");
	if (f == NULL)
		return fail(strerror(errno), path);
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 && size <= FILE_MAX &&
	    fseek(f, 0, SEEK_SET) == 0 && (*data = malloc((size_t)size)) != NULL &&
	    fread(*data, 1, (size_t)size, f) == (size_t)size) {
		*len = (size_t)size;
		fclose(f);
		return 0;
	}
	fclose(f);
	free(*data);
	*data = NULL;
	return fail("cannot read", path);
}

static int read_key(const char *dir, const char *name, EVP_PKEY **key)
{
	uint8_t *pem;
	size_t len;
	BIO *bio;

	if (read_file(dir, name, &pem, &len) != 0)
		return -1;
	bio = BIO_new_mem_buf(pem, (int)len);
	*key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	free(pem);
	return *key ? 0 : fail("bad private key", name);
}

static int read_serial(const char *dir, char serial[17])
{
	uint8_t *data;
	size_t len;

	if (read_file(dir, "token-serial", &data, &len) != 0)
		return -1;
	if (len != 16) {
		free(data);
		return fail("token-serial is not 16 characters", dir);
	}
	memcpy(serial, data, 16);
	serial[16] = '\0';
	free(data);
	return 0;
}

int vcard_pki_load(const char *dir, unsigned index, struct vcard_pki *pki)
{
	char idir[PATH_MAX];

	memset(pki, 0, sizeof(*pki));
	if (index >= VCARD_PKI_IDENTITIES)
		return fail("no such identity", NULL);
	if (ensure(dir) != 0)
		return -1;
	snprintf(idir, sizeof(idir), "%s/identity-%u", dir, index);
	if (read_file(dir, "auth-ca.der", &pki->auth_ca, &pki->auth_ca_len) ||
	    read_file(dir, "sign-ca.der", &pki->sign_ca, &pki->sign_ca_len) ||
	    read_file(idir, "auth-cert.der", &pki->auth_cert, &pki->auth_cert_len) ||
	    read_file(idir, "sign-cert.der", &pki->sign_cert, &pki->sign_cert_len) ||
	    read_key(idir, "auth-key.pem", &pki->auth_key) ||
	    read_key(idir, "sign-key.pem", &pki->sign_key) ||
	    read_serial(idir, pki->token_serial)) {
		vcard_pki_free(pki);
		return -1;
	}
	return 0;
}

void vcard_pki_free(struct vcard_pki *pki)
{
	EVP_PKEY_free(pki->auth_key);
	EVP_PKEY_free(pki->sign_key);
	free(pki->auth_cert);
	free(pki->auth_ca);
	free(pki->sign_cert);
	free(pki->sign_ca);
	memset(pki, 0, sizeof(*pki));
}

void vcard_pki_identity(const struct vcard_pki *pki, enum vcard_profile profile,
			struct vcard_identity *id)
{
	bool auth = profile != VCARD_PROFILE_JUKI;
	bool sign = profile != VCARD_PROFILE_MINOR;

	memset(id, 0, sizeof(*id));
	memcpy(id->token_serial, pki->token_serial, sizeof(id->token_serial));
	id->sign_ca = pki->sign_ca;
	id->sign_ca_len = pki->sign_ca_len;
	if (auth) {
		id->auth_key = pki->auth_key;
		id->auth_cert = pki->auth_cert;
		id->auth_cert_len = pki->auth_cert_len;
		id->auth_ca = pki->auth_ca;
		id->auth_ca_len = pki->auth_ca_len;
	}
	if (sign) {
		id->sign_key = pki->sign_key;
		id->sign_cert = pki->sign_cert;
		id->sign_cert_len = pki->sign_cert_len;
	}
}
