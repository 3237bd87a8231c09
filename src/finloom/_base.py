"""The estimator contract shared by every model: parameter access, fitted checks, randomness."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import numpy as np

from finloom.errors import ConfigError, NotFittedError

__all__ = [
    "BaseEstimator",
    "ProgressCallback",
    "check_random_state",
    "noop_progress",
    "resolve_config",
    "validate_param",
]


class ProgressCallback(Protocol):
    """Engines call ``progress(fraction, message)`` with ``fraction`` in [0, 1].

    The job runner's callback raises ``JobCancelled`` when the user cancelled the job, so an
    engine that reports progress regularly is cancellable for free.
    """

    def __call__(self, fraction: float, message: str = "") -> None: ...


def noop_progress(fraction: float, message: str = "") -> None:
    """A progress callback that does nothing (the default for library use).

    Examples
    --------
    >>> noop_progress(0.5, "half way")
    """


def check_random_state(random_state: int | np.random.Generator | None) -> np.random.Generator:
    """Return a local ``np.random.Generator``; never touches global RNG state.

    Examples
    --------
    >>> a = check_random_state(0).random()
    >>> b = check_random_state(0).random()
    >>> a == b
    True
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, int | np.integer):
        return np.random.default_rng(random_state)
    raise ConfigError(
        f"random_state must be None, an int or a numpy Generator; got {type(random_state).__name__}."
    )


def resolve_config(owner: str, config: Any, config_class: type) -> Any:
    """An estimator's ``config`` parameter as a ``config_class`` instance: None gives the defaults, a
    mapping is its keyword arguments, an instance passes through; anything else is a ConfigError.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Cfg:
    ...     epochs: int = 10
    >>> resolve_config("Model", None, Cfg), resolve_config("Model", {"epochs": 3}, Cfg)
    (Cfg(epochs=10), Cfg(epochs=3))
    """
    if config is None:
        return config_class()
    if isinstance(config, Mapping):
        return config_class(**config)
    if not isinstance(config, config_class):
        raise ConfigError(
            f"The 'config' parameter of {owner} must be a {config_class.__name__}; got {type(config).__name__}."
        )
    return config


def validate_param(
    owner: str, name: str, value: Any, check: Callable[[Any], bool], expectation: str
) -> None:
    """Raise one :class:`ConfigError` in the house style when ``check(value)`` is false.

    Examples
    --------
    >>> validate_param("GANSynthesizer", "epochs", 0, lambda v: isinstance(v, int) and v >= 1,
    ...                "an int in [1, inf)")
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: The 'epochs' parameter of GANSynthesizer must be an int in [1, inf); got 0.
    """
    try:
        ok = bool(check(value))
    except Exception:
        ok = False
    if not ok:
        raise ConfigError(f"The '{name}' parameter of {owner} must be {expectation}; got {value!r}.")


class BaseEstimator:
    """Minimal mixin: ``get_params`` from ``__init__``'s signature and a fitted check.

    Subclasses store every ``__init__`` argument unchanged under the same name and put learned
    state in attributes ending with ``_``.

    Examples
    --------
    >>> class Demo(BaseEstimator):
    ...     def __init__(self, *, k: int = 3) -> None:
    ...         self.k = k
    ...     def fit(self, X):
    ...         self.mean_ = sum(X) / len(X)
    ...         return self
    >>> Demo().get_params()
    {'k': 3}
    >>> Demo()._check_is_fitted("predict")
    Traceback (most recent call last):
    ...
    finloom.errors.NotFittedError: This Demo is not fitted yet; call 'fit' with your data before 'predict'.
    """

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [
            p.name
            for p in signature.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self) -> dict[str, Any]:
        """Return the constructor parameters as stored on the instance."""
        return {name: getattr(self, name) for name in self._param_names()}

    def _is_fitted(self) -> bool:
        return any(k.endswith("_") and not k.startswith("__") for k in vars(self))

    def _check_is_fitted(self, method: str) -> None:
        if not self._is_fitted():
            raise NotFittedError.for_estimator(type(self).__name__, method)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"
