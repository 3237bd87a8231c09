"""scripts/setup.sh says what it is doing (the first run takes minutes), with pip's own progress."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def _project(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    # python: the test's interpreter (it has torch); pip: records its arguments and prints like pip
    (bin_dir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (bin_dir / "pip").write_text('#!/bin/sh\necho "pip $*" >> "$(dirname "$0")/pip.log"\necho "Collecting example"\n')
    for f in ("python", "pip"):
        (bin_dir / f).chmod(0o755)
    return tmp_path


def _setup(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FINLOOM_VENV": "venv"}
    return subprocess.run(["bash", "scripts/setup.sh"], cwd=project, env=env, capture_output=True, text=True, timeout=120)


def test_setup_prints_each_step_and_lets_pip_show_progress(tmp_path):
    project = _project(tmp_path)
    first = _setup(project)
    assert first.returncode == 0, first.stderr
    assert "[setup " in first.stderr and "installing finloom and its dependencies" in first.stderr
    assert "Collecting example" in first.stdout  # pip's output is no longer silenced with -q
    calls = (project / "venv" / "bin" / "pip.log").read_text()
    assert "-e .[all,dev]" in calls and " -q" not in calls
    again = _setup(project)
    assert again.returncode == 0 and "dependencies already installed" in again.stderr
