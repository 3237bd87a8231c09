#!/usr/bin/env bash
# Set up finloom on a fresh machine: a virtualenv with CPU torch and every extra.
# Usage: scripts/setup.sh [--with-test-tools]   (idempotent; quick when already done)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=${FINLOOM_VENV:-.venv}
PIP="$VENV/bin/pip"
export PIP_DISABLE_PIP_VERSION_CHECK=1
# Say what is happening: the first run installs ~2 GB of wheels and takes several minutes.
step() { printf '[setup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
# pip prints each package it collects and, on a terminal, its download progress bars.
if [ -t 1 ]; then PIP_PROGRESS=on; else PIP_PROGRESS=off; fi

if [ ! -x "$VENV/bin/python" ]; then
  step "creating the virtualenv $VENV"
  "$PY" -m venv "$VENV"
fi

# CPU torch first: a looser spec would pull a multi-GB CUDA build.
if ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  step "installing CPU PyTorch 2.13.0 (the largest download: a few minutes on the first run)"
  "$PIP" install --progress-bar "$PIP_PROGRESS" "torch==2.13.0"
fi

stamp="$VENV/.finloom-installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  step "installing finloom and its dependencies (transformers, onnxruntime, arch, dask, ...)"
  "$PIP" install --progress-bar "$PIP_PROGRESS" -e ".[all,dev]"
  # skfolio's bundled price files are the advisor's demo data; its own requirements (cvxpy-base)
  # would clash with the cvxpy that the advisor pins, so only the package itself is installed
  "$PIP" install --progress-bar "$PIP_PROGRESS" --no-deps "skfolio==1.12.2"
  touch "$stamp"
  step "installed"
else
  step "dependencies already installed ($VENV)"
fi

if [ "${1:-}" = "--with-test-tools" ]; then
  # Debian's Chromium drives the browser tests; CJK fonts make Chinese PDFs and screenshots legible.
  if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    step "installing Debian chromium and CJK fonts for the browser tests"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
  # Tesseract OCR (English and Simplified Chinese) reads documents: finloom documents, the Documents page.
  if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -q chi_sim; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    step "installing Debian tesseract-ocr (eng, chi_sim) for document OCR"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim >/dev/null
  fi
  # espeak-ng (English and Mandarin voices) speaks the assistant's replies and the voice tests' utterances.
  if ! command -v espeak-ng >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    step "installing Debian espeak-ng for the assistant's speech output"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq espeak-ng >/dev/null
  fi
  # The PostgreSQL server used by the store tests (started if this machine has one that is down).
  if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if command -v pg_ctlcluster >/dev/null 2>&1; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
  fi
  # The Redis server used by the monitoring stream tests (installed if missing, started if down).
  if ! command -v redis-server >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    step "installing Debian redis-server for the stream tests"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null || true
  fi
  if command -v redis-server >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null || true
  fi
fi

if ! command -v tesseract >/dev/null 2>&1; then
  step "note: tesseract is not installed, so document OCR (finloom documents, the Documents page) will not work;" \
       "install it with: sudo apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim" \
       "(or run scripts/setup.sh --with-test-tools)"
fi
