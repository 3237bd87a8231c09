"""Market simulators: data validation, the estimator contract, regimes, shocks, save/load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finloom.errors import ConfigError, InvalidDataError, NotFittedError
from finloom.synth.market import (
    DiffusionSimulator,
    GARCHSimulator,
    HybridFHSSimulator,
    MarketSimulator,
    QuantGANSimulator,
    Shock,
    StationaryBootstrap,
    load_prices,
    load_sp500,
)


def _prices(n: int = 600, assets: int = 1, seed: int = 0) -> pd.DataFrame:
    g = np.random.default_rng(seed)
    idx = pd.bdate_range("2015-01-01", periods=n, name="Date")
    cov = 0.5 * np.ones((assets, assets)) + 0.5 * np.eye(assets)
    r = g.multivariate_normal(np.zeros(assets), cov, size=n) * 0.01 * g.standard_t(5, size=(n, 1)) / 1.3
    return pd.DataFrame(100 * np.exp(np.cumsum(r, axis=0)), index=idx,
                        columns=[f"A{i}" for i in range(assets)])


def _ohlcv(n: int = 600) -> pd.DataFrame:
    close = _prices(n)["A0"]
    g = np.random.default_rng(1)
    open_ = close.shift(1).fillna(close.iloc[0]) * np.exp(g.normal(0, 0.002, n))
    return pd.DataFrame({"Open": open_, "High": np.maximum(open_, close) * 1.005,
                         "Low": np.minimum(open_, close) * 0.995, "Close": close,
                         "Volume": g.integers(1_000, 2_000, n).astype(float)})


SIMULATORS = [
    lambda: StationaryBootstrap(block_length=10),
    lambda: GARCHSimulator(vol="GJR", dist="t"),
    lambda: GARCHSimulator(vol="EGARCH", dist="skewt", innovations="bootstrap", start="random"),
    lambda: GARCHSimulator(vol="GARCH", dist="normal"),
    lambda: HybridFHSSimulator(window=63, level_block=100),
    lambda: DiffusionSimulator(config={"window": 8, "epochs": 2, "steps": 10, "hidden": 32}),
    lambda: QuantGANSimulator(config={"receptive_field": 15, "channels": 8, "window": 32, "epochs": 1,
                                      "batch_size": 64}),
]


@pytest.mark.parametrize("make", SIMULATORS)
def test_simulator_contract(make, tmp_path: Path) -> None:
    model: MarketSimulator = make()
    params = model.get_params()
    with pytest.raises(NotFittedError):
        model.sample(2, 5)
    data = _prices(assets=2)
    before = data.copy()
    assert model.fit(data) is model
    pd.testing.assert_frame_equal(data, before)
    assert model.get_params() == params
    a = model.sample(3, 20, random_state=7)
    b = model.sample(3, 20, random_state=7)
    c = model.sample(3, 20, random_state=8)
    assert a.prices.shape == (3, 20, 2)
    np.testing.assert_array_equal(a.prices, b.prices)
    assert not np.array_equal(a.prices, c.prices)
    assert a.index[0] == data.index[-1] + pd.offsets.BDay(1)
    assert a.index.freqstr == "B"
    assert np.isfinite(a.prices).all() and (a.prices > 0).all()
    model.save(tmp_path / "m")
    loaded = type(model).load(tmp_path / "m")
    np.testing.assert_allclose(loaded.sample(3, 20, random_state=7).prices, a.prices)


def test_load_prices_reports_every_problem() -> None:
    frame = _prices(40)
    frame.iloc[3, 0] = np.nan
    frame.iloc[5, 0] = -1.0
    frame = pd.concat([frame, frame.iloc[[10]]])
    with pytest.raises(InvalidDataError) as err:
        load_prices(frame)
    text = str(err.value)
    assert "1 NaN in column 'A0'" in text
    assert "zero or negative" in text
    assert "duplicated dates" in text
    assert "sorted ascending" in text


def test_load_prices_rejects_short_series_and_zero_prices() -> None:
    with pytest.raises(InvalidDataError, match="at least 30 rows; got 10"):
        load_prices(_prices(10))
    zero = _prices(40)
    zero.iloc[0, 0] = 0.0
    with pytest.raises(InvalidDataError, match="must be positive"):
        load_prices(zero)


def test_load_prices_reads_csv(tmp_path: Path) -> None:
    path = tmp_path / "px.csv"
    _prices(50).to_csv(path)
    frame = load_prices(path)
    assert frame.shape == (50, 1) and isinstance(frame.index, pd.DatetimeIndex)
    with pytest.raises(InvalidDataError, match="must exist"):
        load_prices(tmp_path / "missing.csv")


def test_load_sp500_has_ohlcv() -> None:
    frame = load_sp500(start="2018-06-01")
    assert list(frame.columns) == ["Open", "High", "Low", "Close", "Volume"]
    assert frame.index.is_monotonic_increasing and (frame["Close"] > 0).all()


def test_sample_ohlcv_is_consistent() -> None:
    paths = StationaryBootstrap().fit(_ohlcv()).sample(4, 30, random_state=0)
    bar = paths.to_frame(1)
    assert list(bar.columns) == ["Open", "High", "Low", "Close", "Volume"]
    assert (bar["High"] >= bar[["Open", "Close"]].max(axis=1) - 1e-9).all()
    assert (bar["Low"] <= bar[["Open", "Close"]].min(axis=1) + 1e-9).all()
    assert (bar["Volume"] > 0).all()


@pytest.mark.parametrize("make", [SIMULATORS[0], SIMULATORS[1], SIMULATORS[4], SIMULATORS[5]])
def test_shock_applies_and_continues_stressed(make) -> None:
    model = make().fit(_prices())
    shocked = model.sample(200, 30, random_state=0, shock=Shock(day=5, size=-0.2))
    np.testing.assert_allclose(shocked.returns[:, 5, 0], np.log(0.8))
    base = model.sample(200, 30, random_state=0)
    after = np.abs(shocked.returns[:, 6:15, 0]).mean()
    assert after > np.abs(base.returns[:, 6:15, 0]).mean()


def test_shock_outside_horizon_is_rejected() -> None:
    model = StationaryBootstrap().fit(_prices())
    with pytest.raises(ConfigError, match=r"shock day must be in \[0, 10\)"):
        model.sample(2, 10, shock={"day": 12, "size": -0.2})


@pytest.mark.parametrize("make", [SIMULATORS[0], SIMULATORS[1], SIMULATORS[4]])
def test_regime_stressed_is_more_volatile(make) -> None:
    g = np.random.default_rng(3)
    r = np.concatenate([g.normal(0, 0.005, 400), g.normal(0, 0.03, 200)] * 2)
    idx = pd.bdate_range("2010-01-01", periods=len(r))
    model = make().fit(pd.DataFrame({"A": 100 * np.exp(np.cumsum(r))}, index=idx))
    calm = model.sample(100, 20, random_state=0, regime="calm").returns.std()
    stressed = model.sample(100, 20, random_state=0, regime="stressed").returns.std()
    assert stressed > 2 * calm
    with pytest.raises(ConfigError, match="regime must be one of"):
        model.sample(2, 5, regime="panic")


def test_bad_parameters_raise_at_fit() -> None:
    with pytest.raises(ConfigError, match="'vol' parameter of GARCHSimulator"):
        GARCHSimulator(vol="FIGARCH").fit(_prices())
    with pytest.raises(ConfigError, match="'block_length' parameter of StationaryBootstrap"):
        StationaryBootstrap(block_length=0).fit(_prices())


def test_garch_copula_keeps_cross_correlation() -> None:
    data = _prices(800, assets=2)
    real = np.corrcoef(np.log(data).diff().dropna().to_numpy(), rowvar=False)[0, 1]
    for copula in ("gaussian", "t"):
        paths = GARCHSimulator(vol="GARCH", copula=copula).fit(data).sample(50, 100, random_state=0)
        synth = np.corrcoef(paths.returns.reshape(-1, 2), rowvar=False)[0, 1]
        assert abs(synth - real) < 0.1


def test_log_returns_input_kind() -> None:
    returns = np.log(_prices()).diff().dropna()
    paths = StationaryBootstrap().fit(returns, input_kind="log_returns").sample(2, 5, random_state=0)
    assert paths.prices.shape == (2, 5, 1)
    with pytest.raises(ConfigError, match="input_kind"):
        StationaryBootstrap().fit(returns, input_kind="levels")


def test_hmm_regimes_find_the_volatile_stretch() -> None:
    from finloom.synth.market import label_regimes

    g = np.random.default_rng(0)
    r = np.concatenate([g.normal(0, 0.005, 300), g.normal(0, 0.03, 100), g.normal(0, 0.005, 200)])
    labels = label_regimes(r, method="hmm")
    assert labels[310:390].mean() > 0.9 and labels[:290].mean() < 0.1
    with pytest.raises(ConfigError, match="regime method"):
        label_regimes(r, method="kmeans")


def test_diffusion_learns_the_return_scale() -> None:
    g = np.random.default_rng(0)
    idx = pd.bdate_range("2012-01-01", periods=800)
    px = pd.DataFrame({"A": 100 * np.exp(np.cumsum(g.normal(0, 0.02, 800)))}, index=idx)
    model = DiffusionSimulator(config={"window": 8, "epochs": 300, "steps": 20, "hidden": 64, "batch_size": 64}).fit(px)
    assert model.loss_history_[-1] < model.loss_history_[0]
    std = model.sample(100, 16, random_state=0).returns.std()
    assert 0.01 < std < 0.04
