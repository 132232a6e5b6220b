# The few tasks a person types.  `make demo` and `make test` work on a fresh machine with
# Python 3.11+ and make: they create .venv and install the package into it first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint golden schema templates bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: render every example letter into out/
demo: $(STAMP)
	rm -rf out
	@for f in examples/*.yaml; do \
	  id=$$(basename $$f .yaml); \
	  case $$id in authority*) continue;; esac; \
	  $(BIN)/ehe-letters render $$id $$f -o out/ || exit 1; \
	done

## test: run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## golden: rewrite the reviewed text snapshots (read the diff before committing!)
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_examples.py -q

schema: $(STAMP)
	$(BIN)/ehe-letters schema

## templates: rebuild templates/*.docx from tools/letter_sources (developers only)
templates: $(STAMP)
	$(BIN)/python tools/build_templates.py

## bench: speed and memory benchmarks (a few minutes; prints the README's table)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf out $(VENV) build *.egg-info
