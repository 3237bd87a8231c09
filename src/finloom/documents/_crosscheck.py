"""Cross-checks of what a document says against what an applicant declared, and signs of editing.

Each check returns :class:`Finding` s with evidence boxes on the cleaned page: name mismatch
(tolerant of order, case, accents and one misread character), income off by more than a share,
a document older than N days or dated in the future, an expired ID, totals or balances that do
not add up, an ID number whose check digit is wrong, and an amount printed in another font or size
than the other numbers of the page (glyph height and stroke width of the OCR word boxes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import statistics
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from finloom.documents._extract import ExtractedField, Extraction
from finloom.documents._fake import valid_cn_id, valid_en_id
from finloom.documents._glyphs import glyph_stats, is_number
from finloom.documents._templates import FIELD_KINDS, template
from finloom.documents._values import has_cjk

__all__ = [
    "FRAUD_CHECKS",
    "CheckOptions",
    "Declared",
    "Finding",
    "check_document",
    "name_similarity",
]

_NUMBER_KINDS = ("amount", "account", "id")  # fields whose digits are compared for the font check
# checks whose finding marks a document as suspected fraud (the others ask for a second look)
FRAUD_CHECKS = (
    "name_mismatch",
    "stale_document",
    "future_date",
    "expired_id",
    "income_mismatch",
    "totals_mismatch",
    "balance_mismatch",
    "id_check_digit",
    "id_mismatch",
    "font_mismatch",
)


@dataclass(frozen=True)
class Declared:
    """What the applicant declared: name, monthly income, ID number and the application date."""

    name: str | None = None
    monthly_income: float | None = None
    id_number: str | None = None
    as_of: dt.date | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Declared:
        """From JSON (``as_of`` as YYYY-MM-DD).

        Examples
        --------
        >>> Declared.from_dict({"name": "Ann Lee", "as_of": "2026-03-01"}).as_of
        datetime.date(2026, 3, 1)
        """
        as_of = data.get("as_of")
        income = data.get("monthly_income")
        return cls(
            name=data.get("name"),
            monthly_income=None if income is None else float(income),
            id_number=data.get("id_number"),
            as_of=dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of,
        )


@dataclass(frozen=True)
class CheckOptions:
    """Tolerances of the checks."""

    income_tolerance: float = 0.10  # share the document's income may differ from the declared one
    max_age_days: int = 90  # a document dated earlier than this before the application is stale
    name_threshold_latin: float = 0.7  # similarity below which two Latin-script names differ
    name_threshold_cjk: float = (
        0.4  # the same for Chinese names (2-3 characters: one misread char passes)
    )
    height_tolerance: float = (
        0.09  # a number's glyph height may differ this much from the page's others
    )
    stroke_range: tuple[float, float] = (
        0.7,
        1.4,
    )  # allowed ratio of its stroke width to the others'


@dataclass
class Finding:
    """One check result: its name, severity (high/medium/info), message, field and evidence boxes."""

    check: str
    severity: str
    message: str
    field: str | None = None
    boxes: list[list[int]] = dataclasses.field(default_factory=list)
    evidence: dict[str, Any] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def _plain(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^\w\s]", " ", text)


def name_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two names, ignoring case, accents, punctuation and the order of parts.

    Examples
    --------
    >>> name_similarity("Lee, Ann", "ann lee"), round(name_similarity("王小明", "王小朋"), 2)
    (1.0, 0.67)
    >>> name_similarity("José Ortiz", "Jose ORTIZ") == 1.0, name_similarity("Ann Lee", "Bo Chan") < 0.5
    (True, True)
    """
    ta, tb = sorted(_plain(a).split()), sorted(_plain(b).split())
    if has_cjk(a) or has_cjk(b):
        ta, tb = ["".join(ta)], ["".join(tb)]
    return difflib.SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()


def _box(f: ExtractedField | None) -> list[list[int]]:
    return [list(f.box)] if f is not None and f.box else []


def _amount(ex: Extraction, key: str) -> float | None:
    f = ex.fields.get(key)
    return float(f.value) if f is not None and f.value is not None else None


