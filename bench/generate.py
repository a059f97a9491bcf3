"""Synthetic catalogues for benchmarks: N DCAT-AP-NL-like datasets and M SKOS concepts, written
as N-Triples or Turtle, streamed (one dataset at a time) and deterministic for a given seed.

Two shapes. `plain`: few distinct facet values (14 EU themes, 60 publishers, 5 formats), one
distribution, short descriptions. `linked`, as a catalogue that links its datasets to its own
begrippen looks: `dcat:theme` into a generated begrippenkader of N/2 begrippen, N/30 named
publishers and N/10 distinct keywords (both skewed, as real ones are: a few large, many small),
descriptions of about a hundred words, a blank-node contact point with a name, and one to three
distributions each.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "tiny.nt"
    >>> counts = write_catalogue(out, datasets=3, concepts=5, schemes=2)
    >>> (counts.datasets, counts.concepts, counts.schemes)
    (3, 5, 2)
    >>> linked = write_catalogue(out, datasets=60, shape="linked")
    >>> (linked.concepts, linked.schemes, linked.organisations)
    (30, 1, 2)
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

DEFAULT_BASE = "http://bench.catalogue.test"
TRIPLES_PER_DATASET = 32
SHAPES = ("plain", "linked")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
FOAF = "http://xmlns.com/foaf/0.1/"
EU = "http://publications.europa.eu/resource/authority/"
TOOI = "https://identifier.overheid.nl/tooi/id/"

PREFIXES = {
    "rdf": RDF, "xsd": XSD, "dcat": DCAT, "dct": DCT, "skos": SKOS, "vcard": VCARD, "foaf": FOAF,
    "theme": EU + "data-theme/", "filetype": EU + "file-type/", "lang": EU + "language/",
    "freq": EU + "frequency/", "access": EU + "access-right/",
}

# The EU data-theme vocabulary (every DCAT-AP theme), used as dcat:theme.
THEMES = ("AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "OP_DATPRO",
          "REGI", "SOCI", "TECH", "TRAN")
FORMATS = (("CSV", "text/csv"), ("JSON", "application/json"), ("XML", "application/xml"),
           ("GEOJSON", "application/geo+json"), ("PDF", "application/pdf"))
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL", "IRREG")
LICENSES = ("http://creativecommons.org/publicdomain/zero/1.0/",
            "http://creativecommons.org/licenses/by/4.0/")
WORDS_NL = ("register", "kaart", "gebouw", "adres", "perceel", "weg", "water", "bodem", "lucht",
            "inkomen", "school", "zorg", "verkeer", "energie", "afval", "natuur", "subsidie",
            "vergunning", "woning", "bedrijf", "belasting", "geluid", "grens", "monument")
WORDS_EN = ("register", "map", "building", "address", "parcel", "road", "water", "soil", "air",
            "income", "school", "care", "traffic", "energy", "waste", "nature", "grant",
            "permit", "dwelling", "company", "tax", "noise", "boundary", "monument")

KINDS_OF_BODY = ("Gemeente", "Waterschap", "Omgevingsdienst", "Veiligheidsregio", "GGD",
                 "Stichting", "Dienst")

# The vocabulary of long descriptions: 3,600 made-up words of two syllables, none of them a
# word of WORDS_NL, so searches for those words find titles and keywords as in the plain shape.
_SYLLABLES = ("ba", "de", "ki", "lo", "mu", "ne", "po", "ra", "si", "tu", "va", "we", "zo",
              "fa", "ge", "hi", "jo", "ku", "le", "mi", "no", "pu", "re", "sa", "ti", "vo",
              "wi", "za", "be", "do", "fi", "gu", "ho", "ja", "ke", "lu", "ma", "ni", "pe",
              "ro", "su", "te", "vi", "wu", "ze", "bo", "du", "fe", "gi", "hu", "ju", "ka",
              "li", "mo", "nu", "pi", "ru", "se", "to", "ve")
PROSE = tuple(f"{a}{b}{c}" for a in _SYLLABLES for b in _SYLLABLES[:20] for c in ("n", "r", "l"))


@dataclass(frozen=True)
class Counts:
    """What a generated file holds."""

    datasets: int
    concepts: int
    schemes: int
    organisations: int
    triples: int


def organisations(count: int = 60) -> list[str]:
    """A pool of TOOI-like organisation IRIs (municipalities, provinces, ministries)."""
    pool = [f"{TOOI}gemeente/gm{code:04d}" for code in range(3, 3 + 7 * max(count - 16, 1), 7)]
    pool = pool[: max(count - 16, 1)]
    pool += [f"{TOOI}provincie/pv{code}" for code in range(20, 32)]
    pool += [f"{TOOI}ministerie/mnre{code}" for code in (1018, 1025, 1034, 1045)]
    return pool[:count]


def write_catalogue(
    path: Path,
    *,
    datasets: int,
    concepts: int = 0,
    schemes: int = 4,
    base: str = DEFAULT_BASE,
    seed: int = 1,
    format: str | None = None,
    shape: str = "plain",
) -> Counts:
    """Write a catalogue to `path` (N-Triples, or Turtle for a .ttl name or format="turtle").
    The `linked` shape makes its own begrippenkader (N/2 begrippen; `concepts` and `schemes`
    are ignored)."""
    base = base.rstrip("/")
    syntax = format or ("turtle" if path.suffix == ".ttl" else "ntriples")
    if syntax not in ("ntriples", "turtle"):
        raise ValueError(f"unknown format {syntax!r}: use ntriples or turtle")
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}: use {' or '.join(SHAPES)}")
    generator: _Generator
    if shape == "linked":
        generator = _LinkedGenerator(base, random.Random(seed), datasets=datasets)
        concepts, schemes = generator.concepts, generator.schemes
    else:
        schemes = min(schemes, concepts) if concepts else 0
        generator = _Generator(base, random.Random(seed), concepts=concepts, schemes=schemes)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        writer = _TurtleWriter(out) if syntax == "turtle" else _NTriplesWriter(out)
        for subject, statements in generator.subjects(datasets):
            writer.write(subject, statements)
    partial.replace(path)
    return Counts(datasets, concepts, schemes, len(generator.publishers), writer.triples)


# A statement is (predicate IRI, object in N-Triples syntax); objects are rendered once.
Statement = tuple[str, str]


def iri(value: str) -> str:
    return f"<{value}>"


def literal(text: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


class _Generator:
    def __init__(self, base: str, rng: random.Random, *, concepts: int, schemes: int) -> None:
        self.base = base
        self.rng = rng
        self.concepts = concepts
        self.schemes = schemes
        self.publishers = organisations()
        self.catalog = f"{base}/id/catalogus/bench"

    def subjects(self, datasets: int) -> Iterator[tuple[str, list[Statement]]]:
        yield iri(self.catalog), [
            (RDF + "type", iri(DCAT + "Catalog")),
            (DCT + "title", literal("Benchmarkcatalogus", lang="nl")),
            (DCT + "title", literal("Benchmark catalogue", lang="en")),
            (DCT + "publisher", iri(self.publishers[0])),
        ]
        for number in range(datasets):
            yield from self.dataset(number)
        for number in range(self.schemes):
            yield self.scheme(number)
        for number in range(self.concepts):
            yield self.concept(number)

    def dataset(self, n: int) -> Iterator[tuple[str, list[Statement]]]:
        rng, base = self.rng, self.base
        dataset, distribution = f"{base}/id/dataset/{n}", f"{base}/id/distributie/{n}"
        words = rng.sample(range(len(WORDS_NL)), 4)
        title_nl = " ".join(WORDS_NL[w] for w in words[:3]).capitalize() + f" {n}"
        title_en = " ".join(WORDS_EN[w] for w in words[:3]).capitalize() + f" {n}"
        modified = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
        issued = modified - timedelta(days=rng.randrange(2000))
        fmt, media = FORMATS[rng.randrange(len(FORMATS))]
        license_iri = LICENSES[rng.randrange(len(LICENSES))]
        themes = rng.sample(THEMES, 2)
        statements = [
            (RDF + "type", iri(DCAT + "Dataset")),
            (DCT + "identifier", literal(f"bench-{n}")),
            (DCT + "title", literal(title_nl, lang="nl")),
            (DCT + "title", literal(title_en, lang="en")),
            (DCT + "description", literal(f"Gegevens over {title_nl.lower()}.", lang="nl")),
            (DCT + "description", literal(f"Data about {title_en.lower()}.", lang="en")),
            (DCT + "publisher", iri(self.publishers[rng.randrange(len(self.publishers))])),
            (DCAT + "theme", iri(f"{EU}data-theme/{themes[0]}")),
            (DCAT + "theme", iri(f"{EU}data-theme/{themes[1]}")),
            *((DCAT + "keyword", literal(WORDS_NL[w], lang="nl")) for w in words),
            (DCT + "issued", literal(issued.isoformat(), datatype=XSD + "date")),
            (DCT + "modified", literal(modified.isoformat(), datatype=XSD + "date")),
            (DCT + "language", iri(EU + "language/NLD")),
            (DCT + "accessRights", iri(EU + "access-right/PUBLIC")),
            (DCT + "accrualPeriodicity",
             iri(EU + "frequency/" + FREQUENCIES[rng.randrange(len(FREQUENCIES))])),
            (DCAT + "landingPage", iri(f"https://data.example.nl/dataset/{n}")),
            (DCAT + "contactPoint", f"_:contact{n}"),
            (DCAT + "distribution", iri(distribution)),
        ]
        if self.concepts:
            subject = self.concept_iri(rng.randrange(self.concepts))
            statements.append((DCT + "subject", iri(subject)))
        else:
            statements.append((DCT + "license", iri(license_iri)))
        yield iri(dataset), statements
        yield f"_:contact{n}", [
            (RDF + "type", iri(VCARD + "Organization")),
            (VCARD + "hasEmail", iri(f"mailto:data{n % 97}@example.nl")),
        ]
        yield iri(distribution), [
            (RDF + "type", iri(DCAT + "Distribution")),
            (DCT + "title", literal(f"{title_nl} ({fmt})", lang="nl")),
            (DCAT + "accessURL", iri(f"https://data.example.nl/dataset/{n}")),
            (DCAT + "downloadURL", iri(f"https://data.example.nl/download/{n}.{fmt.lower()}")),
            (DCT + "format", iri(f"{EU}file-type/{fmt}")),
            (DCAT + "mediaType", iri(f"https://www.iana.org/assignments/media-types/{media}")),
            (DCT + "license", iri(license_iri)),
        ]
        yield iri(self.catalog), [(DCAT + "dataset", iri(dataset))]

    def scheme_iri(self, k: int) -> str:
        return f"{self.base}/id/begrippenkader/{k}"

    def concept_iri(self, m: int) -> str:
        return f"{self.base}/id/begrip/{m}"

    def scheme(self, k: int) -> tuple[str, list[Statement]]:
        return iri(self.scheme_iri(k)), [
            (RDF + "type", iri(SKOS + "ConceptScheme")),
            (DCT + "title", literal(f"Begrippenkader {k}", lang="nl")),
            (DCT + "title", literal(f"Concept scheme {k}", lang="en")),
            (DCT + "publisher", iri(self.publishers[k % len(self.publishers)])),
        ]

    def concept(self, m: int) -> tuple[str, list[Statement]]:
        # Concept m sits in scheme m % K at position m // K; each scheme is a tree with up to
        # five narrower concepts per concept, so hierarchies are a few levels deep.
        scheme, position = m % self.schemes, m // self.schemes
        word = self.rng.randrange(len(WORDS_NL))
        statements = [
            (RDF + "type", iri(SKOS + "Concept")),
            (SKOS + "prefLabel", literal(f"{WORDS_NL[word]} {m}", lang="nl")),
            (SKOS + "prefLabel", literal(f"{WORDS_EN[word]} {m}", lang="en")),
            (SKOS + "altLabel", literal(f"{WORDS_NL[word]}begrip {m}", lang="nl")),
            (SKOS + "definition",
             literal(f"Een {WORDS_NL[word]} zoals bedoeld in begrip {m}.", lang="nl")),
            (SKOS + "inScheme", iri(self.scheme_iri(scheme))),
        ]
        if position == 0:
            statements.append((SKOS + "topConceptOf", iri(self.scheme_iri(scheme))))
        else:
            parent = ((position - 1) // 5) * self.schemes + scheme
            statements.append((SKOS + "broader", iri(self.concept_iri(parent))))
        return iri(self.concept_iri(m)), statements


class _LinkedGenerator(_Generator):
    """The `linked` shape (see the module's docstring)."""

    def __init__(self, base: str, rng: random.Random, *, datasets: int) -> None:
        super().__init__(base, rng, concepts=max(1, datasets // 2), schemes=1)
        self.publishers = [f"{base}/id/organisatie/{k}" for k in range(max(1, datasets // 30))]
        self.keywords = max(1, datasets // 10)

    def subjects(self, datasets: int) -> Iterator[tuple[str, list[Statement]]]:
        yield from super().subjects(datasets)
        for k, publisher in enumerate(self.publishers):
            yield iri(publisher), [
                (RDF + "type", iri(FOAF + "Organization")),
                (FOAF + "name", literal(self.organisation_name(k), lang="nl")),
            ]

    @staticmethod
    def organisation_name(k: int) -> str:
        first, second = WORDS_NL[k % len(WORDS_NL)], WORDS_NL[(k // len(WORDS_NL)) % 24]
        return f"{KINDS_OF_BODY[k % len(KINDS_OF_BODY)]} {first.capitalize()}" \
            f"{second} {k}"

    def skewed(self, count: int) -> int:
        """A number below `count`, small ones far more often (a few themes, publishers and
        keywords carry most datasets; most carry a handful)."""
        return min(count - 1, int(count * self.rng.random() ** 3))

    def keyword(self, k: int) -> str:
        size = len(WORDS_NL)
        return f"{WORDS_NL[k % size]}{WORDS_NL[(k // size) % size]}" + \
            (f"-{k // size // size}" if k >= size * size else "")

    def dataset(self, n: int) -> Iterator[tuple[str, list[Statement]]]:
        rng, base = self.rng, self.base
        dataset = f"{base}/id/dataset/{n}"
        words = rng.sample(range(len(WORDS_NL)), 4)
        title_nl = " ".join(WORDS_NL[w] for w in words[:3]).capitalize() + f" {n}"
        title_en = " ".join(WORDS_EN[w] for w in words[:3]).capitalize() + f" {n}"
        modified = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
        issued = modified - timedelta(days=rng.randrange(2000))
        themes = {self.skewed(self.concepts) for _ in range(rng.randint(1, 3))}
        keywords = {self.skewed(self.keywords) for _ in range(rng.randint(2, 6))}
        parts = [f"{base}/id/distributie/{n}-{k}" for k in range(rng.randint(1, 3))]
        contact = f"_:contact{n}"
        statements = [
            (RDF + "type", iri(DCAT + "Dataset")),
            (DCT + "identifier", literal(f"bench-{n}")),
            (DCT + "title", literal(title_nl, lang="nl")),
            (DCT + "title", literal(title_en, lang="en")),
            (DCT + "description", literal(self.prose(title_nl), lang="nl")),
            (DCT + "description", literal(self.prose(title_en), lang="en")),
            (DCT + "publisher", iri(self.publishers[self.skewed(len(self.publishers))])),
            (DCAT + "theme", iri(f"{EU}data-theme/{THEMES[rng.randrange(len(THEMES))]}")),
            *((DCAT + "theme", iri(self.concept_iri(m))) for m in sorted(themes)),
            *((DCAT + "keyword", literal(self.keyword(k), lang="nl")) for k in sorted(keywords)),
            (DCT + "issued", literal(issued.isoformat(), datatype=XSD + "date")),
            (DCT + "modified", literal(modified.isoformat(), datatype=XSD + "date")),
            (DCT + "language", iri(EU + "language/NLD")),
            (DCT + "accessRights", iri(EU + "access-right/PUBLIC")),
            (DCT + "accrualPeriodicity",
             iri(EU + "frequency/" + FREQUENCIES[rng.randrange(len(FREQUENCIES))])),
            (DCAT + "landingPage", iri(f"https://data.example.nl/dataset/{n}")),
            (DCAT + "contactPoint", contact),
            *((DCAT + "distribution", iri(part)) for part in parts),
        ]
        yield iri(dataset), statements
        yield contact, [
            (RDF + "type", iri(VCARD + "Organization")),
            (VCARD + "fn", literal(f"Loket {WORDS_NL[words[0]]} {n % 997}", lang="nl")),
            (VCARD + "hasEmail", iri(f"mailto:data{n % 997}@example.nl")),
        ]
        for number, part in enumerate(parts):
            fmt, media = FORMATS[(words[3] + number) % len(FORMATS)]
            yield iri(part), [
                (RDF + "type", iri(DCAT + "Distribution")),
                (DCT + "title", literal(f"{title_nl} ({fmt})", lang="nl")),
                (DCAT + "accessURL", iri(f"https://data.example.nl/dataset/{n}")),
                (DCAT + "downloadURL",
                 iri(f"https://data.example.nl/download/{n}-{number}.{fmt.lower()}")),
                (DCT + "format", iri(f"{EU}file-type/{fmt}")),
                (DCAT + "mediaType", iri(f"https://www.iana.org/assignments/media-types/{media}")),
                (DCT + "license", iri(LICENSES[rng.randrange(len(LICENSES))])),
            ]
        yield iri(self.catalog), [(DCAT + "dataset", iri(dataset))]

    def prose(self, title: str) -> str:
        """About a hundred words after the title, from a vocabulary of some thousands with a
        few words in nearly every text and most in few (as real descriptions are)."""
        sentences = [f"{title}."]
        for _ in range(self.rng.randint(10, 16)):
            picked = [PROSE[int(len(PROSE) * self.rng.random() ** 4)]
                      for _ in range(self.rng.randint(5, 9))]
            sentences.append(" ".join(picked).capitalize() + ".")
        return " ".join(sentences)


class _NTriplesWriter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.triples = 0

    def write(self, subject: str, statements: list[Statement]) -> None:
        self.out.write("".join(f"{subject} <{p}> {o} .\n" for p, o in statements))
        self.triples += len(statements)


class _TurtleWriter:
    """Prefixed names where the local part is plain, and one block per subject."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.triples = 0
        self.namespaces = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
        out.write("".join(f"@prefix {name}: <{ns}> .\n" for name, ns in PREFIXES.items()) + "\n")

    def write(self, subject: str, statements: list[Statement]) -> None:
        body = " ;\n    ".join(
            f"{self.compact(p)} {self.term(o)}" for p, o in statements
        )
        self.out.write(f"{self.term(subject)} {body} .\n")
        self.triples += len(statements)

    def term(self, rendered: str) -> str:
        if rendered.startswith("<"):
            return self.compact(rendered[1:-1])
        if "^^<" in rendered:
            text, _, datatype = rendered.rpartition("^^")
            return f"{text}^^{self.compact(datatype[1:-1])}"
        return rendered

    def compact(self, value: str) -> str:
        for name, namespace in self.namespaces:
            local = value[len(namespace) :]
            if value.startswith(namespace) and local.replace("_", "").isalnum():
                return "a" if value == RDF + "type" else f"{name}:{local}"
        return f"<{value}>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("output", type=Path, metavar="OUT", help="file to write (.nt or .ttl)")
    parser.add_argument("--datasets", type=int, required=True)
    parser.add_argument("--concepts", type=int, default=0)
    parser.add_argument("--schemes", type=int, default=4)
    parser.add_argument("--base", default=DEFAULT_BASE, help="base of minted IRIs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shape", choices=SHAPES, default="plain",
                        help="plain: few facet values; linked: themes into a generated kader, "
                             "thousands of publishers and keywords (see above)")
    args = parser.parse_args(argv)
    counts = write_catalogue(args.output, datasets=args.datasets, concepts=args.concepts,
                             schemes=args.schemes, base=args.base, seed=args.seed,
                             shape=args.shape)
    print(f"{args.output}: {counts.triples} triples, {counts.datasets} datasets, "
          f"{counts.concepts} concepts in {counts.schemes} schemes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
