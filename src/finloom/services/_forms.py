"""Parse interface input (form fields, CLI options) into the services' pydantic models."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from finloom.jobs import InvalidParamsError, validation_problems

__all__ = ["parse_input"]

M = TypeVar("M", bound=BaseModel)


def parse_input(model: type[M], data: Mapping[str, Any]) -> M:
    """Validate ``data`` as ``model``; every problem in one templated 422 error.

    Examples
    --------
    >>> from pydantic import Field
    >>> class Upload(BaseModel):
    ...     target: str = Field("", max_length=3, description="The target column.")
    >>> parse_input(Upload, {"target": "default"})
    Traceback (most recent call last):
    ...
    finloom.jobs._params.InvalidParamsError: target must have at most 3 characters; got 'default'. The target column.
    """
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidParamsError(validation_problems(exc.errors(), model, root="input"), what="fields") from None
