#!/bin/sh
# a function error as the Lambda runtimes report one: exit 1 and
# {"errorType", "errorMessage"} on stdout
cat >/dev/null
printf '%s\n' '{"errorType": "CustomException", "errorMessage": "it broke"}'
exit 1
