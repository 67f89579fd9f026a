#!/bin/sh
# a function error with its own stack trace, request id and more
cat >/dev/null
printf '%s\n' '{"errorType": "ValueError", "errorMessage": "bad \"x\"", "stackTrace": ["  File \"h.py\", line 2\n"], "requestId": "11111111-2222-4333-8444-555555555555", "extra": 1}'
exit 1
