"""Tiny image sets and the fastest settings of each image synthesizer (8x8, a few steps)."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.synth.images import (
    ConvVAEConfig,
    ConvVAESynthesizer,
    DCGANConfig,
    DCGANSynthesizer,
    DDPMConfig,
    DDPMSynthesizer,
    ImageData,
    load_digits,
)

FAST = {
    "gan": lambda seed=0: DCGANSynthesizer(
        DCGANConfig(epochs=1, batch_size=16, width=8, latent=8), random_state=seed
    ),
    "vae": lambda seed=0: ConvVAESynthesizer(
        ConvVAEConfig(epochs=1, batch_size=16, width=8, latent=4), random_state=seed
    ),
    "ddpm": lambda seed=0: DDPMSynthesizer(
        DDPMConfig(epochs=1, batch_size=16, width=8, timesteps=10, sample_steps=3),
        random_state=seed,
    ),
}


@pytest.fixture(scope="session")
def digits() -> ImageData:
    """48 of scikit-learn's 8x8 digits, classes 0, 1 and 2 only."""
    data = load_digits()
    keep = np.flatnonzero(data.labels < 3)[:48]
    return ImageData(data.images[keep], data.labels[keep], data.classes[:3])
