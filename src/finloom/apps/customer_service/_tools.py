"""Tools the assistant can call: their description (role, typed parameters, whether they act and
need a confirmation), the context the service layer injects, results with their facts, and the
registry the wiring layer fills in (the assistant never imports another scenario)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from finloom.errors import ConfigError, did_you_mean
from finloom.textgen import Fact, FactSet

__all__ = ["Slot", "Tool", "ToolContext", "ToolRegistry", "ToolResult"]

Role = Literal["anyone", "customer", "analyst"]
SlotKind = Literal["amount", "years", "income", "choice", "text", "yes_no"]


@dataclass(frozen=True)
class Slot:
    """A value a tool asks for: its parameter name, how the answer is read (``kind``), the question
    in English and Chinese and, for ``choice``, the options ``(value, label)`` in the asked language."""

    name: str
    kind: SlotKind
    prompt: str
    options: tuple[tuple[str, str], ...] = ()


@dataclass
class ToolResult:
    """What a tool found: the reply text (every number in it one of ``facts``), the facts, and for
    series results a chart (a :class:`FactSet` carries the entities' names in both languages) (``chart``: its table and kind, ``png_base64``) shown with the reply."""

    text: str
    facts: list[Fact] | FactSet = field(default_factory=list)
    chart: dict[str, Any] | None = None
    png_base64: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    ok: bool = True  # False: the tool could not do it (bad input the dialogue cannot fix, no data)


@dataclass(frozen=True)
class ToolContext:
    """Who calls a tool and with what: the principal's ``role`` ("customer" or "analyst"), the
    ``actor`` for the audit record, the ``registry`` of tools, and ``resources`` the tools run on
    (the workbench; injected by the service layer). ``datasets`` names the data tables the router
    may recognise.

    Examples
    --------
    >>> ctx = ToolContext(role="customer", actor="c-1", registry=ToolRegistry())
    >>> ctx.is_analyst
    False
    """

    role: Literal["customer", "analyst"]
    actor: str
    registry: ToolRegistry
    resources: Any = None
    datasets: tuple[str, ...] = ()

    @property
    def is_analyst(self) -> bool:
        """Whether the caller is bank staff."""
        return self.role == "analyst"


@dataclass(frozen=True)
class Tool:
    """One tool.

    Parameters
    ----------
    name : the tool's fixed name (``market_summary``...).
    role : who may call it: ``anyone``, ``customer`` (a signed-in customer, own data only) or
        ``analyst`` (bank staff).
    params : the pydantic model its values are validated with before it runs.
    run : ``run(ctx, customer_id, params, lang) -> ToolResult``.
    next_slot : ``next_slot(ctx, customer_id, values, lang) -> Slot | None``: the next value to ask
        for (``None`` when it can run).
    confirm : for actions, ``confirm(ctx, customer_id, params, lang) -> ToolResult | None``: the
        confirmation question (``None``: nothing to confirm for these values).
    labels : the tool's name for people, (English, Chinese).
    """

    name: str
    role: Role
    params: type[BaseModel]
    run: Callable[[ToolContext, str | None, Any, str], ToolResult]
    next_slot: Callable[[ToolContext, str | None, dict[str, Any], str], Slot | None] = (
        lambda ctx, customer, values, lang: None)
    confirm: Callable[[ToolContext, str | None, Any, str], ToolResult | None] | None = None
    labels: tuple[str, str] = ("", "")

    def label(self, lang: str) -> str:
        """The tool's name for people in ``lang``."""
        en, zh = self.labels
        return (zh if lang == "zh" else en) or self.name


class ToolRegistry:
    """The tools the assistant may call, by name.

    Examples
    --------
    >>> class P(BaseModel):
    ...     pass
    >>> reg = ToolRegistry([Tool("market_summary", "anyone", P, lambda c, who, p, lang: ToolResult("ok"))])
    >>> reg.get("market_summary").role, "price_chart" in reg
    ('anyone', False)
    """

    def __init__(self, tools: Iterable[Tool] = ()) -> None:
        self._tools: dict[str, Tool] = {}
        for tool in tools:
            self.add(tool)

    def add(self, tool: Tool) -> None:
        """Register ``tool`` (a second tool of the same name replaces the first)."""
        self._tools[tool.name] = tool

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def names(self) -> list[str]:
        """Registered tool names."""
        return list(self._tools)

    def get(self, name: str) -> Tool:
        """The tool ``name``; raises :class:`ConfigError` naming the registered ones otherwise."""
        if name not in self._tools:
            raise ConfigError(f"tool must be one of {sorted(self._tools)}; got {name!r}."
                              f"{did_you_mean(name, self._tools)}")
        return self._tools[name]
