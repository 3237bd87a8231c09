"""``finloom chat`` with CliRunner: scripted messages, the REPL, agent commands, errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from finloom.cli.chat import app

runner = CliRunner()


def test_chat_messages_json_answer_cites_article() -> None:
    result = runner.invoke(app, ["-m", "How long until my new card arrives?", "--json"])
    assert result.exit_code == 0, result.output
    reply = json.loads(result.output)
    assert reply["kind"] == "answer" and reply["citations"][0] == "card-delivery-en"


def test_chat_repl_task_handoff_and_agent_reply() -> None:
    script = "\n".join(["冻结我的卡", "1", "是", "", "I want to talk to a human",
                        "/agent Hello, this is the agent.", "/history", "/quit"]) + "\n"
    result = runner.invoke(app, [], input=script)
    assert result.exit_code == 0, result.output
    assert "已冻结" in result.output
    assert "handoff requested" in result.output
    assert "Hello, this is the agent." in result.output
    assert "error:" in result.output  # the empty line got a clear error, the chat went on


def test_chat_bad_kb_path_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--kb", str(tmp_path / "missing"), "-m", "hi"])
    assert result.exit_code == 1
    assert "error: knowledge base path must exist" in result.output


def _intents_csv(path: Path, *, encoding: str = "utf-8", text_column: str = "text") -> Path:
    from finloom.apps.customer_service import load_seed_intents

    rows = [f'"{t}",{intent}' for intent, texts in load_seed_intents().items() for t in texts
            if '"' not in t]
    path.write_bytes((f"{text_column},category\n" + "\n".join(rows) + "\n").encode(encoding, "replace"))
    return path


def test_chat_train_intents_then_chat_with_them(tmp_path: Path) -> None:
    data = _intents_csv(tmp_path / "intents.csv")
    result = runner.invoke(app, ["train-intents", str(data), "--out", str(tmp_path / "model"),
                                 "--encoder", "hashing"])
    assert result.exit_code == 0, result.output
    assert "10 intents" in result.output and (tmp_path / "model" / "config.json").is_file()
    result = runner.invoke(app, ["--intents", str(tmp_path / "model"), "-m", "please freeze my card",
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["intent"] == "freeze_card"


def test_chat_train_intents_bad_input(tmp_path: Path) -> None:
    wrong = _intents_csv(tmp_path / "wrong.csv", text_column="txt")
    result = runner.invoke(app, ["train-intents", str(wrong), "--out", str(tmp_path / "m"),
                                 "--encoder", "hashing"])
    assert result.exit_code == 1
    assert "text" in result.output and "did you mean" in result.output.lower()
    assert not (tmp_path / "m").exists()  # nothing half-written
    result = runner.invoke(app, ["train-intents", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and "error: DATA must be an existing file or folder; got 'missing.csv'" in result.output
    good = _intents_csv(tmp_path / "good.csv")
    result = runner.invoke(app, ["train-intents", str(good), "--out", str(tmp_path / "m"),
                                 "--encoder", "hashing", "--tune-epochs", "1"])
    assert result.exit_code == 1 and "tune_epochs > 0" in result.output
    result = runner.invoke(app, ["train-intents", str(good), "--out", str(tmp_path / "m"),
                                 "--tune-objective", "triplet"])
    assert result.exit_code == 1 and "tune_objective" in result.output and "classification" in result.output
    assert not (tmp_path / "m").exists()
    result = runner.invoke(app, ["--intents", str(tmp_path / "nowhere"), "-m", "hi"])
    assert result.exit_code == 1 and "error:" in result.output


def test_chat_train_intents_reads_latin1_files(tmp_path: Path) -> None:
    data = tmp_path / "latin1.csv"
    lines = ["text,category"] + [f"café numéro {i} s'il vous plaît,{'fx' if i % 2 else 'card'}" for i in range(12)]
    data.write_bytes("\n".join(lines).encode("latin-1"))
    result = runner.invoke(app, ["train-intents", str(data), "--out", str(tmp_path / "m"), "--encoder", "hashing"])
    assert result.exit_code == 0, result.output
    assert "2 intents from 12 messages" in result.output


def test_chat_spending_chart_is_saved_with_out(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--no-dense", "-m", "show my spending by category", "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    reply = json.loads(result.output[result.output.index("{"): result.output.rindex("}") + 1])
    assert reply["kind"] == "chart" and "png_base64" not in reply["attachment"] and reply["attachment"]["table"]
    assert (tmp_path / f"reply-{reply['turn_index']}.png").read_bytes()[:4] == b"\x89PNG"


def test_chat_voice_message_and_a_bad_recording(tmp_path: Path) -> None:
    import pytest

    pytest.importorskip("pocketsphinx")
    from finloom.apps.customer_service import synthesize_speech
    from finloom.apps.customer_service._speech import espeak_available

    if not espeak_available():
        pytest.skip("espeak-ng is not installed")
    (tmp_path / "m.wav").write_bytes(synthesize_speech("show my recent transactions"))
    result = runner.invoke(app, ["--no-dense", "--voice", str(tmp_path / "m.wav"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "heard:" in result.output and list((tmp_path / "out").glob("reply-*.wav"))
    (tmp_path / "bad.wav").write_bytes(b"not audio")
    result = runner.invoke(app, ["--no-dense", "--voice", str(tmp_path / "bad.wav")])
    assert result.exit_code == 1 and "error: audio must be a WAV file (RIFF/WAVE)" in result.output


def _replies(output: str) -> list[dict]:
    """The JSON replies printed one after the other (each an indented object)."""
    decoder, found, at = json.JSONDecoder(), [], output.find("{")
    while at != -1:
        reply, end = decoder.raw_decode(output, at)
        found.append(reply)
        at = output.find("{", end)
    return found


def _audit(workspace: Path, action: str) -> list[tuple[str, dict]]:
    from finloom.config import Settings
    from finloom.store import list_audit
    from finloom.workbench import Workbench

    wb = Workbench(Settings(workspace=workspace)).migrate()
    try:
        with wb.session() as session:
            return [(e.actor, e.details) for e in list_audit(session, action=action)]
    finally:
        wb.close()


def test_chat_customer_gets_market_tool_and_is_refused_analyst_tools(cli_workspace: Path) -> None:
    from finloom.cli._common import local_actor

    result = runner.invoke(app, ["--no-dense", "--role", "customer", "--json",
                                 "-m", "how did the S&P 500 do this week?", "-m", "show me open transaction alerts"])
    assert result.exit_code == 0, result.output
    market, alerts = _replies(result.output)
    assert (market["kind"], market["intent"]) == ("tool_result", "market_summary") and "S&P 500" in market["text"]
    assert (alerts["kind"], alerts["intent"]) == ("tool_denied", "alerts_cases") and "analyst role" in alerts["text"]
    # audited as over HTTP: tool, kind and the customer role, never the message
    assert [(a, d["tool"], d["kind"], d["role"]) for a, d in reversed(_audit(cli_workspace, "chat.tool"))] == [
        (local_actor(), "market_summary", "tool_result", "customer"),
        (local_actor(), "alerts_cases", "tool_denied", "customer")]


def test_chat_analyst_gets_the_monitoring_cases(cli_workspace: Path) -> None:
    result = runner.invoke(app, ["--no-dense", "--role", "analyst", "--json", "-m", "show me open transaction alerts"])
    assert result.exit_code == 0, result.output
    [reply] = _replies(result.output)
    assert reply["intent"] == "alerts_cases" and reply["kind"] in ("tool_result", "chart")
    assert [d["role"] for _, d in _audit(cli_workspace, "chat.tool")] == ["analyst"]


def test_chat_price_chart_png_is_saved_with_out(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--no-dense", "--json", "--out", str(tmp_path / "out"),
                                 "-m", "show me a chart of the nasdaq this year"])
    assert result.exit_code == 0, result.output
    [reply] = _replies(result.output)
    assert reply["intent"] == "price_chart" and "png_base64" not in reply["attachment"]
    assert (tmp_path / "out" / f"reply-{reply['turn_index']}.png").read_bytes()[:4] == b"\x89PNG"


def test_chat_bad_role_and_missing_intents_fail_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--role", "admin", "-m", "hi"])
    assert result.exit_code == 2 and "customer" in result.output and "analyst" in result.output
    result = runner.invoke(app, ["--intents", str(tmp_path / "nowhere"), "-m", "hi"])
    assert result.exit_code == 1
    assert "error: --intents must be a folder written by 'finloom chat train-intents'" in result.output
