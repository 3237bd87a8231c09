"""The tools section's scorer on a tiny set written here (never the authors' files)."""

from __future__ import annotations

import json

from benchmarks._assistant_tools import score_tools


def test_score_tools_counts_accuracy_recall_precision_and_none_precision(tmp_path):
    items = [
        {"id": "1", "lang": "en", "text": "How is the S&P 500 doing today?", "tool": "market_summary", "role": "customer"},
        {"id": "2", "lang": "en", "text": "how do I apply for a mortgage?", "tool": "none", "role": "customer"},
        {"id": "3", "lang": "zh", "text": "标普500今天表现怎么样", "tool": "price_chart", "role": "customer"},
        {"id": "4", "lang": "en", "text": "what's my balance?", "tool": "risk_profile", "role": "analyst"},
    ]
    path = tmp_path / "tools_dev_x.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    out = score_tools(path)
    assert out["utterances"] == 4 and out["accuracy"] == 0.5
    assert out["none_precision"] == 0.5  # two tools predicted, one right
    assert out["recall"]["market_summary"] == 1.0 and out["recall"]["price_chart"] == 0.0
    assert out["precision"]["market_summary"] == 0.5 and out["precision"]["none"] == 0.5
    assert out["by_lang"] == {"en": 0.6667, "zh": 0.0} and out["by_role"] == {"analyst": 0.0, "customer": 0.6667}
