#!/usr/bin/env bash
# Set up finloom on a fresh machine: a virtualenv with CPU torch and every extra.
# Usage: scripts/setup.sh [--with-test-tools]   (idempotent; quick when already done)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=${FINLOOM_VENV:-.venv}
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
PIP="$VENV/bin/pip"
export PIP_DISABLE_PIP_VERSION_CHECK=1

# CPU torch first: a looser spec would pull a multi-GB CUDA build.
"$VENV/bin/python" -c "import torch" 2>/dev/null || "$PIP" install -q "torch==2.13.0"

stamp="$VENV/.finloom-installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  "$PIP" install -q -e ".[all,dev]"
  touch "$stamp"
fi

if [ "${1:-}" = "--with-test-tools" ]; then
  # Debian's Chromium drives the browser tests; CJK fonts make Chinese PDFs and screenshots legible.
  if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
  # The PostgreSQL server used by the store tests (started if this machine has one that is down).
  if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null 2>&1; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
  fi
fi
