"""The Skosmos REST v1 endpoints answer in Skosmos's JSON shapes."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.services.schemes import vocid_for
from catalogue.store.terms import RdfFormat, parse
from catalogue.web.app import create_app
from tests.concepts.conftest import build
from tests.conftest import BASE

KADER = "http://catalogue.test/id/begrippenkader/gebouwen"
VOCID = vocid_for(KADER, base="http://catalogue.test")
B = "http://catalogue.test/id/begrip/"


def test_vocabularies(concepts_client: TestClient) -> None:
    body = concepts_client.get("/rest/v1/vocabularies", params={"lang": "nl"}).json()
    assert body["uri"] == "" and "@context" in body
    entry = next(v for v in body["vocabularies"] if v["id"] == VOCID)
    assert entry == {"uri": VOCID, "id": VOCID, "title": "Gebouwen en percelen"}


def test_search_global_and_per_vocabulary(concepts_client: TestClient) -> None:
    body = concepts_client.get("/rest/v1/search", params={"query": "geb*", "lang": "nl"}).json()
    assert body["@context"]["@language"] == "nl"
    hit = next(r for r in body["results"] if r["uri"] == B + "gebouw")
    assert hit["prefLabel"] == "gebouw" and hit["vocab"] == VOCID
    assert hit["type"] == ["skos:Concept"] and hit["localname"] == "gebouw"
    scoped = concepts_client.get(f"/rest/v1/{VOCID}/search", params={"query": "gebouw"}).json()
    assert {r["vocab"] for r in scoped["results"]} == {VOCID}
    assert concepts_client.get("/rest/v1/search").status_code == 400


def test_top_concepts(concepts_client: TestClient) -> None:
    body = concepts_client.get(f"/rest/v1/{VOCID}/topConcepts", params={"lang": "nl"}).json()
    assert body["uri"] == KADER
    tops = {t["uri"]: t for t in body["topconcepts"]}
    assert tops[B + "bouwwerk"] == {"uri": B + "bouwwerk", "label": "bouwwerk",
                                    "hasChildren": True, "topConceptOf": KADER}
    assert tops[B + "perceel"]["hasChildren"] is False


def test_hierarchy(concepts_client: TestClient) -> None:
    body = concepts_client.get(f"/rest/v1/{VOCID}/hierarchy",
                               params={"uri": B + "woning", "lang": "nl"}).json()
    chain = body["broaderTransitive"]
    assert set(chain) == {B + "woning", B + "gebouw", B + "bouwwerk"}
    assert chain[B + "woning"]["broader"] == [B + "gebouw"]
    assert chain[B + "bouwwerk"]["top"] == KADER
    assert chain[B + "gebouw"]["narrower"] == [{"uri": B + "woning", "label": "woning",
                                                "hasChildren": False}]


def test_label(concepts_client: TestClient) -> None:
    body = concepts_client.get(f"/rest/v1/{VOCID}/label",
                               params={"uri": B + "gebouw", "lang": "en"}).json()
    assert body["prefLabel"] == "building" and body["uri"] == B + "gebouw"
    missing = concepts_client.get(f"/rest/v1/{VOCID}/label", params={"uri": B + "nope"})
    assert missing.status_code == 404


def test_data_of_a_concept_and_the_vocabulary(concepts_client: TestClient) -> None:
    one = concepts_client.get(f"/rest/v1/{VOCID}/data",
                              params={"uri": B + "gebouw", "format": "text/turtle"})
    assert one.headers["content-type"].startswith("text/turtle")
    assert {t.subject.value for t in parse(one.content, RdfFormat.TURTLE)} >= {B + "gebouw"}
    whole = concepts_client.get(f"/rest/v1/{VOCID}/data",
                                headers={"accept": "application/ld+json"})
    subjects = {t.subject.value for t in parse(whole.content, RdfFormat.JSON_LD)}
    assert {B + "gebouw", B + "woning", KADER} <= subjects
    assert concepts_client.get("/rest/v1/nope-000000/topConcepts").status_code == 404
    # an IRI that is no begrip of this vocabulary (a dataset, another kader's) is 404, as
    # /label was already (/data and /hierarchy answered 200)
    for path in ("data", "hierarchy"):
        outside = concepts_client.get(f"/rest/v1/{VOCID}/{path}",
                                      params={"uri": "http://catalogue.test/id/dataset/bag"})
        assert outside.status_code == 404, path


def _search(client: TestClient, query: str, **params: str) -> list[dict[str, object]]:
    answer = client.get("/rest/v1/search", params={"query": query, **params})
    assert answer.status_code == 200, answer.text
    results: list[dict[str, object]] = answer.json()["results"]
    return results


def test_search_matches_whole_labels_not_definitions_or_words_inside(
        concepts_client: TestClient) -> None:
    # "gebouw" is in the definition of woning and inside the hidden label "gebouwtje".
    hits = _search(concepts_client, "gebouw", lang="nl")
    assert B + "gebouw" in [r["uri"] for r in hits]
    assert {r["prefLabel"] for r in hits} == {"gebouw"}
    assert _search(concepts_client, "geb", lang="nl") == []
    assert _search(concepts_client, "GEBOUW", lang="nl")[0]["prefLabel"] == "gebouw"


def test_search_star_is_the_only_wildcard(concepts_client: TestClient) -> None:
    assert B + "gebouw" in [r["uri"] for r in _search(concepts_client, "*ouw", lang="nl")]
    assert B + "gebouw" in [r["uri"] for r in _search(concepts_client, "g*w", lang="nl")]
    assert _search(concepts_client, "geb.uw", lang="nl") == []  # a dot is a dot


def test_search_says_which_label_matched(concepts_client: TestClient) -> None:
    (alt,) = _search(concepts_client, "opstal", lang="nl")
    assert (alt["uri"], alt["prefLabel"], alt["altLabel"]) == (B + "gebouw", "gebouw", "opstal")
    (hidden,) = _search(concepts_client, "gebouwtje", lang="nl")
    assert (hidden["prefLabel"], hidden["hiddenLabel"]) == ("gebouw", "gebouwtje")
    (english,) = _search(concepts_client, "building")
    assert (english["prefLabel"], english["lang"]) == ("building", "en")


def test_search_adds_the_definitions_fields_asks_for(concepts_client: TestClient) -> None:
    """Skosmos's `fields=definition` (what federated search asks other registries)."""
    hits = _search(concepts_client, "gebouw", fields="definition scopeNote", labellang="en")
    (hit,) = [h for h in hits if h["uri"] == B + "gebouw"]
    assert hit["definition"] == ["Een bouwwerk dat een voor mensen toegankelijke overdekte "
                                 "ruimte vormt met wanden en een dak."]  # no English one
    assert hit["scopeNote"] == ["Gebruik dit begrip ook voor bijgebouwen."]
    (plain,) = [h for h in _search(concepts_client, "gebouw", fields="broader")  # not a text
                if h["uri"] == B + "gebouw"]
    assert "definition" not in plain and "broader" not in plain


