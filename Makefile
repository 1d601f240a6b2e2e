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

.PHONY: venv deb-packages test test-cpp test-python demo bench bench-vectorize bench-analyzer clean

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
	# setuptools and wheel: test dependencies published as sdists only (PyICU) build without isolation too
	$(PY) -m pip install -q "scikit-build-core>=0.10" "pybind11>=3.0" "cmake>=3.24" ninja setuptools wheel
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

# The main job on the bundled sample articles: a table in the terminal, then the JSON and the report.
demo: venv
	$(VENV)/bin/themescope analyze python/themescope/datasets/data/sample_articles --format table --clusters auto --cross-language
	@mkdir -p demo-output
	$(VENV)/bin/themescope analyze python/themescope/datasets/data/sample_articles --format json --clusters auto --cross-language --quiet -o demo-output/analysis.json
	$(VENV)/bin/themescope report python/themescope/datasets/data/sample_articles --clusters auto --cross-language --title "Sample articles" --quiet -o demo-output/report.html
	@echo
	@echo "Written: $(CURDIR)/demo-output/analysis.json (schema: python/themescope/schemas/analyze.schema.json)"
	@echo "         $(CURDIR)/demo-output/report.html (open it in a browser)"

# One after the other (never in parallel, even under make -j): each needs the CPUs to itself.
bench: venv
	$(MAKE) $(VENV)/.stamp-bench
	$(PY) benchmarks/bench_vectorize.py
	$(PY) benchmarks/bench_analyzer.py
	$(PY) benchmarks/bench_similarity.py
	$(PY) benchmarks/bench_boilerplate.py

bench-vectorize: venv
	$(PY) benchmarks/bench_vectorize.py

bench-analyzer: venv
	$(PY) benchmarks/bench_analyzer.py

.PHONY: bench-boilerplate
bench-boilerplate: venv
	$(PY) benchmarks/bench_boilerplate.py

.PHONY: bench-kmeans bench-similarity
bench-kmeans: venv
	$(PY) benchmarks/bench_kmeans.py

# The benchmarks' peers: pyproject's `bench` extra, installed without rebuilding themescope.
$(VENV)/.stamp-bench: $(VENV)/.stamp-tools pyproject.toml
	$(PY) -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['bench']))" \
	  | xargs -d '\n' $(PY) -m pip install -q
	touch $@

bench-similarity: venv $(VENV)/.stamp-bench
	$(PY) benchmarks/bench_similarity.py

clean:
	rm -rf build $(VENV) demo-output

