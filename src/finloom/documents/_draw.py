"""Evidence drawn on the page: every extracted field boxed in blue, every finding's boxes in red."""

from __future__ import annotations

from PIL import Image, ImageDraw

from finloom.documents._crosscheck import Finding
from finloom.documents._extract import Extraction

__all__ = ["draw_evidence"]

_FIELD = (40, 110, 220)
_FINDING = (220, 30, 30)


def draw_evidence(ex: Extraction, findings: list[Finding]) -> Image.Image:
    """The cleaned page in colour with field boxes (blue) and finding evidence (red, numbered).

    Examples
    --------
    >>> from finloom.documents._extract import read_page
    >>> from finloom.documents._generator import generate_document
    >>> doc = generate_document("id_card", "en", noise="none", seed=1)
    >>> draw_evidence(read_page(doc.image, "en"), []).mode
    'RGB'
    """
    page = (ex.page or Image.new("L", ex.size, 255)).convert("RGB")
    draw = ImageDraw.Draw(page)
    pad = 4
    for f in ex.fields.values():
        if f.box:
            x0, y0, x1, y1 = f.box
            draw.rectangle((x0 - pad, y0 - pad, x1 + pad, y1 + pad), outline=_FIELD, width=2)
    for number, finding in enumerate((f for f in findings if f.boxes), start=1):
        for x0, y0, x1, y1 in finding.boxes:
            draw.rectangle(
                (x0 - 2 * pad, y0 - 2 * pad, x1 + 2 * pad, y1 + 2 * pad), outline=_FINDING, width=4
            )
            draw.text((x1 + 3 * pad, y0 - 2 * pad), str(number), fill=_FINDING)
    return page
