"""The dataset page read from its neighbourhood (two queries, as on a remote store) is the page
read from the whole store, for every dataset of the bundled content and of third-party data
with blank-node publishers, licences and contact points."""

from __future__ import annotations

import threading

from catalogue.content import load_bundled
from catalogue.ingest import load_sources
from catalogue.namespaces import DCAT
from catalogue.services.datasets import _dataset_page, dataset_page
from catalogue.services.nearby import nearby
from catalogue.services.relations import relation_picture
from catalogue.store import EmbeddedStore, Row
from catalogue.store.bind import Bindings
from tests.conftest import BASE, DATA


class Remote:
    """The embedded store seen as a remote one: only its queries, each one counted."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store, self.queries = store, 0
        self._lock = threading.Lock()  # its two queries go at once, in two threads

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        with self._lock:
            self.queries += 1
        return self.store.select(query, bindings)


def test_the_dataset_page_from_its_neighbourhood_is_the_same_page() -> None:
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    load_sources(store, [DATA / "thirdparty" / "blank-nodes.ttl", DATA / "catalog" /
                         "complete.ttl"], base=BASE)
    iris = sorted({row["d"].value for row in store.select(
        f"SELECT ?d WHERE {{ ?d a <{DCAT}Dataset> FILTER(isIRI(?d)) }}")})
    assert len(iris) > 10
    for iri in iris:
        remote = Remote(store)
        near = nearby(remote, iri)  # type: ignore[arg-type]
        assert remote.queries == 2 and near is not store
        assert nearby(near, iri) is near
        whole = dataset_page(store, iri, lang="nl", page_url="/x")
        assert _dataset_page(near, iri, lang="nl", page_url="/x") == whole, iri
        # and the relation picture's first step, read there (one request fewer)
        assert relation_picture(store, iri, lang="nl", nearby=near) == relation_picture(
            store, iri, lang="nl"), iri
