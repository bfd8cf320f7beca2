"""Which file an annotation changes, how, and the proof that it changed only so.

``note_change`` adds a note to a source's annotation (creating the
annotation, front matter only, when the seed has none); ``evidence_change``
adds an evidence item to an event of ``events.yaml``, or a new event. Each
returns a ``Change`` that has been checked: the file before and after is
read as the loader reads it (``decode_seed``, ``split_front_matter``,
``yamlio.load``) and the data must differ by exactly the new item, the
Markdown body not at all; otherwise ``EditRefused`` and nothing is written.
``write`` refuses a file that changed since the page showed it.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..content.seedtext import SeedDecodeError, decode_seed
from ..content.yamlio import YamlError, load, split_front_matter
from .snippet import Item, block, data_of, scalar
from .yamltext import EditRefused, append_to_key, append_to_list, compose, newline_of

ABSENT = "absent"  # the digest of a file that does not exist


def digest(data: bytes | None) -> str:
    return ABSENT if data is None else hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Change:
    path: Path
    rel: str  # as shown to the annotator
    before: bytes | None  # None: a new file
    after: bytes
    snippet: str  # the YAML added, as it is in the file


def note_change(path: Path, rel: str, before: bytes | None, note: Item, head: Item) -> Change:
    """``note`` added to the annotation at ``path``; ``head``: the front
    matter of a new annotation (seed, title, digest), when there is none."""
    if before is None:
        lines = [f"{key}: {value}" for key, value in _plain_head(head)]
        snippet = "notes:\n" + block(note, 2)
        after = "---\n" + "\n".join(lines) + "\n" + snippet + "---\n"
        _check_front_matter(None, after.encode("utf-8"), data_of(note), data_of(head))
        return Change(path, rel, None, after.encode("utf-8"), snippet)
    text = _text(before)
    start, end = _front_matter_region(text)
    mapping = compose(text, start, end)
    if mapping is None or mapping.tag != "tag:yaml.org,2002:map":
        raise EditRefused(f"{rel}: the front matter is not a mapping of keys to values: fix it first")
    after, snippet = append_to_key(text, start, mapping, "notes", note, newline_of(text))
    _check_front_matter(before, after.encode("utf-8"), data_of(note))
    return Change(path, rel, before, after.encode("utf-8"), snippet)


def evidence_change(path: Path, rel: str, before: bytes | None, event_id: str | None, item: Item) -> Change:
    """``item`` (an evidence item) added to event ``event_id``, or (``event_id``
    None) ``item``, a new event, appended to the list."""
    text = _text(before) if before is not None else ""
    root = compose(text)
    newline = newline_of(text)
    if root is None:
        if event_id is not None:
            raise EditRefused(f"{rel}: event '{event_id}' is not in the file")
        snippet = block(item, 0, newline)
        after = text + (newline if text and not text.endswith(newline[-1]) else "") + snippet
    elif root.tag != "tag:yaml.org,2002:seq":
        raise EditRefused(f"{rel}: the file is not a list of events: fix it first")
    elif event_id is None:
        after, snippet = append_to_list(text, 0, root, item, newline)
    else:
        event = next((node for node in root.value if _id_of(node) == event_id), None)
        if event is None:
            raise EditRefused(f"{rel}: event '{event_id}' is not in the file")
        after, snippet = append_to_key(text, 0, event, "evidence", item, newline)
    _check_events(before, after.encode("utf-8"), event_id, data_of(item))
    return Change(path, rel, before, after.encode("utf-8"), snippet)


def write(change: Change, shown_digest: str) -> None:
    """Write ``change`` unless the file is no longer what the page was made
    from (``shown_digest``); replaced in one rename, its mode kept."""
    current = _read(change.path)
    if digest(current) != shown_digest or current != change.before:
        raise EditRefused(f"{change.rel} changed on disk since this page was shown; nothing was written. "
                          "Reload the page (it shows the file as it is now) and annotate again.")
    change.path.parent.mkdir(parents=True, exist_ok=True)
    mode = change.path.stat().st_mode & 0o7777 if current is not None else None
    handle, temporary = tempfile.mkstemp(prefix=f".{change.path.name}.", suffix=".tmp", dir=change.path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(change.after)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, change.path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise EditRefused("the file is not UTF-8: fix it first") from None


def _plain_head(head: Item):
    return [(key, scalar(value, 2)) for key, value in head]


def _front_matter_region(text: str) -> tuple[int, int]:
    """Where the YAML between the ``---`` lines is, as ``split_front_matter`` finds it."""
    position = 1 if text.startswith("\ufeff") else 0
    breaker = "\n" if "\n" in text else "\r"
    lines = text[position:].split(breaker)
    if not lines or lines[0].rstrip() != "---":
        raise EditRefused("the annotation has no front matter (a first line '---'): fix it first")
    offset = position + len(lines[0]) + 1
    start = offset
    for line in lines[1:]:
        if line.rstrip() in ("---", "..."):
            return start, offset
        offset += len(line) + 1
    raise EditRefused("the annotation's front matter is never closed: fix it first")


def _id_of(node) -> str | None:
    if node.tag != "tag:yaml.org,2002:map":
        return None
    for key, value in node.value:
        if getattr(key, "value", None) == "id" and isinstance(value.value, str):
            return value.value
    return None


# --- the proof --------------------------------------------------------------

def _parsed(data: bytes | None, front_matter: bool, edited: bool = False):
    """The data of a file as the loader reads it: (YAML data, Markdown body).
    ``edited``: the text after the insertion, which must parse."""
    if data is None:
        return None, ""
    try:
        text = decode_seed(data)
        if front_matter:
            yaml_text, body, _ = split_front_matter(text)
            return (load(yaml_text) if yaml_text is not None else None), body
        return load(text), ""
    except (SeedDecodeError, YamlError) as exc:
        if edited:
            raise EditRefused(f"the YAML could not be added to this file as text ({exc}); nothing was written "
                              "(copy the YAML and add it by hand)") from None
        raise EditRefused(f"the file does not parse ({exc}): fix it first") from None


def _check_front_matter(before: bytes | None, after: bytes, note: dict, head: dict | None = None) -> None:
    old, old_body = _parsed(before, True)
    new, new_body = _parsed(after, True, edited=True)
    expected = dict(head) if old is None else _plain(old)
    expected["notes"] = list(expected.get("notes") or []) + [note]
    if _plain(new) != expected or new_body != old_body:
        raise EditRefused("the note could not be added without changing something else in the file; "
                          "nothing was written (copy the YAML and add it by hand)")


def _check_events(before: bytes | None, after: bytes, event_id: str | None, item: dict) -> None:
    old, _ = _parsed(before, False)
    new, _ = _parsed(after, False, edited=True)
    expected = _plain(old) if old is not None else []
    if event_id is None:
        expected.append(item)
    else:
        for event in expected:
            if isinstance(event, dict) and event.get("id") == event_id:
                event["evidence"] = list(event.get("evidence") or []) + [item]
                break
    if _plain(new) != expected:
        raise EditRefused("the evidence could not be added without changing something else in the file; "
                          "nothing was written (copy the YAML and add it by hand)")


def _plain(value):
    """Plain dicts and lists, dates as written (``YYYY-MM-DD``), for comparing."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
