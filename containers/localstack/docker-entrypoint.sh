#!/bin/sh
# Starts LocalStack the way the official image's entry point does, so Testcontainers' LocalStackContainer (which
# runs /usr/local/bin/docker-entrypoint.sh from its own start script and waits for the line "Ready.") works with it.
export GATEWAY_LISTEN="${GATEWAY_LISTEN:-0.0.0.0:4566}"
# In a container: state under /var/lib/localstack, as in the official image.
export OVERRIDE_IN_DOCKER="${OVERRIDE_IN_DOCKER:-1}"
exec /opt/code/localstack/.venv/bin/python -m localstack.runtime.main
