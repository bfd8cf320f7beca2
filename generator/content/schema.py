"""Typed reading of YAML mappings, reporting every problem with its line.

Each loader reads its fields through a ``FieldReader`` bound to one file, so
an unknown key, a wrong type or a bad slug becomes one diagnostic at the
right line, and reading goes on to find the next problem.

Text is read as written: where YAML 1.1 made a plain scalar a number, a
boolean or a date (``10:30``, ``no``, ``0x1F``, ``.nan``), a text field, an
id or a tag takes the scalar as it stands in the file (``yamlio`` keeps it);
only ``nav`` and the dates read numbers.
"""

from __future__ import annotations

import datetime
import math
import re
from urllib.parse import urlsplit

from .dates import DateError, PartialDate, parse_date
from ..errors import Diagnostics
from .suggest import did_you_mean
from .yamlio import YList, YMap

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")  # \Z: "$" also matches before a final "\n"
# A number as people write one: YAML 1.1 also reads 010 as 8, 0x1F as 31,
# 1:30 as 90 and .nan as a number, which no one means by a menu position.
_DECIMAL = re.compile(r"^[-+]?(?=\.?[0-9])[0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?\Z")
# What a URL in an href cannot hold as written: controls, white space, quotes,
# angle brackets and the other characters URLs must percent-encode, and a '%'
# that starts no escape. (Other non-ASCII characters are fine: browsers encode them.)
_URL_FORBIDDEN = re.compile('[\x00-\x20\x7f-\xa0"<>\\\\^`{|}\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]'
                            "|%(?![0-9A-Fa-f]{2})")


# A well-formed BCP 47 tag (RFC 5646 syntax; subtags are not looked up in the registry).
LANGUAGE_TAG = re.compile(
    r"^[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?$|^[Xx](?:-[A-Za-z0-9]{1,8})+$")


def is_slug(value) -> bool:
    return isinstance(value, str) and bool(SLUG.match(value))


