# Dialogue Forum: `make run` serves the embedded default, `make test` runs the whole suite.
PORT ?= 5000
HOST ?= 127.0.0.1
FORWARDED_ALLOW_IPS ?= 127.0.0.1
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PYTHON ?= python3
# Python keeps compiled modules (__pycache__, git-ignored) even where the environment says not to: every
# server, CLI and worker process the tests and benchmarks start would otherwise compile the code again.
unexport PYTHONDONTWRITEBYTECODE
IP_COUNTRY := forum/data/ip_country.bin
# Debian's directory of this machine's shared libraries (e.g. x86_64-linux-gnu), where WeasyPrint's are.
MULTIARCH := $(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_config_var('MULTIARCH') or '')")

.PHONY: run test serve release migrate bench setup assets translations pdf browser wrk nginx lint format extract-messages clean

run: setup ## Set up, migrate, load the demo data and serve http://127.0.0.1:$(PORT)
	$(FLASK) db upgrade
	$(FLASK) forum seed-demo --if-empty
	@echo "Serving http://127.0.0.1:$(PORT)  (Ctrl-C to stop)"
	MAIL_BASE_URL="$${MAIL_BASE_URL:-http://127.0.0.1:$(PORT)}" \
		$(BIN)/gunicorn --worker-class gevent --workers 1 --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

# Production: `make release` builds, `make serve` only starts (docs/deploy.md). Inside a release folder
# (it has a release.json) the release is that folder, else ./release.
RELEASE ?= $(if $(wildcard release.json),.,release)

release: assets pdf ## Build a release in $(RELEASE): the code, a virtualenv without dev extras, hashed assets
	@scripts/ensure-debian-package.sh pkg-config pkg-config "PyICU's build"
	@scripts/ensure-debian-package.sh /usr/include/unicode/coll.h libicu-dev "PyICU's build"
	$(PYTHON) scripts/build_release.py "$(RELEASE)"

# One gevent worker per server process (Socket.IO's long polling needs a client to stay on its process);
# start several with different PORTs behind the proxy (docs/deploy.md). Exec'd: a SIGTERM to make
# reaches the server (scripts/serve).
serve: ## Start the release in $(RELEASE) on $(HOST):$(PORT), configured from the environment (docs/deploy.md)
	@exec scripts/serve "$(RELEASE)" "$(HOST)" "$(PORT)" "$(FORWARDED_ALLOW_IPS)"

migrate: ## Apply the migrations of the release in $(RELEASE) (make serve does it too, one process at a time)
	cd "$(RELEASE)" && FORUM_ENV=production venv/bin/flask --app wsgi db upgrade

test: setup browser wrk nginx ## Set up, then lint and run the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m compileall -q config.py wsgi.py forum bench tests
	$(BIN)/pytest -n 2 -m "not e2e"
	$(BIN)/pytest -m e2e

setup: $(VENV)/.installed assets translations pdf

$(VENV)/.installed: pyproject.toml
	@# PyICU (country names sorted as each UN language sorts) builds against Debian's ICU.
	@scripts/ensure-debian-package.sh pkg-config pkg-config "PyICU's build"
	@scripts/ensure-debian-package.sh /usr/include/unicode/coll.h libicu-dev "PyICU's build"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

assets: static/vendor/.built $(IP_COUNTRY)

static/vendor/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js node_modules/socket.io-client/dist/socket.io.min.js.map static/vendor/
	touch $@

# DB-IP's IP-to-country data (npm, CC BY 4.0), compacted for the sessions page's place of sign-in
# (forum/ip_country.py, forum/data/README.md).
$(IP_COUNTRY): static/vendor/.built scripts/build_ip_country.py
	$(PYTHON) scripts/build_ip_country.py node_modules/@ip-location-db/dbip-country $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d forum/translations

# The report's PDF (forum.pdfs): WeasyPrint lays text out with Pango and HarfBuzz, and needs fonts for
# the six UN languages: DejaVu (Latin, Cyrillic, Arabic), Amiri (Arabic, 2.6 MB) and WenQuanYi Micro Hei
# (Chinese, 5 MB), against 134 MB for the Noto core and CJK families.
pdf: ## Debian's libraries and fonts of the report's PDF
	@scripts/ensure-debian-package.sh /usr/lib/$(MULTIARCH)/libpango-1.0.so.0 libpango-1.0-0 "the report's PDF"
	@scripts/ensure-debian-package.sh /usr/lib/$(MULTIARCH)/libpangoft2-1.0.so.0 libpangoft2-1.0-0 "the report's PDF"
	@scripts/ensure-debian-package.sh /usr/lib/$(MULTIARCH)/libharfbuzz-subset.so.0 libharfbuzz-subset0 "the report's PDF"
	@scripts/ensure-debian-package.sh /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core "the report's PDF"
	@scripts/ensure-debian-package.sh /usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf fonts-hosny-amiri "the report's PDF in Arabic"
	@scripts/ensure-debian-package.sh /usr/share/fonts/truetype/wqy/wqy-microhei.ttc fonts-wqy-microhei "the report's PDF in Chinese"

browser: ## Debian's Chromium for the end-to-end tests
	@scripts/ensure-debian-package.sh /usr/bin/chromium chromium "the browser tests"

wrk: ## Debian's wrk, the load generator of the benchmarks and of their smoke tests
	@scripts/ensure-debian-package.sh wrk wrk "the benchmarks"

nginx: ## Debian's nginx: the micro-cache of docs/deploy.md (its test runs it) and the benchmarks' proxy
	@scripts/ensure-debian-package.sh /usr/sbin/nginx nginx "the micro-cache test and the benchmarks"

bench: setup wrk nginx ## Run the benchmarks (all, or ONLY=<name>): figures in bench/results/<name>.json
	$(BIN)/python -m bench.run $(ONLY)

extract-messages: $(VENV)/.installed ## Refresh the catalogs after changing user-visible strings
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --sort-by-file -o forum/translations/messages.pot .
	$(BIN)/pybabel update -N -i forum/translations/messages.pot -d forum/translations

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/vendor $(IP_COUNTRY) release .pytest_cache .ruff_cache
