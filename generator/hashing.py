"""The two hashes every stage agrees on: of bytes (a file's digest) and of
values (a cache or item key). One definition, so that a digest taken by
the reader, the writer and the cache is the same string."""

from __future__ import annotations

import hashlib


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def key(*parts) -> str:
    """A key for ``parts`` (strings, numbers, tuples of them): their hash."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
