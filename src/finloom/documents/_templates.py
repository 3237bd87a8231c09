"""The document templates the generator draws and the extractor reads: titles, labels, field kinds.

The extractor knows the layouts (which label introduces which field) exactly as a bank's reviewer
knows its forms; it never sees a document's ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DOC_TYPES", "FIELD_KINDS", "LANGS", "TEMPLATES", "Template", "template"]

LANGS = ("en", "zh")
DOC_TYPES = ("payslip", "bank_statement", "utility_bill", "employment_letter", "id_card")

# how a field's value is written and normalised
FIELD_KINDS: dict[str, str] = {
    "name": "name",
    "employer": "text",
    "bank": "text",
    "provider": "text",
    "position": "text",
    "address": "text",
    "period": "period",
    "pay_date": "date",
    "statement_date": "date",
    "bill_date": "date",
    "letter_date": "date",
    "start_date": "date",
    "birth_date": "date",
    "expiry_date": "date",
    "gross_income": "amount",
    "deductions": "amount",
    "net_income": "amount",
    "opening_balance": "amount",
    "closing_balance": "amount",
    "amount_due": "amount",
    "annual_salary": "amount",
    "monthly_salary": "amount",
    "previous_balance": "amount",
    "payments": "amount",
    "current_charges": "amount",
    "account": "account",
    "id_number": "id",
    "sex": "text",
}


@dataclass(frozen=True)
class Template:
    """One document type in one language: its title, the field printed as letterhead (if any) and the
    labelled rows in order, as ``(field, label)``."""

    doc_type: str
    lang: str
    title: str
    header_field: str | None
    rows: tuple[tuple[str, str], ...]
    date_field: str  # the date a reviewer checks for staleness
    amount_field: str | None  # the amount an applicant's income is checked against


_T = [
    Template(
        "payslip",
        "en",
        "PAYSLIP",
        "employer",
        (
            ("name", "Employee"),
            ("employer", "Employer"),
            ("period", "Pay period"),
            ("pay_date", "Pay date"),
            ("gross_income", "Gross pay"),
            ("deductions", "Deductions"),
            ("net_income", "Net pay"),
        ),
        "pay_date",
        "net_income",
    ),
    Template(
        "payslip",
        "zh",
        "工资单",
        "employer",
        (
            ("name", "姓名"),
            ("employer", "单位"),
            ("period", "工资月份"),
            ("pay_date", "发放日期"),
            ("gross_income", "应发工资"),
            ("deductions", "扣款合计"),
            ("net_income", "实发工资"),
        ),
        "pay_date",
        "net_income",
    ),
    Template(
        "bank_statement",
        "en",
        "BANK STATEMENT",
        "bank",
        (
            ("name", "Account holder"),
            ("account", "Account number"),
            ("statement_date", "Statement date"),
            ("opening_balance", "Opening balance"),
            ("closing_balance", "Closing balance"),
        ),
        "statement_date",
        None,
    ),
    Template(
        "bank_statement",
        "zh",
        "银行对账单",
        "bank",
        (
            ("name", "户名"),
            ("account", "账号"),
            ("statement_date", "对账日期"),
            ("opening_balance", "期初余额"),
            ("closing_balance", "期末余额"),
        ),
        "statement_date",
        None,
    ),
    Template(
        "utility_bill",
        "en",
        "UTILITY BILL",
        "provider",
        (
            ("name", "Customer"),
            ("address", "Service address"),
            ("account", "Account number"),
            ("bill_date", "Bill date"),
            ("previous_balance", "Previous balance"),
            ("payments", "Payments received"),
            ("current_charges", "Current charges"),
            ("amount_due", "Amount due"),
        ),
        "bill_date",
        None,
    ),
    Template(
        "utility_bill",
        "zh",
        "缴费通知单",
        "provider",
        (
            ("name", "户名"),
            ("address", "地址"),
            ("account", "户号"),
            ("bill_date", "账单日期"),
            ("previous_balance", "上期余额"),
            ("payments", "已缴金额"),
            ("current_charges", "本期费用"),
            ("amount_due", "应缴金额"),
        ),
        "bill_date",
        None,
    ),
    Template(
        "employment_letter",
        "en",
        "EMPLOYMENT VERIFICATION LETTER",
        "employer",
        (
            ("name", "Employee name"),
            ("employer", "Employer"),
            ("position", "Position"),
            ("start_date", "Start date"),
            ("annual_salary", "Annual salary"),
            ("monthly_salary", "Monthly salary"),
            ("letter_date", "Date"),
        ),
        "letter_date",
        "annual_salary",
    ),
    Template(
        "employment_letter",
        "zh",
        "在职收入证明",
        "employer",
        (
            ("name", "姓名"),
            ("employer", "单位"),
            ("position", "职务"),
            ("start_date", "入职日期"),
            ("annual_salary", "年收入"),
            ("monthly_salary", "月收入"),
            ("letter_date", "开具日期"),
        ),
        "letter_date",
        "annual_salary",
    ),
    Template(
        "id_card",
        "en",
        "IDENTITY CARD",
        None,
        (
            ("name", "Name"),
            ("id_number", "ID No"),
            ("birth_date", "Date of birth"),
            ("expiry_date", "Expiry date"),
        ),
        "expiry_date",
        None,
    ),
    Template(
        "id_card",
        "zh",
        "居民身份证",
        None,
        (
            ("name", "姓名"),
            ("sex", "性别"),
            ("birth_date", "出生"),
            ("address", "住址"),
            ("id_number", "公民身份号码"),
            ("expiry_date", "有效期至"),
        ),
        "expiry_date",
        None,
    ),
]
TEMPLATES: dict[tuple[str, str], Template] = {(t.doc_type, t.lang): t for t in _T}
# the statement's transaction table: header labels and the field names of its columns
TX_HEADER = {"en": ("Date", "Description", "Amount"), "zh": ("日期", "摘要", "金额")}


def template(doc_type: str, lang: str) -> Template:
    """The template of ``doc_type`` in ``lang``.

    Examples
    --------
    >>> template("payslip", "en").rows[0]
    ('name', 'Employee')
    """
    from finloom.errors import ConfigError, did_you_mean

    if doc_type not in DOC_TYPES:
        raise ConfigError(
            f"doc_type must be one of {', '.join(DOC_TYPES)}; got {doc_type!r}."
            f"{did_you_mean(doc_type, DOC_TYPES)}"
        )
    if lang not in LANGS:
        raise ConfigError(
            f"lang must be one of {', '.join(LANGS)}; got {lang!r}. Use 'en' or 'zh'."
        )
    return TEMPLATES[(doc_type, lang)]
