/* SPDX-License-Identifier: ISC */
/*
 * src/crypto/dkim.c: the RFC 8463 Appendix A vector (keys A.1, signed
 * message A.3), as printed in the RFC (https://www.rfc-editor.org/rfc/
 * rfc8463, September 2018).  Its bh= and both b= values come out byte for
 * byte (RSA PKCS#1 v1.5 and Ed25519 are deterministic), so the printed
 * values need no erratum; the printed message also verifies with dkimpy
 * (both signatures) and Mail::DKIM (the RSA one): tests/e2e/dkim.sh.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "unit.h"
#include "../../src/crypto/dkim.h"

/* A.1: the Ed25519 secret key (the RFC gives the 32-octet seed,
 * nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=, here in its PKCS#8 PEM
 * form), and the RSA key as printed. */
static const char ed25519_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
static const char rsa_pem[] =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIICXQIBAAKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQi\n"
    "Y/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqM\n"
    "KrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB\n"
    "AoGAH0cxOhFZDgzXWhDhnAJDw5s4roOXN4OhjiXa8W7Y3rhX3FJqmJSPuC8N9vQm\n"
    "6SVbaLAE4SG5mLMueHlh4KXffEpuLEiNp9Ss3O4YfLiQpbRqE7Tm5SxKjvvQoZZe\n"
    "zHorimOaChRL2it47iuWxzxSiRMv4c+j70GiWdxXnxe4UoECQQDzJB/0U58W7RZy\n"
    "6enGVj2kWF732CoWFZWzi1FicudrBFoy63QwcowpoCazKtvZGMNlPWnC7x/6o8Gc\n"
    "uSe0ga2xAkEA8C7PipPm1/1fTRQvj1o/dDmZp243044ZNyxjg+/OPN0oWCbXIGxy\n"
    "WvmZbXriOWoSALJTjExEgraHEgnXssuk7QJBALl5ICsYMu6hMxO73gnfNayNgPxd\n"
    "WFV6Z7ULnKyV7HSVYF0hgYOHjeYe9gaMtiJYoo0zGN+L3AAtNP9huqkWlzECQE1a\n"
    "licIeVlo1e+qJ6Mgqr0Q7Aa7falZ448ccbSFYEPD6oFxiOl9Y9se9iYHZKKfIcst\n"
    "o7DUw1/hz2Ck4N5JrgUCQQCyKveNvjzkkd8HjYs0SwM0fPjK16//5qDZ2UiDGnOe\n"
    "uEzxBDAr518Z8VFbR41in3W4Y3yCDgQlLlcETrS+zYcL\n"
    "-----END RSA PRIVATE KEY-----\n";

/* A.3: the message's header and body (CRLF on the wire). */
static const char header[] =
    "From: Joe SixPack <joe@football.example.com>\r\n"
    "To: Suzie Q <suzie@shopping.example.net>\r\n"
    "Subject: Is dinner ready?\r\n"
    "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
    "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n";
static const char msgbody[] =
    "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n";

/* A.3: the two DKIM-Signature fields as printed, b= emptied. */
static const char sig_ed25519[] =
    "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
    " d=football.example.com; i=@football.example.com;\r\n"
    " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
    " subject : date : message-id : from : subject : date;\r\n"
    " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    " b=";
static const char sig_rsa[] =
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
    " d=football.example.com; i=@football.example.com;\r\n"
    " q=dns/txt; s=test; t=1528637909; h=from : to : subject :\r\n"
    " date : message-id : from : subject : date;\r\n"
    " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
    " b=";
static const char hlist[] =
    "from : to : subject : date : message-id : from : subject : date";

/* The b= values printed, unfolded. */
static const char b_ed25519[] =
    "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus"
    "Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==";
static const char b_rsa[] =
    "F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3"
    "DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz"
    "dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=";

/* The key in a temporary file, loaded. */
static struct dkim_key *
key(const char *pem, enum dkim_alg alg, enum mc_err want)
{
	struct dkim_key *k = NULL;
	struct mc_error err;
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/test_dkim_sign.XXXXXX",
	    mc_tmpdir(NULL));
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, pem, strlen(pem)), (ssize_t)strlen(pem));
	close(fd);
	assert_int_equal(dkim_key_load(&k, path, alg, &err), want);
	unlink(path);
	return k;
}

