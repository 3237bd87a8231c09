"""The image synthesizer contract, implemented once: fit, seeded class-conditional sampling, save/load."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import Any, ClassVar

import numpy as np

from finloom._base import (
    BaseEstimator,
    ProgressCallback,
    noop_progress,
    resolve_config,
    validate_param,
)
from finloom._optional import require
from finloom._serialization import load_state, save_state
from finloom.errors import ConfigError, did_you_mean
from finloom.synth.images._data import ImageData, as_image_data
from finloom.synth.tabular._base import chunk_rng, root_seed

__all__ = ["CHUNK", "BaseImageSynthesizer", "batches", "check_common", "int_in"]

CHUNK = 256  # images per sampling chunk: chunk k depends on (seed, k) only


def check_common(owner: str, cfg: Any) -> None:
    """Validate the fields every image synthesizer config shares (epochs, batch_size, lr, width)."""
    validate_param(
        owner, "epochs", cfg.epochs, lambda v: int_in(v, 1, 100_000), "an int in [1, 100000]"
    )
    validate_param(
        owner, "batch_size", cfg.batch_size, lambda v: int_in(v, 2, 4096), "an int in [2, 4096]"
    )
    validate_param(owner, "lr", cfg.lr, lambda v: 0 < v <= 1, "a float in (0, 1]")
    validate_param(
        owner,
        "width",
        cfg.width,
        lambda v: int_in(v, 8, 256) and v % 8 == 0,
        "a multiple of 8 in [8, 256]",
    )


def int_in(value: Any, low: int, high: int) -> bool:
    """An int (not a bool) in [low, high]."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


