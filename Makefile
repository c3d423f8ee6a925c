# perfdesk — the two commands in README.md: `make run` and `make test`.
# Every target that needs Python runs `setup` first (scripts/bootstrap.sh: system packages via
# apt-get when missing, .venv, pip install -r requirements.txt only when it changed).

PYTHON_VENV := .venv/bin/python

# extra arguments: make run ARGS="check --db x.sqlite3"; make test PYTEST_ARGS="-k money -x"
ARGS ?=
PYTEST_ARGS ?=

.PHONY: all setup run test suites unit-tests pg-tests dist selftest packaging-checks deb deb-check installer bench demo clean distclean

all: test

setup:
	bash scripts/bootstrap.sh

run: setup
	$(PYTHON_VENV) -m app $(ARGS)

# The whole suite, then the frozen program: build the bundle and run its self-test, so every
# change is checked the way a township will run it.
test: suites selftest packaging-checks

# The SQLite and the PostgreSQL runs side by side (one core each); each run's output is printed
# whole when it ends, so the two never interleave.
suites: setup
	$(MAKE) --no-print-directory -j2 --output-sync=target unit-tests pg-tests

# The .deb in a clean Debian root (needs root: debootstrap, chroot) and the NSIS script compiled.
packaging-checks: deb installer
	@if [ "$$(id -u)" = 0 ]; then bash packaging/deb/check_deb.sh; \
	else echo "[packaging] 不是root，跳过 deb-check（需要 debootstrap 和 chroot）"; fi

unit-tests: setup
	QT_QPA_PLATFORM=offscreen $(PYTHON_VENV) -m pytest $(PYTEST_ARGS)

# The service, import and command-line tests (tests/unit) again on a shared PostgreSQL database: a
# throwaway server in a temporary folder (tests/pg.py), a fresh database per test. The tests that
# are about the SQLite file itself skip there (tests/conftest.py: SQLITE_ONLY); test_postgres*.py
# already ran against the server in the normal run.
pg-tests: setup
	QT_QPA_PLATFORM=offscreen PERFDESK_TEST_BACKEND=postgresql $(PYTHON_VENV) -m pytest tests/unit \
		--ignore=tests/unit/test_postgres.py --ignore=tests/unit/test_postgres_backup.py \
		--ignore=tests/unit/test_layering.py $(PYTEST_ARGS)

# PyInstaller one-dir bundle: dist/perfdesk/perfdesk (windowed) and perfdesk-cli (console)
dist: setup
	.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build packaging/perfdesk.spec

selftest: dist
	QT_QPA_PLATFORM=offscreen dist/perfdesk/perfdesk --selftest build/selftest

# dist/perfdesk_<version>_amd64.deb for 统信UOS / 麒麟 (Debian-like)
deb: dist
	bash packaging/deb/build_deb.sh

# install the .deb into a clean minimal Debian 12 root and run the self-test there
deb-check: deb
	bash packaging/deb/check_deb.sh

# Windows installer script compiled with Debian's makensis against the Linux bundle as a stand-in
installer: dist
	bash packaging/windows/check_nsis.sh

bench: setup
	$(PYTHON_VENV) bench/bench_foundation.py
	$(PYTHON_VENV) bench/bench_targets.py
	$(PYTHON_VENV) bench/bench_monitoring.py
	$(PYTHON_VENV) bench/bench_self_eval.py
	$(PYTHON_VENV) bench/bench_exchange.py

# the demo county, and 青石镇's own database with the package it sent, to try the exchange (README)
demo: setup
	$(PYTHON_VENV) -m app demo --db demo.sqlite3 --force --township-dir demo-townships

# generated files; keeps .venv (use distclean to remove it too)
clean:
	find . -path ./.venv -prune -o -path ./.git -prune -o \
		\( -name __pycache__ -o -name .pytest_cache \) -type d -print0 | xargs -0 -r rm -rf --
	rm -rf build dist .pytest_cache
	rm -f demo.sqlite3 demo.sqlite3-wal demo.sqlite3-shm demo.sqlite3-journal demo.sqlite3.lock
	rm -rf demo-townships

distclean: clean
	rm -rf .venv