static void
test_body_hash(void **state)
{
	struct dkim_hash *h;
	struct mc_error err;
	char bh[45];
	size_t i;

	(void)state;
	assert_non_null(h = dkim_hash_new(1));
	for (i = 0; i < sizeof(msgbody) - 1; i++)
		dkim_hash_step(h, msgbody + i, 1);
	assert_int_equal(dkim_hash_final(h, bh, &err), MC_OK);
	assert_string_equal(bh, "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
	dkim_hash_free(h);
}

static void
signs(const char *pem, enum dkim_alg alg, const char *sig, const char *want)
{
	struct mc_dkim_field v[8];
	struct dkim_key *k = key(pem, DKIM_ALG_KEY, MC_OK);
	struct mc_error err;
	struct mc_buf in, b64;
	size_t nv;

	assert_int_equal(dkim_key_alg(k), alg);
	assert_int_equal(mc_dkim_split(header, strlen(header), v, 8, &nv,
	    "A.3", &err), MC_OK);
	mc_buf_init(&in);
	mc_buf_init(&b64);
	mc_dkim_header_input(&in, v, nv, hlist, sig, strlen(sig), 1);
	assert_int_equal(dkim_sign_input(k, in.p, in.len, &b64, &err), MC_OK);
	assert_string_equal(b64.p, want);
	mc_buf_free(&in);
	mc_buf_free(&b64);
	dkim_key_free(k);
}

static void
test_ed25519(void **state)
{
	(void)state;
	signs(ed25519_pem, DKIM_ED25519_SHA256, sig_ed25519, b_ed25519);
}

static void
test_rsa(void **state)
{
	(void)state;
	signs(rsa_pem, DKIM_RSA_SHA256, sig_rsa, b_rsa);
}

/* The A.2 records, as --dns prints them. */
static void
test_dns(void **state)
{
	struct dkim_key *k = key(ed25519_pem, DKIM_ED25519_SHA256, MC_OK);
	struct mc_error err;
	struct mc_buf b;

	(void)state;
	mc_buf_init(&b);
	assert_int_equal(dkim_dns(k, "brisbane", "football.example.com", &b,
	    &err), MC_OK);
	assert_string_equal(b.p, "brisbane._domainkey.football.example.com. "
	    "IN TXT \"v=DKIM1; k=ed25519; "
	    "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n");
	dkim_key_free(k);
	k = key(rsa_pem, DKIM_RSA_SHA256, MC_OK);
	b.len = 0;
	assert_int_equal(dkim_dns(k, "test", "football.example.com", &b,
	    &err), MC_OK);
	assert_string_equal(b.p, "test._domainkey.football.example.com. "
	    "IN TXT \"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ"
	    "DkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/by"
	    "YzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvH"
	    "O9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB\"\n");
	mc_buf_free(&b);
	dkim_key_free(k);
}

/* A key for the other algorithm than -a names is refused. */
static void
test_wrong_alg(void **state)
{
	(void)state;
	assert_null(key(rsa_pem, DKIM_ED25519_SHA256, MC_EDATA));
	assert_null(key(ed25519_pem, DKIM_RSA_SHA256, MC_EDATA));
	assert_null(key("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrf"
	    "VS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n",
	    DKIM_ALG_KEY, MC_EDATA));
}

/* The message of A.3 in a temporary file, open for reading. */
static int
message_file(char *path, size_t size)
{
	int fd;

	snprintf(path, size, "%s/test_dkim_msg.XXXXXX", mc_tmpdir(NULL));
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, header, strlen(header)),
	    (ssize_t)strlen(header));
	assert_int_equal(write(fd, "\r\n", 2), 2);
	assert_int_equal(write(fd, msgbody, strlen(msgbody)),
	    (ssize_t)strlen(msgbody));
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* How the file changes between the passes: 0 not at all, 1 grown, 2 a
 * header byte changed with its size and time put back. */
static enum mc_err
two_passes(int how, struct memsink *out, struct mc_error *err)
{
	struct dkim_opts o = { "example.org", "s", 1, 1, NULL, 1700000000, 0 };
	struct dkim_key *k = key(ed25519_pem, DKIM_ALG_KEY, MC_OK);
	struct dkim_msg *m;
	struct timespec times[2];
	struct stat st;
	char path[4096];
	enum mc_err rc;
	int fd = message_file(path, sizeof(path)), w;

	assert_int_equal(dkim_read(&m, &o, k, fd, "msg", err), MC_OK);
	assert_true((w = open(path, O_WRONLY)) != -1);
	assert_int_equal(fstat(w, &st), 0);
	if (how == 1)
		assert_int_equal(pwrite(w, "x\r\n", 3, st.st_size), 3);
	if (how == 2) {
		assert_int_equal(pwrite(w, "T", 1, 2), 1);
		times[0] = st.st_atim;
		times[1] = st.st_mtim;
		assert_int_equal(futimens(w, times), 0);
	}
	close(w);
	rc = dkim_write(m, memsink_write, out, err);
	dkim_msg_free(m);
	dkim_key_free(k);
	close(fd);
	unlink(path);
	return rc;
}

/* A regular file is read twice: what changed in between is refused. */
static void
test_changed(void **state)
{
	static const char field[] = "DKIM-Signature: v=1; a=ed25519-sha256; "
	    "c=relaxed/relaxed; d=example.org; s=s;\r\n t=1700000000; "
	    "h=From:To:Subject:Date:Message-ID:From;\r\n bh=";
	struct memsink out = { .fail_after = 0 };
	struct mc_error err;
	const char *body;

	(void)state;
	mc_buf_init(&out.b);
	assert_int_equal(two_passes(0, &out, &err), MC_OK);
	assert_true(strncmp(out.b.p, field, strlen(field)) == 0);
	assert_non_null(body = strstr(out.b.p, "\r\nFrom: Joe"));
	assert_int_equal(out.b.len - (size_t)(body + 2 - out.b.p),
	    strlen(header) + 2 + strlen(msgbody));
	for (int how = 1; how <= 2; how++) {
		out.b.len = 0;
		assert_int_equal(two_passes(how, &out, &err), MC_EIO);
		assert_string_equal(err.what, "msg");
		assert_string_equal(err.detail,
		    "changed while it was being signed");
	}
	mc_buf_free(&out.b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body_hash),
		cmocka_unit_test(test_ed25519),
		cmocka_unit_test(test_rsa),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_wrong_alg),
		cmocka_unit_test(test_changed),
	};

	return cmocka_run_group_tests_name("dkim_sign", tests, NULL, NULL);
}
