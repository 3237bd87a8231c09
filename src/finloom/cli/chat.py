"""``finloom chat``: talk to the workspace's assistant in the terminal as a customer or an analyst,
through the same chat service as the API (tools, role checks, audit records)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel

from finloom.cli._chat_channel import ROLES, LocalChannel, WorkspaceChannel
from finloom.cli._common import (
    console,
    err_console,
    handle_errors,
    local_actor,
    open_workbench,
    print_json,
)
from finloom.cli._jobs import Wait, import_input, job_folder, job_workbench, publish_dir, run_job
from finloom.errors import ConfigError, FinloomError

Channel = WorkspaceChannel | LocalChannel


class Role(StrEnum):
    """Who is chatting (``--role``): a signed-in customer or a bank analyst."""

    customer = "customer"
    analyst = "analyst"

app = typer.Typer(help="Chat with the workspace's assistant (grounded FAQ answers, card tasks, human "
                       "handoff, and tools: market summaries and charts, risk questionnaire, portfolio "
                       "proposal, credit pre-check, application status; monitoring cases and dataset "
                       "questions for analysts), in English or Chinese.", invoke_without_command=True)

HELP = ("Commands: /history  /queue  /agent <text> (reply as a human agent)  /release  /quit. "
        "Try: 'how long does a new card take?', '冻结我的卡', 'how did the S&P 500 do this week?', "
        "'I want a human'.")


def _print_reply(reply: Any, as_json: bool) -> None:
    if as_json:
        data = reply.to_dict()
        if data.get("attachment"):  # the charts' PNGs go to --out, not to the terminal
            data["attachment"] = {k: v for k, v in data["attachment"].items() if not k.endswith("png_base64")}
        print_json(data)
        return
    if not reply.text:
        console.print("[dim](sent to the agent)[/dim]")
        return
    cited = f"  [dim]cites: {', '.join(reply.citations)}[/dim]" if reply.citations else ""
    console.print(Panel(reply.text, title=f"assistant · {reply.kind}", title_align="left",
                        subtitle=cited or None, expand=False), markup=False)
    if reply.kind == "handoff":
        console.print("[yellow]handoff requested: type /agent <text> to answer as the agent.[/yellow]")


def _command(channel: Channel, line: str) -> bool:
    """Run a slash command; return False to stop the chat."""
    name, _, rest = line.partition(" ")
    bot = channel.bot
    if name == "/quit":
        return False
    if name == "/history":
        for t in bot.history(channel.session_id):
            console.print(f"[bold]{t.role}[/bold]: ", end="")
            console.print(t.text, markup=False, highlight=False)
    elif name == "/queue":
        for s in bot.handoff_queue():
            console.print(f"[bold]{s.id}[/bold] {s.handoff_status} ({s.handoff_reason})")
            console.print(s.handoff_summary or "", markup=False, highlight=False)
    elif name == "/agent":
        turn = channel.agent_reply(rest)
        console.print(Panel(turn.text, title="agent", title_align="left", expand=False), markup=False)
    elif name == "/release":
        channel.release()
        console.print("[dim]the assistant is back in charge[/dim]")
    else:
        console.print(HELP, markup=False)
    return True


def _media_files(reply: Any, spoken: bytes | None) -> dict[str, bytes]:
    """A reply's files by name: its charts (``reply-N.png``; a proposal's fan chart ``reply-N-fan.png``)
    and its spoken form (``reply-N.wav``)."""
    import base64

    files = {}
    for key, value in (reply.attachment or {}).items():
        if key.endswith("png_base64") and value:
            extra = key.removesuffix("png_base64").strip("_").replace("_", "-")
            files[f"reply-{reply.turn_index}{'-' + extra if extra else ''}.png"] = base64.b64decode(value)
    if spoken is not None:
        files[f"reply-{reply.turn_index}.wav"] = spoken
    return files


def _media_reply(reply: Any, out: Path | None, as_json: bool, spoken: bytes | None = None) -> None:
    """Print a reply; with ``out``, save its charts (PNG) and its spoken form (WAV) there."""
    _print_reply(reply, as_json)
    if out is None:
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, data in _media_files(reply, spoken).items():
        (out / name).write_bytes(data)
        err_console.print(f"[dim]wrote {out / name}[/dim]", highlight=False)


def _voice_messages(channel: Channel, paths: list[Path], out: Path | None, as_json: bool) -> None:
    for path in paths:
        turn = channel.voice(path.read_bytes(), speak=out is not None)
        err_console.print(f"[dim]heard: {turn.transcript.text}[/dim]", highlight=False)
        _media_reply(turn.reply, out, as_json, turn.audio)


def _open_channel(role: str, customer: str, kb: Path | None, intents: Path | None, dense: bool | None) -> Channel:
    """The workspace's assistant through the service layer, or (with ``--kb``) an in-process one."""
    if intents is not None and not intents.is_dir():
        raise ConfigError(f"--intents must be a folder written by 'finloom chat train-intents'; got '{intents}'.")
    if kb is not None:
        from finloom.apps.customer_service import build_demo_assistant

        return LocalChannel.open(build_demo_assistant(kb_path=kb, dense=dense is not False, intents_path=intents),
                                 customer)
    wb = open_workbench(assistant_dense=dense, assistant_intents=intents)
    try:
        return WorkspaceChannel.open(wb, local_actor(), ROLES[role], customer)
    except BaseException:
        wb.close()
        raise


