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