class BaseImageSynthesizer(BaseEstimator):
    """Shared contract of the image synthesizers; subclasses implement four hooks.

    ``_build(channels, size, n_classes)`` returns the named torch modules; ``_train(x, y,
    progress, gen)`` learns from images ``x`` (N, C, S, S) in [0, 1] and class codes ``y``;
    ``_generate(y, gen)`` returns images in [0, 1] for class codes ``y``; ``_extra_state()``
    holds anything besides the weights that sampling needs.
    """

    config_class: ClassVar[type]

    def __init__(self, config: Any = None, *, random_state: int | None = None) -> None:
        self.config = config
        self.random_state = random_state

    # -- fit -----------------------------------------------------------------------------------
    def _resolved_config(self) -> Any:
        return resolve_config(type(self).__name__, self.config, self.config_class)

    def fit(
        self,
        images: ImageData | Any,
        labels: Any = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> BaseImageSynthesizer:
        """Learn ``images`` (an :class:`ImageData`, or an array with optional ``labels``); returns ``self``."""
        torch = require("torch", feature=type(self).__name__)
        from finloom.synth.images._nets import init_weights

        config = self._resolved_config()
        config.validate(type(self).__name__)
        data = images if isinstance(images, ImageData) else as_image_data(images, labels)
        for attr in [k for k in vars(self) if k.endswith("_") and not k.startswith("_")]:
            delattr(self, attr)
        self.config_ = config
        self.classes_ = list(data.classes)
        self.image_shape_ = list(data.shape)
        self.class_probs_ = (
            np.bincount(data.labels, minlength=len(data.classes)) / data.n
        ).tolist()
        rng = np.random.default_rng(self.random_state)
        gen = torch.Generator().manual_seed(int(rng.integers(2**62)))
        self.modules_ = self._built()
        for module in self.modules_.values():
            init_weights(module, gen)
        self.loss_history_: list[float] = []
        x = torch.from_numpy(data.images.copy())
        y = torch.from_numpy(data.labels.copy())
        self._train(x, y, progress or noop_progress, gen)
        for module in self.modules_.values():
            module.eval()
        return self

    def _built(self) -> dict[str, Any]:
        """The modules, built without touching the global torch RNG (weights are re-drawn after)."""
        torch = require("torch", feature=type(self).__name__)
        with torch.random.fork_rng(devices=[]):
            return self._build(*self._dims())

    def _dims(self) -> tuple[int, int, int]:
        channels, size, _ = self.image_shape_
        return channels, size, len(self.classes_)

    # -- sample --------------------------------------------------------------------------------
    def _codes(self, n: int, labels: Any, rng: np.random.Generator) -> np.ndarray:
        if labels is None:
            probs = np.asarray(self.class_probs_, dtype=float)
            return rng.choice(len(probs), size=n, p=probs / probs.sum()).astype(np.int64)
        values = [labels] * n if isinstance(labels, str | int | np.integer) else list(labels)
        if len(values) != n:
            raise ConfigError(
                f"labels must be one class or one class per image ({n}); got {len(values)} labels."
            )
        index = {c: i for i, c in enumerate(self.classes_)}
        bad = [str(v) for v in values if str(v) not in index]
        if bad:
            raise ConfigError(
                f"labels must be classes of the training images {self.classes_[:12]}; got "
                f"'{bad[0]}'.{did_you_mean(bad[0], self.classes_)}"
            )
        return np.array([index[str(v)] for v in values], dtype=np.int64)

    def sample(
        self,
        n: int,
        *,
        labels: str | int | Sequence[str | int] | None = None,
        random_state: int | np.random.Generator | None = None,
        progress: ProgressCallback | None = None,
    ) -> ImageData:
        """Draw ``n`` images: of class ``labels`` (one class, or one per image) or of the training mix.

        The same ``random_state`` gives the same images; chunk k of 256 images depends only on
        the seed and k.
        """
        torch = require("torch", feature=type(self).__name__)
        self._check_is_fitted("sample")
        if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 0:
            raise ConfigError(f"n must be an int >= 0; got {n!r}.")
        seed = root_seed(random_state)
        report = progress or noop_progress
        given = None if labels is None else self._codes(n, labels, np.random.default_rng(0))
        images, codes = [], []
        for k, start in enumerate(range(0, n, CHUNK)):
            size = min(CHUNK, n - start)
            rng = chunk_rng(seed, k)
            y = self._codes(size, None, rng) if given is None else given[start : start + size]
            gen = torch.Generator().manual_seed(int(rng.integers(2**62)))
            with torch.no_grad():
                images.append(self._generate(torch.from_numpy(y), gen).clamp(0.0, 1.0).numpy())
            codes.append(y)
            report((start + size) / n, f"sampled {start + size} of {n} images")
        channels, side, _ = self.image_shape_
        out = (
            np.concatenate(images)
            if images
            else np.zeros((0, channels, side, side), dtype=np.float32)
        )
        y_all = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
        return ImageData(out.astype(np.float32), y_all, tuple(self.classes_))

    # -- persistence ---------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the fitted model to directory ``path`` (config.json + model.safetensors, no pickle)."""
        self._check_is_fitted("save")
        tensors = {
            f"{name}.{k}": v.detach().cpu().numpy()
            for name, m in self.modules_.items()
            for k, v in m.state_dict().items()
        }
        config = {
            "params": {"config": asdict(self.config_), "random_state": self.random_state},
            "classes": self.classes_,
            "image_shape": self.image_shape_,
            "class_probs": self.class_probs_,
            "loss_history": self.loss_history_,
            "extra": self._extra_state(),
        }
        save_state(path, kind=type(self).__name__, config=config, tensors=tensors)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> BaseImageSynthesizer:
        """Read a model written by :meth:`save`."""
        torch = require("torch", feature=cls.__name__)
        doc = load_state(path, kind=cls.__name__)
        cfg = doc["config"]
        names = {f.name for f in fields(cls.config_class)}
        config = cls.config_class(
            **{k: v for k, v in cfg["params"]["config"].items() if k in names}
        )
        obj = cls(config=config, random_state=cfg["params"]["random_state"])
        obj.config_ = config
        obj.classes_ = list(cfg["classes"])
        obj.image_shape_ = list(cfg["image_shape"])
        obj.class_probs_ = list(cfg["class_probs"])
        obj.loss_history_ = list(cfg["loss_history"])
        obj._load_extra(cfg.get("extra") or {})
        obj.modules_ = obj._built()
        for name, module in obj.modules_.items():
            prefix = f"{name}."
            module.load_state_dict(
                {
                    k[len(prefix) :]: torch.from_numpy(v.copy())
                    for k, v in doc["tensors"].items()
                    if k.startswith(prefix)
                }
            )
            module.eval()
        return obj

    # -- hooks ---------------------------------------------------------------------------------
    def _build(self, channels: int, size: int, n_classes: int) -> dict[str, Any]:
        raise NotImplementedError

    def _train(self, x: Any, y: Any, progress: ProgressCallback, gen: Any) -> None:
        raise NotImplementedError

    def _generate(self, y: Any, gen: Any) -> Any:
        raise NotImplementedError

    def _extra_state(self) -> dict[str, Any]:
        return {}

    def _load_extra(self, extra: dict[str, Any]) -> None:
        return None


def batches(n: int, batch_size: int, gen: Any) -> list[Any]:
    """Index tensors of one shuffled epoch (the last short batch dropped unless it is the only one)."""
    torch = require("torch", feature="image synthesizers")
    perm = torch.randperm(n, generator=gen)
    size = min(batch_size, n)
    return [perm[i : i + size] for i in range(0, n - size + 1, size)]
