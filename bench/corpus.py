"""A deterministic synthetic corpus for the build benchmark.

The spec: N sources of ~5 KB prose in one-line paragraphs, 3 notes per
source, 1-3 events per source each quoting a sentence of it, and 400 actors
whose names (and aliases) are woven through the text. The same N always
gives the same bytes (a private ``random.Random`` seeded with a constant),
so figures from two machines or two commits describe the same work.

The corpus is a normal site folder: it must build with ``--strict``.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

CORPUS_VERSION = "1"  # bump when the corpus changes, so cached corpora are rewritten
ACTORS = 400
ARTICLE_BYTES = 5000
NOTES_PER_SOURCE = 3

WORDS = """
the a of and to in that is was for on with as by at from it this be are which or an has have had not
but were its their they been more after also would about who will said there when one up out all can
than other into some could them only new these two year over time first may people any most such
where between through during before years under while since against government council ministry
company port harbour agreement deal contract shipment cargo terminal vessel fleet plan project funding
budget report inquiry committee hearing statement interview document record letter memo meeting
minister director official spokesperson adviser lawyer auditor analyst engineer researcher journalist
board shareholders investors lenders bank fund authority agency regulator court tribunal parliament
assembly region city province district coast river bridge road rail warehouse crane dredging channel
pier dock customs tariff license permit tender bid offer price cost estimate delay overrun dispute
claim complaint appeal ruling decision vote majority minority opposition coalition election campaign
public private local national foreign regional international economic financial legal political
technical environmental social strategic commercial official confidential internal external formal
informal early late recent previous following final initial major minor significant reported
announced confirmed denied disputed questioned approved rejected signed delayed cancelled revised
extended reduced increased expected planned proposed requested published leaked obtained reviewed
according several many few both each every another certain further additional separate earlier later
quickly slowly publicly privately reportedly allegedly officially largely partly mostly nearly roughly
""".split()

SYLLABLES = """ka lo mi re sa tu vi na do be ri ko la ne si ta mo ve ga pe li du ra zo fe hi ju
mar ten vos lin dar kel bran tor sel mun ber gal hor pen wil zan cor fen lud mer nor""".split()

ORG_WORDS = ["Holdings", "Maritime", "Logistics", "Partners", "Group", "Capital", "Shipping", "Energy",
             "Consortium", "Foundation", "Institute", "Authority", "Agency", "Trust", "Ventures", "Industries"]
GOV_WORDS = ["Ministry of Transport", "Ministry of Finance", "Port Authority", "Regional Council",
             "Audit Office", "Harbour Commission", "Trade Office", "Coast Guard"]
PUBLISHERS = ["Harbour Gazette", "Coastal Times", "The Ledger", "Morning Wire", "Port Weekly",
              "Le Journal du Port", "Daily Dispatch", "Trade Review", "Civic Record", "Northern Post"]
TAGS = ["deals", "funding", "courts", "elections", "labour", "environment", "customs", "audit", "leaks", "tenders"]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def make_actors(rng: random.Random) -> list[dict]:
    """400 actors with unique names and aliases (one string, one actor)."""
    actors: list[dict] = []
    taken: set[str] = set()

    def fresh(make) -> str:
        while True:
            value = make()
            if value.lower() not in taken and value.lower() not in WORDS:
                taken.add(value.lower())
                return value

    for index in range(ACTORS):
        kind = ("person", "person", "organization", "government", "other")[index % 5]
        actor: dict = {"id": f"actor-{index + 1:03d}", "kind": kind}
        if kind == "person":
            first = _name(rng, 2)
            last = fresh(lambda: _name(rng, 3))
            actor["name"] = fresh(lambda: f"{first} {last}")
            actor["aliases"] = [last]
            actor["role"] = rng.choice(["Minister", "Director", "Spokesperson", "Auditor", "Lawyer", "Analyst"])
        elif kind == "organization":
            stem = fresh(lambda: _name(rng, 3))
            actor["name"] = fresh(lambda: f"{stem} {rng.choice(ORG_WORDS)}")
            actor["aliases"] = [stem]
            acronym = fresh(lambda: "".join(rng.choice("BCDFGHKLMNPRSTVZ") for _ in range(3)))
            actor["exact_aliases"] = [acronym.upper()]
        elif kind == "government":
            place = fresh(lambda: _name(rng, 3))
            actor["name"] = fresh(lambda: f"{place} {rng.choice(GOV_WORDS)}")
            actor["aliases"] = [f"the {place} office"]
            taken.add(actor["aliases"][0].lower())
        else:
            actor["name"] = fresh(lambda: _name(rng, 4))
        if index % 3 == 0:
            actor["wikidata"] = f"Q{1000 + index}"
        actor["description"] = (f"{actor['name']} appears in the *synthetic* corpus; "
                                f"see the [timeline](/timeline/) for dated events.")
        actors.append(actor)
    return actors


def _mention(rng: random.Random, actor: dict) -> str:
    forms = [actor["name"], *actor.get("aliases", []), *actor.get("exact_aliases", [])]
    return rng.choice(forms)


def make_sentence(rng: random.Random, actors: list[dict], cast: list[dict], serial: str) -> tuple[str, list[str]]:
    """One sentence; returns it and the ids of the actors it names."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 18))]
    named = []
    for _ in range(rng.choice((0, 1, 1, 2))):
        actor = rng.choice(cast) if rng.random() < 0.8 else rng.choice(actors)
        words.insert(rng.randint(1, len(words)), _mention(rng, actor))
        named.append(actor["id"])
    words.insert(rng.randint(1, len(words)), serial)
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    return text + rng.choice([".", ".", ".", "?", ";"]).replace(";", "."), named


