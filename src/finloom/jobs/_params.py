"""Typed job parameters: one pydantic model per job kind, checked the same way for API, web and CLI.

Every model refuses unknown fields; :func:`parse_params` turns pydantic's errors into finloom's
"<field> must be <expectation>; got <value>. <remedy>" messages, and refuses oversized params.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from finloom.errors import InvalidDataError, PayloadTooLargeError, did_you_mean

if TYPE_CHECKING:
    from finloom.jobs._context import JobContext

__all__ = [
    "MAX_PARAMS_BYTES",
    "DatasetName",
    "InvalidParamsError",
    "JobParams",
    "ModelName",
    "Seed",
    "Version",
    "check_params_size",
    "parse_params",
    "validation_problems",
]

MAX_PARAMS_BYTES = 64 * 1024  # a job's parameters as JSON; every field is bounded well below this
_UNION_TAGS = ("int", "float", "str", "bool", "none", "list", "dict", "date", "datetime")

DatasetName = Annotated[str, Field(min_length=1, max_length=120, description="A registered dataset (GET /api/datasets).")]
ModelName = Annotated[str, Field(min_length=1, max_length=120, description="A registered model (GET /api/models).")]
Version = Annotated[int | None, Field(ge=1, le=1_000_000, description="Version to use; empty for the newest.")]
Seed = Annotated[int, Field(ge=0, le=2**31 - 1, description="Random seed: the same seed gives the same result.")]

P = TypeVar("P", bound="JobParams")


class InvalidParamsError(InvalidDataError):
    """Parameters failed validation; ``problems`` holds one templated message per field.

    Examples
    --------
    >>> err = InvalidParamsError(["a must be b; got c. Do d.", "e must be f; got g. Do h."])
    >>> err.status_code, err.message.splitlines()[0]
    (422, 'parameters have 2 problems:')
    """

    def __init__(self, problems: str | Sequence[str], what: str = "parameters") -> None:
        super().__init__(problems)
        if len(self.problems) > 1:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            self.message = f"{what} have {len(self.problems)} problems:\n{lines}"
            self.args = (self.message,)


class JobParams(BaseModel):
    """Base of every job kind's parameters: immutable, unknown fields refused.

    Subclasses set ``kind`` and may override :meth:`check` to verify what the parameters name
    (registered datasets and models, files under the import folders) before the job is queued.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: ClassVar[str] = ""

    def check(self, ctx: JobContext) -> None:
        """Verify the datasets, models and files these parameters name; raise a FinloomError if not."""


def check_params_size(data: Any, limit: int = MAX_PARAMS_BYTES) -> None:
    """Refuse parameters larger than ``limit`` bytes of JSON (413).

    Examples
    --------
    >>> check_params_size({"note": "x" * 70_000})
    Traceback (most recent call last):
    ...
    finloom.errors.PayloadTooLargeError: params must be at most 64 KiB as JSON; got 68 KiB. Send fewer or shorter values.
    """
    size = len(json.dumps(data, default=str).encode())
    if size > limit:
        raise PayloadTooLargeError(
            f"params must be at most {limit / 1024:.0f} KiB as JSON; got {size / 1024:.0f} KiB. Send fewer or shorter values."
        )


def parse_params(model: type[P], data: Mapping[str, Any] | BaseModel) -> P:
    """Validate ``data`` as ``model``; every problem is reported in one :class:`InvalidParamsError`.

    Examples
    --------
    >>> class Count(JobParams):
    ...     kind = "demo.count"
    ...     steps: int = Field(default=10, ge=1, description="Number of steps to count.")
    >>> parse_params(Count, {"steps": "3"}).steps
    3
    >>> parse_params(Count, {"steps": 0})
    Traceback (most recent call last):
    ...
    finloom.jobs._params.InvalidParamsError: steps must be greater than or equal to 1; got 0. Number of steps to count.
    """
    if isinstance(data, model):
        return data
    raw = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    check_params_size(raw)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise InvalidParamsError(validation_problems(exc.errors(), model, root="params")) from None


def _short(value: Any) -> str:
    """``repr(value)``, cut to its start (with its length) when long: messages never echo a big input."""
    text = repr(value)
    if len(text) <= 60:
        return text
    start = repr(value[:40]) if isinstance(value, str) else text[:40]
    return f"{start}... ({len(value) if isinstance(value, str) else len(text)} characters)"


