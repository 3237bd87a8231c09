"""Answers about a document the customer uploaded in the chat (a payslip, bill or statement read
by the documents engine), grounded in the fields read from it: every figure in an answer is a
field value, and a question about a field the page does not show says so."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from finloom.errors import InvalidDataError

__all__ = ["DocumentFacts", "answer_document_question", "asks_about_document", "describe_document"]

# field -> (English label, Chinese label, English cues, Chinese cues); earlier fields win ties
_FIELDS: dict[str, tuple[str, str, str, str]] = {
    "amount_due": ("amount due", "应付金额", r"amount due|how much (?:do i|should i|must i)? ?(?:owe|pay)|to pay|total due|owe",
                   r"应付|应缴|要(?:交|缴|付)多少|欠多少|总共多少"),
    "net_income": ("net pay", "实发工资", r"net|take[- ]home|in my pocket|after (?:tax|deductions)",
                   r"实发|到手|净收入|税后"),
    "gross_income": ("gross pay", "应发工资", r"gross|before (?:tax|deductions)|total (?:pay|income|salary)",
                     r"应发|税前|总收入"),
    "deductions": ("deductions", "扣款合计", r"deduct|withh[eo]ld|tax(?:es)? (?:taken|paid)", r"扣款|扣除|代扣|扣了"),
    "pay_date": ("pay date", "发薪日", r"pay ?day|pay date|paid on|when .*paid", r"发薪|发放日|哪天发"),
    "period": ("pay period", "工资期间", r"period|which month", r"期间|哪个月|所属月份"),
    "previous_balance": ("previous balance", "上期余额", r"previous balance|last (?:bill|balance)", r"上期"),
    "opening_balance": ("opening balance", "期初余额", r"opening|starting balance|balance at the start", r"期初"),
    "closing_balance": ("closing balance", "期末余额", r"closing|ending|final balance|balance (?:at|on) the end|balance",
                        r"期末|结余|余额"),  # after the other balances: a bare "balance" means the closing one
    "current_charges": ("current charges", "本期费用", r"current charges|this (?:month|period)'?s? charges|new charges",
                        r"本期费用|本期|新增费用"),
    "payments": ("payments received", "已付款", r"payments? (?:received|made)|already paid", r"已付|已缴"),
    "bill_date": ("bill date", "账单日期", r"bill date|dated|issued|when .*bill", r"账单日|开具|日期"),
    "statement_date": ("statement date", "对账单日期", r"statement date|dated|issued", r"对账单日期|日期"),
    "employer": ("employer", "工作单位", r"employer|company|who (?:do i work|pays me)", r"单位|公司|雇主"),
    "provider": ("provider", "服务商", r"provider|supplier|company|who (?:is|sent) (?:the|this) bill", r"服务商|供应商|公司"),
    "bank": ("bank", "银行", r"\bbank\b|which bank", r"哪家银行|银行"),
    "account": ("account", "账号", r"account (?:number|no)", r"账号|户号"),
    "name": ("name", "姓名", r"\bname\b|whose", r"姓名|名字|是谁的"),
}
_DOC_NAMES = {
    "payslip": ("payslip", "工资单"), "bank_statement": ("bank statement", "银行对账单"),
    "utility_bill": ("bill", "账单"), "employment_letter": ("employment letter", "在职证明"),
    "id_card": ("ID card", "身份证"), None: ("document", "文件"),
}
_DOC_WORDS = re.compile(r"\b(?:document|payslip|pay ?slip|bill|statement|letter|upload(?:ed)?|this|it)\b|"
                        r"文件|工资单|账单|对账单|证明|这张|上传", re.IGNORECASE)
_AMOUNT_FIELDS = {"amount_due", "net_income", "gross_income", "deductions", "closing_balance", "opening_balance",
                  "current_charges", "previous_balance", "payments"}


@dataclass(frozen=True)
class DocumentFacts:
    """What the documents engine read from an uploaded page: its type, language and fields."""

    name: str
    doc_type: str | None
    lang: str
    fields: dict[str, str | None] = field(default_factory=dict)
    transactions: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view (kept in the chat session)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentFacts:
        """Inverse of :meth:`to_dict`."""
        return cls(str(data["name"]), data.get("doc_type"), str(data.get("lang", "en")),
                   dict(data.get("fields") or {}), int(data.get("transactions", 0)))

    def known(self) -> dict[str, str]:
        """Fields that were read (value not ``None``), in the answer order."""
        return {k: v for k in _FIELDS for v in [self.fields.get(k)] if v}


def _format(name: str, value: str) -> str:
    if name in _AMOUNT_FIELDS:
        try:
            return f"{float(value):,.2f}"
        except ValueError:
            return value
    return value


def _doc_name(facts: DocumentFacts, lang: str) -> str:
    en, zh = _DOC_NAMES.get(facts.doc_type, _DOC_NAMES[None])
    return zh if lang == "zh" else en


def describe_document(facts: DocumentFacts, lang: str = "en") -> str:
    """A one-paragraph summary of what was read, every figure a field value.

    Raises ``InvalidDataError`` when no field could be read (a blank page, a photo without text).

    Examples
    --------
    >>> f = DocumentFacts("bill.png", "utility_bill", "en", {"amount_due": "1234.5", "bill_date": "2026-11-02"})
    >>> describe_document(f)
    'I read your bill (bill.png): amount due 1,234.50; bill date 2026-11-02. Ask me about any of these.'
    """
    known = facts.known()
    if not known:
        raise InvalidDataError(f"document must show readable text; found no fields in {facts.name!r}. "
                               "Upload a sharper photo or the PDF of the payslip, bill or statement.")
    labels = {k: _FIELDS[k][1 if lang == "zh" else 0] for k in known}
    if lang == "zh":
        parts = "；".join(f"{labels[k]} {_format(k, v)}" for k, v in known.items())
        return f"我读取了您的{_doc_name(facts, 'zh')}（{facts.name}）：{parts}。您可以就这些内容提问。"
    parts = "; ".join(f"{labels[k]} {_format(k, v)}" for k, v in known.items())
    return f"I read your {_doc_name(facts, 'en')} ({facts.name}): {parts}. Ask me about any of these."


def _asked_field(question: str, lang: str, facts: DocumentFacts) -> str | None:
    """The field a question asks about: the first whose cue matches, preferring fields the page has."""
    text = question.lower()
    hits = [k for k, (_, _, en, zh) in _FIELDS.items() if re.search(zh if lang == "zh" else en, text)]
    on_page = [k for k in hits if facts.fields.get(k)]
    return next(iter(on_page or hits), None)


def asks_about_document(question: str, lang: str, facts: DocumentFacts, *, just_uploaded: bool) -> bool:
    """True when a message is a question about the uploaded document: it asks about a field and
    mentions the document ("this bill", "the payslip"), or it follows the document directly and
    asks about a field the document shows (so "what's my balance?" after a payslip is the
    balance task, not a question about the payslip).

    Examples
    --------
    >>> f = DocumentFacts("p.png", "payslip", "en", {"net_income": "5975.54"})
    >>> asks_about_document("what is the net pay on my payslip?", "en", f, just_uploaded=False)
    True
    >>> asks_about_document("freeze my card", "en", f, just_uploaded=True)
    False
    >>> asks_about_document("what's my balance?", "en", f, just_uploaded=True)
    False
    """
    field_name = _asked_field(question, lang, facts)
    if field_name is None:
        return False
    named = bool(_DOC_WORDS.search(question))  # "the bill", "this payslip": even a field it lacks is its question
    return named or (just_uploaded and bool(facts.fields.get(field_name)))


def answer_document_question(facts: DocumentFacts, question: str, lang: str = "en") -> tuple[str, str | None]:
    """The answer to ``question`` from the document's fields, and the field it used (``None``:
    the summary of what was read).

    Examples
    --------
    >>> f = DocumentFacts("bill.png", "utility_bill", "en", {"amount_due": "194.17", "bill_date": "2026-09-03"})
    >>> answer_document_question(f, "how much do I owe?")
    ('Your bill (bill.png) shows amount due: 194.17 (bill date 2026-09-03).', 'amount_due')
    >>> answer_document_question(f, "这张账单要交多少钱？", "zh")[0]
    '您的账单（bill.png）显示应付金额为 194.17（账单日期 2026-09-03）。'
    """
    name = _asked_field(question, lang, facts)
    if name is None:
        return describe_document(facts, lang), None
    value = facts.fields.get(name)
    label = _FIELDS[name][1 if lang == "zh" else 0]
    doc = _doc_name(facts, lang)
    if not value:
        if lang == "zh":
            return f"您的{doc}（{facts.name}）上没有读到{label}。" + describe_document(facts, lang), name
        return f"I could not find the {label} on your {doc} ({facts.name}). " + describe_document(facts, lang), name
    date_key = next((k for k in ("bill_date", "pay_date", "statement_date") if k != name and facts.fields.get(k)), None)
    if lang == "zh":
        when = f"（{_FIELDS[date_key][1]} {facts.fields[date_key]}）" if date_key else ""
        return f"您的{doc}（{facts.name}）显示{label}为 {_format(name, value)}{when}。", name
    when = f" ({_FIELDS[date_key][0]} {facts.fields[date_key]})" if date_key else ""
    return f"Your {doc} ({facts.name}) shows {label}: {_format(name, value)}{when}.", name
