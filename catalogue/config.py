"""Settings: the one reader of `CATALOGUE_*` environment variables; flags override them."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from catalogue.federation import FederatedSource, federated_sources
from catalogue.limits import MAX_NESTING, MAX_TERM_BYTES, MAX_TRIPLES, Limits


class Settings(BaseSettings):
    """Every setting the catalogue has. Each is a `CATALOGUE_<NAME>` variable and a CLI flag."""

    model_config = SettingsConfigDict(env_prefix="CATALOGUE_", extra="ignore")

    store: Path = Field(
        default=Path("var/store"),
        description="Directory of the embedded store; ':memory:' keeps it in memory.",
    )
    base_iri: str = Field(
        default="",
        description="Base of the IRIs we mint ({base}/id/...); defaults to http://HOST:PORT.",
    )
    index: Path | None = Field(
        default=None,
        description="Search index file (derived, rebuildable); default: beside the store.",
    )
    host: str = Field(default="127.0.0.1", description="Address the server listens on.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port the server listens on.")
    access_log: bool = Field(
        default=False,
        description="Log every request (uvicorn's access log; measured ~0.1 ms per request).",
    )
    relation_pictures: bool = Field(
        default=True,
        description="Draw the relation picture on begrip, kader, dataset, API and organisation "
        "pages; off only to measure what the picture costs (bench/relations_bench.py).",
    )
    query_timeout: float = Field(
        default=30.0, gt=0,
        description="Seconds a /sparql query may run before it is stopped (503).",
    )
    query_workers: int = Field(
        default=2, ge=1, le=64,
        description="Front processes that answer /sparql under `catalogue serve` on disk (4 "
        "query threads each); else the number of query threads.",
    )
    sparql_endpoint: str = Field(
        default="",
        description="SPARQL 1.1 Query endpoint of a remote store; empty: the embedded store.",
    )
    sparql_update_endpoint: str = Field(
        default="", description="SPARQL 1.1 Update endpoint of the remote store."
    )
    graph_store_endpoint: str = Field(
        default="", description="SPARQL 1.1 Graph Store endpoint of the remote store (optional)."
    )

    publish_dir: Path | None = Field(
        default=None,
        description="Directory of publishers (token hashes) and graph history; default: beside "
        "the store ({store}-publishing), a temporary directory for an in-memory store.",
    )
    webhooks_allow_private_addresses: bool = Field(
        default=False,
        description="Deliver webhooks to loopback and private addresses too (tests, or a "
        "registry whose subscribers are all inside its own network); off: public ones only.",
    )
    federated_sources: str = Field(
        default="",
        description="Skosmos REST endpoints (their `.../rest/v1` base) of other registries that "
        "/search also asks, separated by whitespace; `NAME=URL` names one (default: its host).",
    )
    federated_timeout: float = Field(
        default=3.0, gt=0, le=60,
        description="Seconds a federated search waits for each other registry.",
    )
    federated_allow_private_addresses: bool = Field(
        default=False,
        description="Let federated search reach loopback and private addresses too (tests, or "
        "registries inside your own network); off: public ones only.",
    )
    max_body_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024,
        description="Largest body /store, /validate and /api/validate accept (else 413).",
    )
    max_triples: int = Field(
        default=MAX_TRIPLES, ge=1,
        description="Most triples one request body (PUT/POST /store, validation) may hold (else "
        "413). `catalogue load` and `validate` of local files are not bounded by it.",
    )
    max_nesting: int = Field(
        default=MAX_NESTING, ge=1,
        description="Deepest nesting of XML elements, Turtle brackets and lists, or JSON-LD "
        "arrays and objects in any source (else 413, exit status 2).",
    )
    max_literal_bytes: int = Field(
        default=MAX_TERM_BYTES, ge=1,
        description="Largest literal or IRI, in UTF-8 bytes, in any source (else 413, exit "
        "status 2).",
    )
    max_request_seconds: float = Field(
        default=120.0, gt=0,
        description="Seconds the parsing and validation of one request may take before it is "
        "stopped (503); work also stops when the client hangs up.",
    )
    fetch_timeout: float = Field(
        default=10.0, gt=0, description="Seconds /validate may spend fetching a URL."
    )
    profiles_dir: Path | None = Field(
        default=None,
        description="Directory of user validation profiles: one folder (or shape file) each.",
    )

    registry_publisher: str = Field(
        default="",
        description="IRI of the organisation that runs this catalogue (publisher of the /catalog "
        "feed); default: {base}/id/organisatie/catalogus.",
    )

    @field_validator("base_iri")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("federated_sources")
    @classmethod
    def _check_sources(cls, value: str) -> str:
        federated_sources(value)  # a bad URL stops the start with what is wrong
        return value

    @property
    def federated(self) -> tuple[FederatedSource, ...]:
        """The other registries federated search asks, numbered from 0 in the order given."""
        return federated_sources(self.federated_sources)

    @property
    def base(self) -> str:
        """The effective base IRI, without a trailing slash."""
        return self.base_iri or f"http://{self.host}:{self.port}"

    @property
    def request_limits(self) -> Limits:
        """What one request's body may hold."""
        return Limits(triples=self.max_triples, nesting=self.max_nesting,
                      term_bytes=self.max_literal_bytes)

    @property
    def file_limits(self) -> Limits:
        """What a file the operator loads or validates may hold: no triple limit, but the same
        nesting and term size (a deep or huge file costs the operator as much as a server)."""
        return Limits(triples=None, nesting=self.max_nesting, term_bytes=self.max_literal_bytes)

    @property
    def in_memory(self) -> bool:
        return str(self.store) == ":memory:"

    @property
    def index_path(self) -> Path | None:
        """Where the search index lives; None keeps it in memory (with an in-memory store)."""
        if self.index is not None:
            return self.index
        if self.in_memory:
            return None
        return self.store.with_name(self.store.name + ".search.sqlite")
