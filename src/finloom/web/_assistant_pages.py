"""Customer chat page and the agent desk (queue, transcript with summary, take-over, replies).

Until the assistant is built (in the background at start-up) these pages show a notice that
reloads itself (see ``warming.html``).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from finloom.errors import ConflictError, FinloomError, InvalidDataError, NotFoundError
from finloom.services import chat
from finloom.services.datasets import read_upload
from finloom.web._deps import WorkbenchDep
from finloom.web._i18n import translator
from finloom.web._pages import User, problems_of
from finloom.web._render import language_of, render

router = APIRouter(include_in_schema=False)


def _bot(workbench: Any) -> Any:
    """The assistant; raises ``WarmingUpError`` (shown as the warming-up page) until it is built."""
    return workbench.assistant()


async def _chat_session(request: Request, bot: Any, fresh: bool = False) -> str:
    """The customer's conversation id, kept in the signed web session."""
    session_id = request.session.get("chat_session_id")
    if session_id and not fresh:
        try:
            await asyncio.to_thread(bot.store.get_session, session_id)
            return str(session_id)
        except NotFoundError:
            pass
    principal = request.state.principal
    session = await asyncio.to_thread(bot.start_session, customer_id=principal.user, lang=language_of(request))
    request.session["chat_session_id"] = session.id
    return str(session.id)


async def _transcript(request: Request, bot: Any, session_id: str, error: str | None = None) -> HTMLResponse:
    turns = await asyncio.to_thread(bot.history, session_id)
    return render(request, "partials/transcript.html", turns=[t.to_dict() for t in turns], error=error)


@router.get("/assistant", response_class=HTMLResponse)
async def chat_page(request: Request, principal: User, workbench: WorkbenchDep, new: int = 0) -> HTMLResponse:
    bot = _bot(workbench)
    session_id = await _chat_session(request, bot, fresh=bool(new))
    turns = await asyncio.to_thread(bot.history, session_id)
    return render(request, "assistant.html", turns=[t.to_dict() for t in turns], can_agent=principal.can("analyst"))


