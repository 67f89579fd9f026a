#!/bin/sh
# answers and exits without reading its input
printf '%s\n' '{"ok": true}'
