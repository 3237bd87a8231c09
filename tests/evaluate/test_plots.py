"""Report figures stay legible: tick labels, titles and legends at readable sizes."""

from __future__ import annotations

import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.evaluate import _plots
from finloom.evaluate._common import roles_of


@pytest.mark.parametrize("draw", [_plots.marginals_img, _plots.correlation_difference_img, _plots.pca_overlay_img])
def test_figure_text_is_at_least_8_points(draw, monkeypatch):
    sizes: list[float] = []

    def capture(fig, alt):
        for ax in fig.axes:
            labels = ax.get_xticklabels() + ax.get_yticklabels()
            sizes.extend(label.get_fontsize() for label in labels if label.get_text())
            sizes.append(ax.title.get_fontsize())
        return "<img>"

    monkeypatch.setattr(_plots, "figure_img", capture)
    df = pd.DataFrame({"amount": [1.0, 2.5, 3.0, 4.5] * 10, "segment": ["retail", "sme", "retail", "corp"] * 10,
                       "rate": [0.1, 0.3, 0.2, 0.4] * 10})
    draw(df, df, roles_of(Metadata.infer(df)))
    assert sizes and min(sizes) >= 8
