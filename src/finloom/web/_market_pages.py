"""Market scenario pages: simulate paths, and run an MA-crossover grid through the strategy lab."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from finloom.errors import ConfigError
from finloom.web._deps import WorkbenchDep
from finloom.web._pages import User, form_params, start_job
from finloom.web._render import render

router = APIRouter(include_in_schema=False)


_PRICE_WORDS = ("price", "close", "adj", "last", "level", "nav", "index", "value", "px", "收盘", "价格")
MODELS = ("fhs", "garch", "bootstrap", "ddpm", "quantgan")  # the job's and the CLI's names; the first is the default


def is_price_table(dataset: dict[str, Any]) -> bool:
    """A table the simulators can fit: a date column plus price columns (every other column a
    number, or a number named like a price), so a credit or customer table is not offered.

    Examples
    --------
    >>> cols = lambda *kinds: {"metadata": {"columns": [{"name": n, "kind": k} for n, k in kinds]}}
    >>> is_price_table(cols(("day", "datetime"), ("SPX", "numerical")))
    True
    >>> is_price_table(cols(("applied", "datetime"), ("income", "numerical"), ("segment", "categorical")))
    False
    >>> is_price_table(cols(("date", "datetime"), ("close", "numerical"), ("ticker", "categorical")))
    True
    """
    columns = (dataset.get("metadata") or {}).get("columns", [])
    kinds = [c.get("kind") for c in columns]
    numbers = [str(c.get("name", "")).lower() for c in columns if c.get("kind") == "numerical"]
    if "datetime" not in kinds or not numbers:
        return False
    others_numeric = all(k in ("datetime", "numerical") for k in kinds)
    return others_numeric or any(word in name for name in numbers for word in _PRICE_WORDS)


def _page(request: Request, workbench: Any, problems: list[str] | None = None) -> HTMLResponse:
    datasets = [d for d in (info.to_dict() for info in workbench.datasets.list()) if is_price_table(d)]
    return render(request, "market.html", status_code=422 if problems else 200, datasets=datasets, problems=problems,
                  models=MODELS)


@router.get("/market", response_class=HTMLResponse)
def market_page(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return _page(request, workbench)


def _ints(text: str, name: str) -> list[int]:
    try:
        values = [int(v) for v in text.replace(";", ",").split(",") if v.strip()]
    except ValueError as exc:
        raise ConfigError(f"{name} must be whole numbers separated by commas; got {text!r}.") from exc
    if not values or min(values) < 1:
        raise ConfigError(f"{name} must list at least one number >= 1; got {text!r}.")
    return values


@router.post("/market/simulate", response_model=None)
async def market_simulate(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()
    return start_job(workbench, principal, "market.simulate", lambda: form_params(form, "source", "model", "n_paths", "regime"),
                     lambda problems: _page(request, workbench, problems))


@router.post("/market/lab", response_model=None)
async def market_lab(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()

    def params() -> dict[str, Any]:  # parsed into LabRunParams by the job service
        grid = [{"fast": f, "slow": s} for f in _ints(str(form.get("fast", "")), "fast windows")
                for s in _ints(str(form.get("slow", "")), "slow windows") if f < s]
        if not grid:
            raise ConfigError("fast windows must be shorter than slow windows; got no valid pair.")
        return {"strategy": "ma_crossover", "grid": grid, "n_paths": 1000}

    return start_job(workbench, principal, "lab.run", params, lambda problems: _page(request, workbench, problems))
