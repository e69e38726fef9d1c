"""Strings of ``block.json`` and ``theme.json`` files, with the contexts WordPress gives them.

WordPress translates these files' fields at run time with ``translate_settings_using_i18n_schema()``
and a schema (wp-includes/block-i18n.json, theme-i18n.json) whose leaves are the msgctxt of each
field; WP-CLI make-pot walks the same schemas. The schemas below say the same in Python: a dict
walks keys (``*`` stands for any key), a one-element list walks each item, a string is the context.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

BLOCK_SCHEMA = {
    "title": "block title",
    "description": "block description",
    "keywords": ["block keyword"],
    "styles": [{"label": "block style label"}],
    "variations": [{"title": "block variation title", "description": "block variation description",
                    "keywords": ["block variation keyword"]}],
}

_NAMED = lambda context: [{"name": context}]  # noqa: E731 - a list of presets with a translatable name
_PRESETS = {
    "typography": {"fontSizes": _NAMED("Font size name"), "fontFamilies": _NAMED("Font family name")},
    "color": {"palette": _NAMED("Color name"), "gradients": _NAMED("Gradient name"),
              "duotone": _NAMED("Duotone name")},
    "spacing": {"spacingSizes": _NAMED("Space size name")},
    "dimensions": {"aspectRatios": _NAMED("Aspect ratio name"), "dimensionSizes": _NAMED("Dimension size name")},
    "border": {"radiusSizes": _NAMED("Border radius size name")},
}
THEME_SCHEMA = {
    "title": "Style variation name",
    "description": "Style variation description",
    "settings": {**_PRESETS, "shadow": {"presets": _NAMED("Shadow name")}, "blocks": {"*": _PRESETS}},
    "customTemplates": [{"title": "Custom template name"}],
    "templateParts": [{"title": "Template part name"}],
}


@dataclass
class JsonStrings:
    strings: list[tuple[str, str]]  # (msgctxt, msgid) in file order
    domain: str | None  # block.json's "textdomain", when it has one
    error: tuple[int, str] | None


def read_json_strings(text: str, schema: dict) -> JsonStrings:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return JsonStrings([], None, (exc.lineno, f"not valid JSON ({exc.msg})"))
    strings: list[tuple[str, str]] = []
    _walk(schema, data, strings)
    domain = data.get("textdomain") if isinstance(data, dict) else None
    return JsonStrings(strings, domain if isinstance(domain, str) else None, None)


def _walk(schema, value, found: list[tuple[str, str]]) -> None:
    if isinstance(schema, str):
        if isinstance(value, str) and value:
            found.append((schema, value))
    elif isinstance(schema, list):
        if isinstance(value, list):
            for item in value:
                _walk(schema[0], item, found)
    elif isinstance(schema, dict) and isinstance(value, dict):
        for key, item in value.items():
            if key in schema:
                _walk(schema[key], item, found)
            elif "*" in schema:
                _walk(schema["*"], item, found)
