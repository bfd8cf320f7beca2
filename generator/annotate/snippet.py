"""The YAML of what the preview adds: a note, an evidence item, an event.

An item is a list of ``(key, value)`` pairs, in the order a person would
write them; values are text, or (``evidence`` of a new event) a list of
items. Each scalar is written the plainest way that reads back as exactly
that text (checked by parsing it): plain, then single-quoted, then a
literal block for several lines, then double-quoted, which holds anything.
A date stays plain (``2024-03-04``) as people write them.
"""

from __future__ import annotations

import json
import re
import unicodedata

import yaml

from ..content.seedtext import normalise

Item = list  # [(key, text or list of Item)]
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?\Z")


def note_item(quote: str, prefix: str, suffix: str, kind: str, body: str, should_read: str) -> Item:
    item: Item = [("quote", quote)]
    item += [("prefix", prefix)] if prefix else []
    item += [("suffix", suffix)] if suffix else []
    item += [("kind", kind)] if kind != "note" else []
    item += [("should_read", should_read)] if kind == "correction" else []
    return item + [("body", body)]


def evidence_item(slug: str, quote: str, prefix: str, suffix: str) -> Item:
    item: Item = [("source", slug), ("quote", quote)]
    item += [("prefix", prefix)] if prefix else []
    return item + ([("suffix", suffix)] if suffix else [])


def event_item(event_id: str, date: str, title: str, evidence: Item) -> Item:
    return [("id", event_id), ("date", date), ("title", title), ("evidence", [evidence])]


def data_of(item: Item) -> dict:
    """The item as the loader will read it (dates as written)."""
    return {key: [data_of(v) for v in value] if isinstance(value, list) else value for key, value in item}


def block(item: Item, indent: int, newline: str = "\n") -> str:
    """``item`` as a block sequence entry whose ``-`` is at column ``indent``."""
    lines: list[str] = []
    pad = " " * (indent + 2)
    for index, (key, value) in enumerate(item):
        lead = " " * indent + "- " if index == 0 else pad
        if isinstance(value, list):
            lines.append(f"{lead}{key}:")
            lines.extend(block(entry, indent + 4).rstrip("\n").split("\n") for entry in value)
            continue
        lines.append(f"{lead}{key}: {scalar(value, indent + 4, key == 'date')}")
    flat: list[str] = []
    for line in lines:
        flat.extend(line if isinstance(line, list) else [line])
    return newline.join(flat) + newline


def flow(item: Item) -> str:
    """``item`` as a flow mapping, for a list written ``[...]``."""
    parts = []
    for key, value in item:
        text = "[" + ", ".join(flow(v) for v in value) + "]" if isinstance(value, list) else (
            value if key == "date" and _plain_date(value) else json.dumps(value, ensure_ascii=False))
        parts.append(f"{key}: {text}")
    return "{" + ", ".join(parts) + "}"


def scalar(value: str, indent: int, date: bool = False) -> str:
    """``value`` written after ``key: ``; a block's lines indented by ``indent``."""
    if date and _plain_date(value):
        return value
    candidates = []
    if "\n" not in value:
        candidates += [value, "'" + value.replace("'", "''") + "'"]
    else:
        text = value[:-1] if value.endswith("\n") else value
        chomp = "" if value.endswith("\n") and not value.endswith("\n\n") else "-"
        lines = [(" " * indent + line) if line else "" for line in text.split("\n")]
        candidates.append(f"|{chomp}\n" + "\n".join(lines))
    for written in candidates:
        if _reads_back(written, value):
            return written
    return json.dumps(value, ensure_ascii=False)


def _plain_date(value: str) -> bool:
    """A month or a day, which YAML reads back as text or as a date; a
    bare year would come back a number, so it is quoted."""
    return bool(_DATE.match(value)) and len(value) > 4


def _reads_back(written: str, value: str) -> bool:
    try:
        loaded = yaml.safe_load("k: " + written)
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get("k") == value


def clean_text(value: str) -> str:
    """Text typed in the form: line breaks as LF, no trailing white space."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def slug_of(title: str) -> str:
    """An event id from its title: lower-case ASCII words joined by '-'."""
    folded = unicodedata.normalize("NFKD", normalise(title)).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", folded)[:8])
