#!/bin/sh
# a constant result, whatever the input
cat >/dev/null
printf '%s\n' '{"answer": 42}'
