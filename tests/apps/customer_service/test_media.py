"""Documents in and charts out: answers grounded in a document's fields, follow-up questions,
a spending chart from the customer's own transactions, and the English/Chinese replies."""

from __future__ import annotations

import base64

import pytest

from finloom.apps.customer_service import build_demo_assistant
from finloom.apps.customer_service._banking import SimulatedCoreBanking
from finloom.apps.customer_service._doc_answers import (
    DocumentFacts,
    answer_document_question,
    asks_about_document,
    describe_document,
)
from finloom.apps.customer_service._spending import asks_for_spending_chart, spending_by_category
from finloom.errors import InvalidDataError

PAYSLIP = DocumentFacts("slip.png", "payslip", "en", {
    "name": "Clara Fletcher", "employer": "Northwind Logistics Ltd", "period": "2026-09", "pay_date": "2026-09-14",
    "gross_income": "7708.28", "deductions": "1732.74", "net_income": "5975.54"})
BILL = DocumentFacts("bill.png", "utility_bill", "zh", {"amount_due": "3082.36", "bill_date": "2026-06-12",
                                                        "provider": "样本燃气公司"})


@pytest.fixture(scope="module")
def bot():
    return build_demo_assistant()


@pytest.mark.parametrize(("facts", "question", "lang", "field", "value"), [
    (PAYSLIP, "what is my net pay?", "en", "net_income", "5,975.54"),
    (PAYSLIP, "how much did I earn before tax", "en", "gross_income", "7,708.28"),
    (PAYSLIP, "how much was deducted?", "en", "deductions", "1,732.74"),
    (PAYSLIP, "who is my employer", "en", "employer", "Northwind Logistics Ltd"),
    (PAYSLIP, "工资单上实发多少", "zh", "net_income", "5,975.54"),
    (BILL, "这张账单要交多少钱？", "zh", "amount_due", "3,082.36"),
    (BILL, "how much do I owe on this bill?", "en", "amount_due", "3,082.36"),
])
def test_document_answers_quote_the_field_asked_about(facts, question, lang, field, value):
    text, used = answer_document_question(facts, question, lang)
    assert used == field and value in text and facts.name in text


def test_document_answer_says_when_the_page_lacks_the_field():
    text, used = answer_document_question(PAYSLIP, "what is the amount due?", "en")
    assert used == "amount_due" and text.startswith("I could not find the amount due on your payslip (slip.png).")


def test_a_document_without_fields_is_a_clear_error():
    with pytest.raises(InvalidDataError, match="document must show readable text; found no fields in 'blank.png'"):
        describe_document(DocumentFacts("blank.png", None, "en", {"name": None}))


def test_document_questions_need_a_field_and_the_document_in_view():
    assert asks_about_document("and the gross?", "en", PAYSLIP, just_uploaded=True)
    assert not asks_about_document("and the gross?", "en", PAYSLIP, just_uploaded=False)
    assert asks_about_document("what's the gross pay on the payslip", "en", PAYSLIP, just_uploaded=False)
    assert not asks_about_document("what is the weather", "en", PAYSLIP, just_uploaded=True)


def test_uploaded_document_is_answered_then_followed_up_then_the_dialogue_goes_on(bot):
    s = bot.start_session(customer_id="c1")
    r = bot.attach_document(s.id, PAYSLIP, "what is my net pay?")
    assert r.kind == "document_answer" and "5,975.54" in r.text and r.attachment["field"] == "net_income"
    r = bot.handle_message(s.id, "and the gross?")
    assert r.kind == "document_answer" and "7,708.28" in r.text
    assert bot.handle_message(s.id, "freeze my card").kind == "task_prompt"
    assert bot.handle_message(s.id, "cancel").kind == "cancelled"
    r = bot.handle_message(s.id, "when is pay day on my payslip?")
    assert r.kind == "document_answer" and "2026-09-14" in r.text
    turns = bot.history(s.id)
    assert turns[0].text == "[slip.png] what is my net pay?" and turns[1].meta["kind"] == "document_answer"


def test_empty_question_about_a_document_is_refused(bot):
    s = bot.start_session()
    with pytest.raises(InvalidDataError, match="question must contain some text"):
        bot.attach_document(s.id, PAYSLIP, "  ")
    assert bot.history(s.id) == []


def test_spending_by_category_sums_only_money_out():
    bank = SimulatedCoreBanking()
    summary = spending_by_category(bank, "c2")
    txs = [t for a in bank.list_accounts("c2") for t in bank.recent_transactions("c2", a.id, limit=200)]
    assert summary.total == pytest.approx(-sum(t.amount for t in txs if t.amount < 0), abs=0.01)
    assert summary.transactions == sum(t.amount < 0 for t in txs)


@pytest.mark.parametrize(("text", "expected"), [
    ("show my spending by category", True), ("where did my money go this month", True),
    ("chart my expenses", True), ("支出构成", True), ("show my recent transactions", False), ("what's my balance", False),
])
def test_spending_chart_requests_are_recognised(text, expected):
    assert asks_for_spending_chart(text) is expected


@pytest.mark.parametrize(("text", "lang", "label"), [("show my spending by category", "en", "Total CNY"),
                                                     ("我的消费分类图", "zh", "合计 CNY")])
def test_spending_chart_reply_has_text_table_and_png(bot, text, lang, label):
    s = bot.start_session(customer_id="c3")
    r = bot.handle_message(s.id, text)
    assert r.kind == "chart" and r.lang == lang and label in r.text
    table = r.attachment["table"]
    assert table and all(row["amount"] > 0 for row in table)
    assert f"{sum(row['amount'] for row in table):,.2f}" in r.text
    assert base64.b64decode(r.attachment["png_base64"])[:4] == b"\x89PNG"


def test_spending_chart_needs_a_signed_in_customer(bot):
    s = bot.start_session()
    assert bot.handle_message(s.id, "show my spending by category").kind == "need_login"


STATEMENT = DocumentFacts("st.png", "bank_statement", "en", {"opening_balance": "6959.08", "closing_balance": "9380.46",
                                                             "statement_date": "2026-11-01"})


@pytest.mark.parametrize(("question", "lang", "value"), [
    ("what was the opening balance?", "en", "6,959.08"), ("what is the closing balance?", "en", "9,380.46"),
    ("what's the balance on this statement?", "en", "9,380.46"), ("期初余额是多少？", "zh", "6,959.08"),
    ("余额是多少", "zh", "9,380.46"),
])
def test_statement_balances_are_told_apart(question, lang, value):
    assert value in answer_document_question(STATEMENT, question, lang)[0]


def test_a_question_the_document_cannot_answer_goes_to_the_dialogue(bot):
    s = bot.start_session(customer_id="c4")
    bot.attach_document(s.id, PAYSLIP)
    r = bot.handle_message(s.id, "what's my balance?")
    assert r.kind != "document_answer" and r.intent == "check_balance"
