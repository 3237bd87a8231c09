"""Cross-checks on hand-made extractions (no OCR): names, dates, income, totals, ID digits, fonts."""

from __future__ import annotations

import datetime as dt

import numpy as np
from PIL import Image, ImageDraw

from finloom.documents import (
    Declared,
    ExtractedField,
    Extraction,
    OcrWord,
    check_document,
    generate_documents,
)
from finloom.documents._fonts import font


def _field(value, box=(0, 0, 10, 10), words=()):
    return ExtractedField(value, value or "", 0.9, box, list(words))


def _payslip(**values):
    base = {
        "name": "Ann Lee",
        "employer": "X Ltd",
        "period": "2026-03",
        "pay_date": "2026-03-25",
        "gross_income": "3000.00",
        "deductions": "500.00",
        "net_income": "2500.00",
    }
    fields = {k: _field(v) for k, v in (base | values).items()}
    return Extraction("payslip", "en", fields, [], [], 0.0, (100, 100))


def _checks(ex, **declared):
    return sorted(f.check for f in check_document(ex, Declared(**declared)))


def test_check_document_passes_a_consistent_payslip():
    assert (
        _checks(_payslip(), name="LEE, Ann", monthly_income=2500.0, as_of=dt.date(2026, 4, 10))
        == []
    )


def test_check_document_flags_name_date_income_and_totals():
    ex = _payslip(name="Bo Chan", pay_date="2025-06-25", net_income="4100.00")
    assert _checks(ex, name="Ann Lee", monthly_income=2500.0, as_of=dt.date(2026, 4, 10)) == [
        "income_mismatch",
        "name_mismatch",
        "stale_document",
        "totals_mismatch",
    ]


def test_check_document_flags_a_future_date_and_a_missing_field():
    ex = _payslip(pay_date="2026-05-01", employer=None)
    assert _checks(ex, as_of=dt.date(2026, 4, 10)) == ["future_date", "missing_field"]


def test_check_document_flags_a_wrong_id_check_digit():
    fields = {
        "name": _field("王小明"),
        "sex": _field("男"),
        "birth_date": _field("1949-12-31"),
        "address": _field("江城市"),
        "id_number": _field("110105194912310021"),
        "expiry_date": _field("2030-01-01"),
    }
    ex = Extraction("id_card", "zh", fields, [], [], 0.0, (100, 100))
    assert _checks(ex, as_of=dt.date(2026, 1, 1)) == ["id_check_digit"]


def _number_page(texts_sizes):
    page = Image.new("L", (900, 80 * len(texts_sizes)), 255)
    draw = ImageDraw.Draw(page)
    fields = {}
    for i, (key, text, family, size) in enumerate(texts_sizes):
        box = draw.textbbox((20, 20 + 80 * i), text, font=font(family, size))
        draw.text((20, 20 + 80 * i), text, fill=0, font=font(family, size))
        fields[key] = ExtractedField(
            text.replace(",", ""), text, 0.9, box, [OcrWord(text, 0.9, box)]
        )
    return page, fields


def test_check_document_flags_an_amount_in_another_font_size():
    rows = [
        ("gross_income", "3,000.00", "sans", 30),
        ("deductions", "500.00", "sans", 30),
        ("net_income", "2,500.00", "serif-bold", 36),
    ]
    page, fields = _number_page(rows)
    ex = Extraction("utility_bill", "en", fields, [], [], 0.0, page.size, page=page)
    found = [f for f in check_document(ex) if f.check == "font_mismatch"]
    assert [f.field for f in found] == ["net_income"] and found[0].evidence["height_ratio"] > 1.1
    rows[2] = ("net_income", "2,500.00", "sans", 30)
    page, fields = _number_page(rows)
    assert not [
        f
        for f in check_document(
            Extraction("utility_bill", "en", fields, [], [], 0.0, page.size, page=page)
        )
        if f.check == "font_mismatch"
    ]


def test_generate_documents_is_seeded_and_labels_its_frauds():
    a = generate_documents(3, lang="en", noise="light", fraud_rate=0.7, seed=3)
    b = generate_documents(3, lang="en", noise="light", fraud_rate=0.7, seed=3)
    assert [d.truth for d in a] == [d.truth for d in b]
    assert np.array_equal(np.asarray(a[0].image), np.asarray(b[0].image))
    assert {d.truth["fraud"] for d in a} - {None} <= {
        "edited_amount",
        "wrong_date",
        "name_mismatch",
    }
    assert all("SPECIMEN" not in d.truth["fields"].values() for d in a)
