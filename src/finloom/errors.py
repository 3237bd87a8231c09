"""Exceptions raised by finloom for user mistakes, with a message that says how to fix them.

Every message follows the template "<what> must be <expectation>; got <value>. <remedy>".
The API maps each class to an HTTP status through ``status_code``; the CLI prints ``error: ...``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

__all__ = [
    "AuthenticationError",
    "ConfigError",
    "ConflictError",
    "FinloomError",
    "InvalidDataError",
    "MissingDependencyError",
    "NotFittedError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "ServiceError",
    "did_you_mean",
]


class FinloomError(Exception):
    """Base class of every error finloom raises for a user mistake.

    Examples
    --------
    >>> try:
    ...     raise FinloomError("epochs must be >= 1; got 0. Pass epochs=10.")
    ... except FinloomError as err:
    ...     print(err.status_code, err)
    400 epochs must be >= 1; got 0. Pass epochs=10.
    """

    status_code: int = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidDataError(FinloomError, ValueError):
    """Input data has one or more problems; all of them are listed in ``problems``.

    Examples
    --------
    >>> err = InvalidDataError(["column 'age' is all null", "column 'id' has 3 duplicated keys"])
    >>> len(err.problems)
    2
    >>> print(err)
    The data has 2 problems:
      - column 'age' is all null
      - column 'id' has 3 duplicated keys
    """

    status_code = 422

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            message = f"The data has {len(self.problems)} problems:\n{lines}"
        super().__init__(message)


class NotFittedError(FinloomError, AttributeError):
    """An estimator was used before ``fit``.

    Examples
    --------
    >>> NotFittedError.for_estimator("GANSynthesizer", "sample").message
    "This GANSynthesizer is not fitted yet; call 'fit' with your data before 'sample'."
    """

    status_code = 409

    @classmethod
    def for_estimator(cls, name: str, method: str) -> NotFittedError:
        return cls(f"This {name} is not fitted yet; call 'fit' with your data before '{method}'.")


class ConfigError(FinloomError, ValueError):
    """A setting or parameter has a wrong value."""


class MissingDependencyError(FinloomError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""

    status_code = 501


class NotFoundError(FinloomError, LookupError):
    """A named object (dataset, job, model, key) does not exist."""

    status_code = 404


class ConflictError(FinloomError):
    """The request conflicts with existing state (a name already taken, a finished job)."""

    status_code = 409


class AuthenticationError(FinloomError):
    """Missing, wrong, expired or revoked credentials."""

    status_code = 401


class PermissionDeniedError(FinloomError):
    """The caller's role does not allow the action."""

    status_code = 403


class PayloadTooLargeError(FinloomError):
    """An upload exceeds the configured size limit."""

    status_code = 413


class ServiceError(FinloomError):
    """An external service (database, LLM server, Dask scheduler) failed or refused."""

    status_code = 503


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return a " Did you mean 'x'?" hint for ``name``, or an empty string.

    Examples
    --------
    >>> did_you_mean("amout", ["amount", "date"])
    " Did you mean 'amount'?"
    >>> did_you_mean("zzz", ["amount"])
    ''
    """
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""
