#!/bin/bash
# The bench's side-by-side peer: Matrix Synapse (a durable chat server in Python, from PyPI, in a
# venv kept under ~/.cache/frontline), on 127.0.0.1:14808, on a fresh store each start.
# Usage: synapse.sh start sqlite|postgres|stop
#   postgres: the database frontline_bench_synapse on $SYNAPSE_PG (default the local server),
#   dropped and made again; sqlite: a file in the data folder.
# Knobs: SYNAPSE_PORT, SYNAPSE_VENV, SYNAPSE_DIR, SYNAPSE_PG_HOST/PORT/USER. The log is
# $SYNAPSE_DIR/homeserver.log (warnings only).
#
# What differs from Synapse's defaults, and why: every rate limit lifted (the bench's own rate
# is the point, as FRONTLINE_RATE_LIMITS=false does for us), open registration without e-mail
# (the bench makes its users), presence off (the bench measures messages, not online status),
# no federation key servers (no network here).
set -eu
SYNAPSE_VERSION=1.163.2
PORT=${SYNAPSE_PORT:-14808}
VENV=${SYNAPSE_VENV:-$HOME/.cache/frontline/synapse-$SYNAPSE_VERSION}
DIR=${SYNAPSE_DIR:-/tmp/frontline-bench-synapse}
PGHOST_=${SYNAPSE_PG_HOST:-127.0.0.1}
PGPORT_=${SYNAPSE_PG_PORT:-5432}
PGUSER_=${SYNAPSE_PG_USER:-postgres}
DB=frontline_bench_synapse
up() { curl -fsS "http://127.0.0.1:$PORT/_matrix/client/versions" >/dev/null 2>&1; }
stop() {
  [ -f "$DIR/homeserver.pid" ] || return 0
  pid=$(cat "$DIR/homeserver.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$DIR/homeserver.pid"
}
case "${1:?start sqlite|postgres, or stop}" in
start)
  store=${2:?sqlite or postgres}
  stop
  if ! "$VENV/bin/python" -c 'import synapse, psycopg2' >/dev/null 2>&1; then
    echo "== matrix-synapse $SYNAPSE_VERSION into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
      "matrix-synapse==$SYNAPSE_VERSION" psycopg2-binary
  fi
  rm -rf "$DIR" && mkdir -p "$DIR"
  "$VENV/bin/python" -m synapse.app.homeserver --server-name bench.local \
    --config-path "$DIR/homeserver.yaml" --data-directory "$DIR" \
    --generate-config --report-stats=no >/dev/null
  case "$store" in
  sqlite) database="{name: sqlite3, args: {database: $DIR/homeserver.db}}" ;;
  postgres)
    psql -q -h "$PGHOST_" -p "$PGPORT_" -U "$PGUSER_" -d postgres \
      -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
      -c "CREATE DATABASE $DB ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
    database="{name: psycopg2, args: {user: $PGUSER_, host: $PGHOST_, port: $PGPORT_, database: $DB, cp_min: 5, cp_max: 10}}"
    ;;
  *) echo "the store is sqlite or postgres, not $store" >&2; exit 2 ;;
  esac
  cat > "$DIR/log.yaml" <<LOG
version: 1
formatters: {plain: {format: '%(asctime)s %(levelname)s %(name)s %(message)s'}}
handlers: {file: {class: logging.FileHandler, filename: $DIR/homeserver.log, formatter: plain}}
root: {level: WARNING, handlers: [file]}
disable_existing_loggers: false
LOG
  # The generated file, with the overrides put over it (the venv has PyYAML).
  lift='{per_second: 100000, burst_count: 100000}'
  cat > "$DIR/overrides.yaml" <<CONF
listeners:
  - {port: $PORT, bind_addresses: [127.0.0.1], type: http, tls: false, x_forwarded: false,
     resources: [{names: [client], compress: false}]}
database: $database
log_config: $DIR/log.yaml
pid_file: $DIR/synapse.pid
trusted_key_servers: []
suppress_key_server_warning: true
enable_registration: true
enable_registration_without_verification: true
bcrypt_rounds: 4
presence: {enabled: false}
rc_message: $lift
rc_registration: $lift
rc_login: {address: $lift, account: $lift, failed_attempts: $lift}
rc_joins: {local: $lift, remote: $lift}
rc_joins_per_room: $lift
rc_invites: {per_room: $lift, per_user: $lift, per_issuer: $lift}
rc_room_creation: $lift
rc_3pid_validation: $lift
rc_admin_redaction: $lift
CONF
  "$VENV/bin/python" - "$DIR/homeserver.yaml" "$DIR/overrides.yaml" <<'PY'
import sys, yaml
path, extra = sys.argv[1], sys.argv[2]
conf = yaml.safe_load(open(path))
conf.update(yaml.safe_load(open(extra)))
yaml.safe_dump(conf, open(path, "w"))
PY
  # In the background with its output in a file, so it outlives this script; $! is its pid.
  cd "$DIR"
  "$VENV/bin/python" -m synapse.app.homeserver -c "$DIR/homeserver.yaml" </dev/null >"$DIR/stdout.log" 2>&1 &
  echo $! > "$DIR/homeserver.pid"
  for _ in $(seq 1 240); do up && break; sleep 0.5; done
  up || { echo "Synapse did not start (see $DIR/stdout.log and homeserver.log)" >&2; exit 1; }
  echo "Synapse $SYNAPSE_VERSION ($store) answers on http://127.0.0.1:$PORT"
  ;;
stop) stop ;;
*) echo "start sqlite|postgres, or stop" >&2; exit 2 ;;
esac
