# SPDX-License-Identifier: ISC
# Sourced by the test runners with $root set: the tools and test programs
# to use (what "make check" passes, else the builds in build/) and the
# sanitizer settings that turn a finding into exit status 98 or 99.
if [ -z "${MC_BIN:-}" ]; then
	if [ -x "$root/build/san/bin/mime-text" ]; then
		MC_BIN=$root/build/san/bin
	else
		MC_BIN=$root/build/bin
	fi
fi
: "${MC_FAST_BIN:=$root/build/bin}"
: "${MC_TESTBIN:=$root/build/tests}"
: "${ASAN_OPTIONS:=detect_leaks=1:abort_on_error=0:exitcode=99}"
: "${UBSAN_OPTIONS:=print_stacktrace=1:halt_on_error=1:exitcode=98}"
export MC_BIN MC_FAST_BIN MC_TESTBIN ASAN_OPTIONS UBSAN_OPTIONS