def make_article(rng: random.Random, actors: list[dict], number: int) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """~5 KB of prose as one-line paragraphs; also every sentence with its actors."""
    cast = rng.sample(actors, 6)
    paragraphs: list[str] = []
    sentences: list[tuple[str, list[str]]] = []
    size = 0
    serial = 0
    while size < ARTICLE_BYTES:
        paragraph = []
        for _ in range(rng.randint(3, 6)):
            serial += 1
            sentence, named = make_sentence(rng, actors, cast, f"no. {number}-{serial}")
            paragraph.append(sentence)
            sentences.append((sentence, named))
        line = " ".join(paragraph)
        paragraphs.append(line)
        size += len(line) + 1
    return paragraphs, sentences


def _unique_quote(sentence: str, text: str) -> str:
    """The shortest head of ``sentence`` (6 words at least) found once in ``text``."""
    flat = text.replace("\n", " ")
    words = sentence.split(" ")
    for size in range(6, len(words) + 1):
        quote = " ".join(words[:size])
        if flat.count(quote) == 1:
            return quote
    raise AssertionError(f"no unique quote in: {sentence}")


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _date(rng: random.Random) -> str:
    year = rng.randint(2015, 2024)
    precision = rng.random()
    if precision < 0.1:
        return str(year)
    if precision < 0.25:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def write_corpus(root: Path, sources: int, seed: int = 2024) -> Path:
    """Write the corpus for ``sources`` sources into ``root`` (replaced); returns ``root``."""
    rng = random.Random(f"{seed}-{sources}")
    if root.exists():
        shutil.rmtree(root)
    (root / "seeds").mkdir(parents=True)
    (root / "content" / "sources").mkdir(parents=True)
    (root / "content" / "pages").mkdir(parents=True)
    (root / "site.yaml").write_text(
        "title: Benchmark corpus\n"
        "description: A synthetic corpus for measuring the build.\n"
        "base_url: https://example.org/bench/\n"
        "language: en\n"
        "author: Bench\n"
        "repository: https://github.com/example/bench\n", encoding="utf-8")
    actors = make_actors(rng)
    events: list[str] = []
    for number in range(1, sources + 1):
        slug = f"source-{number:05d}"
        paragraphs, sentences = make_article(rng, actors, number)
        (root / "seeds" / f"{slug}.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        picked = rng.sample(range(len(sentences)), NOTES_PER_SOURCE + 3)
        notes = []
        for k, index in enumerate(picked[:NOTES_PER_SOURCE]):
            sentence = sentences[index][0]
            quote = _unique_quote(sentence, "\n".join(paragraphs))
            kind = ("note", "claim", "correction")[k]
            note = [f"  - quote: {_yaml_str(quote)}", f"    kind: {kind}",
                    f"    body: {_yaml_str(f'{kind.capitalize()} {k + 1} on source {number}: *checked* against ' + ' '.join(rng.sample(WORDS, 5)) + '; see [the timeline](/timeline/).')}"]
            if kind == "correction":
                note.append(f"    should_read: {_yaml_str('The figure was revised later.')}")
            notes.append("\n".join(note))
        annotation = [
            "---", f"seed: {slug}.txt", f"title: {_yaml_str(f'Report {number}: ' + ' '.join(rng.sample(WORDS, 5)))}",
            f"publisher: {_yaml_str(rng.choice(PUBLISHERS))}", f"published: {_date(rng)}",
            f"url: https://news.example/{slug}", f"tags: [{', '.join(sorted(rng.sample(TAGS, 2)))}]",
            f"summary: {_yaml_str('A **synthetic** article, number ' + str(number) + ', about ' + ' '.join(rng.sample(WORDS, 6)) + '.')}",
            "notes:", *notes, "---",
            f"Commentary on source {number}: the article is *generated*; its figures are not real.",
            "", f"- first point: {' '.join(rng.sample(WORDS, 8))}", f"- second point: {' '.join(rng.sample(WORDS, 8))}", "",
        ]
        (root / "content" / "sources" / f"{slug}.md").write_text("\n".join(annotation), encoding="utf-8")
        for k, index in enumerate(picked[NOTES_PER_SOURCE: NOTES_PER_SOURCE + rng.randint(1, 3)]):
            sentence, named = sentences[index]
            involved = sorted(set(named)) or [rng.choice(actors)["id"]]
            events.append("\n".join([
                f"- id: event-{number:05d}-{k + 1}", f"  date: {_date(rng)}",
                f"  title: {_yaml_str(f'Event {k + 1} of source {number}: ' + ' '.join(rng.sample(WORDS, 4)))}",
                f"  summary: {_yaml_str('What *happened*, in ' + ' '.join(rng.sample(WORDS, 6)) + '.')}",
                f"  actors: [{', '.join(involved)}]", f"  tags: [{rng.choice(TAGS)}]",
                "  evidence:", f"    - source: {slug}", f"      quote: {_yaml_str(sentence)}",
            ]))
    with (root / "content" / "actors.yaml").open("w", encoding="utf-8") as out:
        for actor in actors:
            out.write(f"- id: {actor['id']}\n  name: {_yaml_str(actor['name'])}\n  kind: {actor['kind']}\n")
            if actor.get("role"):
                out.write(f"  role: {actor['role']}\n")
            out.write(f"  description: {_yaml_str(actor['description'])}\n")
            for key in ("aliases", "exact_aliases"):
                if actor.get(key):
                    out.write(f"  {key}: [{', '.join(_yaml_str(a) for a in actor[key])}]\n")
            if actor.get("wikidata"):
                out.write(f"  wikidata: {actor['wikidata']}\n")
    (root / "content" / "events.yaml").write_text("\n".join(events) + "\n", encoding="utf-8")
    (root / "content" / "pages" / "index.md").write_text(
        "---\ntitle: Benchmark corpus\n---\nA synthetic corpus of **generated** articles.\n", encoding="utf-8")
    (root / "content" / "pages" / "about.md").write_text(
        "---\ntitle: About\nnav: 1\n---\nHow the corpus is generated: see `bench/corpus.py`.\n", encoding="utf-8")
    (root / "templates").mkdir()
    return root
