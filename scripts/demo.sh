#!/usr/bin/env bash
# Command 1: set up and run the workbench on its embedded default (SQLite, local jobs, demo data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! command -v tesseract >/dev/null 2>&1; then
  echo "[demo] tesseract is missing: the workbench runs, but reading documents (the Documents page," \
       "finloom documents extract/check) needs: sudo apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim" >&2
fi
exec .venv/bin/finloom serve --demo "$@"
