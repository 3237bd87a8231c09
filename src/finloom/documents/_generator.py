"""Synthetic document images with their ground truth: payslips, statements, bills, letters, ID cards.

Every document is made up (names, employers, addresses, amounts), carries a "SPECIMEN" watermark
and a footer saying so, and comes with its fields as JSON. Fraud variants are planted on request:
an edited amount printed in another font, a wrong date, a name that is not the applicant's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from PIL import Image, ImageChops, ImageDraw

from finloom.documents import _fake as fk
from finloom.documents._fonts import font
from finloom.documents._noise import NoiseLevel, add_noise
from finloom.documents._templates import DOC_TYPES, FIELD_KINDS, TX_HEADER, template
from finloom.documents._values import format_value
from finloom.errors import ConfigError

__all__ = ["FRAUD_VARIANTS", "GeneratedDocument", "generate_document", "generate_documents"]

FraudVariant = Literal["edited_amount", "wrong_date", "name_mismatch"]
FRAUD_VARIANTS: tuple[str, ...] = ("edited_amount", "wrong_date", "name_mismatch")
_PAGE_MM = {"id_card": (120.0, 76.0)}  # an ID card scanned at 140 %; the others A5 portrait
_A5 = (148.0, 210.0)
_FOOTER = {
    "en": "SPECIMEN - fictional document made by finloom, not valid",
    "zh": "样本 - finloom 生成的虚构文件，无效",
}
_WATERMARK = {"en": "SPECIMEN", "zh": "样本 SPECIMEN"}
_ALT_FAMILY = {
    "sans": ["serif", "serif-bold", "sans-bold", "mono"],
    "serif": ["sans", "sans-bold", "mono", "serif-bold"],
    "cjk-sans": ["serif", "sans-bold", "cjk-serif-bold", "mono"],
    "cjk-serif": ["sans", "serif-bold", "cjk-sans-bold", "mono"],
}


@dataclass
class GeneratedDocument:
    """One generated document: the (noisy) page image and its ground truth.

    ``truth`` holds ``doc_type``, ``lang``, ``fields`` (canonical values), ``transactions`` (statements),
    ``declared`` (what the applicant states: name, monthly income, application date ``as_of``),
    ``fraud`` (the planted variant or ``None``), ``seed``, ``noise`` and ``dpi``.
    """

    image: Image.Image
    truth: dict[str, Any] = field(default_factory=dict)


def _money(rng: np.random.Generator, low: float, high: float) -> float:
    return round(float(rng.uniform(low, high)), 2)


def _fields(
    rng: np.random.Generator, doc_type: str, lang: str, as_of: dt.date
) -> tuple[dict[str, str], list[list[str]]]:
    """Canonical field values (strings) of a new document, and a statement's transactions."""
    name = fk.fake_name(rng, lang)
    scale = 7.0 if lang == "zh" else 1.0  # yuan vs a dollar-like unit
    doc_date = as_of - dt.timedelta(days=int(rng.integers(1, 45)))
    f: dict[str, str] = {"name": name}
    tx: list[list[str]] = []
    if doc_type == "payslip":
        gross = _money(rng, 2500, 9000) * scale
        ded = round(gross * float(rng.uniform(0.12, 0.3)), 2)
        f |= {
            "employer": fk.pick(rng, fk.EMPLOYERS[lang]),
            "period": f"{doc_date.year}-{doc_date.month:02d}",
            "pay_date": doc_date.isoformat(),
            "gross_income": f"{gross:.2f}",
            "deductions": f"{ded:.2f}",
            "net_income": f"{gross - ded:.2f}",
        }
    elif doc_type == "bank_statement":
        opening = _money(rng, 200, 20000) * scale
        balance = opening
        start = doc_date - dt.timedelta(days=30)
        for i in range(int(rng.integers(4, 8))):
            day = start + dt.timedelta(days=int(4 * i + rng.integers(0, 4)))
            amount = _money(rng, 1500, 6000) * scale if i == 0 else -_money(rng, 5, 900) * scale
            balance += round(amount, 2)
            tx.append(
                [
                    day.isoformat(),
                    fk.TX_DESCRIPTIONS[lang][0 if i == 0 else 1 + int(rng.integers(6))],
                    f"{amount:.2f}",
                ]
            )
        f |= {
            "bank": fk.pick(rng, fk.BANKS[lang]),
            "account": "****" + f"{int(rng.integers(0, 10000)):04d}",
            "statement_date": doc_date.isoformat(),
            "opening_balance": f"{opening:.2f}",
            "closing_balance": f"{balance:.2f}",
        }
    elif doc_type == "utility_bill":
        number = int(rng.integers(1, 200))
        street, city = fk.pick(rng, fk.STREETS[lang]), fk.pick(rng, fk.CITIES[lang])
        address = f"{city}{street}{number}号" if lang == "zh" else f"{number} {street} {city}"
        f |= {
            "provider": fk.pick(rng, fk.PROVIDERS[lang]),
            "address": address,
            "account": "****" + f"{int(rng.integers(0, 10000)):04d}",
            "bill_date": doc_date.isoformat(),
        }
        previous, current = _money(rng, 20, 400) * scale, _money(rng, 20, 400) * scale
        paid = previous if rng.random() < 0.6 else round(previous * float(rng.uniform(0, 0.9)), 2)
        f |= {
            "previous_balance": f"{previous:.2f}",
            "payments": f"{paid:.2f}",
            "current_charges": f"{current:.2f}",
            "amount_due": f"{previous - paid + current:.2f}",
        }
    elif doc_type == "employment_letter":
        start = doc_date - dt.timedelta(days=int(rng.integers(200, 4000)))
        annual = round(_money(rng, 30000, 110000) * scale, -2)
        f |= {
            "employer": fk.pick(rng, fk.EMPLOYERS[lang]),
            "position": fk.pick(rng, fk.POSITIONS[lang]),
            "start_date": start.isoformat(),
            "annual_salary": f"{annual:.2f}",
            "monthly_salary": f"{annual / 12:.2f}",
            "letter_date": doc_date.isoformat(),
        }
    else:
        birth = dt.date(
            int(rng.integers(1960, 2004)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
        )
        expiry = as_of + dt.timedelta(days=int(rng.integers(100, 3000)))
        f |= {"birth_date": birth.isoformat(), "expiry_date": expiry.isoformat()}
        if lang == "zh":
            f |= {
                "sex": fk.pick(rng, ["男", "女"]),
                "id_number": fk.fake_cn_id(rng, birth),
                "address": f"{fk.pick(rng, fk.CITIES[lang])}{fk.pick(rng, fk.STREETS[lang])}{int(rng.integers(1, 200))}号",
            }
        else:
            f |= {"id_number": fk.fake_en_id(rng)}
    return f, tx


def _declared(doc_type: str, fields: dict[str, str], as_of: dt.date) -> dict[str, Any]:
    income = None
    if doc_type == "payslip":
        income = float(fields["net_income"])
    elif doc_type == "employment_letter":
        income = round(float(fields["annual_salary"]) / 12, 2)
    return {
        "name": fields["name"],
        "monthly_income": income,
        "as_of": as_of.isoformat(),
        **({"id_number": fields["id_number"]} if "id_number" in fields else {}),
    }


def _plant(
    rng: np.random.Generator,
    doc_type: str,
    lang: str,
    fields: dict[str, str],
    variant: str,
    as_of: dt.date,
) -> None:
    """Change ``fields`` in place to carry the fraud ``variant`` (the declared data stays honest)."""
    tpl = template(doc_type, lang)
    if variant == "name_mismatch":
        fields["name"] = fk.fake_name(rng, lang, avoid=fields["name"])
    elif variant == "wrong_date":
        if doc_type == "id_card":
            wrong = as_of - dt.timedelta(days=int(rng.integers(30, 900)))
        elif rng.random() < 0.7:
            wrong = as_of - dt.timedelta(days=int(rng.integers(150, 500)))
        else:
            wrong = as_of + dt.timedelta(days=int(rng.integers(10, 90)))
        fields[tpl.date_field] = wrong.isoformat()
        if doc_type == "payslip":
            fields["period"] = f"{wrong.year}-{wrong.month:02d}"
    else:
        key = _edited_field(doc_type)
        fields[key] = f"{round(float(fields[key]) * float(rng.uniform(1.3, 2.5)), 2):.2f}"


def _edited_field(doc_type: str) -> str:
    return {
        "payslip": "net_income",
        "bank_statement": "closing_balance",
        "utility_bill": "amount_due",
        "employment_letter": "annual_salary",
    }[doc_type]


class _Canvas:
    """A white page in millimetres, recording the pixel box of every field value drawn."""

    def __init__(self, size_mm: tuple[float, float], dpi: int) -> None:
        self.k = dpi / 25.4
        self.image = Image.new("L", (round(size_mm[0] * self.k), round(size_mm[1] * self.k)), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.boxes: dict[str, list[int]] = {}

    def text(
        self,
        x_mm: float,
        y_mm: float,
        text: str,
        family: str,
        pt: float,
        *,
        key: str | None = None,
        right: bool = False,
    ) -> None:
        f = font(family, max(8, round(pt / 72 * 25.4 * self.k)))
        x, y = x_mm * self.k, y_mm * self.k
        if right:
            x -= self.draw.textlength(text, font=f)
        self.draw.text((x, y), text, fill=0, font=f)
        if key:
            self.boxes[key] = [round(v) for v in self.draw.textbbox((x, y), text, font=f)]

    def watermark(self, text: str, shade: int) -> None:
        w, h = self.image.size
        f = font("cjk-sans-bold", max(20, w // max(4, len(text))))
        layer = Image.new("L", (w, h), 0)
        ImageDraw.Draw(layer).text((w * 0.08, h * 0.4), text, fill=255, font=f)
        layer = layer.rotate(25, center=(w / 2, h / 2))
        mark = Image.composite(Image.new("L", (w, h), shade), Image.new("L", (w, h), 255), layer)
        self.image = ImageChops.darker(self.image, mark)
        self.draw = ImageDraw.Draw(self.image)


def _render(
    rng: np.random.Generator,
    doc_type: str,
    lang: str,
    fields: dict[str, str],
    tx: list[list[str]],
    dpi: int,
    edited: str | None,
) -> tuple[Image.Image, dict[str, list[int]]]:
    tpl = template(doc_type, lang)
    w_mm, h_mm = _PAGE_MM.get(doc_type, _A5)
    card = doc_type == "id_card"
    c = _Canvas((w_mm, h_mm), dpi)
    base = fk.pick(rng, ["cjk-sans", "cjk-serif"] if lang == "zh" else ["sans", "serif"])
    bold = base + "-bold"
    pt = (float(rng.uniform(8.0, 9.0)) if card else float(rng.uniform(10.5, 12.0))) * (
        1.12 if lang == "zh" else 1.0
    )
    margin = float(rng.uniform(4.0, 6.0)) if card else float(rng.uniform(11.0, 15.0))
    y = margin
    if tpl.header_field:
        c.text(margin, y, fields[tpl.header_field], bold, pt * 1.25)
        y += pt * 0.7
    c.text(margin, y, tpl.title, bold, pt * (1.2 if card else 1.4))
    y += pt * (0.75 if card else 1.0)
    if doc_type == "employment_letter":
        intro = (
            "兹证明以下人员为我单位正式员工，信息如下。"
            if lang == "zh"
            else "This letter confirms the employment details below."
        )
        c.text(margin, y, intro, base, pt)
        y += pt * 0.9
    label_w = max(len(label) for _, label in tpl.rows) * pt * (
        0.36 if lang == "zh" else 0.2
    ) + float(rng.uniform(5, 9))
    dy = pt * float(rng.uniform(0.8, 0.95)) if card else pt * float(rng.uniform(0.85, 1.0))
    for key, label in tpl.rows:
        c.text(margin, y, label, base, pt)
        value = format_value(FIELD_KINDS[key], fields[key], lang)
        if key == edited:
            family = fk.pick(rng, _ALT_FAMILY[base])
            factor = (
                float(rng.uniform(1.15, 1.3))
                if rng.random() < 0.5
                else float(rng.uniform(0.75, 0.87))
            )
            c.text(margin + label_w, y, value, family, pt * factor, key=key)
        else:
            c.text(margin + label_w, y, value, base, pt, key=key)
        y += dy
    if tx:
        y += dy * 0.3
        head = TX_HEADER[lang]
        c.text(margin, y, head[0], bold, pt)
        c.text(margin + 36, y, head[1], bold, pt)
        c.text(w_mm - margin, y, head[2], bold, pt, right=True)
        for i, (day, desc, amount) in enumerate(tx):
            y += dy * 0.85
            c.text(margin, y, format_value("date", day, lang), base, pt * 0.9, key=f"tx{i}_date")
            c.text(margin + 36, y, desc, base, pt * 0.9)
            c.text(
                w_mm - margin,
                y,
                format_value("amount", amount, lang),
                base,
                pt * 0.9,
                right=True,
                key=f"tx{i}_amount",
            )
    c.text(
        margin,
        h_mm - margin * (0.6 if card else 1.0),
        _FOOTER[lang],
        base,
        pt * (0.55 if card else 0.65),
    )
    c.watermark(_WATERMARK[lang], int(rng.integers(222, 240)))
    return c.image, c.boxes


def generate_document(
    doc_type: str = "payslip",
    lang: str = "en",
    *,
    noise: NoiseLevel = "medium",
    fraud: str | None = None,
    dpi: int = 200,
    seed: int = 0,
) -> GeneratedDocument:
    """One fictional document image of ``doc_type`` in ``lang`` with its ground truth.

    Parameters
    ----------
    doc_type : one of payslip, bank_statement, utility_bill, employment_letter, id_card.
    lang : "en" or "zh".
    noise : "none", "light", "medium" (default: rotation up to ±5°, blur, JPEG, uneven light, stains) or "heavy".
    fraud : None or one of edited_amount (not for ID cards), wrong_date, name_mismatch.
    dpi : render resolution, 150-300.
    seed : the same seed gives the same document.

    Examples
    --------
    >>> doc = generate_document("payslip", "en", noise="none", seed=3)
    >>> doc.truth["doc_type"], doc.truth["fraud"], doc.image.mode
    ('payslip', None, 'L')
    >>> sorted(doc.truth["fields"])[:3]
    ['deductions', 'employer', 'gross_income']
    """
    tpl = template(doc_type, lang)
    if not 150 <= dpi <= 300:
        raise ConfigError(f"dpi must be an int in [150, 300]; got {dpi}. Use 200 (the default).")
    if fraud is not None and (
        fraud not in FRAUD_VARIANTS or (fraud == "edited_amount" and doc_type == "id_card")
    ):
        raise ConfigError(
            f"fraud must be None or one of {', '.join(FRAUD_VARIANTS)} (no edited_amount on an ID card); "
            f"got {fraud!r}. Pick another variant."
        )
    rng = np.random.default_rng([seed, DOC_TYPES.index(doc_type), int(lang == "zh")])
    as_of = dt.date(2026, 1, 1) + dt.timedelta(days=int(rng.integers(0, 330)))
    fields, tx = _fields(rng, doc_type, lang, as_of)
    declared = _declared(doc_type, fields, as_of)
    if fraud:
        _plant(rng, doc_type, lang, fields, fraud, as_of)
        if (
            fraud == "edited_amount" and declared["monthly_income"] is not None
        ):  # the applicant declares the edit
            declared = _declared(doc_type, fields, as_of)
    image, boxes = _render(
        rng,
        doc_type,
        lang,
        fields,
        tx,
        dpi,
        _edited_field(doc_type) if fraud == "edited_amount" else None,
    )
    image = add_noise(image, noise, rng)
    truth = {
        "doc_type": tpl.doc_type,
        "lang": lang,
        "fields": fields,
        "transactions": tx,
        "declared": declared,
        "fraud": fraud,
        "seed": seed,
        "noise": noise,
        "dpi": dpi,
        "clean_boxes": boxes,
    }
    return GeneratedDocument(image=image, truth=truth)


def generate_documents(
    n: int,
    *,
    lang: str = "en",
    doc_types: tuple[str, ...] = DOC_TYPES,
    noise: NoiseLevel = "medium",
    fraud_rate: float = 0.0,
    dpi: int = 200,
    seed: int = 0,
) -> list[GeneratedDocument]:
    """``n`` documents cycling through ``doc_types``; a share ``fraud_rate`` carries a fraud variant.

    Document ``i`` uses seed ``seed + i``, so any one can be regenerated alone.

    Examples
    --------
    >>> docs = generate_documents(2, lang="zh", noise="none", seed=5)
    >>> [d.truth["doc_type"] for d in docs], docs[1].truth["seed"]
    (['payslip', 'bank_statement'], 6)
    """
    if n < 0 or not 0.0 <= fraud_rate <= 1.0:
        raise ConfigError(
            f"n must be >= 0 and fraud_rate in [0, 1]; got n={n}, fraud_rate={fraud_rate}. "
            "Pass a count and a share."
        )
    out = []
    for i in range(n):
        doc_type = doc_types[i % len(doc_types)]
        rng = np.random.default_rng([seed + i, 99])
        fraud = None
        if rng.random() < fraud_rate:
            options = [
                v for v in FRAUD_VARIANTS if not (v == "edited_amount" and doc_type == "id_card")
            ]
            fraud = options[int(rng.integers(len(options)))]
        out.append(
            generate_document(doc_type, lang, noise=noise, fraud=fraud, dpi=dpi, seed=seed + i)
        )
    return out