def http_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be written as an absolute http(s) link, or None."""
    if not value.startswith(("http://", "https://")):
        return "must be an absolute http(s) URL"
    bad = _URL_FORBIDDEN.search(value)
    if bad:
        return f"must not hold {bad.group()!r} as written (percent-encode it, e.g. a space as %20)"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    if not parts.hostname:
        return "has no host name"
    return None


class FieldReader:
    def __init__(self, diagnostics: Diagnostics, path: str, markup_check=None):
        """``markup_check``: a ``converter.MarkupCheck``; given, Markdown fields
        get a warning where publishing changes them (raw HTML, unsafe links)."""
        self.diagnostics = diagnostics
        self.path = path
        self.markup_check = markup_check

    def error(self, line, message: str, details: tuple[str, ...] = ()) -> None:
        self.diagnostics.error(self.path, line, message, details)

    def warning(self, line, message: str) -> None:
        self.diagnostics.warning(self.path, line, message)

    def mapping(self, value, line, what: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.error(line, f"{what} must be a mapping of keys to values, got {_kind(value)}")
        return None

    def keys(self, data: YMap, allowed: tuple[str, ...], required: tuple[str, ...] = (), what: str = "") -> None:
        """Unknown keys are errors (a typo must not pass silently), except ``x-`` keys."""
        for key in data:
            if isinstance(key, str) and key.startswith("x-"):
                continue
            if key not in allowed:
                suggestion = did_you_mean(str(key), allowed)
                where = f" in {what}" if what else ""
                self.error(data.line_of(key), f"unknown key '{key}'{where}{suggestion}")
        for key in required:
            if key not in data or data[key] is None:
                where = f" {what}" if what else ""
                self.error(data.line, f"missing required key '{key}'{where}".rstrip())

    def string(self, data: YMap, key: str, required: bool = False) -> str | None:
        """The text as written (``title: 10:30`` is '10:30', ``name: no`` is 'no')."""
        if key not in data or data[key] is None:
            return None
        value = as_written(data, key)
        if isinstance(value, (dict, list)):
            self.error(data.line_of(key), f"'{key}' must be text, got {_kind(value)}")
            return None
        if not isinstance(value, str):  # only an explicit tag (!!binary, !!float) gives one here
            self.error(data.line_of(key), f"'{key}' must be text, got {_kind(value)} (from a YAML tag such as !!binary or !!float: remove the tag)")
            return None
        if required and not value.strip():
            self.error(data.line_of(key), f"'{key}' must not be empty")
            return None
        return value

    def url(self, data: YMap, key: str, what: str = "") -> str | None:
        """An absolute http(s) URL that can be written in a link as it is."""
        value = self.string(data, key)
        if value is None or not value.strip():
            return None
        value = value.strip()
        problem = http_url_problem(value)
        if problem:
            self.error(data.line_of(key), f"'{what or key}' {problem}, got {value!r}")
            return None
        return value

    def language(self, data: YMap, key: str, what: str = "") -> str | None:
        """A BCP 47 language tag such as ``en``, ``fr`` or ``zh-Hans``: it is
        written in ``lang`` attributes, where anything else is invalid HTML."""
        value = self.string(data, key)
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not LANGUAGE_TAG.fullmatch(value):
            self.error(data.line_of(key), f"'{what or key}' must be a BCP 47 language tag such as en, fr or zh-Hans, got {value!r}")
            return None
        return value

    def markdown(self, data: YMap, key: str, required: bool = False, kind: str = "prose") -> str | None:
        """Markdown text the converter can handle (see markup.nesting_problem).
        ``kind``: the converter it goes through ("prose", or "article" for note bodies)."""
        from .converter import nesting_problem  # here: reading site.yaml alone needs no Markdown

        value = self.string(data, key, required)
        if value is not None:
            problem = nesting_problem(value)
            if problem:
                self.error(data.line_of(key), f"'{key}': {problem[1]}")
                return None
            if self.markup_check is not None:  # stripped: as the model holds it and the page converts it
                for _, message in self.markup_check.problems(value.strip(), kind, key):
                    self.warning(data.line_of(key), message)
        return value

    def slug(self, data: YMap, key: str) -> str | None:
        """A slug as written: ``id: no`` and ``id: 2024`` are the slugs 'no' and '2024'."""
        if data.get(key) is None:
            return None
        value = as_written(data, key)
        if not is_slug(value):
            self.error(data.line_of(key), f"'{key}' must be a slug (lower-case letters, digits and single hyphens), got {_shown(value)}")
            return None
        return value

    def date(self, data: YMap, key: str) -> PartialDate | None:
        """A date as written; YAML's own dates (``2024-03-05``) are taken as they
        are, and a number is read from its text (``0777`` is not the year 511)."""
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, (str, datetime.date)):
            value = as_written(data, key)
        if isinstance(value, bool) or not isinstance(value, (str, int, datetime.date)):
            self.error(data.line_of(key), f"'{key}': expected a date (YYYY, YYYY-MM or YYYY-MM-DD), got {_kind(value)}")
            return None
        try:
            return parse_date(value)
        except DateError as exc:
            self.error(data.line_of(key), f"'{key}': {exc}")
            return None

    def number(self, data: YMap, key: str) -> float | None:
        """A finite number written in decimal (the number written, not YAML 1.1's reading of it)."""
        value = data.get(key)
        if value is None:
            return None
        written = data.written(key) if isinstance(data, YMap) else None
        if written is not None and not isinstance(value, bool) and isinstance(value, (int, float)):
            value = _decimal(written)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            shown = _shown(written) if written is not None else _kind(value)
            self.error(data.line_of(key), f"'{key}' must be a number such as 1 or 2.5, got {shown}")
            return None
        return value

    def items(self, data: YMap, key: str) -> list[tuple[object, int]]:
        """The items of a list value with their lines (an absent key is [])."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, YList):
            self.error(data.line_of(key), f"'{key}' must be a list, got {_kind(value)}")
            return []
        return [(item, value.line_of(i)) for i, item in enumerate(value)]

    def written_items(self, data: YMap, key: str) -> list[tuple[object, int]]:
        """``items``, each plain scalar as written (``tags: [no, 2024]`` are 'no' and '2024')."""
        value = data.get(key)
        return [(as_written(value, index), line) for index, (_, line) in enumerate(self.items(data, key))]

    def strings(self, data: YMap, key: str) -> list[str]:
        result = []
        for item, line in self.written_items(data, key):
            if isinstance(item, str) and item.strip():
                result.append(item)
            else:
                self.error(line, f"each item of '{key}' must be non-empty text, got {_kind(item)}")
        return result

    def slugs(self, data: YMap, key: str) -> list[tuple[str, int]]:
        result = []
        for item, line in self.written_items(data, key):
            if is_slug(item):
                result.append((item, line))
            else:
                self.error(line, f"each item of '{key}' must be a slug, got {_shown(item)}")
        return result


def as_written(container, key):
    """``container[key]``, or the scalar as written where YAML resolved a
    plain one to a number, a boolean or a date (null stays None: no value)."""
    value = container[key]
    if isinstance(value, str) or not isinstance(container, (YMap, YList)):
        return value
    written = container.written(key)
    return value if written is None or value is None else written


def _decimal(text: str):
    """The number ``text`` writes in decimal (an int or a float), or None."""
    if not _DECIMAL.match(text):
        return None
    plain = text.replace("_", "")
    return float(plain) if any(c in plain for c in ".eE") else int(plain)


def _shown(value) -> str:
    """A wrong value for a message: text quoted, anything else by its kind."""
    return repr(value) if isinstance(value, str) else _kind(value)


def _kind(value) -> str:
    """What a value is, in the user's words (never a Python type name)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {value!r}" if len(value) < 40 else "text"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, datetime.date):
        return f"the date {value}"
    return f"a YAML {type(value).__name__} value"
