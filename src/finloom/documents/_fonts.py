"""Fonts for rendering documents: DejaVu for Latin text, Noto CJK for Chinese (Debian packages)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from finloom.errors import ConfigError

__all__ = ["FONT_FILES", "font"]

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_NOTO = Path("/usr/share/fonts/opentype/noto")
# family -> (file, face index); the CJK collections hold Simplified Chinese at index 2
FONT_FILES: dict[str, tuple[Path, int]] = {
    "sans": (_DEJAVU / "DejaVuSans.ttf", 0),
    "sans-bold": (_DEJAVU / "DejaVuSans-Bold.ttf", 0),
    "serif": (_DEJAVU / "DejaVuSerif.ttf", 0),
    "serif-bold": (_DEJAVU / "DejaVuSerif-Bold.ttf", 0),
    "mono": (_DEJAVU / "DejaVuSansMono.ttf", 0),
    "cjk-sans": (_NOTO / "NotoSansCJK-Regular.ttc", 2),
    "cjk-sans-bold": (_NOTO / "NotoSansCJK-Bold.ttc", 2),
    "cjk-serif": (_NOTO / "NotoSerifCJK-Regular.ttc", 2),
    "cjk-serif-bold": (_NOTO / "NotoSerifCJK-Bold.ttc", 2),
}


@lru_cache(maxsize=256)
def font(family: str, size_px: int) -> ImageFont.FreeTypeFont:
    """The TrueType font ``family`` at ``size_px`` pixels (cached).

    Examples
    --------
    >>> font("sans", 30).size
    30
    """
    if family not in FONT_FILES:
        raise ConfigError(
            f"font family must be one of {sorted(FONT_FILES)}; got {family!r}. Pick a listed family."
        )
    path, index = FONT_FILES[family]
    if not path.exists():
        package = "fonts-noto-cjk" if family.startswith("cjk") else "fonts-dejavu-core"
        raise ConfigError(
            f"font file must exist; got no {path}. Install the Debian package {package} "
            "(scripts/setup.sh --with-test-tools installs it)."
        )
    return ImageFont.truetype(str(path), size_px, index=index)
