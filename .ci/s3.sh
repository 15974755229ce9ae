#!/bin/bash
# The test suite's S3-compatible server on loopback: moto in server mode (from PyPI, in a venv
# kept under ~/.cache/frontline), on 127.0.0.1:14900. It keeps objects in memory; each test makes
# its own bucket (frontline_testkit::s3).
# Usage: s3.sh start|stop   (knobs: S3_PORT, S3_VENV; the log is /tmp/frontline-s3.log)
set -eu
MOTO_VERSION=5.2.5
PORT=${S3_PORT:-14900}
VENV=${S3_VENV:-$HOME/.cache/frontline/moto-$MOTO_VERSION}
PIDFILE=/tmp/frontline-s3.pid
up() { timeout 1 bash -c "</dev/tcp/127.0.0.1/$PORT" 2>/dev/null; }
case "${1:?start|stop}" in
start)
  if up; then echo "an S3 server answers on 127.0.0.1:$PORT"; exit 0; fi
  if ! "$VENV/bin/moto_server" --help >/dev/null 2>&1; then
    echo "== moto $MOTO_VERSION into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  fi
  # setsid: the server outlives this script without holding its output open.
  setsid "$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" </dev/null >/tmp/frontline-s3.log 2>&1 &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 60); do up && break; sleep 0.5; done
  up || { echo "moto did not start (see /tmp/frontline-s3.log)" >&2; exit 1; }
  echo "moto answers on 127.0.0.1:$PORT"
  ;;
stop)
  [ -f "$PIDFILE" ] && kill "$(cat "$PIDFILE")" 2>/dev/null || true
  rm -f "$PIDFILE"
  ;;
esac
