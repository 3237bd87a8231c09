"""Judging synthetic images: a small CNN classifier trained on real images, and the Frechet distance
between real and synthetic images in that classifier's feature space."""

from __future__ import annotations

from typing import Any

import numpy as np

from finloom._base import BaseEstimator, ProgressCallback, noop_progress
from finloom._optional import require
from finloom.synth.images._data import ImageData

__all__ = ["ImageClassifier", "frechet_distance"]


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Frechet distance between Gaussians fitted to feature rows ``a`` and ``b`` (the FID formula).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(500, 3))
    >>> round(frechet_distance(x, x), 6), frechet_distance(x, x + 1.0) > 2.9
    (0.0, True)
    """
    from scipy import linalg

    mu_a, mu_b = a.mean(axis=0), b.mean(axis=0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    offset = np.eye(cov_a.shape[0]) * 1e-6  # dead ReLU units make the covariances singular
    root = np.real(linalg.sqrtm((cov_a + offset) @ (cov_b + offset)))
    value = float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a + cov_b - 2.0 * root))
    return max(value, 0.0)


def _network(channels: int, n_classes: int, width: int, features: int) -> Any:
    torch = require("torch", feature="ImageClassifier")
    nn = torch.nn
    body = nn.Sequential(
        nn.Conv2d(channels, width, 3, 1, 1),
        nn.ReLU(),
        nn.Conv2d(width, 2 * width, 3, 2, 1),
        nn.ReLU(),  # side / 2
        nn.Conv2d(2 * width, 2 * width, 3, 2, 1),
        nn.ReLU(),  # side / 4
        nn.AdaptiveAvgPool2d(2),
        nn.Flatten(),  # (B, 8 width)
        nn.Linear(8 * width, features),
        nn.ReLU(),  # the feature space of the Frechet distance
    )
    return nn.ModuleDict({"body": body, "head": nn.Linear(features, n_classes)})


class ImageClassifier(BaseEstimator):
    """A small CNN classifier; its penultimate layer is the feature space of :func:`frechet_distance`.

    Examples
    --------
    >>> from finloom.synth.images import load_digits
    >>> data = load_digits()
    >>> clf = ImageClassifier(epochs=2, random_state=0).fit(data)
    >>> float((clf.predict(data.images) == data.labels).mean()) > 0.8
    True
    """

    def __init__(
        self,
        *,
        epochs: int = 15,
        batch_size: int = 64,
        lr: float = 2e-3,
        width: int = 32,
        features: int = 64,
        random_state: int | None = 0,
    ) -> None:
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.width = width
        self.features = features
        self.random_state = random_state

    def fit(self, data: ImageData, *, progress: ProgressCallback | None = None) -> ImageClassifier:
        """Train on ``data`` for ``epochs`` epochs (no early stopping: no data is used for selection)."""
        torch = require("torch", feature="ImageClassifier")
        from finloom.synth.images._base import batches
        from finloom.synth.images._nets import init_weights

        report = progress or noop_progress
        gen = torch.Generator().manual_seed(
            int(np.random.default_rng(self.random_state).integers(2**62))
        )
        self.classes_ = list(data.classes)
        self.net_ = _network(data.shape[0], len(data.classes), self.width, self.features)
        init_weights(self.net_, gen)
        opt = torch.optim.Adam(self.net_.parameters(), lr=self.lr)
        x, y = torch.from_numpy(data.images.copy()), torch.from_numpy(data.labels.copy())
        for epoch in range(self.epochs):
            self.net_.train()
            for idx in batches(len(x), self.batch_size, gen):
                loss = torch.nn.functional.cross_entropy(self._logits(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
            report((epoch + 1) / self.epochs, f"epoch {epoch + 1}/{self.epochs}")
        self.net_.eval()
        return self

    def _logits(self, x: Any) -> Any:
        return self.net_["head"](self.net_["body"](x))

    def _run(self, images: np.ndarray, part: str) -> np.ndarray:
        torch = require("torch", feature="ImageClassifier")
        self._check_is_fitted("predict")
        outs = []
        with torch.no_grad():
            for start in range(0, len(images), 512):
                x = torch.from_numpy(
                    np.ascontiguousarray(images[start : start + 512], dtype=np.float32)
                )
                h = self.net_["body"](x)
                outs.append((h if part == "features" else self.net_["head"](h)).numpy())
        return np.concatenate(outs) if outs else np.zeros((0, self.features), dtype=np.float32)

    def predict(self, images: np.ndarray) -> np.ndarray:
        """Class codes (indices into ``classes_``) of images (N, C, H, W) in [0, 1]."""
        return self._run(images, "logits").argmax(axis=1)

    def transform(self, images: np.ndarray) -> np.ndarray:
        """Penultimate-layer features (N, features) of images (N, C, H, W)."""
        return self._run(images, "features")

    def score(self, data: ImageData) -> float:
        """Accuracy on ``data``."""
        return float((self.predict(data.images) == data.labels).mean())
