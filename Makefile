# Everything runs from the project's own virtualenv (.venv), which `setup` builds from the pinned
# requirements files and rebuilds when they change.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The engine tooling's version pins (PULUMI_VERSION, ...), shared with engine/build.sh and engine/tooling.py.
include engine/versions.env

.PHONY: setup test lint bench mutation local local-down call clean engine

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -n 2

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy .
	$(VENV)/bin/actionlint

bench: $(STAMP)
	$(PY) -m bench

# Mutation testing of the core modules (mutation/modules.toml): slow, not part of `make test` or CI.
# Resumes where the last run stopped (.mutation/); `make mutation MODULES=providers/sip_rule.py` runs one.
mutation: $(STAMP)
	$(PY) -m mutation $(MODULES)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis bench/.out

# The local stack: the emulator on 127.0.0.1:8600 (pid, log and state in .local/), then
# `pulumi up --stack local` on a file backend in .pulumi/, with the engine engine/tooling.py picks
# (a `pulumi` on PATH, else the pinned CLI, built first when Go is present). See scripts/local_stack.py.
local: $(STAMP)
	$(PY) scripts/local_stack.py up

# Simulates an inbound call to the local stack's first number and prints the transcript.
call: $(STAMP)
	$(PY) scripts/local_stack.py call

# Stops the emulator (stdlib only: works even without .venv). State stays in .local/ and .pulumi/.
local-down:
	$(if $(wildcard $(PY)),$(PY),$(PYTHON)) scripts/local_stack.py down

# The pinned Pulumi CLI (PULUMI_VERSION in engine/versions.env), built from its Go modules into a cache
# outside the work tree (engine/build.sh; skipped when already built), then the engine the tests and
# scripts will use (a `pulumi` on PATH wins). Needs Go, not .venv.
engine:
	@echo "engine: Pulumi CLI $(PULUMI_VERSION)"
	bash engine/build.sh
	$(PYTHON) -m engine.tooling
