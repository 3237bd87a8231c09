"""Publishing version folders: never replace or delete a folder this request did not write."""

from __future__ import annotations

import pytest

from finloom.store._publish import write_version


def _writer(text: str):
    def write(staged):
        staged.mkdir()
        (staged / "data.txt").write_text(text)
        return text

    return write


def test_stale_folder_at_target_is_set_aside_not_deleted(tmp_path):
    stale = tmp_path / "v1"
    stale.mkdir()
    (stale / "data.txt").write_text("left by a crash")
    write_version(stale, _writer("new"), lambda _: None)
    assert (stale / "data.txt").read_text() == "new"
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(".v1.stale-")]
    assert len(aside) == 1 and (aside[0] / "data.txt").read_text() == "left by a crash"


def test_failure_after_publishing_removes_only_own_folder(tmp_path):
    target = tmp_path / "v1"

    def finish_after_someone_else_took_the_path(_):
        (tmp_path / "mine").mkdir()
        target.rename(tmp_path / "mine" / "v1")  # another writer moves ours aside ...
        target.mkdir()  # ... and publishes its own folder at the same path
        (target / "data.txt").write_text("theirs")
        raise RuntimeError("row deleted meanwhile")

    with pytest.raises(RuntimeError, match="row deleted"):
        write_version(target, _writer("ours"), finish_after_someone_else_took_the_path)
    assert (target / "data.txt").read_text() == "theirs"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_failed_write_leaves_nothing(tmp_path):
    def crash(staged):
        staged.mkdir()
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_version(tmp_path / "v1", crash, lambda _: None)
    assert list(tmp_path.iterdir()) == []
