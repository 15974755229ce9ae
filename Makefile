# Frontline: two commands matter.
#   make run    build the web files and the release binary, serve on http://127.0.0.1:8080 (SQLite in ./data)
#   make test   every test: formatting, clippy, Rust unit/contract/integration tests, web unit tests, browser test
SHELL := /bin/bash

# The test suite talks to real PostgreSQL and NATS (see .ci/run for starting them).
export FRONTLINE_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
export FRONTLINE_TEST_NATS_URL ?= nats://127.0.0.1:4222

LISTEN ?= 127.0.0.1:8080
DATA ?= ./data

.PHONY: run web web-deps test lint test-rust test-web e2e bench

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
web-deps: web/node_modules/.package-lock.json

web: web-deps
	cd web && npm run build

run: web
	cargo build --release -p frontline-server
	./target/release/frontline serve --listen $(LISTEN) --data $(DATA)

test: lint test-rust test-web e2e

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

test-rust:
	cargo test --workspace

test-web: web-deps
	cd web && npm run typecheck && npm test

# The browser test: Debian's Chromium driven by playwright-core, a real server, screenshots in artifacts/screenshots.
e2e: web-deps
	cargo build -p frontline-server
	cd web && FRONTLINE_BIN=../target/debug/frontline npm run e2e

# Figures for docs/bench.md (release build).
bench:
	cargo build --release -p frontline-server -p frontline-bench
	./target/release/frontline-bench --spawn ./target/release/frontline $(BENCH_ARGS)
