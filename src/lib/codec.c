/* SPDX-License-Identifier: ISC */
/* Which way base64, quoted-printable and the UTF-8 check go on this CPU. */
#include <string.h>

#include "mc.h"

#if defined(MC_X86_SIMD) && defined(__has_include)
#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>	/* glibc 2.33 */
#endif
#endif
#if defined(MC_X86_SIMD) && !defined(CPU_FEATURE_ACTIVE)
#include <cpuid.h>
#endif

/*
 * The CPU has AVX2 and the kernel saves the YMM registers.  glibc has
 * asked the CPU already at program start; under a hypervisor every CPUID
 * traps (about 25 us a program here), so its answer is read when it can
 * be, and CPUID is run, once, only without it.  __builtin_cpu_supports
 * would link libgcc's detector, which runs a dozen more.
 */
int
mc_cpu_avx2(void)
{
#if !defined(MC_X86_SIMD)
	return 0;
#elif defined(CPU_FEATURE_ACTIVE)
	return CPU_FEATURE_ACTIVE(AVX2);
#else
	static int known;	/* 0: not asked yet, 1: no, 2: yes */
	unsigned a, b, c, d, lo, hi;
	int k = __atomic_load_n(&known, __ATOMIC_RELAXED);

	if (k == 0) {
		k = 1;
		if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE) &&
		    (c & bit_AVX)) {
			__asm__ volatile ("xgetbv" : "=a" (lo), "=d" (hi) :
			    "c" (0));
			if ((lo & 6) == 6 &&
			    __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
			    (b & bit_AVX2))
				k = 2;
		}
		__atomic_store_n(&known, k, __ATOMIC_RELAXED);
	}
	return k == 2;
#endif
}

/* Whether this build and this CPU can go that way. */
static int
runs(enum mc_codec c, enum mc_way way)
{
	switch (way) {
	case MC_WAY_LIBB64:
		return c == MC_CODEC_B64;
	case MC_WAY_UNIT:
		return c == MC_CODEC_QP;
	case MC_WAY_SCALAR:
		return 1;
	case MC_WAY_SSE2:
#if defined(__SSE2__) && defined(__GNUC__) && !defined(MC_NO_SIMD)
		return c == MC_CODEC_QP;
#else
		return 0;
#endif
	case MC_WAY_AVX2:
		return c != MC_CODEC_QP && mc_cpu_avx2();
	default:
		return 0;
	}
}

/* The fastest way this CPU runs. */
static enum mc_way
fastest(enum mc_codec c)
{
	if (c == MC_CODEC_QP)
		return runs(c, MC_WAY_SSE2) ? MC_WAY_SSE2 : MC_WAY_SCALAR;
	return runs(c, MC_WAY_AVX2) ? MC_WAY_AVX2 : MC_WAY_SCALAR;
}

#ifndef MC_TEST_HOOKS
enum mc_way
mc_way(enum mc_codec c)
{
	return fastest(c);
}
#else
/*
 * Tests and benchmarks force each way in turn and compare the results
 * byte for byte.  Built only into their copy of this file (-DMC_TEST_HOOKS,
 * see the Makefile), never into the installed library: users have no
 * switch to find.
 */
#include "hooks.h"

static const char *const way_names[] = {
	[MC_WAY_LIBB64] = "libb64", [MC_WAY_SCALAR] = "scalar",
	[MC_WAY_AVX2] = "avx2", [MC_WAY_UNIT] = "unit", [MC_WAY_SSE2] = "sse2"
};
static enum mc_way forced[MC_NCODECS];	/* 0: the fastest */

enum mc_way
mc_way(enum mc_codec c)
{
	return forced[c] != 0 ? forced[c] : fastest(c);
}

int
mc_codec_force(enum mc_codec c, const char *name)
{
	size_t w;

	if (name == NULL) {
		forced[c] = 0;
		return 0;
	}
	for (w = 1; w < sizeof(way_names) / sizeof(way_names[0]); w++)
		if (strcmp(name, way_names[w]) == 0 && runs(c, w)) {
			forced[c] = w;
			return 0;
		}
	return -1;
}

const char *
mc_codec_name(enum mc_codec c)
{
	return way_names[mc_way(c)];
}
#endif
