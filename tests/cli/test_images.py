from __future__ import annotations

import zipfile
from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from finloom.cli.images import app

runner = CliRunner()


def test_images_fit_on_a_folder_and_sample(tmp_path: Path) -> None:
    for label in ("a", "b"):
        (tmp_path / "imgs" / label).mkdir(parents=True)
        for i in range(3):
            Image.new("L", (8, 8), color=40 * i).save(tmp_path / "imgs" / label / f"{i}.png")
    fit = runner.invoke(
        app,
        [
            "fit",
            str(tmp_path / "imgs"),
            "--out",
            str(tmp_path / "m"),
            "--model",
            "ddpm",
            "-p",
            "epochs=1",
            "-p",
            "width=8",
            "-p",
            "timesteps=10",
            "-p",
            "sample_steps=2",
        ],
    )
    assert fit.exit_code == 0, fit.output
    assert "saved DDPMSynthesizer fitted on 6 images [1, 8, 8] (2 classes)" in fit.output
    assert (tmp_path / "m" / "grid.png").is_file() and (
        tmp_path / "m" / "model.safetensors"
    ).is_file()
    out = runner.invoke(
        app,
        [
            "sample",
            str(tmp_path / "m"),
            "-n",
            "4",
            "-l",
            "b",
            "--out",
            str(tmp_path / "s.zip"),
            "--grid",
            str(tmp_path / "g.png"),
        ],
    )
    assert out.exit_code == 0, out.output
    assert sorted(zipfile.ZipFile(tmp_path / "s.zip").namelist())[0].startswith("b/")
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"


def test_images_fit_bad_source_and_model_fail_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fit", "digts", "--out", str(tmp_path / "m")])
    assert (
        result.exit_code == 1
        and "error: SOURCE must be an existing file or folder; got 'digts'" in result.output
    )
    result = runner.invoke(app, ["fit", "digits", "--out", str(tmp_path / "m"), "--model", "gann"])
    assert result.exit_code == 1 and "got 'gann'. Did you mean 'gan'?" in result.output
    result = runner.invoke(
        app, ["sample", str(tmp_path / "nope"), "--out", str(tmp_path / "s.zip")]
    )
    assert result.exit_code == 1 and "error: model path must be a directory" in result.output
