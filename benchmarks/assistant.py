"""Assistant dialogue benchmark: replay scripted multi-turn stories (digressions, cancels,
corrections, carry-over, clarification, out-of-scope, handoff and the way back) and score them.

    python -m benchmarks.assistant                       # every benchmarks/data/assistant/stories_*.jsonl
    python -m benchmarks.assistant --stories FILE ...    # chosen story files
    python -m benchmarks.assistant --intents MODEL_DIR   # a saved intent classifier instead of the seed one
    python -m benchmarks.assistant --dense               # FAQ search fused with MiniLM, as the app does
    python -m benchmarks.assistant --sections voice documents   # only these sections (default: stories routing tools)

``voice``: the English utterances of every routing set spoken by espeak-ng, clean and with white
noise (20 dB SNR), recognised offline by PocketSphinx: WER and routing accuracy from speech, per
set as ``voice_by_set``; ``voice`` holds the frozen test set's figures (``wer_zh`` is null: no
offline Mandarin recogniser installs from the registries). ``documents``: generated payslips, bills
and statements uploaded in a chat and asked about their fields (``answer_accuracy``).

Routing sets (``routing_*.jsonl``: ``{id, lang, text, intent}``, one opening message each) are replayed
as one-turn conversations: the intent the assistant acts on (``out_of_scope`` when it answers with
its scope statement) against the author's label, per set, as ``routing_by_set``; ``routing`` holds the
figures of the frozen test set when there is one (``routing_test_*``), else of the first set.

Tool sets (``tools_*.jsonl``: ``{id, lang, text, tool, role}``, tool = one of the eight tool names or
"none") score the tool router's first-turn choice: accuracy, per-tool recall and precision,
none-precision (the share of predicted tools that were right), by language and role, per set as
``tools_by_set``; ``tools`` holds the frozen ``tools_test_*`` set's figures (else the first set's).
The stories' ``turn_p95_ms`` includes the tool routing every turn goes through.

Writes ``benchmarks/results/assistant.json``: ``stories`` holds the figures of the first story set
(``n``, ``task_success``, ``digression_success``, ``handoff_precision``, ...), ``stories_by_set``
every set's figures separately (own development stories, independent dev and frozen test sets are
never pooled), and ``turn_p95_ms`` the text-turn latency over all replayed turns. Other sections of
an existing ``assistant.json`` (routing, voice, documents) are kept. Each section carries its
commit, date and machine.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks._common import RESULTS, ROOT, print_table, provenance, write_results
from finloom.apps.customer_service import (
    Story,
    StoryResult,
    build_demo_assistant,
    load_stories,
    replay_story,
    score_stories,
)

DATA = ROOT / "data" / "assistant"


def _default_sets() -> list[Path]:
    own = DATA / "stories_dev_own.jsonl"
    others = sorted(p for p in DATA.glob("stories_*.jsonl") if p != own)
    return ([own] if own.exists() else []) + others


def run(paths: list[Path], *, intents: str | None = None, dense: bool = False,
        verbose: bool = True, bot: Any = None) -> dict[str, Any]:
    """Replay every story set with one assistant (fresh session and customer per story); ``bot``
    reuses an assistant already built with the same settings."""
    bot = bot if bot is not None else build_demo_assistant(intents_path=intents, dense=dense)
    by_set: dict[str, Any] = {}
    all_ms: list[float] = []
    for path in paths:
        results: list[StoryResult] = [replay_story(bot, s) for s in load_stories(path)]
        all_ms.extend(t["ms"] for r in results for t in r.turns)
        figures = score_stories(results)
        figures["file"] = str(path.relative_to(ROOT.parent)) if path.is_relative_to(ROOT.parent) else str(path)
        figures["failed"] = [r.story.id for r in results if not r.ok]
        by_set[path.stem] = {**figures, "provenance": provenance()}
        if verbose and "_test" not in path.stem:  # frozen test sets: totals only, their turns stay unread
            for r in results:
                miss = r.first_miss()
                if miss is not None:
                    print(f"  {path.stem} {r.story.id} turn {miss['turn']}: {miss['user']!r} expected "
                          f"{miss['expect']}/{miss['expect_intent']} got {miss['kind']}/{miss['intent']}")
    ms = np.asarray(all_ms) if all_ms else np.zeros(1)
    return {"by_set": by_set, "turn_p95_ms": round(float(np.percentile(ms, 95)), 2),
            "turn_p50_ms": round(float(np.percentile(ms, 50)), 2), "turns": len(all_ms),
            "intent_model": intents or "seed intents, hashing encoder",
            "faq_search": "BM25 + MiniLM" if dense else "BM25"}


def score_routing(bot: Any, path: Path) -> dict[str, Any]:
    """Accuracy of the first-turn intent on one routing set, out-of-scope recall and precision, by language."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    for it in items:
        turn = replay_story(bot, Story(it["id"], it["lang"], ({"user": it["text"], "expect": "answer"},))).turns[0]
        rows.append((it, turn["intent"] if turn["kind"] != "scope_statement" else "out_of_scope"))

    def acc(sub: list[tuple[dict[str, Any], str]]) -> float | None:
        return round(sum(it["intent"] == got for it, got in sub) / len(sub), 4) if sub else None

    oos_gold = [(it, got) for it, got in rows if it["intent"] == "out_of_scope"]
    oos_said = [(it, got) for it, got in rows if got == "out_of_scope"]
    return {"utterances": len(rows), "accuracy": acc(rows), "oos_recall": acc(oos_gold),
            "oos_precision": acc(oos_said),
            "by_lang": {lang: acc([r for r in rows if r[0]["lang"] == lang]) for lang in sorted({i["lang"] for i in items})},
            "by_intent": {k: acc([r for r in rows if r[0]["intent"] == k]) for k in sorted({i["intent"] for i in items})},
            "file": str(path.relative_to(ROOT.parent)) if path.is_relative_to(ROOT.parent) else str(path),
            "provenance": provenance()}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", nargs="+", type=Path, help="story JSONL files (default: all sets)")
    parser.add_argument("--intents", default=None, help="saved EmbeddingIntentClassifier folder")
    parser.add_argument("--dense", action="store_true", help="fuse MiniLM with BM25 in the FAQ search")
    parser.add_argument("--sections", nargs="+", choices=("stories", "routing", "tools", "voice", "documents"),
                        default=["stories", "routing", "tools"], help="sections to run (others are kept from the file)")
    args = parser.parse_args(argv)
    paths = args.stories or _default_sets()
    if not paths:
        raise SystemExit(f"no story files given and none found under {DATA}")
    bot = build_demo_assistant(intents_path=args.intents, dense=args.dense)  # built once: every section
    path = RESULTS / "assistant.json"
    document = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    document.pop("machine", None)  # write_results adds the current one
    if "stories" in args.sections:
        _stories(document, paths, args, bot)
    routing_sets = sorted(DATA.glob("routing_*.jsonl"))
    if routing_sets and not args.stories and "routing" in args.sections:
        by_set = {p.stem: score_routing(bot, p) for p in routing_sets}
        print_table("assistant routing", ["set", "n", "accuracy", "oos_recall", "oos_precision", "by_lang"],
                    [[k, v["utterances"], v["accuracy"], v["oos_recall"], v["oos_precision"], v["by_lang"]]
                     for k, v in by_set.items()])
        test = next((k for k in by_set if k.startswith("routing_test")), next(iter(by_set)))
        document["routing_by_set"] = by_set
        document["routing"] = {"set": test, **by_set[test]}
    if "tools" in args.sections:
        _tools(document)
    if "voice" in args.sections:
        _voice(document, routing_sets, bot)
    if "documents" in args.sections:
        from benchmarks._assistant_documents import score_documents

        document["documents"] = score_documents(bot)
        d = document["documents"]
        print_table("assistant documents", ["n", "answer_accuracy", "by_lang", "by_doc_type"],
                    [[d["n"], d["answer_accuracy"], d["by_lang"], d["by_doc_type"]]])
    print(f"wrote {write_results('assistant', document)}")
    return document