@router.get("/assistant/transcript", response_class=HTMLResponse)
async def chat_transcript(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    bot = _bot(workbench)
    return await _transcript(request, bot, await _chat_session(request, bot))


@router.post("/assistant/send", response_class=HTMLResponse)
async def chat_send(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    bot = _bot(workbench)
    session_id = await _chat_session(request, bot)
    form = await request.form()
    try:
        from finloom.services.monitoring import hub_of

        await asyncio.to_thread(chat.send_message, workbench, principal.user, session_id, str(form.get("text", "")),
                                role=principal.role, hub=hub_of(request.app.state))
    except FinloomError as exc:
        return await _transcript(request, bot, session_id, exc.message)
    return await _transcript(request, bot, session_id)


async def _upload(request: Request, form: Any, name: str, limit_mb: int) -> tuple[str, bytes]:
    """The file ``name`` of a multipart form (its name and bytes), within ``limit_mb``."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile):
        raise InvalidDataError(f"{name} must be a file; got no file. Choose a file and send it again.")
    return upload.filename or name, await read_upload(upload, int(request.headers.get("content-length") or 0), limit_mb)


@router.post("/assistant/voice", response_model=None)
async def chat_voice(request: Request, principal: User, workbench: WorkbenchDep) -> JSONResponse:
    """A recorded message (WAV) from the page's microphone button: the transcript and reply go into
    the conversation; the reply's audio comes back as base64 WAV for the page to play."""
    bot = _bot(workbench)
    session_id = await _chat_session(request, bot)
    try:
        form = await request.form()
        _, data = await _upload(request, form, "audio", min(8, workbench.settings.max_upload_mb))
        out = await asyncio.to_thread(chat.send_voice_message, workbench, principal.user, session_id, data)
    except FinloomError as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status_code)
    audio = base64.b64encode(out.audio).decode("ascii") if out.audio is not None else None
    return JSONResponse({"transcript": out.transcript.text, "audio": audio, "error": out.audio_error})


@router.post("/assistant/document", response_class=HTMLResponse)
async def chat_document(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    """A photo or PDF of a payslip, bill or statement, with an optional question about it."""
    bot = _bot(workbench)
    session_id = await _chat_session(request, bot)
    try:
        form = await request.form()
        name, data = await _upload(request, form, "file", workbench.settings.max_upload_mb)
        question = str(form.get("question") or "").strip() or None
        await asyncio.to_thread(chat.send_document, workbench, principal.user, session_id, data, name,
                                question=question)
    except FinloomError as exc:
        return await _transcript(request, bot, session_id, exc.message)
    return await _transcript(request, bot, session_id)


@router.get("/assistant/chart/{index}.png", response_model=None)
async def chat_chart(request: Request, index: int, principal: User, workbench: WorkbenchDep) -> Response:
    """The chart of assistant turn ``index`` of this conversation, drawn again from its table."""
    from finloom.apps.customer_service._tool_charts import chart_png

    bot = _bot(workbench)
    session_id = await _chat_session(request, bot)
    turns = await asyncio.to_thread(bot.history, session_id, since=index)
    chart = turns[0].meta.get("chart") if turns and turns[0].index == index else None
    if not chart:
        raise NotFoundError(f"index must be a turn of this conversation with a chart; got {index}.")
    png = base64.b64decode(await asyncio.to_thread(chart_png, chart))
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


async def _session_action(request: Request, principal: User, workbench: WorkbenchDep,
                          action: Callable[..., Any], conflict_message: str) -> HTMLResponse:
    """Run a chat-session action (hand off, back to the assistant); a conflict is said in the page."""
    bot = _bot(workbench)
    session_id = await _chat_session(request, bot)
    try:
        await asyncio.to_thread(action, workbench, principal.user, session_id)
    except ConflictError:  # said in the page, not only in the console
        return await _transcript(request, bot, session_id, translator(language_of(request))(conflict_message))
    return await _transcript(request, bot, session_id)


@router.post("/assistant/handoff", response_class=HTMLResponse)
async def chat_handoff(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    # already queued or with an agent: "chat.already_handed_off"
    return await _session_action(request, principal, workbench, chat.request_handoff, "chat.already_handed_off")


@router.post("/assistant/back", response_class=HTMLResponse)
async def chat_back_to_bot(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    # not waiting for a person (or an agent already has the conversation): "chat.not_waiting"
    return await _session_action(request, principal, workbench, chat.return_to_bot, "chat.not_waiting")


def _agent_only(principal: Any) -> None:
    if not principal.can("analyst"):
        from finloom.errors import PermissionDeniedError

        raise PermissionDeniedError("the agent desk needs the 'analyst' role; your key has 'viewer'.")


@router.get("/assistant/agent", response_class=HTMLResponse)
async def agent_desk(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    _agent_only(principal)
    bot = _bot(workbench)
    sessions = await asyncio.to_thread(bot.handoff_queue)
    summaries = {s.id: await _summary(request, bot, s) for s in sessions}
    return render(request, "agent_desk.html", queue=[s.to_dict() for s in sessions], summaries=summaries)


async def _summary(request: Request, bot: Any, session: Any, turns: Any = None) -> str:
    """The handoff summary in the agent's UI language (rebuilt from the stored transcript)."""
    from finloom.apps.customer_service import summarize_transcript

    if not session.handoff_reason:
        return ""
    turns = turns if turns is not None else await asyncio.to_thread(bot.history, session.id)
    return summarize_transcript(session, turns, lang=language_of(request))


async def _agent_page(request: Request, bot: Any, session_id: str, problems: list[str] | None = None) -> HTMLResponse:
    session = await asyncio.to_thread(bot.store.get_session, session_id)
    turns = await asyncio.to_thread(bot.history, session_id)
    return render(request, "agent_session.html", s=session.to_dict(), turns=[t.to_dict() for t in turns], problems=problems,
                  summary=await _summary(request, bot, session, turns))


@router.get("/assistant/agent/{session_id}", response_class=HTMLResponse)
async def agent_session(request: Request, session_id: str, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    _agent_only(principal)
    return await _agent_page(request, _bot(workbench), session_id)


@router.get("/assistant/agent/{session_id}/transcript", response_class=HTMLResponse)
async def agent_transcript(request: Request, session_id: str, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    _agent_only(principal)
    return await _transcript(request, _bot(workbench), session_id)


@router.post("/assistant/agent/{session_id}/{action}", response_model=None)
async def agent_action(request: Request, session_id: str, action: str, principal: User, workbench: WorkbenchDep) -> Response:
    _agent_only(principal)
    bot = _bot(workbench)
    form = await request.form()
    try:
        if action == "takeover":
            await asyncio.to_thread(chat.take_over, workbench, principal.user, session_id)
        elif action == "reply":
            await asyncio.to_thread(chat.agent_reply, workbench, principal.user, session_id, str(form.get("text", "")))
        elif action == "release":
            await asyncio.to_thread(chat.release, workbench, principal.user, session_id)
        else:
            raise NotFoundError(f"action must be takeover, reply or release; got {action!r}.")
    except FinloomError as exc:
        return await _agent_page(request, bot, session_id, problems_of(exc))
    return RedirectResponse(f"/assistant/agent/{session_id}", status_code=303)