def test_search_of_a_label_in_a_language_without_a_preferred_label(tmp_path: Path) -> None:
    """IMKA's begrippen give English alternative labels ("UHI") to begrippen that only have a
    Dutch preferred label: the hit shows the Dutch one (a KeyError answered 500 before)."""
    kader = tmp_path / "hitte.ttl"
    kader.write_text(f"""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <{B}hitte-kader> a skos:ConceptScheme ; skos:prefLabel "Hitte"@nl .
        <{B}hitte-eiland> a skos:Concept ; skos:inScheme <{B}hitte-kader> ;
            skos:prefLabel "hitte-eilandeffect"@nl ;
            skos:altLabel "UHI"@en, "Urban Heat Island"@en .
    """, encoding="utf-8")
    store, index = build([kader])
    app = create_app(Settings(store=Path(":memory:"), base_iri=BASE), store=store, index=index)
    with TestClient(app) as client:
        for query, params, matched in (("UHI", {}, "UHI"),
                                       ("ur*", {"lang": "en"}, "Urban Heat Island"),
                                       ("*a*", {}, None)):  # its preferred label matches
            (hit,) = [h for h in _search(client, query, **params) if h["uri"] == B + "hitte-eiland"]
            assert (hit["prefLabel"], hit.get("altLabel")) == ("hitte-eilandeffect", matched)
