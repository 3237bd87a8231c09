"""Customer-service chat: sessions, messages (plain or streamed), history, handoff and the agent desk.

The assistant is built in the background at start-up; until it is ready every route answers 503
with ``Retry-After`` (and ``/api/health`` reports ``"assistant": "warming"``).
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from finloom.api.deps import Analyst, Viewer, WorkbenchDep
from finloom.services import chat as service
from finloom.services.datasets import read_upload

_WARMING: dict[int | str, dict[str, Any]] = {
    503: {"description": "The assistant is still warming up (see Retry-After) or failed to build"}}
router = APIRouter(prefix="/api/chat", tags=["customer service"], responses=_WARMING)


class SessionIn(BaseModel):
    customer_id: str | None = Field(default=None, max_length=120)
    lang: Literal["en", "zh"] = "en"


class MessageIn(BaseModel):
    text: str = Field(max_length=200_000, description="The customer's message (the assistant enforces its own limit)")


class AgentMessageIn(BaseModel):
    text: str = Field(min_length=1, max_length=5000)


class SessionOut(BaseModel):
    id: str
    customer_id: str | None
    lang: str
    created_at: str
    updated_at: str
    handoff_status: str
    handoff_reason: str | None
    handoff_summary: str | None
    agent_id: str | None


class TurnOut(BaseModel):
    session_id: str
    index: int
    role: str
    text: str
    created_at: str
    meta: dict[str, Any]


class ReplyOut(BaseModel):
    session_id: str
    text: str
    lang: str
    kind: str
    intent: str | None
    confidence: float | None
    citations: list[str]
    handoff_status: str
    turn_index: int | None
    attachment: dict[str, Any] | None = Field(
        default=None, description="chart: {type, title, currency, table, png_base64} (a tool's chart also has kind, "
        "columns and tool); document: {type, doc_type, field, fields}")


class VoiceReplyOut(BaseModel):
    transcript: str = Field(description="What the offline recogniser heard")
    audio_seconds: float
    decode_ms: float
    reply: ReplyOut
    audio_wav_base64: str | None = Field(description="The reply spoken (16-bit PCM WAV), base64")
    audio_error: str | None = Field(description="Why the reply has no audio (e.g. espeak-ng missing)")


VOICE_MAX_MB = 8  # 30 s of 48 kHz stereo 16-bit PCM is 5.5 MiB


def _session_out(session: Any) -> dict[str, Any]:
    data: dict[str, Any] = session.to_dict()
    return {k: data.get(k) for k in SessionOut.model_fields}


@router.post("/sessions", response_model=SessionOut, status_code=status.HTTP_201_CREATED)
async def create_session(body: SessionIn, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Open a conversation."""
    bot = workbench.assistant()
    session = await asyncio.to_thread(bot.start_session, customer_id=body.customer_id, lang=body.lang)
    return _session_out(session)


