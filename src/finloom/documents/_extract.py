"""Layout-aware field extraction: OCR words grouped into lines, labels found by box, values read beside them.

The extractor knows each template's title and labels (as a reviewer knows the forms), finds the
line of each label, and reads the words to the right of the label on that line; it never sees
a document's ground truth.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from finloom.documents._ocr import OcrWord, ocr_words, prepare
from finloom.documents._templates import FIELD_KINDS, TEMPLATES, TX_HEADER, Template, template
from finloom.documents._values import has_cjk, normalize_value

__all__ = [
    "ExtractedField",
    "Extraction",
    "Line",
    "extract_fields",
    "group_lines",
    "read_page",
    "split_cjk",
]

_MIN_LABEL_SCORE = 0.7


@dataclass
class Line:
    """Words on one text line, left to right."""

    words: list[OcrWord]

    @property
    def box(self) -> tuple[int, int, int, int]:
        """The box around every word of the line."""
        return _union([w.box for w in self.words])

    def text(self, start: int = 0) -> str:
        """The line's text from word ``start`` on (no spaces between CJK characters)."""
        out = ""
        for w in self.words[start:]:
            out += w.text if (not out or has_cjk(out[-1]) or has_cjk(w.text[:1])) else " " + w.text
        return out


@dataclass
class ExtractedField:
    """A field read from the page: canonical value (``None`` if unreadable), raw text, confidence, box."""

    value: str | None
    raw: str
    conf: float
    box: tuple[int, int, int, int] | None
    words: list[OcrWord] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "value": self.value,
            "raw": self.raw,
            "conf": round(self.conf, 3),
            "box": list(self.box) if self.box else None,
        }


@dataclass
class Extraction:
    """What was read from one page: document type, language, fields, transactions, words and notes."""

    doc_type: str | None
    lang: str
    fields: dict[str, ExtractedField]
    transactions: list[dict[str, Any]]
    words: list[OcrWord]
    angle: float
    size: tuple[int, int]
    notes: list[str] = field(default_factory=list)
    page: Image.Image | None = field(
        default=None, repr=False
    )  # the cleaned, deskewed page the boxes refer to

    def values(self) -> dict[str, str | None]:
        """Field name → canonical value."""
        return {k: f.value for k, f in self.fields.items()}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (without the words)."""
        return {
            "doc_type": self.doc_type,
            "lang": self.lang,
            "fields": {k: f.to_dict() for k, f in self.fields.items()},
            "transactions": self.transactions,
            "angle": self.angle,
            "size": list(self.size),
            "notes": self.notes,
            "words": len(self.words),
        }


def _union(boxes: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def split_cjk(words: list[OcrWord]) -> list[OcrWord]:
    """Words holding CJK characters split into one word per character (boxes shared out evenly), so a
    label run into its value ("姓名王明") still splits at the label.

    Examples
    --------
    >>> [(w.text, w.box) for w in split_cjk([OcrWord("姓名", .9, (0, 0, 40, 20))])]
    [('姓', (0, 0, 20, 20)), ('名', (20, 0, 40, 20))]
    """
    out = []
    for w in words:
        if not has_cjk(w.text) or len(w.text) == 1:
            out.append(w)
            continue
        x0, y0, x1, y1 = w.box
        step = (x1 - x0) / len(w.text)
        out += [
            OcrWord(c, w.conf, (round(x0 + i * step), y0, round(x0 + (i + 1) * step), y1), x0)
            for i, c in enumerate(w.text)
        ]
    return out


def group_lines(words: list[OcrWord]) -> list[Line]:
    """Words grouped into lines by the vertical centres of their boxes, top to bottom.

    Examples
    --------
    >>> ws = [OcrWord("pay", .9, (60, 12, 90, 30)), OcrWord("Net", .9, (10, 10, 50, 30)),
    ...       OcrWord("12.00", .9, (10, 60, 60, 80))]
    >>> [line.text() for line in group_lines(ws)]
    ['Net pay', '12.00']
    """
    lines: list[tuple[float, float, list[OcrWord]]] = []  # (centre, height, words)
    for w in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        centre = (w.box[1] + w.box[3]) / 2
        if lines and abs(centre - lines[-1][0]) < 0.5 * max(lines[-1][1], w.height):
            c, h, ws = lines[-1]
            ws.append(w)
            lines[-1] = ((c * (len(ws) - 1) + centre) / len(ws), max(h, w.height), ws)
        else:
            lines.append((centre, w.height, [w]))
    return [
        Line(sorted(ws, key=lambda w: (w.anchor if w.anchor >= 0 else w.box[0], w.box[0])))
        for _, _, ws in lines
    ]


def _key(text: str) -> str:
    return "".join(text.split()).casefold().strip(":：")


def _label_match(line: Line, label: str) -> tuple[float, int]:
    """How well the start of ``line`` reads as ``label`` (ratio) and how many words the label spans."""
    target, best = _key(label), (0.0, 0)
    prefix = ""
    for k, w in enumerate(line.words[:12], start=1):
        prefix += _key(w.text)
        score = difflib.SequenceMatcher(None, prefix, target).ratio()
        if score > best[0]:
            best = (score, k)
        if len(prefix) > len(target) + 3:
            break
    return best


def _title_score(lines: list[Line], tpl: Template) -> tuple[float, int]:
    scores = [
        (difflib.SequenceMatcher(None, _key(line.text()), _key(tpl.title)).ratio(), i)
        for i, line in enumerate(lines[:8])
    ]
    return max(scores, default=(0.0, -1))


def _detect_type(lines: list[Line], lang: str) -> tuple[Template | None, int]:
    best: tuple[float, Template | None, int] = (0.0, None, -1)
    for (_, tpl_lang), tpl in TEMPLATES.items():
        if tpl_lang == lang:
            score, index = _title_score(lines, tpl)
            if score > best[0]:
                best = (score, tpl, index)
    return (best[1], best[2]) if best[0] >= 0.6 else (None, -1)


def _field(words: list[OcrWord], kind: str, score: float) -> ExtractedField:
    raw = Line(words).text() if words else ""
    value = normalize_value(kind, raw) if words else None
    conf = score * (sum(w.conf for w in words) / len(words)) if words else 0.0
    return ExtractedField(
        value, raw, conf, _union([w.box for w in words]) if words else None, words
    )


def _assign_labels(
    lines: list[Line], tpl: Template, start: int
) -> dict[str, tuple[int, int, float]]:
    """Each row label's line (index, words spanned, score), best matches first, one label per line."""
    candidates = []
    for key, label in tpl.rows:
        for i in range(start, len(lines)):
            score, k = _label_match(lines[i], label)
            if score >= _MIN_LABEL_SCORE and k < len(lines[i].words):
                candidates.append((score, -i, key, k))
    taken: dict[str, tuple[int, int, float]] = {}
    used: set[int] = set()
    for score, neg_i, key, k in sorted(candidates, reverse=True):
        if key not in taken and -neg_i not in used:
            taken[key] = (-neg_i, k, score)
            used.add(-neg_i)
    return taken


