#!/bin/sh
# dies by a signal
cat >/dev/null
echo 'about to die' >&2
kill -SEGV $$