def _path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _expectation(error: ErrorDetails) -> str:
    msg = error["msg"]
    for prefix in ("Input should", "String should", "List should", "Dictionary should", "Value should", "Tuple should"):
        if msg.startswith(prefix):
            return "must" + msg[len(prefix):]
    return f"must be valid ({msg[0].lower() + msg[1:]})"


def _remedy(model: type[BaseModel] | None, loc: Sequence[int | str]) -> str:
    field = model.model_fields.get(str(loc[0])) if model is not None and loc else None
    if field is not None and field.description:
        return field.description
    kind = getattr(model, "kind", "")
    return f"GET /api/jobs/kinds/{kind} describes each parameter." if kind else "/docs describes each field."


def _extra(model: type[BaseModel] | None, loc: Sequence[int | str]) -> str:
    key, parent = str(loc[-1]), _path(loc[:-1])
    names = sorted(model.model_fields) if model is not None and len(loc) == 1 else []
    kind = getattr(model, "kind", "")
    if kind and len(loc) == 1:
        where = f"those of {kind} ({', '.join(names)})"
        remedy = f"Remove it; GET /api/jobs/kinds/{kind} describes each parameter."
    else:
        where = f"known fields{' of ' + parent if parent else ''}" + (f" ({', '.join(names)})" if names else "")
        remedy = "Remove it; /docs describes each field."
    what = "parameters" if kind else "fields"
    return f"{what} must be {where}; got {key!r}.{did_you_mean(key, names)} {remedy}"


def _merge_unions(errors: Sequence[ErrorDetails]) -> list[tuple[tuple[int | str, ...], ErrorDetails, str]]:
    """One entry per field: the alternatives of a union (``int | float``) are joined with "or"."""
    merged: dict[tuple[int | str, ...], tuple[ErrorDetails, list[str]]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        if len(loc) > 1 and isinstance(loc[-1], str) and loc[-1].split("[")[0] in _UNION_TAGS:
            loc = loc[:-1]
        merged.setdefault(loc, (error, []))[1].append(_expectation(error).removeprefix("must be "))
    out = []
    for loc, (error, exp) in merged.items():
        if len(exp) > 1:  # "a valid integer, unable to parse ..." -> "a valid integer"
            exp = [e.split(",")[0] for e in exp]
        out.append((loc, error, " or ".join(dict.fromkeys(exp))))
    return out


def validation_problems(
    errors: Sequence[ErrorDetails], model: type[BaseModel] | None = None, *, root: str = "value"
) -> list[str]:
    """finloom-style messages for pydantic ``errors`` of ``model`` (field, expectation, value, remedy);
    ``root`` names the whole input when an error is about it rather than one field.

    Examples
    --------
    >>> from pydantic import TypeAdapter
    >>> try:
    ...     TypeAdapter(int).validate_python("many")
    ... except ValidationError as exc:
    ...     validation_problems(exc.errors())
    ["value must be a valid integer, unable to parse string as an integer; got 'many'. /docs describes each field."]
    """
    problems = []
    for loc, error, expectation in _merge_unions(errors):
        value = error.get("input")
        if error["type"] == "extra_forbidden":
            problems.append(_extra(model, loc))
        elif error["type"] == "value_error":
            problems.append(str(error.get("ctx", {}).get("error", error["msg"])))
        elif error["type"] == "json_invalid":
            problems.append(f"request body must be valid JSON; got {error.get('ctx', {}).get('error', 'invalid JSON')}. "
                            "Check the JSON syntax.")
        elif error["type"] == "missing":
            problems.append(f"{_path(loc)} must be given; got nothing. {_remedy(model, loc)}")
        else:
            expectation = expectation if expectation.startswith("must") else "must be " + expectation
            hint = _hint(error, value)
            problems.append(f"{_path(loc) or root} {expectation}; got {_short(value)}.{hint} {_remedy(model, loc)}")
    return problems


def _hint(error: ErrorDetails, value: Any) -> str:
    """" Did you mean 'x'?" for a near miss of a fixed choice (a ``Literal`` field)."""
    if error["type"] != "literal_error" or not isinstance(value, str):
        return ""
    return did_you_mean(value, re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", ""))))
