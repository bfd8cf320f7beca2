"""JSON written as ``json.dumps(value, ensure_ascii=False, indent=1)`` writes
it, from pieces made separately: a data file of thousands of sources is
joined from per-source pieces that a rebuild reuses (``Context.piece``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass


def json_file(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def json_text(value, depth: int) -> str:
    """``value`` as ``json.dumps(..., indent=1)`` writes it nested ``depth`` levels deep."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return " " * depth + text.replace("\n", "\n" + " " * depth)


def joined(parts: list[str]) -> tuple[int, bytes]:
    """(how many, the pieces joined as a JSON list joins them, encoded):
    joined pieces joined again give the same text as all the pieces joined at once."""
    return len(parts), ",\n".join(parts).encode("utf-8")


def json_list_bytes(parts: list[bytes], depth: int, before: bytes, after: bytes) -> list[bytes]:
    """``before``, a JSON list of encoded pieces made by ``json_text(item,
    depth + 1)`` as ``json.dumps(..., indent=1)`` writes it ``depth`` levels
    deep, then ``after``: as pieces to join once with ``b"".join``."""
    if not parts:
        return [before, b"[]", after]
    pieces = [before, b"[\n"]
    for part in parts:
        pieces += (part, b",\n")
    pieces[-1] = b"\n" + b" " * depth + b"]"
    pieces.append(after)
    return pieces


@dataclass(frozen=True)
class Pieces:
    """A JSON list inside a value, given as its items' encoded texts (each made
    by ``json_text(item, depth + 1)`` for the depth the list is written at)."""

    parts: list[bytes]


def json_bytes(value, depth: int = 0) -> Iterator[bytes]:
    """``value`` (dicts, lists, scalars and ``Pieces``) as ``json.dumps(...,
    ensure_ascii=False, indent=1)`` writes it ``depth`` levels deep, in pieces."""
    if isinstance(value, Pieces):
        yield from json_list_bytes(value.parts, depth, b"", b"")
    elif isinstance(value, (dict, list)) and value:
        inner = b"\n" + b" " * (depth + 1)
        opening, closing = (b"{", b"}") if isinstance(value, dict) else (b"[", b"]")
        yield opening
        pairs = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        for index, (name, item) in enumerate(pairs):
            yield (b"," if index else b"") + inner
            if name is not None:
                yield json.dumps(name, ensure_ascii=False).encode("utf-8") + b": "
            yield from json_bytes(item, depth + 1)
        yield b"\n" + b" " * depth + closing
    else:
        yield json.dumps(value, ensure_ascii=False).encode("utf-8")
