"""Every page in Chinese: no UI string left in English (a catalogue check), headers kept on one line."""

from __future__ import annotations

import json
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app
from finloom.store._models import Job

KEY = "fl_catcatcatcat_" + "c" * 32
WEB = Path(__import__("finloom.web", fromlist=["x"]).__file__).parent
EN = json.loads((WEB / "locales" / "en.json").read_text(encoding="utf-8"))
ZH = json.loads((WEB / "locales" / "zh.json").read_text(encoding="utf-8"))
# values the pages show from data that have a catalogue entry (statuses, kinds, severities, roles ...)
ENUMS = {"queued", "running", "succeeded", "failed", "cancelled", "numerical", "categorical", "boolean", "datetime",
         "text", "critical", "high", "medium", "low", "admin", "analyst", "viewer", "none", "requested", "agent",
         "complaint", "good", "fair", "poor", "yes", "no"}

RESULTS = {
    "synth.fit": {"model": "loans-copula", "version": 1, "sample_rows": 80, "metrics": {
        "quality": 0.91, "c2st_auc": 0.63, "tstr_auc": 0.7, "trtr_auc": 0.74, "dcr_share": 0.52,
        "exact_copy_rate": 0.0, "mia_auc": 0.51}},
    "synth.sample": {"rows": 100, "format": "csv", "path": "sample.csv"},
    "nlp.train": {"model": "intents-classifier", "version": 1, "classes": ["a", "b"],
                  "metrics": {"n_train": 80, "n_test": 20, "accuracy": 0.9, "macro_f1": 0.88, "ece": 0.04}},
    "nlp.train_ner": {"model": "ner-tagger", "version": 1, "entity_types": ["ORG", "PER"],
                      "metrics": {"entity_f1": 0.7, "precision": 0.8, "recall": 0.6}},
    "report.market": {"kind": "market", "lang": "zh", "title": "市场报告", "narrative": "标普 500 上涨 1.2%。",
                      "guard_ok": True, "files": ["report.html", "report.pdf"]},
    "compliance.trades": {"count": 2, "files": ["findings.csv"], "findings": [
        {"rule_id": "TRD-HOURS", "severity": "medium", "category": "after_hours", "explanation": "traded at 20:00", "row": "7"},
        {"rule_id": "TRD-WASH", "severity": "critical", "category": "wash_trade", "explanation": "buy and sell", "row": "1+2"}]},
    "market.simulate": {"model": "sp500-fhs", "version": 1, "paths": 500, "days": 252,
                        "scores": {"ks": 0.03, "disc_score": 0.12, "abs_acf_mae": 0.2}},
    "lab.run": {"train_end": "2017-12-29", "test_days": 252, "summary": [
        {"params": {"fast": 10, "slow": 100}, "prob_loss": 0.3, "var": 0.1, "es": 0.12, "real_total_return": 0.05,
         "real_percentile": 0.4, "sharpe_median": 0.5}]},
    "recommendation.fit": {"model": "next-best-offer", "version": 1, "recommender": "ranker", "customers": 2000,
                           "products": 45, "metrics": {"recall_at_5": 0.8, "popularity_recall_at_5": 0.5}},
    "dataset.profile": {"dataset": "loans", "rows": 3, "columns": [
        {"name": "amount", "kind": "numerical", "null_rate": 0.0, "distinct": 3, "mean": 2.0, "std": 1.0, "min": 1.0, "max": 3.0},
        {"name": "segment", "kind": "categorical", "null_rate": 0.0, "distinct": 2, "top": {"a": 2, "b": 1}}]},
}


class _Text(HTMLParser):
    """Visible text nodes of a page (not scripts, styles, code, the raw JSON or data marked translate="no")."""

    SKIP = {"script", "style", "code", "pre", "textarea"}

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self._skip = 0
        self._open: list[bool] = []

    def handle_starttag(self, tag, attrs):
        skip = tag in self.SKIP or ("translate", "no") in attrs
        self._open.append(skip)
        self._skip += skip

    def handle_endtag(self, tag):
        self._skip -= self._open.pop() if self._open else 0

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.nodes.append(data.strip())


def english_leftovers(html: str) -> list[str]:
    """Text nodes that are an English UI string with a Chinese entry in the catalogue."""
    english = {v for k, v in EN.items() if ZH.get(k) != v} | ENUMS
    parser = _Text()
    parser.feed(html)
    leftovers = []
    for node in parser.nodes:
        pieces = {node, *(p.strip(" ()·:：,") for p in re.split(r"[·|()]", node))}
        leftovers += [p for p in pieces if p in english and p not in ZH.values()]
    return leftovers


