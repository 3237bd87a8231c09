"""Drill-down: a question ("why did defaults rise in March?") or a slice filter, answered by
running the decomposition (or the whole search) on that slice."""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from finloom.apps.insights._find import InsightSet, find_insights
from finloom.apps.insights._roles import Roles, infer_roles, prepare_frame
from finloom.apps.insights._stats import Candidate, benjamini_hochberg, effect_size, welch_p
from finloom.apps.insights._time import Periods, decompose
from finloom.data import Metadata
from finloom.errors import ConfigError, InvalidDataError, did_you_mean

__all__ = ["apply_filter", "drill_down", "parse_question"]

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MIN_SHARE = 10.0  # a value explaining less of the change than this (in %) is not named


def apply_filter(df: pd.DataFrame, where: Mapping[str, str] | None) -> pd.DataFrame:
    """Rows of ``df`` where every ``column == value`` holds (values compared as text).

    Examples
    --------
    >>> apply_filter(pd.DataFrame({"r": ["N", "S", "N"]}), {"r": "N"}).index.tolist()
    [0, 2]
    """
    out = df
    for col, value in (where or {}).items():
        if col not in df.columns:
            raise ConfigError(
                f"filter column must be a column of the dataset; got {col!r}.{did_you_mean(col, df.columns)}"
            )
        out = out[out[col].astype("string") == str(value)]
    if where and len(out) == 0:
        raise InvalidDataError(
            [f"filter must keep some rows; got none for {dict(where)}. Check the values."]
        )
    return out


def _match_column(question: str, names: Sequence[str]) -> str | None:
    words = re.findall(r"[\w\u4e00-\u9fff]+", question.lower())
    lowered = {n.lower(): n for n in names}
    for n_low, n in lowered.items():
        if n_low in question.lower():
            return n
    for w in words:
        for cand in (w, w.rstrip("s"), w[:-2] if w.endswith("es") else w):
            if cand in lowered:
                return lowered[cand]
            close = difflib.get_close_matches(cand, list(lowered), n=1, cutoff=0.85)
            if close:
                return lowered[close[0]]
    return None


def _match_month(question: str) -> tuple[int | None, int | None]:
    """(year, month) named in the question: 'March', 'Mar 2024', '2024-03', '2024年3月', '3月'."""
    q = question.lower()
    m = re.search(r"(\d{4})-(\d{1,2})\b", q) or re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月", q)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = re.search(r"(?<!\d)(\d{1,2})\s*月", q)
    if m:
        return None, int(m.group(1))
    for word in re.findall(r"[a-z]+", q):
        if word in _MONTHS:
            year = re.search(rf"{word}\w*\s+(\d{{4}})", q)
            return (int(year.group(1)) if year else None), _MONTHS[word]
    return None, None


def parse_question(question: str, roles: Roles, months: Sequence[pd.Period]) -> tuple[str, int]:
    """The measure a question asks about and the index (in ``months``) of the month it names
    (the latest such month; the last month when none is named).

    Examples
    --------
    >>> months = list(pd.period_range("2024-01", "2024-06", freq="M"))
    >>> parse_question("why did defaults rise in March?", Roles(measures=("amount",), target="default"), months)
    ('default', 2)
    """
    measure = _match_column(question, roles.series) or roles.series[0]
    year, month = _match_month(question)
    if month is None:
        return measure, len(months) - 1
    hits = [
        i for i, p in enumerate(months) if p.month == month and (year is None or p.year == year)
    ]
    if not hits:
        raise ConfigError(
            f"question must name a month present in the data; got {question!r} "
            f"(data spans {months[0]} to {months[-1]}). Name another month."
        )
    return measure, hits[-1]


