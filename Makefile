# The whole set-up: `make run` for the demo on 127.0.0.1:8000, `make test` for the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-packages messages migrate demo run test bench clean

install: $(INSTALLED) system-packages

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@

# Debian packages the suite needs: gettext for the catalogues, Chromium for the browser tests.
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
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

# Web, worker and beat on the embedded defaults; Ctrl-C stops all three.
run: demo
	@echo "news57 on http://$(HOST):$(PORT)/ — the demo sites are listed above."
	@trap 'kill 0' INT TERM EXIT; \
	export NEWS57_FETCH_ALLOW_HOSTS="$${NEWS57_FETCH_ALLOW_HOSTS:-trunguong.localhost:$(PORT),langson.localhost:$(PORT)}"; \
	$(BIN)/celery -A cms worker --beat --loglevel=INFO --concurrency=2 & \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

test: messages
	$(BIN)/python -m pytest

# Import throughput (bleach against nh3), fan-out, two-hop latency; throw-away SQLite files unless DATABASE_URL is set.
bench: install
	$(BIN)/python bench/import_throughput.py
	$(BIN)/python bench/fanout.py
	$(BIN)/python bench/two_hop.py

clean:
	rm -rf var/test-*.sqlite3* var/broker var/celerybeat-schedule*
