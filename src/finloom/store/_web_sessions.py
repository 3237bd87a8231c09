"""Server-side web sessions: signing out ends a session for good, even for a copied cookie.

The browser keeps a random token (inside the signed session cookie); the database keeps only its
SHA-256, the key it signed in with and an expiry. Revoking that key ends its sessions as well.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import DateTime, ForeignKey, String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from finloom.errors import AuthenticationError
from finloom.store._keys import Principal, principal_for_key_id
from finloom.store._models import Base, utcnow

__all__ = ["WebSession", "close_web_session", "open_web_session", "principal_for_web_session"]

_ENDED = "your session has ended; sign in again with your API key."


class WebSession(Base):
    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the browser's token
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def open_web_session(session: Session, key_id: str, *, lifetime: dt.timedelta = dt.timedelta(hours=12)) -> str:
    """Start a web session for an authenticated key; returns the token for the browser.

    Expired sessions are deleted on the way.

    Examples
    --------
    >>> from finloom.store import create_api_key, make_engine, make_session_factory, upgrade_database
    >>> engine = make_engine("sqlite://"); upgrade_database(engine)
    >>> s = make_session_factory(engine)()
    >>> _, key = create_api_key(s, user="ana", role="viewer")
    >>> token = open_web_session(s, key.id)
    >>> principal_for_web_session(s, token).user
    'ana'
    >>> close_web_session(s, token)
    >>> principal_for_web_session(s, token)
    Traceback (most recent call last):
    ...
    finloom.errors.AuthenticationError: your session has ended; sign in again with your API key.
    """
    now = utcnow()
    session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(WebSession(id=_digest(token), key_id=key_id, created_at=now, expires_at=now + lifetime))
    session.flush()
    return token


def principal_for_web_session(session: Session, token: str | None) -> Principal:
    """The principal of a live web session; raises :class:`AuthenticationError` once it ended,
    expired, or its key was revoked."""
    row = session.get(WebSession, _digest(token)) if token else None
    if row is None or _aware(row.expires_at) <= utcnow():
        raise AuthenticationError(_ENDED)
    return principal_for_key_id(session, row.key_id)


def close_web_session(session: Session, token: str | None) -> None:
    """End a web session (sign-out); unknown tokens are ignored."""
    if token:
        session.execute(delete(WebSession).where(WebSession.id == _digest(token)))
