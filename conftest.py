"""Repository-level pytest settings: paths never collected (Alembic scripts run only under Alembic),
and a private temporary folder for each doctest."""

import tempfile

import pytest

collect_ignore_glob = ["src/finloom/store/migrations/*", "benchmarks/*", ".venv/*"]


@pytest.fixture(autouse=True)
def _doctest_temp_folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Examples call ``tempfile.mkdtemp()`` as a reader would; under pytest those folders go to
    pytest's own temporary tree (pruned between runs) instead of piling up in /tmp."""
    if isinstance(request.node, pytest.DoctestItem):
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("doctest")))
