#!/bin/sh
# exits at once, but leaves a grandchild holding stdout open
cat >/dev/null
sleep 1000 &
echo $! > "$1"
echo '{}'
