# The two commands in the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# `make demo WITH_SHARED=1` also imports the real public files in ../shared/data.
SHARED ?= ../shared/data

.PHONY: demo test install install-dev migrate serve lint fmt bench evaluate docs-check clean browser report-screenshots screenshots messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-dev: $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"

migrate: install
	$(BIN)/rightstrack manage migrate --noinput

## Set everything up and run the web app on SQLite with the demo data.
demo: install migrate
	$(BIN)/rightstrack demo --host $(HOST):$(PORT) $(if $(WITH_SHARED),--with-shared-data $(SHARED))
	$(BIN)/rightstrack serve --host $(HOST) --port $(PORT)

## Install what the tests need and run every test (SQLite unless DATABASE_URL is set).
test: install-dev
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: install-dev
	$(BIN)/ruff check rightstrack bench
	$(BIN)/ruff format --check rightstrack bench

fmt: install-dev
	$(BIN)/ruff format rightstrack bench
	$(BIN)/ruff check --fix rightstrack bench

serve: install
	$(BIN)/rightstrack serve --host $(HOST) --port $(PORT)

## Speed and memory benchmarks; results go to docs/benchmarks.md.
bench: install-dev
	$(BIN)/python bench/run.py

## Accuracy figures of the analysers on ../shared/data (docs/analysis.md).
evaluate: install-dev
	$(BIN)/python bench/evaluate.py

## Screenshots of generated reports for docs/reports.md (installs poppler-utils if missing).
report-screenshots: install-dev
	command -v pdftoppm >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q poppler-utils)
	$(BIN)/python scripts/report_screenshots.py --out docs/screenshots

## Screenshots of the follow-up pages for docs/follow-up.md: runs the browser tests (they write
## to test-artifacts/screenshots/, git-ignored) and copies the follow-up ones into docs/screenshots/.
## Installs Debian's chromium if missing.
screenshots: install-dev
	command -v chromium >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)
	rm -f test-artifacts/screenshots/followup-*.png
	$(BIN)/python -m pytest -q -n 0 rightstrack/tests/test_browser_followup.py
	cp test-artifacts/screenshots/followup-*.png docs/screenshots/

## Update the French, Spanish and Arabic catalogues from the sources and compile them
## (needs GNU gettext; docs/translations.md). The compiled .mo files are committed.
LANGS ?= fr es ar
MESSAGES_IGNORE := --ignore=.venv --ignore=bench --ignore=scripts --ignore=docs --ignore=build \
	--ignore='*/tests/*' --ignore='*/fixtures/*' --ignore=rightstrack/test.py --ignore=rightstrack/conftest.py
messages: install-dev
	$(BIN)/python manage.py makemessages $(foreach l,$(LANGS),-l $(l)) $(MESSAGES_IGNORE) \
		--no-obsolete --add-location=file
	cd rightstrack && ../$(BIN)/python ../manage.py compilemessages $(foreach l,$(LANGS),-l $(l))

clean:
	rm -rf $(VENV) var build *.egg-info
