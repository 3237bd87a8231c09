"""Template rendering with the caller's language, identity and the area tiles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from finloom.web._i18n import LANGUAGES, translate_message, translator

__all__ = ["AREAS", "Area", "language_of", "render"]

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
# the raw-result toggle shows Chinese as Chinese, not as \uXXXX escapes (tojson still escapes < > & ')
templates.env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}


@dataclass(frozen=True)
class Area:
    """A home-page tile; it is greyed out until a page is mounted at ``href``."""

    label: str
    href: str


AREAS = (
    Area("area.datasets", "/datasets"),
    Area("area.jobs", "/jobs"),
    Area("area.models", "/models"),
    Area("area.synth", "/synth"),
    Area("area.market", "/market"),
    Area("area.nlp", "/nlp"),
    Area("area.textgen", "/reports"),
    Area("area.compliance", "/compliance"),
    Area("area.assistant", "/assistant"),
    Area("area.credit", "/credit"),
    Area("area.images", "/images"),
    Area("area.advisor", "/advisor"),
    Area("area.monitoring", "/monitoring"),
    Area("area.documents", "/documents"),
    Area("area.recommendation", "/recommendation"),
    Area("area.marketing", "/marketing"),
)


def language_of(request: Request) -> str:
    lang = request.cookies.get("lang") or request.app.state.workbench.settings.default_language
    return lang if lang in LANGUAGES else "en"


def _mounted(request: Request) -> set[str]:
    areas: set[str] = getattr(request.app.state, "web_areas", set())
    return areas


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``name`` with ``t`` (translator), ``lang``, ``principal`` and the area tiles."""
    lang = language_of(request)
    mounted = _mounted(request)
    areas = [{"label": a.label, "href": a.href, "enabled": a.href in mounted} for a in AREAS]
    t = translator(lang)
    base = {
        "t": t,
        "tr": lambda key, fallback: fallback if t(key) == key else t(key),  # a catalogue entry or the data as is
        "msg": lambda message: translate_message(lang, message),
        "lang": lang,
        "principal": getattr(request.state, "principal", None),
        "areas": areas,
        "extra_nav": [a for a in areas[3:] if a["enabled"]],
    }
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
