# The whole set-up: `make run` for the demo on 127.0.0.1:8000, `make test` for the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-packages messages migrate demo run frontend-cache test test-e2e test-bench lint-imports bench clean

install: $(INSTALLED) system-packages

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@

# Debian packages the suite needs: gettext for the catalogues, Chromium and npm (for axe-core) for the browser tests,
# Varnish for the frontend cache's tests, nginx and wrk for the page benchmark.
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v varnishd >/dev/null || missing="$$missing varnish"; \
	command -v nginx >/dev/null || missing="$$missing nginx"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

migrate: messages
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(BIN)/python manage.py load_demo --port $(PORT)

# Web, worker and beat on the embedded defaults; Ctrl-C or SIGTERM stops all three (see bin/run).
# exec: bin/run must be make's own child, or make's SIGTERM stops at the shell.
run: demo
	@echo "news57 on http://$(HOST):$(PORT)/ — the demo sites are listed above."
	@export NEWS57_FETCH_ALLOW_HOSTS="$${NEWS57_FETCH_ALLOW_HOSTS:-trunguong.localhost:$(PORT),langson.localhost:$(PORT)}"; \
	exec $(BIN)/python bin/run $(HOST):$(PORT)

# Varnish in front of `make run` (127.0.0.1:6081 → $(HOST):$(PORT)); start `make run` with
# NEWS57_FRONTEND_CACHE=http://127.0.0.1:6081 so that changes are purged (README, "Speed and the frontend cache").
CACHE_LISTEN ?= 127.0.0.1:6081
frontend-cache: system-packages
	exec bin/frontend-cache $(CACHE_LISTEN) $(HOST):$(PORT)

# Dependencies point one way (the layers in pyproject.toml); a lower layer importing a higher one fails here.
lint-imports: install
	$(BIN)/lint-imports --no-cache

# Everything but the browser tests and the benchmarks' whole runs, one process more than there are
# cores (a third of the suite's time is spent waiting on subprocesses, workers and servers: 201 s
# instead of 234 s with one per core, on 2 cores), each test module whole on one of them (its shared
# data is built once); `make test E2E=1` runs the browser tests too, `make test BENCH=1` the benchmarks' runs.
TEST_PROCESSES ?= $(shell echo $$(( $$(nproc) + 1 )))
test: messages lint-imports
	$(BIN)/python manage.py translation_coverage --minimum 95
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile --ignore=tests/e2e -m "not bench" $(PYTEST_ARGS)
ifeq ($(E2E),1)
	$(MAKE) --no-print-directory test-e2e
endif
ifeq ($(BENCH),1)
	$(MAKE) --no-print-directory test-bench
endif

# The browser tests alone: Debian's Chromium through Playwright, with axe-core as package-lock.json pins it.
test-e2e: messages node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

node_modules/axe-core/axe.min.js: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# A benchmark run whole at tiny scale (bench/pages.py: gunicorn, Redis, a worker, Varnish, nginx, wrk):
# a minute of set-up, so a step of its own.
test-bench: install
	$(BIN)/python -m pytest -m bench tests $(PYTEST_ARGS)

# Import throughput (bleach against nh3), fan-out, two-hop latency; throw-away SQLite files unless DATABASE_URL is set.
bench: install
	$(BIN)/python bench/import_throughput.py
	$(BIN)/python bench/fanout.py
	$(BIN)/python bench/compliance.py
	$(BIN)/python bench/two_hop.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/links.py

clean:
	rm -rf var/test-*.sqlite3* var/broker var/celerybeat-schedule*
