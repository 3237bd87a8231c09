"""Job parameters: one model per kind, unknown fields refused, messages in finloom's template."""

from __future__ import annotations

import typing

import pytest
from pydantic import Field

from finloom.errors import PayloadTooLargeError
from finloom.jobs import (
    JOB_KINDS,
    InvalidParamsError,
    JobContext,
    JobParams,
    parse_params,
    resolve_params,
)
from finloom.jobs._kinds import _import


class _Grid(JobParams):
    kind = "test.grid"
    model: typing.Literal["copula", "gan"] = Field(default="copula", description="Family.")
    grid: list[dict[str, int | float]] = Field(default_factory=list, description="Settings to try.")
    steps: int = Field(default=1, ge=1, description="How many steps.")


@pytest.mark.parametrize("kind", sorted(JOB_KINDS))
def test_every_kind_has_a_strict_model_its_function_takes(kind):
    model = resolve_params(kind)
    assert issubclass(model, JobParams) and model.kind == kind
    assert model.model_config["extra"] == "forbid" and model.model_json_schema()["additionalProperties"] is False
    function = _import(JOB_KINDS[kind].function)
    hints = typing.get_type_hints(function)
    assert list(hints) == ["ctx", "p", "return"] and hints["ctx"] is JobContext and hints["p"] is model


def test_unknown_field_gets_a_hint():
    with pytest.raises(InvalidParamsError) as err:
        parse_params(_Grid, {"step": 2})
    assert err.value.message == (
        "parameters must be those of test.grid (grid, model, steps); got 'step'. Did you mean 'steps'? "
        "Remove it; GET /api/jobs/kinds/test.grid describes each parameter."
    )


def test_choice_and_union_messages():
    with pytest.raises(InvalidParamsError) as err:
        parse_params(_Grid, {"model": "gann", "grid": [{"fast": "x"}]})
    assert err.value.problems == [
        "model must be 'copula' or 'gan'; got 'gann'. Did you mean 'gan'? Family.",
        "grid[0].fast must be a valid integer or a valid number; got 'x'. Settings to try.",
    ]


def test_whole_input_of_the_wrong_type():
    with pytest.raises(InvalidParamsError) as err:
        parse_params(_Grid, [1, 2])  # type: ignore[arg-type]
    assert err.value.message.startswith("params must be a valid dictionary or instance of _Grid; got [1, 2].")


def test_long_values_are_shortened_in_messages():
    with pytest.raises(InvalidParamsError) as err:
        parse_params(_Grid, {"steps": "x" * 500})
    assert err.value.message == (
        f"steps must be a valid integer, unable to parse string as an integer; got '{'x' * 40}'... (500 characters). "
        "How many steps."
    )


def test_oversized_params_are_refused_before_validation():
    with pytest.raises(PayloadTooLargeError) as err:
        parse_params(_Grid, {"grid": [{"fast": 1}] * 20_000})
    assert err.value.status_code == 413 and err.value.message.startswith("params must be at most 64 KiB as JSON")


def test_a_parsed_model_is_passed_through_and_frozen():
    params = _Grid(steps=3)
    assert parse_params(_Grid, params) is params
    with pytest.raises(ValueError, match="frozen"):
        params.steps = 4  # type: ignore[misc]
