"""Repository-level pytest settings: paths never collected (Alembic scripts run only under Alembic)."""

collect_ignore_glob = ["src/finloom/store/migrations/*", "benchmarks/*", ".venv/*"]
