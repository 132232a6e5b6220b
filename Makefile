# The few tasks a person types.  `make demo` and `make test` work on a fresh machine with
# Python 3.11+ and make: they create .venv and install the package into it first.  `make test`
# also needs LibreOffice Writer, Arial-metric fonts and poppler: it installs them with apt-get
# where it can (as root, or with sudo that needs no password), else stops with one line saying how.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test system-deps lint golden schema templates bench clean FORCE

# .venv belongs to one Python: a .venv made by another one (another version, or the same version
# installed elsewhere), or whose python no longer runs, is deleted and made again.  Checked on
# every run by asking both interpreters who they are (no pip call when nothing changed).
PY_ID := import sys; print(sys.version, sys.base_prefix)
venv_python := $(shell $(BIN)/python -I -S -c '$(PY_ID)' 2>/dev/null)
want_python := $(shell $(PYTHON) -I -S -c '$(PY_ID)' 2>/dev/null)
ifneq ($(venv_python),$(want_python))
  VENV_STALE := yes
endif

# Made again when pyproject.toml changes (reinstall into the same .venv) or .venv is stale.
$(STAMP): pyproject.toml $(if $(VENV_STALE),FORCE)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "make: Python 3.11+ is needed and '$(PYTHON)' is not one; e.g. make $(or $(MAKECMDGOALS),demo) PYTHON=python3.12" >&2; exit 1; }
	@if [ -n "$(VENV_STALE)" ] && [ -e $(VENV) ]; then \
	  echo "make: $(VENV) was made by another Python (or is broken): making it again with $(PYTHON)"; \
	  rm -rf $(VENV); \
	fi
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

## test: run the whole test suite (installs LibreOffice and poppler first if they are missing)
test: system-deps $(STAMP)
	$(BIN)/python -m pytest

# LibreOffice Writer, Arial-metric fonts and poppler, for the PDF tests (`make demo` needs none of
# them): silent when present; else installed with apt-get, or make stops with one line saying how.
system-deps:
	@sh tools/ensure_system_deps.sh

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

FORCE:
