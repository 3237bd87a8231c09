"""Knowledge-base articles: the built-in Loom Bank FAQ and loaders for a user's own KB.

Accepted formats: JSON (a list of articles, or bilingual topics with ``en``/``zh`` parts),
JSON Lines, CSV (one article per row) and Markdown files with a YAML front matter.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finloom.errors import InvalidDataError, NotFoundError

__all__ = ["Article", "load_builtin_kb", "load_kb", "parse_articles"]

KB_DIR = Path(__file__).resolve().parent / "kb"
LANGS = ("en", "zh")
REQUIRED = ("id", "lang", "title", "body")
SUFFIXES = (".json", ".jsonl", ".csv", ".md", ".markdown")


@dataclass(frozen=True)
class Article:
    """One knowledge-base article in one language.

    Parameters
    ----------
    id : unique article id, cited in answers (e.g. ``"card-freeze-en"``).
    lang : ``"en"`` or ``"zh"``.
    title, body : plain text.
    topic_id : id shared by the translations of one topic (defaults to ``id``).
    tags : free keywords that also feed retrieval.
    effective_date : the date from which the policy applies.

    Examples
    --------
    >>> a = Article(id="fees-en", lang="en", title="Fees", body="Transfers are free.")
    >>> a.topic_id, a.text
    ('fees-en', 'Fees\\nTransfers are free.')
    """

    id: str
    lang: str
    title: str
    body: str
    topic_id: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    effective_date: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.topic_id:
            object.__setattr__(self, "topic_id", self.id)

    @property
    def text(self) -> str:
        """Title and body joined, the text that retrieval indexes."""
        return f"{self.title}\n{self.body}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view (dates as ISO strings)."""
        return {
            "id": self.id, "lang": self.lang, "title": self.title, "body": self.body,
            "topic_id": self.topic_id, "tags": list(self.tags),
            "effective_date": self.effective_date.isoformat() if self.effective_date else None,
        }


