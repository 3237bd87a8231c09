"""The tools the chat assistant may call, wired to the service layer: the registry of the eight
tools and the context (caller's role, workbench, monitoring hub) a chat message is handled with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from finloom.apps.customer_service._tools import ToolContext, ToolRegistry
from finloom.workbench import Workbench

__all__ = ["ToolResources", "build_tool_registry", "tool_context"]


@dataclass(frozen=True)
class ToolResources:
    """What the tools run on: the workbench and the monitoring hub of this process."""

    workbench: Workbench
    hub: Any = None


def build_tool_registry() -> ToolRegistry:
    """The eight tools of ``tool_spec/TOOLS.md``.

    Examples
    --------
    >>> sorted(build_tool_registry().names())[:3]
    ['alerts_cases', 'application_status', 'credit_precheck']
    """
    from finloom.services._tools_advice import advice_tools
    from finloom.services._tools_credit import credit_tools
    from finloom.services._tools_market import market_tools
    from finloom.services._tools_staff import staff_tools

    return ToolRegistry([*market_tools(), *advice_tools(), *credit_tools(), *staff_tools()])


def tool_context(workbench: Workbench, actor: str, role: str, *, hub: Any = None,
                 registry: ToolRegistry | None = None) -> ToolContext:
    """The tool context of one chat message: ``role`` is the principal's role (viewer → customer,
    analyst or admin → analyst); the workspace's dataset names let the router recognise them."""
    names = tuple(d.name for d in workbench.datasets.list())
    return ToolContext(role="analyst" if role in ("analyst", "admin") else "customer", actor=actor,
                       registry=registry or build_tool_registry(), resources=ToolResources(workbench, hub),
                       datasets=names)
