#!/bin/sh
# writes 1 MB of result before it reads its input: a caller that writes
# all the input before reading would deadlock with it
awk 'BEGIN { s = "aaaaaaaaaaaaaaaa"; while (length(s) < 1048576) s = s s; printf "\"%s\"\n", s }'
cat >/dev/null
