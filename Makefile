# The two commands of the README's quick start. Each installs dependencies when needed.
SHELL := /bin/bash
NPM_STAMP := node_modules/.install-stamp

.PHONY: install build demo eval test typecheck bench clean soak help-time

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# The CLI runs compiled JavaScript (esbuild, pipeline/ and models/ into dist/; build/build.mjs).
# bin/alert-context builds again by itself when a source is newer than the build.
build: $(NPM_STAMP)
	node build/build.mjs

install: build

# The weekly report's browser test needs Debian's chromium (playwright-core drives it).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "make: the weekly report's browser test needs $(CHROMIUM) (Debian's chromium package)"; exit 1; }
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium \
	  || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }

# Raw .evtx files are read through Debian's libevtx-utils (evtxexport); load and its tests need it.
EVTXEXPORT := /usr/bin/evtxexport

$(EVTXEXPORT):
	@command -v apt-get >/dev/null || { echo "make: reading .evtx files needs $(EVTXEXPORT) (Debian's libevtx-utils package)"; exit 1; }
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libevtx-utils \
	  || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libevtx-utils; }

# The scale-out test runs a two-shard ClickHouse cluster on loopback (test/clickhouse-cluster.test.ts):
# Debian's clickhouse-server (18.16), started by the test itself, unprivileged, in a temporary folder.
CLICKHOUSE := /usr/sbin/clickhouse-server

$(CLICKHOUSE):
	@command -v apt-get >/dev/null || { echo "make: the ClickHouse cluster test needs $(CLICKHOUSE) (Debian's clickhouse-server package)"; exit 1; }
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clickhouse-server \
	  || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clickhouse-server; }

typecheck: $(NPM_STAMP)
	node_modules/.bin/tsc -p tsconfig.json --noEmit

test: typecheck build $(CHROMIUM) $(EVTXEXPORT) $(CLICKHOUSE)
	node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile=.tmp/vitest.json; \
	status=$$?; node test/summary-line.mjs .tmp/vitest.json; exit $$status

# The longer fault run: kill -9 at 200 points of a nightly day, 10,000 fuzzed records into the loader.
soak: typecheck
	AC_KILL_TRIALS=200 AC_FUZZ_RECORDS=10000 node_modules/.bin/vitest run test/nightly-faults.test.ts test/load-property.test.ts

# Speed, memory and growth against the floors; writes bench/results.json. Not part of make test.
# BENCH_ARGS=--quick measures the 1,000-host fleet only.
bench: $(NPM_STAMP)
	node_modules/.bin/tsx bench/run-bench.ts $(BENCH_ARGS)

# bin/alert-context --help: median wall time of 10 runs, beside node -e 1 and the load average.
help-time: build
	node build/help-time.mjs 10

demo: install
	bin/alert-context demo

# The labeled real captures in eval/otrf: per-case and overall figures into data/eval/ (about half a minute).
eval: install
	bin/alert-context eval

clean:
	rm -rf data/demo data/eval .tmp dist
