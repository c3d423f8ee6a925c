# perfdesk — the two commands in README.md: `make run` and `make test`.
# Every target that needs Python runs `setup` first (scripts/bootstrap.sh: system packages via
# apt-get when missing, .venv, pip install -r requirements.txt only when it changed).

PYTHON_VENV := .venv/bin/python

# extra arguments: make run ARGS="check --db x.sqlite3"; make test PYTEST_ARGS="-k money -x"
ARGS ?=
PYTEST_ARGS ?=

.PHONY: all setup run test bench demo clean distclean

all: test

setup:
	bash scripts/bootstrap.sh

run: setup
	$(PYTHON_VENV) -m app $(ARGS)

test: setup
	QT_QPA_PLATFORM=offscreen $(PYTHON_VENV) -m pytest $(PYTEST_ARGS)

bench: setup
	$(PYTHON_VENV) bench/bench_foundation.py

demo: setup
	$(PYTHON_VENV) -m app demo --db demo.sqlite3 --force

# generated files; keeps .venv (use distclean to remove it too)
clean:
	find . -path ./.venv -prune -o -path ./.git -prune -o \
		\( -name __pycache__ -o -name .pytest_cache \) -type d -print0 | xargs -0 -r rm -rf --
	rm -rf build dist .pytest_cache
	rm -f demo.sqlite3 demo.sqlite3-wal demo.sqlite3-shm demo.sqlite3-journal

distclean: clean
	rm -rf .venv
