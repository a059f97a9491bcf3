"""The bundled default content: what a fresh `catalogue serve` shows on day one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

import catalogue.content as content
from catalogue.content import build_openapi, build_organisations, load_bundled
from catalogue.ingest import load
from catalogue.ingest.rdf import ParsedSource
from catalogue.namespaces import BUNDLED_BASE, sparql_prefixes
from catalogue.services.sparql_examples import EXAMPLES
from catalogue.store import EmbeddedStore
from catalogue.store.terms import RdfFormat, Triple, parse
from catalogue.validation import BUILTIN, validate
from tests.conftest import SHARED, needs_shared

BASE = "http://catalogue.test"
ID = f"{BASE}/id"
PREFIXES = sparql_prefixes() + "PREFIX tooiont: <https://identifier.overheid.nl/tooi/def/ont/>\n"
CONTENT = Path(content.__file__).parent


@pytest.fixture(scope="module")
def loaded() -> tuple[EmbeddedStore, dict[str, list[Triple]]]:
    """A fresh in-memory store with the bundled content, and the graphs as they were written."""
    graphs: dict[str, list[Triple]] = {}

    def keep(store: object, sources: Sequence[ParsedSource], **kwargs: object) -> object:
        for source in sources:
            graphs.update(source.graphs)
        return load.write_sources(store, sources, **kwargs)  # type: ignore[arg-type]

    store = EmbeddedStore()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(content, "write_sources", keep)
        load_bundled(store, base=BASE)
    return store, graphs


@pytest.fixture(scope="module")
def store(loaded: tuple[EmbeddedStore, Mapping[str, list[Triple]]]) -> EmbeddedStore:
    return loaded[0]


def values(store: EmbeddedStore, query: str, name: str = "x") -> list[str]:
    return [row[name].value for row in store.select(PREFIXES + query)]


def count(store: EmbeddedStore, query: str) -> int:
    return int(values(store, query, "n")[0])


@pytest.mark.parametrize(
    "path", sorted([*CONTENT.glob("*.ttl"), *CONTENT.glob("openapi/*.ttl")]), ids=lambda p: p.name
)
def test_every_bundled_file_parses(path: Path) -> None:
    assert list(parse(path=str(path), format=RdfFormat.TURTLE))


def test_no_iri_of_ours_escapes_the_base_rewrite(store: EmbeddedStore) -> None:
    leftover = count(
        store,
        f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
        f'FILTER(CONTAINS(STR(?s), "{BUNDLED_BASE}") || CONTAINS(STR(?o), "{BUNDLED_BASE}")) }}',
    )
    assert leftover == 0


def test_all_current_municipalities_provinces_and_water_boards(store: EmbeddedStore) -> None:
    kinds = dict(
        (row["kind"].value, int(row["n"].value))
        for row in store.select(
            PREFIXES + "SELECT ?kind (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a foaf:Organization ; "
            "org:classification/skos:notation ?kind } GROUP BY ?kind"
        )
    )
    assert kinds["gemeente"] >= 342
    assert kinds["provincie"] == 12
    assert kinds["waterschap"] == 21
    assert kinds["ministerie"] >= 1
    amsterdam = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"
    assert values(store, f"SELECT ?x WHERE {{ <{amsterdam}> skos:prefLabel ?x }}") == [
        "gemeente Amsterdam"
    ]
    notations = values(
        store, f"SELECT ?x WHERE {{ <{amsterdam}> adms:identifier/skos:notation ?x }}"
    )
    assert sorted(notations) == ["00000001002564440000", "0363"]  # OIN and CBS code


def test_abolished_municipalities_are_left_out(store: EmbeddedStore) -> None:
    # Appingedam merged into Eemsdelta on 2021-01-01; Eemsdelta is current.
    gone = "https://identifier.overheid.nl/tooi/id/gemeente/gm0003"
    assert not store.ask(PREFIXES + f"ASK {{ <{gone}> ?p ?o }}")
    assert store.ask(
        PREFIXES + 'ASK { ?o a foaf:Organization ; skos:prefLabel "gemeente Eemsdelta"@nl }'
    )


def test_organisations_are_described_once(store: EmbeddedStore) -> None:
    """basisregistraties.ttl and organisations.ttl both describe the keepers: never with two
    different Dutch names, and every publisher used anywhere has a name."""
    twice = values(
        store,
        "SELECT DISTINCT ?x WHERE { ?x a foaf:Organization ; skos:prefLabel ?a , ?b . "
        'FILTER(?a != ?b && LANG(?a) = "nl" && LANG(?b) = "nl") }',
    )
    assert twice == []
    unnamed = values(
        store,
        "SELECT DISTINCT ?x WHERE { ?r dct:publisher ?x "
        "FILTER NOT EXISTS { ?x skos:prefLabel ?l } }",
    )
    assert unnamed == []
    bzk = "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034"
    assert store.ask(
        PREFIXES + f"ASK {{ <https://identifier.overheid.nl/tooi/id/oorg/oorg10117> "
        f"org:subOrganizationOf <{bzk}> }}"
    )


def test_every_resource_has_at_most_one_title_per_language(store: EmbeddedStore) -> None:
    """The bundled files describe some resources twice (keepers, laws): never differently."""
    clashes = values(
        store,
        "SELECT DISTINCT ?x WHERE { ?x dct:title ?a , ?b . "
        "FILTER(?a != ?b && LANG(?a) = LANG(?b)) }",
    )
    assert clashes == []


def test_the_eleven_basisregistraties(store: EmbeddedStore) -> None:
    found = values(
        store,
        f"SELECT ?x WHERE {{ <{ID}/catalogus/basisregistraties> dcat:dataset ?d . "
        f"?d a dcat:Dataset ; dct:identifier ?x }}",
    )
    assert sorted(found) == sorted(
        ["BRP", "BAG", "BRK", "BRT", "BGT", "HR", "WOZ", "BRO", "BRV", "BRI", "BLAU"]
    )
    without_begrip = values(
        store,
        f"SELECT ?x WHERE {{ <{ID}/catalogus/basisregistraties> dcat:dataset ?d . "
        f"?d dct:identifier ?x FILTER NOT EXISTS {{ ?d dct:subject/skos:inScheme ?s }} }}",
    )
    assert without_begrip == []


def test_which_apis_serve_data_about_a_pand(store: EmbeddedStore) -> None:
    apis = values(
        store,
        """SELECT DISTINCT ?x WHERE {
             ?begrip skos:prefLabel "pand"@nl .
             ?x a dcat:DataService .
             { ?x dcat:servesDataset/dct:subject ?begrip }
             UNION { ?x cat:field/cat:concept ?begrip }
             UNION { ?x dct:subject ?begrip }
           }""",
    )
    assert f"{ID}/api/bag-individuele-bevragingen" in apis
    assert f"{ID}/api/brp-personen" not in apis


def test_the_sparql_page_example_about_a_pand_finds_the_bag_api(store: EmbeddedStore) -> None:
    (example,) = [e for e in EXAMPLES if "pand" in e.title("nl")]
    apis = {row["api"].value for row in store.select(example.query)}
    assert apis == {f"{ID}/api/bag-individuele-bevragingen"}


def test_verblijfsobject_has_definition_source_dataset_and_api_fields(
    store: EmbeddedStore,
) -> None:
    begrip = f"{ID}/begrip/verblijfsobject"
    definition = values(
        store, f'SELECT ?x WHERE {{ <{begrip}> skos:definition ?x FILTER(LANG(?x) = "nl") }}'
    )
    assert len(definition) == 1 and "pand" in definition[0]
    assert values(store, f"SELECT ?x WHERE {{ <{begrip}> dct:source ?x }}") == [
        "https://wetten.overheid.nl/jci1.3:c:BWBR0023466&artikel=1"
    ]
    assert values(store, f"SELECT ?x WHERE {{ ?x dct:subject <{begrip}> ; a dcat:Dataset }}") == [
        f"{ID}/dataset/bag"
    ]
    fields = values(
        store,
        f"SELECT ?x WHERE {{ <{ID}/api/bag-individuele-bevragingen> cat:field ?x . "
        f"?x cat:concept <{begrip}> }}",
    )
    assert f"{ID}/api/bag-individuele-bevragingen/field/verblijfsobject/identificatie" in fields
    assert len(fields) >= 3
    publisher = values(
        store, f"SELECT ?x WHERE {{ <{ID}/api/bag-individuele-bevragingen> dct:publisher ?x }}"
    )
    assert publisher == ["https://identifier.overheid.nl/tooi/id/zbo/zb000195"]


def test_bag_fields_carry_the_five_address_begrippen(store: EmbeddedStore) -> None:
    carried = values(
        store,
        f"SELECT DISTINCT ?x WHERE {{ <{ID}/api/bag-individuele-bevragingen> "
        f"cat:field/cat:concept ?c . "
        f'?c skos:prefLabel ?x FILTER(LANG(?x) = "nl") }}',
    )
    for label in ("verblijfsobject", "pand", "nummeraanduiding", "openbare ruimte", "woonplaats"):
        assert label in carried


def test_every_begrip_is_complete(store: EmbeddedStore) -> None:
    scheme = f"{ID}/begrippenkader/kernbegrippen-basisregistraties"
    assert store.ask(
        PREFIXES + f"ASK {{ <{scheme}> a skos:ConceptScheme ; dct:conformsTo "
        f"<https://docs.geostandaarden.nl/nl-sbb/nl-sbb/> ; dct:publisher ?p }}"
    )
    begrippen = values(store, f"SELECT ?x WHERE {{ ?x skos:inScheme <{scheme}> }}")
    assert len(begrippen) >= 25
    incomplete = values(
        store,
        f"""SELECT ?x WHERE {{ ?x skos:inScheme <{scheme}> .
              FILTER NOT EXISTS {{
                ?x skos:prefLabel ?nl , ?en ; skos:definition ?d ; dct:source ?src .
                ?src dct:title ?t .
                FILTER(LANG(?nl) = "nl" && LANG(?en) = "en") }} }}""",
    )
    assert incomplete == []
    tops = values(store, f"SELECT ?x WHERE {{ <{scheme}> skos:hasTopConcept ?x }}")
    assert sorted(tops) == sorted(
        values(store, f"SELECT ?x WHERE {{ ?x skos:topConceptOf <{scheme}> }}")
    )


def test_facilities_and_standards(store: EmbeddedStore) -> None:
    logius = "https://identifier.overheid.nl/tooi/id/oorg/oorg10117"
    for facility in ("digid", "mijnoverheid", "berichtenbox"):
        assert store.ask(
            PREFIXES
            + f"ASK {{ <{ID}/voorziening/{facility}> dct:publisher <{logius}> ; dct:title ?t }}"
        )
    standards = values(store, "SELECT ?x WHERE { ?s a dct:Standard ; dct:identifier ?x }")
    for name in ("FSC", "DCAT-AP-NL 3.0", "NL-SBB", "ADR", "Logboek Dataverwerkingen"):
        assert name in standards
    # Every standard an API or catalogue conforms to is described.
    undescribed = values(
        store,
        "SELECT DISTINCT ?x WHERE { { ?r a dcat:DataService } UNION { ?r a dcat:Catalog } "
        "?r dct:conformsTo ?x FILTER NOT EXISTS { ?x a dct:Standard } }",
    )
    assert undescribed == []


@pytest.mark.parametrize("profile", ["default", "api"])
def test_all_bundled_content_conforms_to_our_profiles(
    loaded: tuple[EmbeddedStore, Mapping[str, list[Triple]]], profile: str
) -> None:
    """Each bundled source (its own graph) has no Violation; Warnings are allowed."""
    graphs = loaded[1]
    assert len(graphs) == len(content.bundled_files()) + len(content.OPENAPI)
    report = validate(graphs, BUILTIN[profile])
    assert report.violations == 0, report.summary("en")


@needs_shared
def test_organisations_ttl_is_what_the_generator_makes() -> None:
    text, counts = build_organisations.build(SHARED)
    assert counts["Gemeenten"] >= 342
    assert text == (CONTENT / "organisations.ttl").read_text(encoding="utf-8")


@needs_shared
@pytest.mark.parametrize("name", sorted(build_openapi.DOCUMENTS))
def test_bundled_openapi_documents_are_what_the_generator_makes(name: str) -> None:
    source = SHARED / "apis" / "openapi" / name
    made = build_openapi.annotate(name, source.read_text(encoding="utf-8"))
    assert made == (CONTENT / "openapi" / name).read_text(encoding="utf-8")
    assert made.count("x-begrip:") == len(build_openapi.DOCUMENTS[name][1])
