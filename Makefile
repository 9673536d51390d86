# Two commands prove the project on a fresh machine (see README):
#   make demo   installs cloudposture + the AWS provider and scans demo EKS clusters on moto
#   make test   installs everything + dev tools and runs lint, types, contracts and the suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PACKAGES := cloudposture providers/aws/cloudposture_aws providers/gcp/cloudposture_gcp providers/azure/cloudposture_azure providers/oci/cloudposture_oci providers/alibaba/cloudposture_alibaba

.PHONY: demo test install install-dev lint typecheck contracts pytest docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e . -e 'providers/aws[demo]'

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]' -e 'providers/aws[demo]' -e providers/gcp -e providers/azure -e providers/oci -e providers/alibaba

demo: install
	$(BIN)/cloudposture demo

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy $(PACKAGES)

contracts:
	$(BIN)/lint-imports

pytest:
	$(BIN)/python -m pytest -n auto --durations=15 -q

test: install-dev lint typecheck contracts pytest

docs: install-dev
	$(BIN)/python -m cloudposture.rules.docs docs/rules
	$(BIN)/cloudposture schema > docs/schema/scan-result.schema.json

bench: install-dev
	$(BIN)/python bench/engine_bench.py
	$(BIN)/python bench/aws_bench.py --clusters 60 --regions 3
	$(BIN)/python bench/startup_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
