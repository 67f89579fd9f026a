#!/bin/sh
# writes 200 KB of result (more than a pipe holds, less than the 256 KiB a
# result may have) before it reads its input: a caller that writes all the
# input before reading would deadlock with it
awk 'BEGIN { while (length(s) < 200000) s = s "aaaaaaaaaaaaaaaaaaaa"; printf "\"%s\"\n", s }'
cat >/dev/null
