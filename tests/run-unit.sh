#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs every cmocka suite given; fails when any suite fails.
failed=0
for t in "$@"; do
	"$t" || { echo "unit: $t failed" >&2; failed=$((failed + 1)); }
done
echo "unit: $# suites, $failed failed"
[ "$failed" -eq 0 ]
