#!/usr/bin/env bash
# Command 2: set up and run the checks: ruff, mypy, then pytest (unit, PostgreSQL, browser, doctests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-test-tools
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 OMP_NUM_THREADS=1 MPLBACKEND=Agg
export FINLOOM_TEST_PG_URL=${FINLOOM_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/pytest --doctest-modules src/finloom tests "$@"