def _parse_date(value: Any, where: str, problems: list[str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(f"{where}: effective_date must be an ISO date like 2026-01-31; got {value!r}.")
        return None


def _parse_tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = value.replace(";", ",").replace("|", ",").split(",")
        return tuple(p.strip() for p in parts if p.strip())
    return tuple(str(v).strip() for v in value if str(v).strip())


def _article(record: Mapping[str, Any], where: str, problems: list[str]) -> Article | None:
    missing = [k for k in REQUIRED if not str(record.get(k) or "").strip()]
    if missing:
        problems.append(f"{where}: fields {missing} must be non-empty; got {sorted(record)}. "
                        "Every article needs id, lang, title and body.")
        return None
    lang = str(record["lang"]).strip().lower().replace("zh-cn", "zh")
    if lang not in LANGS:
        problems.append(f"{where}: lang must be one of {list(LANGS)}; got {record['lang']!r}.")
        return None
    return Article(
        id=str(record["id"]).strip(), lang=lang, title=str(record["title"]).strip(),
        body=str(record["body"]).strip(), topic_id=str(record.get("topic_id") or "").strip(),
        tags=_parse_tags(record.get("tags")),
        effective_date=_parse_date(record.get("effective_date"), where, problems),
    )


def _expand_topic(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A bilingual topic ``{"topic_id", "en": {...}, "zh": {...}}`` -> flat article records."""
    out = []
    for lang in LANGS:
        part = record.get(lang)
        if isinstance(part, Mapping):
            out.append({"id": f"{record['topic_id']}-{lang}", "lang": lang,
                        "topic_id": record["topic_id"], "tags": record.get("tags"),
                        "effective_date": record.get("effective_date"), **part})
    return out


def parse_articles(records: Iterable[Mapping[str, Any]], *, source: str = "records") -> list[Article]:
    """Validate raw records into :class:`Article` objects, collecting every problem.

    Raises
    ------
    InvalidDataError
        Listing every missing field, unknown language, bad date and duplicated id.

    Examples
    --------
    >>> arts = parse_articles([{"topic_id": "t", "tags": ["x"], "en": {"title": "T", "body": "B"},
    ...                         "zh": {"title": "题", "body": "文"}}])
    >>> [a.id for a in arts]
    ['t-en', 't-zh']
    >>> parse_articles([{"id": "a", "lang": "fr", "title": "T", "body": "B"}])
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: records[0]: lang must be one of ['en', 'zh']; got 'fr'.
    """
    problems: list[str] = []
    articles: list[Article] = []
    for i, record in enumerate(records):
        if not isinstance(record, Mapping):
            problems.append(f"{source}[{i}]: must be an object; got {type(record).__name__}.")
            continue
        flat = _expand_topic(record) if "topic_id" in record and "id" not in record else [record]
        for rec in flat:
            article = _article(rec, f"{source}[{i}]", problems)
            if article is not None:
                articles.append(article)
    seen: set[str] = set()
    for a in articles:
        if a.id in seen:
            problems.append(f"{source}: article ids must be unique; got '{a.id}' twice.")
        seen.add(a.id)
    if problems:
        raise InvalidDataError(problems)
    return articles


def _front_matter(text: str, where: str) -> dict[str, Any]:
    import yaml

    if not text.startswith("---"):
        raise InvalidDataError(f"{where} must start with a '---' front matter block; got "
                               f"{text[:20]!r}. Add id, lang and title between '---' lines.")
    parts = text.split("---", 2)
    if len(parts) < 3:
        raise InvalidDataError(f"{where} front matter must end with a '---' line; got none.")
    try:
        meta = yaml.safe_load(parts[1]) or {}
    except yaml.YAMLError as exc:
        raise InvalidDataError(f"{where} front matter must be valid YAML; got: {exc}") from exc
    if not isinstance(meta, dict):
        raise InvalidDataError(f"{where} front matter must be a mapping; got {type(meta).__name__}.")
    return {**meta, "body": parts[2].strip()}


def _read_file(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return [_front_matter(text, str(path))]
    if suffix == ".csv":
        return [dict(row) for row in csv.DictReader(text.splitlines())]
    try:
        if suffix == ".jsonl":
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidDataError(f"{path} must be valid JSON; got a parse error: {exc}.") from exc
    return list(data) if isinstance(data, list) else [data]


def load_kb(path: str | os.PathLike[str]) -> list[Article]:
    """Load articles from a file or a folder of ``.json``/``.jsonl``/``.csv``/``.md`` files.

    Raises
    ------
    NotFoundError
        When the path does not exist or the folder holds no KB files.
    InvalidDataError
        When records are malformed (all problems are listed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.md").write_text("---\\nid: a\\nlang: en\\ntitle: Hours\\n---\\nOpen 9-17.")
    >>> load_kb(d)[0].body
    'Open 9-17.'
    """
    root = Path(path).expanduser()
    if not root.exists():
        raise NotFoundError(f"knowledge base path must exist; got '{root}'. Pass a file or folder.")
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in SUFFIXES) if root.is_dir() else [root]
    if not files:
        raise NotFoundError(f"knowledge base folder must hold {list(SUFFIXES)} files; got none in "
                            f"'{root}'.")
    if files[0].suffix.lower() not in SUFFIXES:
        raise InvalidDataError(f"knowledge base file must end in one of {list(SUFFIXES)}; got "
                               f"'{files[0].name}'.")
    records: list[dict[str, Any]] = []
    for f in files:
        records.extend(_read_file(f))
    return parse_articles(records, source=root.name)


def load_builtin_kb(*, langs: Sequence[str] = LANGS) -> list[Article]:
    """The project's Loom Bank (织锦银行) FAQ and policy articles, in English and Chinese.

    Examples
    --------
    >>> kb = load_builtin_kb()
    >>> len(kb) >= 150, {a.lang for a in kb} == {"en", "zh"}
    (True, True)
    """
    return [a for a in load_kb(KB_DIR) if a.lang in langs]
