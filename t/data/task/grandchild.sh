#!/bin/sh
# starts a grandchild that lets go of the pipes, records its pid, and
# waits forever: only a kill of the whole process group stops both
cat >/dev/null
sleep 1000 </dev/null >/dev/null 2>&1 &
echo $! > "$1"
wait
