#!/bin/sh
# a failure after 100 KB of stderr: only the tail is kept
cat >/dev/null
i=0
while [ $i -lt 2000 ]; do
	echo "line $i of a long and noisy log of things going wrong slowly" >&2
	i=$((i + 1))
done
echo 'the last word' >&2
exit 1
