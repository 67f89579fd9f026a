#!/bin/sh
# the task's input is its result
exec cat
