"""A transaction-stream synthesizer fitted on a customers table and a transactions table.

New accounts copy a behaviour profile of a random real account (its activity rate, category mix,
amount level, home country, share of events abroad and how it spreads its identifier-like columns
such as devices or payees, perturbed), and draw events from the fitted stream model: Poisson daily
counts scaled by the weekday profile, times of day from the per-category hour histogram, amounts
from the per-category quantiles of the log amount *around the account's own level* (so the spread
of per-account medians survives), the country from the account's home and abroad share (foreign
countries from their pooled frequencies), and other low-cardinality columns (channel, direction,
...) from their per-category frequency tables. Label columns (``is_anomaly``, ``anomaly_type``,
``is_fraud``, ``label``) are kept: the model is fitted on the normal rows and samples them with the
normal label; plant labelled patterns with :func:`inject_anomalies` afterwards.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from finloom._base import BaseEstimator, check_random_state, validate_param
from finloom._serialization import load_state, save_state
from finloom.errors import InvalidDataError, did_you_mean

__all__ = ["TransactionSynthesizer"]

REQUIRED = ("account_id", "timestamp", "amount", "merchant_category")
LABELS = {"is_anomaly": False, "anomaly_type": "none", "is_fraud": False, "label": 0}
_QUANTILES = np.linspace(0.0, 1.0, 101)
_MAX_TABLE_VALUES = 100  # more distinct values than this: an identifier column (device, payee)
_TOP_IDS = 20


def _normal_rows(tx: pd.DataFrame) -> pd.DataFrame:
    keep = np.ones(len(tx), dtype=bool)
    for col, normal in LABELS.items():
        if col in tx.columns:
            keep &= (tx[col] == normal).to_numpy() | (tx[col].astype(str) == str(normal)).to_numpy()
    return tx[keep]


def _check_tables(customers: pd.DataFrame, tx: pd.DataFrame) -> list[str]:
    problems = []
    for col in REQUIRED:
        if col not in tx.columns:
            problems.append(
                f"transactions must have a '{col}' column; got {list(tx.columns)}."
                f"{did_you_mean(col, map(str, tx.columns))}"
            )
    if "account_id" not in customers.columns:
        problems.append(
            "customers must have an 'account_id' column; got "
            f"{list(customers.columns)}.{did_you_mean('account_id', map(str, customers.columns))}"
        )
    if problems:
        return problems
    unknown = set(tx["account_id"]) - set(customers["account_id"])
    if unknown:
        problems.append(
            f"every transaction account_id must be in customers; got {len(unknown)} unknown "
            f"(e.g. {sorted(map(str, unknown))[0]!r}). Add those customers or drop the rows."
        )
    if tx["amount"].isna().any() or (pd.to_numeric(tx["amount"], errors="coerce") < 0).any():
        problems.append(
            "amount must be a non-negative number; got missing or negative values. "
            "Clean the amount column."
        )
    if len(tx) < 20:
        problems.append(
            f"transactions must have at least 20 rows; got {len(tx)}. Provide more history."
        )
    return problems


class TransactionSynthesizer(BaseEstimator):
    """Fit on (customers, transactions); sample new accounts with realistic event sequences.

    Parameters
    ----------
    rate_noise : sd of the lognormal noise applied to a copied account's daily rate.
    mix_concentration : Dirichlet concentration around a copied account's category mix.

    Examples
    --------
    >>> from finloom.synth.transactions import make_demo_tables
    >>> customers, tx = make_demo_tables(20, days=14, random_state=0)
    >>> synth = TransactionSynthesizer().fit(customers, tx)
    >>> new_c, new_tx = synth.sample(5, days=7, random_state=1)
    >>> list(new_tx.columns) == list(tx.columns), len(new_c)
    (True, 5)
    """

    def __init__(self, *, rate_noise: float = 0.2, mix_concentration: float = 30.0) -> None:
        self.rate_noise = rate_noise
        self.mix_concentration = mix_concentration

    def fit(self, customers: pd.DataFrame, transactions: pd.DataFrame) -> TransactionSynthesizer:
        """Validate both tables and learn the account profiles and the stream model."""
        validate_param(
            "TransactionSynthesizer",
            "rate_noise",
            self.rate_noise,
            lambda v: float(v) >= 0,
            "a number >= 0",
        )
        problems = _check_tables(customers, transactions)
        if problems:
            raise InvalidDataError(problems)
        tx = _normal_rows(transactions).copy()
        tx["timestamp"] = pd.to_datetime(tx["timestamp"])
        self.tx_columns_ = [str(c) for c in transactions.columns]
        self.customer_columns_ = [str(c) for c in customers.columns]
        self.categories_ = sorted(map(str, tx["merchant_category"].unique()))
        span = max((tx["timestamp"].max() - tx["timestamp"].min()).days + 1, 1)
        self.days_ = int(span)
        self.start_ = str(tx["timestamp"].min().normalize().date())
        self.labels_ = {c: v for c, v in LABELS.items() if c in transactions.columns}
        self._fit_profiles(customers, tx, span)
        self._fit_stream(tx)
        self._fit_places(customers, tx)
        self._fit_identifiers(customers, tx)
        return self

    def _fit_profiles(self, customers: pd.DataFrame, tx: pd.DataFrame, span: int) -> None:
        counts = pd.crosstab(tx["account_id"], tx["merchant_category"]).reindex(
            index=customers["account_id"], columns=self.categories_, fill_value=0
        )
        totals = counts.sum(axis=1).to_numpy(dtype=float)
        self.rates_ = totals / span
        self.mixes_ = (counts.to_numpy(dtype=float) + 0.1) / (
            totals[:, None] + 0.1 * len(self.categories_)
        )
        self.customers_ = customers.reset_index(drop=True).to_dict(orient="list")

    def _fit_places(self, customers: pd.DataFrame, tx: pd.DataFrame) -> None:
        """Each account's home country and share abroad; the pooled foreign-country frequencies."""
        if "country" not in tx.columns:
            return
        modal = tx.groupby("account_id")["country"].agg(lambda s: str(s.mode().iloc[0]))
        home = (
            customers["home_country"].astype(str) if "home_country" in customers.columns else None
        )
        homes = (
            home.to_numpy()
            if home is not None
            else customers["account_id"]
            .map(modal)
            .fillna(str(tx["country"].mode().iloc[0]))
            .to_numpy()
        )
        self.homes_ = [str(h) for h in homes]
        tx_home = tx["account_id"].map(dict(zip(customers["account_id"], self.homes_, strict=True)))
        abroad = tx["country"].astype(str) != tx_home
        share = abroad.groupby(tx["account_id"]).mean().reindex(customers["account_id"]).fillna(0.0)
        self.abroad_ = share.to_numpy(dtype=float)
        foreign = tx.loc[abroad, "country"].astype(str).value_counts(normalize=True)
        self.foreign_ = {
            "values": list(foreign.index) or self.homes_[:1],
            "probs": foreign.tolist() or [1.0],
        }

    def _fit_identifiers(self, customers: pd.DataFrame, tx: pd.DataFrame) -> None:
        """Per account, how often it reuses its top values of each identifier-like column."""
        self.id_columns_: dict[str, list[list[float]]] = {}
        for col in self.tx_columns_:
            if col in (*REQUIRED, "transaction_id", "country", *LABELS) or col not in tx.columns:
                continue
            if tx[col].nunique() <= _MAX_TABLE_VALUES:
                continue
            counts = tx.groupby("account_id")[col].value_counts(normalize=True)
            top = {
                a: g.to_numpy(dtype=float)[:_TOP_IDS].tolist() for a, g in counts.groupby(level=0)
            }
            freqs = [top.get(a, [1.0]) for a in customers["account_id"]]
            self.id_columns_[col] = freqs

    def _fit_stream(self, tx: pd.DataFrame) -> None:
        hours = tx["timestamp"].dt.hour.to_numpy()
        cat_idx = pd.Categorical(
            tx["merchant_category"].astype(str), categories=self.categories_
        ).codes
        self.hour_profile_ = np.stack(
            [
                np.bincount(hours[cat_idx == k], minlength=24) + 0.1
                for k in range(len(self.categories_))
            ]
        )
        self.hour_profile_ /= self.hour_profile_.sum(axis=1, keepdims=True)
        days = tx["timestamp"].dt.normalize()
        per_day = days.value_counts()
        by_dow = per_day.groupby(pd.DatetimeIndex(per_day.index).dayofweek).mean().reindex(range(7))
        self.weekday_profile_ = (by_dow / by_dow.mean()).fillna(1.0).to_numpy()
        log_amount = np.log1p(tx["amount"].to_numpy(dtype=float))
        level = pd.Series(
            log_amount
            - np.array([np.median(log_amount[cat_idx == k]) for k in range(len(self.categories_))])[
                cat_idx
            ]
        )
        by_account = level.groupby(tx["account_id"].to_numpy()).median()
        self.levels_ = (
            by_account.reindex(list(self.customers_["account_id"])).fillna(0.0).to_numpy()
        )
        residual = log_amount - by_account.reindex(tx["account_id"].to_numpy()).to_numpy()
        self.amount_quantiles_ = np.stack(
            [np.quantile(residual[cat_idx == k], _QUANTILES) for k in range(len(self.categories_))]
        )
        self.tables_: dict[str, dict[str, Any]] = {}
        for col in self.tx_columns_:
            if col in (*REQUIRED, "transaction_id", "country", *LABELS) or col not in tx.columns:
                continue
            if tx[col].nunique() <= _MAX_TABLE_VALUES:
                table = (
                    pd.crosstab(
                        tx["merchant_category"].astype(str), tx[col].astype(str), normalize="index"
                    )
                    .reindex(self.categories_)
                    .fillna(0.0)
                )
                self.tables_[col] = {
                    "values": list(map(str, table.columns)),
                    "probs": table.to_numpy().tolist(),
                }

    def sample(
        self,
        n_accounts: int,
        *,
        days: int | None = None,
        start: str | None = None,
        random_state: int | np.random.Generator | None = None,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Generate ``n_accounts`` new customers and their transactions over ``days`` days."""
        self._check_is_fitted("sample")
        validate_param(
            "TransactionSynthesizer",
            "n_accounts",
            n_accounts,
            lambda v: isinstance(v, int) and v >= 1,
            "an int >= 1",
        )
        rng = check_random_state(random_state)
        n_days = int(days or self.days_)
        first = pd.Timestamp(start or self.start_)
        source = rng.integers(0, len(self.rates_), size=n_accounts)
        customers = pd.DataFrame(self.customers_).iloc[source].reset_index(drop=True)
        customers["account_id"] = [f"S{i:06d}" for i in range(n_accounts)]
        parts = [
            self._account(customers["account_id"][i], int(j), n_days, first, rng)
            for i, j in enumerate(source)
        ]
        tx = pd.concat(parts, ignore_index=True).sort_values(
            ["timestamp", "account_id"], kind="stable"
        )
        tx = tx.reset_index(drop=True)
        if "transaction_id" in self.tx_columns_:
            tx["transaction_id"] = [f"ST{i:08d}" for i in range(len(tx))]
        return customers[self.customer_columns_], tx[
            [c for c in self.tx_columns_ if c in tx.columns]
        ]

    def _account(
        self, account: str, source: int, n_days: int, first: pd.Timestamp, rng: np.random.Generator
    ) -> pd.DataFrame:
        rate = self.rates_[source] * np.exp(rng.normal(0.0, float(self.rate_noise)))
        mix = rng.dirichlet(self.mixes_[source] * float(self.mix_concentration) + 1e-3)
        dates = pd.date_range(first, periods=n_days, freq="D")
        counts = rng.poisson(rate * self.weekday_profile_[dates.dayofweek])
        day_idx = np.repeat(np.arange(n_days), counts)
        cat = rng.choice(len(self.categories_), size=len(day_idx), p=mix)
        hour = np.array([rng.choice(24, p=self.hour_profile_[c]) for c in cat], dtype=np.int64)
        seconds = hour * 3600 + rng.integers(0, 3600, size=len(cat))
        u = rng.random(len(cat)) * 100
        lo = np.floor(u).astype(int)
        q = self.amount_quantiles_
        log_amt = q[cat, lo] + (u - lo) * (q[cat, np.minimum(lo + 1, 100)] - q[cat, lo])
        log_amt = log_amt + self.levels_[source] + rng.normal(0.0, float(self.rate_noise))
        frame: dict[str, Any] = {
            "account_id": account,
            "timestamp": dates[day_idx] + pd.to_timedelta(seconds, unit="s"),
            "amount": np.round(np.maximum(np.expm1(log_amt), 0.0), 2),
            "merchant_category": np.array(self.categories_, dtype=object)[cat],
        }
        for col, table in self.tables_.items():
            cum = np.cumsum(np.asarray(table["probs"]), axis=1)[cat]
            idx = (
                (rng.random(len(cat))[:, None] > cum).sum(axis=1).clip(0, len(table["values"]) - 1)
            )
            frame[col] = np.array(table["values"], dtype=object)[idx]
        if hasattr(self, "homes_"):
            abroad = rng.random(len(cat)) < self.abroad_[source]
            country = np.full(len(cat), self.homes_[source], dtype=object)
            country[abroad] = rng.choice(
                self.foreign_["values"],
                size=int(abroad.sum()),
                p=np.asarray(self.foreign_["probs"], dtype=float),
            )
            frame["country"] = country
        for col, freqs in self.id_columns_.items():
            frame[col] = [
                f"{account}-{col}-{k}"
                for k in rng.choice(
                    len(freqs[source]), len(cat), p=np.asarray(freqs[source]) / sum(freqs[source])
                )
            ]
        for col, normal in self.labels_.items():
            frame[col] = normal
        return pd.DataFrame(frame)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the fitted model (JSON + safetensors, no pickle)."""
        self._check_is_fitted("save")
        customers = pd.DataFrame(self.customers_).astype(str).to_dict(orient="list")
        config = {
            "params": self.get_params(),
            "tx_columns_": self.tx_columns_,
            "days_": self.days_,
            "customer_columns_": self.customer_columns_,
            "categories_": self.categories_,
            "start_": self.start_,
            "tables_": self.tables_,
            "customers_": customers,
            "labels_": self.labels_,
            "id_columns_": self.id_columns_,
        }
        if hasattr(self, "homes_"):
            config.update(homes_=self.homes_, foreign_=self.foreign_)
        names = [
            "rates_",
            "mixes_",
            "hour_profile_",
            "weekday_profile_",
            "amount_quantiles_",
            "levels_",
        ]
        tensors = {
            k: getattr(self, k) for k in [*names, *(["abroad_"] if hasattr(self, "homes_") else [])]
        }
        save_state(path, kind="TransactionSynthesizer", config=config, tensors=tensors)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TransactionSynthesizer:
        """Read a model written by :meth:`save` (customer attributes come back as strings)."""
        state = load_state(path, kind="TransactionSynthesizer")
        config = state["config"]
        model = cls(**config.pop("params"))
        for key, value in {**config, **state["tensors"]}.items():
            setattr(model, key, value)
        return model
