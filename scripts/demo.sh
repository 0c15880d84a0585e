#!/bin/bash
# SPDX-License-Identifier: ISC
# The main job: compose a real message with the tools, as a user would.
# A Chinese text body with its HTML alternative and a PNG attachment,
# written to build/demo.eml.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH=$PWD/build/bin:$PATH
out=build/demo.eml

mime-multipart \
	<(mime-multipart -t alternative \
		<(mime-text examples/report.txt) \
		<(mime-html examples/report.html)) \
	<(mime-attach -n chart.png fixtures/logo.png) |
mime-message -f 'A <642423899@qq.com>' -s '本月的报告' -o "$out" \
	'B <2545369032@qq.com>'

echo "wrote $out ($(wc -c < "$out") bytes):"
sed -n '1,/^$/p' "$out"
echo "send it with: /usr/sbin/sendmail -t < $out"