@router.get("/sessions/{session_id}", response_model=SessionOut)
async def show_session(session_id: str, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """A conversation's state (handoff status, agent)."""
    bot = workbench.assistant()
    return _session_out(await asyncio.to_thread(bot.store.get_session, session_id))


@router.post("/sessions/{session_id}/messages", response_model=ReplyOut)
async def send_message(
    session_id: str, body: MessageIn, request: Request, principal: Viewer, workbench: WorkbenchDep,
    stream: Annotated[bool, Query(description="stream the reply as Server-Sent Events")] = False,
) -> Any:
    """Send the customer's message; the reply comes back at once (or streamed with ?stream=true).
    Tools follow the key's role: a viewer key is a customer (own data only), an analyst key staff."""
    from finloom.services.monitoring import hub_of

    reply = await asyncio.to_thread(service.send_message, workbench, principal.user, session_id, body.text,
                                    role=principal.role, hub=hub_of(request.app.state))
    if not stream:
        return reply.to_dict()

    async def chunks() -> AsyncIterator[str]:
        words = reply.text.split(" ")
        for i in range(0, len(words), 4):
            yield f"event: token\ndata: {json.dumps(' '.join(words[i:i + 4]) + ' ', ensure_ascii=False)}\n\n"
            await asyncio.sleep(0)
        yield f"event: done\ndata: {json.dumps(reply.to_dict(), ensure_ascii=False)}\n\n"

    return StreamingResponse(chunks(), media_type="text/event-stream")


@router.post("/sessions/{session_id}/voice", response_model=VoiceReplyOut)
async def send_voice(
    session_id: str, request: Request, principal: Viewer, workbench: WorkbenchDep,
    audio: Annotated[UploadFile, File(description="The spoken message: PCM WAV, at most 30 s")],
    lang: Annotated[Literal["en", "zh"], Form(description="language spoken (only English is recognised)")] = "en",
    speak: Annotated[bool, Form(description="return the reply spoken as WAV")] = True,
) -> Any:
    """A voice message: WAV in, the transcript, the assistant's reply and the reply spoken (WAV, base64)."""
    limit = min(VOICE_MAX_MB, workbench.settings.max_upload_mb)
    data = await read_upload(audio, int(request.headers.get("content-length") or 0), limit)
    out = await asyncio.to_thread(service.send_voice_message, workbench, principal.user, session_id, data,
                                  lang=lang, speak=speak)
    wav = base64.b64encode(out.audio).decode("ascii") if out.audio is not None else None
    return {**out.to_dict(), "audio_wav_base64": wav}


@router.post("/sessions/{session_id}/documents", response_model=ReplyOut)
async def send_document(
    session_id: str, request: Request, principal: Viewer, workbench: WorkbenchDep,
    file: Annotated[UploadFile, File(description="A photo (PNG, JPEG, TIFF) or PDF of a payslip, bill or statement")],
    question: Annotated[str | None, Form(max_length=2000, description="A question about the document")] = None,
    lang: Annotated[Literal["en", "zh"] | None, Form(description="the document's language (default: the chat's)")] = None,
) -> Any:
    """Upload a document in the chat: it is read (OCR + fields) and the reply answers from its fields."""
    data = await read_upload(file, int(request.headers.get("content-length") or 0), workbench.settings.max_upload_mb)
    reply = await asyncio.to_thread(service.send_document, workbench, principal.user, session_id, data,
                                    file.filename or "document", question=question or None, lang=lang)
    return reply.to_dict()


@router.get("/sessions/{session_id}/messages", response_model=list[TurnOut])
async def history(
    session_id: str, principal: Viewer, workbench: WorkbenchDep,
    since: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """The transcript from turn ``since`` on (poll it to see an agent's replies)."""
    bot = workbench.assistant()
    return [t.to_dict() for t in await asyncio.to_thread(bot.history, session_id, since=since)]


@router.post("/sessions/{session_id}/handoff", response_model=ReplyOut)
async def request_handoff(session_id: str, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Ask for a human."""
    reply = await asyncio.to_thread(service.request_handoff, workbench, principal.user, session_id)
    return reply.to_dict()


@router.post("/sessions/{session_id}/return-to-bot", response_model=ReplyOut)
async def return_to_bot(session_id: str, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Leave the queue for a person and carry on with the assistant (409 once an agent has taken
    over: the agent releases the conversation instead)."""
    reply = await asyncio.to_thread(service.return_to_bot, workbench, principal.user, session_id)
    return reply.to_dict()


@router.get("/queue", response_model=list[SessionOut])
async def handoff_queue(principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Conversations waiting for or handled by a human, oldest first (agents: analyst role)."""
    bot = workbench.assistant()
    return [_session_out(s) for s in await asyncio.to_thread(bot.handoff_queue)]


@router.post("/sessions/{session_id}/takeover", response_model=TurnOut)
async def take_over(session_id: str, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """An agent takes the conversation over from the assistant."""
    turn = await asyncio.to_thread(service.take_over, workbench, principal.user, session_id)
    return turn.to_dict()


@router.post("/sessions/{session_id}/agent-messages", response_model=TurnOut)
async def agent_message(session_id: str, body: AgentMessageIn, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """The agent's reply, shown in the customer's chat."""
    turn = await asyncio.to_thread(service.agent_reply, workbench, principal.user, session_id, body.text)
    return turn.to_dict()


@router.post("/sessions/{session_id}/release", response_model=TurnOut)
async def release(session_id: str, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Hand the conversation back to the assistant."""
    turn = await asyncio.to_thread(service.release, workbench, principal.user, session_id)
    return turn.to_dict()
