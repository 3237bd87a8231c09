import warnings

import pandas as pd
import pytest

from finloom.apps.reports import _charts


def test_chinese_labels_find_a_cjk_font_installed_after_matplotlib_cached_its_list(monkeypatch):
    from matplotlib import font_manager

    if not any(k in p.lower() for p in font_manager.findSystemFonts() for k in _charts._CJK_FILES):
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    # a font cache built before the CJK fonts were installed knows none of them
    stale = [f for f in font_manager.fontManager.ttflist if f.name not in _charts._FONTS[1:]]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    _charts._installed_fonts.cache_clear()
    df = pd.DataFrame({"价格": [1.0, 2.0]}, index=pd.date_range("2024-01-01", periods=2))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # matplotlib warns on each glyph it cannot draw
            assert _charts.line_chart(df, "沪深指数", {"价格": "价格"}).startswith("data:image/png")
        assert not _charts._installed_fonts().isdisjoint(_charts._FONTS[1:])
    finally:
        _charts._installed_fonts.cache_clear()
