/* SPDX-License-Identifier: ISC */
/* Sources of uniqueness and time; SOURCE_DATE_EPOCH for reproducible builds. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "mc.h"

/* splitmix64: a fixed, well-mixed function of the epoch and a counter. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static int
epoch_bytes(void *arg, unsigned char *buf, size_t len)
{
	struct mc_epoch_state *st = arg;
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 8 == 0)
			v = mix((uint64_t)st->epoch ^ mix(st->counter++));
		buf[i] = (unsigned char)(v >> (8 * (i % 8)));
	}
	return 0;
}

static time_t
epoch_now(void *arg)
{
	return ((struct mc_epoch_state *)arg)->epoch;
}

void
mc_source_epoch(struct mc_source *src, struct mc_epoch_state *state,
    time_t epoch)
{
	state->epoch = epoch;
	state->counter = 0;
	src->bytes = epoch_bytes;
	src->now = epoch_now;
	src->utc = 1;
	src->arg = state;
}

static int
system_bytes(void *arg, unsigned char *buf, size_t len)
{
	ssize_t n;

	(void)arg;	/* the system needs no state */
	while (len > 0) {
		n = getrandom(buf, len, 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static time_t
system_now(void *arg)
{
	(void)arg;
	return time(NULL);
}

static const struct mc_source system_source = {
	system_bytes, system_now, 0, NULL
};

enum mc_err
mc_source_from_env(struct mc_source *src, struct mc_epoch_state *state,
    struct mc_error *err)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (s == NULL || *s == '\0') {
		*src = system_source;
		return MC_OK;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 ||
	    v > 253402300799LL)	/* 9999-12-31 23:59:59 UTC */
		return mc_fail(err, MC_EUSAGE, 0, "SOURCE_DATE_EPOCH",
		    "not a number of seconds: \"%.40s\"", s);
	mc_source_epoch(src, state, (time_t)v);
	return MC_OK;
}

int
mc_source_bytes(const struct mc_source *src, unsigned char *buf, size_t len)
{
	if (src == NULL)
		src = &system_source;
	return src->bytes(src->arg, buf, len);
}

time_t
mc_source_now(const struct mc_source *src)
{
	if (src == NULL)
		src = &system_source;
	return src->now(src->arg);
}

int
mc_source_utc(const struct mc_source *src)
{
	return src != NULL && src->utc;
}
