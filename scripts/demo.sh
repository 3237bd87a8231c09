#!/usr/bin/env bash
# Command 1: set up and run the workbench on its embedded default (SQLite, local jobs, demo data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/finloom serve --demo "$@"