def _repl(channel: Channel, as_json: bool) -> None:
    while True:
        try:
            line = input("you> ")
        except EOFError:
            break
        try:
            if line.strip().startswith("/"):
                if not _command(channel, line.strip()):
                    break
                continue
            _print_reply(channel.send(line), as_json)
        except FinloomError as exc:  # the REPL keeps going after a bad message
            err_console.print(f"[red]error:[/red] {exc.message}", highlight=False, soft_wrap=True)


@app.callback()
@handle_errors
def chat(
    ctx: typer.Context,
    role: Annotated[Role, typer.Option(
        help="Who is chatting: a signed-in 'customer' (market, advice and credit tools) or a bank "
             "'analyst' (also monitoring cases and dataset questions).")] = Role.customer,
    customer: Annotated[str, typer.Option(help="Signed-in customer id of the simulated bank.")] = "demo",
    kb: Annotated[Path | None, typer.Option(
        help="Your own KB (.json/.jsonl/.csv/.md file or folder), answered in process: no tools and no "
             "audit records; those need the workspace's assistant (leave --kb out).")] = None,
    intents: Annotated[Path | None, typer.Option(
        help="Your intent model: a folder written by 'finloom chat train-intents' "
             "(default: FINLOOM_ASSISTANT_INTENTS, else the seed intents).")] = None,
    dense: Annotated[bool | None, typer.Option(
        "--dense/--no-dense", help="Fuse MiniLM with BM25 for English questions (default: "
        "FINLOOM_ASSISTANT_DENSE, on); --no-dense starts faster without torch.")] = None,
    message: Annotated[list[str] | None, typer.Option("--message", "-m", help="Send these messages and exit (repeatable).")] = None,
    document: Annotated[list[Path] | None, typer.Option(
        help="Upload a payslip, bill or statement (image or PDF) first; then ask about it with -m (repeatable).")] = None,
    voice: Annotated[list[Path] | None, typer.Option(
        help="Send a spoken message (16-bit PCM WAV, English, at most 30 s) and exit (repeatable).")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Folder for the replies to --voice spoken as WAV and for charts as PNG.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print replies as JSON.")] = False,
) -> None:
    """Chat with the workspace's assistant as a customer or an analyst: each message goes through the
    same service as the API (tools for the role, audit records). Without --message or --voice it
    reads lines until /quit or EOF."""
    if ctx.invoked_subcommand is not None:
        return
    channel = _open_channel(role.value, customer, kb, intents, dense)
    try:
        for path in document or []:
            _media_reply(channel.upload(path), out, as_json)
        if message or voice:
            for text in message or []:
                _media_reply(channel.send(text), out, as_json)
            _voice_messages(channel, voice or [], out, as_json)
            return
        if not as_json:
            console.print(f"[bold]Loom Bank assistant[/bold] ({role.value} '{customer}'). {HELP}", highlight=False)
        _repl(channel, as_json)
    finally:
        channel.close()


@app.command("train-intents")
@handle_errors
def train_intents(
    data: Annotated[Path, typer.Argument(help="CSV/TSV/JSONL of example messages with text and category columns.")],
    out: Annotated[Path, typer.Option(help="Folder to write the intent model to.")],
    encoder: Annotated[str, typer.Option(
        help="'hashing' (no torch), 'minilm' (bundled) or a local Hugging Face encoder folder.")] = "minilm",
    tune_epochs: Annotated[int, typer.Option(
        help="Tune the encoder on your messages first for this many epochs (minutes on a CPU); 0 = frozen.")] = 0,
    tune_objective: Annotated[str, typer.Option(
        help="How --tune-epochs tunes: 'contrastive' (same-intent pairs) or 'classification' "
             "(cross-entropy fine-tuning).")] = "contrastive",
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    wait: Wait = True,
) -> None:
    """Train an intent classifier with out-of-scope detection; use it with 'finloom chat --intents'.
    Runs as a 'chat.train_intents' job; DATA (and a local encoder folder) are copied into the
    workspace's imports folder first."""
    wb = job_workbench()
    params = {"data_path": import_input(wb, data, "DATA"), "tune_epochs": tune_epochs,
              "tune_objective": tune_objective, "seed": seed,
              "encoder": encoder if encoder in ("hashing", "minilm") else import_input(wb, encoder, "--encoder")}
    job = run_job(wb, "chat.train_intents", params, wait=wait, title="training intents")
    if job is None:
        return
    result = job.result or {}
    source = job_folder(wb, job) / "intent_classifier"
    publish_dir(source, out)
    console.print(f"{len(result['intents'])} intents from {result['n_train']} messages; out-of-scope "
                  f"threshold {result['oos_threshold']:.3f}; saved to {out}", highlight=False)
