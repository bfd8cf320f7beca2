"""What ``new`` can tell about a seed before anyone reads it: the language of
its text, and the publication date and byline printed in its first lines.

A news article saved as text usually starts with its title, then lines such
as ``By Jane Doe`` and ``March 12, 2024`` (``Par Jean Dupont``, ``12 mars
2024``), then the article proper. Those lines are recognised only when the
whole line is a date, a byline, or both with labels ("Published", "Mis à
jour le") and separators: a sentence that happens to hold a date is article
text. Dates are read here rather than by a general date library: the forms
that head an article are few, and a wrong guess costs more than none (an
ambiguous ``03/04/2024`` gives no date at all).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12, "déc": 12,
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|e)?"
_YEAR = r"(?P<year>[12]\d{3})"
DATE_FORMS = tuple(re.compile(form, re.IGNORECASE) for form in (
    rf"\b{_YEAR}-(?P<nmonth>[01]\d)-(?P<day>[0-3]\d)(?!\d)",  # 2024-03-12, 2024-03-12T10:30
    rf"\b{_DAY}\s+{_MONTH}\s*,?\s+{_YEAR}\b",  # 12 mars 2024, 1er mars 2024, 12 March 2024
    rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",  # March 12, 2024
    r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<year>[12]\d{3})\b",  # 12/03/2024 (when unambiguous)
    rf"\b{_MONTH}\s+{_YEAR}\b",  # March 2024, mars 2024
))
# Words that may stand beside a date or byline on a line of its own.
LABEL_WORDS = frozenset("""
published posted updated last modified on at the by from le la l du publié publiée mis à a jour modifié
modifiée mise en ligne il y monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri
sat sun lundi mardi mercredi jeudi vendredi samedi dimanche am pm a.m p.m gmt utc bst cet cest et est edt
pt pst pdt heure heures h min date
""".split())
UPDATE_WORDS = frozenset({"updated", "modified", "jour", "modifié", "modifiée"})
_TIME = re.compile(r"\b\d{1,2}\s*(?::|h|H)\s*\d{2}(?::\d{2})?\b|\b\d{1,2}\s*[ap]\.?m\b\.?", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*\.?|\d+")
BYLINE = re.compile(r"^\W*(?:by|par)\s+(?P<names>.+)$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|de|du|des|van|von|der|den|la|le|da|di|d'\w+|d’\w+|bin|ibn|al-\w+)$")
_NAME_JOINS = re.compile(r"\s*(?:,|&|\band\b|\bet\b)\s*")
_NOT_NAMES = frozenset(m.capitalize() for m in MONTHS) | frozenset(w.capitalize() for w in LABEL_WORDS)
SCAN_LINES = 8  # a title, a byline, a date... are found in the first lines or not at all
HEADING_LIMIT = 200  # characters: a longer line is a paragraph of the article


@dataclass(frozen=True)
class Found:
    """A date in a line: ``value`` as the content format writes it
    (``2024-03-12`` or ``2024-03``), ``span`` where it stands."""

    value: str
    span: tuple[int, int]


@dataclass(frozen=True)
class LineFacts:
    """What a line that is only metadata holds."""

    date: str | None
    updated: bool  # the date is labelled as an update, not the publication
    authors: tuple[str, ...]


def _valid(year: int, month: int, day: int | None) -> str | None:
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _value(match: re.Match) -> str | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("a"):  # numeric day and month: only when one of them cannot be a month
        a, b = int(groups["a"]), int(groups["b"])
        if a > 12 >= b:
            return _valid(year, b, a)
        if b > 12 >= a:
            return _valid(year, a, b)
        return _valid(year, a, a) if a == b else None
    month = int(groups["nmonth"]) if groups.get("nmonth") else MONTHS[groups["month"].lower()]
    return _valid(year, month, int(groups["day"]) if groups.get("day") else None)


def find_date(text: str) -> Found | None:
    """The first date in ``text`` in one of the forms that head articles, at the
    precision written (a day, or a month); ``None`` for anything else."""
    best = None
    impossible: list[tuple[int, int]] = []  # "30 février 2024" is no date, not "février 2024"
    for form in DATE_FORMS:
        for match in form.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in impossible):
                continue
            value = _value(match)
            if value is None:
                impossible.append(match.span())
            elif best is None or match.start() < best.span[0]:
                best = Found(value, match.span())
                break
    return best


def _names(text: str) -> tuple[str, ...] | None:
    """``Jane Doe and John Roe`` -> both names; ``None`` when a part is not a
    name (``By the time``, ``By Monday, the council``)."""
    names = []
    for part in _NAME_JOINS.split(text.strip()):
        words = part.split()
        if not 1 <= len(words) <= 5 or not words[0][0].isupper() or words[0] in _NOT_NAMES:
            return None
        if not all(_NAME_WORD.match(w) for w in words):
            return None
        names.append(" ".join(w.capitalize() if part.isupper() else w for w in words))
    return tuple(names) or None


def find_byline(text: str) -> tuple[str, ...] | None:
    """The names of a byline (``By Jane Doe``, ``Par Jean Dupont et Marie
    Curie``), without an affiliation after a dash, a bar or a comma (``—
    AFP``, ``, envoyé spécial à Lyon``: a few words, not a sentence)."""
    match = BYLINE.match(text.strip())
    if not match:
        return None
    names = re.split(r"\s+[|—–-]\s+|\s*[|•·]\s*", match["names"].strip())[0].strip(" ,;:")
    found = _names(names)
    if found is None and "," in names:
        head, affiliation = names.split(",", 1)
        if len(affiliation.split()) <= 6 and not affiliation.rstrip().endswith((".", "!", "?")):
            found = _names(head)
    return found


def line_facts(text: str) -> LineFacts | None:
    """What a line holds when it is nothing but a date and/or a byline with
    labels; ``None`` for any other line."""
    if len(text) > 160:
        return None
    date = find_date(text)
    rest = text[:date.span[0]] + " " + text[date.span[1]:] if date else text
    authors: tuple[str, ...] = ()
    segments = re.split(r"\s+[|—–-]\s+|\s*[|•·]\s*", rest)
    for index, segment in enumerate(segments):
        found = find_byline(segment)
        if found:  # the byline, and an affiliation of a few words after it (``— AFP``)
            authors = found
            after = [s for s in segments[index + 1:] if len(s.split()) > 4]
            rest = " ".join(segments[:index] + after)
            break
    # A date such as 03/04/2024 gives no value (day or month first?) but is still a date line.
    rest, ambiguous = DATE_FORMS[3].subn(" ", rest)
    words = [w.lower() for w in _WORD.findall(_TIME.sub(" ", rest))]
    if not (date or authors or ambiguous) or any(w.rstrip(".") not in LABEL_WORDS and w not in LABEL_WORDS for w in words):
        return None
    return LineFacts(date.value if date else None, any(w in UPDATE_WORDS for w in words), authors)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language of ``text`` by py3langid (trained on
    97 languages), or ``None`` when the text is too short or the model unsure."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < 40:
        return None
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # imported here: it loads a model (~0.7 s)
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    language, probability = identifier.classify(text[:5000])
    return language if probability >= 0.9 else None


@dataclass(frozen=True)
class Heading:
    """Where the article proper starts in a seed's paragraphs (its non-blank
    lines), and what the lines before it say."""

    title: int | None  # index of the title paragraph: the first that is not metadata
    start: int | None  # index of the first paragraph after the title that is not metadata
    published: str | None
    published_at: int | None  # index of the paragraph it was found in
    authors: tuple[str, ...]
    authors_at: int | None

    @property
    def found(self) -> bool:
        return self.published is not None or bool(self.authors)


def read_heading(paragraphs: list[str]) -> Heading:
    """Title, date, byline, then the article, in any order: date and byline
    lines are looked for among the first ``SCAN_LINES`` lines, up to the first
    long paragraph (the article has started). The title is the first other
    line; the article starts at the first other line after the title and the
    last date or byline. A date labelled as an update is not the publication."""
    published = published_at = authors_at = None
    authors: tuple[str, ...] = ()
    heading_lines: set[int] = set()
    for index, text in enumerate(paragraphs[:SCAN_LINES]):
        if len(text) > HEADING_LIMIT:
            break
        facts = line_facts(text)
        if facts is None:
            continue
        heading_lines.add(index)
        if facts.date and not facts.updated and published is None:
            published, published_at = facts.date, index
        if facts.authors and not authors:
            authors, authors_at = facts.authors, index
    others = [i for i in range(len(paragraphs)) if i not in heading_lines]
    title = others[0] if others else None
    after = max([title or 0, *heading_lines])
    start = next((i for i in others if i > after), None)
    return Heading(title, start, published, published_at, authors, authors_at)
