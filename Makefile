# The verbs of this project. `make test` is what CI runs (.ci/run) and all a fresh clone needs.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

export SAM_CLI_TELEMETRY := 0
# The machine's default JDK may be older than 21: every Maven call uses the JDK this script picks.
export JAVA_HOME := $(shell scripts/java-home)

MVN := ./mvnw -B -ntp
SAM := .venv/sam/bin/sam
PYTHON ?= python3

.PHONY: help run test test-containers unit venv verify lint build smoke clean

help:
	@echo "make run     - the whole system locally: API on http://localhost:3000, Slack sink, email inbox (Ctrl-C stops)"
	@echo "make test    - everything: unit + emulator integration tests, sam validate --lint + the SAM transform, sam build, RIE smoke test"
	@echo "make test-containers - sam local invoke/start-api and Testcontainers + LocalStack (a container engine; podman installed as root if none)"
	@echo "make unit    - the unit tier alone: no emulator, no network, no Python (seconds, not minutes)"
	@echo "make verify  - unit + integration + end-to-end tests (moto, ElasticMQ, scripts/run-local)"
	@echo "make build   - sam build (both functions into .aws-sam/build)"
	@echo "make smoke   - run the built artifacts under the Lambda Runtime Interface Emulator"
	@echo "make venv    - install moto and SAM CLI into .venv/ (the other targets do it when needed)"

# Builds what it needs (scripts/run-local runs Maven), then runs until Ctrl-C. Ports: LOCAL_*_PORT, see the README.
run: .venv/moto/.installed
	scripts/run-local

test: venv verify lint build smoke

# The container tiers: sam local (invoke with every event, start-api) and the dispatch pipeline on Testcontainers +
# LocalStack. A Docker engine that answers is used; otherwise podman (installed from Debian when run as root) with
# images built here (scripts/container-images). `make test` needs none of it.
test-containers: venv build
	scripts/container-engine scripts/test-containers

# Two venvs: moto and SAM CLI pin different boto3 versions.
venv: .venv/moto/.installed .venv/sam/.installed

.PHONY: FORCE
FORCE:
# A venv is rebuilt when its pinned requirements differ from what it was built from (by content, not by file
# time: a checkout or a new work tree must not throw away a good venv).
.venv/%/.installed: FORCE
	@if ! cmp -s requirements/$*.txt .venv/$*/.installed; then \
	  echo "installing .venv/$* from requirements/$*.txt"; \
	  rm -rf .venv/$* && $(PYTHON) -m venv .venv/$* && \
	  .venv/$*/bin/pip install -q -r requirements/$*.txt && \
	  cp requirements/$*.txt $@; \
	fi

# Tests tagged integration, end-to-end or smoke are left out; emulators and stand-ins refuse to start (TestTier).
unit:
	$(MVN) -Punit test

# install: the smoke tests (run with -pl smoke-tests) resolve shared and emulators from the local Maven repository.
verify: .venv/moto/.installed
	$(MVN) install

# The transform check runs what CloudFormation runs at deploy: some templates pass the linter and fail there.
lint: .venv/sam/.installed
	$(SAM) validate --lint
	.venv/sam/bin/python scripts/check-transform template.yaml

build: .venv/sam/.installed
	$(SAM) build

smoke: venv
	$(MVN) -Psmoke -pl smoke-tests verify

clean:
	$(MVN) -q clean
	rm -rf .aws-sam
