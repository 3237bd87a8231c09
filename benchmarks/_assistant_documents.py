"""Documents section of the assistant benchmark: fictional payslips, bills and statements made by
the documents engine (English and Chinese, light scan noise) are uploaded in a chat and asked about
their fields; an answer is right when it quotes the field's true value.

The questions are templates written by the author of the answer rules, so the figure mainly
measures OCR and field extraction end to end, not question understanding.
"""

from __future__ import annotations

import io
from typing import Any, Literal

from benchmarks._common import provenance
from finloom.errors import FinloomError

QUESTIONS = {
    "payslip": {"net_income": ("what is my net pay?", "实发工资是多少？"),
                "gross_income": ("what was my gross pay?", "税前应发多少？"),
                "pay_date": ("when was I paid?", "发薪日是哪天？"),
                "employer": ("who is my employer?", "工作单位是哪家？")},
    "utility_bill": {"amount_due": ("how much do I owe on this bill?", "这张账单要交多少钱？"),
                     "bill_date": ("what is the bill date?", "账单日期是哪天？"),
                     "current_charges": ("what are the current charges?", "本期费用是多少？")},
    "bank_statement": {"closing_balance": ("what is the closing balance?", "期末余额是多少？"),
                       "opening_balance": ("what was the opening balance?", "期初余额是多少？"),
                       "statement_date": ("what is the statement date?", "对账单日期是哪天？")},
}


def _expected(field: str, value: str) -> str:
    try:
        return f"{float(value):,.2f}" if field not in ("pay_date", "bill_date", "statement_date") else value
    except ValueError:
        return value


def score_documents(bot: Any, *, seeds: range = range(4),
                    noise: Literal["none", "light", "medium", "heavy"] = "light") -> dict[str, Any]:
    """Upload each generated document, ask each of its questions, check the answer quotes the truth."""
    from finloom.apps.customer_service import read_chat_document
    from finloom.documents import generate_document

    rows: list[dict[str, Any]] = []
    for doc_type, questions in QUESTIONS.items():
        for lang in ("en", "zh"):
            for seed in seeds:
                doc = generate_document(doc_type, lang, noise=noise, seed=seed)
                buf = io.BytesIO()
                doc.image.save(buf, "PNG")
                try:
                    facts = read_chat_document(buf.getvalue(), f"{doc_type}-{seed}.png", lang)
                except FinloomError:
                    facts = None
                session = bot.start_session(customer_id=f"doc-{seed}", lang=lang)
                for field, (en, zh) in questions.items():
                    truth = _expected(field, str(doc.truth["fields"][field]))
                    try:
                        text = bot.attach_document(session.id, facts, zh if lang == "zh" else en).text if facts else ""
                    except FinloomError:
                        text = ""
                    rows.append({"doc_type": doc_type, "lang": lang, "field": field, "ok": truth in text})

    def acc(sub: list[dict[str, Any]]) -> float | None:
        return round(sum(r["ok"] for r in sub) / len(sub), 4) if sub else None

    return {"n": len(rows), "documents": len(QUESTIONS) * 2 * len(seeds), "answer_accuracy": acc(rows),
            "by_lang": {lang: acc([r for r in rows if r["lang"] == lang]) for lang in ("en", "zh")},
            "by_doc_type": {t: acc([r for r in rows if r["doc_type"] == t]) for t in QUESTIONS},
            "noise": noise, "questions": "templates by the answer rules' author (one per field and language)",
            "provenance": provenance()}
