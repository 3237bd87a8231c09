"""Service settings from the environment (prefix ``FINLOOM_``) or a ``.env`` file."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Everything the workbench needs to run; each field maps to ``FINLOOM_<NAME>``.

    Examples
    --------
    >>> s = Settings(workspace="/tmp/fl-demo")
    >>> s.resolved_database_url()
    'sqlite:////tmp/fl-demo/finloom.db'
    >>> Settings(workspace="/tmp/x", database_url="postgresql+psycopg://u@h/db").resolved_database_url()
    'postgresql+psycopg://u@h/db'
    >>> Settings(workspace="/tmp/x", import_roots="/data/a:/data/b").import_roots
    [PosixPath('/data/a'), PosixPath('/data/b')]
    """

    model_config = SettingsConfigDict(env_prefix="FINLOOM_", env_file=".env", extra="ignore")

    workspace: Path = Field(
        default=Path("finloom-workspace"),
        description="Directory holding the SQLite database, datasets, models and reports.",
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is SQLite inside the workspace."
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs web sessions; when unset a random key is created in the workspace.",
    )
    bootstrap_admin_key: SecretStr | None = Field(
        default=None, description="If set, an admin API key with this value exists at start-up."
    )
    dask_address: str | None = Field(
        default=None, description="tcp://host:port of a Dask scheduler; jobs run there when set."
    )
    max_workers: int = Field(default=2, ge=1, description="Concurrent jobs on the local executor.")
    torch_threads: int = Field(default=1, ge=1, description="torch.set_num_threads in job workers.")
    default_language: Literal["en", "zh"] = "en"
    max_upload_mb: int = Field(default=200, ge=1, description="Largest accepted upload in MiB.")
    max_body_mb: int = Field(
        default=8, ge=1, description="Largest accepted JSON or form body in MiB (file uploads use max_upload_mb)."
    )
    import_roots: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Folders (besides <workspace>/imports) whose files job parameters may name, e.g. a "
                    "test set or an encoder; FINLOOM_IMPORT_ROOTS lists them separated by ':' (or a JSON list).",
    )
    encoder_path: Path | None = Field(
        default=None, description="Local HF encoder directory; default is the bundled MiniLM."
    )
    assistant_dense: bool = Field(
        default=True,
        description="Fuse MiniLM with BM25 in the assistant's FAQ search (hit@3 0.911 vs 0.836 on "
                    "BM25 alone); false keeps the chat torch-free.",
    )
    assistant_intents: Path | None = Field(
        default=None,
        description="Intent model for the assistant: a folder written by 'finloom chat "
                    "train-intents'; default: the bundled seed intents.",
    )
    csv_formula_guard: bool = Field(
        default=True,
        description="Prefix text cells starting with = + - @ (or a tab or CR) with ' in exported "
                    "CSV files, so spreadsheets show them instead of running them as formulas.",
    )
    monitor_webhook_url: str | None = Field(
        default=None,
        description="Monitoring: POST new alerts and case changes here (signed with the secret).",
    )
    monitor_webhook_secret: SecretStr | None = Field(
        default=None, description="Monitoring: HMAC-SHA256 key of the webhook (>= 16 characters)."
    )
    monitor_smtp_host: str | None = Field(
        default=None, description="Monitoring: SMTP server that e-mails new alerts and case changes."
    )
    monitor_smtp_port: int = Field(default=25, ge=1, le=65535)
    monitor_smtp_sender: str = "finloom@localhost"
    monitor_smtp_to: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Monitoring: e-mail recipients, separated by commas."
    )
    monitor_smtp_username: str | None = None
    monitor_smtp_password: SecretStr | None = None
    monitor_smtp_starttls: bool = False
    monitor_notify_min_risk: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="Monitoring: only alerts with at least this risk are sent (every alert already "
                    "passed the 1 % alert threshold).",
    )
    host: str = "127.0.0.1"
    port: int = 8000

    @field_validator("monitor_smtp_to", mode="before")
    @classmethod
    def _split_recipients(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            return json.loads(text) if text.startswith("[") else [p.strip() for p in text.split(",") if p.strip()]
        return value

    @field_validator("workspace")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser().absolute()

    @field_validator("import_roots", mode="before")
    @classmethod
    def _split_roots(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            return json.loads(text) if text.startswith("[") else [p for p in text.split(os.pathsep) if p.strip()]
        return value

    @field_validator("import_roots")
    @classmethod
    def _absolute_roots(cls, value: list[Path]) -> list[Path]:
        return [p.expanduser().absolute() for p in value]

    def resolved_database_url(self) -> str:
        """The database URL in force: the configured one, or SQLite in the workspace."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.workspace / 'finloom.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Build the settings once per process, from the environment (never at import time)."""
    return Settings()