def _check_name(ex: Extraction, declared: Declared, opts: CheckOptions) -> list[Finding]:
    f = ex.fields.get("name")
    if not declared.name or f is None or not f.value:
        return []
    if has_cjk(declared.name) != has_cjk(f.value):
        return [
            Finding(
                "name_unverified",
                "info",
                f"the document's name {f.value!r} is in another script than the "
                f"declared {declared.name!r}; compare them by hand",
                "name",
                _box(f),
            )
        ]
    score = name_similarity(declared.name, f.value)
    limit = opts.name_threshold_cjk if has_cjk(f.value) else opts.name_threshold_latin
    if score < limit:
        return [
            Finding(
                "name_mismatch",
                "high",
                f"the name on the document ({f.value}) is not the declared name "
                f"({declared.name}); similarity {score:.2f} < {limit}",
                "name",
                _box(f),
                {"similarity": score},
            )
        ]
    return []


def _check_dates(ex: Extraction, declared: Declared, opts: CheckOptions) -> list[Finding]:
    tpl = template(ex.doc_type or "payslip", ex.lang)
    f = ex.fields.get(tpl.date_field)
    if declared.as_of is None or f is None or not f.value:
        return []
    day = dt.date.fromisoformat(f.value)
    if tpl.date_field == "expiry_date":
        return (
            [
                Finding(
                    "expired_id",
                    "high",
                    f"the ID expired on {day} before the application date {declared.as_of}",
                    tpl.date_field,
                    _box(f),
                )
            ]
            if day < declared.as_of
            else []
        )
    if day > declared.as_of:
        return [
            Finding(
                "future_date",
                "high",
                f"the document is dated {day}, after the application date {declared.as_of}",
                tpl.date_field,
                _box(f),
            )
        ]
    age = (declared.as_of - day).days
    if age > opts.max_age_days:
        return [
            Finding(
                "stale_document",
                "high",
                f"the document is {age} days old (dated {day}); at most "
                f"{opts.max_age_days} days are accepted",
                tpl.date_field,
                _box(f),
                {"age_days": age},
            )
        ]
    return []


def _check_income(ex: Extraction, declared: Declared, opts: CheckOptions) -> list[Finding]:
    tpl = template(ex.doc_type or "payslip", ex.lang)
    if declared.monthly_income is None or tpl.amount_field is None:
        return []
    value = _amount(ex, tpl.amount_field)
    if value is None:
        return []
    monthly = value / 12 if tpl.amount_field == "annual_salary" else value
    gap = abs(monthly - declared.monthly_income) / max(declared.monthly_income, 1e-9)
    if gap > opts.income_tolerance:
        return [
            Finding(
                "income_mismatch",
                "high",
                f"the document shows a monthly income of {monthly:,.2f}; "
                f"declared {declared.monthly_income:,.2f} ({gap:.0%} apart, more than "
                f"{opts.income_tolerance:.0%})",
                tpl.amount_field,
                _box(ex.fields[tpl.amount_field]),
                {"document": monthly, "declared": declared.monthly_income},
            )
        ]
    return []


def _check_totals(ex: Extraction) -> list[Finding]:
    out = []
    if ex.doc_type == "payslip":
        gross, ded, net = (_amount(ex, k) for k in ("gross_income", "deductions", "net_income"))
        if None not in (gross, ded, net) and abs(gross - ded - net) > 0.015:  # type: ignore[operator]
            out.append(
                Finding(
                    "totals_mismatch",
                    "high",
                    f"gross pay {gross:,.2f} minus deductions {ded:,.2f} is not "
                    f"the net pay {net:,.2f}",
                    "net_income",
                    sum(
                        (_box(ex.fields[k]) for k in ("gross_income", "deductions", "net_income")),
                        [],
                    ),
                )
            )
    if ex.doc_type == "utility_bill":
        keys = ("previous_balance", "payments", "current_charges", "amount_due")
        prev, paid, current, due = (_amount(ex, k) for k in keys)
        if None not in (prev, paid, current, due) and abs(prev - paid + current - due) > 0.015:  # type: ignore[operator]
            out.append(
                Finding(
                    "totals_mismatch",
                    "high",
                    f"previous balance {prev:,.2f} minus payments {paid:,.2f} plus charges "
                    f"{current:,.2f} is not the amount due {due:,.2f}",
                    "amount_due",
                    sum((_box(ex.fields[k]) for k in keys), []),
                )
            )
    if ex.doc_type == "employment_letter":
        annual, monthly = _amount(ex, "annual_salary"), _amount(ex, "monthly_salary")
        if (
            annual is not None
            and monthly is not None
            and abs(annual - 12 * monthly) > 0.12 + 0.001 * annual
        ):
            out.append(
                Finding(
                    "totals_mismatch",
                    "high",
                    f"the annual salary {annual:,.2f} is not 12 times the "
                    f"monthly salary {monthly:,.2f}",
                    "annual_salary",
                    _box(ex.fields["annual_salary"]) + _box(ex.fields["monthly_salary"]),
                )
            )
    if ex.doc_type == "bank_statement" and ex.transactions:
        opening, closing = _amount(ex, "opening_balance"), _amount(ex, "closing_balance")
        if opening is not None and closing is not None:
            total = opening + sum(float(t["amount"]) for t in ex.transactions)
            if abs(total - closing) > 0.015:
                out.append(
                    Finding(
                        "balance_mismatch",
                        "high",
                        f"opening balance {opening:,.2f} plus the "
                        f"{len(ex.transactions)} transactions is {total:,.2f}, not the closing balance "
                        f"{closing:,.2f}",
                        "closing_balance",
                        _box(ex.fields["opening_balance"]) + _box(ex.fields["closing_balance"]),
                    )
                )
    return out


