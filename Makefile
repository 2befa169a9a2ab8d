# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv when it is missing or stale (pyproject.toml newer than the
# install stamp, or a venv whose interpreter no longer starts) and install into it.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test venv translations screenshots bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@if ! $(PY) -c 'import sys' >/dev/null 2>&1; then \
	    rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/fieldinspect $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

# Regenerate the English translation catalogue from the sources, then compile it.
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find ui -name "*.py" | sort) -no-obsolete -ts resources/i18n/fieldinspect_en.ts
	$(VENV)/bin/pyside6-lrelease resources/i18n/fieldinspect_en.ts -qm resources/i18n/fieldinspect_en.qm

# Every page at 1280×800 (officer and team leader, Chinese and English) into docs/screenshots/,
# taken by the touch-layout walk, which fails on what a finger or the screen edge would meet.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen FIELDINSPECT_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/ui/test_touch_layout.py \
	    tests/ui/test_audit_tab_words.py tests/ui/test_main_window.py

# Every benchmark against its reference tool, each ending with one line a script can read
# (name: ratio=… peak_mib=…), collected at the end; ARGS=--quick for small inputs.
bench: $(STAMP)
	$(PY) benchmarks/all.py $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
