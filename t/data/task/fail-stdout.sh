#!/bin/sh
# a plain failure that says why on stdout only
cat >/dev/null
echo 'no such customer'
exit 2