def _explain(
    data: pd.DataFrame, roles: Roles, measure: str, months: Periods, i: int
) -> list[Candidate]:
    codes = months.codes
    a, b = (data.loc[codes == j, measure].dropna() for j in (i - 1, i))
    _, p = welch_p(b.mean(), b.var(), len(b), a.mean(), a.var(), len(a))
    diff = float(b.mean() - a.mean())
    binary = measure == roles.target and roles.binary_target
    sd = float(data[measure].std()) or 1.0
    overall = Candidate(
        "period_change",
        measure,
        float(p),
        effect_size(diff, sd, binary, float(a.mean())),
        float((len(a) + len(b)) / len(data)),
        "up" if diff > 0 else "down",
        numbers={"before": float(a.mean()), "after": float(b.mean()), "change": diff},
        period=months.span(i),
        base_period=months.span(i - 1),
        chart={
            "type": "bars",
            "x": [str(months.labels[i - 1]), str(months.labels[i])],
            "y": [float(a.mean()), float(b.mean())],
        },
    )
    parts = []
    for dim in roles.dimensions:
        table = decompose(data, measure, dim, codes, [i - 1], [i])
        total = float(table["contribution"].sum()) if len(table) else 0.0
        for value, row in table.iterrows():
            share = float(row["contribution"] / total * 100) if total else 0.0
            parts.append(
                Candidate(
                    "contributor",
                    measure,
                    min(1.0, float(row["p"]) * len(table)),
                    effect_size(float(row["did"]), sd, binary, float(row["before"])),
                    float((row["n_before"] + row["n_after"]) / len(data)),
                    "up" if row["after"] > row["before"] else "down",
                    dimension=dim,
                    value=str(value),
                    numbers={
                        "before": float(row["before"]),
                        "after": float(row["after"]),
                        "change": float(row["after"] - row["before"]),
                        "rest_change": float(row["rest_after"] - row["rest_before"]),
                        "total_change": total,
                        "share": share,
                    },
                    period=months.span(i),
                    base_period=months.span(i - 1),
                    chart={
                        "type": "contrib",
                        "x": [str(v) for v in table.index[:8]],
                        "y": table["contribution"].iloc[:8].tolist(),
                    },
                )
            )
    q = benjamini_hochberg([c.p_value for c in [overall, *parts]])
    for c, qv in zip([overall, *parts], q, strict=True):
        c.q_value = float(qv)
    return [overall, *parts]


def drill_down(
    df: pd.DataFrame,
    metadata: Metadata | None = None,
    *,
    question: str | None = None,
    where: Mapping[str, str] | None = None,
    alpha: float = 0.05,
    top: int = 10,
    seed: int = 0,
    **roles_given: object,
) -> InsightSet:
    """Answer a question about a month's change, or search a slice for insights.

    With ``question``, the month it names is compared with the month before, overall and value by
    value for every dimension; the values that explain at least a tenth of the change with an
    adjusted p <= ``alpha`` are reported (the overall change always comes first). Without it,
    :func:`find_insights` runs on the rows ``where`` selects.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> n = 4000
    >>> df = pd.DataFrame({"date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 180, n), "D"),
    ...                    "region": rng.choice(["N", "S"], n), "default": rng.random(n) < 0.05})
    >>> df.loc[(df.date >= "2024-06-01") & (df.region == "N"), "default"] = True
    >>> found = drill_down(df, question="why did defaults rise in June?")
    >>> [(c.kind, c.dimension, c.value) for c in found.insights][:2]
    [('period_change', None, None), ('contributor', 'region', 'N')]
    """
    data_in = apply_filter(df, where)
    if question is None:
        found = find_insights(data_in, metadata, alpha=alpha, top=top, seed=seed, **roles_given)  # type: ignore[arg-type]
        found.filters = {str(k): str(v) for k, v in (where or {}).items()}
        return found
    roles = infer_roles(data_in, metadata, **roles_given)  # type: ignore[arg-type]
    if not roles.time:
        raise ConfigError(
            "dataset must have a date column to answer a question about a period; got none. "
            "Mark a column as 'datetime' or pass time=."
        )
    data = prepare_frame(data_in, roles)
    valid = data[roles.time].dropna()
    full = pd.period_range(valid.min(), valid.max(), freq="M")
    index = {p: j for j, p in enumerate(full)}
    codes = data[roles.time].dt.to_period("M").map(index).astype(float)
    months = Periods(codes, "M", list(full))
    measure, i = parse_question(question, roles, months.labels)
    if i == 0:
        raise ConfigError(
            f"question must name a month after the first one; got {full[0]}. Ask about a later month."
        )
    ranked = _explain(data, roles, measure, months, i)
    overall, parts = ranked[0], ranked[1:]
    same_way = [c for c in parts if c.q_value <= alpha and c.numbers["share"] >= _MIN_SHARE]
    same_way.sort(key=lambda c: c.numbers["share"], reverse=True)
    found = InsightSet(
        roles,
        [overall, *same_way[: top - 1]],
        len(ranked),
        len(data),
        alpha,
        "M",
        candidates=ranked,
    )
    found.filters = {str(k): str(v) for k, v in (where or {}).items()}
    return found
