"""Metadata.infer: column kinds from values and names."""

from __future__ import annotations

import pandas as pd

from finloom.data import ColumnKind, Metadata


def _kinds(df: pd.DataFrame) -> dict[str, ColumnKind]:
    return {c.name: c.kind for c in Metadata.infer(df).columns}


def test_infer_short_unique_messages_are_text_not_ids():
    df = pd.DataFrame({"text": ["I lost my card", "freeze my card", "what is my balance", "hi there",
                                "card is gone", "balance please"],
                       "label": ["card", "card", "balance", "greet", "card", "balance"]})
    assert _kinds(df)["text"] is ColumnKind.TEXT
    assert Metadata.infer(df).primary_key is None


def test_infer_chinese_messages_are_text():
    df = pd.DataFrame({"msg": ["我的卡丢了", "冻结我的卡", "查询余额", "你好"]})
    assert _kinds(df)["msg"] is ColumnKind.TEXT


def test_infer_unique_codes_stay_ids():
    df = pd.DataFrame({"account_id": ["A001", "A002", "A003", "A004"], "amount": [1.0, 2.0, 3.0, 4.0]})
    kinds = _kinds(df)
    assert kinds["account_id"] is ColumnKind.ID
    assert kinds["amount"] is ColumnKind.NUMERICAL


def test_infer_mixed_english_and_chinese_messages_are_text():
    df = pd.DataFrame({"text": ["freeze my card", "lock it now", "冻结我的卡", "查询余额", "hello", "balance"]})
    assert _kinds(df)["text"] is ColumnKind.TEXT
