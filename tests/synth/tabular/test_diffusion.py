"""Diffusion-specific checks beyond the shared contract (tests/synth/tabular/test_contract.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.synth.tabular import DiffusionConfig, DiffusionSynthesizer
from finloom.synth.tabular._diffusion import cosine_alpha_bar

from .conftest import FAST

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def fitted(table: pd.DataFrame, metadata: Metadata) -> DiffusionSynthesizer:
    return FAST["diffusion"](random_state=0).fit(table, metadata)


def test_diffusion_first_reverse_step_stays_in_the_encoder_range(fitted: DiffusionSynthesizer) -> None:
    # Regression: the last steps of the cosine schedule have alpha ~ 1e-4; dividing x_t by
    # sqrt(alpha) turned an ordinary noise error into values ~100x out of range, which saturated
    # the denoiser and collapsed every sampled row onto one value (mlc_churn, Taiwan).
    T = fitted.config_.timesteps
    bar = torch.from_numpy(cosine_alpha_bar(T)).float()
    scalars, cats = fitted._layout()
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(200, fitted.encoder_.width, generator=gen)
    out = torch.randn(200, fitted.encoder_.width, generator=gen)  # an imperfect noise prediction
    new = fitted._reverse_step(x, out, T - 1, bar, scalars, cats, gen)
    hi = (1 + np.abs(fitted.mean_)) / fitted.std_  # the encoded scalars are in [-1, 1]
    assert (new[:, scalars].abs().numpy() <= hi + 6.0).all()


def test_diffusion_default_trains_several_steps_per_epoch_on_small_tables() -> None:
    # Regression: batch 1024 gave a 1,029-row table one optimiser step per epoch (quality 0.63)
    assert 1_029 // DiffusionConfig().batch_size >= 4


def test_diffusion_sample_is_not_collapsed_and_roundtrips(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    n = 300
    x = rng.normal(size=n)
    df = pd.DataFrame({"x": x, "y": 2 * x + rng.normal(scale=0.3, size=n),
                       "c": np.where(x > 0, "hi", "lo"), "t": rng.integers(0, 2, n)})
    cfg = DiffusionConfig(epochs=20, batch_size=64, hidden=64, depth=2, timesteps=20)
    synth = DiffusionSynthesizer(cfg, random_state=1).fit(df, Metadata.infer(df, target="t"))
    out = synth.sample(400, random_state=2, chunk_size=150)
    assert out["x"].std() > 0.3 * df["x"].std()  # not collapsed onto a single value
    assert set(out["c"]) == {"hi", "lo"}  # categoricals from the training categories, both kept
    synth.save(tmp_path / "m")
    again = DiffusionSynthesizer.load(tmp_path / "m").sample(400, random_state=2, chunk_size=150)
    pd.testing.assert_frame_equal(out, again)
    assert {p.suffix for p in (tmp_path / "m").iterdir()} >= {".json", ".safetensors"}