def _tools(document: dict[str, Any]) -> None:
    from benchmarks._assistant_tools import score_tools

    tool_sets = sorted(DATA.glob("tools_*.jsonl"))
    if not tool_sets:
        return
    by_set = {p.stem: {**score_tools(p), "provenance": provenance()} for p in tool_sets}
    print_table("assistant tools (router, first turn)", ["set", "n", "accuracy", "none_precision", "by_lang", "p95 ms"],
                [[k, v["utterances"], v["accuracy"], v["none_precision"], v["by_lang"], v["router_p95_ms"]]
                 for k, v in by_set.items()])
    test = next((k for k in by_set if k.startswith("tools_test")), next(iter(by_set)))
    document["tools_by_set"] = by_set
    document["tools"] = {"set": test, **by_set[test]}


def _voice(document: dict[str, Any], routing_sets: list[Path], bot: Any) -> None:
    from benchmarks._assistant_voice import score_voice
    from finloom.apps.customer_service.service import build_speech_recognizer

    recognizer = build_speech_recognizer()
    by_set = {p.stem: score_voice(bot, recognizer, p) for p in routing_sets}
    print_table("assistant voice (English, espeak-ng -> PocketSphinx)",
                ["set", "n", "condition", "wer_en", "routing_from_speech", "routing_typed"],
                [[k, v["utterances"], c, v[c]["wer_en"], v[c]["routing_accuracy_from_speech_en"],
                  v["routing_accuracy_typed_en"]] for k, v in by_set.items() for c in v if isinstance(v[c], dict)
                 and "wer_en" in v[c]])
    test = next((k for k in by_set if k.startswith("routing_test")), next(iter(by_set)))
    t = by_set[test]
    document["voice_by_set"] = by_set
    document["voice"] = {"set": test, "utterances": t["utterances"], "wer_en": t["clean"]["wer_en"],
                         "routing_accuracy_from_speech_en": t["clean"]["routing_accuracy_from_speech_en"],
                         "wer_zh": None, **{k: v for k, v in t.items() if k not in ("utterances",)}}


def _stories(document: dict[str, Any], paths: list[Path], args: argparse.Namespace, bot: Any) -> None:
    out = run(paths, intents=args.intents, dense=args.dense, bot=bot)
    rows = [[name, f["n"], f["task_success"], f["digression_success"], f["handoff_precision"],
             f["handoff_recall"], f["turn_accuracy"], f["turn_p95_ms"]] for name, f in out["by_set"].items()]
    print_table("assistant stories", ["set", "n", "task_success", "digression_success",
                                      "handoff_precision", "handoff_recall", "turn_acc", "p95 ms"], rows)
    first = next(iter(out["by_set"].values()))
    document["stories"] = {"set": next(iter(out["by_set"])), **first}
    document["stories_by_set"] = out["by_set"]
    document["turn_p95_ms"] = out["turn_p95_ms"]
    document["turn_latency"] = {k: out[k] for k in ("turn_p50_ms", "turn_p95_ms", "turns", "intent_model",
                                                    "faq_search")}
    document["turn_latency"]["provenance"] = provenance()


if __name__ == "__main__":
    main()