def _add_jobs(workbench) -> dict[str, str]:
    ids = {}
    with workbench.session() as session:
        for kind, result in RESULTS.items():
            ids[kind] = str(uuid.uuid4())
            session.add(Job(id=ids[kind], kind=kind, params={}, status="succeeded", progress=1.0, message="done",
                            result=result, created_by="admin"))
        for status, message in (("running", "epoch 2/5 val loss 0.413"), ("failed", "fitting copula on 80 rows"),
                                ("cancelled", "cancelled by user"), ("queued", "queued")):
            ids[status] = str(uuid.uuid4())
            session.add(Job(id=ids[status], kind="synth.fit", params={}, status=status, progress=0.4, message=message,
                            error="boom" if status == "failed" else None, created_by="admin"))
    return ids


@pytest.fixture(scope="module")
def zh_client(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("catalogue")
    app = create_app(Settings(workspace=workspace, bootstrap_admin_key=KEY, assistant_dense=False, default_language="zh"),
                     executor_mode="thread")
    with TestClient(app) as client:
        client.post("/login", data={"key": KEY, "next": "/"})
        csv = b"id,amount,segment,flag,day,note\n1,1.5,a,true,2024-01-02,hello there friend\n2,2.5,b,false,2024-01-03,good morning to you\n3,3.5,a,true,2024-01-04,see you again soon\n"
        client.post("/datasets", files={"file": ("loans.csv", csv)}, data={"name": "loans"})
        model_dir = workspace / "m"
        model_dir.mkdir()
        (model_dir / "MODEL_CARD.md").write_text("# card\n", encoding="utf-8")
        workbench = app.state.workbench
        workbench.artifacts.import_dir("intents-classifier", model_dir, kind="TextClassifier", class_path="x:y",
                                       metrics={"accuracy": 0.9, "per_class": {"a": 0.81234567}},
                                       lineage={"dataset": "loans", "version": 1}, licences=["CC BY 4.0"])
        client.ids = _add_jobs(workbench)
        yield client


PAGES = ["/", "/datasets", "/datasets/loans", "/jobs", "/models", "/models/intents-classifier", "/synth", "/market",
         "/nlp", "/reports", "/compliance", "/credit", "/images", "/recommendation", "/marketing"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_in_chinese_have_no_english_ui_strings(zh_client, path):
    r = zh_client.get(path)
    assert r.status_code == 200 and 'lang="zh-CN"' in r.text
    assert english_leftovers(r.text) == []


def test_job_pages_in_chinese_have_no_english_ui_strings(zh_client):
    for kind, job_id in zh_client.ids.items():
        page = zh_client.get(f"/jobs/{job_id}").text
        assert english_leftovers(page) == [], kind


def test_job_statuses_kinds_and_messages_are_translated(zh_client):
    rows = zh_client.get("/jobs/rows").text
    for word in ("已完成", "运行中", "失败", "已取消", "排队中", "训练合成器", "第 2/5 轮 验证损失 0.413", "已被用户取消"):
        assert word in rows
    assert "管理员" in zh_client.get("/jobs").text  # "demo (admin)" → role in Chinese


def test_dataset_shape_and_column_kinds_read_as_chinese(zh_client):
    page = zh_client.get("/datasets/loans").text
    assert "共 3 行、6 列" in page and "行数 · " not in page
    assert ">数值<" in page and ">类别<" in page and ">numerical<" not in page


def test_text_audit_explains_pii_in_chinese(zh_client):
    r = zh_client.post("/compliance/text", data={"text": "My SSN is 123-45-6789."})
    assert "美国社会安全号码" in r.text and english_leftovers(r.text) == []


def test_agent_desk_in_chinese(zh_client):
    zh_client.app.state.workbench.assistant_warmup.start().wait(120)
    zh_client.get("/assistant")
    zh_client.post("/assistant/handoff")
    desk = zh_client.get("/assistant/agent").text
    assert "等待人工" in desk and "客户要求" in desk and "转人工原因" in desk
    assert english_leftovers(desk) == []


def test_every_catalogue_key_used_by_a_template_exists_in_both_languages():
    used = set()
    for template in (WEB / "templates").rglob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_.]+)'\)", template.read_text(encoding="utf-8")))
    assert used and used <= set(EN) and used <= set(ZH)
    assert [k for k in EN if ZH.get(k) == EN[k] and re.search(r"[a-z]{3}", EN[k]) and k not in _SAME] == []


_SAME = {"metric.c2st_auc", "metric.ks", "result.var", "jobs.raw", "reports.instruments"}


def test_table_headers_never_wrap_inside_a_word():
    css = re.sub(r"/\*.*?\*/", "", (WEB / "static" / "finloom.css").read_text(encoding="utf-8"), flags=re.S)
    rules = [body for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css) if selector.strip() == "th"]
    assert any("white-space:nowrap" in b.replace(" ", "") and "word-break:keep-all" in b.replace(" ", "") for b in rules)
