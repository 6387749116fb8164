# Two commands do all set-up on a fresh machine:
#   make demo   - create .venv, install chainlens, run the tour on examples/
#   make test   - create .venv, install chainlens with test extras, run lint + tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CORE   := $(VENV)/.core-installed
TESTS  := $(VENV)/.test-installed

.PHONY: demo test lint protos check-protos bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(CORE): $(BIN)/python pyproject.toml setup.py
	$(BIN)/pip install -q -e .
	touch $(CORE)

$(TESTS): $(CORE)
	$(BIN)/pip install -q -e '.[test]'
	touch $(TESTS)

demo: $(CORE)
	$(BIN)/chainlens demo --out out

test: $(TESTS)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not serial"
	$(BIN)/python -m pytest -q -m serial

lint: $(TESTS)
	$(BIN)/ruff check .

protos: $(TESTS)
	$(BIN)/python -m grpc_tools.protoc -I protos --python_out=protos --pyi_out=protos \
	    --grpc_python_out=protos protos/chainlens/v1/*.proto

check-protos: protos
	git diff --exit-code -- protos/

bench: $(TESTS)
	for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info out