def _check_id(ex: Extraction, declared: Declared) -> list[Finding]:
    f = ex.fields.get("id_number")
    if ex.doc_type != "id_card" or f is None or not f.value:
        return []
    valid = valid_cn_id(f.value) if ex.lang == "zh" else valid_en_id(f.value)
    out = (
        []
        if valid
        else [
            Finding(
                "id_check_digit",
                "high",
                f"the ID number {f.value} has a wrong check digit (misread or not a real number)",
                "id_number",
                _box(f),
            )
        ]
    )
    if declared.id_number and declared.id_number.upper() != f.value:
        out.append(
            Finding(
                "id_mismatch",
                "high",
                f"the ID number {f.value} is not the declared {declared.id_number}",
                "id_number",
                _box(f),
            )
        )
    return out


def _check_fonts(ex: Extraction, opts: CheckOptions) -> list[Finding]:
    """Amounts whose digits are taller, shorter, bolder or thinner than the page's other numbers."""
    if ex.page is None:
        return []
    numbers: list[tuple[str, Any]] = []  # (field, stats) of every number printed as a field value
    for key, f in ex.fields.items():
        if FIELD_KINDS.get(key) not in _NUMBER_KINDS:  # dates: OCR boxes may hold CJK characters too
            continue
        for w in f.words:
            stats = glyph_stats(ex.page, w.box) if is_number(w.text) else None
            if stats is not None:
                numbers.append((key, stats))
    out = []
    for key, f in ex.fields.items():
        if FIELD_KINDS.get(key) != "amount":
            continue
        mine = [s for k, s in numbers if k == key]
        others = [s for _, s in numbers]  # the page's numbers, this one included: a robust centre
        if not mine or len(others) < 3:  # with two numbers, neither can be told to be the odd one
            continue
        h = max(s.height for s in mine) / statistics.median(s.height for s in others)
        st = statistics.median(s.stroke for s in mine) / max(
            statistics.median(s.stroke for s in others), 1e-6
        )
        lo, hi = opts.stroke_range
        if abs(h - 1) > opts.height_tolerance or not lo <= st <= hi:
            out.append(
                Finding(
                    "font_mismatch",
                    "high",
                    f"the {key.replace('_', ' ')} is printed in another font or size "
                    f"than the page's other numbers (height x{h:.2f}, stroke x{st:.2f}): it may have been "
                    "edited",
                    key,
                    _box(f),
                    {"height_ratio": round(h, 3), "stroke_ratio": round(st, 3)},
                )
            )
    return out


def check_document(
    ex: Extraction, declared: Declared | None = None, options: CheckOptions | None = None
) -> list[Finding]:
    """Every finding for one read page against ``declared`` data.

    Examples
    --------
    >>> from finloom.documents._extract import read_page
    >>> from finloom.documents._generator import generate_document
    >>> doc = generate_document("payslip", "en", noise="none", fraud="name_mismatch", seed=4)
    >>> found = check_document(read_page(doc.image, "en"), Declared.from_dict(doc.truth["declared"]))
    >>> [f.check for f in found]
    ['name_mismatch']
    """
    declared, opts = declared or Declared(), options or CheckOptions()
    if ex.doc_type is None:
        return [
            Finding(
                "unreadable", "medium", "; ".join(ex.notes) or "the document was not recognised"
            )
        ]
    out = [
        Finding("missing_field", "medium", f"{key.replace('_', ' ')} could not be read", key)
        for key, f in ex.fields.items()
        if f.value is None
    ]
    for check in (
        _check_name(ex, declared, opts),
        _check_dates(ex, declared, opts),
        _check_income(ex, declared, opts),
        _check_totals(ex),
        _check_id(ex, declared),
        _check_fonts(ex, opts),
    ):
        out += check
    return out
