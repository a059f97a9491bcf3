"""Generate organisations.ttl (the bundled organisations) from the TOOI lists in ../shared/data.

Run by a developer, never at run time: `python -m catalogue.content.build_organisations`. The
output is committed, so a fresh checkout needs no shared data."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from catalogue.namespaces import BUNDLED_BASE
from catalogue.store.terms import RdfFormat, parse

TOOI_ONT = "https://identifier.overheid.nl/tooi/def/ont/"
TOOI_ID = "https://identifier.overheid.nl/tooi/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROV_INVALIDATED_AT = "http://www.w3.org/ns/prov#invalidatedAtTime"

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
OUTPUT = Path(__file__).resolve().parent / "organisations.ttl"

# Our own small value list of organisation kinds; exactMatch targets are the TOOI organisatiesoort
# concepts the TOOI files give for that kind (only where the files give one).
KIND_SCHEME = BUNDLED_BASE + "organisatiesoort"


@dataclass(frozen=True)
class Kind:
    key: str
    nl: str
    en: str
    definition_nl: str
    definition_en: str
    tooi_class: str | None = None


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "gemeente", "gemeente", "municipality",
            "Openbaar lichaam dat het bestuur voert over een deel van het grondgebied van een "
            "provincie en daar de lokale overheidstaken uitvoert.",
            "Public body that governs part of the territory of a province and carries out the "
            "local government tasks there.",
            TOOI_ONT + "Gemeente",
        ),
        Kind(
            "provincie", "provincie", "province",
            "Openbaar lichaam tussen rijk en gemeenten dat het bestuur voert over een van de "
            "twaalf provincies van Nederland.",
            "Public body between the state and the municipalities that governs one of the "
            "twelve provinces of the Netherlands.",
            TOOI_ONT + "Provincie",
        ),
        Kind(
            "waterschap", "waterschap", "water authority",
            "Openbaar lichaam dat in een gebied zorgt voor de waterhuishouding: waterkeringen, "
            "waterpeil, waterkwaliteit en het zuiveren van afvalwater.",
            "Public body that manages water in an area: flood defences, water levels, water "
            "quality and the treatment of waste water.",
            TOOI_ONT + "Waterschap",
        ),
        Kind(
            "ministerie", "ministerie", "ministry",
            "Onderdeel van de rijksoverheid onder leiding van een minister, verantwoordelijk "
            "voor een beleidsterrein.",
            "Part of central government led by a minister and responsible for a policy area.",
            TOOI_ONT + "Ministerie",
        ),
        Kind(
            "zbo", "zelfstandig bestuursorgaan", "independent administrative body",
            "Bestuursorgaan dat een overheidstaak uitvoert zonder dat het hiërarchisch onder "
            "een minister valt.",
            "Administrative body that carries out a public task without being hierarchically "
            "subordinate to a minister.",
        ),
        Kind(
            "rijksorganisatie", "rijksdienst of ander rijksonderdeel",
            "government agency or other central government body",
            "Dienst, agentschap of directoraat-generaal die onder een ministerie valt, zoals "
            "TOOI die opneemt in de lijst van overige overheidsorganisaties.",
            "Service, agency or directorate-general that falls under a ministry, as listed by "
            "TOOI among the other government organisations.",
        ),
        Kind(
            "samenwerkingsorganisatie", "samenwerkingsorganisatie", "collaborative organisation",
            "Organisatie waarin overheden samenwerken, bijvoorbeeld een vereniging van "
            "gemeenten of een gemeenschappelijke regeling.",
            "Organisation in which government bodies work together, for example an association "
            "of municipalities or a joint arrangement.",
        ),
    )
}

# The keepers of basisregistraties and shared facilities that the TOOI lists in
# gpp-organisaties-tooi.json hold, with their usual short name.
AGENCIES: dict[str, tuple[str, str | None]] = {
    "zbo/zb000195": ("zbo", "Kadaster"),
    "zbo/zb000184": ("zbo", "KVK"),
    "zbo/zb000149": ("zbo", "Rijksdienst voor het Wegverkeer"),
    "zbo/zb000117": ("zbo", "UWV"),
    "zbo/zb000115": ("zbo", None),
    "zbo/zb000162": ("zbo", "TNO"),
    "zbo/zb000193": ("zbo", "CBS"),
    "oorg/oorg10103": ("rijksorganisatie", "RvIG"),
    "oorg/oorg12368": ("rijksorganisatie", "Belastingdienst"),
    "oorg/oorg10117": ("rijksorganisatie", None),
    "oorg/oorg10004": ("rijksorganisatie", "RWS"),
}

# Ministries are in none of the shared TOOI files (see organisations/README.md). These codes come
# from the TOOI ministeries list (register rwc_ministeries_compleet); BZK's is given in the issue.
MINISTRIES: dict[str, tuple[str, str]] = {
    "ministerie/mnre1034": ("ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "BZK"),
    "ministerie/mnre1090": ("ministerie van Financiën", "FIN"),
    "ministerie/mnre1045": ("ministerie van Economische Zaken", "EZ"),
    "ministerie/mnre1130": ("ministerie van Infrastructuur en Waterstaat", "IenW"),
    "ministerie/mnre1073": ("ministerie van Sociale Zaken en Werkgelegenheid", "SZW"),
}

# Part-of relations that are not in the data files but are plain public facts.
PARENTS: dict[str, str] = {
    "oorg/oorg10103": "ministerie/mnre1034",  # RvIG is an agency of BZK
    "oorg/oorg10117": "ministerie/mnre1034",  # Logius is a service of BZK
    "oorg/oorg12368": "ministerie/mnre1090",  # the Belastingdienst is a DG of Financiën
    "oorg/oorg10004": "ministerie/mnre1130",  # Rijkswaterstaat is part of IenW
}

# OINs from the former API register (apis/api-register-legacy/organisaties.json), matched by
# that register's free-text name; this mapping is the reconciliation.
OIN_NAMES: dict[str, str] = {
    "Logius": "oorg/oorg10117",
    "Centraal Bureau voor de Statistiek": "zbo/zb000193",
    "Ministerie van IenW-Rijkswaterstaat": "oorg/oorg10004",
    "Dienst voor het kadaster en de openbare registers": "zbo/zb000195",
    "Kamer van Koophandel Nederland": "zbo/zb000184",
    "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties": "ministerie/mnre1034",
    "RDW": "zbo/zb000149",
    "Gemeente Amsterdam": "gemeente/gm0363",
    "Gemeente Enschede": "gemeente/gm0153",
    "Provincie Zuid-Holland": "provincie/pv28",
}

# Not a government body, so not in TOOI: minted under our own base. Its OIN is in the register.
VNG_REALISATIE = BUNDLED_BASE + "organisatie/vng-realisatie"


@dataclass
class Organisation:
    iri: str
    kind: str
    name: str
    code: str
    short: str | None = None
    plain_name: str | None = None
    numbers: list[tuple[str, str]] = field(default_factory=list)  # (notation, scheme agency)
    province: str | None = None
    parent: str | None = None
    homepage: str | None = None


def _nodes(path: Path) -> dict[str, dict[str, list[str]]]:
    """Subject -> predicate -> object values of a JSON-LD file."""
    nodes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for quad in parse(path=str(path), format=RdfFormat.JSON_LD):
        nodes[quad.subject.value][quad.predicate.value].append(quad.object.value)
    return nodes


def current_tooi(path: Path, kind: str) -> list[Organisation]:
    """The organisations of one kind that still exist: no end date, not invalidated, and not a
    historical version of another record."""
    tooi_class = KINDS[kind].tooi_class
    found = []
    for iri, props in _nodes(path).items():
        types = props.get(RDF_TYPE, [])
        if tooi_class not in types or TOOI_ONT + "HistorischeVersie" in types:
            continue
        if props.get(TOOI_ONT + "einddatum") or props.get(PROV_INVALIDATED_AT):
            continue
        one = {p: values[0] for p, values in props.items()}
        number = one.get(TOOI_ONT + f"{kind}code") or one.get(TOOI_ONT + "waterschapscode")
        org = Organisation(
            iri=iri,
            kind=kind,
            name=one[TOOI_ONT + "officieleNaamInclSoort"],
            code=one[TOOI_ONT + "organisatiecode"],
            short=one.get(TOOI_ONT + "afkorting"),
            plain_name=one.get(TOOI_ONT + "officieleNaamExclSoort"),
            province=one.get(TOOI_ONT + "ligtInProvincie"),
        )
        if number and kind == "gemeente":
            org.numbers.append((number, "CBS (gemeentecode)"))
        elif number:
            org.numbers.append((number, f"TOOI ({kind}code)"))
        found.append(org)
    return sorted(found, key=lambda org: org.code)


def agencies(path: Path) -> list[Organisation]:
    names = {
        row["fields"]["identifier"]: row["fields"]["naam"]
        for row in json.loads(path.read_text(encoding="utf-8"))
    }
    found = []
    for key, (kind, short) in AGENCIES.items():
        iri = TOOI_ID + key
        if iri not in names:
            raise SystemExit(f"{path}: {iri} is not in the TOOI organisation list")
        found.append(
            Organisation(iri, kind, names[iri], key.split("/")[1], short, parent=PARENTS.get(key))
        )
    return found


def ministries() -> list[Organisation]:
    return [
        Organisation(TOOI_ID + key, "ministerie", name, key.split("/")[1], short)
        for key, (name, short) in MINISTRIES.items()
    ]


def add_oins(orgs: Sequence[Organisation], path: Path) -> Organisation:
    """Attach OINs from the legacy API register; returns VNG Realisatie (minted) with its OIN."""
    by_iri = {org.iri: org for org in orgs}
    vng = Organisation(
        VNG_REALISATIE, "samenwerkingsorganisatie", "VNG Realisatie", "vng-realisatie"
    )
    vng.homepage = "https://vng.nl/"
    for row in json.loads(path.read_text(encoding="utf-8")):
        name, oin = row["fields"]["name"], row["fields"]["oin"]
        if name == "VNG Realisatie":
            vng.numbers.append((oin, "Logius (OIN)"))
        elif name in OIN_NAMES:
            by_iri[TOOI_ID + OIN_NAMES[name]].numbers.append((oin, "Logius (OIN)"))
    return vng


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _kind_turtle(kind: Kind) -> str:
    lines = [
        f"<{KIND_SCHEME}/{kind.key}> a skos:Concept ;",
        f"    skos:prefLabel {_literal(kind.nl)}@nl , {_literal(kind.en)}@en ;",
        f"    skos:definition {_literal(kind.definition_nl)}@nl , "
        f"{_literal(kind.definition_en)}@en ;",
        f"    skos:inScheme <{KIND_SCHEME}> ;",
        f"    skos:topConceptOf <{KIND_SCHEME}> ;",
    ]
    if kind.tooi_class:
        lines.append(f"    rdfs:seeAlso <{kind.tooi_class}> ;")
    lines.append(f"    skos:notation {_literal(kind.key)} .")
    return "\n".join(lines)


def _org_turtle(org: Organisation) -> str:
    kind = KINDS[org.kind]
    types = ["foaf:Organization", "org:Organization"]
    if kind.tooi_class:
        types.append(f"<{kind.tooi_class}>")
    lines = [
        f"<{org.iri}> a {' , '.join(types)} ;",
        f"    skos:prefLabel {_literal(org.name)}@nl ;",
        f"    foaf:name {_literal(org.name)}@nl ;",
    ]
    alt = [label for label in (org.short, org.plain_name) if label and label != org.name]
    if alt:
        lines.append("    skos:altLabel " + " , ".join(f"{_literal(a)}@nl" for a in alt) + " ;")
    lines.append(f"    dct:identifier {_literal(org.code)} ;")
    lines.append(f"    org:classification <{KIND_SCHEME}/{org.kind}> ;")
    for notation, agency in org.numbers:
        lines.append(
            f"    adms:identifier [ a adms:Identifier ; skos:notation {_literal(notation)} ; "
            f"adms:schemaAgency {_literal(agency)} ] ;"
        )
    if org.province:
        lines.append(f"    tooiont:ligtInProvincie <{org.province}> ;")
    if org.parent:
        lines.append(f"    org:subOrganizationOf <{TOOI_ID}{org.parent}> ;")
    if org.homepage:
        lines.append(f"    foaf:homepage <{org.homepage}> ;")
    lines[-1] = lines[-1][: -len(" ;")] + " ."
    return "\n".join(lines)


HEADER = """\
# GENERATED by `python -m catalogue.content.build_organisations`; do not edit by hand.
#
# Sources (copies under ../shared/data; see organisations/README.md and apis/README.md there):
#   organisations/rwc_gemeenten_compleet_4.jsonld, rwc_provincies_compleet_1.jsonld,
#   rwc_waterschappen_compleet_2.jsonld: TOOI registers (KOOP). Only current records are kept:
#   no tooiont:einddatum, no prov:invalidatedAtTime, not a tooiont:HistorischeVersie.
#   organisations/gpp-organisaties-tooi.json: names of the TOOI ZBOs and other organisations.
#   apis/api-register-legacy/organisaties.json: OINs, matched to TOOI IRIs by name.
#   Ministries are in none of these files; their TOOI codes are listed in the generator.
# Every organisation uses its TOOI IRI as subject; only VNG Realisatie (not a government body,
# so not in TOOI) is minted under our own base.
"""

PREFIXES = """\
@prefix adms:    <http://www.w3.org/ns/adms#> .
@prefix dct:     <http://purl.org/dc/terms/> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix tooiont: <https://identifier.overheid.nl/tooi/def/ont/> .
"""


def render(groups: Iterable[tuple[str, Sequence[Organisation]]]) -> str:
    scheme = "\n".join(
        [
            f"<{KIND_SCHEME}> a skos:ConceptScheme ;",
            '    dct:title "Soorten overheidsorganisaties"@nl , '
            '"Kinds of government organisations"@en ;',
            '    rdfs:comment "Eenvoudige indeling van de organisaties in deze catalogus, '
            'gebruikt als org:classification."@nl ;',
            "    skos:hasTopConcept "
            + " ,\n        ".join(f"<{KIND_SCHEME}/{key}>" for key in KINDS)
            + " .",
        ]
    )
    parts = [HEADER, PREFIXES, "# --- Kinds of organisation ---\n", scheme, ""]
    parts += [_kind_turtle(kind) + "\n" for kind in KINDS.values()]
    for title, orgs in groups:
        parts.append(f"# --- {title} ({len(orgs)}) ---\n")
        parts += [_org_turtle(org) + "\n" for org in orgs]
    return "\n".join(parts)


def build(data: Path) -> tuple[str, dict[str, int]]:
    folder = data / "organisations"
    gemeenten = current_tooi(folder / "rwc_gemeenten_compleet_4.jsonld", "gemeente")
    provincies = current_tooi(folder / "rwc_provincies_compleet_1.jsonld", "provincie")
    waterschappen = current_tooi(folder / "rwc_waterschappen_compleet_2.jsonld", "waterschap")
    rijk = ministries() + agencies(folder / "gpp-organisaties-tooi.json")
    vng = add_oins(
        [*gemeenten, *provincies, *rijk],
        data / "apis" / "api-register-legacy" / "organisaties.json",
    )
    groups = [
        ("Ministeries", rijk[: len(MINISTRIES)]),
        ("Keepers of basisregistraties and shared facilities", rijk[len(MINISTRIES) :]),
        ("Provincies", provincies),
        ("Waterschappen", waterschappen),
        ("Gemeenten", gemeenten),
        ("Samenwerkingsorganisaties outside TOOI", [vng]),
    ]
    return render(groups), {title: len(orgs) for title, orgs in groups}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if not (args.data / "organisations").is_dir():
        print(f"{args.data}/organisations: no such folder (use --data)", file=sys.stderr)
        return 2
    text, counts = build(args.data)
    args.output.write_text(text, encoding="utf-8")
    for title, count in counts.items():
        print(f"{count:5d}  {title}")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
