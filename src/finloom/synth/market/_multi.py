"""A multi-asset daily price table built only from data shipped inside PyPI packages.

``arch`` (NCSA/BSD-style licence) ships the S&P 500 and NASDAQ Composite daily prices and the WTI
crude-oil spot price; ``skfolio`` (BSD-3-Clause) ships daily adjusted closes of 20 S&P 500
constituents in ``skfolio/datasets/data/sp500_dataset.csv.gz``, read here as a file (the package
is not imported, so ``pip install --no-deps skfolio`` is enough).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from finloom._optional import require
from finloom.errors import ConfigError
from finloom.synth.market._data import validate_prices

__all__ = ["MULTI_ASSET_SOURCES", "load_multi_asset"]

_STOCKS = {
    "JNJ": "Johnson & Johnson",
    "KO": "Coca-Cola",
    "PG": "Procter & Gamble",
    "XOM": "Exxon Mobil",
    "JPM": "JPMorgan Chase",
}
MULTI_ASSET_SOURCES = {
    "SP500": (
        "arch.data.sp500",
        "equity index",
        "arch (University of Illinois/NCSA licence), Yahoo Finance adjusted close",
    ),
    "NASDAQ": (
        "arch.data.nasdaq",
        "equity index",
        "arch (University of Illinois/NCSA licence), Yahoo Finance adjusted close",
    ),
    "WTI": (
        "arch.data.wti",
        "commodity",
        "arch (University of Illinois/NCSA licence), FRED DCOILWTICO spot price",
    ),
    **{
        k: ("skfolio", "single stock", "skfolio (BSD-3-Clause) sp500_dataset, adjusted close")
        for k in _STOCKS
    },
}


def _skfolio_file() -> Path:
    spec = importlib.util.find_spec("skfolio")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "the multi-asset demo data must be installed; got no 'skfolio' package. "
            "Run: pip install --no-deps skfolio (its bundled price files are read as data)."
        )
    return (
        Path(next(iter(spec.submodule_search_locations)))
        / "datasets"
        / "data"
        / "sp500_dataset.csv.gz"
    )


def _arch_close(module: str) -> pd.Series:
    frame = require(module, feature="the multi-asset demo data").load()
    column = "Adj Close" if "Adj Close" in frame.columns else frame.columns[0]
    series = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    series.index = pd.DatetimeIndex(series.index)
    return series


def load_multi_asset(
    *, start: str | None = "1999-01-04", end: str | None = "2018-12-31"
) -> pd.DataFrame:
    """Daily closes of 8 assets (2 equity indices, 5 stocks, WTI crude oil) on the S&P 500's trading days.

    Oil prices missing on a US trading day (holidays of the spot market) are carried forward;
    every other gap is kept out by the inner join on dates.

    Examples
    --------
    >>> px = load_multi_asset(start="2018-01-01")
    >>> list(px.columns)
    ['SP500', 'NASDAQ', 'WTI', 'JNJ', 'KO', 'PG', 'XOM', 'JPM']
    """
    columns = {
        name: _arch_close(MULTI_ASSET_SOURCES[name][0]) for name in ("SP500", "NASDAQ", "WTI")
    }
    stocks = _read_gz_csv(_skfolio_file())
    frame = pd.DataFrame(columns["SP500"].rename("SP500"))
    frame = frame.join(columns["NASDAQ"].rename("NASDAQ"), how="inner")
    frame = frame.join(columns["WTI"].rename("WTI"), how="left")
    frame["WTI"] = frame["WTI"].ffill()
    frame = frame.join(stocks[list(_STOCKS)].astype("float64"), how="inner").dropna()
    frame.index.name = "Date"
    return validate_prices(frame.loc[start:end])


def _read_gz_csv(path: Path) -> pd.DataFrame:
    """A gzipped CSV with a date first column, read by finloom's one table reader, indexed by date."""
    import gzip

    from finloom.data import read_table

    frame = read_table(gzip.decompress(path.read_bytes()), format="csv")
    return frame.set_index(pd.DatetimeIndex(pd.to_datetime(frame.iloc[:, 0]))).iloc[:, 1:]
