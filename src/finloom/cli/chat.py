"""``finloom chat``: talk to the Loom Bank customer-service assistant in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel

from finloom.cli._common import console, err_console, handle_errors, print_json
from finloom.cli._jobs import Wait, import_input, job_folder, job_workbench, publish_dir, run_job
from finloom.errors import FinloomError

app = typer.Typer(help="Chat with the customer-service assistant (grounded FAQ answers, card "
                       "tasks, human handoff), in English or Chinese.", invoke_without_command=True)

HELP = ("Commands: /history  /queue  /agent <text> (reply as a human agent)  /release  /quit. "
        "Try: 'how long does a new card take?', '冻结我的卡', 'what's my balance?', 'I want a human'.")


def _print_reply(reply: Any, as_json: bool) -> None:
    if as_json:
        data = reply.to_dict()
        if data.get("attachment"):  # the chart's PNG goes to --out, not to the terminal
            data["attachment"] = {k: v for k, v in data["attachment"].items() if k != "png_base64"}
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


def _command(bot: Any, session_id: str, line: str) -> bool:
    """Run a slash command; return False to stop the chat."""
    name, _, rest = line.partition(" ")
    if name == "/quit":
        return False
    if name == "/history":
        for t in bot.history(session_id):
            console.print(f"[bold]{t.role}[/bold]: ", end="")
            console.print(t.text, markup=False, highlight=False)
    elif name == "/queue":
        for s in bot.handoff_queue():
            console.print(f"[bold]{s.id}[/bold] {s.handoff_status} ({s.handoff_reason})")
            console.print(s.handoff_summary or "", markup=False, highlight=False)
    elif name == "/agent":
        session = bot.store.get_session(session_id)
        if session.handoff_status != "agent":
            bot.agent_take_over(session_id, "agent")
        turn = bot.agent_reply(session_id, "agent", rest)
        console.print(Panel(turn.text, title="agent", title_align="left", expand=False), markup=False)
    elif name == "/release":
        bot.release_to_bot(session_id, "agent")
        console.print("[dim]the assistant is back in charge[/dim]")
    else:
        console.print(HELP, markup=False)
    return True


def _upload(bot: Any, session_id: str, path: Path) -> Any:
    from finloom.apps.customer_service import document_turn

    reply, _ = document_turn(bot, session_id, path.read_bytes(), path.name)
    return reply


def _media_reply(reply: Any, out: Path | None, as_json: bool, spoken: bytes | None = None) -> None:
    """Print a reply; with ``out``, save its chart (PNG) and its spoken form (WAV)."""
    import base64

    chart = (reply.attachment or {}).get("png_base64")
    _print_reply(reply, as_json)
    if out is None:
        return
    out.mkdir(parents=True, exist_ok=True)
    for suffix, data in ((".png", base64.b64decode(chart) if chart else None), (".wav", spoken)):
        if data is not None:
            target = out / f"reply-{reply.turn_index}{suffix}"
            target.write_bytes(data)
            err_console.print(f"[dim]wrote {target}[/dim]", highlight=False)


def _voice_messages(bot: Any, session_id: str, paths: list[Path], out: Path | None, as_json: bool) -> None:
    if not paths:
        return
    from finloom.apps.customer_service import build_speech_recognizer, voice_turn

    recognizer = build_speech_recognizer()
    for path in paths:
        turn = voice_turn(bot, recognizer, session_id, path.read_bytes(), speak=out is not None)
        err_console.print(f"[dim]heard: {turn.transcript.text}[/dim]", highlight=False)
        _media_reply(turn.reply, out, as_json, turn.audio)


@app.callback()
@handle_errors
def chat(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option(help="Signed-in customer id of the simulated bank.")] = "demo",
    kb: Annotated[Path | None, typer.Option(help="Your own KB: a .json/.jsonl/.csv/.md file or folder.")] = None,
    intents: Annotated[Path | None, typer.Option(
        help="Your intent model: a folder written by 'finloom chat train-intents'.")] = None,
    dense: Annotated[bool, typer.Option(
        help="Fuse MiniLM with BM25 for English questions; --no-dense starts faster without torch.")] = True,
    message: Annotated[list[str] | None, typer.Option("--message", "-m", help="Send these messages and exit (repeatable).")] = None,
    document: Annotated[list[Path] | None, typer.Option(
        help="Upload a payslip, bill or statement (image or PDF) first; then ask about it with -m (repeatable).")] = None,
    voice: Annotated[list[Path] | None, typer.Option(
        help="Send a spoken message (16-bit PCM WAV, English, at most 30 s) and exit (repeatable).")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Folder for the replies to --voice spoken as WAV and for charts as PNG.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print replies as JSON.")] = False,
) -> None:
    """Start an in-process chat session; without --message or --voice it reads lines until /quit or EOF."""
    if ctx.invoked_subcommand is not None:
        return
    from finloom.apps.customer_service import build_demo_assistant

    bot = build_demo_assistant(kb_path=kb, dense=dense, intents_path=intents)
    session = bot.start_session(customer_id=customer)
    for path in document or []:
        _media_reply(_upload(bot, session.id, path), out, as_json)
    if message or voice:
        for text in message or []:
            _media_reply(bot.handle_message(session.id, text), out, as_json)
        _voice_messages(bot, session.id, voice or [], out, as_json)
        return
    if not as_json:
        console.print(f"[bold]Loom Bank assistant[/bold] (customer '{customer}'). {HELP}", highlight=False)
    while True:
        try:
            line = input("you> ")
        except EOFError:
            break
        try:
            if line.strip().startswith("/"):
                if not _command(bot, session.id, line.strip()):
                    break
                continue
            _print_reply(bot.handle_message(session.id, line), as_json)
        except FinloomError as exc:  # the REPL keeps going after a bad message
            err_console.print(f"[red]error:[/red] {exc.message}", highlight=False, soft_wrap=True)


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
