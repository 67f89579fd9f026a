#!/bin/sh
# prints nothing and succeeds: the result is null
cat >/dev/null
