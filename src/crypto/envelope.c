/* SPDX-License-Identifier: ISC */
/* The MIME around a ciphertext (RFC 2045 5.1, RFC 2046 5.1.1). */
#include <string.h>

#include "encrypt.h"

int
mc_enc_field(struct mc_out *o, const char *name, const char *value,
    const char *const *params)
{
	struct mc_buf b;
	struct mc_fold f;
	int rc;

	mc_buf_init(&b);
	mc_fold_begin(&f, &b, name);
	mc_fold_token(&f, value, strlen(value), 1, 0);
	for (; params != NULL && params[0] != NULL; params += 2)
		mc_2231_param(&f, params[0], params[1], 0);
	mc_fold_end(&f);
	rc = b.oom ? -1 : mc_out_text(o, b.p, b.len);
	mc_buf_free(&b);
	return rc;
}

enum mc_err
mc_enc_boundary(char b[MC_BOUNDARY_MAX + 1], const char *label,
    const struct mc_write_opts *opts, struct mc_error *err)
{
	struct mc_bound none;
	unsigned char uniq[12];
	size_t i;
	int sys;

	/* Nothing is scanned: the caller proves the boundary. */
	mc_bound_init(&none);
	if ((sys = mc_source_bytes(opts->source, uniq, sizeof(uniq))) != 0)
		return mc_fail(err, MC_EIO, sys, "random source", NULL);
	/* Under SOURCE_DATE_EPOCH the tools upstream drew these very bytes
	 * for the entity's own boundaries: the label tells ours apart. */
	for (i = 0; i < sizeof(uniq) && label[i] != '\0'; i++)
		uniq[i] ^= (unsigned char)label[i];
	if (mc_bound_make(&none, uniq, b) == -1)
		return mc_fail(err, MC_EDATA, 0, "multipart", "no boundary");
	return MC_OK;
}
