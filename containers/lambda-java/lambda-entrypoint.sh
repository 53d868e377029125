#!/bin/sh
# The official images' entry point: outside Lambda, run the function behind the Runtime Interface Emulator.
# SAM CLI does not use it (it starts /var/rapid/aws-lambda-rie itself); `podman run IMAGE <handler>` does.
if [ $# -ne 1 ]; then
  echo "usage: $0 <handler>" >&2
  exit 1
fi
export _HANDLER="$1"
if [ -z "${AWS_LAMBDA_RUNTIME_API}" ]; then
  exec /usr/local/bin/aws-lambda-rie /var/runtime/bootstrap
fi
exec /var/runtime/bootstrap
