"""Reading image sets: arrays, folders and zips; every bad input gives one clear error."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from finloom.errors import ConfigError, InvalidDataError
from finloom.synth.images import (
    as_image_data,
    image_grid,
    load_digits,
    read_image_folder,
    read_image_source,
    read_image_zip,
    write_pngs_zip,
)


def _png(size: tuple[int, int], mode: str = "L", value: int = 128) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, color=value if mode == "L" else (value, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


def _folder(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_folder_labels_come_from_sub_folders_and_jpeg_is_read(tmp_path: Path) -> None:
    jpg = io.BytesIO()
    Image.new("L", (8, 8), color=200).save(jpg, "JPEG")
    root = _folder(
        tmp_path,
        {
            "cat/a.png": _png((8, 8)),
            "dog/b.jpg": jpg.getvalue(),
            "dog/c.PNG": _png((8, 8), value=0),
            "dog/notes.txt": b"ignored",
        },
    )
    data = read_image_folder(root)
    assert data.classes == ("cat", "dog") and data.labels.tolist() == [0, 1, 1]
    assert (
        data.images.shape == (3, 1, 8, 8) and abs(float(data.images[0].mean()) - 128 / 255) < 1e-6
    )


def test_folder_without_sub_folders_is_one_class_and_colour_makes_rgb(tmp_path: Path) -> None:
    data = read_image_folder(
        _folder(tmp_path, {"a.png": _png((8, 8)), "b.png": _png((8, 8), "RGB")})
    )
    assert data.classes == ("all",) and data.images.shape == (2, 3, 8, 8)


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        InvalidDataError,
        match=r"image folder '.*' must contain PNG or JPEG files \(.png, .jpg, .jpeg\); "
        r"got none\. Add images",
    ):
        read_image_folder(tmp_path)


def test_corrupt_png_is_named_in_the_error(tmp_path: Path) -> None:
    root = _folder(tmp_path, {"0/ok.png": _png((8, 8)), "0/bad.png": b"\x89PNG\r\n\x1a\nbroken"})
    with pytest.raises(
        InvalidDataError,
        match=r"file '0/bad.png' must be a readable PNG or JPEG image; got a decode "
        r"error .* Remove or replace it\.",
    ):
        read_image_folder(root)


def test_huge_image_is_refused_before_decoding(tmp_path: Path) -> None:
    # a 10,000 x 10,000 (100-megapixel) PNG: its header alone is checked against max_pixels
    big = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(big, "PNG")
    root = _folder(tmp_path, {"big.png": big.getvalue(), "ok.png": _png((8, 8))})
    with pytest.raises(
        InvalidDataError,
        match=r"image 'big.png' must have at most 4,000,000 pixels; got 10000x10000 "
        r"= 100,000,000\. Shrink it, or raise max_pixels\.",
    ):
        read_image_folder(root)
    with pytest.raises(InvalidDataError, match=r"at most 10 pixels"):
        read_image_folder(_folder(tmp_path / "small", {"a.png": _png((8, 8))}), max_pixels=10)


def test_mixed_sizes_need_image_size(tmp_path: Path) -> None:
    root = _folder(
        tmp_path, {"a.png": _png((8, 8)), "b.png": _png((8, 8)), "c.png": _png((16, 12))}
    )
    with pytest.raises(
        InvalidDataError,
        match=r"images must all have the same size when image_size is not given; got "
        r"2 sizes \(8x8: 2 files, 16x12: 1 files\)\. Pass image_size=N",
    ):
        read_image_folder(root)
    assert read_image_folder(root, image_size=8).images.shape == (3, 1, 8, 8)
    with pytest.raises(
        ConfigError, match=r"image_size must be an int in \[4, 64\] or None; got 100"
    ):
        read_image_folder(root, image_size=100)


def test_large_images_need_image_size(tmp_path: Path) -> None:
    root = _folder(tmp_path, {"a.png": _png((128, 128)), "b.png": _png((128, 128))})
    with pytest.raises(
        InvalidDataError, match=r"images must be square, between 4x4 and 64x64, .*; got 128x128"
    ):
        read_image_folder(root)
    assert read_image_folder(root, image_size=32).shape == (1, 32, 32)


def test_images_at_top_and_in_folders_are_refused(tmp_path: Path) -> None:
    root = _folder(tmp_path, {"a.png": _png((8, 8)), "x/b.png": _png((8, 8))})
    with pytest.raises(
        InvalidDataError, match="must be all in class sub-folders or all at the top; got both"
    ):
        read_image_folder(root)


def test_zip_of_a_folder_reads_like_the_folder() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for label in ("3", "7"):
            for i in range(2):
                zf.writestr(f"digits/{label}/{i}.png", _png((8, 8), value=40 * i))
        zf.writestr("__MACOSX/digits/3/._0.png", b"junk")
    data = read_image_zip(buf.getvalue())
    assert data.classes == ("3", "7") and data.n == 4


def test_bad_zip_and_path_escape_are_refused() -> None:
    with pytest.raises(InvalidDataError, match="the uploaded zip must be a valid zip file"):
        read_image_zip(b"not a zip")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../evil.png", _png((8, 8)))
    with pytest.raises(
        InvalidDataError,
        match="zip entries must be relative paths inside the zip; got '../evil.png'",
    ):
        read_image_zip(buf.getvalue())


def test_arrays_are_checked() -> None:
    with pytest.raises(
        InvalidDataError, match=r"float images must be in \[0, 1\]; got values in \[255, 255\]"
    ):
        as_image_data(np.full((2, 8, 8), 255.0))
    with pytest.raises(InvalidDataError, match="labels must have one entry per image"):
        as_image_data(np.zeros((3, 8, 8)), labels=[1, 2])
    with pytest.raises(InvalidDataError, match="images must number at least 2; got 1"):
        as_image_data(np.zeros((1, 8, 8)))
    assert as_image_data(np.zeros((2, 8, 8)), labels=[10, 9]).classes == (
        "9",
        "10",
    )  # numeric order


def test_bundled_digits_and_sources(tmp_path: Path) -> None:
    assert load_digits().n == 1797 and load_digits(16).shape == (1, 16, 16)
    with pytest.raises(
        InvalidDataError,
        match=r"image source must be 'digits' or 'mnist', .*; got 'digit'\. "
        r"Did you mean 'digits'\?",
    ):
        read_image_source("digit")


def test_grid_has_a_row_per_class_and_zip_a_png_per_image(tmp_path: Path) -> None:
    data = as_image_data(np.zeros((6, 8, 8)), labels=[0, 1, 2] * 2)
    assert image_grid(data, per_class=3).size == (3 * 48 + 4 * 2, 3 * 48 + 4 * 2)
    names = zipfile.ZipFile(write_pngs_zip(data, tmp_path / "s.zip")).namelist()
    assert len(names) == 6 and names[0] == "0/00000.png"


def test_truncated_png_is_named_after_its_header_was_read(tmp_path: Path) -> None:
    good = _png((8, 8))
    root = _folder(tmp_path, {"a.png": good, "b.png": good[: len(good) // 2 + 8]})
    with pytest.raises(
        InvalidDataError, match=r"file 'b.png' must be a readable PNG or JPEG image"
    ):
        read_image_folder(root)
