# themescope: every set-up step lives here, so a fresh Debian machine needs only
# `make demo` or `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
JOBS ?= $(shell nproc)
DEB_PACKAGES := g++ make pkg-config libeigen3-dev libicu-dev libabsl-dev libgtest-dev libstemmer-dev libcld2-dev
# FR/EN parallel chapters for the cross-language acceptance test (tests/python/test_crosslang.py)
DEB_PACKAGES += debian-handbook
# headless browser for the HTML report's rendering test (tests/python/test_report.py)
DEB_PACKAGES += chromium
PACKAGE_SOURCES := $(shell find cpp python -type f 2>/dev/null) CMakeLists.txt pyproject.toml

.PHONY: venv deb-packages test test-cpp test-python demo bench bench-vectorize bench-analyzer clean demo-cli

venv: $(VENV)/.stamp-installed

# apt-get only what is missing, so a second run costs nothing and needs no network.
deb-packages:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.stamp-tools: pyproject.toml | deb-packages
	$(MAKE) deb-packages
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# build back-end in the venv: installs below reuse build/ incrementally (no isolation)
	$(PY) -m pip install -q "scikit-build-core>=0.10" "pybind11>=3.0" "cmake>=3.24" ninja
	touch $@

$(VENV)/.stamp-installed: $(VENV)/.stamp-tools $(PACKAGE_SOURCES)
	$(PY) -m pip install -q --no-build-isolation ".[test]"
	touch $@

# The C++ core on its own (no Python), tested by ctest.
test-cpp: $(VENV)/.stamp-tools
	$(VENV)/bin/cmake -S . -B build/cpp -G Ninja -DTHEMESCOPE_BUILD_PYTHON=OFF -DTHEMESCOPE_BUILD_TESTS=ON >/dev/null
	$(VENV)/bin/cmake --build build/cpp -j $(JOBS)
	cd build/cpp && ../../$(VENV)/bin/ctest --output-on-failure -j $(JOBS)

test-python: venv
	$(PY) -m mypy
	$(PY) -m pytest

test: test-cpp test-python

demo: venv
	$(PY) -m themescope

# One after the other (never in parallel, even under make -j): each needs the CPUs to itself.
bench: venv
	$(PY) benchmarks/bench_vectorize.py
	$(PY) benchmarks/bench_analyzer.py

bench-vectorize: venv
	$(PY) benchmarks/bench_vectorize.py

bench-analyzer: venv
	$(PY) benchmarks/bench_analyzer.py

clean:
	rm -rf build $(VENV) demo-output

# The demo through the themescope command (issue 6; becomes `demo` at merge).
demo-cli: venv
	$(VENV)/bin/themescope analyze python/themescope/datasets/data/sample_articles --format table --clusters auto --cross-language
	@mkdir -p demo-output
	$(VENV)/bin/themescope analyze python/themescope/datasets/data/sample_articles --format json --clusters auto --cross-language --quiet -o demo-output/analysis.json
	$(VENV)/bin/themescope report python/themescope/datasets/data/sample_articles --clusters auto --cross-language --title "Sample articles" --quiet -o demo-output/report.html
	@echo
	@echo "Written: $(CURDIR)/demo-output/analysis.json (schema: python/themescope/schemas/analyze.schema.json)"
	@echo "         $(CURDIR)/demo-output/report.html (open it in a browser)"
