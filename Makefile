# Frontline: two commands matter.
#   make run    build the web files and the release binary, serve on http://127.0.0.1:8080 (SQLite in ./data)
#   make test   every test: formatting, clippy, Rust unit/contract/integration tests, API fuzzing, web unit tests, browser test
SHELL := /bin/bash

# The test suite talks to real PostgreSQL and NATS (see .ci/run for starting them).
export FRONTLINE_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
export FRONTLINE_TEST_NATS_URL ?= nats://127.0.0.1:4222
# The test mail servers (bash .ci/mailstack.sh start): Exim SMTP and Dovecot IMAP on loopback.
export FRONTLINE_TEST_SMTP ?= 127.0.0.1:14025
export FRONTLINE_TEST_IMAP ?= 127.0.0.1:14143
export FRONTLINE_TEST_MAIL_DIR ?= /tmp/frontline-mail
# The test S3-compatible server (bash .ci/s3.sh start): moto on loopback.
export FRONTLINE_TEST_S3 ?= http://127.0.0.1:14900

LISTEN ?= 127.0.0.1:8080
DATA ?= ./data

.PHONY: run web web-deps test lint test-rust api-fuzz server-bin test-web api-types-check e2e bench fuzz

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
web-deps: web/node_modules/.package-lock.json

web: web-deps
	cd web && npm run build

run: web
	cargo build --release -p frontline-server
	./target/release/frontline serve --listen $(LISTEN) --data $(DATA)

test: lint test-rust api-fuzz test-web e2e

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

test-rust:
	cargo test --workspace

test-web: web-deps api-types-check
	cd web && npm run typecheck && npm test

# The console's and the widget's API types (web/src/shared/api-schema.gen.ts) are generated from
# the server's OpenAPI document; this fails when the checked-in file and the server differ.
api-types-check: web-deps server-bin
	@tmp=$$(mktemp --suffix=.ts) && trap 'rm -f "$$tmp"' EXIT && \
	(cd web && FRONTLINE_BIN=../target/debug/frontline node scripts/api-types.mjs --out "$$tmp" >/dev/null) && \
	if ! diff -u web/src/shared/api-schema.gen.ts "$$tmp"; then \
	  echo "api-types-check: web/src/shared/api-schema.gen.ts differs from the server's OpenAPI document;" >&2; \
	  echo "  regenerate it with 'cd web && npm run api-types' and commit it (the diff above is checked-in vs generated)." >&2; \
	  exit 1; \
	fi; echo "api-types-check: web/src/shared/api-schema.gen.ts matches the server"

# The debug server that the API fuzzing and the browser test run.
server-bin:
	cargo build -p frontline-server

# schemathesis with every check against a real server, about 3 minutes (docs/api-fuzzing.md).
# Its venv is kept in ~/.cache/frontline; the report and the server's log go to artifacts/schemathesis.
api-fuzz: server-bin
	.ci/schemathesis.sh target/debug/frontline

# The browser test: Debian's Chromium driven by playwright-core, a real server, screenshots in artifacts/screenshots.
e2e: web-deps server-bin
	cd web && FRONTLINE_BIN=../target/debug/frontline npm run e2e

# Figures for docs/bench.md (release build).
bench:
	cargo build --release -p frontline-server -p frontline-bench
	./target/release/frontline-bench --spawn ./target/release/frontline $(BENCH_ARGS)

# Coverage-guided fuzzing of the pure parsers (cargo-fuzz, libFuzzer; fuzz/ is its own cargo
# project with its own target dir). Not part of `make test` or CI; see docs/fuzzing.md.
# No sanitizer (-s none): that builds on stable Rust. One build, then each target runs for
# FUZZ_SECONDS (the binaries directly, as `cargo fuzz run` would, so every target fuzzes the same
# build). New inputs go to fuzz/generated/ (ignored); the seeds in fuzz/corpus/ are only read.
# Crash inputs land in fuzz/artifacts/TARGET/, logs in fuzz/logs/.
# FUZZ_BUILD_FLAGS=--no-default-features builds without the HTTP crate (all but ws_frame).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= ws_frame automation_doc routing_rules search_query file_sniff
FUZZ_JOBS ?= 1
FUZZ_BUILD_FLAGS ?=

fuzz:
	command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd fuzz && CARGO_BUILD_JOBS=$(FUZZ_JOBS) cargo fuzz build -s none $(FUZZ_BUILD_FLAGS)
	@bin=fuzz/target/$$(rustc -vV | sed -n 's/^host: //p')/release; mkdir -p fuzz/logs; failed=""; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/generated/$$t fuzz/artifacts/$$t; \
	  echo "== $$t: $(FUZZ_SECONDS) s (log: fuzz/logs/$$t.log)"; \
	  if $$bin/$$t -artifact_prefix=fuzz/artifacts/$$t/ -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        fuzz/generated/$$t fuzz/corpus/$$t > fuzz/logs/$$t.log 2>&1; then \
	    grep -E '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs|^stat::' fuzz/logs/$$t.log; \
	  else \
	    failed="$$failed $$t"; grep -E -A 3 'panicked at|ERROR: libFuzzer|Test unit written|No such file' fuzz/logs/$$t.log; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed (crash inputs in fuzz/artifacts/, logs in fuzz/logs/)"; exit 1; fi
