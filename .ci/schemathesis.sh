#!/usr/bin/env bash
# API fuzzing: schemathesis with every check against a real server, on a bounded budget.
#
#   .ci/schemathesis.sh [BINARY]      (default target/debug/frontline; this script builds nothing)
#
# Starts the binary on 127.0.0.1 with a free port, a fresh data directory and the rate limits
# on, signs in the demo admin, opens a widget visitor session and makes one of each resource
# (.ci/schemathesis_seed.py), then lets schemathesis drive every operation of /api/openapi.json
# with all checks (.ci/schemathesis.toml says where a 400 is allowed on top, and why). Exits
# non-zero on any failure, or when the server panicked; the server is always stopped. See
# docs/api-fuzzing.md.
#
# Knobs (environment): ST_MAX_EXAMPLES (default 100 per operation and phase), ST_SEED (default
# random, printed: give it to replay a run), ST_WORKERS (default 1), ST_PHASES (default all
# four), ST_VENV (default ~/.cache/frontline/schemathesis-4.32.5), ST_REPORT_DIR (default
# artifacts/schemathesis), ST_ARGS (more arguments for `schemathesis run`).
set -euo pipefail
cd "$(dirname "$0")/.."

ST_VERSION=4.32.5
BIN="${1:-target/debug/frontline}"
MAX_EXAMPLES="${ST_MAX_EXAMPLES:-100}"
# One worker: with two, CPython 3.11's `ast.parse` (which Hypothesis calls from both threads to
# describe a filter) fails now and then with "SystemError: AST constructor recursion depth
# mismatch", a runtime error of the tool, not of the server.
WORKERS="${ST_WORKERS:-1}"
SEED="${ST_SEED:-$(python3 -c 'import random; print(random.randrange(2**31))')}"
VENV="${ST_VENV:-${HOME}/.cache/frontline/schemathesis-${ST_VERSION}}"
REPORT_DIR="${ST_REPORT_DIR:-artifacts/schemathesis}"

[ -x "$BIN" ] || { echo "schemathesis: no server binary at $BIN (run: cargo build -p frontline-server)" >&2; exit 2; }

# The venv is kept between runs; it is made again only when missing or of another version.
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qF "$ST_VERSION"; then
  echo "== schemathesis $ST_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi

WORK="$(mktemp -d)"
SERVER_PID=""
TG_PID=""
stop() {
  if [ -n "$TG_PID" ]; then kill "$TG_PID" 2>/dev/null || true; fi
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap stop EXIT

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
export FRONTLINE_ADMIN_PASSWORD="schemathesis-$RANDOM-$RANDOM"
# The owner's API is on for the run, with its own token (schemathesis sends it as `owner_token`).
export FRONTLINE_OWNER_TOKEN="schemathesis-owner-$RANDOM-$RANDOM-$RANDOM"
export ST_OWNER="$FRONTLINE_OWNER_TOKEN"
mkdir -p "$REPORT_DIR"
REPORT_DIR="$(cd "$REPORT_DIR" && pwd)"
SERVER_LOG="$REPORT_DIR/server.log"

# Telegram is a refusing stand-in on loopback (.ci/telegram_refuses.py): nothing leaves the machine.
TG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 .ci/telegram_refuses.py "$TG_PORT" &
TG_PID=$!
export FRONTLINE_TELEGRAM_API="http://127.0.0.1:$TG_PORT"

echo "== server: $BIN on $BASE (log in $SERVER_LOG)"
RUST_LOG="${RUST_LOG:-warn}" "$BIN" serve --listen "127.0.0.1:$PORT" --data "$WORK/data" \
  --config .ci/schemathesis-server.toml >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server exited; its log:" >&2; cat "$SERVER_LOG" >&2; exit 1; }
  sleep 0.2
done
curl -fsS "$BASE/readyz" >/dev/null

# The demo admin's session cookie, a widget visitor's token, one of each resource, and the run's
# configuration: .ci/schemathesis.toml with the ids of those resources.
config="$WORK/schemathesis.toml"
seeded="$(python3 .ci/schemathesis_seed.py "$BASE" "$FRONTLINE_ADMIN_PASSWORD" .ci/schemathesis.toml "$config")"
export ST_SESSION ST_VISITOR ST_KEY
ST_SESSION="$(printf '%s\n' "$seeded" | sed -n 's/^ST_SESSION=//p')"
ST_VISITOR="$(printf '%s\n' "$seeded" | sed -n 's/^ST_VISITOR=//p')"
ST_KEY="$(printf '%s\n' "$seeded" | sed -n 's/^ST_KEY=//p')"
[ -n "$ST_SESSION" ] && [ -n "$ST_VISITOR" ] && [ -n "$ST_KEY" ] ||
  { echo "could not sign in, open a visitor session or make an API key" >&2; exit 1; }

echo "== schemathesis $ST_VERSION: all checks, $MAX_EXAMPLES examples per operation, seed $SEED, $WORKERS worker(s)"
started=$(date +%s)
status=0
# Excluded: the two operations that end the session the run signs in with (logout, and ending
# one of "my sessions", which may pick this one), and the mail test, which takes no input and
# talks to whatever servers the fuzzed setup names, waiting up to 20 s for its mail
# (crates/server/tests/api/mail.rs tests it against real servers); and suspending a workspace,
# which could name the demo workspace the run signs in to (crates/server/tests/api/workspaces.rs
# tests it).
# From the report directory: schemathesis keeps its cache of failing cases there (.schemathesis/).
# shellcheck disable=SC2086 # ST_ARGS is a list of arguments
(cd "$REPORT_DIR" && "$VENV/bin/schemathesis" --config-file "$config" run "$BASE/api/openapi.json" \
  --checks all --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers "$WORKERS" \
  --phases "${ST_PHASES:-examples,coverage,fuzzing,stateful}" \
  --exclude-name 'POST /api/v1/auth/logout' --exclude-name 'DELETE /api/v1/me/sessions/{id}' \
  --exclude-name 'POST /api/v1/mail/test' --exclude-name 'POST /api/v1/owner/workspaces/{slug}/suspend' \
  --report junit,ndjson --report-dir . \
  --no-color ${ST_ARGS:-}) || status=$?
echo "== schemathesis finished in $(($(date +%s) - started)) s with status $status (seed $SEED)"
# Whether the run's own sign-in lasted: if an operation ended it, what came after it was only
# ever answered 401 and tested less than it seems.
if ! curl -fsS -o /dev/null -H "Cookie: frontline_session=$ST_SESSION" "$BASE/api/v1/me"; then
  echo "note: the admin session the run used had ended by the end of the run" >&2
fi
if grep -q 'panicked' "$SERVER_LOG"; then
  echo "the server panicked during the run:" >&2
  grep -A5 'panicked' "$SERVER_LOG" >&2
  status=1
fi
exit "$status"
