"""Privacy: DCR share and 5th percentiles vs a hold-out, NNDR, exact copies and a distance-based membership attack."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finloom.data import Metadata
from finloom.evaluate._common import (
    Roles,
    as_text,
    check_tables,
    embed_minmax_onehot,
    pandas_seed,
    to_numeric_frame,
)
from finloom.evaluate._html import key_value_table, section
from finloom.evaluate._result import EvaluationResult

__all__ = ["PrivacyResult", "dcr_share", "evaluate_privacy", "exact_copy_rate", "nndr"]

MAX_EVAL_ROWS = 10_000
_TIE_ATOL = 1e-12


def _row_keys(df: pd.DataFrame, roles: Roles) -> np.ndarray:
    frame = to_numeric_frame(df, roles.continuous).round(6)
    for col in roles.discrete:
        frame[col] = as_text(df[col])
    return pd.util.hash_pandas_object(frame[roles.used], index=False).to_numpy()


def exact_copy_rate(rows: pd.DataFrame, train: pd.DataFrame, roles: Roles) -> float:
    """Share of ``rows`` equal to some train row (numbers rounded to 6 decimals, ids/text ignored).

    Examples
    --------
    >>> from finloom.evaluate._common import roles_of
    >>> df = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    >>> exact_copy_rate(df.assign(a=[1.0, 5.0]), df, roles_of(Metadata.infer(df)))
    0.5
    """
    train_keys = np.unique(_row_keys(train, roles))
    return float(np.isin(_row_keys(rows, roles), train_keys).mean())


def _nearest(reference: np.ndarray, queries: np.ndarray, k: int = 1) -> np.ndarray:
    from sklearn.neighbors import NearestNeighbors

    return NearestNeighbors(n_neighbors=k).fit(reference).kneighbors(queries)[0]


def dcr_share(d_train: np.ndarray, d_holdout: np.ndarray) -> float:
    """Share of rows closer to train than to the hold-out; ties count half. 0.5 is ideal.

    Examples
    --------
    >>> dcr_share(np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 1.0]))
    0.5
    """
    tie = np.isclose(d_train, d_holdout, rtol=0, atol=_TIE_ATOL)
    return float(np.mean((d_train < d_holdout) & ~tie) + 0.5 * np.mean(tie))


def _mia_auc(e_members: np.ndarray, e_non: np.ndarray, e_syn: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    d_mem = _nearest(e_syn, e_members)[:, 0]
    d_non = _nearest(e_syn, e_non)[:, 0]
    y = np.r_[np.ones(len(d_mem)), np.zeros(len(d_non))]
    return float(roc_auc_score(y, -np.r_[d_mem, d_non]))


@dataclass
class PrivacyResult(EvaluationResult):
    """Distance-based privacy figures; for each, the ideal value is the hold-out's own behaviour.

    Exact copies are 0 for most synthesizers on most tables, so the distance figures carry the
    information: ``dcr_p5_train`` well below ``dcr_p5_holdout`` (or below ``holdout_dcr_p5``, how
    close unseen real rows come to train) means a tail of near-copies; ``nndr_p5`` near 0 means
    synthetic rows that sit on one train record rather than between several.

    Examples
    --------
    >>> PrivacyResult(0.5, 0.0, 0.0, 0.9, 0.9, 0.5, 0.1, 0.1, 0.0, 100).to_dict()["dcr_share"]
    0.5
    """

    title = "Privacy"
    dcr_share: float  # share of synthetic rows closer to train than to the hold-out (0.5 ideal)
    exact_copy_rate: float  # synthetic rows that equal a train row
    holdout_exact_copy_rate: float  # hold-out rows that equal a train row (the natural rate)
    nndr_median: float  # median nearest / 2nd-nearest train distance ratio of synthetic rows
    holdout_nndr_median: float  # the same for hold-out rows (reference)
    mia_auc: float  # AUC of "closer to a synthetic row => member"; 0.5 = no leak
    dcr_median_train: float
    dcr_median_holdout: float
    dcr_ties_share: float
    n_synthetic_evaluated: int
    dcr_p5_train: float = float("nan")  # 5th percentile of synthetic rows' distance to the nearest train row
    dcr_p5_holdout: float = float("nan")  # the same to the nearest hold-out row (what unseen data gives)
    holdout_dcr_p5: float = float("nan")  # 5th percentile of hold-out rows' distance to the nearest train row
    nndr_p5: float = float("nan")  # 5th percentile of synthetic rows' nearest / 2nd-nearest train distance
    holdout_nndr_p5: float = float("nan")  # the same for hold-out rows (reference)

    def section_html(self) -> str:
        return section(self.title, key_value_table(self.to_dict()),
                       note="DCR share 0.5 and MIA AUC 0.5 mean the synthetic rows are no closer to "
                            "the training rows than to unseen real rows; a 5th-percentile DCR to train "
                            "well below the one to the hold-out (or below hold-out rows' own, "
                            "holdout_dcr_p5) means a tail of near-copies.")


def nndr(reference: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Nearest-neighbour distance ratio of each query: distance to its nearest ``reference`` row over
    the distance to the second nearest (0 when both are 0: an exact duplicate). Needs >= 2 references.

    A ratio near 1 means the query lies as far from its nearest record as from the next one (it is
    not tied to a single record); near 0 means it sits on one record.

    Examples
    --------
    >>> ref = np.array([[0.0], [1.0], [3.0]])
    >>> nndr(ref, np.array([[0.0], [0.5], [0.25]])).tolist()
    [0.0, 1.0, 0.3333333333333333]
    """
    d = _nearest(reference, queries, k=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(d[:, 1] > 0, d[:, 0] / np.where(d[:, 1] > 0, d[:, 1], 1.0), 0.0)


def _p5(values: np.ndarray) -> float:
    return float(np.percentile(values, 5)) if len(values) else float("nan")


def evaluate_privacy(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    metadata: Metadata,
    *,
    max_rows: int = MAX_EVAL_ROWS,
    random_state: int | np.random.Generator | None = 0,
) -> PrivacyResult:
    """Compare distances from synthetic rows to the train rows and to unseen hold-out rows.

    Distance space (mixed types): each numerical or datetime column is min-max scaled with
    train's range to [0, 1] (values outside train's range fall outside it; nulls become 0);
    each categorical or boolean column is one-hot encoded over train's categories (an unseen
    category is all zeros); id and text columns are left out. Distances are Euclidean, so a
    differing category adds 2 to the squared distance, a number at most about 1.

    ``dcr_share``: over up to ``max_rows`` synthetic rows, the share whose nearest record in a
    random train subset of the hold-out's size is closer than their nearest hold-out record (ties
    count half; 0.5 is ideal, 1.0 a copy of train). ``dcr_p5_train`` / ``dcr_p5_holdout``: the
    5th percentiles of those two nearest distances; ``holdout_dcr_p5`` the same for hold-out rows
    against the train subset (the closeness unseen real data has). ``nndr_median`` / ``nndr_p5``:
    median and 5th percentile of the synthetic rows' nearest-neighbour distance ratio in the
    train subset (see :func:`nndr`), with the hold-out rows' values as reference. ``mia_auc``:
    members (that train subset) vs non-members (the hold-out), scored by the distance to the
    nearest synthetic row.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> train = pd.DataFrame({"x": rng.normal(size=200), "y": rng.normal(size=200)})
    >>> holdout = pd.DataFrame({"x": rng.normal(size=200), "y": rng.normal(size=200)})
    >>> res = evaluate_privacy(train, train, holdout, Metadata.infer(train))
    >>> res.dcr_share, res.exact_copy_rate, res.mia_auc, res.dcr_p5_train, res.nndr_p5
    (1.0, 1.0, 1.0, 0.0, 0.0)
    >>> res.dcr_p5_holdout > 0
    True
    """
    roles = check_tables(metadata, {"real": real, "synthetic": synthetic, "holdout": holdout})
    seed = pandas_seed(random_state)
    tr_sub = real.sample(n=min(len(holdout), len(real)), random_state=seed)
    sy = synthetic.sample(n=min(max_rows, len(synthetic)), random_state=seed)
    e_tr, e_ho, e_sy = embed_minmax_onehot([tr_sub, holdout, sy], roles, real)
    d_tr, d_ho = _nearest(e_tr, e_sy)[:, 0], _nearest(e_ho, e_sy)[:, 0]
    stats: dict[str, Any] = {
        "dcr_share": dcr_share(d_tr, d_ho),
        "dcr_median_train": float(np.median(d_tr)),
        "dcr_median_holdout": float(np.median(d_ho)),
        "dcr_ties_share": float(np.isclose(d_tr, d_ho, rtol=0, atol=_TIE_ATOL).mean()),
        "dcr_p5_train": _p5(d_tr),
        "dcr_p5_holdout": _p5(d_ho),
        "holdout_dcr_p5": _p5(_nearest(e_tr, e_ho)[:, 0]),
    }
    nan = float("nan")
    syn_nndr = nndr(e_tr, e_sy) if len(e_tr) >= 2 else np.array([])
    ho_nndr = nndr(e_tr, e_ho) if len(e_tr) >= 2 else np.array([])
    return PrivacyResult(
        exact_copy_rate=exact_copy_rate(synthetic, real, roles),
        holdout_exact_copy_rate=exact_copy_rate(holdout, real, roles),
        nndr_median=float(np.median(syn_nndr)) if len(syn_nndr) else nan,
        holdout_nndr_median=float(np.median(ho_nndr)) if len(ho_nndr) else nan,
        nndr_p5=_p5(syn_nndr),
        holdout_nndr_p5=_p5(ho_nndr),
        mia_auc=_mia_auc(e_tr, e_ho, e_sy),
        n_synthetic_evaluated=len(sy),
        **stats,
    )
