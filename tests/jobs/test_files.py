"""Files named in job parameters stay inside the import roots; messages show no server paths."""

from __future__ import annotations

import pytest

from finloom.config import Settings
from finloom.jobs import InvalidParamsError, import_roots, inside_roots, resolve_import_file
from finloom.workbench import Workbench


@pytest.fixture
def roots(tmp_path):
    ws, extra, outside = tmp_path / "ws", tmp_path / "shared", tmp_path / "outside"
    for folder in (ws / "imports" / "q1", extra, outside):
        folder.mkdir(parents=True)
    (ws / "imports" / "q1" / "test.conll").write_text("Acme B-ORG\n")
    (extra / "big.conll").write_text("Acme B-ORG\n")
    (outside / "secret.txt").write_text("secret")
    (ws / "imports" / "link").symlink_to(outside)
    return import_roots(ws, [extra])


def test_relative_paths_resolve_in_the_imports_folder(roots):
    path = resolve_import_file("q1/test.conll", field="test_path", roots=roots)
    assert path == roots[0] / "q1" / "test.conll"


def test_absolute_paths_inside_an_extra_root_are_accepted(roots):
    assert resolve_import_file(str(roots[1] / "big.conll"), field="test_path", roots=roots).name == "big.conll"


@pytest.mark.parametrize("value", ["../finloom.db", "/etc/passwd", "link/secret.txt", "q1/../../..", "", "a\x00b"])
def test_paths_leaving_the_roots_are_refused(roots, value):
    assert inside_roots(value, roots) is None
    with pytest.raises(InvalidParamsError) as err:
        resolve_import_file(value, field="test_path", roots=roots)
    assert err.value.message == (
        "test_path must be a file inside the workspace's imports folder or a FINLOOM_IMPORT_ROOTS folder; "
        f"got {value!r}. Copy the file into the imports folder and pass its path relative to it."
    )
    assert "secret" not in err.value.message.replace("link/secret.txt", "")


def test_a_missing_file_is_named_by_what_was_given_only(roots):
    with pytest.raises(InvalidParamsError) as err:
        resolve_import_file("q1/nope.conll", field="test_path", roots=roots)
    assert err.value.message == (
        "test_path must be an existing file inside the import folders; got 'q1/nope.conll', which is not there. "
        "Copy the file into the imports folder first."
    )
    assert str(roots[0]) not in err.value.message


def test_the_import_roots_setting_reaches_job_validation(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "test.conll").write_text("Acme B-ORG\n")
    wb = Workbench(Settings(workspace=tmp_path / "ws", import_roots=[shared]), executor_mode="thread").start()
    try:
        assert (wb.workspace / "imports").is_dir()  # created for the user to copy files into
        ctx = wb.jobs.context()
        assert ctx.resolve_import(str(shared / "test.conll"), "test_path") == (shared / "test.conll").resolve()
        assert wb.jobs.config.import_roots == (str(shared),)
    finally:
        wb.close()
