/* SPDX-License-Identifier: ISC */
/*
 * Test hooks: not in the installed library.  codec.c defines these only
 * when built with -DMC_TEST_HOOKS, as the Makefile builds it for the unit
 * tests, the fuzzers and the benchmarks.
 */
#ifndef MC_HOOKS_H
#define MC_HOOKS_H

#include "mc.h"

/* Forces the way c goes from the next step (base64: from the next init)
 * on: "libb64", "scalar" or "avx2" for MC_CODEC_B64; "unit" (the rules
 * one unit at a time), "scalar" or "sse2" for MC_CODEC_QP; "scalar" or
 * "avx2" for MC_CODEC_UTF8.  NULL goes back to the fastest.  -1 (nothing
 * changed) for another name or a way this build or CPU cannot take.  The
 * output is the same every way.  Not thread-safe. */
int mc_codec_force(enum mc_codec c, const char *name);
/* The name of the way c goes now. */
const char *mc_codec_name(enum mc_codec c);

#endif /* MC_HOOKS_H */
