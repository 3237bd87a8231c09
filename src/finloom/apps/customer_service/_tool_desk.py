"""Tool calls in the dialogue: a routed message starts a tool; missing values are asked for one at a
time, actions wait for a yes, "cancel"/算了 leaves, a question in between is answered and the tool's
question repeated. Role checks come first; every reply text is checked by the faithfulness guard
against the tool's facts before it is sent."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from finloom.apps.customer_service._dialogue import looks_like_question
from finloom.apps.customer_service._messages import is_cancel, is_no, is_yes, say
from finloom.apps.customer_service._store import Session
from finloom.apps.customer_service._tool_params import find_amount, find_income, find_years
from finloom.apps.customer_service._tool_router import ToolRoute, route_tool
from finloom.apps.customer_service._tools import Slot, Tool, ToolContext, ToolResult
from finloom.errors import FinloomError
from finloom.textgen import FaithfulnessGuard

if TYPE_CHECKING:
    from finloom.apps.customer_service._assistant import Reply
    from finloom.apps.customer_service._understanding import Understanding

__all__ = ["TOOL_KINDS", "ToolDesk", "read_slot"]

TOOL_KINDS = ("tool_result", "tool_prompt", "tool_denied")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "第一": 1, "第二": 2, "第三": 3,
             "第四": 4, "第五": 5, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


def _choice(text: str, options: tuple[tuple[str, str], ...]) -> str | None:
    clean = text.strip().strip("。.!！ ").lower()
    m = re.fullmatch(r"(?:option |选|第)?\s*(\d)\s*(?:个|项|\.)?", clean)
    number = int(m.group(1)) if m else _ORDINALS.get(clean.removeprefix("the ").removesuffix(" one")
                                                     .removesuffix("个").removesuffix("项"))
    if number is not None and 1 <= number <= len(options):
        return options[number - 1][0]
    for value, label in options:
        if clean in (value.lower(), label.lower()) or (len(clean) >= 2 and clean in label.lower()):
            return value
    hits = [value for value, label in options if label.lower() in clean]
    return hits[0] if len(hits) == 1 else None


def read_slot(slot: Slot, text: str) -> Any:
    """The value an answer gives ``slot``, or ``None`` when it does not answer it.

    Examples
    --------
    >>> read_slot(Slot("amount", "amount", "How much?"), "about 50k")
    50000.0
    >>> read_slot(Slot("years", "years", "How long?"), "5"), read_slot(Slot("years", "years", "多久？"), "三年")
    (5.0, 3.0)
    >>> read_slot(Slot("q", "choice", "?", (("low", "Very little"), ("high", "More than half"))), "2")
    'high'
    """
    clean = text.strip()
    bare = re.fullmatch(r"[$¥€£]?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(?:元|块|dollars?|yuan|rmb|cny)?", clean, re.I)
    if slot.kind == "amount":
        return find_amount(clean) or (float(bare.group(1).replace(",", "")) if bare else None)
    if slot.kind == "years":
        years = find_years(clean)
        if years is None and bare and 0 < float(bare.group(1).replace(",", "")) <= 50:
            years = float(bare.group(1).replace(",", ""))
        return years
    if slot.kind == "income":
        income = find_income(clean)
        if income is None:
            amount = find_amount(clean) or (float(bare.group(1).replace(",", "")) if bare else None)
            yearly = bool(re.search(r"year|annual|年", clean, re.I))
            income = (amount, "year" if yearly or (amount or 0) >= 30_000 else "month") if amount else None
        return None if income is None else (income[0] if income[1] == "month" else round(income[0] / 12, 2))
    if slot.kind == "choice":
        return _choice(clean, slot.options)
    if slot.kind == "yes_no":
        return True if is_yes(clean) else False if is_no(clean) else None
    return clean or None


class ToolDesk:
    """Tool-call methods of :class:`CustomerServiceAssistant` (a mixin: it uses the assistant's reply
    helper and FAQ search)."""

    def _say(self, session: Session, text: str, lang: str, kind: str, *, intent: str | None = None,
             confidence: float | None = None, citations: tuple[str, ...] = (),
             meta: dict[str, Any] | None = None) -> Reply:
        raise NotImplementedError

    def _find_answer(self, text: str, lang: str, needed: float) -> tuple[str, tuple[str, ...], float] | None:
        raise NotImplementedError

    # ------------------------------------------------------------------ entry
    def _tool_reply(self, session: Session, u: Understanding, tools: ToolContext | None) -> Reply | None:
        """The reply when the message starts or continues a tool call, else ``None``."""
        if session.slots.get("tool"):
            return self._in_tool(session, u, tools)
        if session.slots.get("task"):
            return None
        found = route_tool(u.text, datasets=tools.datasets if tools else (), actor=tools.actor if tools else "")
        if found is None:
            return None
        return self._start_tool(session, found, u.lang, tools)

    def _start_tool(self, session: Session, found: ToolRoute, lang: str, tools: ToolContext | None,
                    then: dict[str, Any] | None = None) -> Reply:
        name = found.tool
        if tools is None or name not in tools.registry:
            return self._say(session, say("tool_unavailable", lang, tool=say(f"tool_{name}", lang)), lang,
                             "tool_denied", intent=name)
        tool = tools.registry.get(name)
        denied = self._denied(session, tool, tools, lang)
        if denied is not None:
            return denied
        state = {"name": name, "values": dict(found.params), "awaiting": None, "then": then}
        session.slots["tool"] = state
        return self._advance(session, tool, tools, lang)

    def _denied(self, session: Session, tool: Tool, tools: ToolContext, lang: str) -> Reply | None:
        label = tool.label(lang)
        if tool.role == "analyst" and not tools.is_analyst:
            key = "tool_needs_analyst"
        elif tool.role == "customer" and not session.customer_id:
            key = "tool_needs_customer"
        else:
            return None
        return self._say(session, say(key, lang, tool=label), lang, "tool_denied", intent=tool.name,
                         meta={"tool": tool.name, "denied": key})

    # ------------------------------------------------------------------ the dialogue
    def _in_tool(self, session: Session, u: Understanding, tools: ToolContext | None) -> Reply | None:
        state = session.slots["tool"]
        text, lang = u.text, u.lang
        if tools is None or state["name"] not in tools.registry:
            session.slots.pop("tool", None)
            return None
        tool = tools.registry.get(state["name"])
        if is_cancel(text) and not (state["awaiting"] == "confirm" and is_yes(text)):
            session.slots.pop("tool", None)
            return self._say(session, say("cancelled", lang), lang, "cancelled", intent=tool.name)
        if u.intent in ("human_agent", "complaint", "goodbye"):
            session.slots.pop("tool", None)
            return None  # the dialogue's own handling (handoff, farewell)
        awaiting = state["awaiting"]
        if awaiting == "confirm":
            if is_yes(text):
                state["values"]["confirmed"] = True
                return self._advance(session, tool, tools, lang)
            if is_no(text):
                session.slots.pop("tool", None)
                return self._say(session, say("cancelled", lang), lang, "cancelled", intent=tool.name)
        elif awaiting:
            slot = Slot(**{**awaiting, "options": tuple(tuple(o) for o in awaiting.get("options", ()))})
            value = read_slot(slot, text)
            if value is not None:
                state["values"][slot.name] = value
                state["awaiting"] = None
                return self._advance(session, tool, tools, lang)
        other = route_tool(text, datasets=tools.datasets, actor=tools.actor)
        if other is not None and other.tool != tool.name:
            session.slots.pop("tool", None)  # the user moved on to another tool
            return self._start_tool(session, other, lang, tools)
        if looks_like_question(text) or u.intent not in ("faq", "out_of_scope"):
            found = self._find_answer(text, lang, 0.1)
            answer = found[0] if found is not None else say("scope_statement", lang)
            return self._say(session, say("tool_resume", lang, answer=answer, tool=tool.label(lang),
                                          prompt=state["prompt"]), lang, "resume_reminder",
                             intent="faq" if found else "out_of_scope",
                             citations=found[1] if found else ())
        return self._say(session, say("not_understood_slot", lang, prompt=state["prompt"]), lang, "tool_prompt",
                         intent=tool.name)

    def _advance(self, session: Session, tool: Tool, tools: ToolContext, lang: str) -> Reply:
        """Ask for the next value, ask for the confirmation, or run the tool."""
        state = session.slots["tool"]
        customer = session.customer_id
        try:
            slot = tool.next_slot(tools, customer, state["values"], lang)
            if slot is not None:
                return self._prompt(session, tool, slot.prompt, lang,
                                    {"name": slot.name, "kind": slot.kind, "prompt": slot.prompt,
                                     "options": [list(o) for o in slot.options]})
            params = tool.params.model_validate(state["values"])
            if tool.confirm is not None and not state["values"].get("confirmed"):
                question = tool.confirm(tools, customer, params, lang)
                if question is not None:
                    return self._prompt(session, tool, self._checked(question, lang), lang, "confirm")
            result = tool.run(tools, customer, params, lang)
        except ValidationError as exc:
            session.slots.pop("tool", None)
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3])
            return self._say(session, say("tool_bad_input", lang, tool=tool.label(lang), problems=problems), lang,
                             "task_error", intent=tool.name)
        except FinloomError as exc:
            session.slots.pop("tool", None)
            return self._say(session, say("tool_failed", lang, tool=tool.label(lang), why=exc.message), lang,
                             "task_error", intent=tool.name)
        session.slots.pop("tool", None)
        reply = self._result(session, tool, result, lang)
        then = state.get("then")
        if then and result.ok and tools.registry and then["tool"] in tools.registry:
            follow = self._start_tool(session, ToolRoute(then["tool"], then.get("params", {})), lang, tools)
            return replace(follow, text=f"{reply.text}\n\n{follow.text}")
        if result.extra.get("then"):
            nxt = result.extra["then"]
            follow = self._start_tool(session, ToolRoute(nxt["via"], {}), lang, tools,
                                      then={"tool": nxt["tool"], "params": nxt.get("params", {})})
            return replace(follow, text=f"{reply.text}\n\n{follow.text}")
        return reply

    def _prompt(self, session: Session, tool: Tool, prompt: str, lang: str, awaiting: Any) -> Reply:
        state = session.slots["tool"]
        state["awaiting"], state["prompt"] = awaiting, prompt
        return self._say(session, prompt, lang, "tool_prompt", intent=tool.name, meta={"tool": tool.name})

    def _checked(self, result: ToolResult, lang: str) -> str:
        """The result's text when the faithfulness guard finds every number in its facts, else a
        notice that the figures could not be checked."""
        if not result.facts:
            return result.text
        report = FaithfulnessGuard().check(result.text, result.facts, lang=lang)
        return result.text if report.ok else say("tool_unchecked", lang)

    def _result(self, session: Session, tool: Tool, result: ToolResult, lang: str) -> Reply:
        text = self._checked(result, lang)
        meta: dict[str, Any] = {"tool": tool.name, "guarded": text == result.text}
        if result.chart is not None:
            meta["chart"] = result.chart
        kind = "chart" if result.chart is not None else "tool_result"
        reply = self._say(session, text, lang, kind, intent=tool.name, meta=meta)
        if result.chart is None:
            return replace(reply, attachment=result.extra.get("attachment"))
        extra = {k: v for k, v in result.extra.items() if k not in ("then", "attachment")}
        return replace(reply, attachment={**result.chart, "png_base64": result.png_base64, **extra})