def _transactions(lines: list[Line], lang: str, after: int) -> list[dict[str, Any]]:
    head = _key("".join(TX_HEADER[lang]))
    start = next(
        (
            i
            for i in range(after, len(lines))
            if difflib.SequenceMatcher(None, _key(lines[i].text()), head).ratio() > 0.6
        ),
        None,
    )
    if start is None:
        return []
    rows = []
    for line in lines[start + 1 :]:
        n_date = 1 if lang == "zh" else 3
        day = normalize_value("date", Line(line.words[:n_date]).text())
        amount = (
            normalize_value("amount", line.words[-1].text) if len(line.words) > n_date else None
        )
        if day is None or amount is None:
            break
        rows.append(
            {
                "date": day,
                "description": Line(line.words[n_date:-1]).text(),
                "amount": amount,
                "box": list(line.box),
            }
        )
    return rows


def extract_fields(
    words: list[OcrWord], lang: str, *, doc_type: str | None = None
) -> tuple[str | None, dict[str, ExtractedField], list[dict[str, Any]], list[str]]:
    """Document type, fields, transactions and notes read from OCR ``words`` of one page.

    Examples
    --------
    >>> ws = [OcrWord("PAYSLIP", .95, (10, 10, 200, 40)), OcrWord("Net", .9, (10, 60, 60, 85)),
    ...       OcrWord("pay", .9, (70, 60, 110, 85)), OcrWord("2,437.70", .9, (200, 60, 320, 85))]
    >>> doc_type, fields, _, notes = extract_fields(ws, "en")
    >>> doc_type, fields["net_income"].value, fields["name"].value
    ('payslip', '2437.70', None)
    """
    lines = group_lines(split_cjk(words) if lang == "zh" else words)
    if not lines:
        return doc_type, {}, [], ["no text was found on the page"]
    if doc_type is None:
        tpl, title_i = _detect_type(lines, lang)
        if tpl is None:
            return None, {}, [], ["the document type was not recognised (no known title)"]
    else:
        tpl = template(doc_type, lang)
        title_i = _title_score(lines, tpl)[1]
    assigned = _assign_labels(lines, tpl, max(title_i + 1, 0))
    fields: dict[str, ExtractedField] = {}
    for key, _ in tpl.rows:
        if key in assigned:
            i, k, score = assigned[key]
            fields[key] = _field(lines[i].words[k:], FIELD_KINDS[key], score)
        else:
            fields[key] = _field([], FIELD_KINDS[key], 0.0)
    if tpl.header_field and tpl.header_field not in fields:
        fields[tpl.header_field] = _field(
            lines[title_i - 1].words if title_i >= 1 else [], "text", 1.0
        )
    notes = [f"{key} was not found" for key, f in fields.items() if f.value is None]
    last_row = max((i for i, _, _ in assigned.values()), default=title_i)
    tx = _transactions(lines, lang, last_row + 1) if tpl.doc_type == "bank_statement" else []
    return tpl.doc_type, fields, tx, notes


def read_page(image: Image.Image, lang: str = "en", *, doc_type: str | None = None) -> Extraction:
    """Clean, deskew and OCR one page, then extract its fields (layout-aware).

    Examples
    --------
    >>> from finloom.documents._generator import generate_document
    >>> doc = generate_document("id_card", "en", noise="none", seed=2)
    >>> ex = read_page(doc.image, "en")
    >>> ex.doc_type, ex.fields["id_number"].value == doc.truth["fields"]["id_number"]
    ('id_card', True)
    """
    page, angle = prepare(image)
    words = ocr_words(page, lang)
    doc, fields, tx, notes = extract_fields(words, lang, doc_type=doc_type)
    return Extraction(doc, lang, fields, tx, words, angle, page.size, notes, page)
