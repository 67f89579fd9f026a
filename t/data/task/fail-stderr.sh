#!/bin/sh
# a plain failure that says why on stderr
cat >/dev/null
echo 'progress: half way'
echo 'charge.sh: card declined' >&2
exit 3
