"""The shared HTML helpers escape text and embed figures."""

from __future__ import annotations

import base64

from finloom.evaluate._html import figure_img, new_figure, page, section, table


def test_table_escapes_cells() -> None:
    out = table(["<h>"], [["<script>"]])
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;h&gt;" in out


def test_figure_img_embeds_png() -> None:
    with new_figure(2, 2) as fig:
        fig.add_subplot().plot([0, 1], [1, 0])
        tag = figure_img(fig, "line")
    payload = tag.split("base64,")[1].rstrip('">')
    assert base64.b64decode(payload).startswith(b"\x89PNG")


def test_page_wraps_sections() -> None:
    doc = page("T & co", section("S", "<p>x</p>"), subtitle="sub")
    assert "<title>T &amp; co</title>" in doc and "<h2>S</h2>" in doc and doc.endswith("</html>")
