"""Base of every evaluation result: a dataclass with ``to_dict()`` (JSON-able) and ``to_html()``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from finloom._serialization import to_jsonable
from finloom.evaluate._html import page

__all__ = ["EvaluationResult"]


@dataclass
class EvaluationResult:
    """Typed result of one evaluator; subclasses add fields and render :meth:`section_html`.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Demo(EvaluationResult):
    ...     title = "Demo"
    ...     score: float = 0.5
    >>> Demo().to_dict()
    {'score': 0.5}
    >>> "<h1>Demo</h1>" in Demo().to_html()
    True
    """

    title: ClassVar[str] = "Evaluation"

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain JSON values (non-finite floats become strings)."""
        result: dict[str, Any] = to_jsonable({f.name: getattr(self, f.name) for f in fields(self)})
        return result

    def section_html(self) -> str:
        """The result as an HTML ``<section>`` fragment (embedded by :class:`QualityReport`)."""
        from finloom.evaluate._html import key_value_table, section

        return section(self.title, key_value_table(self.to_dict()))

    def to_html(self) -> str:
        """A complete self-contained HTML page with this result."""
        return page(self.title, self.section_html())
