"""One contract test set run over every image synthesizer (a few steps on 8x8 digits)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from finloom.errors import ConfigError, NotFittedError
from finloom.synth.images import ImageData, load_image_synthesizer

from .conftest import FAST


@pytest.fixture(scope="module", params=sorted(FAST))
def fitted(request: pytest.FixtureRequest, digits: ImageData):
    before = digits.images.copy()
    messages: list[str] = []
    synth = FAST[request.param]().fit(digits, progress=lambda f, m="": messages.append(m))
    np.testing.assert_array_equal(digits.images, before)  # fit never changes the caller's images
    assert messages and messages[-1].startswith("epoch 1/1")
    return synth


def test_image_synthesizer_samples_images_in_range_with_labels(fitted) -> None:
    out = fitted.sample(10, random_state=0)
    assert out.images.shape == (10, 1, 8, 8) and out.images.dtype == np.float32
    assert out.images.min() >= 0.0 and out.images.max() <= 1.0
    assert out.classes == ("0", "1", "2") and set(out.labels.tolist()) <= {0, 1, 2}


def test_image_synthesizer_draws_the_classes_asked_for(fitted) -> None:
    assert fitted.sample(4, labels="2", random_state=0).labels.tolist() == [2, 2, 2, 2]
    assert fitted.sample(3, labels=["0", 1, "2"], random_state=0).labels.tolist() == [0, 1, 2]
    with pytest.raises(
        ConfigError,
        match=r"labels must be classes of the training images \['0', '1', '2'\]; got '7'",
    ):
        fitted.sample(2, labels="7")


def test_image_synthesizer_same_seed_same_images_different_seed_different(fitted) -> None:
    a, b = fitted.sample(6, random_state=3), fitted.sample(6, random_state=3)
    np.testing.assert_array_equal(a.images, b.images)
    assert not np.array_equal(a.images, fitted.sample(6, random_state=4).images)
    assert fitted.sample(0, random_state=0).images.shape == (0, 1, 8, 8)


def test_image_synthesizer_same_fit_seed_same_model(fitted, digits: ImageData) -> None:
    import torch

    state = torch.random.get_rng_state()
    again = type(fitted)(fitted.config, random_state=0).fit(digits)
    np.testing.assert_array_equal(
        again.sample(4, random_state=1).images, fitted.sample(4, random_state=1).images
    )
    assert torch.equal(torch.random.get_rng_state(), state)  # the global torch RNG is left alone


def test_image_synthesizer_save_load_gives_identical_samples(fitted, tmp_path: Path) -> None:
    fitted.save(tmp_path / "model")
    loaded = type(fitted).load(tmp_path / "model")
    np.testing.assert_array_equal(
        loaded.sample(5, random_state=9).images, fitted.sample(5, random_state=9).images
    )
    assert type(load_image_synthesizer(tmp_path / "model")) is type(fitted)
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == [
        "config.json",
        "model.safetensors",
    ]


@pytest.mark.parametrize("name", sorted(FAST))
def test_image_synthesizer_not_fitted_raises(name: str, tmp_path: Path) -> None:
    synth = FAST[name]()
    with pytest.raises(
        NotFittedError, match="is not fitted yet; call 'fit' with your data before 'sample'"
    ):
        synth.sample(2)
    with pytest.raises(NotFittedError):
        synth.save(tmp_path / "m")


def test_image_synthesizer_bad_config_is_refused(digits: ImageData) -> None:
    from finloom.synth.images import DCGANConfig, DCGANSynthesizer, DDPMConfig, DDPMSynthesizer

    with pytest.raises(
        ConfigError,
        match=r"The 'width' parameter of DCGANSynthesizer must be a multiple of 8 in \[8, 256\]; "
        r"got 12\.",
    ):
        DCGANSynthesizer(DCGANConfig(width=12)).fit(digits)
    with pytest.raises(
        ConfigError,
        match=r"The 'timesteps' parameter of DDPMSynthesizer must be an int in \[2, 4000\]",
    ):
        DDPMSynthesizer(DDPMConfig(timesteps=10**9)).fit(digits)
    with pytest.raises(
        ConfigError, match="The 'config' parameter of DCGANSynthesizer must be a DCGANConfig"
    ):
        DCGANSynthesizer(config=3).fit(digits)  # type: ignore[arg-type]


def test_image_synthesizer_fits_rgb_images() -> None:
    rng = np.random.default_rng(0)
    images = (rng.random((12, 3, 8, 8)) * 255).astype(np.uint8)
    out = FAST["vae"]().fit(images, ["a", "b", "c"] * 4).sample(2, labels="c", random_state=0)
    assert out.images.shape == (2, 3, 8, 8) and out.classes == ("a", "b", "c")


def test_load_image_synthesizer_refuses_other_models(tmp_path: Path) -> None:
    from finloom._serialization import save_state

    save_state(tmp_path / "m", kind="GaussianCopulaSynthesizer", config={})
    with pytest.raises(ConfigError, match="model kind must be one of"):
        load_image_synthesizer(tmp_path / "m")
